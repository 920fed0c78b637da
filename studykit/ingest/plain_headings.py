"""Whether a line of plain text reads as a heading or a title: short, numbered, in capitals or
in title case, standing out from the text around it.
"""

from __future__ import annotations

import re

MAX_HEADING_CHARS = 80
MAX_HEADING_WORDS = 12

_CLOSING = ".,;:!?…。！？；，"
_TRAILING_QUOTES = "\"'”’)]»"
_CONTINUATION = ",;:.)]}»”’!?…，、。；："
_ARABIC = re.compile(r"\d{1,3}(?:\.\d{1,3})*\.?(?:\s|$)")
_ROMAN = re.compile(r"[IVXLCDM]{1,7}\.(?:\s|$)|[IVXLCDM]{1,7}$")
_LABEL = re.compile(r"(?:\d{1,3}|[IVXLCDM]{1,7})\.")
_NAMED_NUMBER = (
    r"(?:(?:part|chapter|section|article|clause|book|lesson|unit|lecture|appendix)\s+"
    r"(?:\d+|[ivxlcdm]+|[a-z]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"|§§?\s*\d{1,4}(?:\.\d{1,3})*)"
)
_NAMED = re.compile(_NAMED_NUMBER + r"(?:\W|$)", re.IGNORECASE)
_NAMED_LABEL = re.compile(_NAMED_NUMBER + r"\.?", re.IGNORECASE)
# A numbered clause of a licence or a statute ends with a full stop: `0. Definitions.`,
# `§ 3. Scope.`, `Article 4. Final Provisions.` Its words are a title (Title Case), and one
# sentence at most.
_CLAUSE = re.compile(
    r"(?:\d{1,3}(?:\.\d{1,3})*\.?|" + _NAMED_NUMBER + r"\.?)\s+([^.]+)\.", re.IGNORECASE
)
# "END OF TERMS AND CONDITIONS" closes what came before; it opens no section.
_CLOSING_LINE = re.compile(r"end of\b|the end$", re.IGNORECASE)
# A help file's example output (`E37: No write since last change ~`) and the line that
# introduces an example (`use this command: >`) are text, never headings.
_MESSAGE = re.compile(r"[EW]\d{1,4}:\s")
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


def heading_like(line: str) -> bool:
    """Short, without closing punctuation, starting with a capital or a number."""
    if not line or len(line) > MAX_HEADING_CHARS or len(line.split()) > MAX_HEADING_WORDS:
        return False
    if _LABEL.fullmatch(line) or _NAMED_LABEL.fullmatch(line):
        return True  # `1.`, `II.`, `CHAPTER I.` alone on a line: its full stop closes nothing
    clause = _CLAUSE.fullmatch(line)
    if clause and (_mostly_capitalised(clause.group(1)) or upper_case(clause.group(1))):
        return True  # `0. Definitions.`: a numbered clause's full stop closes its title
    asks = line.rstrip(_TRAILING_QUOTES).endswith("?")
    if (
        asks
        and (label := _ARABIC.match(line))
        and ";" not in line
        and _asks_in_title_case(line, label.end())
    ):
        pass  # "5. Why Letters?": a numbered heading may ask
    elif line.rstrip(_TRAILING_QUOTES)[-1:] in _CLOSING or _NOT_WORDS.fullmatch(line):
        return False
    if line[0] in "-*•+>|#=~_([{<" or line.endswith((" >", "~")) or _MESSAGE.match(line):
        return False
    if _ADDRESS.search(line):
        return False  # "Damien Miller <djm@mindrot.org>": a signature, not a heading
    if line.rsplit(None, 1)[-1] in _GOES_ON_WORDS or ";" in line:
        return False  # "Send bug reports, comments, questions, etc. to": a sentence's start
    first_letter = next((c for c in line if c.isalpha()), "")
    return bool(first_letter) and not first_letter.islower()


def _asks_in_title_case(line: str, start: int) -> bool:
    """ "5. Why Letters?" is a heading; "1. Why did the crown summon the Estates-General?" is a
    list's question, a whole sentence, and stays text."""
    words = line[start:]
    return _mostly_capitalised(words) or upper_case(words)


_GOES_ON_WORDS = frozenset(
    "to of and or the a an for with at by from in on as than see is are was were".split()
)
_ADDRESS = re.compile(r"[\w.+-]@[\w-]+\.\w|https?://|www\.")


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


def _mostly_capitalised(line: str) -> bool:
    """Title Case, or nearly: "Revised Versions of this License" (two in three big words)."""
    words = _WORD.findall(line)
    big = [w for w in words if w.lower() not in _SMALL]
    capitalised = sum(w[0].isupper() for w in big)
    return bool(big) and words[0][0].isupper() and 3 * capitalised >= 2 * len(big)


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
    if not heading_like(first) or not _stands_out(first, rest) or _CLOSING_LINE.match(first):
        return False
    return not rest or numbered(first) or upper_case(first) or title_case(first)


def _is_title(first: str, rest: list[str]) -> bool:
    if not heading_like(first) or not _stands_out(first, rest):
        return False
    return first.lower().rstrip(" :") not in _SECTION_WORDS
