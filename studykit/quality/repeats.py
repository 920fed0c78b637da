"""What a reading teaches twice, and what a cloze shows while it hides it.

Interference: two cards that ask for the same answer (the same deletion, the same term, or a
deletion that is also a term) blur together in memory, and the second one is answered by rote.
Answers are compared by their stems, ignoring case, markup and spacing. A date or a figure is
different: many events share a year, so "1959" hidden in two sections is fine; hidden twice in
one section it is usually one fact taught twice, and is flagged.

Giveaway: a deletion whose answer (or a distinctive word of it, by its stem) also stands
unmasked on the card's front, in the rest of the point or in the hint, is read, not recalled.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from studykit.cloze import Cloze, Deletion
from studykit.model import Point, Reading, Section, Term
from studykit.quality.text import STOPWORDS, key_and_kind, plain, stem, words


@dataclass(frozen=True)
class Taught:
    """One answer a card asks the student to produce: a deletion or a term."""

    text: str
    kind: str  # "deletion" | "term"
    section: Section
    item: Point | Term


def repeated(reading: Reading) -> Iterator[tuple[Taught, Taught]]:
    """Each answer taught again, with the place that taught it first, in reading order."""
    first: dict[tuple[str, str], Taught] = {}
    for section in reading.sections:
        for taught in sorted(_taught(section), key=lambda t: t.item.line):
            same, number = key_and_kind(taught.text)
            if not same:
                continue
            scope = section.id if number else ""
            earlier = first.setdefault((scope, same), taught)
            if earlier is not taught:
                yield taught, earlier


def _taught(section: Section) -> Iterator[Taught]:
    for point in section.cloze_points:
        assert point.cloze is not None  # cloze_points only holds points with deletions
        for deletion in point.cloze.deletions:
            yield Taught(deletion.answer, "deletion", section, point)
    for term in section.terms:
        yield Taught(term.term, "term", section, term)


@dataclass(frozen=True)
class Giveaway:
    """A deletion, and the word on its card's front that gives it away."""

    deletion: Deletion
    shown: str


def giveaways(cloze: Cloze) -> Iterator[Giveaway]:
    """Each deletion of a cloze whose answer can be read on its own card's front.

    Formulas are compared as written: `$r^2$` hidden beside `$r^3$` gives nothing away.
    """
    texts = [p if isinstance(p, str) else p.answer for p in cloze.parts]
    folded = [_folded(text) for text in texts]
    pieces: list[list[str]] | None = None
    for index, part in enumerate(cloze.parts):
        if not isinstance(part, Deletion):
            continue
        # A card's front is every part but its own deletion (shown as its hint), as in Anki.
        hint = _folded(part.hint) if part.hint else ""
        front_text = " ".join([*folded[:index], hint, *folded[index + 1 :]])
        answer = words(plain(part.answer, keep_math=True))
        if not answer or not _may_show(answer, front_text):
            continue
        if pieces is None:  # each part's words once, and only for a point that needs them
            pieces = [words(plain(text, keep_math=True)) for text in texts]
        front = [w for piece in pieces[:index] for w in piece]
        front += words(plain(part.hint, keep_math=True)) if part.hint else []
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
    return any(stem(w)[:-1] in front for w in answer)


def _shown_answer(answer: list[str], front_words: list[str]) -> str | None:
    answer_stems = [stem(w) for w in answer]
    front_stems = [stem(w) for w in front_words]
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
