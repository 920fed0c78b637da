"""The package writer, read back by Anki's own library the way a student's Anki imports it."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from anki.collection import Collection
from anki_helpers import import_deck, visible_text

from studykit.anki.apkg import Deck, NoteType, PackagedNote, Template, deck_id_for, write_package
from studykit.errors import StudykitError

if TYPE_CHECKING:  # anki.cards alone cannot be imported first: it imports anki.collection
    from anki.cards import Card
    from anki.notes import NoteId

NOW = 1_700_000_000  # in the past: Anki rewrites note and card ids that lie in the future

BASIC = NoteType(
    id=1_700_000_101,
    name="apkg test Basic",
    fields=("Front", "Back"),
    templates=(Template("Card 1", "{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}"),),
    css=".card { color: black; }",
)
BOTH_WAYS = NoteType(
    id=1_700_000_102,
    name="apkg test Both ways",
    fields=("Front", "Back"),
    templates=(
        Template("Forward", "{{Front}}", "{{Back}}"),
        Template("Back", "{{Back}}", "{{Front}}"),
    ),
    css="",
)
CLOZE = NoteType(
    id=1_700_000_103,
    name="apkg test Cloze",
    fields=("Text", "Extra"),
    templates=(Template("Cloze", "{{cloze:Text}}", "{{cloze:Text}}<br>{{Extra}}"),),
    css="",
    cloze=True,
)
GEOGRAPHY = Deck(deck_id_for("Course::Geography"), "Course::Geography")
HISTORY = Deck(deck_id_for("Course::History::Rome"), "Course::History::Rome")


def basic(guid: str, front: str, back: str = "A.", deck: Deck = GEOGRAPHY) -> PackagedNote:
    return PackagedNote(guid, BASIC, deck.id, (front, back), ("geo",), (0,), NOW)


# Input order deliberately differs from GUID and deck order: new cards must keep input order.
NOTES = [
    basic("n-zeta", "Capital of France?", "Paris"),
    PackagedNote("n-alpha", BOTH_WAYS, HISTORY.id, ("Romulus", "Founder of Rome"), (), (0, 1), NOW),
    PackagedNote(
        "n-mu",
        CLOZE,
        GEOGRAPHY.id,
        ("{{c1::Paris}} is in {{c2::France}}, in {{c3::Europe}}", "extra"),
        ("geo", "cloze"),
        (0, 2),  # no card for c2
        NOW,
    ),
    basic("n-beta", "Capital of Italy?", "Rome", HISTORY),
]


@pytest.fixture
def col(tmp_path: Path) -> Iterator[Collection]:
    """A fresh collection that has imported a package of NOTES."""
    apkg = tmp_path / "deck.apkg"
    write_package(apkg, NOTES, [GEOGRAPHY, HISTORY], now=NOW)
    collection = import_deck(apkg, tmp_path / "collection.anki2")
    yield collection
    collection.close()


def note_id(col: Collection, guid: str) -> NoteId:
    assert col.db is not None, "the collection is open"
    found: NoteId = col.db.scalar("SELECT id FROM notes WHERE guid = ?", guid)
    return found


def package_rows(apkg: Path, query: str) -> list[tuple[Any, ...]]:
    """Rows of a query on the collection database inside the package, as Anki would read it."""
    database = apkg.with_suffix(".unzipped.anki2")
    database.write_bytes(zipfile.ZipFile(apkg).read("collection.anki2"))
    connection = sqlite3.connect(database)
    try:
        return connection.execute(query).fetchall()
    finally:
        connection.close()


def cards_of(col: Collection, guid: str) -> list[Card]:
    """The cards of the note with this GUID, by ordinal."""
    return sorted(col.get_note(note_id(col, guid)).cards(), key=lambda card: card.ord)


def test_every_note_and_card_is_imported(col: Collection) -> None:
    assert col.note_count() == 4, "four notes were written"
    assert col.card_count() == 6, "1 basic + 2 both-ways + 2 listed clozes + 1 basic = 6 cards"


def test_decks_and_their_parents_exist(col: Collection) -> None:
    names = {deck.name for deck in col.decks.all_names_and_ids()}
    expected = {"Course", "Course::Geography", "Course::History", "Course::History::Rome"}
    assert expected <= names, f"missing decks: {expected - names}"
    deck_of_card = col.decks.name(cards_of(col, "n-beta")[0].did)
    assert deck_of_card == "Course::History::Rome", "a card goes to its note's deck"


def test_the_package_itself_names_every_parent_deck(tmp_path: Path) -> None:
    # Anki would add missing parents on import; other readers of the package might not.
    apkg = tmp_path / "deck.apkg"
    write_package(apkg, NOTES, [GEOGRAPHY, HISTORY], now=NOW)
    [(decks_json,)] = package_rows(apkg, "SELECT decks FROM col")
    decks = {deck["name"]: deck["id"] for deck in json.loads(decks_json).values()}
    assert decks.keys() >= {"Course", "Course::History"}, f"parents missing among {sorted(decks)}"
    assert decks["Course"] == deck_id_for("Course"), "a parent's id derives from its name"


def test_a_standard_card_shows_its_fields(col: Collection) -> None:
    (card,) = cards_of(col, "n-zeta")
    assert visible_text(card.question()) == "Capital of France?"
    assert visible_text(card.answer()) == "Capital of France? Paris"
    assert "color: black" in card.question(), "the note type's CSS comes with the card"


def test_a_two_template_note_makes_both_cards(col: Collection) -> None:
    forward, backward = cards_of(col, "n-alpha")
    assert visible_text(forward.question()) == "Romulus"
    assert visible_text(backward.question()) == "Founder of Rome"


def test_a_cloze_note_makes_a_card_per_listed_deletion(col: Collection) -> None:
    first, third = cards_of(col, "n-mu")
    assert (first.ord, third.ord) == (0, 2), "cards for c1 and c3 only, as listed"
    assert visible_text(first.question()) == "[...] is in France, in Europe"
    assert visible_text(first.answer()) == "Paris is in France, in Europe extra"
    assert visible_text(third.question()) == "Paris is in France, in [...]"


def test_new_cards_come_in_input_order(col: Collection) -> None:
    by_due = sorted(
        (col.get_card(cid) for cid in col.find_cards("is:new")), key=lambda card: card.due
    )
    order = [(card.note().guid, card.ord) for card in by_due]
    expected = [("n-zeta", 0), ("n-alpha", 0), ("n-alpha", 1), ("n-mu", 0), ("n-mu", 2)]
    assert order == [*expected, ("n-beta", 0)], "new cards are due in note order, then ordinal"


def test_note_types_keep_their_ids_and_tags_their_words(col: Collection) -> None:
    note = col.get_note(note_id(col, "n-mu"))
    assert note.mid == CLOZE.id, "Anki keeps a new note type's id, so later imports match it"
    assert sorted(note.tags) == ["cloze", "geo"]


def test_media_reach_the_collection(tmp_path: Path) -> None:
    picture = tmp_path / "source" / "any name.png"
    picture.parent.mkdir()
    picture.write_bytes(b"\x89PNG not really")
    note = basic("n-pic", 'Where? <img src="map.png">')
    apkg = tmp_path / "deck.apkg"
    write_package(apkg, [note], [GEOGRAPHY], {"map.png": picture}, now=NOW)
    collection = import_deck(apkg, tmp_path / "collection.anki2")
    try:
        copied = Path(collection.media.dir()) / "map.png"
        assert copied.read_bytes() == picture.read_bytes(), "the media file is stored by its name"
    finally:
        collection.close()


def test_reimport_with_newer_mod_updates_the_note_in_place(tmp_path: Path) -> None:
    first = basic("n-same", "Capital of Spain?", "Madird")
    fixed = replace(first, fields=("Capital of Spain?", "Madrid"), mod=NOW + 60)
    write_package(tmp_path / "v1.apkg", [first], [GEOGRAPHY], now=NOW)
    write_package(tmp_path / "v2.apkg", [fixed], [GEOGRAPHY], now=NOW + 60)
    import_deck(tmp_path / "v1.apkg", tmp_path / "c.anki2").close()
    collection = import_deck(tmp_path / "v2.apkg", tmp_path / "c.anki2")
    try:
        assert collection.note_count() == 1, "the GUID matched: no second note"
        assert collection.card_count() == 1
        note = collection.get_note(collection.find_notes("")[0])
        assert note["Back"] == "Madrid", "a newer mod updates the note's fields"
    finally:
        collection.close()


def test_reimport_with_the_same_mod_keeps_the_note(tmp_path: Path) -> None:
    first = basic("n-same", "Capital of Spain?", "Madrid")
    changed = replace(first, fields=("Capital of Spain?", "Changed"))
    write_package(tmp_path / "v1.apkg", [first], [GEOGRAPHY], now=NOW)
    write_package(tmp_path / "v2.apkg", [changed], [GEOGRAPHY], now=NOW + 60)
    import_deck(tmp_path / "v1.apkg", tmp_path / "c.anki2").close()
    collection = import_deck(tmp_path / "v2.apkg", tmp_path / "c.anki2")
    try:
        note = collection.get_note(collection.find_notes("")[0])
        assert note["Back"] == "Madrid", "Anki updates only when the note's mod is newer"
    finally:
        collection.close()


def test_sort_field_and_checksum_are_what_anki_computes(tmp_path: Path) -> None:
    fronts = [
        "Plain",
        "  spaced  ",
        "<b>Bold</b> &amp; x&nbsp;y",
        "Map <img src='m.png'> here<!-- note --><style>p {}</style>",
        "&lt;tag&gt; &foo; stays as written: one unknown entity stops all decoding",
        "e\u0301 is decomposed; Anki composes it first",
    ]
    notes = [basic(f"n{i}", front) for i, front in enumerate(fronts)]
    apkg = tmp_path / "deck.apkg"
    write_package(apkg, notes, [GEOGRAPHY], now=NOW)
    query = "SELECT guid, sfld, csum FROM notes ORDER BY guid"
    ours = package_rows(apkg, query)
    collection = import_deck(apkg, tmp_path / "collection.anki2")
    try:
        assert collection.db is not None
        theirs = [tuple(row) for row in collection.db.all(query)]
    finally:
        collection.close()
    assert ours == theirs, "sfld and csum as Anki computes them for the same fields"


def test_same_input_same_bytes(tmp_path: Path) -> None:
    write_package(tmp_path / "a.apkg", NOTES, [GEOGRAPHY, HISTORY], now=NOW)
    write_package(tmp_path / "b.apkg", NOTES, [GEOGRAPHY, HISTORY], now=NOW)
    assert (tmp_path / "a.apkg").read_bytes() == (tmp_path / "b.apkg").read_bytes()


@pytest.mark.parametrize(
    ("notes", "problem"),
    [
        ([basic("same", "Q1?"), basic("same", "Q2?")], "two notes with GUID 'same'"),
        ([replace(NOTES[0], fields=("only one",))], "1 fields for apkg test Basic"),
        ([replace(NOTES[0], cards=(1,))], r"cards \(1,\)"),
        ([replace(NOTES[0], cards=())], r"cards \(\)"),
        ([replace(NOTES[1], cards=(0, 0))], r"cards \(0, 0\)"),
        ([replace(NOTES[2], cards=(3,))], r"cards \(3,\), deletions \[1, 2, 3\]"),
        ([replace(NOTES[0], deck_id=42)], "unknown deck 42"),
        ([replace(NOTES[0], tags=("two words",))], "a tag is one word"),
        ([replace(NOTES[0], fields=("Q\x1fsneaky", "A"))], "must not contain"),
    ],
)
def test_refused_notes_leave_an_existing_package_untouched(
    tmp_path: Path, notes: list[PackagedNote], problem: str
) -> None:
    apkg = tmp_path / "deck.apkg"
    apkg.write_bytes(b"the previous deck")
    with pytest.raises(ValueError, match=problem):
        write_package(apkg, notes, [GEOGRAPHY, HISTORY], now=NOW)
    assert apkg.read_bytes() == b"the previous deck", "a refused write keeps the old package"
    assert [p.name for p in tmp_path.iterdir()] == ["deck.apkg"], "no temporary file is left"


@pytest.mark.parametrize(
    ("decks", "problem"),
    [
        ([GEOGRAPHY, replace(GEOGRAPHY, id=7)], "two decks named"),
        ([GEOGRAPHY, replace(HISTORY, id=GEOGRAPHY.id)], "two decks with id"),
        ([GEOGRAPHY, Deck(7, "Course::::Empty")], "empty part"),
    ],
)
def test_inconsistent_decks_are_refused(tmp_path: Path, decks: list[Deck], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        write_package(tmp_path / "deck.apkg", [basic("n", "Q?")], decks, now=NOW)
    assert list(tmp_path.iterdir()) == [], "nothing is written"


@pytest.mark.parametrize(
    ("note_type", "problem"),
    [
        (replace(BASIC, css="changed"), "two note types with id"),
        (replace(BASIC, id=7, fields=("Front", "Front")), "two fields with one name"),
        (replace(CLOZE, id=8, templates=CLOZE.templates * 2), "2 templates"),
    ],
)
def test_inconsistent_note_types_are_refused(
    tmp_path: Path, note_type: NoteType, problem: str
) -> None:
    other = replace(basic("other", "Q?"), note_type=note_type)
    with pytest.raises(ValueError, match=problem):
        write_package(tmp_path / "deck.apkg", [basic("n", "Q?"), other], [GEOGRAPHY], now=NOW)
    assert list(tmp_path.iterdir()) == [], "nothing is written"


def test_a_failure_while_writing_leaves_no_partial_file(tmp_path: Path) -> None:
    apkg = tmp_path / "deck.apkg"
    apkg.write_bytes(b"the previous deck")
    missing = {"map.png": tmp_path / "missing.png"}
    with pytest.raises(StudykitError, match="cannot write the deck: No such file or directory"):
        write_package(apkg, [basic("n", "Q?")], [GEOGRAPHY], missing, now=NOW)
    assert apkg.read_bytes() == b"the previous deck", "a failed write keeps the old package"
    assert [p.name for p in tmp_path.iterdir()] == ["deck.apkg"], "no temporary file is left"
