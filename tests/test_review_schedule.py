"""Scheduling as the student sees it: the answer buttons and when a card comes due."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from studykit.review.render import grades
from studykit.review.scheduler import CardState, Grade, Phase, Scheduler

NOW = datetime.fromisoformat("2026-03-02T09:00:00+01:00")


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
