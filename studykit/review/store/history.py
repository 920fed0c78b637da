"""The answers log, read: the day's counts, the whole log for stats and the memory model, a
pull's replay; the terminal's answers and Anki's, in time order.
"""

from __future__ import annotations

import heapq
import sqlite3
from collections.abc import Collection
from datetime import datetime
from operator import itemgetter
from typing import Any

from studykit.review.scheduler import Grade, Phase
from studykit.review.store.base import Connection
from studykit.review.store.failures import rows_as_written
from studykit.review.store.pulled import (
    Pulled,
    epoch_ms,
    pulled_logs,
    pulled_time,
    records,
    unpacked,
)
from studykit.review.store.rows import Key, Logged, LogRow, timestamp


class History(Connection):
    """The log as its readers read it."""

    def failed_since(self, since: datetime) -> set[Key]:
        """Cards answered Again at or after `since` (cram answers aside)."""
        with self._reading() as db:
            rows = db.execute(
                "SELECT DISTINCT guid, card FROM reviews WHERE time >= ? AND rating = ?",
                (timestamp(since), int(Grade.AGAIN)),
            ).fetchall()
            failed = {(g, c) for g, c in rows}
            if "pulled" in self._tables:
                start, again = epoch_ms(since), int(Grade.AGAIN)
                with rows_as_written(self.path):
                    for guid, card, blob in pulled_logs(db, self._packed, start):
                        if any(r[0] >= start and r[1] == again for r in records(blob)):
                            failed.add((guid, card))
        return failed

    def introduced_since(self, since: datetime) -> int:
        """New cards first answered at or after `since`, in every reading: the daily new-card
        cap is one for the whole library, as the log of every session counts it."""
        with self._reading() as db:
            if "pulled" not in self._tables:
                return count_introduced(db, since, False)
            with rows_as_written(self.path):
                return count_introduced(db, since, self._packed)

    def reviews_since(self, readings: Collection[str], since: datetime) -> tuple[int, int]:
        """Answers to cards in review of these readings at or after `since`, and how many of
        them were not Again: counted by SQLite, since a day can hold thousands (of the answers
        pulled from Anki, only the cards answered since are read)."""
        marks = ", ".join("?" * len(readings))
        with self._reading() as db:
            row = db.execute(
                "SELECT COUNT(*), COALESCE(SUM(rating != ?), 0) FROM reviews "
                f"WHERE time >= ? AND reading IN ({marks}) "
                "AND json_extract(before, '$.phase') = ?",
                (int(Grade.AGAIN), timestamp(since), *readings, int(Phase.REVIEW)),
            ).fetchone()
            reviews, passed = int(row[0]), int(row[1])
            if "pulled" in self._tables:
                start, again, review = epoch_ms(since), int(Grade.AGAIN), int(Phase.REVIEW)
                with rows_as_written(self.path):
                    for _, _, blob in pulled_logs(db, self._packed, start, readings):
                        for r in records(blob):
                            if r[0] >= start and r[4] == review:
                                reviews += 1
                                passed += r[1] != again
        return reviews, passed

    def log(self, reading: str | None = None, since: datetime | None = None) -> list[LogRow]:
        """Logged answers, oldest first: every one, or one reading's since a moment (the time
        index answers that without reading the whole log; of the answers pulled from Anki, the
        cards answered since)."""
        # SQLite reads the phase out of the state JSON itself: one C call, not a json.loads each.
        # A store of an earlier version, read as it is, has no sources: all its answers are
        # the terminal's.
        source = "source" if self._has_source else "'terminal'"
        query = (
            "SELECT guid, card, reading, section, rating, time, json_extract(before, '$.phase'), "
            f"{source} FROM reviews"
        )
        start, readings = None, None
        if reading is not None and since is not None:
            query += " WHERE time >= ? AND reading = ?"
            args: tuple[object, ...] = (timestamp(since), reading)
            start, readings = epoch_ms(since), (reading,)
        else:
            args = ()
        with self._reading() as db:
            rows = db.execute(query + " ORDER BY id", args).fetchall()
            if "pulled" in self._tables:
                notes = {
                    guid: (r, s)
                    for guid, r, s in db.execute("SELECT guid, reading, section FROM pulled_notes")
                }
                pulled: list[tuple[Any, ...]] = []
                with rows_as_written(self.path):
                    for guid, card, blob in pulled_logs(db, self._packed, start, readings):
                        if guid not in notes:  # as a join leaves it out
                            continue
                        r, s = notes[guid]
                        pulled.extend(
                            (guid, card, r, s, rating, rid, None if before < 0 else before)
                            for rid, rating, _, _, before, *_ in records(blob)
                            if start is None or rid >= start
                        )
                pulled.sort(key=itemgetter(5))  # by revlog id: in time order
                more = [(*row[:5], pulled_time(row[5]), row[6], "anki") for row in pulled]
                # Both in time order: merged, they are the whole log in time order.
                rows = list(heapq.merge(rows, more, key=itemgetter(5)))
        return [
            LogRow(
                (g, c),
                reading,
                section,
                Grade(rating),
                time,
                None if phase is None else Phase(phase),
                source,
            )
            for g, c, reading, section, rating, time, phase, source in rows
        ]

    def anki_ids(self) -> set[int]:
        """The revlog ids of every answer pulled from Anki so far."""
        with self._reading() as db:
            # Pulled by a studykit of schema version 3, an answer of Anki's is in `reviews`.
            rows = db.execute("SELECT anki_id FROM reviews WHERE anki_id IS NOT NULL").fetchall()
            ids = {int(row[0]) for row in rows}
            if "pulled" in self._tables:
                with rows_as_written(self.path):
                    for _, _, blob in pulled_logs(db, self._packed):
                        ids.update(map(itemgetter(0), records(blob)))
            return ids

    def last_logged(self) -> dict[Key, int]:
        """The last entry of Anki's log (epoch ms) each pulled card's state has taken in."""
        if "pulled_cards" not in self._tables:
            return {}
        with self._reading() as db:
            rows = db.execute("SELECT guid, card, last_logged FROM pulled_cards").fetchall()
        return {(g, c): int(moment) for g, c, moment in rows}

    def pulled(self) -> list[Pulled]:
        """Every answer pulled from Anki, oldest first (a store of an earlier version keeps
        them in the log of the terminal's)."""
        if "pulled" not in self._tables:
            return []
        found: list[Pulled] = []
        with self._reading() as db, rows_as_written(self.path):
            for guid, card, blob in pulled_logs(db, self._packed):
                found.extend(unpacked(guid, card, blob))
        found.sort(key=itemgetter(0))
        return found

    def answers(self, keys: Collection[Key]) -> list[Logged]:
        """The logged answers of these cards (from the terminal and from Anki), oldest first."""
        wanted = set(keys)
        with self._reading() as db:
            rows = db.execute(
                "SELECT guid, card, time, rating, json_extract(before, '$.phase'), anki_id "
                "FROM reviews ORDER BY time, id"
            ).fetchall()
            found = [Logged((g, c), t, r, p, a) for g, c, t, r, p, a in rows if (g, c) in wanted]
            if "pulled" not in self._tables:
                return found
            pulled: list[Logged] = []
            with rows_as_written(self.path):
                for guid, card, blob in pulled_logs(db, self._packed):
                    key = (guid, card)
                    if key in wanted:
                        pulled.extend(
                            Logged(key, pulled_time(r[0]), r[1], None if r[4] < 0 else r[4], r[0])
                            for r in records(blob)
                        )
        pulled.sort(key=itemgetter(4))  # by revlog id: in time order
        return list(heapq.merge(found, pulled, key=itemgetter(1)))


def count_introduced(db: sqlite3.Connection, since: datetime, pulled: bool | None = True) -> int:
    """New cards first answered at or after `since`, in the terminal or in Anki (`pulled`:
    whether the store's answers pulled from Anki are packed, `_packed`; None: it has none). The
    partial index holds introductions only, and pulled cards are found by their last answer:
    the count reads the day's, however long the log."""
    found = set(
        db.execute(
            "SELECT DISTINCT guid, card FROM reviews WHERE before IS NULL AND time >= ?",
            (timestamp(since),),
        ).fetchall()
    )
    if pulled is not None:
        start = epoch_ms(since)
        for guid, card, blob in pulled_logs(db, pulled, start):
            if (guid, card) not in found and any(r[0] >= start and r[4] < 0 for r in records(blob)):
                found.add((guid, card))
    return len(found)
