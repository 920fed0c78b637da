"""Side details no cloze hides: a name in an appositive, a relative clause or brackets, an item
of a list, an end of a range, what a code span or another token gives away.
"""

from __future__ import annotations

import re

from studykit.ingest.hidden_text import _bare, _inside_word, _not_hidden
from studykit.ingest.leaning_back import _BEFORE_A_DATE, _WORD_BEFORE
from studykit.ingest.sentences import words
from studykit.quality.text import key

_LIST_AFTER = re.compile(
    r"\s*(?:,\s*(?:and\s+|or\s+)?|(?:and|or|&)\s+)(?=(?:the\s+)?[\w.-]*[A-Z\d])"
)
# The name before may be followed by up to two lower-case words ("India, Australia and southern
# Africa", "Britain and the United States").
_LIST_BEFORE = re.compile(
    r"[A-Z\d][\w'’.-]*\s*(?:,|,?\s+(?:and|or|&))\s*"
    r"(?:(?:the|[a-z]+ern|north|south|east|west|central|upper|lower)\s+){0,2}$"
)
_PREVIOUS_WORD = re.compile(r"([\w'’-]+)\s+$")
# After a name: a common noun it qualifies and a verb ("Nash equilibrium is"), or brackets.
_QUALIFIES = re.compile(r"\s+[a-z][\w-]*\s+(?:is|are|was|were)\b|\s*\(")


def _in_an_appositive(text: str, start: int, end: int) -> bool:
    """Whether `start` lies inside a gloss between commas ("Warfarin, a drug first sold as a
    rat poison in {{1948}}, blocks ..."): a side detail of the sentence's fact."""
    gloss = _GLOSS_OPENS.search(text, max(0, start - 200), start)
    return gloss is not None and "," in text[end:]


_GLOSS_OPENS = re.compile(r",\s+(?:an?|the)\s+[^,;:()]*$")


def _in_a_relative_clause(text: str, start: int) -> bool:
    """Whether `start` lies inside a relative clause, a side detail of the sentence's fact
    ("Dollinger, whose book appeared in {{1964}}, ...", "near where {{Cannon Street}} station
    stands today")."""
    before = text[max(0, start - 200) : start]
    relative = _RELATIVE_OPENS.search(before) or _THAT_CLAUSE.search(before)
    return relative is not None and not _CLAUSE_ENDS.search(before, relative.end())


# "the tonlet armour that Henry wore at ... in {{1520}}": "that" after a noun opens a relative
# clause (after "said", "argued" and the like it opens what was said, and is no side detail).
_THAT_CLAUSE = re.compile(
    r".*\b(?:the|a|an|its|his|her|their)\s+(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*\s+that\s",
    re.DOTALL,
)


def _aside(text: str, start: int, end: int) -> bool:
    """Whether the name at `start` is a side detail of the sentence, no fact to ask for: a
    locator after a name ("the Bay of Bourgneuf in {{France}}", "College, {{Cambridge}}",
    "Humphry Davy at the {{Royal Institution}}"),
    or the second of a parallel pair ("at Blake Hall and the Robinson family at {{Thorp
    Green}}")."""
    before = text[max(0, start - 200) : start]
    if _SUCH_AS.search(before):
        return True  # "such as the reclamation of the tidal flats of the {{Yellow Sea}}"
    locator = _LOCATOR.search(before)
    if locator is not None and (locator.group(1) is not None or _CLOSED.match(text, end)):
        return True
    preposition = _PREVIOUS_WORD.search(before)
    if preposition is None or preposition.group(1).lower() not in _PAIRED_PREPOSITIONS:
        return False
    word = re.escape(preposition.group(1))
    return re.search(rf"\b{word}\s+(?:the\s+)?[A-Z][^;]*\band\s", before, re.IGNORECASE) is not None


_SUCH_AS = re.compile(r"\bsuch\s+as\b[^,;:]*$")
_LOCATOR = re.compile(r"(?<=\s)[A-Z][\w'’.-]*(?:,|\s+(in|at)(?:\s+the)?)\s+$")
_CLOSED = re.compile(r"\s*(?:[,.;)]|$)")
_RELATIVE_OPENS = re.compile(r".*\b(?:who|whom|whose|which|where)\s", re.DOTALL)
_CLAUSE_ENDS = re.compile(r"[,;:()—–]")
_PAIRED_PREPOSITIONS = frozenset("at in on from to by with".split())


# How a species' second name ends ("pestis", "coli", "sapiens", "rex"): an English word that
# follows a name ("Python package") is no part of it.
_LATIN_ENDINGS = ("is", "us", "um", "ae", "i", "a", "ens", "ex", "ix", "ax", "oides")


def _bracketed(text: str, start: int) -> bool:
    """Inside `[...]`: an editor's placeholder ("[EDIT ME: ...]") or a link's words; or inside
    `(...)`: an aside ("(also known as JPEG, together with {{ITU-T SG16}})")."""
    return text.rfind("[", 0, start) > text.rfind("]", 0, start) or text.rfind(
        "(", 0, start
    ) > text.rfind(")", 0, start)


_CODE_SPAN = re.compile(r"`([^`]+)`")


def _coded(text: str, answer: str) -> bool:
    """Whether the sentence's code gives the answer away: a span of code whose letters begin
    it ("English (`en-*`)"), or the answer is in code itself."""
    lower = answer.lower()
    for span in _CODE_SPAN.finditer(text):
        letters = re.sub(r"[^a-z]", "", span.group(1).lower().split("-")[0])
        if len(letters) >= 2 and (lower.startswith(letters) or letters.startswith(lower)):
            return True
    return False


def _in_a_name(text: str, start: int) -> bool:
    """Whether the number at `start` ends a name ("Visual Studio 2019", "Windows 10")."""
    word = _WORD_BEFORE.search(text, max(0, start - 40), start)
    return word is not None and word.group(1).lower().rstrip(".") not in _BEFORE_A_DATE


def _within_a_token(text: str, start: int, end: int, answer: str) -> bool:
    """Whether `answer` stands, in any case, inside another token of the sentence."""
    needles = {answer.lower()} | {w.lower() for w in answer.split() if len(w) >= 4}
    return any(
        needle in token.lower() and token.strip(".,;:!?()\"'“”‘’*_") not in (answer, needle)
        for token in (text[:start] + " " + text[end:]).split()
        for needle in needles
    )


def _given_away(point: str) -> bool:
    """Whether `check` would find the deletion readable on its own card's front (its
    cloze-giveaway rule: "HTML-encode" hidden beside "HTML")."""
    from studykit.notes.cloze import ClozeError, parse_cloze
    from studykit.quality.repeats import giveaways

    try:
        return next(giveaways(parse_cloze(point)), None) is not None
    except ClozeError:
        return True


def _reference(text: str, start: int, end: int) -> bool:
    """Part of a reference to the document or a version ("Listing 18-2", "Chapter 13",
    "Python 3.9"): a pointer to look something up, not a fact."""
    before = text[max(0, start - _LIST_LOOK) : start]
    return bool(_REFERENCE_WORD.search(before)) or bool(_NUMBER_AFTER.match(text, end))


_REFERENCE_WORD = re.compile(
    r"\b(?:chapters?|sections?|listings?|figures?|fig\.|tables?|pages?|pp?\.|parts?|appendix"
    r"|paragraphs?|articles?|vol\.|volumes?|steps?|lines?|exhibit|clauses?|rules?|version"
    r"|versions|v\.?|no\.|nos\.|item)\s+$",
    re.IGNORECASE,
)
_NUMBER_AFTER = re.compile(r"\s?\d")


def _in_a_list(text: str, start: int, end: int) -> bool:
    """An item of a list of names ("Chicago and New York", "Texas, Oklahoma"): any other item
    would answer its card as well. (Numbers are not asked this way: "between 15 and 45
    million" is a range, each end a fact.)"""
    before = text[max(0, start - _LIST_LOOK) : start]
    after = text[end : end + _LIST_LOOK]
    return (
        bool(_LIST_AFTER.match(after))
        or bool(_LIST_BEFORE.search(before))
        or bool(_COORDINATED_AFTER.match(after))
        or bool(_COORDINATED_BEFORE.search(before))
        or (bool(_COMMA_BEFORE.search(before)) and bool(_LIST_ENDS.match(after)))
        or bool(_LAST_ITEM_BEFORE.search(text, max(0, start - _LAST_ITEM_LOOK), start))
    )


# Any item of a coordinated list, whatever the other items are ("ADP and calcium ions",
# "Barley, oats and rye"): "and", "or", "nor", "&" beside it, or a comma with an "and" to come.
_COORDINATED_AFTER = re.compile(
    r"\s+(?:and|or|nor|&)\s|,\s+[^,;.]{1,40}?(?:,\s*|\s+)(?:and|or|nor)\s"
    # "a {{Board of Governors}} in Washington and twelve regional Reserve Banks"
    r"|\s+(?:in|at|from)\s+(?:the\s+)?[A-Z][\w'’-]*\s+(?:and|or|nor)\s"
)
_COORDINATED_BEFORE = re.compile(r"\b(?:and|or|nor|&)\s+(?:[\w'’-]+\s+){0,2}$")
_COMMA_BEFORE = re.compile(r"\w,\s+(?:[\w'’-]+\s+){0,2}$")
_LIST_ENDS = re.compile(r"(?:\s+[\w'’-]+){0,2}\s*(?:,|\s(?:and|or|nor)\s)")
# Inside a list's last item, however long: "Drought, famine, rebellions among the vassals and
# the raids of the so-called {{Sea Peoples}} have all been proposed as causes". Items hold no
# verb: "Saxony, Hanover, ... and several Thuringian states answered with the {{Middle German
# Commercial Union}}" is the list's act; "Frankenstein, published in 1818, opens and closes
# with ..." a participle's aside.
_ITEM_WORD = r"(?![a-z]+ed\b)[^\s,;:()]+"
_LAST_ITEM_BEFORE = re.compile(
    rf"\w,\s+{_ITEM_WORD}(?:\s+{_ITEM_WORD}){{0,7}},\s+(?:{_ITEM_WORD}\s+){{0,8}}?"
    rf"(?:and|or|nor)\s+(?:{_ITEM_WORD}\s+)*$"
)


_LIST_LOOK = 80
_LAST_ITEM_LOOK = 200  # a list's items may be long: "rebellions among the vassals"


def _numbers_listed(text: str, start: int, end: int) -> bool:
    """A number coordinated with another number or a name ("at Kagoshima in 1863 and
    Shimonoseki in 1864"); not one before a second verb ("in 1889 and created ...")."""
    before = text[max(0, start - _LIST_LOOK) : start]
    return bool(_NUMBER_LIST_AFTER.match(text, end)) or bool(_NUMBER_LIST_BEFORE.search(before))


_NUMBER_LIST_AFTER = re.compile(
    r",?\s+(?:and|or|nor|&)\s+(?:again\s+)?(?:(?:in|on|the)\s+)?[A-Z\d]|,\s+(?:in|on)\s+\d"
)
_NUMBER_LIST_BEFORE = re.compile(
    r"[A-Z\d][\w'’.-]*,?\s+(?:and|or|nor|&)\s+(?:again\s+)?(?:in\s+|on\s+)?(?:[A-Z][a-z]+\s+)?$"
    # "in 1936 and Dallas in {{1937}}": a place, then its date
    r"|\d,?\s+(?:and|or|nor|&)\s+[A-Z][a-z]+\s+(?:in|on)\s+$"
    r"|\d,\s+(?:in\s+|on\s+)$"
)
_ABOUT = r"(?:(?:about|around|roughly|some|nearly|almost|over|under|just)\s+)?"
_RANGE_BEFORE = re.compile(
    rf"\b(?:between|from)\s+{_ABOUT}(?:\S+(?:\s+[a-z]+)?\s+(?:and|to)\s+{_ABOUT})?$"
)
_RANGE_FROM = re.compile(r"\d\s*(?:to|–|-)\s*$")  # "of 1780 to {{1784}}"
_RANGE_AFTER = re.compile(rf"(?:\s+[a-z]+)?\s*(?:to|and|–|-)\s*{_ABOUT}\d")


def _fair(text: str, start: int, end: int, answer: str, used: set[str]) -> bool:
    """A deletion not used before, not given away by the rest of its sentence, safe to mark."""
    # `key` as `check` compares answers: "GUID" and "GUIDs" are one answer.
    if not answer or answer.lower() in used or key(answer) in used:
        return False
    if any(c in answer for c in "{}:\\"):
        return False
    if text[start - 1 : start] in ("{", "\\") or text[end : end + 1] == "}":
        return False
    if _inside_word(text, start, end) or any(
        found_start < end and start < found_end for found_start, found_end in _not_hidden(text)
    ):
        return False
    rest = {_bare(w) for w in words(text[:start] + " " + text[end:])}
    if len(rest) < 4:
        return False
    return not any(len(w) >= 3 and _bare(w) in rest for w in words(answer))
