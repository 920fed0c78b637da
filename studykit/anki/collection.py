"""Reading a student's Anki collection offline: the cards of studykit's notes, their review log
and the presets they are in, from a `.colpkg` backup, an `.apkg` exported with scheduling, or a
closed `collection.anki2`.

Why it is built this way:
- The student's file is never opened in place. A package is checked member by member before
  anything is unpacked (no absolute names, none that climb out with `..`, only the members an
  Anki package has, each unpacked under a bound on its size that is read, not trusted from the
  zip's header; a zstd-compressed collection is inflated under the same bound before Anki
  sees it), and only its collection is packed again, without media, into a scratch
  folder, where Anki's own restore reads it. A `collection.anki2` is copied there first. The
  scratch folder is removed afterwards, whatever happens.
- Anki writes to a collection as it opens it (restore, schema upgrade): SQL stored in the file
  would run then. The scratch copy's triggers and views are dropped first, other SQL that
  computes as rows are written is refused (`_defuse`), and Anki's writes are held to the
  package's bound per file while it runs (`_bounded_writes`).
- A `collection.anki2` that Anki has open holds a lock on it, and its write-ahead log may hold
  changes the file does not have yet: both are looked for, and refused in one line.
- An `.apkg` is a collection file too: restored like a backup, it holds its cards with their
  scheduling and log when it was exported with them (and none otherwise).
- The scratch copy is then read with SQLite alone when it is of Anki's current schema and
  timing (`tables`: opening it with the `anki` package costs more than the rest of a pull);
  the `anki` package opens any other, as it restores every package.
- The `anki` package is imported here only, by `studykit pull`: `studykit --help` and every
  other command stay without it.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import shutil
import sqlite3
import struct
import sys
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Set
from collections.abc import Collection as Some
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from studykit.anki.tables import (
    CARDS,
    REVLOG,
    Fetched,
    Tables,
    Unreadable,
    fetch_tables,
    read_tables,
    tables_of,
)
from studykit.errors import StudykitError
from studykit.files import clear_abandoned
from studykit.review.scheduler import MAXIMUM_INTERVAL, PARAMETERS, review_date

SQLITE_MAGIC = b"SQLite format 3\x00"
SCRATCH_PREFIX = "studykit-pull-"
ANKI_INT = 2**31 - 1  # the largest number a 32-bit column of Anki's holds
_STUDYKIT_GUID = re.compile(r"sk[0-9a-f]{20}")  # `identity.guid_for`'s shape
ZIP_MAGIC = b"PK\x03\x04"
# Package format versions Anki writes in a package's `meta`: 1 and 2 legacy, 3 current.
LATEST_PACKAGE = 3
COLLECTION_MEMBERS = {1: "collection.anki2", 2: "collection.anki21", 3: "collection.anki21b"}
# Collection schema versions (`col.ver`) the anki package opens: 11 (Anki 2.1) to 18.
SCHEMA_VERSIONS = range(11, 19)
# The collection is packed again for Anki's restore as a package of version 2 (a plain SQLite
# file, an empty media list in JSON): it was inflated and checked here (`_defuse`) first.
REPACKED = COLLECTION_MEMBERS[2]
# A member may unpack to at most this many times the package's size, and never beyond the cap:
# Anki's collection members are stored, not compressed, so a real one stays near 1x.
MAX_RATIO = 100
MAX_MEMBER = 4 << 30
# FSRS-6's bounds on each parameter, as the fsrs crate clips them when it optimises (memory
# state bounds 0.001 to 100 for the first stabilities, difficulty 1 to 10): a preset outside
# them was not written by Anki's optimiser, and its formulas may divide by zero or overflow.
PARAMETER_BOUNDS = (
    (0.001, 100.0), (0.001, 100.0), (0.001, 100.0), (0.001, 100.0), (1.0, 10.0),
    (0.001, 4.0), (0.001, 4.0), (0.001, 0.75), (0.0, 4.5), (0.0, 0.8), (0.001, 3.5),
    (0.001, 5.0), (0.001, 0.25), (0.001, 0.9), (0.0, 4.0), (0.0, 1.0), (1.0, 6.0),
    (0.0, 2.0), (0.0, 2.0), (0.0, 0.8), (0.1, 0.8),
)  # fmt: skip
# The last moment a review log entry may name (the end of 9999, less a day for time zones):
# Python's dates end with that year.
LAST_MS = 253_402_214_400_000 - 86_400_000
# A log entry's intervals are bounded (`_gather`) to at most the maximum interval either way
# (negative: a learning step's seconds), within Anki's 32-bit columns.
LOW_INTERVAL = max(-MAXIMUM_INTERVAL * 86_400, -ANKI_INT)
# The values Anki's own schema reads (rslib's CardType, CardQueue, RevlogReviewKind) and the
# buttons it logs (0: a manual entry): anything else was written by hand or another program.
CARD_TYPES = frozenset(range(4))
CARD_QUEUES = frozenset(range(-3, 5))
REVLOG_TYPES = frozenset(range(6))
REVLOG_BUTTONS = frozenset(range(5))
# The columns Anki keeps as whole numbers, as a student's Anki names them (its browser's and
# card info's words), of a card and of a log entry read here.
CARD_NUMBERS = ("card number", "due", "original due", "interval", "steps left", "reviews", "lapses")
REVLOG_NUMBERS = ("interval", "last interval", "time")
# Whether any entry of the collection's log has a value `_gather` refuses or bounds (any card's:
# SQLite tells in one pass, and a collection as Anki writes it has none); `IS NOT 1` counts a
# NULL as odd, as Python's checks find it. Its types and buttons are compared as numbers, as
# `in` compares them.
ODD_REVLOG = (
    "SELECT EXISTS (SELECT 1 FROM revlog WHERE ("
    f"id BETWEEN 0 AND {LAST_MS} AND type IN (0, 1, 2, 3, 4, 5) AND ease IN (0, 1, 2, 3, 4) "
    "AND typeof(ivl) = 'integer' AND typeof(lastIvl) = 'integer' "
    "AND typeof(time) = 'integer' "
    f"AND ivl BETWEEN {LOW_INTERVAL} AND {MAXIMUM_INTERVAL} "
    f"AND lastIvl BETWEEN {LOW_INTERVAL} AND {MAXIMUM_INTERVAL} "
    f"AND typeof(factor) = 'integer' AND factor BETWEEN 0 AND {ANKI_INT}) IS NOT 1)"
)
HINT = "close Anki or use File > Create Backup and pull the backup"
NOT_A_COLLECTION = (
    "not an Anki collection: pull a .colpkg backup, an .apkg exported with "
    "scheduling, or a closed collection.anki2"
)


class AnkiCard(NamedTuple):
    """One card of a studykit note as the collection holds it."""

    guid: str
    number: int  # Anki's card ord
    kind: int  # card type: 0 new, 1 learning, 2 review, 3 relearning
    queue: int  # -1 suspended, -2/-3 buried, 0 new, 1/3 learning, 2 review
    due: datetime | None  # when it is due, in the student's zone (None: new)
    interval: int  # days
    left: int  # learning steps left (Anki's `left`, modulo 1000)
    reps: int
    lapses: int
    stability: float | None
    difficulty: float | None
    preset: str  # the name of its deck's preset (its home deck's, in a filtered deck)


class Entry(NamedTuple):
    """One row of Anki's review log, on a card of a studykit note."""

    id: int  # epoch milliseconds: the answer's identity
    key: tuple[str, int]  # (note GUID, card ord)
    button: int  # 1-4; 0 for a manual entry
    interval: int  # the new interval: days, or -seconds for a learning step
    last_interval: int
    factor: int  # ease factor; 0 for a reset (manual) and for cramming (filtered)
    taken_ms: int
    kind: int  # 0 learning, 1 review, 2 relearning, 3 filtered, 4 manual, 5 rescheduled


@dataclass(frozen=True)
class Preset:
    """An Anki deck-options preset: the FSRS parameters and desired retention it schedules with."""

    name: str
    parameters: tuple[float, ...]
    retention: float
    own: bool  # parameters of its own (optimised), not FSRS's defaults
    unusable: str | None = None  # why its own settings were set aside for FSRS's defaults


@dataclass(frozen=True)
class Collected:
    """What a pull reads from a collection: studykit's cards, their log, their presets, and how
    many notes there were not studykit's."""

    cards: dict[tuple[str, int], AnkiCard]
    log: list[Entry]  # oldest first
    presets: dict[str, Preset]
    foreign_notes: int  # notes not of these notes (`former_notes` among them)
    former_notes: int = 0  # notes studykit made of items the notes no longer have


def read_collection(
    path: Path, guids: Some[str], zone: Any, now: datetime | None = None
) -> Collected:
    """Read the cards of the notes named by `guids` from the Anki file at `path`, with their
    review log; due dates in `zone`, Anki's day numbers read as Anki reads them at `now` (the
    student's time, which STUDYKIT_NOW may set; the system clock when not given). Raise
    StudykitError (one line) for a file that is not an Anki collection, one open in Anki, or
    one of a format this anki package cannot read."""
    with opened_collection(path, zone, now, early=False) as read:
        return read(guids)


@contextlib.contextmanager
def opened_collection(
    path: Path, zone: Any, now: datetime | None = None, early: bool = True
) -> Iterator[Reader]:
    """The Anki file at `path` checked and copied (or restored) into a scratch folder, and
    with `early` its rows read: a pull keys its notes meanwhile. What it yields reads the
    cards of the notes named by the GUIDs it is given, as `read_collection` does, while the
    scratch folder lasts (it is removed on leaving). Raise as `read_collection` does."""
    head = _head(path)
    now = now or datetime.now(zone)
    with _scratch() as folder:
        if head.startswith(ZIP_MAGIC):
            collection, bound = _restore(path, folder)
        elif head.startswith(SQLITE_MAGIC):
            collection = _copy_closed(path, folder)
            _defuse(collection, path)
            bound = _bound(collection.stat().st_size)
        else:
            raise StudykitError(NOT_A_COLLECTION, path)
        fetched = _fetch(collection, path, now) if early else None
        yield Reader(collection, path, zone, now, fetched, bound)


class Reader:
    """A collection copied into a scratch folder, its rows fetched (`opened_collection`):
    called with the GUIDs of studykit's notes, it reads their cards, as `read_collection`
    does."""

    def __init__(
        self,
        collection: Path,
        path: Path,
        zone: Any,
        now: datetime,
        fetched: tuple[Fetched | None, bool] | None,
        bound: int,
    ) -> None:
        self.collection, self.path, self.zone, self.now = collection, path, zone, now
        self.fetched, self.bound = fetched, bound
        self.early: Collected | None = None
        self.shaped: set[str] = set()

    def __call__(self, guids: Some[str]) -> Collected:
        wanted = set(guids)
        if self.early is not None:
            found = self._narrowed(wanted)
            if found is not None:
                return found
        return _read(
            self.collection, self.path, wanted, self.zone, self.now, self.bound, self.fetched
        )

    def gather_early(self) -> Collected | None:
        """The cards and log of every note whose GUID has the shape studykit gives (nearly
        always the notes studykit's notes name), gathered before the notes are known: a pull
        checks and keys them meanwhile, in its second process. None where that cannot be done
        as the notes' own reading would do it (a collection the `anki` package reads, one
        whose log needs checking entry by entry, a card of such a note that is refused): they
        are read once the notes are known."""
        if self.fetched is None or self.fetched[0] is None or not self.fetched[1]:
            return None
        rows = self.fetched[0]
        self.shaped = {guid for guid in rows.guids if _STUDYKIT_GUID.fullmatch(guid)}
        try:
            self.early = self._gathered(self.shaped)
        except StudykitError:  # raised, if it is one of the notes', once they are known
            self.early = None
        return self.early

    def _gathered(self, guids: set[str]) -> Collected | None:
        assert self.fetched is not None
        rows, plain = self.fetched
        assert rows is not None
        now = self.now if self.zone is None else self.now.astimezone(self.zone)
        tables = tables_of(rows, guids)
        if tables is None:
            return None
        return _gather_tables(tables, guids, now, self.path, plain)

    def _narrowed(self, guids: set[str]) -> Collected | None:
        """`self(guids)` from the early reading, when it holds every card of these notes;
        else None. Its cards and log are the same objects when they are all these notes'."""
        early = self.early
        assert early is not None and self.fetched is not None and self.fetched[0] is not None
        notes = self.fetched[0].guids
        if any(guid not in self.shaped for guid in guids):
            present = set(notes)
            if any(guid not in self.shaped and guid in present for guid in guids):
                return None  # a note of another shape: read with the notes known
        foreign = [guid for guid in notes if guid not in guids]
        former = sum(1 for guid in foreign if guid in self.shaped)
        if all(card.guid in guids for card in early.cards.values()):
            return Collected(early.cards, early.log, early.presets, len(foreign), former)
        cards = {key: card for key, card in early.cards.items() if card.guid in guids}
        log = [entry for entry in early.log if entry.key in cards]
        presets = {card.preset: early.presets[card.preset] for card in cards.values()}
        return Collected(cards, log, presets, len(foreign), former)


@contextlib.contextmanager
def _scratch() -> Iterator[Path]:
    """A scratch folder, removed afterwards, also when SIGTERM or SIGHUP (a closed terminal,
    `kill`, `timeout`) ends the program meanwhile: within, they unwind it as Ctrl-C does."""
    import signal

    def end(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    numbers = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    # Handlers can only be set in the main thread; a caller's thread keeps its own.
    main = threading.current_thread() is threading.main_thread()
    kept = {number: signal.signal(number, end) for number in numbers} if main else {}
    # Held back while the folder is made: one arriving after it exists but before the `with`
    # that removes it would leave it behind. Delivered inside the `with`.
    blocked = main and hasattr(signal, "pthread_sigmask")
    try:
        if blocked:
            signal.pthread_sigmask(signal.SIG_BLOCK, numbers)
        # Named by this process: one a killed pull left is removed by the next.
        clear_abandoned(Path(tempfile.gettempdir()), SCRATCH_PREFIX)
        with tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-") as made:
            if blocked:
                blocked = False
                signal.pthread_sigmask(signal.SIG_UNBLOCK, numbers)
            yield Path(made)
    finally:
        if blocked:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, numbers)
        for number, handler in kept.items():
            signal.signal(number, handler)


def _head(path: Path) -> bytes:
    try:
        if path.exists() and not path.is_file() and not path.is_dir():
            # A FIFO would block the read for good; a device is no collection either.
            raise StudykitError(
                "not a regular file (a pipe or a device): pull a .colpkg backup, an .apkg or "
                "a closed collection.anki2",
                path,
            )
        with path.open("rb") as file:
            return file.read(16)
    except FileNotFoundError:
        raise StudykitError("no such file", path) from None
    except IsADirectoryError:
        raise StudykitError(
            "a folder: pass the collection.anki2 inside it, or a .colpkg backup", path
        ) from None
    except OSError as exc:
        raise StudykitError(f"cannot read: {exc.strerror}", path) from exc


def _restore(path: Path, folder: Path) -> tuple[Path, int]:
    """Check the package, pack its collection again (alone, `_defuse`d) in `folder`, and
    restore it there with Anki's own restore; the restored collection's path, and the bound
    on what Anki may write in one file."""
    member, limit = _checked_collection(path, folder)
    _defuse(member, path)
    package = folder / "package.colpkg"
    with zipfile.ZipFile(package, "w", zipfile.ZIP_STORED) as out:
        out.write(member, REPACKED)
        out.writestr("media", b"{}")
    member.unlink()
    from anki._backend import RustBackend
    from anki.errors import AnkiException

    restored = folder / "collection.anki2"
    try:
        with _bounded_writes(limit, path):  # Anki's restore upgrades the collection
            RustBackend().import_collection_package(
                col_path=str(restored),
                backup_path=str(package),
                media_folder=str(folder / "media"),
                media_db=str(folder / "media.db"),
            )
    except AnkiException as exc:
        raise StudykitError(f"{NOT_A_COLLECTION} (Anki could not restore it: {exc})", path) from exc
    package.unlink()
    return restored, limit


def _checked_collection(path: Path, folder: Path) -> tuple[Path, int]:
    """The package's collection, unpacked (and inflated) into `folder` as a plain SQLite file
    after every member was checked, and the bound it was unpacked under."""
    try:
        size = path.stat().st_size
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise StudykitError(f"{NOT_A_COLLECTION} (a damaged or incomplete zip)", path) from None
    except OSError as exc:
        raise StudykitError(f"cannot read: {exc.strerror}", path) from exc
    limit = _bound(size)
    with archive:
        names = [info.filename for info in archive.infolist()]
        for name in names:
            _check_name(name, path)
        version = _version(archive, path, limit)
        wanted = COLLECTION_MEMBERS[version]
        if wanted not in names:
            raise StudykitError(f"{NOT_A_COLLECTION} (the package has no {wanted})", path)
        target = folder / "collection.member"
        _unpack(archive, wanted, target, limit, path)
    if version == LATEST_PACKAGE:
        # Compressed with zstd, which Anki's restore inflates without a bound: inflated here
        # first, under the zip members' bound, so a small package cannot fill the disk.
        inflated = folder / "collection.inflated"
        _inflate(target, inflated, wanted, limit, path)
        target.unlink()
        target = inflated
    return target, limit


def _bound(size: int) -> int:
    """What a file of `size` bytes may unpack to, and what Anki may write in one file while it
    opens the collection: 100 times its size and 1 MB, 4 GB at most (never less than twice the
    size of a collection.anki2 larger than that, which Anki may rewrite)."""
    return max(min(MAX_RATIO * size + (1 << 20), MAX_MEMBER), 2 * size)


def _check_name(name: str, path: Path) -> None:
    """Refuse a member named to land outside the folder it is unpacked in, or one no Anki
    package has (media files are numbered)."""
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or ".." in parts:
        raise StudykitError(
            f"refused: the package has a member named {name!r}, outside the package "
            "(Anki never writes one); nothing was unpacked",
            path,
        )
    if name not in {"meta", "media", *COLLECTION_MEMBERS.values()} and not name.isdigit():
        raise StudykitError(f"{NOT_A_COLLECTION} (it has a member {name!r})", path)


def _version(archive: zipfile.ZipFile, path: Path, limit: int) -> int:
    """The package's format version: its `meta`, else (older packages) its collection's name."""
    names = set(archive.namelist())
    if "meta" not in names:
        return 2 if COLLECTION_MEMBERS[2] in names else 1
    raw = _read_member(archive, "meta", min(limit, 1 << 16), path)
    from anki.import_export_pb2 import PackageMetadata

    try:
        version = PackageMetadata.FromString(raw).version
    except Exception:  # protobuf's DecodeError, whose module has no type hints
        raise StudykitError(f"{NOT_A_COLLECTION} (its meta cannot be read)", path) from None
    if version not in COLLECTION_MEMBERS:
        raise StudykitError(
            f"unsupported Anki package format version {version} (this studykit reads versions "
            f"1 to {LATEST_PACKAGE}): upgrade studykit's anki package, or export from Anki again "
            "with 'Support older Anki versions' ticked",
            path,
        )
    return int(version)


def _read_member(archive: zipfile.ZipFile, name: str, limit: int, path: Path) -> bytes:
    try:
        with archive.open(name) as source:
            data = source.read(limit + 1)
    except (zipfile.BadZipFile, EOFError, ValueError, zlib.error) as exc:
        raise StudykitError(f"{NOT_A_COLLECTION} (a damaged or incomplete zip)", path) from exc
    except (RuntimeError, NotImplementedError) as exc:
        raise _sealed(name, path) from exc
    if len(data) > limit:
        raise _too_large(name, limit, path)
    return data


def _unpack(archive: zipfile.ZipFile, name: str, target: Path, limit: int, path: Path) -> None:
    """Unpack one member, counting what it really unpacks to (a zip's header may lie)."""
    written = 0
    try:
        with archive.open(name) as source, target.open("wb") as out:
            while chunk := source.read(1 << 20):
                written += len(chunk)
                if written > limit:
                    raise _too_large(name, limit, path)
                out.write(chunk)
    except (zipfile.BadZipFile, EOFError, ValueError, zlib.error) as exc:
        raise StudykitError(f"{NOT_A_COLLECTION} (a damaged or incomplete zip)", path) from exc
    except (RuntimeError, NotImplementedError) as exc:
        raise _sealed(name, path) from exc
    except OSError as exc:
        raise StudykitError(f"cannot unpack: {exc.strerror}", path) from exc


def _sealed(name: str, path: Path) -> StudykitError:
    """An encrypted member, or one compressed in a way Python's zip reader does not know
    (implode, AES): Anki writes neither."""
    return StudykitError(
        f"{NOT_A_COLLECTION} ({name} is encrypted or compressed in a way Anki never writes)", path
    )


def _inflate(member: Path, target: Path, name: str, limit: int, path: Path) -> None:
    """Inflate a zstd-compressed member into `target`, refusing one that inflates to more than
    `limit` bytes: it is read in bounded pieces and counted, every frame of it (Anki reads
    them all)."""
    import zstandard

    inflated = 0
    try:
        with member.open("rb") as source, target.open("wb") as out:
            reader = zstandard.ZstdDecompressor().stream_reader(source, read_across_frames=True)
            while piece := reader.read(1 << 20):
                inflated += len(piece)
                if inflated > limit:
                    raise StudykitError(
                        f"refused: the package's {name!r} unpacks to far more than its size "
                        f"(over {limit >> 20} MB): not a collection studykit can read safely; "
                        "nothing was kept",
                        path,
                    )
                out.write(piece)
    except zstandard.ZstdError as exc:
        raise StudykitError(f"{NOT_A_COLLECTION} (its {name} cannot be inflated)", path) from exc
    except OSError as exc:
        raise StudykitError(f"cannot unpack: {exc.strerror}", path) from exc


def _too_large(name: str, limit: int, path: Path) -> StudykitError:
    return StudykitError(
        f"refused: the package's {name!r} unpacks to more than {limit >> 20} MB, far more than "
        "the package itself; nothing was kept",
        path,
    )


def _copy_closed(path: Path, folder: Path) -> Path:
    """Copy a collection that Anki has closed into `folder`; refuse one that is open."""
    wal = path.with_name(path.name + "-wal")
    if _locked(path) or (wal.is_file() and wal.stat().st_size > 0):
        raise StudykitError(f"the collection is open in Anki: {HINT}", path)
    copy = folder / "collection.anki2"
    try:
        shutil.copyfile(path, copy)
    except OSError as exc:
        raise StudykitError(f"cannot copy the collection: {exc.strerror}", path) from exc
    return copy


def _locked(path: Path) -> bool:
    """Whether another process holds SQLite's lock on the file (Anki keeps one while it has the
    collection open). Asked of the system, without opening the database (on Linux; elsewhere
    the write-ahead log alone tells)."""
    if sys.platform != "linux":
        return False
    import fcntl

    # SQLite locks the bytes from its pending byte (1 GiB) on: ask who would block a write lock.
    probe = struct.pack("hhqqi", fcntl.F_WRLCK, os.SEEK_SET, 0x4000_0000, 512, 0)
    try:
        with path.open("rb") as file:
            answer = fcntl.fcntl(file.fileno(), fcntl.F_GETLK, probe)
    except OSError:
        return False
    return bool(struct.unpack("hhqqi", answer)[0] != fcntl.F_UNLCK)


# SQL text outside what a CHECK constraint could hide in: strings, quoted names, comments.
_SQL_QUOTED = re.compile(
    r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|`(?:[^`]|``)*`|\[[^\]]*\]|--[^\n]*|/\*.*?(?:\*/|\Z)", re.S
)
# A column default that is a value, not an expression SQLite would compute on each insert.
_PLAIN_DEFAULT = re.compile(
    r"[-+]?[0-9.]+(?:e[-+]?[0-9]+)?|'(?:[^']|'')*'|x'[0-9a-f]*'|null|true|false|current_\w+", re.I
)
ANKI_PARTIAL = "CREATE INDEX idx_cards_odid ON cards (odid) WHERE odid != 0"


def _defuse(collection: Path, path: Path) -> None:
    """Make the scratch copy safe for Anki to open: Anki writes to a collection as it opens
    it (a schema upgrade rewrites the `col` row a dozen times), and SQL stored in the file
    would run then. Triggers and views, which Anki never writes, are dropped (an add-on's
    among them: nothing read here needs them); a table or index computing values of its own
    (a generated column, a default or CHECK that is an expression, an index on an expression
    or with a condition Anki's own has not, a virtual table) is refused in one line."""
    try:
        with contextlib.closing(sqlite3.connect(collection, isolation_level=None)) as db:
            rows = _schema(db, path)
            tables = [name for kind, name, root, _ in rows if kind == "table" and root]
            found = [f"the virtual table {name!r}" for kind, name, root, _ in rows
                     if kind == "table" and not root]  # fmt: skip
            for kind, name, _, sql in rows:
                words = _SQL_QUOTED.sub(" ", sql or "")
                if kind == "table" and re.search(r"\bcheck\b", words, re.I):
                    found.append(f"a CHECK constraint in table {name!r}")
                conditional = kind == "index" and re.search(r"\bwhere\b", words, re.I)
                if conditional and " ".join((sql or "").split()) != ANKI_PARTIAL:
                    found.append(f"the conditional index {name!r}")
            for table in tables:
                for column in db.execute(
                    "SELECT name, dflt_value, hidden FROM pragma_table_xinfo(?)", (table,)
                ):
                    if column[2] in (2, 3):
                        found.append(f"the generated column {column[0]!r} in table {table!r}")
                    elif column[1] is not None and not _PLAIN_DEFAULT.fullmatch(column[1]):
                        found.append(
                            f"a computed default of column {column[0]!r} in table {table!r}"
                        )
                for (index,) in db.execute("SELECT name FROM pragma_index_list(?)", (table,)):
                    if db.execute(
                        "SELECT 1 FROM pragma_index_xinfo(?) WHERE cid = -2", (index,)
                    ).fetchone():
                        found.append(f"the index {index!r} on an expression")
            if found:
                raise StudykitError(
                    f"refused: the collection holds SQL that Anki never writes ({found[0]}), "
                    "which would run as Anki opens it: pull a backup from before it was changed",
                    path,
                )
            if any(kind in ("trigger", "view") for kind, *_ in rows):
                # At once, not one DROP each: SQLite takes time growing with their number for
                # each (40,000 triggers: minutes). They own no pages, so nothing is left over.
                (version,) = db.execute("PRAGMA schema_version").fetchone()
                db.execute("PRAGMA writable_schema = ON")
                db.execute("BEGIN IMMEDIATE")
                db.execute("DELETE FROM sqlite_master WHERE type IN ('trigger', 'view')")
                db.execute(f"PRAGMA schema_version = {int(version) + 1}")
                db.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        raise StudykitError(f"{NOT_A_COLLECTION} ({exc})", path) from exc


# SQLite's steps for reading a schema of some 15,000 entries (Anki's has about 30): beyond, the
# time SQLite takes to load a schema grows with its square (40,000 views: 5 s, 80,000: 20 s).
SCHEMA_STEPS = 200_000


def _schema(db: sqlite3.Connection, path: Path) -> list[Any]:
    """The collection's schema entries, SQLite's work to load and read them counted in steps
    (not time: the same file is refused on any machine)."""
    steps = [0]

    def step() -> bool:
        steps[0] += 1000
        return steps[0] > SCHEMA_STEPS

    db.set_progress_handler(step, 1000)
    try:
        return db.execute("SELECT type, name, rootpage, sql FROM sqlite_master").fetchall()
    except sqlite3.OperationalError:
        if steps[0] <= SCHEMA_STEPS:
            raise
        raise StudykitError(
            "refused: the collection's schema holds far more tables, indexes, triggers and views "
            "than Anki's (about 30): not a collection studykit can read safely",
            path,
        ) from None
    finally:
        db.set_progress_handler(None, 0)


@contextlib.contextmanager
def _bounded_writes(limit: int, path: Path) -> Iterator[None]:
    """Hold every file this process writes meanwhile to `limit` bytes (the system's file size
    limit, RLIMIT_FSIZE): whatever the collection makes Anki write, a write past it fails, and
    the pull is refused in one line. Checked as it is written, not before."""
    try:
        import resource
    except ImportError:  # not on Windows
        yield
        return
    import signal

    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    bound = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
    if soft != resource.RLIM_INFINITY and soft <= bound:
        bound = soft
    # SIGXFSZ, which the system sends on such a write, is held back to be seen afterwards
    # (Python ignores it: the write then fails with EFBIG).
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGXFSZ})
    resource.setrlimit(resource.RLIMIT_FSIZE, (bound, hard))
    failed: BaseException | None = None
    try:
        yield
    except Exception as exc:
        failed = exc
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        hit = signal.SIGXFSZ in signal.sigpending()
        if hit:
            signal.sigtimedwait({signal.SIGXFSZ}, 0)
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    if hit:
        raise StudykitError(
            f"refused: opening the collection made Anki write more than {bound >> 20} MB to "
            "one file, far more than the file itself: not a collection studykit can read "
            "safely; nothing was kept",
            path,
        ) from failed
    if failed is not None:
        raise failed


def _check_schema(collection: Path, path: Path) -> sqlite3.Connection:
    """Refuse a database that is no Anki collection, or a collection of a schema the anki
    package cannot open (it would otherwise try to make a collection of it); the collection
    opened read only."""
    uri = f"{collection.resolve().as_uri()}?mode=ro&immutable=1"
    db = sqlite3.connect(uri, uri=True)
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"col", "cards", "notes", "revlog"} <= tables:
            raise StudykitError(NOT_A_COLLECTION, path)
        row = db.execute("SELECT ver FROM col").fetchone()
    except sqlite3.DatabaseError as exc:
        db.close()
        raise StudykitError(f"{NOT_A_COLLECTION} ({exc})", path) from exc
    except BaseException:
        db.close()
        raise
    version = row[0] if row else None
    if not isinstance(version, int) or version not in SCHEMA_VERSIONS:
        db.close()
        raise StudykitError(
            f"unsupported Anki collection version {version} (this studykit reads "
            f"{SCHEMA_VERSIONS.start} to {SCHEMA_VERSIONS.stop - 1}): upgrade studykit's anki "
            "package, or make a backup with this Anki and pull that",
            path,
        )
    return db


def _fetch(collection: Path, path: Path, now: datetime) -> tuple[Fetched | None, bool]:
    """The collection's rows as `tables` fetches them (None: the `anki` package reads it), and
    whether its log is plain (`ODD_REVLOG`)."""
    with contextlib.closing(_check_schema(collection, path)) as db:
        try:
            fetched = fetch_tables(db, now.timestamp())
            plain = fetched is not None and not db.execute(ODD_REVLOG).fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise StudykitError(f"{NOT_A_COLLECTION} ({exc})", path) from exc
        except Unreadable as exc:
            raise _unreadable(exc, path) from None
    return fetched, plain


def _unreadable(exc: Unreadable, path: Path) -> StudykitError:
    return StudykitError(
        f"the collection's setting {exc.args[0]!r} holds JSON nested deeper than Anki reads, "
        "which Anki never writes: pull a backup from before it was changed",
        path,
    )


def _read(
    collection: Path,
    path: Path,
    guids: set[str],
    zone: Any,
    now: datetime,
    bound: int,
    fetched: tuple[Fetched | None, bool] | None = None,
) -> Collected:
    """The collection read with SQLite alone where `tables` can (the current schema), else
    opened with the `anki` package, which may write at most `bound` bytes in one file (it
    upgrades the collection); `fetched`: its rows fetched already (`_fetch`)."""
    now = now if zone is None else now.astimezone(zone)
    if fetched is None:
        with contextlib.closing(_check_schema(collection, path)) as db:
            try:
                tables = read_tables(db, guids, now.timestamp())
                plain = tables is not None and not db.execute(ODD_REVLOG).fetchone()[0]
            except sqlite3.DatabaseError as exc:
                raise StudykitError(f"{NOT_A_COLLECTION} ({exc})", path) from exc
            except Unreadable as exc:
                raise _unreadable(exc, path) from None
    else:
        rows, plain = fetched
        tables = None if rows is None else tables_of(rows, guids)
    if tables is not None:
        return _gather_tables(tables, guids, now, path, plain)
    with _bounded_writes(bound, path):  # Anki upgrades a collection of an older schema
        return _read_with_anki(collection, path, guids, zone, now)


def _read_with_anki(
    collection: Path, path: Path, guids: set[str], zone: Any, now: datetime
) -> Collected:
    """`_read` of a collection the `anki` package opens."""
    from anki.collection import Collection
    from anki.errors import AnkiException

    try:
        col: Any = Collection(str(collection))
    except AnkiException as exc:
        raise StudykitError(f"{NOT_A_COLLECTION} (Anki cannot open it: {exc})", path) from exc
    try:

        def preset(home: int) -> dict[str, Any] | None:
            if col.decks.get(home, default=False) is None:
                return None
            return dict(col.decks.config_dict_for_deck_id(home))

        return _gather(
            col.db.list("SELECT guid FROM notes"),
            col.db.all(CARDS),
            col.db.all(REVLOG),
            preset,
            # Anki's own day count is the system clock's: so is the day it counts from.
            _day_zero(col.sched.today, datetime.now(zone)),
            guids,
            now,
            path,
        )
    except AnkiException as exc:
        # A column holding what Anki never writes (a creation time that is text or beyond the
        # calendar, a preset that is no protobuf): Anki's own reader stops on it.
        raise StudykitError(
            f"the collection holds a value Anki never writes (Anki cannot read it: {exc}): "
            "pull a backup from before it was changed",
            path,
        ) from exc
    finally:
        col.close(downgrade=False)


def _gather_tables(
    tables: Tables, guids: set[str], now: datetime, path: Path, plain: bool
) -> Collected:
    """`_gather` of the tables SQLite read alone, from the collection's day 0."""
    first = _day_zero(tables.days, now)
    return _gather(
        tables.guids, tables.cards, tables.revlog, tables.preset, first, guids, now, path, plain
    )


def _gather(
    notes: list[str],
    rows: list[Any],
    revlog: list[Any],
    preset_of: Callable[[int], dict[str, Any] | None],
    first: date | None,
    guids: set[str],
    now: datetime,
    path: Path,
    plain: bool = False,
) -> Collected:
    """Studykit's cards, their log and their presets, from the collection's rows (`tables`
    selects them): `preset_of` gives a deck's preset as Anki's JSON (None: there is no such
    deck), `first` the collection's day 0; due dates in `now`'s zone. `plain`: SQLite found
    every log entry of the collection within what is checked and bounded here (`ODD_REVLOG`),
    so the entries are taken as they are."""
    foreign = [guid for guid in notes if guid not in guids]
    # A reworded item without an `id:`, or a removed one, leaves its old note in Anki.
    former = sum(1 for guid in foreign if _STUDYKIT_GUID.fullmatch(guid))
    presets: dict[int, Preset] = {}
    cards: dict[tuple[str, int], AnkiCard] = {}
    keys: dict[int, tuple[str, int]] = {}
    # A due day number or moment -> when (`_due`): cards share their due days.
    dues: dict[int, datetime | None] = {}
    for cid, guid, number, did, odid, kind, queue, due, odue, ivl, left, reps, lapses, data in rows:
        if guid not in guids:
            continue
        numbers = (number, due, odue, ivl, left, reps, lapses)
        if kind not in CARD_TYPES or queue not in CARD_QUEUES or {*map(type, numbers)} != {int}:
            # Anki cannot read such a card itself (nor repair it: Check Database stops on it).
            columns = zip(("type", "queue", *CARD_NUMBERS), (kind, queue, *numbers), strict=True)
            raise StudykitError(
                f"Anki card {cid} has {_odd(columns, CARD_TYPES, CARD_QUEUES)}, which Anki never "
                "writes: pull a backup from before it was changed",
                path,
            )
        home = odid or did
        if home not in presets:
            config = preset_of(home)
            if config is None:
                raise StudykitError(
                    f"Anki card {cid} is in deck {home}, which the collection does not have: "
                    "let Anki repair it (Tools > Check Database), then pull again",
                    path,
                )
            presets[home] = _preset(config)
        if data is not None and not isinstance(data, str):
            raise StudykitError(
                f"Anki card {cid} has data that is not text ({type(data).__name__}), which Anki "
                "never writes: pull a backup from before it was changed",
                path,
            )
        memory = _memory(data)
        key = (guid, number)
        keys[cid] = key
        if odid and odue:  # in a filtered deck: its due in its home deck
            due = odue
        if kind == 0:
            when = None
        elif due in dues:
            when = dues[due]
        else:
            when = dues[due] = _due(kind, due, first, now)
        cards[key] = AnkiCard(
            guid,
            number,
            kind,
            queue,
            when,
            min(max(ivl, 0), MAXIMUM_INTERVAL),
            left % 1000,
            max(reps, 0),
            max(lapses, 0),
            *memory,
            presets[home].name,
        )
    # Anki keeps a log entry's intervals and factor in 32-bit columns: a deck carrying the entry
    # back (`deck --with-progress`) must fit them, or Anki refuses to import it.
    low, high = LOW_INTERVAL, MAXIMUM_INTERVAL
    entry = tuple.__new__  # an entry made as a tuple is made twice as fast as by its class
    named = presets.values()
    if plain:  # nothing to check or bound: each of our entries once through Python
        get = keys.get
        log = [
            entry(Entry, (rid, card, ease, ivl, last, factor, taken, kind))
            for rid, cid, ease, ivl, last, factor, taken, kind in revlog
            if (card := get(cid)) is not None
        ]
        return Collected(cards, log, {p.name: p for p in named}, len(foreign), former)
    log = []
    append = log.append
    for rid, cid, ease, ivl, last, factor, taken, kind in revlog:
        card = keys.get(cid)
        if card is None:
            continue
        if not 0 <= rid <= LAST_MS:
            # The id is the answer's moment: one beyond the calendar's end is no answer.
            raise StudykitError(
                f"Anki's review log has an entry (id {rid}) dated outside the years "
                "1970 to 9999, which Anki never writes: let Anki repair it (Tools > Check "
                "Database), or pull a backup from before it",
                path,
            )
        if (
            kind not in REVLOG_TYPES
            or ease not in REVLOG_BUTTONS
            or type(ivl) is not int
            or type(last) is not int
            or type(taken) is not int
        ):
            columns = zip(
                ("type", "button", *REVLOG_NUMBERS), (kind, ease, ivl, last, taken), strict=True
            )
            raise StudykitError(
                f"Anki's review log has an entry (id {rid}) on card {cid} with "
                f"{_odd(columns, REVLOG_TYPES, REVLOG_BUTTONS)}, which Anki never writes: pull a "
                "backup from before it was changed",
                path,
            )
        # Intervals within what a card can have: at most the maximum either way (negative: a
        # learning step's seconds).
        if not low <= ivl <= high:
            ivl = min(max(ivl, low), high)
        if not low <= last <= high:
            last = min(max(last, low), high)
        if not 0 <= factor <= ANKI_INT:
            factor = min(max(factor, 0), ANKI_INT)
        append(entry(Entry, (rid, card, ease, ivl, last, factor, taken, kind)))
    return Collected(cards, log, {p.name: p for p in named}, len(foreign), former)


def _odd(named: Iterable[tuple[str, Any]], kinds: Set[int], others: Set[int]) -> str:
    """The first of a row's values that Anki never writes, as "type 9" or "interval 'x'": the
    first two must be among `kinds` and `others`, the rest whole numbers."""
    for index, (name, value) in enumerate(named):
        allowed = kinds if index == 0 else others if index == 1 else None
        if (value not in allowed) if allowed is not None else type(value) is not int:
            return f"{name} {value!r}"
    raise AssertionError("no odd value")


def _preset(config: dict[str, Any]) -> Preset:
    """A preset's FSRS settings: its newest parameters (FSRS-6, else -5 or -4.5, brought to
    FSRS-6's 21 as Anki brings them); none: FSRS's defaults. Parameters or a retention Anki's
    optimiser and options screen never give (outside FSRS's bounds, not numbers) are set aside
    for FSRS's defaults, and `unusable` says why."""
    name = str(config.get("name", "Default"))
    unusable = None
    found: tuple[float, ...] = ()
    for field in ("fsrsParams6", "fsrsParams5", "fsrsWeights"):
        try:
            found = tuple(_number(w) for w in config.get(field) or ())
        except (TypeError, ValueError):
            found, unusable = (), "parameters that are not numbers"
            break
        if found:
            break
    if len(found) == 19:
        found += (0.0, 0.5)
    elif len(found) == 17:
        found += (0.0, 0.0, 0.0, 0.5)
    own = len(found) == len(PARAMETERS)
    bounded = zip(found, PARAMETER_BOUNDS, strict=False)  # checked only with all 21
    if own and not all(low <= w <= high for w, (low, high) in bounded):
        own, unusable = False, "parameters outside FSRS's bounds"
    try:
        retention = _number(config.get("desiredRetention") or 0.9)
    except (TypeError, ValueError):
        retention = math.nan
    if not 0 < retention < 1:
        retention, unusable = 0.9, unusable or "a desired retention outside 0 to 1"
    return Preset(
        name, found if own else PARAMETERS, retention, own and found != PARAMETERS, unusable
    )


def _number(value: Any) -> float:
    """A finite number (bool, text and null are refused: JSON holds them where numbers were)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"not a number: {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"not finite: {value!r}")
    return number


def _day_zero(today: int, now: datetime) -> date | None:
    """The collection's day 0 (its review days count from it): Anki's day count `today` (at
    `now`) before `now`'s review day; None when that is beyond the calendar (a day-numbered due
    then cannot be read)."""
    try:
        return review_date(now) - timedelta(days=today)
    except (OverflowError, ValueError):
        return None


STABILITY_RANGE = (0.001, 36_500.0)  # FSRS's own bounds on a stability, in days


def _memory(data: str | None) -> tuple[float | None, float | None]:
    """A card's FSRS memory state as Anki keeps it in the card's data (`s`, `d`); none unless
    studykit can schedule with it (stability within FSRS's bounds, 0.001 to 36,500 days, and
    difficulty 1 to 10, as Anki writes them): the card's state is then replayed from its log."""
    if not data or '"s"' not in data:
        return None, None
    try:
        found = json.loads(data)
        stability, difficulty = _number(found["s"]), _number(found["d"])
    except (ValueError, KeyError, TypeError, RecursionError):
        # Unreadable, as Anki finds it too (its JSON reader stops at 128 levels): the card's
        # state is replayed from its log. RecursionError: json recurses once per bracket.
        return None, None
    if not (STABILITY_RANGE[0] <= stability <= STABILITY_RANGE[1] and 1 <= difficulty <= 10):
        return None, None
    return stability, difficulty


def _due(kind: int, due: int, first: date | None, now: datetime) -> datetime | None:
    """When a card is due: a learning step's moment (epoch seconds), or the start (04:00) of a
    day numbered from the collection's first day. None for a new card, and for a due date
    outside 1970 to the maximum interval from now (the card's state is then replayed)."""
    if kind == 0:
        return None
    from studykit.review.scheduler import day_at

    zone = now.tzinfo
    latest = now + timedelta(days=MAXIMUM_INTERVAL + 1)
    try:
        if due > 1_000_000_000:
            moment = datetime.fromtimestamp(due, zone)
        elif first is None:
            return None
        else:
            moment = day_at(first + timedelta(days=due), zone)
    except (OverflowError, ValueError, OSError):
        return None
    return moment if moment.timestamp() >= 0 and moment <= latest else None
