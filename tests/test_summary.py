"""`studykit summary`: the one-page digest a student skims before a seminar.

The Markdown summary of the shipped reading is compared with tests/data/golden/summary.md.
After changing the shipped notes, regenerate the golden files and review the diff:

    STUDYKIT_UPDATE_GOLDENS=1 python -m pytest tests/test_outline.py tests/test_summary.py
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from conftest import Runner
from handout_helpers import (
    HANDOUT_NOTES,
    check_golden,
    chromium,
    html_tags,
    html_text,
    markdown_text,
    pdf_pages,
    print_to_pdf,
)

from studykit.handouts.summary import PAGE_LINES, PAGE_WIDTH
from studykit.notes.library import load

HOSTILE = "a<b & c>d # $ * _ {{ \\ ] Máo Zédōng nǚ 中文"


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "notes"
    shutil.copytree(HANDOUT_NOTES, target)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)
    return target


def test_markdown_summary_of_the_shipped_reading(shipped: Path, run: Runner) -> None:
    result = run("summary", "-f", "md")
    assert result.exit_code == 0, result
    check_golden("summary.md", result.stdout)


def test_the_shipped_summary_fits_a_page(shipped: Path, run: Runner) -> None:
    result = run("summary", "-f", "md")
    assert result.exit_code == 0, result
    assert "warning" not in result.stderr, result
    text = markdown_text(result.stdout)
    reading = load(None, shipped)
    # Wrapped as on the printed page; headings and paragraphs each start a line, and the gap
    # between two sections takes about half a line.
    paragraphs = [p for p in result.stdout.split("\n\n") if p.strip()]
    lines = sum(len(textwrap.wrap(markdown_text(p), PAGE_WIDTH)) for p in paragraphs)
    gaps = (len(reading.sections) + 1) // 2
    assert lines + gaps <= PAGE_LINES, f"{lines} lines and {gaps} gaps: more than a page"
    for section in reading.sections:
        assert section.title in text, f"{section.title!r} missing"
        for term in section.terms:
            assert term.term in text, f"key term {term.term!r} missing"


def test_the_summary_prints_on_one_page(shipped: Path, run: Runner, tmp_path: Path) -> None:
    browser = chromium()
    if browser is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    assert run("summary", "-o", "summary.html").exit_code == 0
    printed = print_to_pdf(browser, Path("summary.html"), tmp_path / "s.pdf", tmp_path / "p")
    assert pdf_pages(printed) == 1, f"the summary prints on {pdf_pages(printed)} pages"


def test_text_summary_is_the_default(shipped: Path, run: Runner) -> None:
    result = run("summary")
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    assert lines[0] == "The Failure of Mao Zedong's Collectivization", lines[:2]
    assert all(len(line) <= 80 for line in lines), "wrapped for a terminal"
    assert "1. Introduction" in lines, result.stdout


def test_a_section_without_summary_gets_a_marked_automatic_one(hostile: Path, run: Runner) -> None:
    result = run("summary", "-f", "md")
    assert result.exit_code == 0, result
    text = markdown_text(result.stdout)
    written = f"Section summary: {HOSTILE}"
    assert f"{written} Key terms" in text, "a written summary is not marked"
    automatic = text[text.index("2. Formatting") :]
    assert "(automatic summary)" in automatic, automatic
    assert "Output fell by a third in two years" in automatic, "sentences come from the points"


def test_sentences_caps_the_automatic_summary(hostile: Path, run: Runner) -> None:
    two = run("summary", "-f", "text").stdout
    one = run("summary", "-f", "text", "--sentences", "1").stdout
    part = lambda text: " ".join(text[text.index("2. Formatting") :].split())  # noqa: E731
    assert part(two).startswith(part(one).removesuffix(" (automatic summary)")), part(two)
    assert len(part(one)) < len(part(two)), f"{part(one)}\n{part(two)}"
    assert "(automatic summary)" in part(one), part(one)


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_special_characters_come_out_exactly_as_written(
    hostile: Path, run: Runner, fmt: str
) -> None:
    result = run("summary", "-f", fmt)
    assert result.exit_code == 0, result
    if fmt == "md":
        text = markdown_text(result.stdout)
    elif fmt == "html":
        text = html_text(result.stdout)
        assert "script" not in html_tags(result.stdout), "a note's <script> became an element"
    else:
        text = " ".join(result.stdout.split())
    for field in ["Hostile <script>alert(1)</script> ", "Reading summary: ", "Section summary: "]:
        assert field + HOSTILE in text, f"{field!r} changed in {fmt}:\n{text}"
    assert f"Term {HOSTILE}" in text, f"key term changed in {fmt}"


def test_html_summary_is_one_standalone_page(hostile: Path, run: Runner) -> None:
    result = run("summary", "-f", "html", "-o", "digest.html")
    assert result.exit_code == 0, result
    page = Path("digest.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>"), page[:40]
    assert "@page" in page and "<link" not in page, "print styles inline, nothing external"


@pytest.mark.parametrize("args", [["-f", "pdf"], ["--sentences", "0"], ["--sentences", "x"]])
def test_bad_options_are_usage_errors(hostile: Path, run: Runner, args: list[str]) -> None:
    result = run("summary", *args)
    assert result.exit_code == 2, result
    assert result.stdout == "", "nothing printed besides the error"


def test_broken_notes_name_file_and_line(hostile: Path, run: Runner) -> None:
    reading = hostile / "hostile" / "reading.yaml"
    reading.write_text("title: [unclosed\n", encoding="utf-8")
    result = run("summary", "-f", "md", "-o", "digest.md")
    assert result.exit_code == 1, result
    assert "reading.yaml:" in result.stderr and "error" in result.stderr, result
    assert "Traceback" not in result.output, result
    assert not Path("digest.md").exists(), "summary written from broken notes"
