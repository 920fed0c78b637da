"""Where a student stands: counts, the due forecast, true retention, streak, strength.

Read-only: the store is opened without writing and the identity record is not saved, so
`stats` can run beside a session. For one reading: its figures and each section's; for the
library (every reading of the notes folder): the same figures summed, and each reading's.

Due and learning counts follow `due.count_due`, the rule review's top line and `list` use;
buried and suspended cards are counted apart (`buried`, `suspended`), never as due or new; a
buried card comes back in the forecast tomorrow at the earliest, a suspended one not at all.
Strength is the mean recall probability of the cards answered at least once, FSRS's
retrievability at now of the time since the last answer to the second, as Anki shows it in the
browser and card info, cards in learning and relearning included; a card whose last answer
was Again counts 0 until it is answered again (you did not recall it, and FSRS's recall starts
again from 100% the moment a card is answered, which would hide the failure). True retention
is, as Anki computes it, the share of answers on cards in review that were not Again.

The FSRS settings review schedules with (`settings.py`) are shown with where they came from,
and strength is computed with their parameters; the answers are counted by where they were
given: in the terminal, or in Anki (pulled with `studykit pull`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from studykit.notes.model import Reading
from studykit.review import settings
from studykit.review.due import count_due, gather
from studykit.review.keyed import Keyed, keyed_cards
from studykit.review.scheduler import CardState, Due, Grade, Phase, Scheduler, day_start
from studykit.review.settings import FsrsSettings
from studykit.review.store import (
    Hidden,
    Key,
    LogRow,
    Stored,
    open_for_reading,
    rows_as_written,
    timestamp,
)

if TYPE_CHECKING:
    pass

FORECAST_DAYS = 30


class Progress(NamedTuple):
    """The card states in the store, and the cards buried at the moment it was read."""

    states: dict[Key, Stored]
    hidden: Hidden


class SectionCounts(NamedTuple):
    """A section's cards due now (by `due.count_due`'s rule), buried until tomorrow and
    suspended."""

    due: int = 0
    buried: int = 0
    suspended: int = 0


def store_states(state_path: Path, now: datetime) -> Progress:
    """Every card state in the store, read once for all readings; empty when there is no store.

    Creates nothing; a store that cannot be read raises StudykitError naming it.
    """
    store = open_for_reading(state_path)
    if store is None:
        return Progress({}, Hidden())
    try:
        with rows_as_written(state_path):
            return Progress(store.states(), store.hidden(now))
    finally:
        store.close()


def due_counts(reading: Reading, progress: Progress, now: datetime) -> dict[str, SectionCounts]:
    """Per section id: cards due now (answered cards only, by `due.count_due`'s rule), cards
    buried and cards suspended, from `store_states`."""
    keyed, _ = keyed_cards(reading, save=False)
    section = {k.key: k.note.section.id for k in keyed}
    buried = {s.id: 0 for s in reading.sections}
    suspended = dict(buried)
    answered = []
    for k in keyed:
        if k.key in progress.hidden.suspended:
            suspended[section[k.key]] += 1
        elif k.key in progress.hidden.buried:
            buried[section[k.key]] += 1
        elif k.key in progress.states:
            answered.append((k.key, progress.states[k.key]))
    gathered = gather(answered, now)
    due = dict.fromkeys(buried, 0)
    for _, key in gathered.learning + gathered.reviews:
        due[section[key]] += 1
    return {s.id: SectionCounts(due[s.id], buried[s.id], suspended[s.id]) for s in reading.sections}


@dataclass(frozen=True)
class _Store:
    """What stats read from the store, once for every reading."""

    states: dict[Key, Stored]
    log: list[LogRow]
    hidden: Hidden
    fsrs: FsrsSettings = settings.DEFAULTS

    @functools.cached_property
    def _rows(self) -> tuple[dict[Key, list[int]], dict[str, list[int]]]:
        """Where each card's answers and each reading's are in the log."""
        by_key: dict[Key, list[int]] = {}
        by_reading: dict[str, list[int]] = {}
        for at, row in enumerate(self.log):
            by_key.setdefault(row.key, []).append(at)
            by_reading.setdefault(row.reading, []).append(at)
        return by_key, by_reading

    def answers(self, keys: Iterable[Key], reading: str) -> list[LogRow]:
        """The answers to these cards or logged under this reading, oldest first: found from an
        index of the log made once, since reading the whole log again for each reading of a
        library took time in readings times answers (41 s for 4,000 readings)."""
        by_key, by_reading = self._rows
        found = set(by_reading.get(reading, ()))
        for key in keys:
            found.update(by_key.get(key, ()))
        return [self.log[at] for at in sorted(found)]


def _read(state_path: Path, now: datetime) -> _Store:
    store = open_for_reading(state_path)
    if store is None:
        return _Store({}, [], Hidden())
    try:
        with rows_as_written(state_path):
            return _Store(store.states(), store.log(), store.hidden(now), settings.load(store))
    finally:
        store.close()


@dataclass(frozen=True)
class _Figures:
    """One reading's figures, and what the library sums from them."""

    data: dict[str, Any]  # the reading's object in `stats --json`
    keys: frozenset[Key]
    recalls: list[float]
    due: list[tuple[Key, Stored]]  # answered cards that may come due now (not buried)


def reading_stats(reading: Reading, state_path: Path, now: datetime) -> dict[str, Any]:
    """The figures of `stats READING --json`."""
    seen = _read(state_path, now)
    with rows_as_written(state_path):
        return _reading(reading, seen, now, _scheduler(seen.fsrs)).data


def library_stats(readings: list[Reading], state_path: Path, now: datetime) -> dict[str, Any]:
    """The figures of `stats --json` without READING: the library's totals and each reading's
    object (as `stats READING --json` gives it) under `readings`."""
    seen = _read(state_path, now)
    with rows_as_written(state_path):
        return _library(readings, seen, now)


def _library(readings: list[Reading], seen: _Store, now: datetime) -> dict[str, Any]:
    scheduler = _scheduler(seen.fsrs)
    figures = [_reading(reading, seen, now, scheduler) for reading in readings]
    keys = frozenset().union(*(f.keys for f in figures))
    ids = {reading.id for reading in readings}
    answers = [r for r in seen.log if r.key in keys or r.reading in ids]
    recalls = [recall for f in figures for recall in f.recalls]
    due = count_due((pair for f in figures for pair in f.due), now)
    forecast = [sum(day) for day in zip(*(f.data["forecast"] for f in figures), strict=True)]
    return {
        "cards": sum(f.data["cards"] for f in figures),
        "new": sum(f.data["new"] for f in figures),
        "due": due.total,
        "learning": due.learning,
        "reviewed": len(recalls),
        "strength": _mean(recalls),
        **_answers(answers, now),
        "leeches": sum(f.data["leeches"] for f in figures),
        "buried": sum(f.data["buried"] for f in figures),
        "suspended": sum(f.data["suspended"] for f in figures),
        "forecast": forecast or [0] * FORECAST_DAYS,
        "parameters": _parameters(seen.fsrs),
        "readings": [f.data for f in figures],
    }


def _scheduler(kept: FsrsSettings) -> Scheduler:
    """The scheduler review uses with the store's settings: recall by their parameters."""
    return Scheduler(kept.retention, parameters=kept.parameters)


def _parameters(kept: FsrsSettings) -> dict[str, Any]:
    """Which FSRS settings review schedules with: `origin` as a student reads it ("FSRS
    defaults", "Anki preset 'Default'", "fitted to 1,204 of your answers"), the desired
    retention, and `since` (ISO 8601, UTC; null for the defaults)."""
    return {"origin": kept.origin, "retention": kept.retention, "since": kept.since}


def _reading(reading: Reading, seen: _Store, now: datetime, scheduler: Scheduler) -> _Figures:
    keyed, _ = keyed_cards(reading, save=False)
    keys = frozenset(k.key for k in keyed)
    answered = [k for k in keyed if k.key in seen.states]
    states = {k.key: seen.states[k.key].state() for k in answered}
    answers = seen.answers(keys, reading.id)
    last = {r.key: r.grade for r in answers}  # oldest first: the last answer stays
    moment = now.astimezone(UTC)
    recall = {
        key: 0.0 if last.get(key) is Grade.AGAIN else scheduler.recall(state, moment)
        for key, state in states.items()
    }
    suspended = seen.hidden.suspended
    buried = seen.hidden.buried - suspended
    aside = buried | suspended
    waiting = [(k.key, seen.states[k.key]) for k in answered if k.key not in aside]
    gathered = gather(waiting, now)
    due = gathered.counts
    shown = {key for _, key in gathered.reviews}
    day = Due.at(now).day
    # A review due today whose note already has a card in today's queue waits as its sibling,
    # as Anki holds it back: it comes tomorrow, and today's forecast is what review shows.
    held = {
        key
        for key, stored in waiting
        if stored.phase is Phase.REVIEW and key not in shown and day(stored.due) == 0
    }
    # Each section's cards, gathered in one pass: listing every card again for each section
    # took time in sections times cards (28 s for 5,000 sections of one card).
    by_section: dict[str, list[Key]] = {section.id: [] for section in reading.sections}
    for k in keyed:
        by_section.setdefault(k.note.section.id, []).append(k.key)
    sections = []
    for section in reading.sections:
        mine = by_section[section.id]
        recalls = [recall[key] for key in mine if key in recall]
        sections.append(
            {
                "id": section.id,
                "title": section.title,
                "cards": len(mine),
                "reviewed": len(recalls),
                "strength": _mean(recalls),
            }
        )
    data = {
        "reading": reading.id,
        "cards": len(keyed),
        "new": sum(k.key not in states and k.key not in aside for k in keyed),
        "due": due.total,
        "learning": due.learning,
        "reviewed": len(states),
        "strength": _mean(list(recall.values())),
        **_answers(answers, now),
        "leeches": sum(s.is_leech for s in states.values()),
        "buried": sum(k.key in buried for k in keyed),
        "suspended": sum(k.key in suspended for k in keyed),
        # A buried card comes back tomorrow at the earliest; a suspended one does not come due.
        "forecast": _forecast(
            [
                max(day(seen.states[k.key].due), 1 if k.key in buried or k.key in held else 0)
                for k in answered
                if k.key not in suspended
            ]
        ),
        "sections": sections,
        "card_states": [_card_state(k, states[k.key]) for k in answered],
        "parameters": _parameters(seen.fsrs),
    }
    return _Figures(data, keys, list(recall.values()), waiting)


def _answers(answers: list[LogRow], now: datetime) -> dict[str, Any]:
    """The figures of the answer log: reviews (and where they were given), retention, streak."""
    today = _since(answers, day_start(now))
    return {
        "reviews": len(answers),
        "answers_by_source": _by_source(answers),
        "reviews_today": len(today),
        "retention": _retention(r for r in answers if r.before_phase is Phase.REVIEW),
        "retention_today": _retention(r for r in today if r.before_phase is Phase.REVIEW),
        "streak": _streak(answers, now),
    }


def _by_source(answers: list[LogRow]) -> dict[str, int]:
    """Answers given in the terminal and in Anki. A log row names its source once `pull`
    merges Anki's answers; a row without one (every answer of an older store) is the
    terminal's."""
    counts = {"terminal": 0, "anki": 0}
    for row in answers:
        source = getattr(row, "source", None) or "terminal"
        counts[source] = counts.get(source, 0) + 1
    return counts


def _card_state(keyed: Keyed, state: CardState) -> dict[str, Any]:
    """One answered card in `card_states`: its note GUID, Anki's card ordinal, its memory."""
    guid, card = keyed.key
    return {
        "guid": guid,
        "card": card,
        "phase": state.phase.name.lower(),
        "due": state.due.astimezone(UTC).isoformat(),
        "stability": state.stability,
        "difficulty": state.difficulty,
        "reps": state.reps,
        "lapses": state.lapses,
    }


def _mean(recalls: list[float]) -> float | None:
    return round(sum(recalls) / len(recalls), 4) if recalls else None


def _since(rows: list[LogRow], start: datetime) -> list[LogRow]:
    mark = timestamp(start)
    return [r for r in rows if r.time >= mark]


def _retention(rows: Iterable[LogRow]) -> float | None:
    grades = [r.grade for r in rows]
    if not grades:
        return None
    return round(sum(g is not Grade.AGAIN for g in grades) / len(grades), 4)


def _forecast(days: list[int]) -> list[int]:
    """Cards due on each of the next 30 review days; today includes the overdue."""
    counts = [0] * FORECAST_DAYS
    for day in days:
        if day < FORECAST_DAYS:
            counts[day] += 1
    return counts


def _streak(rows: list[LogRow], now: datetime) -> int:
    """Days in a row with at least one answer, up to today (or yesterday, before today's)."""
    days = {day_start(datetime.fromisoformat(r.time).astimezone(now.tzinfo)).date() for r in rows}
    day = day_start(now).date()
    if day not in days:
        day -= timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return streak
