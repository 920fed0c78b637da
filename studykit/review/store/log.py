"""The answers log, written: each answer in one transaction with the card's new state and its
siblings' burying; an answer taken back; the cram log.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import datetime

from studykit.review.scheduler import CardState, Grade, Phase
from studykit.review.store.base import Connection
from studykit.review.store.failures import rows_as_written
from studykit.review.store.history import count_introduced
from studykit.review.store.rows import (
    Answer,
    CramAnswer,
    Key,
    NewCap,
    NewCardLimit,
    Recorded,
    Replay,
    Undone,
    timestamp,
)


class AnswerLog(Connection):
    """Answers logged and taken back."""

    def record(
        self,
        answer: Answer,
        reschedule: Callable[[CardState | None], CardState] | None = None,
        new_cap: NewCap | None = None,
    ) -> Recorded:
        """Log an answer, store the card's new state and bury its siblings, in one committed
        transaction.

        When another session answered the card since `answer.before` was read, `reschedule`
        gives the new state from the card's current one, so the later answer builds on the
        earlier instead of overwriting it; both are logged. An answer that would introduce a
        new card beyond `new_cap` raises NewCardLimit and writes nothing.
        """
        guid, card = answer.key
        now_before, now_after = answer.before, answer.after
        with self._transaction() as db:
            # Read under the write lock: no other session can answer between this and COMMIT.
            row = db.execute(
                "SELECT state FROM cards WHERE guid = ? AND card = ?", answer.key
            ).fetchone()
            if row is None and new_cap is not None:  # the answer introduces a new card
                _within(db, new_cap)
            if reschedule is not None:
                with rows_as_written(self.path):
                    current = CardState.from_json(json.loads(row[0])) if row else None
                if current != answer.before:
                    now_before, now_after = current, reschedule(current)
            before = json.dumps(now_before.to_json()) if now_before else None
            after = json.dumps(now_after.to_json())
            cursor = db.execute(
                "INSERT INTO reviews (guid, card, reading, section, identity, rating, time, "
                "elapsed_ms, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    guid,
                    card,
                    answer.reading,
                    answer.section,
                    answer.identity,
                    int(answer.grade),
                    timestamp(answer.time),
                    answer.elapsed_ms,
                    before,
                    after,
                ),
            )
            _put(db, answer.key, now_after, after)
            assert cursor.lastrowid is not None
            if answer.siblings and answer.bury_until is not None:
                _bury_siblings(db, answer, cursor.lastrowid)
        return Recorded(cursor.lastrowid, now_before, now_after)

    def undo(self, log_id: int, replay: Replay | None = None) -> Undone | None:
        """Take back a logged answer: its row goes, and the card's state is what the answers
        left in the log make it. None: there is no such answer (nothing changed).

        An answer given after it (by another session) stays: it is scheduled again, in log
        order, from the state the undone answer started from (`replay`: FSRS's default
        scheduler when not given), and its log row's states are rewritten to match, so a later
        undo of it restores what the log says."""
        with self._transaction() as db:
            row = db.execute(
                "SELECT guid, card, before FROM reviews WHERE id = ?", (log_id,)
            ).fetchone()
            if row is None:
                return None
            guid, card, before = row
            later = db.execute(
                "SELECT id, rating, time FROM reviews WHERE guid = ? AND card = ? AND id > ? "
                "ORDER BY id",
                (guid, card, log_id),
            ).fetchall()
            db.execute("DELETE FROM reviews WHERE id = ?", (log_id,))
            # The siblings it buried come back (they share its GUID: the key finds them).
            db.execute("DELETE FROM buried WHERE guid = ? AND answer = ?", (guid, log_id))
            with rows_as_written(self.path):
                state = CardState.from_json(json.loads(before)) if before else None
                raw = before
                for later_id, rating, moment in later:
                    again = (replay or _default_replay((guid, card)))(
                        state, Grade(rating), datetime.fromisoformat(moment)
                    )
                    raw = json.dumps(again.to_json())
                    db.execute(
                        "UPDATE reviews SET before = ?, after = ? WHERE id = ?",
                        (None if state is None else json.dumps(state.to_json()), raw, later_id),
                    )
                    state = again
            if state is None:
                db.execute("DELETE FROM cards WHERE guid = ? AND card = ?", (guid, card))
            else:
                assert raw is not None
                _put(db, (guid, card), state, raw)
            return Undone(state, introduced=before is None)

    def cram(self, answer: CramAnswer) -> int:
        """Log a cram answer (its own log: no card changes); its row id, for undo."""
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO cram (guid, card, reading, section, identity, rating, time, "
                "elapsed_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    *answer.key,
                    answer.reading,
                    answer.section,
                    answer.identity,
                    int(answer.grade),
                    timestamp(answer.time),
                    answer.elapsed_ms,
                ),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def undo_cram(self, log_id: int) -> None:
        """Take back a cram answer."""
        with self._transaction() as db:
            db.execute("DELETE FROM cram WHERE id = ?", (log_id,))


def _default_replay(key: Key) -> Replay:
    from studykit.review.scheduler import Scheduler, fuzz_seed

    scheduler, seed = Scheduler(), fuzz_seed(key)
    return lambda state, grade, moment: scheduler.outcomes(state, moment, seed)[grade].state


def _within(db: sqlite3.Connection, cap: NewCap) -> None:
    """Raise NewCardLimit when the day's new cards are all introduced."""
    if count_introduced(db, cap.since) >= cap.limit:
        raise NewCardLimit(cap.limit)


def _bury_siblings(db: sqlite3.Connection, answer: Answer, log_id: int) -> None:
    """Bury the answered card's siblings that are new or in review, as Anki does (a sibling in
    learning goes on); one already buried keeps the burying it has."""
    assert answer.bury_until is not None
    guid = answer.key[0]
    phases = dict(db.execute("SELECT card, phase FROM cards WHERE guid = ?", (guid,)).fetchall())
    review = int(Phase.REVIEW)
    until, moment = answer.bury_until.timestamp(), answer.time.timestamp()
    db.executemany(
        "INSERT INTO buried (guid, card, until, answer) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (guid, card) DO UPDATE SET until = excluded.until, "
        "answer = excluded.answer WHERE buried.until <= ?",
        [
            (guid, card, until, log_id, moment)
            for card in answer.siblings
            if phases.get(card, review) == review
        ],
    )


def _put(db: sqlite3.Connection, key: Key, state: CardState, raw: str) -> None:
    db.execute(
        "INSERT INTO cards (guid, card, phase, due, state) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (guid, card) DO UPDATE SET phase = excluded.phase, due = excluded.due, "
        "state = excluded.state",
        (*key, int(state.phase), state.due.timestamp(), raw),
    )
