"""A course pack in Markdown, HTML or PDF, each reading rendered by its own outline's renderer.

Markdown: the readings' outlines one after another, between the pack's title and contents and
its index and works cited. HTML: the readings' pages as articles of one page, their anchors
prefixed with the reading's place so that contents and index link to the right section. PDF:
one typst document (templates/pack.typ) that sets each reading with its layout's own template,
so that the contents and the index can give the page each section and term stands on.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from studykit.handouts.layout import Paper
from studykit.handouts.pack import CoursePack, Place, reading_mark, section_mark
from studykit.notes.inline import Inline, Span
from studykit.words import plural

KIND = "Course pack"


def render_pack(
    pack: CoursePack, kind: str, target: Path | None, paper: Paper = "a4"
) -> tuple[bytes, list[str]]:
    """The course pack as bytes, and warnings (fonts missing for some characters)."""
    if kind == "pdf":
        return pack_pdf(pack, paper)
    if kind == "html":
        return pack_html(pack, paper).encode("utf-8"), []
    base = target.parent if target is not None else None
    return pack_markdown(pack, base).encode("utf-8"), []


def subtitle(pack: CoursePack) -> str:
    """What the pack holds, under its title: '2 readings, 7 sections, 12 terms'."""
    sections = sum(len(chapter.sections) for chapter in pack.contents)
    terms = sum(len(entry.places) for entry in pack.index)
    return ", ".join(
        [plural(len(pack.readings), "reading"), plural(sections, "section"), plural(terms, "term")]
    )


# -- Markdown ------------------------------------------------------------------------------


def pack_markdown(pack: CoursePack, base: Path | None = None) -> str:
    """The pack as Markdown; image paths are written relative to the folder `base`."""
    from studykit.handouts.flashcards import CardSheets
    from studykit.handouts.markdown import _Writer, outline_markdown

    md = _Writer(base)
    lines = [
        md.heading(1, None, (Span("text", pack.title),)),
        "",
        md.block(md.text(subtitle(pack))),
    ]
    lines += ["", "# Contents", ""]
    for chapter in pack.contents:
        marker = f"{chapter.number}. "
        lines.append(md.item(marker, md.inline(chapter.title)))
        indent = " " * len(marker)
        lines += [md.item(f"{indent}{n}. ", md.inline(title)) for n, title in chapter.sections]
    lines.append("")
    for data in pack.handouts:
        assert not isinstance(data, CardSheets)  # refused by formats.refuse_mismatch
        lines += [outline_markdown(data, base)]
    if pack.index:
        lines += ["# Index of terms", ""]
        for entry in pack.index:
            places = "; ".join(
                f"{md.inline(p.reading_title)} › {p.section}. {md.inline(p.section_title)}"
                for p in entry.places
            )
            lines.append(md.item("- ", f"**{md.inline(entry.term)}** — {places}"))
        lines.append("")
    if pack.cited:
        lines += [f"# {pack.works_heading}", ""]
        for cited in pack.cited:
            lines += [md.heading(2, cited.reading, cited.title), ""]
            lines += [md.item("- ", md.inline(work)) for work in cited.works]
            lines.append("")
    return "\n".join(lines).rstrip("\n").replace("\ue020", " ") + "\n"


# -- HTML ----------------------------------------------------------------------------------

# A tag's id, or a link to an anchor of the same page. Notes text never holds `<` or `>`
# unescaped, and attribute values never hold `"`, so these match only the renderer's own tags.
_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
_ANCHOR = re.compile(r'(\s(?:id="|href="#))')


def pack_html(pack: CoursePack, paper: Paper = "a4") -> str:
    """The pack as one standalone HTML page."""
    import html

    from studykit.handouts.html import embed_images, outline_page, stylesheet

    # Images stay marks until the whole pack is laid out: a file shown in several readings
    # is embedded once.
    pages = [outline_page(data, paper) for data in pack.handouts]
    # Every reading's page has the same head (styles for the layout and paper chosen): keep one.
    head = pages[0].partition("<body>\n")[0]
    title = f"<title>{html.escape(pack.title)}</title>"
    head = re.sub(r"<title>.*?</title>", lambda _: title, head, count=1)
    head = head.replace("</head>", f"<style>\n{stylesheet('pack.css')}</style>\n</head>", 1)
    readings = []
    for chapter, page in zip(pack.contents, pages, strict=True):
        prefix = _prefix(chapter.number)
        inner = page.partition("<body>\n")[2].rpartition("</body>")[0]
        readings += [
            f'<article class="pack-reading" id="{prefix}reading">',
            _prefixed(inner, prefix),
            "</article>",
        ]
    anchors = _Anchors(set(re.findall(r' id="([^"]+)"', "".join(readings))))
    body = [
        '<main class="pack">',
        f'<header><p class="kind">{KIND}</p><h1>{html.escape(pack.title)}</h1>',
        f'<p class="pack-counts">{subtitle(pack)}</p></header>',
        *_contents_html(pack, anchors),
        "</main>",
        *readings,
        '<main class="pack pack-end">',
        *_index_html(pack, anchors),
        *_cited_html(pack),
        "</main>",
    ]
    return embed_images("\n".join([head, "<body>", *body, "</body>", "</html>", ""]))


class _Anchors:
    """Where a link to a section goes: the section, where its layout gives it an anchor (the
    Cornell handout does), else the start of its reading."""

    def __init__(self, ids: set[str]):
        self.ids = ids

    def section(self, reading: int, section: int) -> str:
        anchor = f"{_prefix(reading)}section-{section}"
        return anchor if anchor in self.ids else f"{_prefix(reading)}reading"


def _contents_html(pack: CoursePack, anchors: _Anchors) -> list[str]:
    from studykit.handouts.html import inline_html

    lines = ['<nav class="contents">', "<h2>Contents</h2>", "<ol>"]
    for chapter in pack.contents:
        reading = inline_html(chapter.title)
        lines.append(f'<li><a href="#{_prefix(chapter.number)}reading">{reading}</a><ol>')
        lines += [
            f'<li><a href="#{anchors.section(chapter.number, n)}">{inline_html(title)}</a></li>'
            for n, title in chapter.sections
        ]
        lines.append("</ol></li>")
    return [*lines, "</ol>", "</nav>"]


def _index_html(pack: CoursePack, anchors: _Anchors) -> list[str]:
    from studykit.handouts.html import inline_html

    if not pack.index:
        return []
    lines = ['<section class="pack-index" id="index">', "<h2>Index of terms</h2>", "<ul>"]
    for entry in pack.index:
        places = "; ".join(
            f'<a href="#{anchors.section(p.reading, p.section)}">'
            f"{inline_html(p.reading_title)} › {p.section}. {inline_html(p.section_title)}</a>"
            for p in entry.places
        )
        lines.append(f"<li><strong>{inline_html(entry.term)}</strong> — {places}</li>")
    return [*lines, "</ul>", "</section>"]


def _cited_html(pack: CoursePack) -> list[str]:
    from studykit.handouts.html import inline_html

    if not pack.cited:
        return []
    import html

    heading = html.escape(pack.works_heading)
    lines = ['<section class="pack-cited" id="works-cited">', f"<h2>{heading}</h2>"]
    for cited in pack.cited:
        title = inline_html(cited.title)
        lines.append(f'<h3><span class="num">{cited.reading}</span> {title}</h3>')
        lines += ["<ul>", *(f"<li>{inline_html(work)}</li>" for work in cited.works), "</ul>"]
    return [*lines, "</section>"]


def _prefix(reading: int) -> str:
    return f"r{reading}-"


def _prefixed(page: str, prefix: str) -> str:
    """A reading's page with its anchors (and the links to them) prefixed, unique in the pack."""
    return _TAG.sub(lambda tag: _ANCHOR.sub(rf"\1{prefix}", tag.group()), page)


# -- PDF -----------------------------------------------------------------------------------

TEMPLATE = "pack.typ"


def pack_pdf(pack: CoursePack, paper: Paper = "a4") -> tuple[bytes, list[str]]:
    """The pack as PDF bytes, typeset as one document, and warnings (characters without a font).

    The readings' folders share one root, the nearest folder holding them all: each reading's
    images are read from there, by their paths below it.
    """
    from studykit.handouts import pdf
    from studykit.handouts.flashcards import CardSheets
    from studykit.handouts.typeset import template, typeset

    root = pack.root
    readings: list[dict[str, Any]] = []
    warnings: list[str] = []
    names: set[str] = set()
    for chapter, data in zip(pack.contents, pack.handouts, strict=True):
        payload, found = pdf.typst_input(data, root)
        payload["paper"] = pdf.PAPER_SIZES[paper]
        places = [p for entry in pack.index for p in entry.places if p.reading == chapter.number]
        _Marker(chapter.number, places, root).mark(payload)
        readings.append(payload)
        names.add(pdf.template_name(data))
        warnings += [w for w in found if w not in warnings]
    (name,) = names  # one layout for the whole pack

    def spans(text: Inline) -> list[dict[str, Any]]:
        return pdf.spans_data(text, root)

    inputs = {
        "kind": KIND,
        "title": [{"kind": "text", "text": pack.title}],
        "subtitle": subtitle(pack),
        "paper": pdf.PAPER_SIZES[paper],
        "fonts": [pdf.BODY_FONT],
        "reading_template": template(name).decode("utf-8"),
        "duplex": any(isinstance(data, CardSheets) and data.backs for data in pack.handouts),
        "readings": readings,
        "contents": [
            {
                "title": spans(chapter.title),
                "mark": reading_mark(chapter.number),
                "sections": [
                    {"number": n, "title": spans(title), "mark": section_mark(chapter.number, n)}
                    for n, title in chapter.sections
                ],
            }
            for chapter in pack.contents
        ],
        "index": [
            {
                "term": spans(entry.term),
                "places": [
                    {
                        "reading": spans(p.reading_title),
                        "section": p.section,
                        "section_title": spans(p.section_title),
                        "mark": p.mark,
                    }
                    for p in entry.places
                ],
            }
            for entry in pack.index
        ],
        "cited": [
            {
                "reading": cited.reading,
                "title": spans(cited.title),
                "works": [spans(work) for work in cited.works],
            }
            for cited in pack.cited
        ],
        "works_heading": pack.works_heading,
    }
    return typeset(json.dumps(inputs), root, TEMPLATE), warnings


class _Marker:
    """Puts invisible marks into a reading's template input, where the pack's contents and index
    find the page a reading, a section or a term is printed on (common.typ sets a "mark" span
    as a labelled metadata). Each layout prints them in its own places: the reading's title
    and each section's title (a card names its section), a term in a glossary (Cornell), as a
    prompt (fold) or on a card's front (cards)."""

    def __init__(self, reading: int, places: list[Place], root: Path):
        from studykit.handouts.pdf import spans_data

        self.reading = reading
        self.terms: dict[tuple[int, str], str] = {}
        for place in places:
            key = (place.section, json.dumps(spans_data(place.term, root)))
            self.terms.setdefault(key, place.mark)
        self.sections: set[int] = set()

    def mark(self, payload: dict[str, Any]) -> None:
        _put(payload, "title", reading_mark(self.reading))
        for section in payload.get("sheets", payload.get("sections", ())):
            self._section(section, "title", section["number"])
            for item in (*section.get("terms", ()), *section.get("rows", ())):
                self._term(item, section["number"])
        for page in payload.get("pages", ()):
            for card in page["places"]:
                if card is not None:
                    self._section(card, "section", card["section_number"])
                    self._term(card, card["section_number"])

    def _section(self, item: dict[str, Any], field: str, number: int) -> None:
        if number not in self.sections:
            self.sections.add(number)
            _put(item, field, section_mark(self.reading, number))

    def _term(self, item: dict[str, Any], section: int) -> None:
        for field in ("term", "cue", "front"):
            spans = item.get(field)
            if isinstance(spans, list):
                mark = self.terms.pop((section, json.dumps(spans)), None)
                if mark is not None:
                    _put(item, field, mark)
                    return


def _put(item: dict[str, Any], field: str, mark: str) -> None:
    item[field] = [{"kind": "mark", "key": mark}, *item[field]]
