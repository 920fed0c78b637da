"""One review session: which card comes next, answering, undo and skip, as Anki does them.

A session runs over one reading or every reading of the notes folder (the library). Order:
cards already reviewed that are due now, earliest first, across the readings; then new cards
reading by reading in notes order, up to the day's new-card limit (one for the whole library,
counted from the log, so it holds across sessions); then learning cards due within Anki's
20-minute learn-ahead, so a card answered Again or Good in its learning steps comes back in the
same session. Every answer is committed to the store before the next card is chosen.

Reviewing ahead (`--ahead DAYS`, for an exam) takes in the reviews due in the next DAYS review
days, earliest first after the ones due now, each once (a card answered in the session is not
taken ahead again), and no new cards (as Anki's "Review ahead"). Each is answered now and
scheduled as any answer: Anki's FSRS path has no rule of its own for an early review (its SM-2
path has), the memory model counts the review days since the last answer. Cramming (`--cram`)
is `cram.Cram`: a session that changes no schedule.

Siblings, as in Anki with "bury new siblings" and "bury review siblings" on: answering a card
buries the note's other cards (new or in review) until the next review day, in the store, so a
second session that day does not show them either; and a note shows one card a day from its
reviews and new cards (`due.gather`), so the top line counts what the day will really show.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from studykit.cards import Card
from studykit.errors import UsageError
from studykit.notes.model import Reading
from studykit.review.due import Gathered, due_notes, next_card, queue
from studykit.review.edited import now_reads
from studykit.review.keyed import (
    Keyed,
    Later,
    check_section,
    keyed_cards,
    loaded,
    section_ids,
)
from studykit.review.scheduler import (
    CardState,
    Due,
    Grade,
    Scheduled,
    Scheduler,
    day_start,
    fuzz_seed,
    next_day_at,
)
from studykit.review.store import (
    Answer,
    Hidden,
    Key,
    NewCap,
    Store,
    Stored,
    rows_as_written,
)

MAX_ELAPSED_MS = 60_000  # Anki caps the answer time it logs at one minute


@dataclass(frozen=True)
class SessionOptions:
    """What the student asked of the session (`review`'s options; a deck build's are
    `anki.batch.Options`)."""

    new_per_day: int = 20
    limit: int | None = None
    section: str | None = None
    ahead: int = 0  # also review what comes due in this many review days after today
    cram: bool = False  # go through the cards without changing their schedule
    failed_today: bool = False  # cram the cards answered Again today

    def __post_init__(self) -> None:
        if self.ahead and self.cram:
            raise UsageError(
                "--ahead reschedules the cards it reviews, --cram reschedules none: choose one"
            )
        if self.failed_today and not self.cram:
            raise UsageError("--failed-today chooses the cards to cram: add --cram")


@dataclass(frozen=True)
class Counts:
    """The status line: new cards left today, learning cards and reviews due (with --ahead,
    those due by then); in a cram session, the cards left to go through."""

    new: int
    learning: int
    review: int
    cram: int | None = None


@dataclass(frozen=True)
class Shown:
    """A card on the screen with its four outcomes, computed once when it was shown."""

    keyed: Keyed
    state: CardState | None
    outcomes: dict[Grade, Scheduled]  # none in a cram session: no answer changes the card
    started: float = field(default_factory=time.monotonic)
    early: int = 0  # review days before its due day (reviewing ahead)

    @property
    def card(self) -> Card:
        return self.keyed.card

    @property
    def elapsed_ms(self) -> int:
        """The time taken to answer, as Anki logs it (at most a minute)."""
        return min(int((time.monotonic() - self.started) * 1000), MAX_ELAPSED_MS)

    def logged(self, grade: Grade, now: datetime) -> Answer:
        """The answer `grade` as the log keeps it, its siblings buried until the next day."""
        card = self.card
        return Answer(
            key=self.keyed.key,
            reading=self.keyed.reading.id,
            section=card.note.section.id,
            identity=card.note.identity,
            grade=grade,
            time=now.astimezone(UTC),
            elapsed_ms=self.elapsed_ms,
            before=self.state,
            after=self.outcomes[grade].state,
            siblings=tuple(n for n in card.note.cards if n != card.number),
            bury_until=next_day_at(now),
        )


@dataclass(frozen=True)
class Crammed:
    """A cram answer (`cram.Cram`): when the card comes back in the session, None when it is
    done with; its schedule is unchanged."""

    grade: Grade
    again_in: timedelta | None


@dataclass
class Done:
    """What undo can take back (an answer, a burying or a suspension by hand): the card's key
    in the store, what it asked, and the card to ask again, as the notes now read it (None
    once an edit removed it)."""

    what: Literal["answer", "cram", "bury", "suspend"]
    key: Key
    label: str
    card: Keyed | None
    log_id: int = 0  # an answer's row in the log (the cram log for a cram answer)
    early: bool = False  # an answer before the card's due day


@dataclass
class Session:
    """A session over readings (the library, one reading, or a section) on an open store.

    A library's readings the second process keyed are `Later` ones, known by their cards'
    keys until a card of one is read."""

    readings: list[Reading | Later]
    store: Store
    scheduler: Scheduler
    options: SessionOptions
    now: datetime
    # Cards keyed already (reading id -> its cards) and the store's states read already, when
    # the library's loading did that work beside a second process (`start_library`).
    keyed: dict[str, list[Keyed]] = field(default_factory=dict, repr=False)
    states: dict[Key, Stored] | None = field(default=None, repr=False)
    cards: list[Keyed] = field(init=False)
    answers: int = 0
    early: int = 0  # answers to cards before their due day
    started: float = field(default_factory=time.monotonic)
    _keyed: dict[str, list[Keyed]] = field(init=False)  # reading id -> its cards in the session
    _by_key: dict[Key, Keyed] = field(init=False)
    _states: dict[Key, Stored] = field(init=False)
    _hidden: Hidden = field(init=False)  # buried and suspended, read again for each card
    _skipped: set[Key] = field(default_factory=set)
    _answered: Counter[Key] = field(default_factory=Counter)  # answers in this session
    _undo: list[Done] = field(default_factory=list)
    _again: Keyed | None = None
    _moved: dict[Key, Keyed] = field(default_factory=dict)  # the last edit: old key -> card
    _introduced: int = 0
    _last: tuple[datetime, tuple[Gathered, list[Keyed]]] | None = None  # `_choose`'s queue

    def __post_init__(self) -> None:
        check_section(self.readings, self.options.section)
        self._keyed = {r.id: self._select(r, self.keyed.get(r.id)) for r in self.readings}
        self._collect()
        with rows_as_written(self.store.path):
            self._states = self.store.states() if self.states is None else self.states
        self.keyed, self.states = {}, None  # the session's own copies are the ones kept
        self._hidden = self.store.hidden(self.now)
        self._introduced = self.store.introduced_since(day_start(self.now))

    def _collect(self) -> None:
        self.cards = [k for r in self.readings for k in self._keyed[r.id]]
        self._by_key = {k.key: k for k in self.cards}

    def _select(
        self, reading: Reading | Later, keyed: list[Keyed] | None = None, save: bool = False
    ) -> list[Keyed]:
        """The reading's cards in the session; keyed here when not given, the identity record
        written only with `save` (a reload), never by the constructor (`start` writes it)."""
        section = self.options.section
        if section is not None and section not in section_ids(reading):
            return []
        if keyed is None:
            keyed, _ = keyed_cards(loaded(reading), save=save)
        return [k for k in keyed if section is None or k.section == section]

    def reload(self, reading: Reading) -> None:
        """Continue on a reading's edited notes: its cards are matched to their state by key
        again (its identity record written as the edit keys them), and the cards undo would ask
        again to the cards as they now read (a reworded card by `edited.now_reads`); the other
        readings' cards stay as they were."""
        self.readings = [reading if r.id == reading.id else r for r in self.readings]
        before = self._keyed[reading.id]
        self._keyed[reading.id] = self._select(reading, save=True)
        self._collect()
        self._moved = now_reads(before, self._keyed[reading.id])
        for done in self._undo:
            if done.card is not None and done.card.reading.id == reading.id:
                done.card = self._moved.get(done.card.key)
        self._skipped = {self._moved[k].key if k in self._moved else k for k in self._skipped}

    def _gather(self, now: datetime) -> tuple[Gathered, list[Keyed]]:
        """The session's queue now (`due.queue`): skipped, buried and suspended cards left out,
        and with --ahead the reviews answered in the session."""
        aside = self._skipped | self._hidden.buried | self._hidden.suspended
        # Reviewing ahead takes each card once: not again once answered in the session.
        taken = {k for k, count in self._answered.items() if count} if self.options.ahead else ()
        return queue(self.cards, self._states, aside, now, self.options.ahead, taken)

    def counts(self, now: datetime) -> Counts:
        """Anki's three counts: new cards left today, and the due ones by `due.gather`."""
        last, self._last = self._last, None
        # The screen asks for the counts right after `next` at the same moment: the queue just
        # gathered for it is the one counted (gathering walks every card of the library).
        gathered, new = last[1] if last is not None and last[0] is now else self._gather(now)
        due = gathered.counts
        return Counts(min(len(new), self.new_left), due.learning, due.review)

    @property
    def new_left(self) -> int:
        return max(self.options.new_per_day - self._introduced, 0)

    @property
    def limit_reached(self) -> bool:
        return self.options.limit is not None and self.answers >= self.options.limit

    def next(self, now: datetime) -> Shown | None:
        """The card to show now, or None when the session is done."""
        if self.limit_reached:
            return None
        # Read again for each card: another session may have introduced new cards meanwhile,
        # and a session running past 04:00 starts a new day's allowance.
        self._introduced = self.store.introduced_since(day_start(now))
        self._hidden = self.store.hidden(now)
        chosen = self._again or self._choose(now)
        self._again = None
        if chosen is None:
            return None
        state = self._state(chosen.key)
        outcomes = self.scheduler.outcomes(state, now, fuzz_seed(chosen.key))
        early = Due.at(now).day(state.due.timestamp()) if state else 0
        return Shown(chosen, state, outcomes, early=early if self.options.ahead else 0)

    def _choose(self, now: datetime) -> Keyed | None:
        gathered, new = self._gather(now)
        self._last = (now, (gathered, new))
        first = new[0].key if new and self.new_left > 0 else None
        key = next_card(gathered.learning, now, first, gathered.reviews)
        return None if key is None else self._by_key[key]

    def _state(self, key: Key) -> CardState | None:
        stored = self._states.get(key)
        if stored is None:
            return None
        with rows_as_written(self.store.path):
            return stored.state()

    def answer(self, shown: Shown, grade: Grade, now: datetime) -> Scheduled | Crammed:
        """Grade the card shown; committed to the store before this returns (a cram session
        gives a Crammed: nothing rescheduled).

        Raises NewCardLimit, having saved nothing, when the card is new and another session
        introduced the day's last new card since it was shown.
        """
        outcome = shown.outcomes[grade]
        card = shown.card

        def reschedule(current: CardState | None) -> CardState:
            # Another session answered this card since it was shown: build on its answer.
            return self.scheduler.outcomes(current, now, fuzz_seed(shown.keyed.key))[grade].state

        new_cap = NewCap(self.options.new_per_day, day_start(now))
        recorded = self.store.record(shown.logged(grade, now), reschedule, new_cap)
        if recorded.after is not outcome.state:
            outcome = Scheduled(grade, recorded.after, recorded.after.due - now.astimezone(UTC))
        self._put(shown.keyed.key, recorded.after)
        if recorded.before is None:
            self._introduced += 1
        key = shown.keyed.key
        early = shown.early > 0
        done = Done("answer", key, card.note.label, shown.keyed, recorded.log_id, early)
        self._undo.append(done)
        self.answers += 1
        self.early += early
        self._answered[key] += 1
        return outcome

    def bury(self, shown: Shown, now: datetime) -> None:
        """Bury the card shown until the next review day (Anki's `-`); saved at once."""
        self.store.bury(shown.keyed.key, next_day_at(now))
        self._set_aside("bury", shown)

    def suspend(self, shown: Shown, now: datetime) -> None:
        """Suspend the card shown until it is unsuspended (Anki's `@`); saved at once."""
        self.store.suspend(shown.keyed.key, now)
        self._set_aside("suspend", shown)

    def _set_aside(self, what: Literal["bury", "suspend"], shown: Shown) -> None:
        # The next card is chosen with the store's burying and suspensions read again.
        self._undo.append(Done(what, shown.keyed.key, shown.card.note.label, shown.keyed))

    def undo(self) -> Done | None:
        """Take back the last answer, burying or suspension of this session; its card, as the
        notes now read it, is shown again next."""
        if not self._undo:
            return None
        done = self._undo.pop()
        if done.what == "bury":
            self.store.unbury(done.key)
        elif done.what == "suspend":
            self.store.unsuspend([done.key])
        else:
            seed, zone = fuzz_seed(done.key), self.now.tzinfo

            def replay(state: CardState | None, grade: Grade, moment: datetime) -> CardState:
                # Another session's later answer to the card, scheduled again without this one.
                return self.scheduler.outcomes(state, moment.astimezone(zone), seed)[grade].state

            undone = self.store.undo(done.log_id, replay)
            if undone is not None and undone.introduced:
                self._introduced = max(self._introduced - 1, 0)
            if undone is not None and undone.state is None:
                self._states.pop(done.key, None)
            elif undone is not None and undone.state is not None:
                self._put(done.key, undone.state)
            self.answers -= 1
            self.early -= done.early
            self._answered[done.key] -= 1
        if done.card is not None:
            self._skipped.discard(done.card.key)
        self._again = done.card
        return done

    def show_again(self, key: Key) -> None:
        """Show this card next (after its notes were edited), as the notes now read it, if
        they still have it."""
        self._again = self._by_key.get(key) or self._moved.get(key)

    def skip(self, shown: Shown) -> None:
        """Set the card aside for the rest of the session."""
        self._skipped.add(shown.keyed.key)

    def _put(self, key: Key, state: CardState) -> None:
        self._last = None
        self._states[key] = Stored(state.phase, state.due.timestamp(), json.dumps(state.to_json()))

    def summary(self, now: datetime) -> Summary:
        """What the session did, and what comes tomorrow."""
        readings = [r.id for r in self.readings]
        reviews, passed = self.store.reviews_since(readings, day_start(now))
        hidden = self.store.hidden(now)
        buried = hidden.buried - hidden.suspended
        today, tomorrow = due_notes(self.cards, self._states, hidden, now)
        new_today = 0 if self.options.cram or self.options.ahead else self.counts(now).new
        return Summary(
            answers=self.answers,
            seconds=time.monotonic() - self.started,
            reviews_today=reviews,
            passed_today=passed,
            due_today=today,
            due_tomorrow=tomorrow,
            new_today=new_today,
            buried=sum(k.key in buried for k in self.cards),
            ahead=self.options.ahead,
            early=self.early,
            cram=self.options.cram,
            failed_today=self.options.failed_today,
        )


@dataclass(frozen=True)
class Summary:
    answers: int
    seconds: float
    reviews_today: int  # answers today on cards in review
    passed_today: int  # of those, not Again
    due_today: int  # cards still due before the day ends, one a note (learning ones included)
    due_tomorrow: int  # reviewed cards that come due tomorrow
    new_today: int = 0  # new cards the session would still introduce today (it was ended early)
    buried: int = 0  # cards of the session buried until tomorrow
    ahead: int = 0  # the days reviewed ahead
    early: int = 0  # answers before the card's due day
    cram: bool = False  # a cram session: nothing rescheduled
    failed_today: bool = False  # a cram of the cards answered Again today

    @property
    def retention(self) -> float | None:
        return self.passed_today / self.reviews_today if self.reviews_today else None
