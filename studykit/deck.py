"""Building a reading's Anki deck, and the report of what changed since the last build."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from studykit.cards import CardNote, derive_notes, section_deck
from studykit.errors import StudykitError
from studykit.manifest import Manifest, NoteRecord, manifest_path, read_manifest, write_manifest
from studykit.media import image_refs, packaged_name, resolve_image
from studykit.model import Reading, Section

FORMAT = "studykit-deck-1"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Change:
    """One note added, updated, removed or reworded since the last build."""

    kind: str  # added | updated | removed | reworded
    section: str
    label: str
    previous: str | None = None  # reworded: the old front
    search: str | None = None  # removed: an Anki search that finds the note


@dataclass(frozen=True)
class SectionReport:
    number: int
    id: str
    title: str
    deck: str
    notes: int
    cards: int
    changes: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class DeckReport:
    reading: str
    title: str
    path: Path
    status: str  # built | up-to-date | dry-run
    first_build: bool
    notes: int
    cards: int
    media: int
    sections: tuple[SectionReport, ...]
    changes: tuple[Change, ...]

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    def to_json(self) -> dict[str, Any]:
        return {
            "reading": self.reading,
            "title": self.title,
            "path": str(self.path),
            "status": self.status,
            "first_build": self.first_build,
            "notes": self.notes,
            "cards": self.cards,
            "media": self.media,
            "sections": [
                {
                    "number": s.number,
                    "id": s.id,
                    "title": s.title,
                    "deck": s.deck,
                    "notes": s.notes,
                    "cards": s.cards,
                    "changes": s.changes,
                }
                for s in self.sections
            ],
            "changes": {
                kind: [
                    {k: v for k, v in vars(c).items() if k != "kind" and v is not None}
                    for c in self.changes
                    if c.kind == kind
                ]
                for kind in ("added", "updated", "removed", "reworded")
            },
        }


DEFAULT_FOLDER = Path("cards")


def deck_paths(readings: list[Reading], output: str | None) -> list[Path]:
    """Where each reading's deck goes: `-o` is a folder when it is one already, ends with `/`,
    or several readings are built; otherwise it is the file of the one deck."""
    if output is None:
        return [DEFAULT_FOLDER / f"{r.id}.apkg" for r in readings]
    target = Path(output)
    if target.is_dir() or output.endswith(("/", "\\")) or len(readings) > 1:
        return [target / f"{r.id}.apkg" for r in readings]
    if target.suffix.lower() != ".apkg":
        raise StudykitError(f"{output}: a deck file name ends in .apkg (or end a folder with /)")
    return [target]


def build_deck(
    reading: Reading,
    output: Path,
    *,
    now: datetime,
    dry_run: bool = False,
    force: bool = False,
    progress: Progress | None = None,
) -> DeckReport:
    """Write `output` (atomically) unless nothing changed since the last build, and report."""
    images, media = _media(reading)
    notes = derive_notes(reading, images, progress)
    records = {note.guid: _record(note) for note in notes}
    digest = _digest(notes, records, media)
    old = read_manifest(manifest_path(output))
    unchanged = old is not None and old.digest == digest and output.is_file()
    if unchanged and not force:
        return _report(reading, output, "up-to-date", old, notes, media, changes=())
    changes = tuple(_changes(old, records))
    built = max(int(now.timestamp()), old.built + 1 if old else 0)
    stamped = {guid: _stamp(guid, record, old, built) for guid, record in records.items()}
    if not dry_run:
        _write(reading, output, notes, stamped, media, built)
        write_manifest(manifest_path(output), Manifest(reading.id, built, digest, stamped))
    status = "dry-run" if dry_run else "built"
    return _report(reading, output, status, old, notes, media, changes)


def _media(reading: Reading) -> tuple[dict[str, str], dict[str, Path]]:
    """Images the cards show: path as written -> media name, and media name -> file."""
    images: dict[str, str] = {}
    media: dict[str, Path] = {}
    for section in reading.sections:
        for text in _card_texts(section):
            for ref in image_refs(text):
                try:
                    path = resolve_image(ref.target, section.path.parent, reading.folder)
                except ValueError as exc:
                    raise StudykitError(str(exc), section.path) from exc
                name = packaged_name(path)
                images[ref.target] = name
                media[name] = path
    return images, media


def _card_texts(section: Section) -> Iterator[str]:
    for point in section.cloze_points:
        yield point.text
        yield point.note or ""
    for term in section.terms:
        yield from (term.term, term.definition, term.note or "")
    for question in section.questions:
        yield from (question.q, question.a, question.note or "")


def _hash(*parts: object) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:24]


def _record(note: CardNote) -> NoteRecord:
    return NoteRecord(
        identity=note.identity,
        kind=str(note.kind),
        section=note.section.id,
        label=note.label,
        front=_hash(note.fields[0]),
        back=_hash(note.fields[1:], note.tags, note.deck, note.cards, note.note_type.id),
        mod=0,
        search=_search(note),
    )


def _search(note: CardNote) -> str:
    """An Anki search for the note: its section tag and the start of its front field."""
    first_field = note.note_type.fields[0]
    words = note.label[:60].replace("\\", "\\\\").replace('"', '\\"')
    for special in ("*", "_", ":"):
        words = words.replace(special, "\\" + special)
    tag = next(t for t in note.tags if "::" in t)
    return f'tag:{tag} "{first_field}:*{words}*"'


def _digest(notes: list[CardNote], records: dict[str, NoteRecord], media: dict[str, Path]) -> str:
    from studykit.notetypes import NOTE_TYPES

    look = [(t.id, t.css, t.templates) for t in NOTE_TYPES]
    ordered = [(n.guid, records[n.guid].front, records[n.guid].back) for n in notes]
    decks = sorted({(n.deck, n.section.summary) for n in notes})
    return _hash(FORMAT, look, ordered, decks, sorted(media))


def _stamp(guid: str, record: NoteRecord, old: Manifest | None, built: int) -> NoteRecord:
    """Keep an unchanged note's mod time; a changed one gets this build's, newer than any before."""
    previous = old.notes.get(guid) if old else None
    if previous and (previous.front, previous.back) == (record.front, record.back):
        return replace(record, mod=previous.mod)
    return replace(record, mod=built)


def _changes(old: Manifest | None, records: dict[str, NoteRecord]) -> Iterator[Change]:
    if old is None:
        yield from (Change("added", r.section, r.label) for r in records.values())
        return
    added = [r for guid, r in records.items() if guid not in old.notes]
    removed = [r for guid, r in old.notes.items() if guid not in records]
    for guid, record in records.items():
        previous = old.notes.get(guid)
        if previous and (previous.front, previous.back) != (record.front, record.back):
            yield Change("updated", record.section, record.label)
    # A front reworded without an `id` is a new note to Anki; the same section, kind and back
    # tell us it is the old one reworded, so the student learns why its history restarts.
    gone: dict[tuple[str, str, str], list[NoteRecord]] = {}
    for record in removed:
        gone.setdefault((record.section, record.kind, record.back), []).append(record)
    for record in list(added):
        candidates = gone.get((record.section, record.kind, record.back))
        if candidates and not record.identity.split("/")[-1].startswith("id:"):
            match = candidates.pop(0)
            removed.remove(match)
            added.remove(record)
            yield Change("reworded", record.section, record.label, previous=match.label)
    yield from (Change("added", r.section, r.label) for r in added)
    yield from (Change("removed", r.section, r.label, search=r.search) for r in removed)


def _write(
    reading: Reading,
    output: Path,
    notes: list[CardNote],
    records: dict[str, NoteRecord],
    media: dict[str, Path],
    built: int,
) -> None:
    from studykit.apkg import Deck, PackagedNote, deck_id_for, write_package
    from studykit.markup import to_html

    decks = [
        Deck(deck_id_for(reading.deck_name), reading.deck_name, to_html(reading.summary or ""))
    ]
    for section in reading.sections:
        name = section_deck(reading, section)
        decks.append(Deck(deck_id_for(name), name, to_html(section.summary or "")))
    packaged = [
        PackagedNote(
            guid=note.guid,
            note_type=note.note_type,
            deck_id=deck_id_for(note.deck),
            fields=note.fields,
            tags=note.tags,
            cards=note.cards,
            mod=records[note.guid].mod,
        )
        for note in notes
    ]
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        write_package(output, packaged, decks, media, now=built)
    except OSError as exc:
        raise StudykitError(f"cannot write the deck: {exc.strerror or exc}", output) from exc


def _report(
    reading: Reading,
    output: Path,
    status: str,
    old: Manifest | None,
    notes: list[CardNote],
    media: dict[str, Path],
    changes: tuple[Change, ...],
) -> DeckReport:
    counts: dict[str, list[int]] = {s.id: [0, 0] for s in reading.sections}
    for note in notes:
        counts[note.section.id][0] += 1
        counts[note.section.id][1] += len(note.cards)
    changed: dict[str, dict[str, int]] = {s.id: {} for s in reading.sections}
    for change in changes:
        kinds = changed.setdefault(change.section, {})  # a removed section is not listed
        kinds[change.kind] = kinds.get(change.kind, 0) + 1
    sections = tuple(
        SectionReport(
            number=section.number,
            id=section.id,
            title=section.title,
            deck=section_deck(reading, section),
            notes=counts[section.id][0],
            cards=counts[section.id][1],
            changes=changed[section.id],
        )
        for section in reading.sections
    )
    return DeckReport(
        reading=reading.id,
        title=reading.title,
        path=output,
        status=status,
        first_build=old is None,
        notes=len(notes),
        cards=sum(counts_[1] for counts_ in counts.values()),
        media=len(media),
        sections=sections,
        changes=changes,
    )
