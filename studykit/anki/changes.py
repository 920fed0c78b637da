"""A build beside the last one: what the manifest keeps of each note, whether the deck changed,
and which notes were added, updated, reworded or removed since."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from studykit.anki.manifest import Manifest, NoteRecord
from studykit.notes.model import Reading

if TYPE_CHECKING:
    from studykit.anki.notes import AnkiNote
    from studykit.anki.progress import DeckProgress

FORMAT = "studykit-deck-1"


@dataclass(frozen=True)
class Change:
    """One note added, updated, removed or reworded since the last build."""

    kind: str  # added | updated | removed | reworded
    section: str
    label: str
    previous: str | None = None  # reworded: the old front
    search: str | None = None  # removed, reworded: an Anki search that finds the old note


@dataclass(frozen=True)
class Comparison:
    """This build beside the last: the build's time, each note's record and the deck's digest,
    and the last build's manifest when it can report changes (None for an older format)."""

    old: Manifest | None
    built: int
    records: dict[str, NoteRecord]
    digest: str

    @property
    def unchanged(self) -> bool:
        """Whether the deck holds what the last build's did (its file is looked at apart)."""
        return self.old is not None and self.old.digest == self.digest

    def changes(self) -> tuple[Change, ...]:
        return tuple(_changes(self.old, self.records))

    def emptied_cards(self) -> int:
        """Cards a kept note no longer makes (a term's reverse, a deletion taken out): Anki
        keeps them, blank, after re-import, until the student runs Empty Cards."""
        old = self.old
        if old is None:
            return 0
        return sum(
            len(set(old.notes[guid].cards) - set(record.cards))
            for guid, record in self.records.items()
            if guid in old.notes
        )


def compare(
    reading: Reading,
    decks: Sequence[str],
    notes: list[AnkiNote],
    media: Mapping[str, Path],
    last: Manifest | None,
    now: datetime,
    scheduling: DeckProgress | None,
) -> Comparison:
    """This build's records and digest, beside `last` (the manifest read, of any format).

    `decks` are the sections' deck names, in reading order."""
    # An older manifest lends its identities (already settled), not its change report.
    old = last if last is not None and last.complete else None
    # Anki updates a note on re-import only when its mod time is newer than the one it has.
    built = max(int(now.timestamp()), old.built + 1 if old else 0)
    records = {note.guid: _record(note, old, built) for note in notes}
    held = _deck_digest(reading, decks, notes, records, media)
    if scheduling is not None:
        # A deck with progress differs from one without: either replaces the other.
        held = digest(held + repr(scheduling))
    return Comparison(old, built, records, held)


def digest(text: str) -> str:
    """The short hash the manifest keeps of a note's back and of the whole deck."""
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


def _deck_digest(
    reading: Reading,
    decks: Sequence[str],
    notes: list[AnkiNote],
    records: dict[str, NoteRecord],
    media: Mapping[str, Path],
) -> str:
    """Everything the package holds, so an unchanged digest means an unchanged deck."""
    from studykit.anki.notetypes import NOTE_TYPES

    look = [(t.id, t.css, t.templates) for t in NOTE_TYPES]
    ordered = [(n.guid, n.identity, records[n.guid].front, records[n.guid].back) for n in notes]
    described = [(reading.deck_name, reading.summary)]
    described += [(deck, s.summary) for deck, s in zip(decks, reading.sections, strict=True)]
    return digest(repr((FORMAT, look, ordered, described, sorted(media))))


def _search(record: NoteRecord) -> str:
    """An Anki search that finds exactly this note: its section tag and its whole front field."""
    from studykit.anki.notetypes import BY_KIND
    from studykit.anki.search import note_search

    reading, section = record.identity.split("/")[:2]
    return note_search(BY_KIND[record.kind].fields[0], record.front, f"{reading}::{section}")


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
