"""Where a review store may be taken from, what is made beside it, and where it is only read: an
older store is moved only when it is plainly this notes folder's, only by a command that writes,
never as a link; nothing appears beside another program's database; a lock path that is no file
is refused; a store that cannot be written beside is still read."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from anki_helpers import studied_collection
from conftest import DATA, Runner

NOW = "2026-03-02T09:00:00+01:00"
OLD = Path(".studykit/review.db")  # where earlier versions kept the store: the current folder's
THREE = "\n3\n\n3\n\n3\n"


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYKIT_NOW", NOW)
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)


def _reviews(store: Path) -> int:
    db = sqlite3.connect(f"{store.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(db.execute("SELECT COUNT(*) FROM reviews").fetchone()[0])
    finally:
        db.close()


def _stats_reviews(run: Runner, *args: str) -> tuple[int, str]:
    result = run("stats", "--json", *args)
    assert result.exit_code == 0, result
    return json.loads(result.stdout)["reviews"], result.stderr


def _cli(cwd: Path, *args: str, student: bool = False) -> subprocess.CompletedProcess[str]:
    """studykit in its own process (a store that blocks fails the test instead of hanging it);
    as `student`, without root's power to write into any folder."""
    command = [sys.executable, "-m", "studykit", *args]
    if student and os.geteuid() == 0:
        drop = "-dac_override,-dac_read_search,-fowner"
        command = ["setpriv", f"--bounding-set={drop}", f"--inh-caps={drop}", *command]
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDYKIT_")}
    return subprocess.run(
        command,
        cwd=cwd,
        env={**env, "STUDYKIT_NOW": NOW},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


# --- an older store is moved only when it is plainly this notes folder's ----------------------


def test_a_store_beside_its_own_notes_folder_is_never_taken_by_another(
    tmp_path: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # mine/ keeps its notes in mynotes/ (store: mine/.studykit); other/notes is a classmate's
    # copy of the same readings.
    mine, other = tmp_path / "mine", tmp_path / "other"
    shutil.copytree(DATA / "notes", mine / "mynotes")
    shutil.copytree(DATA / "notes", other / "notes")
    monkeypatch.chdir(mine)
    first = run("review", "--notes", "mynotes", "--limit", "3", input=THREE)
    assert first.exit_code == 0, first
    assert _stats_reviews(run, "--notes", "mynotes") == (3, "")

    for command in ("list", "stats", "review"):
        result = run(command, "--notes", "../other/notes", input="q\n")
        assert result.exit_code == 0, result
        assert result.stderr == "", f"{command}: nothing to say about mine's store"
    assert _stats_reviews(run, "--notes", "mynotes") == (3, ""), "mine keeps its progress"
    assert _reviews(mine / OLD) == 3
    assert not (other / OLD).exists() or _reviews(other / OLD) == 0, "nothing came to other/"


def test_stats_and_list_read_an_older_store_where_it_is_and_review_moves_it(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    away = notes.parent / "elsewhere"
    away.mkdir()
    monkeypatch.chdir(away)
    made = run("review", "--notes", "../notes", "--state", str(OLD), "--limit", "1", input="\n3\n")
    assert made.exit_code == 0, made
    new = notes.parent / OLD
    line = (
        f"warning: .studykit/review.db is an older review store of these notes, read where it "
        f"is; the next `studykit review` moves it to {new}, beside the notes folder\n"
    )
    assert _stats_reviews(run, "--notes", "../notes") == (1, line)
    listed = run("list", "--notes", "../notes", "--json")
    assert listed.exit_code == 0 and listed.stderr == line, listed
    [demo] = json.loads(listed.stdout)["readings"]
    assert demo["due"] == 1, "the due count comes from the older store"
    assert (away / OLD).is_file() and not new.exists(), "stats and list move nothing"

    moved = run("review", "--notes", "../notes", "--limit", "1", input="\n3\n")
    assert moved.exit_code == 0, moved
    assert moved.stderr.startswith("moved the review store .studykit/review.db to "), moved
    assert _reviews(new) == 2 and not (away / ".studykit").exists()


def test_an_older_store_that_is_a_link_is_not_moved(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = notes.parent / "kept" / "real.db"
    real.parent.mkdir()
    assert run("review", "--state", str(real), "--limit", "1", input="\n3\n").exit_code == 0
    deep = notes.parent / "old" / "deep"
    (deep / ".studykit").mkdir(parents=True)
    (deep / OLD).symlink_to("../../../kept/real.db")
    monkeypatch.chdir(deep)

    stats = run("stats", "--notes", "../../notes", "--json")
    assert stats.exit_code == 0, stats
    assert json.loads(stats.stdout)["reviews"] == 1, "read through the link, where it is"
    review = run("review", "--notes", "../../notes", "--limit", "1", input="\n3\n")
    assert review.exit_code == 1, review
    assert review.stderr == (
        f".studykit/review.db: error: an older review store, and a symbolic link (to {real}); "
        f"studykit does not move a link: move the database to {notes.parent / OLD} yourself, "
        "or pass it with --state\n"
    ), review
    assert (deep / OLD).readlink() == Path("../../../kept/real.db"), "the link is as it was"
    assert _reviews(deep / OLD) == 1 and _reviews(real) == 1
    assert not (notes.parent / ".studykit").exists(), "nothing moved, nothing made"


def test_nothing_is_made_beside_another_programs_database_at_the_old_place(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = notes.parent / "todo-app"
    (here / ".studykit").mkdir(parents=True)
    db = sqlite3.connect(here / OLD)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("CREATE TABLE todo (id INTEGER PRIMARY KEY, what TEXT)")
    db.commit()
    db.close()
    before = (here / OLD).read_bytes()
    monkeypatch.chdir(here)
    for command in ("stats", "list", "review"):
        result = run(command, "--notes", "../notes", input="q\n")
        assert result.exit_code == 0, result
        assert sorted(p.name for p in (here / ".studykit").iterdir()) == ["review.db"], command
    assert (here / OLD).read_bytes() == before


# --- the lock beside the store ----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "folder", "dangling-link"])
def test_a_lock_path_that_is_no_file_is_refused_before_it_is_opened(
    notes: Path, run: Runner, kind: str
) -> None:
    assert run("deck").exit_code == 0
    # The first card answered Good once, in Anki.
    studied = studied_collection(
        notes.parent / "cards" / "demo.apkg",
        Path("studied.anki2"),
        "insert into revlog values (1767000000000, {cid}, -1, 3, 1, 0, 2500, 1000, 0)",
    )
    named = Path("x.db")
    assert run("review", "--state", str(named), "--limit", "1", input="\n3\n").exit_code == 0
    default = notes.parent / OLD
    assert run("review", "--limit", "1", input="\n3\n").exit_code == 0
    what = {
        "fifo": "a FIFO (named pipe)",
        "folder": "a folder",
        "dangling-link": "a symbolic link to a missing file",
    }[kind]
    for store, args in ((named, ["--state", str(named)]), (default, [])):
        lock = store.with_name(store.name + ".lock")
        lock.unlink()
        if kind == "fifo":
            os.mkfifo(lock)
        elif kind == "folder":
            lock.mkdir()
        else:
            lock.symlink_to("nowhere/x.lock")
        shown = lock.relative_to(notes.parent) if lock.is_absolute() else lock
        for command in ("review", "pull"):
            extra = [str(studied)] if command == "pull" else ["--limit", "1"]
            result = _cli(notes.parent, command, *extra, *args)
            assert result.returncode == 1, result
            assert result.stderr.splitlines()[-1] == (
                f"{shown}: error: the review store's lock must be a file, and this is {what}; "
                "it was left untouched. Remove it and run the command again"
            ), result.stderr
        assert _reviews(store) == 1, "the store is as it was"
        assert not Path("nowhere").exists()


# --- a store that nothing can be made beside is still read -----------------------------------


@contextlib.contextmanager
def _read_only_mount(source: Path, target: Path) -> Iterator[None]:
    target.mkdir()
    try:
        subprocess.run(
            ["mount", "--bind", str(source), str(target)], check=True, capture_output=True
        )
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("a read-only bind mount needs root and mount(8)")
    try:
        subprocess.run(
            ["mount", "-o", "remount,bind,ro", str(target)], check=True, capture_output=True
        )
        yield
    finally:
        subprocess.run(["umount", str(target)], check=True)


def _readers_agree(cwd: Path, *args: str, student: bool = False) -> None:
    stats = _cli(cwd, "stats", "--json", *args, student=student)
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["reviews"] == 3, stats.stdout
    listed = _cli(cwd, "list", "--json", *args, student=student)
    assert listed.returncode == 0 and listed.stderr == "", listed.stderr
    assert json.loads(listed.stdout)["readings"][0]["due"] == 3, listed.stdout
    optimized = _cli(cwd, "optimize", "--json", *args, student=student)
    assert optimized.returncode == 0, optimized.stderr
    assert json.loads(optimized.stdout)["logged"] == 3, optimized.stdout


def _reviewed_library(tmp_path: Path) -> Path:
    """The test notes in `tmp_path/lib`, three of their cards answered by `review` there."""
    library = tmp_path / "lib"
    shutil.copytree(DATA / "notes", library / "notes")
    made = subprocess.run(
        [sys.executable, "-m", "studykit", "review", "--limit", "3"],
        cwd=library,
        env={**os.environ, "STUDYKIT_NOW": NOW},
        input=THREE,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    return library


def test_a_store_on_a_read_only_file_system_is_read(tmp_path: Path) -> None:
    library = _reviewed_library(tmp_path)
    assert sorted(p.name for p in (library / ".studykit").iterdir()) == [
        ".gitignore",
        "review.db",
        "review.db.lock",
    ], "a store at rest: no -wal or -shm"
    mounted = tmp_path / "ro"
    with _read_only_mount(library, mounted):
        _readers_agree(mounted)
        _readers_agree(tmp_path, "--notes", "ro/notes", "--state", "ro/.studykit/review.db")


def test_a_store_in_a_read_only_folder_is_read(tmp_path: Path) -> None:
    library = _reviewed_library(tmp_path)
    folder = library / ".studykit"
    folder.chmod(0o555)
    try:
        _readers_agree(library, student=True)
        assert sorted(p.name for p in folder.iterdir()) == [
            ".gitignore",
            "review.db",
            "review.db.lock",
        ]
    finally:
        folder.chmod(0o755)
