"""Several readings as one course pack: a title, the contents, each reading's handout, an index
of terms and the works cited, reading by reading.

Each reading is laid out exactly as its own outline would be (`formats.lay_out`); the pack only
adds what binds them: the contents (readings and their sections), the index (every term, with
the reading and section that define it; terms spelt alike, case and spacing aside, share one
entry) and the works each reading cites. Readings keep the notes folder's order, the order
`studykit list` shows, however they were named.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from studykit.handouts.flashcards import CardSheets
from studykit.handouts.fold import FoldSheet
from studykit.handouts.formats import lay_out
from studykit.handouts.layout import Answers, Handout, Layout
from studykit.notes.inline import Context, Inline, parse, plain
from studykit.notes.model import Reading

DEFAULT_TITLE = "Course pack"


@dataclass(frozen=True)
class Chapter:
    """A reading's line in the contents, with its sections' numbers and titles."""

    number: int  # the reading's place in the pack, from 1
    title: Inline
    sections: tuple[tuple[int, Inline], ...]


@dataclass(frozen=True)
class Place:
    """Where a term is defined: a reading, a section of it, and the mark the PDF finds it by."""

    reading: int  # the reading's place in the pack, from 1
    reading_title: Inline
    section: int  # the section's number in its reading, from 1
    section_title: Inline
    mark: str
    term: Inline  # as written in this section


@dataclass(frozen=True)
class IndexEntry:
    term: Inline  # as first written; the others differ from it only in case or spacing
    places: tuple[Place, ...]


@dataclass(frozen=True)
class Cited:
    """The works one reading cites, in the order its notes list them."""

    reading: int
    title: Inline
    works: tuple[Inline, ...]


@dataclass(frozen=True)
class CoursePack:
    title: str
    readings: tuple[Reading, ...]
    handouts: tuple[Handout | FoldSheet | CardSheets, ...]  # each as its own outline lays it out
    contents: tuple[Chapter, ...]
    index: tuple[IndexEntry, ...]
    cited: tuple[Cited, ...]  # only the readings that cite something
    works_heading: str = "Works cited"  # as the style names its list: "References" in APA

    @property
    def root(self) -> Path:
        """The nearest folder holding every reading: the one a PDF reads images from."""
        return Path(os.path.commonpath([r.folder.resolve() for r in self.readings]))


def in_notes_order(readings: list[Reading], folders: list[Path]) -> list[Reading]:
    """The readings in the notes folder's order (`folders`), each once; readings named by a
    path outside the notes folder follow, in the order named."""
    place = {folder.resolve(): n for n, folder in enumerate(folders)}
    unique: dict[Path, Reading] = {}
    for reading in readings:
        unique.setdefault(reading.folder.resolve(), reading)
    return sorted(unique.values(), key=lambda r: place.get(r.folder.resolve(), len(place)))


def course_pack(
    readings: list[Reading],
    answers: Answers = "inline",
    layout: Layout = "cornell",
    title: str = DEFAULT_TITLE,
) -> CoursePack:
    """The course pack of these readings, in this order, each laid out as its own outline."""
    contents = tuple(_chapter(n, reading) for n, reading in enumerate(readings, 1))
    return CoursePack(
        title=title,
        readings=tuple(readings),
        handouts=tuple(lay_out(reading, answers, layout) for reading in readings),
        contents=contents,
        index=_index(readings, contents),
        cited=tuple(
            Cited(chapter.number, chapter.title, works)
            for chapter, reading in zip(contents, readings, strict=True)
            if (works := works_cited(reading))
        ),
    )


def reading_mark(reading: int) -> str:
    """The name the PDF finds a reading's first page by (its place in the pack, from 1)."""
    return f"r{reading}"


def section_mark(reading: int, section: int) -> str:
    """The name the PDF finds a section's first page by."""
    return f"r{reading}-s{section}"


def term_mark(reading: int, section: int, term: int) -> str:
    """The name the PDF finds a term's page by: reading, section and term, counted from 1."""
    return f"r{reading}-s{section}-t{term}"


def works_cited(reading: Reading) -> tuple[Inline, ...]:
    """The works a reading cites: the `sources:` of its reading.yaml, as written, then (once
    `csl.cited_reading` has formatted the reading's citations) the works its notes cite."""
    context = Context(reading.folder, reading.folder)
    return tuple(parse(source, context) for source in reading.sources)


def sort_key(term: str) -> str:
    """Where a term files in the index: case and accents aside (Émile beside Emile)."""
    decomposed = unicodedata.normalize("NFKD", term)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _chapter(number: int, reading: Reading) -> Chapter:
    top = Context(reading.folder, reading.folder)
    sections = tuple(
        (n, parse(section.title, Context(section.path.parent, reading.folder)))
        for n, section in enumerate(reading.sections, 1)
    )
    return Chapter(number, parse(reading.title, top), sections)


def _index(readings: list[Reading], contents: tuple[Chapter, ...]) -> tuple[IndexEntry, ...]:
    """Every term of the pack, alphabetically, each with its places in pack order."""
    entries: dict[str, tuple[Inline, list[Place]]] = {}
    for reading, chapter in zip(readings, contents, strict=True):
        for section, (number, title) in zip(reading.sections, chapter.sections, strict=True):
            context = Context(section.path.parent, reading.folder)
            for t, term in enumerate(section.terms, 1):
                spans = parse(term.term, context)
                mark = term_mark(chapter.number, number, t)
                place = Place(chapter.number, chapter.title, number, title, mark, spans)
                same = " ".join(plain(spans).casefold().split())
                entries.setdefault(same, (spans, []))[1].append(place)
    ordered = sorted(entries.items(), key=lambda entry: (sort_key(entry[0]), entry[0]))
    return tuple(IndexEntry(term, tuple(places)) for _, (term, places) in ordered)
