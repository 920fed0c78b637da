"""Headings and paragraphs of a Markdown reading: ATX (`## Policies`) and setext headings.

Front matter (`---` ... `---` at the top) is skipped; its `title:` is used when the text has no
title heading, its `author:` (or `authors:`) is the reading's author. A table of contents (a
list of links to the page's own headings), badges (badges.py) and HTML comments are left out;
every other image, linked or not, stays as written. A `<!--` that nothing closes is no comment
but text, as a web page's is: the reading after it is never lost.
Numbered clauses on lines of their own (`0. Definitions.`, `**§ 3 Scope**`), two or more of
them, are headings. Fenced code blocks
are kept whole: a `#` or a blank line inside one is text. Paragraphs keep their Markdown as
written, so the excerpt reads like the source.
"""

from __future__ import annotations

import re

from studykit.ingest.badges import is_badge
from studykit.ingest.sources import Heading, Item, Paragraph, Skipped

# A heading's words end at a visible character, `(.*?[^ \t\n])`: ended anywhere (`(.*?)`), a
# long run of spaces inside the heading is rescanned from each of its spaces (quadratic time).
_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+((?:.*?[^ \t\n])??))?(?:[ \t]+#+)?[ \t]*")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*")
_RULE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_NOT_PARAGRAPH = re.compile(r" {0,3}(?:[-*+>]|\d{1,9}[.)])(?:\s|$)| {4}|\t")
# Matched against lines without trailing spaces, where it reads as `title:[ \t]*(.+?)[ \t]*`.
_FRONT_TITLE = re.compile(r"title:[ \t]*+(.*?[^ \t\n])[ \t]*+")
_FRONT_AUTHOR = re.compile(r"authors?:(.*)")
_FRONT_ITEM = re.compile(r"[ \t]*-[ \t]+(.+)")
# A table of contents: list items that are each only a link to a heading of the same page.
_CONTENTS_LINE = re.compile(
    r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(\*\*|__|\*|_|)\[[^\]\n]+\]\(#[^)\s]*\)\1[ \t]*"
)
# A line of images only, linked or not, each maybe with a label and a comma: "Unix: [![Build
# Status](...)](...),". Its badges (badges.py) are left out, its other images stay.
_LABEL = r"(?:[A-Za-z][\w]{0,20}:[ \t]*+)?"
_IMAGE = (
    r"\[!\[(?P<linked>[^\]\n]*)\]\((?P<shown>[^)\s]*)\)\]\([^)\s]*\)"
    r"|!\[(?P<alt>[^\]\n]*)\]\((?P<src>[^)\s]*)\)"
)
# Spaces possessive (`*+`): left to backtrack, those between two images could be shared out
# between them in as many ways as there are spaces, over every gap of a line that fails at its
# end (`![a](b)     ` ten times, then `x`: 20 s), time exponential in the images.
_IMAGES = re.compile(rf"(?:[ \t]*+{_LABEL}(?:{_IMAGE})[ \t]*+,?)+[ \t]*+")
_IMAGE_ITEM = re.compile(rf"[ \t]*+(?P<item>{_LABEL}(?:{_IMAGE}))[ \t]*+,?")
# A clause of a licence or a statute on a line of its own: `0. Definitions.`, `**§ 3 Scope**`.
_CLAUSE_LINE = re.compile(
    r"(\*\*|__|)((?:\d{1,3}(?:\.\d{1,3})*\.?|§§?[ \t]*\d{1,4}(?:\.\d{1,3})*\.?"
    r"|(?:article|section|clause|chapter)[ \t]+\d{1,4}\.?)[ \t]+[A-Z][^\n*_]{0,70})\1",
    re.IGNORECASE,
)
_INLINE_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>\n]*)?>")
CLAUSE_LEVEL = 7
"""Below every `#` heading: clauses are the sections of a text that has none, and otherwise
the sub-headings of the section they are in."""


def parse_markdown(text: str) -> tuple[list[Item], str | None, str | None]:
    """Headings and paragraphs, and the front matter's title and author if it has them."""
    lines = [line.rstrip() for line in text.split("\n")]
    start, title, author = _front_matter(lines)
    items: list[Item] = []
    block: list[str] = []
    fence: str | None = None

    def flush() -> None:
        # A table of contents and badges are left out; images beside them stay. Tested line by
        # line, stopping at the first line of text: most blocks are text from their first.
        if (
            block
            and fence is None
            and all(_CONTENTS_LINE.fullmatch(line) or _IMAGES.fullmatch(line) for line in block)
        ):
            contents = [line for line in block if not _CONTENTS_LINE.fullmatch(line)]
            kept = _without_badges(contents)
            text = "\n".join(contents if kept is None else kept)
            items.append(Paragraph(text) if text else Skipped())
        elif "\n".join(block).strip("\n"):
            # A fence left open runs to the end of the text, blank lines and all.
            items.append(Paragraph("\n".join(block).strip("\n")))
        block.clear()

    comment = False  # in an HTML comment, which a reader of the page never sees
    # The last line that closes a comment: one opened after it is never closed, and would hide
    # the rest of the reading. It is read as text instead, as a web page's is.
    last_close = max((n for n, line in enumerate(lines) if "-->" in line), default=-1)
    for number, line in enumerate(lines[start:], start):
        if comment:
            comment = "-->" not in line
            continue
        if (
            fence is None
            and line.lstrip(" ").startswith("<!--")
            and len(line) - len(line.lstrip(" ")) < 4
            and number <= last_close
        ):
            flush()
            comment = "-->" not in line
            continue
        if fence is not None:
            block.append(line)
            closing = _FENCE.match(line)
            if closing and _closes(closing.group(1), fence) and not line.strip(" `~"):
                fence = None
            continue
        opening = _FENCE.match(line)
        if opening:
            fence = opening.group(1)
            block.append(line)
            continue
        atx = _ATX.fullmatch(line)
        if atx:
            flush()
            # `## <a id="intro">1.</a> Introduction`: an anchor's tags are no words of the title.
            words = " ".join(_INLINE_TAG.sub("", atx.group(2) or "").split())
            items.append(Heading(len(atx.group(1)), words or line.strip(), line))
            continue
        setext = _SETEXT.fullmatch(line)
        if setext and block and not _NOT_PARAGRAPH.match(block[0]):
            words = " ".join(part.strip() for part in block)
            level = 1 if setext.group(1)[0] == "=" else 2
            items.append(Heading(level, words, "\n".join([*block, line])))
            block.clear()
            continue
        if _RULE.fullmatch(line):
            flush()  # a thematic break (`---`, `***`) draws a line; it says nothing
        elif line.strip():
            block.append(line)
        else:
            flush()
    flush()
    return _clauses_as_headings(items), title, author


def _without_badges(block: list[str]) -> list[str] | None:
    """A block of lines of images only, with badges among them: its lines without the badges
    (none left: a row of badges). None for any other block, which stays as written.

    A short-captioned SVG beside a badge is one more (`[![PyPI](.../v.svg)](...)`)."""
    if not all(_IMAGES.fullmatch(line) for line in block):
        return None
    rows = [
        [
            (found.group("item"), found.group("linked") or found.group("alt") or "", src)
            for found in _IMAGE_ITEM.finditer(line)
            for src in [found.group("shown") or found.group("src") or ""]
        ]
        for line in block
    ]
    if not any(is_badge(alt, src) for row in rows for _, alt, src in row):
        return None
    kept = [
        " ".join(item for item, alt, src in row if not is_badge(alt, src, beside_badge=True))
        for row in rows
    ]
    return [line for line in kept if line]


def _clauses_as_headings(items: list[Item]) -> list[Item]:
    """One-line paragraphs numbered like clauses, each over text, are headings when there are
    two or more of them (one alone is more likely a list of one)."""
    found = []
    for index, item in enumerate(items[:-1]):
        after = items[index + 1]
        if (
            isinstance(item, Paragraph)
            and "\n" not in item.text
            and isinstance(after, Paragraph)
            and not _NOT_PARAGRAPH.match(after.text)
            and after.text[:1] not in (" ", "\t")  # indented: the item's own paragraph
        ):
            match = _CLAUSE_LINE.fullmatch(item.text.strip())
            if match:
                found.append((index, match.group(2).strip()))
    if len(found) < 2:
        return items
    headings = list(items)
    for index, words in found:
        line = items[index]
        assert isinstance(line, Paragraph)
        headings[index] = Heading(CLAUSE_LEVEL, words, line.text)
    return headings


def _closes(marker: str, fence: str) -> bool:
    return marker[0] == fence[0] and len(marker) >= len(fence)


def _front_matter(lines: list[str]) -> tuple[int, str | None, str | None]:
    """Where the text starts after front matter, and the front matter's title and author
    (`author: A`, `authors: [A, B]` or `authors:` over `- A` lines, joined by `; `, as
    citations split them)."""
    if not lines or lines[0] != "---":
        return 0, None, None
    for end in range(1, len(lines)):
        if lines[end] in ("---", "..."):
            title = None
            authors: list[str] = []
            listing = False  # in the `- A` lines under `authors:`
            for line in lines[1:end]:
                found = _FRONT_TITLE.fullmatch(line)
                if found:
                    title = found.group(1).strip("\"'") or None
                author = _FRONT_AUTHOR.fullmatch(line)
                item = _FRONT_ITEM.fullmatch(line)
                if author:
                    value = author.group(1).strip().strip("[]")
                    authors = [a.strip().strip("\"'") for a in value.split(",") if a.strip()]
                    listing = not value
                elif listing and item:
                    authors.append(item.group(1).strip().strip("\"'"))
                elif not line.startswith((" ", "\t")):
                    listing = False
            names = "; ".join(a for a in authors if a)
            return end + 1, title, names or None
    return 0, None, None
