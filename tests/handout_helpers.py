"""What a reader sees in a handout: golden files, visible text of Markdown, HTML and PDF."""

from __future__ import annotations

import difflib
import io
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

from conftest import DATA

GOLDEN = DATA / "golden"
HANDOUT_NOTES = DATA / "handouts"
UPDATE = os.environ.get("STUDYKIT_UPDATE_GOLDENS") == "1"


def check_golden(name: str, actual: str) -> None:
    """Compare with tests/data/golden/<name>, or rewrite it when STUDYKIT_UPDATE_GOLDENS=1."""
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.is_file(), f"no golden {path}: run with STUDYKIT_UPDATE_GOLDENS=1 once"
    expected = path.read_text(encoding="utf-8")
    diff = "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True), actual.splitlines(keepends=True), "golden", "now"
        )
    )
    assert actual == expected, f"{name} differs from its golden file:\n{diff[:4000]}"


class _Text(HTMLParser):
    """Visible text of an HTML page, and the elements it contains."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)
        if tag in ("style", "title", "head"):
            self._hidden += 1
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title", "head"):
            self._hidden -= 1
        if tag in ("p", "li", "h1", "h2", "h3", "dt", "dd", "div", "section"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def html_text(page: str) -> str:
    """The text a browser shows for an HTML page, whitespace collapsed."""
    parser = _Text()
    parser.feed(page)
    return squash("".join(parser.parts))


def html_tags(page: str) -> list[str]:
    parser = _Text()
    parser.feed(page)
    return parser.tags


def html_attrs(page: str) -> list[tuple[str, str | None]]:
    parser = _Text()
    parser.feed(page)
    return parser.attrs


def markdown_text(markdown: str) -> str:
    """The text a CommonMark renderer shows for a Markdown document."""
    from markdown_it import MarkdownIt

    return html_text(MarkdownIt("commonmark").render(markdown))


def pdf_text(data: bytes) -> str:
    """The text of every page of a PDF, whitespace collapsed."""
    from pypdf import PdfReader

    return squash("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def squash(text: str) -> str:
    return " ".join(text.split())


def compact(text: str) -> str:
    """Text without any whitespace: PDF extraction is free with spaces at line ends."""
    return "".join(text.split())


def copy_notes(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def print_to_pdf(browser: str, page: Path, pdf: Path, profile: Path) -> bytes:
    """Print an HTML file to PDF with headless Chromium, as a student's browser would."""
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.resolve().as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return pdf.read_bytes()
