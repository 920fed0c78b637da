"""Before an exam: `review --ahead DAYS` reviews now what comes due in the next DAYS days,
scheduled as any answer (as Anki's FSRS schedules an early review: see
test_anki_schedule.py); `review --cram` goes through cards and reschedules nothing."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import Runner
from review_helpers import AT_MORNING, FIRST_Q, MORNING, STORE, at, questions

from studykit.review.scheduler import CardState, Grade, Scheduler, fuzz_seed

pytestmark = AT_MORNING

SET_X = "Q: Set [a letter] and y and z."
SET_Y = "Q: Set x and [...] and z."
SET_Z = "Q: Set x and y and [...]."
ONE_MORE = "Q: One more?"


def rows(table: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(STORE) as db:
        return db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()


def test_ahead_reviews_cards_due_within_the_days_now(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("review", "--section", "basics", "--limit", "1", input="\n4\n")  # Easy: 10 days
    [(guid, card, _, _, raw)] = rows("cards")
    before = CardState.from_json(json.loads(raw))
    three_days_on = MORNING + timedelta(days=3)
    at(monkeypatch, three_days_on)
    not_yet = run("review", "--section", "basics", "--ahead", "6", input="\n3\n")
    assert not_yet.exit_code == 0, not_yet
    assert questions(not_yet.stdout) == [], "due in 7 days: not within 6; no new cards either"
    assert "Reviewed ahead 6 days: nothing more due by then." in not_yet.stdout, not_yet

    result = run("review", "--section", "basics", "--ahead", "7", input="\n3\n\n3\n")
    assert result.exit_code == 0, result
    assert questions(result.stdout) == [FIRST_Q], "answered once, not taken ahead again"
    top = result.stdout.splitlines()[0]
    assert top == "0 new  0 learning  1 review   demo::basics · c1 · due in 7 days", top
    assert "1 Again 10m  2 Hard 17d  3 Good 23d  4 Easy 1.2mo" in result.stdout, result
    assert "Good: next in 23d" in result.stdout, result
    assert result.stdout.endswith(
        "Reviewed ahead 7 days: nothing more due by then.\n"
        "1 card answered before its due day, each scheduled from today\n"
        "1 answer in 0s; retention today 100% (1 of 1 reviews not Again)\n"
        "Still due today: 0 cards; due tomorrow: 0 cards\n"
        "Buried until tomorrow: 1 card\n"  # its sibling, as after any answer
    ), result.stdout
    # Scheduled as any answer at that moment: no rule of its own for an early review.
    [(_, _, _, _, after)] = rows("cards")
    expected = Scheduler().outcomes(before, three_days_on, fuzz_seed((guid, card)))
    assert CardState.from_json(json.loads(after)) == expected[Grade.GOOD].state


def test_cram_goes_through_cards_and_changes_nothing(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("review", "--section", "more-things", "--limit", "1", input="\n3\n")  # Set x: learning
    # The next day: its siblings are no longer buried (a cram, as Anki's filtered decks, leaves
    # buried and suspended cards out).
    at(monkeypatch, MORNING + timedelta(days=1))
    states, log = rows("cards"), rows("reviews")
    # Again on the first, Good on the rest; the first comes back at the end: Hard, then Good.
    answers = "\n1\n" + "\n3\n" * 3 + "\n2\n" + "\n3\n"
    result = run("review", "--cram", "--section", "more-things", input=answers)
    assert result.exit_code == 0, result
    assert questions(result.stdout) == [SET_X, SET_Y, SET_Z, ONE_MORE, SET_X, SET_X], result
    lines = result.stdout.splitlines()
    assert lines[0] == "4 left to cram (nothing rescheduled)   demo::more-things · c1", lines[0]
    assert "1 Again 1m  2 Hard 10m  3 Good (end)  4 Easy (end)" in lines, result
    assert "Again: again in 1m (nothing rescheduled)" in lines, result
    assert "Hard: again in 10m (nothing rescheduled)" in lines, result
    assert "Good: done (nothing rescheduled)" in lines, result
    assert result.stdout.endswith(
        "Cram: nothing rescheduled; every card gone through.\n"
        "Cram answers are logged apart; no schedule, review count or retention changes\n"
        "6 answers in 0s\n"
        "Still due today: 1 card; due tomorrow: 0 cards\n"
    ), result.stdout
    assert (rows("cards"), rows("reviews")) == (states, log), "no state or log row changed"
    assert rows("buried") == [], "a cram answer buries no sibling"
    with sqlite3.connect(STORE) as db:
        crammed = db.execute("SELECT card, rating FROM cram ORDER BY id").fetchall()
    assert crammed == [(0, 1), (1, 3), (2, 3), (0, 3), (0, 2), (0, 3)], crammed
    stats = json.loads(run("stats", "demo", "--json").stdout)
    assert (stats["reviews"], stats["reviews_today"], stats["new"]) == (1, 0, 11), stats
    later = run("review", "--section", "more-things", input="q\n")
    assert later.stdout.startswith("1 new  1 learning  0 review"), "crammed new cards stay new"


def test_cram_the_cards_failed_today(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Again on the Lushan cloze and on "no", Good on the commune term.
    run("review", "--section", "basics", "--limit", "3", input="\n1\n\n3\n\n1\n")
    at(monkeypatch, MORNING + timedelta(hours=2))
    result = run("review", "--cram", "--failed-today", input="\n4\n\n4\n")
    assert result.exit_code == 0, result
    assert questions(result.stdout) == [FIRST_Q, "Q: no"], result
    assert "Cram: nothing rescheduled; every card gone through." in result.stdout, result
    at(monkeypatch, MORNING + timedelta(days=1))
    tomorrow = run("review", "--cram", "--failed-today", input="q\n")
    assert questions(tomorrow.stdout) == [], "yesterday's failures are not today's"


def test_undo_takes_back_a_cram_answer(notes: Path, run: Runner) -> None:
    result = run("review", "--cram", "--section", "more-things", input="\n3\nu\n\n1\nq\n")
    assert result.exit_code == 0, result
    assert questions(result.stdout) == [SET_X, SET_Y, SET_X, SET_Y], result
    assert "undone: Set x and y and z." in result.stdout, result
    with sqlite3.connect(STORE) as db:
        crammed = db.execute("SELECT card, rating FROM cram").fetchall()
    assert crammed == [(0, 1)], "the undone answer left the cram log"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--cram", "--ahead", "3"],
            "error: --ahead reschedules the cards it reviews, --cram reschedules none: choose one",
        ),
        (["--failed-today"], "error: --failed-today chooses the cards to cram: add --cram"),
    ],
)
def test_modes_that_do_not_go_together(
    notes: Path, run: Runner, args: list[str], message: str
) -> None:
    result = run("review", *args, input="q\n")
    assert result.exit_code == 2, result
    assert result.stderr.splitlines() == [message], result
    assert not STORE.exists(), "nothing is created for a bad command line"


def test_ahead_counts_the_early_cards_in_stats_as_reviews(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An early answer is a review like any other: logged, counted in retention."""
    run("review", "--section", "basics", "--limit", "1", input="\n4\n")
    at(monkeypatch, MORNING + timedelta(days=3))
    run("review", "--ahead", "7", "--section", "basics", input="\n1\n")
    stats = json.loads(run("stats", "demo", "--json").stdout)
    assert (stats["reviews"], stats["retention"]) == (2, 0.0), stats
    assert stats["card_states"][0]["lapses"] == 1, "Again early is a lapse, as in Anki"
