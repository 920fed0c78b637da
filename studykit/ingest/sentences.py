"""Sentences and words of a paragraph, for drafting: simple rules that run in linear time."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pysbd import Segmenter

# From the first mark of a run only (`(?<![.!?…])`, possessive): tried from each mark of `.....`,
# the pattern would rescan the rest of the run every time.
# A sentence may open in bold or with code, in any case: "**daemonkit** is ...".
_BOUNDARY = re.compile(
    r"(?<![.!?…])([.!?…]++[\"'”’)\]]*+)\s++(?=[\"'“‘(\[]?[^\W\d_a-z]|\d|(?:\*\*|`)\w)"
    r"|([。！？]+)"
)
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st sr jr vs etc e.g i.e cf no nos fig figs gen col lt sgt capt gov rev "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k ca approx vol pp ed eds al "
    "inc ltd co corp dept univ est".split()
)
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
STOPWORDS = frozenset(
    """a about above after again against all also although am among an and any are as at be
    because been before being below between both but by can could did do does doing down during
    each either even ever every few for from further had has have having he her here hers herself
    him himself his how however i if in into is it its itself just least less like made make many
    may me might more most much must my myself neither no nor not now of off often on once one
    only or other our ours out over own per rather same several she should since so some such
    than that the their theirs them themselves then there these they this those though through
    thus to too under until up upon us very was we were what when where whether which while who
    whom whose why will with within without would yet you your yours""".split()
)

# Looked up first: most words that carry no meaning are in here, so `len` is rarely reached.
_NOT_CONTENT = STOPWORDS | frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph, whitespace collapsed; abbreviations and initials kept."""
    text = " ".join(paragraph.split())
    found: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if match.group(1) is not None:
            if match.group(1) == "." and _abbreviation(text, start, match.start(), match.end()):
                continue
            end = match.end(1)
        else:
            end = match.end(2)
        sentence = text[start:end].strip()
        if sentence:
            found.append(sentence)
        start = match.end()
    rest = text[start:].strip()
    if rest:
        found.append(rest)
    return found


def _abbreviation(text: str, start: int, dot: int, after: int) -> bool:
    """Whether the word before a full stop is an abbreviation or an initial ("J. Smith").

    A capital letter after a lower-case word, followed by a common word, ends a sentence:
    "... discovered coenzyme A. In eukaryotic cells ..." (an initial is followed by a name)."""
    # The word before the stop starts after the last space since the sentence's start, or at
    # that start ("He came. Dr. Smith left.": "Dr" opens the second sentence). Never read from
    # further back: from the paragraph's start it took time squared in "1. 1. 1. ...".
    space = max(text.rfind(" ", start, dot), start - 1)
    word = text[space + 1 : dot].lstrip("\"'“‘([")
    if len(word) == 1 and word.isupper():
        # Only the last character of the word before the initial counts: slicing up to it
        # from where that word starts could reach back to the paragraph's start.
        before = max(start, space)
        following = _WORD.match(text, after)
        return not (
            text[before - 1 : before].islower()
            and following is not None
            and following.group().lower() in STOPWORDS
        )
    return word.lower() in _ABBREVIATIONS


def words(text: str) -> list[str]:
    """Lowercase words of a text, numbers included."""
    return _WORD.findall(text.lower())


def cased_words(text: str) -> list[str]:
    """The words of a text as written, numbers included."""
    return _WORD.findall(text)


def content_words(every: list[str]) -> list[str]:
    """The words that carry meaning among a text's words: no stopwords, no one-letter words."""
    return [w for w in every if w not in _NOT_CONTENT and len(w) > 1]


def splitter_agrees(sentence: str, before: str = "", after: str = "") -> bool:
    """Whether pysbd, a rule-based sentence splitter, reads `sentence` as one whole sentence
    between its neighbours (each cut to their nearest words): it knows far more abbreviations,
    numbers and quotations than the rules above, which split the whole reading fast."""
    if len(sentence) > _SPLITTER_CHARS:
        return False  # longer than any sentence a card quotes; pysbd's time grows with it
    if (
        _PLAIN_END.search(sentence)
        and _PLAIN_END.search(before or "x.")
        and not _INNER_STOP.search(sentence)
    ):
        return True  # no stop inside, and words, not abbreviations, before both stops
    segmenter = _segmenter()
    context = before[-_CONTEXT_CHARS:].split(" ", 1)[-1] if len(before) > _CONTEXT_CHARS else before
    following = after[:_CONTEXT_CHARS].rsplit(" ", 1)[0] if len(after) > _CONTEXT_CHARS else after
    text = " ".join(part for part in (context, sentence, following) if part)
    return sentence in (segment.strip() for segment in segmenter.segment(text))


_SPLITTER_CHARS = 1_000
# A stop after a word of three or more letters that is no abbreviation pysbd knows either way;
# a sentence with no other stop inside leaves nothing for a splitter to read differently.
_PLAIN_END = re.compile(r"(?<![\w.])(?:[a-z]{3,}|[A-Z][a-z]{2,}|\d{4})[.!?]$")
_INNER_STOP = re.compile(r"[.!?…:;\"“”'‘’()\[\]](?!$)")
_CONTEXT_CHARS = 120


@cache
def _segmenter() -> Segmenter:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)
