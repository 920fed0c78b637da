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
