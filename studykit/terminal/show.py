"""Notes rendered for the terminal: summary, points with annotations, terms, questions."""

from __future__ import annotations

import re
from collections.abc import Sequence
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
from studykit.notes.cloze import ANSWER_CLOSE, ANSWER_OPEN, Deletion, literal_text, marked
from studykit.notes.markup import MATH, markdown_parser
from studykit.notes.model import Point, Reading, Section
from studykit.words import plural

if TYPE_CHECKING:
    from markdown_it.token import Token

ANNOTATION = "italic bright_black"
DELETION = "bold cyan"
LABEL = "bold"


def render_reading(
    reading: Reading,
    section_id: str | None = None,
    answers: bool = False,
    excerpt: bool = False,
    unreadable: Sequence[str] = (),
) -> RenderableType:
    """The whole reading, or one section of it when `section_id` is given; the section files
    named `unreadable` were left out, having errors."""
    sections = reading.sections if section_id is None else (_section(reading, section_id),)
    parts: list[RenderableType] = [_heading(reading, unreadable)]
    for section in sections:
        parts.append(render_section(section, reading.reverse_terms, answers, excerpt))
    if reading.sources:
        # Cited once for the whole reading (the annotations of every section draw on them), or
        # for one section its works (`cited_reading` of that section lists them).
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


def cited_for_show(reading: Reading, section_id: str | None = None) -> Reading:
    """The reading with its citations formatted as `show` prints them, whole or of one section:
    the works listed under one section are those it cites; the reading's free-text sources
    belong to the whole reading, listed under it."""
    from dataclasses import replace

    from studykit.citing.csl import cite_reading, with_citations, works_cited

    # Formatted once, for the whole reading: a section's works keep the reading's numbers.
    cited = cite_reading(reading)
    shown = with_citations(reading, cited, header=False)
    only = None if section_id is None else reading.section(section_id)
    if only is None:
        return shown
    works = works_cited(replace(reading, sections=(only,), summary=None), cited)
    return replace(shown, sources=tuple(w for w in works if w not in reading.sources))


def _section(reading: Reading, section_id: str) -> Section:
    from studykit.errors import NotFoundError

    section = reading.section(section_id)
    if section is None:
        known = ", ".join(s.id for s in reading.sections)
        raise NotFoundError(f"no section {section_id!r} in {reading.id} (sections: {known})")
    return section


def _heading(reading: Reading, unreadable: Sequence[str]) -> RenderableType:
    title = Text(reading.title, style="bold underline")
    sections, cards = len(reading.sections), reading_card_count(reading)
    facts = [plural(sections, "section"), plural(cards, "card")]
    if reading.source:
        facts.insert(0, f"source: {reading.source}")
    parts: list[RenderableType] = [title, Text(" · ".join(facts), style="dim")]
    if unreadable:
        # The counts are of what is shown: say what is not, as `list` does.
        count = len(unreadable)
        files = "1 section file has" if count == 1 else f"{count} section files have"
        named = ", ".join(unreadable[:3]) + (f" and {count - 3} more" if count > 3 else "")
        parts.append(Text(f"{files} errors, not shown: {named} (studykit check)", style="yellow"))
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
        if point.annotation:
            rows.append(Hanging("", annotation(point.annotation)))
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
    # One text, so that code and formulas around an answer read whole.
    return inline(
        "".join(marked(p.answer) if isinstance(p, Deletion) else p for p in point.cloze.parts)
    )


def _terms(section: Section) -> Padding:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, expand=True, padding=(0, 1))
    table.add_column("Term", style="bold", ratio=1)
    table.add_column("Definition", ratio=3)
    for term in section.terms:
        definition = inline(term.definition)
        if term.annotation:
            definition += Text("\n") + inline(term.annotation, ANNOTATION)
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
            if question.annotation:
                table.add_row("", annotation(question.annotation))
    if not answers:
        table.add_row("", Text("(answers hidden: add --answers to show them)", style="dim"))
    return Padding(table, (0, 0, 0, 2))


# -- inline Markdown -----------------------------------------------------------------------------


_STYLES = {"strong": "bold", "em": "italic", "s": "strike", "link": "underline"}
# The characters that start inline Markdown (emphasis, code, links, images, escapes, autolinks,
# entities, strikethrough) and line breaks; text without any is one plain text token.
_MAY_BE_MARKDOWN = re.compile(r"[*_`\[\]!\\<&~\n]")
_MAY_BE_MATH = re.compile(r"\$|\\[(\[]")
# Private-use characters mark where formulas go while Markdown reads the rest.
_SLOT_OPEN, _SLOT_CLOSE = "\ue000", "\ue001"
_SLOT = re.compile(f"{_SLOT_OPEN}(\\d+){_SLOT_CLOSE}")
_SLOT_CHARS = re.compile(f"[{_SLOT_OPEN}{_SLOT_CLOSE}]")
MATH_STYLE = "italic"
_ANSWER_MARKS = re.compile(f"[{ANSWER_OPEN}{ANSWER_CLOSE}]")


def inline(source: str, base: str = "") -> Text:
    """Inline Markdown (bold, emphasis, code, links) as styled terminal text, and math
    (`$...$`, `$$...$$`, `\\(...\\)`, `\\[...\\]`) as readable Unicode; the rest literal."""
    maths: list[tuple[str, str | None]] = []
    if _MAY_BE_MATH.search(source) and not _SLOT_CHARS.search(source):
        # Lifted out before Markdown reads the rest, as for cards: Markdown would eat the
        # backslashes of `\\(` and read `*` and `_` in formulas as emphasis.
        source = MATH.sub(lambda match: _lift(match, maths), source)
    if not _MAY_BE_MARKDOWN.search(source):
        # Plain text reads the same through Markdown; skipping the parser (and its import)
        # keeps `show` quick on notes without any.
        return _highlighted(_with_math(Text(style=base), source, None, maths))
    text = Text(style=base)
    tokens = markdown_parser().parseInline(source)
    if not tokens or tokens[0].children is None:
        return _highlighted(_with_math(text, source, None, maths))
    styles: list[str] = []
    for token in tokens[0].children:
        _append(text, token, styles, maths)
    return _highlighted(text)


def _highlighted(text: Text) -> Text:
    """The text with each marked answer (`cloze.marked`) in the answer's style, marks dropped.

    The text is cut once at every mark (`divide`): styling and slicing it mark by mark walks
    all its spans each time, which a point with thousands of deletions made quadratic."""
    plain = text.plain
    if ANSWER_OPEN not in plain:
        return text
    marks: list[int] = []
    answers: list[tuple[int, int]] = []  # (start, end) of each marked answer
    opened = -1
    for at, char in enumerate(plain):
        if char not in (ANSWER_OPEN, ANSWER_CLOSE):
            continue
        if char == ANSWER_OPEN and opened < 0:
            opened = at
        elif char == ANSWER_CLOSE and opened >= 0:
            answers.append((opened + 1, at))
            opened = -1
        marks.append(at)
    cuts = sorted({offset for at in marks for offset in (at, at + 1)})
    dropped = set(marks)
    joined = Text(style=text.style)
    start, answer = 0, 0
    for piece in text.divide(cuts):
        end = start + len(piece)
        if not (end - start == 1 and start in dropped):
            while answer < len(answers) and answers[answer][1] <= start:
                answer += 1
            if answer < len(answers) and answers[answer][0] <= start < answers[answer][1]:
                piece.stylize(DELETION)
            joined.append_text(piece)
        start = end
    return joined


def _lift(match: re.Match[str], maths: list[tuple[str, str | None]]) -> str:
    """A placeholder for one formula; the formula as written and as Unicode go to `maths`."""
    from studykit.notes.mathtext import to_unicode

    tex = next(group for group in match.groups() if group is not None)
    slot = f"{_SLOT_OPEN}{len(maths)}{_SLOT_CLOSE}"
    if ANSWER_OPEN in match[0] or ANSWER_CLOSE in match[0]:
        # An answer inside a formula: the formula reads whole, highlighted.
        tex, written = (_ANSWER_MARKS.sub("", t) for t in (tex, match[0]))
        maths.append((written, to_unicode(tex)))
        return f"{ANSWER_OPEN}{slot}{ANSWER_CLOSE}"
    maths.append((match[0], to_unicode(tex)))
    return slot


def _with_math(
    text: Text,
    content: str,
    style: str | None,
    maths: list[tuple[str, str | None]],
    written: bool = False,
) -> Text:
    """`content` appended with its formulas put back: readable, or as written where they
    cannot be converted (or inside code, with `written`)."""
    position = 0
    for match in _SLOT.finditer(content) if maths else ():
        text.append(content[position : match.start()], style=style)
        source, converted = maths[int(match[1])]
        if converted is None or written:
            text.append(source, style=style)
        else:
            text.append(converted, style=" ".join(filter(None, (style, MATH_STYLE))))
        position = match.end()
    text.append(content[position:], style=style)
    return text


def _append(
    text: Text, token: Token, styles: list[str], maths: list[tuple[str, str | None]]
) -> None:
    kind = token.type
    if kind.endswith("_open"):
        styles.append(_STYLES.get(kind[: -len("_open")], ""))
    elif kind.endswith("_close"):
        if styles:
            styles.pop()
    elif kind == "text":
        _with_math(text, token.content, " ".join(s for s in styles if s) or None, maths)
    elif kind == "code_inline":
        _with_math(text, token.content, "bold magenta", maths, written=True)
    elif kind in ("softbreak", "hardbreak"):
        text.append("\n")
    elif kind == "image":
        alt = token.content or token.attrGet("src") or ""
        _with_math(text, f"[image: {alt}]", "dim", maths, written=True)
    else:
        _with_math(text, token.content, None, maths, written=True)
