"""Inline text as a reader sees it: code, superscripts and subscripts, images as Markdown's
`![alt](src)`, Texinfo's and appendices' numbering, and what is escaped or cleaned.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from studykit.ingest.badges import is_badge

if TYPE_CHECKING:
    from bs4 import Tag


# Form controls: boxes on the screen, between the words around them.
_CONTROLS = frozenset(("button", "input", "select", "textarea"))
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_SPACES = re.compile(r"\s+")


_ENTITY_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


_MARK = "data-studykit"
_DROP, _SKIP, _TITLE_ONLY = "drop", "skip", "title-only"


_CODE_TAGS = frozenset("code tt kbd samp".split())
_RAISED = frozenset(("sup", "sub"))
_RAISED_PARTS = 2  # a raised number is one or two runs of text (an entity may split it)
_RAISED_CHARS = 12
_SUPERSCRIPT = str.maketrans("0123456789+-−=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿ")
_SUBSCRIPT = str.maketrans("0123456789+-−=()", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎")


def _shown_text(tag: Tag, separator: str) -> str:
    """`tag.get_text(separator)` without what is marked to drop (a heading's `¶` link)."""
    from bs4.element import NavigableString, Tag

    parts: list[str] = []
    stack = [iter(tag.children)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif isinstance(child, Tag):
            if child.get(_MARK) != _DROP:
                stack.append(iter(child.children))
        elif type(child) is NavigableString:
            parts.append(str(child))
    return separator.join(parts)


def _image_as_text(image: Tag) -> str:
    """An image as Markdown writes it, `![alt](src)`, which the notes keep as text: a figure's
    words are part of the reading. Nothing for a badge (badges.py), nor for an image without
    alt text (`alt=""` is how a page marks one as decoration: an icon, a spacer, a logo)."""
    alt = _clean(str(image.get("alt") or ""))
    src = str(image.get("src") or "").strip()
    decorative = image.get("role") in ("presentation", "none") or image.get("aria-hidden") == "true"
    if not alt or decorative or is_badge(alt, src):
        return ""
    # An image inlined as data is no address a student could follow, and may run to megabytes.
    address = "" if src.lower().startswith("data:") else _ADDRESS_UNSAFE.sub(_escaped, src)
    return f"![{alt}]({address})"


# What would end the address of a Markdown image early, or split it: percent-escaped.
_ADDRESS_UNSAFE = re.compile(r"[\s()]")


def _escaped(match: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group().encode("utf-8"))


def _texinfo(heading: Tag) -> bool:
    """A heading Texinfo numbered: `<h2 class="chapter">1 What is libffi?</h2>`."""
    return bool(_TEXINFO_CLASSES.intersection(heading.get("class") or ()))


def _in_an_appendix(heading: Tag) -> bool:
    """Whether a heading is the title of DocBook's `<div class="appendix">` (directly, or in
    its title page's `<div>`s)."""
    parent = heading.parent
    for _ in range(4):
        if parent is None:
            return False
        if "appendix" in (parent.get("class") or ()):
            return True
        parent = parent.parent
    return False


_APPENDIX_LETTER = re.compile(r"([A-Z])\.\s+(?=\S)")
_TEXINFO_CLASSES = frozenset("chapter section subsection subsubsection appendix".split())
# Texinfo writes a number without a full stop; with one, titles.py knows it for a number.
_TEXINFO_NUMBER = re.compile(r"^((?:\d{1,3}|[A-Z])(?:\.\d{1,3})*) (?=\S)")


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
            mark = child.get(_MARK)
            if mark == _DROP:
                if child.name in _CONTROLS:
                    yield "text", open_tags[-1], " "  # a box between the words around it
                continue
            yield "start", child, ""
            opaque = child.name in _HEADINGS or child.name == "pre" or mark == _SKIP
            if mark == _TITLE_ONLY:
                headings = child.find_all(list(_HEADINGS))
                title = next((h for h in headings if h.get(_MARK) != _DROP), None)
                stack.append(iter(() if title is None else (title,)))
            else:
                stack.append(iter(() if opaque else child.children))
            open_tags.append(child)
        elif type(child) is NavigableString:
            yield "text", open_tags[-1], str(child)


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()
