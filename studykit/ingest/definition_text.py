"""A definition and its text: what the predicate says the term is (says_what_it_is,
pins_down), and where one too long or list-like for a card's back is cut (card_clause).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PREPOSITIONS = frozenset(
    "in on at by for from with after before during since until of to into under over "
    "between among through across against without within about like unlike despite including "
    "following beyond".split()
)
_RELATIVE = re.compile(r"\b(?:who|which|that)\b")
# Where a definition may end early: before a clause that adds to it. Not before "and", "or",
# "but", "if", "unless" or "when": what follows those may be half the definition or its
# condition ("X means A, or B"; "X is a Y, unless ..."), and the rest would say something false.
_CLAUSE_BREAK = re.compile(
    r";\s|,\s+(?=(?:which|who|whose|where|although|though|whereas|because|so\s+that)\b)"
    r"|,\s+(?=(?:using|making|giving|leading|allowing|causing|producing|releasing)\b)"
    r"|\s+(?=(?:because|although|whereas)\b)|\s+(?:—|–)\s+"
)
# ", and ..." may join a second clause to the definition, or the last item of a list.
_SECOND_CLAUSE = re.compile(r",\s+(?:and|but(?!\s+for\b)|yet|so|while)\s")
# A definition cut before its end must not end on a word that needs what follows.
# ", A, and B" closing a series of three or more: its "and" joins the last step, no clause.
_SERIES_END = re.compile(r",[^,;]+,\s+and\s[^,;]+$")
_DANGLING = frozenset(
    """a an the of to in on at by for from with that which who whose and or but either both
    neither nor between as than this these its their his her our your is are was were be""".split()
)
_FINAL_STOP = re.compile(r"[.!?]+[\"'”’)]*$")
_AWAITS_PAIR = re.compile(r"\b(?:either|both|neither|between)\b", re.IGNORECASE)

DEFINITION_WORDS = (2, 25)


@dataclass(frozen=True)
class Definition:
    """A term and what the sentence says it is."""

    term: str
    definition: str


# "the process by which ...", "a method in which ...": a kind, then a clause saying how it goes.
_BY_WHICH = re.compile(
    r"\s*(?:an?|the)\s+(?:[a-z-]+\s+){0,2}?[a-z-]+\s+(?:by|in|through)\s+which\s"
)
_COMPARED = re.compile(r"\b(?:more|less|better|worse|[a-z]+er)\b.*\bthan\b")
_RANKING = re.compile(
    r"(?:one of )?(?:an?|the) (?:\w+est|most|least|only|first|last|main|best|worst|same|other|next"
    r"|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
    r"|working|basic|key|chief|principal|central|leading|major|primary)\b"
)


def _copula(verb: re.Match[str]) -> bool:
    """`is/are/was/were a/the ...`, as against "means", "refers to", "is defined as"."""
    return verb.group().split()[0] in ("is", "are", "was", "were") and "defined" not in verb.group()


def says_what_it_is(definition: str) -> bool:
    """Whether `X is <definition>` says what X is rather than a role or a property it has.
    "The mantle is the thick layer of hot rock between ..." and "A register is a place where
    Vim stores text" do; "Memcheck is the default tool" and "Mozilla Foundation is the license
    steward" only say what part X plays. The head noun must be modified by more than a bare
    adjective: a prepositional phrase, a relative clause, or three content words or more."""
    from studykit.ingest.sentences import content_words, words

    # A comparison inside a relative clause or a phrase describes the thing ("a situation in
    # which one party knows more than the other", "a note sung at a slightly lower pitch than
    # the major scale would give"); before one, it ranks it against another.
    relative = _RELATIVE_WORD.search(definition) or _PREPOSITION_WORD.search(definition)
    head = definition[: relative.start()] if relative is not None else definition
    if _RANKING.match(definition) or _COMPARED.search(head):
        # "the shortest phase of mitosis", "the working principle of ...": a rank; "a more
        # skilled orator ... than his brother": a comparison
        return False
    return pins_down(definition) or len(content_words(words(definition))) >= 3


def pins_down(definition: str) -> bool:
    """Whether a gloss pins its head noun down by a prepositional phrase or a relative clause
    ("the organ of vision", "a screen that separates ..."), not by adjectives alone ("a free,
    LGPL mDNS/DNS-SD implementation")."""
    from studykit.ingest.sentences import words

    return any(w in _PREPOSITIONS or w in _RELATIVES for w in words(definition)[1:])


_RELATIVES = frozenset("that which who whom whose where whereby when".split())
# A phrase after the head noun: "a note sung or played at ...". Not "than", which compares.
_PREPOSITION_WORD = re.compile(
    r"(?<=\s)(?:in|on|at|by|for|from|with|of|to|into|under|over|between|among|through|across"
    r"|within|about)\b"
)
_RELATIVE_WORD = re.compile(r"\b(?:that|which|who|whom|whose|where|whereby|when)\b")
# "a Bildungsroman, a novel ...": a kind of one to three words, then a gloss of it.
_GLOSSED_KIND = re.compile(r"(?:an?|the)\s+(?P<kind>[\w-]+(?:\s+[\w-]+){0,2}),\s+(?=(?:an?|the)\s)")


def _without_aside(predicate: str, glossed: re.Match[str]) -> str | None:
    """The predicate without the phrase after "a Y, " where that phrase only renames Y or gives
    examples of it, so that the sentence still defines X: a comma closes it before the clause
    that says what Y does ("a substance, a salt or an oxide, that fixes a dye"), or it names
    two things or more ("a salt or an oxide that ..."), where a gloss of a kind names one broader
    kind and goes on, no comma between, to what it is ("a Bildungsroman, a novel that ...").
    None where it is no aside."""
    kind = predicate[: glossed.end()].rstrip().rstrip(",")
    appositive = predicate[glossed.end() :]
    closed = _CLOSED_APPOSITIVE.match(appositive)
    if closed is not None:
        return f"{kind} {appositive[closed.start('after') :]}"
    if _ALTERNATIVES.match(appositive) is not None:
        relative = _RELATIVE_WORD.search(appositive)
        return f"{kind} {appositive[relative.start() :]}" if relative is not None else kind
    return None


def lists_in_an_aside(definition: str) -> bool:
    """Whether a definition's only list names examples of its kind in an aside ("a substance,
    a salt or an oxide, that fixes a dye to a fibre"): the author's gloss, kept whole, not
    items to learn one by one."""
    glossed = _GLOSSED_KIND.match(definition)
    aside = _without_aside(definition, glossed) if glossed is not None else None
    return aside is not None and not list_of(aside)


# "a salt or an oxide, that ...", "a novel of growth, published in ...": a comma closes the
# appositive before any relative word of its own; what follows goes back to Y or to X.
_CLOSED_APPOSITIVE = re.compile(
    r"(?:(?!\b(?:that|which|who|whom|whose|where)\b)[^,;:])+,\s+(?P<after>\S)"
)
# "a salt or an oxide", "a weak acid and its salt": an article, a word or two, then another
# thing joined by "or" or "and".
_ALTERNATIVES = re.compile(
    r"(?:an?|the)\s+[\w-]+(?:\s+[\w-]+)?\s+(?:or|and)\s+(?:(?:an?|the|its|their)\s+)?[\w-]+"
)


def list_of(text: str) -> bool:
    from studykit.quality.shapes import list_items

    return list_items(text) is not None


def _made(term: str, predicate: str, copula: bool = False, lists: bool = False) -> list[Definition]:
    """A definition from what follows the defining verb, if a whole clause of it fits a card
    (`lists`: a list in it is the author's gloss, not items to learn one by one)."""
    term = " ".join(term.strip(" ,*").split())
    if _EXEMPLIFIES.match(predicate.strip()):
        return []  # "The poem is an early example of courtly love": what it shows, not is
    glossed = _GLOSSED_KIND.match(predicate.strip())
    aside = _without_aside(predicate.strip(), glossed) if glossed is not None else None
    if copula and glossed is not None and aside is None:
        # "Jane Eyre is a Bildungsroman, a novel that follows ...": the sentence defines the
        # kind it names, not the subject it files under that kind.
        kind = glossed.group("kind")
        rest = predicate.strip()[glossed.end() :]
        if _RELATIVE.search(kind) or list_of(rest):
            return []
        return _made(kind, rest)
    # "a substance, a salt or an oxide, that ...": examples of the kind are the gloss's own;
    # so are the steps of "the process by which a cell engulfs a particle, encloses it ...,
    # and digests it".
    steps = _BY_WHICH.match(predicate) is not None
    lists = lists or (aside is not None and not list_of(aside)) or steps
    definition = card_clause(predicate, lists, steps)
    if definition is not None and (second := _SECOND_PREDICATE.search(definition)):
        # "a pentamer of five antibody units and is the first class made ...": the subject's
        # second predicate. A second "is a/the ..." says what it is too and reads on without
        # its verb ("... units and the first class made ..."); any other ends the card's back.
        rest = definition[second.end() :]
        again = _COPULA_AGAIN.match(rest)
        if again is not None:
            definition = f"{second.group('first')} and {rest[again.end() :]}"
        else:
            definition = second.group("first").rstrip(" ,")
    if not term or definition is None:
        return []
    if copula and (not says_what_it_is(definition) or _OF_A_TIME_BEFORE.search(definition)):
        return []
    if _COUNTED_AHEAD.search(definition) or _SHARE_OF_WHAT.match(definition):
        # "a gland that ... serves two functions": which, the next sentences say; "the share
        # that is saved": of what, the sentence before says
        return []
    if term.lower() in definition.lower():
        return []  # circular: "X is the X of ..." teaches nothing
    if _OWNED_BEFORE.match(definition):
        return []  # "Visby, the island's main town": which island, a sentence before said
    compared = _COMPARED_HEAD.match(definition)
    if compared is not None and " than " not in f" {definition} " and not compared.group("of"):
        # "the hulk, a larger ship that could carry twice as much cargo": larger than what,
        # a sentence before said. "a hotter and weaker region of the upper mantle" says what
        # it is, the comparison aside.
        return []
    if definition.split()[-1].lower() == term.split()[-1].lower() and not pins_down(definition):
        return []  # "English auction: an open ascending auction": the kind again, relabelled
    return [Definition(term, definition)]


# "... and is the first class made", with no relative word before it whose clause it could
# go on ("proteins that circulate ... and are activated ..." is kept whole).
_SECOND_PREDICATE = re.compile(
    r"^(?P<first>(?:(?!\b(?:that|which|who|whose|whom|where|when)\b)[^;])*?)\s+and\s+(?=(?:is|are|was|were"
    r"|has|have|had)\s)"
)
_COPULA_AGAIN = re.compile(r"(?:is|are|was|were)\s+(?=(?:an?|the)\s)")
# A gloss owned by a thing named before: "the island's main town", "its capital".
_OWNED_BEFORE = re.compile(r"(?:(?:the|this|that)\s+[a-z][\w-]*['’]s?|its|their|his|her)\s")
_COMPARATIVES = (
    "larger|smaller|bigger|greater|faster|slower|newer|older|longer|shorter|wider|narrower"
    "|deeper|shallower|hotter|colder|warmer|cooler|heavier|lighter|stronger|weaker|cheaper"
    "|richer|poorer|thicker|thinner|denser|softer|harder|easier|simpler|later|earlier|better"
    "|worse|brighter|darker|higher|taller|safer|smoother|rougher|louder|quieter"
)
# A gloss whose head noun a comparison describes: "a larger ship", "a more efficient engine",
# "a hotter and weaker region of ..." (group `of`: a phrase that pins the noun down).
_COMPARED_HEAD = re.compile(
    rf"(?:an?|the)\s+(?:(?:{_COMPARATIVES})|(?:more|less)\s+[a-z]+)"
    rf"(?:\s+and\s+(?:{_COMPARATIVES}|(?:more|less)\s+[a-z]+))?\s+[a-z][\w-]*(?P<of>\s+of\s)?"
)
# "an early example of ...", "a famous instance of ...": what the subject exemplifies.
_EXEMPLIFIES = re.compile(
    r"(?:an?|one|the)\s+(?:[a-z-]+\s+){0,2}?(?:example|instance|illustration)s?\s+of\s"
)


# "Jazz was the sound of the era": of an era, a place or a work named before; what the thing
# was then, not what it is.
_OF_A_TIME_BEFORE = re.compile(
    r"^(?:\S+\s+){1,3}of\s+the\s+(?:era|period|time|times|day|age|decade|century|movement"
    r"|war|revolution|reign|region|country|city|island|town|book|novel|story)$"
)


_SHARE_OF_WHAT = re.compile(
    r"(?:an?|the)\s+(?:share|proportion|fraction|part|amount|number|rate|ratio|percentage"
    r"|portion)\b(?!\s+of\b)"
)
_COUNTED_AHEAD = re.compile(
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|several)\s+(?:[a-z]+\s+)?[a-z]+s$"
)


def card_clause(predicate: str, lists: bool = False, steps: bool = False) -> str | None:
    """The predicate as a card's back: whole where it fits, else cut before the first clause
    boundary; never a fragment. `steps`: a list's last ", and ..." is its last step ("the
    process by which a cell engulfs ..., encloses ..., and digests it"), kept whole."""
    text = _FINAL_STOP.sub("", predicate.strip()).strip()
    whole = _fits(text, whole=True, lists=lists, steps=steps)
    if whole is not None:
        return whole
    low = DEFINITION_WORDS[0]
    for match in _CLAUSE_BREAK.finditer(text):
        head = text[: match.start()].strip().rstrip(",")
        if len(head.split()) >= low:
            return _fits(head, whole=False, lists=lists)  # the first clause, or nothing
    return None


def _fits(head: str, whole: bool, lists: bool = False, steps: bool = False) -> str | None:
    """`head` if it makes a card's back: short, no list, no bracket left open, no dangling
    word, and (cut short) no "either" waiting for its "or"."""
    from studykit.quality.shapes import list_items

    low, high = DEFINITION_WORDS
    if not low <= len(head.split()) <= high or not _balanced(head) or head.endswith(":"):
        return None
    if head.rsplit(" ", 1)[-1].lower() in _DANGLING:
        return None
    items = None if lists else list_items(head)
    if items is not None and not (whole and (of_several(head, items) or ordinals(items))):
        return None
    if _SECOND_CLAUSE.search(head) and not (steps and whole and _SERIES_END.search(head)):
        return None  # "a fast electron ..., and a few millimetres of aluminium stop it"
    if not whole and _AWAITS_PAIR.search(head):
        return None  # "either A" without its "or B"
    return head


def ordinals(items: list[str]) -> bool:
    """Whether a list is ordinals of one noun ("the first, fourth and fifth chords of a key"):
    one thing the gloss names, not items to recall one by one."""
    return all(item.split()[0].lower() in _ORDINAL_WORDS for item in items) and all(
        len(item.split()) == 1 for item in items[:-1]
    )


_ORDINAL_WORDS = frozenset(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split()
)


def of_several(definition: str, items: list[str]) -> bool:
    """Whether a definition's list is what its head noun is "of", the gloss's own words kept
    whole ("a holy image of Christ, the Virgin Mary or a saint, used in prayer"): not items to
    recall one by one, as "the causes were A, B and C" would be."""
    head = _HEAD_OF.match(definition)
    return (
        head is not None
        and " of " in f" {items[0]} "
        and items[0].endswith(definition[head.end() :].split(",", 1)[0].strip())
    )


# An article, up to three words and "of": the head noun whose complement the list is.
_HEAD_OF = re.compile(r"(?:an?|the)\s+(?:[\w'’-]+\s+){1,3}?of\s+")


def _balanced(text: str) -> bool:
    pairs = (("(", ")"), ("[", "]"), ("“", "”"), ("`", "`"), ("**", "**"))
    if any(text.count(a) != text.count(b) for a, b in pairs if a != b):
        return False
    return text.count("`") % 2 == 0 and text.count("**") % 2 == 0 and text.count('"') % 2 == 0
