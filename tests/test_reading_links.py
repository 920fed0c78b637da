"""A reading folder that is a second name for another reading's folder is refused.

An audit linked `notes/s -> r` inside the notes folder: `check` passed with two readings, and
`deck` wrote `cards/r.apkg` and `cards/s.apkg` whose notes carried the same GUIDs, so importing
both moved the notes from one deck to the other. A link to a folder outside the notes folder
was refused already (`tests/test_confinement.py`); a link to a folder that no other reading
folder names is still one reading, and is read.
"""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest
from conftest import Runner

SECTION = "title: First\nsummary: s\npoints:\n  - text: The famine began in {{1959}}.\n"
WHY = (
    ": one reading under two names makes two decks of the same notes, with the same note "
    "GUIDs; remove the link (a reading is renamed by renaming its folder)"
)


def _reading(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "reading.yaml").write_text("title: A test reading\n", encoding="utf-8")
    (folder / "01-a.yaml").write_text(SECTION, encoding="utf-8")


def _guids(deck: Path) -> list[str]:
    copy = deck.with_suffix(".anki2")
    copy.write_bytes(zipfile.ZipFile(deck).read("collection.anki2"))
    with sqlite3.connect(copy) as db:
        guids = [str(guid) for (guid,) in db.execute("SELECT guid FROM notes")]
    db.close()
    copy.unlink()
    return guids


@pytest.mark.parametrize("absolute", [False, True], ids=["relative", "absolute"])
def test_a_link_to_another_reading_is_refused_by_every_command(
    here: Path, run: Runner, absolute: bool
) -> None:
    _reading(here / "notes" / "r")
    target = str(here / "notes" / "r") if absolute else "r"
    (here / "notes" / "s").symlink_to(target, target_is_directory=True)
    line = f"notes/s: error: this reading folder is a link to {target}, which is reading r{WHY}"

    checked = run("check")
    assert checked.exit_code == 1, checked
    assert checked.output.splitlines() == [line, "check: 1 error, 0 warnings in 2 readings"], (
        checked
    )

    built = run("deck")
    assert built.exit_code == 1, built
    assert built.stderr.splitlines() == [
        line,
        "deck: not built: s (fix the errors above); built: r",
    ]
    assert built.stdout.startswith("r: wrote cards/r.apkg\n"), built
    assert sorted(p.name for p in Path("cards").glob("*.apkg")) == ["r.apkg"], "no second deck"
    assert len(_guids(Path("cards/r.apkg"))) == 1

    for command in (["deck", "s"], ["outline", "s"], ["review", "s"]):
        result = run(*command, input="q\n")
        assert result.exit_code == 1, (command, result)
        assert result.stderr.splitlines() == [line], (command, result)
        assert result.stdout == "", (command, result)
    assert not Path("cards/s.apkg").exists()
    assert not (here / "notes" / "r" / "identities.lock").is_symlink()
    assert run("check", "r").exit_code == 0, "the reading itself is as good as before"


def test_two_links_to_one_folder_are_both_refused(here: Path, run: Runner) -> None:
    # Neither is the original: each is named, and neither deck is built.
    _reading(here / "notes" / "shelf" / "x")
    for name in ("a", "b"):
        (here / "notes" / name).symlink_to("shelf/x", target_is_directory=True)
    result = run("check")
    assert result.exit_code == 1, result
    assert result.output.splitlines() == [
        "notes/a: error: this reading folder is a link to shelf/x, which reading folder b "
        f"links to as well{WHY}",
        "notes/b: error: this reading folder is a link to shelf/x, which reading folder a "
        f"links to as well{WHY}",
        "check: 2 errors, 0 warnings in 2 readings",
    ], result
    assert run("deck").exit_code == 1
    assert not list(Path().glob("cards/*.apkg"))


def test_a_link_to_a_folder_no_other_reading_names_is_one_reading(here: Path, run: Runner) -> None:
    # A reading kept below the notes folder and linked beside the others: one name, one deck.
    _reading(here / "notes" / "shelf" / "x")
    (here / "notes" / "a").symlink_to("shelf/x", target_is_directory=True)
    checked = run("check")
    assert checked.exit_code == 0, checked
    assert checked.output.splitlines() == [
        "ok: 1 reading, 1 section, 1 card; 0 errors, 0 warnings"
    ], checked
    built = run("deck")
    assert built.exit_code == 0, built
    assert sorted(p.name for p in Path("cards").glob("*.apkg")) == ["a.apkg"]
    assert len(_guids(Path("cards/a.apkg"))) == 1
