"""Names a terminal would act on: folder and file names are shown as escapes, never sent raw.

The audit's case: a reading folder named `bad<ESC>[31mred` coloured the rest of `list`'s line
red, and `check` showed it as `notes/badred`, a folder that does not exist. A right-to-left
override (U+202E) in a name turned the rest of the line around.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import Runner

from studykit.errors import printable

ESC = "\x1b"
RLO = "\u202e"


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        (f"bad{ESC}[31mred", "bad\\x1b[31mred"),
        (f"x{RLO}y", "x\\u202ey"),
        ("bell\x07", "bell\\x07"),
        ("two\u2028lines", "two\\u2028lines"),
        ("caf\u00e9 日本 x", "caf\u00e9 日本 x"),  # letters of any script are shown as they are
        ("\U0001f469\u200d\U0001f52c", "\U0001f469\\u200d\U0001f52c"),
    ],
)
def test_printable_writes_what_a_terminal_would_act_on_as_escapes(name: str, shown: str) -> None:
    assert printable(name) == shown
    assert printable(shown) == shown  # already shown: unchanged, so applying it twice is safe


@pytest.fixture
def escaped_reading(notes: Path) -> Path:
    """The test notes' reading, renamed with a colour escape in its folder name."""
    [reading] = [p for p in notes.iterdir() if (p / "reading.yaml").exists()][:1]
    target = notes / f"bad{ESC}[31mred"
    shutil.move(reading, target)
    return target


def test_list_shows_the_folder_name_with_its_escape_written_out(
    escaped_reading: Path, run: Runner
) -> None:
    result = run("list")
    assert ESC not in result.output
    assert "bad\\x1b[31mred  cannot be read" in result.stdout


def test_every_command_names_the_folder_as_it_is_on_disk(
    escaped_reading: Path, run: Runner
) -> None:
    line = (
        "notes/bad\\x1b[31mred: error: reading folder name 'bad\\x1b[31mred' must be a slug "
        "(lowercase letters, digits, hyphens)"
    )
    for command in (["check"], ["deck", "--dry-run"], ["show"], ["outline"], ["stats"]):
        result = run(*command)
        assert result.exit_code == 1, (command, result)
        assert ESC not in result.output
        assert result.stderr.splitlines()[0] == line, command


def test_a_message_that_quotes_a_given_path_shows_its_escapes(notes: Path, run: Runner) -> None:
    result = run("check", "--notes", f"no{ESC}[2Jwhere")
    assert result.exit_code == 1
    assert ESC not in result.output
    assert "no notes folder at no\\x1b[2Jwhere" in result.stderr


def test_ingest_of_a_file_named_with_an_escape_writes_notes_that_check(
    notes: Path, run: Runner
) -> None:
    source = notes.parent / f"z{ESC}[31mz.txt"
    source.write_text("The Dust Bowl\n\nDrought came to the plains in 1931.\n")
    result = run("ingest", str(source), "--id", "dust")
    assert result.exit_code == 0, result
    reading = (notes / "dust" / "reading.yaml").read_text()
    assert 'source: "source.txt"' in reading  # the copy is renamed: no notes file could name it
    assert ESC not in "".join(p.read_text() for p in (notes / "dust").glob("*.yaml"))
    assert run("check", "dust").exit_code == 0


def test_ingest_of_a_file_name_that_is_not_utf8_writes_notes_that_check(
    notes: Path, run: Runner
) -> None:
    folder = notes.parent
    source = folder / os.fsdecode(b"q\xff\xfeq.txt")  # two bytes kept as lone surrogates
    source.write_bytes(b"Drought came to the plains in 1931.\n")
    result = run("ingest", str(source), "--id", "qq")
    assert result.exit_code == 0, result
    assert 'title: "Q\ufffd\ufffdq"' in (notes / "qq" / "reading.yaml").read_text()
    assert run("check", "qq").exit_code == 0
