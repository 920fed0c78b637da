"""Bold terms and glossaries: `**Sod** is ...`, `**Okie**: a migrant from Oklahoma`, a bold
term's gloss in mid-sentence, and a glossary's lines (`**Term**:`, `Term -`).
"""

from __future__ import annotations

import re

from studykit.ingest.acronyms import _INDEFINITE_OR_THE, _PLURAL_GLOSS
from studykit.ingest.appositives import _FINITE, _RELATION, runs_on
from studykit.ingest.definition_text import (
    _FINAL_STOP,
    _RANKING,
    _RELATIVE_WORD,
    Definition,
    _copula,
    _made,
    says_what_it_is,
)
from studykit.ingest.subject_definitions import _DEFINING_VERB

_BOLD = re.compile(r"\*\*(?P<term>[^*]{1,60}?)\*\*")
_ARTICLE_BEFORE_BOLD = re.compile(r"(?:The|An?)\s+(?=\*\*)")
_BOLD_GLOSS = re.compile(r"\s*(?::|—|–|\s-)\s+(?=\S)")
_ARTICLE_CAPITAL = re.compile(r"(?:An?|The)\s+[a-z]")
_LABELS = frozenset("note warning tip hint important caution example see also todo".split())


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
