"""The exact words and positions a student reads for YAML that does not parse.

Each case is a mistake students make (a tab, a stray character at the start of a value, an
anchor copied from a tutorial, a byte that is not UTF-8, old Mac line breaks) and the message,
line and column the strict reader reports for it. The last cases run `studykit check` and compare
the printed line, for positions inside a value and for what a wrong kind of value reads as.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import Runner

from studykit.errors import StudykitError
from studykit.notes.strict_yaml import parse_yaml, read_yaml

NOTES = Path("notes/demo/03-edge.yaml")
F = str(NOTES)


def _refusal(text: str | bytes) -> tuple[int, int, str]:
    """Line, column and message of the error a notes file with `text` gets."""
    with pytest.raises(StudykitError) as caught:
        parse_yaml(text, NOTES)
    assert caught.value.path == NOTES, "the message names the file it is about"
    return caught.value.line, caught.value.col, caught.value.message


TAB = "a tab in the indentation: YAML indents with spaces only, so replace this tab with spaces"
UNCLOSED = (
    "this quoted text is never closed: the `{q}` here has no closing `{q}` "
    "(add one where the text ends)"
)


def _quote(char: str, write: str) -> str:
    return f"a value that starts with {char} must be in quotes: write {write}"


# (id, text, line, column, message)
ANCHORS_ALIASES_TAGS = [
    (
        "anchor between two ampersands that are text",
        "a: R&D\nb: &x 1\nc: R&D\n",
        2,
        4,
        "anchors (&x) are not allowed (" + _quote("&", 'b: "&x 1"') + ")",
    ),
    (
        "alias after a key",
        "title: A\nsummary: *x\n",
        2,
        10,
        "aliases (*x) are not allowed; write the text out (" + _quote("*", 'summary: "*x"') + ")",
    ),
    (
        "alias as the whole first line",
        "*x\n",
        1,
        1,
        "aliases (*x) are not allowed; write the text out (" + _quote("*", '"*x"') + ")",
    ),
    (
        "anchor on the first line",
        "&x title: A\n",
        1,
        1,
        "anchors (&x) are not allowed (" + _quote("&", '"&x title: A"') + ")",
    ),
    (
        "anchor inside a flow list has no quote hint",
        "title: A\ntags: [&x demo]\n",
        2,
        8,
        "anchors (&x) are not allowed",
    ),
    (
        "anchor inside a flow mapping",
        "title: A\nterms:\n  - {term: &t x, definition: y}\n",
        3,
        12,
        "anchors (&t) are not allowed",
    ),
    (
        "a made-up tag",
        "title: A\nsummary: !note x\n",
        2,
        10,
        "tags (!note) are not allowed; every value is plain text ("
        + _quote("!", 'summary: "!note x"')
        + ")",
    ),
    (
        "a standard tag reads short",
        "title: !!str A\n",
        1,
        8,
        "tags (!!str) are not allowed; every value is plain text ("
        + _quote("!", 'title: "!!str A"')
        + ")",
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "col", "message"),
    [c[1:] for c in ANCHORS_ALIASES_TAGS],
    ids=[c[0] for c in ANCHORS_ALIASES_TAGS],
)
def test_anchor_alias_or_tag_is_refused_where_it_stands(
    text: str, line: int, col: int, message: str
) -> None:
    assert _refusal(text) == (line, col, message), f"exact refusal for {text!r}"


RESERVED_AND_TABS = [
    (
        "@ at the start of the first line",
        "- @name\n",
        1,
        3,
        _quote("@", '- "@name"'),
    ),
    (
        "backtick value on a later line",
        "title: A\nsummary: `code` first\n",
        2,
        10,
        _quote("`", 'summary: "`code` first"'),
    ),
    (
        # The parser trips on the `]` below; the value it was reading began with `!`.
        # A bare `!` is YAML's "no particular type" tag: read, it would vanish from the text.
        "bare ! then a stray bracket",
        "title: !\n  ]\n",
        1,
        8,
        "tags (!) are not allowed; every value is plain text (" + _quote("!", 'title: "!"') + ")",
    ),
    (
        "tab before the first key",
        "\ttitle: A\n",
        1,
        1,
        TAB,
    ),
    (
        "tab before a list item on a later line, lines follow",
        "title: A\npoints:\n\t- x\nnote: n\nmore: m\n",
        3,
        1,
        TAB,
    ),
    (
        # An editor shows the tab as spaces, so the keys look lined up: the tab is the mistake.
        "tab that seems to line a key up with the one above",
        "title: A\nquestions:\n  - q: Why?\n    a: Because.\n\t  note: n\n",
        5,
        1,
        TAB,
    ),
    (
        "tab after spaces before a key",
        "title: A\nquestions:\n  - q: Why?\n  \ta: Because.\n",
        4,
        3,
        TAB,
    ),
    (
        "tab after spaces before a dash",
        "title: A\nquestions:\n  - q: Why?\n    a: Because.\n  \t- q: How?\n    a: So.\n",
        5,
        3,
        TAB,
    ),
    (
        "tab after a dash",
        "title: A\npoints:\n  -\tx\n",
        3,
        4,
        TAB,
    ),
    (
        "tab in a block of text",
        "title: A\nsummary: |\n  one\n\ttwo\n",
        4,
        1,
        TAB,
    ),
    (
        "key deeper than its neighbour on the first lines",
        "title: A\n  summary: s\n",
        2,
        3,
        "`summary:` is indented deeper than `title:` on line 1; keys of one item must line up "
        "(same number of spaces)",
    ),
    (
        "unclosed quote",
        "title: 'A\n",
        1,
        8,
        UNCLOSED.format(q="'"),
    ),
    (
        # The parser reads on to the next `"`, on line 6, and stumbles only there.
        "unclosed double quote, more items after it",
        'title: A\npoints:\n  - "Mao launched the Leap in 1958\n  - Incentives fell.\n'
        '  - "Cadres over-reported."\n  - More.\n',
        3,
        5,
        UNCLOSED.format(q='"'),
    ),
    (
        "unclosed single quote, closed by an apostrophe items later",
        "title: A\npoints:\n  - 'Mao launched the Leap\n  - Incentives fell.\n"
        "  - The state's quota.\n",
        3,
        5,
        UNCLOSED.format(q="'"),
    ),
    (
        "unclosed quote in a value, keys after it",
        'title: A\nsummary: "In my words\npoints:\n  - "Cadres over-reported."\n',
        2,
        10,
        UNCLOSED.format(q='"'),
    ),
    (
        "unclosed quote in a question, the next question quoted",
        'title: A\nquestions:\n  - q: "Why did it fail?\n    a: Incentives.\n'
        '  - q: "How?"\n    a: So.\n',
        3,
        8,
        UNCLOSED.format(q='"'),
    ),
    (
        "unclosed quote in a flow list",
        'title: A\ntags: [a, "b]\n',
        2,
        11,
        UNCLOSED.format(q='"'),
    ),
    (
        # A tab after the indentation of a wrapped line is allowed: the key below is the mistake.
        "a tab inside wrapped text, a key too deep below it",
        "title: A\nsummary: one\n  \ttwo\n  points: x\n",
        4,
        3,
        "`points:` is indented deeper than `summary:` on line 2; keys of one item must line up "
        "(same number of spaces)",
    ),
    (
        # A quoted text wrapped onto a second line is closed: what follows the quote is wrong.
        "text after a closed quote on its second line",
        'title: A\nsummary: "one\n  two" three\n',
        3,
        8,
        "invalid YAML: while parsing a block mapping, did not find expected key (check the "
        "indentation of this line and the one above)",
    ),
    (
        "a merge left its conflict markers",
        "title: A\nsummary: s\n<<<<<<< HEAD\nnote: a\n=======\nnote: b\n>>>>>>> other\n",
        3,
        1,
        "an unresolved merge conflict (`<<<<<<< HEAD`): keep the lines you want from each side "
        "and delete the marker lines",
    ),
    (
        "stray colon in a value",
        "title: A: B\n",
        1,
        9,
        "invalid YAML: mapping values are not allowed in this context (quote text that "
        "contains `: `, or check the line above for a key without its `:`)",
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "col", "message"),
    [c[1:] for c in RESERVED_AND_TABS],
    ids=[c[0] for c in RESERVED_AND_TABS],
)
def test_parse_error_says_what_to_write(text: str, line: int, col: int, message: str) -> None:
    assert _refusal(text) == (line, col, message), f"exact message for {text!r}"


# Old Mac files break lines with a lone CR: the parser counts those lines, Python's split on
# "\n" does not, so the hints must not look past the end of the text.
CR_LINE_BREAKS = [
    (
        "alias on the second CR line",
        "a: 1\rb: *x",
        2,
        4,
        "aliases (*x) are not allowed; write the text out",
    ),
    (
        "alias on the third CR line",
        "a: 1\r\rb: *x",
        3,
        4,
        "aliases (*x) are not allowed; write the text out",
    ),
    (
        "@ on the second CR line",
        "a: 1\rb: @x",
        2,
        4,
        "invalid YAML: while scanning for the next token, found character that cannot start "
        "any token",
    ),
    (
        "quote never closed on the second CR line",
        "a: 1\rb: 'x",
        2,
        4,
        "invalid YAML: while scanning a quoted scalar, found unexpected end of stream "
        "(a quote or bracket is not closed)",
    ),
    (
        "quote never closed, CR lines with items after it",
        "title: A\rpoints:\r  - 'x\r  - y\r  - it's\r",
        3,
        3,
        "invalid YAML: while parsing a block collection, did not find expected '-' indicator",
    ),
    (
        "@ on the third CR line",
        "a: 1\r\rb: @x",
        3,
        4,
        "invalid YAML: while scanning for the next token, found character that cannot start "
        "any token",
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "col", "message"),
    [c[1:] for c in CR_LINE_BREAKS],
    ids=[c[0] for c in CR_LINE_BREAKS],
)
def test_cr_line_breaks_are_located_without_a_crash(
    text: str, line: int, col: int, message: str
) -> None:
    assert _refusal(text) == (line, col, message), f"exact message for {text!r}"


BAD_CHARACTERS = [
    ("control character on line 1", "ab\x07\n", 1, 3, "U+0007"),
    ("control character on line 2", "a: 1\nb: \x01\n", 2, 4, "U+0001"),
    ("control character on line 3", "a: 1\nbb: 2\ncc: \x02x\n", 3, 5, "U+0002"),
    ("control character after a long line", "title: Alpha\nb: c\x1b\n", 2, 5, "U+001B"),
]


@pytest.mark.parametrize(
    ("text", "line", "col", "code"),
    [c[1:] for c in BAD_CHARACTERS],
    ids=[c[0] for c in BAD_CHARACTERS],
)
def test_unprintable_character_is_located(text: str, line: int, col: int, code: str) -> None:
    expected = (line, col, f"control character {code} is not allowed in YAML")
    assert _refusal(text) == expected, f"exact place of the character in {text!r}"


def test_text_with_a_lone_surrogate_is_refused() -> None:
    """Text handed over as str (from an editor buffer) can hold half of a surrogate pair."""
    expected = (0, 0, "text is not valid Unicode")
    assert _refusal("title: A\ud800\n") == expected, "no UTF-8 exists for a lone surrogate"


NOT_UTF8 = [
    ("on line 2", b"a: 1\nbb: \xff\n", 2, 5, "0xff"),
    ("on line 3", b"a: 1\nbb: 2\nc: \xfe\n", 3, 4, "0xfe"),
    ("after a BOM", b"\xef\xbb\xbfa: \xff\n", 1, 4, "0xff"),
]


@pytest.mark.parametrize(
    ("data", "line", "col", "byte"), [c[1:] for c in NOT_UTF8], ids=[c[0] for c in NOT_UTF8]
)
def test_byte_that_is_not_utf8_is_located(data: bytes, line: int, col: int, byte: str) -> None:
    expected = (line, col, f"not UTF-8 (byte {byte}); save the file as UTF-8")
    assert _refusal(data) == expected, f"exact place of the byte in {data!r}"


UNCLOSED_POINT = (
    'title: A\nsummary: s\npoints:\n  - "Mao launched the Leap in 1958\n'
    '  - Collectivization removed incentives.\n  - "Cadres over-reported yields."\n'
    "questions:\n  - q: Why?\n    a: Because.\n"
)
TAB_NOTE = "title: A\nsummary: s\nquestions:\n  - q: Why?\n    a: Because.\n\t  note: n\n"

# (id, file content, the one error line `check` prints)
CHECKED = [
    (
        "title written as a mapping",
        "title:\n  a: b\n",
        f"{F}:2:3: error: 'title' should be text, found a mapping",
    ),
    (
        "a file that is a list",
        "- a\n- b\n",
        f"{F}:1:1: error: expected a mapping of keys (title: ...), found a list",
    ),
    (
        "cloze mistake in a plain point",
        "title: A\npoints:\n  - a {{}} b\n",
        f"{F}:3:7: error: cloze: empty deletion: put the hidden text between `{{{{` and `}}}}`, "
        "at '{{}} b'",
    ),
    (
        "cloze mistake in a point's text key after its note",
        "title: A\npoints:\n  - note: n\n    text: a {{}} b\n",
        f"{F}:4:13: error: cloze: empty deletion: put the hidden text between `{{{{` and `}}}}`, "
        "at '{{}} b'",
    ),
    (
        "cloze mistake on the third line of a literal block",
        "title: A\npoints:\n  - |\n    one\n    two\n    three {{}} b\n",
        f"{F}:6:11: error: cloze: empty deletion: put the hidden text between `{{{{` and `}}}}`, "
        "at '{{}} b'",
    ),
    (
        "cloze mistake on the first line of a literal block",
        "title: A\npoints:\n  - |\n    so {{x here\n    more\n",
        f"{F}:4:8: error: cloze: `{{{{` has no closing `}}}}`, at '{{{{x here more'",
    ),
    (
        "a quote never closed, more items after it",
        UNCLOSED_POINT,
        f"{F}:4:5: error: " + UNCLOSED.format(q='"'),
    ),
    (
        "a tab lining a key up with the one above",
        TAB_NOTE,
        f"{F}:6:1: error: {TAB}",
    ),
]


@pytest.mark.parametrize(
    ("content", "expected"), [c[1:] for c in CHECKED], ids=[c[0] for c in CHECKED]
)
def test_check_prints_the_located_line(
    notes: Path, run: Runner, content: str, expected: str
) -> None:
    (notes.parent / NOTES).write_text(content, encoding="utf-8")
    result = run("check", "demo")
    assert result.exit_code == 1, result
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert errors == [expected], f"exactly one error, located: {result!r}"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (UNCLOSED_POINT, f"{F}:4:5: error: " + UNCLOSED.format(q='"')),
        (TAB_NOTE, f"{F}:6:1: error: {TAB}"),
    ],
    ids=["a quote never closed", "a tab in the indentation"],
)
@pytest.mark.parametrize("command", [("deck", "demo"), ("show", "demo", "edge", "--no-pager")])
def test_other_commands_print_the_same_located_line(
    notes: Path, run: Runner, content: str, expected: str, command: tuple[str, ...]
) -> None:
    (notes.parent / NOTES).write_text(content, encoding="utf-8")
    result = run(*command)
    assert result.exit_code == 1 and result.exception is None, result
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [expected], f"exactly one error, located: {result!r}"
    assert "Traceback" not in result.output, result
    assert not (notes.parent / "cards").exists(), "a failed build writes no deck"


def _read_refusal(path: Path, max_bytes: int) -> tuple[Path | None, int, int, str]:
    with pytest.raises(StudykitError) as caught:
        read_yaml(path, max_bytes)
    error = caught.value
    return error.path, error.line, error.col, error.message


def test_oversize_file_is_refused_with_both_sizes(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"title: " + b"x" * 994)
    expected = (path, 0, 0, "file is 1,001 bytes; notes files are limited to 1,000")
    assert _read_refusal(path, 1000) == expected, "a file one byte too large names both sizes"


def test_file_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "full.yaml"
    path.write_bytes(b"title: " + b"x" * 993)
    node = read_yaml(path, 1000)
    assert isinstance(node, yaml.MappingNode), "a file at the limit is still a notes file"
    assert node.value[0][1].value == "x" * 993, "its text is read whole"


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p.mkdir(), "Is a directory"),
        (lambda p: None, "No such file or directory"),
    ],
    ids=["a folder named like a notes file", "a missing file"],
)
def test_unreadable_file_says_why(
    tmp_path: Path, make: Callable[[Path], None], reason: str
) -> None:
    path = tmp_path / "01-a.yaml"
    make(path)
    expected = (path, 0, 0, f"cannot read file: {reason}")
    # A folder's own size (4,096 on most file systems) must stay under the limit here.
    assert _read_refusal(path, 1 << 20) == expected, "the system's reason, without its jargon"


def test_broken_file_read_from_disk_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "02-b.yaml"
    path.write_bytes(b"title: A\nsummary: *x\n")
    path_, line, col, message = _read_refusal(path, 1000)
    assert (path_, line, col) == (path, 2, 10), "the refusal names the file, line and column"
    assert message.startswith("aliases (*x) are not allowed"), message
