"""Reading a closed collection of Anki's current schema with SQLite alone, as the `anki` package
would read it for `pull`: its notes' GUIDs, its cards, its review log, each deck's preset and
the collection's day count.

Why it exists and where it stops:
- Importing the `anki` package and opening a collection with it costs more than the rest of a
  pull of a large review log. A collection of the current schema (18) is plain SQLite: its
  tables are read here directly, in the file's scratch copy.
- Presets and decks are protobuf messages in that schema. Only the fields a pull reads are
  decoded (a preset's FSRS parameters and desired retention, a deck's preset), and each float
  comes back as the `anki` package gives it: its shortest decimal as a 32-bit float, which is
  what Anki's JSON of the preset holds.
- Anki's day count is replicated only for the timing every collection made since Anki 2.1.x
  has (scheduler version 2, a rollover hour and the creation offset recorded). A collection of
  another shape (an older schema or timing, a card whose home deck is filtered, a preset that
  is missing) returns None: the `anki` package reads it, exactly as before.
"""

from __future__ import annotations

import json
import math
import sqlite3
import struct
import time
from collections.abc import Callable, Set
from datetime import datetime, timedelta, timezone
from typing import Any, NamedTuple

CURRENT_SCHEMA = 18
DEFAULT_PRESET = 1  # Anki's preset id for decks whose own preset is gone
# Anki's rollover hour where the collection has none (a collection restored from an .apkg).
DEFAULT_ROLLOVER = 4
# DeckConfig.Config's field numbers (Anki's deck_config.proto): FSRS-4.5, -5, -6 parameters.
PARAMETER_FIELDS = {3: "fsrsWeights", 5: "fsrsParams5", 6: "fsrsParams6"}
DESIRED_RETENTION = 37
# Deck.KindContainer: 1 a normal deck (its NormalDeck: 1 the preset id), 2 a filtered one.
NORMAL_DECK, NORMAL_PRESET = 1, 1

CARDS = (
    "SELECT c.id, n.guid, c.ord, c.did, c.odid, c.type, c.queue, c.due, c.odue, c.ivl, "
    "c.left, c.reps, c.lapses, c.data FROM cards c JOIN notes n ON n.id = c.nid"
)
REVLOG = "SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog ORDER BY id"


class Tables(NamedTuple):
    """What a pull reads from a collection, before it is filtered to studykit's notes."""

    guids: list[str]  # every note's GUID
    cards: list[tuple[Any, ...]]  # as CARDS selects them
    revlog: list[tuple[int, ...]]  # as REVLOG selects them
    preset: Callable[[int], dict[str, Any] | None]  # a deck's preset as Anki's JSON; None: no deck
    days: int  # days elapsed since the collection's first day (`col.sched.today`)


class Unusual(Exception):
    """The collection is of a shape read here only by the `anki` package."""


class Unreadable(Exception):
    """A setting of the collection that no reader can take: JSON nested deeper than Python's
    (and Anki's) readers go. Its key is the exception's argument."""


class Fetched(NamedTuple):
    """A collection's rows as SQLite gives them, before studykit's notes are known."""

    guids: list[str]  # every note's GUID
    cards: list[tuple[Any, ...]]  # as CARDS selects them
    revlog: list[tuple[int, ...]]  # as REVLOG selects them
    decks: dict[int, bytes]  # deck id -> its kind (protobuf)
    configs: dict[int, tuple[str, bytes]]  # preset id -> its name and config (protobuf)
    days: int  # days elapsed since the collection's first day (`col.sched.today`)


def read_tables(
    db: sqlite3.Connection, wanted: Set[str], now: float | None = None
) -> Tables | None:
    """The collection's tables, or None when the `anki` package must read them. Presets are
    read for the home decks of the cards of the notes in `wanted` alone; Anki's day count is
    the one at `now` (epoch seconds; the system clock when not given)."""
    fetched = fetch_tables(db, now)
    return None if fetched is None else tables_of(fetched, wanted)


def fetch_tables(db: sqlite3.Connection, now: float | None = None) -> Fetched | None:
    """The rows `read_tables` reads, all fetched before studykit's notes are known (a pull
    keys its notes meanwhile); None when the `anki` package must read them."""
    if db.execute("SELECT ver FROM col").fetchone()[0] != CURRENT_SCHEMA:
        return None
    try:
        days = _days_elapsed(db, time.time() if now is None else now)
    except Unusual:
        return None
    cards = db.execute(CARDS).fetchall()
    decks = dict(db.execute("SELECT id, kind FROM decks").fetchall())
    configs = {row[0]: row[1:] for row in db.execute("SELECT id, name, config FROM deck_config")}
    guids = [row[0] for row in db.execute("SELECT guid FROM notes")]
    revlog = db.execute(REVLOG).fetchall()
    return Fetched(guids, cards, revlog, decks, configs, days)


def tables_of(fetched: Fetched, wanted: Set[str]) -> Tables | None:
    """`read_tables`' answer from the fetched rows: presets read for the home decks of the
    cards of the notes in `wanted` alone."""
    try:
        homes = {row[4] or row[3] for row in fetched.cards if row[1] in wanted}
        presets = {home: _preset(home, fetched.decks, fetched.configs) for home in homes}
    except Unusual:
        return None
    return Tables(fetched.guids, fetched.cards, fetched.revlog, presets.__getitem__, fetched.days)


def _preset(
    home: int, decks: dict[int, bytes], configs: dict[int, tuple[str, bytes]]
) -> dict[str, Any] | None:
    """The preset of a card's home deck as Anki's JSON gives it; None when there is no such
    deck."""
    if home not in decks:
        return None
    kind = _fields(decks[home])
    if NORMAL_DECK not in kind:
        raise Unusual("a filtered deck's own settings")
    normal = _fields(kind[NORMAL_DECK][-1])
    preset = normal.get(NORMAL_PRESET, [0])[-1]
    found = configs.get(preset) or configs.get(DEFAULT_PRESET)
    if found is None:
        raise Unusual("no preset")
    name, config = found
    fields = _fields(config)
    result: dict[str, Any] = {"name": name}
    for number, key in PARAMETER_FIELDS.items():
        result[key] = [_float(raw) for raw in _floats(fields.get(number, []))]
    retention = fields.get(DESIRED_RETENTION)
    result["desiredRetention"] = _float(retention[-1]) if retention else 0.0
    return result


def _fields(message: Any) -> dict[int, list[Any]]:
    """A protobuf message's fields: number -> values (varints as ints, the others as bytes)."""
    if not isinstance(message, bytes):
        raise Unusual("a message that is not protobuf")
    fields: dict[int, list[Any]] = {}
    at, end = 0, len(message)
    value: Any
    try:
        while at < end:
            key, at = _varint(message, at)
            number, wire = key >> 3, key & 7
            if wire == 0:
                value, at = _varint(message, at)
            elif wire == 1:
                value, at = message[at : at + 8], at + 8
            elif wire == 2:
                size, at = _varint(message, at)
                value, at = message[at : at + size], at + size
            elif wire == 5:
                value, at = message[at : at + 4], at + 4
            else:
                raise Unusual(f"protobuf wire type {wire}")
            if at > end:
                raise Unusual("a truncated protobuf message")
            fields.setdefault(number, []).append(value)
    except IndexError:
        raise Unusual("a truncated protobuf message") from None
    return fields


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7
        if shift > 63:  # at most 10 bytes: a longer one would build an ever larger number
            raise Unusual("a varint beyond 64 bits")


def _floats(values: list[Any]) -> list[bytes]:
    """A repeated float field's 4-byte values, packed or not."""
    found: list[bytes] = []
    for value in values:
        if not isinstance(value, bytes) or len(value) % 4:
            raise Unusual("a float field that is not one")
        found.extend(value[i : i + 4] for i in range(0, len(value), 4))
    return found


def _float(raw: Any) -> float | None:
    """A 32-bit float as Anki's JSON writes it: its shortest decimal (None: not finite, which
    JSON writes as null)."""
    if not isinstance(raw, bytes) or len(raw) != 4:
        raise Unusual("a float field that is not one")
    (value,) = struct.unpack("<f", raw)
    if not math.isfinite(value):
        return None
    for digits in range(1, 10):
        text = f"{value:.{digits}g}"
        if struct.pack("<f", float(text)) == raw:
            return float(text)
    return float(value)


def _config(db: sqlite3.Connection, key: str, default: Any = None) -> Any:
    row = db.execute("SELECT val FROM config WHERE key = ?", (key,)).fetchone()
    if row is None and default is not None:
        return default
    if row is None:
        raise Unusual(f"no {key}")
    try:
        return json.loads(row[0])
    except ValueError:
        raise Unusual(f"an unreadable {key}") from None
    except RecursionError:  # json recurses once per bracket: a value nested 100,000 deep
        raise Unreadable(key) from None


def _days_elapsed(db: sqlite3.Connection, moment: float) -> int:
    """Anki's day count at `moment` (`col.sched.today`, then), for scheduler version 2 with the
    creation offset recorded (rslib's `sched_timing_today_v2_new`; a missing rollover hour is
    Anki's 4, as Anki then sets it): the days between the collection's creation date (in the
    offset it was created in) and that day (in the system's offset, as the `anki` package reads
    it), less one before that day's rollover hour."""
    version, rollover, offset = (
        _config(db, "schedVer"),
        _config(db, "rollover", DEFAULT_ROLLOVER),
        _config(db, "creationOffset"),
    )
    numbers = (version, rollover, offset)
    if any(isinstance(n, bool) or not isinstance(n, int) for n in numbers):
        raise Unusual("timing settings that are not numbers")
    if version != 2 or not 0 <= rollover <= 23 or not -24 * 60 < offset < 24 * 60:
        raise Unusual("timing Anki reads its own way")
    (created,) = db.execute("SELECT crt FROM col").fetchone()
    try:
        start = datetime.fromtimestamp(created, timezone(timedelta(minutes=-offset)))
        local = time.localtime(moment).tm_gmtoff
        now = datetime.fromtimestamp(moment, timezone(timedelta(seconds=local)))
    except (OverflowError, ValueError, OSError, TypeError):
        raise Unusual("a creation time beyond the calendar") from None
    days = now.toordinal() - start.toordinal()
    if now < now.replace(hour=rollover, minute=0, second=0, microsecond=0):
        days -= 1
    return max(days, 0)
