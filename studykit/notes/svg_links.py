"""What an SVG file loads besides itself, found without parsing it as XML.

studykit confines every image to the reading's folder, but an SVG can name other files: an
`<image href>`, a CSS `url(...)`, a style sheet, an external DTD or entity. typst follows
such a name when it draws a PDF handout, and a deck would show a card whose image needs a file
it does not carry. So an SVG may refer only to itself (`#fragment`) or carry what it shows
(`data:` URIs); anything else is reported and `check` refuses the image.

This is a scan of the text, not an XML parse: the standard library's parsers expand entities
(a small file can grow to gigabytes) and defusedxml is no dependency. Every pattern walks the
text once. Character references are decoded first, and entities declared inside the file are
spelled out when their values are plain text, so that neither can hide a name from the scan;
an entity built of other entities or of markup is refused instead. The scan may refuse
an SVG that only mentions a file name in a comment: saying why is enough for that rare case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ENTITY_START = re.compile(r"<!ENTITY\b", re.IGNORECASE)
# An entity declaration: a parameter entity (`%`), an internal value, or an external id. The
# quoted forms stop at the next quote, and `[^<>]` at the next tag: each match is linear.
_ENTITY = re.compile(
    r"<!ENTITY\s+(%\s*)?([^\s<>\"'%&;]+)\s+"
    r"(?:\"([^\"]*)\"|'([^']*)'|(?:SYSTEM|PUBLIC)\b\s*(?:\"([^\"]*)\"|'([^']*)')?[^<>]*)",
    re.IGNORECASE,
)
_DOCTYPE = re.compile(
    r"<!DOCTYPE\s+[^\s\[<>]+\s+(SYSTEM|PUBLIC)\s*(?:\"([^\"]*)\"|'([^']*)')"
    r"(?:\s*(?:\"([^\"]*)\"|'([^']*)'))?",
    re.IGNORECASE,
)
# The public identifier of SVG's own DTDs (written by Inkscape, Illustrator and others): no
# renderer fetches it, and XML parsers do not read external DTDs.
_SVG_DTD = "-//W3C//DTD SVG"
_W3C = "http://www.w3.org/"
_REFERENCE = re.compile(r"&(#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z_:][\w.:-]{0,63});")
_PREDEFINED = {"lt": "<", "gt": ">", "amp": "&", "apos": "'", "quot": '"'}
# An attribute that names a file: href, xlink:href (any prefix), src, xml:base; not part of a
# longer name (`data-href`).
_ATTRIBUTE = re.compile(r"(?<![\w:.-])(?:[\w.-]+:)?(?:href|src|base)\s*=\s*([\"'])", re.IGNORECASE)
# CSS `url(`, its letters possibly escaped (`u\72l(`, `\75 rl(`).
_URL = re.compile(
    r"(?<![\w-])(?:u|\\u|\\0{0,4}[57]5\s?)(?:r|\\r|\\0{0,4}[57]2\s?)(?:l|\\l|\\0{0,4}[46]c\s?)"
    r"\s*\(\s*([\"']?)",
    re.IGNORECASE,
)
_IMPORT = re.compile(r"@import\b\s*([^\s;<]*)", re.IGNORECASE)
_STYLESHEET = re.compile(r"<\?xml-stylesheet\b", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\r\n]+")
_SHOWN = 80  # characters of a name a message quotes
# How much longer than the file its entities may spell it out: a file is read whole, so a
# few references to one long value must not grow it without bound.
_GROWTH = 4


@dataclass(frozen=True)
class Loaded:
    """A name the SVG loads (`entity` False), or an entity it declares that cannot be read
    through (`entity` True)."""

    name: str
    entity: bool = False


def loaded_file(text: str) -> Loaded | None:
    """The first file `text` (an SVG) would load besides itself, or None if it loads none."""
    entities: dict[str, str] = {}
    for start in _ENTITY_START.finditer(text):
        found = _declared(text, start.start(), entities)
        if found is not None:
            return found
    for doctype in _DOCTYPE.finditer(text):
        keyword, first, second = doctype[1], _either(doctype, 2), _either(doctype, 4)
        if keyword.upper() == "SYSTEM":
            return Loaded(_shown(first or ""))
        if not (first or "").startswith(_SVG_DTD) or not (second or _W3C).startswith(_W3C):
            return Loaded(_shown(second or first or ""))
    decoded = _decoded(text, entities)
    if isinstance(decoded, Loaded):
        return decoded
    return _named(decoded)


def _declared(text: str, at: int, entities: dict[str, str]) -> Loaded | None:
    """Record the entity declared at `at`, or say why it cannot be read through."""
    match = _ENTITY.match(text, at)
    if match is None:
        return Loaded(_shown(text[at : at + _SHOWN].partition(">")[0]), entity=True)
    name = match[2]
    if match[1]:
        return Loaded(f"%{name}", entity=True)
    value = _either(match, 3)
    if value is None:  # an external entity: SYSTEM or PUBLIC
        return Loaded(_shown(_either(match, 5) or name))
    if any(c in value for c in "&%<"):
        return Loaded(name, entity=True)
    entities.setdefault(name, value)  # XML keeps the first declaration of a name
    return None


def _decoded(text: str, entities: dict[str, str]) -> str | Loaded:
    """`text` with character references decoded and declared entities spelled out."""
    if "&" not in text:
        return text
    room = _GROWTH * len(text) + 1_000_000
    grown = 0
    too_long: list[str] = []

    def replace(match: re.Match[str]) -> str:
        nonlocal grown
        name = match[1]
        if name.startswith("#"):
            code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
            return chr(code) if code <= 0x10FFFF else match[0]
        value = _PREDEFINED.get(name, entities.get(name, match[0]))
        grown += len(value)
        if grown > room and not too_long:
            too_long.append(name)
        return value

    decoded = _REFERENCE.sub(replace, text)
    return Loaded(too_long[0], entity=True) if too_long else decoded


def _named(text: str) -> Loaded | None:
    """The first name an attribute, CSS or a style sheet declaration loads."""
    sheet = _STYLESHEET.search(text)
    if sheet is not None:
        rest = text[sheet.end() : sheet.end() + 4 * _SHOWN].partition("?>")[0]
        href = re.search(r"href\s*=\s*([\"'])", rest)
        return Loaded(_value(rest, href.end(), href[1]) if href else "a style sheet")
    for attribute in _ATTRIBUTE.finditer(text):
        value = _value(text, attribute.end(), attribute[1])
        if not _own(value):
            return Loaded(_shown(value.strip()))
    for url in _URL.finditer(text):
        value = _value(text, url.end(), url[1] or ")")
        if not _own(value):
            return Loaded(_shown(value.strip()))
    imported = _IMPORT.search(text)
    if imported is not None:
        return Loaded(_shown(imported[1].strip("\"'")) or "@import")
    return None


def _value(text: str, start: int, end: str) -> str:
    """The value that starts at `start` and runs to `end` (a quote or `)`), as far as a
    message and the check need it: a value longer than that is no fragment or data: URI."""
    spaces = _SPACE.match(text, start)  # linear: the spaces lie inside this one value
    start = spaces.end() if spaces else start
    window = text[start : start + 4 * _SHOWN]
    closed = window.find(end)
    return window if closed == -1 else window[:closed]


def _own(value: str) -> bool:
    """Whether a reference stays inside the SVG: to a fragment, to nothing, or a data: URI."""
    value = value.strip(" \t\r\n")
    return value == "" or value.startswith("#") or value[:5].lower() == "data:"


def _either(match: re.Match[str], group: int) -> str | None:
    """The one of two alternative groups (double or single quotes) that matched."""
    first = match[group]
    return first if first is not None else match[group + 1]


def _shown(name: str) -> str:
    return name if len(name) <= _SHOWN else name[: _SHOWN - 1] + "…"
