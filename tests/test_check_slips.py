"""`studykit check` on the slips a student makes while typing notes: each one line, at the
line and column to fix, in words that say what to do."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Runner

from studykit.notes.yaml_hints import misaligned_item

F = "notes/demo/03-temperature.yaml"

# A drafted section as a student edits it: line 15 is `id: cool-acetic`, line 16 a point.
TEMPERATURE = """\
# Draft notes written by `studykit ingest` from sourdough.txt.
# They are a start, not your notes yet.
#
#
title: "Temperature and Time"
excerpt: |
  Temperature controls which organisms win.

  Hydration matters as well.
summary: Warmth favours lactic acid and yeast, cool favours acetic acid.
points:
  - text: At {{25 °C}} the starter's bacteria make mainly lactic acid.
    id: warm-lactic
  - text: Near {{18 °C}} acetic acid becomes more prominent.
    id: cool-acetic
  - Yeast is most active around {{27 °C}}.
terms:
  - term: retarding
    definition: Proofing dough overnight in the fridge to build sourness.
"""
ITEM = "  - Yeast is most active"
NOTE = "    id: cool-acetic\n"

SLIPS = [
    (
        "no space after a dash",
        TEMPERATURE.replace(ITEM, "  -Yeast is most active"),
        f"{F}:16:3: error: no space after this `-`, so YAML reads `-Yeast` as text, not as a "
        "list item: put a space after `-`",
    ),
    (
        "no space after the dash of a term",
        TEMPERATURE.replace("  - term: retarding", "  -term: retarding"),
        f"{F}:18:3: error: no space after this `-`, so YAML reads `-term` as text, not as a "
        "list item: put a space after `-`",
    ),
    (
        "no space after the dash of the last item",
        "title: A\npoints:\n  - One {{a}}.\n  -Two\n",
        f"{F}:4:3: error: no space after this `-`, so YAML reads `-Two` as text, not as a list "
        "item: put a space after `-`",
    ),
    (
        # YAML reads the whole list as one text, `points: -One {{a}}. - Two`: no parse error.
        "no space after the first dash of a list",
        "title: A\npoints:\n  -One {{a}}.\n  - Two\n",
        f"{F}:3:3: error: no space after this `-`, so YAML reads `-One` as text, not as a list "
        "item: put a space after `-`",
    ),
    (
        "an item indented 3 spaces, the others 2",
        TEMPERATURE.replace(ITEM, " " + ITEM),
        f"{F}:16:4: error: this `- ` is indented deeper than the `- ` on line 14; items of one "
        "list must line up (same number of spaces)",
    ),
    (
        "an item indented 1 space, the others 2",
        TEMPERATURE.replace(ITEM, ITEM[1:]),
        f"{F}:16:2: error: this `- ` is indented less than the `- ` on line 14; items of one list "
        "must line up (same number of spaces)",
    ),
    (
        # The `- ` above it is an item of the question's own `allow:` list, not a sibling.
        "a question indented 3 spaces after one with an allow list",
        "title: A\nquestions:\n  - q: x\n    a: y\n    allow:\n      - long-answer\n"
        "   - q: z\n    a: w\n",
        f"{F}:7:4: error: this `- ` is indented deeper than the `- ` on line 3; items of one "
        "list must line up (same number of spaces)",
    ),
    (
        "a key of an item indented less than the one above",
        TEMPERATURE.replace("    definition:", "   definition:"),
        f"{F}:19:4: error: `definition:` is indented less than `term:` on line 18; keys of one "
        "item must line up (same number of spaces)",
    ),
    (
        # The parser stumbles at the closing `*`; the value to quote starts at the first.
        "an annotation starting with emphasis",
        TEMPERATURE.replace(NOTE, NOTE + "    note: *Phytic* acid binds minerals.\n"),
        f'{F}:16:11: error: a value that starts with * must be in quotes: write note: "*Phytic* '
        'acid binds minerals."',
    ),
    (
        "a point starting with code",
        TEMPERATURE.replace(ITEM, "  - `yeast` is most active"),
        f'{F}:16:5: error: a value that starts with ` must be in quotes: write - "`yeast` is '
        'most active around {{27 °C}}."',
    ),
    (
        "an id given twice",
        TEMPERATURE.replace("id: warm-lactic", "id: cool-acetic"),
        f"{F}:15:5: error: cloze point has the same id as the one at line 13; give one a "
        "distinct `id`",
    ),
    (
        "an id given twice, in one-line items",
        "title: A\nquestions:\n  - {q: Why?, a: x, id: why}\n  - {q: How?, a: y, id: why}\n",
        f"{F}:4:21: error: question has the same id as the one at line 3; give one a distinct `id`",
    ),
    (
        "a term written twice",
        TEMPERATURE + "  - term: retarding\n    definition: Cold proofing.\n",
        f"{F}:20:1: error: term has the same text as the one at line 18: remove one, or merge "
        "the two into one term",
    ),
    (
        "a question asked twice",
        "title: A\nquestions:\n  - q: Why?\n    a: x\n  - q: Why?\n    a: y\n",
        f"{F}:5:1: error: question has the same text as the one at line 3: remove one, or "
        "merge the two into one question",
    ),
]


@pytest.mark.parametrize(("content", "expected"), [s[1:] for s in SLIPS], ids=[s[0] for s in SLIPS])
def test_check_points_at_the_slip(notes: Path, run: Runner, content: str, expected: str) -> None:
    (notes / "demo" / "03-temperature.yaml").write_text(content, encoding="utf-8")
    result = run("check", "demo")
    assert result.exit_code == 1, result
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [expected], result
    assert "Traceback" not in result.output, result


def test_the_section_without_the_slip_is_sound(notes: Path, run: Runner) -> None:
    (notes / "demo" / "03-temperature.yaml").write_text(TEMPERATURE, encoding="utf-8")
    result = run("check", "demo")
    assert result.exit_code == 0, result
    assert result.stdout.startswith("ok: 1 reading, 3 sections, 17 cards;"), result


@pytest.mark.parametrize(
    "text",
    [
        "title: A\npoints:\n  - -5 °C is cold\n  - b\n",  # a dash inside an item's text
        "title: A\nsummary: x\n---\ntitle: B\n",  # a document marker is not a glued dash
    ],
    ids=["dash in the text", "document marker"],
)
def test_a_dash_that_is_text_is_not_called_a_slip(notes: Path, run: Runner, text: str) -> None:
    (notes / "demo" / "03-temperature.yaml").write_text(text, encoding="utf-8")
    result = run("check", "demo")
    assert "no space after this `-`" not in result.output, result


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("questions:\n  - q: x\n    allow:\n      - long-answer\n  - q: y\n", 4),
        ("points:\n  - tags:\n      - a\n  - c\n", 3),
        ("title: A\npoints:\n  - a\n", 2),
    ],
    ids=["after a list inside the item above", "after a list on the dash line", "first item"],
)
def test_a_lined_up_item_is_not_called_out_of_line(text: str, number: int) -> None:
    assert misaligned_item(text.split("\n"), number) is None
