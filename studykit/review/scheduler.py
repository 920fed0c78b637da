"""Scheduling with FSRS-6 as Anki's own engine computes it.

Anki (rslib's scheduler over the fsrs crate) is the reference, rule for rule, so that a card
reviewed in Anki and in the terminal gets one schedule:

- Memory: FSRS-6 with the default parameters Anki ships. Time since the last answer is counted
  in review days, the 04:00 day boundaries crossed (Anki's `next_day_at` less the last answer,
  in whole days), not in hours: a card answered in the evening and again the next morning has
  one day behind it. Zero days means a same-day review (FSRS's short-term formula).
- Learning steps 1m and 10m, a relearning step of 10m: Again goes back to the first step, Hard
  on the first step waits halfway to the next one, Good moves on or graduates.
- Intervals: a graduating card gets FSRS's interval for Good, rounded; Easy at least a day more
  than Good would give. A passing review is never shorter than the interval the card had (where
  that lies within fuzz of the new one), Good is at least a day more than Hard, Easy at least a
  day more than Good, and all at most the maximum interval (36,500 days), so the buttons may be
  equal there. A review card is due from 04:00 of its due day.
- Fuzz: Anki's ranges (none below 2.5 days; 15 %, 10 % and 5 % of the parts of an interval up to
  7, 20 and beyond 20 days, plus a day), the draw floored, one draw per answer shared by the four
  buttons, and learning steps stretched by up to a quarter (at most 5 minutes). The draw is
  seeded by the card and its answer count, so a card shown again (after an undo, or in another
  session) offers the same intervals.
"""

from __future__ import annotations

import math
import random
import struct
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from studykit.errors import UsageError
from studykit.review.days import (
    ROLLOVER_HOUR,
    Due,
    day_at,
    day_start,
    format_interval,
    next_day_at,
    review_date,
)
from studykit.review.state import LEECH_LAPSES, CardState, Grade, Phase, Scheduled

# The card's state and the review days live in `state` and `days`; named here too, where the
# scheduling that reads them is looked for first.
__all__ = [
    "DEFAULT_RETENTION",
    "LEARNING_STEPS",
    "LEECH_LAPSES",
    "MAXIMUM_INTERVAL",
    "PARAMETERS",
    "RELEARNING_STEPS",
    "ROLLOVER_HOUR",
    "CardState",
    "Due",
    "Fsrs",
    "Grade",
    "Memory",
    "Phase",
    "Scheduled",
    "Scheduler",
    "day_at",
    "day_start",
    "format_interval",
    "fuzz_delta",
    "fuzz_seed",
    "next_day_at",
    "review_date",
]

LEARNING_STEPS = (60, 600)  # seconds
RELEARNING_STEPS = (600,)
DEFAULT_RETENTION = 0.9
MAXIMUM_INTERVAL = 36_500  # days
PARAMETERS = (
    0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
    1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
)  # fmt: skip
"""FSRS-6's default parameters, the ones Anki uses for a preset that has not been optimised."""
_S_MIN, _S_MAX = 0.001, 36_500.0
_DAY = 86_400


class Memory(NamedTuple):
    stability: float
    difficulty: float


class Fsrs:
    """FSRS-6's formulas, as the fsrs crate in Anki computes them."""

    def __init__(self, parameters: tuple[float, ...] = PARAMETERS) -> None:
        self.w = parameters
        self.decay = -parameters[20]
        self.factor = 0.9 ** (1 / self.decay) - 1
        self.w32 = tuple(_f32(x) for x in parameters)
        self.decay32 = _f32(-self.w32[20])
        self.factor32 = _f32(_f32(0.9 ** _f32(1 / self.decay32)) - 1)

    def retrievability(self, days: float, stability: float) -> float:
        return float((1 + self.factor * days / stability) ** self.decay)

    def interval(self, stability: float, retention: float) -> float:
        """Days until recall falls to `retention`, unrounded, in single precision as Anki's
        engine computes it (an interval near a half day rounds as there)."""
        scale = _f32(_f32(_f32(retention) ** _f32(1 / self.decay32)) - 1)
        return _f32(_f32(_f32(stability) / self.factor32) * scale)

    def next(self, memory: Memory | None, days: int, grade: Grade) -> Memory:
        """The memory state after answering `grade`, `days` review days after the last answer.

        In single precision, operation by operation, as the fsrs crate computes it: a long
        interval sits so close to a half day that double precision would round it otherwise.
        """
        f, w, g = _f32, self.w32, int(grade)
        if memory is None:
            return Memory(max(w[g - 1], _S_MIN), min(max(self._initial_difficulty(g), 1), 10))
        # As FSRS holds it (fsrs-rs clamps too): a stability below its floor, as a store may
        # hold from a collection Anki never wrote, would divide by zero below.
        s = f(min(max(memory.stability, _S_MIN), _S_MAX))
        d = f(memory.difficulty)
        if days == 0:
            increase = f(f(math.exp(f(w[17] * f(f(g - 3) + w[18])))) * f(s ** -w[19]))
            stability = f(s * (max(increase, 1.0) if g >= 2 else increase))
        else:
            r = f(f(f(f(days / s) * self.factor32) + 1) ** self.decay32)
            if grade is Grade.AGAIN:
                forgotten = f(f(w[11] * f(d ** -w[12])) * f(f((s + 1) ** w[13]) - 1))
                forgotten = f(forgotten * f(math.exp(f(f(1 - r) * w[14]))))
                stability = min(forgotten, f(s / f(math.exp(f(w[17] * w[18])))))
            else:
                growth = f(f(math.exp(w[8]) * f(11 - d)) * f(s ** -w[9]))
                growth = f(growth * f(f(math.exp(f(f(1 - r) * w[10]))) - 1))
                growth = f(growth * (w[15] if grade is Grade.HARD else 1))
                growth = f(growth * (w[16] if grade is Grade.EASY else 1))
                stability = f(s * f(growth + 1))
        damped = f(d + f(f(f(-w[6] * (g - 3)) * f(10 - d)) / 9))
        difficulty = f(f(w[7] * f(self._initial_difficulty(4) - damped)) + damped)
        return Memory(min(max(stability, _S_MIN), _S_MAX), min(max(difficulty, 1), 10))

    def _initial_difficulty(self, grade: int) -> float:
        f, w = _f32, self.w32
        return f(f(w[4] - f(math.exp(f(w[5] * (grade - 1))))) + 1)


class Scheduler:
    """Anki's FSRS scheduling of one card; the only place that knows its rules.

    `fuzz`: True draws as Anki does, False draws nothing, and a number from 0 to 1 is taken as
    the draw itself (0 and 0.999… give the ends of the range Anki draws from).
    """

    def __init__(
        self,
        retention: float = DEFAULT_RETENTION,
        *,
        fuzz: bool | float = True,
        maximum_interval: int = MAXIMUM_INTERVAL,
        parameters: tuple[float, ...] = PARAMETERS,
    ) -> None:
        if not 0.7 <= retention <= 0.99:
            raise UsageError(f"--retention {retention} is out of range; choose 0.70 to 0.99")
        self.retention = retention
        self.fuzz = fuzz
        self.maximum = max(maximum_interval, 1)
        self.fsrs = Fsrs(parameters)

    def outcomes(
        self, state: CardState | None, now: datetime, card: str = ""
    ) -> dict[Grade, Scheduled]:
        """The four possible answers to a card shown at `now`, from one fuzz draw seeded by
        `card` (the card's key) and its answer count. Review days follow the time zone of
        `now` (see `studykit.cli.clock`)."""
        days = self.review_days(state.last_review, now) if state and state.last_review else 0
        memory = (
            Memory(state.stability, state.difficulty)
            if state and state.stability is not None and state.difficulty is not None
            else None
        )
        states = {g: self.fsrs.next(memory, days, g) for g in Grade}
        ivls = {g: self.fsrs.interval(m.stability, self.retention) for g, m in states.items()}
        draw = random.Random(f"{card}:{state.reps if state else 0}")
        if isinstance(self.fuzz, bool):
            factor = draw.random() if self.fuzz else None
        else:
            factor = self.fuzz
        rules = _Rules(self, now, states, ivls, factor, draw)
        if state is None or state.phase is Phase.LEARNING:
            chosen = rules.learning(state.step if state and state.step is not None else 0)
        elif state.phase is Phase.REVIEW:
            chosen = rules.review(state.interval)
        else:
            chosen = rules.relearning(state.step or 0, state.interval)
        moment = now.astimezone(UTC)
        result: dict[Grade, Scheduled] = {}
        for grade, (phase, step, due, interval, shown) in chosen.items():
            lapsed = state is not None and state.phase is Phase.REVIEW and grade is Grade.AGAIN
            new = CardState(
                phase=phase,
                step=step,
                # Kept as Anki keeps them on the card: 4 and 3 decimal places.
                stability=_round(states[grade].stability * 10_000) / 10_000,
                difficulty=_round(states[grade].difficulty * 1_000) / 1_000,
                due=due.astimezone(UTC),
                last_review=moment,
                reps=(state.reps if state else 0) + 1,
                lapses=(state.lapses if state else 0) + int(lapsed),
                interval=interval,
            )
            result[grade] = Scheduled(grade, new, shown)
        return result

    def review_days(self, since: datetime, now: datetime) -> int:
        """Review days between an answer and `now`, as Anki counts them: from the answer to the
        start of tomorrow's review day, in whole days (of 24 hours: Anki counts in seconds)."""
        return max(int((next_day_at(now) - since).total_seconds() // _DAY), 0)

    def recall(self, state: CardState, now: datetime) -> float:
        """The probability of recalling a card at `now`, as Anki shows it in the browser and
        card info: FSRS retrievability after the time since the last answer, to the second
        (Anki's `current_retrievability` of the seconds elapsed over 86,400). Scheduling counts
        review days; strength in whole days would hold at 100% for up to a day, then drop."""
        if state.stability is None or state.last_review is None:
            return 0.0
        days = max((now - state.last_review) / timedelta(days=1), 0.0)
        return self.fsrs.retrievability(days, state.stability)

    def fuzzed(self, factor: float | None, interval: float, minimum: int) -> int:
        """A review interval as Anki fuzzes it: a day count drawn within its fuzz range."""
        minimum = min(max(minimum, 1), self.maximum)
        if factor is None:
            return min(max(_round(interval), minimum), self.maximum)
        lower, upper = self._fuzz_bounds(interval, minimum)
        return math.floor(lower + factor * (1 + upper - lower))

    def _fuzz_bounds(self, interval: float, minimum: int) -> tuple[int, int]:
        interval = min(max(interval, minimum), self.maximum)
        delta = fuzz_delta(interval)
        lower = min(max(_round(interval - delta), minimum), self.maximum)
        upper = min(max(_round(interval + delta), minimum), self.maximum)
        if upper == lower and 2 < upper < self.maximum:
            upper = lower + 1
        return lower, upper

    def not_shorter(self, interval: float, previous: int) -> int:
        """The least a passing review may get: the card's previous interval, or one more,
        where that lies within fuzz of the new interval."""
        if _round(interval) > previous:
            return previous + 1
        return previous if previous <= self._fuzz_bounds(interval, 1)[1] else 0


def _f32(value: float) -> float:
    """`value` rounded to single precision."""
    rounded: float = struct.unpack("f", struct.pack("f", value))[0]
    return rounded


def fuzz_seed(key: tuple[str, int]) -> str:
    """What seeds a card's fuzz (with its answer count): its note's GUID and card number."""
    guid, number = key
    return f"{guid}#{number}"


def fuzz_delta(interval: float) -> float:
    """How far Anki's fuzz may move an interval of `interval` days, either way."""
    if interval < 2.5:
        return 0.0
    delta = 1.0
    for start, end, factor in ((2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, math.inf, 0.05)):
        delta += factor * max(min(interval, end) - start, 0.0)
    return delta


def _round(value: float) -> int:
    """Rounding as Rust's f32::round: halves away from zero."""
    return math.floor(value + 0.5)


class _Next(NamedTuple):
    phase: Phase
    step: int | None
    due: datetime
    interval: int  # days of the review interval (see CardState)
    shown: timedelta  # what the button says


class _Rules:
    """The next phase, step, due time and interval of each grade, by Anki's state machine."""

    def __init__(
        self,
        scheduler: Scheduler,
        now: datetime,
        memory: dict[Grade, Memory],
        intervals: dict[Grade, float],
        factor: float | None,
        draw: random.Random,
    ) -> None:
        self.s, self.now, self.memory, self.ivl = scheduler, now, memory, intervals
        self.factor, self.draw = factor, draw

    def learning(self, step: int) -> dict[Grade, _Next]:
        steps = LEARNING_STEPS
        index = min(step, len(steps) - 1)
        good = self._graduate(Grade.GOOD)
        return {
            Grade.AGAIN: self._step(Phase.LEARNING, 0, steps[0]),
            Grade.HARD: self._step(Phase.LEARNING, index, _hard_delay(steps, index)),
            Grade.GOOD: (
                self._step(Phase.LEARNING, index + 1, steps[index + 1])
                if index + 1 < len(steps)
                else good
            ),
            Grade.EASY: self._easy(),
        }

    def review(self, previous: int) -> dict[Grade, _Next]:
        hard = self._passing(Grade.HARD, previous, 1)
        good = self._passing(Grade.GOOD, previous, hard + 1)
        easy = self._passing(Grade.EASY, previous, good + 1)
        return {
            Grade.AGAIN: self._lapse(),
            Grade.HARD: self._review(hard),
            Grade.GOOD: self._review(good),
            Grade.EASY: self._review(easy),
        }

    def relearning(self, step: int, interval: int) -> dict[Grade, _Next]:
        steps = RELEARNING_STEPS
        index = min(step, len(steps) - 1)
        return {
            Grade.AGAIN: self._lapse(),
            Grade.HARD: self._step(Phase.RELEARNING, index, _hard_delay(steps, index), interval),
            Grade.GOOD: (
                self._step(Phase.RELEARNING, index + 1, steps[index + 1], interval)
                if index + 1 < len(steps)
                else self._graduate(Grade.GOOD)
            ),
            Grade.EASY: self._easy(),
        }

    def _passing(self, grade: Grade, previous: int, least: int) -> int:
        interval = self.ivl[grade]
        return self.s.fuzzed(
            self.factor, interval, max(self.s.not_shorter(interval, previous), least)
        )

    def _lapse(self) -> _Next:
        # The interval the card returns to once relearnt: Again's, at least a day.
        return self._step(
            Phase.RELEARNING, 0, RELEARNING_STEPS[0], max(_round(self.ivl[Grade.AGAIN]), 1)
        )

    def _graduate(self, grade: Grade) -> _Next:
        return self._review(self.s.fuzzed(self.factor, max(_round(self.ivl[grade]), 1), 1))

    def _easy(self) -> _Next:
        good = self.s.fuzzed(self.factor, self.ivl[Grade.GOOD], 1)
        easy = max(_round(self.ivl[Grade.EASY]), 1)
        return self._review(self.s.fuzzed(self.factor, easy, good + 1))

    def _review(self, days: int) -> _Next:
        due = day_at(review_date(self.now) + timedelta(days=days), self.now.tzinfo)
        return _Next(Phase.REVIEW, None, due, days, timedelta(days=days))

    def _step(self, phase: Phase, step: int, seconds: int, interval: int = 0) -> _Next:
        until = int((next_day_at(self.now) - self.now).total_seconds())
        if seconds >= until:
            # A step past the day's end is due from the start of a later day, as in Anki.
            days = (seconds - until) // _DAY + 1
            due = day_at(review_date(self.now) + timedelta(days=days), self.now.tzinfo)
            return _Next(phase, step, due, interval, timedelta(days=days))
        waited = seconds
        if self.factor is not None:
            # Anki stretches a step by up to a quarter of it, at most five minutes; the button
            # shows the step itself.
            spread = min(math.floor(seconds * 0.25), 300)
            waited = self.draw.randrange(seconds, seconds + spread) if spread else seconds
        return _Next(
            phase, step, self.now + timedelta(seconds=waited), interval, timedelta(seconds=seconds)
        )


def _hard_delay(steps: tuple[int, ...], index: int) -> int:
    """Hard on a step: the step again, or on the first, halfway to the next (one and a half
    times the step when there is no next)."""
    if index > 0:
        return steps[index]
    if len(steps) > 1:
        return (steps[0] + steps[1]) // 2
    return min(steps[0] * 3 // 2, steps[0] + _DAY)
