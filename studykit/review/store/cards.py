"""Each card's state, and the cards set aside: buried until a later review day, or suspended."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from studykit.review.scheduler import Phase
from studykit.review.store.base import Connection
from studykit.review.store.rows import Hidden, Key, Stored, timestamp


class CardStates(Connection):
    """The cards' states, buryings and suspensions."""

    def states(self) -> dict[Key, Stored]:
        """Every card with a state, keyed by (GUID, card number)."""
        with self._reading() as db:
            rows = db.execute("SELECT guid, card, phase, due, state FROM cards").fetchall()
        phases = {int(phase): phase for phase in Phase}  # a lookup: calling the enum is 8x slower
        # float(): a due changed by hand to text fails here, where the store is named.
        return {(g, c): Stored(phases.get(p) or Phase(p), float(d), s) for g, c, p, d, s in rows}

    def hidden(self, now: datetime) -> Hidden:
        """The cards buried at `now` (until the start of a later review day), and the cards
        suspended."""
        buried: list[Key] = []
        suspended: list[Key] = []
        with self._reading() as db:
            if "buried" in self._tables:
                buried = db.execute(
                    "SELECT guid, card FROM buried WHERE until > ?", (now.timestamp(),)
                ).fetchall()
            if "suspended" in self._tables:
                suspended = db.execute("SELECT guid, card FROM suspended").fetchall()
        return Hidden(frozenset((g, c) for g, c in buried), frozenset((g, c) for g, c in suspended))

    def bury(self, key: Key, until: datetime) -> None:
        """Bury a card by hand until `until` (the start of the next review day)."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO buried (guid, card, until, answer) VALUES (?, ?, ?, NULL) "
                "ON CONFLICT (guid, card) DO UPDATE SET until = excluded.until, answer = NULL",
                (*key, until.timestamp()),
            )

    def unbury(self, key: Key) -> None:
        """Take back a burying by hand (undo)."""
        with self._transaction() as db:
            db.execute("DELETE FROM buried WHERE guid = ? AND card = ?", key)

    def suspend(self, key: Key, now: datetime) -> None:
        """Suspend a card: it is not shown, counted or due until it is unsuspended."""
        with self._transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO suspended (guid, card, since) VALUES (?, ?, ?)",
                (*key, timestamp(now)),
            )

    def unsuspend(self, keys: Collection[Key]) -> int:
        """Unsuspend these cards, in one transaction; how many were suspended."""
        with self._transaction() as db:
            before = db.total_changes
            db.executemany("DELETE FROM suspended WHERE guid = ? AND card = ?", keys)
            return db.total_changes - before
