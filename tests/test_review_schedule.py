"""Scheduling as the student sees it: the answer buttons and when a card comes due."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import Runner

from studykit.library import load
from studykit.review.render import grades
from studykit.review.scheduler import CardState, Grade, Phase, Scheduler
from studykit.review.session import keyed_cards
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


@pytest.mark.parametrize("stability", [0.1, 0.3, 0.5, 1.0, 2.0])
@pytest.mark.parametrize("difficulty", [1.0, 5.0, 9.0])
def test_hard_good_and_easy_show_different_days(stability: float, difficulty: float) -> None:
    outcomes = Scheduler().outcomes(review_card(stability, difficulty), NOW)
    line = grades(outcomes).plain
    shown = re.fullmatch(r"1 Again 10m  2 Hard (\d+)d  3 Good (\d+)d  4 Easy (\d+)d", line)
    assert shown, f"a review card's buttons: {line!r}"
    hard, good, easy = (int(days) for days in shown.groups())
    assert 1 <= hard < good < easy, f"each button a day further than the one before: {line!r}"
    for grade, days in ((Grade.HARD, hard), (Grade.GOOD, good), (Grade.EASY, easy)):
        stored = outcomes[grade].state.due - NOW
        assert stored == timedelta(days=days), f"{grade.label} stores what it showed: {stored}"


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
