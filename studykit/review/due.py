"""Which cards count as due now: one rule for review's top line, `stats` and `list`.

- A card in review (an interval in days) is due from the start of its due day (04:00) on, as
  the scheduler's `Due` says.
- A card in learning or relearning (steps in minutes) counts from 20 minutes before its time,
  Anki's learn-ahead: a session shows it now, so it is counted now. Anki's deck list and its
  top line count learning cards the same way.
- Due = learning + review: cards already answered that are due; new cards are never due.

With one rule, `list` can never say Due 2 while review's top line says 3 learning.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from studykit.review.scheduler import Due, Phase
from studykit.review.store import Stored

LEARN_AHEAD = timedelta(minutes=20)


@dataclass(frozen=True)
class DueCounts:
    """Cards due now: in learning or relearning, and in review."""

    learning: int = 0
    review: int = 0

    @property
    def total(self) -> int:
        return self.learning + self.review


class DueNow:
    """The rule at one moment: whether a card counts as a due learning card or a due review."""

    def __init__(self, now: datetime) -> None:
        self._review = Due.at(now)
        self._ahead = (now + LEARN_AHEAD).timestamp()

    def learning(self, stored: Stored) -> bool:
        return stored.phase is not Phase.REVIEW and stored.due <= self._ahead

    def review(self, stored: Stored) -> bool:
        return stored.phase is Phase.REVIEW and self._review(Phase.REVIEW, stored.due)

    def __call__(self, stored: Stored) -> bool:
        return self.learning(stored) or self.review(stored)


def count_due(cards: Iterable[Stored], now: datetime) -> DueCounts:
    """How many of these answered cards are due now, learning and review apart."""
    rule = DueNow(now)
    learning = review = 0
    for stored in cards:
        if rule.learning(stored):
            learning += 1
        elif rule.review(stored):
            review += 1
    return DueCounts(learning, review)
