"""`studykit pull` and cards suspended in Anki: a suspension follows the rule an older backup
follows. Suspending logs nothing in Anki, so a card suspended in an older backup and unsuspended
since does not come back suspended when the older backup is pulled after a newer one; a card
suspended since the last pull, in a newer file, does. Each collection is made by the `anki`
package from the deck `studykit deck` builds, its cards answered through Anki's scheduler."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from anki.collection import Collection
from anki_helpers import demo_deck, import_deck
from conftest import Runner


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_deck(tmp_path_factory.mktemp("deck"))


def _answer(col: Collection, cid: int) -> None:
    card = col.get_card(cid)
    card.start_timer()
    col.sched.answerCard(card, 3)  # Good
    time.sleep(0.01)  # each answer a moment of its own: Anki's log id is its millisecond


def _suspended(store: Path) -> set[tuple[str, int]]:
    with sqlite3.connect(store) as db:
        return {(g, c) for g, c in db.execute("SELECT guid, card FROM suspended")}


def _keys(col: Collection, *cids: int) -> list[tuple[str, int]]:
    return [
        (col.db.scalar("SELECT guid FROM notes WHERE id = ?", col.get_card(cid).nid), 0)
        for cid in cids
    ]


def _older_and_newer(deck: Path, folder: Path) -> tuple[tuple[str, int], tuple[str, int]]:
    """older.anki2: cards A and B answered, A suspended; newer.anki2: A unsuspended since and
    not answered again, B answered again. The keys of A and B."""
    col = import_deck(deck, folder / "collection.anki2")
    try:
        a, b = col.db.list("SELECT id FROM cards WHERE ord = 0 ORDER BY id")[:2]
        keys = _keys(col, a, b)
        _answer(col, a)
        _answer(col, b)
        col.sched.suspend_cards([a])
    finally:
        col.close()
    shutil.copyfile(folder / "collection.anki2", folder / "older.anki2")
    col = Collection(str(folder / "collection.anki2"))
    try:
        col.sched.unsuspend_cards([a])
        _answer(col, b)
    finally:
        col.close()
    shutil.copyfile(folder / "collection.anki2", folder / "newer.anki2")
    return keys[0], keys[1]


def test_an_older_backup_does_not_suspend_a_card_unsuspended_since(
    notes: Path, run: Runner, deck: Path, tmp_path: Path
) -> None:
    a, _ = _older_and_newer(deck, tmp_path)
    assert run("pull", "newer.anki2", "--state", "s.db").exit_code == 0
    assert _suspended(Path("s.db")) == set()
    older = run("pull", "older.anki2", "--state", "s.db")
    assert older.exit_code == 0, older
    assert older.stdout.splitlines() == [
        "pulled older.anki2: 0 answers merged, 0 cards updated",
        "ignored 0 notes studykit did not make; 10 studykit cards Anki has not seen",
        "kept 1 card as in the store, which holds later answers or changes to it than this "
        "file (reviewed in the terminal since, or an older backup)",
    ]
    assert _suspended(Path("s.db")) == set(), f"{a} was unsuspended in the newer file"
    # In the order they were made, the older file's suspension is taken.
    assert run("pull", "older.anki2", "--state", "t.db").exit_code == 0
    assert _suspended(Path("t.db")) == {a}


def test_a_card_suspended_since_the_last_pull_is_suspended(
    notes: Path, run: Runner, deck: Path, tmp_path: Path
) -> None:
    """Suspended in Anki after its last answer, which an earlier pull took in: the card's log
    has nothing new, the file's has (another card answered since)."""
    col = import_deck(deck, tmp_path / "collection.anki2")
    try:
        a, b = col.db.list("SELECT id FROM cards WHERE ord = 0 ORDER BY id")[:2]
        key = _keys(col, a)[0]
        _answer(col, a)
        _answer(col, b)
    finally:
        col.close()
    shutil.copyfile(tmp_path / "collection.anki2", tmp_path / "first.anki2")
    assert run("pull", "first.anki2", "--state", "s.db").exit_code == 0
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        col.sched.suspend_cards([a])
        _answer(col, b)
    finally:
        col.close()
    pulled = run("pull", "collection.anki2", "--state", "s.db")
    assert pulled.exit_code == 0, pulled
    assert pulled.stdout.splitlines() == [
        "pulled collection.anki2: 1 answer merged, 1 card updated",
        "ignored 0 notes studykit did not make; 10 studykit cards Anki has not seen",
        "suspended 1 card, as in Anki",
    ]
    assert _suspended(Path("s.db")) == {key}


def test_a_card_unsuspended_in_the_terminal_stays_so_when_the_same_file_is_pulled_again(
    notes: Path, run: Runner, deck: Path, tmp_path: Path
) -> None:
    a, _ = _older_and_newer(deck, tmp_path)
    assert run("pull", "older.anki2", "--state", "s.db").exit_code == 0
    assert _suspended(Path("s.db")) == {a}
    assert run("unsuspend", "--state", "s.db").exit_code == 0
    again = run("pull", "older.anki2", "--state", "s.db")
    assert again.exit_code == 0, again
    assert again.stdout.splitlines()[0] == "pulled older.anki2: 0 answers merged, 0 cards updated"
    assert "suspended" not in again.stdout
    assert _suspended(Path("s.db")) == set()
