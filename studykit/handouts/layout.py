"""A reading laid out as a Cornell handout: the plain data every format renders.

One layout, three renderers (Markdown, HTML, PDF): the reading's title, source and summary; each
section numbered, with its cue questions beside its notes (points with their annotations), its
terms as a glossary and its summary closing it; with `answers="end"` an answer key at the end.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, TypeVar

from studykit.notes.inline import Context, Inline, parse, parse_cloze
from studykit.notes.model import Reading, Section

if TYPE_CHECKING:
    from studykit.handouts.flashcards import CardSheets
    from studykit.handouts.fold import FoldSheet

Answers = Literal["inline", "end", "none"]
ANSWERS: tuple[Answers, ...] = ("inline", "end", "none")
Layout = Literal["cornell", "fold", "cards"]
# This module lays out cornell; fold.py and flashcards.py the others.
LAYOUTS: tuple[Layout, ...] = ("cornell", "fold", "cards")
Paper = Literal["a4", "letter"]
PAPERS: tuple[Paper, ...] = ("a4", "letter")


@dataclass(frozen=True)
class Annotated:
    """A point or a term: its text and the annotation set apart beside it."""

    text: Inline
    annotation: Inline


@dataclass(frozen=True)
class Glossed:
    term: Inline
    definition: Inline
    annotation: Inline


@dataclass(frozen=True)
class Cue:
    question: Inline
    answer: Inline  # empty when answers are left out
    annotation: Inline  # the question's: an answer too, left out with the answers


@dataclass(frozen=True)
class Sheet:
    number: int
    id: str
    title: Inline
    cues: tuple[Cue, ...]
    points: tuple[Annotated, ...]
    terms: tuple[Glossed, ...]
    summary: Inline


@dataclass(frozen=True)
class Handout:
    id: str
    title: Inline
    source: Inline
    summary: Inline
    answers: Answers  # where renderers put the cues' answers: under them, in a key, nowhere
    sheets: tuple[Sheet, ...]
    works: tuple[Inline, ...] = ()  # the works cited, printed at the end
    works_heading: str = "Works cited"  # as the style names its list: "References" in APA


_Laid = TypeVar("_Laid", bound="Handout | FoldSheet | CardSheets")


def with_works_cited(data: _Laid, reading: Reading, heading: str = "Works cited") -> _Laid:
    """The handout, in any layout, ending with the works the reading cites: its `sources:`,
    followed by the bibliography's works its texts cite (`studykit.citing.csl.cited_reading` lists
    them there). A course pack lists them once, after every reading, instead."""
    top = Context(reading.folder, reading.folder)
    works = tuple(parse(s, top) for s in reading.sources)
    return dataclasses.replace(data, works=works, works_heading=heading)


def handout(reading: Reading, answers: Answers = "inline") -> Handout:
    """The handout of a reading; `answers` puts answers inline, in a key at the end, or nowhere.

    With `answers="none"` the sheet is for self-testing and keeps only what prompts recall: the
    titles and source, cue questions, terms without their definitions, and cloze points with
    their deletions blanked. Whatever states an answer stays off it: summaries, plain points and
    every annotation (they restate what the cues and terms ask).
    """
    top = Context(reading.folder, reading.folder)
    shown = answers != "none"
    sheets = tuple(
        _sheet(number, section, answers, reading)
        for number, section in enumerate(reading.sections, 1)
    )
    return Handout(
        id=reading.id,
        title=parse(reading.title, top),
        source=_optional(reading.source, top),
        summary=_optional(reading.summary, top) if shown else (),
        answers=answers,
        sheets=sheets,
    )


def _context(section: Section, reading: Reading) -> Context:
    return Context(section.path.parent, reading.folder)


def _optional(text: str | None, context: Context) -> Inline:
    return parse(text, context) if text else ()


def _sheet(number: int, section: Section, answers: Answers, reading: Reading) -> Sheet:
    ctx = _context(section, reading)
    shown = answers != "none"
    cues = tuple(
        Cue(
            parse(q.q, ctx),
            parse(q.a, ctx) if shown else (),
            _optional(q.annotation, ctx) if shown else (),
        )
        for q in section.questions
    )
    # For self-testing, only what asks stays on the sheet. A plain point or an annotation
    # states facts, and in real notes they restate the answers of the section's cues.
    points = tuple(
        Annotated(
            parse_cloze(p.cloze, shown, ctx) if p.cloze else parse(p.text, ctx),
            _optional(p.annotation, ctx) if shown else (),
        )
        for p in section.points
        if shown or p.cloze
    )
    terms = tuple(
        Glossed(
            parse(t.term, ctx),
            parse(t.definition, ctx) if shown else (),
            _optional(t.annotation, ctx) if shown else (),
        )
        for t in section.terms
    )
    title = parse(section.title, ctx)
    summary = _optional(section.summary, ctx) if shown else ()
    return Sheet(number, section.id, title, cues, points, terms, summary)
