"""A reading folder copied to start the next one carries its identity record: the two readings
would make the same Anki notes, so every command that builds or reviews refuses the copy, and
only the copy: the original builds and reviews as it did."""

from __future__ import annotations

import shutil
from pathlib import Path

from anki_helpers import import_deck
from conftest import Runner

from studykit.identity import RECORD_FILE

WEEK1 = (
    'title: A\nsummary: S.\npoints:\n  - id: main\n    text: "In {{1959}} the plenum met at '
    'Lushan."\n  - "The {{Great Leap Forward}} began in 1958."\n'
)
WEEK2 = (
    'title: A\nsummary: S.\npoints:\n  - id: main\n    text: "Photosynthesis happens in the '
    '{{chloroplast}}."\n  - "The {{Great Leap Forward}} began in 1958."\n'
)
# The record's header is four lines; its items follow in sorted order. One line says it all,
# at the first GUID the two records share.
EXPECTED = [
    f"notes/week2/{RECORD_FILE}:5:1: error: this GUID is also notes/week1/{RECORD_FILE} line "
    "5's (and 1 more of this record's, to line 6): a copied record makes the two readings one "
    f"set of Anki notes; delete notes/week2/{RECORD_FILE} (its cards get new identities) or "
    "the lines"
]


def _reading(folder: Path, title: str, section: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "reading.yaml").write_text(f"title: {title}\n", encoding="utf-8")
    (folder / "01-a.yaml").write_text(section, encoding="utf-8")


def _copied(here: Path, run: Runner) -> None:
    """week1 built, then copied to week2 and rewritten, as a student starts the next week."""
    _reading(here / "notes" / "week1", "Week 1", WEEK1)
    assert run("deck", "week1").exit_code == 0
    shutil.copytree(here / "notes" / "week1", here / "notes" / "week2")
    _reading(here / "notes" / "week2", "Week 2", WEEK2)


def _guids(record: Path) -> list[str]:
    return [x.split("\t")[1] for x in record.read_text(encoding="utf-8").splitlines() if "\t" in x]


def test_check_refuses_the_copy_once_per_clash(here: Path, run: Runner) -> None:
    _copied(here, run)
    result = run("check")
    assert result.exit_code == 1, result
    errors = [x for x in result.stderr.splitlines() if ": error: " in x]
    assert errors == EXPECTED
    one = run("check", "week2")
    assert one.exit_code == 1, one
    assert [x for x in one.stderr.splitlines() if ": error: " in x] == EXPECTED


def test_deck_of_the_copy_writes_nothing_and_the_original_builds(here: Path, run: Runner) -> None:
    _copied(here, run)
    week1 = here / "cards" / "week1.apkg"
    before = week1.read_bytes()
    record1 = (here / "notes" / "week1" / RECORD_FILE).read_bytes()
    record2 = (here / "notes" / "week2" / RECORD_FILE).read_bytes()
    result = run("deck", "week2")
    assert result.exit_code == 1, result
    assert [x for x in result.stderr.splitlines() if ": error: " in x] == EXPECTED
    everything = run("deck")
    assert everything.exit_code == 1, everything
    # The copy alone is refused, with the same line; week1 is not blamed for it.
    assert [x for x in everything.stderr.splitlines() if ": error: " in x] == EXPECTED
    assert everything.stdout.startswith("week1: up to date (cards/week1.apkg, 2 notes"), everything
    assert everything.stderr.endswith(
        "deck: not built: week2 (fix the errors above); up to date: week1\n"
    )
    assert run("deck", "week1").exit_code == 0
    assert not (here / "cards" / "week2.apkg").exists()
    assert not list((here / "cards").rglob("week2*"))
    assert week1.read_bytes() == before, "week1's deck is left as it was"
    assert (here / "notes" / "week1" / RECORD_FILE).read_bytes() == record1
    assert (here / "notes" / "week2" / RECORD_FILE).read_bytes() == record2


def test_review_of_the_copy_is_refused_and_of_the_original_goes_on(here: Path, run: Runner) -> None:
    _copied(here, run)
    result = run("review", "week2", input="3\nq\n")
    assert result.exit_code == 1, result
    assert [x for x in result.stderr.splitlines() if ": error: " in x] == EXPECTED
    assert "Traceback" not in result.output
    assert not (here / ".studykit").exists(), "a refused review makes no store"
    week1 = run("review", "week1", input="\n3\nq\n")
    assert week1.exit_code == 0, week1
    assert "Q: In [...] the plenum met at Lushan." in week1.stdout
    assert week1.stderr == ""


def test_deleting_the_copied_record_gives_the_copy_notes_of_its_own(
    here: Path, run: Runner, tmp_path: Path
) -> None:
    _copied(here, run)
    old = _guids(here / "notes" / "week1" / RECORD_FILE)
    (here / "notes" / "week2" / RECORD_FILE).unlink()
    assert run("check").exit_code == 0
    assert run("deck").exit_code == 0
    new = _guids(here / "notes" / "week2" / RECORD_FILE)
    assert len(new) == 2
    assert not set(new) & set(old)
    assert _guids(here / "notes" / "week1" / RECORD_FILE) == old
    collection = tmp_path / "anki" / "c.anki2"
    collection.parent.mkdir()
    import_deck(here / "cards" / "week1.apkg", collection).close()
    col = import_deck(here / "cards" / "week2.apkg", collection)
    try:
        fronts = sorted(col.get_note(n).fields[0] for n in col.find_notes(""))
    finally:
        col.close()
    assert fronts == [
        "In {{c1::1959}} the plenum met at Lushan.",
        "Photosynthesis happens in the {{c1::chloroplast}}.",
        "The {{c1::Great Leap Forward}} began in 1958.",
        "The {{c1::Great Leap Forward}} began in 1958.",
    ]


def test_two_readings_of_their_own_are_unchanged(here: Path, run: Runner) -> None:
    _reading(here / "notes" / "week1", "Week 1", WEEK1)
    _reading(here / "notes" / "week2", "Week 2", WEEK2)
    assert run("deck").exit_code == 0
    first = [
        (here / "notes" / w / RECORD_FILE).read_text(encoding="utf-8") for w in ("week1", "week2")
    ]
    result = run("check")
    assert result.exit_code == 0, result
    assert result.stdout.startswith("ok: 2 readings, 2 sections, 4 cards"), result.stdout
    assert run("deck").exit_code == 0
    again = [
        (here / "notes" / w / RECORD_FILE).read_text(encoding="utf-8") for w in ("week1", "week2")
    ]
    assert again == first


def test_a_new_reading_under_a_renamed_readings_old_name_is_refused_by_check_and_deck(
    here: Path, run: Runner
) -> None:
    # week1 renamed to week0 keeps week1's GUIDs in its record; a new week1 with the same
    # sentence would derive one of them again.
    _reading(here / "notes" / "week1", "Week 1", WEEK1)
    assert run("deck", "week1").exit_code == 0
    (here / "notes" / "week1").rename(here / "notes" / "week0")
    _reading(here / "notes" / "week1", "Week 1 again", WEEK2)
    also = "the two readings would be one set of Anki notes"
    expected = [
        "notes/week1/01-a.yaml:4:1: error: this item's note (sk5b5a2fa3ccfd1ad2c2b5) is also "
        f"notes/week0/{RECORD_FILE} line 5's: {also}; change its `id:`, or delete that line",
        "notes/week1/01-a.yaml:6:1: error: this item's note (sk1f7790c625ca41363cfe) is also "
        f"notes/week0/{RECORD_FILE} line 6's: {also}; give it an `id:` or reword it, or delete "
        "that line",
    ]
    for command in (("check",), ("deck", "week1")):
        result = run(*command)
        assert result.exit_code == 1, result
        assert [x for x in result.stderr.splitlines() if ": error: " in x] == expected
    assert not (here / "notes" / "week1" / RECORD_FILE).exists()
    (here / "notes" / "week1" / "01-a.yaml").write_text(
        WEEK2.replace("began in 1958", "started in 1958").replace("id: main", "id: leaf"),
        encoding="utf-8",
    )
    assert run("check").exit_code == 0
    # The deck built under the old name is week0's: its manifest would lend week0's notes.
    for built in (here / "cards").rglob("week1.*"):
        built.rename(built.with_name(built.name.replace("week1", "week0")))
    assert run("deck").exit_code == 0


def test_the_original_is_never_the_record_to_delete(here: Path, run: Runner) -> None:
    """An item of the original reworded before the copy keeps its GUID, made from neither
    reading's name: the original's other GUIDs still show which record is the copy, and check
    tells only the copy to go."""
    _reading(here / "notes" / "week1", "Week 1", WEEK1)
    assert run("deck", "week1").exit_code == 0
    reworded = WEEK1.replace("began in 1958", "began in May 1958")
    (here / "notes" / "week1" / "01-a.yaml").write_text(reworded, encoding="utf-8")
    assert run("deck", "week1").exit_code == 0
    shutil.copytree(here / "notes" / "week1", here / "notes" / "week2")
    (here / "notes" / "week2" / "reading.yaml").write_text("title: Week 2\n", encoding="utf-8")
    result = run("check")
    assert result.exit_code == 1, result
    errors = [x for x in result.stderr.splitlines() if ": error: " in x]
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"notes/week2/{RECORD_FILE}:5:1: error: "), errors
    assert f"delete notes/week2/{RECORD_FILE} (its cards get new identities)" in errors[0]
    assert "week1/" + RECORD_FILE + " (" not in result.stderr
