"""Headings and paragraphs of a saved web page (HTML), read with Beautiful Soup.

What a reader of the page reads is kept: paragraphs, list items (as `- ` or `1. ` lines, one
list to a paragraph), table rows (cells joined by ` | `), preformatted text as written, images
with alt text as Markdown's `![alt](src)` (badges aside), the text of a form (a quiz's questions
and the labels of its answers), a note set aside in the text (`<aside>` within the article or
the `<main>`), the header and footer of a section or a quotation.

What frames the page is dropped: scripts, styles, navigation, form controls (their words are
the page's, "Subscribe", "Search"; a button's words in a heading are the heading's), search,
sign-in, subscription and comment forms, the page's sidebars (an `<aside>` outside the
article, or one of only links), cookie notices, dialogs not open, and the page's own header
and footer. Where the page has a
`<main>` (or a `role="main"`, or else a single `<article>`), only that is read, with the
headed `<section>`s beside it; loose text outside them is taken for the page's frame.
"""

from __future__ import annotations

from pathlib import Path

from studykit.errors import StudykitError
from studykit.ingest.abstracts import _AUTHOR
from studykit.ingest.inline_text import _ENTITY_CONTROLS, _clean
from studykit.ingest.page_frame import _Page
from studykit.ingest.page_reader import _Reader, _tail_as_text
from studykit.ingest.sources import Heading, Item, Paragraph, text_without_controls

MAX_MARKUP = 600_000
"""Tags, end tags, comments and declarations a page may hold, counted as its `<` characters.

Each becomes an object of Beautiful Soup's tree, a tag about 1.1 KB whatever its nesting and an
end tag's text about 0.5 KB: a 1 MB page of 200,000 nested `<div>` took 255 MB, 8 MB of them
would take 2 GB. Saved manuals hold one `<` in 17 bytes or more (Node.js's one-page manual, 8.4
MB: 363,653), so no page under MAX_HTML_BYTES comes near the limit; a page at it takes 500 to
750 MB."""


def refuse_crowded(text: str, where: Path) -> None:
    """An error for a page with more markup than its tree can be built from in bounded memory."""
    markup = text.count("<")
    if markup > MAX_MARKUP:
        raise StudykitError(
            f"a web page with {markup:,} tags; ingest reads pages of up to {MAX_MARKUP:,} tags "
            "(each takes about a kilobyte in memory): save it as text, or ingest it in parts",
            where,
        )


def parse_html(text: str) -> tuple[list[Item], str | None, str | None]:
    """Headings and paragraphs of the page's article, the page's `<title>` and its author."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_tail_as_text(text), "html.parser")
    page_title = _clean(soup.title.get_text(" ")) if soup.title else None
    head = soup.head
    meta = head.find("meta", attrs={"name": _AUTHOR}) if head is not None else None
    meta_author = _clean(str(meta.get("content") or "")) if meta else ""
    page = _Page(soup)
    author = "; ".join(page.authors) or meta_author or None
    items: list[Item | None] = list(_Reader().read(page.roots()))
    if "&#" in text:  # only a character reference puts a control character back
        items = [_as_text(item) for item in items if item is not None]
    return [item for item in items if item is not None], page_title or None, author


def _as_text(item: Item) -> Item | None:
    """An item without the line breaks and controls entities put back (`&#13;`, `&#7;`):
    read as the source's own would have been (sources.decode), so a notes file can hold it."""
    if isinstance(item, Paragraph) and _ENTITY_CONTROLS.search(item.text):
        lines = text_without_controls(item.text).split("\n")
        text = "\n".join(line.rstrip() for line in lines).strip("\n")
        return Paragraph(text) if text.strip() else None
    if isinstance(item, Heading) and _ENTITY_CONTROLS.search(item.line):
        words = _clean(text_without_controls(item.text))
        return (
            Heading(item.level, words, _clean(text_without_controls(item.line))) if words else None
        )
    return item
