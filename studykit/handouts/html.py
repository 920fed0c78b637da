"""Handouts as one standalone HTML file: styles inline, images embedded, math as MathML.

Every piece of notes text is escaped here, so `<script>` in a note is shown, never run. The
print styles (A4 pages, sections and items kept whole where they fit, headings kept with what
follows) live in the package's templates/handout.css.
"""

from __future__ import annotations

import base64
import html
import mimetypes
import os
import re
from collections import Counter
from functools import cache
from importlib.resources import files
from pathlib import Path

from studykit.handouts.flashcards import CardSheets, Flashcard
from studykit.handouts.fold import FoldSheet
from studykit.handouts.layout import Cue, Handout, Paper, Sheet
from studykit.handouts.summary import AUTOMATIC, NO_SUMMARY, Digest
from studykit.notes import latex
from studykit.notes.inline import Inline, Span, formula


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
            f'<span class="figure">{_image_mark(span.href, alt)}'
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


# An image stands in the page as a mark (its file and its alt text between NULs, which notes
# text cannot hold) until the page is whole: only then is it known how often each file is
# shown, so that a file shown many times is embedded once (`embed_images`).
_MARK = re.compile("\x00([A-Za-z0-9_=-]*)\x00([^\x00]*)\x00")


def _image_mark(path: str, alt: str) -> str:
    name = base64.urlsafe_b64encode(os.fsencode(path)).decode("ascii")
    return f"\x00{name}\x00{alt}\x00"


def embed_images(page: str) -> str:
    """The page with its images embedded. A file shown once is an `<img>` holding its bytes. A
    file shown more often is held once, in an SVG `<image>` at the top of the body, and each
    place shows it with `<use>`: forty references to a 5 MB picture made a 266 MB page."""
    marks = _MARK.findall(page)
    if not marks:
        return page
    shown = Counter(name for name, _ in marks)
    shared = {name: n for n, name in enumerate((k for k, c in shown.items() if c > 1), 1)}
    sizes = {name: _display_size(_marked_path(name)) for name in shared}

    def place(found: re.Match[str]) -> str:
        name, alt = found.group(1), found.group(2)
        if name not in shared:
            return f'<img src="{_data_uri(_marked_path(name))}" alt="{alt}">'
        width, height = sizes[name]
        # Sized as handout.css sizes `.figure img`: its own size, within the column and 70 mm.
        return (
            f'<svg class="image" viewBox="0 0 {width} {height}" role="img" aria-label="{alt}" '
            f'style="display: block; height: auto; aspect-ratio: {width} / {height}; '
            f'width: min({width}px, 100%, calc(70mm * {width} / {height}))">'
            f'<use href="#image-{shared[name]}"/></svg>'
        )

    placed = _MARK.sub(place, page)
    if not shared:
        return placed
    images = "".join(
        f'<image id="image-{number}" width="{sizes[name][0]}" height="{sizes[name][1]}" '
        f'href="{_data_uri(_marked_path(name))}"/>'
        for name, number in shared.items()
    )
    held = (
        '<svg class="images" width="0" height="0" aria-hidden="true" '
        f'style="position: absolute"><defs>{images}</defs></svg>'
    )
    head, body, rest = placed.partition("<body>\n")
    return f"{head}{body}{held}\n{rest}"


def _marked_path(name: str) -> Path:
    return Path(os.fsdecode(base64.urlsafe_b64decode(name)))


# What a browser shows an image without a declared size at: HTML's default for replaced content.
_DEFAULT_SIZE = (300, 150)
_SVG_LENGTH = re.compile(rb"""\s(width|height|viewBox)\s*=\s*["']([^"']*)["']""")


def _display_size(path: Path) -> tuple[int, int]:
    """The size an `<img>` of the file takes, in CSS pixels: the pixels its header declares (an
    SVG: its root's width and height, else its viewBox's)."""
    from studykit.notes.image_pixels import pixel_size
    from studykit.notes.media import image_kind

    data = path.read_bytes()
    kind = image_kind(data[:1024])
    if kind != "SVG":
        size = pixel_size(data, kind) if kind else None
        return size if size and size[0] > 0 and size[1] > 0 else _DEFAULT_SIZE
    start = data.find(b"<svg")
    end = data.find(b">", start)
    if start == -1 or end == -1:
        return _DEFAULT_SIZE
    root = data[start : end + 1]  # found with `find`, not a pattern that could rescan the file
    found = {
        key.decode(): value.decode("ascii", "replace") for key, value in _SVG_LENGTH.findall(root)
    }
    width, height = _pixels(found.get("width")), _pixels(found.get("height"))
    box = found.get("viewBox", "").replace(",", " ").split()
    if len(box) == 4 and (width is None or height is None):
        box_w, box_h = _pixels(box[2]), _pixels(box[3])
        if box_w and box_h:
            if width is None and height is None:
                width, height = box_w, box_h
            elif width is None and height:
                width = height * box_w / box_h
            elif width:
                height = width * box_h / box_w
    if not width or not height:
        return _DEFAULT_SIZE
    return max(1, round(width)), max(1, round(height))


def _pixels(length: str | None) -> float | None:
    """An SVG length in CSS pixels, or None for a percentage or what is not a length."""
    if length is None:
        return None
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*(px|pt|mm|cm|in)?\s*", length)
    if match is None:
        return None
    scale = {"px": 1, None: 1, "pt": 4 / 3, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96}
    value = float(match.group(1)) * scale[match.group(2)]
    return value if value > 0 else None


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


# What --paper letter changes: the page, and the cut-out grid that fills it (10 mm side margins,
# 10 mm at the top, 15 mm at the foot, as in the PDF).
_LETTER = """@page { size: letter; }
.card-page { width: 195.9mm; height: 254mm; }
"""


def outline_html(data: Handout | FoldSheet | CardSheets, paper: Paper = "a4") -> str:
    """The handout as a standalone HTML page, in its layout, printed on `paper`."""
    return embed_images(outline_page(data, paper))


def outline_page(data: Handout | FoldSheet | CardSheets, paper: Paper = "a4") -> str:
    """`outline_html` with its images still marks, for a page that holds several handouts."""
    sized = _LETTER if paper == "letter" else ""
    if isinstance(data, FoldSheet):
        return _page(data.title, stylesheet("fold.css") + sized, _fold(data))
    if isinstance(data, CardSheets):
        return _page(data.title, stylesheet("cards.css") + sized, _cards(data))
    kind = "Self-test" if data.answers == "none" else "Handout"
    body = ['<main class="handout">', *_header(data.title, data.source, data.summary, kind)]
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
                    f"<li><p>{inline_html(cue.answer)}</p>{_annotation(cue.annotation)}</li>"
                    for cue in sheet.cues
                ]
                body.append("</ol>")
        body.append("</section>")
    body += _works(data.works, data.works_heading)
    body.append("</main>")
    return _page(data.title, sized, body)


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
            answer = f'<div class="answer">{_answer(cue)}</div>' if answers_inline else _WRITE
            lines.append(f'<li><p class="question">{inline_html(cue.question)}</p>{answer}</li>')
        lines.append("</ol>")
    lines += ["</aside>", '<div class="notes">', "<h3>Notes</h3>"]
    if sheet.points:
        lines.append('<ul class="points">')
        for point in sheet.points:
            lines.append(
                f"<li><p>{inline_html(point.text)}</p>{_annotation(point.annotation)}</li>"
            )
        lines.append("</ul>")
    lines += ["</div>", "</div>"]
    if sheet.terms:
        lines += ['<div class="glossary">', "<h3>Terms</h3>", "<dl>"]
        for term in sheet.terms:
            definition = inline_html(term.definition) + _annotation(term.annotation)
            lines.append(
                f"<div><dt>{inline_html(term.term)}</dt><dd>{definition or _WRITE_TWO}</dd></div>"
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


# Ruled lines to write an answer on, where a self-test sheet leaves it out.
_WRITE = '<div class="write" aria-hidden="true"><span></span><span></span><span></span></div>'
_WRITE_TWO = '<div class="write" aria-hidden="true"><span></span><span></span></div>'


def _fold(data: FoldSheet) -> list[str]:
    to_write = data.answers == "none"
    how = (
        "Fold along the dashed line so that only the prompts show. Write each answer on the "
        "lines beside its prompt, then check them against your notes."
        if to_write
        else "Fold the answers under along the dashed line. Answer each prompt aloud or on "
        "paper, then unfold to check."
    )
    body = [
        '<main class="fold">',
        *_header(data.title, data.source, (), "Fold-over self-test"),
        f'<p class="how">{how}</p>',
    ]
    for section in data.sections:
        if not section.rows:
            continue
        body += [
            '<section class="fold-section">',
            f'<h2><span class="num">{section.number}</span> {inline_html(section.title)}</h2>',
            '<table class="fold">',
        ]
        for number, row in enumerate(section.rows, 1):
            answer = (
                _WRITE
                if to_write
                else f"<p>{inline_html(row.answer)}</p>{_annotation(row.annotation)}"
            )
            body.append(
                f'<tr><td class="prompt"><span class="num">{number}.</span> '
                f'<strong>{inline_html(row.cue)}</strong></td><td class="reply">{answer}</td></tr>'
            )
        body += ["</table>", "</section>"]
    return [*body, *_works(data.works, data.works_heading), "</main>"]


def _cards(data: CardSheets) -> list[str]:
    sheets = (len(data.pages) + 1) // 2 if data.backs else len(data.pages)
    body = ['<main class="cards">']
    for index, page in enumerate(data.pages):
        sheet = index // 2 + 1 if data.backs else index + 1
        if page.side == "back":
            note = f"Backs of sheet {sheet}"
        elif data.backs:
            note = f"Fronts, sheet {sheet} of {sheets}: print double-sided, flip on the long edge"
        else:
            note = f"Sheet {sheet} of {sheets}: write each answer on the back"
        body.append(f'<section class="card-page {page.side}" aria-label="{note}">')
        body += [_card(card, page.side) for card in page.places]
        body.append("</section>")
    return [*body, *_works(data.works, data.works_heading), "</main>"]


def _card(card: Flashcard | None, side: str) -> str:
    if card is None:
        return '<div class="card empty"></div>'
    if side == "front":
        text = f'<p class="card-text"><strong>{inline_html(card.front)}</strong></p>'
    else:
        text = f'<p class="card-text">{inline_html(card.back)}</p>{_annotation(card.annotation)}'
    return (
        f'<div class="card"><p class="card-section">{card.section_number} '
        f"{inline_html(card.section)}</p>{text}"
        f'<p class="card-side">{side.title()}</p><p class="card-number">{card.number}</p></div>'
    )


def _answer(cue: Cue) -> str:
    if not cue.answer:
        return ""
    return f'<p><span class="label">A:</span> {inline_html(cue.answer)}</p>' + _annotation(
        cue.annotation
    )


def _works(works: tuple[Inline, ...], heading: str) -> list[str]:
    if not works:
        return []
    items = "".join(f"<li>{inline_html(work)}</li>" for work in works)
    return [f'<section class="works-cited"><h2>{_escape(heading)}</h2><ul>{items}</ul></section>']


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
    body += _works(data.works, data.works_heading)
    body.append("</main>")
    return embed_images(_page(data.title, stylesheet("digest.css"), body))
