"""A `{{cloze}}` in an item's note, question, answer, term or definition makes no card:
`check` refuses it at its place; only a point's text makes cloze cards."""

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


@pytest.mark.parametrize(
    ("items", "said"),
    [
        (
            "questions:\n  - q: Which conference purged Peng Dehuai?\n"
            "    a: The {{Lushan}} conference.\n",
            "5:12: error: cloze: {{Lushan}} is in an answer: a cloze in an answer",
        ),
        (
            "questions:\n  - q: 'Who met at {{Lushan}}?'\n    a: The Party's leaders.\n",
            "4:20: error: cloze: {{Lushan}} is in a question: a cloze in a question",
        ),
        (
            "terms:\n  - term: Great Fear\n    definition: >-\n      The rural panic\n"
            "      of {{1789}}.\n",
            "7:10: error: cloze: {{1789}} is in a definition: a cloze in a definition",
        ),
        (
            "terms:\n  - term: '{{Émigrés}}'\n    definition: Nobles who fled.\n",
            "4:12: error: cloze: {{Émigrés}} is in a term: a cloze in a term",
        ),
    ],
)
def test_a_cloze_outside_a_point_is_refused_where_it_would_print_raw(
    notes: Path, run: Runner, items: str, said: str
) -> None:
    (notes / "demo" / "03-fear.yaml").write_text(f"title: Fear\ntags: [x]\n{items}", "utf-8")
    result = run("check")
    assert result.exit_code == 1, result
    assert [line for line in result.stderr.splitlines() if ": error: " in line] == [
        f"notes/demo/03-fear.yaml:{said} makes no card and prints as written; put it in a "
        "point's text, or write \\{{ to show the braces"
    ]
    escaped = items.replace("{{", "\\{{")
    (notes / "demo" / "03-fear.yaml").write_text(f"title: Fear\ntags: [x]\n{escaped}", "utf-8")
    assert run("check").exit_code == 0, escaped
