"""Cards as Anki notes: the HTML fields, note type, deck and tags of each note of the notes."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Mapping
from dataclasses import dataclass

from studykit.anki.apkg import NoteType
from studykit.anki.notetypes import BY_KIND
from studykit.cards import Kind, StudyNote
from studykit.citing.csl import CitedTexts, cite_reading
from studykit.notes.markup import cloze_html, to_html
from studykit.notes.model import Point, Question, Reading, Section, Term


@dataclass  # not frozen: a deck makes tens of thousands, three times faster this way
class AnkiNote:
    """One note of the notes as the package holds it."""

    note: StudyNote
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
    return hashlib.blake2b("\x1f".join(rest).encode("utf-8"), digest_size=12).hexdigest()


def section_deck(reading: Reading, section: Section) -> str:
    """`<deck>::NN <section title>`: one subdeck per section, sorted in reading order."""
    title = " ".join(section.title.replace("::", ":").split())
    return f"{reading.deck_name}::{section.number:02d} {title}"


class FieldRendering:
    """The notes' fields being rendered: begun on creation, finished by `notes(guids)`.

    Rendering is most of a deck build after loading, and each section's fields depend only on
    that section; so a large reading's later sections are rendered in the second process
    (`processes.parallel`), which starts at once, while this one can settle the notes' GUIDs
    before it renders its own share. A context manager, like `parallel.Shared`.
    """

    def __init__(
        self, reading: Reading, notes: list[StudyNote], images: Mapping[str, str] | None = None
    ):
        from studykit.processes.parallel import Shared

        # Runs of notes of one section, in the order given.
        runs = itertools.groupby(notes, key=lambda note: id(note.section))
        self.groups = [list(run) for _, run in runs]
        # Two thirds to the child: settling GUIDs (reading the record and the manifest) takes
        # about half as long as rendering every field.
        weights = [1] * len(self.groups)
        self.cited = cite_reading(reading)  # None without a bibliography: citeproc not loaded
        fields = _SectionFields(reading, images, self.cited)
        self.work = Shared(fields, self.groups, weights, theirs=2 / 3)

    def __enter__(self) -> FieldRendering:
        self.work.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.work.__exit__(*exc)

    def notes(self, guids: Mapping[str, str]) -> list[AnkiNote]:
        """Each note with its GUID and fields, in the order given."""
        made: list[AnkiNote] = []
        for group, (deck, tags, rendered) in zip(self.groups, self.work.results(), strict=True):
            for note, (fields, back) in zip(group, rendered, strict=True):
                made.append(AnkiNote(note, guids[note.identity], fields, deck, tags, back))
        return made


class _SectionFields:
    """The deck, tags and each note's HTML fields and back digest, for one section's notes (a
    class, not a closure, so that it can cross processes)."""

    def __init__(
        self, reading: Reading, images: Mapping[str, str] | None, cited: CitedTexts | None = None
    ):
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

    def __call__(
        self, notes: list[StudyNote]
    ) -> tuple[str, tuple[str, ...], list[tuple[tuple[str, ...], str]]]:
        reading, section, field = self.reading, notes[0].section, self.field
        deck = section_deck(reading, section)
        tags = ("studykit", f"{reading.id}::{section.id}", *reading.tags, *section.tags)
        tags = tuple(dict.fromkeys(tags))
        source = to_html(f"{reading.title} › {section.title}")
        made: list[tuple[tuple[str, ...], str]] = []
        for note in notes:
            item = note.item
            fields: tuple[str, ...]
            if isinstance(item, Question):
                cites = self.source(source, (item.q, item.a, item.note))
                fields = (field(item.q), field(item.a), field(item.note), cites)
            elif isinstance(item, Term):
                reverse = "y" if 1 in note.cards else ""
                fields = (
                    field(item.term),
                    field(item.definition),
                    field(item.note),
                    self.source(source, (item.term, item.definition, item.note)),
                    reverse,
                )
            else:
                cites = self.source(source, (item.text, item.note))
                fields = (self.cloze(item), field(item.note), cites)
            made.append((fields, back_digest(fields, tags, deck, note.cards, note.kind)))
        return deck, tags, made
