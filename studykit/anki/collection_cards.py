"""The cards of studykit's notes, their review log and their presets, from a collection's rows
(`tables` selects them, or the `anki` package): each checked against what Anki itself writes, a
value Anki never writes refused in one line, a number beyond Anki's columns bounded."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from studykit.anki.tables import (
    Tables,
)
from studykit.errors import StudykitError
from studykit.review.scheduler import MAXIMUM_INTERVAL, PARAMETERS, review_date

ANKI_INT = 2**31 - 1  # the largest number a 32-bit column of Anki's holds
STUDYKIT_GUID = re.compile(r"sk[0-9a-f]{20}")  # `identity.guid_for`'s shape
# FSRS-6's bounds on each parameter, as the fsrs crate clips them when it optimises (memory
# state bounds 0.001 to 100 for the first stabilities, difficulty 1 to 10): a preset outside
# them was not written by Anki's optimiser, and its formulas may divide by zero or overflow.
PARAMETER_BOUNDS = (
    (0.001, 100.0), (0.001, 100.0), (0.001, 100.0), (0.001, 100.0), (1.0, 10.0),
    (0.001, 4.0), (0.001, 4.0), (0.001, 0.75), (0.0, 4.5), (0.0, 0.8), (0.001, 3.5),
    (0.001, 5.0), (0.001, 0.25), (0.001, 0.9), (0.0, 4.0), (0.0, 1.0), (1.0, 6.0),
    (0.0, 2.0), (0.0, 2.0), (0.0, 0.8), (0.1, 0.8),
)  # fmt: skip
# The last moment a review log entry may name (the end of 9999, less a day for time zones):
# Python's dates end with that year.
LAST_MS = 253_402_214_400_000 - 86_400_000
# A log entry's intervals are bounded (`gather`) to at most the maximum interval either way
# (negative: a learning step's seconds), within Anki's 32-bit columns.
LOW_INTERVAL = max(-MAXIMUM_INTERVAL * 86_400, -ANKI_INT)
# The values Anki's own schema reads (rslib's CardType, CardQueue, RevlogReviewKind) and the
# buttons it logs (0: a manual entry): anything else was written by hand or another program.
CARD_TYPES = frozenset(range(4))
CARD_QUEUES = frozenset(range(-3, 5))
REVLOG_TYPES = frozenset(range(6))
REVLOG_BUTTONS = frozenset(range(5))
# The columns Anki keeps as whole numbers, as a student's Anki names them (its browser's and
# card info's words), of a card and of a log entry read here.
CARD_NUMBERS = ("card number", "due", "original due", "interval", "steps left", "reviews", "lapses")
REVLOG_NUMBERS = ("interval", "last interval", "ease factor", "time")


class AnkiCard(NamedTuple):
    """One card of a studykit note as the collection holds it."""

    guid: str
    number: int  # Anki's card ord
    kind: int  # card type: 0 new, 1 learning, 2 review, 3 relearning
    queue: int  # -1 suspended, -2/-3 buried, 0 new, 1/3 learning, 2 review
    due: datetime | None  # when it is due, in the student's zone (None: new)
    interval: int  # days
    left: int  # learning steps left (Anki's `left`, modulo 1000)
    reps: int
    lapses: int
    stability: float | None
    difficulty: float | None
    preset: str  # the name of its deck's preset (its home deck's, in a filtered deck)


class Entry(NamedTuple):
    """One row of Anki's review log, on a card of a studykit note."""

    id: int  # epoch milliseconds: the answer's identity
    key: tuple[str, int]  # (note GUID, card ord)
    button: int  # 1-4; 0 for a manual entry
    interval: int  # the new interval: days, or -seconds for a learning step
    last_interval: int
    factor: int  # ease factor; 0 for a reset (manual) and for cramming (filtered)
    taken_ms: int
    kind: int  # 0 learning, 1 review, 2 relearning, 3 filtered, 4 manual, 5 rescheduled


@dataclass(frozen=True)
class Preset:
    """An Anki deck-options preset: the FSRS parameters and desired retention it schedules with."""

    name: str
    parameters: tuple[float, ...]
    retention: float
    own: bool  # parameters of its own (optimised), not FSRS's defaults
    unusable: str | None = None  # why its own settings were set aside for FSRS's defaults


@dataclass(frozen=True)
class Collected:
    """What a pull reads from a collection: studykit's cards, their log, their presets, and how
    many notes there were not studykit's."""

    cards: dict[tuple[str, int], AnkiCard]
    log: list[Entry]  # oldest first
    presets: dict[str, Preset]
    foreign_notes: int  # notes not of these notes (`former_notes` among them)
    former_notes: int = 0  # notes studykit made of items the notes no longer have


def gather_tables(tables: Tables, guids: set[str], now: datetime, path: Path) -> Collected:
    """`gather` of the tables SQLite read alone, from the collection's day 0."""
    first = day_zero(tables.days, now)
    return gather(tables.guids, tables.cards, tables.revlog, tables.preset, first, guids, now, path)


def gather(
    notes: list[str],
    rows: list[Any],
    revlog: list[Any],
    preset_of: Callable[[int], dict[str, Any] | None],
    first: date | None,
    guids: set[str],
    now: datetime,
    path: Path,
) -> Collected:
    """Studykit's cards, their log and their presets, from the collection's rows (`tables`
    selects them): `preset_of` gives a deck's preset as Anki's JSON (None: there is no such
    deck), `first` the collection's day 0; due dates in `now`'s zone."""
    foreign = [guid for guid in notes if guid not in guids]
    # A reworded item without an `id:`, or a removed one, leaves its old note in Anki.
    former = sum(1 for guid in foreign if STUDYKIT_GUID.fullmatch(guid))
    cards, keys, presets = _cards(rows, preset_of, first, guids, now, path)
    named = presets.values()
    log = _checked_log(revlog, keys, path)
    return Collected(cards, log, {p.name: p for p in named}, len(foreign), former)


def _cards(
    rows: list[Any],
    preset_of: Callable[[int], dict[str, Any] | None],
    first: date | None,
    guids: set[str],
    now: datetime,
    path: Path,
) -> tuple[dict[tuple[str, int], AnkiCard], dict[int, tuple[str, int]], dict[int, Preset]]:
    """The cards of the notes named by `guids` (as `gather` reads them), each card's key by
    its id, and the presets of their home decks by deck id."""
    presets: dict[int, Preset] = {}
    cards: dict[tuple[str, int], AnkiCard] = {}
    keys: dict[int, tuple[str, int]] = {}
    # A due day number or moment -> when (`_due`): cards share their due days.
    dues: dict[int, datetime | None] = {}
    for cid, guid, number, did, odid, kind, queue, due, odue, ivl, left, reps, lapses, data in rows:
        if guid not in guids:
            continue
        numbers = (number, due, odue, ivl, left, reps, lapses)
        if kind not in CARD_TYPES or queue not in CARD_QUEUES or {*map(type, numbers)} != {int}:
            # Anki cannot read such a card itself (nor repair it: Check Database stops on it).
            columns = zip(("type", "queue", *CARD_NUMBERS), (kind, queue, *numbers), strict=True)
            raise StudykitError(
                f"Anki card {cid} has {_odd(columns, CARD_TYPES, CARD_QUEUES)}, which Anki never "
                "writes: pull a backup from before it was changed",
                path,
            )
        home = odid or did
        if home not in presets:
            config = preset_of(home)
            if config is None:
                raise StudykitError(
                    f"Anki card {cid} is in deck {home}, which the collection does not have: "
                    "let Anki repair it (Tools > Check Database), then pull again",
                    path,
                )
            presets[home] = _preset(config)
        if data is not None and not isinstance(data, str):
            raise StudykitError(
                f"Anki card {cid} has data that is not text ({type(data).__name__}), which Anki "
                "never writes: pull a backup from before it was changed",
                path,
            )
        memory = _memory(data)
        key = (guid, number)
        keys[cid] = key
        if odid and odue:  # in a filtered deck: its due in its home deck
            due = odue
        if kind == 0:
            when = None
        elif due in dues:
            when = dues[due]
        else:
            when = dues[due] = _due(kind, due, first, now)
        cards[key] = AnkiCard(
            guid,
            number,
            kind,
            queue,
            when,
            min(max(ivl, 0), MAXIMUM_INTERVAL),
            left % 1000,
            max(reps, 0),
            max(lapses, 0),
            *memory,
            presets[home].name,
        )
    return cards, keys, presets


def _checked_log(revlog: list[Any], keys: dict[int, tuple[str, int]], path: Path) -> list[Entry]:
    """The log entries of the cards in `keys`, each checked: one Anki never writes is refused,
    an interval or factor beyond Anki's columns bounded."""
    # Anki keeps a log entry's intervals and factor in 32-bit columns: a deck carrying the entry
    # back (`deck --with-progress`) must fit them, or Anki refuses to import it.
    low, high = LOW_INTERVAL, MAXIMUM_INTERVAL
    entry = tuple.__new__  # an entry made as a tuple is made twice as fast as by its class
    log: list[Entry] = []
    append = log.append
    for rid, cid, ease, ivl, last, factor, taken, kind in revlog:
        card = keys.get(cid)
        if card is None:
            continue
        if not 0 <= rid <= LAST_MS:
            # The id is the answer's moment: one beyond the calendar's end is no answer.
            raise StudykitError(
                f"Anki's review log has an entry (id {rid}) dated outside the years "
                "1970 to 9999, which Anki never writes: let Anki repair it (Tools > Check "
                "Database), or pull a backup from before it",
                path,
            )
        if (
            kind not in REVLOG_TYPES
            or ease not in REVLOG_BUTTONS
            or type(ivl) is not int
            or type(last) is not int
            or type(factor) is not int
            or type(taken) is not int
        ):
            columns = zip(
                ("type", "button", *REVLOG_NUMBERS),
                (kind, ease, ivl, last, factor, taken),
                strict=True,
            )
            raise StudykitError(
                f"Anki's review log has an entry (id {rid}) on card {cid} with "
                f"{_odd(columns, REVLOG_TYPES, REVLOG_BUTTONS)}, which Anki never writes: pull a "
                "backup from before it was changed",
                path,
            )
        # Intervals within what a card can have: at most the maximum either way (negative: a
        # learning step's seconds).
        if not low <= ivl <= high:
            ivl = min(max(ivl, low), high)
        if not low <= last <= high:
            last = min(max(last, low), high)
        if not 0 <= factor <= ANKI_INT:
            factor = min(max(factor, 0), ANKI_INT)
        append(entry(Entry, (rid, card, ease, ivl, last, factor, taken, kind)))
    return log


def _odd(named: Iterable[tuple[str, Any]], kinds: Set[int], others: Set[int]) -> str:
    """The first of a row's values that Anki never writes, as "type 9" or "interval 'x'": the
    first two must be among `kinds` and `others`, the rest whole numbers."""
    for index, (name, value) in enumerate(named):
        allowed = kinds if index == 0 else others if index == 1 else None
        if (value not in allowed) if allowed is not None else type(value) is not int:
            return f"{name} {value!r}"
    raise AssertionError("no odd value")


def _preset(config: dict[str, Any]) -> Preset:
    """A preset's FSRS settings: its newest parameters (FSRS-6, else -5 or -4.5, brought to
    FSRS-6's 21 as Anki brings them); none: FSRS's defaults. Parameters or a retention Anki's
    optimiser and options screen never give (outside FSRS's bounds, not numbers) are set aside
    for FSRS's defaults, and `unusable` says why."""
    name = str(config.get("name", "Default"))
    unusable = None
    found: tuple[float, ...] = ()
    for field in ("fsrsParams6", "fsrsParams5", "fsrsWeights"):
        try:
            found = tuple(_number(w) for w in config.get(field) or ())
        except (TypeError, ValueError):
            found, unusable = (), "parameters that are not numbers"
            break
        if found:
            break
    if len(found) == 19:
        found += (0.0, 0.5)
    elif len(found) == 17:
        found += (0.0, 0.0, 0.0, 0.5)
    own = len(found) == len(PARAMETERS)
    bounded = zip(found, PARAMETER_BOUNDS, strict=False)  # checked only with all 21
    if own and not all(low <= w <= high for w, (low, high) in bounded):
        own, unusable = False, "parameters outside FSRS's bounds"
    try:
        retention = _number(config.get("desiredRetention") or 0.9)
    except (TypeError, ValueError):
        retention = math.nan
    if not 0 < retention < 1:
        retention, unusable = 0.9, unusable or "a desired retention outside 0 to 1"
    return Preset(
        name, found if own else PARAMETERS, retention, own and found != PARAMETERS, unusable
    )


def _number(value: Any) -> float:
    """A finite number (bool, text and null are refused: JSON holds them where numbers were)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"not a number: {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"not finite: {value!r}")
    return number


def day_zero(today: int, now: datetime) -> date | None:
    """The collection's day 0 (its review days count from it): Anki's day count `today` (at
    `now`) before `now`'s review day; None when that is beyond the calendar (a day-numbered due
    then cannot be read)."""
    try:
        return review_date(now) - timedelta(days=today)
    except (OverflowError, ValueError):
        return None


STABILITY_RANGE = (0.001, 36_500.0)  # FSRS's own bounds on a stability, in days


def _memory(data: str | None) -> tuple[float | None, float | None]:
    """A card's FSRS memory state as Anki keeps it in the card's data (`s`, `d`); none unless
    studykit can schedule with it (stability within FSRS's bounds, 0.001 to 36,500 days, and
    difficulty 1 to 10, as Anki writes them): the card's state is then replayed from its log."""
    if not data or '"s"' not in data:
        return None, None
    try:
        found = json.loads(data)
        stability, difficulty = _number(found["s"]), _number(found["d"])
    except (ValueError, KeyError, TypeError, RecursionError):
        # Unreadable, as Anki finds it too (its JSON reader stops at 128 levels): the card's
        # state is replayed from its log. RecursionError: json recurses once per bracket.
        return None, None
    if not (STABILITY_RANGE[0] <= stability <= STABILITY_RANGE[1] and 1 <= difficulty <= 10):
        return None, None
    return stability, difficulty


def _due(kind: int, due: int, first: date | None, now: datetime) -> datetime | None:
    """When a card is due: a learning step's moment (epoch seconds), or the start (04:00) of a
    day numbered from the collection's first day. None for a new card, and for a due date
    outside 1970 to the maximum interval from now (the card's state is then replayed)."""
    if kind == 0:
        return None
    from studykit.review.scheduler import day_at

    zone = now.tzinfo
    latest = now + timedelta(days=MAXIMUM_INTERVAL + 1)
    try:
        if due > 1_000_000_000:
            moment = datetime.fromtimestamp(due, zone)
        elif first is None:
            return None
        else:
            moment = day_at(first + timedelta(days=due), zone)
    except (OverflowError, ValueError, OSError):
        return None
    return moment if moment.timestamp() >= 0 and moment <= latest else None
