"""The identity record: which note each item of a reading makes, kept beside the notes.

An item's note is named by a GUID. By default the GUID is a hash of the item's identity
(reading/section/kind/key), so the same notes give the same GUIDs on every machine. The record,
`identities.lock` in the reading's folder, keeps what cannot be derived again: the GUID an item
inherited from its text when it was given an `id:`, and the GUIDs of a reading whose folder was
renamed. It is committed with the notes like a lock file: one sorted line per item, so merging
two branches rarely conflicts and a conflict is easy to read. Anki decks and review state both
key on these GUIDs, so a record that is damaged where it matters stops the build rather than
silently starting a note (and its history) afresh.

A key longer than MAX_KEY_CHARS (a long point's whole text) is written as its digest and first
words (`text#` and 32 hex digits): a line then has a bounded length, and the record of any notes
that pass `check` is one studykit reads back. A line of the older form, with the whole text, is
read as the same item's and rewritten in the short one.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from studykit.cards import Kind, StudyNote, derive_notes
from studykit.command import current
from studykit.errors import NotesError, Problem, StudykitError, display_path
from studykit.files import write_atomically
from studykit.notes.model import Point, Question, Reading, Section, Term
from studykit.notes.strict_yaml import MAX_FILE_BYTES

RECORD_FILE = "identities.lock"
HEADER = (
    "# studykit identity record: the Anki note (GUID) each item of this reading makes.\n"
    "# Commit it with your notes; studykit deck keeps it up to date. One line per item:\n"
    "# section/kind/key, a tab, the GUID. An item keeps its cards and review history through\n"
    "# rewording only while its line is here.\n"
)
# section/kind/key, a tab, the GUID. The key is `text:` or `id:` and the whole of it, or `text#`
# or `id#`, a digest and (after a space, not read) the first words (`_DIGEST`). Nothing before
# the tab can be taken for the tab: a line of any length is matched in one pass.
_LINE = re.compile(r"([a-z0-9-]+/(?:question|term|cloze)/(?:id|text)[:#][^\t]*)\t(\S+)")
_DIGEST = re.compile(r"[a-z0-9-]+/[a-z]+/(?:id|text)#[0-9a-f]{32}(?= |$)")
_DIGEST_KEY = re.compile(r"[^/]*/[^/]*/(?:id|text)#")  # looks no further than the key's kind
_TEXT_KEY = re.compile(r"[^/]*/[^/]*/text[:#]")
_CONFLICT = ("<<<<<<<", "=======", ">>>>>>>", "|||||||")


def guid_for(identity: str) -> str:
    """The GUID an identity makes when nothing is recorded for it: the same on every machine."""
    return "sk" + hashlib.sha256(identity.encode("utf-8")).hexdigest()[:20]


# A key (`text:` and a whole point, say) longer than this is recorded as its digest: a record's
# line is then at most a few hundred characters whatever the notes hold. Written whole, a
# reading of long points (39 files of 100 points of 9,000 characters, each file within the
# notes limits) made a record larger than the MAX_RECORD_BYTES it then refused to read.
MAX_KEY_CHARS = 300
# The words a digest line shows after it, for whoever reads the record (a merge conflict).
_WORDS_SHOWN = 60


def record_key(local: str) -> str:
    """The record's key for an item's section/kind/key: the key itself, or for one longer than
    MAX_KEY_CHARS its kind (`text`, `id`), `#` and the first 32 hex digits of its SHA-256."""
    if len(local) <= MAX_KEY_CHARS:
        return local  # the common case, without splitting
    section, kind, key = local.split("/", 2)
    if len(key) <= MAX_KEY_CHARS:
        return local
    kind_of = key.partition(":")[0]
    return f"{section}/{kind}/{kind_of}#{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}"


def _line(local: str, key: str, guid: str) -> str:
    """The record's line for an item (without its line break), given its `record_key`: a
    digest is followed by the first words of what it digests."""
    if key == local:
        return f"{local}\t{guid}"
    text = local.split("/", 2)[2].partition(":")[2]
    words = text[: _WORDS_SHOWN + 1].rpartition(" ")[0] or text[:_WORDS_SHOWN]
    return f"{key} {words}…\t{guid}"


def _is_digest(key: str) -> bool:
    """Whether a key (as a line spells it) is a digest."""
    return _DIGEST_KEY.match(key) is not None


def _read_key(key: str) -> str | None:
    """A line's key as the record is keyed (`record_key`): a digest without the words after
    it, a whole key digested when it is long (a record written before keys were). None for
    a digest that is not 32 hex digits."""
    if not _is_digest(key):
        return record_key(key)
    match = _DIGEST.match(key)
    return None if match is None else match.group()


@dataclass(frozen=True)
class Record:
    """An identity record as read: section/kind/key -> GUID, and the lines that did not read."""

    path: Path
    guids: dict[str, str]
    damaged: tuple[tuple[int, str], ...] = ()  # (line number, why)
    exists: bool = False
    lines: dict[str, int] = field(default_factory=dict)  # section/kind/key -> its line
    # The whole key of a digest a line of the older form spelled out: what a GUID derived
    # from it is checked against (`_copied`).
    whole: dict[str, str] = field(default_factory=dict)


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
        save_record(self.record.path, self.text, force)

    @property
    def unsaved(self) -> tuple[Path, str] | None:
        """The record's path and text when they are yet to be written, for `save_record`."""
        return (self.record.path, self.text) if self.changed else None


def save_record(path: Path, text: str, force: bool = False) -> None:
    """Write a record's text (atomically) if it differs from the file's."""
    refuse_link(path)  # a link may have appeared since it was read
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except OSError:
        pass
    write_atomically(path, text, "the identity record", force=force)
    record_written(path)


def record_path(reading: Reading) -> Path:
    return reading.folder / RECORD_FILE


# One line per item of a reading, of at most a few hundred characters (MAX_KEY_CHARS): a record
# this large names some 100,000 items, far beyond any reading's notes. A reading whose record
# would be larger is refused (`_oversized`), so that every record studykit writes it reads.
MAX_RECORD_BYTES = 32 << 20
# A record damaged on many lines (garbage, a binary file) is reported at its first lines.
MAX_DAMAGE_REPORTED = 20


_NOT_A_LINE = "a line that is not `section/kind/key<TAB>GUID`"


def read_record(path: Path) -> Record:
    """Read a record; a missing one is empty. Unreadable lines are kept aside as damage, as is
    a record far larger than any reading's (not read at all). A record that is a link is
    refused (StudykitError)."""
    refuse_link(path)
    try:
        size = path.stat().st_size
        if size > MAX_RECORD_BYTES and size > (bound := _bound(path.parent)):
            # Read, a record of hundreds of megabytes took gigabytes of memory: it is no record
            # studykit wrote for a reading (whose notes files hold at most 1 MB each).
            # Rounded up and down: a size just over the bound never reads as equal to it.
            why = f"it is {-(-size >> 20):,} MB, more than the {bound >> 20:,} MB a record holds"
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
    whole: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith(_CONFLICT):
            damaged.append((number, "an unresolved merge conflict marker"))
            continue
        match = _LINE.fullmatch(line.rstrip("\r"))
        if match is None:
            damaged.append((number, _NOT_A_LINE))
            continue
        key, guid = match.groups()
        if len(key) > MAX_KEY_CHARS or "#" in key:  # most keys are neither: read as they are
            spelled, read = key, _read_key(key)
            if read is None:
                damaged.append((number, _NOT_A_LINE))
                continue
            key = read
            if not spelled.startswith(key):
                whole.setdefault(key, spelled)  # a long key written whole: now its digest's
        if key in guids and guids[key] != guid:
            # Two branches gave one item different notes: neither can be trusted over the other.
            damaged.append((number, f"a second note for the item on line {first_line[key]}"))
            ambiguous.add(key)
            continue
        guids[key] = guid
        first_line.setdefault(key, number)
    for key in ambiguous:
        del guids[key]
    return Record(path, guids, tuple(damaged), exists=True, lines=first_line, whole=whole)


def _bound(folder: Path) -> int:
    """The largest record read in a reading folder: MAX_RECORD_BYTES, or for a reading of more
    notes, twice what its notes files hold besides. Before long keys were digested, a record
    spelled out every item's text, and a large reading's could be over MAX_RECORD_BYTES:
    read, it is rewritten short. Anything larger is no record studykit wrote for these notes."""
    notes = 0
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith((".yaml", ".yml")) and entry.is_file(follow_symlinks=False):
                    notes += min(entry.stat(follow_symlinks=False).st_size, MAX_FILE_BYTES)
    except OSError:
        pass
    return MAX_RECORD_BYTES + 2 * notes


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
    older = {record_key(k.split("/", 1)[1]): guid for k, guid in (previous or {}).items()}
    # Where the record is damaged, an older source must not silently settle what it meant.
    known = dict(record.guids) if record.damaged else {**older, **record.guids}
    # Every key as the record has it (`record_key`), worked out once: a long one is digested.
    keys = [record_key(note.local_identity) for note in notes]
    current = set(keys)
    orphans: dict[str, list[str]] = {}  # section/kind -> text keys no item has now
    for key in known:
        if key not in current and _TEXT_KEY.match(key):
            orphans.setdefault(_head(key), []).append(key)
    guids: dict[str, str] = {}
    inherited: set[str] = set()
    unsure: list[StudyNote] = []
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
        _line(note.local_identity, key, guids[note.identity])
        for note, key in zip(notes, keys, strict=True)
    )
    text = HEADER + "".join(line + "\n" for line in lines)
    oversized = _oversized(record.path, len(notes), text)
    if oversized is not None:
        raise StudykitError(oversized.message, oversized.path)
    recorded = sum(1 for key in keys if key in record.guids)
    return Identities(guids, record, text, recorded)


def _head(key: str) -> str:
    """A key's section/kind."""
    return key[: key.index("/", key.index("/") + 1)]


def _oversized(path: Path, items: int, text: str) -> Problem | None:
    """The refusal of a record `text` over MAX_RECORD_BYTES, which `read_record` would refuse
    when it is read back: `check`, `deck` and `review` refuse the reading instead. A record
    this large names more items than one reading of notes makes sense to hold."""
    if len(text) <= MAX_RECORD_BYTES // 4:  # a character is at most 4 bytes
        return None
    size = len(text.encode("utf-8"))
    if size <= MAX_RECORD_BYTES:
        return None
    return Problem(
        path,
        0,
        0,
        f"the identity record of this reading's {items:,} items would be "
        f"{math.ceil(size * 10 / (1 << 20)) / 10:,.1f} MB, more than the "
        f"{MAX_RECORD_BYTES / (1 << 20):g} MB a record holds: split the reading into two "
        "reading folders",
    )


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
    notes: list[StudyNote], keys: list[str], guids: dict[str, str], record: Record
) -> None:
    """Two items with one GUID would be one note in Anki: refuse rather than merge them,
    at the record's last line that gives that GUID. `keys` are the notes' `record_key`s."""
    seen: dict[str, StudyNote] = {}
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
            return _derived_clashes(reading, Record(path, {})) + _derived_size(reading, path)
        record = read_record(path)
        held = None if record.damaged else _settled(reading, record)
        if held is None:
            resolve(reading, derive_notes(reading))
        else:
            # Settled: the record's lines for the items are what deck would use, so they are
            # what to compare (not its lines for items gone since, which deck drops).
            oversized = _held_size(path, held)
            return copied_guids(reading, record, held, {}) + oversized
    except StudykitError as exc:
        return exc.problems()
    return []


def _held_size(path: Path, held: Mapping[str, str]) -> list[Problem]:
    """`_oversized` for the record of the items `held` (section/kind/key -> GUID), worked out
    only when it may be over the bound: a digested line is shorter than its whole key."""
    if len(HEADER) + sum(len(k) + len(g) + 2 for k, g in held.items()) <= MAX_RECORD_BYTES // 4:
        return []
    lines = (_line(local, record_key(local), guid) for local, guid in held.items())
    problem = _oversized(path, len(held), HEADER + "".join(line + "\n" for line in lines))
    return [] if problem is None else [problem]


def _derived_size(reading: Reading, path: Path) -> list[Problem]:
    """`_held_size` for a reading without a record, whose every item derives its GUID. Its
    keys are worked out only when the items' text could make a record over the bound (an
    item's key is no longer than `text:` or `id:` and its text or id)."""
    chars = len(HEADER)
    for section in reading.sections:
        points, terms, questions = section.cloze_points, section.terms, section.questions
        items = len(points) + len(terms) + len(questions)
        chars += items * (len(section.id) + len("question") + 2 + 5 + len(_DERIVED_SHAPE) + 2)
        chars += sum(len(p.id or p.text) for p in points) + sum(len(t.id or t.term) for t in terms)
        chars += sum(len(q.id or q.q) for q in questions)
    if chars <= MAX_RECORD_BYTES // 4:
        return []
    held = {
        f"{section.id}/{kind}/{item.key}": _DERIVED_SHAPE
        for section in reading.sections
        for kind, items in _kinds(section)
        for item in items
    }
    return _held_size(path, held)


# A GUID as `guid_for` makes it, for the size of a record's line.
_DERIVED_SHAPE = guid_for("")


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


def _settled(reading: Reading, record: Record) -> dict[str, str] | None:
    """The record's GUID for each item of the reading (section/kind/key -> GUID) when it gives
    every item a note of its own, as it does after a build: `resolve` then keeps those notes
    and refuses nothing, and the notes need not be derived (a fifth of what `check` spends on a
    large library). None when it does not."""
    guids = record.guids
    held: dict[str, str] = {}
    seen: set[str] = set()
    for section in reading.sections:
        for kind, items in _kinds(section):
            for item in items:
                key = f"{section.id}/{kind}/{item.key}"
                guid = guids.get(record_key(key))
                if guid is None or guid in seen:
                    return None
                seen.add(guid)
                held[key] = guid
    return held


def copied_guids(
    reading: Reading,
    record: Record,
    held: Mapping[str, str],
    located: Mapping[str, tuple[Path, int]],
) -> list[Problem]:
    """The GUIDs of this reading that another reading's record also holds: one problem for
    each other record, or one for each item that has no line in this record.

    A reading folder copied to start the next one carries its identity record along: both
    readings would then make the same Anki notes, and importing one deck would overwrite the
    other's notes (their review history going to the other text). `held` maps this reading's
    section/kind/key to its GUID (its items' notes, not the lines of items gone since); an item
    whose GUID no line of the record gives is located by `located`.

    Only the copy is refused: when this reading's record shows it is the original (`_copied`),
    the copy reports the clash when it builds or is checked, and this reading is built and
    reviewed as if there were no copy. A copy whose items were all rewritten holds none of the
    original's notes: neither reading is refused, and its next build drops the old lines.
    """
    others = _other_records(reading)
    if not others:
        return []
    problems: list[Problem] = []
    # The line of this record that gives each GUID: an item that inherited the note of a
    # line under its old text (when given an `id:`) is that line's.
    at_line: dict[str, int] = {}
    for key, guid in record.guids.items():
        line = record.lines[key]
        if guid not in at_line or line < at_line[guid]:
            at_line[guid] = line
    clashes: dict[Path, list[tuple[int, int]]] = {}  # other record -> (this line, its line)
    for key, guid in held.items():
        there = others.get(guid)
        if there is None:
            continue
        other_path, other_line = there
        ours = at_line.get(guid)
        if ours is None:
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
        clashes.setdefault(other_path, []).append((ours, other_line))
    for other_path, found in clashes.items():
        problem = _copied_record(reading, record, other_path, others.lines(other_path), found)
        if problem is not None:
            problems.append(problem)
    return sorted(problems, key=lambda p: (str(p.path), p.line))


def _copied(reading: Reading, record: Record, other: Path, theirs: Mapping[str, int]) -> str:
    """Which of two records sharing GUIDs is the copy: "other", "this" or "" (not known).

    GUIDs a reading made from its own name tell: every line of this record is looked at, the
    lines of items gone since too (a copy whose items were reworded keeps the original's lines
    until it is built), while an item reworded before the copy keeps a GUID made from neither
    name. The original's record is never the one to delete."""
    name = other.parent.name
    mine = copy = False
    whole: dict[str, str] | None = None
    for key, guid in record.guids.items():
        if guid in theirs:
            if _is_digest(key):
                # A digest: a GUID derives from the whole key, which an item of the reading
                # or a line of the older form spells out. An item gone since, recorded as a
                # digest, cannot tell.
                whole = _whole_keys(reading, record) if whole is None else whole
                if key not in whole:
                    continue
                key = whole[key]
            made_here = guid == guid_for(f"{reading.id}/{key}")
            made_there = guid == guid_for(f"{name}/{key}")
            mine = mine or (made_here and not made_there)
            copy = copy or (made_there and not made_here)
    if mine == copy:
        return ""
    return "other" if mine else "this"


def _whole_keys(reading: Reading, record: Record) -> dict[str, str]:
    """The whole section/kind/key of each digest the reading's items or the record's lines of
    the older form spell out."""
    whole = dict(record.whole)
    for section in reading.sections:
        for kind, items in _kinds(section):
            for item in items:
                if len(item.key) > MAX_KEY_CHARS:
                    local = f"{section.id}/{kind}/{item.key}"
                    whole[record_key(local)] = local
    return whole


def _copied_record(
    reading: Reading,
    record: Record,
    other: Path,
    theirs: Mapping[str, int],
    found: list[tuple[int, int]],
) -> Problem | None:
    """One line for every GUID this reading's items share with the `other` reading's record,
    at the first; None when the other record is the copy (it is refused, not this one)."""
    copy = _copied(reading, record, other, theirs)
    if copy == "other":
        return None
    found = sorted(found)
    many = len(found) > 1
    lines = "lines" if many else "line"
    if copy == "this":
        advice = f"delete {display_path(record.path)} (its cards get new identities) or the {lines}"
    else:
        advice = (
            "delete the record of the reading that was copied from the other (its cards get new "
            f"identities) or the {lines}"
        )
    line, other_line = found[0]
    more = f" (and {len(found) - 1} more of this record's, to line {found[-1][0]})" if many else ""
    return Problem(
        record.path,
        line,
        1,
        f"this GUID is also {display_path(other)} line {other_line}'s{more}: a copied record "
        f"makes the two readings one set of Anki notes; {advice}",
    )


class _Library:
    """The identity records of a notes folder's readings, as a command sees them: each
    reading folder, and for each record that is a regular file (not a link) its GUIDs and
    their first lines, indexed by GUID. A record that is a link, damaged or unreadable is that
    reading's own problem: what reads of it is used, and nothing is refused on its account."""

    def __init__(self, folders: list[tuple[Path, Path]]) -> None:
        # Each reading folder (resolved) and its record (as the notes folder was named).
        self.record = dict(folders)
        self.owner = {path: folder for folder, path in folders}
        self.lines: dict[Path, dict[str, int]] = {}  # record -> GUID -> its first line
        self.index: dict[str, list[Path]] = {}  # GUID -> the records that hold it

    def add(self, path: Path, lines: dict[str, int]) -> None:
        self.lines[path] = lines
        for guid in lines:
            self.index.setdefault(guid, []).append(path)

    def drop(self, path: Path) -> None:
        for guid in self.lines.pop(path, {}):
            holders = self.index[guid]
            holders.remove(path)
            if not holders:
                del self.index[guid]

    def others(self, folder: Path) -> _Others:
        return _Others(self, folder)


class _Others:
    """The records of the readings other than `own`'s, by GUID."""

    def __init__(self, library: _Library, own: Path) -> None:
        self.library, self.own = library, own

    def get(self, guid: str) -> tuple[Path, int] | None:
        library = self.library
        for path in library.index.get(guid, ()):
            if library.owner[path] != self.own:
                return path, library.lines[path][guid]
        return None

    def lines(self, path: Path) -> dict[str, int]:
        return self.library.lines[path]

    def __bool__(self) -> bool:
        library = self.library
        return len(library.lines) > (library.record.get(self.own) in library.lines)


def _other_records(reading: Reading) -> _Others:
    """The records of the other readings of the reading's notes folder, by GUID."""
    return _library(reading.folder.parent).others(reading.folder.resolve())


# The running command's libraries (`studykit.command`): each notes folder's reading folders
# listed, their records looked at and read once per command, however many readings compare
# themselves with them. Looked at again for each reading, a library of n readings made n x n
# system calls (check of 300 readings: 1.5 s). A record the command writes is read again
# (`record_written`); one another program changes while the command runs is seen by the next.
_RUN: tuple[int, dict[Path, _Library]] | None = None


def _library(notes: Path) -> _Library:
    global _RUN
    run = current()
    if run is None:
        return _look(notes)
    if _RUN is None or _RUN[0] != run:
        _RUN = (run, {})
    where = _resolved(notes)
    library = _RUN[1].get(where)
    if library is None:
        library = _RUN[1][where] = _look(notes)
    return library


def record_written(path: Path) -> None:
    """Read the record at `path` again for the rest of the command: studykit has written it
    (or put back what it held, or removed it)."""
    if _RUN is None or _RUN[0] != current():
        return
    folder = _resolved(path.parent)
    library = _RUN[1].get(folder.parent)
    if library is None or folder not in library.record:
        return
    _LOOKED.pop(folder.parent, None)  # the library, changed, no longer shows those records
    path = library.record[folder]
    library.drop(path)
    try:
        status = os.lstat(path)
    except OSError:
        return
    if stat.S_ISREG(status.st_mode):
        library.add(path, _guid_lines(path, status))


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


# The reading folders of a notes folder, resolved, once per version of its listing: resolved
# again for each reading, a library of n readings made n x n paths (800 readings: most of 21 s).
_FOLDERS: dict[Path, tuple[tuple[int, int, int], list[tuple[Path, str]]]] = {}


def _folders(notes: Path) -> tuple[tuple[int, int, int], list[tuple[Path, str]]]:
    """The notes folder's listing, by its status: (folder resolved, its name) of each
    reading."""
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
        return (0, 0, 0), []
    return cached


# Each notes folder's library, by the status of its records: looked at outside a command (or
# in a new one), records unchanged since are not read or indexed again.
_LOOKED: dict[Path, tuple[tuple[object, ...], _Library]] = {}


def _look(notes: Path) -> _Library:
    """The notes folder's reading folders and records, as they are now."""
    listed, names = _folders(notes)
    # Each record as the student named the notes folder, as errors name it.
    folders = [(folder, notes / name / RECORD_FILE) for folder, name in names]
    found: list[tuple[Path, os.stat_result]] = []
    for _, path in folders:
        try:
            status = os.lstat(path)
        except OSError:
            continue
        if stat.S_ISREG(status.st_mode):
            found.append((path, status))
    key = (listed, *((path, s.st_mtime_ns, s.st_size, s.st_ino) for path, s in found))
    where = _resolved(notes)
    cached = _LOOKED.get(where)
    if cached is not None and cached[0] == key:
        return cached[1]
    library = _Library(folders)
    for path, status in found:
        library.add(path, _guid_lines(path, status))
    if len(_LOOKED) >= 16:
        _LOOKED.clear()  # a process that looks at many notes folders (tests) keeps a few
    _LOOKED[where] = (key, library)
    return library


# Records read by this process, by path, read again only when the file changes.
_GUID_LINES: dict[Path, tuple[tuple[int, int, int], dict[str, int]]] = {}


def _guid_lines(path: Path, status: os.stat_result) -> dict[str, int]:
    """GUID -> its first line in a record; lines that do not read are left out."""
    stamp = (status.st_mtime_ns, status.st_size, status.st_ino)
    cached = _GUID_LINES.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    if status.st_size > MAX_RECORD_BYTES and status.st_size > _bound(path.parent):
        return {}  # no record studykit wrote: its own reading refuses it unread
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return {}
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = _LINE.fullmatch(line.rstrip("\r")) if "\t" in line else None
        if match is not None and ("#" not in match[1] or _read_key(match[1]) is not None):
            lines.setdefault(match[2], number)
    _GUID_LINES[path] = (stamp, lines)
    return lines
