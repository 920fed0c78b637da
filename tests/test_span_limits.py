"""What one text may hold that typst cannot set: a character of tens of thousands of code points,
and thousands of styled pieces in one paragraph. Both refused by `check`, located.

The audit's cases, reproduced first. One grapheme cluster over 65,535 bytes (33,000 combining
accents on one letter, 25,000 emoji joined by U+200D, a BibTeX title of 40,000 `\\'`) passed
`check`, and `outline -f pdf` failed with typst's Rust panic ("end byte index 65535 is not a char
boundary"). A point of `*a* ` written n times took time in the square of n in typst's paragraph
layout (10k: 3.6 s, 20k: 10.1 s, 40k: 36 s of CPU): as many pieces spread over many points, or as
much plain text, take linear time, so the template is not at fault, and one text is bounded.
"""

from __future__ import annotations

import json
import resource
import time
from pathlib import Path

import pytest
from conftest import Run, Runner
from growth import LIMIT
from handout_helpers import pdf_text

from studykit.notes.nesting import MAX_CLUSTER, MAX_STYLED_SPANS, long_cluster

SECTION = "notes/r/01-a.yaml"
ACUTE = "\u0301"
MAN, ZWJ = "\U0001f468", "\u200d"

CLUSTER = (
    f"one character ({{}}) is written with more than {MAX_CLUSTER} code points (accents, "
    "marks, characters joined by U+200D); no writing needs that many, and a PDF handout "
    "cannot set them: delete the extra ones"
)


def spans_error(count: int) -> str:
    return (
        f"this text has {count:,} pieces of bold, italics, code, links, formulas and cloze "
        f"answers, more than {MAX_STYLED_SPANS:,}; no note needs that many, and a PDF handout "
        "sets them in time that grows with the square of their number: split it into points"
    )


# The commands that read notes text, and the file each writes when it is not refused.
COMMANDS: list[tuple[tuple[str, ...], str | None]] = [
    (("check",), None),
    (("deck", "-o", "decks/"), "decks"),
    (("outline", "-f", "md", "-o", "o.md"), "o.md"),
    (("outline", "-f", "html", "-o", "o.html"), "o.html"),
    (("outline", "-f", "pdf", "-o", "o.pdf"), "o.pdf"),
    (("outline", "-f", "pdf", "--layout", "cards", "-o", "c.pdf"), "c.pdf"),
]


def errors(result: Run) -> list[str]:
    return [line for line in result.stderr.splitlines() if "error:" in line]


def refused_everywhere(run: Runner, expected: str) -> None:
    """Every command exits 1 with `expected` as its one error line, and writes nothing."""
    for args, output in COMMANDS:
        result = run(*args)
        assert result.exit_code == 1, (args, result)
        assert result.exception is None, (args, result.exception)
        assert errors(result) == [expected], (args, result)
        if output is not None:
            assert not Path(output).exists(), f"{args}: a refused command writes nothing"


def accepted_everywhere(run: Runner) -> None:
    for args, output in COMMANDS:
        result = run(*args)
        assert result.exit_code == 0, (args, result)
        assert result.exception is None, (args, result.exception)
        if output is not None:
            assert Path(output).exists(), args


def write(reading: Path, body: str) -> None:
    (reading / "01-a.yaml").write_text(f"title: S\n{body}", encoding="utf-8")


def quoted(text: str, width: int = 6_000) -> str:
    """`text` as a YAML double-quoted string of escapes, lines joined by a `\\` at their end."""
    pieces = [char.encode("unicode_escape").decode() for char in text]
    lines, line = [], ""
    for piece in pieces:  # never cut inside an escape
        if len(line) + len(piece) > width:
            lines.append(line)
            line = ""
        line += piece
    lines.append(line)
    return '"' + "\\\n    ".join(lines) + '"'


# -- one character of too many code points ------------------------------------------------------


@pytest.mark.parametrize(
    ("run_of", "base"),
    [(ACUTE * 33_000, "'e'"), ((MAN + ZWJ) * 25_000, f"'{MAN}'")],
    ids=["accents", "joined-emoji"],
)
def test_the_audits_clusters_are_refused_by_check_and_the_pdf_alike(
    empty_reading: Path, run: Runner, run_of: str, base: str
) -> None:
    write(empty_reading, f"points:\n  - text: {quoted('Before e' + run_of + ' after.')}\n")
    # The escapes in double quotes are not the characters read: the line is the scalar's.
    refused_everywhere(run, f"{SECTION}:3:11: error: " + CLUSTER.format(base))


FIELDS = {
    "point": "points:\n  - text: 'The {{{{answer}}}} came {}.'\n",
    "cloze-answer": "points:\n  - text: 'The answer {{{{came {}}}}} here.'\n",
    "note": "points:\n  - text: The {{{{answer}}}} came.\n    note: 'It came {}.'\n",
    "term": "terms:\n  - term: 'came {}'\n    definition: A word.\n",
    "definition": "terms:\n  - term: Word\n    definition: 'It came {}.'\n",
    "question": "questions:\n  - q: 'Who came {}?'\n    a: Nobody.\n",
    "answer": "questions:\n  - q: Who came?\n    a: 'Nobody came {}.'\n",
    "summary": "summary: 'It came {}.'\npoints:\n  - The {{{{answer}}}} came.\n",
}


def cluster(code_points: int) -> str:
    """A letter and its accents, of `code_points` in all."""
    return "e" + ACUTE * (code_points - 1)


def joined(men: int) -> str:
    """`men` men joined by U+200D: twice as many code points, less one."""
    return ZWJ.join([MAN] * men)


@pytest.mark.parametrize("field", list(FIELDS))
def test_a_cluster_at_the_bound_is_set_everywhere_and_one_past_it_refused_where_it_is(
    empty_reading: Path, run: Runner, field: str
) -> None:
    assert long_cluster(cluster(MAX_CLUSTER)) is None
    assert long_cluster(joined(MAX_CLUSTER // 2)) is None
    write(empty_reading, FIELDS[field].format(cluster(MAX_CLUSTER)))
    accepted_everywhere(run)
    assert ACUTE * (MAX_CLUSTER - 1) in Path("o.md").read_text(encoding="utf-8")

    body = FIELDS[field].format(cluster(MAX_CLUSTER + 1))
    write(empty_reading, body)
    line = body[: body.index("e" + ACUTE)].count("\n") + 2  # after the title's line
    col = len(body[: body.index("e" + ACUTE)].rsplit("\n", 1)[-1]) + 1
    expected = f"{SECTION}:{line}:{col}: error: " + CLUSTER.format("'e'")
    for args, _ in COMMANDS[:1] + COMMANDS[4:5]:
        result = run(*args)
        assert result.exit_code == 1, (args, result)
        assert errors(result) == [expected], (args, result)


def test_joined_emoji_one_past_the_bound_are_refused(empty_reading: Path, run: Runner) -> None:
    write(empty_reading, FIELDS["point"].format(joined(MAX_CLUSTER // 2)))  # 63 code points
    assert run("outline", "-f", "pdf", "-o", "o.pdf").exit_code == 0
    write(empty_reading, FIELDS["point"].format(joined(MAX_CLUSTER // 2 + 1)))
    result = run("check")
    assert errors(result) == [f"{SECTION}:3:32: error: " + CLUSTER.format(f"'{MAN}'")]


def test_an_excerpt_is_held_to_the_bound_too(empty_reading: Path, run: Runner) -> None:
    # Only ever read as plain text, but shown in the handouts all the same.
    write(
        empty_reading,
        f"excerpt: 'It came {cluster(MAX_CLUSTER + 1)}.'\npoints:\n  - The {{{{a}}}} came.\n",
    )
    assert errors(run("check")) == [f"{SECTION}:2:19: error: " + CLUSTER.format("'e'")]


def test_real_clusters_pass(empty_reading: Path, run: Runner) -> None:
    # A family (7 code points), a subdivision flag (7), Vietnamese with two accents, Hindi.
    flag = "🏴" + "".join(chr(0xE0000 + ord(c)) for c in "gbsct") + "\U000e007f"
    text = f"👨\u200d👩\u200d👧\u200d👦 {flag} Việt क्षि"
    write(empty_reading, f"points:\n  - text: 'The {{{{{text}}}}} came.'\n")
    assert run("outline", "-f", "pdf", "-o", "o.pdf").exit_code == 0
    assert long_cluster("中" * 10_000) is None
    assert long_cluster("a" + ACUTE * 63 + "b" + ACUTE * 63) is None


# -- in a bibliography --------------------------------------------------------------------------

CITED = "points:\n  - text: The year was {{1958}}.\n    note: See [@k].\n"


def cite(reading: Path, name: str, content: str) -> None:
    (reading / "reading.yaml").write_text(f"title: T\nbibliography: {name}\n", encoding="utf-8")
    (reading / name).write_text(content, encoding="utf-8")
    write(reading, CITED)


def test_the_audits_bibtex_title_of_40000_accents_is_refused(
    empty_reading: Path, run: Runner
) -> None:
    cite(
        empty_reading,
        "refs.bib",
        "@book{k, year={2000}, author={A, B}, title={" + "\\'" * 40_000 + "e}}\n",
    )
    expected = "notes/r/refs.bib:1:1: error: k: the title field: " + CLUSTER.format("'U+0301'")
    for args in (("check",), ("outline", "-f", "pdf", "-o", "o.pdf")):
        result = run(*args)
        assert result.exit_code == 1, (args, result)
        assert errors(result) == [expected], (args, result)
    assert not Path("o.pdf").exists()


@pytest.mark.parametrize("kind", ["bib", "json"])
def test_a_bibliography_field_at_the_bound_is_set_and_past_it_refused(
    empty_reading: Path, run: Runner, kind: str
) -> None:
    def content(title: str) -> str:
        if kind == "bib":
            return f"@book{{k, year={{2000}}, author={{Mao, Z.}}, title={{On {title}}}}}\n"
        item = {"id": "k", "type": "book", "title": f"On {title}", "author": [{"family": "Mao"}]}
        return json.dumps([item], ensure_ascii=False)

    cite(empty_reading, f"refs.{kind}", content(cluster(MAX_CLUSTER)))
    result = run("outline", "-f", "pdf", "-o", "o.pdf")
    assert result.exit_code == 0, result
    assert ACUTE * (MAX_CLUSTER - 1) in pdf_text(Path("o.pdf").read_bytes())
    cite(empty_reading, f"refs.{kind}", content(cluster(MAX_CLUSTER + 1)))
    where = (
        "notes/r/refs.bib:1:1: error: k: the title field: "
        if kind == "bib"
        else ("notes/r/refs.json:1:1: error: k: ")
    )
    assert errors(run("check")) == [where + CLUSTER.format("'e'")]


# -- styled pieces in one text ------------------------------------------------------------------


def folded(text: str) -> str:
    """`text` as a folded YAML block: lines of at most about 8,000 characters, cut at spaces."""
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + len(word) + 1 > 8_000:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return ">-\n" + "".join(f"      {part}\n" for part in lines)


@pytest.mark.parametrize("piece", ["*a* ", "`a` "], ids=["italics", "code"])
def test_the_audits_10000_styled_pieces_are_refused_by_check_and_the_pdf_alike(
    empty_reading: Path, run: Runner, piece: str
) -> None:
    write(empty_reading, f"points:\n  - text: {folded('Before ' + piece * 10_000 + 'after.')}")
    refused_everywhere(run, f"{SECTION}:3:11: error: " + spans_error(10_000))


# Where the run goes, the run's piece, how many pieces the text holds besides, and the column
# of the folded block that holds it.
PIECES = {
    "point": ("points:\n  - text: {}", "*a* ", " {{came}}.", 1, 11),
    "answer": ("questions:\n  - q: Why?\n    a: {}", "`a` ", ".", 0, 8),
    "links": ("points:\n  - text: {}", "[a](https://e.org) ", " {{came}}.", 1, 11),
    "note": ("points:\n  - text: Then {{{{a}}}}.\n    note: {}", "**a** ", ".", 0, 11),
    "definition": ("terms:\n  - term: Word\n    definition: {}", "$a$ ", ".", 0, 17),
}


@pytest.mark.parametrize("where", list(PIECES))
def test_styled_pieces_at_the_bound_are_set_and_one_past_it_refused(
    empty_reading: Path, run: Runner, where: str
) -> None:
    body, piece, end, others, col = PIECES[where]

    def text(count: int) -> str:
        return body.format(folded("Then " + piece * count + end))

    write(empty_reading, text(MAX_STYLED_SPANS - others))
    result = run("outline", "-f", "pdf", "-o", "o.pdf")
    assert result.exit_code == 0, result
    assert run("check").exit_code == 0
    write(empty_reading, text(MAX_STYLED_SPANS - others + 1))
    line = body.count("\n") + 2  # after the title's line
    result = run("check")
    expected = f"{SECTION}:{line}:{col}: error: " + spans_error(MAX_STYLED_SPANS + 1)
    assert errors(result) == [expected]


def test_many_pieces_spread_over_points_pass(empty_reading: Path, run: Runner) -> None:
    points = [f"  - text: 'Then {i} " + "*a* " * 100 + "{{came}}.'\n" for i in range(40)]
    write(empty_reading, "points:\n" + "".join(points))
    result = run("check")
    assert result.exit_code == 0, result


# -- growth under the bound -----------------------------------------------------------------------


def cpu_with_children(work: object) -> float:
    """CPU seconds of this process and of the children it waited for (typst's) during `work`."""
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.process_time()
    work()  # type: ignore[operator]
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    children = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return time.process_time() - start + children


@pytest.mark.linear_time
@pytest.mark.parametrize("piece", ["*a* ", "`a` "], ids=["italics", "code"])
def test_doubling_pieces_under_the_bound_at_most_doubles_the_pdfs_time(
    empty_reading: Path, run: Runner, piece: str
) -> None:
    # Typst's child counts: it does the layout. At the bound, one text of them; the time
    # beyond it grew 3-3.5x a doubling.
    def seconds(n: int) -> float:
        write(empty_reading, f"points:\n  - text: {folded('Before ' + piece * n + 'after.')}")
        results: list[Run] = []
        took = cpu_with_children(lambda: results.append(run("outline", "-f", "pdf", "-o", "o.pdf")))
        assert results[0].exit_code == 0, results[0]
        return took

    n = MAX_STYLED_SPANS // 2
    seconds(n)  # typst's import and fonts, once
    small = min(seconds(n) for _ in range(2))
    large = min(seconds(2 * n) for _ in range(3))
    assert large <= LIMIT * small, f"{small:.2f} s at {n:,}, {large:.2f} s at {2 * n:,}"


def test_ingest_refuses_a_reading_with_such_a_character_where_it_is(
    here: Path, run: Runner
) -> None:
    # Drafted, it made notes its own check refused: "internal error ... please report".
    Path("r.md").write_text(f"# T\n\n## A\n\nThe {cluster(MAX_CLUSTER + 1)} came.\n", "utf-8")
    result = run("ingest", "r.md", "--notes", "n", "--id", "r")
    assert result.exit_code == 1, result
    assert errors(result) == ["r.md:5:5: error: " + CLUSTER.format("'e'")]
    assert not Path("n").exists()
    Path("r.md").write_text(f"# T\n\n## A\n\nThe {cluster(MAX_CLUSTER)} came.\n", "utf-8")
    assert run("ingest", "r.md", "--notes", "n", "--id", "r").exit_code == 0


def test_ingest_refuses_one_written_as_entities_in_a_web_page(here: Path, run: Runner) -> None:
    page = (
        "<html><body><h1>T</h1><h2>A</h2><p>The Lushan Conference met in 1959. The e"
        + "&#769;" * 33_000
        + " came.</p><h2>B</h2><p>The Great Leap Forward ended in 1960.</p></body></html>"
    )
    Path("p.html").write_text(page, "utf-8")
    result = run("ingest", "p.html", "--notes", "n", "--id", "r")
    assert result.exit_code == 1, result
    assert errors(result) == ["p.html: error: " + CLUSTER.format("'e'")]
    assert not Path("n").exists()


def test_a_title_given_on_the_command_line_is_held_to_the_bound(
    empty_reading: Path, run: Runner
) -> None:
    Path("r.md").write_text("# T\n\n## A\n\nThe Lushan Conference met in 1959.\n", "utf-8")
    title = cluster(MAX_CLUSTER + 1)
    result = run("ingest", "r.md", "--notes", "n", "--id", "r", "--title", title)
    assert result.exit_code == 2, result
    assert "--title: " + CLUSTER.format("'e'") in result.stderr
    (empty_reading.parent / "s").mkdir()
    (empty_reading.parent / "s" / "reading.yaml").write_text("title: S\n", "utf-8")
    write(empty_reading, "points:\n  - The {{answer}} came.\n")
    write(empty_reading.parent / "s", "points:\n  - The {{answer}} went.\n")
    result = run("outline", "r", "s", "-f", "pdf", "-o", "p.pdf", "--title", title)
    assert result.exit_code == 2, result
    assert "--title: " + CLUSTER.format("'e'") in result.stderr
    assert not Path("p.pdf").exists()
    good = run("outline", "r", "s", "-f", "pdf", "-o", "p.pdf", "--title", cluster(MAX_CLUSTER))
    assert good.exit_code == 0, good


@pytest.mark.linear_time
def test_doubling_points_of_many_pieces_at_most_doubles_the_pdfs_time(
    empty_reading: Path, run: Runner
) -> None:
    # common.typ's `keep` measured each item before placing it, and typst's `measure` of an item
    # of many styled pieces costs more with every item before it: 2.5 s at 10 points, 7.2 s
    # at 20. Large items are no longer measured.
    def seconds(points: int) -> float:
        texts = [f"'Then {i} " + "*a* " * 1_000 + "{{came}}.'" for i in range(points)]
        write(empty_reading, "points:\n" + "".join(f"  - text: {t}\n" for t in texts))
        results: list[Run] = []
        took = cpu_with_children(lambda: results.append(run("outline", "-f", "pdf", "-o", "o.pdf")))
        assert results[0].exit_code == 0, results[0]
        return took

    seconds(2)
    small = min(seconds(10) for _ in range(2))
    large = min(seconds(20) for _ in range(3))
    assert large <= LIMIT * small, f"{small:.2f} s at 10 points, {large:.2f} s at 20"
