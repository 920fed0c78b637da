"""The deletion of a point's cloze card: its best year, number or name, if one is fair; the
rules in draft_notes.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studykit.ingest.cloze_asides import (
    _LATIN_ENDINGS,
    _PREVIOUS_WORD,
    _QUALIFIES,
    _RANGE_AFTER,
    _RANGE_BEFORE,
    _RANGE_FROM,
    _REFERENCE_WORD,
    _aside,
    _bracketed,
    _coded,
    _fair,
    _given_away,
    _in_a_list,
    _in_a_name,
    _in_a_relative_clause,
    _in_an_appositive,
    _numbers_listed,
    _reference,
    _within_a_token,
)
from studykit.ingest.hidden_text import escape_braces
from studykit.ingest.leaning_back import (
    _A_NOUN_AFTER,
    _ATTRIBUTIVE,
    _CONTACT_CLAUSE,
    _ESTIMATES,
    _IMPERATIVE,
    _IN_A_PARTICIPLE,
    _KNOWN_AS,
    _NAMED_WORK_OF,
    _OPENING_ERA,
    _OPENING_TIME,
    _SENTENCE_END,
    _THING_OF_ABOUT,
    _YEAR_OF_A_THING,
    _cited,
    _ends_on_a_thing_before,
    _half_a_quotation,
    _leans_back,
    _unowned,
    _without_affiliation,
)
from studykit.ingest.names import NameFinder
from studykit.ingest.question_cards import _OPENS_WITH_A_THING
from studykit.ingest.sentence_scoring import _DATELINE
from studykit.ingest.sentences import words
from studykit.ingest.term_cards import _BOLD_GLOSS_LINE
from studykit.quality.text import key

_YEAR = re.compile(r"(?<![\w.,$£€-])(?:1[0-9]{3}|20[0-9]{2})s?(?![\w%]|[.,]\d)")
_AMOUNT = re.compile(
    r"(?<![\w.,])\d[\d,.]*\d?\s?(?:%|percent|per cent|million|billion|trillion|thousand)(?!\w)"
)
# A number is a fact only as a count of something: the noun it counts follows ("300 kilometres",
# "46 files"). A bare number ("The 19182 is the process ID") is an example's output or an id.
_NUMBER = re.compile(
    r"(?<![\w.,-])\d{2,}(?:[.,]\d+)*(?![\w%])"
    r"(?=\s+(?:(?!(?:is|are|was|were|and|or|of|to|in|on|at|by|for|the|a|an)\b)[a-z][a-z-]{2,}"
    r"|km|kg|mm|cm|ms|ft|lb|mph|kb|KB|MB|GB|TB|Hz|kHz|MHz|GHz|kW|MW|°C|°F)\b)"
)
# "The 1912 is ...": a number the sentence names as a thing is an identifier, not a year.
_NUMBER_AS_NAME = re.compile(r"\b(?:[Tt]he|[Aa]n?)\s+$")
# A name inside a pointer to read elsewhere: "(see Suppressing errors in the User Manual)".
_SEE_ALSO = re.compile(r"\((?:see|cf\.?|compare|refer to)\s[^()]*$", re.IGNORECASE)
_NO_CLOZE = re.compile(
    r"^(?:By|Posted|Published|Updated)(?:\s+[A-Z][\w.'’-]*){1,4}\s*(?:,|$)"  # a byline
    r"|^(?:Copyright|\(c\)|©)"  # a copyright line: its years are no fact to learn
    r"|^(?:Suppose|Imagine|Assume|Say|Consider)\b|^If\b[^,;]*\d"  # a worked example
    r"|\?[\"'”’)]*$"  # a question the text asks: no fact stated
    r"|\||\t|(?:^|\n)\s*>|\S\s{3,}\S"  # a table row, a quote's line
)
# A name next to another name (a word with a capital, as "macOS", or a number) across a comma,
# "and", "or" or "&".
# "This Agreement", "the following URL": a name a demonstrative points at is the document's
# own word for a thing in front of the reader, not a fact.
_POINTED_AT = re.compile(r"\b(?:[Tt]his|[Tt]hese|[Tt]hat|[Tt]hose|[Ss]uch|following)\s+[\"“]?$")


@dataclass(frozen=True)
class _Titled:
    """Words of the reading's and the section's titles, in several sets read as one, the
    reading's first."""

    sets: tuple[set[str], ...]

    def holds(self, found: list[str]) -> bool:
        if any(word in words for word in found for words in self.sets):
            return True
        # "Neo-Hittite" holds "Hittites" of "The Hittites and Their Empire": a part of a
        # hyphened word, and one in the singular, are the reading's title word too.
        title = self.sets[0]
        return any(
            form in title
            for word in found
            for part in {word, *word.split("-")}
            for form in (part, part + "s", part.removesuffix("s"))
            if len(form) > 2
        )


def _cloze(
    text: str, names: NameFinder, used: set[str], titled: _Titled | None = None
) -> tuple[str, bool]:
    """The sentence as a point: one deletion on its best year, number or name, if one is fair
    (none of whose words `titled`, the reading's and the section's titles, holds); and whether
    it has one."""
    if _no_card_in(text, names):
        return escape_braces(text), False
    for start, end in _candidates(text, names):
        answer = text[start:end].strip()
        named = not answer[0].isdigit()
        if _beside_the_fact(text, start, end, answer, named) or _no_fair_deletion(
            text, start, end, answer, named, names, titled
        ):
            continue
        if _fair(text, start, end, answer, used):
            cloze = escape_braces(text[:start]) + "{{" + answer + "}}" + escape_braces(text[end:])
            if _given_away(cloze):
                continue
            used.update((answer.lower(), key(answer)))
            return cloze, True
    return escape_braces(text), False


def _no_card_in(text: str, names: NameFinder) -> bool:
    """Whether a sentence gives no cloze at all, whatever its years, numbers and names."""
    if (
        _NO_CLOZE.search(text)
        or _leans_back(text)
        or _unowned(text, names)
        or _ends_on_a_thing_before(text)
        or _IMPERATIVE.match(text)
        or _IMPERATIVE_AFTER.match(text)
        or _OPENS_WITH_A_THING.match(text)
        or _about_the_document(text)
        or _BOLD_GLOSS_LINE.match(text)
        or _DASH_GLOSS_LINE.match(text)
    ):
        # A byline's date or a table's cell: no fact to learn. A glossary's entry ("**VM**:
        # ...", "ABI - ...") is a term or nothing. A pronoun for a subject ("In
        # 1912 he presented ..."): the card cannot say who.
        return True
    # "WITHOUT ANY WARRANTY": a licence's boilerplate
    return len(_SHOUTED.findall(text)) >= 2


def _candidates(text: str, names: NameFinder) -> list[tuple[int, int]]:
    """The spans a deletion may take, best first: years, amounts, names of several words,
    numbers, names of one word."""
    spans = [m.span() for m in _YEAR.finditer(text)]
    spans += [m.span() for m in _AMOUNT.finditer(text)]
    found_names = [_without_affiliation(text, span) for span in names.spans(text)]
    spans += [span for span in found_names if len(text[span[0] : span[1]].split()) > 1]
    spans += [m.span() for m in _NUMBER.finditer(text)]
    spans += [span for span in found_names if len(text[span[0] : span[1]].split()) == 1]
    return spans


def _beside_the_fact(text: str, start: int, end: int, answer: str, named: bool) -> bool:
    """Whether `answer` at `start`-`end` is half a fact (an item of a list, an end of a
    range) or a side detail of it (a qualifier, a setting, who found it, a work's date)."""
    listed = (
        _in_a_list(text, start, end)
        if named
        # One end of a range ("from {{1665}} to 1683", "between 4 and {{20 percent}}")
        # is half the fact; a list of numbers is no fact each.
        else _RANGE_BEFORE.search(text, max(0, start - 40), start) is not None
        or _RANGE_FROM.search(text, max(0, start - 8), start) is not None
        or _RANGE_AFTER.match(text, end) is not None
        or _numbers_listed(text, start, end)
    ) or (named and _POINTED_AT.search(text, 0, start))
    if listed or _reference(text, start, end) or _SEE_ALSO.search(text, 0, start):
        return True
    if named and _ATTRIBUTIVE.match(text, end):
        return True  # "4.87 {{United States}} dollars", "{{French}} astronomers": a qualifier
    if named and (_half_a_quotation(text, start, end) or _KNOWN_AS.match(text, end)):
        # '"{{Whoso List}} to Hunt"': half a title; "{{Francesco Petrarca}}, known in
        # English as Petrarch": the sentence says it again
        return True
    if named and _OPENING_TIME.match(text, 0, start) and "," in text[end : end + 40]:
        return True  # "Two years after the end of the {{Second World War}}, ...": a setting
    if _cited(text, start) or (named and _ESTIMATES.match(text, end)):
        # "A study led by {{Lucas Garibaldi}} found ...", "The {{World Health
        # Organization}} estimates that ...": the finding is the fact, not who made it
        return True
    if not named and (
        (answer.endswith("s") and not _OPENING_ERA.match(text, 0, start))
        or _NAMED_WORK_OF.search(text, max(0, start - 120), start)
        # "A cog of about {{1380}} was found ...": the age of a thing, not an event's date
        or _THING_OF_ABOUT.search(text, max(0, start - 60), start)
        or (
            _YEAR_OF_A_THING.search(text, max(0, start - 8), start)
            and _A_NOUN_AFTER.match(text, end)
        )
    ):
        # "showed in the {{1930s}}": a vague time for an act (a decade is asked only where
        # it opens the sentence as its setting: "During the 1930s ..."); "his {{1926}}
        # novel", "Dialogue ... of {{1632}}": a side detail of a work the sentence is
        # about, not when something happened.
        return True
    if _IN_A_PARTICIPLE.search(text, max(0, start - 120), start) and (
        "," in text[end:] or ";" in text[end:] or _SENTENCE_END.fullmatch(text, end)
    ):
        # "The Sihwa Lake station, opened in {{2011}}, is ...", "The boundary ...,
        # identified in {{1909}} by ...; often ...": a side detail
        return True
    return _CONTACT_CLAUSE.search(text, max(0, start - 80), start) is not None


def _no_fair_deletion(
    text: str,
    start: int,
    end: int,
    answer: str,
    named: bool,
    names: NameFinder,
    titled: _Titled | None,
) -> bool:
    """Whether `answer` at `start`-`end` is no fact to ask (a label, a part of a name, a
    detail inside the sentence) or one the sentence gives away."""
    if answer[-1].isdigit() and _NUMBER_AS_NAME.search(text, max(0, start - 5), start):
        return True  # "The 19182 is the process ID"
    if not named and (_precise(answer) or _AS_OF.search(text, max(0, start - 30), start)):
        return True  # "about {{310,740}} kilometres": no one recalls it; "As of May 13th, 2001"
    if (
        not named
        and _RELATIVE_SPAN.search(text, max(0, start - 16), start)
        and _TIME_UNIT.match(text, end)
    ):
        return True  # "in its first {{10}} years": a span counted from a time, no date
    if not named and _DISTANCE_AWAY.match(text, end):
        return True  # "about {{150}} kilometres east of Ankara": a locator, a side detail
    if answer[0].isdigit() and _in_a_name(text, start):
        return True  # "Visual Studio 2019": a product's name, not a date
    if _REFERENCE_WORD.match(answer.split(" ", 1)[0] + " ") and " " in answer:
        return True  # "Exhibit A", "Section 3": a label of the document, no fact
    if (titled is not None and titled.holds(words(answer))) or _within_a_token(
        text, start, end, answer
    ):
        return True  # the title or another token ("-Ddns-servers=" for "DNS") gives it away
    if named and _name_goes_on(text, start, end, names):
        return True  # "{{Yersinia}} pestis", "{{Gabriele}} de' Mussi": half a name
    if named and not _subject_name(text, start, end) and not _event_name(text, start, end):
        return True  # a name inside the sentence: too often a detail no one would ask
    if (
        _in_an_appositive(text, start, end)
        or _in_a_relative_clause(text, start)
        or (named and (_spelled_out(text, start, end) or _aside(text, start, end)))
    ):
        return True  # "Dollinger, whose book appeared in {{1964}}"; "index ({{CPI}})"
    # "[EDIT ME: ...]", "Z_NO_FLUSH", "English (`en-*`)": no fact, or given
    return _bracketed(text, start) or "_" in answer or _coded(text, answer)


def _about_the_document(text: str) -> bool:
    """Whether a sentence dates the document itself ("Version from the mini-summit on October
    1st 2022.", "The initial version was created ... on August 5th 2021."): a fact about the
    text in front of the reader, not one of its subject."""
    return _DATELINE.match(text.lstrip("*_ ")) is not None or _OWN_VERSION.search(text) is not None


# "The initial version was created", "This document was last updated": the text's own dates.
_OWN_VERSION = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Ii]ts)\s+(?:(?:initial|first|current|latest|original|present"
    r"|previous|new|next)\s+)?(?:version|revision|draft)\s+(?:was|is|has\s+been|will\s+be)\s+"
    r"(?:created|written|drafted|published|updated|revised|produced|made|based)\b"
    r"|\b[Tt]his\s+(?:document|list|page|file|guide|policy|manual)\s+(?:was|is|has\s+been)\s+"
    r"(?:last\s+)?(?:created|written|drafted|published|updated|revised|produced|made)\b"
)
# "the first 10 years", "over the past 3 months": a span counted from a time the reader must
# know, no date to learn.
_RELATIVE_SPAN = re.compile(
    r"\b(?:first|last|past|next|previous|following|coming|recent)\s+$", re.IGNORECASE
)
_TIME_UNIT = re.compile(r"\s+(?:years?|months?|weeks?|days?|decades?|centuries|hours?)\b")
# "ABI - Application Binary Interface", "- Term - what it is": a glossary's line.
_DASH_GLOSS_LINE = re.compile(r"[A-Z][\w.+/-]{0,30}(?:\s+[\w.+/-]+){0,3}\s+[-–—]\s+[A-Z\[]")
# The same after a condition: "If a style guide is only in print, provide a URL that ...".
_IMPERATIVE_AFTER = re.compile(
    r"(?:If|When|Where|Before|After|Once|Unless|To)\b[^,;]{0,200},\s+(?:please\s+)?"
    r"(?:have|use|note|see|make|read|check|try|run|install|send|report|do|don't|don’t|keep"
    r"|avoid|look|remember|consider|add|set|put|write|ask|go|let|call|click|open|type|enter"
    r"|select|choose|find|follow|refer|provide|include|submit|attach|search|ignore|start|stop"
    r"|specify|change|create|edit|remove|replace|ensure|make sure)\b"
)
# Words that join a person's name to its last part: "Gabriele de' Mussi", "Ludwig van ...".
_PARTICLES = frozenset(
    "de de' d' del della der des di da dos du la le van von ten ter bin ibn al al- ben".split()
)
_NEXT_WORD = re.compile(r"\s+([\w'’-]+)")
# A single capital, or one with a digit ("T", "D", "B12"): a name ending in it labels a noun.
# Not a king's numeral: "Suppiluliuma I defeated ...", "Henry V".
_LETTER_LABEL = re.compile(r"(?![IVX]$)[A-Z]\d{0,2}")


def _name_goes_on(text: str, start: int, end: int, names: NameFinder) -> bool:
    """Whether a lower-case word beside the name belongs to it: a particle ("de' Mussi", "van",
    "al-") or a word the reading writes only after a capital ("Yersinia pestis", "Y. pestis"):
    where a name ends is unsure, so it is no answer."""
    after = _NEXT_WORD.match(text, end)
    before = _PREVIOUS_WORD.search(text, max(0, start - 30), start)
    if before is not None and before.group(1).lower() in _PARTICLES:
        return True
    if after is None:
        return False
    word = after.group(1)
    if word.lower() in _PARTICLES or word.lower().startswith(("al-", "el-", "bin-")):
        return True
    if _LETTER_LABEL.fullmatch(text[start:end].split()[-1]) and word[:1].islower():
        return True  # "{{Cytotoxic T}} cells", "Vitamin D deficiency": a label of the noun after
    return (
        word[:1].islower()
        and word.lower().endswith(_LATIN_ENDINGS)
        and names.only_after_a_capital(word)
    )


def _spelled_out(text: str, start: int, end: int) -> bool:
    """Whether the answer is an acronym in brackets after its words ("consumer price index
    ({{CPI}})") or the words before their acronym ("{{Consumer Price Index}} (CPI)")."""
    from studykit.ingest.acronyms import spells

    answer = text[start:end]
    if text[start - 1 : start] == "(" and text[end : end + 1] == ")":
        return spells(text[max(0, start - 80) : start - 1], answer)
    after = _ACRONYM_NEXT.match(text, end)
    return after is not None and spells(answer, after.group(1))


_ACRONYM_NEXT = re.compile(r"\s*\(([A-Z][A-Za-z&]{1,7}s?)\)")


_SHOUTED = re.compile(r"\b[A-Z]{4,}\b")
_AS_OF = re.compile(r"\b[Aa]s of\b[^;]{0,30}$")
# A distance that places a thing: "{{150}} kilometres east of Ankara", "12 miles from the
# coast" (not a length: "570 kilometres from Lebanon to Turkey").
_DISTANCE_AWAY = re.compile(
    r"\s*(?:kilometres|kilometers|km|miles|mi|metres|meters|m|leagues|yards)\s+"
    r"(?:(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west|upstream"
    r"|downstream|inland|offshore)\s+(?:of|from)\b|(?:away\s+)?from\b(?![^,;.]*\sto\s))"
)


def _precise(number: str) -> bool:
    """Whether a number has more than three significant digits (310,740; not 1,200 or 2.5)."""
    digits = "".join(c for c in number if c.isdigit()).strip("0")
    return len(digits) > 3 and not _YEAR.fullmatch(number)


def _subject_name(text: str, start: int, end: int) -> bool:
    """Whether the name at `start` is who or what the sentence is about: it opens the
    sentence, after a date at most ("In 1843 Hong read ...", "{{Leland Hartwell}} identified
    ..."), and is no word that qualifies a noun ("{{Nash}} equilibrium is ...") or stands
    beside its own words in brackets. Names inside a sentence (but _event_name's) were the
    drafts' most frequent poor cards: a locator ("{{Earth}}"), a nationality ("the {{Italian}}
    economist"), half a term ("A {{Nash}} equilibrium"), a place no one would ask ("{{Cannon
    Street}}")."""
    opening = _OPENING.match(text)
    if opening is None or opening.end() != start:
        return False
    return _QUALIFIES.match(text, end) is None


def _event_name(text: str, start: int, end: int) -> bool:
    """Whether the name inside the sentence is one of several words not placed by a
    preposition of place: "during the {{Great Leap Forward}}", not "at the {{Royal
    Institution}}" or "to {{California}}"."""
    if " " not in text[start:end] or _QUALIFIES.match(text, end):
        return False
    place = _PLACED.search(text, max(0, start - 20), start)
    return place is None


_PLACED = re.compile(
    r"\b(?:[a-z]+\s+of|at|in|on|to|from|near|into|across|through|around|outside|inside|beyond"
    r"|over|under"
    r"|towards?|(?:north|south|east|west|north-east|north-west|south-east|south-west)\s+of)"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)


# A sentence's opening: quotes or emphasis, then a date or a time phrase at most.
_OPENING = re.compile(
    r"[\"'“‘(*_]*(?:(?:In|On|By|From|Until|Since|After|Before|During)\s+"
    r"(?:(?:early|late|mid-?|the)\s+)?(?:\d{1,2}\s+)?(?:[A-Z][a-z]+\s+)?\d{3,4}s?,?\s+)?"
)
