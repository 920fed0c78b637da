"""Cramming: going through chosen cards without changing their schedule (`review --cram`).

As an Anki filtered deck with rescheduling off ("preview" mode): the cards are shown in notes
order (all of the session's cards, of a `--section`, or with `--failed-today` those answered
Again since 04:00), new ones included and introducing none; suspended and buried cards stay
out. Again brings a card back in a minute, Hard in ten (Anki's preview delays), Good and Easy
are done with it. No card's state, burying or new-card count changes; each answer goes to the
store's cram log, apart from the answers that schedule, so it counts in no retention, no
review count and no fit of the memory model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from studykit.notes.model import Reading
from studykit.review.due import next_card
from studykit.review.keyed import Keyed
from studykit.review.scheduler import Grade, day_start
from studykit.review.session import Counts, Crammed, Done, Session, Shown
from studykit.review.store import CramAnswer, Key

# Anki's preview delays: Again and Hard bring the card back; Good and Easy end it.
DELAYS = {Grade.AGAIN: timedelta(minutes=1), Grade.HARD: timedelta(minutes=10)}


@dataclass
class Cram(Session):
    """A session that goes through its cards once each, rescheduling nothing."""

    _chosen: set[Key] | None = None  # --failed-today: the cards answered Again today
    _finished: set[Key] = field(default_factory=set)  # answered Good or Easy
    _repeats: dict[Key, float] = field(default_factory=dict)  # back at (epoch seconds)
    _before: dict[int, tuple[bool, float | None]] = field(default_factory=dict)  # for undo

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.options.failed_today:
            self._chosen = self.store.failed_since(day_start(self.now))

    def reload(self, reading: Reading) -> None:
        """Continue on a reading's edited notes, each card where it was in the cram."""
        super().reload(reading)
        moved = {old: k.key for old, k in self._moved.items()}
        self._finished = {moved.get(k, k) for k in self._finished}
        self._repeats = {moved.get(k, k): due for k, due in self._repeats.items()}
        if self._chosen is not None:
            self._chosen = {moved.get(k, k) for k in self._chosen}

    def _left(self) -> list[Keyed]:
        """The cards still to go through, in notes order."""
        aside = self._skipped | self._hidden.buried | self._hidden.suspended | self._finished
        return [
            k
            for k in self.cards
            if k.key not in aside and (self._chosen is None or k.key in self._chosen)
        ]

    def counts(self, now: datetime) -> Counts:
        return Counts(0, 0, 0, cram=len(self._left()))

    def _choose(self, now: datetime) -> Keyed | None:
        left = self._left()
        back = [(self._repeats[k.key], k) for k in left if k.key in self._repeats]
        fresh = next((k for k in left if k.key not in self._repeats), None)
        return next_card(back, now, fresh)

    def next(self, now: datetime) -> Shown | None:
        if self.limit_reached:
            return None
        self._hidden = self.store.hidden(now)
        chosen = self._again or self._choose(now)
        self._again = None
        if chosen is None:
            return None
        return Shown(chosen, self._state(chosen.key), {})

    def answer(self, shown: Shown, grade: Grade, now: datetime) -> Crammed:
        """Log the answer in the cram log (committed before this returns); no card changes."""
        card, key = shown.card, shown.keyed.key
        log_id = self.store.cram(
            CramAnswer(
                key,
                shown.keyed.reading.id,
                card.note.section.id,
                card.note.identity,
                grade,
                now.astimezone(UTC),
                shown.elapsed_ms,
            )
        )
        self._before[log_id] = (key in self._finished, self._repeats.get(key))
        delay = DELAYS.get(grade)
        if delay is None:
            self._finished.add(key)
            self._repeats.pop(key, None)
        else:
            self._repeats[key] = (now + delay).timestamp()
        self._undo.append(Done("cram", key, card.note.label, shown.keyed, log_id))
        self.answers += 1
        return Crammed(grade, delay)

    def undo(self) -> Done | None:
        if not self._undo or self._undo[-1].what != "cram":
            return super().undo()
        done = self._undo.pop()
        self.store.undo_cram(done.log_id)
        finished, repeat = self._before.pop(done.log_id)
        key = done.card.key if done.card is not None else done.key
        if not finished:
            self._finished.discard(key)
        if repeat is None:
            self._repeats.pop(key, None)
        else:
            self._repeats[key] = repeat
        self.answers -= 1
        self._again = done.card
        return done
