"""A control character in a style's own text refused where it is written: it goes into every
citation studykit prints, and a terminal acts on it, as notes text may not hold it."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from studykit.citing.style_faults import given_as_file, style_error
from studykit.errors import control_name

# What a style's text may not hold: the control characters notes text may not (`CONTROL` in
# errors.py; a carriage return aside: bundled styles write `&#13;` in a delimiter, and
# citations are printed with their whitespace collapsed), and the bidirectional embeddings,
# overrides and isolates, which would reorder the text of every citation they are printed in.
_STYLE_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def refuse_controls(style: str, path: Path, root: Any) -> None:
    """Refuse a control character in the style's text, at the place it is written."""
    from citeproc.frontend import etree  # the lxml citeproc-py parsed the style with

    # The style as text, to search in one pass (a carriage return is written `&#13;` in it):
    # nearly every style holds none, and walking its elements is 10 ms for Chicago's.
    if _STYLE_CONTROL.search(etree.tostring(root, encoding="unicode")) is None:
        return
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # a processing instruction: nothing citeproc-py prints
        tag = str(element.tag).rpartition("}")[2]
        texts = [(f"<{tag} {str(a).rpartition('}')[2]}>", v) for a, v in element.attrib.items()]
        texts += [
            (f"the text of <{tag}>", element.text or ""),
            (f"the text after <{tag}>", element.tail or ""),
        ]
        for where, value in texts:
            found = _STYLE_CONTROL.search(value)
            if found is None:
                continue
            char = found.group()
            line, col, written = _written(style, path, element.sourceline or 0, char)
            shown = f" (written `{written}`)" if written else ""
            if unicodedata.category(char) == "Cc":
                fault = (
                    f"holds the control character {control_name(char)}{shown} in {where}, "
                    "which a terminal would act on in every citation studykit shows"
                )
            else:
                name = unicodedata.name(char, "")
                fault = (
                    f"holds the bidirectional control U+{ord(char):04X} {name}{shown} in "
                    f"{where}, which would reorder the text of every citation it is printed in"
                )
            raise style_error(style, path, f"{fault}: delete it", line, col)


def _written(style: str, path: Path, line: int, char: str) -> tuple[int, int, str]:
    """Where `char` is written in the style file, from `line` on, and how (a character
    reference such as `&#x9b;`, or "" if written as it is); `line`, 1 and "" if not found."""
    if not given_as_file(style) or not line:
        return line, 1, ""
    code = ord(char)
    written = re.compile(rf"{re.escape(char)}|&#(?:[xX]0*{code:x}|0*{code});", re.IGNORECASE)
    try:
        with path.open(encoding="utf-8", errors="replace") as file:
            for at, text in enumerate(file, 1):
                found = written.search(text) if at >= line else None
                if found is not None:
                    reference = found.group() if found.group() != char else ""
                    return at, found.start() + 1, reference
    except OSError:
        pass
    return line, 1, ""
