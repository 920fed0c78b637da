"""A reading laid out as cut-out flashcards: the deck's cards, eight to a sheet, printed duplex.

The cards are the deck's own (`cards.derive_cards`): one per question, one per term (two with
`reverse_terms`), one per cloze deletion, the asked deletion blanked on the front and shown in
bold on the back while the point's other deletions read as plain text, as Anki shows them.

Sheets alternate: a page of fronts, then the page of their backs. A sheet printed on both sides
with a long-edge flip turns over left to right, so each row of the back page is mirrored: the
card in the left column of a front page has its back in the right column of the next page, and
after cutting each back lies behind its front.
"""

from __future__ import annotations

from dataclasses import dataclass

from studykit.cards import Card, derive_cards
from studykit.notes.cloze import Cloze, Deletion
from studykit.notes.inline import Context, Inline, parse, parse_cloze
from studykit.notes.model import Point, Reading

COLUMNS, ROWS = 2, 4
PER_PAGE = COLUMNS * ROWS


@dataclass(frozen=True)
class Flashcard:
    number: int  # 1-based, printed on both sides so a stray card finds its place again
    section_number: int
    section: Inline  # the section's title: where the card comes from
    front: Inline
    back: Inline
    annotation: Inline  # on the back under the answer


@dataclass(frozen=True)
class Page:
    """One printed page: eight places, row by row, left to right; None where no card is."""

    side: str  # "front" or "back"
    places: tuple[Flashcard | None, ...]


@dataclass(frozen=True)
class CardSheets:
    id: str
    title: Inline
    backs: bool  # False: fronts only (`--answers none`), for writing the answers on the backs
    pages: tuple[Page, ...]
    works: tuple[Inline, ...] = ()  # the works cited, on a page after the cards
    works_heading: str = "Works cited"  # as the style names its list: "References" in APA


def card_sheets(reading: Reading, backs: bool = True) -> CardSheets:
    """The reading's cards on pages: fronts, then their mirrored backs, eight at a time."""
    numbers = {section.id: number for number, section in enumerate(reading.sections, 1)}
    top = Context(reading.folder, reading.folder)
    cards = tuple(
        _flashcard(index, card, numbers[card.note.section.id], reading)
        for index, card in enumerate(derive_cards(reading), 1)
    )
    pages: list[Page] = []
    for start in range(0, len(cards), PER_PAGE):
        fronts: list[Flashcard | None] = list(cards[start : start + PER_PAGE])
        fronts += [None] * (PER_PAGE - len(fronts))
        pages.append(Page("front", tuple(fronts)))
        if backs:
            pages.append(Page("back", mirrored(tuple(fronts))))
    return CardSheets(reading.id, parse(reading.title, top), backs, tuple(pages))


def mirrored(places: tuple[Flashcard | None, ...]) -> tuple[Flashcard | None, ...]:
    """The places of a page as they stand on its other side after a long-edge flip."""
    rows = [places[r * COLUMNS : (r + 1) * COLUMNS] for r in range(len(places) // COLUMNS)]
    return tuple(place for row in rows for place in reversed(row))


def _flashcard(number: int, card: Card, section_number: int, reading: Reading) -> Flashcard:
    section = card.note.section
    ctx = Context(section.path.parent, reading.folder)
    head = (number, section_number, parse(section.title, ctx))
    note = parse(card.annotation, ctx) if card.annotation else ()
    point = card.note.item
    if card.deletion is None or not isinstance(point, Point) or point.cloze is None:
        return Flashcard(*head, parse(card.prompt, ctx), parse(card.answer, ctx), note)
    asked = _asking(point.cloze, card.deletion)
    return Flashcard(*head, parse_cloze(asked, False, ctx), parse_cloze(asked, True, ctx), note)


def _asking(cloze: Cloze, deletion: Deletion) -> Cloze:
    """The point with only `deletion` hidden: the others read as the text they hide."""
    parts: list[str | Deletion] = []
    for part in cloze.parts:
        text = part.answer if isinstance(part, Deletion) and part is not deletion else part
        if isinstance(text, str) and parts and isinstance(parts[-1], str):
            parts[-1] += text
        else:
            parts.append(text)
    return Cloze(tuple(parts), (deletion,))
