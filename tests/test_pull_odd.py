"""`studykit pull` on collections Anki opens but never writes (changed by hand or by another
program): values studykit can schedule with are kept, the others are set aside for what the
card's log gives, and what cannot be read at all is refused in one line naming the file, with
the store left untouched. Each collection is made by the `anki` package from the deck `studykit
deck` builds, then changed with SQL."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from anki_helpers import demo_deck, studied_collection
from conftest import Runner

DAY_MS = 86_400_000
LEARNT = "insert into revlog values ({now}-5000,{cid},-1,3,1,0,2500,1000,0)"  # Good, learning
REVIEWED = "insert into revlog values ({now}-432000000,{cid},-1,3,5,0,2500,1000,1)"  # Good, review
IN_REVIEW = "update cards set type=2,queue=2,due=10,ivl=5,data='{data}' where id={{cid}}"
SECOND = "(select min(id) from cards where id > {cid})"  # the second card's id


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_deck(tmp_path_factory.mktemp("deck"))


def _card(store: Path) -> dict[str, object]:
    with sqlite3.connect(store) as db:
        [(raw,)] = db.execute("SELECT state FROM cards").fetchall()
    return dict(json.loads(raw))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("zero", '{{"s":0,"d":0}}'),
        ("negative", '{{"s":-1,"d":11}}'),
        ("infinite", '{{"s":1e999,"d":5}}'),
        ("difficulty", '{{"s":3.5,"d":0.5}}'),
        # Below FSRS's floor of 0.001 days (review divided by zero on it) and above its
        # ceiling of 36,500.
        ("tiny", '{{"s":1e-300,"d":5}}'),
        ("subnormal", '{{"s":5e-324,"d":5}}'),
        ("huge", '{{"s":1e30,"d":5}}'),
    ],
)
def test_a_memory_state_studykit_cannot_use_is_replayed_from_the_log(
    notes: Path, run: Runner, deck: Path, name: str, data: str
) -> None:
    anki = studied_collection(deck, Path(f"{name}.anki2"), REVIEWED, IN_REVIEW.format(data=data))
    pulled = run("pull", str(anki), "--state", "s.db")
    assert pulled.exit_code == 0, pulled
    card = _card(Path("s.db"))
    # One Good, replayed from new with FSRS's defaults; Anki's phase and interval are kept.
    assert (card["stability"], card["difficulty"]) == (2.3065, 2.118)
    assert (card["phase"], card["interval"]) == (2, 5)
    stats = run("stats", "--state", "s.db")
    assert stats.exit_code == 0, stats
    assert "Traceback" not in stats.output
    reviewed = run("review", "--state", "s.db", "--limit", "1", input="\n3\n")
    assert reviewed.exit_code == 0, reviewed


def test_a_usable_memory_state_is_kept(notes: Path, run: Runner, deck: Path) -> None:
    anki = studied_collection(
        deck, Path("kept.anki2"), REVIEWED, IN_REVIEW.format(data='{{"s":7.25,"d":4.5}}')
    )
    assert run("pull", str(anki), "--state", "s.db").exit_code == 0
    card = _card(Path("s.db"))
    assert (card["stability"], card["difficulty"], card["interval"]) == (7.25, 4.5, 5)


REFUSED = [
    # An answer dated in the year 10000, and at the end of Anki's id range.
    (
        "year10000",
        ["insert into revlog values (253402300800000,{cid},-1,3,1,0,2500,1000,0)"],
        "Anki's review log has an entry (id 253402300800000) dated outside the years 1970 to "
        "9999, which Anki never writes",
    ),
    (
        "idmax",
        ["insert into revlog values (9223372036854775807,{cid},-1,3,1,0,2500,1000,0)"],
        "Anki's review log has an entry (id 9223372036854775807) dated outside the years 1970",
    ),
    # A card in a deck the collection no longer has (its home deck, for a filtered one).
    (
        "nodeck",
        [LEARNT, "update cards set did=123456 where id={cid}"],
        "is in deck 123456, which the collection does not have: let Anki repair it",
    ),
    (
        "noodeck",
        [LEARNT, "update cards set odid=123457 where id={cid}"],
        "is in deck 123457, which the collection does not have: let Anki repair it",
    ),
]


@pytest.mark.parametrize(("name", "sql", "said"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_collection_anki_never_writes_is_refused_in_one_line(
    notes: Path, run: Runner, deck: Path, name: str, sql: list[str], said: str
) -> None:
    anki = studied_collection(deck, Path(f"{name}.anki2"), *sql)
    pulled = run("pull", str(anki), "--state", "s.db")
    assert pulled.exit_code == 1, pulled
    assert pulled.exception is None, pulled.exception
    [line] = pulled.stderr.splitlines()
    assert line.startswith(f"{name}.anki2: error: "), line
    assert said in line, line
    assert not Path("s.db").exists(), "the store is left untouched"


# Values no Anki writes on a card or a log entry of studykit's notes (Anki itself cannot read the
# first three: its Check Database stops on such a card): the card or entry is named.
NEVER_WRITTEN = [
    (
        "cardtype",
        [LEARNT, "update cards set type=9"],
        "Anki card {cid} has type 9, which Anki never writes: pull a backup from before it was "
        "changed",
    ),
    (
        "cardqueue",
        [LEARNT, "update cards set queue=-9 where id={cid}"],
        "Anki card {cid} has queue -9, which Anki never writes: pull a backup from before it "
        "was changed",
    ),
    (
        "logtype",
        ["insert into revlog values ({now}-5000,{cid},-1,3,1,0,2500,1000,77)"],
        "Anki's review log has an entry (id {rid}) on card {cid} with type 77, which Anki never "
        "writes: pull a backup from before it was changed",
    ),
    (
        "logbutton",
        ["insert into revlog values ({now}-5000,{cid},-1,9,1,0,2500,1000,0)"],
        "Anki's review log has an entry (id {rid}) on card {cid} with button 9, which Anki "
        "never writes: pull a backup from before it was changed",
    ),
    (
        "logfactor",
        ["insert into revlog values ({now}-5000,{cid},-1,3,1,0,'x',1000,1)"],
        "Anki's review log has an entry (id {rid}) on card {cid} with ease factor 'x', which Anki "
        "never writes: pull a backup from before it was changed",
    ),
    # Not whole numbers, which Anki cannot read either (1e999: SQLite's infinity).
    (
        "cardtext",
        [LEARNT, "update cards set ivl='x' where id={cid}"],
        "Anki card {cid} has interval 'x', which Anki never writes: pull a backup from before "
        "it was changed",
    ),
    (
        "loginfinite",
        ["insert into revlog values ({now}-5000,{cid},-1,3,1,0,2500,1e999,0)"],
        "Anki's review log has an entry (id {rid}) on card {cid} with time inf, which Anki "
        "never writes: pull a backup from before it was changed",
    ),
]


@pytest.mark.parametrize(("name", "sql", "said"), NEVER_WRITTEN, ids=[n[0] for n in NEVER_WRITTEN])
def test_a_card_or_answer_of_values_anki_never_writes_is_refused_naming_it(
    notes: Path, run: Runner, deck: Path, name: str, sql: list[str], said: str
) -> None:
    good = studied_collection(deck, Path("good.anki2"), LEARNT)
    assert run("pull", str(good), "--state", "s.db").exit_code == 0
    before = _dump(Path("s.db"))
    anki = studied_collection(deck, Path(f"{name}.anki2"), *sql)
    with sqlite3.connect(anki) as db:
        [(cid, rid)] = db.execute("select min(id), (select max(id) from revlog) from cards")
    pulled = run("pull", str(anki), "--state", "s.db")
    assert pulled.exit_code == 1, pulled
    assert pulled.exception is None, pulled.exception
    assert pulled.stdout == ""
    assert pulled.stderr == f"{name}.anki2: error: {said.format(cid=cid, rid=rid)}\n"
    assert _dump(Path("s.db")) == before, "the store is left untouched"


def test_a_card_number_no_note_of_ours_has_is_ignored_and_counted(
    notes: Path, run: Runner, deck: Path
) -> None:
    # The first card answered, then given a number its note does not have (500, and -3 on a
    # second card); a third card answered as Anki made it.
    anki = studied_collection(
        deck,
        Path("ords.anki2"),
        LEARNT,
        f"insert into revlog values ({{now}}-4000,{SECOND},-1,3,1,0,2500,1000,0)",
        "insert into revlog values ({now}-3000,(select max(id) from cards),-1,1,-600,0,2500,"
        "1000,0)",
        "update cards set ord=500 where id={cid}",
        f"update cards set ord=-3 where id={SECOND}",
    )
    with sqlite3.connect(anki) as db:
        [(guid, number)] = db.execute(
            "select n.guid, c.ord from cards c join notes n on n.id = c.nid "
            "where c.id = (select max(id) from cards)"
        )
    pulled = run("pull", str(anki), "--state", "s.db")
    assert pulled.exit_code == 0, pulled
    assert pulled.stdout.splitlines()[:2] == [
        "pulled ords.anki2: 1 answer merged, 1 card updated",
        "ignored 0 notes studykit did not make and 2 cards your notes do not have; "
        # The demo's 12 cards less the one answered: the two renumbered are unseen by their own.
        "11 studykit cards Anki has not seen",
    ]
    assert [(row.guid, row.card, row.rating) for row in _pulled(Path("s.db"))] == [
        (guid, number, 1)
    ]
    with sqlite3.connect("s.db") as db:
        assert db.execute("select guid, card from cards").fetchall() == [(guid, number)]
    again = run("pull", str(anki), "--state", "s.db", "--json")
    assert again.exit_code == 0, again
    report = json.loads(again.stdout)
    assert (report["ignored_cards"], report["answers_merged"]) == (2, 0)


def _pulled(store: Path) -> list[Any]:
    """Every answer the store holds as pulled from Anki."""
    from studykit.review.store import open_for_reading

    opened = open_for_reading(store)
    assert opened is not None
    try:
        return opened.pulled()
    finally:
        opened.close()


def _dump(store: Path) -> list[str]:
    db = sqlite3.connect(store)
    try:
        return list(db.iterdump())
    finally:
        db.close()


HANDLED = [
    # A review interval far beyond the maximum: taken as the maximum, 36,500 days.
    ("ivl1e9", ["insert into revlog values ({now}-5000,{cid},-1,3,1000000000,0,2500,1000,1)"]),
    ("ivl3e6", ["insert into revlog values ({now}-5000,{cid},-1,3,3000000,0,2500,1000,1)"]),
    # Due dates beyond the calendar: the card's state is replayed from its log.
    ("duemin", [LEARNT, "update cards set type=2,queue=2,due=-2147483648,ivl=5 where id={cid}"]),
    (
        "learnlow",
        [LEARNT, "update cards set type=1,queue=1,due=-9223372036854775807 where id={cid}"],
    ),
    (
        "learnhigh",
        [LEARNT, "update cards set type=1,queue=1,due=9223372036854775807 where id={cid}"],
    ),
    ("crt", [LEARNT, "update col set crt=-99999999999"]),
]


@pytest.mark.parametrize(("name", "sql"), HANDLED, ids=[h[0] for h in HANDLED])
def test_odd_intervals_and_due_dates_are_bounded(
    notes: Path, run: Runner, deck: Path, name: str, sql: list[str]
) -> None:
    anki = studied_collection(deck, Path(f"{name}.anki2"), *sql)
    pulled = run("pull", str(anki), "--state", "s.db")
    assert pulled.exit_code == 0, pulled
    assert pulled.stdout.startswith(f"pulled {name}.anki2: 1 answer merged, 1 card updated"), pulled
    card = _card(Path("s.db"))
    # One Good from new, as the log has it: the second learning step.
    assert (card["phase"], card["step"], card["stability"]) == (1, 1, 2.3065)
    if name.startswith("ivl"):  # the answer as logged: the maximum interval
        [row] = _pulled(Path("s.db"))
        assert row.interval == 36_500
    for command in ("stats", "list"):
        shown = run(command, "--state", "s.db")
        assert shown.exit_code == 0, shown


PRESETS = [
    ("zeros", [0.0] * 21, "parameters outside FSRS's bounds"),
    ("w20zero", [*[0.4] * 4, 5.0, *[0.4] * 15, 0.0], "parameters outside FSRS's bounds"),
    ("huge", [1e30] * 21, "parameters outside FSRS's bounds"),
    ("tiny", [1e-30] * 21, "parameters outside FSRS's bounds"),
]


@pytest.mark.parametrize(("name", "parameters", "said"), PRESETS, ids=[p[0] for p in PRESETS])
def test_a_preset_with_unusable_parameters_gives_way_to_fsrs_defaults(
    notes: Path, run: Runner, deck: Path, name: str, parameters: list[float], said: str
) -> None:
    anki = studied_collection(deck, Path(f"{name}.anki2"), LEARNT, parameters=parameters)
    pulled = run("pull", str(anki), "--state", "s.db")
    assert pulled.exit_code == 0, pulled
    assert (
        f"Anki preset 'Default' has {said}, which Anki never writes: FSRS's default settings "
        "are used in its place"
    ) in pulled.stdout.splitlines(), pulled
    assert "FSRS's default parameters" in pulled.stdout
    card = _card(Path("s.db"))
    assert (card["stability"], card["difficulty"]) == (2.3065, 2.118)
    assert run("review", "--state", "s.db", "--limit", "1", input="\n3\n").exit_code == 0


@pytest.mark.parametrize(
    ("stored", "said"),
    [
        ([None] * 21, "parameters that are not numbers"),  # infinities, as JSON writes them
        (["0.2"] * 21, "parameters that are not numbers"),
        ([True] * 21, "parameters that are not numbers"),
    ],
)
def test_a_preset_of_values_that_are_not_numbers_gives_way_to_fsrs_defaults(
    stored: list[object], said: str
) -> None:
    from studykit.anki.collection_cards import _preset
    from studykit.review.scheduler import PARAMETERS

    preset = _preset({"name": "Mine", "fsrsParams6": stored, "desiredRetention": 0.85})
    assert (preset.parameters, preset.retention, preset.own) == (PARAMETERS, 0.85, False)
    assert preset.unusable == said


def test_a_desired_retention_outside_0_to_1_gives_way_to_090() -> None:
    from studykit.anki.collection_cards import _preset

    preset = _preset({"name": "Mine", "desiredRetention": 1e30})
    assert (preset.retention, preset.unusable) == (0.9, "a desired retention outside 0 to 1")


def _pull_signalled(deck: Path, tmp_path: Path, number: signal.Signals) -> tuple[Path, str, int]:
    """A pull of a backup signalled mid-way: its scratch folder ($TMPDIR), its errors, its
    exit code."""
    from anki.collection import Collection

    anki = studied_collection(deck, tmp_path / "c.anki2", LEARNT)
    col = Collection(str(anki))
    try:
        col.export_collection_package(str(tmp_path / "backup.colpkg"), False, False)
    finally:
        col.close()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "studykit", "pull", "backup.colpkg", "--state", "s.db"],
        env={**os.environ, "TMPDIR": str(scratch)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # The scratch folder is made before the collection is unpacked and read (and before the
    # `anki` package is imported): signalled as soon as it is there, the pull is mid-way.
    deadline = time.monotonic() + 60
    while not list(scratch.glob("studykit-pull-*")) and process.poll() is None:
        assert time.monotonic() < deadline, "no scratch folder within 60 s"
        time.sleep(0.002)
    assert process.poll() is None, "the pull ended before it could be signalled"
    process.send_signal(number)
    _, stderr = process.communicate(timeout=60)
    return scratch, stderr, process.returncode


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_a_pull_ended_by_a_signal_removes_its_unpacked_copy(
    notes: Path, deck: Path, tmp_path: Path, number: signal.Signals
) -> None:
    scratch, stderr, code = _pull_signalled(deck, tmp_path, number)
    assert list(scratch.iterdir()) == [], "the unpacked copy is removed"
    assert code == 128 + number, stderr
    assert "Traceback" not in stderr, stderr
    assert not Path("s.db").exists(), "nothing was written"


def test_a_pull_killed_outright_leaves_its_copy_to_the_next_pull(
    notes: Path, deck: Path, tmp_path: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch, stderr, code = _pull_signalled(deck, tmp_path, signal.SIGKILL)
    assert code == -signal.SIGKILL, stderr
    [left] = scratch.iterdir()
    # Another pull's folder of a process that still runs (this one) is left alone.
    running = scratch / f"studykit-pull-{os.getpid()}-abcd1234"
    running.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", None)  # read $TMPDIR again
    again = run("pull", "backup.colpkg", "--state", "s.db")
    assert again.exit_code == 0, again
    assert list(scratch.iterdir()) == [running], f"{left.name} is removed"


def test_log_values_beyond_ankis_columns_are_carried_back_within_them(
    notes: Path, run: Runner, deck: Path, tmp_path: Path
) -> None:
    """Anki keeps a log entry's intervals and factor in 32-bit columns, and refuses to import a
    whole deck whose log holds a larger one: pulled, such values are bounded, so the deck that
    carries them back imports."""
    from anki.collection import Collection, ImportAnkiPackageRequest
    from anki.import_export_pb2 import ImportAnkiPackageOptions

    huge = "insert into revlog values ({now}-5000,{cid},-1,3,1,-1099511627776,1099511627776,1000,0)"
    anki = studied_collection(deck, Path("huge.anki2"), huge)
    assert run("pull", str(anki), "--state", "s.db").exit_code == 0
    built = run("deck", "--with-progress", "--state", "s.db", "-o", "carried.apkg")
    assert built.exit_code == 0, built
    col = Collection(str(tmp_path / "fresh.anki2"))
    try:
        options = ImportAnkiPackageOptions(with_scheduling=True)
        col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(Path("carried.apkg").resolve()), options=options
            )
        )
        assert col.db.all("SELECT lastIvl, factor FROM revlog") == [[-(2**31 - 1), 2**31 - 1]]
    finally:
        col.close()
    # A store changed by hand to hold a larger one is refused in one line, as Anki would; so
    # is one whose packed answers were cut short.
    from studykit.review.store import RECORD

    with sqlite3.connect("s.db") as db:
        [(answers,)] = db.execute("SELECT answers FROM pulled").fetchall()
        values = list(RECORD.unpack(answers))
        values[-2] = -(2**31)  # Anki's factor: the 32-bit columns' end, which a pull bounds
        db.execute("UPDATE pulled SET answers = ?", (RECORD.pack(*values),))
    db.close()
    refused = run("deck", "--with-progress", "--state", "s.db", "-o", "again.apkg")
    assert refused.exit_code == 1, refused
    [line] = refused.stderr.splitlines()
    assert line.startswith("s.db: error: a row of the review store is not one studykit wrote"), line
    assert not Path("again.apkg").exists()
    with sqlite3.connect("s.db") as db:
        db.execute("UPDATE pulled SET answers = substr(answers, 1, 10)")
    db.close()
    refused = run("deck", "--with-progress", "--state", "s.db", "-o", "again.apkg")
    assert refused.exit_code == 1, refused
    [line] = refused.stderr.splitlines()
    assert line.startswith("s.db: error: a row of the review store is not one studykit wrote"), line
    assert not Path("again.apkg").exists()


def test_a_pull_refused_makes_no_store_folder(notes: Path, run: Runner, deck: Path) -> None:
    """The default store's folder (and its `.gitignore`) is made once the notes and the file
    are read: a missing file, a file that is no collection or broken notes make nothing."""
    store = notes.parent / ".studykit"
    Path("notes.txt").write_text("not a collection\n", encoding="utf-8")
    good = studied_collection(deck, Path("good.anki2"), LEARNT)
    for file in ("missing.colpkg", "notes.txt"):
        refused = run("pull", file)
        assert refused.exit_code == 1 and refused.stderr.startswith(f"{file}: error: "), refused
        assert not store.exists(), file
    section = notes / "demo" / "01-basics.yaml"
    kept = section.read_text(encoding="utf-8")
    section.write_text(kept + "points: [\n", encoding="utf-8")
    broken = run("pull", str(good))
    assert broken.exit_code == 1 and "01-basics.yaml" in broken.stderr, broken
    assert not store.exists(), "broken notes"
    section.write_text(kept, encoding="utf-8")
    pulled = run("pull", str(good))
    assert pulled.exit_code == 0, pulled
    assert (store / ".gitignore").is_file() and (store / "review.db").is_file()
