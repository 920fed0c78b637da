"""Headings and paragraphs of a saved web page (HTML), read with Beautiful Soup.

What a reader of the page reads is kept: paragraphs, list items (as `- ` or `1. ` lines, one
list to a paragraph), table rows (cells joined by ` | `), preformatted text as written. Scripts,
styles, forms, navigation and sidebars (`<aside>`) are dropped, and so are the page's own header
and footer: where the page has a `<main>` or a single `<article>`, only that is read; otherwise
every `<header>` and `<footer>` outside an article goes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from studykit.ingest.sources import Heading, Item, Paragraph

if TYPE_CHECKING:
    from bs4 import Tag

_DROPPED = [
    "script", "style", "noscript", "template", "svg", "math", "canvas", "iframe", "object",
    "nav", "aside", "form", "button", "select", "input", "textarea", "head",
]  # fmt: skip
_PAGE_FRAME = ["header", "footer"]
_BLOCKS = frozenset(
    "address article blockquote body caption center dd details dialog div dl dt fieldset "
    "figcaption figure footer header hgroup hr html li main ol p pre section summary table "
    "tbody tfoot thead tr ul".split()
)
# A list or a table is one paragraph, an item or a row to a line.
_GROUPS = ("ul", "ol", "table")
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
# Marks a <br>; decoding turned every control character of the source into a space.
_BREAK = "\x01"
_SPACES = re.compile(r"\s+")


def parse_html(text: str) -> tuple[list[Item], str | None]:
    """Headings and paragraphs of the page's article, and the page's `<title>`."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_tail_as_text(text), "html.parser")
    page_title = _clean(soup.title.get_text(" ")) if soup.title else None
    for tag in soup.find_all(_DROPPED):
        tag.decompose()
    articles = soup.find_all("article")
    main = soup.find("main")
    root: Tag = main or (articles[0] if len(articles) == 1 else None) or soup.body or soup
    if root is soup.body or root is soup:
        for frame in root.find_all(_PAGE_FRAME):
            if frame.find_parent(["article", "main"]) is None:
                frame.decompose()
    return _Reader().read(root), page_title or None


def _tail_as_text(text: str) -> str:
    """The page with every `<` after its last `>` written `&lt;`, which reads the same.

    No tag, comment, declaration or CDATA section can end without a `>`, so html.parser reads
    each such `<` as text; but first it scans to the end of the page for the missing `>` (or
    `-->`, `]]>`, closing quote), once per `<`: time squared in the `<`s (`<a b="` 20k times:
    35 s). A page as saved ends with `</html>` and has no such tail; in a cut-off one the text
    reads as before, except that an entity there (`&amp;`) is read, not kept as written."""
    first = text.find("<", text.rfind(">") + 1)
    if first == -1:
        return text
    return text[:first] + text[first:].replace("<", "&lt;")


class _Reader:
    """Walks the tree in document order without recursion (pages nest deeply) into items."""

    def __init__(self) -> None:
        self.items: list[Item] = []
        self.parts: list[str] = []
        self.prefix = ""
        self.lists: list[list[int]] = []  # per open list or table: [ordered, count]
        self.list_lines: list[str] = []

    def read(self, root: Tag) -> list[Item]:
        for event, node, text in _events(root):
            if event == "text":
                self.parts.append(text)
            elif event == "start":
                self.start(node)
            elif node.name in _GROUPS:
                self.flush()
                if self.lists:
                    self.lists.pop()
                if not self.lists:
                    self.end_list()
            elif node.name in _BLOCKS:
                self.flush()
        self.flush()
        self.end_list()
        return self.items

    def start(self, tag: Tag) -> None:
        name = tag.name
        if name in _HEADINGS:
            self.flush()
            self.end_list()
            words = _clean(tag.get_text(" "))
            if words:
                self.items.append(Heading(_HEADINGS[name], words, words))
        elif name == "pre":
            self.flush()
            self.paragraph(tag.get_text().strip("\n"), verbatim=True)
        elif name == "br":
            self.parts.append(_BREAK)
        elif name in ("td", "th"):
            if "".join(self.parts).strip():
                self.parts.append(" | ")
        elif name in _GROUPS:
            self.flush()
            self.lists.append([name == "ol", 0])
        elif name == "li":
            self.flush()
            ordered, count = self.lists[-1] if self.lists else [False, 0]
            if self.lists:
                self.lists[-1][1] = count + 1
            self.prefix = f"{count + 1}. " if ordered else "- "
        elif name in _BLOCKS:
            self.flush()

    def flush(self) -> None:
        text = "".join(self.parts)
        self.parts.clear()
        lines = [_clean(line) for line in text.split(_BREAK)]
        lines = [line for line in lines if line]
        if not lines:
            return
        if self.prefix:
            lines[0] = self.prefix + lines[0]
            self.prefix = ""
            self.list_lines.extend(lines)
            return
        if not self.lists:
            self.end_list()
        self.paragraph("\n".join(lines))

    def paragraph(self, text: str, verbatim: bool = False) -> None:
        lines = [line.rstrip() for line in text.split("\n")] if verbatim else [text]
        text = "\n".join(lines).strip("\n")
        if not text.strip():
            return
        if self.lists:
            self.list_lines.extend(text.split("\n"))
            return
        self.items.append(Paragraph(text))

    def end_list(self) -> None:
        if self.list_lines:
            self.items.append(Paragraph("\n".join(self.list_lines)))
            self.list_lines = []


def _events(root: Tag) -> Iterator[tuple[str, Tag, str]]:
    """("start", tag, ""), ("end", tag, "") and ("text", parent, text) in document order."""
    from bs4.element import NavigableString, Tag

    stack = [iter(root.children)]
    open_tags: list[Tag] = [root]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            closed = open_tags.pop()
            if stack:
                yield "end", closed, ""
        elif isinstance(child, Tag):
            yield "start", child, ""
            opaque = child.name in _HEADINGS or child.name == "pre"
            stack.append(iter(() if opaque else child.children))
            open_tags.append(child)
        elif type(child) is NavigableString:
            yield "text", open_tags[-1], str(child)


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()
