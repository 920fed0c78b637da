"""Section titles as a student writes them: without their numbers, and not in capitals.

- The number of a section is its place in the reading, which the notes file names already say
  (`03-scope.yaml`), so a title loses a leading `1.`, `1.2`, `1.2.`, `2)`, `IV.`, `Chapter 1.`,
  `Section 2:`, `Article 4 -`, `Clause 7`, `Lesson 3`, `Lecture 3`, `Unit 3` or `§ 3`. A title
  that is nothing but such a label (`Article 4` over its text) keeps it: it has no other name.
  `Part`, `Book`, `Volume` and `Appendix` stay: they name a division, not a place in the order.
- A title written in capitals (`2. THE AMERICAN DECISION`) is put in title case: each word
  capitalised, the small words (of, the, and...) in lower case unless they open the title or
  follow a colon. Acronyms keep their capitals: those the reading itself writes in capitals
  within ordinary text, a few common ones (GNU, NASA, HTML...), words without a vowel (XML,
  HTTP), words with digits (MP3) and Roman numerals of I, V and X (Part II).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_NUMBER = (
    r"(?:\d{1,4}|[IVXLCDMivxlcdm]{1,7}|[A-Za-z]|one|two|three|four|five|six|seven|eight|nine|ten)"
)
# A bare arabic number needs a full stop, a bracket or a dotted sub-number to be a label: "1984
# and After" and "3 Little Pigs" are titles. A Roman one needs its full stop ("I Am Legend").
_LABEL = re.compile(
    r"(?:\d{1,3}(?:\.\d{1,3})+\.?|\d{1,3}[.)]|[IVXLCDM]{1,7}\.|§§?\s*\d{1,4}(?:\.\d{1,3})*\.?"
    r"|(?:chapter|section|article|clause|lesson|lecture|unit)\s+" + _NUMBER + r"(?:\.\d{1,3})*\.?)"
    r"(?:\s*[:–—-])?(?:\s+|$)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W_][\w'’]*")
_SMALL = frozenset(
    "a an and as at but by for from in into nor of on or per the to via vs with".split()
)
_ROMAN = re.compile(r"[IVX]{2,7}")
_VOWELS = frozenset("AEIOUY")
_COMMON_ACRONYMS = frozenset(
    "AI API ASCII BBC BSD CIA CPU CSS DNA EU FAQ FBI FIXME GDP GNU GPL GPU HOWTO HTML IBM IEEE "
    "ISO JSON LGPL MIT NASA NATO OPEC PDF POSIX RAM README RNA ROM SSH TODO UK UN UNESCO UNICEF "
    "UNIX URI URL USA USSR UTF YAML".split()
)
# Capitals within ordinary text: two or more, possibly with digits (`MP3`), as a whole word.
_CAPITALS = re.compile(r"\b[A-Z][A-Z0-9]+\b")


def strip_number(title: str) -> str:
    """`1.2 Scope` -> `Scope`, `Chapter 1. Introduction` -> `Introduction`; a label alone stays."""
    rest = title
    # Stacked labels ("Chapter 2. 2.1 Scope") lose every one of them.
    for _ in range(3):
        found = _LABEL.match(rest)
        if not found or found.end() == len(rest) or rest[found.end()].isdigit():
            break  # a version's date is no title ("1.2.1 - 2025-10-26")
        rest = rest[found.end() :].lstrip()
    return rest if rest.strip() else title


def is_label(title: str) -> bool:
    """A title that is only a number or a numbered label: `II.`, `Chapter 4`, `§ 3`."""
    found = _LABEL.match(title.strip())
    return found is not None and found.end() >= len(title.strip())


def in_capitals(text: str) -> bool:
    """Written in capitals: at least two letters that have a case, none of them lower case."""
    cased = [c for c in text if c.isupper() or c.islower()]
    return len(cased) >= 2 and not any(c.islower() for c in cased)


def acronyms_in(paragraphs: Iterable[str]) -> frozenset[str]:
    """Words the text writes in capitals between words that are not: "the GNU General", not
    "FITNESS FOR A PARTICULAR PURPOSE" (a licence shouting a clause is no acronym)."""
    found: set[str] = set()
    for paragraph in paragraphs:
        if not _CAPITALS.search(paragraph):
            continue
        for line in paragraph.split("\n"):
            words = _WORD.findall(line)
            shouted = [len(w) > 1 and in_capitals(w) for w in words]
            for n, word in enumerate(words):
                alone = not (n and shouted[n - 1]) and not (n + 1 < len(words) and shouted[n + 1])
                if shouted[n] and alone and _CAPITALS.fullmatch(word):
                    found.add(word)
    return frozenset(found)


def title_case(title: str, acronyms: frozenset[str] = frozenset()) -> str:
    """A title in capitals in title case, acronyms kept; any other title as it is.

    Each part of a title joined from two headings (`GNU GENERAL PUBLIC LICENSE: Version 3`) is
    looked at on its own."""
    if ": " in title:
        return ": ".join(title_case(part, acronyms) for part in title.split(": "))
    if not in_capitals(title):
        return title
    pieces: list[str] = []
    done = 0
    opens = True  # the next word opens the title or follows a colon
    for found in _WORD.finditer(title):
        between = title[done : found.start()]
        if ":" in between or "—" in between:
            opens = True
        pieces.append(between)
        pieces.append(_word_case(found.group(), opens, acronyms))
        opens = False
        done = found.end()
    pieces.append(title[done:])
    return "".join(pieces)


def _word_case(word: str, opens: bool, acronyms: frozenset[str]) -> str:
    bare = word.rstrip("'’").removesuffix("'S").removesuffix("’S")
    if (
        bare in acronyms
        or bare in _COMMON_ACRONYMS
        or _ROMAN.fullmatch(bare)
        or any(c.isdigit() for c in bare)
        or (len(bare) > 1 and not _VOWELS.intersection(bare))
    ):
        return bare + word[len(bare) :].lower()
    lower = word.lower()
    if lower in _SMALL and not opens:
        return lower
    return lower[:1].upper() + lower[1:]


def title_case_in(title: str, paragraphs: Iterable[str]) -> str:
    """`title_case`, with the acronyms of the text the title is over (read only when needed)."""
    if not any(in_capitals(part) for part in title.split(": ")):
        return title
    return title_case(title, acronyms_in(paragraphs))


def clean_title(title: str, acronyms: frozenset[str] = frozenset()) -> str:
    """A section title without its number or closing full stop, in title case if in capitals."""
    bare = _DANGLING_MARK.sub("", strip_number(title))
    return title_case(_without_full_stop(bare, numbered=bare != title), acronyms)


# "Miscellania -", "References:": a mark the heading's text was to follow, no part of its title.
_DANGLING_MARK = re.compile(r"\s*(?:\s[-–—]|:)$")


def _without_full_stop(title: str, numbered: bool) -> str:
    """`0. Definitions.` -> `Definitions`: a clause's heading ends like a sentence, a title does
    not. An abbreviation keeps its stop (`U.S.`, `etc.`, `Inc.`): the last word must have no
    other full stop, and be long or a number (`Sections 15 and 16.`) unless the title was
    numbered (`Law.`)."""
    if not title.endswith(".") or title.endswith(".."):
        return title
    last = title[:-1].rsplit(None, 1)[-1] if title[:-1].strip() else ""
    short = len(last) < 4 and not last.isdigit() and not numbered
    if not last or short or "." in last or last.lower() in _ABBREVIATIONS:
        return title
    return title[:-1]


_ABBREVIATIONS = frozenset("etc. inc. ltd. corp. vol. nos. approx.".replace(".", "").split())
