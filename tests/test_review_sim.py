"""Review over weeks with a fixed clock, and progress that survives editing and moving the notes."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import Runner

STORE = Path(".studykit/review.db")
START = datetime.fromisoformat("2026-03-02T09:00:00+01:00")
SOLO = """title: Solo
questions:
  - q: What did the Lushan conference of 1959 do to Peng Dehuai?
    a: It purged him for criticising the Leap.
"""


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYKIT_NOW", START.isoformat())
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)


def _intervals() -> list[tuple[int, float]]:
    """(rating, days until due) of every answer that put a card in review or was given to one."""
    with sqlite3.connect(STORE) as db:
        rows = db.execute("SELECT rating, time, before, after FROM reviews ORDER BY id").fetchall()
    found = []
    for rating, time, before, after in rows:
        graduated = json.loads(after)["phase"] == 2
        if graduated or (before is not None and json.loads(before)["phase"] in (2, 3)):
            due = datetime.fromisoformat(json.loads(after)["due"])
            found.append((rating, (due - datetime.fromisoformat(time)) / timedelta(days=1)))
    return found


def test_sixty_days_good_grows_intervals_again_shrinks_them(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    (notes / "demo" / "03-solo.yaml").write_text(SOLO, encoding="utf-8")
    lapsed_on = None
    for day in range(60):
        monkeypatch.setenv("STUDYKIT_NOW", (START + timedelta(days=day)).isoformat())
        lapse = day >= 10 and lapsed_on is None
        answers = ("\n1\n" if lapse else "") + "\n3\n" * 4
        result = run("review", "--section", "solo", input=answers)
        assert result.exit_code == 0, result
        if lapse and "Again: next in" in result.stdout:
            lapsed_on = day
    assert lapsed_on is not None, f"the card came due after day 10: {_intervals()}"
    intervals = _intervals()
    again = next(i for i, (rating, _) in enumerate(intervals) if rating == 1)
    before = [days for _, days in intervals[:again]]
    # The first answer after Again ends relearning: the new interval, shorter than before.
    after = [days for _, days in intervals[again + 1 :]]
    assert len(before) >= 2, intervals
    assert before == sorted(before) and len(set(before)) == len(before), (
        f"Good makes each interval longer: {intervals}"
    )
    assert intervals[again][1] < 1, f"Again sends the card back to relearning: {intervals}"
    assert len(after) >= 2, f"the card left relearning after the lapse: {intervals}"
    assert after[0] < before[-1], f"after a lapse the interval is shorter: {intervals}"
    assert after == sorted(after), f"Good makes intervals grow again: {intervals}"


def _answer_one_more(run: Runner) -> None:
    result = run("review", "--section", "more-things", input="s\n" * 3 + "\n4\nq\n")
    assert "Q: One more?" in result.stdout, result.stdout
    assert "Easy: next in" in result.stdout, result.stdout


def _more_things(run: Runner, *args: str) -> dict[str, object]:
    result = run("stats", "--json", *args)
    assert result.exit_code == 0, result
    [data] = json.loads(result.stdout)["readings"]  # the library of one reading
    section = next(s for s in data["sections"] if s["id"] == "more-things")
    return {"reviewed": section["reviewed"], "new": data["new"], "reviews": data["reviews"]}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_rewording_an_item_given_an_id_keeps_its_progress(notes: Path, run: Runner) -> None:
    _answer_one_more(run)
    _edit(
        notes / "demo" / "02-more.yaml",
        "  - q: One more?\n",
        "  - q: And one more?\n    id: one-more\n",
    )
    assert _more_things(run) == {"reviewed": 1, "new": 11, "reviews": 1}
    later = run("review", "--section", "more-things", "--new", "0", input="q\n")
    assert "No more cards due now." in later.stdout, "the reworded card is not new"


def test_editing_an_answer_keeps_progress(notes: Path, run: Runner) -> None:
    _answer_one_more(run)
    _edit(notes / "demo" / "02-more.yaml", "a: Yes.", "a: Yes, one more.")
    assert _more_things(run) == {"reviewed": 1, "new": 11, "reviews": 1}


def test_moving_and_renaming_the_notes_folder_keeps_progress(notes: Path, run: Runner) -> None:
    _answer_one_more(run)
    moved = notes.parent / "elsewhere" / "study"
    moved.parent.mkdir()
    shutil.move(notes, moved)
    (moved / "demo").rename(moved / "demo-renamed")
    assert _more_things(run, "--notes", str(moved)) == {"reviewed": 1, "new": 11, "reviews": 1}


def test_a_deleted_item_keeps_its_log(notes: Path, run: Runner) -> None:
    _answer_one_more(run)
    _edit(notes / "demo" / "02-more.yaml", "questions:\n  - q: One more?\n    a: Yes.\n", "")
    assert _more_things(run) == {"reviewed": 0, "new": 11, "reviews": 1}
    with sqlite3.connect(STORE) as db:
        [(identity,)] = db.execute("SELECT identity FROM reviews").fetchall()
    assert identity == "demo/more-things/question/text:One more?", identity
