"""Undo takes back one session's own answer: another session's answers to the same card, given
after it, stay, and the card keeps the state they give it."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from studykit.notes.library import load
from studykit.review.scheduler import Grade, Phase
from studykit.review.session import SessionOptions
from studykit.review.starting import start

NOW = "2026-03-02T09:00:00+01:00"
STORE = Path(".studykit/review.db")


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYKIT_NOW", NOW)
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)


def _log(store: Path) -> tuple[list[tuple[int, str | None, str]], list[str]]:
    with sqlite3.connect(store) as db:
        reviews = db.execute("SELECT rating, before, after FROM reviews ORDER BY id").fetchall()
        cards = [row[0] for row in db.execute("SELECT state FROM cards")]
    return reviews, cards


def test_undo_in_one_session_keeps_the_later_answer_of_another(notes: Path) -> None:
    now = datetime.fromisoformat(NOW)
    later = now + timedelta(minutes=1)
    a, _ = start([load(None, notes)], STORE, SessionOptions(), now, 0.9)
    b, _ = start([load(None, notes)], STORE, SessionOptions(), now, 0.9)
    shown_a, shown_b = a.next(now), b.next(now)
    assert shown_a and shown_b and shown_a.keyed.key == shown_b.keyed.key, "the same new card"
    a.answer(shown_a, Grade.GOOD, now)
    b.answer(shown_b, Grade.EASY, later)  # scheduled from A's Good
    undone = a.undo()
    assert undone is not None and undone.key == shown_a.keyed.key

    reviews, cards = _log(STORE)
    assert [(rating, before) for rating, before, _ in reviews] == [(4, None)], (
        "only A's answer is gone; B's Easy is now the card's first answer"
    )
    [state] = [json.loads(raw) for raw in cards]
    assert state == json.loads(reviews[0][2]), "the card keeps the state the log ends with"
    assert (state["phase"], state["reps"], state["interval"]) == (int(Phase.REVIEW), 1, 10)
    # Easy on the new card, as if A had never answered (B saw the card new).
    easy_as_new = shown_b.outcomes[Grade.EASY].state
    assert state["due"] == easy_as_new.due.isoformat() == "2026-03-12T03:00:00+00:00"
    assert state["stability"] == easy_as_new.stability == 8.2956

    # B's own undo then leaves the card new again.
    assert b.undo() is not None
    assert _log(STORE) == ([], [])
    a.store.close()
    b.store.close()


def test_undo_of_an_earlier_answer_replays_the_later_ones(notes: Path) -> None:
    """A's Again, then B's Good and Good: undoing A's Again replays B's answers from new."""
    now = datetime.fromisoformat(NOW)
    a, _ = start([load(None, notes)], STORE, SessionOptions(), now, 0.9)
    b, _ = start([load(None, notes)], STORE, SessionOptions(), now, 0.9)
    shown_a = a.next(now)
    assert shown_a is not None
    a.answer(shown_a, Grade.AGAIN, now)
    shown_b = b.next(now + timedelta(minutes=2))
    assert shown_b is not None and shown_b.keyed.key == shown_a.keyed.key
    b.answer(shown_b, Grade.GOOD, now + timedelta(minutes=2))
    again = b.next(now + timedelta(minutes=20))
    assert again is not None and again.keyed.key == shown_a.keyed.key
    b.answer(again, Grade.GOOD, now + timedelta(minutes=20))
    assert a.undo() is not None

    reviews, cards = _log(STORE)
    assert [rating for rating, _, _ in reviews] == [3, 3]
    first, second = (json.loads(after) for _, _, after in reviews)
    assert reviews[0][1] is None, "B's first Good introduces the card now"
    assert json.loads(str(reviews[1][1])) == first, "each answer starts where the one before ended"
    # Good, Good from new: learning step 2, then graduated to review.
    assert (first["phase"], first["step"], first["reps"]) == (int(Phase.LEARNING), 1, 1)
    assert (second["phase"], second["reps"], second["lapses"]) == (int(Phase.REVIEW), 2, 0)
    assert [json.loads(raw) for raw in cards] == [second]
    a.store.close()
    b.store.close()
