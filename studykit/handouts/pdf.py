"""Handouts typeset to PDF with typst, from data: no note can inject layout code.

The template (templates/outline.typ) reads the handout as JSON from `sys.inputs`, so every
string a student wrote reaches typst as a value and is set as text. Formulas are the one thing
typst evaluates, and only as the math code latex.py builds from fixed names. typst runs in a
child process (typeset.py), so that Ctrl-C stops it.

Why typst: it installs from PyPI as one wheel with its fonts, runs offline, typesets a handout
of a few pages in well under a second and takes data as data. LaTeX needs a TeX distribution
and escaping of user text; WeasyPrint needs Pango and prints slowly; ReportLab has no layout
engine for flowing two-column notes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from studykit.handouts import fonts, latex
from studykit.handouts.inline import Span, formula, plain
from studykit.handouts.layout import Handout
from studykit.handouts.typeset import typeset

BODY_FONT = "Libertinus Serif"  # ships inside typst, so the look is the same on every machine


def outline_data(data: Handout, root: Path) -> dict[str, Any]:
    """The JSON the template reads; image paths are made relative to `root`."""
    result: dict[str, Any] = _plain_data(data, root)
    result["kind"] = "Handout"
    return result


def render_pdf(data: Handout, root: Path) -> tuple[bytes, list[str]]:
    """The handout as PDF bytes, and warnings (characters no installed font can show).

    `root` is the reading's folder: the only place images are read from.
    """
    payload, warnings = typst_input(data, root)
    return typeset(json.dumps(payload), root), warnings


def typst_input(data: Handout, root: Path) -> tuple[dict[str, Any], list[str]]:
    """What the template reads for this handout, and warnings about characters no font shows.

    A course pack (pack.py) sets several readings' inputs through this same template.
    """
    payload = outline_data(data, root)
    missing = fonts.missing_characters(_all_text(data))
    payload["fonts"] = [BODY_FONT]  # typst falls back to any installed font per character
    return payload, fonts.warnings(missing)


def _plain_data(value: Any, root: Path) -> Any:
    if isinstance(value, Span):
        return _span_data(value, root)
    if isinstance(value, tuple):
        return [_plain_data(v, root) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {
            name: _plain_data(getattr(value, name), root) for name in value.__dataclass_fields__
        }
    return value


def _span_data(span: Span, root: Path) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": span.kind}
    if span.text:
        data["text"] = span.text
    if span.children:
        data["children"] = [_span_data(c, root) for c in span.children]
    if span.kind == "link":
        data["href"] = span.href
    elif span.kind == "image":
        # typst reads files below its root only; "/x" is x in the reading's folder.
        data["href"] = "/" + Path(span.href).relative_to(root.resolve()).as_posix()
    elif span.kind == "math":
        data["source"] = span.source
        data["display"] = span.display
        node = formula(span)
        if node is not None:
            data["typst"] = latex.to_typst(node)
    return data


def _all_text(data: Handout) -> str:
    parts: list[str] = [plain(data.title), plain(data.source), plain(data.summary)]
    for sheet in data.sheets:
        parts += [plain(sheet.title), plain(sheet.summary)]
        parts += [plain(c.question) + plain(c.answer) + plain(c.note) for c in sheet.cues]
        parts += [plain(p.text) + plain(p.note) for p in sheet.points]
        parts += [plain(t.term) + plain(t.definition) + plain(t.note) for t in sheet.terms]
    return "".join(parts)
