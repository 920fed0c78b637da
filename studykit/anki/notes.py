"""Cards as Anki notes: the HTML fields, note type, deck and tags of each note of the notes."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from studykit.anki.apkg import NoteType
from studykit.anki.changes import digest
from studykit.anki.notetypes import BY_KIND
from studykit.cards import Kind, Note
from studykit.citing.csl import CitedTexts, cite_reading
from studykit.notes.markup import cloze_html, to_html
from studykit.notes.model import Point, Question, Reading, Section, Term


@dataclass  # not frozen: a deck makes tens of thousands, three times faster this way
class AnkiNote:
    """One note of the notes as the package holds it."""

    note: Note
    guid: str
    fields: tuple[str, ...]  # HTML, in the note type's field order
    deck: str
    tags: tuple[str, ...]
    back: str  # `back_digest` of the note: what tells an edited note apart

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


def back_digest(
    fields: tuple[str, ...], tags: tuple[str, ...], deck: str, cards: tuple[int, ...], kind: Kind
) -> str:
    """A hash of everything a note holds but its front field, which identifies it to the
    student: the build manifest compares it to tell which notes changed."""
    rest = (*fields[1:], *tags, deck, repr(cards), str(BY_KIND[kind].id))
    return digest("\x1f".join(rest))


def section_decks(reading: Reading) -> tuple[str, ...]:
    """Each section's deck, in reading order: `<deck>::NN <section title>`, one subdeck per
    section. Anki sorts deck names as text, so the numbers are padded as the section files'
    are, to the digits of the last (`01` up to 99 sections, `001` from 100): unpadded, `100`
    would come between `10` and `11`."""
    digits = max([2] + [len(str(section.number)) for section in reading.sections])
    decks = []
    for section in reading.sections:
        title = " ".join(section.title.replace("::", ":").split())
        decks.append(f"{reading.deck_name}::{section.number:0{digits}d} {title}")
    return tuple(decks)


@dataclass(frozen=True)
class Rendered:
    """The notes as the package holds them, and the reading's citations formatted (None
    without a bibliography), which the decks' descriptions show too."""

    notes: list[AnkiNote]
    cited: CitedTexts | None


def render_notes(
    reading: Reading,
    notes: list[Note],
    images: Mapping[str, str],
    decks: Sequence[str],
    guids: Mapping[str, str],
) -> Rendered:
    """Each note with its GUID (`guids`: identity -> GUID), deck, tags and HTML fields, in the
    order given; `images`: each image as written -> its name in the package, `decks`: each
    section's deck."""
    cited = cite_reading(reading)  # None without a bibliography: citeproc not loaded
    fields = _SectionFields(reading, images, cited)
    deck_of = {id(s): deck for s, deck in zip(reading.sections, decks, strict=True)}
    made: list[AnkiNote] = []
    # Runs of notes of one section, in the order given, each with its section's deck.
    for key, run in itertools.groupby(notes, key=lambda note: id(note.section)):
        group, deck = list(run), deck_of[key]
        tags, rendered = fields(group, deck)
        for note, (texts, back) in zip(group, rendered, strict=True):
            made.append(AnkiNote(note, guids[note.identity], texts, deck, tags, back))
    return Rendered(made, cited)


_Fields = tuple[tuple[str, ...], list[tuple[tuple[str, ...], str]]]


class _SectionFields:
    """The tags and each note's HTML fields and back digest, for one section's notes and its
    deck."""

    def __init__(self, reading: Reading, images: Mapping[str, str], cited: CitedTexts | None):
        self.reading = reading
        self.images = images
        self.cited = cited  # None for a reading without bibliography: fields as written

    def field(self, text: str | None) -> str:
        if text and self.cited is not None:
            text = self.cited.text(text)
        return to_html(text, self.images) if text else ""

    def cloze(self, point: Point) -> str:
        cloze = point.cloze if self.cited is None else self.cited.cloze(point)
        assert cloze is not None  # only cloze points make notes
        return cloze_html(cloze, self.images)

    def source(self, source: str, texts: tuple[str | None, ...]) -> str:
        """The Source field: reading and section, then the works this card cites, in full."""
        works = self.cited.cited(texts) if self.cited is not None else ()
        if not works:
            return source
        # `{` as an entity: a title's `{{c1::...}}` must not read as a deletion to Anki.
        cited = "<br>".join(to_html(work).replace("{", "&#123;") for work in works)
        return f'{source}<div class="sources">Sources:<br>{cited}</div>'

    def __call__(self, notes: list[Note], deck: str) -> _Fields:
        reading, section, field = self.reading, notes[0].section, self.field
        tags = ("studykit", f"{reading.id}::{section.id}", *reading.tags, *section.tags)
        tags = tuple(dict.fromkeys(tags))
        source = to_html(f"{reading.title} › {section.title}")
        made: list[tuple[tuple[str, ...], str]] = []
        for note in notes:
            item = note.item
            fields: tuple[str, ...]
            if isinstance(item, Question):
                cites = self.source(source, (item.q, item.a, item.annotation))
                fields = (field(item.q), field(item.a), field(item.annotation), cites)
            elif isinstance(item, Term):
                reverse = "y" if 1 in note.cards else ""
                fields = (
                    field(item.term),
                    field(item.definition),
                    field(item.annotation),
                    self.source(source, (item.term, item.definition, item.annotation)),
                    reverse,
                )
            else:
                cites = self.source(source, (item.text, item.annotation))
                fields = (self.cloze(item), field(item.annotation), cites)
            made.append((fields, back_digest(fields, tags, deck, note.cards, note.kind)))
        return tags, made
