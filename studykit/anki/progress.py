"""Terminal progress in a deck (`deck --with-progress`): review states and answers for Anki.

Anki's importer takes a package's scheduling and review log only for cards new to the
collection (rslib's apkg card import adds a card and its revlog rows only when the note has no
card of that ordinal yet): a deck can carry progress to an Anki that has never seen the cards,
never onto cards it has. What a card becomes, checked against Anki 26.9's own answers:

- cards: `type` 1 learning, 2 review, 3 relearning; `queue` 1 (due in seconds) for a step due
  before the next 04:00, 3 (due as a day) for one past it, 2 for review, -1 suspended; `due` is
  epoch seconds in queue 1, else the day number counted from the collection's creation day
  (`col.crt`, which the importer shifts onto the student's collection); `ivl` the review
  interval in days (0 while learning; in relearning, the interval it returns to); `left` the
  steps still to go; `factor` the SM-2 ease Anki keeps beside FSRS (2500 on graduating, -200
  a lapse, -150 Hard, +150 Easy in review, at least 1300); `data` the FSRS memory state
  (`s`, `d`, `dr`, `decay`, `lrt`: last answer in epoch seconds).
- revlog: `id` the answer's epoch milliseconds (made unique, as Anki drops a row whose id it
  has), `ease` the button, `ivl`/`lastIvl` the interval after and before (days, or minus the
  step's seconds; a step past the next 04:00 in days), `factor` FSRS's difficulty as Anki logs
  it (`(d - 1) / 9 + 0.1`, times 1000), `time` the answer's milliseconds (at most Anki's 60 s),
  `type` 0 learning, 1 review, 2 relearning: the phase the card was in.
- the collection: `schedVer` 2 (without it Anki upgrades the package from scheduler v1 and
  rewrites a learning-step rating), a creation time at 04:00 and its UTC offset
  (`creationOffset`), so day numbers count calendar review days across clock changes.

Cram answers change no schedule and stay out of the log, as in studykit's own counts.
"""

from __future__ import annotations

import heapq
import json
import math
import sqlite3
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studykit.review.scheduler import (
    LEARNING_STEPS,
    RELEARNING_STEPS,
    CardState,
    Grade,
    Phase,
    _hard_delay,
    day_at,
    next_day_at,
    review_date,
)

if TYPE_CHECKING:
    from studykit.review.store import Pulled

Key = tuple[str, int]  # (note GUID, card number): the store's key, Anki's (note, ord)

INITIAL_EASE = 2500
MINIMUM_EASE = 1300
MAXIMUM_ANSWER_MS = 60_000  # Anki's default "maximum answer seconds"
ANKI_COUNTS = 2**31  # Anki's reps, lapses and ivl columns hold 32-bit numbers
_EASE_CHANGE = {Grade.AGAIN: -200, Grade.HARD: -150, Grade.GOOD: 0, Grade.EASY: 150}
_REVLOG_TYPE = {None: 0, Phase.LEARNING: 0, Phase.REVIEW: 1, Phase.RELEARNING: 2}


@dataclass(frozen=True)
class AnkiCard:
    """A card's scheduling columns, as Anki's `cards` table holds them."""

    type: int
    queue: int
    due: int
    ivl: int
    factor: int
    reps: int
    lapses: int
    left: int
    data: Mapping[str, float | int]  # without `pos`, which the package adds


@dataclass(frozen=True)
class AnkiReview:
    """One answer as a row of Anki's `revlog` (without the card id, which the package gives)."""

    id: int
    ease: int
    ivl: int
    last_ivl: int
    factor: int
    time: int
    type: int


@dataclass(frozen=True)
class CardProgress:
    card: AnkiCard
    reviews: tuple[AnkiReview, ...]


@dataclass(frozen=True)
class DeckProgress:
    """The progress a deck carries: its cards' columns and log, and the collection's day zero
    (`crt`, epoch seconds at 04:00; `offset`, its minutes west of UTC)."""

    cards: Mapping[Key, CardProgress]
    crt: int
    offset: int

    @property
    def reviews(self) -> int:
        return sum(len(p.reviews) for p in self.cards.values())


@dataclass(frozen=True)
class Logged:
    """One answer of the store's log: what Anki's revlog row is made of."""

    key: Key
    grade: Grade
    time: datetime  # UTC
    elapsed_ms: int
    before: CardState | None
    after: CardState
    # An answer pulled from Anki: its revlog row's ivl, lastIvl, factor and type as Anki wrote
    # them, carried back as they were (studykit's states keep less of them).
    anki: tuple[int, int, int, int] | None = None


@dataclass(frozen=True)
class StoreProgress:
    """What the review store holds for a deck: states, suspended cards, answers, FSRS settings."""

    states: Mapping[Key, CardState]
    suspended: frozenset[Key]
    log: tuple[Logged, ...]
    retention: float
    decay: float


NONE = StoreProgress({}, frozenset(), (), 0.9, 0.1542)


def read_store(path: Path, now: datetime) -> StoreProgress:
    """Everything the store at `path` says about progress; nothing when there is no store."""
    from studykit.review.settings import load
    from studykit.review.store import open_for_reading, rows_as_written, unreadable

    store = open_for_reading(path)
    if store is None:
        return NONE
    try:
        settings = load(store)
        try:
            with rows_as_written(path):
                states = {
                    key: _as_written(stored.state()) for key, stored in store.states().items()
                }
                suspended = store.hidden(now).suspended
                rows = list(
                    heapq.merge(
                        _answers(store._db),
                        map(_pulled, store.pulled()),
                        key=attrgetter("time"),
                    )
                )
        except sqlite3.DatabaseError as exc:
            raise unreadable(path, exc) from exc
    finally:
        store.close()
    return StoreProgress(
        states, suspended, tuple(rows), settings.retention, settings.parameters[20]
    )


def _answers(db: sqlite3.Connection) -> list[Logged]:
    """The log's answers, oldest first. Read here, not through `Store.log`, since a revlog row
    needs the time taken and the states before and after, which stats never read."""
    rows = db.execute(
        "SELECT guid, card, rating, time, elapsed_ms, before, after FROM reviews ORDER BY time, id"
    ).fetchall()
    return [
        Logged(
            (str(guid), int(card)),
            Grade(rating),
            datetime.fromisoformat(time),
            _taken_ms(elapsed_ms),
            _as_written(CardState.from_json(json.loads(before))) if before else None,
            _as_written(CardState.from_json(json.loads(after))),
        )
        for guid, card, rating, time, elapsed_ms, before, after in rows
    ]


def _pulled(row: Pulled) -> Logged:
    """An answer pulled from Anki, as a log row: its states are what Anki's log gave."""
    before, after = row.states()
    anki = (row.anki_interval, row.anki_last_interval, row.anki_factor, row.anki_kind)
    if not all(type(value) is int and -ANKI_COUNTS < value < ANKI_COUNTS for value in anki):
        # Anki refuses a whole deck whose log holds one: a row studykit never writes.
        raise ValueError(f"Anki log values {anki} beyond Anki's 32-bit columns")
    return Logged(
        (row.guid, row.card),
        Grade(row.rating),
        datetime.fromtimestamp(row.anki_id / 1000, UTC),
        _taken_ms(row.elapsed_ms),
        None if before is None else _as_written(before),
        _as_written(after),
        anki,
    )


def _taken_ms(value: Any) -> int:
    """An answer's milliseconds as a whole number. SQLite keeps a time too large for a float
    as infinity: as long as any, it is the longest Anki keeps (as 1e300 is), minus infinity
    the shortest. What is no number at all (NaN, text) raises ValueError: a row studykit never
    writes."""
    if isinstance(value, float) and math.isinf(value):
        return MAXIMUM_ANSWER_MS if value > 0 else 0
    return int(value)


def _as_written(state: CardState) -> CardState:
    """The state, when its memory is one FSRS gives (stability above 0 and finite, difficulty 1
    to 10) and its counts fit Anki's columns (32 bits): Anki's columns are made from it. Else
    ValueError: a row studykit never writes."""
    for name, count in (
        ("reps", state.reps),
        ("lapses", state.lapses),
        ("interval", state.interval),
    ):
        if not 0 <= count < ANKI_COUNTS:
            raise ValueError(f"{count} {name}")
    stability, difficulty = state.stability, state.difficulty
    if stability is not None and not (0 < stability < math.inf):
        raise ValueError(f"a stability of {stability}")
    if difficulty is not None and not 1 <= difficulty <= 10:  # NaN fails it too
        raise ValueError(f"a difficulty of {difficulty}")
    return state


def deck_progress(
    found: StoreProgress, cards: Collection[Key], now: datetime
) -> DeckProgress | None:
    """The progress of the deck's `cards` as Anki's columns, None when none has an answer.
    Day numbers follow the time zone of `now`, as review's do."""
    zone = now.tzinfo
    states = {key: state for key, state in found.states.items() if key in cards}
    if not states:
        return None
    log = [entry for entry in found.log if entry.key in states]
    first = min(
        [review_date(now)]
        + [review_date(s.last_review.astimezone(zone)) for s in states.values() if s.last_review]
        + [review_date(entry.time.astimezone(zone)) for entry in log]
    )
    start = day_at(first, zone)
    offset = start.utcoffset() or timedelta(0)
    reviews = _reviews(log, zone)
    answers: dict[Key, list[Logged]] = {}
    for entry in log:
        answers.setdefault(entry.key, []).append(entry)
    progress = {
        key: CardProgress(
            _card(state, found, key, answers.get(key, []), first, zone),
            tuple(reviews.get(key, ())),
        )
        for key, state in states.items()
    }
    return DeckProgress(progress, int(start.timestamp()), -int(offset.total_seconds()) // 60)


def _card(
    state: CardState,
    found: StoreProgress,
    key: Key,
    log: Iterable[Logged],
    first: date,
    zone: tzinfo | None,
) -> AnkiCard:
    due_local = state.due.astimezone(zone)
    if state.phase is Phase.REVIEW:
        queue, due, left = 2, _day(due_local, first), 0
    else:
        steps = LEARNING_STEPS if state.phase is Phase.LEARNING else RELEARNING_STEPS
        left = len(steps) - min(state.step or 0, len(steps) - 1)
        answered = (state.last_review or state.due).astimezone(zone)
        if state.due < next_day_at(answered):
            queue, due = 1, int(state.due.timestamp())
        else:  # a step past the day's end: due from the start of a later day
            queue, due = 3, _day(due_local, first)
    if key in found.suspended:
        queue = -1
    data: dict[str, float | int] = {}
    if state.stability is not None and state.difficulty is not None:
        data = {
            "s": state.stability,
            "d": state.difficulty,
            "dr": found.retention,
            "decay": round(found.decay, 3),  # as Anki writes it
        }
    if state.last_review is not None:
        data["lrt"] = int(state.last_review.timestamp())
    return AnkiCard(
        type=int(state.phase),
        queue=queue,
        due=due,
        ivl=0 if state.phase is Phase.LEARNING else state.interval,
        factor=_ease(log, state),
        reps=state.reps,
        lapses=state.lapses,
        left=left,
        data=data,
    )


def _day(moment: datetime, first: date) -> int:
    """The day number of a moment: review days since the collection's first day."""
    return (review_date(moment) - first).days


def _ease(log: Iterable[Logged], state: CardState) -> int:
    """The SM-2 ease Anki keeps beside FSRS, replayed from the card's answers."""
    ease = 0
    for entry in log:
        if entry.after.phase is Phase.LEARNING:
            continue
        if entry.before is None or entry.before.phase is Phase.LEARNING:
            ease = INITIAL_EASE  # graduating
        elif entry.before.phase is Phase.REVIEW:
            ease = max((ease or INITIAL_EASE) + _EASE_CHANGE[entry.grade], MINIMUM_EASE)
    if ease == 0 and state.phase is not Phase.LEARNING:
        ease = INITIAL_EASE  # a card in review with no answer logged (a log cut short)
    return ease


def _reviews(log: Iterable[Logged], zone: tzinfo | None) -> dict[Key, list[AnkiReview]]:
    """Each card's answers as revlog rows, ids unique across the deck and rising with time."""
    rows: dict[Key, list[AnkiReview]] = {}
    last = 0
    for entry in log:
        moment = entry.time.astimezone(zone)
        until = int((next_day_at(moment) - moment).total_seconds())
        last = max(int(entry.time.timestamp() * 1000), last + 1)
        if entry.anki is not None:  # Anki's own answer goes back as Anki logged it
            ivl, last_ivl, factor, kind = entry.anki
        else:
            difficulty = entry.after.difficulty
            ivl = _revlog_interval(_next_interval(entry), until)
            last_ivl = _revlog_interval(_last_interval(entry.before), until)
            factor = 0 if difficulty is None else round(((difficulty - 1) / 9 + 0.1) * 1000)
            kind = _REVLOG_TYPE[entry.before.phase if entry.before else None]
        rows.setdefault(entry.key, []).append(
            AnkiReview(
                id=last,
                ease=int(entry.grade),
                ivl=ivl,
                last_ivl=last_ivl,
                factor=factor,
                time=min(max(entry.elapsed_ms, 0), MAXIMUM_ANSWER_MS),
                type=kind,
            )
        )
    return rows


def _next_interval(entry: Logged) -> tuple[int, bool]:
    """The interval an answer set: (days, True) for review, (the step's seconds, False) else."""
    after = entry.after
    if after.phase is Phase.REVIEW:
        return after.interval, True
    steps = LEARNING_STEPS if after.phase is Phase.LEARNING else RELEARNING_STEPS
    step = min(after.step or 0, len(steps) - 1)
    if entry.grade is Grade.HARD:
        return _hard_delay(steps, step), False
    return steps[step], False


def _last_interval(before: CardState | None) -> tuple[int, bool]:
    """The interval a card had before an answer: its review interval, or its step's seconds."""
    if before is None:
        return 0, True
    if before.phase is Phase.REVIEW:
        return before.interval, True
    steps = LEARNING_STEPS if before.phase is Phase.LEARNING else RELEARNING_STEPS
    return steps[min(before.step or 0, len(steps) - 1)], False


def _revlog_interval(interval: tuple[int, bool], until: int) -> int:
    """An interval as the revlog keeps it: days, or minus the seconds of a step that ends
    before the next 04:00 (a longer step counts in days, as Anki counts it)."""
    value, in_days = interval
    if in_days:
        return value
    if value >= until:
        return (value - until) // 86_400 + 1
    return -value
