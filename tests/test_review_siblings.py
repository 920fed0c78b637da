"""Siblings (the cards of one note: a term and its reverse, the deletions of one cloze point)
are buried until the next review day once one of them is answered, as Anki buries them: in the
store, so a second session that day does not show them either."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import Runner
from review_helpers import AT_MORNING, FIRST_Q, MORNING, at, questions

from studykit.review.scheduler import CardState, Grade, Phase
from studykit.review.store import Answer, open_store

pytestmark = AT_MORNING

SECOND_Q = "Q: The Lushan conference met in [year]."
COMMUNE_Q = "Q: People's commune"
REVERSE_Q = "Q: The large rural unit of 1958, c. 5,000 households."
BASICS = [FIRST_Q, COMMUNE_Q, "Q: no", "Q: Why did output fall?", "Q: What is a<b & c>d?"]


def header(table: str) -> str:
    return next(line for line in table.splitlines() if "Reading / section" in line)


def stats(run: Runner, *args: str) -> dict[str, Any]:
    result = run("stats", "--json", *args)
    assert result.exit_code == 0, result
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_an_answer_buries_its_siblings_until_the_next_review_day(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Basics: 8 cards of 5 notes (a cloze of two deletions, two terms with reverse cards).
    first = run("review", "--section", "basics", input="\n4\n" * 8)
    assert first.exit_code == 0, first
    assert questions(first.stdout) == BASICS, "one card a note: each answer buries the others"
    assert first.stdout.startswith("5 new  0 learning  0 review"), first
    assert "No more cards due now." in first.stdout, first
    assert "Buried until tomorrow: 3 cards" in first.stdout, first

    again = run("review", "--section", "basics", input="\n4\n" * 3)
    assert questions(again.stdout) == [], "a second session the same day shows none of them"
    assert "Buried until tomorrow: 3 cards" in again.stdout, again

    demo = stats(run, "demo")
    assert (demo["new"], demo["buried"], demo["due"]) == (4, 3, 0), "buried: neither new nor due"
    text = run("stats", "demo").stdout
    assert "12 cards · 4 new · 0 due now · 3 buried" in text, text
    listed = json.loads(run("list", "--json").stdout)["readings"][0]
    basics = listed["sections"][0]
    assert (basics["due"], basics["buried"], listed["buried"]) == (0, 3, 3), listed
    assert "Buried" in header(run("list").stdout), "a column while some card is buried"

    at(monkeypatch, MORNING.replace(day=3, hour=3, minute=59))  # before the 04:00 rollover
    assert questions(run("review", "--section", "basics", input="q\n").stdout) == []
    at(monkeypatch, MORNING.replace(day=3, hour=4))
    assert stats(run, "demo")["buried"] == 0
    assert "Buried" not in header(run("list").stdout), "no column while none is buried"
    next_day = run("review", "--section", "basics", input="\n4\n" * 3)
    assert questions(next_day.stdout) == [SECOND_Q, REVERSE_Q, "Q: 1.10"], next_day


def test_a_note_shows_one_review_a_day(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`Set {{x}} and {{y}} and {{z}}`: its three cards, introduced on three days, all due on
    one day: the top line counts one review, and its answer buries the other two."""
    for day in range(3):
        at(monkeypatch, MORNING + timedelta(days=day))
        run("review", "--section", "more-things", "--new", "1", input="\n4\n")
    assert [s["phase"] for s in stats(run, "demo")["card_states"]] == ["review"] * 3
    at(monkeypatch, MORNING + timedelta(days=60))
    assert stats(run, "demo")["due"] == 1, "one review a note"
    day = run("review", "--section", "more-things", "--new", "0", input="\n3\n" * 3)
    assert day.stdout.startswith("0 new  0 learning  1 review"), day
    assert len(questions(day.stdout)) == 1, day
    assert "Buried until tomorrow: 2 cards" in day.stdout, day
    assert (stats(run, "demo")["due"], stats(run, "demo")["buried"]) == (0, 2)
    at(monkeypatch, MORNING + timedelta(days=61))
    after = run("review", "--section", "more-things", "--new", "0", input="\n3\n" * 3)
    assert after.stdout.startswith("0 new  0 learning  1 review"), after
    # The one answered yesterday is buried too, as in Anki, though not due: burying is by note.
    assert "due tomorrow: 1 card\nBuried until tomorrow: 2 cards" in after.stdout, after


def _answer(key: tuple[str, int], before: CardState | None, after: CardState) -> Answer:
    moment = MORNING.astimezone(UTC)
    return Answer(
        key,
        "demo",
        "basics",
        "demo/basics/cloze/text:x",
        Grade.GOOD,
        moment,
        1000,
        before,
        after,
        siblings=tuple(n for n in (0, 1, 2) if n != key[1]),
        bury_until=MORNING.replace(day=3, hour=4),
    )


def _buried(path: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT card, until FROM buried ORDER BY card").fetchall()
    return [(int(c), datetime.fromtimestamp(u, UTC).isoformat()) for c, u in rows]


def test_a_sibling_in_learning_goes_on_and_undo_unburies(tmp_path: Path) -> None:
    """As Anki: new and review siblings are buried, one in learning is not; undoing the
    answer takes its burying back, and a burying made earlier stays."""
    path = tmp_path / "review.db"
    store = open_store(path, MORNING).store
    moment = MORNING.astimezone(UTC)
    learning = CardState(Phase.LEARNING, 1, 2.3, 5.0, moment + timedelta(minutes=10), moment, 1)
    review = CardState(Phase.REVIEW, None, 9.0, 5.0, moment + timedelta(days=9), moment, 3)
    # Card 1 into learning: cards 0 and 2, new, are buried until 04:00 (+01:00) tomorrow.
    store.record(_answer(("g", 1), None, learning))
    assert _buried(path) == [(0, "2026-03-03T03:00:00+00:00"), (2, "2026-03-03T03:00:00+00:00")]
    # Card 2 into review, undone: card 0 stays buried by the first answer.
    store.undo(store.record(_answer(("g", 2), None, review)).log_id)
    assert [c for c, _ in _buried(path)] == [0, 2], "an earlier burying stays through an undo"
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM buried")
    store.record(_answer(("g", 2), None, review))
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM buried")
    # Card 0 answered, with card 1 in learning and card 2 in review.
    answered = store.record(_answer(("g", 0), None, learning))
    assert [c for c, _ in _buried(path)] == [2], "card 1 is in learning: it goes on"
    store.undo(answered.log_id)
    assert _buried(path) == [], "undo takes back the burying it made"
    store.close()


def test_stats_forecast_today_is_what_review_shows_when_siblings_are_due_together(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Basics: 8 cards of 5 notes. Day one answers one card a note (the others are buried);
    # day two answers the three siblings. Three months on, every card is due.
    assert run("review", "--section", "basics", input="\n4\n" * 8).exit_code == 0
    at(monkeypatch, MORNING + timedelta(days=1))
    assert run("review", "--section", "basics", input="\n4\n" * 8).exit_code == 0
    at(monkeypatch, MORNING + timedelta(days=90))
    shown = run("review", "--section", "basics", "--limit", "1", input="q\n")
    assert shown.stdout.startswith("0 new  0 learning  5 review"), shown.stdout
    demo = stats(run, "demo")
    # One card a note is today's queue, as review shows it; its siblings wait for tomorrow.
    assert (demo["due"], demo["forecast"][0], demo["forecast"][1]) == (5, 5, 3), demo["forecast"]
    text = run("stats", "demo").stdout
    assert "5 due now" in text and "today 5 · tomorrow 3" in text, text
