"""Which cards the notes make: questions, terms (and their reverse), cloze deletions.

Each item of the notes becomes one Anki note whose identity (and so GUID) comes from the reading,
the section, the kind of item and its key: the item's `id`, else the term, the question or the
cloze text without markers. Editing an answer, a definition or an annotation keeps the identity,
so Anki updates the note in place and keeps its review history.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from studykit.model import Point, Question, Reading, Section, Term

if TYPE_CHECKING:
    from studykit.apkg import NoteType


class Kind(StrEnum):
    QUESTION = "question"
    TERM = "term"
    CLOZE = "cloze"


@dataclass(frozen=True)
class CardNote:
    """One Anki note made from one item of the notes, with the cards it makes."""

    kind: Kind
    identity: str  # reading/section/kind/key
    text_identity: str  # the identity without the item's `id`: what it was before it had one
    section: Section
    fields: tuple[str, ...]  # HTML, in the note type's field order
    cards: tuple[int, ...]  # card ordinals: template index, or cloze number - 1
    deck: str
    tags: tuple[str, ...]
    line: int
    label: str  # the front as plain text, for reports
    has_id: bool
    note_type: NoteType
    guid: str


def guid_for(identity: str) -> str:
    """A stable Anki GUID for a note identity."""
    return "sk" + hashlib.sha256(identity.encode("utf-8")).hexdigest()[:20]


def section_card_count(section: Section, reverse_terms: bool) -> int:
    """Cards one section makes: one per question, one or two per term, one per deletion."""
    per_term = 2 if reverse_terms else 1
    deletions = sum(len(p.cloze.deletions) for p in section.points if p.cloze)
    return len(section.questions) + per_term * len(section.terms) + deletions


def reading_card_count(reading: Reading) -> int:
    return sum(section_card_count(s, reading.reverse_terms) for s in reading.sections)


def section_deck(reading: Reading, section: Section) -> str:
    """`<deck>::NN <section title>`: one subdeck per section, sorted in reading order."""
    title = " ".join(section.title.replace("::", ":").split())
    return f"{reading.deck_name}::{section.number:02d} {title}"


def derive_notes(
    reading: Reading,
    images: Mapping[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[CardNote]:
    """Every Anki note of a reading, in reading order; `images` maps image paths to media names.

    `progress(done, total)` is called after each section, for a progress bar on long builds.
    """
    from studykit.markup import cloze_html, to_html
    from studykit.notetypes import BY_KIND

    def field(text: str | None) -> str:
        return to_html(text, images) if text else ""

    notes: list[CardNote] = []
    for done, section in enumerate(reading.sections, 1):
        deck = section_deck(reading, section)
        tags = ("studykit", f"{reading.id}::{section.id}", *reading.tags, *section.tags)
        source = to_html(f"{reading.title} › {section.title}")
        items: list[Point | Term | Question] = [*section.cloze_points, *section.terms]
        items += section.questions
        items.sort(key=lambda item: item.line)
        for item in items:
            if isinstance(item, Question):
                kind, label = Kind.QUESTION, item.q
                fields: tuple[str, ...] = (field(item.q), field(item.a), field(item.note), source)
                cards: tuple[int, ...] = (0,)
            elif isinstance(item, Term):
                kind, label = Kind.TERM, item.term
                reverse = "y" if reading.reverse_terms else ""
                fields = (
                    field(item.term),
                    field(item.definition),
                    field(item.note),
                    source,
                    reverse,
                )
                cards = (0, 1) if reading.reverse_terms else (0,)
            else:
                assert item.cloze is not None  # only cloze points are listed
                kind, label = Kind.CLOZE, item.cloze.plain()
                fields = (cloze_html(item.cloze, images), field(item.note), source)
                cards = tuple(d.number - 1 for d in item.cloze.deletions)
            identity = f"{reading.id}/{section.id}/{kind}/{item.key}"
            notes.append(
                CardNote(
                    kind=kind,
                    identity=identity,
                    text_identity=f"{reading.id}/{section.id}/{kind}/{item.text_key}",
                    section=section,
                    fields=fields,
                    cards=cards,
                    deck=deck,
                    tags=_unique(tags),
                    line=item.line,
                    label=" ".join(label.split()),
                    has_id=item.id is not None,
                    note_type=BY_KIND[kind],
                    guid=guid_for(identity),
                )
            )
        if progress:
            progress(done, len(reading.sections))
    return notes


def _unique(tags: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(tags))
