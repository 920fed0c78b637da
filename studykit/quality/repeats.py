"""What a reading teaches twice, and what a cloze shows while it hides it.

Interference: two cards that ask for the same answer (the same deletion, the same term, or a
deletion that is also a term) blur together in memory, and the second one is answered by rote.
Answers are compared by their stems, ignoring case, markup and spacing, and folded first
(invisible.py): a zero-width character, or an accent encoded apart from its letter, does not
make two answers different. A date or a figure is different: many events share a year, so it is
flagged only when hidden twice in one section by two points that also share a distinctive word
("Lushan"), which makes them one fact taught twice.
A question's answer counts the same way: one fact asked twice when the answer is a deletion's text
and the question shares a distinctive word with that point.

Giveaway: a deletion whose answer (or a distinctive word of it, by its stem) also stands
unmasked on the card's front, in the rest of the point or in the hint, is read, not recalled.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from studykit.notes.cloze import Cloze, Deletion
from studykit.notes.invisible import fold
from studykit.notes.model import Point, Question, Reading, Section, Term
from studykit.quality.text import STOPWORDS, key_and_kind, plain, stem, words

_DELETION_SIZE = 60  # characters: longer than any deletion worth comparing with an answer


@dataclass(slots=True)  # not frozen: frozen ones take three times as long to make, 30,000 here
class Taught:
    """One answer a card asks the student to produce: a deletion or a term."""

    text: str
    kind: str  # "deletion" | "term" | "answer"
    section: Section
    item: Point | Term | Question
    context: str  # the words around the answer: the point, the term's definition, the question


def repeated(reading: Reading) -> Iterator[tuple[Taught, Taught]]:
    """Each answer taught again, with the place that taught it first, in reading order."""
    first: dict[str, Taught] = {}  # the first deletion or term of each answer (not a figure)
    # The cards that clash only when they share a word, by answer: found by the words they
    # hold, so each card costs its own words, however many cards hide the same year.
    figures: dict[tuple[str, str], _Pool] = {}  # by section and answer
    asked: dict[str, _Pool] = {}  # question answers
    hidden: dict[str, _Pool] = {}  # deletions, for question answers to meet
    order = 0
    for section in reading.sections:
        for taught in sorted(_taught(section), key=lambda t: t.item.line):
            same, number = key_and_kind(taught.text)
            if not same:
                continue
            order += 1
            clash: Taught | None = None
            if taught.kind == "answer":
                clash = _first_sharing(taught, hidden.get(same))
            elif number:
                figure = figures.setdefault((section.id, same), _Pool())
                clash = _first_sharing(taught, figure, asked.get(same))
            else:
                earlier = first.setdefault(same, taught)
                if earlier is not taught:
                    yield taught, earlier
                    continue
                if taught.kind == "deletion":
                    clash = _first_sharing(taught, asked.get(same))
            if clash is not None:
                yield taught, clash
            if taught.kind == "answer":
                asked.setdefault(same, _Pool()).add(taught, order)
            elif taught.kind == "deletion":
                hidden.setdefault(same, _Pool()).add(taught, order)
                if number:
                    figures[section.id, same].add(taught, order)


class _Pool:
    """Cards with one answer, by the distinctive words of their contexts: the first card (in
    reading order) holding each word. Compared pairwise, 16,000 points hiding one year took
    minutes; a card is found here by its own words."""

    def __init__(self) -> None:
        self.by_word: dict[str, tuple[int, Taught]] = {}

    def add(self, taught: Taught, order: int) -> None:
        for word in _distinctive(taught.context):
            self.by_word.setdefault(word, (order, taught))


def _first_sharing(taught: Taught, *pools: _Pool | None) -> Taught | None:
    """The first card of the pools about the same thing as `taught`: sharing a distinctive word
    beyond the answer."""
    answer = {stem(w) for w in words(plain(taught.text))}
    found = [
        pool.by_word[word]
        for pool in pools
        if pool is not None
        for word in _distinctive(taught.context) - answer
        if word in pool.by_word
    ]
    return min(found, key=lambda pair: pair[0])[1] if found else None


@cache
def _distinctive(text: str) -> frozenset[str]:
    """Stems of the words that name something: 4+ letters, not a stopword, not a figure."""
    found = words(plain(text))
    return frozenset(
        stem(w) for w in found if len(w) >= 4 and w.casefold() not in STOPWORDS and w[0].isalpha()
    )


def _taught(section: Section) -> Iterator[Taught]:
    for point in section.cloze_points:
        assert point.cloze is not None  # cloze_points only holds points with deletions
        for deletion in point.cloze.deletions:
            yield Taught(fold(deletion.answer), "deletion", section, point, fold(point.text))
    for term in section.terms:
        context = fold(f"{term.term} {term.definition}")
        yield Taught(fold(term.term), "term", section, term, context)
    for question in section.questions:
        # Only a short answer can be a deletion's text; a long one is not read twice here.
        if len(question.a) <= _DELETION_SIZE:
            yield Taught(fold(question.a), "answer", section, question, fold(question.q))


@dataclass(frozen=True)
class Giveaway:
    """A deletion, and the word on its card's front that gives it away."""

    deletion: Deletion
    shown: str


MAX_DELETIONS_COMPARED = 100


def giveaways(cloze: Cloze) -> Iterator[Giveaway]:
    """Each deletion of a cloze whose answer can be read on its own card's front.

    Formulas are compared as written: `$r^2$` hidden beside `$r^3$` gives nothing away.
    """
    if len(cloze.deletions) > MAX_DELETIONS_COMPARED:
        # Each card's front is every other part: comparing them all is quadratic, and a point
        # this dense is no set of cards a giveaway check can help (thousands took minutes).
        return
    texts = [fold(p if isinstance(p, str) else p.answer) for p in cloze.parts]
    folded = [_folded(text) for text in texts]
    pieces: list[list[str]] | None = None
    for index, part in enumerate(cloze.parts):
        if not isinstance(part, Deletion):
            continue
        # A card's front is every part but its own deletion (shown as its hint), as in Anki.
        hint = _folded(fold(part.hint)) if part.hint else ""
        front_text = " ".join([*folded[:index], hint, *folded[index + 1 :]])
        answer = words(plain(texts[index], keep_math=True))
        if not answer or not _may_show(answer, front_text):
            continue
        if pieces is None:  # each part's words once, and only for a point that needs them
            pieces = [words(plain(text, keep_math=True)) for text in texts]
        front = [w for piece in pieces[:index] for w in piece]
        front += words(plain(fold(part.hint), keep_math=True)) if part.hint else []
        front += [w for piece in pieces[index + 1 :] for w in piece]
        shown = _shown_answer(answer, front)
        if shown is not None:
            yield Giveaway(part, shown)


def _folded(text: str) -> str:
    # Formulas as written: two different formulas must not read as the same placeholder word.
    return plain(text, keep_math=True).casefold().replace("’", "'")


def _may_show(answer: list[str], front: str) -> bool:
    """Whether any answer word may stand in the front at all: a cheap test before the real one.

    A word's stem, less its last letter (which `ies` -> `y` may change), begins the word as
    written, so a front without that text has no word of that stem.
    """
    if any(stem(w)[:-1] in front for w in answer):
        return True
    return "-" in "".join(answer) and any(stem(p)[:-1] in front for p in _hyphen_parts(answer))


def _hyphen_parts(answer: list[str]) -> list[str]:
    """The distinctive parts of the answer's hyphenated words: "Soviet" of "Sino-Soviet"."""
    return [
        part
        for word in answer
        if "-" in word
        for part in word.split("-")
        if len(part) >= 4 and part.isalpha() and part.casefold() not in STOPWORDS
    ]


def _shown_answer(answer: list[str], front_words: list[str]) -> str | None:
    answer_stems = [stem(w) for w in answer]
    front_stems = [stem(w) for w in front_words]
    for part in _hyphen_parts(answer):
        # "Soviet" beside a hidden "Sino-Soviet split" gives half the name away.
        if stem(part) in front_stems:
            return front_words[front_stems.index(stem(part))]
    if not set(answer_stems).intersection(front_stems):
        return None
    size = len(answer_stems)
    for i in range(len(front_stems) - size + 1):
        if front_stems[i : i + size] == answer_stems:
            return " ".join(front_words[i : i + size])
    if size == 1 or any(w[0].isdigit() for w in answer):
        # A figure's unit ("144 million tonnes" beside "200 million tonnes") gives nothing away.
        return None
    # Part of a longer answer: only a distinctive word gives it away, not "the" or "million".
    by_stem = dict(zip(reversed(front_stems), reversed(front_words), strict=True))
    for word, word_stem in zip(answer, answer_stems, strict=True):
        if len(word) >= 4 and word.casefold() not in STOPWORDS and word_stem in by_stem:
            return by_stem[word_stem]
    return None
