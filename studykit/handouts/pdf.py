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

from studykit.handouts import fonts
from studykit.handouts.flashcards import CardSheets
from studykit.handouts.fold import FoldSheet
from studykit.handouts.layout import Handout, Paper
from studykit.handouts.typeset import OUTLINE, typeset
from studykit.notes import latex
from studykit.notes.inline import Inline, Span, formula

BODY_FONT = "Libertinus Serif"  # ships inside typst, so the look is the same on every machine
PAPER_SIZES = {"a4": "a4", "letter": "us-letter"}  # typst's names of the papers
# Each layout's name at the top of its first page, and its template.
_LAYOUTS: dict[type, tuple[str, str]] = {
    Handout: ("Handout", OUTLINE),
    FoldSheet: ("Fold-over self-test", "fold.typ"),
    CardSheets: ("Flashcards", "cards.typ"),
}


def outline_data(data: Handout | FoldSheet | CardSheets, root: Path) -> dict[str, Any]:
    """The JSON the template reads; image paths are made relative to `root`."""
    result: dict[str, Any] = _plain_data(data, root)
    result["kind"] = kind_name(data)
    return result


def kind_name(data: Handout | FoldSheet | CardSheets) -> str:
    """The layout's name atop the first page: a Cornell sheet without its answers is a test."""
    if isinstance(data, Handout) and data.answers == "none":
        return "Self-test"
    return _LAYOUTS[type(data)][0]


def render_pdf(
    data: Handout | FoldSheet | CardSheets, root: Path, paper: Paper = "a4"
) -> tuple[bytes, list[str]]:
    """The handout as PDF bytes, and warnings (characters no installed font can show).

    `root` is the reading's folder: the only place images are read from.
    """
    payload, warnings = typst_input(data, root)
    payload["paper"] = PAPER_SIZES[paper]
    return typeset(json.dumps(payload), root, _LAYOUTS[type(data)][1]), warnings


def typst_input(
    data: Handout | FoldSheet | CardSheets, root: Path
) -> tuple[dict[str, Any], list[str]]:
    """What the template reads for this handout, and warnings about characters no font shows.

    A course pack (pack.py) sets several readings' inputs through this same template.
    """
    payload = outline_data(data, root)
    missing = fonts.missing_characters(_all_text(data))
    payload["fonts"] = [BODY_FONT]  # typst falls back to any installed font per character
    return payload, fonts.warnings(missing)


def template_name(data: Handout | FoldSheet | CardSheets) -> str:
    """The template that sets this layout (after common.typ)."""
    return _LAYOUTS[type(data)][1]


def spans_data(spans: Inline, root: Path) -> list[dict[str, Any]]:
    """Notes text as the templates read it (common.typ's `render`)."""
    return [_span_data(span, root) for span in spans]


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
    if span.children and span.kind != "math":  # a formula's pieces are in its typst code
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


def _all_text(value: Any) -> str:
    """Every character a reader sees in the laid-out data, for the font check."""
    if isinstance(value, Span):
        return value.plain()
    if isinstance(value, tuple):
        return "".join(_all_text(v) for v in value)
    if hasattr(value, "__dataclass_fields__"):
        return "".join(_all_text(getattr(value, name)) for name in value.__dataclass_fields__)
    return ""
