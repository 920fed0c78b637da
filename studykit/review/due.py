"""Which cards count as due now: one rule for review's top line, `stats` and `list`.

- A card in review (an interval in days) is due from the start of its due day (04:00) on, as
  the scheduler's `Due` says.
- A card in learning or relearning (steps in minutes) counts from 20 minutes before its time,
  Anki's learn-ahead: a session shows it now, so it is counted now. Anki's deck list and its
  top line count learning cards the same way.
- Siblings (the cards of one note) are gathered as Anki's queue gathers them with burying on:
  a note with a card in learning today (due before the day ends) shows none of its reviews that
  day, and of a note's due reviews one is shown (answering it buries the others). So a note
  counts at most one due review, and none while one of its cards is in learning today.
- Buried and suspended cards are not due: callers leave them out before the rule is applied.
- Due = learning + review: cards already answered that are due; new cards are never due.

With one rule, `list` can never say Due 2 while review's top line says 3 learning.

The order a session shows them in is one rule too (`next_card`, for a review and for a cram):
the earliest of the cards due now, then the next new card, then the learning card due soonest
within the learn-ahead.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from studykit.review.scheduler import Due, Phase, day_at, review_date
from studykit.review.store import Hidden, Key, Stored

if TYPE_CHECKING:
    from studykit.review.keyed import Keyed

LEARN_AHEAD = timedelta(minutes=20)
Card = TypeVar("Card")


@dataclass(frozen=True)
class DueCounts:
    """Cards due now: in learning or relearning, and in review."""

    learning: int = 0
    review: int = 0

    @property
    def total(self) -> int:
        return self.learning + self.review


class DueNow:
    """The rule at one moment: whether a card counts as a due learning card or a due review.

    `ahead_days` also takes in the reviews due in that many review days after today (a session
    that reviews ahead).
    """

    def __init__(self, now: datetime, ahead_days: int = 0) -> None:
        self.end_of_today = Due.at(now).end
        later = review_date(now) + timedelta(days=1 + ahead_days)
        self.review_end = day_at(later, now.tzinfo).timestamp()
        self.ahead = (now + LEARN_AHEAD).timestamp()

    def learning(self, stored: Stored) -> bool:
        return stored.phase is not Phase.REVIEW and stored.due <= self.ahead

    def review(self, stored: Stored) -> bool:
        return stored.phase is Phase.REVIEW and stored.due < self.review_end

    def __call__(self, stored: Stored) -> bool:
        return self.learning(stored) or self.review(stored)


@dataclass(frozen=True)
class Gathered:
    """The answered cards a session shows now, as Anki's queue gathers them."""

    learning: list[tuple[float, Key]]  # (due, key): learning cards due within the learn-ahead
    reviews: list[tuple[float, Key]]  # due reviews, one per note, earliest first
    notes: set[str]  # notes with a card gathered or in learning today: their new cards wait

    @property
    def counts(self) -> DueCounts:
        return DueCounts(len(self.learning), len(self.reviews))


def gather(cards: Iterable[tuple[Key, Stored]], now: datetime, ahead_days: int = 0) -> Gathered:
    """The due cards among these answered ones (in notes order; buried and suspended ones left
    out), with the sibling rule: a note's first due review stands for it, earliest first."""
    rule = DueNow(now, ahead_days)
    learning: list[tuple[float, Key]] = []
    reviews: list[tuple[float, Key]] = []
    notes: set[str] = set()
    for key, stored in cards:
        if stored.phase is Phase.REVIEW:
            if stored.due < rule.review_end:
                reviews.append((stored.due, key))
            continue
        if stored.due < rule.end_of_today:
            notes.add(key[0])
        if stored.due <= rule.ahead:
            learning.append((stored.due, key))
    reviews.sort(key=lambda pair: pair[0])  # stable: siblings due alike keep notes order
    shown = []
    for due, key in reviews:
        if key[0] not in notes:
            notes.add(key[0])
            shown.append((due, key))
    return Gathered(learning, shown, notes)


def queue(
    cards: Sequence[Keyed],
    states: Mapping[Key, Stored],
    aside: Collection[Key],
    now: datetime,
    ahead_days: int = 0,
    taken: Collection[Key] = (),
) -> tuple[Gathered, list[Keyed]]:
    """A session's queue: its answered cards due now by `gather`, and the new cards whose notes
    have no card due (one per note), in notes order; the cards `aside` left out, and the
    reviews `taken` (answered in a session reviewing ahead) unless due today.

    Runs over every card for each card shown, so the answered ones are handed over as they
    come (a list of 50,000 pairs each time would keep the garbage collector busy)."""
    new: list[Keyed] = []
    tomorrow = Due.at(now).end

    def answered() -> Iterator[tuple[Key, Stored]]:
        for keyed in cards:
            key = keyed.key
            if key in aside:
                continue
            stored = states.get(key)
            if stored is None:
                new.append(keyed)
            elif key not in taken or stored.phase is not Phase.REVIEW or stored.due < tomorrow:
                yield key, stored

    gathered = gather(answered(), now, ahead_days)
    if ahead_days:
        new = []  # reviewing ahead takes no new cards, as Anki's "Review ahead"
    notes = gathered.notes
    first: list[Keyed] = []
    for keyed in new:
        if keyed.key[0] not in notes:
            notes.add(keyed.key[0])
            first.append(keyed)
    return gathered, first


def due_notes(
    cards: Iterable[Keyed], states: Mapping[Key, Stored], hidden: Hidden, now: datetime
) -> tuple[int, int]:
    """The notes of these cards with a card due before today ends, and with one due tomorrow
    (a session's summary). A buried card comes back tomorrow at the earliest; and a day shows
    one card of a note (its siblings are buried once it is answered), so notes are counted, as
    on the top line. Only today and tomorrow are told: later cards are passed over unmeasured."""
    due = Due.at(now)
    buried = hidden.buried - hidden.suspended
    day_after = due.start_of(2)
    days: tuple[set[str], set[str]] = (set(), set())
    for keyed in cards:
        key = keyed.key
        stored = states.get(key)
        if stored is None or stored.due >= day_after or key in hidden.suspended:
            continue
        days[1 if stored.due >= due.end or key in buried else 0].add(key[0])
    return len(days[0]), len(days[1])


def count_due(cards: Iterable[tuple[Key, Stored]], now: datetime) -> DueCounts:
    """How many of these answered cards are due now, learning and review apart."""
    return gather(cards, now).counts


def next_card(
    learning: Sequence[tuple[float, Card]],
    now: datetime,
    new: Card | None = None,
    reviews: Sequence[tuple[float, Card]] = (),
) -> Card | None:
    """The card a session shows next, as Anki's queue orders them: of the learning cards due
    now (`learning`: (due, card), epoch seconds) and the due `reviews`, the earliest; else the
    `new` card; else the learning card due soonest within the learn-ahead. None: nothing now."""
    moment = now.timestamp()
    due = [pair for pair in learning if pair[0] <= moment]
    due.extend(reviews)
    if due:
        return min(due, key=_due)[1]
    if new is not None:
        return new
    ahead = (now + LEARN_AHEAD).timestamp()
    soon = [pair for pair in learning if pair[0] <= ahead]
    return min(soon, key=_due)[1] if soon else None


def _due(pair: tuple[float, object]) -> float:
    return pair[0]
