"""Handouts as one standalone HTML file: styles inline, images embedded, math as MathML.

Every piece of notes text is escaped here, so `<script>` in a note is shown, never run. The
print styles (A4 pages, sections and items kept whole where they fit, headings kept with what
follows) live in the package's templates/handout.css.
"""

from __future__ import annotations

import base64
import html
import mimetypes
from functools import cache
from importlib.resources import files
from pathlib import Path

from studykit.handouts import latex
from studykit.handouts.inline import Inline, Span, formula
from studykit.handouts.layout import Cue, Handout, Sheet
from studykit.handouts.summary import AUTOMATIC, NO_SUMMARY, Digest


@cache
def stylesheet(name: str) -> str:
    """A stylesheet shipped in studykit/handouts/templates/."""
    return files("studykit.handouts").joinpath("templates", name).read_text(encoding="utf-8")


def inline_html(spans: Inline) -> str:
    """Spans as HTML, every character of notes text escaped."""
    return "".join(_span(s) for s in spans)


def _span(span: Span) -> str:
    kind = span.kind
    if kind == "text":
        return _escape(span.text)
    if kind == "strong":
        return f"<strong>{inline_html(span.children)}</strong>"
    if kind == "deletion":
        return f'<strong class="deletion">{inline_html(span.children)}</strong>'
    if kind == "em":
        return f"<em>{inline_html(span.children)}</em>"
    if kind == "code":
        return f"<code>{_escape(span.text)}</code>"
    if kind == "link":
        return f'<a href="{html.escape(span.href)}">{inline_html(span.children)}</a>'
    if kind == "math":
        node = formula(span)
        if node is None:
            return f'<code class="tex">{_escape(span.source)}</code>'
        return latex.to_mathml(node, span.display)
    if kind == "image":
        alt = html.escape(span.text, quote=True)  # an attribute: quotes escaped too
        return (
            f'<span class="figure"><img src="{_data_uri(Path(span.href))}" alt="{alt}">'
            f'<span class="caption">{_escape(span.text)}</span></span>'
        )
    if kind == "break":
        return "<br>"
    if kind == "blank":
        return f'<span class="blank" title="answer left out">{_escape(span.text)}</span>'
    return inline_html(span.children)


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _data_uri(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _page(title: Inline, css: str, body: list[str]) -> str:
    plain_title = _escape("".join(s.plain() for s in title))
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{plain_title}</title>",
            f"<style>\n{stylesheet('handout.css')}{css}</style>",
            "</head>",
            "<body>",
            *body,
            "</body>",
            "</html>",
            "",
        ]
    )


def _header(title: Inline, source: Inline, summary: Inline, kind: str) -> list[str]:
    lines = ["<header>", f'<p class="kind">{kind}</p>', f"<h1>{inline_html(title)}</h1>"]
    if source:
        lines.append(f'<p class="source">Source: {inline_html(source)}</p>')
    if summary:
        lines.append(f'<p class="reading-summary">{inline_html(summary)}</p>')
    return [*lines, "</header>"]


def outline_html(data: Handout) -> str:
    """The Cornell handout as a standalone HTML page."""
    body = ['<main class="handout">', *_header(data.title, data.source, data.summary, "Handout")]
    for sheet in data.sheets:
        body += _sheet(sheet, data.answers == "inline")
    if data.answers == "end" and any(s.cues for s in data.sheets):
        body += ['<section class="key">', "<h2>Answer key</h2>"]
        for sheet in data.sheets:
            if sheet.cues:
                title = inline_html(sheet.title)
                body.append(f'<h3><span class="num">{sheet.number}</span> {title}</h3>')
                body.append("<ol>")
                body += [
                    f"<li><p>{inline_html(cue.answer)}</p>{_annotation(cue.note)}</li>"
                    for cue in sheet.cues
                ]
                body.append("</ol>")
        body.append("</section>")
    body.append("</main>")
    return _page(data.title, "", body)


def _sheet(sheet: Sheet, answers_inline: bool) -> list[str]:
    lines = [
        f'<section class="sheet" id="section-{sheet.number}">',
        f'<h2><span class="num">{sheet.number}</span> {inline_html(sheet.title)}</h2>',
        '<div class="cornell">',
        '<aside class="cues">',
        "<h3>Cues</h3>",
    ]
    if sheet.cues:
        lines.append("<ol>")
        for cue in sheet.cues:
            answer = f'<div class="answer">{_answer(cue)}</div>' if answers_inline else ""
            lines.append(f'<li><p class="question">{inline_html(cue.question)}</p>{answer}</li>')
        lines.append("</ol>")
    lines += ["</aside>", '<div class="notes">', "<h3>Notes</h3>"]
    if sheet.points:
        lines.append('<ul class="points">')
        for point in sheet.points:
            lines.append(f"<li><p>{inline_html(point.text)}</p>{_annotation(point.note)}</li>")
        lines.append("</ul>")
    lines += ["</div>", "</div>"]
    if sheet.terms:
        lines += ['<div class="glossary">', "<h3>Terms</h3>", "<dl>"]
        for term in sheet.terms:
            lines.append(
                f"<div><dt>{inline_html(term.term)}</dt><dd>{inline_html(term.definition)}"
                f"{_annotation(term.note)}</dd></div>"
            )
        lines += ["</dl>", "</div>"]
    if sheet.summary:
        lines += [
            '<div class="summary">',
            "<h3>Summary</h3>",
            f"<p>{inline_html(sheet.summary)}</p>",
            "</div>",
        ]
    return [*lines, "</section>"]


def _answer(cue: Cue) -> str:
    if not cue.answer:
        return ""
    return f'<p><span class="label">A:</span> {inline_html(cue.answer)}</p>' + _annotation(cue.note)


def _annotation(note: Inline) -> str:
    return f'<p class="annotation">{inline_html(note)}</p>' if note else ""


def summary_html(data: Digest) -> str:
    """The one-page digest as a standalone HTML page."""
    body = ['<main class="digest">', *_header(data.title, data.source, data.summary, "Summary")]
    for brief in data.sections:
        text = inline_html(brief.summary) if brief.summary else f"<em>{NO_SUMMARY}</em>"
        if brief.automatic:
            text += f' <em class="automatic">{AUTOMATIC}</em>'
        body += [
            '<section class="brief">',
            f'<h2><span class="num">{brief.number}</span> {inline_html(brief.title)}</h2>',
            f"<p>{text}</p>",
        ]
        if brief.terms:
            terms = "; ".join(inline_html(t) for t in brief.terms)
            body.append(f'<p class="terms"><span class="label">Key terms:</span> {terms}</p>')
        body.append("</section>")
    body.append("</main>")
    return _page(data.title, stylesheet("digest.css"), body)
