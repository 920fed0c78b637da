"""A section's summary: its lead, the first sentence of its opening paragraph (with the next
where that is short or announces what follows), or nothing; the rules in draft_notes.py.
"""

from __future__ import annotations

import re

from studykit.ingest.hidden_text import _bare
from studykit.ingest.leaning_back import (
    _AFTER_WHAT,
    _HIM,
    _MORE_OF_THE_SAME,
    _OPENS_WITH_THE_KIND,
    _PRONOUN_AFTER_OPENING,
    _PRONOUN_SECOND,
    _SAME,
    _SUMMARY_GOES_ON,
    _THE_ONE_BEFORE,
    _TIME_AFTER,
    _unowned,
)
from studykit.ingest.names import NameFinder
from studykit.ingest.sections import PlannedSection
from studykit.ingest.sentence_scoring import _DATELINE, _ENDS, _OPENS, _Sentence, _whole
from studykit.ingest.sentences import words
from studykit.ingest.topics import _names_the_topic

SUMMARY_WORDS = 35  # one sentence a reader takes in at once
_SHORT_LEAD = 12  # a lead this short takes the next sentence with it
SUMMARY_TOTAL_WORDS = 40  # a second sentence joins a short first one up to this
_POINTS_BACK = frozenset(
    """this these those that it its they their them he she his her such however but and or
    also so thus therefore then yet still instead moreover furthermore besides nevertheless
    here there both""".split()
)


def _summary(
    found: list[_Sentence],
    names: NameFinder,
    section: PlannedSection | None = None,
    topic: frozenset[str] = frozenset(),
) -> list[_Sentence]:
    """What the section is about: its lead, the first sentence of its opening paragraph, with
    the next when the lead is short or that one announces what follows ("Three kinds of
    boundary are distinguished ..."); else nothing, and the student writes it.

    Never a later sentence, nor one from a subsection: the lead of a section is its gist, a
    sentence further on a detail ("Yoshinobu's forces were defeated ... later that month").
    The opening paragraph is the first after a byline, a dateline, an image or a table; a
    section that opens with a subheading, or a long one made of several subsections, gets
    none. The lead names the section's topic (`topic`: the heading's own words, or the
    reading's where the heading is only "Introduction"), is no concession the next sentence
    turns from ("... On the other hand, ..."), stands on its own (no list's item, no pointing
    back) and is no dateline."""
    lead = next((s for s in found if s.opening), None)
    if lead is None or (section is not None and _made_of_subsections(section, lead)):
        return []
    if not (
        _stands_alone(lead, found, names)
        and _names_the_topic(lead, topic)
        and _CONCEDES.match(lead.after) is None
    ):
        return []
    chosen = [lead]
    after = found[lead.index + 1] if lead.index + 1 < len(found) else None
    if (
        after is not None
        and after.before == lead.text
        and (lead.size < _SHORT_LEAD or _ANNOUNCES.match(after.text) is not None)
        and lead.size + after.size <= SUMMARY_TOTAL_WORDS
        and _stands_alone(after, found, names)
        and _CONCEDES.match(after.after) is None
    ):
        chosen.append(after)
    return chosen


def _made_of_subsections(section: PlannedSection, lead: _Sentence) -> bool:
    """Whether the section opens with a subheading (its lead would be the first
    subsection's) or is long and made of several subsections, where one paragraph's lead is
    no gist of the whole, unless it announces the whole ("This section describes ...")."""
    heads = sum(_subheading(p) for p in section.paragraphs)
    if heads >= 2 and sum(map(len, section.paragraphs)) > _LONG_SECTION_CHARS:
        return _ANNOUNCES_ITSELF.match(lead.text) is None
    return False


_LONG_SECTION_CHARS = 6_000
# "Linear electron flow", "3.5.1. Interpreter Name", "### Scope": a heading kept in the text.
_SUBHEADING = re.compile(r"#{1,6}\s+\S.*|(?:\d+(?:\.\d+)*\.?\s+)?[A-Z][^.!?:;,\n]{0,80}")
_SUBHEADING_WORDS = 12


def _subheading(paragraph: str) -> bool:
    text = paragraph.strip()
    return (
        "\n" not in text
        and _SUBHEADING.fullmatch(text) is not None
        and len(text.split()) <= _SUBHEADING_WORDS
        and _DATELINE.match(text) is None
    )


# "On the other hand, for beginners ...": the lead is the concession the section turns from.
_CONCEDES = re.compile(
    r"[\"'“‘(*_]*(?:On\s+the\s+other\s+hand|However|But|Yet|In\s+contrast|By\s+contrast"
    r"|Nevertheless|Nonetheless|Still|Even\s+so|That\s+said|Instead|Unfortunately)\b"
)
# "This section describes the various tools ...": the section announcing itself, its gist.
_ANNOUNCES_ITSELF = re.compile(
    r"This\s+(?:section|chapter|document|manual|guide|page|article|appendix|part)\s+"
    r"(?:describes|explains|covers|lists|presents|introduces|documents|defines|discusses"
    r"|outlines|summari[sz]es|sets\s+out|gives)\b"
)


def _stands_alone(sentence: _Sentence, found: list[_Sentence], names: NameFinder) -> bool:
    """Whether a sentence may be the section's summary: whole, short enough, no list's item,
    no example or aside, and nothing in it pointing back to a sentence before."""
    if sentence.size > SUMMARY_WORDS or sentence.item or sentence.example:
        return False
    first = sentence.text.lstrip("\"'“‘(*_").split(" ", 1)[0].lower().rstrip(",")
    first = _bare(first)  # "Here's an example ..."
    # "This section describes ...": the text's own part, not a thing named before.
    itself = _ANNOUNCES_ITSELF.match(sentence.text)
    rest = sentence.text[itself.end() :] if itself is not None else sentence.text
    if (
        (first in _POINTS_BACK and itself is None)
        or not _a_sentence(sentence.text)
        or _ASIDE.match(sentence.text)
        or _DATELINE.match(sentence.text)
    ):
        return False
    # "A Package modified in such a way ...": which way? "In the same book ...": which?
    # "... declared him an outlaw", "built on its achievements": whom, whose? The sentence
    # splitter, the slowest test, last.
    return not (
        _REFERS_BACK.search(rest)
        or _BACK_IN_TIME.search(sentence.text)
        or _POINTS_ON.search(sentence.text)
        or _SUMMARY_GOES_ON.search(sentence.text)
        or _one_before_elsewhere(sentence.text)
        or _OPENS_WITH_THE_KIND.match(sentence.text)
        or _MORE_OF_THE_SAME.match(sentence.text)
        or _TIME_AFTER.match(sentence.text)
        or _AFTER_WHAT.match(sentence.text)
        or _PRONOUN_AFTER_OPENING.search(sentence.text)
        or _PRONOUN_SECOND.match(sentence.text)
        or _SAME.search(sentence.text)
        or _HIM.search(sentence.text)
        or _unowned(sentence.text, names)
        or _the_one_named_before(sentence, found)
        or not _whole(sentence)
    )


def _leans_on_before(text: str) -> bool:
    """Whether a sentence opens by leaning on the one before it: a pronoun or a linking word
    ("It", "They", "This", "However", "On the other hand"), or "this/these <noun>"."""
    first = _bare(text.lstrip("\"'“‘(*_").split(" ", 1)[0].lower().rstrip(",;:"))
    return (
        first in _POINTS_BACK
        or _CONCEDES.match(text) is not None
        or _OPENS_POINTING.match(text) is not None
    )


_OPENS_POINTING = re.compile(
    r"[\"'“‘(*_]*(?:On\s+the\s+other\s+hand|In\s+addition|As\s+a\s+result|For\s+this\s+reason"
    r"|In\s+(?:this|that|these|those)\s+[a-z]+|At\s+the\s+same\s+time)\b"
)


def _one_before_elsewhere(text: str) -> bool:
    """Whether "the package", "the idea" ... points at a thing no word before it in the
    sentence names: "... for every Python version that the package is built for" after
    "Build dependencies for Python-dependent packages" is the sentence's own package."""
    for match in _THE_ONE_BEFORE.finditer(text):
        noun = match.group().rsplit(None, 1)[-1].lower()
        earlier = set(words(text[: match.start()]))
        if not {noun, noun + "s", noun.removesuffix("s")} & {_bare(w) for w in earlier} and not any(
            w.endswith("-" + noun) or w.endswith("-" + noun + "s") for w in earlier
        ):
            return True
    return False


# "later that month", "that year", "the following spring": a time a sentence before set.
_BACK_IN_TIME = re.compile(
    r"\b(?:[Tt]hat|[Tt]he\s+(?:following|next|previous|preceding|same))\s+(?:day|night|week"
    r"|month|year|decade|century|spring|summer|autumn|fall|winter|morning|evening|season)\b"
)


# "Doxygen generated documentation exists here.", "... as follows:": the sentence points at a
# link or at what comes next, not at what the section says.
_POINTS_ON = re.compile(r"\b(?:here|below|as\s+follows)(?:\]\([^()\s]*\))?\W*$")


def _a_sentence(text: str) -> bool:
    """Whether a text opens and ends as a sentence does: a heading left as a line of text
    ("Continental drift") or a line ending in a colon is none."""
    return _OPENS.match(text) is not None and _ENDS.search(text) is not None


def _the_one_named_before(
    sentence: _Sentence, found: list[_Sentence], opening: bool = False
) -> bool:
    """Whether "the <noun>", nothing after it saying which, names a thing a sentence before it
    in the section named ("The sanction worked because ..." after "The League's chief sanction
    ..."; "... as the hypothesis predicted" after "his hypothesis of continental drift")."""
    if opening:
        match = _OPENS_WITH_THE_NOUN.match(sentence.text)
        nouns = {match.group(1)} if match is not None else set()
    else:
        nouns = {m.group(1) for m in _THE_NOUN.finditer(sentence.text)}
    if not nouns:
        return False
    earlier = {w for s in found[: sentence.index] for w in s.words}
    return any(
        form in earlier for noun in nouns for form in (noun, noun + "s", noun.removesuffix("s"))
    )


# "the hypothesis", "The islands": a noun with nothing after it to pin it down ("the motion of
# ...", "the plates on either side", "the boundary that ...").
_THE_NOUN = re.compile(
    r"\b[Tt]he\s+([a-z][a-z-]+)\b(?![\w'’-])(?!\s+(?:of|that|which|who|whom|whose|where|when"
    r"|in|on|at|from|for|to|with|between|among|within|under|over|across|along|around|near"
    r"|beneath|below|above|by|called|known|named)\b)"
)
# The same at the sentence's opening, as its subject ("The islands become ...").
_OPENS_WITH_THE_NOUN = re.compile(_THE_NOUN.pattern.replace(r"\b[Tt]he", "[\"'“‘(*_]*The", 1))
# "Three kinds of boundary are distinguished according to ...": a sentence that announces
# what the section goes on to tell, part of its gist.
_ANNOUNCES = re.compile(
    r"(?:Two|Three|Four|Five|Six|Seven|Several|Many|A\s+number\s+of|Various)\s+"
    r"(?:[a-z-]+\s+){0,2}?(?:kinds|types|classes|sorts|ways|forms|groups|categories|stages"
    r"|phases|causes|reasons|factors|parts|steps|methods|approaches)\b"
)


# An example, an aside or an instruction to the reader is no statement of the section's point.
_ASIDE = re.compile(r"\(|(?:For (?:example|instance)|E\.g\.|Note that|See|Ignore)\b", re.IGNORECASE)
# A sentence that points back ("A Package modified in such a way ...", "... joins this acetyl
# group to ...") leans on one before it. "This" before a capital ("this Package", "this
# License") names the document itself, and "this" opening the subject points back too.
_REFERS_BACK = re.compile(
    r"\b(?:[Ss]uch(?!\s+as\b)|[Tt]he above|[Aa]bove-mentioned|[Aa]forementioned|[Tt]he former"
    r"|[Tt]he latter|[Ss]aid)\b|\b(?:[Tt]his|[Tt]hese|[Tt]hose)\s+[a-z]"
    r"|^(?:\S+\s+){0,5}(?:[Tt]his|[Tt]hese|[Tt]hose)\b"
)
_ASKS = re.compile(r"\?[\"'”’)\]*_]*$")
_SUMMARY_CANDIDATES = 8  # the best sentences tried; past them a summary would not be the gist
