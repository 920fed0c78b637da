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
# From a run of spaces' start only: retried inside a long run, each try would rescan the run.
_JOINER = re.compile(r"(?<!\s)\s++(?:and|or)\s+", re.IGNORECASE)
_STARTS_JOINED = re.compile(r"^(?:and|or)\s+", re.IGNORECASE)
# A bullet line's text, from its first to its last visible character. Written `\s*` before the
# bullet and `.*?)\s*$` after it, the pattern rescanned every run of spaces from each character.
_BULLET = re.compile(r"^[^\S\n]*+(?:[-*+•]|\d{1,2}[.)])\s++(\S(?:.*\S)?)", re.MULTILINE)
# "(Ashton, Hill, Piazza and Zeitz, 1984)" names a source, not things to recall.
_CITATION = re.compile(r"\d{4}[a-z]?(?:,\s*+(?:p|pp)\.?\s*+[\d-]++)?\s*+$")
_ARTICLES = frozenset(("the", "a", "an"))
_WORD_BYTES = (string.ascii_letters + string.digits + "_").encode()
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
    rf"\b(?i:and|or)\s+(?:(?i:{_WH})\b|(?i:{_AUX})\s+(?:(?i:{_SUBJECT})\b|[A-Z])"
    # "..., and in what year?"
    r"|(?i:in|at|on|by|for|from|to|with|under)\s+(?i:what|which|whom|whose)\b)"
)
# "the causes and consequences of the famine": two aspects of one thing are two answers.
_ASPECTS = frozenset(
    """cause causes consequence consequences effect effects origin origins significance aim aims
    result results reason reasons impact impacts outcome outcomes goal goals purpose purposes
    method methods successes failure failures strength strengths weaknesses advantage
    advantages disadvantage disadvantages nature extent course feature features""".split()
)
# A title in quotation marks is one name, whatever punctuation it has; it ends on its line.
_QUOTE = re.compile('["“‘]')
_CLOSING_QUOTE = {'"': '"', "“": "”", "‘": "’"}
_ESSAY_PROMPT = re.compile(
    r"^\W*(describe|explain|discuss|compare|contrast|evaluate|assess|analy[sz]e|outline)\b",
    re.IGNORECASE,
)


def too_long(text: str, budget: int) -> int | None:
    """The text's word count when it is over budget."""
    if text.isascii() and _separators(text) + 1 <= budget:
        # Cheap and exact: a word needs a space or a punctuation mark before it (but the
        # first), so those characters and one bound the words from above.
        return None
    count = len(words(plain(text)))
    return count if count > budget else None


def _separators(ascii_text: str) -> int:
    """How many characters of an ASCII text are neither letters, digits nor `_`: spaces and
    punctuation marks (bytes.translate deletes the rest in C)."""
    return len(ascii_text.encode("ascii").translate(None, _WORD_BYTES))


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
            if not _CITATION.search(inside):
                best = max(best, _comma_list(inside, needs_and=False), key=len)
        text = _BRACKETED.sub("", text)
    chunks = [c for c in _CHUNK_BREAK.split(text) if c.strip()]
    for chunk in chunks:
        best = max(best, _comma_list(chunk, needs_and=True), key=len)
    if len(chunks) == 1:
        # The whole answer is short phrases split by commas, "Anhui, Henan, Sichuan, Gansu":
        # a list even without `and`. Inside a sentence, commas without `and` are usually asides.
        best = max(best, _bare_list(chunks[0]), key=len)
    if ":" in text:
        for tail in _AFTER_COLON.findall(text):
            best = max(best, _comma_list(tail, needs_and=False), key=len)
    return best if len(best) >= 3 else None


def _bare_list(chunk: str) -> list[str]:
    parts = _without_appositives([p.strip() for p in _COMMA.split(chunk.strip()) if p.strip()])
    plain_items = (_is_item(p, 3) and not _JOINER.search(f" {p}") for p in parts)
    if len(parts) >= 3 and all(plain_items):
        return parts
    return []


def _comma_list(chunk: str, needs_and: bool) -> list[str]:
    if "," not in chunk:
        return []
    parts = _without_appositives([p.strip() for p in _COMMA.split(chunk.strip()) if p.strip()])
    best: list[str] = []
    start = 0
    while start < len(parts) - 1:
        # Past the first part, a list's first item lies between two commas: it must be one.
        if start == 0 or _is_item(parts[start]):
            found, end = _list_from(parts, start)
            best = max(best, found, key=len)
            # A list starting later but before `end` would end there too, with fewer items:
            # skipping those starts keeps a long run of short parts linear, not quadratic.
            start = end
        else:
            start += 1
    if not needs_and and len(parts) >= 3 and all(_is_item(p) for p in parts):
        best = max(best, parts, key=len)
    return best


def _list_from(parts: list[str], start: int) -> tuple[list[str], int]:
    """The list that starts with the last words of part `start`, if one does, and the index
    of the part where the search for it ended (the number of parts when none did)."""
    first = _STARTS_JOINED.sub("", parts[start], count=1)
    middle: list[str] = []
    for end in range(start + 1, len(parts)):
        part = parts[end]
        if _STARTS_JOINED.match(part):
            rest = _STARTS_JOINED.sub("", part, count=1)
            return (_shown([first, *middle, rest]) if middle and _opens_item(rest) else []), end
        joined = _JOINER.split(part, maxsplit=1)
        if len(joined) == 2 and _is_item(joined[0], 3) and _opens_item(joined[1]):
            return _shown([first, *middle, *joined]), end
        if not _is_item(part):
            # Three short items in a row and a long one: a list whose last item runs on.
            return (_shown([first, *middle, part]) if len(middle) >= 2 else []), end
        middle.append(part)
    return [], len(parts)


def _without_appositives(parts: list[str]) -> list[str]:
    """Parts with each aside that describes the name before it joined to that name.

    "Liu Shaoqi, the head of state, and Deng Xiaoping" is two people: a part that starts with an
    article and a lowercase word, right after a part ending in a capitalised name, is an aside.
    """
    kept: list[list[str]] = []  # each name with its asides, joined once at the end
    for part in parts:
        found = part.split(None, 2)
        aside = (
            len(found) >= 2
            and found[0].casefold() in _ARTICLES
            and found[1][:1].islower()
            and bool(kept)
            and kept[-1][-1].rsplit(None, 1)[-1][:1].isupper()
        )
        if aside:
            kept[-1].append(part)
        else:
            kept.append([part])
    return [", ".join(joined) for joined in kept]


# Item sizes are counted by spaces: items are short phrases, and this runs on every comma. A
# leading article is not counted: "the Great Leap Forward" is as short an item as "steel".
def _is_item(part: str, limit: int = _SHORT_ITEM) -> bool:
    found = part.split()
    size = len(found) - (1 if found and found[0].casefold() in _ARTICLES else 0)
    return 0 < size <= limit and _opens_item(part)


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
    if '"' in text or "“" in text or "‘" in text:
        text = "\n".join(_without_titles(line) for line in text.split("\n"))
    marks = text.count("?")
    if marks >= 2:
        first = text.index("?")
        return text[first + 1 :].strip() or text
    match = _SECOND_QUESTION.search(text)
    if match is not None:
        return text[match.start() :].strip()
    return _two_aspects(text)


def _without_titles(line: str) -> str:
    """The line with each title in quotation marks as the word TITLE.

    As `"[^"\\n]*"|“[^”\\n]*”|‘[^’\\n]*’` would replace them, but in linear time: searched,
    that pattern scans `““““...` from each opener to the end, for a `”` that is not there.
    """
    last = {closer: line.rfind(closer) for closer in _CLOSING_QUOTE.values()}
    pieces: list[str] = []
    done = searched = 0
    while (opener := _QUOTE.search(line, searched)) is not None:
        start = opener.start()
        closer = _CLOSING_QUOTE[opener.group()]
        if start < last[closer]:
            pieces += [line[done:start], "TITLE"]
            done = searched = line.index(closer, start + 1) + 1
        else:
            searched = start + 1
    return "".join(pieces) + line[done:]


def _two_aspects(text: str) -> str | None:
    """From the second of two aspects joined by `and`/`or`: "consequences of the famine?"."""
    lowered = text.casefold()
    for joiner in (" and ", " or "):
        at = lowered.find(joiner)
        while at != -1:
            # The words on either side, read from `at`: slicing the text at each `and` would
            # make a question of many `and`s quadratic.
            if _word_before(lowered, at) in _ASPECTS and (
                _word_after(text, at + len(joiner)).casefold().rstrip("?,") in _ASPECTS
            ):
                return text[at + len(joiner) :].strip()
            at = lowered.find(joiner, at + 1)
    return None


def _word_before(text: str, at: int) -> str:
    """The last word (between white space) of `text[:at]`, or ""."""
    end = at
    while end > 0 and text[end - 1].isspace():
        end -= 1
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end]


def _word_after(text: str, at: int) -> str:
    """The first word (between white space) of `text[at:]`, or ""."""
    start = at
    while start < len(text) and text[start].isspace():
        start += 1
    end = start
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end]


def essay_prompt(q: str) -> str | None:
    """The verb of an essay prompt ("Describe", "Explain", ...) a question starts with, if any."""
    match = _ESSAY_PROMPT.match(plain(q))
    return match.group(1) if match else None
