"""`studykit outline --answers none`: a sheet to test yourself on gives no answer away.

It keeps what asks (titles, source, cue questions, terms, cloze points with their deletions
blanked) and leaves out whatever states an answer (answers, definitions, summaries, plain points,
annotations), in Markdown, HTML and PDF alike.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import Runner
from handout_helpers import compact, html_text, markdown_text, pdf_text
from markdown_it import MarkdownIt

from studykit.notes.cloze import Cloze, Deletion
from studykit.notes.library import load

FORMATS = ["md", "html", "pdf"]


def sheet(run: Runner, fmt: str, *args: str) -> str:
    """The self-test sheet as the student reads it: rendered Markdown, HTML or PDF text."""
    if fmt == "pdf":
        result = run("outline", *args, "--answers", "none", "-f", "pdf", "-o", "sheet.pdf")
        assert result.exit_code == 0, result
        return pdf_text(Path("sheet.pdf").read_bytes())
    result = run("outline", *args, "--answers", "none", "-f", fmt)
    assert result.exit_code == 0, result
    return markdown_text(result.stdout) if fmt == "md" else html_text(result.stdout)


def visible(source: str) -> str:
    """What notes text shows once its inline Markdown is rendered."""
    return html_text(MarkdownIt("commonmark", {"html": False, "breaks": True}).renderInline(source))


def blanked(cloze: Cloze, fmt: str) -> str:
    """A cloze point as the sheet shows it: `[…]`/`[hint]` in Markdown, the hint on a line else."""

    def blank(part: Deletion) -> str:
        if fmt == "md":
            return f"[{part.hint or '…'}]"
        return part.hint or ""

    return "".join(p if isinstance(p, str) else blank(p) for p in cloze.parts)


# -- a small reading, whole ------------------------------------------------------------------

DEMO_MARKDOWN = """\
# A Demo Reading

**Source:** demo.txt

## 1. Basics

### Cue questions

1. Why did output fall?
2. What is a\\<b & c>d?

### Notes

- The \\[…\\] conference met in \\[year\\].

### Terms

- **People's commune**
- **no**

## 2. More

### Cue questions

1. One more?

### Notes

- Set \\[a letter\\] and \\[…\\] and \\[…\\].
"""


def test_the_markdown_sheet_keeps_only_what_asks(notes: Path, run: Runner) -> None:
    result = run("outline", "demo", "--answers", "none")
    assert result.exit_code == 0, result
    # Gone: the reading's and the sections' summaries, both answers and the answer's note,
    # the definitions and the term's note, the plain points and the cloze point's note.
    assert result.stdout == DEMO_MARKDOWN, result.stdout


def test_the_html_sheet_keeps_only_what_asks(notes: Path, run: Runner) -> None:
    result = run("outline", "demo", "--answers", "none", "-f", "html")
    assert result.exit_code == 0, result
    assert html_text(result.stdout) == (
        "Self-test A Demo Reading Source: demo.txt "
        "1 Basics Cues Why did output fall? What is a<b & c>d? "
        "Notes The conference met in year. Terms People's commune no "
        "2 More Cues One more? Notes Set a letter and and ."
    ), html_text(result.stdout)
    # Each deletion is a line to write on, with the hint on it where the notes give one.
    assert (
        '<li><p>The <span class="blank" title="answer left out"></span> conference met in '
        '<span class="blank" title="answer left out">year</span>.</p></li>'
    ) in result.stdout, result.stdout


def test_the_pdf_sheet_keeps_only_what_asks(notes: Path, run: Runner) -> None:
    from pypdf import PdfReader

    result = run("outline", "demo", "--answers", "none", "-f", "pdf", "-o", "sheet.pdf")
    assert result.exit_code == 0, result
    reader = PdfReader(io.BytesIO(Path("sheet.pdf").read_bytes()))
    lines = [line.strip() for page in reader.pages for line in page.extract_text().splitlines()]
    assert lines == [
        "S E L F -T E S T",  # the letter-spaced kicker, as pypdf reads it
        "A Demo Reading",
        "Source: demo.txt",
        "1 Basics",
        "CUES",
        "1. Why did output fall?",
        "2. What is a<b & c>d?",
        "NOTES",
        "• The  conference met in year .",
        "TERMS",
        "People's commune",
        "no",
        "2 More",
        "CUES",
        "1. One more?",
        "NOTES",
        "• Set a letter  and  and .",
        "1 / 1",
    ], lines


# -- the shipped reading ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_shipped_reading_gives_no_answer_away(shipped: Path, run: Runner, fmt: str) -> None:
    text = compact(sheet(run, fmt))
    reading = load(None, shipped)
    assert reading.summary and compact(visible(reading.summary)) not in text, "reading summary"
    assert compact("Summary") not in text and compact("SUMMARY") not in text, "a summary heading"
    for section in reading.sections:
        where = f"{section.id} ({fmt})"
        assert compact(visible(section.title)) in text, f"title of {where}"
        assert section.summary and compact(visible(section.summary)) not in text, f"summary {where}"
        for question in section.questions:
            assert compact(visible(question.q)) in text, f"cue {question.q!r} of {where}"
            assert compact(visible(question.a)) not in text, f"answer {question.a!r} of {where}"
            if question.annotation:
                assert compact(visible(question.annotation)) not in text, f"annotation in {where}"
        for term in section.terms:
            assert compact(visible(term.term)) in text, f"term {term.term!r} of {where}"
            assert compact(visible(term.definition)) not in text, f"definition in {where}"
            if term.annotation:
                assert compact(visible(term.annotation)) not in text, f"term's note in {where}"
        for point in section.points:
            if point.annotation:
                assert compact(visible(point.annotation)) not in text, f"annotation in {where}"
            if point.cloze is None:
                assert compact(visible(point.text)) not in text, f"plain point in {where}"
                continue
            shown = compact(visible(blanked(point.cloze, fmt)))
            assert shown in text, f"blanked point {shown[:40]!r}… not in {where}"
            answered = compact(visible(point.cloze.plain()))
            assert answered not in text, f"answers of {answered[:40]!r}… in {where}"
