"""The cards of readings with their keys in the review store: (note GUID, card number).

A card's state, its log and its burying all key on the GUID the identity record gives its note
(`identities.lock`), plus Anki's card number, so they follow a card through an edit of its
answer and a rename of its reading's folder.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from studykit.cards import Card, Note, derive_notes, note_card
from studykit.citing.csl import CitedTexts, cite_reading, cited_item
from studykit.errors import NotFoundError, Problem, StudykitError
from studykit.identity import Identities, resolve, save_record
from studykit.notes.model import Reading
from studykit.review.store import Key

if TYPE_CHECKING:
    from studykit.notes.sharing import Split


class Keyed:
    """A card with its key in the store: (note GUID, card number).

    The card's text is made when it is first shown: a session over 50,000 cards needs only
    their keys to build its queue. A card of a reading the second process keyed (`Later`)
    starts as its key alone; its note and reading are loaded here when first read. Not a
    frozen dataclass: those take three times as long to construct, which 50,000 cards feel.
    """

    def __init__(
        self,
        note: Note | None,
        number: int,
        key: Key,
        reading: Reading | None,
        cited: Citations | None = None,
        later: Later | None = None,
        section: str = "",
    ) -> None:
        self._note, self._reading, self._cited = note, reading, cited
        self.number, self.key = number, key
        self._later = later
        self._section = section  # a later card's section id, known before its note

    @property
    def section(self) -> str:
        """The id of the card's section (a later card's without loading its reading)."""
        return self._section if self._later is not None else self.note.section.id

    @property
    def note(self) -> Note:
        if self._later is not None:
            self._load()
        assert self._note is not None
        return self._note

    @property
    def reading(self) -> Reading:
        if self._later is not None:
            self._load()
        assert self._reading is not None
        return self._reading

    @property
    def cited(self) -> CitedTexts | None:
        """The reading's citations formatted, for a reading with a bibliography."""
        if self._later is not None:
            self._load()
        return None if self._cited is None else self._cited.formatted

    def _load(self) -> None:
        assert self._later is not None
        loaded = self._later.card(self.key)
        self._note, self._reading, self._cited = loaded.note, loaded.reading, loaded._cited
        self._later = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Keyed):
            return NotImplemented
        return (self.note, self.number, self.key) == (other.note, other.number, other.key)

    __hash__ = None  # type: ignore[assignment]  # equal cards compare by their notes

    def __repr__(self) -> str:
        return f"Keyed(key={self.key!r}, number={self.number})"

    @functools.cached_property
    def card(self) -> Card:
        note = self.note
        if self.cited is not None:  # the card's text with its citations formatted
            note = dataclasses.replace(note, item=cited_item(note.item, self.cited))
        return note_card(note, self.reading, self.number)

    @property
    def works(self) -> tuple[str, ...]:
        """The entries of the works the card's note cites, as its Anki card lists them."""
        if self.cited is None:
            return ()
        item = self.note.item
        texts = [
            getattr(item, name, None) for name in ("text", "definition", "q", "a", "annotation")
        ]
        return self.cited.cited(texts)


def keyed_cards(reading: Reading, save: bool) -> tuple[list[Keyed], Identities]:
    """Every card of a reading with its store key; `save` keeps the identity record current."""
    notes = derive_notes(reading)
    identities = resolve(reading, notes)
    if save:
        identities.save()
    cited = Citations(reading)
    keyed = [
        Keyed(note, number, (identities.guids[note.identity], number), reading, cited)
        for note in notes
        for number in note.cards
    ]
    return keyed, identities


class Citations:
    """A reading's citations, formatted when a card's text is first made: `stats`, `pull` and
    a session's queue need only the cards' keys, and formatting a bibliography's citations
    with citeproc took 0.4-0.7 s of the shipped notes' everyday commands."""

    def __init__(self, reading: Reading) -> None:
        self.reading = reading

    @functools.cached_property
    def formatted(self) -> CitedTexts | None:
        """None, and citeproc not loaded, for a reading without a bibliography."""
        return cite_reading(self.reading)


@dataclass
class KeyedFolder:
    """A reading folder checked, and its cards keyed (none when the reading has errors)."""

    reading: Reading | Later | None
    problems: list[Problem]
    keyed: list[Keyed]
    # The identity record to write (path, text) once every reading has passed (`save`): a
    # review refused for one reading writes no other reading's record.
    record: tuple[Path, str] | None = None

    def save(self) -> None:
        if self.record is not None:
            save_record(*self.record)

    def __reduce__(self) -> tuple[object, ...]:
        # Sent back by the second process: the problems, the cards' keys and sections, and the
        # reading's section ids, which is all a session's start needs (`Later`).
        if self.reading is None:
            return (KeyedFolder, (None, self.problems, []))
        keys = [k.key for k in self.keyed]
        sections = [k.section for k in self.keyed]
        ids = section_ids(self.reading)
        return (_later, (self.reading.folder, self.problems, keys, sections, ids, self.record))


def _later(
    folder: Path,
    problems: list[Problem],
    keys: list[Key],
    sections: list[str],
    ids: list[str],
    record: tuple[Path, str] | None,
) -> KeyedFolder:
    later = Later(folder, keys, sections, ids)
    return KeyedFolder(later, problems, later.cards(), record)


def loaded(reading: Reading | Later) -> Reading:
    """The reading itself, loaded now where the second process checked it."""
    return reading.reading() if isinstance(reading, Later) else reading


def section_ids(reading: Reading | Later) -> list[str]:
    """The ids of a reading's sections, in order."""
    if isinstance(reading, Later):
        return reading.section_ids
    return [s.id for s in reading.sections]


class Later:
    """A reading the second process checked and keyed: the keys of its cards, in notes order,
    and the reading itself loaded again in this process once a card of it is first read.

    Sending the reading and its notes back cost more than both processes' share of keying
    them; a session's start needs only the keys, and most readings show no card before the
    session ends. Loaded again, the reading keys its cards from the identity record the second
    process kept current, so the keys are the same.
    """

    def __init__(
        self, folder: Path, keys: list[Key], sections: list[str], section_ids: list[str]
    ) -> None:
        self.folder = folder
        self.id = folder.name  # a reading's id is its folder's name
        self.keys = keys
        self.sections = sections  # each card's section id
        self.section_ids = section_ids  # the reading's sections, in order
        self._cards: dict[Key, Keyed] | None = None
        self._reading: Reading | None = None

    def cards(self) -> list[Keyed]:
        """The reading's cards, as keys that load the reading when first read."""
        return [
            Keyed(None, key[1], key, None, later=self, section=section)
            for key, section in zip(self.keys, self.sections, strict=True)
        ]

    def reading(self) -> Reading:
        """The reading, loaded (checked and keyed) once."""
        if self._reading is None:
            self._load()
        assert self._reading is not None
        return self._reading

    def card(self, key: Key) -> Keyed:
        """The card with `key`, as the reading loaded now makes it (edited since the session
        started, it is asked as it now reads, as `reload` does for the reading on screen)."""
        from studykit.errors import StudykitError

        if self._cards is None:
            self._load()
        assert self._cards is not None
        card = self._cards.get(key)
        if card is None:
            raise StudykitError(
                "a card of this reading was removed from its notes since the review started: "
                "start the review again",
                self.folder,
            )
        return card

    def _load(self) -> None:
        from studykit.errors import NotesError
        from studykit.notes.validate import check_reading

        reading, problems = check_reading(self.folder)
        if reading is None:
            raise NotesError([p for p in problems if p.is_error])
        keyed, _ = keyed_cards(reading, save=False)
        self._reading, self._cards = reading, {k.key: k for k in keyed}


def key_folder(folder: Path, split: Split | None = None) -> KeyedFolder:
    """Check a reading folder (`split`: cut in two, its parts read) and key its cards, its
    identity record to be kept current (`KeyedFolder.save`): the unit of work a library session
    shares with a second process, so that keying is shared too."""
    from studykit.notes.validate import check_reading

    reading, problems = check_reading(folder, read=None if split is None else split.read)
    if reading is None:
        return KeyedFolder(None, problems, [])
    try:
        keyed, identities = keyed_cards(reading, save=False)
    except StudykitError as exc:
        # A record refused (copied, damaged): the reading's problems, reported with every
        # other reading's, and never raised in the second process, which could not send it.
        return KeyedFolder(None, [*problems, *exc.problems()], [])
    return KeyedFolder(reading, problems, keyed, identities.unsaved)


def check_section(readings: Sequence[Reading | Later], section: str | None) -> None:
    """Raise NotFoundError when `--section` names a section none of the readings has."""
    if section is not None and all(section not in section_ids(r) for r in readings):
        names = ", ".join(r.id for r in readings)
        known = ", ".join(dict.fromkeys(s for r in readings for s in section_ids(r)))
        raise NotFoundError(f"no section {section!r} in {names} (sections: {known})")
