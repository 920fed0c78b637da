"""The review store: one SQLite file with each card's state and a log of every answer.

Why it is built this way:
- Each answer is one transaction (log row and new state together), committed before the next
  card is shown, with the write-ahead log synced: a crash, a kill or a power cut loses at most
  the answer being given.
- WAL lets two sessions on one store read and write at once; writers wait (busy timeout) rather
  than fail, so both sessions' answers are all logged.
- Switching a brand-new file to WAL can fail with "database is locked" when two processes
  create it at once, busy timeout or not; opening happens under a lock file for that reason.
- The log keeps, beside the card's key, the reading, section and identity it had when answered,
  and the state before and after, so undo can restore the state exactly and the log still
  means something after the item is deleted from the notes. Rows are never deleted, except the
  one an undo takes back.
- Answers pulled from Anki (`studykit pull`) are kept apart, one row of numbers each keyed by
  Anki's revlog id, and their notes' reading, section and identity once per note: a pull writes
  a student's whole log at once, and rows like the terminal's (text and two states as JSON,
  four indexes) made writing it cost more than all the rest of a pull. The readers of the log
  read both, in time order.
- Answering a card buries its siblings (the note's other cards, new or in review) until the
  next review day, in the answer's own transaction, as Anki's "bury siblings" does; each bury
  row names the answer that made it, so undoing the answer takes its burying back too. A card
  buried by hand has no answer; a suspended card stays out of review until unsuspended.
- Cram answers (`review --cram`) change no card and are kept in a log of their own, apart from
  the answers that schedule: no count, retention or fit of the memory model reads them.
- The daily new-card limit is checked inside the transaction that introduces a card, under the
  write lock: two sessions at once cannot both introduce the last new card of the day.
- A store of studykit's that SQLite finds damaged is moved aside (kept for the student to
  inspect), never deleted; any other file named as the store is refused and left untouched
  (`ownership` says how a file is known to be studykit's). Opening for review runs SQLite's
  quick check first, so a damaged page is found before anything is written or a session
  starts; every later read or write turns SQLite's errors into one line naming the store.
"""

from __future__ import annotations

import contextlib
import functools
import heapq
import json
import math
import os
import sqlite3
import struct
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from studykit.errors import StudykitError, display_path
from studykit.review.ownership import (
    APPLICATION_ID,
    TABLES,
    Header,
    can_make_beside,
    companion,
    companions,
    damaged_unknown,
    databases_beside,
    foreign,
    in_own_folder,
    journal_beside,
    look_inside,
    match_companions,
    not_sqlite,
    open_lock,
    read_header,
    read_only,
    refuse_read_only,
    strangers,
    wal_is_empty,
)
from studykit.review.scheduler import CardState, Grade, Phase

SCHEMA_VERSION = 5
BUSY_TIMEOUT_MS = 30_000
PULL_CACHE_KB = 64 << 10  # SQLite's page cache while a pull writes (`Store.pull`)
PULLED_TABLE = """
CREATE TABLE IF NOT EXISTS pulled (
    guid TEXT NOT NULL,
    card INTEGER NOT NULL,
    first_id INTEGER NOT NULL,    -- Anki's revlog id of the card's first answer (epoch ms)
    last_id INTEGER NOT NULL,     -- and of its last
    answers BLOB NOT NULL,
    PRIMARY KEY (guid, card)
);
"""
SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS cards (
    guid TEXT NOT NULL,
    card INTEGER NOT NULL,
    phase INTEGER NOT NULL,
    due REAL NOT NULL,          -- seconds since the epoch (UTC), for due queries
    state TEXT NOT NULL,        -- the whole CardState as JSON
    PRIMARY KEY (guid, card)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    guid TEXT NOT NULL,
    card INTEGER NOT NULL,
    reading TEXT NOT NULL,
    section TEXT NOT NULL,
    identity TEXT NOT NULL,
    rating INTEGER NOT NULL,
    time TEXT NOT NULL,         -- ISO 8601, UTC, microseconds: sorts as text
    elapsed_ms INTEGER NOT NULL,
    before TEXT,                -- CardState JSON before the answer; NULL for a new card
    after TEXT NOT NULL,
    anki_id INTEGER,            -- Anki's revlog id of an answer pulled from Anki (epoch ms)
    source TEXT NOT NULL DEFAULT 'terminal'  -- 'terminal' or 'anki' (`studykit pull`)
);
CREATE INDEX IF NOT EXISTS reviews_card ON reviews (guid, card);
CREATE INDEX IF NOT EXISTS reviews_time ON reviews (time);
-- The day's introductions, counted under the write lock of each answer to a new card.
CREATE INDEX IF NOT EXISTS reviews_introduced ON reviews (time) WHERE before IS NULL;
CREATE TABLE IF NOT EXISTS buried (
    guid TEXT NOT NULL,
    card INTEGER NOT NULL,
    until REAL NOT NULL,        -- epoch seconds: the start of the review day it comes back
    answer INTEGER,             -- the log row of the answer that buried it; NULL: buried by hand
    PRIMARY KEY (guid, card)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cram (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    guid TEXT NOT NULL,
    card INTEGER NOT NULL,
    reading TEXT NOT NULL,
    section TEXT NOT NULL,
    identity TEXT NOT NULL,
    rating INTEGER NOT NULL,
    time TEXT NOT NULL,         -- ISO 8601, UTC, microseconds
    elapsed_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS suspended (
    guid TEXT NOT NULL,
    card INTEGER NOT NULL,
    since TEXT NOT NULL,        -- ISO 8601, UTC
    PRIMARY KEY (guid, card)
) WITHOUT ROWID;
-- Answers pulled from Anki (`studykit pull`), apart from the terminal's: one row per card, its
-- answers packed in one BLOB (`RECORD`, oldest first), since a pull writes a student's whole log
-- at once (50,000 answers and more) and a row per answer made writing it cost more than all the
-- rest of a pull. `first_id` and `last_id` bound the answers' revlog ids: the day's counts read
-- only the cards answered that day (`pulled_last`).
"""
    + PULLED_TABLE
    + """
-- The reading, section and identity each pulled note had when it was last pulled.
CREATE TABLE IF NOT EXISTS pulled_notes (
    guid TEXT PRIMARY KEY,
    reading TEXT NOT NULL,
    section TEXT NOT NULL,
    identity TEXT NOT NULL
) WITHOUT ROWID;
-- The last entry of Anki's log (epoch ms) each pulled card's state has taken in: a file that
-- logs nothing later of the card (an older backup) leaves it as it is.
CREATE TABLE IF NOT EXISTS pulled_cards (
    guid TEXT NOT NULL,
    card INTEGER NOT NULL,
    last_logged INTEGER NOT NULL,
    PRIMARY KEY (guid, card)
) WITHOUT ROWID;
-- Choices that outlive a session, such as the FSRS settings review uses (`settings.py`).
CREATE TABLE IF NOT EXISTS settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL         -- JSON
) WITHOUT ROWID;
"""
)
# Columns added since a table was first made, for stores made before them (version 3: answers
# pulled from Anki). SQLite adds a column in place, without copying the table.
COLUMNS = {
    "reviews": (
        ("anki_id", "INTEGER"),
        ("source", "TEXT NOT NULL DEFAULT 'terminal'"),
    ),
}
# Indexes over added columns: made once the columns are there.
INDEXES = """
CREATE INDEX IF NOT EXISTS pulled_last ON pulled (last_id);
-- An answer pulled from Anki is logged once, however often the same file is pulled.
CREATE UNIQUE INDEX IF NOT EXISTS reviews_anki ON reviews (anki_id) WHERE anki_id IS NOT NULL;
"""

Key = tuple[str, int]  # (note GUID, card number)


def timestamp(moment: datetime) -> str:
    """A moment as the log stores it: UTC ISO 8601 that sorts as text."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class Stored(NamedTuple):
    """A card's row: enough to queue it without parsing its state.

    A tuple, since a session reads one per card (50,000 and more) before its first question.
    """

    phase: Phase
    due: float  # epoch seconds
    raw: str

    def state(self) -> CardState:
        return CardState.from_json(json.loads(self.raw))


@dataclass(frozen=True)
class Answer:
    """One answer as it is logged."""

    key: Key
    reading: str
    section: str
    identity: str
    grade: Grade
    time: datetime
    elapsed_ms: int
    before: CardState | None
    after: CardState
    siblings: tuple[int, ...] = ()  # the note's other cards: buried until `bury_until`
    bury_until: datetime | None = None


@dataclass(frozen=True)
class CramAnswer:
    """One answer of a cram session: logged, and nothing else."""

    key: Key
    reading: str
    section: str
    identity: str
    grade: Grade
    time: datetime
    elapsed_ms: int


@dataclass(frozen=True)
class NewCap:
    """The daily new-card limit: at most `limit` cards introduced since `since` (04:00)."""

    limit: int
    since: datetime


class NewCardLimit(Exception):
    """The day's new cards were all introduced (by another session) before this answer could
    introduce one: nothing of the answer was written."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"today's {limit} new cards are all introduced")
        self.limit = limit


@dataclass(frozen=True)
class Recorded:
    """An answer as it was committed: its log row and the states it went from and to."""

    log_id: int
    before: CardState | None
    after: CardState


@dataclass(frozen=True)
class LogRow:
    """One logged answer, as stats read it."""

    key: Key
    reading: str
    section: str
    grade: Grade
    time: str  # as stored (UTC ISO)
    before_phase: Phase | None
    source: str = "terminal"  # where it was given: "terminal" or "anki" (`studykit pull`)


class Pulled(NamedTuple):
    """One answer pulled from Anki, as the `pulled` table keeps it (`studykit pull`, packed by
    `RECORD`): numbers, since a pull keeps one per row of a student's review log (50,000 and
    more). Its states are what Anki's log row gives (phase, interval, due), memory unknown."""

    anki_id: int  # Anki's revlog id (epoch ms): the answer's identity and moment
    guid: str
    card: int
    rating: int
    elapsed_ms: int
    reps: int  # answers the card had before this one
    before_phase: int | None  # None: the answer introduced the card
    before_interval: int | None
    before_due: float | None  # epoch seconds
    before_last: float | None  # the answer before it; None: none since the card was new
    phase: int  # after the answer
    interval: int
    due: float
    anki_interval: int  # Anki's revlog row as Anki wrote it: ivl, lastIvl, factor, type
    anki_last_interval: int
    anki_factor: int
    anki_kind: int

    def states(self) -> tuple[CardState | None, CardState]:
        """The card's state before the answer (None: new) and after it."""
        before = None
        if self.before_phase is not None:
            assert self.before_due is not None and self.before_interval is not None
            last = self.before_last
            before = CardState(
                phase=Phase(self.before_phase),
                step=None,
                stability=None,
                difficulty=None,
                due=datetime.fromtimestamp(self.before_due, UTC),
                last_review=None if last is None else datetime.fromtimestamp(last, UTC),
                reps=self.reps,
                lapses=0,
                interval=self.before_interval,
            )
        after = CardState(
            phase=Phase(self.phase),
            step=None,
            stability=None,
            difficulty=None,
            due=datetime.fromtimestamp(self.due, UTC),
            last_review=datetime.fromtimestamp(self.anki_id / 1000, UTC),
            reps=self.reps + 1,
            lapses=0,
            interval=self.interval,
        )
        return before, after


# One answer pulled from Anki as a `pulled` row's BLOB packs it: a `Pulled` without its card's
# key, little-endian and unpadded (68 bytes). What Anki's log leaves unknown is -1 for a phase
# (the state before a card's first answer: its interval then 0) and NaN for a moment. Counts,
# intervals and Anki's factor take 32 bits: a pull bounds them within Anki's 32-bit columns
# (`collection._gather`); the revlog id and the time taken are kept whole.
RECORD = struct.Struct("<qbqibiddbidiiib")
UNKNOWN_PHASE = -1
NAN = math.nan


def packed_answer(row: Pulled) -> bytes:
    """A pulled answer as `RECORD` packs it. ValueError: a value no pull gives (a row of
    version 4 changed by hand)."""
    new = row.before_phase is None
    try:
        return RECORD.pack(
            row.anki_id,
            row.rating,
            row.elapsed_ms,
            row.reps,
            UNKNOWN_PHASE if new else row.before_phase,
            0 if row.before_interval is None else row.before_interval,
            NAN if row.before_due is None else row.before_due,
            NAN if row.before_last is None else row.before_last,
            row.phase,
            row.interval,
            row.due,
            row.anki_interval,
            row.anki_last_interval,
            row.anki_factor,
            row.anki_kind,
        )
    except struct.error as exc:
        raise ValueError(f"a pulled answer {tuple(row)} that does not pack: {exc}") from exc


def records(blob: bytes) -> Iterator[tuple[Any, ...]]:
    """A `pulled` row's answers as `RECORD` unpacks them, oldest first. ValueError: a BLOB
    studykit never writes (changed by hand: not whole records, or not a BLOB)."""
    if not isinstance(blob, bytes) or len(blob) % RECORD.size:
        raise ValueError(f"pulled answers of {len(blob)} bytes, not whole records")
    return RECORD.iter_unpack(blob)


def unpacked(guid: str, card: int, blob: bytes) -> list[Pulled]:
    """A `pulled` row's answers."""
    return [
        Pulled(
            rid,
            guid,
            card,
            rating,
            taken,
            reps,
            None if before < 0 else before,
            None if before < 0 else before_interval,
            None if before_due != before_due else before_due,  # NaN: unknown
            None if last != last else last,
            phase,
            interval,
            due,
            anki_interval,
            anki_last,
            factor,
            kind,
        )
        for (
            rid,
            rating,
            taken,
            reps,
            before,
            before_interval,
            before_due,
            last,
            phase,
            interval,
            due,
            anki_interval,
            anki_last,
            factor,
            kind,
        ) in records(blob)
    ]


def pulled_time(anki_id: int) -> str:
    """A pulled answer's moment as the log writes one (`timestamp`), from its revlog id."""
    return (EPOCH + timedelta(milliseconds=anki_id)).isoformat(timespec="microseconds")


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def epoch_ms(moment: datetime) -> int:
    """The first whole millisecond at or after `moment`, since the epoch: where the pulled
    answers (keyed by Anki's revlog id) given since it begin."""
    return -((EPOCH - moment) // timedelta(milliseconds=1))


class Logged(NamedTuple):
    """One answer of the log, as a pull replays it."""

    key: Key
    time: str  # as stored (UTC ISO)
    rating: int
    before_phase: int | None  # None: the answer introduced the card
    anki_id: int | None


class Undone(NamedTuple):
    """What an undo left: the card's state now (None: new again), and whether the answer taken
    back was the one that introduced the card."""

    state: CardState | None
    introduced: bool


# Schedules an answer again (undo): the card's state before it, its grade, its moment -> after.
Replay = Callable[[CardState | None, Grade, datetime], CardState]


def _default_replay(key: Key) -> Replay:
    from studykit.review.scheduler import Scheduler, fuzz_seed

    scheduler, seed = Scheduler(), fuzz_seed(key)
    return lambda state, grade, moment: scheduler.outcomes(state, moment, seed)[grade].state


class Hidden(NamedTuple):
    """Cards a session does not show now: buried until the next review day, and suspended."""

    buried: frozenset[Key] = frozenset()
    suspended: frozenset[Key] = frozenset()


class Store:
    """An open review store. Use `open_store` or `open_for_reading`."""

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

    def setting(self, name: str) -> str | None:
        """A setting's JSON, None when it was never set (or the store predates settings)."""
        if "settings" not in self._tables:
            return None
        with self._reading() as db:
            row = db.execute("SELECT value FROM settings WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def put_setting(self, name: str, value: str) -> None:
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO settings (name, value) VALUES (?, ?)", (name, value))

    def states(self) -> dict[Key, Stored]:
        """Every card with a state, keyed by (GUID, card number)."""
        with self._reading() as db:
            rows = db.execute("SELECT guid, card, phase, due, state FROM cards").fetchall()
        phases = {int(phase): phase for phase in Phase}  # a lookup: calling the enum is 8x slower
        # float(): a due changed by hand to text fails here, where the store is named.
        return {(g, c): Stored(phases.get(p) or Phase(p), float(d), s) for g, c, p, d, s in rows}

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
                    for guid, card, blob in _pulled_logs(db, self._packed, start):
                        if any(r[0] >= start and r[1] == again for r in records(blob)):
                            failed.add((guid, card))
        return failed

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

    def introduced_since(self, since: datetime) -> int:
        """New cards first answered at or after `since`, in every reading: the daily new-card
        cap is one for the whole library, as the log of every session counts it."""
        with self._reading() as db:
            if "pulled" not in self._tables:
                return _introduced(db, since, False)
            with rows_as_written(self.path):
                return _introduced(db, since, self._packed)

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
                    for _, _, blob in _pulled_logs(db, self._packed, start, readings):
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
                    for guid, card, blob in _pulled_logs(db, self._packed, start, readings):
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

    @functools.cached_property
    def _has_source(self) -> bool:
        with self._reading() as db:
            return any(row[1] == "source" for row in db.execute("PRAGMA table_info(reviews)"))

    @functools.cached_property
    def _packed(self) -> bool:
        """Whether the pulled answers are packed a card a row (schema version 5), not a row
        each (version 4: a store read as it is, not brought up to date)."""
        with self._reading() as db:
            return _packed(db)

    def anki_ids(self) -> set[int]:
        """The revlog ids of every answer pulled from Anki so far."""
        with self._reading() as db:
            # Pulled by a studykit of schema version 3, an answer of Anki's is in `reviews`.
            rows = db.execute("SELECT anki_id FROM reviews WHERE anki_id IS NOT NULL").fetchall()
            ids = {int(row[0]) for row in rows}
            if "pulled" in self._tables:
                with rows_as_written(self.path):
                    for _, _, blob in _pulled_logs(db, self._packed):
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
            for guid, card, blob in _pulled_logs(db, self._packed):
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
                for guid, card, blob in _pulled_logs(db, self._packed):
                    key = (guid, card)
                    if key in wanted:
                        pulled.extend(
                            Logged(key, pulled_time(r[0]), r[1], None if r[4] < 0 else r[4], r[0])
                            for r in records(blob)
                        )
        pulled.sort(key=itemgetter(4))  # by revlog id: in time order
        return list(heapq.merge(found, pulled, key=itemgetter(1)))

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
        size = RECORD.size
        # A whole review log is megabytes in one transaction: in SQLite's default 2 MB page
        # cache, its pages would be spilled to the write-ahead log and written again.
        self._db.execute(f"PRAGMA cache_size = -{PULL_CACHE_KB}")
        with self._transaction() as db, rows_as_written(self.path):
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
                    blob, more = _merged(old, blob)
                    added += more
                    if not more:
                        continue
                rows.append((*key, RECORD.unpack_from(blob)[0], _last_id(blob), blob))
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

    def integrity(self) -> str:
        """SQLite's own integrity check ("ok" when sound)."""
        with self._reading() as db:
            return str(db.execute("PRAGMA integrity_check").fetchone()[0])


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
    if not _not_a_database(exc):  # locked, unreadable file: nothing to move aside
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


def _within(db: sqlite3.Connection, cap: NewCap) -> None:
    """Raise NewCardLimit when the day's new cards are all introduced."""
    if _introduced(db, cap.since) >= cap.limit:
        raise NewCardLimit(cap.limit)


def _introduced(db: sqlite3.Connection, since: datetime, pulled: bool | None = True) -> int:
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
        for guid, card, blob in _pulled_logs(db, pulled, start):
            if (guid, card) not in found and any(r[0] >= start and r[4] < 0 for r in records(blob)):
                found.add((guid, card))
    return len(found)


def _packed(db: sqlite3.Connection) -> bool:
    """Whether the store's pulled answers are packed a card a row (schema version 5)."""
    return any(row[1] == "answers" for row in db.execute("PRAGMA table_info(pulled)"))


def _pulled_logs(
    db: sqlite3.Connection,
    packed: bool,
    since: int | None = None,
    readings: Collection[str] | None = None,
) -> list[tuple[str, int, bytes]]:
    """Each pulled card's answers, packed (`RECORD`, oldest first): every card's, or with
    `since` (epoch ms) those with an answer at or after it, with `readings` those of their
    notes. A store of version 4 (`packed` False), read as it is, has a row per answer: packed
    here."""
    where: list[str] = []
    args: list[object] = []
    if since is not None:
        where.append("p.last_id >= ?" if packed else "p.anki_id >= ?")
        args.append(since)
    query = "FROM pulled p"
    if readings is not None:
        query += " JOIN pulled_notes n ON n.guid = p.guid"
        where.append(f"n.reading IN ({', '.join('?' * len(readings))})")
        args.extend(readings)
    if where:
        query += " WHERE " + " AND ".join(where)
    if packed:
        return db.execute(f"SELECT p.guid, p.card, p.answers {query}", args).fetchall()
    columns = ", ".join(f"p.{name}" for name in Pulled._fields)
    rows = db.execute(f"SELECT {columns} {query} ORDER BY p.guid, p.card, p.anki_id", args)
    cards: dict[Key, list[bytes]] = {}
    for row in rows:
        cards.setdefault((row[1], row[2]), []).append(packed_answer(Pulled(*row)))
    return [(guid, card, b"".join(answers)) for (guid, card), answers in cards.items()]


def _last_id(blob: bytes) -> int:
    """The revlog id of a card's last pulled answer."""
    return int(RECORD.unpack_from(blob, len(blob) - RECORD.size)[0])


def _merged(old: bytes, new: bytes) -> tuple[bytes, int]:
    """A card's pulled answers and more, packed in revlog id order, each once (one logged
    already is left as it is); and how many were added."""
    size = RECORD.size
    # The stored ones through `records`: a BLOB changed by hand is refused in one line.
    ids = [record[0] for record in records(old)]
    kept = {rid: old[at : at + size] for rid, at in zip(ids, range(0, len(old), size), strict=True)}
    added = 0
    for at in range(0, len(new), size):
        rid = RECORD.unpack_from(new, at)[0]
        if rid not in kept:
            kept[rid] = new[at : at + size]
            added += 1
    return b"".join(kept[rid] for rid in sorted(kept)), added


def _repack(db: sqlite3.Connection) -> None:
    """Bring the pulled answers of a store of version 4 (a row each) up to version 5 (a card
    a row), in one transaction: a crash leaves them as they were, to be packed on the next
    opening."""
    if not _packed(db) and "pulled" in _tables(db):
        db.execute("BEGIN IMMEDIATE")
        try:
            cards = _pulled_logs(db, False)
            db.execute("DROP TABLE pulled")
            db.execute(PULLED_TABLE)
            db.executemany(
                "INSERT INTO pulled (guid, card, first_id, last_id, answers) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    (guid, card, RECORD.unpack_from(blob)[0], _last_id(blob), blob)
                    for guid, card, blob in cards
                ],
            )
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")


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
                raise _full(path, new=path not in before) from exc
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
            if not _not_a_database(exc):
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
            _prepare(db, header)
    except sqlite3.DatabaseError as exc:
        db.close()
        _unmake(path, present)
        if disk_full(path, exc):
            raise _full(path, new=header in (Header.NONE, Header.EMPTY)) from exc
        if not _not_a_database(exc):
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
            if _not_a_database(exc) and not in_own_folder(path):
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
        tables = _tables(db)
        if TABLES.issubset(tables):
            _check(db)
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


def _tables(db: sqlite3.Connection) -> set[str]:
    """The tables of a database known to be studykit's (`_claim`, `look_inside`)."""
    return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _prepare(db: sqlite3.Connection, header: Header) -> None:
    """Make a database known to be studykit's a store of this version: mark, schema, columns."""
    if _tables(db):
        # Before anything is written: a damaged store is moved aside whole, as it was found.
        _check(db)
    else:
        # A new store is made in the file itself, its journal in memory (a store with nothing in
        # it has nothing to roll back to), and switched to WAL only once marked: SQLite makes a
        # -wal and -shm at that switch, so whatever stops the making (a full disk, a kill)
        # leaves them only beside a marked store, which the next run knows as its own. Switched
        # first, a full disk left them beside a store not made yet, refused for good after.
        db.execute("PRAGMA journal_mode = MEMORY")
    # FULL syncs the log on each commit: an answer survives a power cut, not only a kill.
    db.execute("PRAGMA synchronous = FULL")
    # A new store (or one made before the mark) is marked and its tables made in one
    # transaction: one sync, where a statement each took one each (a tenth of a pull's time).
    mark = "" if header is Header.MARKED else f"PRAGMA application_id = {APPLICATION_ID};"
    _script(db, mark + SCHEMA)
    _add_columns(db)
    _repack(db)
    _script(db, f"{INDEXES} PRAGMA user_version = {SCHEMA_VERSION};")
    db.execute("PRAGMA journal_mode = WAL")


def _script(db: sqlite3.Connection, script: str) -> None:
    """Run the statements in one transaction (`executescript` would commit one begun here
    first: the script begins and commits its own)."""
    try:
        db.executescript(f"BEGIN IMMEDIATE; {script} COMMIT;")
    except BaseException:
        if db.in_transaction:
            with contextlib.suppress(sqlite3.Error):  # the script's own error is the one to tell
                db.execute("ROLLBACK")
        raise


def _add_columns(db: sqlite3.Connection) -> None:
    """Bring a store of an earlier version up to this one: add the columns it lacks, in one
    transaction (a store opened by an older studykit afterwards still reads and writes: the new
    columns are nullable or have a default)."""
    missing = [
        (table, name, kind)
        for table, columns in COLUMNS.items()
        for name, kind in columns
        if name not in {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
    ]
    if not missing:
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        for table, name, kind in missing:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _check(db: sqlite3.Connection) -> None:
    """Raise SQLite's own error when its quick check finds a damaged page anywhere (a read that
    happens to miss the page would otherwise give figures from a damaged store)."""
    found = [str(row[0]) for row in db.execute("PRAGMA quick_check")]
    if found != ["ok"]:  # the details span lines; the student needs SQLite's summary
        raise sqlite3.DatabaseError("database disk image is malformed")


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


def _full(path: Path, new: bool) -> StudykitError:
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


def _not_a_database(exc: sqlite3.DatabaseError) -> bool:
    text = str(exc)
    return "not a database" in text or "malformed" in text or "encrypted" in text


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
