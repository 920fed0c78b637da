"""Formulas and Markdown nested deeper than any renderer goes: refused by `check`, located.

The audit's cases, reproduced first. A formula of 300 plain `(`, `[` or `\\left(` passed `check`
(whose depth limit counted braces only) and the PDF handout failed with typst's "maximum parsing
depth exceeded", naming no line. Bold nested 300 deep in a point passed `check` and `deck`, and
`outline -f html|pdf` and `summary` printed a RecursionError traceback (at 1,000, `outline -f md`
too). Now every command refuses both with the same located line and writes nothing, and the
deepest text `check` accepts renders everywhere, PDFs set by the real typst.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Run, Runner
from handout_helpers import pdf_text

from studykit.notes import nesting
from studykit.notes.cloze import parse_cloze
from studykit.notes.inline import Span, formula, parse
from studykit.notes.inline import parse_cloze as spans_of_cloze
from studykit.notes.mathtext import MAX_FORMULA_DEPTH
from studykit.notes.nesting import MAX_MARKDOWN_DEPTH, depth, too_deep_markdown

SECTION = "notes/r/01-a.yaml"
PREFIX = "  - text: 'The value {{a}} is \\("  # a formula in a point starts at column 29
MARKDOWN = (
    f"this text nests bold, italics, links and cloze answers more than {MAX_MARKDOWN_DEPTH} "
    "deep; no note needs that many: check its `*`, `_` and `[`, or split it"
)

# Every command that reads notes, and the file each writes when it is not refused.
COMMANDS: list[tuple[tuple[str, ...], str | None]] = [
    (("check",), None),
    (("deck", "-o", "decks/"), "decks"),
    (("outline", "-f", "md", "-o", "o.md"), "o.md"),
    (("outline", "-f", "html", "-o", "o.html"), "o.html"),
    (("outline", "-f", "pdf", "-o", "o.pdf"), "o.pdf"),
    (("outline", "-f", "pdf", "--layout", "cards", "-o", "c.pdf"), "c.pdf"),
    (("outline", "-f", "pdf", "--layout", "fold", "-o", "f.pdf"), "f.pdf"),
    (("summary", "-o", "s.md"), "s.md"),
    (("summary", "-f", "html", "-o", "s.html"), "s.html"),
    (("show", "--no-pager"), None),
    (("review", "--limit", "1", "--state", "st.db"), None),
]


def write(reading: Path, body: str) -> None:
    (reading / "01-a.yaml").write_text(f"title: S\n{body}", encoding="utf-8")


def errors(result: Run) -> list[str]:
    return [line for line in result.stderr.splitlines() if "error:" in line]


def refused_everywhere(run: Runner, expected: str) -> None:
    """Every command exits 1 with `expected` as its one error line, and writes nothing."""
    for args, output in COMMANDS:
        result = run(*args, input="\n3\nq\n")
        assert result.exit_code == 1, (args, result)
        assert result.exception is None, (args, result.exception)
        assert errors(result) == [expected], (args, result)
        if output is not None:
            assert not Path(output).exists(), f"{args}: a refused command writes nothing"


def accepted_everywhere(run: Runner) -> dict[str, str]:
    """Every command exits 0 and writes its file; what each wrote or printed, by command."""
    seen: dict[str, str] = {}
    for args, output in COMMANDS:
        result = run(*args, input="\n3\nq\n")
        assert result.exit_code == 0, (args, result)
        assert result.exception is None, (args, result.exception)
        if output is not None:
            assert Path(output).exists(), args
            if Path(output).is_file() and not output.endswith(".pdf"):
                seen[output] = Path(output).read_text(encoding="utf-8")
        seen[" ".join(args)] = result.stdout
    return seen


# -- formulas: every kind of nesting typst and the converters go down ----------------------------

OPENERS = {
    "parentheses": ("(", ")", "`(...)`", "parentheses"),
    "brackets": ("[", "]", "`[...]`", "brackets"),
    "left-right": ("\\left( ", " \\right)", "`(...)`", "parentheses"),
    "left-right brackets": ("\\left[ ", " \\right]", "`[...]`", "brackets"),
    "braces": ("{ ", " }", "`{...}`", "braces"),  # spaced: `{{` opens a cloze deletion
}


def nested(kind: str, levels: int) -> str:
    opener, closer, _, _ = OPENERS[kind]
    return opener * levels + "x" + closer * levels


def formula_point(tex: str) -> str:
    return f"points:\n{PREFIX}{tex}\\).'\n"


def formula_error(kind: str, levels_before: int = MAX_FORMULA_DEPTH) -> str:
    """The line for a formula whose opener number `levels_before + 1` goes too deep."""
    opener, _, what, fix = OPENERS[kind]
    column = len(PREFIX) + len(opener) * levels_before + len(opener.rstrip(" "))
    return (
        f"{SECTION}:3:{column}: error: this formula nests {what} more than {MAX_FORMULA_DEPTH} "
        f"deep; no formula needs that many: check its {fix}, or split it"
    )


@pytest.mark.parametrize("kind", ["parentheses", "brackets", "left-right"])
def test_the_audits_300_deep_formula_is_refused_by_check_and_the_pdf_alike(
    empty_reading: Path, run: Runner, kind: str
) -> None:
    write(empty_reading, formula_point(nested(kind, 300)))
    refused_everywhere(run, formula_error(kind))


@pytest.mark.parametrize("kind", list(OPENERS))
def test_a_formula_one_level_too_deep_is_refused_at_the_opener(
    empty_reading: Path, run: Runner, kind: str
) -> None:
    write(empty_reading, formula_point(nested(kind, MAX_FORMULA_DEPTH + 1)))
    result = run("check")
    assert result.exit_code == 1, result
    assert errors(result) == [formula_error(kind)], result


@pytest.mark.parametrize("kind", list(OPENERS))
def test_a_formula_at_the_limit_is_set_as_math_in_every_handout(
    empty_reading: Path, run: Runner, kind: str
) -> None:
    tex = nested(kind, MAX_FORMULA_DEPTH)
    write(empty_reading, formula_point(tex))
    seen = accepted_everywhere(run)
    # As math, not as its source: the converter reads it, and typst set it in the PDFs above.
    assert formula(Span("math", tex, source=f"\\({tex}\\)")) is not None
    assert "<math>" in seen["o.html"] and 'class="tex"' not in seen["o.html"]
    assert "\\left" not in pdf_text(Path("o.pdf").read_bytes())


def test_kinds_count_together(empty_reading: Path, run: Runner) -> None:
    half = MAX_FORMULA_DEPTH // 2
    tex = "{ " * half + "(" * half + "[" + "x" + "]" + ")" * half + " }" * half
    write(empty_reading, formula_point(tex))
    result = run("check")
    assert result.exit_code == 1, result
    column = len(PREFIX) + 3 * half + 1
    assert errors(result) == [
        f"{SECTION}:3:{column}: error: this formula nests `[...]` more than {MAX_FORMULA_DEPTH} "
        "deep; no formula needs that many: check its brackets, or split it"
    ]


def test_intervals_and_unopened_closers_do_not_add_up(empty_reading: Path, run: Runner) -> None:
    # `[0, 1)` opens with a bracket and closes with a parenthesis, as typst pairs them; a
    # stray closer closes nothing, so it cannot hide openers after it.
    intervals = ", ".join(["[0, 1)"] * 200)
    write(empty_reading, formula_point(intervals))
    assert run("check").exit_code == 0
    write(empty_reading, formula_point(")" * 100 + "(" * (MAX_FORMULA_DEPTH + 1) + "x"))
    result = run("check")
    assert result.exit_code == 1, result
    assert f":3:{len(PREFIX) + 100 + MAX_FORMULA_DEPTH + 1}: error:" in result.stderr


def test_the_deepest_typst_math_check_lets_through_is_set(empty_reading: Path, run: Runner) -> None:
    # What check does not count nests too: bare `\sqrt\sqrt` (the handouts' parser shows more
    # than 96 atoms deep as written) and a cloze answer parsed apart inside the formula. With
    # the count at its limit (a parenthesis, the answer's `{{` and 29 more parentheses), typst
    # reads about 220 levels of the 255 it takes; the PDF is set, as math.
    inner = "\\sqrt " * 94 + "(" * 29 + "x" + ")" * 29
    tex = "\\sqrt " * 94 + "(" + "{{" + inner + "}}" + ")"
    write(empty_reading, f"points:\n  - text: 'The value is \\({tex}\\).'\n")
    result = run("outline", "-f", "pdf", "-o", "o.pdf")
    assert result.exit_code == 0, result
    assert "sqrt" not in pdf_text(Path("o.pdf").read_bytes()), "set as math, not as its source"


# -- Markdown: bold, italics, links and cloze answers inside each other --------------------------


def strong(levels: int) -> str:
    return "**a " * levels + "x" + " b**" * levels


def mixed(levels: int, inner: str = "x") -> str:
    """A link around bold and italics taking turns, `levels` deep with `inner` innermost."""
    pairs, odd = divmod(levels - 1, 2)
    opening = "[" + "**a _b " * pairs + ("**c " if odd else "")
    closing = (" d**" if odd else "") + " e_ f**" * pairs + "](https://example.org)"
    return opening + inner + closing


def point(text: str) -> str:
    return f"points:\n  - text: '{text}'\n"


def test_the_audits_300_deep_bold_is_refused_by_every_command(
    empty_reading: Path, run: Runner
) -> None:
    write(empty_reading, point(f"The value {{{{a}}}} is {strong(300)}."))
    refused_everywhere(run, f"{SECTION}:3:11: error: {MARKDOWN}")


def test_one_level_too_deep_is_refused_by_every_command(empty_reading: Path, run: Runner) -> None:
    text = f"The value {mixed(MAX_MARKDOWN_DEPTH, '{{x}}')} here."
    assert depth(spans_of_cloze(parse_cloze(text), True)) == MAX_MARKDOWN_DEPTH + 1
    write(empty_reading, point(text))
    refused_everywhere(run, f"{SECTION}:3:11: error: {MARKDOWN}")


def test_at_the_limit_every_command_renders(empty_reading: Path, run: Runner) -> None:
    text = f"The value {mixed(MAX_MARKDOWN_DEPTH - 1, '{{x}}')} here."
    assert depth(spans_of_cloze(parse_cloze(text), True)) == MAX_MARKDOWN_DEPTH
    write(empty_reading, point(text))
    seen = accepted_everywhere(run)
    html = seen["o.html"]
    assert "<em>b <strong>a " in html and '<strong class="deletion">x</strong>' in html


@pytest.mark.parametrize(
    ("body", "line", "column"),
    [
        ("summary: '{}'\n", 2, 10),
        ("points:\n  - text: Plain.\n    note: '{}'\n", 4, 11),
        ("points:\n  - '{}'\n", 3, 5),
        ("terms:\n  - term: T\n    definition: '{}'\n", 4, 17),
        ("questions:\n  - q: '{}'\n    a: A.\n", 3, 8),
        ("questions:\n  - q: Q?\n    a: '{}'\n", 4, 8),
    ],
    ids=["summary", "note", "bare point", "definition", "question", "answer"],
)
def test_every_field_is_held_to_the_limit_where_it_stands(
    empty_reading: Path, run: Runner, body: str, line: int, column: int
) -> None:
    write(empty_reading, body.format(strong(MAX_MARKDOWN_DEPTH + 1)))
    result = run("check")
    assert result.exit_code == 1, result
    assert f"{SECTION}:{line}:{column}: error: {MARKDOWN}" in result.stderr.splitlines(), result
    write(empty_reading, body.format(strong(MAX_MARKDOWN_DEPTH)))
    result = run("check")
    assert "error:" not in result.stderr, result


def test_a_reading_title_is_held_to_the_limit(empty_reading: Path, run: Runner) -> None:
    (empty_reading / "reading.yaml").write_text(
        f"title: '{strong(MAX_MARKDOWN_DEPTH + 1)}'\n", encoding="utf-8"
    )
    write(empty_reading, point("The value {{a}} is here."))
    result = run("outline", "-f", "html", "-o", "o.html")
    assert result.exit_code == 1, result
    assert errors(result) == [f"notes/r/reading.yaml:1:8: error: {MARKDOWN}"]
    assert not Path("o.html").exists()


def test_a_cloze_answer_counts_with_what_it_stands_in(empty_reading: Path) -> None:
    # The answer's own bold sits inside the deletion, inside the bold around it.
    half = MAX_MARKDOWN_DEPTH // 2
    text = "Say " + "**a " * half + "{{" + strong(half) + "}}" + " b**" * half + "."
    cloze = parse_cloze(text)
    assert depth(spans_of_cloze(cloze, True)) == MAX_MARKDOWN_DEPTH + 1
    assert too_deep_markdown(text, cloze) == MARKDOWN


def test_answers_that_nest_only_once_joined_are_summarised(
    empty_reading: Path, run: Runner
) -> None:
    # Each answer is `**a` alone, so the point nests nothing; the automatic summary reads the
    # point with its answers in place, bold 40 deep, and walks it without recursion.
    text = " ".join(["{{**a}}"] * 40) + " x " + " ".join(["{{b**}}"] * 40)
    assert depth(spans_of_cloze(parse_cloze(text), True)) == 1
    write(empty_reading, f"points:\n  - text: 'The {text}.'\n")
    for args in (("summary", "-o", "s.md"), ("summary", "-f", "html", "-o", "s.html")):
        result = run(*args)
        assert result.exit_code == 0, (args, result)


def test_the_excerpt_is_plain_text_and_not_held_to_it(empty_reading: Path, run: Runner) -> None:
    write(
        empty_reading,
        f"excerpt: '{strong(100)}'\n" + point("The value {{a}} is here."),
    )
    result = run("check")
    assert "error:" not in result.stderr, result


@pytest.mark.parametrize(
    "text",
    [
        "[a " * 300 + "x" + "](https://example.org)" * 300,
        "~~a " * 300 + "x" + " b~~" * 300,
        "> " * 300 + "x",
        "- " * 300 + "x",
        "<" * 300 + "x" + ">" * 300,
    ],
    ids=["links in links", "tildes", "quote marks", "list marks", "angle brackets"],
)
def test_what_markdown_does_not_nest_renders_everywhere_at_300(
    empty_reading: Path, run: Runner, text: str
) -> None:
    # A link holds no link (only the innermost is one), notes text is inline (a `>` or `-` is
    # text, not a quote or a list) and `~~` is no strikethrough in CommonMark: nothing to limit.
    write(empty_reading, point(f"The value {{{{a}}}} is {text}."))
    accepted_everywhere(run)


def test_most_texts_are_not_parsed_to_be_measured() -> None:
    # Fewer `*`, `_` and `[` than the limit cannot nest past it: nothing to parse.
    assert too_deep_markdown("*" * (MAX_MARKDOWN_DEPTH - 1)) is None
    assert depth(parse("**a** and *b* and [c](u)")) == 1
    assert depth(parse(strong(3))) == 3


def test_every_pdf_layout_sets_twice_the_limit_in_every_field(
    empty_reading: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The margin MAX_MARKDOWN_DEPTH keeps below what typst sets: with the limit doubled, a
    # reading nested that deep in every field it has prints in every layout, and in a pack.
    deep = 2 * MAX_MARKDOWN_DEPTH
    monkeypatch.setattr(nesting, "MAX_MARKDOWN_DEPTH", deep)
    text = mixed(deep)
    for name in ("r", "s"):
        folder = empty_reading.parent / name
        folder.mkdir(exist_ok=True)
        (folder / "reading.yaml").write_text(
            f"title: 'T {text}'\nsummary: '{text}'\nsources:\n  - 'Src {text}'\n",
            encoding="utf-8",
        )
        (folder / "01-a.yaml").write_text(
            f"title: 'S {text}'\nsummary: '{text}'\npoints:\n"
            f"  - text: 'The {mixed(deep - 1, '{{x}}')} end.'\n    note: '{text}'\n"
            f"  - 'Plain {text}'\nterms:\n  - term: 'T {text}'\n    definition: '{text}'\n"
            f"questions:\n  - q: 'Why {text}?'\n    a: '{text}'\n",
            encoding="utf-8",
        )
    assert run("check").exit_code == 0
    for layout in ("cornell", "fold", "cards"):
        for answers in ("inline", "none"):
            args = ("-f", "pdf", "--layout", layout, "--answers", answers, "-o", "o.pdf")
            result = run("outline", "r", *args)
            assert result.exit_code == 0, (layout, answers, result)
    result = run("outline", "-f", "pdf", "-o", "pack.pdf")
    assert result.exit_code == 0, result
