"""The identity record: which note each item of a reading makes, kept beside the notes.

An item's note is named by a GUID. By default the GUID is a hash of the item's identity
(reading/section/kind/key), so the same notes give the same GUIDs on every machine. The record,
`identities.lock` in the reading's folder, keeps what cannot be derived again: the GUID an item
inherited from its text when it was given an `id:`, and the GUIDs of a reading whose folder was
renamed. It is committed with the notes like a lock file: one sorted line per item, so merging
two branches rarely conflicts and a conflict is easy to read. Anki decks and review state both
key on these GUIDs, so a record that is damaged where it matters stops the build rather than
silently starting a note (and its history) afresh.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from studykit.cards import Kind, StudyNote, derive_notes
from studykit.errors import NotesError, Problem, StudykitError, display_path
from studykit.files import write_atomically
from studykit.model import Point, Question, Reading, Section, Term

RECORD_FILE = "identities.lock"
HEADER = (
    "# studykit identity record: the Anki note (GUID) each item of this reading makes.\n"
    "# Commit it with your notes; studykit deck keeps it up to date. One line per item:\n"
    "# section/kind/key, a tab, the GUID. An item keeps its cards and review history through\n"
    "# rewording only while its line is here.\n"
)
_LINE = re.compile(r"([a-z0-9-]+/(?:question|term|cloze)/(?:id|text):[^\t]*)\t(\S+)")
_CONFLICT = ("<<<<<<<", "=======", ">>>>>>>", "|||||||")


def guid_for(identity: str) -> str:
    """The GUID an identity makes when nothing is recorded for it: the same on every machine."""
    return "sk" + hashlib.sha256(identity.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class Record:
    """An identity record as read: section/kind/key -> GUID, and the lines that did not read."""

    path: Path
    guids: dict[str, str]
    damaged: tuple[tuple[int, str], ...] = ()  # (line number, why)
    exists: bool = False
    lines: dict[str, int] = field(default_factory=dict)  # section/kind/key -> its line


@dataclass(frozen=True)
class Identities:
    """The GUID of every note of a reading, and the record text that keeps them."""

    guids: dict[str, str]  # note identity -> GUID
    record: Record
    text: str  # the record as it should now be written
    recorded: int = 0  # notes the record already named: made by an earlier build somewhere

    @property
    def changed(self) -> bool:
        """Whether the record on disk differs from what it should be."""
        try:
            return self.record.path.read_text(encoding="utf-8") != self.text
        except OSError:
            return True

    def save(self, force: bool = False) -> None:
        """Write the record (atomically) if it changed; `force` replaces a read-only one."""
        refuse_link(self.record.path)  # a link may have appeared since it was read
        if self.changed:
            write_atomically(self.record.path, self.text, "the identity record", force=force)


def record_path(reading: Reading) -> Path:
    return reading.folder / RECORD_FILE


# One line per item of a reading: a record this large would name some 100,000 items of
# 300-character keys, far beyond any reading's notes.
MAX_RECORD_BYTES = 32 << 20
# A record damaged on many lines (garbage, a binary file) is reported at its first lines.
MAX_DAMAGE_REPORTED = 20


def read_record(path: Path) -> Record:
    """Read a record; a missing one is empty. Unreadable lines are kept aside as damage, as is
    a record far larger than any reading's (not read at all). A record that is a link is
    refused (StudykitError)."""
    refuse_link(path)
    try:
        size = path.stat().st_size
        if size > MAX_RECORD_BYTES:
            # Read, a record of hundreds of megabytes took gigabytes of memory: it is no record
            # studykit wrote for a reading (whose notes files hold at most 1 MB each).
            why = (
                f"it is {size >> 20:,} MB, more than the {MAX_RECORD_BYTES >> 20} MB a record holds"
            )
            return Record(path, {}, ((0, why),), exists=True)
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return Record(path, {})
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        return Record(path, {}, ((0, f"the file cannot be read ({reason})"),), exists=True)
    guids: dict[str, str] = {}
    damaged: list[tuple[int, str]] = []
    first_line: dict[str, int] = {}
    ambiguous: set[str] = set()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith(_CONFLICT):
            damaged.append((number, "an unresolved merge conflict marker"))
            continue
        match = _LINE.fullmatch(line.rstrip("\r"))
        if match is None:
            damaged.append((number, "a line that is not `section/kind/key<TAB>GUID`"))
            continue
        key, guid = match.groups()
        if key in guids and guids[key] != guid:
            # Two branches gave one item different notes: neither can be trusted over the other.
            damaged.append((number, f"a second note for the item on line {first_line[key]}"))
            ambiguous.add(key)
            continue
        guids[key] = guid
        first_line.setdefault(key, number)
    for key in ambiguous:
        del guids[key]
    return Record(path, guids, tuple(damaged), exists=True, lines=first_line)


def refuse_link(path: Path) -> None:
    """Refuse a record that is a symbolic link, wherever it leads. Read, a foreign file of `#`
    lines would pass for an empty record; written, it would be replaced. The record is
    committed with the notes, and git carries a link as a link: shared notes could point it
    at any file of the student's."""
    if path.is_symlink():
        raise StudykitError(
            "the identity record is a link; studykit keeps it as a plain file in the "
            "reading's folder",
            path,
        )
    if path.exists() and not path.is_file() and not path.is_dir():
        # A FIFO would hang the read, a device never ends (a folder fails to read, and the
        # reading's error names the notes it may hold).
        raise StudykitError(
            "the identity record is not a plain file; studykit keeps it as one in the "
            "reading's folder: remove what is there",
            path,
        )


def resolve(
    reading: Reading,
    notes: list[StudyNote],
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
    older = {k.split("/", 1)[1]: guid for k, guid in (previous or {}).items()}
    # Where the record is damaged, an older source must not silently settle what it meant.
    known = dict(record.guids) if record.damaged else {**older, **record.guids}
    current = {note.local_identity for note in notes}
    orphans: dict[str, list[str]] = {}  # section/kind/ -> text identities no item has now
    for local in known:
        head, _, key = local.rpartition("/")
        if local not in current and key.startswith("text:"):
            orphans.setdefault(head, []).append(local)
    guids: dict[str, str] = {}
    inherited: set[str] = set()
    unsure: list[StudyNote] = []
    for note in notes:
        local = note.local_identity
        guid = known.get(local)
        if guid is None and record.damaged:
            unsure.append(note)  # its line may be the damaged one: guessing could lose it
        elif guid is None and note.has_id:
            text_local = note.text_identity.split("/", 1)[1]
            gone = orphans.get(text_local.rpartition("/")[0], [])
            if text_local in current:
                pass  # another item still has this text: it keeps its note
            elif text_local in known:
                guid = known[text_local]
            elif len(gone) == 1:
                text_local = gone[0]
                guid = known[text_local]
            if guid is not None:
                if text_local in inherited:
                    guid = None  # one item inherits a note, not two
                inherited.add(text_local)
        guids[note.identity] = guid or guid_for(note.identity)
    if unsure:
        raise _damage_error(record, unsure)
    _refuse_shared_guids(reading, notes, guids, record)
    held = {note.local_identity: guids[note.identity] for note in notes}
    located = {note.local_identity: (note.section.path, note.line) for note in notes}
    copied = copied_guids(reading, record, held, located)
    if copied:
        raise NotesError(copied)
    lines = sorted(f"{note.local_identity}\t{guids[note.identity]}" for note in notes)
    recorded = sum(1 for note in notes if note.local_identity in record.guids)
    return Identities(guids, record, HEADER + "".join(line + "\n" for line in lines), recorded)


def _damage_error(record: Record, unsure: list[StudyNote]) -> NotesError:
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
    reading: Reading, notes: list[StudyNote], guids: dict[str, str], record: Record
) -> None:
    """Two items with one GUID would be one note in Anki: refuse rather than merge them,
    at the record's last line that gives that GUID."""
    seen: dict[str, StudyNote] = {}
    for note in notes:
        guid = guids[note.identity]
        other = seen.setdefault(guid, note)
        if other is not note:
            lines = sorted(record.lines[key] for key, g in record.guids.items() if g == guid)
            both = f"{note.local_identity!r} and {other.local_identity!r} have the same note"
            if len(lines) != 1:
                on = f", on lines {lines[-2]} and {lines[-1]}" if lines else ""
                message = f"{both} ({guid}) in the identity record{on}; delete one of the two lines"
            else:
                # One line gives it; the other item, with no line, derives the same GUID: the
                # text an item had before it was given an `id:`, written again as a new item.
                recorded = record.guids.get(note.local_identity) == guid
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
    where an item's note may be, two items given one note. Without a record nothing is
    refused (every GUID derives from a distinct identity), and nothing is derived."""
    path = record_path(reading)
    try:
        refuse_link(path)
        if not path.exists():
            return _derived_clashes(reading, Record(path, {}))
        record = read_record(path)
        if record.damaged or not _settled(reading, record):
            resolve(reading, derive_notes(reading))
        else:
            # Settled: the record is what deck would use, so its lines are what to compare.
            return copied_guids(reading, record, record.guids, {}, listing=True)
    except StudykitError as exc:
        return exc.problems()
    return []


def _derived_clashes(reading: Reading, record: Record) -> list[Problem]:
    """What deck would refuse in a reading with no record: an item's GUID, derived from this
    reading's name, that another reading's record holds (one renamed from this name)."""
    if not _other_records(reading):
        return []  # the common case, with nothing to derive
    held: dict[str, str] = {}
    located: dict[str, tuple[Path, int]] = {}
    for section in reading.sections:
        for kind, items in _kinds(section):
            for item in items:
                key = f"{section.id}/{kind}/{item.key}"
                held[key] = guid_for(f"{reading.id}/{key}")
                located[key] = (section.path, item.line)
    return copied_guids(reading, record, held, located)


def _kinds(
    section: Section,
) -> tuple[tuple[Kind, tuple[Point, ...] | tuple[Term, ...] | tuple[Question, ...]], ...]:
    return (
        (Kind.CLOZE, section.cloze_points),
        (Kind.TERM, section.terms),
        (Kind.QUESTION, section.questions),
    )


def _settled(reading: Reading, record: Record) -> bool:
    """Whether the record gives every item of the reading a note of its own, as it does after
    a build: `resolve` then keeps those notes and refuses nothing, and the notes need not be
    derived (a fifth of what `check` spends on a large library)."""
    guids = record.guids
    seen: set[str] = set()
    for section in reading.sections:
        for kind, items in _kinds(section):
            for item in items:
                guid = guids.get(f"{section.id}/{kind}/{item.key}")
                if guid is None or guid in seen:
                    return False
                seen.add(guid)
    return True


def copied_guids(
    reading: Reading,
    record: Record,
    held: Mapping[str, str],
    located: Mapping[str, tuple[Path, int]],
    *,
    listing: bool = False,
) -> list[Problem]:
    """The GUIDs of this reading that another reading's record also holds, one problem each.

    A reading folder copied to start the next one carries its identity record along: both
    readings would then make the same Anki notes, and importing one deck would overwrite the
    other's notes (their review history going to the other text). `held` maps this reading's
    section/kind/key to its GUID; an item with no line in the record is located by `located`.

    `listing` (check over a notes folder, which reports every reading) leaves out a GUID this
    reading made itself from its own name when the other did not: the other reading reports it,
    so a clash is one line, on the copy.
    """
    others = _other_records(reading)
    if not others:
        return []
    problems: list[Problem] = []
    # Per other record: this record's line, the other's, and whether this reading or the other
    # made the GUID from its own name (the other record, or this one, is then the copy).
    clashes: dict[Path, list[tuple[int, int, bool, bool]]] = {}
    for key, guid in held.items():
        there = others.get(guid)
        if there is None:
            continue
        other_path, other_line = there
        line = record.lines.get(key) if record.guids.get(key) == guid else None
        if line is None:
            # No line of ours: the item derives the GUID from this reading's name, which a
            # reading renamed from it keeps in its record.
            where = located.get(key, (record.path, 0))
            fix = "change its `id:`" if "/id:" in key else "give it an `id:` or reword it"
            also = f"{display_path(other_path)} line {other_line}'s"
            message = (
                f"this item's note ({guid}) is also {also}: the two readings would be one set "
                f"of Anki notes; {fix}, or delete that line"
            )
            problems.append(Problem(where[0], where[1], 1, message))
            continue
        mine = guid == guid_for(f"{reading.id}/{key}")
        theirs = guid == guid_for(f"{other_path.parent.name}/{key}")
        clashes.setdefault(other_path, []).append(
            (line, other_line, mine and not theirs, theirs and not mine)
        )
    for other_path, found in clashes.items():
        problem = _copied_record(record, other_path, sorted(found), listing)
        if problem is not None:
            problems.append(problem)
    return sorted(problems, key=lambda p: (str(p.path), p.line))


def _copied_record(
    record: Record, other: Path, found: list[tuple[int, int, bool, bool]], listing: bool
) -> Problem | None:
    """One line for every GUID this record shares with the `other` reading's record, at the
    first. Which of the two is the copy shows in GUIDs one reading made from its own name (an
    item reworded since keeps its GUID, so some show nothing): the original's record is never
    the one to delete. `listing`: the copy alone reports it, when that is known."""
    ours = any(made_here for *_, made_here, _ in found)
    copy_here = any(made_there for *_, made_there in found)
    many = len(found) > 1
    lines = "lines" if many else "line"
    if ours and not copy_here:
        if listing:
            return None  # the other reading reports it
        advice = (
            f"delete {display_path(other)} (that reading's cards get new identities) or its {lines}"
        )
    elif copy_here and not ours:
        advice = f"delete {display_path(record.path)} (its cards get new identities) or the {lines}"
    else:
        advice = (
            "delete the record of the reading that was copied from the other (its cards get new "
            f"identities) or the {lines}"
        )
    line, other_line = found[0][:2]
    more = f" (and {len(found) - 1} more of this record's, to line {found[-1][0]})" if many else ""
    return Problem(
        record.path,
        line,
        1,
        f"this GUID is also {display_path(other)} line {other_line}'s{more}: a copied record "
        f"makes the two readings one set of Anki notes; {advice}",
    )


class _Others:
    """GUID -> (record, line) over the records of the other readings of the notes folder."""

    def __init__(self, index: dict[str, list[tuple[Path, Path, int]]], own: Path, any_other: bool):
        self.index, self.own, self.any_other = index, own, any_other

    def get(self, guid: str) -> tuple[Path, int] | None:
        for folder, path, line in self.index.get(guid, ()):
            if folder != self.own:
                return path, line
        return None

    def __bool__(self) -> bool:
        return self.any_other


def _other_records(reading: Reading) -> _Others:
    """The records of the other readings of the notes folder, by GUID. A record that is a
    link, damaged or unreadable is that reading's own problem: what reads of it is used, and
    nothing is refused on its account."""
    own = reading.folder.resolve()
    records = _records(reading.folder.parent)
    index = _records_index(reading.folder.parent.resolve(), records)
    return _Others(index, own, any(folder != own for folder, _, _ in records))


# The reading folders of a notes folder, resolved, once per version of its listing: resolved
# again for each reading, a library of n readings made n x n paths (800 readings: most of 21 s).
_FOLDERS: dict[Path, tuple[tuple[int, int, int], list[tuple[Path, str]]]] = {}


def _records(notes: Path) -> list[tuple[Path, Path, os.stat_result]]:
    """(folder resolved, record, its status) of each reading of the notes folder whose record
    is a regular file (not a link)."""
    try:
        where = notes.resolve()
        status = where.stat()
        listed = (status.st_dev, status.st_ino, status.st_mtime_ns)
        cached = _FOLDERS.get(where)
        if cached is None or cached[0] != listed:
            # A hidden folder is no reading: `ingest --force` sets the old notes, record and
            # all, aside in one, for a student to copy the record back from.
            folders = sorted(p for p in where.iterdir() if p.is_dir() and p.name[:1] != ".")
            cached = _FOLDERS[where] = (listed, [(f.resolve(), f.name) for f in folders])
    except OSError:
        return []
    found = []
    for folder, name in cached[1]:
        path = notes / name / RECORD_FILE  # as the student named the notes folder
        try:
            status = os.lstat(path)
        except OSError:
            continue
        if stat.S_ISREG(status.st_mode):
            found.append((folder, path, status))
    return found


# Every reading's record, by GUID, once per notes folder and version of its records: made for
# each reading from every other record, a library of n readings cost n x all its GUIDs.
_INDEXES: dict[Path, tuple[tuple[object, ...], dict[str, list[tuple[Path, Path, int]]]]] = {}


def _records_index(
    notes: Path, records: list[tuple[Path, Path, os.stat_result]]
) -> dict[str, list[tuple[Path, Path, int]]]:
    key = tuple((path, status.st_mtime_ns, status.st_size) for _, path, status in records)
    cached = _INDEXES.get(notes)
    if cached is not None and cached[0] == key:
        return cached[1]
    index: dict[str, list[tuple[Path, Path, int]]] = {}
    for folder, path, _ in records:
        for guid, line in _guid_lines(path).items():
            index.setdefault(guid, []).append((folder, path, line))
    _INDEXES[notes] = (key, index)
    return index


# Deck and check of a notes folder look at every other reading's record once per reading:
# parsed once per process, and again only when the file changes.
_GUID_LINES: dict[Path, tuple[tuple[int, int], dict[str, int]]] = {}


def _guid_lines(path: Path) -> dict[str, int]:
    """GUID -> its first line in a record; lines that do not read are left out."""
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        cached = _GUID_LINES.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return {}
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = _LINE.fullmatch(line.rstrip("\r")) if "\t" in line else None
        if match is not None:
            lines.setdefault(match.group(2), number)
    _GUID_LINES[path] = (stamp, lines)
    return lines
