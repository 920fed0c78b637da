"""The files SQLite keeps beside a store (`-wal`, `-shm`, `-journal`): changed only beside a store
known to be studykit's, and there only when they are provably SQLite's; a student's
`progress-wal` beside `--state progress` is refused, not deleted (`ownership` says whose a store
is).
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from studykit.errors import StudykitError, display_path

MAGIC = b"SQLite format 3\x00"
HEADER = 100  # bytes of a SQLite file header
COMPANIONS = ("-wal", "-shm")
STRANGERS = (*COMPANIONS, "-journal")  # what SQLite takes over or deletes beside a new store


WAL_MAGIC = (0x377F0682, 0x377F0683)  # the first 4 bytes of a write-ahead log (big-endian)
WAL_HEADER = 32  # bytes of a log's header; its frames follow
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")  # the first 8 bytes of a rollback journal


def log_beside(path: Path) -> bool:
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
        return f"it is {kind_of(mode)}"
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


def all_sqlites(path: Path) -> bool:
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


def kind_of(mode: int) -> str:
    """What a file that is not a regular one is, in a word or two."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"
