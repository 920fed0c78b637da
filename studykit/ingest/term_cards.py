"""A section's terms: from sentences that define them (definitions.py) or a glossary's
entries, none the next sentence goes on with or the reading's topic glossed in a few words.
"""

from __future__ import annotations

import re

from studykit.ingest.bold_terms import glossary_entry
from studykit.ingest.definition_text import lists_in_an_aside, of_several, ordinals, pins_down
from studykit.ingest.definitions import defined_in
from studykit.ingest.sentence_scoring import _ENDS, _GLOSSARY_ENTRY, _GOES_ON, _Sentence, _whole
from studykit.ingest.sentences import content_words, words

MAX_TERMS = 4
MAX_GLOSSARY_TERMS = 8
MAX_GLOSSARY_LIST_TERMS = 24  # a glossary's `**Term**: ...` lines are what it is for


# A definition that leans on another sentence: "such a Package ... as specified below". "This
# License", "this document" name the document itself.
_POINTS_ELSEWHERE = re.compile(
    r"\b(?:[Ss]uch(?!\s+as\b)|[Bb]elow|[Aa]bove|aforementioned|said)\b"
    r"|\b(?:[Tt]his|[Tt]hese|[Tt]hose)\s+(?!(?:document|agreement|licen[cs]e|work)\b)[a-z]"
)


def _terms(
    found: list[_Sentence], lowercase: set[str], defined: set[str], sources: set[int]
) -> list[tuple[str, str]]:
    """The terms the section's sentences define, in reading order, each once in the reading;
    adds to `sources` the sentences they come from."""
    from studykit.quality import ANSWER_WORDS
    from studykit.quality.shapes import list_items, too_long

    terms: list[tuple[str, str]] = []
    glossary = _a_glossary(found)
    named: set[str] = set()  # nouns the sentences before name one of: "Lenz's law"
    pending: list[str] = []  # the last sentence's, added once it is behind
    previous = ""
    names_before = False  # whether a sentence before names something ("Lancelot")
    for sentence in found:
        named.update(pending)
        pending = [m.group(1) for m in _NAMED_ONE.finditer(sentence.text)]
        names_before = names_before or bool(previous and _NAMES_ONE.search(previous))
        previous = sentence.text
        if len(terms) == (MAX_GLOSSARY_LIST_TERMS if glossary else MAX_GLOSSARY_TERMS):
            break
        # A glossary's line ("**ABI**: Application Binary Interface - ...") is read as one.
        entry = glossary_entry(sentence.text, glossary) if sentence.item else None
        candidates = (
            [entry]
            if entry is not None
            else defined_in(sentence.text, lowercase, glossary)
            if _ENDS.search(sentence.text)
            else []
        )
        if not candidates or not _whole(sentence) or _GOES_ON.match(sentence.after):
            continue
        # A glossary's entries ("“You” means ...") are what its section is for: more of them.
        limit = (
            MAX_GLOSSARY_LIST_TERMS
            if glossary and entry is not None
            else MAX_GLOSSARY_TERMS
            if _GLOSSARY_ENTRY.match(sentence.text) or entry is not None
            else MAX_TERMS
        )
        for definition in candidates:
            key = definition.term.lower()
            if key in defined or len(terms) >= limit or _held(key, defined):
                continue
            if sentence.text.startswith(f"The {definition.term} ") and (
                key in named or (key in _KINDS_OF_NAMED and names_before)
            ):
                # "The law is ..." after "Lenz's law", "The poem is ..." after "Lancelot": the
                # one named before
                continue
            text = definition.definition
            # A bold term's own gloss may name several things it does ("manages a country's
            # currency, money supply and interest rates"): the author's definition, whole.
            # So may an aside name examples of its kind ("a substance, a salt or an oxide, that
            # fixes a dye to a fibre").
            # A term its author marked (bold, a page's <dfn>) has its author's definition too:
            # "the **zaibatsu**, large conglomerates that combined banking, trading, ...".
            glossed = (
                _BOLD_GLOSS_LINE.match(sentence.text) is not None
                or f"**{definition.term}**" in sentence.text
                or lists_in_an_aside(text)
            )
            items = None if glossed else list_items(text)
            if too_long(text, ANSWER_WORDS) is not None or (
                items is not None and not of_several(text, items) and not ordinals(items)
            ):
                continue
            if _POINTS_ELSEWHERE.search(text):
                continue  # "such a Package ... as specified below": half of it is elsewhere
            if _LINK.search(text):
                continue  # a link's markup on a card's back: "[CBOR](http://tools.ietf.org/...)"
            defined.add(key)
            sources.add(id(sentence))
            terms.append((definition.term, text))
    return terms


def _a_glossary(found: list[_Sentence]) -> bool:
    """Whether the section's `**Term**: gloss` lines are a glossary: most of them, two at
    least, gloss their term with an article ("**Apse**: A semicircular recess ..."), as against
    a feature list's "**Start simple**: The simplest example adds ..." among "**Short**:
    Minimize ..." and "**Note**: ..."."""
    glosses = [s.text[m.end() :] for s in found if (m := _BOLD_GLOSS_LINE.match(s.text))]
    articled = sum(1 for gloss in glosses if _ARTICLE_OPENS.match(gloss))
    if articled >= 2 and 2 * articled >= len(glosses):
        return True
    # A list of acronyms each spelled out ("**ABI**: Application Binary Interface - ...").
    spelled = sum(
        1
        for s in found
        if s.item and (entry := glossary_entry(s.text)) is not None and entry.term.isupper()
    )
    return spelled >= 3 and 4 * spelled >= len(glosses)


_ARTICLE_OPENS = re.compile(r"(?:[Aa]n?|[Tt]he)\s")
_LINK = re.compile(r"\]\(|<https?://")
_BOLD_GLOSS_LINE = re.compile(r"(?:[-*+]\s+)?\*\*[^*]{1,60}\*\*\s*(?::|—|–|\s-)\s")
# A common noun after a name ("Lenz's law", "the Sanmenxia dam") names one: a later "The law"
# points back at it.
_NAMED_ONE = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*\s+([a-z][a-z-]*)")
# Kinds of things a reading names ("Lancelot", "the Treaty of Paris", "the Lusitania"): after a
# name, "The poem is ...", "The treaty was ..." speak of that one, not of the kind.
_KINDS_OF_NAMED = frozenset(
    """poem poems novel play epic romance story tale treaty pact charter letter telegram
    message manuscript ship vessel painting portrait film song album opera symphony statue
    monument cathedral church temple castle palace bridge""".split()
)
# A capitalised word inside a sentence, not its first: a name.
_NAMES_ONE = re.compile(r"(?<=[\s(“\"])[A-Z][a-z]")


def _held(term: str, defined: set[str]) -> bool:
    """Whether a term drafted before holds `term` as its last words ("induction" after
    "electromagnetic induction"): a second card on one thing. The reverse is a kind of it with
    a card of its own ("twelve-bar blues" after "blues")."""
    return any(other.endswith(" " + term) for other in defined)


def _the_topic(term: tuple[str, str], title_words: set[str]) -> bool:
    """Whether a term is the reading's topic, or a word of its title, glossed in a few words
    ("eye: the organ of vision" in "The Vertebrate Eye") or by a kind and its adjectives
    ("Avahi: a free, LGPL mDNS/DNS-SD implementation" in "Avahi README"): a card the title all
    but answers. Pinned down by a phrase or a clause ("Byzantine art: the art produced in the
    Eastern Roman Empire from ... 330 until ... 1453"), it is the reading's first card."""
    named, definition = term
    if not set(content_words(words(named))) <= title_words:
        return False
    return len(words(definition)) <= _TOPIC_GLOSS_WORDS or not pins_down(definition)


_TOPIC_GLOSS_WORDS = 4


def _spelled_in(term: tuple[str, str], title: str) -> bool:
    """Whether an acronym's term is one the section's heading spells out ("ECB" under "The
    European Central Bank"): the heading gives its back away."""
    acronym, expansion = term
    return acronym.isupper() and expansion.lower() in title.lower()
