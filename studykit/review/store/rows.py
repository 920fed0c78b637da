"""What the store's rows hold, as the rest of review reads and writes them: a card's key and
state, an answer, a log row, what undo left, the cards hidden now.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from studykit.review.scheduler import CardState, Grade, Phase

Key = tuple[str, int]  # (note GUID, card number)


def timestamp(moment: datetime) -> str:
    """A moment as the log stores it: UTC ISO 8601 that sorts as text."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class Stored(NamedTuple):
    """A card's row: enough to queue it without parsing its state.

    A tuple, since a session reads one per card (50,000 and more) before its first question.
    """

    phase: Phase
    due: float  # epoch seconds
    raw: str

    def state(self) -> CardState:
        return CardState.from_json(json.loads(self.raw))


@dataclass(frozen=True)
class Answer:
    """One answer as it is logged."""

    key: Key
    reading: str
    section: str
    identity: str
    grade: Grade
    time: datetime
    elapsed_ms: int
    before: CardState | None
    after: CardState
    siblings: tuple[int, ...] = ()  # the note's other cards: buried until `bury_until`
    bury_until: datetime | None = None


@dataclass(frozen=True)
class CramAnswer:
    """One answer of a cram session: logged, and nothing else."""

    key: Key
    reading: str
    section: str
    identity: str
    grade: Grade
    time: datetime
    elapsed_ms: int


@dataclass(frozen=True)
class NewCap:
    """The daily new-card limit: at most `limit` cards introduced since `since` (04:00)."""

    limit: int
    since: datetime


class NewCardLimit(Exception):
    """The day's new cards were all introduced (by another session) before this answer could
    introduce one: nothing of the answer was written."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"today's {limit} new cards are all introduced")
        self.limit = limit


@dataclass(frozen=True)
class Recorded:
    """An answer as it was committed: its log row and the states it went from and to."""

    log_id: int
    before: CardState | None
    after: CardState


@dataclass(frozen=True)
class LogRow:
    """One logged answer, as stats read it."""

    key: Key
    reading: str
    section: str
    grade: Grade
    time: str  # as stored (UTC ISO)
    before_phase: Phase | None
    source: str = "terminal"  # where it was given: "terminal" or "anki" (`studykit pull`)


class Logged(NamedTuple):
    """One answer of the log, as a pull replays it."""

    key: Key
    time: str  # as stored (UTC ISO)
    rating: int
    before_phase: int | None  # None: the answer introduced the card
    anki_id: int | None


class Undone(NamedTuple):
    """What an undo left: the card's state now (None: new again), and whether the answer taken
    back was the one that introduced the card."""

    state: CardState | None
    introduced: bool


# Schedules an answer again (undo): the card's state before it, its grade, its moment -> after.
Replay = Callable[[CardState | None, Grade, datetime], CardState]


class Hidden(NamedTuple):
    """Cards a session does not show now: buried until the next review day, and suspended."""

    buried: frozenset[Key] = frozenset()
    suspended: frozenset[Key] = frozenset()
