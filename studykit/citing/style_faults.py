"""A citation style's fault as one line naming the style: the file, line and column of a .csl
file a student gave with `--style`, or the name of a bundled style, whose file is not theirs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from studykit.errors import StudykitError

NS = "http://purl.org/net/xbiblio/csl"
CSL = f"{{{NS}}}"


class StyleError(StudykitError):
    """A citation style studykit cannot use: the message names the style."""


def style_error(style: str, path: Path, fault: str, line: int = 0, col: int = 1) -> StyleError:
    """The error for a style that `fault`s ("has no <citation>"): located in the .csl file a
    student gave, or naming a bundled style, whose file in the installed package is not theirs."""
    # A fault may start with "'s", to name a part of the style: "this citation style's macro".
    space = "" if fault.startswith("'s ") else " "
    if given_as_file(style):
        subject = (
            "this file" if fault.startswith(("is not", "cannot be read")) else "this citation style"
        )
        return StyleError(f"{subject}{space}{fault}", path, line, col if line else 0)
    return StyleError(f"the citation style {style!r}{space}{fault}")


def given_as_file(style: str) -> bool:
    return style.endswith(".csl") or "/" in style


def macro_position(style: str, path: Path, macro: Any, name: str) -> tuple[int, int]:
    """The line and column of the <macro> element named `name`: several may share a line."""
    line = macro.sourceline or 0
    if not given_as_file(style) or not line:
        return line, 1
    start = re.compile(rf"<(?:\w+:)?macro\b[^>]*?\bname\s*=\s*[\"']{re.escape(name)}[\"']")
    found = start.search(_line(path, line))
    return line, (found.start() + 1) if found else 1


def _line(path: Path, number: int) -> str:
    try:
        with path.open(encoding="utf-8", errors="replace") as file:
            for at, text in enumerate(file, 1):
                if at == number:
                    return text
    except OSError:
        pass
    return ""
