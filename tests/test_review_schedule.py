"""Scheduling as the student sees it: the answer buttons and when a card comes due."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import Runner

from studykit.notes.library import load
from studykit.review.keyed import keyed_cards
from studykit.review.scheduler import CardState, Grade, Phase, Scheduler
from studykit.review.store import Answer, open_store

NOW = datetime.fromisoformat("2026-03-02T09:00:00+01:00")
STORE = Path(".studykit/review.db")


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYKIT_NOW", NOW.isoformat())
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)


def review_card(stability: float, difficulty: float) -> CardState:
    """A card in review, due now, last answered a day ago."""
    due = NOW.astimezone(UTC)
    return CardState(Phase.REVIEW, None, stability, difficulty, due, due - timedelta(days=1), 3)


def _answers(*answers: tuple[str, Grade]) -> tuple[dict[Grade, int | timedelta], CardState]:
    """Answer a new card at the given times (fuzz off); the last answer's buttons (days for a
    review, else the step) and the state it left."""
    scheduler, state = Scheduler(fuzz=False), None
    for moment, grade in answers:
        outcomes = scheduler.outcomes(state, datetime.fromisoformat(moment))
        state = outcomes[grade].state
    shown = {
        g: o.state.interval if o.state.step is None else o.interval for g, o in outcomes.items()
    }
    assert state is not None
    return shown, state


def test_a_review_the_morning_after_next_counts_review_days_as_anki_does() -> None:
    # Anki (26.9, FSRS, fuzz off) on the same answers: Hard/Good/Easy 8/11/19 days, and a
    # stability of 10.97 after Good. Counted in 24-hour periods it would be 5/7/12 and 7.32.
    shown, state = _answers(
        ("2025-03-03T20:00:00+00:00", Grade.GOOD),
        ("2025-03-03T20:10:00+00:00", Grade.GOOD),
        ("2025-03-05T08:00:00+00:00", Grade.GOOD),
    )
    assert shown == {
        Grade.AGAIN: timedelta(minutes=10),
        Grade.HARD: 8,
        Grade.GOOD: 11,
        Grade.EASY: 19,
    }
    assert state.stability == 10.9713
    assert state.difficulty == 2.104
    assert state.due == datetime.fromisoformat("2025-03-16T04:00:00+00:00")


def test_the_next_morning_is_a_day_later_not_the_same_day() -> None:
    # Anki: stability 2.15 (as a same-day review it would be 0.32).
    shown, state = _answers(
        ("2025-03-03T20:00:00+00:00", Grade.AGAIN),
        ("2025-03-03T20:01:00+00:00", Grade.GOOD),
        ("2025-03-03T20:11:00+00:00", Grade.GOOD),
        ("2025-03-04T08:00:00+00:00", Grade.GOOD),
    )
    assert state.stability == 2.152
    assert shown == {
        Grade.AGAIN: timedelta(minutes=10),
        Grade.HARD: 1,
        Grade.GOOD: 2,
        Grade.EASY: 4,
    }


def test_easy_from_a_learning_step_is_a_day_more_than_good() -> None:
    shown, state = _answers(
        ("2025-03-03T20:00:00+00:00", Grade.AGAIN),
        ("2025-03-03T20:01:00+00:00", Grade.EASY),
    )
    assert state.interval == 2, "Anki: 2 days, where FSRS's own interval rounds to 1"
    assert shown[Grade.EASY] == 2


def test_buttons_may_be_equal_at_the_maximum_interval() -> None:
    answered = datetime.fromisoformat("2000-03-03T09:00:00+00:00")
    card = CardState(Phase.REVIEW, None, 30_000.0, 2.0, answered, answered, 20, 0, 36_000)
    outcomes = Scheduler(fuzz=False).outcomes(
        card, datetime.fromisoformat("2025-03-05T09:00:00+00:00")
    )
    days = {g: o.state.interval for g, o in outcomes.items()}
    assert days == {Grade.AGAIN: 21, Grade.HARD: 36_050, Grade.GOOD: 36_500, Grade.EASY: 36_500}


def test_a_review_is_never_shorter_than_the_interval_it_had() -> None:
    # Answered two days after a 30-day interval was set: FSRS alone would give Hard, Good and
    # Easy 27, 28 and 30 days (26.59, 27.64, 29.95), all within fuzz of 30.
    answered = datetime.fromisoformat("2025-03-01T09:00:00+00:00")
    card = CardState(Phase.REVIEW, None, 25.0, 8.0, answered, answered, 5, 0, 30)
    now = datetime.fromisoformat("2025-03-03T09:00:00+00:00")
    outcomes = Scheduler(fuzz=False).outcomes(card, now)
    assert {g: o.state.interval for g, o in outcomes.items()} == {
        Grade.AGAIN: 2,
        Grade.HARD: 30,
        Grade.GOOD: 31,
        Grade.EASY: 32,
    }


@pytest.mark.parametrize(
    ("retention", "days"),
    [
        (0.9, {Grade.HARD: 8, Grade.GOOD: 11, Grade.EASY: 19}),
        (0.85, {Grade.HARD: 14, Grade.GOOD: 21, Grade.EASY: 35}),
    ],
)
def test_desired_retention_sets_the_intervals(retention: float, days: dict[Grade, int]) -> None:
    scheduler, state = Scheduler(retention, fuzz=False), None
    for moment, grade in (
        ("2025-03-03T20:00:00+00:00", Grade.GOOD),
        ("2025-03-03T20:10:00+00:00", Grade.GOOD),
    ):
        state = scheduler.outcomes(state, datetime.fromisoformat(moment))[grade].state
    outcomes = scheduler.outcomes(state, datetime.fromisoformat("2025-03-05T08:00:00+00:00"))
    assert {g: o.state.interval for g, o in outcomes.items() if g is not Grade.AGAIN} == days


def test_fuzz_is_drawn_once_per_answer_and_the_same_when_shown_again() -> None:
    scheduler = Scheduler()
    card = review_card(40.0, 5.0)
    first = scheduler.outcomes(card, NOW, "demo/basics/question/text:Why?#0")
    again = scheduler.outcomes(card, NOW, "demo/basics/question/text:Why?#0")
    assert first == again, "after an undo the same intervals are offered"
    other = [
        scheduler.outcomes(card, NOW, f"card {n}")[Grade.GOOD].state.interval for n in range(200)
    ]
    assert min(other) < max(other), "another card draws its own fuzz"


def _plant_review_card_due_in_a_day(notes: Path) -> None:
    """The first card, answered Good at 09:00 for 1 day, as a session stores it."""
    reading = load(None, notes)
    [first, *_], _ = keyed_cards(reading, save=True)
    answered = NOW.astimezone(UTC)
    state = CardState(Phase.REVIEW, None, 1.2, 5.0, answered + timedelta(days=1), answered, 3)
    opened = open_store(STORE, NOW)
    opened.store.record(
        Answer(
            first.key,
            reading.id,
            first.card.note.section.id,
            first.card.note.identity,
            Grade.GOOD,
            answered,
            1000,
            review_card(1.0, 5.0),
            state,
        )
    )
    opened.store.close()


def _due_now(run: Runner) -> tuple[int, int, int]:
    stats = run("stats", "--json")
    listed = run("list", "--json")
    assert stats.exit_code == 0 and listed.exit_code == 0, (stats, listed)
    figures = json.loads(stats.stdout)
    [demo] = json.loads(listed.stdout)["readings"]
    return figures["due"], figures["forecast"][0], demo["due"]


def test_a_review_card_is_due_from_the_start_of_its_day(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _plant_review_card_due_in_a_day(notes)
    monkeypatch.setenv("STUDYKIT_NOW", (NOW + timedelta(hours=18)).isoformat())  # 03:00
    assert _due_now(run) == (0, 0, 0), "before the 04:00 rollover it is still tomorrow's card"
    night = run("review", "--new", "0")
    assert "No more cards due now." in night.stdout, night
    assert "due tomorrow: 1 card" in night.stdout, night

    monkeypatch.setenv("STUDYKIT_NOW", (NOW + timedelta(hours=20)).isoformat())  # 05:00
    assert _due_now(run) == (1, 1, 1), "stats, its forecast and list count it due at 05:00"
    morning = run("review", "--new", "0", input="\n3\n")
    assert morning.exit_code == 0, morning
    assert morning.stdout.startswith("0 new  0 learning  1 review"), morning
    assert "Q: The [...] conference met in 1959." in morning.stdout, morning
    assert "1 answer in" in morning.stdout, morning
    assert "Still due today: 0 cards" in morning.stdout, morning
