"""Where words stand on a printed page: PDF pages read back with poppler's pdftotext -bbox."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from conftest import DATA

LAYOUT_NOTES = DATA / "layouts"
MM = 72 / 25.4  # points in a millimetre

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def x(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def y(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: tuple[Word, ...]

    def find(self, text: str) -> Word:
        """The one word spelt `text` on the page."""
        found = [w for w in self.words if w.text == text]
        assert len(found) == 1, f"{text!r} is on the page {len(found)} times"
        return found[0]

    def has(self, text: str) -> bool:
        return any(w.text == text for w in self.words)

    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def pages(pdf: Path) -> list[Page]:
    """Every page of a PDF with its words and their boxes (points, from the top left)."""
    xml = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    found = []
    for chunk in xml.split("</page>")[:-1]:
        size = _PAGE.search(chunk)
        assert size is not None, "pdftotext gave a page without a size"
        words = tuple(
            Word(unescape(m[5]), float(m[1]), float(m[2]), float(m[3]), float(m[4]))
            for m in _WORD.finditer(chunk)
        )
        found.append(Page(float(size[1]), float(size[2]), words))
    return found


def layout_lines(pdf: Path, page: int) -> list[str]:
    """One page as `pdftotext -layout` sets it: words kept on the line they share."""
    return subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()


def reading_lines(words: list[Word]) -> str:
    """Words as read: line by line from the top, left to right within a line. A word belongs
    to a line when its middle is within 5 pt of the line's first word (a blank's hint sits
    lower than the words around it)."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.y):
        if lines and word.y - lines[-1][0].y < 5:
            lines[-1].append(word)
        else:
            lines.append([word])
    return " ".join(w.text for line in lines for w in sorted(line, key=lambda w: w.x0))
