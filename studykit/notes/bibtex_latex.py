"""BibTeX values, which are LaTeX, as text: accents, `\\&`, `--` and the like made text by
pylatexenc (the converter the terminal uses for math), a title's `{...}` groups marked to keep
their case."""

from __future__ import annotations

import re
import unicodedata

_NOCASE = ('<span class="nocase">', "</span>")


_PLAIN = re.compile(r"[\\{}$~%`'-]")
# TeX quotes, not where a backslash makes them an accent command (`\\`e`, `\\'{e}`).
_TEX_QUOTES = (
    (re.compile(r"(?<!\\)``"), "“"),
    (re.compile(r"(?<!\\)''"), "”"),
    (re.compile(r"(?<!\\)`"), "‘"),
)
_COMMAND = re.compile(r"\\(?:[A-Za-z]+|.)\s*")


def title_text(value: str) -> str:
    """A title as text, each top-level `{...}` group marked to keep its case."""
    if "{" not in value:
        return latex_text(value)
    pieces: list[str] = []
    plain_from, at = 0, 0
    while at < len(value):
        char = value[at]
        if char == "\\":
            # A command and its braced arguments stay with the plain text around them.
            command = _COMMAND.match(value, at)
            at = command.end() if command else at + 1
            while at < len(value) and value[at] == "{":
                at = _group_end(value, at)
            continue
        if char == "{" and value.startswith("\\", at + 1):
            at = _group_end(value, at)  # `{\"U}`: a special character, not a protected word
            continue
        if char == "{":
            end = stop = _group_end(value, at)
            # The rest of the word goes into the span too, with the word's next groups:
            # citeproc-py puts a space between a span and text or a span joined to it
            # ("{Da jihuang}:" printed "Da jihuang :", "{Long}-{Run}" "Long- Run").
            kept = value[at + 1 : end - 1]
            while stop < len(value) and not value[stop].isspace() and value[stop] != "\\":
                if value[stop] == "{":
                    if value.startswith("\\", stop + 1):
                        break  # `{\"U}`: a special character, left to the plain text
                    group = _group_end(value, stop)
                    kept += value[stop + 1 : group - 1]
                    stop = group
                else:
                    kept += value[stop]
                    stop += 1
            pieces.append(_spaced(value[plain_from:at]))
            pieces.append(f"{_NOCASE[0]}{_spaced(kept)}{_NOCASE[1]}")
            plain_from = at = stop
            continue
        at += 1
    pieces.append(_spaced(value[plain_from:]))
    return " ".join("".join(pieces).split())


def _group_end(value: str, at: int) -> int:
    depth = 0
    while at < len(value):
        depth += {"{": 1, "}": -1}.get(value[at], 0)
        at += 1
        if depth == 0:
            return at
    return at


def _spaced(value: str) -> str:
    """`latex_text`, keeping a space at either end (pieces of a title are joined)."""
    text = latex_text(value)
    if not text:
        return " " if value[:1].isspace() or value[-1:].isspace() else ""
    lead = " " if value[:1].isspace() else ""
    tail = " " if value[-1:].isspace() else ""
    return f"{lead}{text}{tail}"


def latex_text(value: str) -> str:
    """A BibTeX value as text: accents and symbols converted, braces and markup dropped."""
    value = " ".join(value.split())
    if not _PLAIN.search(value):
        return value
    from pylatexenc.latex2text import LatexNodes2Text

    for tex, quote in _TEX_QUOTES:
        value = tex.sub(quote, value)
    try:
        text = LatexNodes2Text(math_mode="verbatim").latex_to_text(value)
    except Exception:  # pylatexenc is tolerant; a value it still refuses is kept as written
        text = value.replace("{", "").replace("}", "")
    # `\\H{o}` and `\\c{s}` come out as a letter and a combining mark: one character, as typed.
    return unicodedata.normalize("NFC", " ".join(text.replace("\xa0", " ").split()))
