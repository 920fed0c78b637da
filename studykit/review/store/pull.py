"""A pull's writes: the answers pulled from Anki, their notes, the cards' replayed states and
suspensions, in one transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Mapping
from datetime import datetime

from studykit.review.scheduler import CardState
from studykit.review.store.base import Connection
from studykit.review.store.failures import rows_as_written
from studykit.review.store.pulled import RECORD, last_id, merged
from studykit.review.store.rows import Key, timestamp

PULL_CACHE_KB = 64 << 10  # SQLite's page cache while a pull writes (`Store.pull`)


class PullWrites(Connection):
    """What `studykit pull` writes."""

    def pull(
        self,
        answers: Mapping[Key, bytes],
        notes: Mapping[str, tuple[str, str, str]],
        states: dict[Key, CardState | None],
        suspend: Collection[Key],
        now: datetime,
        texts: Mapping[Key, str] | None = None,
        logged: Mapping[Key, int] | None = None,
        settings: Mapping[str, str] | None = None,
    ) -> int:
        """Log answers pulled from Anki (each card's, packed by `RECORD` oldest first; each
        once: one already logged is left as it is) with their notes' (GUID -> reading, section,
        identity), set the cards' replayed states (None: the card is new again) and suspend
        cards, in one transaction; how many answers were new. `texts`: the states' JSON, where
        the caller has made it already; `logged`: the last entry of Anki's log each card's
        state now takes in (kept where later); `settings`: settings to keep with them (name ->
        JSON, as `put_setting`)."""
        texts = texts or {}
        # A whole review log is megabytes in one transaction: in SQLite's default 2 MB page
        # cache, its pages would be spilled to the write-ahead log and written again.
        self._db.execute(f"PRAGMA cache_size = -{PULL_CACHE_KB}")
        with self._transaction() as db, rows_as_written(self.path):
            rows, added = _merged_rows(db, answers)
            db.executemany(
                "INSERT INTO pulled (guid, card, first_id, last_id, answers) "
                "VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (guid, card) DO UPDATE SET first_id = excluded.first_id, "
                "last_id = excluded.last_id, answers = excluded.answers",
                rows,
            )
            db.executemany(
                "INSERT INTO pulled_notes (guid, reading, section, identity) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (guid) DO UPDATE SET reading = "
                "excluded.reading, section = excluded.section, identity = excluded.identity",
                [(guid, *note) for guid, note in notes.items()],
            )
            gone = [key for key, state in states.items() if state is None]
            db.executemany("DELETE FROM cards WHERE guid = ? AND card = ?", gone)
            db.executemany(
                "INSERT INTO cards (guid, card, phase, due, state) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (guid, card) DO UPDATE SET phase = excluded.phase, "
                "due = excluded.due, state = excluded.state",
                [
                    (
                        *key,
                        int(state.phase),
                        state.due.timestamp(),
                        texts.get(key) or json.dumps(state.to_json()),
                    )
                    for key, state in states.items()
                    if state is not None
                ],
            )
            db.executemany(
                "INSERT OR IGNORE INTO suspended (guid, card, since) VALUES (?, ?, ?)",
                [(*key, timestamp(now)) for key in suspend],
            )
            db.executemany(
                "INSERT INTO pulled_cards (guid, card, last_logged) VALUES (?, ?, ?) "
                "ON CONFLICT (guid, card) DO UPDATE SET "
                "last_logged = max(last_logged, excluded.last_logged)",
                [(*key, moment) for key, moment in (logged or {}).items()],
            )
            db.executemany(
                "INSERT OR REPLACE INTO settings (name, value) VALUES (?, ?)",
                list((settings or {}).items()),
            )
        return added


def _merged_rows(
    db: sqlite3.Connection, answers: Mapping[Key, bytes]
) -> tuple[list[tuple[str, int, int, int, bytes]], int]:
    """The `pulled` rows to write: each card's answers, merged by revlog id with those a pull
    logged before; and how many answers are new. A card with none new is left out."""
    size = RECORD.size
    # A card pulled before: its answers and these, merged by revlog id.
    had: dict[Key, bytes] = {}
    if answers and db.execute("SELECT 1 FROM pulled LIMIT 1").fetchone():
        for guid, card, blob in db.execute("SELECT guid, card, answers FROM pulled"):
            if (guid, card) in answers:
                had[(guid, card)] = blob
    rows = []
    added = 0
    for key, blob in answers.items():
        if not blob:
            continue
        old = had.get(key)
        if old is None:
            added += len(blob) // size
        else:
            blob, more = merged(old, blob)
            added += more
            if not more:
                continue
        rows.append((*key, RECORD.unpack_from(blob)[0], last_id(blob), blob))
    return rows, added
