"""Notes rendered for the terminal: summary, points with annotations, terms, questions."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.rule import Rule
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from studykit.cards import reading_card_count, section_card_count
from studykit.cloze import Deletion, literal_text
from studykit.markup import markdown_parser
from studykit.model import Point, Reading, Section
from studykit.words import plural

if TYPE_CHECKING:
    from markdown_it.token import Token

ANNOTATION = "italic bright_black"
DELETION = "bold cyan"
LABEL = "bold"


def render_reading(
    reading: Reading, section_id: str | None = None, answers: bool = False, excerpt: bool = False
) -> RenderableType:
    """The whole reading, or one section of it when `section_id` is given."""
    sections = reading.sections if section_id is None else (_section(reading, section_id),)
    parts: list[RenderableType] = [_heading(reading)]
    for section in sections:
        parts.append(render_section(section, reading.reverse_terms, answers, excerpt))
    if section_id is None and reading.sources:
        # Cited once for the whole reading: the annotations of every section draw on them.
        table = Table.grid(padding=(0, 1))
        table.add_column(width=1)
        table.add_column(ratio=1)
        for source in reading.sources:
            table.add_row("•", inline(source))
        parts += [
            Text(),
            Rule(Text("Sources", style="bold"), align="left"),
            Padding(table, (0, 0, 0, 2)),
        ]
    return Group(*parts)


def _section(reading: Reading, section_id: str) -> Section:
    from studykit.errors import NotFoundError

    section = reading.section(section_id)
    if section is None:
        known = ", ".join(s.id for s in reading.sections)
        raise NotFoundError(f"no section {section_id!r} in {reading.id} (sections: {known})")
    return section


def _heading(reading: Reading) -> RenderableType:
    title = Text(reading.title, style="bold underline")
    sections, cards = len(reading.sections), reading_card_count(reading)
    facts = [plural(sections, "section"), plural(cards, "card")]
    if reading.source:
        facts.insert(0, f"source: {reading.source}")
    parts: list[RenderableType] = [title, Text(" · ".join(facts), style="dim")]
    if reading.summary:
        parts.append(Padding(inline(reading.summary), (1, 0, 0, 0)))
    return Group(*parts)


def render_section(
    section: Section, reverse_terms: bool, answers: bool = False, excerpt: bool = False
) -> RenderableType:
    cards = section_card_count(section, reverse_terms)
    parts: list[RenderableType] = [
        Text(),
        Rule(Text(f"{section.number:02d} {section.title}", style="bold"), align="left"),
        Text(f"{section.id} · {plural(cards, 'card')}", style="dim"),
    ]
    if excerpt and section.excerpt:
        parts += [_label("Excerpt"), Padding(Text(section.excerpt, style="dim"), (0, 0, 0, 2))]
    if section.summary:
        parts += [_label("Summary"), Padding(inline(section.summary), (0, 0, 0, 2))]
    if section.points:
        parts += [_label("Points"), _points(section.points)]
    if section.terms:
        parts += [_label("Terms"), _terms(section)]
    if section.questions:
        parts += [_label("Questions"), _questions(section, answers)]
    return Group(*parts)


def _label(text: str) -> Text:
    return Text("\n" + text, style=LABEL)


def _points(points: tuple[Point, ...]) -> Padding:
    rows: list[RenderableType] = []
    for point in points:
        rows.append(Hanging("•", point_text(point)))
        if point.note:
            rows.append(Hanging("", annotation(point.note)))
    return Padding(Group(*rows), (0, 0, 0, 2))


def annotation(note: str) -> Hanging:
    """An annotation set apart: marked, dimmed, and wrapped under its own first line."""
    return Hanging("↳", inline(note, ANNOTATION), ANNOTATION)


class Hanging:
    """A one-character marker, a space, and the body wrapped beside it (a hanging indent).

    Shows what a two-column `Table.grid` would, line for line, at a fraction of the cost: a
    grid measures every cell before it renders, again for each grid nested in another.
    """

    def __init__(self, marker: str, body: RenderableType, style: str = ""):
        self.marker = marker
        self.body = body
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """The body's lines at the width left of the marker, the marker before the first."""
        inner = options.update_width(max(options.max_width - 2, 1))
        style = console.get_style(self.style) if self.style else None
        first, rest = Segment(f"{self.marker:<1} ", style), Segment("  ", style)
        lines = console.render_lines(self.body, inner, style=style, pad=True)
        for number, line in enumerate(lines):
            yield first if number == 0 else rest
            yield from line
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        """The body's widths, two columns wider."""
        body = Measurement.get(console, options.update_width(options.max_width - 2), self.body)
        return Measurement(body.minimum + 2, body.maximum + 2).clamp(max_width=options.max_width)


def point_text(point: Point) -> Text:
    """A point with its cloze answers highlighted (they are the notes, not a quiz, here)."""
    if point.cloze is None:
        return inline(literal_text(point.text))
    text = Text()
    for part in point.cloze.parts:
        if isinstance(part, Deletion):
            text += inline(part.answer, DELETION)
        else:
            text += inline(part)
    return text


def _terms(section: Section) -> Padding:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, expand=True, padding=(0, 1))
    table.add_column("Term", style="bold", ratio=1)
    table.add_column("Definition", ratio=3)
    for term in section.terms:
        definition = inline(term.definition)
        if term.note:
            definition += Text("\n") + inline(term.note, ANNOTATION)
        table.add_row(inline(term.term), definition)
    return Padding(table, (0, 0, 0, 2))


def _questions(section: Section, answers: bool) -> Padding:
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", style="bold")
    table.add_column(ratio=1)
    for number, question in enumerate(section.questions, 1):
        table.add_row(f"Q{number}.", inline(question.q))
        if answers:
            table.add_row("", Text("A: ", style="green") + inline(question.a))
            if question.note:
                table.add_row("", annotation(question.note))
    if not answers:
        table.add_row("", Text("(answers hidden: add --answers to show them)", style="dim"))
    return Padding(table, (0, 0, 0, 2))


# -- inline Markdown -----------------------------------------------------------------------------


_STYLES = {"strong": "bold", "em": "italic", "s": "strike", "link": "underline"}
# The characters that start inline Markdown (emphasis, code, links, images, escapes, autolinks,
# entities, strikethrough) and line breaks; text without any is one plain text token.
_MAY_BE_MARKDOWN = re.compile(r"[*_`\[\]!\\<&~\n]")


def inline(source: str, base: str = "") -> Text:
    """Inline Markdown (bold, emphasis, code, links) as styled terminal text; the rest literal."""
    if not _MAY_BE_MARKDOWN.search(source):
        # Plain text reads the same through Markdown; skipping the parser (and its import)
        # keeps `show` quick on notes without any.
        return Text(source, style=base)
    text = Text(style=base)
    tokens = markdown_parser().parseInline(source)
    if not tokens or tokens[0].children is None:
        return Text(source, style=base)
    styles: list[str] = []
    for token in tokens[0].children:
        _append(text, token, styles)
    return text


def _append(text: Text, token: Token, styles: list[str]) -> None:
    kind = token.type
    if kind.endswith("_open"):
        styles.append(_STYLES.get(kind[: -len("_open")], ""))
    elif kind.endswith("_close"):
        if styles:
            styles.pop()
    elif kind == "text":
        text.append(token.content, style=" ".join(s for s in styles if s) or None)
    elif kind == "code_inline":
        text.append(token.content, style="bold magenta")
    elif kind in ("softbreak", "hardbreak"):
        text.append("\n")
    elif kind == "image":
        text.append(f"[image: {token.content or token.attrGet('src')}]", style="dim")
    else:
        text.append(token.content)
