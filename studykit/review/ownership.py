"""Which files the review store may claim: it only ever moves aside or writes over its own.

`--state` can name any file, and a wrong one must never be lost: a reading's `reading.yaml`,
`/etc/passwd` or another program's database is refused, left as it was, in one line.

How a file is known to be studykit's:
- A store is marked when it is created with SQLite's application id (`PRAGMA application_id`),
  which SQLite keeps at bytes 68-71 of the file header; the header is read raw, so the mark
  is found even when the rest of the database is damaged (`file` names such databases too).
- A store made before the mark has studykit's tables; it is marked the next time review
  opens it.
- An unmarked database is a store made before the mark only when its tables are studykit's,
  with studykit's columns, and nothing else is in it; it is read without writing (read only,
  and immutable when no log beside it can hold more), so another program's is left exactly as
  it was: no mark, no journal mode, no tables added.
- An empty file, or a SQLite database with nothing in it (no schema, no version, no
  application id), holds nothing to lose: a store may be started there. A `-wal`, `-shm` or
  `-journal` already beside such a file is no store's of studykit's (SQLite would take it over
  or delete it), so it is refused and left as it is, unless it holds nothing either (what a
  full disk left beside a store an earlier version was making, `hold_nothing`); companions are
  only ever changed beside a store known to be studykit's, and beside one only when they are
  provably SQLite's (`companions`): a student's `progress-wal` beside `--state progress` is
  refused, not deleted.
- The store must be a regular file (or missing): a device or a FIFO is refused before anything
  is opened or made beside it, as is a symbolic link to a missing file (SQLite would make the
  store wherever it points).

Only a store known to be studykit's and reported damaged by SQLite is moved aside. The one
exception is the default place, `.studykit/review.db`: that folder is studykit's own (made and
kept out of git by it), so anything there that is not a database is moved aside as well and a
fresh store started, as the design promises. Another program's database is refused even there.

A read-only store is read for `stats` as it is (immutable: no `-shm` or `-wal` left beside it)
and refused by review, which has to write each answer. SQLite gives a new `-shm` and `-wal` the
store's permissions; when the store's permissions change afterwards (`chmod 644` on a store
that was read-only), the old companions are brought to the store's mode before and after each
opening, since a `-shm` SQLite cannot write makes the store fail to open for writing.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from enum import Enum
from pathlib import Path

from studykit.errors import StudykitError
from studykit.review.companions import HEADER, MAGIC, all_sqlites, kind_of, log_beside

# "stdk" in ASCII: what studykit writes at bytes 68-71 of every store it creates.
APPLICATION_ID = 0x7374_646B
TABLES = frozenset({"cards", "reviews"})  # the tables every studykit store has had
# Every table studykit has made (SQLite adds sqlite_sequence for AUTOINCREMENT), and the columns
# its first two tables had in the first version, kept by every version since: an unmarked
# database with other tables, or without these columns, is another program's.
OWN_TABLES = TABLES | {
    "buried",
    "cram",
    "suspended",
    "settings",
    "sqlite_sequence",
    "pulled",
    "pulled_notes",
    "pulled_cards",
}
FIRST_COLUMNS = {
    "cards": frozenset({"guid", "card", "phase", "due", "state"}),
    "reviews": frozenset(
        {"id", "guid", "card", "reading", "section", "identity", "rating", "time", "elapsed_ms"}
        | {"before", "after"}
    ),
}
OWN_INDEXES = frozenset(
    {"reviews_card", "reviews_time", "reviews_introduced", "reviews_anki", "pulled_last"}
)
# The columns `pull` added to the log (every store since is marked, but a mark may be lost).
PULLED_COLUMNS = frozenset({"anki_id", "source"})


class Header(Enum):
    """What a file's first bytes say about it."""

    NONE = "none"  # missing or empty: a store may be started there
    EMPTY = "empty"  # a SQLite database with nothing in it (`look_inside`): the same
    MARKED = "marked"  # a SQLite database with studykit's application id
    UNMARKED = "unmarked"  # a SQLite database without an application id: its tables tell
    OTHER = "other"  # a SQLite database of another program (another application id)
    NOT_SQLITE = "not sqlite"


def read_header(path: Path) -> Header:
    """Classify the file at `path` by its header alone: no SQLite, nothing written. Raise
    StudykitError for a path that is not a regular file (`must_be_file`)."""
    if not must_be_file(path):
        return Header.NONE
    try:
        # Non-blocking, and checked again once open: a FIFO put there meanwhile must not
        # hang the command.
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(handle, "rb") as file:
            _regular(path, os.fstat(file.fileno()).st_mode)
            head = file.read(HEADER)
    except FileNotFoundError:
        return Header.NONE
    except OSError as exc:
        raise StudykitError(f"cannot read the review store: {exc.strerror}", path) from exc
    if not head:
        # SQLite makes the file empty before the first write: an empty file studykit began (its
        # lock beside it) or in studykit's own folder is a store not written yet. Any other is
        # a file of the student's, as `touch notes.md` leaves one.
        began = path.with_name(path.name + ".lock").exists()
        return Header.NONE if began or in_own_folder(path) else Header.NOT_SQLITE
    if len(head) < HEADER or not head.startswith(MAGIC):
        return Header.NOT_SQLITE
    application = int.from_bytes(head[68:72], "big", signed=True)
    if application == APPLICATION_ID:
        return Header.MARKED
    return Header.UNMARKED if application == 0 else Header.OTHER


def must_be_file(path: Path) -> bool:
    """Whether a file is at `path` (symbolic links followed); False when nothing is. Raise
    StudykitError for a folder, a device, a FIFO or a socket, which SQLite would open as the
    store (a FIFO blocks every read; a device takes a lock file and a journal beside it), and
    for a link to a missing file, where SQLite would make the store (as `-o` refuses one)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            raise StudykitError(
                "the review store is a symbolic link to a missing file; it was left untouched. "
                "Pass another file with --state",
                path,
            ) from None
        return False
    except OSError as exc:  # a loop of links, a folder that is a file
        raise StudykitError(f"cannot read the review store: {exc.strerror}", path) from exc
    _regular(path, mode)
    return True


def _regular(path: Path, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise StudykitError("the review store is a folder; pass a file with --state", path)
    raise StudykitError(
        f"the review store must be a file, and this is {kind_of(mode)}; it was left untouched. "
        "Pass another file with --state",
        path,
    )


def open_lock(lock: Path) -> int:
    """Open (or create) the store's lock file and return its descriptor. Anything there that is
    not a regular file is refused before it is opened, as the store itself is: a FIFO would
    block the open for good, and a link to a missing file would make a file wherever it points.
    Opened without blocking and checked again once open, for one put there meanwhile."""
    try:
        mode: int | None = lock.stat().st_mode
    except FileNotFoundError:
        mode = None
        if lock.is_symlink():
            _refuse_lock(lock, "a symbolic link to a missing file")
    except OSError as exc:  # a loop of links
        raise StudykitError(f"cannot open the store's lock file: {exc.strerror}", lock) from exc
    if mode is not None and not stat.S_ISREG(mode):
        _refuse_lock(lock, kind_of(mode))
    flags = os.O_WRONLY | os.O_APPEND | getattr(os, "O_NONBLOCK", 0)
    if mode is None:  # made here, never through a link that appeared meanwhile
        flags |= os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    try:
        handle = os.open(lock, flags, 0o666)
    except OSError as exc:
        raise StudykitError(f"cannot create the store's lock file: {exc.strerror}", lock) from exc
    opened = os.fstat(handle).st_mode
    if not stat.S_ISREG(opened):
        os.close(handle)
        _refuse_lock(lock, kind_of(opened))
    return handle


def _refuse_lock(lock: Path, what: str) -> None:
    raise StudykitError(
        f"the review store's lock must be a file, and this is {what}; it was left untouched. "
        "Remove it and run the command again",
        lock,
    )


def look_inside(path: Path) -> Header:
    """What an unmarked SQLite database holds, read without writing anything: MARKED when its
    mark is still in the write-ahead log (a store another session is making), UNMARKED for a
    store made before the mark, EMPTY for one with nothing in it. Raise StudykitError for
    another program's database, and SQLite's own error when it cannot be read."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    if not log_beside(path) or not all_sqlites(path):
        # Nothing beside it that SQLite would read as part of the database: the file is the
        # whole of it, and read as it is SQLite leaves no -wal or -shm beside a database in WAL
        # mode, nor writes an index into a -shm there, which may not be SQLite's at all. So is
        # one with a companion that is not provably SQLite's, which SQLite would delete or
        # write over: the store is refused for it after (`companions`, `strangers`).
        uri += "&immutable=1"
    db = sqlite3.connect(uri, uri=True, timeout=30)
    try:
        schema = db.execute("SELECT type, name FROM sqlite_master").fetchall()
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        application = int(db.execute("PRAGMA application_id").fetchone()[0])
        columns = {
            table: {str(row[1]) for row in db.execute(f"PRAGMA table_info({table})")}
            for table in FIRST_COLUMNS
        }
    finally:
        db.close()
    if application == APPLICATION_ID:
        return Header.MARKED
    if not schema and version == 0 and application == 0:
        return Header.EMPTY
    tables = {str(name) for kind, name in schema if kind == "table"}
    indexes = {str(name) for kind, name in schema if kind == "index"}
    # Exactly studykit's columns and indexes, of one version or another, and nothing more:
    # another program's database may share table names.
    ours = (
        all(kind in ("table", "index") for kind, _ in schema)
        and TABLES <= tables <= OWN_TABLES
        and all(name in OWN_INDEXES or name.startswith("sqlite_autoindex_") for name in indexes)
        and application == 0
        and columns["cards"] == FIRST_COLUMNS["cards"]
        and columns["reviews"] - FIRST_COLUMNS["reviews"] in (frozenset(), PULLED_COLUMNS)
        and FIRST_COLUMNS["reviews"] <= columns["reviews"]
    )
    if not ours:
        raise foreign(path)
    return Header.UNMARKED


def in_own_folder(path: Path) -> bool:
    """Whether `path` is a default store, `.studykit/review.db`: a folder studykit made for
    itself, where a file that is not a database can only be a broken store."""
    return path.name == "review.db" and path.parent.name == ".studykit"


def read_only(path: Path) -> bool:
    """Whether the store exists and this user may not write it."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # access() says yes to root for every file; the bits still say the store is kept as is.
        return not mode & 0o222
    return not os.access(path, os.W_OK)


def can_make_beside(path: Path) -> bool:
    """Whether files can be made in the store's folder: False on a file system mounted read-only
    (root included) and in a folder this user may not write."""
    folder = path.resolve().parent
    try:
        if os.statvfs(folder).f_flag & getattr(os, "ST_RDONLY", 1):
            return False
    except (OSError, AttributeError):  # no statvfs (Windows): the permission bits tell
        pass
    return os.access(folder, os.W_OK)


def not_sqlite(path: Path) -> StudykitError:
    """The line for a file that is not a SQLite database, outside studykit's own folder."""
    try:
        empty = path.stat().st_size == 0
    except OSError:
        empty = False
    what = "an empty file" if empty else "not a SQLite database"
    return StudykitError(
        f"{what}, so not a review store; it was left untouched. Pass another file with --state",
        path,
    )


def foreign(path: Path) -> StudykitError:
    """The line for another program's SQLite database."""
    return StudykitError(
        "a SQLite database, but not a studykit review store; it was left untouched. "
        "Pass another file with --state",
        path,
    )


def damaged_unknown(path: Path, reason: str) -> StudykitError:
    """The line for a damaged SQLite database nothing marks as studykit's."""
    return StudykitError(
        f"a damaged SQLite database ({reason}) that is not marked as a studykit review "
        "store; it was left untouched. Pass another file with --state",
        path,
    )


def refuse_read_only(path: Path) -> StudykitError:
    """The line review gives for a store it may not write."""
    return StudykitError(
        "the review store is read-only; review saves every answer: make it writable "
        "(chmod u+w) or pass another file with --state",
        path,
    )
