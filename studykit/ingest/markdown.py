"""Headings and paragraphs of a Markdown reading: ATX (`## Policies`) and setext headings.

Front matter (`---` ... `---` at the top) is skipped; its `title:` is used when the text has no
title heading. Fenced code blocks are kept whole: a `#` or a blank line inside one is text.
Paragraphs keep their Markdown as written, so the excerpt reads like the source.
"""

from __future__ import annotations

import re

from studykit.ingest.sources import Heading, Item, Paragraph

# A heading's words end at a visible character, `(.*?[^ \t\n])`: ended anywhere (`(.*?)`), a
# long run of spaces inside the heading is rescanned from each of its spaces (quadratic time).
_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+((?:.*?[^ \t\n])??))?(?:[ \t]+#+)?[ \t]*")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_NOT_PARAGRAPH = re.compile(r" {0,3}(?:[-*+>]|\d{1,9}[.)])(?:\s|$)| {4}|\t")
# Matched against lines without trailing spaces, where it reads as `title:[ \t]*(.+?)[ \t]*`.
_FRONT_TITLE = re.compile(r"title:[ \t]*+(.*?[^ \t\n])[ \t]*+")


def parse_markdown(text: str) -> tuple[list[Item], str | None]:
    """Headings and paragraphs, and the front matter's title if it has one."""
    lines = [line.rstrip() for line in text.split("\n")]
    start, title = _front_matter(lines)
    items: list[Item] = []
    block: list[str] = []
    fence: str | None = None

    def flush() -> None:
        if block:
            items.append(Paragraph("\n".join(block)))
            block.clear()

    for line in lines[start:]:
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
            words = (atx.group(2) or "").strip()
            items.append(Heading(len(atx.group(1)), words or line.strip(), line))
            continue
        setext = _SETEXT.fullmatch(line)
        if setext and block and not _NOT_PARAGRAPH.match(block[0]):
            words = " ".join(part.strip() for part in block)
            level = 1 if setext.group(1)[0] == "=" else 2
            items.append(Heading(level, words, "\n".join([*block, line])))
            block.clear()
            continue
        if line.strip():
            block.append(line)
        else:
            flush()
    flush()
    return items, title


def _closes(marker: str, fence: str) -> bool:
    return marker[0] == fence[0] and len(marker) >= len(fence)


def _front_matter(lines: list[str]) -> tuple[int, str | None]:
    """Where the text starts after front matter, and the front matter's title."""
    if not lines or lines[0] != "---":
        return 0, None
    for end in range(1, len(lines)):
        if lines[end] in ("---", "..."):
            title = None
            for line in lines[1:end]:
                found = _FRONT_TITLE.fullmatch(line)
                if found:
                    title = found.group(1).strip("\"'") or None
            return end + 1, title
    return 0, None
