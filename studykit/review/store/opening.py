"""Opening a store: for review (made if missing, a damaged store of studykit's moved aside, an
older one brought up to date, under a lock file) or for reading (nothing changed).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from studykit.errors import StudykitError, display_path
from studykit.review.companions import (
    companions,
    databases_beside,
    journal_beside,
    match_companions,
    strangers,
    wal_is_empty,
)
from studykit.review.ownership import (
    TABLES,
    Header,
    can_make_beside,
    damaged_unknown,
    foreign,
    in_own_folder,
    look_inside,
    not_sqlite,
    open_lock,
    read_header,
    read_only,
    refuse_read_only,
)
from studykit.review.store.cards import CardStates
from studykit.review.store.failures import (
    disk_full,
    disk_full_error,
    not_a_database,
    rows_as_written,
    unreadable,
)
from studykit.review.store.history import History
from studykit.review.store.log import AnswerLog
from studykit.review.store.pull import PullWrites
from studykit.review.store.schema import prepare, quick_check, table_names
from studykit.review.store.settings import Settings

BUSY_TIMEOUT_MS = 30_000


class Store(Settings, CardStates, AnswerLog, History, PullWrites):
    """An open review store. Use `open_store` or `open_for_reading`."""


@dataclass(frozen=True)
class Opened:
    store: Store
    notice: str | None  # what the student should be told (a store moved aside)


class _Damaged(Exception):
    """A store of studykit's that SQLite cannot read, or a file in studykit's own folder that
    is not a database: moved aside."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def open_store(path: Path, now: datetime) -> Opened:
    """Open the store for review, creating it if missing. A store of studykit's that SQLite
    finds damaged (or, in studykit's own folder, a file that is not a database) is renamed
    `<name>.corrupt-<timestamp>` and a fresh store is started; any other file is refused and
    left untouched, as is a store this user may not write (see `ownership`)."""
    # Before the lock file is made beside it (a device, a FIFO and another program's database
    # are refused here). A broken store of ours is moved aside under the lock; companions are
    # judged there too, since a session making this store meanwhile has its own beside it.
    databases_beside(path)
    with contextlib.suppress(_Damaged):
        _claim(path, judge_companions=False)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StudykitError(f"cannot create the review store: {exc.strerror}", path) from exc
    with store_lock(path):
        before = _present(path)
        notice = None
        try:
            db = _open_ours(path)
        except _Damaged as damaged:
            aside = _move_aside(path, now)
            what = "was damaged" if "malformed" in damaged.reason else "was not a review database"
            notice = (
                f"{display_path(path)} {what} ({damaged.reason}); moved it to {aside.name} "
                "beside it (kept) and started a fresh store"
            )
            db = _open_ours(path)
        match_companions(path)
        # Buryings of earlier days have run out; the table keeps only the ones that may still
        # hold. The first write to the log: a disk with room for the store and not its -shm
        # fails here, and a store made in this run is taken back as if it had failed sooner.
        try:
            db.execute("DELETE FROM buried WHERE until <= ?", (now.timestamp(),))
        except sqlite3.Error as exc:
            db.close()
            _unmake(path, before)
            if disk_full(path, exc):
                raise disk_full_error(path, new=path not in before) from exc
            raise StudykitError(f"cannot open the review store: {exc}", path) from exc
    return Opened(Store(db, path), notice)


def _refuse(path: Path, header: Header) -> None:
    """Raise for a file review must leave alone: not studykit's, or not writable."""
    if header is Header.NOT_SQLITE and not in_own_folder(path):
        raise not_sqlite(path)
    if header is Header.OTHER:
        raise foreign(path)
    if header is not Header.NOT_SQLITE and read_only(path):
        raise refuse_read_only(path)


def _claim(path: Path, judge_companions: bool = True) -> Header:
    """Whose the file is, nothing written: raise StudykitError for a file review must leave
    alone, _Damaged for a broken store of studykit's (or junk in its own folder)."""
    header = read_header(path)
    _refuse(path, header)
    if header is Header.NOT_SQLITE:  # only in studykit's own folder: a broken store
        raise _Damaged("file is not a database")
    if header is Header.UNMARKED:
        try:
            header = look_inside(path)
        except sqlite3.DatabaseError as exc:
            if not not_a_database(exc):
                raise StudykitError(f"cannot open the review store: {exc}", path) from exc
            # Without the mark only the tables tell whose it is, and they cannot be read.
            if not in_own_folder(path):
                raise damaged_unknown(path, str(exc)) from exc
            raise _Damaged(str(exc)) from exc
    if judge_companions and header in (Header.NONE, Header.EMPTY):
        strangers(path)
    if header in (Header.MARKED, Header.UNMARKED):
        companions(path)  # a file of the student's named like one, which SQLite would delete
    return header


def _open_ours(path: Path) -> sqlite3.Connection:
    """Connect to the store and prepare it; raise _Damaged for a broken store of studykit's.
    Called under the store's lock, so the file is looked at again: another session may have
    created it or moved it aside meanwhile."""
    header = _claim(path)
    if header not in (Header.NONE, Header.EMPTY):
        match_companions(path)  # a -shm left read-only keeps SQLite from writing the store
    present = _present(path)  # a store not there before and not finished is taken back
    db = _connect(path)
    try:
        with rows_as_written(path):  # a row of version 4's pulled answers changed by hand
            prepare(db, header)
    except sqlite3.DatabaseError as exc:
        db.close()
        _unmake(path, present)
        if disk_full(path, exc):
            raise disk_full_error(path, new=header in (Header.NONE, Header.EMPTY)) from exc
        if not not_a_database(exc):
            raise StudykitError(f"cannot open the review store: {exc}", path) from exc
        raise _Damaged(str(exc)) from exc
    except BaseException:
        db.close()
        _unmake(path, present)
        raise
    return db


def open_for_reading(path: Path) -> Store | None:
    """Open an existing store without changing anything; None when there is none yet. A file
    that is not studykit's is refused as review refuses it."""
    header = read_header(path)
    if header is Header.NONE:
        return None
    if header is Header.OTHER:
        raise foreign(path)
    if header is Header.NOT_SQLITE:
        if not in_own_folder(path):
            raise not_sqlite(path)
        # Review moves it aside there: the line says so.
        raise unreadable(path, sqlite3.DatabaseError("file is not a database"))
    if header is Header.UNMARKED:
        try:
            header = look_inside(path)
        except sqlite3.DatabaseError as exc:
            # Without the mark only the tables tell whose it is, and they cannot be read.
            if not_a_database(exc) and not in_own_folder(path):
                raise damaged_unknown(path, str(exc)) from exc
            raise unreadable(path, exc) from exc
    if header is Header.EMPTY:  # a database with nothing in it: nothing reviewed
        return None
    databases_beside(path)
    companions(path)  # a file of the student's named like one, which SQLite would write over
    match_companions(path)
    try:
        db = sqlite3.connect(_reading_uri(path), uri=True, timeout=30)
    except sqlite3.DatabaseError as exc:  # cannot open (unreadable file, say)
        raise unreadable(path, exc) from exc
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        tables = table_names(db)
        if TABLES.issubset(tables):
            quick_check(db)
    except sqlite3.DatabaseError as exc:
        db.close()
        raise unreadable(path, exc) from exc
    except BaseException:
        db.close()
        raise
    if not TABLES.issubset(tables):  # a database with no tables yet: nothing reviewed
        db.close()
        return None
    return Store(db, path, tables)


def _reading_uri(path: Path) -> str:
    uri = f"{path.resolve().as_uri()}?mode=ro"
    # A store this user may not write, with every answer in the file itself, is read as it
    # is: SQLite then leaves no -shm or -wal beside it (it cannot remove them after). So is a
    # store in a folder where nothing can be made (a read-only file system or folder): a
    # store in WAL mode cannot be opened there otherwise, as its -shm cannot be made.
    if (
        (read_only(path) or not can_make_beside(path))
        and wal_is_empty(path)
        and not journal_beside(path)  # its pages may hold half a change the journal undoes
    ):
        uri += "&immutable=1"
    return uri


def _connect(path: Path) -> sqlite3.Connection:
    # Autocommit mode: transactions are opened explicitly, one per answer.
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return db


def _present(path: Path) -> frozenset[Path]:
    """The store and the -wal, -shm and -journal beside it that are there now."""
    beside = (path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal"))
    return frozenset(p for p in (path, *beside) if os.path.lexists(p))


def _unmake(path: Path, present: frozenset[Path]) -> None:
    """Take back a store this run began and could not finish (under the store's lock, so no
    other session is making it): the store file and what SQLite made beside it. No answer is
    in it yet, and the next run starts afresh. A store that was there before is left as it is."""
    if path in present:
        return
    for made in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
        if made not in present:
            with contextlib.suppress(OSError):  # removing needs no space: only a race fails
                made.unlink()


def _move_aside(path: Path, now: datetime) -> Path:
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    number = 1
    while aside.exists():
        number += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{number}")
    try:
        path.replace(aside)
        # The journal goes too: the fresh store must not find it (`ownership.strangers`).
        for suffix in ("-wal", "-shm", "-journal"):
            extra = path.with_name(path.name + suffix)
            if extra.exists():
                extra.replace(aside.with_name(aside.name + suffix))
    except OSError as exc:
        raise StudykitError(
            f"not a review database, and it cannot be moved aside: {exc.strerror}", path
        ) from exc
    return aside


@contextlib.contextmanager
def store_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `<store>.lock`: while the store is opened and prepared, or
    taken over from an older place."""
    try:
        import fcntl
    except ImportError:  # Windows: no flock; the busy timeout has to do
        yield
        return
    lock = path.with_name(path.name + ".lock")
    with os.fdopen(open_lock(lock), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
