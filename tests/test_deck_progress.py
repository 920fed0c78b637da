"""`studykit deck --with-progress`: Anki continues where the terminal left off.

Cards are answered with `studykit review` on three days (learning, graduating, a lapse, a step
past 04:00), the deck is built with their progress and imported into a fresh collection by
Anki's own engine, its clock faked to the moment the import happens (libfaketime, as
`anki_schedule.py` does). What Anki then holds is compared with the store.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from anki_schedule import FAKETIME
from conftest import Runner

from studykit.review.scheduler import CardState, Due, Grade, Phase, Scheduler, review_date

ZONE = "Europe/Berlin"
TZ = ZoneInfo(ZONE)
DRIVER = Path(__file__).parent / "anki_progress_driver.py"
DECK = "Demo::Reading"
# Three sessions: new cards learnt and one failed; the next day some graduate; a week later,
# at 03:55, a failed review's 10-minute step runs past 04:00 (due as a day, in Anki's queue 3).
SESSIONS = [
    ("2026-03-02T09:00:00+01:00", "\n3\n\n1\n\n3\n\n4\nq\n"),
    ("2026-03-03T10:00:00+01:00", "\n3\n\n3\n\n2\n\n3\n\n3\n\n1\nq\n"),
    ("2026-03-11T03:55:00+01:00", "\n1\n\n3\n\n3\n\n3\n\n3\n\n1\nq\n"),
]
IMPORTED = datetime(2026, 3, 11, 9, 0, tzinfo=TZ)

Key = tuple[str, int]


@pytest.fixture
def studied(notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo notes after three review sessions; the store's path."""
    monkeypatch.setenv("TZ", ZONE)
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)
    for moment, answers in SESSIONS:
        monkeypatch.setenv("STUDYKIT_NOW", moment)
        result = run("review", input=answers)
        assert result.exit_code == 0, result
    monkeypatch.setenv("STUDYKIT_NOW", IMPORTED.isoformat())
    return notes.parent / ".studykit" / "review.db"


def states(store: Path) -> dict[Key, CardState]:
    with sqlite3.connect(store) as db:
        rows = db.execute("SELECT guid, card, state FROM cards").fetchall()
    return {(g, c): CardState.from_json(json.loads(s)) for g, c, s in rows}


def answers(store: Path) -> list[tuple[Key, int, datetime, int]]:
    """(card, rating, time, milliseconds taken) of every logged answer, oldest first."""
    with sqlite3.connect(store) as db:
        rows = db.execute(
            "SELECT guid, card, rating, time, elapsed_ms FROM reviews ORDER BY time, id"
        ).fetchall()
    return [((g, c), r, datetime.fromisoformat(t), ms) for g, c, r, t, ms in rows]


def in_anki(tmp: Path, *packages: Path, fsrs: bool = False) -> dict[str, Any]:
    """Import `packages` in turn into a fresh collection at IMPORTED, as Anki's engine sees it."""
    if not FAKETIME.exists():
        pytest.skip("libfaketime is not installed (Debian package faketime)")
    clock = tmp / "clock"
    clock.write_text(IMPORTED.strftime("@%Y-%m-%d %H:%M:%S"), encoding="ascii")
    env = {
        **os.environ,
        "TZ": ZONE,
        "LD_PRELOAD": str(FAKETIME),
        "FAKETIME_TIMESTAMP_FILE": str(clock),
        "FAKETIME_NO_CACHE": "1",
        "ANKI_TEST_MODE": "1",  # no fuzz: the buttons' intervals are the scheduler's own
        "PYTHONPATH": str(DRIVER.parent),
    }
    if fsrs:
        env["FSRS"] = "1"
    done = subprocess.run(
        [sys.executable, str(DRIVER), str(tmp / "collection.anki2"), DECK, *map(str, packages)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found: dict[str, Any] = json.loads(done.stdout)
    return found


def by_key(rows: list[dict[str, Any]]) -> dict[Key, dict[str, Any]]:
    return {(r["key"][0], r["key"][1]): r for r in rows}


def test_anki_takes_each_cards_state_due_day_and_log(
    studied: Path, run: Runner, tmp_path: Path
) -> None:
    result = run("deck", "--with-progress")
    assert result.exit_code == 0, result
    store = states(studied)
    log = answers(studied)
    assert (
        f"{len(store)} cards carry their terminal progress ({len(log)} answers); Anki keeps its "
        "own schedule for cards it already has."
    ) in result.stdout, result
    phases = {s.phase for s in store.values()}
    assert phases == {Phase.LEARNING, Phase.REVIEW, Phase.RELEARNING}, "every phase is carried"

    anki = in_anki(tmp_path, Path("cards/demo.apkg"))
    assert anki["fsrs"] == [False, False], "importing leaves the student's FSRS switch alone"
    cards = by_key(anki["cards"])
    today = review_date(IMPORTED)
    queues = set()
    for key, state in store.items():
        card = cards[key]
        assert card["type"] == int(state.phase), key
        assert (card["reps"], card["lapses"]) == (state.reps, state.lapses), key
        assert (card["stability"], card["difficulty"]) == pytest.approx(
            (state.stability, state.difficulty), abs=1e-4
        ), key
        due = state.due.astimezone(TZ)
        if card["queue"] == 1:  # a learning step due later today: its moment
            assert card["due"] == int(state.due.timestamp()), key
        else:  # review, or a step past 04:00: Anki's day, as a date
            assert today + timedelta(days=card["due"] - anki["today"]) == review_date(due), key
        queues.add(card["queue"])
        if state.phase is Phase.REVIEW:
            assert (card["queue"], card["ivl"], card["left"]) == (2, state.interval, 0), key
            assert card["factor"] == 2500, "Anki's ease on graduating, kept beside FSRS"
        elif state.phase is Phase.RELEARNING:
            assert (card["ivl"], card["left"], card["factor"]) == (state.interval, 1, 2300), key
        else:
            assert (card["ivl"], card["left"]) == (0, 2 - (state.step or 0)), key
    assert queues == {1, 2, 3}, "learning today, review, and a step past 04:00 (a day)"
    untouched = [c for key, c in cards.items() if key not in store]
    assert len(untouched) == 5, "the cards never answered are new"
    assert all((c["type"], c["queue"], c["reps"]) == (0, 0, 0) for c in untouched)

    revlog = anki["revlog"]
    assert [(tuple(r["key"]), r["ease"]) for r in revlog] == [(k, g) for k, g, _, _ in log]
    for row, (_, _, moment, _) in zip(revlog, log, strict=True):
        assert 0 <= row["id"] - int(moment.timestamp() * 1000) < 10, "the answer's moment"
    kinds = [r["type"] for r in revlog]
    assert kinds == [0] * 10 + [0, 0, 0, 0, 0, 1], "learning answers, then a review's lapse"
    first = [(r["ease"], r["ivl"], r["lastIvl"]) for r in revlog[:4]]
    assert first == [(3, -600, 0), (1, -60, 0), (3, -600, 0), (4, 8, 0)], "steps, in seconds"
    lapse = revlog[-1]
    assert (lapse["ivl"], lapse["lastIvl"]) == (1, 8), "10 minutes at 03:55 is a day; was 8 days"

    # Anki's scheduler shows now what studykit's would: the same cards are due.
    due = Due.at(IMPORTED)
    expected = {k for k, s in store.items() if due(s.phase, s.due.timestamp())}
    shown = {(k[0], k[1]) for k in anki["shown"]}
    assert shown - {k for k in cards if k not in store} == expected, anki["shown"]
    assert len(expected) == 3, "a review due today, a relearning step and a learning step"


def test_anki_continues_with_the_same_buttons(studied: Path, run: Runner, tmp_path: Path) -> None:
    """With FSRS on, each card offers in Anki the intervals and memory states review offers."""
    assert run("deck", "--with-progress").exit_code == 0
    anki = in_anki(tmp_path, Path("cards/demo.apkg"), fsrs=True)
    scheduler = Scheduler(fuzz=False)
    for key, state in states(studied).items():
        buttons = anki["buttons"][f"{key[0]}/{key[1]}"]
        outcomes = scheduler.outcomes(state, IMPORTED)
        for grade in Grade:
            learning, days, _, stability, difficulty = buttons[grade.name.lower()]
            outcome = outcomes[grade]
            if outcome.state.phase is Phase.REVIEW:
                assert days == outcome.state.interval, (key, grade)
            else:
                assert learning == outcome.interval.total_seconds(), (key, grade)
            assert (stability, difficulty) == pytest.approx(
                (outcome.state.stability, outcome.state.difficulty), abs=1e-3
            ), (key, grade)


def test_cards_anki_already_has_keep_its_schedule(
    studied: Path, run: Runner, tmp_path: Path
) -> None:
    assert run("deck", "-o", "plain.apkg").exit_code == 0
    assert run("deck", "--with-progress", "-o", "progress.apkg").exit_code == 0
    anki = in_anki(tmp_path, Path("plain.apkg"), Path("progress.apkg"))
    assert len(anki["cards"]) == 12, "no card twice"
    assert all(c["type"] == 0 and c["reps"] == 0 for c in anki["cards"]), "still new in Anki"
    assert anki["revlog"] == [], "no answers moved onto cards Anki had"


def test_without_a_store_the_deck_is_the_plain_one(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)
    monkeypatch.setenv("STUDYKIT_NOW", "2026-03-02T09:00:00+01:00")
    plain = run("deck", "-o", "plain.apkg")
    progress = run("deck", "--with-progress", "-o", "progress.apkg", "--json")
    assert plain.exit_code == 0 and progress.exit_code == 0, progress
    assert Path("plain.apkg").read_bytes() == Path("progress.apkg").read_bytes()
    report = json.loads(progress.stdout)["decks"][0]
    assert report["with_progress"] == {"cards": 0, "reviews": 0}, report
    assert "with_progress" not in json.loads(run("deck", "--json").stdout)["decks"][0]
    text = run("deck", "--with-progress", "-o", "again.apkg")
    assert "No review progress yet: every card is new" in text.stdout, text


def test_a_deck_with_progress_and_one_without_replace_each_other(
    studied: Path, run: Runner
) -> None:
    first = run("deck")
    assert first.exit_code == 0, first
    plain = Path("cards/demo.apkg").read_bytes()
    progress = run("deck", "--with-progress")
    assert "wrote cards/demo.apkg" in progress.stdout, "progress is news to the deck"
    assert Path("cards/demo.apkg").read_bytes() != plain
    again = run("deck", "--with-progress")
    assert "up to date" in again.stdout and "7 cards carry" in again.stdout, again
    back = run("deck")
    assert "wrote cards/demo.apkg" in back.stdout, "a plain build drops the progress"
