"""The store's tables, and bringing a store of an earlier version up to this one."""

from __future__ import annotations

import contextlib
import sqlite3

from studykit.review.ownership import (
    APPLICATION_ID,
    Header,
)
from studykit.review.store.pulled import RECORD, last_id, pulled_logs

SCHEMA_VERSION = 5

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


def is_packed(db: sqlite3.Connection) -> bool:
    """Whether the store's pulled answers are packed a card a row (schema version 5)."""
    return any(row[1] == "answers" for row in db.execute("PRAGMA table_info(pulled)"))


def repack(db: sqlite3.Connection) -> None:
    """Bring the pulled answers of a store of version 4 (a row each) up to version 5 (a card
    a row), in one transaction: a crash leaves them as they were, to be packed on the next
    opening."""
    if not is_packed(db) and "pulled" in table_names(db):
        db.execute("BEGIN IMMEDIATE")
        try:
            cards = pulled_logs(db, False)
            db.execute("DROP TABLE pulled")
            db.execute(PULLED_TABLE)
            db.executemany(
                "INSERT INTO pulled (guid, card, first_id, last_id, answers) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    (guid, card, RECORD.unpack_from(blob)[0], last_id(blob), blob)
                    for guid, card, blob in cards
                ],
            )
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")


def table_names(db: sqlite3.Connection) -> set[str]:
    """The tables of a database known to be studykit's (`_claim`, `look_inside`)."""
    return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def prepare(db: sqlite3.Connection, header: Header) -> None:
    """Make a database known to be studykit's a store of this version: mark, schema, columns."""
    if table_names(db):
        # Before anything is written: a damaged store is moved aside whole, as it was found.
        quick_check(db)
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
    repack(db)
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


def quick_check(db: sqlite3.Connection) -> None:
    """Raise SQLite's own error when its quick check finds a damaged page anywhere (a read that
    happens to miss the page would otherwise give figures from a damaged store)."""
    found = [str(row[0]) for row in db.execute("PRAGMA quick_check")]
    if found != ["ok"]:  # the details span lines; the student needs SQLite's summary
        raise sqlite3.DatabaseError("database disk image is malformed")
