"""`X is/was/are a/an/the ...` and `X means/refers to ...` with X the sentence's subject: a
name, a quoted term, a common noun that opens the sentence, "The X is ..." pinned down.
"""

from __future__ import annotations

import re

from studykit.ingest.acronyms import _NAME
from studykit.ingest.appositives import (
    _A_WORK,
    _LOWER_STOP,
    _PERSON,
    _POINTS_BACK,
    _RELATION,
    NOT_SUBJECTS,
    _proper,
)
from studykit.ingest.definition_text import (
    _PREPOSITIONS,
    _RANKING,
    _RELATIVES,
    Definition,
    _copula,
    _made,
    list_of,
    pins_down,
    says_what_it_is,
)

_COPULA = r"(?:is|are|was|were)"
_DEFINING_VERB = re.compile(
    rf"\s+(?:(?:{_COPULA})\s+(?:also\s+)?(?=(?:an?|the|one of)\s)"
    rf"|(?:also\s+)?(?:shall\s+mean|means)\s+|(?:also\s+)?refers?\s+to\s+"
    rf"|(?:{_COPULA})\s+defined\s+as\s+)"
)
_SUBJECT_NAME = re.compile(rf"(?:The\s+)?(?P<term>{_NAME})(?P<acronym>\s*\([^()]{{1,40}}\))?")
_WORD = re.compile(r"[A-Za-z][a-z-]+")
# "“You” (or “Your”) means ...": the term's other forms in brackets are passed over.
_QUOTED = re.compile(
    r"(?:(?:An?|The|To)\s+)?[“\"](?P<term>[^”\"]{1,40}?)[”\"](?:\s+(?:a|an|the)?\s*work)?"
    r"(?:\s+\((?:or|and)\s[^()]{1,40}\))?"
)

_ARTICLE = re.compile(r"(An?)\s+")


def _called(text: str, lowercase: set[str]) -> list[Definition]:
    """`A line of trees planted to break the wind is called a shelterbelt.`: the subject is the
    definition, the name at the sentence's end the term. Only where the subject pins a kind of
    thing down (a prepositional phrase, a relative clause) and points at nothing before ("This
    rule is still called Bagehot's dictum": which rule?)."""
    match = _CALLED.match(text)
    if match is None:
        return []
    subject, term = match.group("subject"), match.group("term")
    first = subject.split()[0]
    if first not in ("A", "An", "The") and first.lower() not in lowercase:
        return []  # a bare plural ("Organisms that ...") only where the reading writes it so
    if any(not _owned_inside(subject, m) for m in _BACK_IN_A_SUBJECT.finditer(subject)):
        return []  # "The energy its reactions release ...": a thing named before
    definition = subject[0].lower() + subject[1:]
    if not says_what_it_is(definition) or _ENDS_ON_A_THING_BEFORE.search(definition):
        return []
    return _made(term, definition)


# "the energy released by the reaction": which reaction? One named before, unless a thing
# there is only one of.
_ENDS_ON_A_THING_BEFORE = re.compile(
    r"\b(?:of|by|in|from|to|for|with|on|at|into|during)\s+the\s+(?:reaction|process|event"
    r"|change|result|effect|method|system|idea|plan|group|party|period|year|time|movement|book"
    r"|work|war|case|experiment|scheme|policy|project|theory|law|rule|treaty|act)$"
)


_BACK_IN_A_SUBJECT = re.compile(
    r"\b(?:that|which)\s+(?:followed|ensued|came\s+after)\b"
    r"|\b(?:this|these|those|such|same|former|latter|he|she|him|his|her|they|them|it"
    r"|(?:its|their)(?!\s+own\b))\b",
    re.IGNORECASE,
)


def _owned_inside(subject: str, pronoun: re.Match[str]) -> bool:
    """Whether "it" or "its" stands for a thing the subject itself names before it, with "a"
    or "an": "The pressure that must be applied to a solution to stop water from flowing into
    it" defines without a sentence before."""
    return pronoun.group().lower() in ("it", "its") and (
        _INDEFINITE_NOUN.search(subject, 0, pronoun.start()) is not None
    )


_INDEFINITE_NOUN = re.compile(r"\b[Aa]n?\s+[a-z]")
_CALLED = re.compile(
    r"(?P<subject>[A-Z][a-z]*\s+[a-z][^,;:()\[\]*\"“”]*?)\s+(?:is|are|was|were)\s+"
    r"(?:also\s+|often\s+|usually\s+|sometimes\s+|now\s+|commonly\s+)?"
    r"(?:called|known\s+as|termed|named)\s+(?:an?\s+|the\s+)?"
    r"[“\"*_]*(?P<term>[\w'’-]+(?:\s+[\w'’-]+){0,3}?)[”\"*_]*(?:[.!]$|,\s)"
)


def _quoted(text: str) -> list[Definition]:
    """`“The Program” refers to ...`, `To “modify” a work means to ...` (as licences define)."""
    match = _QUOTED.match(text)
    if match is None:
        return []
    verb = _DEFINING_VERB.match(text, match.end())
    if verb is None:
        return []
    return _made(match.group("term").strip(), text[verb.end() :], _copula(verb))


def _subject(text: str, lowercase: set[str]) -> list[Definition]:
    """`X is a ...` where X is the sentence's subject: a name or a common noun phrase."""
    name = _SUBJECT_NAME.match(text)
    if name is not None and name.group("term").split()[0] in ("A", "An"):
        name = None  # "A Nash equilibrium is ...": an article, then the term
    if name is not None and _proper(name.group("term")):
        if " and " in name.group("term"):
            return []  # "Fitz Henry Lane and Martin Johnson Heade are ...": two names, no term
        verb = _DEFINING_VERB.match(text, name.end())
        if verb is not None and _PERSON.match(text, verb.end()) is not None:
            # "Karl von Frisch was an Austrian zoologist who ...": a person's post or
            # origin, not what the student learns them for.
            return []
        if verb is not None and _EVALUATION.match(text, verb.end()):
            # "The Zimmermann Telegram was a diplomatic blunder of the first order": a
            # judgement of the thing the reading names, not what it is.
            return []
        if verb is not None:
            return _made(name.group("term"), text[verb.end() :], _copula(verb))
        return []
    article = _ARTICLE.match(text)
    at = article.end() if article else 0
    if article is None and text.startswith("The "):
        return _the_noun(text)
    words = list(_WORD.finditer(text, at, min(len(text), at + 80)))[:3]
    for count in range(1, len(words) + 1):
        if words[count - 1].start() != (words[count - 2].end() + 1 if count > 1 else at):
            break  # only words apart by one space make one term
        verb = _DEFINING_VERB.match(text, words[count - 1].end())
        if verb is None:
            continue
        chosen = [w.group() for w in words[:count]]
        # After an article the words are one noun phrase: "A blue note" is no "Note that".
        leading = chosen[:1] if article is not None else chosen
        if any(w.lower() in NOT_SUBJECTS for w in leading) or any(
            w.lower() in _LOWER_STOP for w in chosen
        ):
            return []
        if any(w.lower() in _PREPOSITIONS for w in chosen) or any(
            not w.islower() for w in chosen[1:]
        ):
            return []
        term = " ".join(chosen)
        common = chosen[0].lower() in lowercase or (
            count == 1 and _COMMON_NOUN.search(chosen[0]) is not None and _present(verb)
        )
        if article is None and not common and count == 1:
            return []  # "James was an open Roman Catholic ...": a person, not a kind of thing
        if article is None and common:
            term = term[0].lower() + term[1:]
        if count == 1 and term.lower() in _REFERRING_NOUNS:
            return []  # "A file is a series of declarations": which file, the text's own kind
        return _made(term, text[verb.end() :], _copula(verb))
    return []


# A judgement's head noun, or a phrase that grades: what the author thinks of the thing.
_EVALUATION = re.compile(
    r"(?:an?|the)\s+(?:[a-z-]+\s+){0,3}?(?:blunder|mistake|error|failure|success|triumph"
    r"|disaster|catastrophe|fiasco|masterpiece|achievement|landmark|milestone)s?\b"
    r"|[^.;:]*\bof\s+the\s+(?:first|highest|greatest)\s+(?:order|rank|magnitude)\b"
)
# A word the reading writes only at a sentence's start is a common noun where its ending makes
# one of a process, a method or a field ("Plasmolysis", "Fluoroscopy", "Buddhism") and the
# sentence says in the present tense what it is; a person is said to have been.
_COMMON_NOUN = re.compile(
    r"[a-z](?:osis|ysis|esis|asis|itis|scopy|graphy|logy|metry|nomy|tion|sion|ism|ness|ics)$"
)


def _present(verb: re.Match[str]) -> bool:
    return verb.group().split()[0] in ("is", "are")


def _the_noun(text: str) -> list[Definition]:
    """`The mantle is the thick layer of hot rock between ...`: a common noun defined in the
    present tense by a noun phrase a prepositional phrase or a relative clause pins down. "The
    region is ..." most often points back at a thing named before: a word that names no kind of
    thing (region, plan, result) is no term, nor is a predicate that ranks ("the driest part")."""
    match = _THE_NOUN.match(text) or _THE_NAMED_NOUN.match(text)
    if match is None or (
        match.re is _THE_NOUN and match.group("noun").rsplit(" ", 1)[-1] in _REFERRING_NOUNS
    ):
        return []
    if _RANKING.match("the " + match.group("noun")):
        return []  # "The first topic is ...": one of several the reading counts
    predicate = text[match.end() :]
    if _RANKING.match(predicate):
        return []
    definitions = _made(match.group("noun"), predicate)
    if not definitions or not any(
        w in _PREPOSITIONS or w in _RELATIVES for w in definitions[0].definition.split()[1:]
    ):
        return []
    return definitions


_THE_NOUN = re.compile(
    r"The (?P<noun>(?:[a-z][a-z-]{2,} )?[a-z][a-z-]{2,}) (?:is|are) (?=(?:an?|the) )"
)
# "The Coriolis effect is the apparent deflection of ...": a concept named for someone, whose
# name says which effect it is.
_THE_NAMED_NOUN = re.compile(
    r"The (?P<noun>[A-Z][a-z-]{2,} (?:effect|cycle|principle|law|paradox|equation|constant"
    r"|theorem|scale|process|reaction|syndrome|curve|ratio|index)) (?:is|are) (?=(?:an?|the) )"
)
_REFERRING_NOUNS = frozenset(
    """region area state country city town place year time day result problem idea plan
    project group government party company answer reason way point thing fact goal aim
    purpose effect cause outcome rest case end book chapter section text author work
    program file command option topic subject theme question issue""".split()
)
# "... is an early example of courtly love, an ideal in which a knight serves ...": the thing
# exemplified, glossed at the sentence's end by a kind a phrase or a clause pins down.
_EXEMPLIFIED = re.compile(
    r"\b(?:is|are|was|were)\s+(?:an?|one)\s+(?:[a-z-]+\s+){0,2}?(?:example|instance)s?\s+of\s+"
    r"(?P<term>[A-Za-z][a-z-]+(?:\s+[a-z][a-z-]+){0,2}),\s+"
    r"(?P<gloss>an?\s+[a-z][^,;:()]*?)[.!?]$"
)


def _exemplified(text: str) -> list[Definition]:
    """`... is an example of X, a ...` at the sentence's end: the gloss is X's, the one thing
    the sentence names after "of"; a list, a person or a work is no such gloss."""
    match = _EXEMPLIFIED.search(text)
    if match is None:
        return []
    term, gloss = match.group("term"), match.group("gloss")
    if any(w.lower() in _LOWER_STOP or w.lower() in _PREPOSITIONS for w in term.split()):
        return []
    if (
        not pins_down(gloss)
        or not says_what_it_is(gloss)
        or _PERSON.match(gloss)
        or _A_WORK.match(gloss)
        or _RELATION.match(gloss)
        or _POINTS_BACK.search(gloss)
        or list_of(gloss)
    ):
        return []
    return _made(term, gloss)
