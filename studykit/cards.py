"""Which cards the notes make: questions, terms (and their reverse), cloze deletions.

Each item of the notes becomes one note whose identity comes from the reading, the section, the
kind of item and its key: the item's `id`, else the term, the question or the cloze text without
markers. Editing an answer, a definition or an annotation keeps the identity, so Anki updates the
note in place and review keeps its history. A note makes one card per template (a term's reverse)
or per cloze deletion.

This module knows nothing of Anki or of any output format: cards carry the notes' own text, and
the deck, the review screen and the handouts each render it their way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from studykit.notes.cloze import Deletion, marked
from studykit.notes.model import Point, Question, Reading, Section, Term

Item = Point | Term | Question


class Kind(StrEnum):
    QUESTION = "question"
    TERM = "term"
    CLOZE = "cloze"


@dataclass(frozen=True)
class Note:
    """One item of the notes as a note that makes cards."""

    kind: Kind
    identity: str  # reading/section/kind/key
    text_identity: str  # the identity without the item's `id`: what it was before it had one
    section: Section
    item: Item
    cards: tuple[int, ...]  # card numbers: 0 forward, 1 reverse; cloze deletion number - 1
    label: str  # the front as one line of plain text, for reports

    @property
    def line(self) -> int:
        return self.item.line

    @property
    def has_id(self) -> bool:
        return self.item.id is not None

    @cached_property  # identities and review read it several times per note
    def local_identity(self) -> str:
        """The identity without the reading: section/kind/key (the identity record's key)."""
        return self.identity.split("/", 1)[1]


@dataclass(frozen=True)
class Card:
    """One card as text of the notes (inline Markdown and math, unrendered)."""

    note: Note
    number: int  # 0-based: Anki's card ordinal
    prompt: str  # what the front asks; a cloze front shows its deletion as [...] or [hint]
    answer: str  # what the back reveals; a cloze back is the whole point with the answer marked
    annotation: str | None
    source: str  # reading title › section title
    deletion: Deletion | None = None  # the deletion a cloze card asks for

    @property
    def direction(self) -> str:
        """A short name of what the card asks, for listings: q, term, reverse, c1, c2 ..."""
        if self.note.kind is Kind.CLOZE:
            return f"c{self.number + 1}"
        if self.note.kind is Kind.TERM:
            return "reverse" if self.number else "term"
        return "q"


def section_card_count(section: Section, reverse_terms: bool) -> int:
    """Cards one section makes: one per question, one or two per term, one per deletion."""
    per_term = 2 if reverse_terms else 1
    deletions = sum(len(p.cloze.deletions) for p in section.points if p.cloze)
    return len(section.questions) + per_term * len(section.terms) + deletions


def reading_card_count(reading: Reading) -> int:
    return sum(section_card_count(s, reading.reverse_terms) for s in reading.sections)


def section_items(section: Section) -> list[Item]:
    """The items of a section that make cards, in the order they stand in the file."""
    items: list[Item] = [*section.cloze_points, *section.terms, *section.questions]
    items.sort(key=lambda item: item.line)
    return items


def derive_notes(
    reading: Reading, progress: Callable[[int, int], None] | None = None
) -> list[Note]:
    """Every note of a reading, in reading order.

    `progress(done, total)` is called after each section, for a progress bar on long builds.
    """
    notes: list[Note] = []
    for done, section in enumerate(reading.sections, 1):
        prefix = f"{reading.id}/{section.id}"
        for item in section_items(section):
            kind, label, cards = _shape(item, reading.reverse_terms)
            notes.append(
                Note(
                    kind=kind,
                    identity=f"{prefix}/{kind}/{item.key}",
                    text_identity=f"{prefix}/{kind}/{item.text_key}",
                    section=section,
                    item=item,
                    cards=cards,
                    label=" ".join(label.split()),
                )
            )
        if progress:
            progress(done, len(reading.sections))
    return notes


def _shape(item: Item, reverse_terms: bool) -> tuple[Kind, str, tuple[int, ...]]:
    if isinstance(item, Question):
        return Kind.QUESTION, item.q, (0,)
    if isinstance(item, Term):
        return Kind.TERM, item.term, (0, 1) if reverse_terms else (0,)
    assert item.cloze is not None  # only cloze points make notes
    # The point as read, which its text identity holds already (computed in validation).
    label = item.text_key.removeprefix("text:")
    return Kind.CLOZE, label, tuple(d.number - 1 for d in item.cloze.deletions)


def note_cards(note: Note, reading: Reading) -> list[Card]:
    """The cards one note makes, as notes text."""
    return [note_card(note, reading, number) for number in note.cards]


def note_card(note: Note, reading: Reading, number: int) -> Card:
    """Card `number` of a note, as notes text, without its siblings' text: a cloze card holds
    the whole point, so building every sibling to show one costs the point's length times its
    deletions."""
    source = f"{reading.title} › {note.section.title}"
    item = note.item
    if isinstance(item, Question):
        return Card(note, 0, item.q, item.a, item.annotation, source)
    if isinstance(item, Term):
        if number == 1:
            return Card(note, 1, item.definition, item.term, item.annotation, source)
        return Card(note, 0, item.term, item.definition, item.annotation, source)
    assert item.cloze is not None
    cloze = item.cloze
    deletion = cloze.deletions[number]
    front: list[str] = []
    back: list[str] = []
    for part in cloze.parts:
        if isinstance(part, str):
            front.append(part)
            back.append(part)
        elif part is deletion:
            front.append(f"[{part.hint or '...'}]")
            back.append(marked(part.answer))
        else:
            front.append(part.answer)
            back.append(part.answer)
    return Card(note, number, "".join(front), "".join(back), item.annotation, source, deletion)


def derive_cards(reading: Reading) -> list[Card]:
    """Every card of a reading, in reading order (a note's cards together)."""
    return [card for note in derive_notes(reading) for card in note_cards(note, reading)]
