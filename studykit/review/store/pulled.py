"""Answers pulled from Anki (`studykit pull`), as the `pulled` table keeps them: one row per card,
its answers packed in one BLOB (`RECORD`, oldest first), since a pull writes a student's whole
log at once and a row per answer made writing it cost more than all the rest of a pull.
"""

from __future__ import annotations

import math
import sqlite3
import struct
from collections.abc import Collection, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from studykit.review.scheduler import CardState, Phase
from studykit.review.store.rows import Key


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


def pulled_logs(
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


def last_id(blob: bytes) -> int:
    """The revlog id of a card's last pulled answer."""
    return int(RECORD.unpack_from(blob, len(blob) - RECORD.size)[0])


def merged(old: bytes, new: bytes) -> tuple[bytes, int]:
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
