"""Cards as Anki notes: the HTML fields, note type, deck and tags of each note of the notes."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from studykit.anki.apkg import NoteType
from studykit.anki.changes import digest
from studykit.anki.notetypes import BY_KIND
from studykit.cards import Kind, Note
from studykit.citing.csl import CitedTexts, cite_reading
from studykit.notes.markup import cloze_html, to_html
from studykit.notes.model import Point, Question, Reading, Section, Term

if TYPE_CHECKING:
    from studykit.processes.parallel import Shared


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
    section, sorted in reading order."""
    decks = []
    for section in reading.sections:
        title = " ".join(section.title.replace("::", ":").split())
        decks.append(f"{reading.deck_name}::{section.number:02d} {title}")
    return tuple(decks)


@dataclass(frozen=True)
class Rendered:
    """The notes as the package holds them, and the reading's citations formatted (None
    without a bibliography), which the decks' descriptions show too."""

    notes: list[AnkiNote]
    cited: CitedTexts | None


class Rendering:
    """The notes' fields, rendered on entering (a context manager) and collected, each note with
    its GUID, by `notes(guids)`.

    Rendering is most of a large reading's build after loading, and each section's fields
    depend only on that section, not on the GUIDs: a large reading's later sections go to the
    second process (`processes.parallel`) on entering, and it renders them while this process
    settles the GUIDs, then renders its own share. Leaving stops a second process still at work.
    """

    def __init__(
        self,
        reading: Reading,
        notes: list[Note],
        images: Mapping[str, str],
        decks: Sequence[str],
    ):
        self.cited = cite_reading(reading)  # None without a bibliography: citeproc not loaded
        deck_of = {id(s): deck for s, deck in zip(reading.sections, decks, strict=True)}
        # Runs of notes of one section, in the order given, each with its section's deck.
        self.groups = [
            (list(run), deck_of[key])
            for key, run in itertools.groupby(notes, key=lambda note: id(note.section))
        ]
        self.fields = _SectionFields(reading, images, self.cited)
        self.work: Shared[tuple[list[Note], str], _Fields] | None = None

    def __enter__(self) -> Rendering:
        from studykit.processes.parallel import Shared

        # Two thirds to the second process: settling the GUIDs takes this one about half as
        # long as rendering every field.
        weights = [1] * len(self.groups)
        self.work = Shared(self.fields, self.groups, weights, theirs=2 / 3).__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.work is not None:
            self.work.__exit__(*exc)

    def notes(self, guids: Mapping[str, str]) -> Rendered:
        """Each note with its GUID (`guids`: identity -> GUID), deck, tags and HTML fields, in
        the order given."""
        assert self.work is not None, "entered"
        made: list[AnkiNote] = []
        for (group, deck), (tags, rendered) in zip(self.groups, self.work.results(), strict=True):
            for note, (texts, back) in zip(group, rendered, strict=True):
                made.append(AnkiNote(note, guids[note.identity], texts, deck, tags, back))
        return Rendered(made, self.cited)


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

    def __call__(self, group: tuple[list[Note], str]) -> _Fields:
        notes, deck = group
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
