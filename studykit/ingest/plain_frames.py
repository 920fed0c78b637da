"""Headings marked by what frames them: an underline, a row of `*` above, a box of rules, a
lead-in line, a title with its byline, a label over a title.
"""

from __future__ import annotations

import re

from studykit.ingest.plain_headings import (
    _CLOSING,
    _NOT_WORDS,
    _TRAILING_QUOTES,
    MAX_HEADING_CHARS,
    MAX_HEADING_WORDS,
    _continues,
    _is_label_and_title,
    _is_title,
    heading_like,
    title_case,
    upper_case,
)
from studykit.ingest.plain_series import _UNDERLINE
from studykit.ingest.sections import join_headings

# `Definitions:` alone over the definitions: a lead-in of a few words in Title Case.
_LEAD_IN = re.compile(r"([^:]{1,40}):")
MAX_LEAD_IN_WORDS = 3
_BYLINE = re.compile(r"by\s+(\S.{0,78}\S)", re.IGNORECASE)
MAX_BYLINE_WORDS = 8


def _over_underline(block: list[str]) -> list[str]:
    """The two lines over an underline that is the block's third line, else nothing."""
    if len(block) > 2 and _UNDERLINE.fullmatch(block[2].strip()):
        return block[:2]
    return []


def _framed_heading(block: list[str]) -> bool:
    """A row of `*` (three or more) over a heading line over its underline."""
    return (
        len(block) > 2
        and _STAR_ROW.fullmatch(block[0].strip()) is not None
        and _UNDERLINE.fullmatch(block[2].strip()) is not None
        and _framed_title(block[1].strip().removesuffix(":"))
    )


def _framed_title(line: str) -> bool:
    """A heading's line, or, inside a frame, a short line without closing punctuation that
    opens with a number or a quotation mark (`32 bit time_t build failures`)."""
    if heading_like(line):
        return True
    return (
        len(line) <= MAX_HEADING_CHARS
        and len(line.split()) <= MAX_HEADING_WORDS
        and line[:1] in _FRAMED_OPENINGS
        and line.rstrip(_TRAILING_QUOTES)[-1:] not in _CLOSING
        and not _NOT_WORDS.fullmatch(line)
    )


_FRAMED_OPENINGS = frozenset("0123456789\"“'‘")


_STAR_ROW = re.compile(r"\*{3,}")


def _is_lead_in(line: str) -> bool:
    """`Definitions:` alone on its line: a few words in Title Case and a colon."""
    found = _LEAD_IN.fullmatch(line)
    return (
        found is not None
        and len(found.group(1).split()) <= MAX_LEAD_IN_WORDS
        and title_case(found.group(1))
        and heading_like(found.group(1))
    )


def _centred_lead_in(line: str, below: list[str]) -> bool:
    """`                Note about zip vs. gzip:` alone between blank lines, set in far from
    the paragraph under it: a centred heading, as no sentence of the text is. Not a line that
    opens a list or an indented block below it, nor one flush with its text ("Bug reports
    should ideally include:")."""
    found = _LEAD_IN.fullmatch(line.strip())
    if found is None or not heading_like(found.group(1).strip()):
        return False
    indent = len(line) - len(line.lstrip())
    under = len(below[0]) - len(below[0].lstrip())
    opening = below[0].lstrip()
    return (
        indent - under >= CENTRED_INDENT
        and under < _BLOCK_INDENT
        and not _LIST_ITEM.match(opening)
        and not _continues(opening)
    )


CENTRED_INDENT = 8  # spaces: a centred line is set in this much deeper than its text
_BLOCK_INDENT = 4  # spaces: text set in this far is an example or a quotation, not a paragraph
_LIST_ITEM = re.compile(r"(?:[-*•+]|\d{1,3}[.)]|[a-z][.)])\s")


def _title_and_byline(block: list[str]) -> tuple[str, str] | None:
    """The title and the author of a first block that ends with its byline: `The Communes`
    over `by An Author`, or `CHAPTER 4` over `THE COMMUNES` over `by An Author`."""
    if len(block) < 2 or not (author := _byline(block[-1:])):
        return None
    head = [line.strip() for line in block[:-1]]
    if len(head) == 1 and _is_title(head[0], []):
        return head[0], author
    if _is_label_and_title(head):
        return _two_line_heading(*head), author
    return None


def _two_line_heading(first: str, second: str) -> str:
    """A heading on two lines as one: a label and its title (`Chapter 4` over `The Communes`)
    joined by a colon, a long heading wrapped onto a second line joined by a space
    (`10.4. Distributing Source Code Form that is Incompatible With Secondary` over `Licenses`)."""
    if len(first) >= WRAPPED_HEADING_CHARS and not upper_case(first):
        return f"{first} {second}"
    return join_headings([first, second])


WRAPPED_HEADING_CHARS = 60
"""A heading line this long, not in capitals, with more heading below it was broken by a wrap
at 70 or 80 columns; a label over a title (`Chapter 4: The Communes`) is far shorter."""


def _unboxed(lines: list[str]) -> list[str]:
    """The lines with text set in a box of `*` (a licence's warranty clause) taken out of it:
    the box's top and bottom become blank lines, each line inside loses its frame and the
    indentation its text shares. A box that never closes is left as it is."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        if not _BOX_RULE.fullmatch(lines[index]):
            out.append(lines[index])
            index += 1
            continue
        end = index + 1
        while end < len(lines) and _BOX_SIDE.fullmatch(lines[end]):
            if _BOX_RULE.fullmatch(lines[end]):
                break
            end += 1
        if end == len(lines) or not _BOX_RULE.fullmatch(lines[end]):
            # No box: nothing between here and `end` closes one, so scanning goes on there.
            out.extend(lines[index:end])
            index = end
            continue
        inner = [_BOX_SIDE.sub(r"\1", line).rstrip() for line in lines[index + 1 : end]]
        indent = min((len(x) - len(x.lstrip()) for x in inner if x.strip()), default=0)
        out.extend(["", *(x[indent:] for x in inner), ""])
        index = end + 1
    return out


_BOX_RULE = re.compile(r"[ \t]*\*{10,}[ \t]*")
_BOX_SIDE = re.compile(r"[ \t]*\*(.*)\*[ \t]*")


def _byline(block: list[str]) -> str | None:
    """The author of a one-line block `by An Author` (`By A. Historian and B. Writer`)."""
    if len(block) != 1:
        return None
    found = _BYLINE.fullmatch(block[0].strip())
    if not found or len(found.group(1).split()) > MAX_BYLINE_WORDS:
        return None
    name = found.group(1).rstrip(".")
    return name if name[:1].isupper() else None
