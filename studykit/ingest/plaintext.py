"""Headings in plain text, where nothing marks them but their look.

A block is a run of non-blank lines. Its first line is a heading when it is short, has no closing
punctuation and starts with a capital or a number, and either stands alone (a blank line after
it) or is clearly a heading (numbered like `1.`, `II.`, `Part 3`, in UPPER CASE or Title Case)
and ends where a wrap could not have ended it (the next word would have fit). An underlined line
(`=====`) is a heading too, and so is a numbered or upper-case line with a title line right
under it (`CHAPTER 4` over `THE COMMUNES`). A hard-wrapped paragraph's first line ends only
where the next word did not fit, so it never qualifies, even without punctuation at its end.

A line directly followed by one that goes on with a sentence (starting in lower case, or with a
comma or a closing bracket) is the first line of a paragraph, never a heading.

The first line of the text is the reading's title when it qualifies as a heading and is not a
section word such as "Introduction"; numbered ("Chapter 4: The Communes") or not, unless a later
heading goes on with the same numbering ("1. Origins" before "2. Policies").
"""

from __future__ import annotations

import re

from studykit.ingest.sections import join_headings
from studykit.ingest.sources import Heading, Item, Paragraph

MAX_HEADING_CHARS = 80
MAX_HEADING_WORDS = 12
UNWRAPPED = 100  # a line longer than this was not broken by a wrap at a fixed width

_CLOSING = ".,;:!?…。！？；，"
_TRAILING_QUOTES = "\"'”’)]»"
_CONTINUATION = ",;:.)]}»”’!?…，、。；："
_ARABIC = re.compile(r"\d{1,3}(?:\.\d{1,3})*\.?(?:\s|$)")
_ROMAN = re.compile(r"[IVXLCDM]{1,7}\.(?:\s|$)|[IVXLCDM]{1,7}$")
_LABEL = re.compile(r"(?:\d{1,3}|[IVXLCDM]{1,7})\.")
_NAMED_NUMBER = (
    r"(?:part|chapter|section|book|lesson|unit|lecture|appendix)\s+"
    r"(?:\d+|[ivxlcdm]+|[a-z]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
)
_NAMED = re.compile(_NAMED_NUMBER + r"(?:\W|$)", re.IGNORECASE)
_NAMED_LABEL = re.compile(_NAMED_NUMBER + r"\.", re.IGNORECASE)
_UNDERLINE = re.compile(r"([=\-~*])\1{2,}")
_NOT_WORDS = re.compile(r"[\d\s\-–—./*#=_~]+")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SMALL = frozenset(
    "a an and as at but by for from in into nor of on or over per the to up upon via vs with "
    "de del der des di du la le les van von y".split()
)
_SECTION_WORDS = frozenset(
    "introduction preface foreword prologue abstract summary overview background contents "
    "acknowledgements acknowledgments".split()
)


def parse_plain(text: str) -> tuple[list[Item], str | None]:
    """Headings and paragraphs of a plain text, and its title line if it has one."""
    items: list[Item] = []
    title: str | None = None
    for number, block in enumerate(_blocks(text.split("\n"))):
        first = block[0].strip()
        rest = block[1:]
        if _is_label_and_title(block):
            # "CHAPTER 4" over "THE COMMUNES": one heading in two lines.
            heading = join_headings([first, block[1].strip()])
            if number == 0:
                title = heading
            else:
                items.append(Heading(2, heading, "\n".join(block)))
            continue
        if rest and _UNDERLINE.fullmatch(rest[0].strip()) and heading_like(first):
            # An underlined line (`====` or `----` below it) is a heading whatever its width.
            rest = rest[1:]
            if number == 0:
                title = first
            else:
                items.append(Heading(2, first, first))
        elif number == 0 and _is_title(first, rest):
            title = first
        elif _is_heading(first, rest):
            items.append(Heading(2, first, first))
        else:
            items.append(Paragraph("\n".join(block)))
            continue
        if rest:
            items.append(Paragraph("\n".join(rest)))
    if title is not None and _first_of_a_series(title, items):
        # "1. Origins" followed by "2. Policies": the first of the sections, not the title.
        items.insert(0, Heading(2, title, title))
        title = None
    return items, title


def _first_of_a_series(title: str, items: list[Item]) -> bool:
    """A numbered title line whose numbering goes on in a later heading of the same kind."""
    kind = _numbering_kind(title)
    return kind is not None and any(
        isinstance(item, Heading) and _numbering_kind(item.text) == kind for item in items
    )


def _numbering_kind(line: str) -> str | None:
    """`chapter` for "Chapter 4", `arabic` for "1.", `roman` for "IV.", None if not numbered."""
    named = _NAMED.match(line)
    if named:
        return named.group(0).split()[0].lower()
    if _ARABIC.match(line):
        return "arabic"
    if _ROMAN.match(line):
        return "roman"
    return None


def _blocks(lines: list[str]) -> list[list[str]]:
    """Runs of non-blank lines, each line without trailing spaces.

    Text that is not hard-wrapped often puts one paragraph on each line with no blank line
    between them: a run whose lines are mostly longer than any wrap is split into its lines.
    """
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in [*lines, ""]:
        line = line.rstrip()
        if line:
            current.append(line)
        elif current:
            if len(current) > 1 and 2 * sum(len(x) > UNWRAPPED for x in current) >= len(current):
                blocks.extend([x] for x in current)
            else:
                blocks.append(current)
            current = []
    return blocks


def heading_like(line: str) -> bool:
    """Short, without closing punctuation, starting with a capital or a number."""
    if not line or len(line) > MAX_HEADING_CHARS or len(line.split()) > MAX_HEADING_WORDS:
        return False
    if _LABEL.fullmatch(line) or _NAMED_LABEL.fullmatch(line):
        return True  # `1.`, `II.`, `CHAPTER I.` alone on a line: its full stop closes nothing
    if line.rstrip(_TRAILING_QUOTES)[-1:] in _CLOSING or _NOT_WORDS.fullmatch(line):
        return False
    if line[0] in "-*•+>|#=~_([{<":
        return False
    first_letter = next((c for c in line if c.isalpha()), "")
    return bool(first_letter) and not first_letter.islower()


def numbered(line: str) -> bool:
    """`1.`, `2.3`, `IV.`, `Part 3`, `Chapter Two`."""
    return bool(_ARABIC.match(line) or _ROMAN.match(line) or _NAMED.match(line))


def upper_case(line: str) -> bool:
    """Written in capitals (at least two letters that have a case)."""
    cased = [c for c in line if c.isalpha() and (c.isupper() or c.islower())]
    return len(cased) >= 2 and all(c.isupper() for c in cased)


def title_case(line: str) -> bool:
    """Every word but the small ones (and, of, the...) starts with a capital."""
    words = _WORD.findall(line)
    big = [w for w in words if w.lower() not in _SMALL]
    return bool(big) and words[0][0].isupper() and all(w[0].isupper() for w in big)


def _stands_out(first: str, rest: list[str]) -> bool:
    """No text under it, or a line that a wrap could not have ended.

    Wrapping breaks a line only where the next word would not fit, so when the first word of the
    next line fits after this one within the width of the text below, the break was made on
    purpose: a heading. A hard-wrapped paragraph's first line never passes this test.
    """
    if not rest:
        return True
    if _continues(rest[0].lstrip()):
        return False
    widest = max(len(line.strip()) for line in rest)
    next_word = rest[0].split()[0]
    return len(first) + 1 + len(next_word) <= widest


def _continues(line: str) -> bool:
    """A line that goes on with a sentence: it starts in lower case or with a comma or closer."""
    return bool(line) and (line[0].islower() or line[0] in _CONTINUATION)


def _is_label_and_title(block: list[str]) -> bool:
    """Two heading lines alone in a block, the first a number or in capitals: `CHAPTER 4`."""
    if len(block) != 2:
        return False
    first, second = (line.strip() for line in block)
    if not (heading_like(first) and heading_like(second)):
        return False
    return (numbered(first) or upper_case(first)) and (
        upper_case(second) or title_case(second) or numbered(second)
    )


def _is_heading(first: str, rest: list[str]) -> bool:
    if not heading_like(first) or not _stands_out(first, rest):
        return False
    return not rest or numbered(first) or upper_case(first) or title_case(first)


def _is_title(first: str, rest: list[str]) -> bool:
    if not heading_like(first) or not _stands_out(first, rest):
        return False
    return first.lower().rstrip(" :") not in _SECTION_WORDS
