"""The cards of readings with their keys in the review store: (note GUID, card number).

A card's state, its log and its burying all key on the GUID the identity record gives its note
(`identities.lock`), plus Anki's card number, so they follow a card through an edit of its
answer and a rename of its reading's folder.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from studykit.cards import Card, StudyNote, derive_notes, note_cards
from studykit.csl import CitedTexts, cite_reading, cited_item
from studykit.errors import NotFoundError, Problem
from studykit.identity import Identities, resolve
from studykit.model import Reading
from studykit.review.store import Key


@dataclass
class Keyed:
    """A card with its key in the store: (note GUID, card number).

    The card's text is made when it is first shown: a session over 50,000 cards needs only
    their keys and sections to build its queue. Not frozen: frozen dataclasses take three
    times as long to construct, which 50,000 cards feel.
    """

    note: StudyNote
    number: int
    key: Key
    reading: Reading = field(compare=False, repr=False)
    cited: CitedTexts | None = field(default=None, compare=False, repr=False)

    @functools.cached_property
    def card(self) -> Card:
        note = self.note
        if self.cited is not None:  # the card's text with its citations formatted
            note = dataclasses.replace(note, item=cited_item(note.item, self.cited))
        return next(c for c in note_cards(note, self.reading) if c.number == self.number)

    @property
    def works(self) -> tuple[str, ...]:
        """The entries of the works the card's note cites, as its Anki card lists them."""
        if self.cited is None:
            return ()
        item = self.note.item
        texts = [getattr(item, name, None) for name in ("text", "definition", "q", "a", "note")]
        return self.cited.cited(texts)


def keyed_cards(reading: Reading, save: bool) -> tuple[list[Keyed], Identities]:
    """Every card of a reading with its store key; `save` keeps the identity record current."""
    notes = derive_notes(reading)
    identities = resolve(reading, notes)
    if save:
        identities.save()
    cited = cite_reading(reading)  # None, and citeproc not loaded, without a bibliography
    keyed = [
        Keyed(note, number, (identities.guids[note.identity], number), reading, cited)
        for note in notes
        for number in note.cards
    ]
    return keyed, identities


@dataclass
class KeyedFolder:
    """A reading folder checked, and its cards keyed (none when the reading has errors)."""

    reading: Reading | None
    problems: list[Problem]
    keyed: list[Keyed]

    def __reduce__(self) -> tuple[object, ...]:
        # Sent back by the second process: the reading and the cards' keys, not the cards.
        # Their notes are derived again on arrival, in the order keyed_cards derived them:
        # pickled, 25,000 cards and their notes took twice as long to send and receive as
        # deriving them does.
        keys = [k.key for k in self.keyed]
        cited = self.keyed[0].cited if self.keyed else None
        return (_rekeyed, (self.reading, self.problems, keys, cited))


def _rekeyed(
    reading: Reading | None, problems: list[Problem], keys: list[Key], cited: CitedTexts | None
) -> KeyedFolder:
    if reading is None:
        return KeyedFolder(None, problems, [])
    cards = [(note, number) for note in derive_notes(reading) for number in note.cards]
    keyed = [
        Keyed(note, number, key, reading, cited)
        for (note, number), key in zip(cards, keys, strict=True)
    ]
    return KeyedFolder(reading, problems, keyed)


def key_folder(folder: Path) -> KeyedFolder:
    """Check a reading folder and key its cards, its identity record kept current: the unit of
    work a library session shares with a second process, so that keying is shared too."""
    from studykit.notes import check_reading

    reading, problems = check_reading(folder)
    if reading is None:
        return KeyedFolder(None, problems, [])
    keyed, _ = keyed_cards(reading, save=True)
    return KeyedFolder(reading, problems, keyed)


def check_section(readings: Sequence[Reading], section: str | None) -> None:
    """Raise NotFoundError when `--section` names a section none of the readings has."""
    if section is not None and all(r.section(section) is None for r in readings):
        names = ", ".join(r.id for r in readings)
        known = ", ".join(dict.fromkeys(s.id for r in readings for s in r.sections))
        raise NotFoundError(f"no section {section!r} in {names} (sections: {known})")
