"""A `{{cloze}}` in an item's note makes no card: `check` refuses it at its place."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Runner

MESSAGE = "is in a note: a cloze in an annotation makes no card and prints as written"


@pytest.mark.parametrize(
    ("items", "place", "marker"),
    [
        (
            "points:\n  - text: The {{Terror}} began.\n"
            "    note: The maximum came only in {{1793::year}}.\n",
            "5:36",
            "{{1793::year}}",
        ),
        (
            "terms:\n  - term: Great Fear\n    definition: The rural panic of 1789.\n"
            "    note: |\n      Spread by rumour.\n      It peaked in {{late July}}.\n",
            "8:20",
            "{{late July}}",
        ),
        (
            "questions:\n  - q: Who fled?\n    a: Nobles.\n    note: 'Some {{c1::émigrés}}.'\n",
            "6:17",
            "{{c1::émigrés}}",
        ),
    ],
)
def test_a_cloze_in_a_note_is_refused_at_its_line_and_column(
    notes: Path, run: Runner, items: str, place: str, marker: str
) -> None:
    (notes / "demo" / "03-fear.yaml").write_text(f"title: Fear\ntags: [x]\n{items}", "utf-8")
    result = run("check")
    assert result.exit_code == 1, result
    assert f"notes/demo/03-fear.yaml:{place}: error: cloze: {marker} {MESSAGE}" in result.stderr
    assert "check: 1 error" in result.stderr, result.stderr
    deck = run("deck", "demo", "-o", str(notes.parent / "fear.apkg"))
    assert deck.exit_code == 1, deck
    assert f"03-fear.yaml:{place}: error: cloze:" in deck.stderr
    assert not (notes.parent / "fear.apkg").exists()


def test_escaped_braces_in_a_note_are_text(notes: Path, run: Runner) -> None:
    (notes / "demo" / "03-fear.yaml").write_text(
        "title: Fear\npoints:\n  - text: The {{Terror}} began.\n"
        "    note: 'Write \\{{x}} in Anki.'\n",
        "utf-8",
    )
    result = run("check")
    assert result.exit_code == 0, result


def test_a_lone_double_brace_in_a_note_is_text(notes: Path, run: Runner) -> None:
    (notes / "demo" / "03-fear.yaml").write_text(
        "title: Fear\npoints:\n  - text: The {{Terror}} began.\n"
        "    note: 'Braces {{ open here, never closed.'\n",
        "utf-8",
    )
    result = run("check")
    assert result.exit_code == 0, result
