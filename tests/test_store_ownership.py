"""The review store only ever moves aside what is its own: a reading, /etc/passwd or another
program's database named as the store is refused and left byte for byte as it was."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Run, Runner

NOW = "2026-03-02T09:00:00+01:00"
STAMP = "20260302T080000Z"  # NOW in UTC, as a moved-aside store is named
STORE = Path(".studykit/review.db")
ONE_ANSWER = "\n3\nq\n"
MARK = b"stdk"  # studykit's application id, at bytes 68-71 of a store
AGAIN = "Pass another file with --state"


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYKIT_NOW", NOW)
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)


def _beside(path: Path) -> list[str]:
    """What lies beside `path` with its name and more: a moved-aside copy, a lock, -wal, -shm."""
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name + "."))


def _refused(result: Run, line: str) -> None:
    """Exit 1 and the one line a student reads, nothing else."""
    assert result.exit_code == 1, result
    assert result.stderr.splitlines() == [line], result
    assert result.exception is None, result


def _reviews(store: Path) -> int:
    db = sqlite3.connect(store)
    try:
        return int(db.execute("SELECT COUNT(*) FROM reviews").fetchone()[0])
    finally:
        db.close()


def _store_with_one_answer(run: Runner, store: Path) -> None:
    result = run("review", "--limit", "1", "--state", str(store), input=ONE_ANSWER)
    assert result.exit_code == 0, result
    assert _reviews(store) == 1, "the answer is in the store"


def _damage(store: Path) -> bytes:
    """Overwrite a page in the middle of the store, as a bad sector would; the header stays."""
    data = bytearray(store.read_bytes())
    page = len(data) // 2 // 4096 * 4096
    data[page : page + 3000] = b"\xab" * 3000
    store.write_bytes(bytes(data))
    return bytes(data)


# The audit's cases: a reading's own file, and a system file, named as the store.


def test_a_readings_file_is_never_made_a_store(shipped: Path, run: Runner) -> None:
    folder = shipped / "mao-collectivization"
    reading = folder / "reading.yaml"
    before = reading.read_bytes()
    listing = sorted(p.name for p in folder.iterdir())
    line = (
        "error: the review store cannot be inside the notes folder (notes/): the files there "
        "are your notes. Pass a file outside it with --state"
    )
    relative = "notes/mao-collectivization/reading.yaml"
    review = run("review", "--limit", "1", "--state", relative, input=ONE_ANSWER)
    _refused(review, f"{relative}: {line}")
    assert reading.read_bytes() == before, "the reading is byte for byte as it was"
    assert sorted(p.name for p in folder.iterdir()) == listing, "no .corrupt-, no .lock made"
    assert run("check").exit_code == 0, "the notes still load"

    _refused(run("stats", "--state", relative), f"{relative}: {line}")
    new = "notes/progress.db"
    _refused(run("review", "--state", new, input=ONE_ANSWER), f"{new}: {line}")
    assert not Path(new).exists(), "no store is made inside notes/"


def test_a_link_into_the_notes_folder_is_refused(shipped: Path, run: Runner) -> None:
    reading = shipped / "mao-collectivization" / "reading.yaml"
    before = reading.read_bytes()
    Path("progress.db").symlink_to(reading)
    result = run("review", "--limit", "1", "--state", "progress.db", input=ONE_ANSWER)
    _refused(
        result,
        "progress.db: error: the review store cannot be inside the notes folder (notes/): the "
        "files there are your notes. Pass a file outside it with --state",
    )
    assert reading.read_bytes() == before, "the reading behind the link is untouched"


def test_stats_on_a_system_file_refuses_and_promises_nothing(notes: Path, run: Runner) -> None:
    passwd = Path("/etc/passwd")
    if not passwd.is_file():
        pytest.skip("no /etc/passwd here")
    before = passwd.read_bytes()
    result = run("stats", "--state", str(passwd))
    _refused(
        result,
        f"/etc/passwd: error: not a SQLite database, so not a review store; it was left "
        f"untouched. {AGAIN}",
    )
    assert "moves it aside" not in result.stderr, "review would not replace it either"
    assert passwd.read_bytes() == before


@pytest.mark.parametrize("how", ["--state", "STUDYKIT_STATE"])
def test_review_refuses_a_file_that_is_not_a_database(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    mine = Path("accounts.txt")
    shutil.copyfile("/etc/passwd" if Path("/etc/passwd").is_file() else __file__, mine)
    before = mine.read_bytes()
    if how == "--state":
        result = run("review", "--limit", "1", "--state", str(mine), input=ONE_ANSWER)
    else:
        monkeypatch.setenv("STUDYKIT_STATE", str(mine))
        result = run("review", "--limit", "1", input=ONE_ANSWER)
    _refused(
        result,
        f"accounts.txt: error: not a SQLite database, so not a review store; it was left "
        f"untouched. {AGAIN}",
    )
    assert mine.read_bytes() == before, "the file is byte for byte as it was"
    assert _beside(mine) == [], "no .corrupt- copy, no lock file"
    assert result.stdout == "", "no session started"


def test_another_programs_database_is_refused_even_in_studykits_folder(
    notes: Path, run: Runner
) -> None:
    for store in (Path("theirs.db"), STORE):
        store.parent.mkdir(exist_ok=True)
        db = sqlite3.connect(store)
        db.execute("PRAGMA application_id = 1196444487")  # a GeoPackage's
        db.execute("CREATE TABLE cards (guid TEXT)")  # a table of the same name, even
        db.execute("CREATE TABLE reviews (id INTEGER)")
        db.commit()
        db.close()
        before = store.read_bytes()
        line = (
            f"{store}: error: a SQLite database, but not a studykit review store; it was left "
            f"untouched. {AGAIN}"
        )
        state = [] if store == STORE else ["--state", str(store)]
        _refused(run("review", *state, input=ONE_ANSWER), line)
        _refused(run("stats", *state), line)
        assert store.read_bytes() == before, "their database is not changed"
        assert not [n for n in _beside(store) if ".corrupt-" in n], "nothing moved aside"


def test_an_unmarked_database_of_other_tables_is_refused(notes: Path, run: Runner) -> None:
    store = Path("contacts.db")
    db = sqlite3.connect(store)
    db.execute("CREATE TABLE people (name TEXT)")
    db.commit()
    db.close()
    before = store.read_bytes()
    line = (
        f"contacts.db: error: a SQLite database, but not a studykit review store; it was left "
        f"untouched. {AGAIN}"
    )
    _refused(run("review", "--state", str(store), input=ONE_ANSWER), line)
    _refused(run("stats", "--state", str(store)), line)
    assert store.read_bytes() == before


def test_a_damaged_database_not_marked_as_ours_is_refused(notes: Path, run: Runner) -> None:
    store = Path("someone.db")
    db = sqlite3.connect(store)
    db.execute("CREATE TABLE t (x TEXT)")
    db.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 50)
    db.commit()
    db.close()
    data = bytearray(store.read_bytes())
    data[100:4096] = b"\xab" * 3996  # its schema page: nothing tells whose it is
    store.write_bytes(bytes(data))
    line = (
        "someone.db: error: a damaged SQLite database (database disk image is malformed) that "
        f"is not marked as a studykit review store; it was left untouched. {AGAIN}"
    )
    _refused(run("review", "--state", str(store), input=ONE_ANSWER), line)
    _refused(run("stats", "--state", str(store)), line)
    assert store.read_bytes() == bytes(data), "left as it was"
    assert not [n for n in _beside(store) if ".corrupt-" in n], "nothing moved aside"


# What is studykit's own.


def test_a_new_store_carries_studykits_mark(notes: Path, run: Runner) -> None:
    store = Path("mine.db")
    _store_with_one_answer(run, store)
    assert store.read_bytes()[68:72] == MARK, "the application id is in the header"


def test_a_damaged_store_of_ours_at_state_is_moved_aside(notes: Path, run: Runner) -> None:
    store = Path("mine.db")
    _store_with_one_answer(run, store)
    damaged = _damage(store)
    assert damaged[68:72] == MARK, "the mark survives the damage"
    result = run("review", "--limit", "1", "--state", str(store), input=ONE_ANSWER)
    assert result.exit_code == 0, result
    aside = Path(f"mine.db.corrupt-{STAMP}")
    assert result.stderr.splitlines() == [
        f"warning: mine.db was damaged (database disk image is malformed); moved it to "
        f"{aside} beside it (kept) and started a fresh store"
    ], result
    assert aside.read_bytes() == damaged, "kept as it was"
    assert _reviews(store) == 1, "a fresh store took the answer"


def test_a_store_made_before_the_mark_is_known_by_its_tables(notes: Path, run: Runner) -> None:
    store = Path("old.db")
    _store_with_one_answer(run, store)
    db = sqlite3.connect(store)
    db.execute("PRAGMA application_id = 0")  # as every store was before the mark
    db.commit()
    db.close()
    assert store.read_bytes()[68:72] == bytes(4)
    assert run("stats", "--state", str(store)).exit_code == 0, "stats reads it"
    result = run("review", "--limit", "1", "--state", str(store), input=ONE_ANSWER)
    assert result.exit_code == 0, result
    assert _reviews(store) == 2, "both answers kept"
    assert store.read_bytes()[68:72] == MARK, "review marks it"


def test_a_damaged_store_made_before_the_mark_is_moved_aside(notes: Path, run: Runner) -> None:
    store = Path("old.db")
    _store_with_one_answer(run, store)
    for _ in range(5):  # more answers: pages enough to damage one in the middle
        more = run("review", "--state", str(store), input="\n3\n" * 6 + "q\n")
        assert more.exit_code == 0, more
    db = sqlite3.connect(store)
    db.execute("PRAGMA application_id = 0")
    db.commit()
    db.close()
    damaged = _damage(store)
    stats = run("stats", "--state", str(store))
    _refused(
        stats,
        "old.db: error: the review store is damaged (database disk image is malformed); "
        "`studykit review` moves it aside (kept) and starts a fresh one",
    )
    result = run("review", "--limit", "1", "--state", str(store), input=ONE_ANSWER)
    assert result.exit_code == 0, result
    assert Path(f"old.db.corrupt-{STAMP}").read_bytes() == damaged, "kept as it was"
    assert _reviews(store) == 1, "a fresh store took the answer"


def test_an_empty_file_of_the_students_is_refused(notes: Path, run: Runner) -> None:
    # `touch todo.md` leaves one; a store made there would take a file the student meant.
    todo = Path("todo.md")
    todo.touch()
    result = run("review", "--state", "todo.md", input="q\n")
    assert result.exit_code == 1, result
    assert result.stderr == (
        "todo.md: error: an empty file, so not a review store; it was left untouched. "
        "Pass another file with --state\n"
    )
    assert todo.read_bytes() == b"" and not Path("todo.md.lock").exists()


def test_an_empty_store_studykit_began_becomes_a_store(notes: Path, run: Runner) -> None:
    # SQLite leaves the file empty until its first write: a run stopped there left its lock.
    store = Path("progress.db")
    store.touch()
    Path("progress.db.lock").touch()
    _store_with_one_answer(run, store)
    assert store.read_bytes()[68:72] == MARK


def test_stats_without_a_store_makes_none(notes: Path, run: Runner) -> None:
    result = run("stats", "--state", "later/progress.db")
    assert result.exit_code == 0, result
    assert "review store: later/progress.db (none yet: nothing reviewed)" in result.stdout
    assert not Path("later").exists(), "no store, lock or folder is made"


def test_junk_in_studykits_own_folder_is_still_moved_aside(notes: Path, run: Runner) -> None:
    STORE.parent.mkdir()
    STORE.write_bytes(b"half a store\n" * 300)
    result = run("review", "--limit", "1", input=ONE_ANSWER)
    assert result.exit_code == 0, result
    assert result.stderr.splitlines() == [
        "warning: .studykit/review.db was not a review database (file is not a database); "
        f"moved it to review.db.corrupt-{STAMP} beside it (kept) and started a fresh store"
    ], result
    assert _reviews(STORE) == 1


# A read-only store: the student's own permissions apply (root's are set aside).


def _as_student(cwd: Path, *args: str, input: str = "") -> subprocess.CompletedProcess[str]:
    """Run studykit as the student would, without root's power to write any file."""
    command = [sys.executable, "-m", "studykit", *args]
    if os.geteuid() == 0:
        drop = "-dac_override,-dac_read_search,-fowner"
        command = ["setpriv", f"--bounding-set={drop}", f"--inh-caps={drop}", *command]
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDYKIT_")}
    return subprocess.run(
        command,
        cwd=cwd,
        env={**env, "STUDYKIT_NOW": NOW},
        input=input,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def student(tmp_path: Path) -> None:
    """Skip where a root test run cannot set its own power aside."""
    if os.geteuid() != 0:
        return
    probe = tmp_path / "probe"
    probe.write_text("")
    probe.chmod(0o444)
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot apply")
    tried = subprocess.run(
        ["setpriv", "--bounding-set=-dac_override,-fowner", "sh", "-c", f"echo x >> {probe}"],
        capture_output=True,
    )
    if tried.returncode == 0:
        pytest.skip("root's power to write any file cannot be set aside here")


def _modes(store: Path) -> dict[str, str]:
    return {
        p.name: stat.filemode(p.stat().st_mode)
        for p in store.parent.iterdir()
        if p.name in (store.name, store.name + "-wal", store.name + "-shm")
    }


@pytest.mark.usefixtures("student")
def test_a_read_only_store_is_read_and_left_working(notes: Path, run: Runner) -> None:
    first = run("review", "--limit", "1", input=ONE_ANSWER)
    assert first.exit_code == 0, first
    store = notes.parent / STORE
    store.chmod(0o444)
    before = store.read_bytes()

    stats = _as_student(notes.parent, "stats", "--json")
    assert stats.returncode == 0, stats.stderr
    assert '"reviews": 1' in stats.stdout, stats.stdout
    assert _modes(store) == {"review.db": "-r--r--r--"}, "stats leaves no -shm or -wal"

    review = _as_student(notes.parent, "review", "--limit", "1", input=ONE_ANSWER)
    assert review.returncode == 1, review
    assert review.stderr.splitlines() == [
        ".studykit/review.db: error: the review store is read-only; review saves every answer: "
        "make it writable (chmod u+w) or pass another file with --state"
    ], review.stderr
    assert store.read_bytes() == before, "untouched"
    assert _modes(store) == {"review.db": "-r--r--r--"}, "nothing made beside it"

    store.chmod(0o644)
    again = _as_student(notes.parent, "review", "--limit", "1", input=ONE_ANSWER)
    assert again.returncode == 0, again.stderr
    assert _reviews(store) == 2, "writable again, the store takes answers"


@pytest.mark.usefixtures("student")
def test_companions_follow_the_stores_mode(notes: Path, run: Runner) -> None:
    first = run("review", "--limit", "1", input=ONE_ANSWER)
    assert first.exit_code == 0, first
    store = notes.parent / STORE
    store.chmod(0o444)
    # What a read of a read-only store left before: SQLite makes -shm and -wal with the
    # store's mode, and a reader may not remove them.
    reader = sqlite3.connect(f"{store.resolve().as_uri()}?mode=ro", uri=True)
    reader.execute("SELECT COUNT(*) FROM reviews").fetchone()
    reader.close()
    assert _modes(store)["review.db-shm"] == "-r--r--r--", "the audit's leftover"
    store.chmod(0o644)

    review = _as_student(notes.parent, "review", "--limit", "1", input=ONE_ANSWER)
    assert review.returncode == 0, review.stderr
    assert _reviews(store) == 2, "the store works again after chmod 644"
    assert set(_modes(store).values()) == {"-rw-r--r--"}, _modes(store)


def test_review_refuses_a_read_only_store_whoever_runs_it(notes: Path, run: Runner) -> None:
    # Root may write any file, but the bits say the store is kept as it is (as for -o files).
    store = Path("progress.db")
    _store_with_one_answer(run, store)
    before = store.read_bytes()
    store.chmod(0o444)
    result = run("review", "--limit", "1", "--state", str(store), input=ONE_ANSWER)
    assert result.exit_code == 1, result
    assert "progress.db: error: the review store is read-only" in result.stderr
    assert store.read_bytes() == before and _reviews(store) == 1


# The second audit: another program's database changed by review, companions taken over, and a
# device or a FIFO named as the store.

FOREIGN = "error: a SQLite database, but not a studykit review store; it was left untouched. "


def _their_database(path: Path, statements: list[str]) -> bytes:
    db = sqlite3.connect(path)
    for statement in statements:
        db.execute(statement)
    db.commit()
    db.close()
    return path.read_bytes()


@pytest.mark.parametrize(
    ("name", "statements"),
    [
        # Tables of studykit's names with other columns: review changed its mark and journal.
        (
            "flash.db",
            [
                "CREATE TABLE cards (id INTEGER PRIMARY KEY, front TEXT, back TEXT)",
                "CREATE TABLE reviews (id INTEGER PRIMARY KEY, card INTEGER, ease INTEGER)",
                "PRAGMA user_version = 7",
            ],
        ),
        # No table, a view: review made its whole schema inside it.
        ("views.db", ["CREATE VIEW v AS SELECT 1", "PRAGMA user_version = 3"]),
        # No schema at all, but a version of another program's.
        ("blank.db", ["PRAGMA user_version = 5"]),
        # studykit's tables and columns, and one of another program's beside them.
        (
            "mixed.db",
            [
                "CREATE TABLE cards (guid TEXT, card INTEGER, phase INTEGER, due REAL, state TEXT)",
                "CREATE TABLE reviews (id INTEGER PRIMARY KEY, guid TEXT, card INTEGER, "
                "reading TEXT, section TEXT, identity TEXT, rating INTEGER, time TEXT, "
                "elapsed_ms INTEGER, before TEXT, after TEXT)",
                "CREATE TABLE people (name TEXT)",
            ],
        ),
        # studykit's tables with one more column, or an index of another program's: a third
        # audit saw review mark it and switch its journal.
        (
            "extra-column.db",
            [
                "CREATE TABLE cards (guid TEXT, card INTEGER, phase INTEGER, due REAL, state TEXT, "
                "owner TEXT)",
                "CREATE TABLE reviews (id INTEGER PRIMARY KEY, guid TEXT, card INTEGER, "
                "reading TEXT, section TEXT, identity TEXT, rating INTEGER, time TEXT, "
                "elapsed_ms INTEGER, before TEXT, after TEXT)",
            ],
        ),
        (
            "their-index.db",
            [
                "CREATE TABLE cards (guid TEXT, card INTEGER, phase INTEGER, due REAL, state TEXT)",
                "CREATE TABLE reviews (id INTEGER PRIMARY KEY, guid TEXT, card INTEGER, "
                "reading TEXT, section TEXT, identity TEXT, rating INTEGER, time TEXT, "
                "elapsed_ms INTEGER, before TEXT, after TEXT)",
                "CREATE INDEX myidx ON cards (due)",
            ],
        ),
    ],
)
def test_an_unmarked_database_is_ours_only_by_its_tables_and_columns(
    notes: Path, run: Runner, name: str, statements: list[str]
) -> None:
    store = Path("st") / name
    store.parent.mkdir()
    before = _their_database(store, statements)
    line = f"st/{name}: {FOREIGN}{AGAIN}"
    _refused(run("review", "--state", str(store), input=ONE_ANSWER), line)
    _refused(run("stats", "--state", str(store)), line)
    assert store.read_bytes() == before, "no mark, no WAL switch, no schema written"
    assert sorted(p.name for p in store.parent.iterdir()) == [name], "no lock, -wal or -shm"


def test_an_empty_sqlite_database_becomes_a_store(notes: Path, run: Runner) -> None:
    # Nothing in it, no version, no application: nothing to lose (`sqlite3 new.db 'VACUUM'`).
    store = Path("new.db")
    _their_database(store, ["VACUUM"])
    assert store.stat().st_size > 0 and store.read_bytes()[68:72] == bytes(4)
    _store_with_one_answer(run, store)
    assert store.read_bytes()[68:72] == MARK


@pytest.mark.parametrize("began", [False, True], ids=["missing", "empty"])
def test_companions_beside_a_store_not_made_yet_are_left_alone(
    notes: Path, run: Runner, began: bool
) -> None:
    folder = Path("comp")
    folder.mkdir()
    store = folder / "s.db"
    if began:  # an empty store a run of studykit began: its lock beside it
        store.touch()
        Path("comp/s.db.lock").touch()
    shm, wal, journal = (folder / f"s.db{suffix}" for suffix in ("-shm", "-wal", "-journal"))
    for files in ([wal, shm], [journal]):
        for extra, mode in zip(files, (0o640, 0o600), strict=False):
            extra.write_text(f"{extra.name} of someone's\n")
            extra.chmod(mode)  # not the store's mode: review used to chmod them
        modes = [extra.stat().st_mode for extra in files]
        result = run("review", "--state", str(store), "--new", "1", input="")
        _refused(
            result,
            "comp/s.db: error: s.db-wal and s.db-shm lie beside a review store not made yet, "
            "so they are not studykit's; they were left untouched. Remove them or pass another "
            "file with --state"
            if len(files) == 2
            else "comp/s.db: error: s.db-journal lies beside a review store not made yet, so it "
            "is not studykit's; it was left untouched. Remove it or pass another file with "
            "--state",
        )
        for extra in files:
            assert extra.read_text() == f"{extra.name} of someone's\n", f"{extra} is as it was"
        assert [extra.stat().st_mode for extra in files] == modes, "not chmod-ed"
        assert store.exists() == began and (not began or store.stat().st_size == 0)
        for extra in files:
            extra.unlink()
    _store_with_one_answer(run, store)  # once they are gone, the store is made


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run studykit in its own process, so a store that blocks fails the test, not hangs it."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("STUDYKIT_")}
    return subprocess.run(
        [sys.executable, "-m", "studykit", *args],
        env={**base, "STUDYKIT_NOW": NOW, **(env or {})},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


SPECIAL = "error: the review store must be a file, and this is {what}; it was left untouched. "


@pytest.mark.parametrize("link", [False, True], ids=["fifo", "link-to-fifo"])
def test_a_fifo_is_refused_before_anything_is_made(notes: Path, link: bool) -> None:
    folder = Path("st")
    folder.mkdir()
    os.mkfifo(folder / "fifo")
    named = folder / "fifo"
    if link:
        named = folder / "link.db"
        named.symlink_to("fifo")
    line = f"{named}: " + SPECIAL.format(what="a FIFO (named pipe)") + AGAIN
    for command in ("stats", "review", "list"):
        result = _cli(command, "--state", str(named))
        if command == "list":  # list shows the notes, without due counts, and says why
            assert result.returncode == 0, result.stderr
            assert result.stderr.splitlines() == [
                line.replace(": error: ", ": warning: due counts left out: ")
            ], result.stderr
            continue
        assert result.returncode == 1, result
        assert result.stderr.splitlines() == [line], result.stderr
    assert sorted(p.name for p in folder.iterdir()) == sorted({"fifo", named.name})


def test_a_device_is_refused_before_anything_is_made(notes: Path) -> None:
    # Never /dev/null itself: a character device of our own, where root may make one.
    device = Path("st") / "null"
    device.parent.mkdir()
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError):
        pytest.skip("making a device needs root")
    line = f"{device}: " + SPECIAL.format(what="a device") + AGAIN
    for command in ("review", "stats"):
        result = _cli(command, env={"STUDYKIT_STATE": str(device)})
        assert result.returncode == 1, result
        assert result.stderr.splitlines() == [line], result.stderr
    assert sorted(p.name for p in device.parent.iterdir()) == ["null"], "no lock, no journal"


def test_a_dangling_link_is_not_followed_to_make_a_store(notes: Path, run: Runner) -> None:
    link = Path("progress.db")
    link.symlink_to("elsewhere/made.db")
    line = (
        "progress.db: error: the review store is a symbolic link to a missing file; it was left "
        f"untouched. {AGAIN}"
    )
    _refused(run("review", "--limit", "1", "--state", str(link), input=ONE_ANSWER), line)
    _refused(run("stats", "--state", str(link)), line)
    assert not Path("elsewhere").exists() and link.is_symlink(), "nothing made at its target"
    assert _beside(link) == [], "no lock beside the link"


# --- rows studykit did not write (a third audit): one line, never a traceback -----------------


@pytest.mark.parametrize(
    "command",
    [["review", "--limit", "1"], ["stats"], ["optimize"]],
    ids=["review", "stats", "optimize"],
)
def test_fsrs_settings_changed_by_hand_are_one_line(
    notes: Path, run: Runner, command: list[str]
) -> None:
    store = Path("progress.db")
    _store_with_one_answer(run, store)
    db = sqlite3.connect(store)
    db.execute("INSERT OR REPLACE INTO settings VALUES ('fsrs', '{\"weights\": 1}')")
    db.commit()
    db.close()
    result = run(*command, "--state", str(store), input=ONE_ANSWER)
    assert result.exit_code == 1, result
    assert result.exception is None or isinstance(result.exception, SystemExit), result
    assert result.stderr == (
        "progress.db: error: the FSRS settings kept in the review store are not what studykit "
        "wrote (KeyError('parameters')); restore the store, or pass another with --state\n"
    )


def test_a_card_state_changed_by_hand_stops_a_deck_with_progress_in_one_line(
    notes: Path, run: Runner
) -> None:
    store = Path("progress.db")
    _store_with_one_answer(run, store)
    db = sqlite3.connect(store)
    db.execute("INSERT INTO cards VALUES ('g', 0, 1, 0, 'not json')")
    db.commit()
    db.close()
    result = run("deck", "--with-progress", "--state", str(store), "-o", "x.apkg")
    assert result.exit_code == 1, result
    [line] = result.stderr.splitlines()
    assert line.startswith(
        "progress.db: error: a row of the review store is not one studykit wrote"
    )
    assert not Path("x.apkg").exists()


@pytest.mark.parametrize(
    ("change", "found"),
    [
        ("UPDATE reviews SET time = 'x'", "ValueError(\"Invalid isoformat string: 'x'\")"),
        ("UPDATE reviews SET rating = 9", "ValueError('9 is not a valid Grade')"),
        ("UPDATE cards SET state = '{}'", "KeyError('last_review')"),
        ("UPDATE cards SET due = 'x'", "ValueError(\"could not convert string to float: 'x'\")"),
        ("UPDATE cards SET phase = 7", "ValueError('7 is not a valid Phase')"),
    ],
    ids=["log-time", "log-grade", "card-state", "card-due", "card-phase"],
)
@pytest.mark.parametrize(
    "command",
    [
        ["review"],
        ["stats"],
        ["stats", "--json"],
        ["optimize"],
        ["deck", "--with-progress", "-o", "x.apkg"],
    ],
    ids=["review", "stats", "stats-json", "optimize", "deck"],
)
def test_rows_changed_by_hand_are_one_line_that_leaves_the_store_as_it_is(
    notes: Path,
    run: Runner,
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
    change: str,
    found: str,
) -> None:
    store = Path("progress.db")
    _store_with_one_answer(run, store)
    db = sqlite3.connect(store)
    db.execute(change)
    db.commit()
    db.close()
    before = _rows(store)
    # Years later, when the answered card is due again and review reads its state.
    monkeypatch.setenv("STUDYKIT_NOW", "2030-01-01T10:00:00+00:00")
    result = run(*command, "--state", str(store), input="\n3\n\n3\nq\n")
    if (command[0], change.split()[1]) in {("review", "reviews"), ("optimize", "cards")}:
        # A command that never reads that row has no reason to stop: review schedules from
        # the cards' states, optimize fits from the log alone.
        assert result.exit_code == 0, result
        return
    assert result.exit_code == 1, result
    assert result.exception is None, result
    assert result.stderr.splitlines()[-1] == (
        f"progress.db: error: a row of the review store is not one studykit wrote ({found}); "
        "it was left as it is: restore the store from a backup, or move it aside to start afresh"
    )
    assert _rows(store) == before


def _rows(store: Path) -> list[str]:
    """The store's answers, card states and settings (burials end with their day: review may
    let yesterday's go before it reads the card it stops at)."""
    db = sqlite3.connect(store)
    try:
        return [line for line in db.iterdump() if not line.startswith('INSERT INTO "buried"')]
    finally:
        db.close()
