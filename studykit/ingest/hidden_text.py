"""Text a card must not cut or hide: links, URLs, paths, code and math, and the braces a cloze
would read as its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from studykit.notes.scanning import Next

# A word ending in a symbol that runs on into the name after it: "C++ STL", "F# Interactive".
_SYMBOL_WORD_BEFORE = re.compile(r"\w[+#]+\s$")


# Where a card cannot hide a part, or would show it wrongly: a link's address, an autolink, a
# bare URL or file name, inline code, math. Found by _not_hidden, as this pattern finds them.
_LINK_OR_URL = r"\]\([^)]*\)?|<[^>\s]*>?|\b(?:https?|ftp)://\S+"
_CODE_OR_MATH = r"`[^`]*`?|\$[^$]*\$?"
_NOT_HIDDEN = re.compile(rf"{_LINK_OR_URL}|\S+/\S*|{_CODE_OR_MATH}")
_LINK_OR_URL_AT = re.compile(_LINK_OR_URL)
_NOT_PATH = re.compile(f"{_LINK_OR_URL}|{_CODE_OR_MATH}")
_NOT_PATH_START = re.compile(r"\]\(|<|\b(?:https?|ftp)://\S|`|\$")
_SPACE = re.compile(r"\s")
_NOT_SPACE = re.compile(r"\S")


def _not_hidden(text: str) -> Iterator[tuple[int, int]]:
    """The spans of `_NOT_HIDDEN.finditer(text)`, in linear time.

    Searched, its path alternative `\\S+/\\S*` is tried from each character of a long word
    without a `/` and scans to the word's end each time. Here a word's `/` is looked up once
    (`Next`): where the path alternative fails, it fails for the rest of the word, and only the
    other alternatives are looked for there, at the characters that start them.
    """
    slash, space, other = Next(text, "/"), Next(text, _SPACE), Next(text, _NOT_PATH_START)
    at = 0
    while (word := _NOT_SPACE.search(text, at)) is not None:
        start = word.start()
        end = space.at_or_after(start)
        end = len(text) if end == -1 else end
        found = _LINK_OR_URL_AT.match(text, start)
        if found is None and start < slash.at_or_after(start + 1) < end:
            yield start, end  # a path: `\S+/` backs off to the word's last `/`
            at = end
            continue
        if found is None:
            opener = other.at_or_after(start)
            found = _NOT_PATH.match(text, opener) if -1 < opener < end else None
        if found is None:
            at = end
        else:
            yield found.span()
            at = found.end()


def _inside_word(text: str, start: int, end: int) -> bool:
    """A part of a longer token (`Node` of `Node.js`, `150590` of `#150590a`) is no answer."""
    before, after = text[start - 1 : start], text[end : end + 2]
    if text[end - 1 : end] in "-'’" or (
        after and not after[0].isspace() and after[0] not in _ENDS_A_WORD
    ):
        return True  # "CTRL-" of "CTRL-^": the deletion must end where the token does
    if _SYMBOL_WORD_BEFORE.search(text, max(0, start - 40), start):
        return True  # "STL" of "C++ STL"
    return before.isalnum() or (before in "_#@.<:*" and before != "") or bool(_GLUED.match(after))


# What may follow a word's last letter: a space or a sentence's punctuation.
_ENDS_A_WORD = frozenset(".,;:!?)]}\"'”’…*_")


# Glued on after: more of the word, code ("Vec<i32>", "parse(text)", "std::io"), or emphasis
# ("**Start simple**: ...": the label's first word alone is no answer).
_GLUED = re.compile(r"\w|[._-]\w|[<(\[*]|::")


def _bare(word: str) -> str:
    return word.removesuffix("'s").removesuffix("’s")


def escape_braces(text: str) -> str:
    """A literal `{{` in a point is written `\\{{`, so it is not read as a deletion."""
    return text.replace("{{", "\\{{")
