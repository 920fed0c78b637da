"""Notes text as a tree of spans that every handout format renders the same way.

A text field is inline Markdown with math and, in points, cloze deletions. It is parsed once,
with the parser the cards use (raw HTML off, so `<b>` stays text), into spans: text, strong,
em, code, link, math, image, line break, and a deletion (the answer, shown in bold) or a blank
(the answer hidden for self-testing). Renderers only escape and wrap; none re-parses notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from studykit.notes import latex
from studykit.notes.cloze import Cloze, Deletion
from studykit.notes.markup import MATH, markdown_parser
from studykit.notes.media import resolve_image

if TYPE_CHECKING:
    from markdown_it.token import Token

# Private-use characters mark where math and deletions go while Markdown parses the rest.
_OPEN, _CLOSE = "\ue010", "\ue011"
_SLOT = re.compile(f"{_OPEN}(\\d+){_CLOSE}")
_RESERVED = re.compile(f"[{_OPEN}{_CLOSE}]")
_CONTAINERS = {"strong", "em", "link"}
# Text without these characters (or line breaks) is the same before and after Markdown.
_MARKDOWN = re.compile(r"[*_`\[\]!\\$<&~\n]")


class Span(NamedTuple):
    """One piece of rendered notes text.

    kind: text, strong, em, code, link, math, image, break, deletion or blank.
    text: the characters of text and code, a formula's LaTeX, an image's caption, a blank's hint.
    children: what strong, em, link and deletion hold; a formula holding cloze deletions, its
        LaTeX in pieces around them (text spans), each deletion or blank in its place.
    href: a link's target, an image's file.
    A named tuple, not a frozen dataclass: a long reading makes tens of thousands of spans, and
    tuples are built several times faster.
    """

    kind: str
    text: str = ""
    children: tuple[Span, ...] = ()
    href: str = ""
    display: bool = False  # math set on its own line
    source: str = ""  # math: the formula as written, delimiters included; a deletion's answer

    def plain(self) -> str:
        """The visible text of the span, as a reader sees it."""
        if self.kind in ("text", "code", "image"):
            return self.text
        if self.kind == "math":
            return self.source
        if self.kind == "break":
            return "\n"
        if self.kind == "blank":
            return blank_label(self.text)
        return plain(self.children)


Inline = tuple[Span, ...]


def plain(spans: Inline) -> str:
    """The visible text of a run of spans.

    Walked with a stack, not recursion: the automatic summary reads a cloze point with its
    answers in place (`Cloze.plain`), which may nest deeper than `check` lets the point."""
    out: list[str] = []
    pending = [iter(spans)]
    while pending:
        for span in pending[-1]:
            if span.kind in _HOLDERS:
                pending.append(iter(span.children))
                break
            out.append(span.plain())
        else:
            pending.pop()
    return "".join(out)


_HOLDERS = frozenset({"strong", "em", "link", "deletion"})  # shown as what they hold


def blank_label(hint: str) -> str:
    """How a hidden cloze answer reads: Anki's `[...]`, or `[hint]`."""
    return f"[{hint or '…'}]"


@dataclass(frozen=True)
class Context:
    """Where a text lives, so image paths resolve against its section file."""

    folder: Path  # the section file's folder
    root: Path  # the reading's folder: images must lie inside it


def parse(text: str, context: Context | None = None) -> Inline:
    """Spans of a text field (not a cloze point)."""
    if not _MARKDOWN.search(text) and not _RESERVED.search(text):
        return (Span("text", text),) if text else ()
    stash: list[Span] = []
    # `\{{` needs no unescaping here: Markdown shows `\{` as `{`, as on the cards.
    source = _lift_math(_RESERVED.sub("\ufffd", text), stash)
    return _parse_markdown(source, stash, context)


def parse_cloze(cloze: Cloze, show_answers: bool, context: Context | None = None) -> Inline:
    """Spans of a cloze point: each deletion in bold, or a blank when answers are hidden."""
    if not any(_MARKDOWN.search(_text_of(part)) for part in cloze.parts):
        # Plain words around plain answers, as most cloze points are: no parsing needed.
        return tuple(
            _deletion(part, show_answers, context)
            if isinstance(part, Deletion)
            else Span("text", part)
            for part in cloze.parts
        )
    stash: list[Span] = []
    pieces: list[str] = []
    for part in cloze.parts:
        if isinstance(part, Deletion):
            pieces.append(_keep(stash, _deletion(part, show_answers, context)))
        else:
            pieces.append(_RESERVED.sub("\ufffd", part))
    source = _lift_math("".join(pieces), stash)
    spans = _parse_markdown(source, stash, context)
    return spans if show_answers else _merge(_without_telling_links(spans))


def _without_telling_links(spans: Inline) -> list[Span]:
    """A link around a blank, as its text alone: its address often names the answer
    (`[{{the photoelectric effect}}](…/Photoelectric_effect)`)."""
    kept: list[Span] = []
    for span in spans:
        children = _without_telling_links(span.children) if span.children else []
        if span.kind == "link" and _has_blank(span.children):
            kept.extend(children)
        elif span.children:
            kept.append(span._replace(children=tuple(children)))
        else:
            kept.append(span)
    return kept


def _has_blank(spans: Inline) -> bool:
    return any(s.kind == "blank" or _has_blank(s.children) for s in spans)


def _text_of(part: str | Deletion) -> str:
    if isinstance(part, str):
        return part
    return part.answer + (part.hint or "")


def _deletion(part: Deletion, show_answers: bool, context: Context | None) -> Span:
    if not show_answers:
        return Span("blank", part.hint or "")
    return Span("deletion", children=parse(part.answer, context), source=part.answer)


def _keep(stash: list[Span], span: Span) -> str:
    stash.append(span)
    return f"{_OPEN}{len(stash) - 1}{_CLOSE}"


def _lift_math(text: str, stash: list[Span]) -> str:
    def lift(match: re.Match[str]) -> str:
        # A deletion inside a formula is part of it: its text has the answer as written (or the
        # blank's label), and its pieces keep the deletion apart, to be set in bold (or blank).
        written = next(g for g in match.groups() if g is not None)
        display = match.group("display") is not None or match.group("ddollar") is not None
        pieces = tuple(_split_slots(written, stash)) if _SLOT.search(written) else ()
        source = _restore(match.group(), stash)
        return _keep(
            stash,
            Span("math", _restore(written, stash), pieces, display=display, source=source),
        )

    return MATH.sub(lift, text)


def _parse_markdown(source: str, stash: list[Span], context: Context | None) -> Inline:
    if not _MARKDOWN.search(source):
        return _merge(_split_slots(source, stash))  # most notes text: no need to parse
    simple = _simple_emphasis(source, stash)
    if simple is not None:
        return simple
    tokens = markdown_parser().parseInline(source)
    children = tokens[0].children if tokens else None
    if not children:
        return tuple(_split_slots(source, stash))
    root: list[Span] = []
    stack: list[tuple[str, str, list[Span]]] = []
    for token in children:
        current = stack[-1][2] if stack else root
        kind = token.type
        if kind.endswith("_open") and kind[: -len("_open")] in _CONTAINERS:
            stack.append((kind[: -len("_open")], str(token.attrGet("href") or ""), []))
        elif kind.endswith("_close") and stack:
            name, href, items = stack.pop()
            (stack[-1][2] if stack else root).append(Span(name, children=tuple(items), href=href))
        elif kind == "text":
            current.extend(_split_slots(token.content, stash))
        elif kind == "code_inline":
            current.append(Span("code", _restore(token.content, stash)))
        elif kind in ("softbreak", "hardbreak"):
            # Notes keep their line breaks, as on the cards (the parser sets `breaks`).
            current.append(Span("break"))
        elif kind == "image":
            current.append(_image(token, stash, context))
        else:
            current.extend(_split_slots(token.content, stash))
    while stack:  # markdown-it closes what it opens; this only guards against surprises
        name, href, items = stack.pop()
        (stack[-1][2] if stack else root).append(Span(name, children=tuple(items), href=href))
    while root and root[-1].kind == "break":  # a line break at the very end shows nothing
        root.pop()
    while root and root[0].kind == "break":
        root.pop(0)
    return _merge(root)


# `*word*` and `**a few words**` between spaces and sentence punctuation: the emphasis notes use
# most, read without loading the Markdown parser. Anything less plain goes to the parser.
_SIMPLE = re.compile(r"(?:^|(?<=\s))(\*\*?)(?=[^\W_])([^*]*?[^\W_])\1(?=$|[\s.,;:!?])")
_ONLY_STARS = re.compile(r"[_`\[\]!\\$<&~\n]")


def _simple_emphasis(source: str, stash: list[Span]) -> Inline | None:
    if _ONLY_STARS.search(source):
        return None
    spans: list[Span] = []
    at = 0
    for match in _SIMPLE.finditer(source):
        if "*" in source[at : match.start()]:
            return None
        spans.extend(_split_slots(source[at : match.start()], stash))
        kind = "strong" if len(match.group(1)) == 2 else "em"
        spans.append(Span(kind, children=_merge(_split_slots(match.group(2), stash))))
        at = match.end()
    if "*" in source[at:]:
        return None
    spans.extend(_split_slots(source[at:], stash))
    return _merge(spans)


def _split_slots(text: str, stash: list[Span]) -> list[Span]:
    spans: list[Span] = []
    at = 0
    for match in _SLOT.finditer(text):
        if match.start() > at:
            spans.append(Span("text", text[at : match.start()]))
        spans.append(stash[int(match.group(1))])
        at = match.end()
    if at < len(text):
        spans.append(Span("text", text[at:]))
    return spans


def _restore(text: str, stash: list[Span]) -> str:
    """Code shows what was written: formulas and answers go back in as text."""
    return _SLOT.sub(lambda m: _source_text(stash[int(m.group(1))]), text)


def _source_text(span: Span) -> str:
    return span.source if span.kind in ("math", "deletion") else span.plain()


def _image(token: Token, stash: list[Span], context: Context | None) -> Span:
    caption = _restore("".join(_flat(token.children or [])), stash)
    target = str(token.attrGet("src") or "")
    if context is not None:
        from urllib.parse import unquote

        try:
            path = resolve_image(unquote(target), context.folder, context.root)
            return Span("image", caption, href=str(path))
        except ValueError:
            pass  # checked when the notes load; a file removed since then shows its caption
    return Span("text", caption)


def _flat(tokens: list[Token]) -> list[str]:
    out: list[str] = []
    for token in tokens:
        if token.children:
            out.extend(_flat(token.children))
        elif token.type in ("text", "code_inline"):
            out.append(token.content)
    return out


def _merge(spans: list[Span]) -> Inline:
    """Join neighbouring text spans, so renderers see words, not fragments."""
    merged: list[Span] = []
    for span in spans:
        if span.kind == "text" and merged and merged[-1].kind == "text":
            merged[-1] = Span("text", merged[-1].text + span.text)
        else:
            merged.append(span)
    return tuple(merged)


def formula(span: Span) -> latex.Node | None:
    """The parsed formula of a math span, or None when it is beyond the supported subset."""
    if span.children:
        try:
            return latex.parse_around([_formula_piece(p) for p in span.children])
        except latex.LatexError:
            pass  # a deletion that is no whole part of the formula: read with its answer as text
    try:
        return latex.parse(span.text)
    except latex.LatexError:
        return None


def _formula_piece(span: Span) -> str | latex.Node:
    if span.kind == "deletion":
        return latex.Node("deletion", args=(latex.parse(span.source),))
    if span.kind == "blank":
        return latex.Node("blank", span.text)
    return span.text
