"""Cards as Anki notes: the HTML fields, note type, deck and tags of each note of the notes."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

from studykit.anki.apkg import NoteType
from studykit.anki.notetypes import BY_KIND
from studykit.cards import Kind, StudyNote
from studykit.markup import cloze_html, to_html
from studykit.model import Question, Reading, Section, Term


@dataclass(frozen=True)
class AnkiNote:
    """One note of the notes as the package holds it."""

    note: StudyNote
    guid: str
    fields: tuple[str, ...]  # HTML, in the note type's field order
    deck: str
    tags: tuple[str, ...]

    @property
    def note_type(self) -> NoteType:
        return BY_KIND[self.note.kind]

    @property
    def kind(self) -> Kind:
        return self.note.kind

    @property
    def identity(self) -> str:
        return self.note.identity

    @property
    def section(self) -> Section:
        return self.note.section

    @property
    def cards(self) -> tuple[int, ...]:
        return self.note.cards

    @property
    def label(self) -> str:
        return self.note.label


def section_deck(reading: Reading, section: Section) -> str:
    """`<deck>::NN <section title>`: one subdeck per section, sorted in reading order."""
    title = " ".join(section.title.replace("::", ":").split())
    return f"{reading.deck_name}::{section.number:02d} {title}"


def anki_notes(
    reading: Reading,
    notes: list[StudyNote],
    guids: Mapping[str, str],
    images: Mapping[str, str] | None = None,
) -> list[AnkiNote]:
    """Each note as Anki fields; `images` maps image paths as written to media names.

    Rendering the fields is most of the work, and each section's depend only on that section,
    so a large reading's later sections are rendered in the second process (`studykit.parallel`).
    """
    from studykit.parallel import shared_map

    # Runs of notes of one section, in the order given.
    groups = [list(run) for _, run in itertools.groupby(notes, key=lambda n: id(n.section))]
    rendered = shared_map(_SectionFields(reading, images), groups, [1] * len(groups))
    made: list[AnkiNote] = []
    for group, (deck, tags, fields) in zip(groups, rendered, strict=True):
        for note, note_fields in zip(group, fields, strict=True):
            made.append(AnkiNote(note, guids[note.identity], note_fields, deck, tags))
    return made


class _SectionFields:
    """The deck, tags and each note's HTML fields of one section's notes (a class, not a
    closure, so that it can cross processes)."""

    def __init__(self, reading: Reading, images: Mapping[str, str] | None):
        self.reading = reading
        self.images = images

    def field(self, text: str | None) -> str:
        return to_html(text, self.images) if text else ""

    def __call__(
        self, notes: list[StudyNote]
    ) -> tuple[str, tuple[str, ...], list[tuple[str, ...]]]:
        reading, section, field = self.reading, notes[0].section, self.field
        tags = ("studykit", f"{reading.id}::{section.id}", *reading.tags, *section.tags)
        source = to_html(f"{reading.title} › {section.title}")
        made: list[tuple[str, ...]] = []
        for note in notes:
            item = note.item
            if isinstance(item, Question):
                made.append((field(item.q), field(item.a), field(item.note), source))
            elif isinstance(item, Term):
                reverse = "y" if 1 in note.cards else ""
                made.append(
                    (field(item.term), field(item.definition), field(item.note), source, reverse)
                )
            else:
                assert item.cloze is not None  # only cloze points make notes
                made.append((cloze_html(item.cloze, self.images), field(item.note), source))
        return section_deck(reading, section), tuple(dict.fromkeys(tags)), made
