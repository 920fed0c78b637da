"""Cards as Anki notes: the HTML fields, note type, deck and tags of each note of the notes."""

from __future__ import annotations

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
    """Each note as Anki fields; `images` maps image paths as written to media names."""

    def field(text: str | None) -> str:
        return to_html(text, images) if text else ""

    made: list[AnkiNote] = []
    decks: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    for note in notes:
        section = note.section
        if section.id not in decks:
            tags = ("studykit", f"{reading.id}::{section.id}", *reading.tags, *section.tags)
            source = to_html(f"{reading.title} › {section.title}")
            decks[section.id] = (section_deck(reading, section), source, tuple(dict.fromkeys(tags)))
        deck, source, tags = decks[section.id]
        item = note.item
        if isinstance(item, Question):
            fields: tuple[str, ...] = (field(item.q), field(item.a), field(item.note), source)
        elif isinstance(item, Term):
            reverse = "y" if 1 in note.cards else ""
            fields = (field(item.term), field(item.definition), field(item.note), source, reverse)
        else:
            assert item.cloze is not None  # only cloze points make notes
            fields = (cloze_html(item.cloze, images), field(item.note), source)
        made.append(AnkiNote(note, guids[note.identity], fields, deck, tags))
    return made
