"""Notes text as the card-quality rules read it: rendered words, not Markdown markup or math.

A card is judged by what the student reads, so `**bold**`, link targets and image paths are not
words, and a formula counts as one word however long its source is. Comparisons (the same
deletion twice, an answer that shows in its own sentence) use a small stemmer of our own: it only
strips common English endings, which is enough to see that "communes" and "commune" or
"collectivized" and "collectivization" are one word, and never merges two unrelated words.
"""

from __future__ import annotations

import re
from functools import cache

from studykit.notes.formulas import MATH

# `![text](target)` and `[text](target)`, as `!?\[([^\]]*)\]\([^)]*\)` reads them, in linear
# time. That pattern retries from every `[` of `[[[...` and scans to the same `]` each time, so
# where an opener fails (group `text` unset) the match takes what every opener up to that `]`
# would fail on too (to the end when no `)` follows the `](`), and is put back as written.
_IMAGE = re.compile(r"!\[(?:(?P<text>[^\]]*+)\]\([^)]*+\)|[^\]]*+\]\([^)]*+\Z|[^\]]*+)")
_LINK = re.compile(r"\[(?:(?P<text>[^\]]*+)\]\([^)]*+\)|[^\]]*+\]\([^)]*+\Z|[^\]]*+)")
# A run of `*` and `_`, or a backtick: see _unemphasized.
_EMPHASIS = re.compile(r"[*_]+|`")
# A word: letters or digits, keeping inner apostrophes, hyphens, dots and commas ("Sino-Soviet",
# "people's", "1,400", "e.g") so each counts once.
_WORD = re.compile(r"\w+(?:['’.,-]\w+)*")
MATH_WORD = "\U0001d465"
"""Stands for a formula in plain text: one word (a mathematical italic x)."""

STOPWORDS = frozenset(
    """a an the of in on at to for by with from into onto and or but nor as is was were are be
    been being it its this that these those his her their he she they we you i not no so than then
    which what when where who whom whose why how there about after before over under more most
    some such only also very much many all any each other own same one two three
    million millions thousand thousands hundred hundreds percent per year years""".split()
)
"""Words too common to give an answer away or to make two answers one."""

_NUMBER_WORDS = frozenset(
    "c ca about million millions billion thousand hundred percent per cent bc bce ad ce".split()
)
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "ly", "s")


def plain(text: str, keep_math: bool = False) -> str:
    """The text a student reads: math as one placeholder word, Markdown markup and `\\{{` gone.

    With `keep_math`, formulas stay as written, for comparing two texts rather than counting.
    """
    if not keep_math and ("$" in text or "\\" in text):
        text = MATH.sub(lambda _: f" {MATH_WORD} ", text)
    if "](" in text:
        text = _LINK.sub(_link_text, _IMAGE.sub(_link_text, text))
    if "*" in text or "_" in text or "`" in text:
        text = _EMPHASIS.sub(_unemphasized, text)
    return text.replace("\\{{", "{{")


def _link_text(match: re.Match[str]) -> str:
    text = match["text"]
    return match.group() if text is None else text


def _unemphasized(match: re.Match[str]) -> str:
    """A run of `*` and `_` as emphasis markup is dropped: all of it, unless it stands inside a
    word (`snake_case` keeps its `_`, `a*_b` its `*`). The rule is the one of the pattern
    `(?<!\\w)[*_]+|[*_]+(?!\\w)`, decided once per run: searched, that pattern rescans a run
    such as `x____y` from each of its characters."""
    run = match.group()
    if run == "`":
        return ""
    text, start, end = match.string, match.start(), match.end()
    if not (_is_word(text[start - 1 : start]) and _is_word(text[end : end + 1])):
        return ""
    star = run.rfind("*")
    if star == -1:
        return run
    return "*" if star == 0 or run[star - 1] == "_" else ""


def _is_word(char: str) -> bool:
    """Whether `char` is one character that `\\w` matches."""
    return char.isalnum() or char == "_"


def words(text: str) -> list[str]:
    """The words of already plain text, in order, as written."""
    if text.replace(" ", "").isalnum():
        return text.split()  # the common short answer, "Lushan" or "people 1959": no pattern
    return _WORD.findall(text)


def word_count(text: str) -> int:
    """How many words a student reads in a notes text."""
    return len(words(plain(text)))


@cache
def stem(word: str) -> str:
    """A crude stem: lowercase, no possessive, one common English ending and a final `e` off."""
    word = word.casefold().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.rstrip("'")
    if not word.isalpha():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix in ("ies", "ied"):
                word = word[: -len(suffix)] + "y"
            elif not (suffix == "s" and word.endswith("ss")):
                word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def stems(text: str) -> list[str]:
    """The stems of a text's words, in order."""
    return [stem(w) for w in words(plain(text))]


def key(text: str) -> str:
    """What makes two answers or terms the same: their stems, ignoring case, markup, spacing."""
    return key_and_kind(text)[0]


def is_number(text: str) -> bool:
    """Whether a text is a date or a figure: "1959", "1958-62", "1950s", "36 million"."""
    return key_and_kind(text)[1]


def key_and_kind(text: str) -> tuple[str, bool]:
    """`key` and `is_number` of a text at once, reading its words once."""
    found = words(plain(text, keep_math=True))
    number = bool(found) and all(w[0].isdigit() or w.casefold() in _NUMBER_WORDS for w in found)
    return " ".join(map(stem, found)), number


def quote(text: str, limit: int = 40) -> str:
    """A short quotation of notes text for a warning, on one line."""
    one_line = " ".join(text.split())
    if len(one_line) > limit:
        cut = one_line[:limit]
        one_line = (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:") + "…"
    return f'"{one_line}"'
