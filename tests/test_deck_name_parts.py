"""A deck name with an empty part between `::` is refused by `check` at reading.yaml's line, as
`deck` refuses it; before, `check` passed it and `deck` failed naming the deck file."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Runner


@pytest.mark.parametrize(
    ("lines", "said"),
    [
        (
            'title: History\ndeck: "History::"\n',
            "notes/r/reading.yaml:2:1: error: the deck name 'History::' has an empty part",
        ),
        (
            'title: History\ndeck: "History:: ::Mao"\n',
            "notes/r/reading.yaml:2:1: error: the deck name 'History:: ::Mao' has an empty part",
        ),
        (
            'title: "Notes on C++::"\n',
            "notes/r/reading.yaml:1:1: error: the deck name 'Notes on C++::' has an empty part "
            "between '::' (Anki's subdeck separator); remove the extra '::' or fill the part "
            "in, or give a `deck:` name",
        ),
    ],
)
def test_an_empty_part_of_a_deck_name_is_refused_by_every_command(
    empty_reading: Path, run: Runner, lines: str, said: str
) -> None:
    (empty_reading / "reading.yaml").write_text(lines, "utf-8")
    (empty_reading / "01-a.yaml").write_text(
        'title: A\nsummary: S.\npoints:\n  - "In {{1959}} it met."\n', "utf-8"
    )
    for command in (["check"], ["deck"], ["deck", "--dry-run"], ["outline"]):
        result = run(*command)
        assert result.exit_code == 1, (command, result)
        assert said in result.output, (command, result)
    assert not Path("cards").exists()
    (empty_reading / "reading.yaml").write_text('title: History\ndeck: "History::Mao"\n', "utf-8")
    assert run("check").exit_code == 0
