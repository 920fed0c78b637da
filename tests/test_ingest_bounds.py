"""Time and memory of `ingest` on readings shaped to cost more than their size says.

A paragraph of "1. 1. 1. ..." was split into sentences in time squared (150,000 of them, 450
KB: 27 s), and a web page of nested tags under the 8 MB limit took 255 bytes of memory per
byte (a 6.4 MB page of nested lists ended in a MemoryError traceback under 1.5 GB). Each case
is reproduced here first, then readings as they usually are.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Runner
from growth import assert_doubling, cpu_seconds

from studykit.errors import StudykitError
from studykit.ingest.sentences import sentences
from studykit.ingest.webpage import MAX_MARKUP, refuse_crowded

# -- a paragraph of numbers ----------------------------------------------------------------------

READINGS = {
    "txt": lambda body: (
        f"Title\n\nONE\n\nIn 1959 the plenum met.\n\n{body}\n\nTWO\n\nThe famine began.\n"
    ),
    "md": lambda body: (
        f"# Title\n\n## One\n\nIn 1959 the plenum met.\n\n{body}\n\n## Two\n\nThe famine began.\n"
    ),
    "html": lambda body: (
        "<html><body><h1>Title</h1><h2>One</h2><p>In 1959 the plenum met.</p>"
        f"<p>{body}</p><h2>Two</h2><p>The famine began.</p></body></html>"
    ),
}


@pytest.mark.parametrize("fmt", list(READINGS))
def test_doubling_a_paragraph_of_numbered_stops_at_most_doubles_the_time(fmt: str) -> None:
    # Each "1." after the first was taken, as the word before its stop, with the paragraph's
    # whole text before it, lower-cased to look it up among abbreviations: 1.1 / 3.1 / 10.8 s
    # at 25k / 50k / 100k.
    from studykit.ingest.draft_notes import draft_reading
    from studykit.ingest.sections import plan_sections
    from studykit.ingest.sources import Source, parse

    def seconds(n: int) -> float:
        text = READINGS[fmt]("1. " * n)
        source = Source(text.encode(), f"x.{fmt}", fmt, None)
        return cpu_seconds(lambda: draft_reading(plan_sections(parse(source)), "Title"))

    assert_doubling(seconds, 40_000, f'drafting a {fmt} paragraph of "1. "', "this reading")


def test_doubling_a_page_of_unclosed_superscripts_at_most_doubles_the_time() -> None:
    # Each unclosed <sup> nests in the one before; raising its digits joined its whole text
    # again at each: 0.8 / 2.0 / 7.7 / 27 s at 20 / 40 / 80 / 160 KB.
    from studykit.ingest.sources import Source, parse

    def seconds(n: int) -> float:
        text = READINGS["html"]("10<sup>3" * n)
        source = Source(text.encode(), "x.html", "html", None)
        return cpu_seconds(lambda: parse(source))

    assert_doubling(seconds, 10_000, "reading a page of unclosed <sup>", "this page")


def test_a_paragraph_of_numbered_stops_is_a_sentence_to_each() -> None:
    assert sentences("1. " * 4) == ["1.", "1.", "1.", "1."]
    assert len(sentences("1. " * 100_000)) == 100_000


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        # Abbreviations and initials inside a sentence keep it whole.
        (
            "He met Dr. Smith in the U.S. in May. Then J. Smith left.",
            ["He met Dr. Smith in the U.S. in May.", "Then J. Smith left."],
        ),
        # An initial after a lower-case word, before a common word, ends the sentence.
        (
            "They discovered coenzyme A. In eukaryotic cells it is made in the mitochondria.",
            ["They discovered coenzyme A.", "In eukaryotic cells it is made in the mitochondria."],
        ),
        # The first sentence may open with an abbreviation.
        (
            "Dr. Smith came in 1959. The plenum met. It ended.",
            ["Dr. Smith came in 1959.", "The plenum met.", "It ended."],
        ),
        # A list run into one line: each number after a stop opens a sentence.
        (
            "The steps were these. 1. Boil the water. 2. Add the tea.",
            ["The steps were these.", "1.", "Boil the water.", "2.", "Add the tea."],
        ),
        # Chinese full stops end a sentence with no space after them.
        (
            "大跃进开始了。饥荒随之而来。 It failed. Etc. it went on.",
            ["大跃进开始了。", "饥荒随之而来。", "It failed.", "Etc. it went on."],
        ),
    ],
)
def test_sentences_of_usual_paragraphs_are_split_as_before(
    paragraph: str, expected: list[str]
) -> None:
    assert sentences(paragraph) == expected


# -- a web page of many tags ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "count"),
    [("<div>", MAX_MARKUP + 1), ("<ul><li>", MAX_MARKUP // 2 + 1), ("x</q>", MAX_MARKUP + 1)],
)
def test_a_page_of_more_tags_than_its_tree_can_hold_is_refused_in_one_line(
    here: Path, run: Runner, markup: str, count: int
) -> None:
    # 1 MB of nested <div> took 255 MB as a tree, 8 MB would take 2 GB; stray end tags each
    # made a piece of text of their own. Refused before anything is parsed.
    page = "<html><body><h1>T</h1>" + markup * count + "text. More text.</body></html>"
    Path("deep.html").write_text(page, encoding="utf-8")
    tags = page.count("<")
    assert tags > MAX_MARKUP
    result = run("ingest", "deep.html", "--id", "deep")
    assert result.exit_code == 1, result
    assert result.exception is None, result.exception
    assert result.stderr == (
        f"deep.html: error: a web page with {tags:,} tags; ingest reads pages of up to 600,000 "
        "tags (each takes about a kilobyte in memory): save it as text, or ingest it in parts\n"
    )
    assert not Path("notes").exists() or not any(Path("notes").iterdir()), "nothing written"


def test_a_page_piped_in_with_too_many_tags_is_refused_as_standard_input(
    here: Path, run: Runner
) -> None:
    page = "<html><body>" + "<br>" * MAX_MARKUP + "Text.</body></html>"
    result = run("ingest", "-", "--format", "html", "--id", "piped", input=page)
    assert result.exit_code == 1, result
    assert result.stderr.startswith(
        f"standard input: error: a web page with {page.count('<'):,} tags;"
    ), result.stderr


def test_a_page_at_the_limit_of_tags_is_read() -> None:
    # The largest saved manual found, Node.js's one-page API (8.4 MB, over the byte limit),
    # holds 363,653; the densest hold one `<` in 17 bytes, about 500,000 in 8 MB.
    refuse_crowded("<p>" * MAX_MARKUP, Path("page.html"))
    with pytest.raises(StudykitError) as refused:
        refuse_crowded("<p>" * (MAX_MARKUP + 1), Path("page.html"))
    assert str(refused.value).startswith("page.html: error: a web page with 600,001 tags;")


def test_a_page_of_many_tags_under_the_limit_drafts_its_notes(here: Path, run: Runner) -> None:
    rows = "".join(
        f"<tr><td>{year}</td><td>The harvest of {year} was <b>poor</b>.</td></tr>"
        for year in range(1000, 1600)
    )
    page = (
        "<html><body><h1>Harvests</h1><h2>Records</h2>"
        "<p>The <b>plenum</b> met in 1959. It ordered the records kept.</p>"
        f"<table>{rows}</table></body></html>"
    )
    Path("rows.html").write_text(page, encoding="utf-8")
    result = run("ingest", "rows.html", "--id", "rows")
    assert result.exit_code == 0, result
    section = Path("notes/rows/01-records.yaml").read_text(encoding="utf-8")
    assert "1599 | The harvest of 1599 was poor." in section
    assert "The plenum met in 1959." in section


def test_a_list_longer_than_a_notes_file_holds_is_refused_at_its_line(
    here: Path, run: Runner
) -> None:
    # It said "put blank lines between its paragraphs", of a list, naming no line.
    items = "".join(f"- Item {i} of the harvest records kept.\n" for i in range(30_000))
    Path("list.md").write_text(f"# Records\n\n## All\n\nThe records.\n\n{items}", "utf-8")
    result = run("ingest", "list.md", "--id", "records")
    assert result.exit_code == 1, result
    assert result.stderr.splitlines() == [
        "list.md:7:1: error: a paragraph or list in 'All (part 2)' is 1,248,889 characters "
        "long, more than a notes file holds: put blank lines between its paragraphs, or "
        "headings between parts of the list"
    ]
    assert not Path("notes").exists()


# -- running out of memory -----------------------------------------------------------------------

MEMORY_LIMIT = 300 * 1024 * 1024  # bytes of address space; ingest of a small reading takes < 100


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def test_running_out_of_memory_is_one_line_naming_the_file(tmp_path: Path) -> None:
    # 500,000 nested <div> are under the tag limit and take about 600 MB as a tree: under a
    # 300 MB limit the run ended in two chained MemoryError tracebacks.
    page = "<html><body><h1>T</h1>" + "<div>" * 500_000 + "text. More text.</body></html>"
    (tmp_path / "deep.html").write_text(page, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "studykit", "ingest", "deep.html", "--id", "deep"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        preexec_fn=_limited,
        check=False,
        timeout=300,
    )
    assert done.returncode == 1, done
    assert done.stderr == (
        "deep.html: error: ran out of memory drafting notes from this file: ingest it in "
        "parts, or free memory\n"
    )
    notes = tmp_path / "notes"
    assert not notes.exists() or not any(notes.iterdir()), "nothing written"
