"""Progress is found from anywhere: the review store lives beside the notes folder, a store left
in the current folder by earlier versions is taken over whole, and --state still overrides."""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, Runner

NOW = "2026-03-02T09:00:00+01:00"
OLD = Path(".studykit/review.db")  # the old default: the current folder's


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYKIT_NOW", NOW)
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)


@pytest.fixture
def elsewhere(notes: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Another folder beside the study folder, now the current folder."""
    folder = notes.parent / "elsewhere"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def reviews(store: Path) -> int:
    with sqlite3.connect(store) as db:
        return int(db.execute("SELECT COUNT(*) FROM reviews").fetchone()[0])


def _reviews_in_stats(run: Runner, *args: str) -> tuple[int, str]:
    result = run("stats", "--json", *args)
    assert result.exit_code == 0, result
    return json.loads(result.stdout)["reviews"], result.stderr


def test_progress_is_found_from_any_folder(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = notes.parent / ".studykit" / "review.db"
    first = run("review", "--new", "2", "--limit", "1", input="\n4\n")
    assert first.exit_code == 0, first
    assert reviews(store) == 1, "the store is beside the notes folder"

    away = notes.parent / "elsewhere" / "deeper"
    away.mkdir(parents=True)
    monkeypatch.chdir(away)
    later = run("review", "--notes", "../../notes", "--new", "2", input="\n4\n")
    assert later.stdout.startswith("1 new  0 learning  0 review"), "one of two new cards is used"
    assert reviews(store) == 2, "the same store, from another folder"
    monkeypatch.setenv("STUDYKIT_NOTES", str(notes))
    assert _reviews_in_stats(run) == (2, ""), "stats finds it too"
    [demo] = json.loads(run("list", "--json").stdout)["readings"]
    assert demo["due"] == 0, "list reads the store (due is null without one)"

    monkeypatch.chdir(notes)  # inside the notes folder itself
    inside = run("review", "--notes", ".", "--new", "3", input="\n4\n")
    assert inside.stdout.startswith("1 new  0 learning  0 review"), inside
    assert reviews(store) == 3, "still the store beside the notes folder"
    assert not (notes / ".studykit").exists(), "nothing is kept inside notes/"
    assert not (notes.parent / "elsewhere" / ".studykit").exists(), "nor where studykit ran"
    assert (store.parent / ".gitignore").read_text(encoding="utf-8").endswith("\n*\n")


def test_the_store_is_ignored_by_git() -> None:
    rules = (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".studykit/" in rules, rules


def _session(cwd: Path, *args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDYKIT_")}
    return subprocess.Popen(
        [sys.executable, "-m", "studykit", "review", *args],
        cwd=cwd,
        env={**env, "STUDYKIT_NOW": NOW, "PYTHONUNBUFFERED": "1"},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(process: subprocess.Popen[str], marker: str, timeout: float = 60) -> None:
    assert process.stdout is not None
    fd, seen = process.stdout.fileno(), b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if select.select([fd], [], [], 1)[0]:
            chunk = os.read(fd, 65536)
            assert chunk, "the session ended early: " + seen.decode()
            seen += chunk
            if marker.encode() in seen:
                return
    raise AssertionError(f"no {marker!r} within {timeout}s: " + seen.decode())


def _answer(process: subprocess.Popen[str]) -> None:
    """Easy on the card shown; returns once the session says it is saved."""
    assert process.stdin is not None
    process.stdin.write("\n4\n")
    process.stdin.flush()
    _wait_for(process, "next in")


def test_an_older_store_in_the_current_folder_is_taken_over_whole(
    notes: Path, elsewhere: Path, run: Runner
) -> None:
    # A session of old ran here (its store in ./.studykit) and was killed: its last answers are
    # still in the write-ahead log beside the database.
    old = elsewhere / OLD
    process = _session(elsewhere, "--notes", "../notes", "--state", str(OLD))
    _wait_for(process, "Q: ")
    _answer(process)
    _answer(process)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert old.with_name("review.db-wal").stat().st_size > 0, "answers wait in the log"

    new = notes.parent / ".studykit" / "review.db"
    stats = run("stats", "--notes", "../notes", "--json")
    assert stats.exit_code == 0, stats
    assert stats.stderr == (
        "warning: .studykit/review.db is an older review store of these notes, read where it "
        f"is; the next `studykit review` moves it to {new}, beside the notes folder\n"
    ), stats
    assert json.loads(stats.stdout)["reviews"] == 2, "stats reads it where it is"
    assert not new.exists() and old.with_name("review.db-wal").is_file(), "stats moves nothing"

    session = run("review", "--notes", "../notes", "--new", "3", input="\n4\n")
    assert session.stderr == (
        f"moved the review store .studykit/review.db to {new}, beside the notes folder, "
        "where studykit finds it from any folder\n"
    ), session
    assert session.stdout.startswith("1 new  0 learning  0 review"), "progress goes on"
    assert not old.parent.exists(), "nothing is left behind: the log, its index, the lock"
    assert reviews(new) == 3, "both answers came along, and the new one"
    assert _reviews_in_stats(run, "--notes", "../notes") == (3, ""), "said once"

    # Another store appears here later: it is not merged, and each command says so.
    run("review", "--notes", "../notes", "--state", str(OLD), "--new", "1", input="\n4\n")
    both = run("stats", "--notes", "../notes", "--json")
    assert both.stderr == (
        f"warning: .studykit/review.db is an older review store and is not used; your "
        f"progress is kept in {new}\n"
    ), both
    assert json.loads(both.stdout)["reviews"] == 3 and reviews(old) == 1, both


def test_an_older_store_in_use_is_not_moved(notes: Path, elsewhere: Path, run: Runner) -> None:
    old = elsewhere / OLD
    process = _session(elsewhere, "--notes", "../notes", "--state", str(OLD))
    _wait_for(process, "Q: ")
    _answer(process)  # the session keeps the store open, waiting for the next answer
    try:
        second = run("review", "--notes", "../notes", input="q\n")
        assert second.exit_code == 1, second
        assert second.stderr == (
            ".studykit/review.db: error: cannot move this review store beside the notes folder "
            "(database is locked); close any studykit session using it and run the command "
            "again\n"
        ), second
        assert second.stdout == "", "nothing half-printed"
        assert old.is_file() and not (notes.parent / ".studykit").exists(), "nothing moved"
    finally:
        assert process.stdin is not None
        process.communicate("q\n", timeout=30)
    assert process.returncode == 0, process.returncode
    assert run("review", "--notes", "../notes", input="q\n").exit_code == 0
    assert _reviews_in_stats(run, "--notes", "../notes")[0] == 1, "moved once it was closed"
    assert not old.exists()


def test_state_and_its_variable_override_the_default(
    notes: Path, elsewhere: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("review", "--notes", "../notes", "--state", str(OLD), "--new", "1", input="\n4\n")
    chosen = run("review", "--notes", "../notes", "--state", "mine.db", "--new", "1", input="\n4\n")
    assert chosen.stderr == "", "an older store is not taken over when a store is named"
    assert reviews(elsewhere / "mine.db") == 1 and reviews(elsewhere / OLD) == 1
    monkeypatch.setenv("STUDYKIT_STATE", "mine.db")
    assert _reviews_in_stats(run, "--notes", "../notes") == (1, "")
    assert (elsewhere / OLD).is_file(), "left where it is"
    assert not (notes.parent / ".studykit").exists(), "no default store is made"


STATE_REFUSALS = {
    # An eighth audit: `--state st_q/` made a store file `st_q`, `--state -` made `-`, `--wal`,
    # `--shm` and `-.lock`.
    "st_q/": "'st_q/' names a folder: the review store is a file; name one in it, e.g. "
    "st_q/review.db",
    "st_q/.": "'st_q/.' names a folder: the review store is a file; name one in it, e.g. "
    "st_q/review.db",
    "-": "'-' is not a file: the review store is a file path (not standard input or output); "
    "name one, e.g. progress.db",
    "": "is empty: the review store is a file; name one, e.g. progress.db",
}


@pytest.mark.parametrize("value", list(STATE_REFUSALS))
def test_a_state_that_cannot_be_a_file_is_refused_and_makes_nothing(
    notes: Path, elsewhere: Path, run: Runner, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    commands = [
        ["review", "--new", "1"],
        ["stats"],
        ["list"],
        ["unsuspend"],
        ["optimize"],
        ["pull", "backup.colpkg"],
    ]
    for command in commands:
        # An empty variable is as good as none: the default store (the shell's convention).
        for named in ("--state", "$STUDYKIT_STATE")[: 2 if value else 1]:
            if named == "--state":
                monkeypatch.delenv("STUDYKIT_STATE", raising=False)
                chosen = run(*command, "--notes", "../notes", "--state", value, input="\n4\n")
            else:
                monkeypatch.setenv("STUDYKIT_STATE", value)
                chosen = run(*command, "--notes", "../notes", input="\n4\n")
            assert chosen.exit_code == 2, (command, named, chosen)
            assert chosen.stdout == ""
            assert chosen.stderr == f"error: {named} {STATE_REFUSALS[value]}\n", (command, named)
            assert list(elsewhere.iterdir()) == [], (command, named)
            assert sorted(p.name for p in notes.parent.iterdir()) == ["elsewhere", "notes"]


def test_another_librarys_store_is_left_alone(notes: Path, run: Runner) -> None:
    # ./notes has its store in ./.studykit; a second library elsewhere gets its own.
    run("review", "--new", "1", input="\n4\n")
    second = notes.parent / "term2" / "notes"
    second.parent.mkdir()
    second.mkdir()
    (notes / "demo").rename(second / "demo")
    assert _reviews_in_stats(run, "--notes", str(second)) == (0, ""), "its own, empty"
    assert reviews(OLD) == 1, "the first library's store stays"


def test_a_store_of_other_readings_is_not_taken_over(
    notes: Path, elsewhere: Path, run: Runner
) -> None:
    # Here is a library named course/, whose store is ./.studykit: not the one of ../notes.
    shutil.copytree(notes / "demo", elsewhere / "course" / "other")
    run("review", "--notes", "course", "--new", "1", input="\n4\n")
    assert reviews(OLD) == 1, "course's store, beside it"
    stats = run("stats", "--notes", "../notes", "--json")
    assert (stats.exit_code, stats.stderr) == (0, ""), stats
    assert json.loads(stats.stdout)["reviews"] == 0, stats
    assert reviews(OLD) == 1, "left where it is"
