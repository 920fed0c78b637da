"""The package writer's last guards and its atomic write, with Anki's library as the reader."""

from __future__ import annotations

from pathlib import Path

import pytest
from anki_helpers import import_deck

from studykit.apkg import Deck, PackagedNote, deck_id_for, write_package
from studykit.notetypes import QA

NOW = 1_800_000_000
DECK = Deck(deck_id_for("A::B::C"), "A::B::C")


def note(guid: str, front: str = "Q?") -> PackagedNote:
    return PackagedNote(guid, QA, DECK.id, (front, "A.", "", "src"), ("t",), (0,), NOW)


def test_parent_decks_are_written(tmp_path: Path) -> None:
    apkg = tmp_path / "x.apkg"
    write_package(apkg, [note("g1")], [DECK], now=NOW)
    col = import_deck(apkg, tmp_path / "c.anki2")
    names = {d.name for d in col.decks.all_names_and_ids()}
    assert {"A", "A::B", "A::B::C"} <= names
    col.close()


@pytest.mark.parametrize(
    ("notes", "problem"),
    [
        ([note("same"), note("same", "Other?")], "two notes with GUID 'same'"),
        ([PackagedNote("g", QA, DECK.id, ("only one",), (), (0,), NOW)], "1 fields"),
        ([PackagedNote("g", QA, DECK.id, ("Q", "A", "", "s"), (), (1,), NOW)], "cards (1,)"),
        ([PackagedNote("g", QA, 42, ("Q", "A", "", "s"), (), (0,), NOW)], "unknown deck"),
    ],
)
def test_guards_leave_an_existing_package_untouched(
    tmp_path: Path, notes: list[PackagedNote], problem: str
) -> None:
    apkg = tmp_path / "x.apkg"
    apkg.write_bytes(b"the previous deck")
    with pytest.raises(ValueError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        write_package(apkg, notes, [DECK], now=NOW)
    assert apkg.read_bytes() == b"the previous deck"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.apkg"]


def test_a_failure_while_writing_leaves_no_partial_file(tmp_path: Path) -> None:
    apkg = tmp_path / "x.apkg"
    apkg.write_bytes(b"the previous deck")
    with pytest.raises(FileNotFoundError):
        write_package(apkg, [note("g")], [DECK], {"m.png": tmp_path / "missing.png"}, now=NOW)
    assert apkg.read_bytes() == b"the previous deck"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.apkg"]
