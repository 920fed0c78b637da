"""No `-o` and no file studykit keeps leads studykit to write over what is not its to write.

Each test first reproduces what an audit found: `deck -o` through a link replaced a section of
notes and the identity record, `outline -o .studykit/review.db` replaced the review store, an
`identities.lock` that was a link was read and written through, a `.studykit` link beside a deck
put the manifest outside, and a dangling `.studykit/.gitignore` link made a file outside. Then
it checks what the student sees: the exit code, the one line on stderr, and every file as it was.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from conftest import Runner

READING = Path("notes/demo/reading.yaml")
RECORD = Path("notes/demo/identities.lock")
STORE = Path(".studykit/review.db")


def _bytes(path: Path) -> bytes:
    return path.read_bytes()


def _one_line(stderr: str, expected: str) -> None:
    assert stderr.splitlines() == [expected], f"one line, saying why: {stderr!r}"


def _store() -> bytes:
    """A review store of the student's, with progress in it."""
    STORE.parent.mkdir(exist_ok=True)
    db = sqlite3.connect(STORE)
    db.execute("PRAGMA application_id = 1937007723")  # 0x7374646B, "stdk"
    db.execute("CREATE TABLE progress (answer TEXT)")
    db.execute("INSERT INTO progress VALUES ('three weeks of answers')")
    db.commit()
    db.close()
    return STORE.read_bytes()


# --- -o never replaces the notes or the review store ------------------------------------------


@pytest.mark.parametrize("victim", [READING, RECORD])
def test_a_deck_through_a_link_into_the_notes_is_refused(
    notes: Path, run: Runner, victim: Path
) -> None:
    # The audit: `ln -s notes/demo/reading.yaml evil.apkg; deck -o evil.apkg` replaced the
    # reading with a zip, exit 0.
    assert run("deck").exit_code == 0  # the identity record exists
    Path("evil.apkg").symlink_to(victim)
    before = _bytes(victim), _bytes(RECORD)
    for command in (["deck", "-o", "evil.apkg"], ["deck", "-o", "evil.apkg", "--force"]):
        result = run(*command)
        assert result.exit_code == 1, result
        _one_line(
            result.stderr,
            "evil.apkg: error: will not overwrite a file in the notes folder with the deck; "
            "choose another -o",
        )
        assert (_bytes(victim), _bytes(RECORD)) == before, "the notes as they were"
    assert not Path(".studykit/evil.manifest.json").exists(), "nothing written"


def test_a_handout_through_a_link_into_the_notes_is_refused(notes: Path, run: Runner) -> None:
    Path("handout.md").symlink_to(READING)
    before = _bytes(READING)
    result = run("outline", "-o", "handout.md")
    assert result.exit_code == 1, result
    _one_line(
        result.stderr,
        "handout.md: error: will not overwrite a file in the notes folder with the handout; "
        "choose another -o",
    )
    assert _bytes(READING) == before, "the reading as it was"


def test_a_deck_kept_in_the_notes_folder_is_rebuilt(notes: Path, run: Runner) -> None:
    for _ in range(2):
        result = run("deck", "-o", "notes/", "--force")
        assert result.exit_code == 0, result
        assert Path("notes/demo.apkg").read_bytes()[:2] == b"PK"
    Path("notes/link.apkg").symlink_to("demo.apkg")
    through = run("deck", "-o", "notes/link.apkg", "--force")
    assert through.exit_code == 0, through


@pytest.mark.parametrize(
    "command",
    [
        ["outline", "-f", "md"],
        ["summary", "-f", "text"],
        ["deck"],
    ],
)
def test_no_output_replaces_the_review_store(notes: Path, run: Runner, command: list[str]) -> None:
    # The audit: `outline -f md -o .studykit/review.db` replaced the store; the progress was lost.
    before = _store()
    Path("progress.apkg").symlink_to(STORE)
    Path("progress.txt").symlink_to(STORE)  # a handout's -o ends as text does
    targets = ["progress.apkg"] if command == ["deck"] else ["progress.txt"]
    for target in targets:
        result = run(*command, "-o", target)
        assert result.exit_code == 1, result
        what = "the deck" if command == ["deck"] else "the handout"
        _one_line(
            result.stderr,
            f"{target}: error: will not overwrite the review store with {what}; choose another -o",
        )
        assert _bytes(STORE) == before, "the progress as it was"


# --- the identity record: a plain file in the reading's folder, never a link -----------------

LINKED_RECORD = (
    "notes/demo/identities.lock: error: the identity record is a link; studykit keeps it as a "
    "plain file in the reading's folder"
)


@pytest.mark.parametrize("command", [["deck"], ["deck", "--force"], ["review"]])
def test_an_identity_record_that_is_a_link_is_neither_read_nor_written(
    notes: Path, run: Runner, command: list[str]
) -> None:
    # The audit: a record linked to a file outside, of `#` lines only, read as an empty record
    # and then replaced by studykit's.
    foreign = Path("outside.conf")
    foreign.write_text("# a file of someone else's\n# setting = on\n", encoding="utf-8")
    RECORD.symlink_to(foreign.resolve())
    result = run(*command, input="q\n")
    assert result.exit_code == 1, result
    _one_line(result.stderr, LINKED_RECORD)
    assert foreign.read_text(encoding="utf-8") == "# a file of someone else's\n# setting = on\n"
    assert RECORD.is_symlink(), "the link left as it was"
    assert not Path("cards").exists() and not STORE.exists(), "nothing written"


def test_an_identity_record_linked_inside_the_notes_is_refused_too(
    notes: Path, run: Runner
) -> None:
    # A link is refused wherever it leads: the record is committed with the notes, and a link
    # in git would carry someone else's file.
    assert run("deck").exit_code == 0
    RECORD.rename("notes/demo/record.txt")
    RECORD.symlink_to("record.txt")
    before = _bytes(Path("notes/demo/record.txt"))
    result = run("deck", "--force")
    assert result.exit_code == 1, result
    _one_line(result.stderr, LINKED_RECORD)
    assert _bytes(Path("notes/demo/record.txt")) == before


def test_check_reports_an_identity_record_that_is_a_link(notes: Path, run: Runner) -> None:
    RECORD.symlink_to(Path("outside.conf").resolve())
    result = run("check")
    assert result.exit_code == 1, result
    assert result.stderr.splitlines() == [
        LINKED_RECORD,
        "check: 1 error, 0 warnings in 1 reading",
    ], result


# --- studykit's own folders: real folders, never links out ------------------------------------


@pytest.mark.parametrize("command", [["deck", "-o", "d1/"], ["deck", "-o", "d1/", "--dry-run"]])
def test_a_studykit_link_beside_the_deck_is_refused(
    notes: Path, run: Runner, tmp_path: Path, command: list[str]
) -> None:
    # The audit: `ln -s /tmp/foreign d1/.studykit; deck -o d1/` wrote the manifest there.
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    Path("d1").mkdir()
    Path("d1/.studykit").symlink_to(foreign)
    result = run(*command)
    assert result.exit_code == 1, result
    _one_line(
        result.stderr,
        "d1/.studykit: error: this folder for the build manifest is a link; studykit keeps its "
        "files beside the deck in a real folder: remove the link",
    )
    assert list(foreign.iterdir()) == [], "nothing written through the link"
    assert list(Path("d1").iterdir()) == [Path("d1/.studykit")], "no deck either"
    assert not RECORD.exists(), "nor the identity record"


def test_a_dangling_gitignore_link_in_the_store_folder_makes_nothing_outside(
    notes: Path, run: Runner, tmp_path: Path
) -> None:
    # The audit: `.studykit/.gitignore` as a link to nowhere made studykit create its target.
    outside = tmp_path / "outside" / "made-by-studykit"
    outside.parent.mkdir()
    STORE.parent.mkdir()
    ignore = STORE.parent / ".gitignore"
    ignore.symlink_to(outside)
    result = run("review", input="q\n")
    assert result.exit_code == 0, result
    assert not outside.exists(), "nothing made through the link"
    assert ignore.is_symlink() and ignore.readlink() == outside, "the link left alone"
    assert STORE.is_file(), "the store made as usual"


def test_a_gitignore_of_the_students_is_left_as_it_is(notes: Path, run: Runner) -> None:
    STORE.parent.mkdir()
    ignore = STORE.parent / ".gitignore"
    ignore.write_text("review.db\n", encoding="utf-8")
    assert run("review", input="q\n").exit_code == 0
    assert ignore.read_text(encoding="utf-8") == "review.db\n"


@pytest.mark.parametrize("command", [["review"], ["review", "demo"]])
def test_a_store_folder_that_is_a_link_is_refused(
    notes: Path, run: Runner, tmp_path: Path, command: list[str]
) -> None:
    # A project folder cloned with git may carry a `.studykit` link to anywhere: the store, its
    # .gitignore, and a file moved aside as not a database would all land there.
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    STORE.parent.symlink_to(foreign)
    result = run(*command, input="q\n")
    assert result.exit_code == 1, result
    _one_line(
        result.stderr,
        ".studykit: error: the review store's folder is a link; studykit keeps it as a real "
        "folder beside the notes folder: remove the link, or name a store elsewhere with --state",
    )
    assert list(foreign.iterdir()) == [], "nothing written through the link"
    assert STORE.parent.is_symlink()


# --- found by a third audit ---------------------------------------------------------------------


def test_nothing_replaces_studykits_own_files_beside_the_store(notes: Path, run: Runner) -> None:
    # Replaced by a rename, the lock no longer locks out a review running at that moment.
    _store()
    for name in ("review.db.lock", ".gitignore"):
        kept = STORE.parent / name
        kept.write_text("studykit's\n", encoding="utf-8")
        # A handout's -o ends as text does, or has no suffix: the lock through a link.
        target = Path(f"{name}.txt") if "." in name.lstrip(".") else kept
        if target != kept:
            target.symlink_to(kept)
        result = run("summary", "-f", "text", "-o", str(target))
        assert result.exit_code == 1, result
        _one_line(
            result.stderr,
            f"{target}: error: will not overwrite studykit's own files beside the review store "
            "with the handout; choose another -o",
        )
        assert kept.read_text(encoding="utf-8") == "studykit's\n"


def test_a_fifo_where_the_manifest_goes_is_refused_not_waited_on(notes: Path, run: Runner) -> None:
    folder = Path("d1/.studykit")
    folder.mkdir(parents=True)
    os.mkfifo(folder / "demo.manifest.json")
    result = run("deck", "-o", "d1/")
    assert result.exit_code == 1, result
    _one_line(
        result.stderr,
        "d1/.studykit/demo.manifest.json: error: will not write the build manifest over a FIFO "
        "(named pipe); give the path of a file",
    )
    assert not Path("d1/demo.apkg").exists()


def test_an_identity_record_that_is_a_fifo_is_refused_by_check_and_deck(
    notes: Path, run: Runner
) -> None:
    RECORD.unlink(missing_ok=True)
    os.mkfifo(RECORD)
    expected = (
        "notes/demo/identities.lock: error: the identity record is not a plain file; studykit "
        "keeps it as one in the reading's folder: remove what is there"
    )
    checked = run("check")
    assert checked.exit_code == 1 and expected in checked.stderr.splitlines(), checked
    built = run("deck")
    assert built.exit_code == 1, built
    _one_line(built.stderr, expected)


def test_no_output_replaces_a_store_named_with_state(notes: Path, run: Runner) -> None:
    # A fifth audit: `deck --with-progress --state s1.db -o st.apkg`, st.apkg a link to the
    # store, replaced months of progress with the deck.
    store = Path("s1.db")
    assert run("review", "--limit", "1", "--state", "s1.db", input="\n3\nq\n").exit_code == 0
    before = store.read_bytes()
    Path("st.apkg").symlink_to(store)
    result = run("deck", "--with-progress", "--state", "s1.db", "-o", "st.apkg")
    assert result.exit_code == 1, result
    _one_line(
        result.stderr,
        "st.apkg: error: will not overwrite the review store with the deck; choose another -o",
    )
    assert store.read_bytes() == before


@pytest.mark.parametrize("named", ["STUDYKIT_STATE", "--state"])
def test_no_output_replaces_a_file_beside_a_store_named_elsewhere(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch, named: str
) -> None:
    # An eighth audit: with STUDYKIT_STATE=progress.db, `outline -o progress.db.lock` and
    # `summary -o progress.db.lock` replaced the store's lock with a handout, and `outline -o
    # progress.db-wal` made a write-ahead log of one.
    store = Path("progress.db")
    if named == "STUDYKIT_STATE":
        monkeypatch.setenv("STUDYKIT_STATE", str(store))
        chosen: tuple[str, ...] = ()
    else:
        monkeypatch.delenv("STUDYKIT_STATE", raising=False)
        chosen = ("--state", str(store))
    assert run("review", "--limit", "1", *chosen, input="\n3\nq\n").exit_code == 0
    lock = Path("progress.db.lock")
    assert lock.is_file()
    before, locked = store.read_bytes(), lock.read_bytes()
    commands = [
        # A deck's name ends in .apkg, a handout's as text does: they reach the lock through
        # a link.
        (["outline", "-f", "md", "-o", "lock.md"], "the handout", "lock file"),
        (["summary", "-f", "md", "--force", "-o", "lock.md"], "the handout", "lock file"),
        (["deck", "--with-progress", *chosen, "-o", "lock.apkg"], "the deck", "lock file"),
    ]
    Path("lock.apkg").symlink_to(lock)
    Path("lock.md").symlink_to(lock)
    # Named as they are, the lock and SQLite's files are no handout's name (not there yet, a
    # link to them is refused as one to a missing file).
    for name in ("progress.db.lock", "progress.db-wal", "progress.db-shm", "progress.db-journal"):
        named = run("summary", "-f", "text", "-o", name)
        assert named.exit_code == 2, named
        assert named.stderr.startswith(f"error: -o {name}: a plain-text handout does not go in")
    for command, what, kind in commands:
        result = run(*command)
        assert result.exit_code == 1, (command, result)
        _one_line(
            result.stderr,
            f"{command[-1]}: error: will not overwrite the review store's {kind} (beside "
            f"progress.db) with {what}; choose another -o",
        )
        assert store.read_bytes() == before and lock.read_bytes() == locked, command
    assert sorted(p.name for p in Path().iterdir()) == [
        "lock.apkg",
        "lock.md",
        "notes",
        "progress.db",
        "progress.db.lock",
    ]
    # A file that merely ends like one is written: nothing named progress is a store here.
    Path("other.txt").write_text("a student's\n", encoding="utf-8")
    written = run("outline", "-f", "md", "-o", "other-wal")
    assert written.exit_code == 0, written
    assert Path("other-wal").read_text(encoding="utf-8").startswith("# ")


def test_no_output_makes_a_file_beside_the_default_store(notes: Path, run: Runner) -> None:
    # The default store's lock, log and journal, there yet or not.
    before = _store()
    for name in ("review.db.lock", "review.db-wal", "review.db-shm", "review.db-journal"):
        target = STORE.parent / name
        for command in (["outline", "-f", "md"], ["summary", "-f", "text"]):
            # No handout's name: its suffix is not a text format's.
            result = run(*command, "-o", str(target))
            assert result.exit_code == 2, result
            assert "handout does not go in a" in result.stderr, result
            assert not target.exists(), target
    assert _bytes(STORE) == before
    assert sorted(p.name for p in STORE.parent.iterdir()) == ["review.db"]


def test_a_time_zone_or_a_fixed_now_out_of_range_is_one_line(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("review", "--limit", "1", "--state", "s1.db", input="\n3\nq\n").exit_code == 0
    from studykit.cli import clock

    clock._zone.cache_clear()
    monkeypatch.setenv("STUDYKIT_NOW", "9999-12-31T23:59:59+00:00")
    result = run("stats", "--state", "s1.db")
    assert result.exit_code == 1, result
    _one_line(
        result.stderr,
        "error: STUDYKIT_NOW='9999-12-31T23:59:59+00:00' is out of range: give a year from 1971 "
        "to 9000",
    )


def test_paths_the_system_cannot_follow_are_one_line(notes: Path, run: Runner) -> None:
    # A sixth audit: a loop of links or a name too long gave a traceback in review and -o.
    Path("la").symlink_to("lb")
    Path("lb").symlink_to("la")
    looped = run("stats", "--state", "la")
    assert looped.exit_code == 1, looped
    [line] = looped.stderr.splitlines()
    assert line.endswith("la': a loop of symbolic links"), line
    long = "y" * 300 + ".md"
    named = run("summary", "-o", long)
    assert named.exit_code == 1, named
    assert named.stderr == f"{long}: error: File name too long\n"


def test_a_deck_with_progress_pulled_back_counts_each_answer_once(notes: Path, run: Runner) -> None:
    # The terminal's answers go into Anki with `deck --with-progress`; pulled back (from that
    # deck, or from a backup of the collection it went into) they are the same answers.
    assert run("review", "--limit", "2", "--state", "s1.db", input="\n3\n\n3\nq\n").exit_code == 0
    built = run("deck", "--with-progress", "--state", "s1.db", "-o", "progress.apkg")
    assert built.exit_code == 0, built
    before = _bytes(Path("s1.db"))
    pulled = run("pull", "progress.apkg", "--state", "s1.db")
    assert pulled.exit_code == 0, pulled
    assert pulled.stdout.startswith("pulled progress.apkg: 0 answers merged, "), pulled
    db = sqlite3.connect("s1.db")
    assert db.execute("SELECT source, count(*) FROM reviews GROUP BY source").fetchall() == [
        ("terminal", 2)
    ]
    db.close()
    assert before  # the store was there to pull into
