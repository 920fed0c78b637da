"""SQLite's failures as one line naming the store: a full disk, a journal a read cannot undo, a
damaged file.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from studykit.errors import StudykitError
from studykit.review.companions import (
    companion,
)


def unreadable(path: Path, exc: sqlite3.DatabaseError) -> StudykitError:
    """The one line `stats` and `list` give for a store they cannot read; they change nothing."""
    if disk_full(path, exc):  # reading a store in WAL mode needs its -shm, 32 KB
        return StudykitError(
            "the disk is full, so the review store cannot be read; nothing in it was changed. "
            "Free some space and run the command again",
            path,
        )
    if getattr(exc, "sqlite_errorcode", None) == SQLITE_READONLY_ROLLBACK:
        # A journal of SQLite's own (`ownership.companions`) that a stopped session left: only
        # a connection that may write rolls it back, and read-only SQLite says only "attempt to
        # write a readonly database".
        journal = companion(path, "-journal").name
        return StudykitError(
            f"{journal} beside it holds a change a stopped session did not finish, which a "
            "read cannot undo; nothing was changed. `studykit review` undoes it (every "
            "answer saved before it is kept): run it, then this command again",
            path,
        )
    if not not_a_database(exc):  # locked, unreadable file: nothing to move aside
        return StudykitError(f"cannot read the review store: {exc}", path)
    what = "the review store is damaged" if "malformed" in str(exc) else "not a review database"
    return StudykitError(
        f"{what} ({exc}); `studykit review` moves it aside (kept) and starts a fresh one", path
    )


@contextlib.contextmanager
def rows_as_written(path: Path) -> Iterator[None]:
    """Within: a row of the store at `path` that holds what studykit never writes (a time that
    is no time, a grade 9, a state without its fields: changed by hand or by another program)
    raises one line naming the store, not a traceback from wherever the value is first used."""
    try:
        yield
    except (KeyError, ValueError, TypeError, AttributeError, OverflowError, RecursionError) as exc:
        # OverflowError: a whole number (a card's) that SQLite holds as infinity.
        # RecursionError: JSON nested thousands deep (json's parser recurses once per bracket).
        raise StudykitError(
            f"a row of the review store is not one studykit wrote ({exc!r}); it was left as it "
            "is: restore the store from a backup, or move it aside to start afresh",
            path,
        ) from exc


SQLITE_FULL = 13
SQLITE_READONLY_ROLLBACK = 8 | 3 << 8  # a hot journal that a read-only connection cannot undo
SQLITE_IOERR = 10
# Free space below which an I/O error of SQLite's is the disk being full: SQLite reports a
# failed write as SQLITE_FULL, but a -shm it cannot grow (its first 32 KB) as an I/O error.
FULL_BELOW = 1 << 20


def disk_full(path: Path, exc: sqlite3.Error) -> bool:
    """Whether SQLite's error is the store's disk being full."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return False
    if code & 0xFF == SQLITE_FULL:
        return True
    if code & 0xFF != SQLITE_IOERR:
        return False
    try:
        found = os.statvfs(path.absolute().parent)
    except (OSError, AttributeError):  # no statvfs (Windows): SQLite's own words stand
        return False
    return found.f_bavail * found.f_frsize < FULL_BELOW


def disk_full_error(path: Path, new: bool) -> StudykitError:
    """The line for a store that a full disk kept from being made or opened."""
    what = (
        "could not be made; nothing was lost"
        if new
        else "could not be opened for writing; nothing in it was changed"
    )
    return StudykitError(
        f"the disk is full, so the review store {what}. Free some space and run the command again",
        path,
    )


def not_a_database(exc: sqlite3.DatabaseError) -> bool:
    text = str(exc)
    return "not a database" in text or "malformed" in text or "encrypted" in text
