"""Terms a reading defines, each with what the reading says it is: only from defining sentences.

A term is drafted from a sentence whose shape defines it, never from one where a name merely
occurs:

- `X is/was/are/were a/an/the/one of ...` with X the sentence's subject: a name ("The Soil
  Conservation Service was an agency of ..."), a quoted term ("“The Program” refers to ..."), a
  bold one (`**Sod** is the top layer of soil`), or a common noun that opens the sentence ("A
  shelterbelt is a row of trees ...", "Erosion is the wearing away of ..."), or "The X is ..."
  when the predicate pins X down by a prepositional phrase or a relative clause ("The mantle
  is the thick layer of hot rock between the crust and the core"). "X means/refers to/is
  defined as ..." too. "Texas was held in place by ..." is not a definition: what follows the
  verb must name what X is; nor is "Memcheck is the default tool", which names the part X plays
  (says_what_it_is).
- An appositive set off by two commas: "The Shelterbelt Project, a plan to plant trees across
  the plains, began ...", "... met at Lushan, a mountain resort in Jiangxi, to review ...". Not
  one that ends the sentence, which may sum up the clause rather than the name before it ("...
  poured lake water into the Atlantic, a ceremony called the Wedding of the Waters."). After
  "X of Y" it may gloss X or Y ("The stem of the Y, the constant region, ..."): none is drafted,
  unless X is a plural common word such as "Fossils" ("Fossils of Mesosaurus, a small
  freshwater reptile," -> Mesosaurus).
- An acronym beside its expansion, whose initials it spells: "Soil Conservation Service (SCS)".
- A bold term followed by its gloss: `**Okie**: a migrant from Oklahoma` (a noun phrase, not a
  feature list's "**Short**: Minimize code duplication" or a "**Note**: ...").

The definition is the predicate or the appositive, cut at a clause boundary (never inside a
clause) when the whole is too long or list-like for a card's back; none is drafted when no cut
fits. Pronouns and words that stand for something said before ("It", "This", "There", "The
region") are no terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NOT_SUBJECTS = frozenset(
    """it this that these those there here he she they we you i what which who whom whose one
    each all some many most much such another both either neither none no its their his her our
    my your every any few several other others something someone everything everyone nothing
    anything if when while although because since as so but and or yet however thus therefore
    then also today now later first second finally last next yesterday tomorrow please see
    note refer""".split()
)
_PREPOSITIONS = frozenset(
    "in on at by for from with after before during since until of to into under over "
    "between among through across against without within about like unlike despite including "
    "following beyond".split()
)
_UPPER = "A-ZÀ-ÖØ-ÞΑ-ΩА-Я"
_CAPITAL = rf"[{_UPPER}][\w'’.-]*"
# A name: capitalised words, joined across small words ("Department of Agriculture").
_NAME = rf"{_CAPITAL}(?:\s+(?:(?:of|the|and|for|de|van|von|du|la|le)\s+)?{_CAPITAL})*"
_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Za-z0-9&]{1,7}s?)\)")
# "organelles descended from ...", "large complexes in which ...": a plural noun, up to two
# words before it, pinned down by a phrase or a clause after it: what a marked term is, without
# an article.
_PLURAL_GLOSS = (
    r"(?=(?:[a-z][a-z-]*\s+){0,2}[a-z][a-z-]+s\s+(?:that|which|who|in\s+which|of|from|with"
    r"|descended|made|formed|used|built|composed|consisting|containing|found)\b)"
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
_BOLD = re.compile(r"\*\*(?P<term>[^*]{1,60}?)\*\*")
_ARTICLE_BEFORE_BOLD = re.compile(r"(?:The|An?)\s+(?=\*\*)")
_BOLD_GLOSS = re.compile(r"\s*(?::|—|–|\s-)\s+(?=\S)")
_APPOSITIVE = re.compile(r",\s+(?P<gloss>(?:an?|the)\s+[a-z][^,;:()]*?)(?P<end>,\s+[a-z]|[.!?]$)")
_LOWER_TERM_BEFORE = re.compile(
    r"(?:^|\s)(?:from|by|with|called|named|as)\s+(?P<term>[a-z][a-z-]+(?:\s+[a-z][a-z-]+){0,2})$"
)
_FINITE = re.compile(r"\b(?:is|are|was|were|had|has|have|did|does|do|will|would)\b")
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
_ORDINALS = frozenset("first second third last next".split())
_LOWER_STOP = frozenset("the a an this that these those its their his her our".split())

_ARTICLE = re.compile(r"(An?)\s+")
_INDEFINITE = re.compile(r"an?\s")
_INDEFINITE_OR_THE = re.compile(r"(?:an?|the)\s+[a-z]")
_ARTICLE_CAPITAL = re.compile(r"(?:An?|The)\s+[a-z]")
_LABELS = frozenset("note warning tip hint important caution example see also todo".split())
_FINAL_STOP = re.compile(r"[.!?]+[\"'”’)]*$")
_AWAITS_PAIR = re.compile(r"\b(?:either|both|neither|between)\b", re.IGNORECASE)
# Every definition's sentence has one of these; most sentences have none, and are passed by.
_MAY_DEFINE = re.compile(
    r"\b(?:is|are|was|were|means?|refers?|called|known|termed|named)\b"
    r"|,\s+(?:an?|the)\s|\([A-Z]|\*\*",
    re.IGNORECASE,
)

DEFINITION_WORDS = (2, 25)
MAX_DEFINING_CHARS = 600
"""A longer sentence defines nothing a card can hold; the patterns stay cheap on it too."""
_LOOK_BACK = 120  # characters before a gloss or an acronym where its name may stand


@dataclass(frozen=True)
class Definition:
    """A term and what the sentence says it is."""

    term: str
    definition: str


def defined_in(sentence: str, lowercase: set[str], glossary: bool = False) -> list[Definition]:
    """The terms `sentence` defines (usually none, at most a few), in the order they stand.

    `lowercase` holds the words the reading writes in lower case: a common noun that opens a
    sentence ("Erosion is ...") is written as the reading writes it elsewhere. `glossary`: the
    sentence is an entry of a glossary list, whose gloss may open with a capital ("**Apse**: A
    semicircular recess ...").
    """
    found: list[Definition] = []
    text = sentence.strip()
    if len(text) > MAX_DEFINING_CHARS or _MAY_DEFINE.search(text) is None:
        return found
    for definition in [
        *_bold(text, glossary),
        *_bold_glossed(text),
        *_bold_inside(text),
        *_called(text, lowercase),
        *_quoted(text),
        *_subject(text, lowercase),
        *_subject_past_an_aside(text, lowercase),
        *_subject_or_other(text, lowercase),
        *_appositives(text, lowercase),
        *_exemplified(text),
        *_acronyms(text),
    ]:
        if all(d.term.lower() != definition.term.lower() for d in found):
            found.append(definition)
    return found


def _subject_past_an_aside(text: str, lowercase: set[str]) -> list[Definition]:
    """`X (<aside>) is a ...`: "Plate tectonics (from the Late Latin tectonicus, ...) is the
    scientific theory that ...". The bracket after the subject is its etymology, its dates or
    its other name, and X is read as if it were not there; the definition is the text's own."""
    match = _SUBJECT_THEN_BRACKET.match(text)
    if match is None:
        return []
    return _subject(match.group("subject") + " " + text[match.end() :], lowercase)


# "the process by which ...", "a method in which ...": a kind, then a clause saying how it goes.
_BY_WHICH = re.compile(
    r"\s*(?:an?|the)\s+(?:[a-z-]+\s+){0,2}?[a-z-]+\s+(?:by|in|through)\s+which\s"
)
# "An antibody, or immunoglobulin, is a ...": the subject's other name between commas.
_SUBJECT_OR_OTHER = re.compile(
    r"(?P<subject>(?:An?\s+|The\s+)?[A-Za-z][\w'’-]*(?:\s+[a-z][\w'’-]*){0,2}),\s+or\s+"
    r"[a-z][\w'’-]*(?:\s+[a-z][\w'’-]*){0,2},\s+(?=(?:is|are)\s+(?:an?|the)\s)"
)


def _subject_or_other(text: str, lowercase: set[str]) -> list[Definition]:
    """`X, or Y, is a ...`: the other name is read past, as a bracket after X is."""
    match = _SUBJECT_OR_OTHER.match(text)
    if match is None:
        return []
    return _subject(match.group("subject") + " " + text[match.end() :], lowercase)


# A subject of up to three words, then a bracket, then the defining verb.
_SUBJECT_THEN_BRACKET = re.compile(
    r"(?P<subject>(?:An?\s+|The\s+)?[A-Za-z][\w'’-]*(?:\s+[a-z][\w'’-]*){0,2})\s+"
    r"\([^()]{1,200}\)\s+(?=(?:is|are)\s+(?:an?|the)\s)"
)


def _bold(text: str, glossary: bool = False) -> list[Definition]:
    """`**Term**: what it is`, `**Term** is a ...` at the start of the sentence, after an
    article at most ("The **lens** is a flexible, transparent body ...")."""
    article = _ARTICLE_BEFORE_BOLD.match(text)
    match = _BOLD.match(text, article.end() if article else 0)
    if match is None:
        return []
    term = match.group("term").strip()
    rest = text[match.end() :]
    gloss = _BOLD_GLOSS.match(rest)
    if gloss is not None:
        # A gloss names a thing ("a migrant from Oklahoma"); a feature list's "**Short**:
        # Minimize code duplication" or a "**Note**: ..." says something else.
        glossed = rest[gloss.end() :]
        finite = _FINITE.search(glossed)
        if (
            term.lower() in _LABELS
            or not (
                _INDEFINITE_OR_THE.match(glossed) or (glossary and _ARTICLE_CAPITAL.match(glossed))
            )
            or (finite is not None and not _RELATIVE_WORD.search(glossed, 0, finite.start()))
        ):
            return []
        if glossed[0].isupper():
            # A glossary's "A semicircular recess ..." (as a page's <dd> writes it) reads on
            # from its term as "a semicircular recess ...". Outside a glossary, "**Start
            # simple**: The simplest example adds ..." is a feature list's clause.
            glossed = glossed[0].lower() + glossed[1:]
        # The author's own gloss: a list in it is part of what the term is ("a public
        # institution that manages a country's currency, money supply and interest rates").
        return _made(term, glossed, lists=True)
    # "The **Calvin cycle**, also called the Calvin–Benson–Bassham cycle or ..., is ...": the
    # term's other names, read past.
    alias = _ALIAS_ASIDE.match(rest)
    if alias is not None:
        rest = " " + rest[alias.end() :]
    verb = _DEFINING_VERB.match(rest)
    # Marked by its author, the term's definition is the author's: a list in it is part of
    # what it is ("the process by which plants, algae and cyanobacteria convert ...").
    return _made(term, rest[verb.end() :], _copula(verb), lists=True) if verb is not None else []


# ", also called X or Y,", ", or “hired foreigners”,", ", known as X,": other names of a term.
_ALIAS_ASIDE = re.compile(
    r",\s+(?:(?:also\s+)?(?:called|known\s+as|termed|named)|or)\s+[^,;:()*]{1,120},(?=\s)"
)


def _bold_inside(text: str) -> list[Definition]:
    """`In American slang a **lemon** is a used car with hidden defects`: a marked term that a
    clause inside the sentence defines with "is a/the"; `... the **Meiji Restoration**: the
    overthrow of ...`: one a colon glosses to the sentence's end."""
    if text.startswith(("**", "The **", "A **", "An **")):
        return []  # `_bold`'s
    colon = _BOLD_COLON.search(text)
    if colon is not None:
        return _made(colon.group("term"), colon.group("gloss"), lists=True)
    match = _BOLD_IS.search(text)
    if match is None:
        return []
    return _made(match.group("term"), text[match.end() :], copula=True)


_BOLD_COLON = re.compile(
    r"\s\*\*(?P<term>[^*]{1,60}?)\*\*:\s+(?P<gloss>(?:an?|the)\s+[a-z][^;:*]*?)[.!?]$"
)


_BOLD_IS = re.compile(
    r"(?:^|\s)(?:an?|the)\s+\*\*(?P<term>[^*]{1,60}?)\*\*\s+(?:is|are)\s+(?=(?:an?|the)\s)"
)


def _bold_glossed(text: str) -> list[Definition]:
    """`**X**, the/a <gloss>` anywhere in the sentence: a term the author marked (bold, or a web
    page's <dfn>) and glossed ("It conducts **monetary policy**, the management of interest
    rates ..."). Marked, it is the gloss's subject even where the gloss ends the sentence."""
    found: list[Definition] = []
    for match in _BOLD_APPOSITIVE.finditer(text):
        gloss = match.group("gloss")
        if not _GLOSS_CLOSED.match(text, match.end()) and _LIST_AFTER.match(text, match.end()):
            # The comma is one of a list inside the gloss ("paying for the American food,
            # fuel and machinery they needed"): the gloss is the sentence's end, or nothing.
            rest = _FINAL_STOP.sub("", text[match.start("gloss") :]).strip()
            if _FINITE.search(rest) is None:
                found.extend(_made(match.group("term"), rest, lists=True))
            continue
        if not _GLOSS_CLOSED.match(text, match.end()) and runs_on(
            text, match.end(), subject=text[: match.start()].strip() in ("", "The", "A", "An")
        ):
            # "**slab pull**, the pull exerted on a plate by the cold, dense edge of ...": the
            # comma stands between two adjectives, and the gloss would end inside its phrase.
            continue
        finite = _FINITE.search(gloss)
        if finite is not None and not _RELATIVE_WORD.search(gloss, 0, finite.start()):
            continue  # a clause, not a noun phrase
        # Marked by its author, "a pocket on the surface of the enzyme" names the enzyme the
        # reading is about: no "of the ..." is taken for a thing named before.
        if _RELATION.match(gloss) or _RANKING.match(gloss):
            continue
        if says_what_it_is(gloss):
            found.extend(_made(match.group("term"), gloss))
    return found


# After a gloss's comma, the rest of a list: items up to an "and" or "or" ("banking, trading,
# mining and manufacturing").
_LIST_AFTER = re.compile(r",\s+(?:[^,;:.!?]*,\s+){0,8}[^,;:.!?]*?\b(?:and|or)\s")


# Where a gloss in mid-sentence closes: the sentence's verb or a phrase follows its comma.
_GLOSS_CLOSED = re.compile(
    r"[.!?]|,\s+(?:(?:is|are|was|were|has|had|began|became|remained|[a-z]+ed)\b"
    r"|(?:in|on|at|from|to|for|with|by|during|after|before|until|since|under|near)\s)"
)
_BOLD_APPOSITIVE = re.compile(
    r"\*\*(?P<term>[^*]{1,60}?)\*\*,\s+"
    r"(?P<gloss>(?:(?:an?|the)\s+[a-z]|" + _PLURAL_GLOSS + r")"
    r"(?:[^,;:()*]|(?<=\d),(?=\d))*?)(?=,\s|[.!?]$)"
)


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
_COMPARED = re.compile(r"\b(?:more|less|better|worse|[a-z]+er)\b.*\bthan\b")
_RANKING = re.compile(
    r"(?:one of )?(?:an?|the) (?:\w+est|most|least|only|first|last|main|best|worst|same|other|next"
    r"|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
    r"|working|basic|key|chief|principal|central|leading|major|primary)\b"
)
_REFERRING_NOUNS = frozenset(
    """region area state country city town place year time day result problem idea plan
    project group government party company answer reason way point thing fact goal aim
    purpose effect cause outcome rest case end book chapter section text author work
    program file command option topic subject theme question issue""".split()
)


def _proper(term: str) -> bool:
    """A name rather than a sentence's first word: two or more words, or an acronym."""
    words = term.split()
    if len(words) > 1 and words[0].lower() in _ORDINALS:
        return True  # "First World War", "Second Continental Congress"
    if words[0].lower() in NOT_SUBJECTS:
        return False
    if len(words) > 1:
        return True
    # "SCS", "Node.js", "JavaScript": capitals, dots or digits inside show a name.
    return len(term) > 1 and (
        term.isupper() or any(c.isupper() or c in ".0123456789" for c in term[1:])
    )


def _appositives(text: str, lowercase: set[str]) -> list[Definition]:
    """`X, a/an/the ...,` right after a name (or a noun after "of", for an indefinite gloss)."""
    found: list[Definition] = []
    for match in _APPOSITIVE.finditer(text):
        gloss = match.group("gloss")
        before = text[max(0, match.start() - _LOOK_BACK) : match.start()]
        subject = match.start() <= _LOOK_BACK
        term = _name_before(before, subject)
        if term is not None and _OF_BEFORE.search(before, 0, len(before) - len(term)):
            # "The stem of the Y, the constant region, ...": the gloss may describe the stem
            # or the Y; read two ways, it defines nothing.
            continue
        named = term  # the whole name before the comma: is it the sentence's subject?
        if term is not None:
            term = _described(term, lowercase)
            if term is None:
                continue
        opening = _OPENING_PHRASE.fullmatch(before) if subject and term is None else None
        if opening is not None and _common_phrase(opening.group("term")) and pins_down(gloss):
            # "Orographic lift, the forced ascent of air over mountains, explains ...": the
            # sentence's subject, a common noun phrase, glossed before its verb
            term = opening.group("term")
        if term is None:
            lower = _LOWER_TERM_BEFORE.search(before)
            if lower is None or not _INDEFINITE.match(gloss):
                continue
            term = lower.group("term")
            if any(w in _LOWER_STOP or w in _PREPOSITIONS for w in term.split()):
                continue
        if not match.group("end").startswith(","):
            # At the sentence's end a gloss may sum up the whole clause, not the name before
            # it: "... poured a keg of lake water into the Atlantic, a ceremony called ...".
            continue
        if runs_on(text, match.end("gloss"), subject=_opens(text, match.start(), named or term)):
            # "..., the cold, dense edge of ...": a comma between two adjectives, not the
            # gloss's end.
            continue
        if _CLAUSE_GOES_ON.match(text, match.end("end") - 1):
            # "X, the ... files, but this was ...": the commas close a clause, not a gloss.
            continue
        if _ANOTHER_PHRASE.match(text, match.end("end") - 1):
            continue  # "the scheme that joined the bank, the company and the royal debt": a list
        if _LIST_RUNS_ON.match(text, match.end("end") - 1):
            # "a lung complication marked by chest pain, fever and low oxygen, is ...": the
            # gloss's comma was a list's, and the gloss would be cut inside it
            continue
        if _LIST_GOES_ON.match(text, match.end("end") - 1) or _POINTED.search(before):
            # "this License, the copyright notices, and the license notice": a list's items;
            # "this License, ...": the document's own word, not a name to define.
            continue
        finite = _FINITE.search(gloss)
        if finite is not None and not _RELATIVE.search(gloss, 0, finite.start()):
            continue  # a clause ("In Kansas, the drought was ..."), not a noun phrase
        if not _opens(text, match.start(), named or term) and not _GOES_ON_WITH_A_PHRASE.match(
            text, match.end("end") - 1
        ):
            # After the sentence's opening name, the comma that closes a gloss comes before
            # the verb. Elsewhere a comma may stand inside the gloss ("The Tenant of Wildfell
            # Hall, a novel about a woman who leaves her violent, drunken husband"): only a
            # phrase that plainly goes on with the sentence ("..., in the twelfth century")
            # shows where it closed.
            continue
        if _POINTS_BACK.search(gloss) or _RELATION.match(gloss) or _RANKING.match(gloss):
            continue  # "the chief town of the island" (which?); "a friend of Charlotte"
        if _A_WORK.match(gloss) and not _opens(text, match.start(), named or term):
            # "Jane Austen wrote Lady Susan, a short novel in letters, ...": a title whose
            # card would leave out who wrote it, what the sentence is about.
            continue
        if not says_what_it_is(gloss) or _PERSON.match(gloss):
            # "Canvass White, a young assistant, ...": a role, not what a thing is; and a
            # person's gloss ("a professor of mathematics at Padua", "a musician from Hanover")
            # is a post or a origin, not what the student learns the person for.
            continue
        found.extend(_made(term, gloss))
    return found


# A sentence that opens with a common noun phrase of two or three words, "The" at most before.
_OPENING_PHRASE = re.compile(r"(?:The\s+)?(?P<term>[A-Z][a-z-]+(?:\s+[a-z][a-z-]+){1,2})")
_TIME_NOUNS = frozenset(
    "year years week month day night time century decade season summer winter spring".split()
)


def _common_phrase(term: str) -> bool:
    """Whether an opening phrase names one thing: no opener ("Last year", "Soon afterwards",
    "In turn"), no adverb ("Historically speaking"), no two things joined."""
    first, *rest = term.lower().split()
    return (
        first not in NOT_SUBJECTS
        and first not in _PREPOSITIONS
        and first not in _LOWER_STOP
        and not first.endswith("ly")
        and not any(w in _PREPOSITIONS or w in _LOWER_STOP or w in _TIME_NOUNS for w in rest)
        # "Wheat and barley, the staple crops of Egypt, ...": two things, no term
        and "and" not in rest
        and "or" not in rest
    )


def _opens(text: str, at: int, term: str) -> bool:
    """Whether `term`, ending at `at`, opens the sentence or a clause (after "The" at most)."""
    lead = text[:at]
    if not lead.endswith(term):
        return False
    opening = lead[: len(lead) - len(term)].strip()
    # A clause opens after a semicolon or a colon as a sentence does.
    return opening in ("", "The", "A", "An") or opening.endswith((";", ":"))


# A gloss's closing comma, then a phrase the sentence goes on with: a preposition's phrase.
# Not a relative clause: "Tit for Tat, a strategy submitted by ..., which cooperates on the
# first move ..." goes on describing the name, and the gloss before it misses what it is.
_GOES_ON_WITH_A_PHRASE = re.compile(
    r"\s*(?:in|on|at|from|to|for|with|by|during|after|before|until|since|under|near)\s"
)
_A_WORK = re.compile(
    r"(?:an?|the)\s+(?:[\w-]+\s+){0,3}?(?:novel|novella|poem|play|book|story|essay|film|opera"
    r"|painting|symphony|song|album|treatise|pamphlet|memoir|sonnet|epic|comedy|tragedy)s?\b"
)
# A gloss whose head noun names a person: "a professor of ...", "a British geologist", "the
# correspondent of The Times", a trade's compound ("a glassblower", "a shipwright"); or any head
# that "who" goes on with ("a glassblower who worked for Edison"), but a people's or a group's
# ("a people who live ...", "a group of experts who ...").
_PERSON = re.compile(
    r"(?:an?|the)\s+(?:[\w-]+\s+){0,3}?(?:[a-z]+(?:ist|ian|man|woman|smith|maker|blower|wright"
    r"|monger|grapher)|correspondent|reporter|professor|colonel|general|king|queen"
    r"|emperor|empress|prince|princess|duke|count|lord|lady|priest|monk|nun|bishop|pope|poet"
    r"|painter|writer|novelist|author|scientist|engineer|officer|soldier|merchant|banker|lawyer"
    r"|judge|teacher|student|scholar|philosopher|composer|explorer|inventor|architect|doctor"
    r"|surgeon|nurse|minister|senator|diplomat|clergyman|man|woman|boy|girl|child|widow"
    r"|printer|farmer|weaver|carpenter|tailor|mason|potter|baker|sailor|trader|peasant"
    r"|preacher|friar|reformer|leader|ruler|activist|critic|patron|follower|disciple"
    r"|missionary|editor|publisher|playwright|singer|actor|actress|dancer|banker|statesman"
    r"|eunuch|courtier|admiral|servant|slave|official|clerk|envoy|ambassador)"
    r"\b(?!\s+(?:and|or)\b)"
    r"|(?:an?|the)\s+(?:(?!of\s)[\w-]+\s+){0,3}?(?!(?:people|peoples|group|groups|tribe|family"
    r"|families|dynasty|sect|order|community|nation|team|crew|band|company|class|generation)\s)"
    r"[a-z][\w-]*\s+whom?\b"
)
# "the chief town of the island": which island was named before.
_POINTS_BACK = re.compile(r"\bof\s+the\s+[a-z]+$")
# A role towards a person is no definition of a thing: "a friend of Charlotte".
_RELATION = re.compile(
    r"(?:an?|the|his|her|their)\s+(?:\w+\s+)?(?:friend|son|daughter|wife|husband|brother|sister"
    r"|father|mother|cousin|uncle|aunt|nephew|niece|grandson|granddaughter|colleague|student"
    r"|pupil|teacher|mentor|rival|ally|partner|widow|widower|successor|predecessor|contemporary"
    r"|neighbou?r|patron|servant|companion|secretary|assistant|biographer|director|chairman"
    r"|chair|chairwoman|chairperson|spokesman|spokeswoman|commander|minister|mayor|editor"
    r"|president|member|head|governor|founder|treasurer|officer|employee|partner|heir|heiress)s?"
    r"\s+(?:of|to)\s"
)


_OF_BEFORE = re.compile(r"\b[Oo]f\s+(?:(?:[Tt]he|[Aa]n?)\s+)?$")
_NAME_AT_END = re.compile(rf"(?:^|(?<=\s))(?P<term>{_NAME})$")
_LIST_GOES_ON = re.compile(r"(?:and|or|etc)\b")
_LIST_RUNS_ON = re.compile(r"[^,;:()]*\b(?:and|or)\s[^,;:()]*,")
_ANOTHER_PHRASE = re.compile(r"(?:an?|the|its|their|his|her)\s+[^,;:]*\b(?:and|or)\b")
_CLAUSE_GOES_ON = re.compile(r"(?:but|so|yet|for|nor|then|while|whereas|although|though)\b")
_POINTED = re.compile(rf"\b(?:this|that|these|those|such|our|your|its|their)\s+{_NAME}$")


def runs_on(text: str, comma: int, subject: bool) -> bool:
    """Whether the word after the comma at `comma` may go on with the phrase before it ("the
    cold, dense edge"), so that a gloss ending at that comma could end inside its noun phrase.
    A clause or a phrase opening there closes the gloss; after the sentence's subject (`subject`)
    so does a verb. Unsure is "runs on": a definition cut short would teach a falsehood."""
    match = _WORD_AFTER_COMMA.match(text, comma)
    if match is None:
        return False  # the sentence's end, a name, a number, a bracket: no adjective of a phrase
    word = match.group(1)
    if word in _PREPOSITIONS or word in _OPENS_A_CLAUSE or word in _FINITE_WORDS:
        return False
    # After the subject, "Sod, the matted layer of roots, holds ...": the sentence's verb.
    return not (subject and (word.endswith(("s", "ed")) or word in _IRREGULAR_PAST))


_WORD_AFTER_COMMA = re.compile(r",\s+([a-z][\w'’-]*)")
_OPENS_A_CLAUSE = frozenset(
    "which who whose whom where when while whereas but though although because since so as "
    "and or nor yet then not now later once if unless until like each both either neither "
    "usually often always sometimes also".split()
)
_FINITE_WORDS = frozenset(
    "is are was were has have had did does do will would can could may might must shall "
    "should remains remained became becomes began begins".split()
)
_IRREGULAR_PAST = frozenset(
    "began became grew made took gave came went ran led held kept left found brought built "
    "sent set spread rose fell won lost stood meant paid sold told wrote drew drove fought "
    "broke bore put got saw knew thought taught caught bought sought struck met".split()
)


def _name_before(before: str, subject: bool) -> str | None:
    """The name that ends `before`, unless it opens the sentence after a preposition."""
    match = _NAME_AT_END.search(before)
    if match is None:
        return None
    term = match.group("term")
    if term.startswith("The "):
        term = term[4:]
    head = before[: match.start()].split()
    if not head and not subject:
        return term if _proper(term) else None
    if not head:
        # One word before a comma at the sentence's start is as often an adverb or an opener
        # ("Historically, the sys user ...", "Today, ..."): a noun phrase only if a name.
        return term if _proper(term) else None
    if subject and head[-1].lower() in _PREPOSITIONS and len(head) == 1:
        return None  # "In Kansas, the drought ...": a setting, not an appositive
    if head[-1] in ("and", "or", "&") or head[-1].endswith(","):
        return None  # a list's item: "Chicago, New York, the ..."
    return term


def _described(term: str, lowercase: set[str]) -> str | None:
    """The name an appositive after `term` describes. After "X of Y" with X a common word, the
    nearest name: "Fossils of Mesosaurus, a small freshwater reptile," describes Mesosaurus.
    Where X is singular ("Department of Agriculture, an agency ...") it may describe either,
    and none is drafted; where the reading writes X capitalised only, "X of Y" is one name."""
    head, of, tail = term.rpartition(" of ")
    if not of:
        return term
    first = head.split()[0]
    if first.lower() not in lowercase and first.lower() not in _PLURAL_HEADS:
        return term  # "Bank of England": a name of its own
    last, tail = head.split()[-1].lower(), tail.removeprefix("the ")
    plural = last.endswith("s") and not last.endswith("ss")
    return tail if plural and (_proper(tail) or _known_single(tail)) else None


_PLURAL_HEADS = frozenset("fossils remains bones works followers members".split())


def _known_single(term: str) -> bool:
    return len(term) > 2 and term.lower() not in NOT_SUBJECTS


def _acronyms(text: str) -> list[Definition]:
    """`Soil Conservation Service (SCS)` -> SCS: Soil Conservation Service (initials must match)."""
    found: list[Definition] = []
    for match in _ACRONYM_AFTER.finditer(text):
        acronym = match.group(1)
        before = text[max(0, match.start() - _LOOK_BACK) : match.start()]
        name = _NAME_AT_END.search(before)
        expansion = _expansion(name.group("term"), acronym) if name is not None else None
        if expansion is None:
            expansion = _spelled_in_words(before, acronym)
        if expansion is None:
            continue
        head = _HEAD_AFTER.match(text, match.end())
        opens = text[: match.start()].strip().removesuffix(expansion).strip() in ("", "The")
        if head is not None and opens:
            # "Natural killer (NK) cells are lymphocytes ...": the words the acronym spells
            # name a kind of the noun after the bracket, and the sentence says what that kind
            # is: "NK cells", never "NK: Natural killer". None where it does not say.
            if _PLURAL_GLOSS_AFTER.match(text, head.end()) or _INDEFINITE_OR_THE.match(
                text, head.end()
            ):
                found.extend(_made(f"{acronym} {head.group('head')}", text[head.end() :], True))
            continue
        found.append(Definition(acronym, expansion))
    return found


# The head noun after an acronym's bracket, then the verb that says what it is.
_HEAD_AFTER = re.compile(r"\s+(?P<head>[a-z][a-z-]+)\s+(?:is|are|was|were)\s+")
_PLURAL_GLOSS_AFTER = re.compile(_PLURAL_GLOSS)


def _spelled_in_words(before: str, acronym: str) -> str | None:
    """The words just before an acronym's bracket that spell it, in lower case or with a
    hyphen's parts ("crassulacean acid metabolism (CAM)", "glyceraldehyde 3-phosphate
    (G3P)"), as written; None unless their initials spell it exactly."""
    letters = acronym[:-1] if acronym.endswith("s") and not acronym.isupper() else acronym
    match = _WORDS_AT_END.search(before)
    if match is None:
        return None
    text = match.group()
    spans = [m.span() for m in re.finditer(r"[\w'’-]+", text)]
    for start in range(len(spans)):
        parts = [
            part
            for word in re.findall(r"[\w'’-]+", text[spans[start][0] :])
            for part in word.split("-")
            if part and part.lower() not in ("of", "and", "for", "the")
        ]
        if "".join(p[0] for p in parts).upper() == letters.upper():
            if text[spans[start][0] :].split()[0].lower() in ("the", "of", "and", "for"):
                continue
            return text[spans[start][0] :].strip()
    return None


# Up to six words before the bracket, none across a comma or a stop.
_WORDS_AT_END = re.compile(r"(?:[\w'’-]+\s+){0,5}[\w'’-]+$")


def spells(words: str, acronym: str) -> bool:
    """Whether the last of `words` (any case) have `acronym`'s letters for initials."""
    return _expansion(words.strip(), acronym) is not None


def _expansion(name: str, acronym: str) -> str | None:
    """The end of `name` whose words' initials spell `acronym`, if it does."""
    letters = acronym.rstrip("s").upper() if acronym.endswith("s") else acronym.upper()
    words = name.split()
    for start in range(len(words)):
        tail = words[start:]
        if tail[0].lower() in ("the", "of", "and", "for"):
            continue
        initials = "".join(w[0] for w in tail if w.lower() not in ("of", "and", "for", "the"))
        with_capitals = "".join(
            w[0] + "".join(c for c in w[1:] if c.isupper())
            for w in tail
            if w.lower() not in ("of", "and", "for", "the")
        )
        if letters in (initials.upper(), with_capitals.upper()):
            return " ".join(tail)
    return None


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


def glossary_entry(text: str, glossary: bool = False) -> Definition | None:
    """A glossary line's term and what it is: `**ABI**: Application Binary Interface - Defines
    ...` (a reference link's brackets read past) gives ABI, "Application Binary Interface",
    where the words before the dash spell the acronym; `**AFAICT**: As Far As I Can Tell.` the
    same without a dash; `**ECMA**: Ecma International - A nonprofit standards organization
    that ...` the article's gloss after the dash. None where the line says what the term does
    ("Provides a way of ..."), not what it is, or holds a link. The article's gloss only where
    the section is a `glossary`: a feature list's "**Start simple**: The simplest ..." is none."""
    match = _GLOSSARY_LINE.match(text)
    if match is None:
        return None
    term = (match.group("term") or match.group("plain")).strip().strip("`")
    gloss = _REFERENCE_LINK.sub(r"\1", text[match.end() :]).strip()
    if "](" in gloss or "<http" in gloss:
        return None
    head, dash, rest = gloss.partition(" - ")
    head = _FINAL_STOP.sub("", head).strip()
    if _spells(term, head) and _FINITE.search(head) is None:
        return Definition(term, head)
    after = rest if dash else gloss
    if not glossary or _ARTICLE_CAPITAL.match(after) is None:
        return None
    found = _made(term, after[0].lower() + after[1:], lists=True)
    return found[0] if found else None


def _spells(term: str, words: str) -> bool:
    """Whether `words` spell the acronym `term`: their initials ("Application Binary
    Interface": ABI; "Canary In The Gold Mine": CITGM) or their capitals ("CommonJS": CJS)."""
    if not _ACRONYM_TERM.fullmatch(term) or not words or len(words) > 80:
        return False
    letters = term.replace("-", "").upper()
    parts = re.findall(r"[^\W\d_]+", words)
    initials = "".join(p[0] for p in parts).upper()
    capitals = "".join(c for c in words if c.isupper())
    return letters in (initials, capitals) and len(parts) <= 10


_ACRONYM_TERM = re.compile(r"[A-Z][A-Z0-9-]{1,9}")
# `**Term**:` or `Term -` opening a glossary's line, a list's marker before it.
_GLOSSARY_LINE = re.compile(
    r"(?:[-*+]\s+)?(?:\*\*(?P<term>[^*]{1,60})\*\*\s*:"
    r"|(?P<plain>[A-Z][\w.+/-]{0,30}(?:\s+[\w.+/-]+){0,3})\s+[-–—])\s+"
)
_REFERENCE_LINK = re.compile(r"(?<!!)\[([^\[\]\n]{1,200})\]\[[^\[\]\n]{0,100}\]")
