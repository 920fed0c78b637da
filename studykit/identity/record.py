"""The identity record as a file, `identities.lock` in the reading's folder: its lines read and
written, its keys (a long one as its digest), and the sizes it may reach.
"""

from __future__ import annotations

import codecs
import hashlib
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from studykit.cards import Kind
from studykit.command import current
from studykit.errors import Problem, StudykitError
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
TEXT_KEY = re.compile(r"[^/]*/[^/]*/text[:#]")
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


def record_line(local: str, key: str, guid: str) -> str:
    """The record's line for an item (without its line break), given its `record_key`: a
    digest is followed by the first words of what it digests."""
    if key == local:
        return f"{local}\t{guid}"
    text = local.split("/", 2)[2].partition(":")[2]
    words = text[: _WORDS_SHOWN + 1].rpartition(" ")[0] or text[:_WORDS_SHOWN]
    return f"{key} {words}…\t{guid}"


def is_digest(key: str) -> bool:
    """Whether a key (as a line spells it) is a digest."""
    return _DIGEST_KEY.match(key) is not None


def read_key(key: str) -> str | None:
    """A line's key as the record is keyed (`record_key`): a digest without the words after
    it, a whole key digested when it is long (a record written before keys were). None for
    a digest that is not 32 hex digits."""
    if not is_digest(key):
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
    # The file's text as it was read (a BOM kept, lines ended by "\n"), to tell whether the
    # record to write differs from it without reading it again; None when it was not read.
    on_disk: str | None = None


def save_record(path: Path, text: str, force: bool = False) -> None:
    """Write a record's text (atomically) if it differs from the file's."""
    refuse_link(path)  # a link may have appeared since it was read
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except OSError:
        pass
    write_atomically(path, text, "the identity record", force=force)
    # The command's view of the notes folder's records reads this one again (`library` reads
    # records through this module: imported here, not at the top).
    from studykit.identity.library import record_written

    record_written(path)


def record_path(reading: Reading) -> Path:
    return reading.folder / RECORD_FILE


# One line per item of a reading, of at most a few hundred characters (MAX_KEY_CHARS): a record
# this large names some 100,000 items, far beyond any reading's notes. A reading whose record
# would be larger is refused (`oversized`), so that every record studykit writes it reads.
MAX_RECORD_BYTES = 32 << 20
# A record damaged on many lines (garbage, a binary file) is reported at its first lines.
MAX_DAMAGE_REPORTED = 20


_NOT_A_LINE = "a line that is not `section/kind/key<TAB>GUID`"


# Records read in the running command (`studykit.command`), by path, with the file's status: a
# build reads its reading's record when it checks it and when it settles the notes, and may
# read it ahead while the second process reads notes (`library.read_ahead`). Read again once
# changed.
_READ: dict[Path, tuple[tuple[int, ...], Record]] = {}


def read_record(path: Path) -> Record:
    """Read a record; a missing one is empty. Unreadable lines are kept aside as damage, as is
    a record far larger than any reading's (not read at all). A record that is a link is
    refused (StudykitError)."""
    refuse_link(path)
    run = current()
    if run is None:
        return _read_record(path)
    try:
        status = path.stat()
    except OSError:
        return _read_record(path)
    stamp = (run, status.st_mtime_ns, status.st_ctime_ns, status.st_size, status.st_ino)
    kept = _READ.get(path)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    if any(other[0][0] != run for other in _READ.values()):
        _READ.clear()  # an earlier command's (tests run many in one process)
    record = _read_record(path)
    _READ[path] = (stamp, record)
    return record


def _read_record(path: Path) -> Record:
    try:
        size = path.stat().st_size
        if size > MAX_RECORD_BYTES and size > (bound := largest_record(path.parent)):
            # Read, a record of hundreds of megabytes took gigabytes of memory: it is no record
            # studykit wrote for a reading (whose notes files hold at most 1 MB each).
            # Rounded up and down: a size just over the bound never reads as equal to it.
            why = f"it is {-(-size >> 20):,} MB, more than the {bound >> 20:,} MB a record holds"
            return Record(path, {}, ((0, why),), exists=True)
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except FileNotFoundError:
        return Record(path, {})
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        return Record(path, {}, ((0, f"the file cannot be read ({reason})"),), exists=True)
    if "\r" in text:  # as `read_text` reads it: universal newlines
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    on_disk = "\ufeff" + text if raw.startswith(codecs.BOM_UTF8) else text
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
            spelled, read = key, read_key(key)
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
    return Record(
        path, guids, tuple(damaged), exists=True, lines=first_line, whole=whole, on_disk=on_disk
    )


def largest_record(folder: Path) -> int:
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


def oversized(path: Path, items: int, text: str) -> Problem | None:
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


def held_size(path: Path, held: Mapping[str, str]) -> list[Problem]:
    """`oversized` for the record of the items `held` (section/kind/key -> GUID), worked out
    only when it may be over the bound: a digested line is shorter than its whole key."""
    if len(HEADER) + sum(len(k) + len(g) + 2 for k, g in held.items()) <= MAX_RECORD_BYTES // 4:
        return []
    lines = (record_line(local, record_key(local), guid) for local, guid in held.items())
    problem = oversized(path, len(held), HEADER + "".join(line + "\n" for line in lines))
    return [] if problem is None else [problem]


def derived_size(reading: Reading, path: Path) -> list[Problem]:
    """`held_size` for a reading without a record, whose every item derives its GUID. Its
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
        for kind, items in kinds(section)
        for item in items
    }
    return held_size(path, held)


# A GUID as `guid_for` makes it, for the size of a record's line.
_DERIVED_SHAPE = guid_for("")


def kinds(
    section: Section,
) -> tuple[tuple[Kind, tuple[Point, ...] | tuple[Term, ...] | tuple[Question, ...]], ...]:
    return (
        (Kind.CLOZE, section.cloze_points),
        (Kind.TERM, section.terms),
        (Kind.QUESTION, section.questions),
    )


# Records read by this process, by path, read again only when the file changes.
_GUID_LINES: dict[Path, tuple[tuple[int, int, int], dict[str, int]]] = {}


def guid_lines(path: Path, status: os.stat_result) -> dict[str, int]:
    """GUID -> its first line in a record; lines that do not read are left out."""
    stamp = (status.st_mtime_ns, status.st_size, status.st_ino)
    cached = _GUID_LINES.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    if status.st_size > MAX_RECORD_BYTES and status.st_size > largest_record(path.parent):
        return {}  # no record studykit wrote: its own reading refuses it unread
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return {}
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = _LINE.fullmatch(line.rstrip("\r")) if "\t" in line else None
        if match is not None and ("#" not in match[1] or read_key(match[1]) is not None):
            lines.setdefault(match[2], number)
    _GUID_LINES[path] = (stamp, lines)
    return lines
