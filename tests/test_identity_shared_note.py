"""Two items given one note (GUID) in identities.lock: `check` refuses the record as `deck` and
`review` do, with the same line, at the record's line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Runner

from studykit.identity import RECORD_FILE

SECTION = (
    "title: S\nsummary: s.\npoints:\n  - In {{1959}} the Lushan plenum met.\n"
    "  - The {{Great Leap}} began in spring.\n"
)


@pytest.fixture
def record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Runner) -> Path:
    """A reading built once, then its record edited to give every item the first item's note."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)
    monkeypatch.setenv("STUDYKIT_STATE", str(tmp_path / "state.db"))
    folder = tmp_path / "notes" / "r"
    folder.mkdir(parents=True)
    (folder / "reading.yaml").write_text("title: T\n", encoding="utf-8")
    (folder / "01-s.yaml").write_text(SECTION, encoding="utf-8")
    assert run("deck").exit_code == 0
    path = folder / RECORD_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    items = [line for line in lines if not line.startswith("#")]
    guid = items[0].split("\t")[1]
    same = [line.split("\t")[0] + "\t" + guid if line in items else line for line in lines]
    path.write_text("\n".join(same) + "\n", encoding="utf-8")
    return path


def test_check_refuses_two_items_with_one_note_as_deck_does(record: Path, run: Runner) -> None:
    guid = record.read_text(encoding="utf-8").splitlines()[-1].split("\t")[1]
    line = (
        f"notes/r/{RECORD_FILE}:6:1: error: 's/cloze/text:The Great Leap began in spring.' and "
        f"'s/cloze/text:In 1959 the Lushan plenum met.' have the same note ({guid}) in the "
        "identity record, on lines 5 and 6; delete one of the two lines"
    )
    checked = run("check")
    assert checked.exit_code == 1, checked
    assert checked.stderr.splitlines() == [line, "check: 1 error, 0 warnings in 1 reading"], (
        checked.stderr
    )
    for command in (("deck", "--force"), ("review",)):
        refused = run(*command, input="q\n")
        assert refused.exit_code == 1, refused
        assert refused.stderr.strip() == line, refused.stderr


def test_check_passes_the_record_deck_wrote(record: Path, run: Runner) -> None:
    record.unlink()
    assert run("deck").exit_code == 0
    result = run("check")
    assert result.exit_code == 0, result
    assert "ok: 1 reading, 1 section, 2 cards; 0 errors, 0 warnings" in result.output, result


def test_a_point_written_again_after_its_text_was_given_an_id_is_named(
    record: Path, run: Runner
) -> None:
    """The record gives `id:lushan` the note the point's text made; the same text written
    again as a new point, with no line of its own, would make that note too."""
    section = record.parent / "01-s.yaml"
    section.write_text(
        "title: S\nsummary: s.\npoints:\n  - text: In {{1959}} the Lushan plenum met.\n"
        "    id: lushan\n",
        encoding="utf-8",
    )
    record.unlink()
    assert run("deck").exit_code == 0
    guid = record.read_text(encoding="utf-8").splitlines()[-1].split("\t")[1]
    section.write_text(
        "title: S\nsummary: s.\npoints:\n  - text: In {{1959}} the Lushan plenum met!\n"
        "    id: lushan\n  - In {{1959}} the Lushan plenum met.\n",
        encoding="utf-8",
    )
    line = (
        f"notes/r/{RECORD_FILE}:5:1: error: 's/cloze/text:In 1959 the Lushan plenum met.' and "
        f"'s/cloze/id:lushan' have the same note ({guid}): line 5 of the identity record gives "
        "it to 's/cloze/id:lushan', and the other, which has no line, makes the same from its "
        "text; reword 's/cloze/text:In 1959 the Lushan plenum met.' or give it an `id:`"
    )
    for command in ("check", "deck"):
        result = run(command)
        assert result.exit_code == 1, result
        assert result.stderr.splitlines()[0] == line, result.stderr


def test_check_refuses_a_damaged_record_as_deck_does(record: Path, run: Runner) -> None:
    record.unlink()
    assert run("deck").exit_code == 0
    lines = record.read_text(encoding="utf-8").splitlines()
    lines[-1] = lines[-1].replace("\t", " ")
    record.write_text("\n".join(lines) + "\n", encoding="utf-8")
    line = (
        f"notes/r/{RECORD_FILE}:6:1: error: identity record: a line that is not "
        "`section/kind/key<TAB>GUID` on this line; it may hold the note of cloze 'The Great "
        "Leap began in spring.' (01-s.yaml:5). Fix it (keep one side of a merge conflict), or "
        "delete it to give those items new notes in Anki and review"
    )
    for command in ("check", "deck"):
        result = run(command)
        assert result.exit_code == 1, result
        assert result.stderr.splitlines()[0] == line, result.stderr
