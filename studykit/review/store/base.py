"""An open store's connection: a transaction per write, and reads that name the store when SQLite
fails.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
from collections.abc import Collection, Iterator
from pathlib import Path

from studykit.errors import StudykitError
from studykit.review.store.failures import unreadable
from studykit.review.store.schema import is_packed


class Connection:
    """An open store's connection, and what every part of the store reads of it."""

    def __init__(
        self, connection: sqlite3.Connection, path: Path, tables: Collection[str] = ()
    ) -> None:
        self._db = connection
        self.path = path
        # A store of an earlier version, opened read only, may lack the newer tables.
        self._tables = frozenset(
            tables or ("buried", "suspended", "settings", "pulled", "pulled_cards")
        )

    def close(self) -> None:
        self._db.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        # IMMEDIATE takes the write lock up front: a second session waits here, not mid-way.
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            # A full disk or a store locked for longer than the busy timeout: say so plainly;
            # the answers committed before are safe.
            raise StudykitError(f"cannot save to the review store: {exc}", self.path) from exc

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        try:
            yield self._db
        except sqlite3.DatabaseError as exc:
            raise unreadable(self.path, exc) from exc

    @functools.cached_property
    def _has_source(self) -> bool:
        with self._reading() as db:
            return any(row[1] == "source" for row in db.execute("PRAGMA table_info(reviews)"))

    @functools.cached_property
    def _packed(self) -> bool:
        """Whether the pulled answers are packed a card a row (schema version 5), not a row
        each (version 4: a store read as it is, not brought up to date)."""
        with self._reading() as db:
            return is_packed(db)

    def integrity(self) -> str:
        """SQLite's own integrity check ("ok" when sound)."""
        with self._reading() as db:
            return str(db.execute("PRAGMA integrity_check").fetchone()[0])
