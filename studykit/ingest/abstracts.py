"""Bylines and abstracts: a page's opening text and its authors, and DocBook's abstracts made
sections of their own, each placed by bisection over one walk of the page.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from studykit.ingest.inline_text import _HEADINGS, _clean

if TYPE_CHECKING:
    from bs4 import Tag

_AUTHOR = re.compile("^author$", re.IGNORECASE)
# A byline's author: the name after "By" ("Written by", "Lecture notes prepared by") or
# "Author:", up to a comma, a middle dot or a bar; a title before it is no part of the name
# a citation gives.
_BYLINE = re.compile(
    r"(?:^|\s)(?:[Bb]y|[Aa]uthors?:)\s+(?:(?:Dr|Prof|Professor|Mr|Mrs|Ms|Mx)\.?\s+)?"
    r"(?P<name>[A-Z][^,·|;()]{1,80}?)\s*(?:[,·|;(]|$)"
)


class _Outline:
    """Where each tag of the page stands, its headings and its paragraphs, in document order.

    DocBook's `<div class="abstract">`, its "Abstract" a bold paragraph, is made a section of
    its own titled "Abstract", at the level of the heading after it, not the untitled text
    before the first heading ("Introduction" beside the manual's own Introduction). Each
    abstract looked for that heading to the end of the page, and for its first paragraph
    through all it holds: a page of thousands of abstracts took time in their square. The
    page is walked once, and each abstract finds both by bisection."""

    def __init__(self, soup: Tag) -> None:
        from bs4.element import Tag

        self.soup = soup
        self.tags: list[Tag] = [soup]
        self.place: dict[int, int] = {id(soup): 0}  # id of a tag: its place in `tags`
        self.last: dict[int, int] = {}  # id of a tag: the place of the last tag within it
        self.headings: list[int] = []  # places, in order
        self.paragraphs: list[int] = []
        stack = [(soup, iter(soup.children))]
        while stack:
            tag, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                self.last[id(tag)] = len(self.tags) - 1
            elif isinstance(child, Tag):
                self.place[id(child)] = len(self.tags)
                if child.name in _HEADINGS:
                    self.headings.append(len(self.tags))
                elif child.name == "p":
                    self.paragraphs.append(len(self.tags))
                self.tags.append(child)
                stack.append((child, iter(child.children)))

    def head(self, abstract: Tag) -> None:
        """Title an abstract "Abstract", as a heading at the level of the one after it."""
        at = self.place[id(abstract)]
        following = bisect.bisect_right(self.headings, at)
        if following == len(self.headings):
            return
        after = self.tags[self.headings[following]]
        first = bisect.bisect_right(self.paragraphs, at)
        if first < len(self.paragraphs) and self.paragraphs[first] <= self.last[id(abstract)]:
            label = self.tags[self.paragraphs[first]]
            text, whole = _opening_text(label)
            if whole and _clean(text).casefold() == "abstract":
                label.name = after.name  # its own word, now its heading
                bisect.insort(self.headings, self.paragraphs.pop(first))
                return
        heading = self.soup.new_tag(after.name)
        heading.string = "Abstract"
        abstract.insert(0, heading)


_OPENING = 300  # characters: a byline or a label says what it says before then


def _opening_text(tag: Tag) -> tuple[str, bool]:
    """The start of `tag.get_text(" ")`, and whether it is the whole: a byline or a label is
    short, and reading all of each of thousands nested took time in their square."""
    from bs4.element import CData, NavigableString, Tag

    parts: list[str] = []
    length = steps = 0
    # Walked here: bs4's `strings` first finds the last tag within, through all of them.
    stack = [iter(tag.children)]
    while stack and length <= _OPENING:
        child = next(stack[-1], None)
        steps += 1
        if child is None:
            stack.pop()
        elif steps > 4 * _OPENING:
            return " ".join(parts), False  # thousands of tags and no words: no byline
        elif isinstance(child, Tag):
            stack.append(iter(child.children))
        elif isinstance(child, NavigableString) and type(child) in (NavigableString, CData):
            parts.append(child)
            length += len(child) + 1
    text = " ".join(parts)
    return text[:_OPENING], not stack and len(text) <= _OPENING


def _byline(tag: Tag) -> str | None:
    """The author a byline names, from its opening words."""
    text, whole = _opening_text(tag)
    text = _clean(text)
    byline = _BYLINE.search(text)
    if byline is None or (not whole and byline.end() == len(text)):
        return None  # a name cut short where the reading stopped is no name
    return byline.group("name")
