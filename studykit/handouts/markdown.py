"""Handouts as CommonMark: readable as plain text, and every character of the notes shown as
written once rendered (Markdown's own characters are backslash-escaped, formulas kept as code).
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from studykit.handouts.fold import FoldSheet
from studykit.handouts.layout import Handout, Sheet
from studykit.handouts.summary import AUTOMATIC, NO_SUMMARY, Digest
from studykit.notes.inline import Inline, Span, blank_label

# Characters that start Markdown inline syntax anywhere, and block syntax at a line's start.
# A backslash only before punctuation (where it would escape it), `<` only where it could open
# a tag or an autolink, `&` only where it would spell an entity, and `>` only at a line's start
# (see _line_safe): plain text stays readable.
_INLINE = re.compile(
    r"([`*_\[\]])|(\\)(?=[!-/:-@\[-`{-~]|$)|(<)(?=[A-Za-z/!?]|$)"
    r"|(&)(?=#[0-9]{1,7};|#[xX][0-9A-Fa-f]{1,6};|[A-Za-z][A-Za-z0-9]{0,31};)"
)
_BLOCK_START = re.compile(r"^(\s*)([#>+=~|-]|\d{1,9}(?=[.)]))")


def outline_markdown(data: Handout | FoldSheet, base: Path | None = None) -> str:
    """The handout as Markdown; image paths are written relative to the folder `base`."""
    md = _Writer(base)
    if isinstance(data, FoldSheet):
        return _fold(md, data)
    lines = [md.heading(1, None, data.title), ""]
    if data.source:
        lines += [md.block(f"**Source:** {md.inline(data.source)}"), ""]
    if data.summary:
        lines += [md.block(md.inline(data.summary)), ""]
    for sheet in data.sheets:
        lines += _sheet(md, sheet, data.answers == "inline")
    if data.answers == "end" and any(s.cues for s in data.sheets):
        lines += ["---", "", "## Answer key", ""]
        for sheet in data.sheets:
            if sheet.cues:
                lines += [md.heading(3, sheet.number, sheet.title), ""]
                lines += _answers(md, sheet)
    lines += _works(md, data.works, data.works_heading)
    return "\n".join(lines).rstrip("\n").replace(_SPACE, " ") + "\n"


def _works(md: _Writer, works: tuple[Inline, ...], heading: str) -> list[str]:
    if not works:
        return []
    return [f"## {heading}", "", *(md.item("- ", md.inline(work)) for work in works), ""]


def _sheet(md: _Writer, sheet: Sheet, answers_inline: bool) -> list[str]:
    lines = [md.heading(2, sheet.number, sheet.title), ""]
    if sheet.cues:
        lines += ["### Cue questions", ""]
        for index, cue in enumerate(sheet.cues, 1):
            question = md.item(f"{index}. ", md.inline(cue.question))
            if answers_inline and cue.answer:
                # A hard break keeps the answer on its own line inside the question's item.
                lines.append(question + "\\")
                lines.append(md.item("   ", f"*Answer:* {md.inline(cue.answer)}"))
                if cue.annotation:
                    lines.append(md.item("   > ", md.inline(cue.annotation)))
            else:
                lines.append(question)
        lines.append("")
    if sheet.points:
        lines += ["### Notes", ""]
        for point in sheet.points:
            lines.append(md.item("- ", md.inline(point.text)))
            if point.annotation:
                lines.append(md.item("  > ", md.inline(point.annotation)))
        lines.append("")
    if sheet.terms:
        lines += ["### Terms", ""]
        for term in sheet.terms:
            definition = f": {md.inline(term.definition)}" if term.definition else ""
            lines.append(md.item("- ", f"**{md.inline(term.term)}**{definition}"))
            if term.annotation:
                lines.append(md.item("  > ", md.inline(term.annotation)))
        lines.append("")
    if sheet.summary:
        lines += ["### Summary", "", md.block(md.inline(sheet.summary)), ""]
    return lines


def _fold(md: _Writer, data: FoldSheet) -> str:
    """The fold-over sheet as one table per section (GitHub-flavoured Markdown): prompts in
    the left column, answers in the right, empty on a sheet to write on."""
    lines = [md.heading(1, None, data.title), ""]
    if data.source:
        lines += [md.block(f"**Source:** {md.inline(data.source)}"), ""]
    for section in data.sections:
        if not section.rows:
            continue
        lines += [md.heading(2, section.number, section.title), ""]
        lines += ["| Prompt | Answer |", "| --- | --- |"]
        for number, row in enumerate(section.rows, 1):
            answer = _cell(md, row.answer)
            if row.annotation:
                answer += f"<br>*Note:* {_cell(md, row.annotation)}"
            lines.append(f"| {number}. {_cell(md, row.cue)} | {answer} |")
        lines.append("")
    lines += _works(md, data.works, data.works_heading)
    return "\n".join(lines).rstrip("\n").replace(_SPACE, " ") + "\n"


def _cell(md: _Writer, spans: Inline) -> str:
    """Text for a table cell: on one line, its pipes escaped (even inside code, as GFM reads
    a row's cells before their inline syntax)."""
    text = md.inline(spans).replace("\\\n", "<br>").replace("\n", " ")
    return text.replace("|", "\\|")


def _answers(md: _Writer, sheet: Sheet) -> list[str]:
    lines = []
    for index, cue in enumerate(sheet.cues, 1):
        lines.append(md.item(f"{index}. ", md.inline(cue.answer)))
        if cue.annotation:
            lines.append(md.item("   > ", md.inline(cue.annotation)))
    return [*lines, ""]


def summary_markdown(data: Digest) -> str:
    """The one-page digest as Markdown."""
    md = _Writer(None)
    lines = [md.heading(1, None, data.title), ""]
    if data.source:
        lines += [md.block(f"**Source:** {md.inline(data.source)}"), ""]
    if data.summary:
        lines += [md.block(md.inline(data.summary)), ""]
    for brief in data.sections:
        lines += [md.heading(2, brief.number, brief.title), ""]
        text = md.inline(brief.summary) if brief.summary else f"*{md.text(NO_SUMMARY)}*"
        if brief.automatic:
            text += f" *{md.text(AUTOMATIC)}*"
        lines += [md.block(text), ""]
        if brief.terms:
            terms = "; ".join(md.inline(t) for t in brief.terms)
            lines += [md.block(f"**Key terms:** {terms}"), ""]
    lines += _works(md, data.works, data.works_heading)
    return "\n".join(lines).rstrip("\n").replace(_SPACE, " ") + "\n"


class _Writer:
    """Inline spans to Markdown text, and that text placed safely into blocks."""

    def __init__(self, base: Path | None, width: int = 100):
        self.base = base
        self.width = width  # wrap lines here where words allow
        self.depth = 0  # emphasis spans open around the span being written

    def text(self, text: str) -> str:
        # Spaces of the notes' words become _SPACE: the only places a line may be wrapped.
        return _INLINE.sub(lambda m: "\\" + m.group(), text).replace(" ", _SPACE)

    def inline(self, spans: Inline) -> str:
        spans = _join_code(spans)
        pieces: list[str | None] = []
        inners: list[str | None] = []
        for span in spans:
            if span.kind in _EMPHASIS:
                self.depth += 1
                inners.append(self.inline(span.children))
                self.depth -= 1
                pieces.append(None)
            else:
                inners.append(None)
                pieces.append(self.span(span))
        for i, inner in enumerate(inners):
            if inner is None:
                continue
            before = (pieces[i - 1] or "*")[-1:] if i else ""
            after = (pieces[i + 1] or "*")[:1] if i + 1 < len(pieces) else ""
            kind = spans[i].kind
            if self.depth == 0 and _stars_hold(before, inner, after):
                star = "*" if kind == "em" else "**"
                pieces[i] = f"{star}{inner}{star}"
            else:
                # Where `*` would not open or close as the notes meant (nested, beside another
                # delimiter or punctuation), the HTML tag CommonMark passes through does.
                pieces[i] = _tagged(kind, inner)
        return "".join(p or "" for p in pieces)

    def span(self, span: Span) -> str:
        kind = span.kind
        if kind == "text":
            return self.text(span.text)
        if kind in _EMPHASIS:
            return self.inline((span,))
        if kind == "code":
            return _code(span.text)
        if kind == "math":
            return _code(span.source)
        if kind == "link":
            target = re.sub(r"([\\<>])", r"\\\1", span.href)
            return f"[{self.inline(span.children)}](<{target}>)"
        if kind == "image":
            caption = self.text(span.text)
            return f"![{caption}](<{self._path(span.href)}>)\\\n*{caption}*"
        if kind == "break":
            return "\\\n"
        if kind == "blank":
            return self.text(blank_label(span.text))
        return self.inline(span.children)

    def _path(self, path: str) -> str:
        try:
            relative = os.path.relpath(path, self.base or Path.cwd())
        except ValueError:  # another drive on Windows
            relative = path
        return re.sub(r"([\\<>])", r"\\\1", Path(relative).as_posix())

    def block(self, text: str) -> str:
        """A paragraph: no line of it may read as a heading, list, quote or rule."""
        return "\n".join(_line_safe(line) for line in _wrap(text, self.width))

    def item(self, marker: str, text: str) -> str:
        """A list item or quote line: continuation lines stay inside it."""
        quoted = marker.endswith("> ")
        indent = " " * (len(marker) - 2) + "> " if quoted else " " * len(marker)
        lines = [_line_safe(line) for line in _wrap(text, self.width - len(marker))]
        return "\n".join([marker + lines[0], *(indent + line for line in lines[1:])])

    def heading(self, level: int, number: int | None, spans: Inline) -> str:
        """A heading on one line; a trailing `#` would read as its closing sequence."""
        text = self.inline(spans).replace("\\\n", " ").replace(_SPACE, " ")
        # From a run's first `#` only: tried from each, `#+` would rescan the run (`####...x`).
        text = re.sub(r"(?<!#)(#++)(\s*+)$", lambda m: "\\" + m.group(1) + m.group(2), text)
        prefix = f"{number}. " if number is not None else ""
        return f"{'#' * level} {prefix}{text}"


_DELIMITERS = ("*", "_")
_EMPHASIS = ("em", "strong", "deletion")
_CODE = ("code", "math")  # both written as code spans
_SPACE = "\ue020"  # a space between words of the notes, where a line may wrap


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` characters where words allow, broken only between words.

    A break never follows a backslash or a space (either would turn the line end into a hard
    break), and code, formulas and link targets hold no _SPACE, so they are never broken.
    """
    lines: list[str] = []
    for hard in text.split("\n"):
        words = hard.split(_SPACE)
        line = words[0]
        for word in words[1:]:
            if word and len(line) + 1 + len(word) > width and line and line[-1] not in "\\ ":
                lines.append(line)
                line = word
            else:
                line += " " + word
        lines.append(line)
    return lines


def _stars_hold(before: str, inner: str, after: str) -> bool:
    """Whether `*inner*` between these characters is emphasis by CommonMark's flanking rules."""
    before, inner, after = (x.replace(_SPACE, " ") for x in (before, inner, after))
    if not inner or inner[0].isspace() or inner[-1].isspace():
        return False
    if before in _DELIMITERS or after in _DELIMITERS:
        return False
    if inner[0] in _DELIMITERS or inner[-1] in _DELIMITERS:
        return False
    opens = not _punctuation(inner[0]) or not before or before.isspace() or _punctuation(before)
    closes = not _punctuation(inner[-1]) or not after or after.isspace() or _punctuation(after)
    return opens and closes


def _punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _tagged(kind: str, inner: str) -> str:
    tag = "em" if kind == "em" else "strong"
    return f"<{tag}>{inner}</{tag}>"


def _line_safe(line: str) -> str:
    """Escape what would make a line start a block: `#`, `>`, `-`, `+`, `=`, `1.`, fences."""
    match = _BLOCK_START.match(line)
    if match is None:
        return line.lstrip(" ")
    start = match.end(1)
    if line[start].isdigit():
        end = match.end(2)
        return line[start:end] + "\\" + line[end:]
    return "\\" + line[start:]


def _join_code(spans: Inline) -> Inline:
    """Code and formulas side by side as one code span, which reads the same.

    Two code spans written side by side run their backticks together (`` `a``b` ``), and
    CommonMark then reads neither as code.
    """
    if sum(s.kind in _CODE for s in spans) < 2:
        return spans
    joined: list[Span] = []
    for span in spans:
        if span.kind in _CODE and joined and joined[-1].kind in _CODE:
            joined[-1] = Span("code", _code_text(joined[-1]) + _code_text(span))
        else:
            joined.append(span)
    return tuple(joined)


def _code_text(span: Span) -> str:
    return span.source if span.kind == "math" else span.text


def _code(text: str) -> str:
    """A code span that shows `text` exactly, however many backticks it holds.

    Its line breaks are written as the spaces CommonMark shows for them: a line of its own
    would be read for block syntax (`#`, `>`, `-`) and escaped, inside the code.
    """
    text = text.replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"
