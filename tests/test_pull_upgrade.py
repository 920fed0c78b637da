"""A store of schema version 4 (a row per pulled answer), made by the studykit before answers
were packed a card a row (version 5): read as it is, brought up to date on opening, pulled
into again. `data/pulled-v4` holds it: the test notes studied in Anki with
`anki_pull_driver.py` (`test_pull.PLAN`, TZ=UTC), `backup.colpkg` pulled at
2025-06-01T09:00:00+00:00 by that studykit, with the notes' identity record it made;
`expected.json` is what that studykit's readers gave on the store (`_readings`), and
`stats.json` its `stats --json` at that moment."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import Runner

FIXTURE = Path(__file__).parent / "data" / "pulled-v4"
NOW = "2025-06-01T09:00:00+00:00"


def _readings(path: Path) -> dict[str, Any]:
    """What the store's readers give: the log as stats, optimize, review and a deck carrying
    progress read it."""
    from studykit.anki.progress import read_store
    from studykit.review.store import open_for_reading

    store = open_for_reading(path)
    assert store is not None
    day = datetime.fromisoformat("2025-05-20T04:00:00+00:00")
    keys = list(store.states())
    try:
        found = {
            "pulled": [list(r) for r in store.pulled()],
            "log": [
                [
                    list(r.key),
                    r.reading,
                    r.section,
                    int(r.grade),
                    r.time,
                    None if r.before_phase is None else int(r.before_phase),
                    r.source,
                ]
                for r in store.log()
            ],
            "log_since": [[list(r.key), r.time] for r in store.log("demo", day)],
            "answers": [list(r) for r in store.answers(keys)],
            "anki_ids": sorted(store.anki_ids()),
            "introduced": [
                store.introduced_since(datetime.fromisoformat(f"2025-03-{d:02d}T04:00:00+00:00"))
                for d in range(3, 10)
            ],
            "failed": sorted(
                map(list, store.failed_since(datetime.fromisoformat("2025-03-04T04:00:00+00:00")))
            ),
            "reviews": list(
                store.reviews_since(["demo"], datetime.fromisoformat("2025-04-01T04:00:00+00:00"))
            ),
        }
    finally:
        store.close()
    progress = read_store(path, datetime.fromisoformat(NOW))
    found["progress"] = [repr(entry) for entry in progress.log]
    result: dict[str, Any] = json.loads(json.dumps(found))  # as the expected JSON reads
    return result


@pytest.fixture
def old(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The version 4 store, with the notes it was pulled for, in a working folder."""
    shutil.copytree(Path(__file__).parent / "data" / "notes", tmp_path / "notes")
    shutil.copy(FIXTURE / "identities.lock", tmp_path / "notes" / "demo" / "identities.lock")
    shutil.copy(FIXTURE / "review.db", tmp_path / "review.db")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("STUDYKIT_NOW", NOW)
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)
    return tmp_path / "review.db"


def _version(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        return int(db.execute("PRAGMA user_version").fetchone()[0])
    finally:
        db.close()


def test_a_store_of_version_4_reads_as_it_did(old: Path, run: Runner) -> None:
    expected = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))
    assert _readings(old) == expected
    stats = run("stats", "--json", "--state", str(old))
    assert stats.exit_code == 0, stats
    assert json.loads(stats.stdout) == json.loads((FIXTURE / "stats.json").read_text())
    assert _version(old) == 4, "reading changes nothing"


def test_a_store_of_version_4_is_brought_up_to_date_and_reads_the_same(
    old: Path, run: Runner
) -> None:
    from studykit.review.store import RECORD, open_store

    open_store(old, datetime.fromisoformat(NOW)).store.close()
    assert _version(old) == 5
    db = sqlite3.connect(old)
    try:
        columns = [row[1] for row in db.execute("PRAGMA table_info(pulled)")]
        rows = db.execute("SELECT count(*), sum(length(answers)) FROM pulled").fetchone()
    finally:
        db.close()
    assert columns == ["guid", "card", "first_id", "last_id", "answers"]
    assert rows == (12, 66 * RECORD.size), "the 66 answers, packed on their 12 cards"
    expected = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))
    assert _readings(old) == expected
    stats = run("stats", "--json", "--state", str(old))
    assert json.loads(stats.stdout) == json.loads((FIXTURE / "stats.json").read_text())
    # Pulled again, the file it came from adds nothing and changes nothing.
    again = run("pull", str(FIXTURE / "backup.colpkg"), "--state", str(old))
    assert again.exit_code == 0, again
    assert again.stdout.splitlines()[0] == "pulled backup.colpkg: 0 answers merged, 0 cards updated"
    assert _readings(old) == expected


def test_a_fresh_pull_holds_what_the_brought_up_store_holds(old: Path, run: Runner) -> None:
    pulled = run("pull", str(FIXTURE / "backup.colpkg"), "--state", "fresh.db")
    assert pulled.exit_code == 0, pulled
    assert pulled.stdout.splitlines()[0] == (
        "pulled backup.colpkg: 66 answers merged, 11 cards updated"
    )
    expected = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))
    assert _readings(Path("fresh.db")) == expected


def test_a_store_that_cannot_be_brought_up_to_date_is_left_as_it_was(
    old: Path, run: Runner
) -> None:
    """A version 4 row changed by hand to hold what no pull writes (a rating of 300) stops the
    packing in one line naming the store; its transaction is rolled back whole, so the store
    is still of version 4 with every answer in its row."""
    db = sqlite3.connect(old)
    try:
        db.execute(
            "UPDATE pulled SET rating = 300 WHERE anki_id = (SELECT max(anki_id) FROM pulled)"
        )

        db.commit()
        before = db.execute("SELECT * FROM pulled ORDER BY anki_id").fetchall()
    finally:
        db.close()
    refused = run("pull", str(FIXTURE / "backup.colpkg"), "--state", str(old))
    assert refused.exit_code == 1, refused
    assert refused.exception is None, refused.exception
    [line] = refused.stderr.splitlines()
    assert line.startswith("review.db: error: a row of the review store is not one studykit "), line
    assert _version(old) == 4
    db = sqlite3.connect(old)
    try:
        assert db.execute("SELECT * FROM pulled ORDER BY anki_id").fetchall() == before
    finally:
        db.close()


def test_packed_answers_cut_short_are_refused_in_one_line(old: Path, run: Runner) -> None:
    """A card's packed answers changed by hand (cut mid-answer) are no answers studykit wrote:
    pulling again, `stats` and `optimize` each say so in one line naming the store, and the
    pull writes nothing."""
    pulled = run("pull", str(FIXTURE / "backup.colpkg"), "--state", "fresh.db")
    assert pulled.exit_code == 0, pulled
    db = sqlite3.connect("fresh.db")
    try:
        db.execute(
            "UPDATE pulled SET answers = substr(answers, 1, length(answers) - 3) "
            "WHERE rowid = (SELECT min(rowid) FROM pulled)"
        )
        db.commit()
        before = db.execute("SELECT * FROM pulled ORDER BY guid, card").fetchall()
    finally:
        db.close()
    for command in (
        ["pull", str(FIXTURE / "backup.colpkg")],
        ["stats"],
        ["optimize"],
    ):
        refused = run(*command, "--state", "fresh.db")
        assert refused.exit_code == 1, refused
        assert refused.exception is None, refused.exception
        [line] = refused.stderr.splitlines()
        assert line.startswith("fresh.db: error: a row of the review store is not one "), line
    db = sqlite3.connect("fresh.db")
    try:
        assert db.execute("SELECT * FROM pulled ORDER BY guid, card").fetchall() == before
    finally:
        db.close()
