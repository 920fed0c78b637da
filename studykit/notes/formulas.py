"""Where formulas stand in notes text: `\\(...\\)`, `\\[...\\]`, `$$...$$` and `$...$`.

The rules are one regular expression, `PATTERN`; `$5 and $10` is not math. Searched the usual
way it takes quadratic time: with `\\(` written n times and no `\\)`, each opener scans to the
end for a closer that is not there (74 s for n = 50,000). `MATH` finds the same formulas in
linear time: it asks, for each opener, where the next closer is (`scanning.Next`, which searches
each part of the text once), and matches the pattern only where a formula is known to start.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from studykit.notes.scanning import Next

PATTERN = re.compile(
    r"\\\((?P<inline>.+?)\\\)"
    r"|\\\[(?P<display>.+?)\\\]"
    r"|\$\$(?P<ddollar>.+?)\$\$"
    r"|(?<![\\$])\$(?P<dollar>[^\s$](?:[^$]*?[^\s\\$])?)\$(?!\d)",
    re.DOTALL,
)
"""The formula syntax; search with `MATH`, which finds exactly what this does."""

_OPENER = re.compile(r"\\[(\[]|\$")


class Formulas:
    """`PATTERN`'s `finditer`, `search` and `sub`, in linear time; the matches are its own."""

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The formulas of `text`, in order, as `PATTERN.finditer` finds them."""
        closers: dict[str, Next] = {}

        def after(closer: str, start: int) -> int:
            found = closers.get(closer)
            if found is None:
                found = closers[closer] = Next(text, closer)
            return found.at_or_after(start)

        at = 0
        while (opener := _OPENER.search(text, at)) is not None:
            start = opener.start()
            match = PATTERN.match(text, start) if _opens(text, start, after) else None
            if match is None:
                at = start + 1
            else:
                yield match
                at = match.end()

    def search(self, text: str) -> re.Match[str] | None:
        """The first formula of `text`, if any."""
        return next(self.finditer(text), None)

    def sub(self, replace: Callable[[re.Match[str]], str], text: str) -> str:
        """`text` with each formula replaced by what `replace` makes of its match."""
        pieces: list[str] = []
        at = 0
        for match in self.finditer(text):
            pieces += [text[at : match.start()], replace(match)]
            at = match.end()
        if not pieces:
            return text
        pieces.append(text[at:])
        return "".join(pieces)


def _opens(text: str, start: int, after: Callable[[str, int], int]) -> bool:
    """Whether `PATTERN` matches at `start`, an opener; each delimiter holds one character at
    least, so a closer is looked for from three characters on."""
    if text.startswith("\\(", start):
        return after("\\)", start + 3) != -1
    if text.startswith("\\[", start):
        return after("\\]", start + 3) != -1
    if text.startswith("$$", start) and after("$$", start + 3) != -1:
        return True
    # A single `$`: the formula cannot hold a `$`, so it closes at the next one, if at all.
    if start > 0 and text[start - 1] in "\\$":
        return False
    close = text.find("$", start + 1)
    if close < start + 2 or text[start + 1].isspace():
        return False
    if close > start + 2 and (text[close - 1].isspace() or text[close - 1] == "\\"):
        return False
    return not text[close + 1 : close + 2].isdecimal()


MATH = Formulas()
"""The formulas of notes text: cards, handouts, the terminal and the checks all find them here."""
