"""Draft notes for each section, taken from the reading's own sentences (nothing is invented).

Precision before recall: a card is drafted only where a sentence gives a safe one, and a section
whose text gives none is left to the student (the notes file says what to add). Every sentence a
draft uses is a whole sentence of the source, as a sentence splitter (pysbd) reads it too.

- Summary: the section's lead (the first sentence of its opening paragraph, with the next
  where that is short or announces what follows) or nothing: never a later sentence, nor one
  from a subsection. The lead names the heading's topic, is no concession the next sentence
  turns from, and no dateline; none that points back ("This", "It", "However", "in such a
  way", "these enzymes", "later that month"), an example ("For example"), an aside ("(Ignore
  ...)") or an instruction ("Note that"), and none about an example's output (a number of the
  section's code or output).
- Points: the next best sentences. A point becomes a cloze card on a year, a counted number
  ("300 kilometres", never a bare id: "The 19182 is the process ID") or a name in it where the
  sentence is about it (_subject_name, _event_name): never a
  deletion that is already used elsewhere in the reading, never one whose words also stand
  unmasked in the same sentence or inside another of its tokens (`-Ddns-servers=` for "DNS"),
  never an item of any list ("Chicago and {{New York}}", "{{ADP}} and calcium ions": any item
  would do), never the reading's topic (the name its first sentence opens with, a word of its
  title or of any heading) or a word a licence defines, never in a "(see ...)"
  pointer, never half a name ("{{Yersinia}} pestis", "{{Gabriele}} de' Mussi", "{{St
  John}}'s College"), never a side detail (inside a relative clause, a locator "in {{France}}",
  the second of a parallel pair, an acronym beside its own words), inside
  brackets ("[EDIT ME: ...]"), on code ("Z_NO_FLUSH") or what a code span of the sentence gives
  away ("English (`en-*`)"), or on the acronym of the title's words ("GCC" of "GNU Compiler
  Collection"); and none at all in a sentence whose subject is a pronoun or a pronoun's ("In
  1912 he presented ...", "..., their leaders concluded ...": who?) or holds a person's pronoun
  and opens with no name ("With Anna Schwartz he wrote ..."), that points at a thing, a place or
  a time named before ("these enzymes", "there", "the same year", "the three men", "The manual
  can be read ..."), or that tells
  the reader what to do ("Have a look into ...", "If ..., provide a URL ..."); none on the
  document's own dates ("Version from ... 2022.") or a span from a time ("the first 10 years"),
  nor on a glossary's line, which is a term or nothing. A reference-style link (`[text][]`)
  shows as its text on every draft.
- No card at all from a sentence with a stop and a capital inside ("... coenzyme A. In
  eukaryotic ..."): it may be two sentences run together.
- Terms: only from a sentence that defines them (definitions.py): "X is a ...", an appositive,
  an acronym's expansion, a bold term and its gloss; up to MAX_TERMS a section, or
  MAX_GLOSSARY_TERMS from a glossary's entries ("“You” means ..."); none whose definition the
  next sentence goes on with ("It also means ...") or points elsewhere ("as specified below"),
  nor the reading's topic or a word of its title glossed in a few words ("The eye is the organ
  of vision"): defined by a phrase or a clause that pins it down, the topic is a term.
- Questions: when/why/who questions from a sentence that says so (questions.py), answered by
  that sentence; none that asks about a bare "the <thing>" ("When did Pope Clement VI condemn
  the movement?": which?).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import chain

from studykit.ingest.definitions import (
    defined_in,
    glossary_entry,
    lists_in_an_aside,
    of_several,
    ordinals,
    pins_down,
)
from studykit.ingest.names import NameFinder
from studykit.ingest.questions import Question, Words, asked_by
from studykit.ingest.sections import PlannedSection
from studykit.ingest.sentences import (
    STOPWORDS,
    cased_words,
    content_words,
    sentences,
    splitter_agrees,
    words,
)
from studykit.notes.scanning import Next
from studykit.quality.text import key

SUMMARY_WORDS = 35  # one sentence a reader takes in at once
_SHORT_LEAD = 12  # a lead this short takes the next sentence with it
SUMMARY_TOTAL_WORDS = 40  # a second sentence joins a short first one up to this
POINT_WORDS = (6, 45)  # a point shorter or longer than this makes a poor card
MAX_POINTS = 6
MAX_TERMS = 4
MAX_GLOSSARY_TERMS = 8
MAX_GLOSSARY_LIST_TERMS = 24  # a glossary's `**Term**: ...` lines are what it is for
_TOPIC_WORDS = 4  # a name this near the reading's first word is its subject, the topic
_EMPHASIS = re.compile(r"\*\*|__")
MAX_QUESTIONS = 2
MAX_SENTENCE_CHARS = 5_000
"""About 800 words: no card can ask it, and drafts quote whole sentences (a summary, a
question's answer), so a longer one (a list or index without full stops, a page without
punctuation) is left out of the drafts. The excerpt keeps it, like every sentence a draft does
not use; drafting stays small, and the notes file under its limit."""

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
# The sentence's subject is a pronoun, after an opening time or place phrase at most ("In
# January 1912 he presented ..."): the card cannot say who or what.
_PRONOUN_SUBJECT = re.compile(
    r"(?:(?:However|Thus|Still|Yet|Also|Instead|Therefore|Moreover|So|Now|Then),?\s+)?"
    r"(?:(?:In|On|At|By|After|Before|During|Since|Until|From|Later|Then|Soon)"
    r"(?:\s+(?:the|a|an|in|on|at|early|late|mid|[A-Z\d][\w'’.-]*)){1,4},?\s+)?"
    r"(?i:he|she|they|this|these|those|we|his|her|its|their"
    # Not the "it" of "It is estimated that ...": it stands for no thing.
    r"|it(?!\s+(?:is|was|has\s+been)\s+(?:\w+\s+)?(?:that|to|not\s+until)\b))\b"
)
# A name inside a pointer to read elsewhere: "(see Suppressing errors in the User Manual)".
_SEE_ALSO = re.compile(r"\((?:see|cf\.?|compare|refer to)\s[^()]*$", re.IGNORECASE)
# A word ending in a symbol that runs on into the name after it: "C++ STL", "F# Interactive".
_SYMBOL_WORD_BEFORE = re.compile(r"\w[+#]+\s$")
# A licence's or a contract's defined term ("“Modifications” means ..."): capitalised because
# it is defined, it is the document's own word, not a fact to recall.
_QUOTED_TERM = re.compile(
    r"[“\"]([A-Z][^”\"]{0,40})[”\"]\s+(?:\([^()]{0,40}\)\s+)?(?:means|refers)\b"
)
_CLOZABLE = re.compile(r"\d|(?<=\w )[A-Z]")
_LIST_ITEM = re.compile(r"\s*(?:[-*+•]|\d{1,3}[.)])\s+")
_NO_CLOZE = re.compile(
    r"^(?:By|Posted|Published|Updated)(?:\s+[A-Z][\w.'’-]*){1,4}\s*(?:,|$)"  # a byline
    r"|^(?:Copyright|\(c\)|©)"  # a copyright line: its years are no fact to learn
    r"|^(?:Suppose|Imagine|Assume|Say|Consider)\b|^If\b[^,;]*\d"  # a worked example
    r"|\?[\"'”’)]*$"  # a question the text asks: no fact stated
    r"|\||\t|(?:^|\n)\s*>|\S\s{3,}\S"  # a table row, a quote's line
)
_LONG_NUMBER = re.compile(r"(?<![\w.])\d{3,}(?![\w.]\d)")
_GLOSSARY_ENTRY = re.compile(
    r"(?:\d[\d.]*\s+)?[“\"][^”\"]{1,40}[”\"]\s+(?:\([^()]{0,40}\)\s+)?(?:means|refers)"
)
_COLUMN_GAP = re.compile(r"\S(?: {3,}|\t)(?=\S)")
_QUOTE_MARK = re.compile(r"^(?:>\s*)+")
_NOT_PROSE = re.compile(r"\s*(?:```|~~~|#|\||<|    )")
# "**`default-version`**: The name of ...": a glossary's entry for a name in code opens too.
_OPENS = re.compile(r"[\"'“‘(\[*_]*[^\W\d_a-z]|\d|(?:\*\*`?|`)\w")
_ENDS = re.compile(r"[.!?。！？][\"'”’)\]*_]*$")
_POINTS_BACK = frozenset(
    """this these those that it its they their them he she his her such however but and or
    also so thus therefore then yet still instead moreover furthermore besides nevertheless
    here there both""".split()
)
# A name next to another name (a word with a capital, as "macOS", or a number) across a comma,
# "and", "or" or "&".
# "This Agreement", "the following URL": a name a demonstrative points at is the document's
# own word for a thing in front of the reader, not a fact.
_POINTED_AT = re.compile(r"\b(?:[Tt]his|[Tt]hese|[Tt]hat|[Tt]hose|[Ss]uch|following)\s+[\"“]?$")
_LIST_AFTER = re.compile(
    r"\s*(?:,\s*(?:and\s+|or\s+)?|(?:and|or|&)\s+)(?=(?:the\s+)?[\w.-]*[A-Z\d])"
)
# The name before may be followed by up to two lower-case words ("India, Australia and southern
# Africa", "Britain and the United States").
_LIST_BEFORE = re.compile(
    r"[A-Z\d][\w'’.-]*\s*(?:,|,?\s+(?:and|or|&))\s*"
    r"(?:(?:the|[a-z]+ern|north|south|east|west|central|upper|lower)\s+){0,2}$"
)


@dataclass(frozen=True)
class Draft:
    """The drafted notes of one section."""

    summary: str | None
    points: tuple[str, ...]
    terms: tuple[tuple[str, str], ...]
    questions: tuple[tuple[str, str], ...]
    clozes: int = 0  # the points that are cards (with a {{deletion}})

    @property
    def cards(self) -> int:
        return self.clozes + len(self.terms) + len(self.questions)


@dataclass
class _Sentence:
    text: str
    index: int
    size: int  # words
    words: list[str]  # content words
    before: str  # the sentence before it in its paragraph ("" for the first)
    after: str  # the sentence after it
    score: float = 0.0
    example: bool = False  # names a number of the section's code or output (an example's)
    item: bool = False  # a list's item or a glossary's entry: one of several, not the gist
    lead: bool = False  # the first sentence of its paragraph
    opening: bool = False  # the first sentence of the section's opening paragraph (_opens)
    paragraph: int = 0  # its paragraph's place in the section
    whole: bool | None = field(default=None, repr=False)  # known once asked: see _whole


def draft_reading(sections: list[PlannedSection], title: str = "") -> list[Draft]:
    """Draft notes for every section of the reading called `title`; deterministic, so one
    reading always gives one draft."""
    lowercase: set[str] = set()
    capitalised: set[str] = set()
    per_section = [_section_sentences(s, lowercase, capitalised) for s in sections]
    _score(per_section)
    names = NameFinder([[s.text for s in ss] for ss in per_section], lowercase, capitalised)
    known = Words(names.lowercase_words, names.capital_words, frozenset(names.places))
    lower_words = {w.lower() for w in names.lowercase_words}
    defined: set[str] = set()
    # A sentence that defines a term, or answers a question, is that card: not a point as well.
    carded: set[int] = set()
    all_terms = [_terms(found, lower_words, defined, carded) for found in per_section]
    # The reading's title names its topic ("The Meiji Restoration"): no card hides its words.
    title_words = {w for w in content_words(words(title)) if len(w) > 2}
    title_words |= _title_acronyms(title)
    # "The French Revolution, 1789-1799": each year of a range is the title's too.
    title_words |= set(_FOUR_DIGITS.findall(title))
    # A name asked for by a term card is not hidden in a cloze too: two cards, one answer. Nor
    # is the reading's topic ("Python" in Python's licence, "Licensee" in a contract): named in
    # sentence after sentence, it is guessed, not recalled.
    total = sum(len(found) for found in per_section)
    used_answers = set(defined) | {key(t) for t in defined} | names.topics(total)
    quoted_terms = {
        m.group(1).lower() for ss in per_section for s in ss for m in _QUOTED_TERM.finditer(s.text)
    }
    used_answers |= quoted_terms | {key(t) for t in quoted_terms}
    # The reading's first sentence opens with its topic ("The Valgrind tool suite provides
    # ..."): that name is no card there, nor anywhere else in the reading.
    opening = next((ss[0].text for ss in per_section if ss), None)
    if opening is not None:
        opening = _EMPHASIS.sub("", opening)  # "__Zstandard__, or `zstd`, is ..."
        subject = len(" ".join(opening.split(" ", _TOPIC_WORDS)[:_TOPIC_WORDS]))
        topic = [
            opening[start:end].lower() for start, end in names.spans(opening) if start < subject
        ]
        # "Mao" is "Mao Zedong" again: each word of the topic's name is the topic too.
        topic += [word for name in topic for word in name.split() if len(word) > 2]
        used_answers.update(topic)
        used_answers.update(key(name) for name in topic)
    # A name any heading holds ("Arrival in Europe") is the reading's setting: a cloze on it
    # ("serfdom declined in western {{Europe}}") is guessed, not recalled.
    headed_names = {
        w
        for section in sections
        if section.headed
        for w in content_words(words(section.title))
        if w not in lower_words and len(w) > 2
    }
    seen_sentences: set[str] = set()
    drafts = []
    for section, found, terms in zip(sections, per_section, all_terms, strict=True):
        if _references(section):
            # A reference list's entries are citations: no summary, fact or term to learn.
            drafts.append(Draft(summary=None, points=(), terms=(), questions=()))
            continue
        questions = _questions(found, known, names)
        carded.update(id(s) for s, _ in questions)
        # The names the heading holds (words the reading never writes in lower case).
        titled = section.title if section.headed else ""
        named = _names_in_heading(titled, names.capital_words, lower_words)
        # A name the heading holds is its topic ("ESM" of "ES Modules (ESM)"): the lead names it.
        gist = summary_topic(titled, title)
        summary = _summary(found, names, section, (gist & named) or gist)
        # The headings' words, without copying the reading's into a set per section (time
        # squared in the sections of a long reading).
        heading = _Titled((title_words, {_bare(w) for w in words(section.title)}, headed_names))
        points = _points(
            found,
            summary,
            carded,
            seen_sentences,
            partial(_cloze, names=names, used=used_answers, titled=heading),
        )
        drafts.append(
            Draft(
                summary=_shown(" ".join(s.text for s in summary)) or None,
                points=tuple(_shown(text) for text, _ in points),
                terms=tuple(
                    (term, _shown(definition))
                    for term, definition in terms
                    if not _spelled_in((term, definition), section.title)
                    and not _the_topic((term, definition), title_words)
                ),
                questions=tuple((q.q, q.a) for _, q in questions),
                clozes=sum(deleted for _, deleted in points),
            )
        )
    return drafts


def _shown(text: str) -> str:
    """A drafted text as a card shows it: a reference-style link (`[The Node.js VM module][]`,
    `[text][ref]`) is its text, its target being elsewhere in the file, out of the card's reach."""
    return _REFERENCE_LINK.sub(r"\1", text) if "][" in text else text


_REFERENCE_LINK = re.compile(r"(?<!!)\[([^\[\]\n]{1,200})\]\[[^\[\]\n]{0,100}\]")


def _references(section: PlannedSection) -> bool:
    """Whether the section is a reference list: titled so ("References", "Bibliography",
    "Works cited", "Further reading"), or most of its lines are citations ("Hess, H. H. (1962).
    ...")."""
    if section.headed and _REFERENCES_TITLE.fullmatch(section.title.strip()) is not None:
        return True
    lines = [line for p in section.paragraphs for line in p.split("\n") if line.strip()]
    cited = sum(_CITED_WORK.search(line) is not None for line in lines)
    return len(lines) >= 2 and cited * 3 >= len(lines) * 2


_REFERENCES_TITLE = re.compile(
    r"(?:(?:Notes\s+and\s+|Selected\s+|Further\s+)?References|Bibliography|Select\s+bibliography"
    r"|Works\s+cited|Literature\s+cited|Further\s+reading|Sources|Citations)",
    re.IGNORECASE,
)
# An author's family name and initials ("Hess, H. H."), a year in brackets after a name
# ("Wegener, A. (1915)"), or a journal's volume and pages ("Nature 199: 947–949").
_CITED_WORK = re.compile(
    r"\b[A-Z][\w'’-]+,\s+(?:[A-Z]\.\s?){1,3}[\s;,(]"
    r"|\w[.,]?\s+\((?:1[5-9]|20)\d\d[a-z]?\)[.,:]"
    r"|\b\d{1,4}(?:\s*\(\d+\))?:\s*\d+[–-]\d+\b|\bdoi:|\bpp\.\s*\d"
)


def _whole(sentence: _Sentence) -> bool:
    """A whole sentence: opens with a capital, ends with its stop, and a sentence splitter
    (pysbd) reads it, between its neighbours, as one sentence too."""
    if sentence.whole is None:
        text = sentence.text
        sentence.whole = (
            sentence.size >= 4
            and _OPENS.match(text) is not None
            and _ENDS.search(text) is not None
            and "|" not in text
            # "... coenzyme A. In eukaryotic cells ...": a stop and a capital inside may be two
            # sentences run together; an initial ("J. Smith") may be lost with them.
            and _INNER_BREAK.search(text) is None
            and splitter_agrees(text, sentence.before, sentence.after)
        )
    return sentence.whole


_INNER_BREAK = re.compile(r"[.!?][\"'”’)\]]*\s+[\"'“‘(\[]?[A-Z]")
# The next sentence goes on with the definition ("It also means ..."): the term without it
# would teach half of what it is.
_GOES_ON = re.compile(
    r"[\"'“‘(]*(?:(?:It|This|That|These|They|Such|The term|The word)\s+(?:also|too|further"
    r"|additionally|(?:means|includes?|covers?|refers|excludes?|does not))\b"
    r"|Also\b|In addition\b|Further(?:more)?\b|Moreover\b)"
)


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


def _questions(
    found: list[_Sentence], known: Words, names: NameFinder
) -> list[tuple[_Sentence, Question]]:
    """Up to MAX_QUESTIONS questions from the best sentences that answer one, in reading order."""
    from studykit.quality import ANSWER_WORDS
    from studykit.quality.shapes import list_items, too_long

    chosen: list[tuple[_Sentence, Question]] = []
    # Among the section's best sentences only: a question on a minor detail is a poor card, and
    # a long section's every sentence would cost time for nothing.
    for sentence in _ranked(found)[:_QUESTION_CANDIDATES]:
        if len(chosen) == MAX_QUESTIONS:
            break
        if sentence.size > ANSWER_WORDS or len(sentence.text) > MAX_ANSWER_CHARS:
            continue
        if _leans_back(sentence.text) or _unowned(sentence.text, names):
            continue  # "Who founded the Aldine Press there ...?": where?
        question = asked_by(sentence.text, known)
        if question is None or not _whole(sentence):
            continue
        if _names_a_thing_before(question.q) or _BARE_THE_SUBJECT.match(question.q):
            # "When did Pope Clement VI condemn the movement?": which movement? "When did the
            # jury reject ...?": which jury?
            continue
        if too_long(question.a, ANSWER_WORDS) is not None or list_items(question.a) is not None:
            continue
        if any(q.q == question.q for _, q in chosen):
            continue
        chosen.append((sentence, question))
    return sorted(chosen, key=lambda pair: pair[0].index)


MAX_ANSWER_CHARS = 400
# "Pope Clement VI condemned the movement in 1349": "the movement" is a thing named before
# (the Flagellants), which the question cannot say. A "the" phrase a card can stand on is pinned
# down where it stands ("the end of the war", "the river that ..."), is a name ("the Golden
# Horde") or many ("the continents"); any other in the question, and none is drafted.
_THE_WORD = (
    r"(?!(?:in|on|at|by|to|of|for|from|with|and|or|as|is|are|was|were|had|has)\b)[a-z][\w'’-]*"
)
_THE_THING = re.compile(
    rf"\b[Tt]he\s+(?>(?:{_THE_WORD}\s+)?{_THE_WORD})(?<![^s]s)(?![\w'’-])"
    # Where the phrase ends: the question's end or a setting after it ("... condemn the
    # movement?", "... reform the land tax in 1873?"), not a verb ("the reactions form ...").
    r"(?=\s*[?.!,;]|\s+(?:in|on|at|by|to|for|from|with|during|after|before|and|or)\b)"
)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:in|on|at|by|to|of|for|from|with|into|over|under|across|through|during)\s+$"
)


# "The manual can be read using ...": a subject that is a thing named before (which manual?).
_OPENS_WITH_A_THING = re.compile(
    rf"[\"'“‘(]*The\s+(?>{_THE_WORD})(?<![^s]s)(?![\w'’-])"
    r"(?!\s+(?:of|that|which|who|whom|whose|where|when|[A-Z\d(\"“]))"
    r"(?=\s+(?:can|could|may|might|must|should|will|would|is|was|has|had|does|did)\b)"
)


def _names_a_thing_before(text: str) -> bool:
    """Whether the sentence's subject or object is a bare "the <thing>" ("... condemned the
    movement in 1349", "The manual can be read ..."): a thing named before, and a question
    cannot say which. A "the" after a preposition ("at the time") is a setting, not the point."""
    return any(
        not _PREPOSITION_BEFORE.search(text, max(0, m.start() - 12), m.start())
        for m in _THE_THING.finditer(text)
    )


_GROUPS_OF_PEOPLE = frozenset(
    "group party company team family society movement circle members others band crew".split()
)
_OF_THE_GROUP = re.compile(r"\bof\s+the\s+([a-z]+)\b(?!\s+(?:of|that|which|who)\b)")


_QUESTION_CANDIDATES = 40
_BARE_THE_SUBJECT = re.compile(
    r"(?:When|Why)\s+(?:did|was|were|is|are)\s+the\s+[a-z]+\s+"
    r"(?!(?:of|in|on|at|from|for|that|which|who|whose|to|with)\b)"
)


def _section_sentences(
    section: PlannedSection, lowercase: set[str], capitalised: set[str]
) -> list[_Sentence]:
    """The section's sentences; adds the words seen in lower case and capitalised mid-sentence."""
    found: list[_Sentence] = []
    every_cased: list[list[str]] = []
    shown_text: list[str] = []
    paragraph_number = 0
    opened = False  # the section's opening paragraph seen (bylines, images, tables aside)
    for paragraph in section.paragraphs:
        opening = not opened and not _before_the_opening(paragraph)
        opened = opened or opening
        if _NOT_PROSE.match(paragraph) or any(
            len(_COLUMN_GAP.findall(line)) >= 2 for line in paragraph.split("\n")
        ):
            shown_text.append(paragraph)
            continue  # code, a table, or a table flattened to text: no sentences to learn
        lines = paragraph.split("\n")
        if all(line[:1].isspace() for line in lines):
            shown_text.append(paragraph)  # set in from the text: a program's code or output
        items = _list_items(lines)
        chunks = items or [paragraph]
        # A licence's "“Work” means ..." is a glossary's entry too.
        item = items is not None or _GLOSSARY_ENTRY.match(paragraph) is not None
        paragraph_number += 1
        for number, chunk in enumerate(chunks):
            # A Markdown quote's `>` is layout, not part of the sentence.
            split = [_QUOTE_MARK.sub("", text) for text in sentences(chunk)]
            for at, text in enumerate(split):
                if not text or len(text) > MAX_SENTENCE_CHARS:
                    continue
                cased = cased_words(text)
                every_cased.append(cased)
                every = words(text)
                before = split[at - 1] if at else ""
                after = split[at + 1] if at + 1 < len(split) else ""
                found.append(
                    _Sentence(
                        text,
                        len(found),
                        len(every),
                        content_words(every),
                        before,
                        after,
                        item=item,
                        lead=at == 0 and number == 0,
                        opening=opening and at == 0 and number == 0,
                        paragraph=paragraph_number,
                    )
                )
    shown = {n for p in shown_text for n in _LONG_NUMBER.findall(p)}
    if shown:
        for sentence in found:
            sentence.example = any(n in shown for n in _LONG_NUMBER.findall(sentence.text))
    # Distinct words first: far fewer than words, so the case tests stay cheap.
    seen = set(chain.from_iterable(every_cased))
    lowercase.update(w for w in seen if w[0].islower())
    after_first = set(chain.from_iterable(cased[1:] for cased in every_cased))
    capitalised.update(w.lower() for w in after_first if w[0].isupper())
    return found


def _before_the_opening(paragraph: str) -> bool:
    """Whether a paragraph comes before a section's opening one and is none: a byline or a
    dateline ("By Margaret L. Okafor ... Last updated 12 March 2025", "_Present in: 2021_"), an
    image, or a table (an infobox)."""
    text = paragraph.strip().strip("*_").strip()
    if _DATELINE.match(text) or text.startswith(("! [", "![")):
        return True
    lines = paragraph.split("\n")
    # Rows of cells; one line with a `|` is a sentence (`python3-foo | python3-bar`).
    return paragraph.lstrip().startswith("|") or (
        len(lines) >= 2 and sum(" | " in line for line in lines) * 2 > len(lines)
    )


def _list_items(lines: list[str]) -> list[str] | None:
    """A list's items without their markers, each wrapped line joined to the item it goes on
    (set in under it); None when the lines are not a list."""
    if not _LIST_ITEM.match(lines[0]):
        return None
    items: list[str] = []
    for line in lines:
        if _LIST_ITEM.match(line):
            items.append(_LIST_ITEM.sub("", line, count=1))
        elif line[:1].isspace() and line.strip():
            items[-1] += " " + line.strip()
        else:
            return None
    return items


def _score(per_section: list[list[_Sentence]]) -> None:
    """Weight each sentence by the distinctive words it covers, shorter sentences preferred."""
    counts = [Counter(w for s in found for w in s.words) for found in per_section]
    frequency = Counter(w for section in counts for w in section)
    total = len(per_section)
    for found, section in zip(per_section, counts, strict=True):
        weights = {
            w: math.log1p(n) * math.log((total + 1) / (frequency[w] + 0.5))
            for w, n in section.items()
        }
        for position, sentence in enumerate(found):
            # Distinct words in sentence order: a set's order changes with the hash seed, and
            # a float sum in another order can rank two sentences the other way round.
            weight = sum(weights[w] for w in dict.fromkeys(sentence.words))
            sentence.score = weight / math.sqrt(len(sentence.words) + 1)
            if position == 0:
                sentence.score *= 1.15


def _ranked(found: list[_Sentence]) -> list[_Sentence]:
    return sorted(found, key=lambda s: (-s.score, s.index))


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


# The heading's words that say nothing of what a section is about.
_GENERIC_TITLE_WORDS = frozenset(
    """introduction overview history background summary conclusion conclusions discussion
    notes preface foreword contents abstract general miscellaneous details basics beginning end
    part chapter section appendix text full main about more further other description name
    synopsis""".split()
)


def _names_in_heading(
    heading: str, capital_words: set[str], lower_words: set[str]
) -> frozenset[str]:
    """The names a heading holds, stemmed: an acronym ("ESM"), or in a heading not set in
    title case a capitalised word the reading never writes in lower case ("History of the
    Tokugawa"). In title case ("Interaction with Locally Installed ...") a capital says
    nothing: a cross-reference to the heading writes it so in the text too."""
    cased = [w for w in cased_words(heading) if len(w) > 1]
    content = [w for w in cased if w.lower() not in STOPWORDS]
    title_case = sum(w[0].isupper() for w in content) == len(content) > 1
    return frozenset(
        _stem(w.lower())
        for w in content
        if (w.isupper() and len(w) > 1)
        or (
            not title_case
            and w[0].isupper()
            and _bare(w.lower()) in capital_words
            and _bare(w.lower()) not in lower_words
        )
    )


def summary_topic(heading: str, reading_title: str) -> frozenset[str]:
    """The words a section's lead must name one of to be its summary, stemmed: the heading's
    own content words, without the reading's title's (the topic of every section) or generic
    ones ("Introduction", "History"); where none is left, the reading's title's. Empty, no test:
    a reading without a title and a section without a heading of its own."""
    title_words = {_stem(w) for w in content_words(words(reading_title)) if len(w) > 2}
    own = {
        _stem(w)
        for w in content_words(words(heading))
        if len(w) > 2 and w not in _GENERIC_TITLE_WORDS
    }
    return frozenset((own - title_words) or title_words)


def _stem(word: str) -> str:
    """A word's first letters, enough to match its kin ("economy", "economic"; "chloroplast",
    "chloroplasts") and few enough not to match much else."""
    word = _bare(word)
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word[:6]


def _names_the_topic(lead: _Sentence, topic: frozenset[str]) -> bool:
    """Whether the lead names one of the section's topic words ("Economic modernization ..."
    under "The Economy"); a lead about something else ("The CommonJS module system ..." under
    "ES Modules (ESM)", "In the 1640s van Helmont ..." under "History of discovery") is
    background or a first event, not the gist."""
    if not topic:
        return True
    return any(_stem(w) in topic for w in lead.words)


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


# "Last reviewed 14 March 2024.", "Posted by ...": about the page, not the section.
_DATELINE = re.compile(
    r"(?:By\s+[A-Z][\w.'’-]*\s+[A-Z]|Posted|Published|Updated|Written\s+by|Revised|Revision"
    r"|Reviewed\s+by|Version\s+(?:from|of|dated|\d)|Created\s+(?:on|by|in|\d)|Present\s+in"
    r"|Last\s+(?:updated|reviewed|modified|edited|revised|changed)"
    r"|(?:Lecture\s+notes\s+|Notes\s+)?(?:[Pp]repared|[Cc]ompiled)\s+by|Authors?(?=:\s))\b"
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


def _points(
    found: list[_Sentence],
    summary: list[_Sentence],
    carded: set[int],
    seen: set[str],
    cloze: Callable[[str], tuple[str, bool]],
) -> list[tuple[str, bool]]:
    """The section's points, in reading order, each with whether it has a deletion."""
    low, high = POINT_WORDS
    fitting = [s for s in _ranked(found) if low <= s.size <= high]
    # Sentences with a year, a number or a name make cloze cards: prefer them.
    fitting.sort(key=lambda s: (-s.score * (1.3 if _CLOZABLE.search(s.text) else 1), s.index))
    wanted = min(MAX_POINTS, max(2, math.ceil(len(fitting) / 3)))
    # A term's or a question's sentence is its card already; the summary's is in the notes,
    # and comes back as a point only as a cloze card.
    in_summary = {id(s) for s in summary}
    chosen: list[tuple[_Sentence, tuple[str, bool]]] = []
    for sentence in fitting:
        if id(sentence) in carded:
            continue
        key = " ".join(sentence.text.lower().split())
        if key in seen or not _whole(sentence) or _ASKS.search(sentence.text):
            # A question states no fact: copied as a point it has nothing to learn.
            continue
        if _OPENS_WITH_THE_NOUN.match(sentence.text) and _the_one_named_before(
            sentence, found, opening=True
        ):
            # "The islands become older ..." after "the Hawaiian Islands": which islands, the
            # card alone would not say. A point to read, no cloze.
            point = (escape_braces(sentence.text), False)
        else:
            point = cloze(sentence.text)
        if not point[1] and (
            id(sentence) in in_summary
            or _leans_on_before(sentence.text)
            or _leans_on_something_before(sentence.text)
            or _ORDINAL_BACK.search(sentence.text)
            or sentence.text.startswith("(")
            or _BYLINE_OPENS.match(sentence.text.lstrip("*_ "))
        ):
            # A point to read that opens by pointing back ("It absorbs ...", "This includes
            # ...", "However, ...") or leans on what came before anywhere in it ("detect
            # this loss", "Among those plasma proteins", "Almost a century later", "Read
            # them", "The third variable", "the previous two functions"), or is a bracket's
            # aside to it ("(Passing `0` causes ...)"), reads as a fragment out of its
            # paragraph. A byline is no point of the text.
            continue
        seen.add(key)
        chosen.append((sentence, point))
        if len(chosen) == wanted:
            break
    return [point for _, point in sorted(chosen, key=lambda pair: pair[0].index)]


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
        return escape_braces(text), False
    if len(_SHOUTED.findall(text)) >= 2:
        return escape_braces(text), False  # "WITHOUT ANY WARRANTY": a licence's boilerplate
    spans = [m.span() for m in _YEAR.finditer(text)]
    spans += [m.span() for m in _AMOUNT.finditer(text)]
    found_names = [_without_affiliation(text, span) for span in names.spans(text)]
    spans += [span for span in found_names if len(text[span[0] : span[1]].split()) > 1]
    spans += [m.span() for m in _NUMBER.finditer(text)]
    spans += [span for span in found_names if len(text[span[0] : span[1]].split()) == 1]
    for start, end in spans:
        answer = text[start:end].strip()
        named = not answer[0].isdigit()
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
            continue
        if named and _ATTRIBUTIVE.match(text, end):
            continue  # "4.87 {{United States}} dollars", "{{French}} astronomers": a qualifier
        if named and (_half_a_quotation(text, start, end) or _KNOWN_AS.match(text, end)):
            # '"{{Whoso List}} to Hunt"': half a title; "{{Francesco Petrarca}}, known in
            # English as Petrarch": the sentence says it again
            continue
        if named and _OPENING_TIME.match(text, 0, start) and "," in text[end : end + 40]:
            continue  # "Two years after the end of the {{Second World War}}, ...": a setting
        if _cited(text, start) or (named and _ESTIMATES.match(text, end)):
            # "A study led by {{Lucas Garibaldi}} found ...", "The {{World Health
            # Organization}} estimates that ...": the finding is the fact, not who made it
            continue
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
            continue
        if _IN_A_PARTICIPLE.search(text, max(0, start - 120), start) and (
            "," in text[end:] or ";" in text[end:] or _SENTENCE_END.fullmatch(text, end)
        ):
            # "The Sihwa Lake station, opened in {{2011}}, is ...", "The boundary ...,
            # identified in {{1909}} by ...; often ...": a side detail
            continue
        if _CONTACT_CLAUSE.search(text, max(0, start - 80), start):
            continue
        if answer[-1].isdigit() and _NUMBER_AS_NAME.search(text, max(0, start - 5), start):
            continue  # "The 19182 is the process ID"
        if not named and (_precise(answer) or _AS_OF.search(text, max(0, start - 30), start)):
            continue  # "about {{310,740}} kilometres": no one recalls it; "As of May 13th, 2001"
        if (
            not named
            and _RELATIVE_SPAN.search(text, max(0, start - 16), start)
            and _TIME_UNIT.match(text, end)
        ):
            continue  # "in its first {{10}} years": a span counted from a time, no date
        if not named and _DISTANCE_AWAY.match(text, end):
            continue  # "about {{150}} kilometres east of Ankara": a locator, a side detail
        if answer[0].isdigit() and _in_a_name(text, start):
            continue  # "Visual Studio 2019": a product's name, not a date
        if _REFERENCE_WORD.match(answer.split(" ", 1)[0] + " ") and " " in answer:
            continue  # "Exhibit A", "Section 3": a label of the document, no fact
        if (titled is not None and titled.holds(words(answer))) or _within_a_token(
            text, start, end, answer
        ):
            continue  # the title or another token ("-Ddns-servers=" for "DNS") gives it away
        if named and _name_goes_on(text, start, end, names):
            continue  # "{{Yersinia}} pestis", "{{Gabriele}} de' Mussi": half a name
        if named and not _subject_name(text, start, end) and not _event_name(text, start, end):
            continue  # a name inside the sentence: too often a detail no one would ask
        if (
            _in_an_appositive(text, start, end)
            or _in_a_relative_clause(text, start)
            or (named and (_spelled_out(text, start, end) or _aside(text, start, end)))
        ):
            continue  # "Dollinger, whose book appeared in {{1964}}"; "index ({{CPI}})"
        if _bracketed(text, start) or "_" in answer or _coded(text, answer):
            continue  # "[EDIT ME: ...]", "Z_NO_FLUSH", "English (`en-*`)": no fact, or given
        if _fair(text, start, end, answer, used):
            cloze = escape_braces(text[:start]) + "{{" + answer + "}}" + escape_braces(text[end:])
            if _given_away(cloze):
                continue
            used.update((answer.lower(), key(answer)))
            return cloze, True
    return escape_braces(text), False


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


# An instruction to the reader ("Have a look into ...", "Please report ...", "Use ..."): what
# it hides is no fact of the reading.
_IMPERATIVE = re.compile(
    r"[\"'“‘(]*(?:Have|Please|Use|Note|See|Make|Read|Check|Try|Run|Install|Send|Report|Do"
    r"|Don't|Don’t|Keep|Avoid|Look|Remember|Consider|Add|Set|Put|Write|Ask|Go|Let|Call|Click"
    r"|Open|Type|Enter|Select|Choose|Find|Follow|Refer|Mail|Email|Visit|Scan|Edit|Include"
    r"|Attach|Search|Submit|Compare|Ignore|Start|Stop|Be)\s+(?!(?:is|are|was|were|has|had)\b)"
    r"[a-z`\"'“‘]"
)
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
_PREVIOUS_WORD = re.compile(r"([\w'’-]+)\s+$")


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
    from studykit.ingest.definitions import spells

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


def _title_acronyms(title: str) -> set[str]:
    """The acronyms of the title's runs of capitalised words: "GCC" of "... the GNU Compiler
    Collection for Debian" abbreviates the reading's topic."""
    found: set[str] = set()
    run: list[str] = []
    for word in [*title.split(), ""]:
        if word[:1].isupper():
            run.append(word[0])
            continue
        if word.lower() in ("of", "and", "for", "the") and run:
            continue
        for i in range(len(run)):
            for j in range(i + 2, min(i + _LONGEST_ACRONYM, len(run)) + 1):
                found.add("".join(run[i:j]).lower())
        run = []
    return found


# No acronym is longer than this many letters: every sub-run of a long title's initials was
# cubic in time and memory (a 2,000-word title took 13 s and 1.6 GB), and none is ever written.
_LONGEST_ACRONYM = 10


# The subject after an opening phrase of any length ("After clashes with ... in 1864, their
# leaders concluded ..."): a pronoun or a pronoun's determiner, which the card cannot resolve.
_PRONOUN_AFTER_OPENING = re.compile(
    r"^[^,;]{0,200},\s+(?:he|she|they|it|we|this|these|those|his|her|its|their|our)\s"
)
# "In about 98 percent of lichens it is an ascomycete": the subject after a phrase with no comma.
_PRONOUN_AFTER_PHRASE = re.compile(
    r"(?:In|On|At|By|For|Of|With)\s[^,;]{0,80}?\s(?:it|they|he|she)\s+"
    r"(?:is|are|was|were|has|had|can|could|will|would)\b"
    # "Under the oceans it ranges from ...": a phrase of place, then the pronoun and its verb
    r"|(?:Under|Over|Beneath|Below|Above|Across|Along|Around|Within|Near|Inside|Outside"
    r"|Throughout)\s[^,;]{0,80}?\s(?:it|they|he|she)\s+[a-z]+\b"
)


# "these enzymes", "this method", "those years": a thing named in a sentence before.
def _leans_on_something_before(text: str) -> bool:
    """Whether a point to read leans on a sentence before it past its first word: "this
    loss", "those plasma proteins", "Almost a century later, ...", "Read them before ...".
    A pronoun for a thing inside it ("criticised it at ...") still reads as a fact."""
    opened = text.lstrip("\"'“‘(*_")
    return bool(
        _DEMONSTRATIVE.search(text)
        or _TIME_AFTER.match(opened)
        or (_IMPERATIVE.match(opened) and _IMPERATIVE_ON_IT.match(opened))
    )


# "Written by ...", "Lecture notes prepared by ...": who wrote the text, no point of it.
_BYLINE_OPENS = re.compile(
    r"By\s+(?:[A-Z][\w.'’-]*\s+){1,3}[A-Z][\w'’-]*\s*(?:[,·|]|\.?$)"
    r"|(?:Written\s+by|(?:Lecture\s+notes\s+|Notes\s+)?(?:[Pp]repared|[Cc]ompiled)\s+by"
    r"|Authors?:)\s"
)
# "Read them before the lecture": an instruction about a thing named before.
_IMPERATIVE_ON_IT = re.compile(r"\S+\s+(?:them|it|these|those|this|that)\b")
# "The third variable", "the previous two functions": counted from things named before.
_ORDINAL_BACK = re.compile(
    r"^[\"'“‘(*_]*The\s+(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+[a-z]"
    r"|\b[Tt]he\s+(?:previous|preceding|above|aforementioned|latter|former)\s+(?:(?:two|three"
    r"|four|five|few)\s+)?[a-z]"
)
_DEMONSTRATIVE = re.compile(r"\b(?:[Tt]hese|[Tt]hose|[Tt]his)\s+[a-z]")


# "there" as a place named before ("founded the Aldine Press there"), not "there is".
_THERE = re.compile(
    r"\b[Tt]here\b(?!\s+(?:is|are|was|were|has|have|had|will|would|may|might|could|can|must"
    r"|should|seems?|seemed|appears?|appeared|exists?|existed|remains?|remained|being|been|be)\b)"
)


# "Baden and Nassau joined in 1835": joined what? A verb whose object was named before.
_NO_OBJECT = re.compile(
    r"(?<!was )(?<!were )(?<!been )(?<!is )(?<!are )(?<!be )"
    r"\b(?:joined|followed|withdrew|signed|agreed|entered|returned|resigned|surrendered"
    r"|capitulated|complied|acceded|ratified)\s+(?:in|on|by|at|soon|later|too|as\s+well)\b"
)
# "Two centuries later ...", "A few years earlier ...": later than what a sentence before told.
_TIME_AFTER = re.compile(
    r"(?:[A-Z]\w*\s+)?(?:\w+\s+)?(?:years?|decades?|centur(?:y|ies)|months?|weeks?|days?"
    r"|generations?)\s+(?:later|earlier|afterwards?|before)\b"
)
# "Hardin borrowed the example from ...": an example, an idea or a theory a sentence before
# gave; "the idea of ...", "the theory that ..." say which.
_THE_ONE_BEFORE = re.compile(
    r"\b[Tt]he\s+(?:(?:general|same|new|original|main|final|whole|basic|earlier|central)\s+)?"
    r"(?:example|idea|term|phrase|theory|method|practice|argument|model|problem"
    r"|plan|proposal|approach|concept|principle|notion|word|scheme|policy|result|syndrome"
    r"|disease|disorder|condition|demonstration|experiment|discovery|invention|technique"
    r"|device|phenomenon|procedure|deaths|victims|epidemic|outbreak|crisis|attack|dimensions"
    r"|error|mistake|figure|estimate|package|programme|bill|deal|boy|girl|child|man|woman"
    r"|speech|letter|essay|article|lecture|address|meeting|mountains|river|border|course"
    r"|colony|workshop|school|institution|organisation|organization"
    # "excavations at the site", "that the venom potentiated ...": which site, which venom?
    r"|site|venom|poison|toxin|drug|compound|substance|species|archive|manuscript)\b"
    r"(?!\s+(?:of|that|which|who|whose|where|called|known|named|for|behind)\b)"
    r"(?!\s+[*_\"“]*[A-Z])"  # "the species *Photinus carolinus*" says which
)


# "The city grew by ...", "The treaty was signed ...": a city or a treaty named before.
_OPENS_WITH_THE_KIND = re.compile(
    r"The\s+(?:city|country|region|empire|state|war|treaty|plan|policy|party|government"
    r"|movement|book|novel|law|act|army|king|queen|emperor|company|island|town|capital|colony"
    r"|kingdom|dynasty|republic|revolution|campaign|programme|program|reform|reforms|rebellion"
    r"|settlement|agreement|conference|council|scheme|project|name|names|term|word|trial|trials"
    r"|results|findings|changes|measures|events|rebels|troops|authorities|answer)\s+"
    r"(?!(?:of|that|which|who|whose|where|in|on|at|for|from|known|called)\b|[A-Z\d(])"
    r"|The\s+[a-z]+\s+that\s+(?:followed|ensued|came\s+after)\b"
)


def _leans_back(text: str) -> bool:
    """Whether the sentence's subject is a pronoun or a pronoun's determiner ("In 1912 he
    ...", "..., their leaders concluded ..."), a person's pronoun stands anywhere in it ("With
    Anna Schwartz he wrote ..."), or it points at a thing, a place or a time named before
    ("these enzymes", "there", "the same year", "the three men"): a card on it could not say
    who or what."""
    opened = text.lstrip("\"'“‘(*_")
    return bool(
        _PRONOUN_SUBJECT.match(opened)
        or _PRONOUN_AFTER_OPENING.search(opened)
        or _PRONOUN_AFTER_PHRASE.match(opened) is not None
        or (_PERSONAL_PRONOUN.search(text) is not None and not _opens_with_a_name(opened))
        or _PRONOUN_SECOND.match(opened) is not None
        or _INSTEAD.search(text) is not None
        or _PRONOUN_AFTER_PREPOSITION.match(opened) is not None
        or _MORE_OF_THE_SAME.match(opened) is not None
        or _ITSELF.match(opened) is not None
        or _AFTER_WHAT.match(opened) is not None
        or _OPENING_PURPOSE.match(opened) is not None
        or _SOME_OF_THEM.match(opened) is not None
        or _SUCH.search(text) is not None
        # "each member of the group": which group?
        or any(m.group(1) in _GROUPS_OF_PEOPLE for m in _OF_THE_GROUP.finditer(text))
        or _UNRESOLVED_OBJECT.match(text) is not None
        or _HIM.search(text) is not None
        or _DEMONSTRATIVE.search(text)
        or _COUNTED_BACK.search(text)
        or _THERE.search(text)
        or _THE_ONE_BEFORE.search(text)
        or _OPENS_WITH_THE_KIND.match(opened) is not None
        or _NO_OBJECT.search(text) is not None
        or _TIME_AFTER.match(opened) is not None
    )


def _unowned(text: str, names: NameFinder) -> bool:
    """Whether a possessive or an object pronoun stands for something named in a sentence
    before: "copies of his writings" with no one named before "his", "built on its
    achievements" with nothing before "its", "Tetzel preached it" (a subject is no object of its
    own verb), "defended them" with no plural before. A card on it could not say whose or what."""
    spans = names.spans(text)
    # "A, B and C shared ... for its discovery", "Margaret Hamilton led the team that wrote
    # its flight software": a person or people is no "its".
    people = _PEOPLE.match(text) is not None or _PERSON_SUBJECT.match(text) is not None
    for match in _POSSESSIVE.finditer(text):
        at = match.start()
        singular = match.group().lower() == "its"
        plural = match.group().lower() == "their"
        if plural:
            # "The Royal Swedish Academy of Sciences noted that their work ...": one name is
            # no "their"; a plural or names joined are.
            if _PLURAL_BEFORE.search(text, 0, at):
                continue
            return True
        if singular and people:
            return True
        if any(start < at for start, _ in spans):
            continue
        if match.group().lower() in ("its", "their") and _THING_BEFORE.search(text, 0, at):
            continue
        return True
    for match in _OBJECT_PRONOUN.finditer(text):
        before = text[: match.start()]
        if match.group() == "them":
            if not _PLURAL_BEFORE.search(before):
                return True
        elif _ONE_PHRASE_THEN_VERB.fullmatch(before):
            return True
    return False


_PEOPLE = re.compile(
    r"(?:[A-Z][\w'’-]*\s+){1,3}?[A-Z][\w'’-]*(?:,\s+(?:[A-Z][\w'’-]*\s+){1,3}?[A-Z][\w'’-]*)*"
    r",?\s+and\s+(?:[A-Z][\w'’-]*\s+){1,3}?[A-Z][\w'’-]*\s+[a-z]"
)
_PERSON_SUBJECT = re.compile(
    r"[A-Z][a-z]+(?:\s+(?:[A-Z]\.\s+)?[A-Z][a-z]+)?\s+(?:led|wrote|designed|built|founded|directed"
    r"|became|joined|left|ran|headed|chaired"
    r"|invented|discovered|described|proposed|argued|devised|developed)\b"
)
_POSSESSIVE = re.compile(r"\b(?:[Hh]is|[Hh]er|[Ii]ts|[Tt]heir)\b(?!\s+own\b)")
_THING_BEFORE = re.compile(r"\b(?:[Tt]he|[Aa]n?)\s+[a-z]")
_OBJECT_PRONOUN = re.compile(
    r"(?<=\s)(?:it|them)\b(?!\s+(?:possible|impossible|easier|harder|difficult|necessary|clear)\b)"
)
_PLURAL_BEFORE = re.compile(
    r"\b(?!(?:this|thus|has|was|its|does|less|across|unless|always|perhaps|towards|whereas"
    r"|sometimes|his|is|as|us|yes|various|famous|serious|previous|numerous)\b)[a-z]{3,}s\b"
    r"|[A-Z][\w'’-]*\s+(?:and|&)\s+[A-Z]"
)
# Only the subject before the verb: "The Dominican friar Johann Tetzel preached ".
_ONE_PHRASE_THEN_VERB = re.compile(
    r"(?:(?:The|A|An)\s+)?(?:(?!(?:the|a|an|of|in|on|at|to|for|from|with|by|and|or|that|which"
    r"|who|whom|into|as)\b)[\w'’.-]+\s+){1,7}"
)
# A publication's author or year: "A 2013 study led by ...", "according to a 2007 review ...".
_CITATION = re.compile(
    r"\b[Aa]ccording\s+to\b|\b(?:[Ss]tudies|[Rr]esearch|[Ee]xperiments|[Ss]urveys"
    r"|contribution|contributions|patch|patches)\s+by\b|\b(?:[Aa]n?|[Tt]he)\s+(?:\d{4}\s+)?(?:[a-z-]+\s+)?"
    r"(?:study|review|survey|paper|report|analysis|experiment|trial|meta-analysis)\b"
)
# The one who gives a figure: "The World Health Organization estimates that 81,000 ...".
_ESTIMATES = re.compile(
    r"\s+(?:(?:has|have|had|now|once|later)\s+)?(?:estimates|estimated|reckons|reckoned"
    r"|calculates|calculated|projects|projected|puts|put)\s+(?:that\b|\d|(?:the|its|a)\s+"
    r"(?:number|toll|total|figure|cost|death\s+toll)\b)"
)
_COLLEAGUES = re.compile(r"\b(?:his|her|their)\s+(?:colleagues|co-workers|team|students)\b")
_FINDING = re.compile(
    r"\b(?:found|finds|showed|shows|shown|reported|reports|concluded|estimated|estimates"
    r"|suggested|suggests|argued|warned|demonstrated|confirmed)\b"
)


_ATTRIBUTIVE = re.compile(
    r"\s+(?:dollars?|pounds?|francs?|marks?|yen|lira|rupees?|astronomers|scientists|soldiers"
    r"|troops|forces|citizens|officials|ships|merchants|farmers|workers|settlers|colonists"
    r"|authorities|historians|scholars|writers|painters|poets|critics|missionaries|delegates)\b"
)
_KNOWN_AS = re.compile(r",?\s+(?:(?:also|better|now|often)\s+)?(?:known|called|named)\b")


def _half_a_quotation(text: str, start: int, end: int) -> bool:
    """Whether the name stands inside quotation marks that hold more than it."""
    for opening, closing in (("“", "”"), ('"', '"')):
        before = text[:start]
        opened = before.rfind(opening)
        if opening == closing:
            inside = before.count(opening) % 2 == 1
        else:
            inside = opened > before.rfind(closing)
        if inside:
            return not (text[opened + 1 : start].strip() == "" and text[end : end + 1] == closing)
    return False


# An opening phrase of time, up to where a name stands in it: "Two years after the end of the".
_OPENING_TIME = re.compile(
    r"[^,;]{0,80}\b(?:[Aa]fter|[Bb]efore|[Dd]uring|[Ss]ince|[Uu]ntil|[Ff]ollowing|[Ss]oon after"
    r"|[Bb]y the end of|[Aa]t the end of|[Ii]n the wake of)\b[^,;]*$"
)
_FOUR_DIGITS = re.compile(r"(?<!\d)\d{4}(?!\d)")
_OPENING_ERA = re.compile(
    r"[\"'“‘(]*(?:In|During|By|Through|Throughout|Since|Until|Before|After)\s+the\s+"
    r"(?:early\s+|late\s+|mid-)?$"
)
_NAMED_WORK_OF = re.compile(
    r"\b(?:[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)\s+(?:[A-Z][\w'’-]*\s+(?:[a-z]{1,5}\s+)?)+of\s+$"
)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*")
_THING_OF_ABOUT = re.compile(
    r"\b(?:[Aa]n?|[Tt]he)\s+(?:[a-z-]+\s+){1,2}?of\s+(?:about|around|circa|c\.|ca\.)\s+$"
)
_IN_A_PARTICIPLE = re.compile(
    r",\s+(?:(?:[a-z]+ly|first|later|once|still|then)\s+)?(?:[a-z]+(?:ed|en)|sold|built|made|held"
    r"|born|found|led|won|set|put|taught|bought|brought|thought|known|begun|sung|run|shown)\s+"
    r"[^,;:()]*$"
)
# "a journey he began in {{1689}}": a relative clause without its "that", on a thing the
# sentence names; a side detail of it.
_CONTACT_CLAUSE = re.compile(
    r"\b(?:an?|the|his|her|their|its)\s+[a-z]+\s+(?:he|she|they|it|we)\s+[a-z]+\s+[^,;:()]*$"
)
_YEAR_OF_A_THING = re.compile(r"\b(?:[Hh]is|[Hh]er|[Ii]ts|[Tt]heir|[Aa]n?|[Tt]he)\s+$")
_A_NOUN_AFTER = re.compile(
    r"\s+(?!(?:the|a|an|and|or|of|to|in|on|at|by|for|with|from|when|as|that|which|who|was"
    r"|were|is|are|had|has|saw|brought|marked)\b)[a-z]"
)


def _without_affiliation(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A name without the institution or the town it is "of": "George Wald of Harvard
    University" is George Wald, "Lorenz Helmschmid of Augsburg" Lorenz Helmschmid; where they
    worked is another fact. A name of one word before "of" is a name with it ("Catherine of
    Aragon", "Bank of England"), as is one whose words name a body ("Academy of Sciences")."""
    start, end = span
    affiliated = _AFFILIATION.search(text, start, end)
    if affiliated is not None:
        return start, affiliated.start()
    person = _PERSON_OF_PLACE.fullmatch(text, start, end)
    if person is not None and not _BODY_WORDS & set(person.group(1).split()):
        return start, start + len(person.group(1))
    return span


_PERSON_OF_PLACE = re.compile(r"([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)+)\s+of\s+[A-Z][\w'’-]*")
_BODY_WORDS = frozenset(
    """Academy Bank Society University College Council Department Institute Museum Church
    Republic Kingdom Empire Union Company Commission League Court Assembly Congress House
    Treaty Battle Siege Peace Edict Diet Act Bill Party Army Navy School Order Guild Library
    Ministry Office Board Federation Association Conference Convention Cathedral Abbey Isle
    Island Bay Gulf Sea River Lake Mount Cape Duchy County Province State City Port Field
    Cloth Duke Earl Prince Princess King Queen Emperor Bishop Archbishop Lord Lady Count""".split()
)


_AFFILIATION = re.compile(
    r"\s+of\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s+)*(?:University|College|Institute|Laboratory"
    r"|Laboratories|Hospital|School|Academy|Museum|Observatory|Society)\b.*$"
)


def _ends_on_a_thing_before(text: str) -> bool:
    """Whether the sentence ends on its verb's object, a bare "the <thing>" named before ("...
    and its tongue fits the spur."): which spur, the card cannot say."""
    match = _THE_THING_AT_END.search(text)
    return match is not None and not _SETTING_BEFORE.search(
        text, max(0, match.start() - 12), match.start()
    )


# A preposition or a verb's particle: "about the language", "ploughed up the grass" is a
# setting or a whole phrase, not an object pointing back.
_SETTING_BEFORE = re.compile(
    r"\b(?:in|on|at|by|to|of|for|from|with|into|onto|over|under|across|through|during|about"
    r"|up|down|out|off|away|around|against|among|between|behind|beyond|towards?|upon|within"
    r"|without|along|after|before|near|past|throughout|like)\s+$"
)

_THE_THING_AT_END = re.compile(
    r"\b[Tt]he\s+(?!(?:war|world|sun|moon|earth|sea|public|people|economy|state|church|crown"
    r"|throne|election|government)\b)[a-z][\w-]*[.!]$"
)


def _cited(text: str, start: int) -> bool:
    """Whether a deletion at `start` would hide who wrote or when appeared a study the sentence
    cites (up to the verb of its finding), rather than what it found."""
    if _COLLEAGUES.search(text):
        return True  # "In 2017 Thomas Boothby and his colleagues described ...": a study's
    for match in _CITATION.finditer(text):
        if match.start() > start + 10:
            break
        finding = _FINDING.search(text, match.end())
        if start < (finding.start() if finding is not None else len(text)):
            return True
    return False


def _opens_with_a_name(text: str) -> bool:
    """Whether the sentence opens with a capitalised word that is no common opener: a name,
    which a later "he" or "they" may stand for ("Peng Dehuai criticised ..., and he was ...")."""
    first = text.split(" ", 1)[0].strip(",;:")
    return first[:1].isupper() and first.lower() not in STOPWORDS and not first[:1].isdigit()


# A subject pronoun for a person or a group, wherever it stands: who it is lies outside,
# unless the sentence opens with a name.
_PERSONAL_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he|[Tt]hey|[Ww]e)\b")
# "Together they filter ...", "Later he wrote ...": an opening word, then a pronoun subject.
_PRONOUN_SECOND = re.compile(r"[A-Z][a-z]+,?\s+(?:he|she|they|we|it)\s")
# "Most of them sit along ...": some of the ones a sentence before named.
_SOME_OF_THEM = re.compile(
    r"(?:Most|Some|Many|All|Few|Each|None|Several|Both|One|Two|Three|Half|Much|Part)\s+of\s+"
    r"(?:them|these|those|it|this)\b"
)
# "In 79 AD such flows buried ...": flows of the kind a sentence before described.
_SUCH = re.compile(r"\b[Ss]uch\s+(?!as\b)[a-z]")
# "To climb it, Nathan Roberts designed ...": an opening purpose whose object was named before.
_OPENING_PURPOSE = re.compile(r"To\s+[a-z]+\s+(?:it|them|this|these|those)\b")
# "Among them were ...", "Of these, ...": the ones named in a sentence before.
_PRONOUN_AFTER_PREPOSITION = re.compile(
    r"(?:Among|Of|For|From|With|Like|Unlike|Besides|Beside|Despite)\s+"
    r"(?:them|it|these|those|him|her|this|that|which)\b"
)
# "Afterwards the assembly executed ...": after what a sentence before told.
_AFTER_WHAT = re.compile(
    r"(?:Afterwards|Afterward|Subsequently|Thereafter|Meanwhile|Then|Later|Others)\b"
    # "In the decades that followed, ...": followed what a sentence before told
    r"|(?:In|During|Over|For)\s+the\s+(?:[a-z]+\s+)?(?:years?|decades?|centur(?:y|ies)"
    r"|months?|weeks?|days?|period|generations?)\s+that\s+(?:followed|ensued)\b"
)
# "The term itself was popularised ...": the term a sentence before named.
_ITSELF = re.compile(r"[Tt]he\s+[a-z]+\s+(?:itself|themselves)\b")
# "Further global events followed ...", "Other scholars ...": more of what came before.
_MORE_OF_THE_SAME = re.compile(
    r"(?:Further|Other|Another|Similar|Additional|Subsequent|Such)\s+(?:[a-z][\w-]*\s+)*?"
    r"(?:[a-z][\w-]*s|event|one|case|attempt|example)\b|Another\s+[a-z]"
)
# "Edmund Burke analysed it in ...": "it" or "them" as a verb's object, with no noun phrase
# before it in the sentence (a determiner and a word), stands for something named before.
_UNRESOLVED_OBJECT = re.compile(
    r"(?:(?!\b(?:[Tt]he|[Aa]n?|[Tt]his|[Tt]hat|[Tt]hese|[Tt]hose|[Ii]ts|[Tt]heir|[Hh]is|[Hh]er)\s)"
    r"[^,;:])*?\b(?:[a-z]+ed|to\s+[a-z]+)\s+(?:it|them)\b"
)
_SAME = re.compile(r"\b[Tt]he\s+same\b")
# "Second, the nobility was ...", "The tides have also locked ...": one of several points.
_SUMMARY_GOES_ON = re.compile(
    r"^(?:First|Second|Third|Fourth|Fifth|Next|Finally|Lastly|Also)\b|(?<!\bbut )\balso\b"
)
# "dedicated Don Juan to him": an object is someone other than the sentence's subject.
_HIM = re.compile(r"\bhim\b")
# "... instead.": in place of what a sentence before said.
_INSTEAD = re.compile(r"\binstead\b(?!\s+of\b)", re.IGNORECASE)
# "the same year", "the three men", "both men": a time or people counted in a sentence before.
_COUNTED_BACK = re.compile(
    r"\b(?:[Tt]he\s+(?:same|two|three|four|five|six|seven|eight|nine|ten|following|next"
    r"|previous|preceding)|[Bb]oth)\s+[a-z]"
)


_WORD_BEFORE = re.compile(r"(?<![\w'’.-])([A-Z][\w+#'’.-]*)\s$")
# Capitalised words a date follows: a month, a season, an era, or a sentence's opening word.
_BEFORE_A_DATE = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec spring summer autumn fall winter ad bc ce
    bce in on at by from since until till after before during around about circa ca c the
    between of""".split()
)


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


# Where a card cannot hide a part, or would show it wrongly: a link's address, an autolink, a
# bare URL or file name, inline code, math. Found by _not_hidden, as this pattern finds them.
_LINK_OR_URL = r"\]\([^)]*\)?|<[^>\s]*>?|\b(?:https?|ftp)://\S+"
_CODE_OR_MATH = r"`[^`]*`?|\$[^$]*\$?"
_NOT_HIDDEN = re.compile(rf"{_LINK_OR_URL}|\S+/\S*|{_CODE_OR_MATH}")
_LINK_OR_URL_AT = re.compile(_LINK_OR_URL)
_NOT_PATH = re.compile(f"{_LINK_OR_URL}|{_CODE_OR_MATH}")
_NOT_PATH_START = re.compile(r"\]\(|<|\b(?:https?|ftp)://\S|`|\$")
_SPACE = re.compile(r"\s")
_NOT_SPACE = re.compile(r"\S")


def _not_hidden(text: str) -> Iterator[tuple[int, int]]:
    """The spans of `_NOT_HIDDEN.finditer(text)`, in linear time.

    Searched, its path alternative `\\S+/\\S*` is tried from each character of a long word
    without a `/` and scans to the word's end each time. Here a word's `/` is looked up once
    (`Next`): where the path alternative fails, it fails for the rest of the word, and only the
    other alternatives are looked for there, at the characters that start them.
    """
    slash, space, other = Next(text, "/"), Next(text, _SPACE), Next(text, _NOT_PATH_START)
    at = 0
    while (word := _NOT_SPACE.search(text, at)) is not None:
        start = word.start()
        end = space.at_or_after(start)
        end = len(text) if end == -1 else end
        found = _LINK_OR_URL_AT.match(text, start)
        if found is None and start < slash.at_or_after(start + 1) < end:
            yield start, end  # a path: `\S+/` backs off to the word's last `/`
            at = end
            continue
        if found is None:
            opener = other.at_or_after(start)
            found = _NOT_PATH.match(text, opener) if -1 < opener < end else None
        if found is None:
            at = end
        else:
            yield found.span()
            at = found.end()


def _inside_word(text: str, start: int, end: int) -> bool:
    """A part of a longer token (`Node` of `Node.js`, `150590` of `#150590a`) is no answer."""
    before, after = text[start - 1 : start], text[end : end + 2]
    if text[end - 1 : end] in "-'’" or (
        after and not after[0].isspace() and after[0] not in _ENDS_A_WORD
    ):
        return True  # "CTRL-" of "CTRL-^": the deletion must end where the token does
    if _SYMBOL_WORD_BEFORE.search(text, max(0, start - 40), start):
        return True  # "STL" of "C++ STL"
    return before.isalnum() or (before in "_#@.<:*" and before != "") or bool(_GLUED.match(after))


# What may follow a word's last letter: a space or a sentence's punctuation.
_ENDS_A_WORD = frozenset(".,;:!?)]}\"'”’…*_")


# Glued on after: more of the word, code ("Vec<i32>", "parse(text)", "std::io"), or emphasis
# ("**Start simple**: ...": the label's first word alone is no answer).
_GLUED = re.compile(r"\w|[._-]\w|[<(\[*]|::")


def _bare(word: str) -> str:
    return word.removesuffix("'s").removesuffix("’s")


def escape_braces(text: str) -> str:
    """A literal `{{` in a point is written `\\{{`, so it is not read as a deletion."""
    return text.replace("{{", "\\{{")
