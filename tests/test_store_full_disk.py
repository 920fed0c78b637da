"""A full disk while review makes or opens the store: one line, and nothing that blocks the next
run once there is room again.

An audit ran `review` with 20 KB free (16-36 KB all showed it): it said "disk I/O error" and
left an empty database with a -wal and a -shm beside it, and every review after, with room
again, refused for good, calling those files "not studykit's". A new store is now marked and
its tables made in the file before SQLite makes a -wal or -shm, and a store a run began and could
not finish is taken back; what an earlier version left that way holds nothing, and is taken as
studykit's, while a -wal, -shm or -journal that holds anything stays refused.

The full-disk tests mount a real 300 KB tmpfs (the tests run as root here) and are skipped with
the reason when it cannot be mounted.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Runner

NOW = "2026-11-29T08:00:00+01:00"
ONE_ANSWER = "\n3\nq\n"
MARK = b"stdk"  # studykit's application id, at bytes 68-71 of a store
STORE = Path(".studykit/review.db")
AGAIN = ". Free some space and run the command again"
NOT_MADE = (
    ".studykit/review.db: error: the disk is full, so the review store could not be made; "
    f"nothing was lost{AGAIN}"
)
NOT_OPENED = (
    ".studykit/review.db: error: the disk is full, so the review store could not be opened for "
    f"writing; nothing in it was changed{AGAIN}"
)
SECTION = "title: First\nsummary: s\npoints:\n  - text: The famine began in {{1959}}.\n"


def _reading(folder: Path) -> None:
    (folder / "notes" / "r").mkdir(parents=True)
    (folder / "notes" / "r" / "reading.yaml").write_text("title: T\n", encoding="utf-8")
    (folder / "notes" / "r" / "01-a.yaml").write_text(SECTION, encoding="utf-8")


@pytest.fixture
def small_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A 300 KB tmpfs holding reading r, the current folder, at a fixed morning."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"a small tmpfs cannot be mounted here (root is needed): {mounted.stderr}")
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)
    monkeypatch.setenv("STUDYKIT_NOW", NOW)
    os.chdir(disk)
    try:
        _reading(disk)
        yield disk
    finally:
        os.chdir(tmp_path)  # out of the mount before it goes
        subprocess.run(["umount", str(disk)], check=False)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Reading r in the current folder, on an ordinary disk, at a fixed morning."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)
    monkeypatch.setenv("STUDYKIT_NOW", NOW)
    _reading(tmp_path)
    return tmp_path


def _fill(disk: Path, leave_kb: int) -> None:
    """Fill the disk but `leave_kb` KB."""
    found = os.statvfs(disk)
    (disk / "filler").write_bytes(bytes(found.f_bavail * found.f_frsize - leave_kb * 1024))
    found = os.statvfs(disk)
    assert found.f_bavail * found.f_frsize == leave_kb * 1024


def _answers(store: Path) -> int:
    db = sqlite3.connect(store)
    try:
        return int(db.execute("SELECT COUNT(*) FROM reviews").fetchone()[0])
    finally:
        db.close()


def _review_once(run: Runner) -> None:
    result = run("review", "--limit", "1", input=ONE_ANSWER)
    assert result.exit_code == 0, result
    assert "1 answer in 0s" in result.stdout.splitlines(), result


# The audit's 20 KB; below the store's first pages, below its -shm's 32 KB, and with room for
# the store and its -shm but not for the first write to its log.
@pytest.mark.parametrize("leave_kb", [8, 20, 36, 64, 96])
def test_a_full_disk_while_review_makes_the_store_leaves_nothing_behind(
    small_disk: Path, run: Runner, leave_kb: int
) -> None:
    _fill(small_disk, leave_kb)
    result = run("review", "--limit", "1", input=ONE_ANSWER)
    assert result.exit_code == 1, result
    assert result.stderr.splitlines() == [NOT_MADE], result
    assert result.stdout == "", result
    assert sorted(p.name for p in STORE.parent.iterdir()) == [".gitignore", "review.db.lock"]

    (small_disk / "filler").unlink()
    _review_once(run)
    assert _answers(STORE) == 1
    assert STORE.read_bytes()[68:72] == MARK


def test_a_full_disk_when_review_opens_a_store_leaves_it_as_it_was(
    small_disk: Path, run: Runner
) -> None:
    _review_once(run)
    kept = STORE.read_bytes()
    assert sorted(p.name for p in STORE.parent.iterdir()) == [
        ".gitignore",
        "review.db",
        "review.db.lock",
    ], "a store at rest"
    _fill(small_disk, 20)  # room for no -shm
    result = run("review", "--limit", "1", input=ONE_ANSWER)
    assert result.exit_code == 1, result
    assert result.stderr.splitlines() == [NOT_OPENED], result
    assert STORE.read_bytes() == kept
    stats = run("stats")
    assert stats.exit_code == 1, stats
    assert stats.stderr.splitlines() == [
        ".studykit/review.db: error: the disk is full, so the review store cannot be read; "
        f"nothing in it was changed{AGAIN}"
    ], stats
    assert STORE.read_bytes() == kept

    (small_disk / "filler").unlink()
    _review_once(run)
    assert _answers(STORE) == 2, "the first answer kept"


def _leftovers(folder: Path) -> Path:
    """What an earlier version left when a full disk stopped it making the default store: an
    empty database it had switched to WAL, an empty -wal, a -shm of zeros SQLite could not grow
    past 8 KB, and the lock."""
    store = folder / STORE
    store.parent.mkdir()
    db = sqlite3.connect(store)
    db.execute("PRAGMA journal_mode = WAL")
    db.close()
    head = store.read_bytes()
    assert len(head) == 4096 and head[18:20] == b"\2\2" and head[68:72] == bytes(4)
    store.with_name("review.db-wal").touch()
    store.with_name("review.db-shm").write_bytes(bytes(8192))
    store.with_name("review.db.lock").touch()
    return store


@pytest.mark.parametrize("read_since", [False, True], ids=["as-left", "read-since"])
def test_what_an_earlier_version_left_on_a_full_disk_is_taken_as_studykits(
    folder: Path, run: Runner, read_since: bool
) -> None:
    store = _leftovers(folder)
    if read_since:
        # The earlier version's next run read the store through its log, as SQLite reads a
        # database in WAL mode, which wrote the empty log's index into the -shm.
        db = sqlite3.connect(f"{store.as_uri()}?mode=ro", uri=True)
        assert db.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
        db.close()
        shm = store.with_name("review.db-shm").read_bytes()
        assert len(shm) == 32768 and any(shm)
        assert run("stats").exit_code == 0
    _review_once(run)
    assert _answers(store) == 1
    assert store.read_bytes()[68:72] == MARK


def _index_of_one_frame() -> bytes:
    """A -shm header (twice) saying the log holds a frame: an index of a log with something in
    it."""
    header = (3007000).to_bytes(4, "little") + bytes(12) + (1).to_bytes(4, "little")
    header += bytes(48 - len(header))
    return header * 2 + bytes(32768 - 96)


@pytest.mark.parametrize(
    ("suffix", "content", "names"),
    [
        ("-wal", b"x", "review.db-wal and review.db-shm lie"),
        ("-shm", _index_of_one_frame(), "review.db-wal and review.db-shm lie"),
        ("-shm", None, "review.db-wal and review.db-shm lie"),  # a link to an empty file
        ("-journal", b"\0\0x", "review.db-wal, review.db-shm and review.db-journal lie"),
    ],
    ids=["wal-with-bytes", "shm-indexing-a-frame", "shm-link", "journal-with-bytes"],
)
def test_companions_that_hold_anything_are_still_refused(
    folder: Path, run: Runner, suffix: str, content: bytes | None, names: str
) -> None:
    store = _leftovers(folder)
    extra = store.with_name("review.db" + suffix)
    extra.unlink(missing_ok=True)
    if content is None:
        (folder / "empty").touch()
        extra.symlink_to(folder / "empty")
    else:
        extra.write_bytes(content)
    before = {p.name: p.read_bytes() for p in store.parent.iterdir()}
    result = run("review", "--limit", "1", input=ONE_ANSWER)
    assert result.exit_code == 1, result
    assert result.stderr.splitlines() == [
        f".studykit/review.db: error: {names} beside a review store not made yet, so they are "
        "not studykit's; they were left untouched. Remove them or pass another file with --state"
    ], result
    assert {p.name: p.read_bytes() for p in store.parent.iterdir()} == before
    assert extra.is_symlink() == (content is None)
