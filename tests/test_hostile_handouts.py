"""Hostile text through the handouts: outline and summary, as HTML and as Markdown.

A handout opened in a browser runs any live `<script>` or event handler in it, and Markdown
viewers pass raw HTML through, so text from the notes must come out as characters in every
format: no element or attribute the student did not write as text.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import Runner
from test_hostile_text import PNG, _quoted

PAYLOAD = '<script>alert(1)</script> <img src=x onerror=alert(1)> a<b & c>d "q" it\'s'
# Code spans: their characters are never Markdown or HTML, and a `<` in them is a character too.
CODE = "Code `a<b` and `<script>alert(1)</script>`"
CODE_SHOWN = "Code a<b and <script>alert(1)</script>"
LABELS = [
    "Title",
    "ReadingSummary",
    "Section",
    "SectionSummary",
    "Question",
    "Answer",
    "Point",
    "Hidden",
    "PointNote",
    "Term",
    "Definition",
]


class _Page(HTMLParser):
    """The elements and the text a browser would make of the HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._skip += tag in ("style", "title")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "title")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def _read(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def _write_reading(notes: Path, alt: str = f"Alt {PAYLOAD}") -> None:
    folder = notes / "hostile"
    folder.mkdir()
    (folder / "fig.png").write_bytes(PNG)
    (folder / "reading.yaml").write_text(
        f"title: {_quoted('Title ' + PAYLOAD)}\nsummary: {_quoted('ReadingSummary ' + PAYLOAD)}\n",
        encoding="utf-8",
    )
    (folder / "01-one.yaml").write_text(
        f"title: {_quoted('Section ' + PAYLOAD)}\n"
        f"summary: {_quoted('SectionSummary ' + PAYLOAD + ' ' + CODE)}\n"
        "points:\n"
        f"  - text: {_quoted('Point ' + PAYLOAD + ' {{Hidden ' + PAYLOAD + '}}')}\n"
        f"    note: {_quoted('PointNote ' + PAYLOAD)}\n"
        f"  - text: {_quoted(f'Pictured ![{alt}](fig.png)')}\n"
        f"  - text: {_quoted(CODE + ' {{in a card}}')}\n"
        "terms:\n"
        f"  - term: {_quoted('Term ' + PAYLOAD)}\n"
        f"    definition: {_quoted('Definition ' + PAYLOAD)}\n"
        "questions:\n"
        f"  - q: {_quoted('Question ' + PAYLOAD + '?')}\n"
        f"    a: {_quoted('Answer ' + PAYLOAD + ' ' + CODE)}\n",
        encoding="utf-8",
    )


def _assert_inert(page: _Page, where: str) -> None:
    for tag, attrs in page.elements:
        assert tag != "script", f"{where}: a live <script>"
        assert not [a for a in attrs if a.startswith("on")], f"{where}: a handler on <{tag}>"


@pytest.mark.parametrize(
    ("command", "labels"),
    [
        (["outline", "-f", "html"], LABELS),
        (["outline", "-f", "html", "--answers", "end"], LABELS),
        (["outline", "-f", "md"], LABELS),
        (["summary", "-f", "html"], ["Title", "ReadingSummary", "Section", "SectionSummary"]),
        (["summary", "-f", "md"], ["Title", "ReadingSummary", "Section", "SectionSummary"]),
    ],
    ids=["outline-html", "outline-html-end", "outline-md", "summary-html", "summary-md"],
)
def test_handouts_show_hostile_text_as_written(
    notes: Path, run: Runner, command: list[str], labels: list[str]
) -> None:
    _write_reading(notes)
    result = run(*command, "hostile", "-o", "out.txt")
    assert result.exit_code == 0, result
    output = Path("out.txt").read_text(encoding="utf-8")
    if "md" in command:
        from markdown_it import MarkdownIt

        # A Markdown viewer that passes raw HTML through, as many do.
        output = MarkdownIt("commonmark", {"html": True}).render(output)
    page = _read(output)
    _assert_inert(page, " ".join(command))
    text = " ".join(" ".join(page.text).split())
    for label in labels:
        assert f"{label} {PAYLOAD}" in text, f"{label}: the text as written, in {text!r}"


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(["outline", "-f", "html"], id="html"),
        pytest.param(["outline", "-f", "md"], id="md"),
    ],
)
def test_image_alt_text_cannot_break_out_of_its_attribute(
    notes: Path, run: Runner, command: list[str]
) -> None:
    alt = 'Alt x" onerror="alert(1)'
    _write_reading(notes, alt)
    result = run(*command, "hostile", "-o", "out.txt")
    assert result.exit_code == 0, result
    output = Path("out.txt").read_text(encoding="utf-8")
    if "md" in command:
        from markdown_it import MarkdownIt

        output = MarkdownIt("commonmark", {"html": True}).render(output)
    page = _read(output)
    [image] = [attrs for tag, attrs in page.elements if tag == "img"]
    assert " ".join(str(image.get("alt")).split()) == alt, f"alt as written: {image}"
    _assert_inert(page, " ".join(command))


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        # The section's summary, the point and the answer; the summary command shows the first.
        (["outline", "-f", "md"], 3),
        (["outline", "-f", "html"], 3),
        (["outline", "-f", "pdf"], 3),
        (["summary", "-f", "text"], 1),
        (["summary", "-f", "md"], 1),
        (["summary", "-f", "html"], 1),
    ],
    ids=["outline-md", "outline-html", "outline-pdf", "summary-text", "summary-md", "summary-html"],
)
def test_a_less_than_sign_in_code_reads_as_written(
    notes: Path, run: Runner, command: list[str], shown: int
) -> None:
    _write_reading(notes)
    fmt = command[-1]
    target = f"out.{'txt' if fmt == 'text' else fmt}"
    result = run(*command, "hostile", "-o", target)
    assert result.exit_code == 0, result
    if fmt == "pdf":
        from handout_helpers import pdf_text

        text = pdf_text(Path(target).read_bytes())
    else:
        output = Path(target).read_text(encoding="utf-8")
        if fmt == "md":
            from markdown_it import MarkdownIt

            # A Markdown viewer that passes raw HTML through, as many do.
            output = MarkdownIt("commonmark", {"html": True}).render(output)
        if fmt in ("md", "html"):
            page = _read(output)
            _assert_inert(page, " ".join(command))
            for code in ("a&lt;b", "&lt;script&gt;alert(1)&lt;/script&gt;"):
                assert output.count(f"<code>{code}</code>") == shown, f"<code>{code}</code>"
            output = " ".join(page.text)
        text = " ".join(output.split())
    assert text.count(CODE_SHOWN) == shown, f"{CODE_SHOWN!r} {shown} times in {text!r}"
