"""The one-page digest of a reading: its summary, each section's summary and key terms.

A section without a written summary gets an extractive summary of its excerpt (or, without an
excerpt, of its points), marked as automatic so nobody mistakes it for the student's words.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from studykit.notes.cloze import literal_text
from studykit.notes.formulas import MATH
from studykit.notes.inline import Context, Inline, Span, parse, plain
from studykit.notes.model import Reading, Section

DEFAULT_SENTENCES = 2
# The printed digest (templates/digest.css: A4, 9.5 pt, 13-14 mm margins) holds about 95
# characters by 60 lines; the gaps between its blocks take about half a line each.
PAGE_WIDTH = 95
PAGE_LINES = 60


@dataclass(frozen=True)
class Brief:
    """One section in the digest."""

    number: int
    title: Inline
    summary: Inline
    automatic: bool  # the summary was extracted from the section's text, not written
    terms: tuple[Inline, ...]


@dataclass(frozen=True)
class Digest:
    id: str
    title: Inline
    source: Inline
    summary: Inline
    sections: tuple[Brief, ...]
    works: tuple[Inline, ...] = ()  # the works cited, printed at the end
    works_heading: str = "Works cited"  # as the style names its list: "References" in APA


def digest(reading: Reading, sentences: int = DEFAULT_SENTENCES) -> Digest:
    """The digest; `sentences` caps each automatic summary."""
    top = Context(reading.folder, reading.folder)
    return Digest(
        id=reading.id,
        title=parse(reading.title, top),
        source=parse(reading.source, top) if reading.source else (),
        summary=parse(reading.summary, top) if reading.summary else (),
        sections=tuple(
            _brief(number, section, reading, sentences)
            for number, section in enumerate(reading.sections, 1)
        ),
        works=tuple(parse(source, top) for source in reading.sources),
    )


def _brief(number: int, section: Section, reading: Reading, sentences: int) -> Brief:
    ctx = Context(section.path.parent, reading.folder)
    terms = tuple(parse(t.term, ctx) for t in section.terms)
    title = parse(section.title, ctx)
    if section.summary:
        return Brief(number, title, parse(section.summary, ctx), False, terms)
    from studykit.handouts import textrank  # here: compiling its patterns slows every outline

    prose, formulas = _prose(section)
    picked = textrank.summarize(prose, sentences)
    summary = _with_formulas(" ".join(picked), formulas) if picked else ()
    return Brief(number, title, summary, bool(picked), terms)


def _prose(section: Section) -> tuple[str, dict[str, Span]]:
    """The text to summarise: the excerpt, else the points read as sentences; and the points'
    formulas, by their source with its spaces as sentences keep them."""
    if section.excerpt:
        return section.excerpt, {}
    texts = [p.cloze.plain() if p.cloze else literal_text(p.text) for p in section.points]
    formulas: dict[str, Span] = {}
    prose: list[str] = []
    for text in texts:
        spans = parse(text)
        formulas.update((" ".join(s.source.split()), s) for s in spans if s.kind == "math")
        prose.append(plain(spans))
    return "\n\n".join(prose), formulas


def _with_formulas(text: str, formulas: dict[str, Span]) -> Inline:
    """Extracted sentences as text, with the points' formulas in them set as formulas again
    (as a written summary's are), not as their LaTeX."""
    if not formulas:
        return (Span("text", text),)
    spans: list[Span] = []
    at = 0
    for found in MATH.finditer(text):
        span = formulas.get(found.group())
        if span is None:
            continue  # dollars in the prose, no formula of a point: text, as written
        if found.start() > at:
            spans.append(Span("text", text[at : found.start()]))
        spans.append(span)
        at = found.end()
    if at < len(text):
        spans.append(Span("text", text[at:]))
    return tuple(spans)


AUTOMATIC = "(automatic summary)"
NO_SUMMARY = "(no summary yet)"


def render_text(data: Digest, width: int = 80) -> str:
    """The digest as plain text, wrapped to `width` columns; formulas read as `show` prints
    them (`$h\\nu$` as hν)."""
    from studykit.columns import (
        width as columns,  # the underline as wide as the title looks
    )

    lines = [_readable(data.title), "=" * min(width, columns(_readable(data.title)))]
    if data.source:
        lines.append(f"Source: {_readable(data.source)}")
    if data.summary:
        lines += ["", *textwrap.wrap(_readable(data.summary), width)]
    for brief in data.sections:
        lines += ["", f"{brief.number}. {_readable(brief.title)}"]
        text = _readable(brief.summary) or NO_SUMMARY
        if brief.automatic:
            text += " " + AUTOMATIC
        lines += textwrap.wrap(text, width, initial_indent="   ", subsequent_indent="   ")
        if brief.terms:
            terms = "Key terms: " + "; ".join(_readable(t) for t in brief.terms)
            lines += textwrap.wrap(terms, width, initial_indent="   ", subsequent_indent="   ")
    if data.works:
        lines += ["", data.works_heading]
        for work in data.works:
            lines += textwrap.wrap(
                _readable(work), width, initial_indent="- ", subsequent_indent="  "
            )
    return "\n".join(lines) + "\n"


def _readable(spans: Inline) -> str:
    """The visible text of spans, each formula as Unicode where it converts, else as written."""
    parts: list[str] = []
    for span in spans:
        if span.kind == "math":
            from studykit.notes.mathtext import to_unicode

            parts.append(to_unicode(span.text) or span.source)
        elif span.children:
            parts.append(_readable(span.children))
        else:
            parts.append(span.plain())
    return "".join(parts)


def printed_lines(data: Digest) -> int:
    """About how many lines the digest fills on a printed page (PAGE_WIDTH characters a line)."""
    lines = render_text(data, PAGE_WIDTH).splitlines()
    blank = sum(1 for line in lines if not line.strip())
    return len(lines) - blank + (blank + 1) // 2
