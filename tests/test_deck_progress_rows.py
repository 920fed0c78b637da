"""`studykit deck --with-progress` on a review store whose rows were changed by hand or by another
program: a time taken beyond any number (SQLite keeps 1e999 as infinity) is the longest Anki
keeps, as 1e300 is; a card number or memory state studykit never writes stops the deck in one
line naming the store, with nothing written and the store as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import Runner

STORE = Path("progress.db")
TWO_ANSWERS = "\n3\n\n3\nq\n"  # Good on two new cards
CARRIED = "2 cards carry their terminal progress (2 answers)"


@pytest.fixture
def answered(notes: Path, run: Runner) -> Path:
    result = run("review", "--limit", "2", "--state", str(STORE), input=TWO_ANSWERS)
    assert result.exit_code == 0, result
    return STORE


def _change(store: Path, *statements: str) -> list[str]:
    """Run `statements` on the store; its rows afterwards, as SQL."""
    db = sqlite3.connect(store)
    try:
        for statement in statements:
            db.execute(statement)
        db.commit()
        return list(db.iterdump())
    finally:
        db.close()


def _revlog_times(apkg: Path, tmp: Path) -> list[int]:
    """The time taken of each answer Anki imports from the deck, oldest first."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    col = Collection(str(tmp / "anki.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(apkg.resolve()),
                options=ImportAnkiPackageOptions(with_scheduling=True),
            )
        )
        return [int(t) for t in col.db.list("select time from revlog order by id")]
    finally:
        col.close()


@pytest.mark.parametrize(
    ("first", "second", "times"),
    [
        ("1e999", "-1e999", [60_000, 0]),  # SQLite's infinities
        ("1e300", "-5", [60_000, 0]),  # as these were already taken
    ],
    ids=["infinite", "finite"],
)
def test_a_time_taken_beyond_any_number_is_the_longest_anki_keeps(
    answered: Path, run: Runner, tmp_path: Path, first: str, second: str, times: list[int]
) -> None:
    rows = _change(
        answered,
        f"update reviews set elapsed_ms = {first} where id = 1",
        f"update reviews set elapsed_ms = {second} where id = 2",
    )
    dry = run("deck", "--dry-run", "--with-progress", "--state", str(answered))
    assert dry.exit_code == 0, dry
    assert CARRIED in dry.stdout
    built = run("deck", "--with-progress", "--state", str(answered), "-o", "x.apkg")
    assert built.exit_code == 0, built
    assert CARRIED in built.stdout
    assert _revlog_times(Path("x.apkg"), tmp_path) == times
    assert _change(answered) == rows, "the store is only read"


# What each changed row gives the line (the card number 1e999 is SQLite's infinity).
REFUSED = [
    (
        "update reviews set card = 1e999",
        "OverflowError('cannot convert float infinity to integer')",
    ),
    (
        "update reviews set after = replace(after, '\"difficulty\": 2.118', '\"difficulty\": NaN')",
        "ValueError('a difficulty of nan')",
    ),
    (
        "update reviews set after = replace(after, '\"difficulty\": 2.118', "
        "'\"difficulty\": 1e999')",
        "ValueError('a difficulty of inf')",
    ),
    (
        "update cards set state = replace(state, '\"stability\": 2.3065', '\"stability\": 1e999')",
        "ValueError('a stability of inf')",
    ),
    (
        "update cards set state = replace(state, '\"reps\": 1', "
        "'\"reps\": 10000000000000000000000')",  # beyond Anki's 32-bit column
        "ValueError('10000000000000000000000 reps')",
    ),
]


@pytest.mark.parametrize(
    ("change", "found"), REFUSED, ids=["card", "difficulty-nan", "difficulty-inf", "s", "reps"]
)
@pytest.mark.parametrize("dry", [True, False], ids=["dry-run", "written"])
def test_a_number_studykit_never_writes_stops_the_deck_in_one_line(
    answered: Path, run: Runner, change: str, found: str, dry: bool
) -> None:
    rows = _change(answered, change)
    built = run(
        "deck",
        "--with-progress",
        "--state",
        str(answered),
        *(["--dry-run"] if dry else ["-o", "x.apkg"]),
    )
    assert built.exit_code == 1, built
    assert built.exception is None, built.exception
    assert built.stderr == (
        f"progress.db: error: a row of the review store is not one studykit wrote ({found}); "
        "it was left as it is: restore the store from a backup, or move it aside to start "
        "afresh\n"
    )
    assert not Path("x.apkg").exists()
    assert _change(answered) == rows, "the store is left as it is"
