"""`studykit pull`: a studykit deck studied in Anki's own engine (its clock faked), saved as a
student saves it (a .colpkg backup, an .apkg with scheduling, the closed collection.anki2), and
pulled. Every card then holds what Anki holds: phase, stability, difficulty, due and interval;
a second pull changes nothing; bad files give one line and leave no store and no scratch files.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import sqlite3
import struct
import subprocess
import sys
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from anki_schedule import FAKETIME
from conftest import Runner

from studykit.anki.collection import read_collection
from studykit.anki.pull import Owned
from studykit.anki.pull_merge import merge
from studykit.review.scheduler import Phase
from studykit.review.store import open_for_reading

DRIVER = Path(__file__).parent / "anki_pull_driver.py"
ZONE = "UTC"  # Anki's engine and studykit read one zone
PLAN = {
    "seed": 3,
    "start": "2025-03-03T20:00:00+00:00",
    "answers": [4, 14],
    "days": 90,
    "midway": 45,
}
FILES = ("backup.colpkg", "reviews.apkg", "collection.anki2")


@pytest.fixture(scope="module")
def studied(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The test deck studied in Anki for three months; the folder it was saved in, and what
    Anki held at the end."""
    if not FAKETIME.exists():
        pytest.skip("libfaketime is not installed (Debian package faketime)")
    root = tmp_path_factory.mktemp("studied")
    notes = root / "notes"
    shutil.copytree(Path(__file__).parent / "data" / "notes", notes)
    deck = root / "demo.apkg"
    done = subprocess.run(
        [sys.executable, "-m", "studykit", "deck", "--notes", str(notes), "-o", str(deck)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    folder = root / "anki"
    folder.mkdir()
    clock = root / "clock"
    clock.write_text("@2000-01-01 00:00:00", encoding="ascii")
    env = {
        **os.environ,
        "TZ": ZONE,
        "LD_PRELOAD": str(FAKETIME),
        "FAKETIME_TIMESTAMP_FILE": str(clock),
        "FAKETIME_NO_CACHE": "1",
    }
    plan = {
        **PLAN,
        "folder": str(folder),
        "apkg": str(deck),
        "retention": 0.85,
        "foreign": True,
    }
    done = subprocess.run(
        [sys.executable, str(DRIVER), json.dumps(plan)],
        env=env,
        cwd=DRIVER.parent,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    held: dict[str, Any] = json.loads(done.stdout)
    return root, held


@pytest.fixture
def here(
    studied: tuple[Path, dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A working folder with the studied notes; scratch files go to tmp/ (checked empty)."""
    root, _ = studied
    shutil.copytree(root / "notes", tmp_path / "notes")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TZ", ZONE)
    monkeypatch.delenv("STUDYKIT_NOW", raising=False)
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)
    return tmp_path


def _states(store: Path) -> dict[tuple[str, int], Any]:
    opened = open_for_reading(store)
    assert opened is not None, "the pull must make the store"
    try:
        return {key: row.state() for key, row in opened.states().items()}
    finally:
        opened.close()


def _pulled(store: Path) -> list[Any]:
    """Every answer the store holds as pulled from Anki."""
    opened = open_for_reading(store)
    assert opened is not None
    try:
        return opened.pulled()
    finally:
        opened.close()


def _mismatches(states: dict[tuple[str, int], Any], held: dict[str, Any]) -> list[str]:
    found = []
    for card in held["cards"]:
        key = (card["guid"], card["ord"])
        mine = states.get(key)
        if card["type"] == 0:  # new in Anki (the reset card)
            if mine is not None:
                found.append(f"{key}: new in Anki, {mine} here")
            continue
        if mine is None:
            found.append(f"{key}: no state")
            continue
        expected = (
            card["type"],
            round(card["stability"], 4),
            round(card["difficulty"], 3),
            card["due_at"],
            card["ivl"],
            card["reps"],
            card["lapses"],
        )
        got = (
            int(mine.phase),
            mine.stability,
            mine.difficulty,
            mine.due.timestamp(),
            mine.interval,
            mine.reps,
            mine.lapses,
        )
        if got != expected:
            found.append(f"{key}: {got}, Anki {expected}")
    return found


@pytest.mark.parametrize("name", FILES)
def test_every_card_holds_what_anki_holds(
    name: str, studied: tuple[Path, dict[str, Any]], here: Path, run: Runner
) -> None:
    root, held = studied
    result = run("pull", str(root / "anki" / name), "--state", "state.db")
    assert result.exit_code == 0, result
    answered = sum(1 for card in held["cards"] if card["reps"])
    assert result.stdout.splitlines() == [
        f"pulled {name}: {held['answers']} answers merged, {answered - 1} cards updated",
        "ignored 1 note studykit did not make; 0 studykit cards Anki has not seen",
        "suspended 1 card, as in Anki",
        "review now schedules with Anki preset 'Default' (desired retention 0.85, FSRS's "
        "default parameters)",
    ], "the reset card is new in Anki and has no state to update"
    assert _mismatches(_states(here / "state.db"), held) == []
    assert not list((here / "tmp").iterdir()), "the scratch folder must be removed"
    # The log holds each Anki answer once, as Anki's, and none as the terminal's.
    pulled = len({row.anki_id for row in _pulled(here / "state.db")})
    with sqlite3.connect(here / "state.db") as db:
        terminal = db.execute("SELECT count(*) FROM reviews").fetchone()[0]
    assert (pulled, terminal) == (held["answers"], 0)


def test_anki_due_days_are_read_at_the_students_time_not_the_systems(
    studied: tuple[Path, dict[str, Any]], here: Path
) -> None:
    """Anki numbers a review card's due day from the collection's first day, which a pull finds
    from Anki's day count now. Simulated with STUDYKIT_NOW on a machine whose clock is before the
    collection was made, "now" is the student's time: the day count is read then, not at the
    system's clock (which gave every review card a due date weeks early)."""
    root, held = studied
    end = datetime.fromisoformat(PLAN["start"]).timestamp() + PLAN["days"] * 86_400
    env = {
        **os.environ,
        "TZ": ZONE,
        "LD_PRELOAD": str(FAKETIME),
        "FAKETIME": "@2024-01-01 12:00:00",  # a year before the collection was made
        "STUDYKIT_NOW": datetime.fromtimestamp(end + 3600, UTC).isoformat(),
        "TMPDIR": str(here / "tmp"),
    }
    backup = str(root / "anki" / "backup.colpkg")
    done = subprocess.run(
        [sys.executable, "-m", "studykit", "pull", backup, "--state", "state.db"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert _mismatches(_states(here / "state.db"), held) == []


def _last_moments(collection: Path) -> dict[tuple[str, int], int]:
    """Each studykit card's last entry in an Anki collection's review log (epoch ms)."""
    db = sqlite3.connect(f"{collection.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = db.execute(
            "SELECT n.guid, c.ord, max(r.id) FROM revlog r JOIN cards c ON c.id = r.cid "
            "JOIN notes n ON n.id = c.nid WHERE n.tags LIKE '%studykit%' GROUP BY c.id"
        ).fetchall()
    finally:
        db.close()
    return {(guid, ord_): moment for guid, ord_, moment in rows}


def test_an_older_backup_pulled_after_a_newer_one_changes_nothing(
    studied: tuple[Path, dict[str, Any]], here: Path, run: Runner
) -> None:
    """Backups are pulled in any order: one made halfway through the three months, pulled after
    the last, adds no answer and puts no card back on its older schedule."""
    root, held = studied
    newer = run("pull", str(root / "anki" / "backup.colpkg"), "--state", "s.db")
    assert newer.exit_code == 0, newer
    states = _states(here / "s.db")
    older = run("pull", str(root / "anki" / "older.colpkg"), "--state", "s.db")
    assert older.exit_code == 0, older
    # The cards the older file logs something of, which the newer one logs more of after.
    was = _last_moments(root / "anki" / "older.anki2")
    now = _last_moments(root / "anki" / "collection.anki2")
    behind = sum(1 for key, moment in was.items() if now.get(key, 0) > moment)
    assert behind > 0, "the plan answers cards again after its halfway point"
    assert older.stdout.splitlines() == [
        "pulled older.colpkg: 0 answers merged, 0 cards updated",
        "ignored 1 note studykit did not make; 0 studykit cards Anki has not seen",
        f"kept {behind} cards as in the store, which holds later answers or changes to them than "
        "this file (reviewed in the terminal since, or an older backup)",
    ]
    assert _states(here / "s.db") == states
    assert _mismatches(states, held) == []
    # In the order they were made, the newer file brings the answers the older one lacks.
    assert run("pull", str(root / "anki" / "older.colpkg"), "--state", "t.db").exit_code == 0
    then = run("pull", str(root / "anki" / "backup.colpkg"), "--state", "t.db")
    assert then.exit_code == 0, then
    assert "kept" not in then.stdout
    assert _mismatches(_states(here / "t.db"), held) == []
    # Either way the store holds each answer once, as the newer file alone gives it: a card's
    # packed answers take the newer file's in revlog id order.
    assert _pulled(here / "t.db") == _pulled(here / "s.db")
    assert len(_pulled(here / "t.db")) == held["answers"]


def test_a_note_of_an_item_the_notes_no_longer_have_is_named_as_such(
    studied: tuple[Path, dict[str, Any]], here: Path, run: Runner
) -> None:
    """A removed item (or one reworded without an `id:`) leaves its old note in Anki: a pull
    ignores it, and says it is one of studykit's, not a note studykit did not make."""
    root, _ = studied
    section = next((here / "notes").glob("*/01-basics.yaml"))
    text = section.read_text(encoding="utf-8")
    removed = "  - q: Why did output fall?\n    a: Incentives were removed.\n"
    removed += "    note: Households kept nothing extra.\n"
    assert removed in text
    section.write_text(text.replace(removed, ""), encoding="utf-8")
    result = run("pull", str(root / "anki" / "backup.colpkg"), "--state", "s.db", "--json")
    assert result.exit_code == 0, result
    report = json.loads(result.stdout)
    assert (report["ignored_notes"], report["former_notes"]) == (2, 1)
    shown = run("pull", str(root / "anki" / "backup.colpkg"), "--state", "t.db")
    assert shown.stdout.splitlines()[1] == (
        "ignored 1 note studykit did not make, 1 note of items your notes no longer have; "
        "0 studykit cards Anki has not seen"
    ), shown.stdout


def test_anki_answers_go_back_to_anki_as_anki_logged_them(
    studied: tuple[Path, dict[str, Any]], here: Path, run: Runner
) -> None:
    """Pulled, then carried into a fresh collection by `deck --with-progress`, each of Anki's
    answers has the review-log row Anki wrote: learning steps in seconds, the last interval,
    the factor, the kind (studykit's own states keep less of them)."""
    from anki.collection import Collection, ImportAnkiPackageRequest
    from anki.import_export_pb2 import ImportAnkiPackageOptions

    root, held = studied
    assert run("pull", str(root / "anki" / "backup.colpkg"), "--state", "s.db").exit_code == 0
    built = run("deck", "--with-progress", "--state", "s.db", "-o", "carried.apkg")
    assert built.exit_code == 0, built
    columns = "r.id, n.guid, c.ord, r.ease, r.ivl, r.lastIvl, r.factor, r.type"
    answers = (
        f"SELECT {columns} FROM revlog r JOIN cards c ON c.id = r.cid JOIN notes n "
        "ON n.id = c.nid WHERE r.ease BETWEEN 1 AND 4 AND r.type < 4 "
        "AND NOT (r.type = 3 AND r.factor = 0) AND n.tags LIKE '%studykit%' ORDER BY r.id"
    )
    original = sqlite3.connect(f"{(root / 'anki' / 'collection.anki2').as_uri()}?mode=ro", uri=True)
    try:
        logged = original.execute(answers).fetchall()
    finally:
        original.close()
    assert len(logged) == held["answers"]
    col = Collection(str(here / "fresh.anki2"))
    try:
        options = ImportAnkiPackageOptions(with_scheduling=True)
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(here / "carried.apkg"), options=options)
        )
        carried = col.db.all(answers)
    finally:
        col.close()
    # The card reset in Anki ("Forget") is new: a deck carries no progress for it.
    new = {(c["guid"], c["ord"]) for c in held["cards"] if c["type"] == 0}
    assert len(new) == 1
    assert [tuple(row) for row in carried] == [row for row in logged if row[1:3] not in new]
    assert any(row[4] < 0 for row in logged), "the log has learning steps, in seconds"


def test_a_second_pull_changes_nothing(
    studied: tuple[Path, dict[str, Any]], here: Path, run: Runner
) -> None:
    root, _ = studied
    backup = str(root / "anki" / "backup.colpkg")
    assert run("pull", backup, "--state", "state.db").exit_code == 0
    states = _states(here / "state.db")
    again = run("pull", backup, "--state", "state.db")
    assert again.exit_code == 0, again
    assert again.stdout.splitlines()[0] == "pulled backup.colpkg: 0 answers merged, 0 cards updated"
    assert len(again.stdout.splitlines()) == 2, "nothing suspended or adopted again"
    assert _states(here / "state.db") == states
    # The closed collection is the same log: nothing new either.
    same = run("pull", str(root / "anki" / "collection.anki2"), "--state", "state.db")
    assert same.stdout.splitlines()[0].endswith(": 0 answers merged, 0 cards updated"), same


def test_the_json_report(studied: tuple[Path, dict[str, Any]], here: Path, run: Runner) -> None:
    root, held = studied
    result = run("pull", str(root / "anki" / "reviews.apkg"), "--state", "s.db", "--json")
    assert result.exit_code == 0, result
    report = json.loads(result.stdout)
    assert report["answers_merged"] == held["answers"]
    assert report["ignored_notes"] == 1
    assert report["cards_unseen_by_anki"] == 0
    assert report["adopted"]["retention"] == 0.85
    assert report["adopted"]["origin"] == "Anki preset 'Default'"


def test_review_continues_where_anki_left_off(
    studied: tuple[Path, dict[str, Any]], here: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, held = studied
    assert run("pull", str(root / "anki" / "backup.colpkg"), "--state", "s.db").exit_code == 0
    dues = sorted(c["due_at"] for c in held["cards"] if c["type"] == 2 and c["queue"] == 2)
    # The morning of the first due day: the cards due then, and no other, are due.
    moment = datetime.fromtimestamp(dues[0] + 5 * 3600, UTC)
    monkeypatch.setenv("STUDYKIT_NOW", moment.isoformat())
    stats = run("stats", "--state", "s.db", "--json")
    assert stats.exit_code == 0, stats
    data = json.loads(stats.stdout)
    assert data["reviews"] == held["answers"], "stats counts Anki's answers"
    shown = run("stats", "--state", "s.db")
    n = held["answers"]
    assert f"{n} reviews (0 terminal · {n} Anki) · true retention" in shown.stdout, shown.stdout
    due = [
        c
        for c in held["cards"]
        if c["type"] != 0 and c["queue"] != -1 and c["due_at"] <= moment.timestamp()
    ]
    assert data["due"] == len(due), stats.stdout
    session = run("review", "--state", "s.db", "--new", "0", input="\n3\nq\n")
    assert session.exit_code == 0, session
    with sqlite3.connect(here / "s.db") as db:
        last = db.execute("SELECT source, before FROM reviews ORDER BY id DESC LIMIT 1").fetchone()
    assert last[0] == "terminal"
    assert json.loads(last[1])["stability"] is not None, "review goes on from Anki's memory"


def test_the_replay_gives_what_anki_gives(studied: tuple[Path, dict[str, Any]], here: Path) -> None:
    """Without Anki's memory states, replaying the log (resets, a date set by hand, cramming and
    an early review among it) gives Anki's stability and difficulty, and Anki's due dates."""
    root, held = studied
    owned = {c["guid"]: Owned("demo", "s", c["guid"]) for c in held["cards"]}
    zone = datetime.now().astimezone().tzinfo
    collected = read_collection(root / "anki" / "backup.colpkg", owned.keys(), zone)
    blank = {k: c._replace(stability=None, difficulty=None) for k, c in collected.cards.items()}
    merged = merge(dataclasses.replace(collected, cards=blank), set(), [], zone)
    for card in held["cards"]:
        mine = merged.states.get((card["guid"], card["ord"]))
        if card["type"] == 0:
            assert mine is None
            continue
        assert mine is not None
        assert abs(mine.stability - card["stability"]) <= 0.01 * card["stability"], card
        assert abs(mine.difficulty - card["difficulty"]) <= 0.01, card
        assert mine.due.timestamp() == card["due_at"]
        assert mine.phase is Phase(card["type"])


def _bad(path: Path, run: Runner, here: Path) -> str:
    result = run("pull", str(path), "--state", "state.db")
    assert result.exit_code == 1, result
    assert result.exception is None, result
    assert result.stdout == "", result
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result
    assert not (here / "state.db").exists(), "the store must be left untouched"
    assert not list((here / "tmp").iterdir()), "the scratch folder must be removed"
    return lines[0]


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_bad_files_give_one_line(
    studied: tuple[Path, dict[str, Any]], here: Path, run: Runner
) -> None:
    root, _ = studied
    backup = (root / "anki" / "backup.colpkg").read_bytes()
    with zipfile.ZipFile(root / "anki" / "backup.colpkg") as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    cases = {
        "truncated.colpkg": (backup[: len(backup) // 2], "a damaged or incomplete zip"),
        "notes.txt": (b"just some notes\n", "not an Anki collection: pull a .colpkg backup"),
    }
    for name, (data, expected) in cases.items():
        (here / name).write_bytes(data)
        assert expected in _bad(here / name, run, here), name
    expected_lines = {
        "empty.colpkg": ({"meta": members["meta"]}, "the package has no collection.anki21b"),
        "other.zip": ({"hello.txt": b"hi"}, "it has a member 'hello.txt'"),
        "climb.colpkg": ({**members, "../evil": b"x"}, "member named '../evil'"),
        "absolute.colpkg": ({**members, "/tmp/evil": b"x"}, "member named '/tmp/evil'"),
        "future.colpkg": (
            {**members, "meta": b"\x08\x04"},
            "unsupported Anki package format version 4",
        ),
        "bomb.colpkg": (
            {"meta": members["meta"], "collection.anki21b": bytes(64 << 20)},
            "'collection.anki21b' unpacks to more than",
        ),
    }
    for name, (content, expected) in expected_lines.items():
        line = _bad(_zip(here / name, content), run, here)
        assert expected in line, (name, line)
        assert "refused" in line or "not an Anki" in line or "unsupported" in line, line
    assert not (here.parent / "evil").exists() and not Path("/tmp/evil").exists()
    # The collection flagged encrypted, or compressed by a method Python's zip reader lacks
    # (6: implode; 99: AES): Anki writes neither.
    for name, flag, method in (("encrypted", 1, None), ("implode", 0, 6), ("aes", 0, 99)):
        package = here / f"{name}.colpkg"
        package.write_bytes(_sealed_member(backup, b"collection.anki21b", flag, method))
        line = _bad(package, run, here)
        assert "(collection.anki21b is encrypted or compressed in a way Anki never writes)" in (
            line
        ), (name, line)


def _sealed_member(package: bytes, name: bytes, flag: int, method: int | None) -> bytes:
    """The package with `name`'s general-purpose flag ORed with `flag` and its compression
    method set to `method`, in its local header and in the central directory."""
    data = bytearray(package)
    # signature, offset of the flags, of the method, of the name's length, of the name
    for signature, flags, kind, length, start in (
        (b"PK\x03\x04", 6, 8, 26, 30),
        (b"PK\x01\x02", 8, 10, 28, 46),
    ):
        at = data.find(signature)
        while at != -1:
            size = struct.unpack("<H", data[at + length : at + length + 2])[0]
            if bytes(data[at + start : at + start + size]) == name:
                data[at + flags] |= flag
                if method is not None:
                    data[at + kind : at + kind + 2] = struct.pack("<H", method)
            at = data.find(signature, at + 4)
    return bytes(data)


def test_a_collection_that_inflates_far_beyond_its_package_is_refused(
    studied: tuple[Path, dict[str, Any]], here: Path, run: Runner
) -> None:
    """Anki compresses a package's collection with zstd: one that inflates to far more than the
    package (here a few KB that inflate to 256 MB) is refused before anything is written, as a
    zip member is; the store already there is kept as it was, the scratch folder removed."""
    import zstandard

    root, _ = studied
    with zipfile.ZipFile(root / "anki" / "backup.colpkg") as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    real = zstandard.ZstdDecompressor().stream_reader(members["collection.anki21b"]).read()
    assert real.startswith(b"SQLite format 3\x00")
    zeros = zstandard.ZstdCompressor().compress(bytes(256 << 20))
    frames = {  # the real collection followed by zeros: in one frame, and in a second frame
        "one-frame.colpkg": zstandard.ZstdCompressor().compress(real + bytes(256 << 20)),
        "two-frames.colpkg": members["collection.anki21b"] + zeros,
    }
    store = here / "state.db"
    assert run("pull", str(root / "anki" / "backup.colpkg"), "--state", str(store)).exit_code == 0
    kept = store.read_bytes()
    for name, collection in frames.items():
        package = _zip(here / name, {**members, "collection.anki21b": collection})
        assert package.stat().st_size < 200_000
        result = run("pull", str(package), "--state", str(store))
        assert result.exit_code == 1, result
        assert result.exception is None, result
        assert result.stdout == ""
        assert result.stderr == (
            f"{name}: error: refused: the package's 'collection.anki21b' unpacks to far more "
            f"than its size (over {(100 * package.stat().st_size + (1 << 20)) >> 20} MB): not a "
            "collection studykit can read safely; nothing was kept\n"
        ), name
        assert store.read_bytes() == kept, "the store must be left untouched"
        assert not list((here / "tmp").iterdir()), "the scratch folder must be removed"
    damaged = {  # no zstd frame at all; a frame cut short (SQLite finds it out, inflated)
        "garbage.colpkg": (b"SQLite format 3\x00" + bytes(4096), "(its collection.anki21b cannot"),
        "cut.colpkg": (members["collection.anki21b"][:-100], "(database disk image is malformed)"),
    }
    for name, (collection, why) in damaged.items():
        package = _zip(here / name, {**members, "collection.anki21b": collection})
        result = run("pull", str(package), "--state", str(store))
        assert result.exit_code == 1, result
        assert result.stderr.startswith(
            f"{name}: error: not an Anki collection: pull a .colpkg backup, an .apkg exported "
            f"with scheduling, or a closed collection.anki2 {why}"
        ), result.stderr
        assert result.stderr.count("\n") == 1, result.stderr
        assert store.read_bytes() == kept
        assert not list((here / "tmp").iterdir())


def test_a_future_collection_and_one_open_in_anki(
    studied: tuple[Path, dict[str, Any]], here: Path, run: Runner
) -> None:
    root, _ = studied
    future = here / "future" / "collection.anki2"
    future.parent.mkdir()
    shutil.copyfile(root / "anki" / "collection.anki2", future)
    with sqlite3.connect(future) as db:
        db.execute("UPDATE col SET ver = 99")
    db.close()
    assert "unsupported Anki collection version 99" in _bad(future, run, here)
    unchanged = future.read_bytes()
    # Open in Anki: its lock (and an empty write-ahead log) beside it.
    open_one = here / "open" / "collection.anki2"
    open_one.parent.mkdir()
    shutil.copyfile(root / "anki" / "collection.anki2", open_one)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom anki.collection import Collection\n"
            f"c = Collection({str(open_one)!r})\nprint('open', flush=True)\nsys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        line = _bad(open_one, run, here)
        assert "open in Anki: close Anki or use File > Create Backup" in line, line
    finally:
        holder.communicate("", timeout=30)
    assert future.read_bytes() == unchanged, "the student's file is never written"


def test_a_collection_without_studykit_notes(here: Path, run: Runner, tmp_path: Path) -> None:
    from anki.collection import Collection

    path = tmp_path / "theirs" / "collection.anki2"
    path.parent.mkdir()
    col = Collection(str(path))
    note = col.new_note(col.models.by_name("Basic"))
    note["Front"], note["Back"] = "q", "a"
    col.add_note(note, 1)
    col.close()
    line = _bad(path, run, here)
    assert "none of its 1 notes were made by studykit" in line, line


def test_a_store_of_the_version_before_pull_is_brought_up_to_date(
    studied: tuple[Path, dict[str, Any]], here: Path, run: Runner
) -> None:
    from studykit.review.ownership import APPLICATION_ID
    from studykit.review.store import SCHEMA

    root, held = studied
    # Version 2: no pulled answers, in a table of their own or in the log.
    before_pull = re.sub(r"CREATE TABLE IF NOT EXISTS pulled.*?\n\)[^;]*;", "", SCHEMA, flags=re.S)
    lines = [line for line in before_pull.splitlines() if "anki_id" not in line]
    lines = [line for line in lines if not line.strip().startswith("source TEXT")]
    old = "\n".join(lines).replace("after TEXT NOT NULL,", "after TEXT NOT NULL")
    store = here / "old.db"
    with sqlite3.connect(store) as db:
        db.executescript(old)
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute("PRAGMA user_version = 2")
        db.execute(
            "INSERT INTO reviews (guid, card, reading, section, identity, rating, time, "
            "elapsed_ms, before, after) VALUES ('skx', 0, 'demo', 'basics', 'i', 3, "
            "'2025-01-01T10:00:00.000000+00:00', 100, NULL, '{}')"
        )
    db.close()
    result = run("pull", str(root / "anki" / "backup.colpkg"), "--state", str(store))
    assert result.exit_code == 0, result
    with sqlite3.connect(store) as db:
        sources = dict(db.execute("SELECT source, count(*) FROM reviews GROUP BY source"))
        version = db.execute("PRAGMA user_version").fetchone()[0]
    db.close()
    assert sources == {"terminal": 1}, "the earlier answer is kept"
    assert len(_pulled(store)) == held["answers"]
    assert version == 5


def test_answers_pulled_into_the_log_by_the_version_before_count_once(
    studied: tuple[Path, dict[str, Any]], here: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store of version 3 kept Anki's answers in the terminal's log, with their states as
    JSON: they still count, once, and pulling the same file again adds none of them."""
    from studykit.review.store import pulled_time

    root, held = studied
    backup = str(root / "anki" / "backup.colpkg")
    assert run("pull", backup, "--state", "s.db").exit_code == 0
    pulled = _pulled(here / "s.db")
    with sqlite3.connect(here / "s.db") as db:
        times = {row.anki_id: pulled_time(row.anki_id) for row in pulled}
        notes = {g: (r, s, i) for g, r, s, i in db.execute("SELECT * FROM pulled_notes")}
        rows = []
        for row in pulled:
            before, after = row.states()
            states = (before and json.dumps(before.to_json()), json.dumps(after.to_json()))
            moment = times[row.anki_id]
            rows.append((row.anki_id, row.guid, row.card, *notes[row.guid], row.rating, moment))
            rows[-1] += (row.elapsed_ms, *states)
        db.executemany(
            "INSERT INTO reviews (anki_id, guid, card, reading, section, identity, rating, "
            "time, elapsed_ms, before, after, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "'anki')",
            rows,
        )
        db.executescript("DROP TABLE pulled; DROP TABLE pulled_notes; PRAGMA user_version = 3;")
    db.close()
    monkeypatch.setenv("STUDYKIT_NOW", "2030-01-01T12:00:00+00:00")
    before = json.loads(run("stats", "--state", "s.db", "--json").stdout)
    assert before["reviews"] == held["answers"] == len(rows)
    again = run("pull", backup, "--state", "s.db")
    assert again.exit_code == 0, again
    assert again.stdout.splitlines()[0] == "pulled backup.colpkg: 0 answers merged, 0 cards updated"
    after = json.loads(run("stats", "--state", "s.db", "--json").stdout)
    assert after["reviews"] == held["answers"]
    assert _pulled(here / "s.db") == []
    with sqlite3.connect(here / "s.db") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 5
    db.close()


def test_a_deck_without_answers_is_not_taken_for_a_pull(
    studied: tuple[Path, dict[str, Any]], here: Path, run: Runner
) -> None:
    # studykit's own deck (or an .apkg exported without scheduling): "0 answers merged" would
    # read as "in sync".
    root, _ = studied
    line = _bad(root / "demo.apkg", run, here)
    assert line.endswith(
        "demo.apkg: error: it holds no answers to your cards: nothing to pull (export an .apkg "
        "with 'Include scheduling information' ticked, or pull a backup .colpkg)"
    ), line


def test_parameters_fitted_to_the_students_answers_outlive_a_default_preset(
    studied: tuple[Path, dict[str, Any]], here: Path, run: Runner
) -> None:
    from studykit.review import settings
    from studykit.review.scheduler import PARAMETERS
    from studykit.review.store import open_store

    root, _ = studied
    fitted = settings.FsrsSettings(
        (0.5, *PARAMETERS[1:]), 0.9, "fitted to 612 of your answers", "2025-05-01T00:00:00"
    )
    store = open_store(here / "state.db", datetime.now(UTC)).store
    settings.save(store, fitted)
    store.close()
    result = run("pull", str(root / "anki" / "backup.colpkg"), "--state", "state.db")
    assert result.exit_code == 0, result
    assert result.stdout.splitlines()[-1] == (
        "review keeps the parameters fitted to 612 of your answers: Anki preset 'Default' has "
        "FSRS's defaults"
    )
    kept = open_for_reading(here / "state.db")
    assert kept is not None
    assert settings.load(kept) == fitted
    kept.close()


def test_a_pipe_is_refused_not_waited_on(here: Path, run: Runner) -> None:
    # A fourth audit: `pull p.colpkg` on a FIFO blocked for good.
    pipe = here / "p.colpkg"
    os.mkfifo(pipe)
    line = _bad(pipe, run, here)
    assert line == (
        "p.colpkg: error: not a regular file (a pipe or a device): pull a .colpkg backup, an "
        ".apkg or a closed collection.anki2"
    ), line
