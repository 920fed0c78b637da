"""A student's files named like a review store's companions are never SQLite's to take.

SQLite keeps `-journal`, `-wal` and `-shm` beside a database, and deletes or writes over what
it finds at those names as its own. Beside a store named `--state progress`, a student's own
`progress-journal`, `progress-wal` and `progress-shm` (notes of theirs) were deleted by
`review`; `stats` wrote its index over `progress-shm` and failed on `progress-journal` with
"attempt to write a readonly database". Now every command that opens the store refuses such a
file in one line naming it, before SQLite opens anything, and leaves it as it was; what SQLite
itself left there (a log and its index after a kill, a journal of an unfinished change) is
read as before.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from anki_helpers import demo_deck, studied_collection
from conftest import Runner

NOW = "2026-03-02T09:00:00+01:00"
ONE_ANSWER = "\n3\nq\n"
LEARNT = "insert into revlog values ({now}-5000,{cid},-1,3,1,0,2500,1000,0)"  # Good, learning
WHAT = {"-journal": "journal", "-wal": "write-ahead log", "-shm": "shared-memory index"}
WHY = {
    "-journal": "it does not begin as SQLite's journals do",
    "-wal": "it does not begin with a header SQLite wrote for this store's log",
    "-shm": "its header is not one SQLite writes",
}
TAIL = (
    ": SQLite would take it for its own and delete or write over it, so nothing was opened "
    "and it was left untouched. Move or rename it, or pass another file with --state"
)
# Every command that opens the store, and what each is given on its standard input.
COMMANDS = (
    ["review", "--limit", "1"],
    ["stats"],
    ["stats", "demo"],
    ["deck", "--with-progress", "-o", "progress.apkg"],
    ["optimize"],
    ["unsuspend"],
    ["unsuspend", "--list"],
)


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYKIT_NOW", NOW)
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_deck(tmp_path_factory.mktemp("deck"))


def _line(store: str, name: str, suffix: str, why: str | None = None, kind: str = "error") -> str:
    what = f"{name} beside it is not the store's {WHAT[suffix]} ({why or WHY[suffix]}){TAIL}"
    return f"{store}: {kind}: {what}"


def _answers(store: Path) -> int:
    db = sqlite3.connect(f"{store.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return int(db.execute("SELECT COUNT(*) FROM reviews").fetchone()[0])
    finally:
        db.close()


def _files(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in the folder (not the notes), with its bytes and mode bits."""
    return {
        p.name: (p.read_bytes(), stat.S_IMODE(p.stat().st_mode))
        for p in folder.iterdir()
        if p.is_file() and not p.is_symlink()
    }


def _store(run: Runner, name: str = "progress") -> Path:
    result = run("review", "--limit", "1", "--state", name, input=ONE_ANSWER)
    assert result.exit_code == 0, result
    return Path(name)


@pytest.mark.parametrize("suffix", ["-journal", "-wal", "-shm"])
def test_a_students_file_named_like_a_companion_is_left_and_the_store_not_opened(
    notes: Path, run: Runner, suffix: str
) -> None:
    store = _store(run)
    mine = Path(f"progress{suffix}")
    mine.write_text(f"my {suffix[1:]}: things to remember\n", encoding="utf-8")
    mine.chmod(0o640)
    before = _files(notes.parent)
    line = _line("progress", mine.name, suffix)
    for command in COMMANDS:
        refused = run(*command, "--state", "progress", input=ONE_ANSWER)
        assert refused.exit_code == 1, (command, refused)
        assert refused.stderr.splitlines() == [line], (command, refused)
        assert _files(notes.parent) == before, (command, "nothing made, changed or removed")
    # `list` lists the notes, and says in that line why it shows no progress.
    listed = run("list", "--state", "progress")
    assert listed.exit_code == 0, listed
    assert listed.stderr.splitlines() == [
        _line("progress", mine.name, suffix, kind="warning: due counts left out")
    ], listed
    assert "demo" in listed.stdout, listed
    assert _files(notes.parent) == before
    assert _answers(store) == 1

    mine.rename("mine.txt")  # moved away, as the line asks: the store is the student's again
    again = run("review", "--limit", "1", "--state", "progress", input=ONE_ANSWER)
    assert again.exit_code == 0, again
    assert _answers(store) == 2
    assert Path("mine.txt").read_text(encoding="utf-8").startswith(f"my {suffix[1:]}: ")


@pytest.mark.parametrize("suffix", ["-journal", "-wal", "-shm"])
def test_pull_leaves_a_students_file_named_like_a_companion(
    notes: Path, run: Runner, deck: Path, suffix: str
) -> None:
    store = _store(run)
    anki = studied_collection(deck, Path("studied.anki2"), LEARNT)
    mine = Path(f"progress{suffix}")
    mine.write_text("not SQLite's\n", encoding="utf-8")
    before = _files(notes.parent)
    pulled = run("pull", str(anki), "--state", "progress")
    assert pulled.exit_code == 1, pulled
    assert pulled.stderr.splitlines() == [_line("progress", mine.name, suffix)], pulled
    assert _files(notes.parent) == before
    assert _answers(store) == 1


@pytest.fixture
def stranger(
    request: pytest.FixtureRequest, notes: Path, run: Runner
) -> Iterator[tuple[Path, str]]:
    """A store with what lies at a companion's place that is no file: its path and why it is
    refused."""
    kind, suffix = request.param
    _store(run)
    at = Path(f"progress{suffix}")
    if kind == "folder":
        at.mkdir()
        (at / "inside.txt").write_text("kept\n", encoding="utf-8")
        yield at, "it is a folder"
        assert (at / "inside.txt").read_text(encoding="utf-8") == "kept\n"
    elif kind == "link":
        Path("target.txt").write_text("the link's target\n", encoding="utf-8")
        at.symlink_to("target.txt")
        yield at, "it is a symbolic link"
        assert at.is_symlink() and at.readlink() == Path("target.txt")
        assert Path("target.txt").read_text(encoding="utf-8") == "the link's target\n"
    else:
        os.mkfifo(at)
        yield at, "it is a FIFO (named pipe)"
        assert stat.S_ISFIFO(at.lstat().st_mode)


@pytest.mark.parametrize(
    "stranger",
    [("folder", "-wal"), ("link", "-shm"), ("link", "-wal"), ("fifo", "-journal")],
    ids=["folder-wal", "link-shm", "link-wal", "fifo-journal"],
    indirect=True,
)
def test_what_is_no_file_at_a_companions_place_is_refused(
    notes: Path, run: Runner, stranger: tuple[Path, str]
) -> None:
    at, why = stranger
    suffix = at.name.removeprefix("progress")
    os.utime("progress", (1, 1))
    for command in (["review", "--limit", "1"], ["stats"], ["deck", "--with-progress"]):
        refused = run(*command, "--state", "progress", input=ONE_ANSWER)
        assert refused.exit_code == 1, (command, refused)
        assert refused.stderr.splitlines() == [_line("progress", at.name, suffix, why)], refused
    assert Path("progress").stat().st_mtime == 1, "the store was not opened"


def _killed(store: Path, copy: str) -> None:
    """The store with one more answer in its log, as a session killed before its log was
    folded into the store leaves it: copied, log and index, while a connection holds them."""
    db = sqlite3.connect(store, isolation_level=None)
    try:
        db.execute("PRAGMA wal_autocheckpoint = 0")
        db.execute(
            "INSERT INTO reviews (guid, card, reading, section, identity, rating, time, "
            "elapsed_ms, before, after) SELECT guid, card, reading, section, identity, rating, "
            "time, elapsed_ms, before, after FROM reviews WHERE id = 1"
        )
        for suffix in ("", "-wal", "-shm"):
            shutil.copyfile(f"{store}{suffix}", f"{copy}{suffix}")
    finally:
        db.close()


def test_the_log_and_index_a_killed_session_left_are_read(notes: Path, run: Runner) -> None:
    _killed(_store(run), "killed")
    assert Path("killed-wal").stat().st_size > 32 and Path("killed-shm").stat().st_size == 32768
    stats = run("stats", "--json", "--state", "killed")
    assert stats.exit_code == 0, stats
    assert json.loads(stats.stdout)["reviews"] == 2, "the answer in the log is read"
    review = run("review", "--limit", "1", "--state", "killed", input=ONE_ANSWER)
    assert review.exit_code == 0, review
    assert not Path("killed-wal").exists(), "folded into the store"
    assert _answers(Path("killed")) == 3


def _other_log(page_size: int) -> bytes:
    """The write-ahead log of another database, of `page_size` bytes a page."""
    db = sqlite3.connect("other.db", isolation_level=None)
    try:
        db.execute(f"PRAGMA page_size = {page_size}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA wal_autocheckpoint = 0")
        db.execute("CREATE TABLE t (x)")
        db.execute("INSERT INTO t VALUES ('a row of the other database')")
        return Path("other.db-wal").read_bytes()
    finally:
        db.close()


@pytest.mark.parametrize("damage", ["page-size", "checksum", "cut-short"])
def test_a_log_sqlite_did_not_write_for_this_store_is_refused(
    notes: Path, run: Runner, damage: str
) -> None:
    _killed(_store(run), "killed")
    log = Path("killed-wal")
    if damage == "page-size":  # a log of a database with 1 KB pages, the store's are 4 KB
        log.write_bytes(_other_log(1024))
    elif damage == "checksum":  # one byte of its salt changed: the header's checksum fails
        data = bytearray(log.read_bytes())
        data[16] ^= 0xFF
        log.write_bytes(bytes(data))
    else:  # its magic and no more
        log.write_bytes(log.read_bytes()[:4])
    kept = log.read_bytes()
    for command in (["stats"], ["review", "--limit", "1"]):
        refused = run(*command, "--state", "killed", input=ONE_ANSWER)
        assert refused.exit_code == 1, refused
        assert refused.stderr.splitlines() == [_line("killed", "killed-wal", "-wal")], refused
    assert log.read_bytes() == kept


def test_a_journal_a_stopped_session_left_is_undone_by_review(notes: Path, run: Runner) -> None:
    store = _store(run)
    # A change stopped halfway: written into the store's pages (a cache of one page spills
    # them), with the journal that undoes it beside it.
    db = sqlite3.connect(store, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode = DELETE")
        db.execute("PRAGMA cache_size = 1")
        db.execute("BEGIN IMMEDIATE")
        db.execute("DELETE FROM reviews")
        db.execute("DELETE FROM cards")
        for suffix in ("", "-journal"):
            shutil.copyfile(f"{store}{suffix}", f"stopped{suffix}")
        db.execute("ROLLBACK")
    finally:
        db.close()
    stats = run("stats", "--state", "stopped")
    assert stats.exit_code == 1, stats
    assert stats.stderr.splitlines() == [
        "stopped: error: stopped-journal beside it holds a change a stopped session did not "
        "finish, which a read cannot undo; nothing was changed. `studykit review` undoes it "
        "(every answer saved before it is kept): run it, then this command again"
    ], stats
    review = run("review", "--limit", "1", "--state", "stopped", input=ONE_ANSWER)
    assert review.exit_code == 0, review
    assert not Path("stopped-journal").exists(), "SQLite's own journal, played back"
    assert _answers(Path("stopped")) == 2, "the answer before the change kept, one added"


def test_the_companions_of_a_linked_store_are_the_ones_beside_its_file(
    notes: Path, run: Runner
) -> None:
    """SQLite keeps a linked store's companions beside the file the link leads to: a file of
    the student's there is refused, one beside the link is no companion and is left alone."""
    Path("real").mkdir()
    _store(run, "real/progress")
    Path("progress").symlink_to("real/progress")
    beside_link = Path("progress-wal")
    beside_link.write_text("beside the link: mine\n", encoding="utf-8")
    beside_link.chmod(0o600)
    review = run("review", "--limit", "1", "--state", "progress", input=ONE_ANSWER)
    assert review.exit_code == 0, review
    assert beside_link.read_text(encoding="utf-8") == "beside the link: mine\n"
    assert stat.S_IMODE(beside_link.stat().st_mode) == 0o600, "not given the store's mode"

    Path("real/progress-shm").write_text("beside the file: mine\n", encoding="utf-8")
    refused = run("stats", "--state", "progress")
    assert refused.exit_code == 1, refused
    assert refused.stderr.splitlines() == [
        f"progress: error: real/progress-shm beside the file it links to is not the store's "
        f"shared-memory index ({WHY['-shm']}){TAIL}"
    ], refused
    assert Path("real/progress-shm").read_text(encoding="utf-8") == "beside the file: mine\n"
    assert _answers(Path("real/progress")) == 2
