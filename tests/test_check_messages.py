"""The exact lines `check` prints for mistakes in `allow:`, misplaced dashes, unknown keys,
brackets never closed, mistakes on a later line of a text, and texts YAML ended early.

Each case is a whole section file and every error line the student reads, in order: the file,
line and column, and the words that say what to write instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Runner

F = "notes/demo/03-edge.yaml"
RULES = (
    "long-answer, list-answer, two-questions, interference, cloze-giveaway, long-note, "
    "draft-unedited, no-summary, no-cards, uncited-source, unlisted-source"
)
HEAD = "title: A\nsummary: s\n"

CASES = [
    (
        "misspelt rule",
        HEAD + "allow: [lon-answer]\n",
        [f"{F}:3:9: error: unknown rule 'lon-answer' in 'allow'; did you mean 'long-answer'?"],
    ),
    (
        "unknown rule beside a good one",
        HEAD + "allow: [zzz, long-answer]\n",
        [f"{F}:3:9: error: unknown rule 'zzz' in 'allow'; rules: {RULES}"],
    ),
    (
        "two unknown rules",
        HEAD + "allow: [zzz, yyy]\n",
        [
            f"{F}:3:9: error: unknown rule 'zzz' in 'allow'; rules: {RULES}",
            f"{F}:3:14: error: unknown rule 'yyy' in 'allow'; rules: {RULES}",
        ],
    ),
    (
        "allow as a mapping",
        HEAD + "allow: {a: b}\n",
        [f"{F}:3:8: error: 'allow' should be a list of rule names like [long-answer]"],
    ),
    (
        "a list inside allow",
        HEAD + "allow: [[x]]\n",
        [f"{F}:3:9: error: each item of 'allow' is a rule name like long-answer"],
    ),
    ("empty rule", HEAD + "allow: ['']\n", [f"{F}:3:9: error: empty item in 'allow'"]),
    (
        "misspelt rule on an item",
        HEAD + "questions:\n  - q: Why?\n    a: x\n    allow: [long-answr]\n",
        [f"{F}:6:13: error: unknown rule 'long-answr' in 'allow'; did you mean 'long-answer'?"],
    ),
    (
        "dash indented into the item above",
        HEAD + "points:\n  - One point\n    - two point\n",
        [
            f"{F}:5:5: error: this `- ` is indented deeper than the item above, so YAML reads it "
            "as more text of that item: line the dashes up to make it an item of its own"
        ],
    ),
    (
        "unknown key without a near name",
        "title: A\nzzz: s\n",
        [
            f"{F}:2:1: error: unknown key 'zzz'; allowed: title, id, excerpt, summary, points, "
            "terms, questions, tags, allow, draft"
        ],
    ),
    (
        "problems in line order",
        HEAD + "questions:\n  - q: Why?\n    zzzzzz: x\n",
        [
            f"{F}:4:5: error: missing required key 'a' in this question",
            f"{F}:5:5: error: unknown key 'zzzzzz' in question; allowed: q, a, note, id, allow",
        ],
    ),
    (
        "two misspelt keys",
        "title: A\nsumary: s\ntitel: x\n",
        [
            f"{F}:2:1: error: unknown key 'sumary'; did you mean 'summary'?",
            f"{F}:3:1: error: unknown key 'titel'; did you mean 'title'?",
        ],
    ),
    (
        "a list never closed, found on the line below",
        HEAD + 'points:\n  - text: [flow, "unclosed"\n    note: x\n',
        [
            f"{F}:4:11: error: this `[` is never closed with `]` (close it, or quote the text if "
            "it starts with `[`)"
        ],
    ),
    (
        "a mapping never closed at the end of the file",
        HEAD + "points:\n  - {text: a\n",
        [
            f"{F}:4:5: error: this `{{` is never closed with `}}` (close it, or quote the text if "
            "it starts with `{`)"
        ],
    ),
    (
        "text after a citation in brackets",
        HEAD + "points:\n  - text: [see @x] it fell\n",
        [
            f"{F}:4:11: error: a value that starts with [ must be in quotes: write - text: "
            '"[see @x] it fell"'
        ],
    ),
    (
        "a cloze mistake on the third line of a folded block",
        HEAD + "points:\n  - text: >-\n      One {{a}} and\n      two {{b}} and\n"
        "      three {{c} d.\n",
        [f"{F}:7:13: error: cloze: `{{{{` has no closing `}}}}`, at '{{{{c}} d.'"],
    ),
    (
        "a cloze mistake on the second line of plain text",
        HEAD + "points:\n  - One {{a}}\n    then {{c1::b}}.\n",
        [
            f"{F}:5:10: error: cloze: write {{{{answer}}}} or {{{{answer::hint}}}}; deletions are "
            "numbered automatically, at '{{c1::b}}.'"
        ],
    ),
    (
        "a line of a folded text indented as far as its key",
        HEAD + "points:\n  - text: >-\n      line one\n    line two\n    note: x\n",
        [
            f"{F}:6:5: error: this line is indented less than the `>-` text of `text:` (line 4), "
            "so YAML ended that text above it: indent it as far as the text's other lines "
            "(6 spaces)"
        ],
    ),
    (
        "a line of a summary's text indented less than the rest",
        "title: A\nsummary: >-\n  line one\n line two\n",
        [
            f"{F}:4:2: error: this line is indented less than the `>-` text of `summary:` "
            "(line 2), so YAML ended that text above it: indent it as far as the text's other "
            "lines (2 spaces)"
        ],
    ),
    (
        "an apostrophe inside single quotes",
        HEAD + "questions:\n  - q: Why?\n    a: 'Mao's figure'\n",
        [
            f"{F}:5:12: error: this `'` ends the quoted text before the text does: inside '...' "
            "write a ' as `''` (Mao''s), or put the text in double quotes"
        ],
    ),
    (
        "double quotes inside double quotes",
        HEAD + 'questions:\n  - q: Why?\n    a: "It gave "none" at all."\n',
        [
            f'{F}:5:17: error: this `"` ends the quoted text before the text does: inside "..." '
            'write a " as `\\"`, or put the text in single quotes'
        ],
    ),
]


@pytest.mark.parametrize(("content", "errors"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_check_prints_these_lines(
    notes: Path, run: Runner, content: str, errors: list[str]
) -> None:
    (notes / "demo" / "03-edge.yaml").write_text(content, encoding="utf-8")
    result = run("check", "demo")
    assert result.exit_code == 1, result
    got = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert got == errors, result


def test_a_bare_rule_name_is_a_list_of_one(notes: Path, run: Runner) -> None:
    (notes / "demo" / "03-edge.yaml").write_text(
        HEAD + "allow: list-answer\nquestions:\n  - q: Why?\n    a: x\n", encoding="utf-8"
    )
    result = run("check", "demo")
    assert result.exit_code == 0, result
    assert "03-edge.yaml" not in result.output, result
