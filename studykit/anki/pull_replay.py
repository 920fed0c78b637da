"""A card's state from its log, as Anki's FSRS reads it (rslib's `reviews_for_fsrs`): the
answers that count, the state Anki holds where it is kept, and the replay of the others (the rules
are `studykit.anki.pull`'s)."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import NamedTuple, TypeVar

from studykit.anki.collection_cards import AnkiCard, Entry
from studykit.anki.pull_rows import FILTERED, LEARNING, MANUAL, RESCHEDULED
from studykit.review.scheduler import (
    LEARNING_STEPS,
    RELEARNING_STEPS,
    CardState,
    Grade,
    Phase,
    Scheduler,
    fuzz_seed,
)
from studykit.review.store import Key


class Event(NamedTuple):
    """One entry of a card's merged log, in time order."""

    time: float  # epoch seconds
    kind: int  # Anki's revlog kind (a terminal answer's from the phase it was in)
    button: int  # 1-4; 0 for a manual entry
    factor: int  # 0 marks a reset (manual) or cramming (filtered)
    anki: bool  # from Anki's log


# Either kind of log entry a card's history is read from.
Logs = TypeVar("Logs", Event, Entry)


def _cram(entry: Entry | Event) -> bool:
    return entry.kind == FILTERED and entry.factor == 0


def kept_state(card: AnkiCard, entries: list[Entry]) -> CardState | None:
    """The state Anki holds of a card answered in Anki alone, where it is kept as it is (a
    usable memory state and due date, and an answer that counts); None: replayed."""
    if card.stability is None or card.due is None:
        return None
    counted = _last_counted(entries)
    if counted is None:
        return None
    last = datetime.fromtimestamp(counted / 1000, UTC)
    return _anki_state(card, last, card.reps, card.lapses)


def _last_counted(entries: list[Entry]) -> int | None:
    """The revlog id of the last of Anki's entries `_counted` counts; None where it counts none
    (a card reset since, or none of its answers counts). `_counted`'s own reading, from the end
    and by index: a pull reads every card's."""
    # Nearly always the last entry: an answer that counts ends the run `_counted` starts
    # at or before it, and is the last it counts.
    if entries:
        rid, _, button, _, _, factor, _, kind = entries[-1]
        if 1 <= button <= 4 and kind not in (MANUAL, RESCHEDULED) and (kind != FILTERED or factor):
            return int(rid)
    start = first_graded = None
    for index in range(len(entries) - 1, -1, -1):
        _, _, button, _, _, factor, _, kind = entries[index]
        if kind == FILTERED and factor == 0:  # cramming
            continue
        if 1 <= button <= 4:
            first_graded = index
            if kind == LEARNING:
                start = index
                continue
        if start is not None:
            break
        if kind == MANUAL and factor == 0:  # a reset
            if first_graded is None:
                return None
            break
    start = start if start is not None else first_graded
    if start is None:
        return None
    for index in range(len(entries) - 1, start - 1, -1):
        rid, _, button, _, _, factor, _, kind = entries[index]
        if 1 <= button <= 4 and kind not in (MANUAL, RESCHEDULED) and (kind != FILTERED or factor):
            return int(rid)
    return None


def _counted(events: list[Logs]) -> list[Logs] | None:
    """The answers Anki's FSRS counts (rslib's `reviews_for_fsrs`): from the card's last run of
    learning answers (or, without one, its first answer since a reset); manual entries,
    rescheduling and cramming left out. None: no answer counts (a card reset since)."""
    first_learning = first_graded = None
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if event.kind == FILTERED and event.factor == 0:  # cramming (`_cram`, inlined)
            continue
        graded = 1 <= event.button <= 4
        if graded:
            first_graded = index
        if graded and event.kind == LEARNING:
            first_learning = index
        elif first_learning is not None:
            break
        elif event.kind == MANUAL and event.factor == 0:  # a reset
            if first_graded is None:
                return None
            break
    start = first_learning if first_learning is not None else first_graded
    if start is None:
        return None
    return [
        e
        for e in events[start:]
        if 1 <= e.button <= 4
        and e.kind not in (MANUAL, RESCHEDULED)
        and (e.kind != FILTERED or e.factor != 0)
    ]


def replay(
    key: Key, events: list[Event], card: AnkiCard, scheduler: Scheduler, zone: tzinfo | None
) -> CardState | None:
    """A card's state from its merged log: see the module's rules."""
    counted = _counted(events)
    last_from_anki = events[-1].anki
    if counted is None:
        # Nothing answered since a reset: new, unless Anki has scheduled it by hand since.
        return _anki_state(card, None, 0, 0) if card.kind != 0 and last_from_anki else None
    last_review = datetime.fromtimestamp(counted[-1].time, UTC)
    # Anki's memory state and due date are kept only where studykit can schedule with them
    # (`collection` reads them as None otherwise): else the replay's own are.
    usable_due = card.due is not None
    anki_only = all(e.anki for e in counted) and last_from_anki
    if anki_only and card.stability is not None and usable_due:
        return _anki_state(card, last_review, card.reps, card.lapses)
    state: CardState | None = None
    seed = fuzz_seed(key)
    for event in counted:
        moment = datetime.fromtimestamp(event.time, zone)
        state = scheduler.outcomes(state, moment, seed)[Grade(event.button)].state
    assert state is not None
    if last_from_anki and card.kind != 0 and usable_due:
        kept = _anki_state(card, last_review, state.reps, state.lapses)
        return CardState(
            kept.phase,
            kept.step,
            state.stability,
            state.difficulty,
            kept.due,
            state.last_review,
            state.reps,
            state.lapses,
            kept.interval,
        )
    return state


def _anki_state(card: AnkiCard, last_review: datetime | None, reps: int, lapses: int) -> CardState:
    """The card as Anki holds it, as a studykit state."""
    phase = {1: Phase.LEARNING, 2: Phase.REVIEW, 3: Phase.RELEARNING}[card.kind]
    steps = RELEARNING_STEPS if phase is Phase.RELEARNING else LEARNING_STEPS
    step = None if phase is Phase.REVIEW else min(max(len(steps) - card.left, 0), len(steps) - 1)
    due = card.due or datetime.now(UTC)
    return CardState(
        phase=phase,
        step=step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=due.astimezone(UTC),
        last_review=last_review,
        reps=reps,
        lapses=lapses,
        interval=card.interval,
    )
