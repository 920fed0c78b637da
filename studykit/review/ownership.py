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

import contextlib
import os
import sqlite3
import stat
from enum import Enum
from pathlib import Path

from studykit.errors import StudykitError, display_path

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
MAGIC = b"SQLite format 3\x00"
HEADER = 100  # bytes of a SQLite file header
COMPANIONS = ("-wal", "-shm")
STRANGERS = (*COMPANIONS, "-journal")  # what SQLite takes over or deletes beside a new store


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
        f"the review store must be a file, and this is {_kind(mode)}; it was left untouched. "
        "Pass another file with --state",
        path,
    )


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


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
        _refuse_lock(lock, _kind(mode))
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
        _refuse_lock(lock, _kind(opened))
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
    if not _log_beside(path) or not _all_sqlites(path):
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


WAL_MAGIC = (0x377F0682, 0x377F0683)  # the first 4 bytes of a write-ahead log (big-endian)
WAL_HEADER = 32  # bytes of a log's header; its frames follow
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")  # the first 8 bytes of a rollback journal


def _log_beside(path: Path) -> bool:
    """Whether a -wal beside `path` holds frames, or a -journal beside it is one SQLite would roll
    back: what SQLite reads as part of the database, and a read of the file alone would miss (a
    store's mark, while another session makes it). A link there counts: SQLite follows it."""
    wal, journal = (path.with_name(path.name + suffix) for suffix in ("-wal", "-journal"))
    if wal.is_symlink() or journal.is_symlink():
        return True
    head = _head(wal, WAL_HEADER + 1)
    if len(head) > WAL_HEADER and int.from_bytes(head[:4], "big") in WAL_MAGIC:
        return True
    return _head(journal, len(JOURNAL_MAGIC)) == JOURNAL_MAGIC


def journal_beside(path: Path) -> bool:
    """Whether a rollback journal of SQLite's lies beside the store: a change a stopped session
    did not finish, which a read of the file alone (immutable) would see half made."""
    return _head(companion(path, "-journal"), len(JOURNAL_MAGIC)) == JOURNAL_MAGIC


def _head(path: Path, size: int) -> bytes:
    """The first `size` bytes of a regular file; nothing for none there, or no regular file."""
    try:
        with open(path, "rb", opener=_no_block) as file:
            return file.read(size)
    except OSError:
        return b""


def strangers(path: Path) -> None:
    """Refuse a `-wal`, `-shm` or `-journal` beside a store not made yet: no store of
    studykit's left it, and SQLite would take it over or delete it. Ones that hold nothing are
    let be (`hold_nothing`)."""
    found = [
        extra.name
        for extra in (path.with_name(path.name + suffix) for suffix in STRANGERS)
        if extra.exists() or extra.is_symlink()
    ]
    if not found or hold_nothing(path):
        return
    one = len(found) == 1
    names = found[0] if one else ", ".join(found[:-1]) + " and " + found[-1]
    lie, they, were, them = (
        ("lies", "it is", "it was", "it") if one else ("lie", "they are", "they were", "them")
    )
    raise StudykitError(
        f"{names} {lie} beside a review store not made yet, so {they} not studykit's; {were} "
        f"left untouched. Remove {them} or pass another file with --state",
        path,
    )


def hold_nothing(path: Path) -> bool:
    """Whether every `-wal`, `-shm` and `-journal` beside `path` holds nothing anyone could lose:
    each a regular file (no link) that is empty or all zero bytes, or a `-shm` that is SQLite's
    index of a log with no frames. That is what SQLite left when a full disk stopped an earlier
    version making a store (an empty -wal, a -shm of zeros it could not grow; reading the store
    since writes the empty log's index there); SQLite makes both afresh from nothing."""
    for suffix in STRANGERS:
        extra = path.with_name(path.name + suffix)
        try:
            with open(extra, "rb", opener=_no_block) as file:
                data = file.read(NOTHING_MAX + 1)
        except FileNotFoundError:
            continue
        except OSError:  # a link, a FIFO, a device, unreadable: not SQLite's leftover
            return False
        if len(data) > NOTHING_MAX:
            return False
        if data.count(0) == len(data):
            continue
        if suffix == "-shm" and _empty_index(data):
            continue
        return False
    return True


NOTHING_MAX = 64 << 10  # a -shm is 32 KB a piece; an empty log's index is the first piece
WAL_INDEX_VERSION = 3007000  # the first field of SQLite's -shm header (native byte order)


def _empty_index(data: bytes) -> bool:
    """Whether `data` is a SQLite -shm whose header (kept twice, 48 bytes each) says the log
    holds no frames (mxFrame, bytes 16-19, is 0)."""
    if len(data) < 96 or data[:48] != data[48:96]:
        return False
    if int.from_bytes(data[:4], "little") == WAL_INDEX_VERSION:
        return int.from_bytes(data[16:20], "little") == 0
    if int.from_bytes(data[:4], "big") == WAL_INDEX_VERSION:  # a big-endian machine's
        return int.from_bytes(data[16:20], "big") == 0
    return False


def databases_beside(path: Path) -> None:
    """Refuse a store whose `-wal`, `-shm` or `-journal` is itself a SQLite database (a second
    store named there with --state): opening the store, SQLite would take it for its own log,
    index or journal and delete it, and that store's history with it."""
    for suffix, what in zip(STRANGERS, STRANGER_NAMES, strict=True):
        extra = companion(path, suffix)
        try:
            with open(extra, "rb", opener=_no_block) as file:
                head = file.read(len(SQLITE_MAGIC))
        except OSError:
            continue  # none there, or no regular file: SQLite's own, or judged elsewhere
        if head == SQLITE_MAGIC:
            raise StudykitError(
                f"{extra.name} beside it is a SQLite database of its own (a review store named "
                f"there?), not this store's {what}: SQLite would take it for its {what} and "
                f"delete it, so nothing was opened. Move {extra.name} away, or pass another "
                "file with --state",
                path,
            )


STRANGER_NAMES = ("write-ahead log", "shared-memory index", "journal")
SQLITE_MAGIC = b"SQLite format 3\x00"


def companion(path: Path, suffix: str) -> Path:
    """Where SQLite keeps the store's `-wal`, `-shm` or `-journal`: beside the file the store's
    path leads to, since SQLite follows a symbolic link to the database before naming them."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a loop of links: refused as the store is (`must_be_file`)
        return path.with_name(path.name + suffix)
    # Named as the student named the store where the link changes nothing (the same folder
    # and name), so the line names the file as they see it.
    if real.name == path.name and real.parent == path.absolute().parent:
        return path.with_name(path.name + suffix)
    return real.with_name(real.name + suffix)


def companions(path: Path) -> None:
    """Refuse a store (a SQLite database of studykit's, or one that may be) with a `-wal`,
    `-shm` or `-journal` beside it that is not provably SQLite's own: a file the student named
    so would be deleted or written over by SQLite, which takes whatever lies there for the
    store's log, index or journal. Checked before SQLite opens the store; nothing is changed.

    SQLite's own: a journal begins with the rollback journal's magic; a log begins with a
    log's header (magic, format version, a page size that is the store's, its checksum); an
    index is whole 32 KB pieces beginning with the index's version, once or in both copies of
    its header. A file that holds nothing (empty, or zero bytes, `hold_nothing`) is let be: an
    earlier version's full disk left such files beside a store, and SQLite makes them afresh.
    A link, a folder, a FIFO or a device there is no file SQLite made."""
    page = _page_size(path)
    for suffix, what in zip(STRANGERS, STRANGER_NAMES, strict=True):
        extra = companion(path, suffix)
        why = _not_sqlites(extra, suffix, page)
        if why is None:
            continue
        beside = path.with_name(extra.name) == extra
        name = extra.name if beside else display_path(extra)
        raise StudykitError(
            f"{name} {'beside it' if beside else 'beside the file it links to'} is not the "
            f"store's {what} ({why}): SQLite would take it for its own and delete or write "
            "over it, so nothing was opened and it was left untouched. Move or rename it, or "
            "pass another file with --state",
            path,
        )


def _not_sqlites(extra: Path, suffix: str, page: int | None) -> str | None:
    """Why the file at `extra` is not provably SQLite's `suffix` file; None when it is, or
    when nothing is there."""
    try:
        mode = extra.lstat().st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:  # a folder on the way that cannot be searched
        return f"it cannot be looked at: {exc.strerror}"
    if stat.S_ISLNK(mode):
        return "it is a symbolic link"
    if not stat.S_ISREG(mode):
        return f"it is {_kind(mode)}"
    try:
        with open(extra, "rb", opener=_no_block) as file:
            data = file.read(NOTHING_MAX + 1)
            size = os.fstat(file.fileno()).st_size
    except OSError as exc:
        return f"it cannot be read: {exc.strerror or exc}"
    if len(data) <= NOTHING_MAX and data.count(0) == len(data):
        return None  # holds nothing (`hold_nothing`)
    if suffix == "-journal":
        if data.startswith(JOURNAL_MAGIC):
            return None
        return "it does not begin as SQLite's journals do"
    if suffix == "-wal":
        if _wal_header(data[:WAL_HEADER], page):
            return None
        return "it does not begin with a header SQLite wrote for this store's log"
    if size % SHM_PIECE == 0 and _index_header(data):
        return None
    return "its header is not one SQLite writes"


def _all_sqlites(path: Path) -> bool:
    """Whether every `-wal`, `-shm` and `-journal` beside `path` is SQLite's (or none is there)."""
    page = _page_size(path)
    return all(_not_sqlites(companion(path, suffix), suffix, page) is None for suffix in STRANGERS)


SHM_PIECE = 32 << 10  # SQLite grows a -shm 32 KB at a time
WAL_VERSION = 3007000  # the log's format version, at bytes 4-7 of its header
SHM_HEADER = 48  # bytes of each of the two copies of an index's header


def _wal_header(head: bytes, page: int | None) -> bool:
    """Whether `head` is the header SQLite writes at the start of a log: its magic (the low bit
    says the byte order of its checksums), format version 3007000, a page size SQLite allows
    (the store's, when the store's header says it) and the checksum of its first 24 bytes."""
    if len(head) < WAL_HEADER:
        return False
    magic, version, size = (int.from_bytes(head[at : at + 4], "big") for at in (0, 4, 8))
    if magic not in WAL_MAGIC or version != WAL_VERSION:
        return False
    if size < 512 or size > 65536 or size & (size - 1) or (page is not None and size != page):
        return False
    words = [
        int.from_bytes(head[at : at + 4], "big" if magic & 1 else "little")
        for at in range(0, 24, 4)
    ]
    first = second = 0
    for at in range(0, 6, 2):
        first = (first + words[at] + second) & 0xFFFF_FFFF
        second = (second + words[at + 1] + first) & 0xFFFF_FFFF
    return head[24:32] == first.to_bytes(4, "big") + second.to_bytes(4, "big")


def _index_header(data: bytes) -> bool:
    """Whether either copy of an index's header begins with its version, in either byte order
    (the copies differ only when a writer stopped between them)."""
    return any(
        len(data) >= at + SHM_HEADER
        and WAL_INDEX_VERSION
        in (int.from_bytes(data[at : at + 4], "little"), int.from_bytes(data[at : at + 4], "big"))
        for at in (0, SHM_HEADER)
    )


def _page_size(path: Path) -> int | None:
    """The store's page size from its header (1 stands for 65536), or None when it cannot be
    read there."""
    try:
        with path.open("rb") as file:  # a regular file: `read_header` looked
            head = file.read(HEADER)
    except OSError:
        return None
    if len(head) < HEADER or not head.startswith(MAGIC):
        return None
    size = int.from_bytes(head[16:18], "big")
    return 65536 if size == 1 else size


def _no_block(name: str, flags: int) -> int:
    """Open for reading without following a link or waiting on a FIFO; only a regular file is
    read (a FIFO or a device raises, as no database can be one)."""
    fd = os.open(name, flags | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError("not a regular file")
    return fd


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


def match_companions(path: Path) -> None:
    """Give the store's `-wal` and `-shm` the store's own permissions, where they differ."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return
    for suffix in COMPANIONS:
        extra = companion(path, suffix)
        # Another user's companion cannot be changed; SQLite then says what is wrong.
        with contextlib.suppress(OSError):
            if not extra.is_symlink() and stat.S_IMODE(extra.stat().st_mode) != mode:
                extra.chmod(mode)


def wal_is_empty(path: Path) -> bool:
    """Whether every answer is in the store file itself (no write-ahead log to read)."""
    try:
        return path.with_name(path.name + "-wal").stat().st_size == 0
    except FileNotFoundError:
        return True


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
