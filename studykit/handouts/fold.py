"""A reading laid out as a fold-over self-test sheet: each prompt on the left, its answer on the
right, a fold line between them.

A student folds the page down the middle, reads a prompt, answers aloud or on scrap paper and
unfolds to check. The rows are what the deck asks, in the order of the notes file
(`cards.section_items`): each question, each term, each cloze point with its deletions blanked.
A plain point asks nothing, so it has no row. On the right stands the answer, the definition or
the whole point with its deletions in bold, and the item's annotation under it. With
`answers="none"` the right half is left for the student to write in.
"""

from __future__ import annotations

from dataclasses import dataclass

from studykit.cards import section_items
from studykit.handouts.layout import Answers
from studykit.notes.inline import Context, Inline, parse, parse_cloze
from studykit.notes.model import Point, Question, Reading, Section, Term


@dataclass(frozen=True)
class Row:
    cue: Inline  # a question, a term, or a point with its deletions blanked
    answer: Inline  # empty on a sheet to write on
    annotation: Inline  # the item's: an answer too, so left out with them


@dataclass(frozen=True)
class FoldSection:
    number: int
    id: str
    title: Inline
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class FoldSheet:
    id: str
    title: Inline
    source: Inline
    answers: Answers  # "inline" (answers behind the fold) or "none" (room to write)
    sections: tuple[FoldSection, ...]
    works: tuple[Inline, ...] = ()  # the works cited, printed at the end
    works_heading: str = "Works cited"  # as the style names its list: "References" in APA


def fold_sheet(reading: Reading, answers: Answers = "inline") -> FoldSheet:
    """The fold-over sheet of a reading; `answers="none"` leaves the right half to write on."""
    top = Context(reading.folder, reading.folder)
    shown = answers != "none"
    sections = tuple(
        FoldSection(
            number,
            section.id,
            parse(section.title, _context(section, reading)),
            tuple(_row(item, shown, _context(section, reading)) for item in section_items(section)),
        )
        for number, section in enumerate(reading.sections, 1)
    )
    return FoldSheet(
        id=reading.id,
        title=parse(reading.title, top),
        source=parse(reading.source, top) if reading.source else (),
        answers=answers,
        sections=sections,
    )


def _context(section: Section, reading: Reading) -> Context:
    return Context(section.path.parent, reading.folder)


def _row(item: Point | Term | Question, shown: bool, ctx: Context) -> Row:
    annotation = parse(item.annotation, ctx) if shown and item.annotation else ()
    if isinstance(item, Question):
        return Row(parse(item.q, ctx), parse(item.a, ctx) if shown else (), annotation)
    if isinstance(item, Term):
        return Row(parse(item.term, ctx), parse(item.definition, ctx) if shown else (), annotation)
    assert item.cloze is not None  # section_items gives only the points that ask
    answer = parse_cloze(item.cloze, True, ctx) if shown else ()
    return Row(parse_cloze(item.cloze, False, ctx), answer, annotation)
