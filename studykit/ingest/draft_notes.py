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

import re
from dataclasses import dataclass
from functools import partial

from studykit.ingest.cloze_choice import _cloze, _Titled
from studykit.ingest.hidden_text import _bare, escape_braces
from studykit.ingest.leaning_back import _FOUR_DIGITS
from studykit.ingest.names import NameFinder
from studykit.ingest.points import _points
from studykit.ingest.question_cards import _questions
from studykit.ingest.questions import Words
from studykit.ingest.sections import PlannedSection
from studykit.ingest.sentence_scoring import _score, _section_sentences, _Sentence
from studykit.ingest.sentences import content_words, words
from studykit.ingest.summaries import _summary
from studykit.ingest.term_cards import _spelled_in, _terms, _the_topic
from studykit.ingest.topics import _names_in_heading, _title_acronyms, summary_topic
from studykit.quality.text import key

_TOPIC_WORDS = 4  # a name this near the reading's first word is its subject, the topic
_EMPHASIS = re.compile(r"\*\*|__")
# A licence's or a contract's defined term ("“Modifications” means ..."): capitalised because
# it is defined, it is the document's own word, not a fact to recall.
_QUOTED_TERM = re.compile(
    r"[“\"]([A-Z][^”\"]{0,40})[”\"]\s+(?:\([^()]{0,40}\)\s+)?(?:means|refers)\b"
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
    title_words = _title_words(title)
    used_answers = _used_answers(per_section, names, defined)
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
                # Braces escaped, as a point's are: only a point's text makes clozes, and
                # `check` refuses `{{` anywhere else (a template language's `{{ name }}`).
                terms=tuple(
                    (escape_braces(term), escape_braces(_shown(definition)))
                    for term, definition in terms
                    if not _spelled_in((term, definition), section.title)
                    and not _the_topic((term, definition), title_words)
                ),
                questions=tuple((escape_braces(q.q), escape_braces(q.a)) for _, q in questions),
                clozes=sum(deleted for _, deleted in points),
            )
        )
    return drafts


def _title_words(title: str) -> set[str]:
    """The reading's title names its topic ("The Meiji Restoration"): no card hides its words."""
    title_words = {w for w in content_words(words(title)) if len(w) > 2}
    title_words |= _title_acronyms(title)
    # "The French Revolution, 1789-1799": each year of a range is the title's too.
    title_words |= set(_FOUR_DIGITS.findall(title))
    return title_words


def _used_answers(
    per_section: list[list[_Sentence]], names: NameFinder, defined: set[str]
) -> set[str]:
    """The answers no cloze of the reading takes: its terms, its topic, its defined words."""
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
    return used_answers


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
