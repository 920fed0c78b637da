"""The exact lines `check` prints for mistakes in a section's points, terms and questions.

Each case is a whole section file and every error line the student reads, in order: the file,
line and column, and the words that say what to write instead. The last tests pin the values a
valid item loads as, since cards, handouts and quality warnings are made from them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Runner

from studykit.notes.model import Point, Question, Term
from studykit.notes.validate import check_reading

F = "notes/demo/03-edge.yaml"
HEAD = "title: A\nsummary: s\n"
# Errors in one item must not hide behind a section without cards: give it one.
CARD = "questions:\n  - q: Why?\n    a: Because.\n"
RUN_ON = (
    "this `- ` is indented deeper than the item above, so YAML reads it as more text of that "
    "item: line the dashes up to make it an item of its own"
)
LONG = " ".join(["word"] * 30)  # over the 25-word budget of a definition

EMPTY_POINTS = [
    ("bare dash", "points:\n  -\n", [f"{F}:4:4: error: empty point"]),
    ("empty quotes", 'points:\n  - ""\n', [f"{F}:4:5: error: empty point"]),
    ("only spaces in quotes", 'points:\n  - "   "\n', [f"{F}:4:5: error: empty point"]),
    (
        "empty text key",
        "points:\n  - text:\n    note: n\n",
        [f"{F}:4:10: error: 'text' is empty"],
    ),
]

SHAPES = [
    (
        "point that reads as a key",
        "points:\n  - Note: this matters\n",
        [
            f"{F}:4:5: error: this point reads as a key 'Note': put text that contains `: ` in "
            'quotes, e.g. - "Note: ..."'
        ],
    ),
    (
        "a one-item list as a point",
        "points:\n  - [a]\n",
        [f"{F}:4:5: error: each point is a mapping like {{text: ..., note: ...}}, found a list"],
    ),
    (
        "term written as text",
        "terms:\n  - just a word\n",
        [
            f"{F}:4:5: error: each term is a mapping like {{term: ..., definition: ...}}, "
            "found text 'just a word'"
        ],
    ),
    (
        "question written as text",
        "questions:\n  - Why?\n",
        [f"{F}:4:5: error: each question is a mapping like {{q: ..., a: ...}}, found text 'Why?'"],
    ),
    (
        "question written as a list",
        "questions:\n  - [Why?, Because.]\n",
        [f"{F}:4:5: error: each question is a mapping like {{q: ..., a: ...}}, found a list"],
    ),
]

# An item written under the wrong list: one line at the item, naming the list it belongs to.
MISPLACED = [
    (
        "cloze point under questions",
        'questions:\n  - "{{1958}} was the year the Leap began."\n',
        [f"{F}:4:5: error: this looks like a point, not a question; move it under `points:`"],
    ),
    (
        "point with a text key under questions",
        "questions:\n  - text: The Leap began in {{1958}}.\n    note: n\n",
        [f"{F}:4:5: error: this looks like a point, not a question; move it under `points:`"],
    ),
    (
        "term under questions",
        "questions:\n  - term: Lushan\n    definition: a conference\n",
        [f"{F}:4:5: error: this looks like a term, not a question; move it under `terms:`"],
    ),
    (
        "question under points",
        "points:\n  - q: Why?\n    a: Because.\n",
        [f"{F}:4:5: error: this looks like a question, not a point; move it under `questions:`"],
    ),
    (
        "question without its answer under points",
        "points:\n  - q: Why did output fall?\n",
        [f"{F}:4:5: error: this looks like a question, not a point; move it under `questions:`"],
    ),
    (
        "term under points",
        "points:\n  - term: Lushan\n    definition: a conference\n    note: n\n",
        [f"{F}:4:5: error: this looks like a term, not a point; move it under `terms:`"],
    ),
    (
        "question under terms",
        "terms:\n  - q: Why?\n    a: Because.\n",
        [f"{F}:4:5: error: this looks like a question, not a term; move it under `questions:`"],
    ),
    (
        "cloze point under terms",
        "terms:\n  - The Leap began in {{1958}}.\n",
        [f"{F}:4:5: error: this looks like a point, not a term; move it under `points:`"],
    ),
    (
        "one misplaced item among good ones",
        "questions:\n  - q: Why?\n    a: Because.\n  - text: A {{b}}.\n  - q: How?\n    a: So.\n",
        [f"{F}:6:5: error: this looks like a point, not a question; move it under `points:`"],
    ),
    (
        # Moved under `questions:`, the misspelt key is reported there.
        "question with a misspelt key under points",
        "points:\n  - q: Why?\n    a: Because.\n    nte: n\n",
        [f"{F}:4:5: error: this looks like a question, not a point; move it under `questions:`"],
    ),
    (
        # Keys of two other kinds: which list it was meant for is not clear.
        "keys of a term and a question under points",
        "points:\n  - term: Lushan\n    q: Why?\n",
        [
            f"{F}:4:5: error: unknown key 'term' in point; allowed: text, note, id, allow",
            f"{F}:4:5: error: missing required key 'text' in this point",
            f"{F}:5:5: error: unknown key 'q' in point; allowed: text, note, id, allow",
        ],
    ),
    (
        # Keys of two kinds: which list it was meant for is not clear, so each key is named.
        "keys of a point and a term under terms",
        "terms:\n  - text: Lushan\n    definition: a conference\n",
        [
            f"{F}:4:5: error: unknown key 'text' in term; allowed: term, definition, note, id, "
            "allow",
            f"{F}:4:5: error: missing required key 'term' in this term",
        ],
    ),
]

KEYS = [
    (
        "term without its definition",
        "terms:\n  - term: Lushan\n",
        [f"{F}:4:5: error: missing required key 'definition' in this term"],
    ),
    (
        "unknown key in a term",
        "terms:\n  - term: Lushan\n    definition: a conference\n    zzz: x\n",
        [f"{F}:6:5: error: unknown key 'zzz' in term; allowed: term, definition, note, id, allow"],
    ),
    (
        "misspelt key in a term",
        "terms:\n  - term: Lushan\n    defintion: a conference\n",
        [f"{F}:5:5: error: unknown key 'defintion' in term; did you mean 'definition'?"],
    ),
    (
        "unknown key in a point",
        "points:\n  - text: A {{b}}.\n    zzz: x\n",
        [f"{F}:5:5: error: unknown key 'zzz' in point; allowed: text, note, id, allow"],
    ),
    (
        "question without its question",
        "questions:\n  - a: Because.\n",
        [f"{F}:4:5: error: missing required key 'q' in this question"],
    ),
]

CLOZES = [
    (
        "unclosed cloze in a text key",
        'points:\n  - text: "One {{two"\n    note: n\n',
        [f"{F}:4:16: error: cloze: `{{{{` has no closing `}}}}`, at '{{{{two'"],
    ),
    (
        "unclosed cloze shows thirty characters",
        'points:\n  - "a {{b}} and {{c:: and more text goes here past thirty"\n',
        [
            f"{F}:4:18: error: cloze: `{{{{` has no closing `}}}}`, at "
            "'{{c:: and more text goes here'"
        ],
    ),
]

DUPLICATES = [
    (
        "same term twice",
        "terms:\n  - {term: X, definition: a}\n  - {term: X, definition: b}\n",
        [
            f"{F}:5:1: error: term has the same text as the one at line 4: remove one, or merge "
            "the two into one term"
        ],
    ),
    (
        "same question id twice",
        "questions:\n  - {q: Why?, a: x, id: why}\n  - {q: How?, a: y, id: why}\n",
        [
            f"{F}:5:21: error: question has the same id as the one at line 4; give one a "
            "distinct `id`"
        ],
    ),
    (
        "same cloze point twice",
        "points:\n  - A {{b}}.\n  - Plain text.\n  - A {{b}}.\n",
        [
            f"{F}:6:1: error: cloze point has the same text as the one at line 4: remove one, or "
            "merge the two into one cloze point"
        ],
    ),
    (
        "same cloze point twice, with a missing image",
        "points:\n  - A {{b}} ![m](m.png)\n  - A {{b}} ![m](m.png)\n",
        [
            f"{F}:4:13: error: image 'm.png' not found",
            f"{F}:5:1: error: cloze point has the same text as the one at line 4: remove one, or "
            "merge the two into one cloze point",
            f"{F}:5:13: error: image 'm.png' not found",
        ],
    ),
]

LISTS = [
    (
        "points as one line of text",
        "points: just text\n",
        [f"{F}:3:9: error: 'points' should be a list (one `- ` per item)"],
    ),
    (
        "points as empty quotes",
        'points: ""\n',
        [f"{F}:3:9: error: 'points' should be a list (one `- ` per item)"],
    ),
    (
        "terms as a mapping",
        "terms: {term: X, definition: y}\n",
        [f"{F}:3:8: error: 'terms' should be a list (one `- ` per item)"],
    ),
]

CASES = EMPTY_POINTS + SHAPES + MISPLACED + KEYS + CLOZES + DUPLICATES + LISTS


@pytest.mark.parametrize(("content", "errors"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_check_prints_these_lines(
    notes: Path, run: Runner, content: str, errors: list[str]
) -> None:
    (notes / "demo" / "03-edge.yaml").write_text(HEAD + content, encoding="utf-8")
    result = run("check", "demo")
    assert result.exit_code == 1, result
    got = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert got == errors, result


@pytest.mark.parametrize(
    "points",
    [
        "points:\n  - One - two\n    three\n  - Four\n",
        "points:\n  - One - two\n    three\n\n  - Four\n",
        "points:\n  - text: One - two\n    note: n\n  - Four\n",
        "points:\nterms:\n",
        "points:\n  - Same plain point.\n  - Same plain point.\n",
    ],
    ids=[
        "next item",
        "blank line then next item",
        "text key then next item",
        "empty lists",
        "a plain point twice makes no card to clash",
    ],
)
def test_these_points_check_clean(notes: Path, run: Runner, points: str) -> None:
    """A ` - ` inside a wrapped point does not make the next, well placed item look run on; an
    empty list is no list at all; a point without a cloze makes no card, so repeating it is
    no duplicate."""
    (notes / "demo" / "03-edge.yaml").write_text(HEAD + points + CARD, encoding="utf-8")
    result = run("check", "demo")
    assert result.exit_code == 0, result
    assert "03-edge.yaml" not in result.output, result


def test_a_dash_run_on_in_a_wrapped_point_is_reported(notes: Path, run: Runner) -> None:
    (notes / "demo" / "03-edge.yaml").write_text(
        HEAD + "points:\n  - One - two\n    three\n    - Four\n", encoding="utf-8"
    )
    result = run("check", "demo")
    assert result.exit_code == 1, result
    got = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert got == [f"{F}:6:5: error: {RUN_ON}"], result


def test_a_citation_with_a_colon_must_be_quoted(notes: Path, run: Runner) -> None:
    path = notes / "demo" / "reading.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "sources:\n  - Yang\n  - Dikötter, Famine: 1958-62\n",
        encoding="utf-8",
    )
    result = run("check", "demo")
    assert result.exit_code == 1, result
    got = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert got == [
        "notes/demo/reading.yaml:9:5: error: put a citation that contains `: ` in quotes"
    ], result


def test_a_one_letter_citation_loads(notes: Path) -> None:
    path = notes / "demo" / "reading.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "sources: [X, Y Z]\n", encoding="utf-8")
    reading, problems = check_reading(notes / "demo")
    assert problems == [], problems
    assert reading is not None and reading.sources == ("X", "Y Z"), reading


LONG_ANSWER = (
    f"{F}:4:1: warning: definition has 30 words (budget 25): keep the one fact in `definition:` "
    "and move the rest to `note:` or to cards of its own [long-answer]"
)


@pytest.mark.parametrize(
    ("allow", "warnings"),
    [("", [LONG_ANSWER]), ("    allow: [long-answer]\n", [])],
    ids=["warned", "allowed on the term"],
)
def test_allow_on_a_term_silences_its_rule(
    notes: Path, run: Runner, allow: str, warnings: list[str]
) -> None:
    (notes / "demo" / "03-edge.yaml").write_text(
        HEAD + f"terms:\n  - term: Qzx\n    definition: {LONG}\n" + allow, encoding="utf-8"
    )
    result = run("check", "demo")
    assert result.exit_code == 0, result
    got = [line for line in result.stderr.splitlines() if "03-edge" in line]
    assert got == warnings, result


ITEMS = (
    "points:\n"
    "  - Plain {{point}}.\n"
    "  - text: Kept {{text}}.\n"
    "    note: a note\n"
    "    id: kept\n"
    "    allow: [long-note]\n"
    "terms:\n"
    "  - term: Lushan\n"
    "    definition: a conference\n"
    "    note: in 1959\n"
    "    id: lushan\n"
    "    allow: [long-answer]\n"
    "  - {term: Bare, definition: one}\n"
    "questions:\n"
    "  - q: Why?\n"
    "    a: Because.\n"
    "    note: n\n"
    "    id: why\n"
    "    allow: [list-answer, two-questions]\n"
)


def test_items_load_with_every_value(notes: Path) -> None:
    (notes / "demo" / "03-edge.yaml").write_text(HEAD + ITEMS, encoding="utf-8")
    reading, problems = check_reading(notes / "demo")
    assert problems == [], problems
    assert reading is not None, problems
    section = reading.sections[-1]
    points = [(p.text, p.annotation, p.id, p.line, p.allow) for p in section.points]
    assert points == [
        ("Plain {{point}}.", None, None, 4, ()),
        ("Kept {{text}}.", "a note", "kept", 5, ("long-note",)),
    ], points
    assert all(isinstance(p, Point) and p.cloze is not None for p in section.points), points
    assert section.terms == (
        Term("Lushan", "a conference", "in 1959", "lushan", 10, ("long-answer",)),
        Term("Bare", "one", None, None, 15, ()),
    ), section.terms
    assert section.questions == (
        Question("Why?", "Because.", "n", "why", 17, ("list-answer", "two-questions")),
    ), section.questions


@pytest.mark.parametrize("command", [("deck", "demo"), ("show", "demo", "edge", "--no-pager")])
def test_other_commands_print_the_misplaced_item_line(
    notes: Path, run: Runner, command: tuple[str, ...]
) -> None:
    (notes / "demo" / "03-edge.yaml").write_text(
        HEAD + CARD + '  - "{{1958}} was the year the Leap began."\n', encoding="utf-8"
    )
    result = run(*command)
    assert result.exit_code == 1 and result.exception is None, result
    got = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert got == [
        f"{F}:6:5: error: this looks like a point, not a question; move it under `points:`"
    ], result
    assert "Traceback" not in result.output, result


FOLDED = (
    "`{key}:` is indented deeper than `{opener}:` on line {line}, so YAML reads it as more of "
    "that text: line it up with `{opener}:` to make it a key"
)


@pytest.mark.parametrize(
    ("items", "where", "key", "opener", "line"),
    [
        (
            "points:\n  - text: >-\n      Output {{fell}} as the\n      communes grew.\n"
            "      note: >-\n        A simplification.\n",
            "7:7",
            "note",
            "text",
            4,
        ),
        (
            "terms:\n  - term: commune\n    definition: |\n      A merged collective.\n"
            "       id: commune\n",
            "7:8",
            "id",
            "definition",
            5,
        ),
        (
            'points:\n  - text: "Output {{fell}} as the communes grew.\n      note: Quoted."\n',
            "5:7",
            "note",
            "text",
            4,
        ),
    ],
    ids=["note-under-a-folded-point", "id-under-a-literal-definition", "note-in-quotes"],
)
def test_a_key_indented_into_the_text_above_is_reported(
    notes: Path, run: Runner, items: str, where: str, key: str, opener: str, line: int
) -> None:
    """YAML folds a key indented deeper than the one above into that key's `>`/`|` block or
    quoted text without a word: the card would show `note: ...` as words of the point."""
    (notes / "demo" / "03-edge.yaml").write_text(HEAD + items + CARD, encoding="utf-8")
    result = run("check", "demo")
    assert result.exit_code == 1, result
    got = [line for line in result.stderr.splitlines() if ": error: " in line]
    message = FOLDED.format(key=key, opener=opener, line=line)
    assert got == [f"{F}:{where}: error: {message}"], result


def test_key_words_inside_a_text_are_text(notes: Path, run: Runner) -> None:
    """`note:` within a line, a key word that is no key of an item, or a key lined up with
    the one above: nothing to report."""
    items = (
        "points:\n  - text: >-\n      As a {{side}} note: the\n      communes grew.\n"
        "      Source: the 1959 report.\n    note: Lined up.\n"
    )
    (notes / "demo" / "03-edge.yaml").write_text(HEAD + items + CARD, encoding="utf-8")
    result = run("check", "demo")
    assert result.exit_code == 0, result
    assert "03-edge.yaml" not in result.output, result


def test_an_excerpt_keeps_its_lines_as_found(notes: Path, run: Runner) -> None:
    """An excerpt is the reading's own text: an interview's `q:` and `a:` lines are text."""
    excerpt = "excerpt: |\n  The transcript:\n    q: Why?\n    a: Targets.\n"
    (notes / "demo" / "03-edge.yaml").write_text(HEAD + excerpt + CARD, encoding="utf-8")
    result = run("check", "demo")
    assert result.exit_code == 0, result
