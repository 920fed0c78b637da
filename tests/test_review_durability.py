"""An answer is durable and whole: the log row and the card's state are committed together,
with SQLite syncing every commit to disk."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import studykit.review.store.log
from studykit.errors import StudykitError
from studykit.review.scheduler import CardState, Grade, Phase
from studykit.review.store import Answer, open_store

NOW = datetime.fromisoformat("2026-03-02T09:00:00+00:00")
KEY = ("skabc", 0)


def _answer(grade: Grade, before: CardState | None) -> Answer:
    moment = NOW.astimezone(UTC)
    after = CardState(Phase.REVIEW, None, 3.2, 5.0, moment + timedelta(days=3), moment, 1, 0, 3)
    return Answer(KEY, "r", "s", "r/s/question/text:Why?", grade, moment, 1500, before, after)


def _rows(path: Path) -> tuple[int, int]:
    with sqlite3.connect(path) as db:
        reviews = db.execute("SELECT COUNT(*) FROM reviews").fetchone()[0]
        cards = db.execute("SELECT COUNT(*) FROM cards").fetchone()[0]
    return int(reviews), int(cards)


def test_every_commit_is_synced_to_disk(tmp_path: Path) -> None:
    opened = open_store(tmp_path / "review.db", NOW)
    try:
        # 2 = FULL: a commit survives a power cut, not only a crash of the program.
        assert opened.store._db.execute("PRAGMA synchronous").fetchone()[0] == 2
        assert opened.store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        opened.store.close()


def test_a_failure_between_the_log_row_and_the_state_keeps_neither(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "review.db"
    opened = open_store(path, NOW)
    first = opened.store.record(_answer(Grade.GOOD, None))
    assert _rows(path) == (1, 1)

    def fail(*args: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(studykit.review.store.log, "_put", fail)
    with pytest.raises(StudykitError, match="cannot save to the review store: disk I/O error"):
        opened.store.record(_answer(Grade.AGAIN, first.after))
    opened.store.close()
    assert _rows(path) == (1, 1), "the failed answer left no log row and no state"
    reopened = open_store(path, NOW)
    try:
        [(guid, card)] = reopened.store.states()
        assert (guid, card) == KEY
        assert reopened.store.states()[KEY].state() == first.after, "the state before it, whole"
    finally:
        reopened.store.close()
