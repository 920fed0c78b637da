"""Appositives set off by two commas: "The Shelterbelt Project, a plan to plant trees across
the plains, began ..."; the name a gloss belongs to, and where a sentence runs on past it.
"""

from __future__ import annotations

import re

from studykit.ingest.acronyms import _LOOK_BACK, _NAME, _NAME_AT_END
from studykit.ingest.definition_text import (
    _PREPOSITIONS,
    _RANKING,
    _RELATIVE,
    Definition,
    _made,
    pins_down,
    says_what_it_is,
)

NOT_SUBJECTS = frozenset(
    """it this that these those there here he she they we you i what which who whom whose one
    each all some many most much such another both either neither none no its their his her our
    my your every any few several other others something someone everything everyone nothing
    anything if when while although because since as so but and or yet however thus therefore
    then also today now later first second finally last next yesterday tomorrow please see
    note refer""".split()
)
_APPOSITIVE = re.compile(r",\s+(?P<gloss>(?:an?|the)\s+[a-z][^,;:()]*?)(?P<end>,\s+[a-z]|[.!?]$)")
_LOWER_TERM_BEFORE = re.compile(
    r"(?:^|\s)(?:from|by|with|called|named|as)\s+(?P<term>[a-z][a-z-]+(?:\s+[a-z][a-z-]+){0,2})$"
)
_FINITE = re.compile(r"\b(?:is|are|was|were|had|has|have|did|does|do|will|would)\b")
_ORDINALS = frozenset("first second third last next".split())
_LOWER_STOP = frozenset("the a an this that these those its their his her our".split())
_INDEFINITE = re.compile(r"an?\s")


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
