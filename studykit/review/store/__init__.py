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

The store is one class to its callers (`Store`, as `open_store` or `open_for_reading` gives it),
its methods kept in a module per concept: `settings`, `cards` (states, buryings, suspensions),
`log` (answers written and taken back), `history` (the log read), `pull` (what a pull writes);
the tables and their upgrades in `schema`, the packed answers of Anki's in `pulled`, opening
and moving a damaged store aside in `opening`, SQLite's failures as one line in `failures`.
"""

from studykit.review.store.failures import disk_full, rows_as_written, unreadable
from studykit.review.store.opening import Opened, Store, open_for_reading, open_store, store_lock
from studykit.review.store.pulled import (
    RECORD,
    UNKNOWN_PHASE,
    Pulled,
    epoch_ms,
    packed_answer,
    pulled_time,
    records,
    unpacked,
)
from studykit.review.store.rows import (
    Answer,
    CramAnswer,
    Hidden,
    Key,
    Logged,
    LogRow,
    NewCap,
    NewCardLimit,
    Recorded,
    Replay,
    Stored,
    Undone,
    timestamp,
)
from studykit.review.store.schema import SCHEMA, SCHEMA_VERSION

__all__ = [
    "RECORD",
    "SCHEMA",
    "SCHEMA_VERSION",
    "UNKNOWN_PHASE",
    "Answer",
    "CramAnswer",
    "Hidden",
    "Key",
    "LogRow",
    "Logged",
    "NewCap",
    "NewCardLimit",
    "Opened",
    "Pulled",
    "Recorded",
    "Replay",
    "Store",
    "Stored",
    "Undone",
    "disk_full",
    "epoch_ms",
    "open_for_reading",
    "open_store",
    "packed_answer",
    "pulled_time",
    "records",
    "rows_as_written",
    "store_lock",
    "timestamp",
    "unpacked",
    "unreadable",
]
