"""Scheduling with FSRS-6 (the `fsrs` package), set up like Anki's defaults.

Learning steps 1m and 10m, a relearning step of 10m, desired retention 0.9 unless asked
otherwise. With fuzzing on (as in Anki), the same review computed twice gives different
intervals, so the four outcomes of a card are computed once, when it is shown: the intervals on
the screen are exactly the ones the chosen grade stores.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from typing import TYPE_CHECKING

from studykit.errors import UsageError

if TYPE_CHECKING:
    import fsrs

LEARNING_STEPS = (timedelta(minutes=1), timedelta(minutes=10))
RELEARNING_STEPS = (timedelta(minutes=10),)
LEECH_LAPSES = 8  # Anki's default leech threshold
DEFAULT_RETENTION = 0.9


class Grade(IntEnum):
    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        return self.name.capitalize()


class Phase(IntEnum):
    """fsrs's states; a card with no state at all is new."""

    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


@dataclass(frozen=True)
class CardState:
    """What the store keeps of one card: fsrs's memory state plus the counts Anki shows."""

    phase: Phase
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime  # UTC
    last_review: datetime | None  # UTC
    reps: int = 0
    lapses: int = 0

    @property
    def is_leech(self) -> bool:
        return self.lapses >= LEECH_LAPSES

    def to_json(self) -> dict[str, object]:
        return {
            "phase": int(self.phase),
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": self.due.isoformat(),
            "last_review": self.last_review.isoformat() if self.last_review else None,
            "reps": self.reps,
            "lapses": self.lapses,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> CardState:
        last = data["last_review"]
        return cls(
            phase=Phase(int(str(data["phase"]))),
            step=None if data["step"] is None else int(str(data["step"])),
            stability=None if data["stability"] is None else float(str(data["stability"])),
            difficulty=None if data["difficulty"] is None else float(str(data["difficulty"])),
            due=datetime.fromisoformat(str(data["due"])),
            last_review=datetime.fromisoformat(str(last)) if last else None,
            reps=int(str(data.get("reps", 0))),
            lapses=int(str(data.get("lapses", 0))),
        )


@dataclass(frozen=True)
class Outcome:
    """What one grade would do to a card: its next state and the interval to show."""

    grade: Grade
    state: CardState
    interval: timedelta


class Scheduler:
    """FSRS-6 with Anki's default steps; the only place that talks to the `fsrs` package."""

    def __init__(self, retention: float = DEFAULT_RETENTION) -> None:
        if not 0.7 <= retention <= 0.99:
            raise UsageError(f"--retention {retention} is out of range; choose 0.70 to 0.99")
        import fsrs

        self._fsrs = fsrs
        self._scheduler = fsrs.Scheduler(
            desired_retention=retention,
            learning_steps=LEARNING_STEPS,
            relearning_steps=RELEARNING_STEPS,
        )

    def outcomes(self, state: CardState | None, now: datetime) -> dict[Grade, Outcome]:
        """The four possible answers to a card shown at `now`, each computed once."""
        moment = now.astimezone(UTC)
        card = self._card(state, moment)
        result: dict[Grade, Outcome] = {}
        for grade in Grade:
            after, _ = self._scheduler.review_card(card, self._fsrs.Rating(int(grade)), moment)
            lapsed = state is not None and state.phase is Phase.REVIEW and grade is Grade.AGAIN
            new = CardState(
                phase=Phase(int(after.state.value)),
                step=after.step,
                stability=after.stability,
                difficulty=after.difficulty,
                due=after.due.astimezone(UTC),
                last_review=moment,
                reps=(state.reps if state else 0) + 1,
                lapses=(state.lapses if state else 0) + int(lapsed),
            )
            result[grade] = Outcome(grade, new, new.due - moment)
        return _distinct_days(result, moment)

    def recall(self, state: CardState, now: datetime) -> float:
        """The probability of recalling a reviewed card at `now` (FSRS retrievability)."""
        card = self._card(state, now.astimezone(UTC))
        return float(self._scheduler.get_card_retrievability(card, now.astimezone(UTC)))

    def _card(self, state: CardState | None, now: datetime) -> fsrs.Card:
        # card_id is fixed: fsrs otherwise derives one from the clock and sleeps a millisecond.
        if state is None:
            return self._fsrs.Card(card_id=1, due=now)
        return self._fsrs.Card(
            card_id=1,
            state=self._fsrs.State(int(state.phase)),
            step=state.step,
            stability=state.stability,
            difficulty=state.difficulty,
            due=state.due.astimezone(UTC),
            last_review=state.last_review.astimezone(UTC) if state.last_review else None,
        )


def _distinct_days(outcomes: dict[Grade, Outcome], moment: datetime) -> dict[Grade, Outcome]:
    """Keep the buttons apart as Anki does: an outcome in review is at least 1 day for Hard,
    Good at least Hard + 1 day, Easy at least Good + 1 day (each only when the one below is in
    review too). The due date moves with it, so the stored state is what the button showed."""
    result = dict(outcomes)
    floor = 0  # the days the grade below got, when it is in review
    for grade in (Grade.HARD, Grade.GOOD, Grade.EASY):
        outcome = result[grade]
        if outcome.state.phase is not Phase.REVIEW:
            floor = 0
            continue
        days = max(round(outcome.interval / timedelta(days=1)), floor + 1)
        interval = timedelta(days=days)
        if interval != outcome.interval:
            state = replace(outcome.state, due=moment + interval)
            result[grade] = Outcome(grade, state, interval)
        floor = days
    return result


def format_interval(interval: timedelta) -> str:
    """An interval the way Anki's answer buttons show it: 10m, 3h, 4d, 1.5mo, 2.1y."""
    seconds = max(interval.total_seconds(), 0)
    minutes = seconds / 60
    if minutes < 1:
        return f"{round(seconds)}s"
    if minutes < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"


def day_start(now: datetime) -> datetime:
    """Start of the review day `now` falls in: 04:00 in the offset of `now`, as Anki counts."""
    start = now.replace(hour=4, minute=0, second=0, microsecond=0)
    return start if now >= start else start - timedelta(days=1)


@dataclass(frozen=True)
class Due:
    """When a card counts as due at one moment, the same for the session, `stats` and `list`.

    As in Anki, a card in review (its interval in days) is due from the start of its due day
    (04:00 in the offset of now), so a card answered at 09:00 for 1 day is due at 05:00 the next
    morning; a learning or relearning card (minutes) is due at its exact time.
    """

    moment: float  # epoch seconds
    start: float  # epoch seconds of the start of today's review day

    @classmethod
    def at(cls, now: datetime) -> Due:
        return cls(now.timestamp(), day_start(now).timestamp())

    def day(self, due: float) -> int:
        """The review day of an epoch-seconds due time: 0 today (or before), 1 tomorrow..."""
        return max(int((due - self.start) // _DAY_SECONDS), 0)

    def __call__(self, phase: Phase, due: float) -> bool:
        """Whether a card in `phase`, due at `due` (epoch seconds), is due now."""
        if phase is Phase.REVIEW:
            return due < self.start + _DAY_SECONDS
        return due <= self.moment


_DAY_SECONDS = 86_400.0
