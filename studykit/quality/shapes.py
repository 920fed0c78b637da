"""The shape of one card's text: too long, a list of things, two questions in one.

These follow the minimum information principle: a card asks for one thing and its answer is
that thing. Each function looks at one text and returns what it found (None when the text is
fine), so the wording of the warning stays with the rule that uses it.
"""

from __future__ import annotations

import re
import string

from studykit.quality.text import plain, words

# Where a list cannot continue: sentence and clause ends, colons, dashes.
_CHUNK_BREAK = re.compile(r"[.;:!?—–]|\s-\s|\n")
_BRACKETED = re.compile(r"\(([^()]*)\)")
_AFTER_COLON = re.compile(r":\s*([^.;:!?]*)")
_COMMA = re.compile(r",\s+")
_JOINER = re.compile(r"\s+(?:and|or)\s+", re.IGNORECASE)
_STARTS_JOINED = re.compile(r"^(?:and|or)\s+", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d{1,2}[.)])\s+\S", re.MULTILINE)
_WORD_AND_SPACE_BYTES = (string.ascii_letters + string.digits + "_" + " \t\n\r\f\v").encode()
_EDGES = "\"'“‘([*_`"
_SHORT_ITEM = 4  # words: "local government", "struggle sessions", "rural markets"
# Words that open a clause or an aside, not an item of a list: "..., in which Liu and Deng were
# purged", "record-breaking, usually false, harvest figures".
_CLAUSE_STARTS = frozenset(
    """which who whom whose where when while whereas so but yet because although though as if
    since until unless then thus hence in for from after before with without by especially
    partly mainly mostly largely usually often sometimes always never probably perhaps roughly
    nearly almost about""".split()
)

_WH = r"why|how|what|when|where|who|whom|whose|which|whether|in what way|to what extent"
_AUX = r"did|does|do|is|are|was|were|has|have|had|can|could|would|should|will"
# "..., and did it work?" asks again; "... and is now seen as ..." goes on with one subject.
_SUBJECT = r"it|they|he|she|we|you|this|that|these|those|the|its|their|his|her|there"
_SECOND_QUESTION = re.compile(
    rf"\b(?i:and|or)\s+(?:(?i:{_WH})\b|(?i:{_AUX})\s+(?:(?i:{_SUBJECT})\b|[A-Z]))"
)


def too_long(text: str, budget: int) -> int | None:
    """The text's word count when it is over budget."""
    if text.isascii() and len(text.split()) + _marks(text) <= budget:
        # Cheap and exact: a word beyond the first in a space-separated token needs a
        # punctuation mark before it, so tokens plus marks bound the words from above.
        return None
    count = len(words(plain(text)))
    return count if count > budget else None


def _marks(ascii_text: str) -> int:
    """How many punctuation marks an ASCII text has (bytes.translate deletes the rest in C)."""
    return len(ascii_text.encode("ascii").translate(None, _WORD_AND_SPACE_BYTES))


def list_items(text: str) -> list[str] | None:
    """The items of the longest enumeration of three or more things in the text, if any.

    An enumeration is bullet lines, three or more clauses split by semicolons, or short phrases
    split by commas and ended by `and`/`or` ("land, labour and meals"); after a colon or inside
    brackets the `and` may be missing ("hidden: concealing grain, eating crops early, theft").
    Commas around clauses are not a list: an item starting with "which", "so", "especially"...
    ends it, and only the items between the first and the last must be short, since the first
    may start the sentence and the last may carry on with its verb.
    """
    if "," not in text and ";" not in text and "\n" not in text:
        return None  # most answers: no list can be written without one of these
    text = plain(text)
    bullets = _BULLET.findall(text) if "\n" in text else []
    if len(bullets) >= 2:
        return [b.strip() for b in bullets]
    clauses = [c.strip(" \n.!?") for c in text.split(";") if c.strip(" \n.!?")]
    if len(clauses) >= 3:
        return clauses
    best: list[str] = []
    if "(" in text:
        for inside in _BRACKETED.findall(text):
            best = max(best, _comma_list(inside, needs_and=False), key=len)
        text = _BRACKETED.sub("", text)
    for chunk in _CHUNK_BREAK.split(text):
        best = max(best, _comma_list(chunk, needs_and=True), key=len)
    if ":" in text:
        for tail in _AFTER_COLON.findall(text):
            best = max(best, _comma_list(tail, needs_and=False), key=len)
    return best if len(best) >= 3 else None


def _comma_list(chunk: str, needs_and: bool) -> list[str]:
    if "," not in chunk:
        return []
    parts = [p.strip() for p in _COMMA.split(chunk.strip()) if p.strip()]
    best: list[str] = []
    for start in range(len(parts) - 1):
        # Past the first part, a list's first item lies between two commas: it must be one.
        if start == 0 or _is_item(parts[start]):
            best = max(best, _list_from(parts[start:]), key=len)
    if not needs_and and len(parts) >= 3 and all(_is_item(p) for p in parts):
        best = max(best, parts, key=len)
    return best


def _list_from(parts: list[str]) -> list[str]:
    """The list that starts with the first part's last words, if one does."""
    first = _STARTS_JOINED.sub("", parts[0], count=1)
    middle: list[str] = []
    for part in parts[1:]:
        if _STARTS_JOINED.match(part):
            rest = _STARTS_JOINED.sub("", part, count=1)
            return _shown([first, *middle, rest]) if middle and _opens_item(rest) else []
        joined = _JOINER.split(part, maxsplit=1)
        if len(joined) == 2 and _is_item(joined[0], 3) and _opens_item(joined[1]):
            return _shown([first, *middle, *joined])
        if not _is_item(part):
            # Three short items in a row and a long one: a list whose last item runs on.
            return _shown([first, *middle, part]) if len(middle) >= 2 else []
        middle.append(part)
    return []


# Item sizes are counted by spaces: items are short phrases, and this runs on every comma.
def _is_item(part: str, limit: int = _SHORT_ITEM) -> bool:
    return 0 < len(part.split()) <= limit and _opens_item(part)


def _opens_item(part: str) -> bool:
    found = part.split(None, 1)
    return bool(found) and found[0].strip(_EDGES).casefold() not in _CLAUSE_STARTS


def _shown(items: list[str]) -> list[str]:
    """Items as quoted in a warning: the first and last cut to the size of the others."""
    size = max(len(words(i)) for i in items[1:-1] or items[-1:])
    first, last = words(items[0]), words(items[-1])
    if len(last) > _SHORT_ITEM:
        last = last[: max(size, 2) + 1]
    if len(first) > _SHORT_ITEM:
        first = first[-size:]
    return [" ".join(first), *items[1:-1], " ".join(last)]


def second_question(q: str) -> str | None:
    """Where a question starts asking a second thing: a second `?`, or `and why/how/did ...`."""
    text = plain(q)
    marks = text.count("?")
    if marks >= 2:
        first = text.index("?")
        return text[first + 1 :].strip() or text
    match = _SECOND_QUESTION.search(text)
    if match is None:
        return None
    return text[match.start() :].strip()
