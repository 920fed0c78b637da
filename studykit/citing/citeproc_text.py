"""The processor's text in and out: CSL-JSON's rich text made marks the processor carries through
(`clean_json`), and what it prints made the notes' own inline Markdown (`markdown`), everything from
the bibliography escaped, so HTML-special characters in an entry stay text in every renderer."""

from __future__ import annotations

import re
from typing import Any

# The processor's italics and bold, as private-use characters no entry keeps (they are taken
# out of the data), turned into Markdown once the text around them is escaped.
_ITALIC = ("\ue010", "\ue011")
_BOLD = ("\ue012", "\ue013")
_MARKS = re.compile("[\ue010-\ue013]")
# Escaped so that an entry is text in every renderer: Markdown, cloze braces, math, citations.
# A backslash and brackets become entities: `\\(` and `\\[` would open math.
_SPECIAL = re.compile(r"[`*_\[\]<>!#|~{}$&@\\]")
_ENTITIES = {"\\": "&#92;", "[": "&#91;", "]": "&#93;"}


def clean_json(value: Any, rich: bool = True) -> Any:
    """CSL-JSON with the marks this module uses for italics taken out of every string, and
    the rich text of titles (`<i>`, `<b>`, `<sup>`, `<sub>`, small caps, as Zotero writes it)
    made marks or plain text. Other tags and names' text stay text, shown as written."""
    if isinstance(value, str):
        value = _MARKS.sub("", value)
        if rich and "</" in value:
            value = _rich_text(value)
        return value
    if isinstance(value, list):
        return [clean_json(v, rich) for v in value]
    if isinstance(value, dict):
        return {k: clean_json(v, rich and k not in _NAMES) for k, v in value.items()}
    return value


# CSL-JSON's rich text, the tags citeproc-js reads in a field: <i>, <b>, <sup>, <sub>, small
# caps (<span style="font-variant:small-caps;"> or <sc>) and <span class="nocase">, which
# citeproc-py reads itself. Tags nest; one without its partner stays text, as written.
_TAG = re.compile(
    r"<(/?)(i|b|sup|sub|sc)>|(</span>)|<span\s+(?:"
    r'(style\s*=\s*"\s*font-variant\s*:\s*small-caps\s*;?\s*")|(class\s*=\s*"nocase"))\s*>'
)
_NAMES = {"author", "editor", "translator", "container-author", "collection-editor", "director"}
_SCRIPT = re.compile(r"<(sup|sub)>([0-9+\-=()]+)</\1>")
_SCRIPTS = {
    "sup": str.maketrans("0123456789+-=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾"),
    "sub": str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎"),
}


def _rich_text(text: str) -> str:
    """A field's rich text with italics and bold as this module's marks, superscripts,
    subscripts and small caps as their text (notes Markdown has none; digits and signs as
    Unicode's superscript and subscript characters, H₂O, 10⁶), nocase spans kept."""
    text = _SCRIPT.sub(lambda m: m.group(2).translate(_SCRIPTS[m.group(1)]), text)
    found = list(_TAG.finditer(text))
    open_at: list[tuple[str, int]] = []  # (tag, index in found) of tags not yet closed
    shown: dict[int, str] = {}  # index in found -> what the paired tag becomes
    for at, tag in enumerate(found):
        closing, name, span_end = tag.group(1, 2, 3)
        kind = name or "span"
        if not closing and not span_end:
            open_at.append((kind, at))
            continue
        if not open_at or open_at[-1][0] != kind:
            continue  # a closing tag without its opening one: text
        _, start = open_at.pop()
        opened = found[start]
        if name in ("i", "b"):
            marks = _ITALIC if name == "i" else _BOLD
            shown[start], shown[at] = marks
        elif opened.group(5):  # nocase: citeproc-py keeps its case
            shown[start], shown[at] = '<span class="nocase">', "</span>"
        else:
            shown[start] = shown[at] = ""
    pieces, end = [], 0
    for at, tag in enumerate(found):
        pieces += [text[end : tag.start()], shown.get(at, tag.group())]
        end = tag.end()
    return "".join([*pieces, text[end:]])


_QUOTE_THEN_STOP = re.compile("”([.,])")
# The number a numeric style sets before an entry, [1] or 1., as `markdown` escapes it.
ENTRY_NUMBER = re.compile(r"^(?:&#91;\d+&#93;|\d+\.)\s*")


def numbered(entry: str) -> str:
    """An entry with a space after its number: citeproc-py sets the number in a margin block
    of its own, which plain text runs into the entry ("[1]D. Worster")."""
    found = ENTRY_NUMBER.match(entry)
    if found is None or found.group().endswith(" "):
        return entry
    return f"{found.group()} {entry[found.end() :]}"


def punctuation_in_quote(csl: Any) -> Any:
    """How the style's locale sets a period or comma after a closing quote: inside it where the
    locale's `punctuation-in-quote` says so (US English: “… the 1930s.”), which citeproc-py
    reads but never applies; as printed otherwise."""
    try:
        inside = csl.root.get_locale_option("punctuation-in-quote").lower() == "true"
    except Exception:  # a style whose locale the processor cannot look into: left as printed
        inside = False
    if not inside:
        return lambda text: text
    return lambda text: _QUOTE_THEN_STOP.sub(r"\1”", text)


def escape_kept(text: str) -> str:
    """A layout's affix escaped as `markdown` escapes it, spaces kept."""
    return _SPECIAL.sub(lambda m: _ENTITIES.get(m.group()) or "\\" + m.group(), text)


def escape(text: str) -> str:
    text = _MARKS.sub("", " ".join(text.split()))
    return _SPECIAL.sub(lambda m: _ENTITIES.get(m.group()) or "\\" + m.group(), text)


_ITALIC_MARK = re.compile("\0[ij]")


def _flip_flop(text: str) -> str:
    """Nested italics as CSL sets them, each level turning the last over: a species in an
    italic journal title is upright, `*Nature* Reviews` in a title the style italicises prints
    "Nature *Reviews*". The result opens and closes emphasis in turn, never nested or left open."""
    if text.count("\0i") < 2:
        return text
    pieces, depth, end = [], 0, 0
    for mark in _ITALIC_MARK.finditer(text):
        was = depth % 2
        depth = depth + 1 if mark.group() == "\0i" else max(depth - 1, 0)
        pieces.append(text[end : mark.start()])
        if depth % 2 != was:
            pieces.append("\0i" if depth % 2 else "\0j")
        end = mark.end()
    pieces.append(text[end:])
    if depth % 2:
        pieces.append("\0j")
    return "".join(pieces)


_OPEN_SPACE = re.compile("\0i\\s+")
_CLOSE_SPACE = re.compile("\\s+\0j")
_EMPTY = re.compile("\0i\0j")


def markdown(rendered: str) -> str:
    """The processor's output as notes Markdown: the text escaped, the marks made emphasis."""
    text = _flip_flop(escape(rendered.replace(_ITALIC[0], "\0i").replace(_ITALIC[1], "\0j")))
    # Emphasis closes on a letter: spaces the processor leaves inside it go outside.
    text = _EMPTY.sub("", _CLOSE_SPACE.sub("\0j ", _OPEN_SPACE.sub(" \0i", text)))
    return " ".join(text.split()).replace("\0i", "*").replace("\0j", "*")


class _Wrapped(str):
    marks = ("", "")

    def __new__(cls, text: str) -> _Wrapped:
        return super().__new__(cls, f"{cls.marks[0]}{text}{cls.marks[1]}")


class _Italic(_Wrapped):
    marks = _ITALIC


class _Bold(_Wrapped):
    marks = _BOLD


class _Plain(_Wrapped):
    pass


class Markdown:
    """A citeproc-py output format: the module-like object it calls for each kind of text."""

    @staticmethod
    def preformat(text: str) -> str:
        return str(text)

    Italic = _Italic
    Oblique = _Italic
    Bold = _Bold
    Light = _Plain
    Underline = _Plain
    Superscript = _Plain
    Subscript = _Plain
    SmallCaps = _Plain
