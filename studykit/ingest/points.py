"""A section's points: its next best sentences after the summary, each a cloze card where
one is fair.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from studykit.ingest.hidden_text import escape_braces
from studykit.ingest.leaning_back import _BYLINE_OPENS, _ORDINAL_BACK, _leans_on_something_before
from studykit.ingest.sentence_scoring import _ranked, _Sentence, _whole
from studykit.ingest.summaries import (
    _ASKS,
    _OPENS_WITH_THE_NOUN,
    _leans_on_before,
    _the_one_named_before,
)

POINT_WORDS = (6, 45)  # a point shorter or longer than this makes a poor card
MAX_POINTS = 6
_CLOZABLE = re.compile(r"\d|(?<=\w )[A-Z]")


def _points(
    found: list[_Sentence],
    summary: list[_Sentence],
    carded: set[int],
    seen: set[str],
    cloze: Callable[[str], tuple[str, bool]],
) -> list[tuple[str, bool]]:
    """The section's points, in reading order, each with whether it has a deletion."""
    low, high = POINT_WORDS
    fitting = [s for s in _ranked(found) if low <= s.size <= high]
    # Sentences with a year, a number or a name make cloze cards: prefer them.
    fitting.sort(key=lambda s: (-s.score * (1.3 if _CLOZABLE.search(s.text) else 1), s.index))
    wanted = min(MAX_POINTS, max(2, math.ceil(len(fitting) / 3)))
    # A term's or a question's sentence is its card already; the summary's is in the notes,
    # and comes back as a point only as a cloze card.
    in_summary = {id(s) for s in summary}
    chosen: list[tuple[_Sentence, tuple[str, bool]]] = []
    for sentence in fitting:
        if id(sentence) in carded:
            continue
        key = " ".join(sentence.text.lower().split())
        if key in seen or not _whole(sentence) or _ASKS.search(sentence.text):
            # A question states no fact: copied as a point it has nothing to learn.
            continue
        if _OPENS_WITH_THE_NOUN.match(sentence.text) and _the_one_named_before(
            sentence, found, opening=True
        ):
            # "The islands become older ..." after "the Hawaiian Islands": which islands, the
            # card alone would not say. A point to read, no cloze.
            point = (escape_braces(sentence.text), False)
        else:
            point = cloze(sentence.text)
        if not point[1] and (
            id(sentence) in in_summary
            or _leans_on_before(sentence.text)
            or _leans_on_something_before(sentence.text)
            or _ORDINAL_BACK.search(sentence.text)
            or sentence.text.startswith("(")
            or _BYLINE_OPENS.match(sentence.text.lstrip("*_ "))
        ):
            # A point to read that opens by pointing back ("It absorbs ...", "This includes
            # ...", "However, ...") or leans on what came before anywhere in it ("detect
            # this loss", "Among those plasma proteins", "Almost a century later", "Read
            # them", "The third variable", "the previous two functions"), or is a bracket's
            # aside to it ("(Passing `0` causes ...)"), reads as a fragment out of its
            # paragraph. A byline is no point of the text.
            continue
        seen.add(key)
        chosen.append((sentence, point))
        if len(chosen) == wanted:
            break
    return [point for _, point in sorted(chosen, key=lambda pair: pair[0].index)]
