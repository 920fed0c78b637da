"""Burying (`-`) and suspending (`@`) from the review screen, as Anki's keys do, undone by `u`;
`studykit unsuspend` brings suspended cards back; `stats` and `list` count them apart."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import Runner
from review_helpers import AT_MORNING, MORNING, STORE, at, questions

pytestmark = AT_MORNING

SET_X = "Q: Set [a letter] and y and z."
SET_Y = "Q: Set x and [...] and z."
ONE_MORE = "Q: One more?"


def stats(run: Runner, *args: str) -> dict[str, Any]:
    result = run("stats", "--json", *args)
    assert result.exit_code == 0, result
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_dash_buries_the_card_until_tomorrow(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run("review", "--section", "more-things", input="-\n\n4\n")
    assert result.exit_code == 0, result
    assert questions(result.stdout) == [SET_X, SET_Y, ONE_MORE], result
    assert "buried until tomorrow (u undoes)" in result.stdout, result
    # The next card was the first's sibling; its answer buried the third deletion too.
    assert "Buried until tomorrow: 2 cards" in result.stdout, result
    again = run("review", "--section", "more-things", input="\n4\n")
    assert questions(again.stdout) == [ONE_MORE], "the buried cards wait for tomorrow"
    assert stats(run, "demo")["buried"] == 2
    at(monkeypatch, MORNING.replace(day=3, hour=4))
    tomorrow = run("review", "--section", "more-things", "--new", "1", input="q\n")
    assert questions(tomorrow.stdout) == [SET_X], tomorrow


def test_a_bury_on_the_answer_side_saves_no_answer(notes: Path, run: Runner) -> None:
    result = run("review", "--section", "more-things", "--limit", "1", input="\n-\n\n3\n")
    assert result.exit_code == 0, result
    assert questions(result.stdout) == [SET_X, SET_Y], result
    with sqlite3.connect(STORE) as db:
        logged = db.execute("SELECT card, rating FROM reviews").fetchall()
    assert logged == [(1, 3)], "only the second card was answered"


def test_at_suspends_until_unsuspended(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("review", "--section", "more-things", "--new", "1", input="\n4\n")  # Set x: in review
    at(monkeypatch, MORNING + timedelta(days=60))
    assert stats(run, "demo")["due"] == 1
    result = run("review", "--section", "more-things", "--new", "0", input="@\n")
    assert result.exit_code == 0, result
    assert result.stdout.startswith("0 new  0 learning  1 review"), result
    assert "suspended: studykit unsuspend brings it back (u undoes)" in result.stdout, result
    assert "No more cards due now." in result.stdout, result

    at(monkeypatch, MORNING + timedelta(days=90))
    later = run("review", "--new", "9", input="q\n")
    assert later.stdout.startswith("7 new  0 learning  0 review"), "not due, not counted"
    demo = stats(run, "demo")
    assert (demo["due"], demo["suspended"], demo["new"], sum(demo["forecast"])) == (0, 1, 11, 0)
    assert "12 cards · 11 new · 0 due now · 1 suspended" in run("stats", "demo").stdout
    library = stats(run)
    assert (library["suspended"], library["due"]) == (1, 0), library
    [listed] = json.loads(run("list", "--json").stdout)["readings"]
    assert (listed["suspended"], [s["suspended"] for s in listed["sections"]]) == (1, [0, 1])
    table = run("list").stdout
    header = next(line for line in table.splitlines() if "Reading / section" in line)
    assert header.split()[-2:] == ["Due", "Suspended"], header

    shown = run("unsuspend", "--list")
    assert shown.exit_code == 0, shown
    assert shown.stdout.splitlines() == [
        "1 suspended card in demo:",
        "  demo · more-things · c1 · Set x and y and z.",
    ], shown
    assert stats(run, "demo")["suspended"] == 1, "--list changes nothing"
    back = run("unsuspend", "demo", "--section", "more-things")
    assert back.exit_code == 0, back
    assert back.stdout.splitlines() == [
        "unsuspended 1 card in demo:",
        "  demo · more-things · c1 · Set x and y and z.",
    ], back
    assert run("unsuspend").stdout == "no suspended cards in demo\n"
    due = run("review", "--new", "0", input="q\n")
    assert questions(due.stdout) == [SET_X], "back in review, due as it was"


def test_u_takes_back_a_bury_and_a_suspension(notes: Path, run: Runner) -> None:
    result = run("review", "--section", "more-things", input="-\nu\n@\nu\nq\n")
    assert result.exit_code == 0, result
    # After each: the next card, then the undo asks the card set aside again.
    assert questions(result.stdout) == [SET_X, SET_Y, SET_X, SET_Y, SET_X], result
    assert "unburied: Set x and y and z." in result.stdout, result
    assert "unsuspended: Set x and y and z." in result.stdout, result
    with sqlite3.connect(STORE) as db:
        aside = [
            db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("buried", "suspended")
        ]
    assert aside == [0, 0], "nothing is left buried or suspended"


def test_unsuspend_without_a_store_creates_none(notes: Path, run: Runner) -> None:
    result = run("unsuspend", "demo")
    assert result.exit_code == 0, result
    assert result.stdout == "no suspended cards in demo\n", result
    assert not STORE.exists(), "nothing to unsuspend: no store is made"
    nope = run("unsuspend", "--section", "nope")
    assert nope.exit_code == 2, nope
    assert nope.stderr == "error: no section 'nope' in demo (sections: basics, more-things)\n"
