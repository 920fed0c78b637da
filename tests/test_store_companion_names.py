"""A review store never takes a second store for its own write-ahead log, index or journal.

SQLite keeps `-wal`, `-shm` and `-journal` beside a database and deletes or overwrites what it
finds there as its own. A second store named `--state s.db-wal` was accepted, and the next
review of `s.db` deleted it with its history. Such a name is refused, and a database already
lying at a companion's place stops the store from being opened, both in one line.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import Runner

NOW = "2026-03-02T09:00:00+01:00"
ONE_ANSWER = "\n3\nq\n"


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYKIT_NOW", NOW)
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)


def _answers(store: Path) -> int:
    db = sqlite3.connect(f"{store.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return int(db.execute("SELECT COUNT(*) FROM reviews").fetchone()[0])
    finally:
        db.close()


@pytest.mark.parametrize("ending", ["-wal", "-shm", "-journal", ".lock"])
def test_a_store_named_as_another_stores_companion_is_refused(
    notes: Path, run: Runner, ending: str
) -> None:
    result = run("review", "--limit", "1", "--state", "s.db", input=ONE_ANSWER)
    assert result.exit_code == 0, result
    for command in (["review", "--limit", "1"], ["stats"], ["list"]):
        refused = run(*command, "--state", f"s.db{ending}", input=ONE_ANSWER)
        assert refused.exit_code == 2, refused
        assert f"--state 's.db{ending}' names a file SQLite or studykit keeps beside a store" in (
            refused.output
        ), refused
        assert "e.g. s.db" in refused.output, refused
    assert not Path(f"s.db{ending}-wal").exists()
    assert _answers(Path("s.db")) == 1


@pytest.mark.parametrize("ending", ["-wal", "-shm", "-journal"])
def test_a_database_at_a_companions_place_is_left_and_the_store_not_opened(
    notes: Path, run: Runner, ending: str
) -> None:
    result = run("review", "--limit", "1", "--state", "a.db", input=ONE_ANSWER)
    assert result.exit_code == 0, result
    # A second store with its answer, put where the first one's companion goes (by hand, or by
    # an earlier version that accepted the name).
    result = run("review", "--limit", "1", "--state", "b.db", input=ONE_ANSWER)
    assert result.exit_code == 0, result
    shutil.move("b.db", f"a.db{ending}")
    second = Path(f"a.db{ending}").read_bytes()
    line = f"a.db{ending} beside it is a SQLite database of its own (a review store named there?)"
    for command in (["review", "--limit", "1"], ["stats"], ["deck", "--with-progress"]):
        refused = run(*command, "--state", "a.db", input="q\n")
        assert refused.exit_code == 1, (command, refused)
        assert f"a.db: error: {line}" in refused.output, refused
    # `list` lists the notes and says why it shows no progress.
    listed = run("list", "--state", "a.db")
    assert listed.exit_code == 0 and line in listed.stderr, listed
    assert Path(f"a.db{ending}").read_bytes() == second, "the second store is untouched"
    assert _answers(Path("a.db")) == 1
