"""`studykit stats`: the contract's JSON, the terminal view, and the due counts `list` uses."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import Runner

from studykit.library import load
from studykit.review.stats import due_counts, store_states

STORE = Path(".studykit/review.db")
START = datetime.fromisoformat("2026-03-02T09:00:00+01:00")
KEYS = {"cards", "new", "due", "reviews", "retention", "forecast", "sections"}


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYKIT_NOW", START.isoformat())
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)


def _stats(run: Runner) -> dict[str, object]:
    result = run("stats", "demo", "--json")
    assert result.exit_code == 0, result
    data = json.loads(result.stdout)
    assert isinstance(data, dict), data
    return data


def test_before_any_review_nothing_is_created(notes: Path, run: Runner) -> None:
    data = _stats(run)
    assert set(data) >= KEYS, data
    assert (data["cards"], data["new"], data["due"], data["reviews"]) == (12, 12, 0, 0), data
    assert data["retention"] is None, "no retention before any review"
    assert data["forecast"] == [0] * 30, data["forecast"]
    assert data["sections"] == [
        {"id": "basics", "title": "Basics", "cards": 8, "reviewed": 0, "strength": None},
        {"id": "more-things", "title": "More", "cards": 4, "reviewed": 0, "strength": None},
    ], data["sections"]
    assert not STORE.exists(), "stats is read-only: no store is made"
    text = run("stats", "demo", "--state", "elsewhere.db").stdout
    assert "review store: elsewhere.db (none yet: nothing reviewed)" in text, text
    assert not (notes / "demo" / "identities.lock").exists(), "stats writes no record"


def test_figures_after_two_days_of_review(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Day 0: four new cards of `basics`, Easy (straight to review, days away).
    first = run("review", "--section", "basics", "--new", "4", input="\n4\n" * 4)
    assert first.exit_code == 0, first
    data = _stats(run)
    assert (data["new"], data["due"], data["reviews"]) == (8, 0, 4), data
    assert sum(data["forecast"]) == 4, data["forecast"]
    assert data["forecast"][0] == 0, "nothing due today after Easy"
    # A month later all four are due: one forgotten, three recalled.
    monkeypatch.setenv("STUDYKIT_NOW", (START + timedelta(days=30)).isoformat())
    assert _stats(run)["due"] == 4, "all four are due now"
    assert _stats(run)["forecast"][0] == 4, "due today includes the overdue"
    later = run("review", "--new", "0", input="\n1\n" + "\n3\n" * 3 + "q\n")
    assert later.exit_code == 0, later
    data = _stats(run)
    assert data["reviews"] == 8, data
    assert data["retention"] == 0.75, "3 of 4 answers on cards in review were not Again"
    assert data["streak"] == 1, "only today in a row"
    basics, more = data["sections"]
    assert basics["reviewed"] == 4 and more["reviewed"] == 0, data["sections"]
    assert 0 < basics["strength"] <= 1, basics
    assert more["strength"] is None, more


def test_streak_counts_days_in_a_row(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    for day in range(3):
        monkeypatch.setenv("STUDYKIT_NOW", (START + timedelta(days=day)).isoformat())
        run("review", "--new", "1", input="\n4\n")
    assert _stats(run)["streak"] == 3, "three days in a row"
    monkeypatch.setenv("STUDYKIT_NOW", (START + timedelta(days=3)).isoformat())
    assert _stats(run)["streak"] == 3, "today not yet reviewed: the streak still stands"
    monkeypatch.setenv("STUDYKIT_NOW", (START + timedelta(days=5)).isoformat())
    assert _stats(run)["streak"] == 0, "a day missed ends it"


def test_terminal_view_puts_the_weakest_section_first(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("review", "--section", "more-things", "--new", "1", input="\n4\n")
    run("review", "--section", "basics", "--new", "2", input="\n1\n\n3\n\n3\nq\n")
    monkeypatch.setenv("STUDYKIT_NOW", (START + timedelta(days=3)).isoformat())
    result = run("stats", "demo")
    assert result.exit_code == 0, result
    out = result.stdout
    assert "12 cards · 10 new" in out, out
    assert "review store: .studykit/review.db\n" in out, f"which store was read: {out}"
    assert "Due in the next 30 days" in out and "next 30 days 2" in out, out
    assert "Sections, weakest first" in out, out
    strengths = json.loads(run("stats", "demo", "--json").stdout)["sections"]
    weak, strong = sorted(strengths, key=lambda s: s["strength"])
    assert weak["strength"] < strong["strength"], strengths
    table = out.split("Sections, weakest first")[1]
    assert table.index(weak["id"]) < table.index(strong["id"]), out
    assert f"{round(weak['strength'] * 100)}%" in table, out


def test_a_broken_store_is_reported_not_moved(notes: Path, run: Runner) -> None:
    STORE.parent.mkdir()
    STORE.write_text("not a database at all\n" * 100, encoding="utf-8")
    result = run("stats")
    assert result.exit_code == 1, result
    assert result.stderr.startswith(".studykit/review.db: error: not a review database"), result
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert STORE.read_text(encoding="utf-8").startswith("not a database"), "left as it was"


def test_due_counts_per_section(notes: Path, run: Runner) -> None:
    reading = load(None, notes)
    assert due_counts(reading, store_states(STORE), START) == {"basics": 0, "more-things": 0}
    assert not STORE.exists(), "no store is made to count nothing"
    run("review", "--new", "3", input="\n4\n" * 3)
    later = START + timedelta(days=40)
    states = store_states(STORE)
    assert due_counts(reading, states, START) == {"basics": 0, "more-things": 0}
    assert due_counts(reading, states, later) == {"basics": 3, "more-things": 0}
