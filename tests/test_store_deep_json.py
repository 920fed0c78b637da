"""A review store whose JSON a hand or another program nested thousands deep (a card's state, an
answer's state after, the FSRS settings): every command reading it stops in one line naming the
store, as for a row of JSON that does not parse, and leaves the store as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import Runner

STORE = Path("progress.db")
DEEP = '{"phase": ' + "[" * 100_000 + "1" + "]" * 100_000 + "}"
TOO_DEEP = (
    "RecursionError('maximum recursion depth exceeded while decoding a JSON array from a "
    "unicode string')"
)
ROW = (
    f"progress.db: error: a row of the review store is not one studykit wrote ({TOO_DEEP}); it "
    "was left as it is: restore the store from a backup, or move it aside to start afresh\n"
)
SETTINGS = (
    "progress.db: error: the FSRS settings kept in the review store are not what studykit "
    f"wrote ({TOO_DEEP}); restore the store, or pass another with --state\n"
)
STATS = ("stats",)
REVIEW = ("review", "--ahead", "1")  # the answered cards, due in minutes
OPTIMIZE = ("optimize",)
DECK = ("deck", "--dry-run", "--with-progress")

CASES = [
    ("update cards set state = ?", STATS, ROW),
    ("update cards set state = ?", REVIEW, ROW),
    ("update cards set state = ?", DECK, ROW),
    ("update reviews set after = ?", DECK, ROW),
    ("insert or replace into settings (name, value) values ('fsrs', ?)", STATS, SETTINGS),
    ("insert or replace into settings (name, value) values ('fsrs', ?)", REVIEW, SETTINGS),
    ("insert or replace into settings (name, value) values ('fsrs', ?)", OPTIMIZE, SETTINGS),
    ("insert or replace into settings (name, value) values ('fsrs', ?)", DECK, SETTINGS),
]
IDS = [
    "state-stats",
    "state-review",
    "state-deck",
    "after-deck",
    "settings-stats",
    "settings-review",
    "settings-optimize",
    "settings-deck",
]


def _rows(store: Path) -> list[str]:
    db = sqlite3.connect(store)
    try:
        return list(db.iterdump())
    finally:
        db.close()


@pytest.mark.parametrize(("change", "command", "said"), CASES, ids=IDS)
def test_json_nested_thousands_deep_stops_in_one_line(
    notes: Path, run: Runner, change: str, command: tuple[str, ...], said: str
) -> None:
    answered = run("review", "--limit", "2", "--state", str(STORE), input="\n3\n\n3\nq\n")
    assert answered.exit_code == 0, answered
    with sqlite3.connect(STORE) as db:
        db.execute(change, (DEEP,))
    before = _rows(STORE)
    result = run(*command, "--state", str(STORE), input="q")
    assert result.exit_code == 1, result
    assert result.exception is None, result.exception
    assert result.stderr == said
    assert _rows(STORE) == before, "the store is left as it is"
