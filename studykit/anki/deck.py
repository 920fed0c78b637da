"""Building a reading's Anki deck, and the report of what changed since the last build."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studykit.anki.manifest import (
    Manifest,
    NoteRecord,
    UnreadableManifest,
    check_deck_owned,
    check_manifest_place,
    read_manifest,
    write_manifest,
    written_deck,
)
from studykit.anki.notes import AnkiNote, FieldRendering, section_deck
from studykit.anki.search import note_search
from studykit.cards import derive_notes
from studykit.errors import StudykitError, UsageError, display_path
from studykit.files import refuse_kept, writable_target, write_atomically
from studykit.identity import Identities, record_written, resolve
from studykit.notes.media import image_refs, packaged_name, resolve_image
from studykit.notes.model import Reading, Section

if TYPE_CHECKING:
    from studykit.anki.apkg import Package
    from studykit.anki.progress import DeckProgress
    from studykit.citing.csl import CitedTexts
    from studykit.notes.cloze import Cloze

FORMAT = "studykit-deck-1"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Change:
    """One note added, updated, removed or reworded since the last build."""

    kind: str  # added | updated | removed | reworded
    section: str
    label: str
    previous: str | None = None  # reworded: the old front
    search: str | None = None  # removed, reworded: an Anki search that finds the old note


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
    status: str  # built | up-to-date | dry-run | no-cards (nothing written)
    first_build: bool
    notes: int
    cards: int
    media: int
    sections: tuple[SectionReport, ...]
    changes: tuple[Change, ...]
    emptied_cards: int  # cards of kept notes that the notes no longer make
    record: Path | None = None  # the identity record, when this build wrote it
    recorded: int = 0  # notes the identity record named before this build
    progress: tuple[int, int] | None = None  # --with-progress: cards with progress, answers
    notice: str | None = None  # why the report could not say what changed, for a warning

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    def with_progress(self, progress: tuple[int, int] | None) -> DeckReport:
        return self if progress is None else replace(self, progress=progress)

    def with_notice(self, notice: str | None) -> DeckReport:
        return self if notice is None else replace(self, notice=notice)

    def to_json(self) -> dict[str, Any]:
        progress = {}
        if self.progress is not None:
            cards, reviews = self.progress
            progress = {"with_progress": {"cards": cards, "reviews": reviews}}
        return {
            "reading": self.reading,
            "title": self.title,
            "path": str(self.path),
            "status": self.status,
            "first_build": self.first_build,
            "notes": self.notes,
            "cards": self.cards,
            "media": self.media,
            "emptied_cards": self.emptied_cards,
            "identity_record": str(self.record) if self.record else None,
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
            **progress,
        }


DEFAULT_FOLDER = "cards"


def default_deck_path(reading: Reading) -> Path:
    """`cards/<reading>.apkg` beside the notes folder, wherever the command runs from."""
    return reading.folder.parent.parent / DEFAULT_FOLDER / f"{reading.id}.apkg"


def output_folder(output: str | None, count: int) -> Path | None:
    """The folder `-o` names for `count` readings' decks, or None when it names no folder: it is
    a folder when it is one already, ends with `/`, or several readings are built."""
    if output is None or not output.strip():
        return None
    target = Path(output)
    if target.is_dir() or output.endswith(("/", "\\")):
        return target
    if count > 1:
        if target.suffix.lower() == ".apkg":
            raise UsageError(f"-o {output}: several readings make several decks; give a folder")
        return target
    return None


def deck_paths(readings: list[Reading], output: str | None, count: int | None = None) -> list[Path]:
    """Where each reading's deck goes: in the folder `-o` names (see `output_folder`; `count`
    is how many readings were asked for), else in the one file `-o` names, else the default."""
    if output is None:
        return [default_deck_path(r) for r in readings]
    if not output.strip():
        raise UsageError("-o needs a deck file (NAME.apkg) or a folder (ending in /)")
    folder = output_folder(output, len(readings) if count is None else count)
    if folder is not None:
        return [folder / f"{r.id}.apkg" for r in readings]
    if Path(output).suffix.lower() != ".apkg":
        raise UsageError(f"-o {output}: a deck file name ends in .apkg (or end a folder with /)")
    return [Path(output)]


def build_deck(
    reading: Reading,
    output: Path,
    *,
    now: datetime,
    dry_run: bool = False,
    force: bool = False,
    progress: Progress | None = None,
    review_store: Path | None = None,
) -> DeckReport:
    """Write `output` (atomically) unless nothing changed since the last build, and report.

    With `review_store`, the cards answered in review carry their state and answers
    (`studykit.anki.progress`), for an Anki that does not have them yet.

    The identity record beside the notes is written first: a crash after it leaves a record
    that names the notes the next build makes, never a deck whose notes it does not name.
    `force` rebuilds an unchanged deck and replaces read-only files (`studykit.files`).
    """
    # Before anything, even the identity record: a refused -o leaves every file as it was.
    refuse_kept(output, "the deck", (reading.folder.parent,), rebuilt=".apkg")
    images, media = _media(reading)
    study = derive_notes(reading, progress)
    if not study:
        # Notes to read, not yet to drill: they check, print and show, and make no deck.
        return _report(reading, output, "no-cards", None, [], {}, (), 0, None, 0)
    with FieldRendering(reading, study, images) as rendering:
        notice = None
        try:
            old = read_manifest(output)
        except UnreadableManifest as exc:
            # The deck itself does not depend on the manifest: build it, say what is lost.
            old, notice = None, f"{display_path(exc.path or output)}: {exc.message}"
        identities = resolve(reading, study, previous=old.guids() if old else None)
        notes = rendering.notes(identities.guids)
        cited = rendering.cited
    owner = old  # whether the deck at `output` is studykit's: any manifest of ours says
    if old is not None and not old.complete:
        old = None  # an older manifest lends its identities, not its change report
    # Anki updates a note on re-import only when its mod time is newer than the one it has.
    built = max(int(now.timestamp()), old.built + 1 if old else 0)
    records = {note.guid: _record(note, old, built) for note in notes}
    digest = _digest(reading, notes, records, media)
    scheduling = None
    if review_store is not None:
        scheduling = _progress(review_store, notes, now)
        if scheduling is not None:
            # A deck with progress differs from one without: either replaces the other.
            digest = _hash(digest + repr(scheduling))
    carried = _carried(review_store, scheduling)
    unchanged = old is not None and old.digest == digest and _same_size(output, old)
    if unchanged and not force:
        saved = _save(identities, dry_run)
        return _report(
            reading, output, "up-to-date", old, notes, media, (), 0, saved, identities.recorded
        ).with_progress(carried)  # an unreadable manifest is never up to date: no notice
    changes = tuple(_changes(old, records))
    emptied = _emptied_cards(old, records)
    # Checked in a dry run too, so that it fails exactly where a build would, and before
    # anything is written, so that a refused file leaves every file as it was.
    writable_target(output, "the deck", force)
    check_manifest_place(output, force)
    known = {*identities.record.guids.values(), *identities.guids.values()}
    check_deck_owned(output, owner, reading.id, known, force)
    package = _package(reading, output, notes, records, media, built, scheduling, cited)
    saved = None
    if not dry_run:
        saved = _write(identities, package, output, force)
        written = written_deck(output)
        write_manifest(output, Manifest(reading.id, built, digest, records, deck=written), force)
    status = "dry-run" if dry_run else "built"
    return (
        _report(
            reading, output, status, old, notes, media, changes, emptied, saved, identities.recorded
        )
        .with_progress(carried)
        .with_notice(notice)
    )


def _same_size(output: Path, old: Manifest) -> bool:
    """Whether `output` is a file of the size the last build wrote: a deck swapped for another
    since is not up to date (the rebuild then checks it is studykit's, `check_deck_owned`)."""
    try:
        size = output.stat().st_size
    except OSError:
        return False
    return output.is_file() and (old.deck is None or size == old.deck.size)


def _progress(store: Path, notes: list[AnkiNote], now: datetime) -> DeckProgress | None:
    """The review progress of the deck's cards, None when none was answered."""
    from studykit.anki.progress import deck_progress, read_store

    cards = {(note.guid, card) for note in notes for card in note.cards}
    return deck_progress(read_store(store, now), cards, now)


def _carried(store: Path | None, scheduling: DeckProgress | None) -> tuple[int, int] | None:
    """What the report says of progress: None when not asked for, else cards and answers."""
    if store is None:
        return None
    if scheduling is None:
        return (0, 0)
    return (len(scheduling.cards), scheduling.reviews)


def _save(identities: Identities, dry_run: bool, force: bool = False) -> Path | None:
    """Write the identity record if it changed; return its path when it was written."""
    if dry_run or not identities.changed:
        return None
    identities.save(force)
    return identities.record.path


def _media(reading: Reading) -> tuple[dict[str, str], dict[str, Path]]:
    """Images the cards show: path as written -> media name, and media name -> file."""
    images: dict[str, str] = {}
    media: dict[str, Path] = {}
    for section in reading.sections:
        for text, cloze in _card_texts(section):
            for ref in image_refs(text, cloze):
                try:
                    path = resolve_image(ref.target, section.path.parent, reading.folder)
                except ValueError as exc:
                    raise StudykitError(str(exc), section.path) from exc
                name = packaged_name(path)
                images[ref.target] = name
                media[name] = path
    return images, media


def _card_texts(section: Section) -> Iterator[tuple[str, Cloze | None]]:
    """The texts cards show, each with its cloze: a point renders apart from its deletions."""
    for point in section.cloze_points:
        yield point.text, point.cloze
        yield point.note or "", None
    for term in section.terms:
        yield from ((text, None) for text in (term.term, term.definition, term.note or ""))
    for question in section.questions:
        yield from ((text, None) for text in (question.q, question.a, question.note or ""))


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def _record(note: AnkiNote, old: Manifest | None, built: int) -> NoteRecord:
    """What the manifest keeps of a note. An unchanged note keeps its mod time, so Anki leaves
    it alone on re-import; a changed one gets this build's time, newer than any before."""
    front, back = note.fields[0], note.back
    previous = old.notes.get(note.guid) if old else None
    unchanged = previous is not None and (previous.front, previous.back) == (front, back)
    return NoteRecord(
        identity=note.identity,
        kind=str(note.kind),
        section=note.section.id,
        label=note.label,
        front=front,
        back=back,
        mod=previous.mod if previous is not None and unchanged else built,
        cards=note.cards,
    )


def _search(record: NoteRecord) -> str:
    """An Anki search that finds exactly this note: its section tag and its whole front field."""
    from studykit.anki.notetypes import BY_KIND

    reading, section = record.identity.split("/")[:2]
    return note_search(BY_KIND[record.kind].fields[0], record.front, f"{reading}::{section}")


def _digest(
    reading: Reading, notes: list[AnkiNote], records: dict[str, NoteRecord], media: dict[str, Path]
) -> str:
    """Everything the package holds, so an unchanged digest means an unchanged deck."""
    from studykit.anki.notetypes import NOTE_TYPES

    look = [(t.id, t.css, t.templates) for t in NOTE_TYPES]
    ordered = [(n.guid, n.identity, records[n.guid].front, records[n.guid].back) for n in notes]
    decks = [(reading.deck_name, reading.summary)]
    decks += [(section_deck(reading, s), s.summary) for s in reading.sections]
    return _hash(repr((FORMAT, look, ordered, decks, sorted(media))))


def _emptied_cards(old: Manifest | None, records: dict[str, NoteRecord]) -> int:
    """Cards a kept note no longer makes (a term's reverse, a deletion taken out): Anki keeps
    them, blank, after re-import, until the student runs Empty Cards."""
    if old is None:
        return 0
    return sum(
        len(set(old.notes[guid].cards) - set(record.cards))
        for guid, record in records.items()
        if guid in old.notes
    )


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
            yield Change(
                "reworded",
                record.section,
                record.label,
                previous=match.label,
                search=_search(match),
            )
    yield from (Change("added", r.section, r.label) for r in added)
    yield from (Change("removed", r.section, r.label, search=_search(r)) for r in removed)


def _package(
    reading: Reading,
    output: Path,
    notes: list[AnkiNote],
    records: dict[str, NoteRecord],
    media: dict[str, Path],
    built: int,
    scheduling: DeckProgress | None = None,
    cited: CitedTexts | None = None,
) -> Package:
    from studykit.anki.apkg import Deck, PackagedNote, deck_id_for, make_package
    from studykit.notes.markup import to_html

    def description(summary: str | None) -> str:
        """A deck's description: the summary, its citations formatted."""
        return to_html(cited.text(summary) if cited and summary else summary or "")

    decks = [Deck(deck_id_for(reading.deck_name), reading.deck_name, description(reading.summary))]
    for section in reading.sections:
        name = section_deck(reading, section)
        decks.append(Deck(deck_id_for(name), name, description(section.summary)))
    ids = {deck.name: deck.id for deck in decks}
    packaged = [
        PackagedNote(
            guid=note.guid,
            note_type=note.note_type,
            deck_id=ids[note.deck],
            fields=note.fields,
            tags=note.tags,
            cards=note.cards,
            mod=records[note.guid].mod,
        )
        for note in notes
    ]
    try:
        return make_package(packaged, decks, media, now=built, progress=scheduling)
    except ValueError as exc:
        # The package's last guard; the notes checks should have caught it first.
        raise StudykitError(f"refused to write an inconsistent deck: {exc}", output) from exc


def _write(identities: Identities, package: Package, output: Path, force: bool) -> Path | None:
    """The identity record, then the deck; return the record's path if it was written.

    A crash between the two leaves a record that names the notes the next build makes, never a
    deck whose notes it does not name; a deck that fails to write puts the old record back, so
    a failed build leaves every file as it was.
    """
    path = identities.record.path
    try:
        before: bytes | None = path.read_bytes()
    except FileNotFoundError:
        before = None
    except OSError as exc:
        raise StudykitError(
            f"cannot read the identity record: {exc.strerror or exc}", path
        ) from exc
    saved = _save(identities, dry_run=False, force=force)
    try:
        try:
            package.write(output, force=force)
        except OSError as exc:
            raise StudykitError(f"cannot write the deck: {exc.strerror or exc}", output) from exc
    except BaseException:
        if saved is not None:
            if before is None:
                path.unlink(missing_ok=True)
            else:
                # Ours a moment ago, whatever its bits say.
                write_atomically(path, before, "the identity record", force=True)
            record_written(path)
        raise
    return saved


def _report(
    reading: Reading,
    output: Path,
    status: str,
    old: Manifest | None,
    notes: list[AnkiNote],
    media: dict[str, Path],
    changes: tuple[Change, ...],
    emptied: int,
    record: Path | None,
    recorded: int,
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
        emptied_cards=emptied,
        record=record,
        recorded=recorded,
    )
