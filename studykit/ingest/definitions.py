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

from studykit.ingest.acronyms import _acronyms
from studykit.ingest.appositives import _appositives
from studykit.ingest.bold_terms import _SUBJECT_THEN_BRACKET, _bold, _bold_glossed, _bold_inside
from studykit.ingest.definition_text import Definition
from studykit.ingest.subject_definitions import _called, _exemplified, _quoted, _subject

# Every definition's sentence has one of these; most sentences have none, and are passed by.
_MAY_DEFINE = re.compile(
    r"\b(?:is|are|was|were|means?|refers?|called|known|termed|named)\b"
    r"|,\s+(?:an?|the)\s|\([A-Z]|\*\*",
    re.IGNORECASE,
)
MAX_DEFINING_CHARS = 600
"""A longer sentence defines nothing a card can hold; the patterns stay cheap on it too."""


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
