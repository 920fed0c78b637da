"""Text measured in terminal columns, for reports printed as plain text.

A terminal gives a CJK character two columns and a combining mark (the accent of "Café" written
with U+0301) none, so `len` misplaces every column after such a title. These functions count as
rich's `cell_len` does, without importing rich: `deck` and `summary` print plain text and start
faster without it.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

ELLIPSIS = "…"


@lru_cache(maxsize=4096)
def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf", "Cc"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def width(text: str) -> int:
    """The columns `text` takes on a terminal."""
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(_char_width(char) for char in text)


def shorten(text: str, columns: int) -> str:
    """`text` when it fits in `columns`, else its start and `…` in at most `columns`."""
    if width(text) <= columns:
        return text
    kept, used = [], 0
    for char in text:
        used += _char_width(char)
        if used > columns - 1:
            break
        kept.append(char)  # a combining mark stays with the letter before it
    return "".join(kept).rstrip() + ELLIPSIS


def ljust(text: str, columns: int) -> str:
    """`text` padded with spaces on the right to `columns`."""
    return text + " " * (columns - width(text))


def rjust(text: str, columns: int) -> str:
    """`text` padded with spaces on the left to `columns`."""
    return " " * (columns - width(text)) + text
