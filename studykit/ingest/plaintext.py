"""Headings in plain text, where nothing marks them but their look.

A block is a run of non-blank lines. Its first line is a heading when it is short, has no closing
punctuation and starts with a capital or a number, and either stands alone (a blank line after
it) or is clearly a heading (numbered like `1.`, `II.`, `Part 3`, in UPPER CASE or Title Case)
and ends where a wrap could not have ended it (the next word would have fit). An underlined line
(`=====`) is a heading too, and so is a numbered or upper-case line with a title line right
under it (`CHAPTER 4` over `THE COMMUNES`, underlined or not). A hard-wrapped paragraph's first
line ends only where the next word did not fit, so it never qualifies, even without punctuation
at its end.

A line directly followed by one that goes on with a sentence (starting in lower case, or with a
comma or a closing bracket) is the first line of a paragraph, never a heading.

The first line of the text is the reading's title when it qualifies as a heading and is not a
section word such as "Introduction"; numbered ("Chapter 4: The Communes") or not, unless a later
heading goes on with the same numbering ("1. Origins" before "2. Policies"). A line `by An
Author` under the title, right under it or after a blank line, names the reading's author.

Licences and statutes number their clauses: `0. Definitions.` ends in a full stop and is still a
heading (numbered, its words in Title Case), and so is `§ 3` or `Article 4`; where two or more
blocks open with a numbered title that runs into the text (`2. Grant of Copyright License.
Subject to ...`), the title is the heading and the rest the clause's text. A dotted number is a
level deeper (`1.2 Scope` under `1. General`), except in a chapter numbered `7.1` ... `7.8`
with no `7.` heading: those are its sections. A numbered line that asks a whole question, not in
Title Case (`1. Why did the crown summon the Estates-General?`), is a list's item, text; `5. Why
Letters?` is a heading. A numbered series right under a heading with
no text of its own ("TERMS AND CONDITIONS" over "0. Definitions.") is one level under it. A line
`END OF ...` (or `The End`) closes what came before and is no heading: it stays text of the
last section. A heading too long for one line goes on over the next, which it is joined to
with a space.

Clauses with no title at all, paragraphs that open with their number (`1. You may make and
give away verbatim copies...`), are sections too where at least five hard-wrapped paragraphs in
a row, indented alike, are numbered on from 0 or 1: each is headed `Clause 1`, `Clause 2`...
(the number is all that names it, and how the licence refers to it) and keeps its number in its
text. A shorter run, or numbers that do not follow, is a list and stays text. A short line in
Title Case ending in a colon, alone over its text (`Definitions:`), heads that text, and so does
a short line ending in a colon that is centred, set in eight spaces or more deeper than the
paragraph under it (`                Note about zip vs. gzip:`): no sentence of the text is. A
line that opens a list or an indented block stays text.

Text set in a box of `*` (a licence's disclaimer) is read as if it had no box, and a row of
`*` over an underlined heading only frames the heading. A help file's
line introducing an example (ending in ` >`), its example output (ending in `~`) and its
messages (`E37: ...`) are never headings, nor is the example block after a line ending in
` >`; a rule of `=` over a line marks it (`*07.1*  Edit another file`, its tag left out).
"""

from __future__ import annotations

import itertools
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
_RUN_IN = re.compile(
    r"((?:\d{1,3}(?:\.\d{1,3})*\.?|" + _NAMED_NUMBER + r"\.?)\s+([A-Z][^.]{0,60}?)\.)\s+(\S.*)",
    re.IGNORECASE,
)
_ARABIC_DEPTH = re.compile(r"\d{1,3}((?:\.\d{1,3})*)")
# "END OF TERMS AND CONDITIONS" closes what came before; it opens no section.
_CLOSING_LINE = re.compile(r"end of\b|the end$", re.IGNORECASE)
# `1. You may make...`: a clause that opens with its number and has no title.
_NUMBERED_TEXT = re.compile(r"(\d{1,3})\.\s+\S")
MIN_UNTITLED_CLAUSES = 5
"""Fewer numbered paragraphs in a row are a list (three steps of a recipe), not clauses."""
# `Definitions:` alone over the definitions: a lead-in of a few words in Title Case.
_LEAD_IN = re.compile(r"([^:]{1,40}):")
MAX_LEAD_IN_WORDS = 3
_BYLINE = re.compile(r"by\s+(\S.{0,78}\S)", re.IGNORECASE)
MAX_BYLINE_WORDS = 8
# A help file's example output (`E37: No write since last change ~`) and the line that
# introduces an example (`use this command: >`) are text, never headings.
_MESSAGE = re.compile(r"[EW]\d{1,4}:\s")
_RULE_LINE = re.compile(r"={10,}|-{10,}")
_HELP_TAG = re.compile(r"\*[^*\s]+\*\s+(\S.*)")
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


def parse_plain(text: str) -> tuple[list[Item], str | None, str | None]:
    """Headings and paragraphs of a plain text, its title line and its byline's author."""
    items: list[Item] = []
    title: str | None = None
    author: str | None = None
    blocks = _blocks(_unboxed(text.split("\n")))
    run_in = _run_in_series(blocks)
    untitled = _untitled_series(blocks, run_in)
    for number, block in enumerate(blocks):
        first = block[0].strip()
        rest = block[1:]
        if number in untitled:
            # The heading is made up, not a line of the text: it has no line to keep.
            items.append(Heading(2, untitled[number], ""))
            items.append(Paragraph("\n".join(block)))
            continue
        if (
            number
            and not rest
            and number + 1 < len(blocks)
            and (_is_lead_in(first) or _centred_lead_in(block[0], blocks[number + 1]))
        ):
            items.append(Heading(2, first[:-1], first))
            continue
        if number in run_in:
            # "2. Grant of Copyright License. Subject to the terms...": the clause's title is
            # its heading, the text after it the clause's first paragraph.
            label, text = run_in[number]
            items.append(Heading(_level(label), label, label))
            indent = block[0][: len(block[0]) - len(block[0].lstrip())]
            items.append(Paragraph("\n".join([indent + text, *rest])))
            continue
        if number and blocks[number - 1][-1].endswith((" >", "\t>")):
            items.append(Paragraph("\n".join(block)))  # the example a help file's line introduces
            continue
        if number and len(block) > 1 and _RULE_LINE.fullmatch(first):
            # A rule drawn over a heading (a help file's `====` over `*07.1*  Edit another
            # file`) only marks it: the heading opens the block, without its tag.
            block = block[1:]
            tagged = _HELP_TAG.fullmatch(block[0].strip())
            first, rest = (tagged.group(1) if tagged else block[0].strip()), block[1:]
        if number and _framed_heading(block):
            # A row of `*` over an underlined line (`****` / `Pre-C99 build failure` / `----`)
            # frames a heading, one that may open with a number or a quoted command
            # (`"make check" failure on IRIX 6.5`): the frame is left out with the underline.
            first = block[1].strip()
            items.append(Heading(_level(first), first, first))
            if block[3:]:
                items.append(Paragraph("\n".join(block[3:])))
            continue
        if number == 0 and (found := _title_and_byline(block)):
            title, author = found  # the title, and "by An Author" right under it
            continue
        if _is_label_and_title(block) or _is_label_and_title(underlined := _over_underline(block)):
            # "CHAPTER 4" over "THE COMMUNES": one heading in two lines, underlined or not
            # (the underline marks both; any text under it is the section's first paragraph).
            pair = block if len(block) == 2 else underlined
            heading = _two_line_heading(first, pair[1].strip())
            if number == 0:
                title = heading
            else:
                items.append(Heading(_level(heading), heading, "\n".join(pair)))
            if block[len(pair) + 1 :]:
                items.append(Paragraph("\n".join(block[len(pair) + 1 :])))
            continue
        if number == 1 and title is not None and (byline := _byline(block)):
            author = byline  # "by An Author" under the title: the reading's author
            continue
        if rest and _UNDERLINE.fullmatch(rest[0].strip()) and heading_like(first.removesuffix(":")):
            # An underlined line (`====` or `----` below it) is a heading whatever its width.
            rest = rest[1:]
            if number == 0:
                title = first
            else:
                items.append(Heading(_level(first), first, first))
        elif number == 0 and _is_title(first, rest):
            title = first
        elif _is_heading(first, rest):
            items.append(Heading(_level(first), first, first))
        else:
            items.append(Paragraph("\n".join(block)))
            continue
        if rest:
            items.append(Paragraph("\n".join(rest)))
    if title is not None and _first_of_a_series(title, items):
        # "1. Origins" followed by "2. Policies": the first of the sections, not the title.
        items.insert(0, Heading(_level(title), title, title))
        title = None
    return _nest_series(_rebased(items)), title, author


def _over_underline(block: list[str]) -> list[str]:
    """The two lines over an underline that is the block's third line, else nothing."""
    if len(block) > 2 and _UNDERLINE.fullmatch(block[2].strip()):
        return block[:2]
    return []


def _rebased(items: list[Item]) -> list[Item]:
    """A chapter's sections numbered `7.1` ... `7.8` with no `7.` heading over them are its
    sections, not subsections of a heading the text never has: where two or more headings use
    dotted numbers of one depth under one number, in order, and no heading is numbered less
    deep, they are moved up to the level of a heading without a number."""
    numbered_at = [
        (index, found)
        for index, item in enumerate(items)
        if isinstance(item, Heading) and (found := _DOTTED.match(item.text))
    ]
    if len(numbered_at) < 2:
        return items
    numbers = [tuple(int(n) for n in found.group(1).split(".")) for _, found in numbered_at]
    depth = len(numbers[0])
    if (
        depth < 2
        or any(len(n) != depth or n[:-1] != numbers[0][:-1] for n in numbers)
        or any(b <= a for a, b in itertools.pairwise(numbers))
    ):
        return items
    shallower = any(
        isinstance(item, Heading)
        and _ARABIC_DEPTH.match(item.text)
        and not _DOTTED.match(item.text)
        for item in items
    )
    if shallower:
        return items
    rebased = list(items)
    for index, _ in numbered_at:
        heading = rebased[index]
        assert isinstance(heading, Heading)
        rebased[index] = Heading(heading.level - (depth - 1), heading.text, heading.line)
    return rebased


_DOTTED = re.compile(r"(\d{1,3}(?:\.\d{1,3})+)\.?\s")


def _run_in_series(blocks: list[list[str]]) -> dict[int, tuple[str, str]]:
    """Blocks that open with a numbered clause title run into their text, by block number:
    the label with its title, and the rest of the first line. Only where two or more do, so
    that a numbered list item ("1. Preheat Oven. Then...") stays one."""
    found: dict[int, tuple[str, str]] = {}
    for number, block in enumerate(blocks):
        match = _RUN_IN.match(block[0].strip())
        if match and _mostly_capitalised(match.group(2)):
            found[number] = (match.group(1), match.group(3))
    return found if len(found) >= 2 else {}


def _untitled_series(blocks: list[list[str]], taken: dict[int, tuple[str, str]]) -> dict[int, str]:
    """Blocks that are clauses without titles, by block number, with the heading each gets
    (`Clause 1`): hard-wrapped paragraphs opening with numbers that follow on from 0 or 1, at
    least `MIN_UNTITLED_CLAUSES` in a row, all indented alike. Other text may come between
    them (a clause's items `a)`, `b)`), so long as it holds no other numbered paragraph."""
    found: dict[int, str] = {}
    run: list[tuple[int, int, str]] = []  # (block, its number, its indent)
    for index, block in enumerate([*blocks, ["0. end"]]):
        first = block[0].strip()
        match = _NUMBERED_TEXT.match(first)
        wrapped = len(block) > 1 or len(first) > UNWRAPPED or index == len(blocks)
        underlined = len(block) > 1 and _UNDERLINE.fullmatch(block[1].strip())
        headed = underlined or _is_label_and_title(block) or _is_heading(first, block[1:])
        if not match or not wrapped or index in taken or headed:
            continue
        number, indent = int(match.group(1)), block[0][: len(block[0]) - len(block[0].lstrip())]
        if run and number == run[-1][1] + 1 and indent == run[-1][2]:
            run.append((index, number, indent))
            continue
        if len(run) >= MIN_UNTITLED_CLAUSES:
            found.update((at, f"Clause {n}") for at, n, _ in run)
        run = [(index, number, indent)] if number in (0, 1) else []
    return found


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


def _level(heading: str) -> int:
    """2 for a heading, one more for each level of a dotted number: `1.2 Scope` is 3."""
    found = _ARABIC_DEPTH.match(heading)
    return 2 + (found.group(1).count(".") if found else 0)


def _nest_series(items: list[Item]) -> list[Item]:
    """A heading with no text of its own over a numbered series ("TERMS AND CONDITIONS" over
    "0. Definitions." to "17. Interpretation...") holds the series: the series goes one level
    down, until the next heading that is not numbered the same way."""
    last_of_kind: dict[str, int] = {}
    for index, item in enumerate(items):
        if isinstance(item, Heading):
            kind = _numbering_kind(item.text)
            if kind is not None:
                last_of_kind[kind] = index
    nested = list(items)
    index = 0
    while index + 1 < len(nested):
        group, first = nested[index], nested[index + 1]
        kind = _numbering_kind(first.text) if isinstance(first, Heading) else None
        if (
            not isinstance(group, Heading)
            or kind is None
            or _numbering_kind(group.text) is not None
            or last_of_kind[kind] <= index + 1
        ):
            index += 1
            continue
        index += 1
        while index < len(nested):
            item = nested[index]
            if isinstance(item, Heading):
                if _numbering_kind(item.text) != kind:
                    break
                nested[index] = Heading(item.level + 1, item.text, item.line)
            index += 1
    return nested


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
        return "§" if line.startswith("§") else named.group(0).split()[0].lower()
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
