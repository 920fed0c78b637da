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

import re

from studykit.ingest.plain_frames import (
    _byline,
    _centred_lead_in,
    _framed_heading,
    _is_lead_in,
    _over_underline,
    _title_and_byline,
    _two_line_heading,
    _unboxed,
)
from studykit.ingest.plain_headings import _is_heading, _is_label_and_title, _is_title, heading_like
from studykit.ingest.plain_series import (
    _UNDERLINE,
    UNWRAPPED,
    _first_of_a_series,
    _level,
    _nest_series,
    _rebased,
    _run_in_series,
    _untitled_series,
)
from studykit.ingest.sources import Heading, Item, Paragraph

_RULE_LINE = re.compile(r"={10,}|-{10,}")
_HELP_TAG = re.compile(r"\*[^*\s]+\*\s+(\S.*)")


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
        if (set_apart := _set_apart(number, blocks, run_in, untitled)) is not None:
            items.extend(set_apart)
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


def _set_apart(
    number: int,
    blocks: list[list[str]],
    run_in: dict[int, tuple[str, str]],
    untitled: dict[int, str],
) -> list[Item] | None:
    """The items of block `number` where the blocks around it set it apart: a made-up heading
    over an untitled clause, a lead-in line, a clause's run-in title, a help file's example;
    None where the block reads by itself."""
    block = blocks[number]
    first = block[0].strip()
    rest = block[1:]
    if number in untitled:
        # The heading is made up, not a line of the text: it has no line to keep.
        return [Heading(2, untitled[number], ""), Paragraph("\n".join(block))]
    if (
        number
        and not rest
        and number + 1 < len(blocks)
        and (_is_lead_in(first) or _centred_lead_in(block[0], blocks[number + 1]))
    ):
        return [Heading(2, first[:-1], first)]
    if number in run_in:
        # "2. Grant of Copyright License. Subject to the terms...": the clause's title is
        # its heading, the text after it the clause's first paragraph.
        label, text = run_in[number]
        indent = block[0][: len(block[0]) - len(block[0].lstrip())]
        return [Heading(_level(label), label, label), Paragraph("\n".join([indent + text, *rest]))]
    if number and blocks[number - 1][-1].endswith((" >", "\t>")):
        return [Paragraph("\n".join(block))]  # the example a help file's line introduces
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
