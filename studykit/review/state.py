"""A card's state as the store keeps it and the scheduler reads it: the four grades, Anki's
phases, and what one grade would do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum

LEECH_LAPSES = 8  # Anki's default leech threshold


class Grade(IntEnum):
    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        return self.name.capitalize()


class Phase(IntEnum):
    """Anki's card types once answered; a card with no state at all is new."""

    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


@dataclass(frozen=True)
class CardState:
    """What the store keeps of one card: its FSRS memory state and the counts Anki shows.

    `step` is the learning or relearning step the card is on (0-based; None in review), and
    `interval` the days its review interval was last set to (in relearning, the interval it
    returns to): Anki's "not shorter than before" rule reads it.
    """

    phase: Phase
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime  # UTC
    last_review: datetime | None  # UTC
    reps: int = 0
    lapses: int = 0
    interval: int = 0

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
            "interval": self.interval,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> CardState:
        last = data["last_review"]
        phase = Phase(int(str(data["phase"])))
        due = datetime.fromisoformat(str(data["due"]))
        last_review = datetime.fromisoformat(str(last)) if last else None
        interval = data.get("interval")
        if interval is None:
            # Written before intervals were kept: a review card's due date less its last answer.
            days = (due - last_review) / timedelta(days=1) if last_review else 0
            interval = max(round(days), 1) if phase is not Phase.LEARNING else 0
        return cls(
            phase=phase,
            step=None if data["step"] is None else int(str(data["step"])),
            stability=None if data["stability"] is None else float(str(data["stability"])),
            difficulty=None if data["difficulty"] is None else float(str(data["difficulty"])),
            due=due,
            last_review=last_review,
            reps=int(str(data.get("reps", 0))),
            lapses=int(str(data.get("lapses", 0))),
            interval=int(str(interval)),
        )


@dataclass(frozen=True)
class Scheduled:
    """What one grade would schedule: the card's next state and the interval to show (its own
    word: `anki.batch.Outcome` is what a build did)."""

    grade: Grade
    state: CardState
    interval: timedelta
