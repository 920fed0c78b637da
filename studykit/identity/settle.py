"""Settling each note's GUID: the recorded one, the one an item's old text had when it was just
given an `id:`, else the one its identity derives; and what deck, review and check refuse.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from studykit.cards import Note, derive_notes
from studykit.errors import NotesError, Problem, StudykitError
from studykit.identity.copies import copied_guids, derived_clashes
from studykit.identity.record import (
    HEADER,
    MAX_DAMAGE_REPORTED,
    TEXT_KEY,
    Record,
    derived_size,
    guid_for,
    held_size,
    kinds,
    oversized,
    read_record,
    record_key,
    record_line,
    record_path,
    refuse_link,
    save_record,
)
from studykit.notes.model import Reading


@dataclass(frozen=True)
class Identities:
    """The GUID of every note of a reading, and the record text that keeps them."""

    guids: dict[str, str]  # note identity -> GUID
    record: Record
    text: str  # the record as it should now be written
    recorded: int = 0  # notes the record already named: made by an earlier build somewhere

    @property
    def changed(self) -> bool:
        """Whether the record on disk, as `resolve` read it, differs from what it should be
        (a record not there or not read: it does)."""
        return self.record.on_disk != self.text

    def save(self, force: bool = False) -> None:
        """Write the record (atomically) if it changed; `force` replaces a read-only one."""
        save_record(self.record.path, self.text, force)

    @property
    def unsaved(self) -> tuple[Path, str] | None:
        """The record's path and text when they are yet to be written, for `save_record`."""
        return (self.record.path, self.text) if self.changed else None


def resolve(
    reading: Reading,
    notes: list[Note],
    *,
    previous: Mapping[str, str] | None = None,
) -> Identities:
    """Give every note its GUID: the recorded one, else (for an item that has just been given
    an `id:`) the one its text had, else the one its identity derives.

    An item given an `id:` and reworded in one go no longer matches its old text; it inherits
    the note of the one item of its section and kind that has gone since, when there is
    exactly one, since the `id:` says the student means to keep it.

    `previous` maps identities to GUIDs from an older source (the manifest of a deck built
    before the record existed), consulted after the record.
    """
    record = read_record(record_path(reading))
    older = {record_key(k.split("/", 1)[1]): guid for k, guid in (previous or {}).items()}
    # Where the record is damaged, an older source must not silently settle what it meant.
    known = dict(record.guids) if record.damaged else {**older, **record.guids}
    # Every key as the record has it (`record_key`), worked out once: a long one is digested.
    keys = [record_key(note.local_identity) for note in notes]
    current = set(keys)
    orphans: dict[str, list[str]] = {}  # section/kind -> text keys no item has now
    for key in known:
        if key not in current and TEXT_KEY.match(key):
            orphans.setdefault(_head(key), []).append(key)
    guids: dict[str, str] = {}
    inherited: set[str] = set()
    unsure: list[Note] = []
    for note, key in zip(notes, keys, strict=True):
        guid = known.get(key)
        if guid is None and record.damaged:
            unsure.append(note)  # its line may be the damaged one: guessing could lose it
        elif guid is None and note.has_id:
            text_key = record_key(note.text_identity.split("/", 1)[1])
            gone = orphans.get(_head(text_key), [])
            if text_key in current:
                pass  # another item still has this text: it keeps its note
            elif text_key in known:
                guid = known[text_key]
            elif len(gone) == 1:
                text_key = gone[0]
                guid = known[text_key]
            if guid is not None:
                if text_key in inherited:
                    guid = None  # one item inherits a note, not two
                inherited.add(text_key)
        guids[note.identity] = guid or guid_for(note.identity)
    if unsure:
        raise _damage_error(record, unsure)
    _refuse_shared_guids(notes, keys, guids, record)
    held = {note.local_identity: guids[note.identity] for note in notes}
    located = {note.local_identity: (note.section.path, note.line) for note in notes}
    copied = copied_guids(reading, record, held, located)
    if copied:
        raise NotesError(copied)
    lines = sorted(
        record_line(note.local_identity, key, guids[note.identity])
        for note, key in zip(notes, keys, strict=True)
    )
    text = HEADER + "".join(line + "\n" for line in lines)
    too_large = oversized(record.path, len(notes), text)
    if too_large is not None:
        raise StudykitError(too_large.message, too_large.path)
    recorded = sum(1 for key in keys if key in record.guids)
    return Identities(guids, record, text, recorded)


def _head(key: str) -> str:
    """A key's section/kind."""
    return key[: key.index("/", key.index("/") + 1)]


def _damage_error(record: Record, unsure: list[Note]) -> NotesError:
    first = unsure[0]
    item = f"{first.kind} {first.label[:50]!r} ({first.section.path.name}:{first.line})"
    more = f" and {len(unsure) - 1} more" if len(unsure) > 1 else ""
    problems = [
        Problem(
            record.path,
            number,
            1,
            f"identity record: {why}{' on this line' if number else ''}; it may hold the note "
            f"of {item}{more}. Fix it "
            "(keep one side of a merge conflict), or delete it to give those items new notes "
            "in Anki and review",
        )
        for number, why in record.damaged[:MAX_DAMAGE_REPORTED]
    ]
    if len(record.damaged) > MAX_DAMAGE_REPORTED:
        rest = len(record.damaged) - MAX_DAMAGE_REPORTED
        last = problems[-1]
        problems[-1] = Problem(
            last.path, last.line, last.col, f"{last.message} ({rest:,} more damaged lines)"
        )
    return NotesError(problems)


def _refuse_shared_guids(
    notes: list[Note], keys: list[str], guids: dict[str, str], record: Record
) -> None:
    """Two items with one GUID would be one note in Anki: refuse rather than merge them,
    at the record's last line that gives that GUID. `keys` are the notes' `record_key`s."""
    seen: dict[str, Note] = {}
    for note, key in zip(notes, keys, strict=True):
        guid = guids[note.identity]
        other = seen.setdefault(guid, note)
        if other is not note:
            lines = sorted(record.lines[k] for k, g in record.guids.items() if g == guid)
            both = f"{note.local_identity!r} and {other.local_identity!r} have the same note"
            if len(lines) != 1:
                on = f", on lines {lines[-2]} and {lines[-1]}" if lines else ""
                message = f"{both} ({guid}) in the identity record{on}; delete one of the two lines"
            else:
                # One line gives it; the other item, with no line, derives the same GUID: the
                # text an item had before it was given an `id:`, written again as a new item.
                recorded = record.guids.get(key) == guid
                holder, new = (note, other) if recorded else (other, note)
                source = "its `id:`" if new.has_id else "its text"
                message = (
                    f"{both} ({guid}): line {lines[0]} of the identity record gives it to "
                    f"{holder.local_identity!r}, and the other, which has no line, makes the same "
                    f"from {source}; reword {new.local_identity!r} or give it an `id:`"
                )
            raise StudykitError(message, record.path, lines[-1] if lines else 0, 1)


def record_problems(reading: Reading) -> list[Problem]:
    """What deck and review would refuse in the reading's identity record: a link, damage
    where an item's note may be, two items given one note, a note another reading's record
    holds, a record too large to be read back. Without a record nothing is refused but that
    (every GUID derives from a distinct identity), and nothing is derived. The same lines deck
    and review give, so that the three agree."""
    path = record_path(reading)
    try:
        refuse_link(path)
        if not path.exists():
            return derived_clashes(reading, Record(path, {})) + derived_size(reading, path)
        record = read_record(path)
        held = None if record.damaged else _settled(reading, record)
        if held is None:
            resolve(reading, derive_notes(reading))
        else:
            # Settled: the record's lines for the items are what deck would use, so they are
            # what to compare (not its lines for items gone since, which deck drops).
            oversized = held_size(path, held)
            return copied_guids(reading, record, held, {}) + oversized
    except StudykitError as exc:
        return exc.problems()
    return []


def _settled(reading: Reading, record: Record) -> dict[str, str] | None:
    """The record's GUID for each item of the reading (section/kind/key -> GUID) when it gives
    every item a note of its own, as it does after a build: `resolve` then keeps those notes
    and refuses nothing, and the notes need not be derived (a fifth of what `check` spends on a
    large library). None when it does not."""
    guids = record.guids
    held: dict[str, str] = {}
    seen: set[str] = set()
    for section in reading.sections:
        for kind, items in kinds(section):
            for item in items:
                key = f"{section.id}/{kind}/{item.key}"
                guid = guids.get(record_key(key))
                if guid is None or guid in seen:
                    return None
                seen.add(guid)
                held[key] = guid
    return held
