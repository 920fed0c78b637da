"""The review store never loses an answer: kill -9, Ctrl-C, two sessions at once, a bad file."""

from __future__ import annotations

import json
import os
import re
import select
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from conftest import Runner

from studykit.notes.library import load
from studykit.review.render import answered
from studykit.review.scheduler import Grade
from studykit.review.session import SessionOptions
from studykit.review.starting import start
from studykit.review.store import NewCardLimit

NOW = "2026-03-02T09:00:00+01:00"
STORE = Path(".studykit/review.db")


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYKIT_NOW", NOW)
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDYKIT_")}
    return {**env, "STUDYKIT_NOW": NOW, "PYTHONUNBUFFERED": "1"}


def _start(cwd: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "studykit", "review", *args],
        cwd=cwd,
        env=_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _read_until(process: subprocess.Popen[str], marker: str, timeout: float = 60) -> str:
    """What the session printed up to a line containing `marker` (read from the raw pipe:
    a buffered reader would hide lines from select)."""
    assert process.stdout is not None
    fd = process.stdout.fileno()
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if select.select([fd], [], [], 1)[0]:
            chunk = os.read(fd, 65536)
            assert chunk, "the session ended early: " + seen.decode()
            seen += chunk
            if marker.encode() in seen:
                return seen.decode()
    raise AssertionError(f"no {marker!r} within {timeout}s: " + seen.decode())


def _answer(process: subprocess.Popen[str], grade: str) -> None:
    """Grade the card on the screen and wait until the session says it is saved (the next
    card is only shown after the commit)."""
    assert process.stdin is not None
    process.stdin.write(f"\n{grade}\n")
    process.stdin.flush()
    _read_until(process, "next in")


def _count(store: Path) -> int:
    with sqlite3.connect(store) as db:
        return int(db.execute("SELECT COUNT(*) FROM reviews").fetchone()[0])


def _integrity(store: Path) -> str:
    with sqlite3.connect(store) as db:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])


def test_kill_9_mid_session_keeps_every_committed_answer(notes: Path) -> None:
    process = _start(notes.parent)
    _read_until(process, "Q: ")
    for grade in "34213":
        _answer(process, grade)
    assert process.stdin is not None
    process.stdin.write("\n")  # the next card's answer is on the screen, ungraded
    process.stdin.flush()
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, process.returncode
    store = notes.parent / STORE
    assert _integrity(store) == "ok", "the store is sound after kill -9"
    assert _count(store) == 5, "every answer shown as saved is in the log"
    again = subprocess.run(
        [sys.executable, "-m", "studykit", "stats", "--json"],
        cwd=notes.parent,
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert '"reviews": 5' in again.stdout, again.stdout


def test_ctrl_c_exits_130_with_answers_saved(notes: Path) -> None:
    process = _start(notes.parent)
    _read_until(process, "Q: ")
    _answer(process, "3")
    _answer(process, "4")
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130, (process.returncode, err)
    assert "interrupted (every answer is saved)" in err, err
    assert "Traceback" not in err, err
    assert "2 answers in" in out, "the summary is shown on the way out"
    assert _count(notes.parent / STORE) == 2, "both answers are saved"


def test_two_sessions_at_once_keep_every_answer(notes: Path) -> None:
    # Both start on a store that does not exist yet: creating it is the racy part.
    sessions = [_start(notes.parent) for _ in range(3)]
    outputs = [s.communicate("\n3\n" * 6 + "q\n", timeout=120) for s in sessions]
    answers = []
    for session, (out, err) in zip(sessions, outputs, strict=True):
        assert session.returncode == 0, err
        # Up to 6 each: a session may find the rest buried by the others' answers meanwhile.
        said = re.search(r"(\d+) answers? in", out)
        assert said, out
        answers.append(int(said[1]))
    store = notes.parent / STORE
    assert _count(store) == sum(answers), f"every answer of every session is logged: {answers}"
    assert sum(answers) >= 6 and max(answers) <= 6, answers
    assert _integrity(store) == "ok", "the store is sound"


def test_a_store_that_is_not_a_database_is_moved_aside(notes: Path, run: Runner) -> None:
    STORE.parent.mkdir()
    garbage = b"these are my notes, not a database\n" * 200
    STORE.write_bytes(garbage)
    result = run("review", input="\n3\nq\n")
    assert result.exit_code == 0, result
    aside = STORE.with_name("review.db.corrupt-20260302T080000Z")
    assert "was not a review database" in result.stderr, result.stderr
    assert aside.name in result.stderr, "the message says where the file went"
    assert aside.read_bytes() == garbage, "the broken file is kept as it was"
    assert _count(STORE) == 1, "a fresh store took the answer"


def test_another_sqlite_database_is_left_untouched(notes: Path, run: Runner) -> None:
    STORE.parent.mkdir()
    with sqlite3.connect(STORE) as db:
        db.execute("CREATE TABLE notes (id INTEGER)")
    before = STORE.read_bytes()
    result = run("review", input="\n3\nq\n")
    assert result.exit_code == 1, result
    assert "not a studykit review store" in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert STORE.read_bytes() == before, "someone else's database is not changed"


def test_state_path_that_is_a_folder(notes: Path, run: Runner) -> None:
    Path("somewhere").mkdir()
    result = run("review", "--state", "somewhere", input="q\n")
    assert result.exit_code == 1, result
    assert result.stderr.startswith("somewhere: error: the review store is a folder"), result


def test_state_from_the_environment(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STUDYKIT_STATE", "elsewhere/mine.db")
    result = run("review", input="\n3\nq\n")
    assert result.exit_code == 0, result
    assert _count(Path("elsewhere/mine.db")) == 1, "STUDYKIT_STATE names the store"
    assert not STORE.exists(), "the default store is not made"


def _damage(store: Path) -> bytes:
    """Overwrite 3,000 bytes of a page in the middle of a real store, from the page's start,
    as a bad disk sector would (where in the file that page is depends on the store's tables:
    a page's free middle would hide the damage)."""
    data = bytearray(store.read_bytes())
    page = len(data) // 2 // 4096 * 4096
    data[page : page + 3000] = b"\xab" * 3000
    store.write_bytes(bytes(data))
    return bytes(data)


def test_a_damaged_store_is_one_line_for_stats_then_moved_aside_by_review(
    notes: Path, run: Runner
) -> None:
    first = run("review", input="\n3\n\n4\n" * 6 + "q\n")
    assert first.exit_code == 0, first
    damaged = _damage(STORE)

    stats = run("stats")
    assert stats.exit_code == 1, stats
    assert stats.stdout == "", f"nothing half-printed: {stats!r}"
    assert stats.stderr.splitlines() == [
        ".studykit/review.db: error: the review store is damaged (database disk image is "
        "malformed); `studykit review` moves it aside (kept) and starts a fresh one"
    ], stats
    assert STORE.read_bytes() == damaged, "stats moves nothing"

    review = run("review", "--limit", "1", input="\n3\n")
    assert review.exit_code == 0, review
    assert "Traceback" not in review.output, review
    aside = STORE.with_name("review.db.corrupt-20260302T080000Z")
    assert review.stderr.startswith(
        f"warning: {STORE} was damaged (database disk image is malformed); moved it to "
    ), review
    assert aside.name in review.stderr, "the message says where the file went"
    assert aside.read_bytes() == damaged, "the damaged store is kept as it was"
    assert _count(STORE) == 1, "a fresh store took the answer"
    assert _integrity(STORE) == "ok", "the fresh store is sound"


def test_two_sessions_answering_one_card_build_on_each_other(notes: Path) -> None:
    now = datetime.fromisoformat(NOW)
    window_a, _ = start([load(None, notes)], STORE, SessionOptions(), now, 0.9)
    window_b, _ = start([load(None, notes)], STORE, SessionOptions(), now, 0.9)
    shown_a = window_a.next(now)  # a shows the new card first, then the student turns to b
    shown_b = window_b.next(now)
    assert shown_a and shown_b and shown_a.keyed.key == shown_b.keyed.key, "the same card"

    window_b.answer(shown_b, Grade.EASY, now)
    good = window_a.answer(shown_a, Grade.GOOD, now)
    said = answered(good).plain
    assert re.fullmatch(r"Good: next in \d+d", said), f"Good on a card just made Easy: {said!r}"
    assert said != answered(shown_a.outcomes[Grade.GOOD]).plain, "not as if it were new"
    window_a.store.close()
    window_b.store.close()

    with sqlite3.connect(STORE) as db:
        rows = db.execute("SELECT rating, before, after FROM reviews ORDER BY id").fetchall()
        [stored] = db.execute("SELECT state FROM cards").fetchall()
    assert [r for r, _, _ in rows] == [4, 3], "both answers are logged, Easy first"
    (_, first_before, first_after), (_, second_before, second_after) = rows
    assert first_before is None, "Easy was the card's first answer"
    assert second_before == first_after, "Good starts from the state Easy left"
    assert json.loads(second_after)["reps"] == 2, second_after
    assert stored[0] == second_after, "the card keeps the later answer's state"
    assert json.loads(second_after)["due"] == good.state.due.isoformat(), "stored as shown"


def _introduced(store: Path) -> int:
    with sqlite3.connect(store) as db:
        row = db.execute(
            "SELECT COUNT(DISTINCT guid || card) FROM reviews WHERE before IS NULL"
        ).fetchone()
    return int(row[0])


def test_two_sessions_cannot_both_introduce_the_last_new_card(notes: Path) -> None:
    """The daily limit (2 here) is checked inside the answer's transaction: each session saw
    one new card left when it showed its card, and only the first answer gets it."""
    now = datetime.fromisoformat(NOW)
    a, _ = start(
        [load(None, notes)], STORE, SessionOptions(new_per_day=2, section="basics"), now, 0.9
    )
    b, _ = start(
        [load(None, notes)], STORE, SessionOptions(new_per_day=2, section="more-things"), now, 0.9
    )
    first = a.next(now)
    assert first is not None
    a.answer(first, Grade.EASY, now)
    shown_a, shown_b = a.next(now), b.next(now)  # each with one new card left to introduce
    assert shown_a and shown_b and shown_a.state is None and shown_b.state is None
    assert (a.counts(now).new, b.counts(now).new) == (1, 1)
    b.answer(shown_b, Grade.EASY, now)
    with pytest.raises(NewCardLimit):
        a.answer(shown_a, Grade.EASY, now)
    assert a.next(now) is None, "no new card left today, nothing due"
    a.store.close()
    b.store.close()
    assert _introduced(STORE) == 2, "exactly the day's two new cards"
    assert _count(STORE) == 2, "the refused answer left no log row"
    with sqlite3.connect(STORE) as db:
        assert db.execute("SELECT COUNT(*) FROM cards").fetchone()[0] == 2, "and no state"


def test_a_session_told_its_new_card_went_to_another(notes: Path) -> None:
    """Two processes at once on one store, --new 2: the second answer of the first session
    would be the third new card of the day; it is refused, and the student is told."""
    cwd = notes.parent
    first = _start(cwd, "--section", "basics", "--new", "2")
    _read_until(first, "Q: The [...] conference")
    assert first.stdin is not None
    first.stdin.write("\n4\n")
    first.stdin.flush()
    _read_until(first, "Q: People's commune")  # shown with one new card left
    other = _start(cwd, "--section", "more-things", "--new", "2")
    _read_until(other, "Q: Set [a letter]")  # shown with one new card left, too
    _answer(other, "4")
    out, err = other.communicate("q\n", timeout=60)
    assert other.returncode == 0, err
    out, err = first.communicate("\n4\n", timeout=60)
    assert first.returncode == 0, err
    assert "not saved: today's 2 new cards went to another session; this card stays new" in out
    assert "No more cards due now.\n1 answer in" in out, out
    assert _introduced(notes.parent / STORE) == 2
