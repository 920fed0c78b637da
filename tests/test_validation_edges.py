"""Edges of validation: duplicate keys at every depth and cloze markers that are almost right.

Each broken file must give the student exactly one error line, naming the file, line and column
and saying what to change, and exit 1; `deck` must refuse it the same way and write nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Runner

from studykit.notes.cloze import ClozeError, Deletion, has_cloze, literal_text, parse_cloze

SECTION = "notes/demo/03-edge.yaml"
READING = "notes/demo/reading.yaml"

# (id, file, content, the one error line `check` prints)
BROKEN = [
    (
        "top-level key twice",
        SECTION,
        "title: A\nsummary: s\ntitle: B\n",
        f"{SECTION}:3:1: error: duplicate key 'title' (first at line 1)",
    ),
    (
        "reading key twice",
        READING,
        "title: A Demo Reading\ntags: [demo]\nsummary: s\ntags: [other]\n",
        f"{READING}:4:1: error: duplicate key 'tags' (first at line 2)",
    ),
    (
        "point key twice",
        SECTION,
        "title: A\npoints:\n  - text: one {{x}}\n    note: n\n    text: two {{y}}\n",
        f"{SECTION}:5:5: error: duplicate key 'text' (first at line 3)",
    ),
    (
        "point note twice",
        SECTION,
        "title: A\npoints:\n  - text: one {{x}}\n    note: n\n    note: m\n",
        f"{SECTION}:5:5: error: duplicate key 'note' (first at line 4)",
    ),
    (
        "term key twice",
        SECTION,
        "title: A\nterms:\n  - term: x\n    definition: y\n    term: z\n",
        f"{SECTION}:5:5: error: duplicate key 'term' (first at line 3)",
    ),
    (
        "question answer twice",
        SECTION,
        "title: A\nquestions:\n  - q: Why?\n    a: One.\n    a: Two.\n",
        f"{SECTION}:5:5: error: duplicate key 'a' (first at line 4)",
    ),
    (
        "question key twice in a flow mapping",
        SECTION,
        "title: A\nquestions:\n  - {q: Why?, a: One., q: How?}\n",
        f"{SECTION}:3:24: error: duplicate key 'q' (first at line 3)",
    ),
    (
        "nested deletion",
        SECTION,
        'title: A\npoints:\n  - "{{a {{b}} c}}"\n',
        f"{SECTION}:3:10: error: cloze: deletions cannot be nested; close this `{{{{` first, "
        "at '{{b}} c}}'",
    ),
    (
        "Anki's own numbering",
        SECTION,
        'title: A\npoints:\n  - "The {{c1::x}} here"\n',
        f"{SECTION}:3:10: error: cloze: write {{{{answer}}}} or {{{{answer::hint}}}}; deletions "
        "are numbered automatically, at '{{c1::x}} here'",
    ),
    (
        "empty answer",
        SECTION,
        'title: A\npoints:\n  - "a {{}} b"\n',
        f"{SECTION}:3:8: error: cloze: empty deletion: put the hidden text between `{{{{` and "
        "`}}`, at '{{}} b'",
    ),
    (
        "blank answer",
        SECTION,
        'title: A\npoints:\n  - "a {{   }} b"\n',
        f"{SECTION}:3:8: error: cloze: empty deletion: put the hidden text between `{{{{` and "
        "`}}`, at '{{ }} b'",
    ),
    (
        "empty answer before a hint",
        SECTION,
        'title: A\npoints:\n  - "a {{::hint}} b"\n',
        f"{SECTION}:3:8: error: cloze: empty deletion: put the hidden text between `{{{{` and "
        "`}}`, at '{{::hint}} b'",
    ),
    (
        "empty hint",
        SECTION,
        'title: A\npoints:\n  - "a {{x::}} b"\n',
        f"{SECTION}:3:8: error: cloze: empty hint after `::`; drop the `::` or write a hint, "
        "at '{{x::}} b'",
    ),
    (
        "unclosed inside emphasis",
        SECTION,
        'title: A\npoints:\n  - "so *{{x* it is"\n',
        f"{SECTION}:3:10: error: cloze: `{{{{` has no closing `}}}}`, at '{{{{x* it is'",
    ),
    (
        "unclosed inside code",
        SECTION,
        'title: A\npoints:\n  - "write `{{` here"\n',
        f"{SECTION}:3:13: error: cloze: `{{{{` has no closing `}}}}`, at '{{{{` here'",
    ),
    (
        "unclosed inside math",
        SECTION,
        'title: A\npoints:\n  - "so ${{x$ holds"\n',
        f"{SECTION}:3:10: error: cloze: `{{{{` has no closing `}}}}`, at '{{{{x$ holds'",
    ),
    (
        "second deletion unclosed",
        SECTION,
        'title: A\npoints:\n  - "{{a}} then {{b"\n',
        f"{SECTION}:3:17: error: cloze: `{{{{` has no closing `}}}}`, at '{{{{b'",
    ),
]


@pytest.mark.parametrize(
    ("path", "content", "expected"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_broken_edge_is_one_located_error(
    notes: Path, run: Runner, path: str, content: str, expected: str
) -> None:
    target = notes.parent / path
    target.write_text(content, encoding="utf-8")
    result = run("check", "demo")
    assert result.exit_code == 1, result
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert errors == [expected], f"exactly one error, located: {result!r}"
    assert "Traceback" not in result.output, result

    deck = run("deck", "demo")
    assert deck.exit_code == 1, deck
    assert expected.split(": error: ")[0] in deck.stderr, f"deck names the same place: {deck!r}"
    assert not Path("cards/demo.apkg").exists(), "no deck is written from broken notes"


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        # `\{{` is a literal brace pair, inside math too, not a deletion
        ("$\\{{x$ holds", ("${{x$ holds",)),
        # `}}` closing math braces beside deletions is text
        (
            "{{a}} and $e^{x^{2}}$ and {{b}}",
            (Deletion(1, "a", None), " and $e^{x^{2}}$ and ", Deletion(2, "b", None)),
        ),
        # a hint may hold `::`, an answer only as `\::`
        ("{{a::b::c}}", (Deletion(1, "a", "b::c"),)),
        ("{{std\\::vector}}", (Deletion(1, "std::vector", None),)),
        ("{{vector::std\\::name}}", (Deletion(1, "vector", "std::name"),)),
        # Markdown around or inside a deletion stays the student's text
        ("*{{x*}}", ("*", Deletion(1, "x*", None))),
        ("`{{code}}`", ("`", Deletion(1, "code", None), "`")),
        ("  {{ padded }}  ", ("  ", Deletion(1, "padded", None), "  ")),
    ],
)
def test_near_miss_markers_that_are_valid(text: str, parts: tuple[object, ...]) -> None:
    assert parse_cloze(text).parts == parts, f"{text!r} splits as the student meant"


def test_literal_braces_in_math_check_clean_and_make_no_card(notes: Path, run: Runner) -> None:
    (notes / "03-edge.yaml").write_text(
        'title: A\nsummary: s\npoints:\n  - "so $\\\\{{x$ holds"\nquestions:\n'
        "  - q: Why?\n    a: Because.\n",
        encoding="utf-8",
    )
    result = run("check", "demo")
    assert result.exit_code == 0, result
    assert ": error:" not in result.output, result


def test_cloze_error_reads_as_its_message() -> None:
    with pytest.raises(ClozeError, match=r"^empty hint after `::`; drop the `::` or write a hint$"):
        parse_cloze("a {{x::}} b")


def test_escaped_braces_read_as_written_outside_a_cloze() -> None:
    assert not has_cloze("a \\{{ b }}"), "an escaped `{{` opens no deletion"
    assert literal_text("a \\{{ b }} and \\{{c") == "a {{ b }} and {{c"


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("{{a {{b}} c {{d}}", 4),  # the first `{{` inside, not a later one
        ("{{a \\{{b {{c}}", 9),  # an escaped `{{` inside is skipped, the next one is not
        ("{{a \\{{b {{c}} {{d}}", 9),
        ("{{a \\{{{{b}}", 7),
    ],
)
def test_nested_deletion_is_reported_where_it_opens(text: str, offset: int) -> None:
    with pytest.raises(ClozeError) as raised:
        parse_cloze(text)
    assert (raised.value.message, raised.value.offset) == (
        "deletions cannot be nested; close this `{{` first",
        offset,
    ), text


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("{{a \\{{b}}", (Deletion(1, "a \\{{b", None),)),
        ("{{a \\{{{b}}}", (Deletion(1, "a \\{{{b}", None),)),
        (
            "{{a}} {{b \\{{c}} {{d}}",
            (
                Deletion(1, "a", None),
                " ",
                Deletion(2, "b \\{{c", None),
                " ",
                Deletion(3, "d", None),
            ),
        ),
        # A backslash near the end of the text (a Windows path) ends the search too.
        ("{{Windows}} keeps it in C:\\d", (Deletion(1, "Windows", None), " keeps it in C:\\d")),
    ],
)
def test_escaped_braces_inside_a_deletion_stay_in_its_answer(
    text: str, parts: tuple[object, ...]
) -> None:
    assert parse_cloze(text).parts == parts, text
