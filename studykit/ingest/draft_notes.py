"""Draft notes for each section, taken from the reading's own sentences (nothing is invented).

- Summary: the one or two sentences that best cover the section's distinctive words (each
  word weighted by how much more it belongs to this section than to the others), in reading order.
- Points: the next best sentences. A point becomes a cloze card on a year, a number or a name
  in it: never a deletion that is already used elsewhere in the reading, and never one whose
  words also stand unmasked in the same sentence (the card would give its answer away).
- Terms: proper names of two or more words ("Great Leap Forward") and names that recur, each
  with the sentence that introduces it (the term itself masked there, so the card asks for it).
- Questions: one cue question per section made from its heading (SQ3R), answered by the summary.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain

from studykit.ingest.names import NameFinder
from studykit.ingest.sections import PlannedSection
from studykit.ingest.sentences import cased_words, content_words, sentences, words
from studykit.scanning import Next

SUMMARY_WORDS = 25  # what `check` allows an answer before calling it long
POINT_WORDS = (6, 45)  # a point shorter or longer than this makes a poor card
MAX_POINTS = 6
MAX_TERMS = 4
MAX_SENTENCE_CHARS = 5_000
"""About 800 words: no card can ask it, and drafts quote whole sentences (a summary, its
question's answer, a term's definition), so a longer one (a list or index without full stops,
a page without punctuation) is left out of the drafts. The excerpt keeps it, like every
sentence a draft does not use; drafting stays small, and the notes file under its limit."""

_YEAR = re.compile(r"(?<![\w.,$£€-])(?:1[0-9]{3}|20[0-9]{2})s?(?![\w%]|[.,]\d)")
_AMOUNT = re.compile(
    r"(?<![\w.,])\d[\d,.]*\d?\s?(?:%|percent|per cent|million|billion|trillion|thousand)(?!\w)"
)
_NUMBER = re.compile(r"(?<![\w.,])\d{2,}(?:[.,]\d+)*(?![\w%])")
_CLOZABLE = re.compile(r"\d|(?<=\w )[A-Z]")
_LIST_ITEM = re.compile(r"\s*(?:[-*+•]|\d{1,3}[.)])\s+")
_WH = frozenset("how why what when where who which whose".split())
_AUXILIARY = frozenset(
    "is are was were do does did can could should would will has have had may might must "
    "much many far long".split()
)
_NO_CLOZE = re.compile(
    r"^(?:By|Posted|Published|Updated)(?:\s+[A-Z][\w.'’-]*){1,4}\s*(?:,|$)"  # a byline
    r"|\||\t|(?:^|\n)\s*>|\S\s{3,}\S"  # a table row, a quote's line
)
_COLUMN_GAP = re.compile(r"\S(?: {3,}|\t)(?=\S)")
_QUOTE_MARK = re.compile(r"^(?:>\s*)+")
_NOT_PROSE = re.compile(r"\s*(?:```|~~~|#|\||<|    )")


@dataclass(frozen=True)
class Draft:
    """The drafted notes of one section."""

    summary: str | None
    points: tuple[str, ...]
    terms: tuple[tuple[str, str], ...]
    questions: tuple[tuple[str, str], ...]


@dataclass
class _Sentence:
    text: str
    index: int
    size: int  # words
    words: list[str]  # content words
    score: float = 0.0


def draft_reading(sections: list[PlannedSection]) -> list[Draft]:
    """Draft notes for every section; deterministic, so one reading always gives one draft."""
    lowercase: set[str] = set()
    capitalised: set[str] = set()
    per_section = [_section_sentences(s, lowercase, capitalised) for s in sections]
    _score(per_section)
    names = NameFinder([[s.text for s in ss] for ss in per_section], lowercase, capitalised)
    term_pool = names.terms(MAX_TERMS)
    # A name asked for by a term card is not hidden in a cloze too: two cards, one answer. A
    # term whose definition is only its sentence with the name masked ("…") reads badly as a
    # card: when a point can ask for that name as a cloze, the cloze is kept, not the term.
    defined = {t.lower() for ts in term_pool.values() for t, d in ts if not _masked(d)}
    used_answers = set(defined)
    seen_sentences: set[str] = set()
    all_points = []
    for found in per_section:
        summary = _summary(found)
        points = [
            _cloze(sentence.text, names, used_answers)
            for sentence in _points(found, summary, seen_sentences)
        ]
        all_points.append((summary, points))
    drafts = []
    for number, (section, (summary, points)) in enumerate(zip(sections, all_points, strict=True)):
        terms = tuple(
            (t, answer_sized(d))
            for t, d in term_pool.get(number, ())
            if t.lower() not in used_answers - defined
        )
        said = answer_sized(" ".join(s.text for s in summary))
        questions = ((_question(section, names), said),)
        drafts.append(
            Draft(
                summary=said or None,
                points=tuple(points),
                terms=terms,
                questions=questions if summary else (),
            )
        )
    return drafts


def answer_sized(text: str) -> str:
    """The text, or its first clause when the whole would be a long or list answer on a card.

    "X represents a chapter in history, characterized by ambition, ideology, and tragedy" ->
    "X represents a chapter in history": the words up to a comma, as long as they still say
    something (six words or more). The text itself when no such clause exists.
    """
    from studykit.quality import ANSWER_WORDS
    from studykit.quality.shapes import list_items, too_long

    def fits(candidate: str) -> bool:
        return list_items(candidate) is None and too_long(candidate, ANSWER_WORDS) is None

    if not text or fits(text):
        return text
    cuts = [m.start() for m in re.finditer(r",\s", text)]
    for cut in cuts:
        head = text[:cut].rstrip()
        if len(head.split()) >= 6 and fits(head):
            return head
    return text


def _masked(definition: str) -> bool:
    """A definition that is the name's sentence with the name replaced by "…"."""
    return "…" in definition


def _section_sentences(
    section: PlannedSection, lowercase: set[str], capitalised: set[str]
) -> list[_Sentence]:
    """The section's sentences; adds the words seen in lower case and capitalised mid-sentence."""
    found: list[_Sentence] = []
    every_cased: list[list[str]] = []
    for paragraph in section.paragraphs:
        if _NOT_PROSE.match(paragraph) or any(
            len(_COLUMN_GAP.findall(line)) >= 2 for line in paragraph.split("\n")
        ):
            continue  # code, a table, or a table flattened to text: no sentences to learn
        lines = paragraph.split("\n")
        if all(_LIST_ITEM.match(line) for line in lines):
            chunks = [_LIST_ITEM.sub("", line, count=1) for line in lines]
        else:
            chunks = [paragraph]
        for chunk in chunks:
            for text in sentences(chunk):
                # A Markdown quote's `>` is layout, not part of the sentence.
                text = _QUOTE_MARK.sub("", text)
                if not text or len(text) > MAX_SENTENCE_CHARS:
                    continue
                cased = cased_words(text)
                every_cased.append(cased)
                every = words(text)
                found.append(_Sentence(text, len(found), len(every), content_words(every)))
    # Distinct words first: far fewer than words, so the case tests stay cheap.
    seen = set(chain.from_iterable(every_cased))
    lowercase.update(w for w in seen if w[0].islower())
    after_first = set(chain.from_iterable(cased[1:] for cased in every_cased))
    capitalised.update(w.lower() for w in after_first if w[0].isupper())
    return found


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


def _summary(found: list[_Sentence]) -> list[_Sentence]:
    """The best sentence that fits a card's answer, else the best sentence."""
    ranked = [s for s in _ranked(found) if s.size >= 5] or _ranked(found)
    short = [s for s in ranked[:5] if s.size <= SUMMARY_WORDS]
    return (short or ranked)[:1]


def _points(found: list[_Sentence], summary: list[_Sentence], seen: set[str]) -> list[_Sentence]:
    low, high = POINT_WORDS
    fitting = [s for s in _ranked(found) if low <= s.size <= high]
    # Sentences with a year, a number or a name make cloze cards: prefer them.
    fitting.sort(key=lambda s: (-s.score * (1.3 if _CLOZABLE.search(s.text) else 1), s.index))
    wanted = min(MAX_POINTS, max(2, math.ceil(len(fitting) / 3)))
    # The summary's sentence is already asked for by the cue question.
    order = [s for s in fitting if all(s is not t for t in summary)] or fitting
    chosen: list[_Sentence] = []
    for sentence in order:
        key = " ".join(sentence.text.lower().split())
        if key in seen:
            continue
        seen.add(key)
        chosen.append(sentence)
        if len(chosen) == wanted:
            break
    return sorted(chosen, key=lambda s: s.index)


def _cloze(text: str, names: NameFinder, used: set[str]) -> str:
    """The sentence as a point: one deletion on its best year, number or name, if one is fair."""
    if _NO_CLOZE.search(text):
        return escape_braces(text)  # a byline's date or a table's cell is not a fact to learn
    spans = [m.span() for m in _YEAR.finditer(text)]
    spans += [m.span() for m in _AMOUNT.finditer(text)]
    spans += [span for span in names.spans(text) if len(text[span[0] : span[1]].split()) > 1]
    spans += [m.span() for m in _NUMBER.finditer(text)]
    spans += [span for span in names.spans(text) if len(text[span[0] : span[1]].split()) == 1]
    for start, end in spans:
        answer = text[start:end].strip()
        if _fair(text, start, end, answer, used):
            used.add(answer.lower())
            return escape_braces(text[:start]) + "{{" + answer + "}}" + escape_braces(text[end:])
    return escape_braces(text)


def _fair(text: str, start: int, end: int, answer: str, used: set[str]) -> bool:
    """A deletion not used before, not given away by the rest of its sentence, safe to mark."""
    if not answer or answer.lower() in used or any(c in answer for c in "{}:\\"):
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
    return before.isalnum() or (before in "_#@." and before != "") or bool(_GLUED.match(after))


_GLUED = re.compile(r"\w|[._-]\w")


def _bare(word: str) -> str:
    return word.removesuffix("'s").removesuffix("’s")


def escape_braces(text: str) -> str:
    """A literal `{{` in a point is written `\\{{`, so it is not read as a deletion."""
    return text.replace("{{", "\\{{")


def _question(section: PlannedSection, names: NameFinder) -> str:
    """A cue question from the section's heading, as SQ3R has the reader ask before reading."""
    if not section.headed:
        if section.title == "Introduction":
            return "What does the introduction set out to show?"
        if section.title == "Conclusion":
            return "What does the reading conclude?"
        return "What is the main argument of the reading?"
    title = " ".join(section.title.split())
    if title.endswith("?"):
        return title
    heading_words = title.lower().split()
    if heading_words[0] in _WH:
        # "Why did the communes fail" reads as a question; "How it worked" does not.
        if len(heading_words) > 1 and heading_words[1] in _AUXILIARY:
            return title.rstrip(".:;") + "?"
        return f"What does the section “{title.rstrip('.:;')}” explain?"
    phrase = names.as_phrase(title)
    if phrase is None:
        return f"What does the section “{title}” argue?"
    return f"What does the section on {phrase} argue?"
