"""Numbered headings in series: clauses whose titles run into their text, clauses without
titles, and each heading's level by its numbering, rebased and nested as the series go.
"""

from __future__ import annotations

import itertools
import re

from studykit.ingest.plain_headings import (
    _ARABIC,
    _NAMED,
    _NAMED_NUMBER,
    _ROMAN,
    _is_heading,
    _is_label_and_title,
    _mostly_capitalised,
)
from studykit.ingest.sources import Heading, Item

UNWRAPPED = 100  # a line longer than this was not broken by a wrap at a fixed width
_RUN_IN = re.compile(
    r"((?:\d{1,3}(?:\.\d{1,3})*\.?|" + _NAMED_NUMBER + r"\.?)\s+([A-Z][^.]{0,60}?)\.)\s+(\S.*)",
    re.IGNORECASE,
)
_ARABIC_DEPTH = re.compile(r"\d{1,3}((?:\.\d{1,3})*)")
# `1. You may make...`: a clause that opens with its number and has no title.
_NUMBERED_TEXT = re.compile(r"(\d{1,3})\.\s+\S")
MIN_UNTITLED_CLAUSES = 5
"""Fewer numbered paragraphs in a row are a list (three steps of a recipe), not clauses."""
_UNDERLINE = re.compile(r"([=\-~*])\1{2,}")


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
