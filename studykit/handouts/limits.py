"""How much a PDF handout may hold: typst lays a handout out whole, in memory that grows with it.

Measured on this machine (the child's peak memory): one section of 2,000 short points took 1.8 s
and 104 MB, of 20,000 points 6.6 s and 585 MB, of 100,000 points 35 s and 2.7 GB; 10,000 short
points in five sections 3.4 s and 294 MB; 200 benchmark sections (3,600 items, 713,000
characters, 250 pages) 2.9 s and 333 MB, 300 of them (1,070,000 characters) 476 MB. A real
section has tens of items, and the shipped reading 110 items and 31,000 characters. Past these
limits a PDF is refused before any work, naming the item that passes one; -f html and -f md,
which grow linearly, have none.
"""

from __future__ import annotations

from studykit.cards import reading_card_count
from studykit.errors import StudykitError
from studykit.model import Point, Question, Reading, Section, Term

CARDS = 5_000
"""Cards a PDF of flashcards may have: 1,250 pages, measured at 9 s and 1.1 GB (the 200
benchmark sections; a Cornell handout of them takes 4 s and 340 MB)."""
SECTION_ITEMS = 2_000
"""Points, terms and questions one section may have in a PDF handout."""
CARD_CHARS = 2_000_000
"""Characters the cards of a PDF of flashcards may show, fronts and backs: a cloze card shows
its whole point, so a point's text counts once a side for each of its deletions. 100 cards of
one 10 KB point (2.1 million) took 9 s and 1.2 GB, 100 cards of a 100 KB point 94 s and 10 GB;
the 5,000 benchmark cards show 1.1 million."""
HANDOUT_ITEMS = 10_000
"""Points, terms and questions a whole PDF handout may have."""
HANDOUT_CHARS = 1_000_000
"""Characters of notes text a whole PDF handout may have: about 350 pages."""

_OR_ELSE = "or print the outline with -f html or -f md"


_READING = ("the reading", "split the reading into readings")
_PACK = ("the course pack", "make two packs of fewer readings")


def refuse_oversized(reading: Reading) -> None:
    """Refuse a reading too big to typeset in bounded memory, at the first item past a limit."""
    _refuse_past_limits([reading], _READING, per_section=True)


def refuse_oversized_pack(readings: list[Reading], cards: bool = False) -> None:
    """Refuse a course pack too big to typeset as one document: each reading within the limits,
    and all of them together, at the first item past a limit; with `cards`, their flashcards
    too."""
    for reading in readings:
        refuse_oversized(reading)
    if cards:
        _refuse_past_cards(readings, _PACK)
    _refuse_past_limits(readings, _PACK, per_section=False)


def _refuse_past_limits(readings: list[Reading], whole: tuple[str, str], per_section: bool) -> None:
    """The first item of `readings` past the items or characters a PDF sets, named with
    `whole` (what is printed, and how to make it smaller); with `per_section`, an item past
    what one section may have too, in the same pass so the first one met is named."""
    name, remedy = whole
    total_items = sum(len(_items(s)) for reading in readings for s in reading.sections)
    items = chars = 0
    for reading in readings:
        chars += len(reading.title) + len(reading.source or "") + len(reading.summary or "")
        for section in reading.sections:
            found = _items(section)
            if per_section and len(found) > SECTION_ITEMS:
                raise StudykitError(
                    f"this section has {len(found):,} items (points, terms and questions), more "
                    f"than the {SECTION_ITEMS:,} a PDF handout sets from one section, and this "
                    f"is item {SECTION_ITEMS + 1:,}: split the section here, {_OR_ELSE}",
                    section.path,
                    found[SECTION_ITEMS].line,
                    1,
                )
            chars += len(section.title) + len(section.summary or "")
            for item in found:
                items += 1
                chars += _chars(item)
                if items > HANDOUT_ITEMS:
                    why = (
                        f"{name} has {total_items:,} items (points, terms and questions), more "
                        f"than the {HANDOUT_ITEMS:,} a PDF handout sets, and this is item "
                        f"{HANDOUT_ITEMS + 1:,}"
                    )
                elif chars > HANDOUT_CHARS:
                    why = (
                        f"{name}'s notes pass the {HANDOUT_CHARS:,} characters a PDF handout "
                        "sets (about 350 pages) in this item"
                    )
                else:
                    continue
                raise StudykitError(f"{why}: {remedy}, {_OR_ELSE}", section.path, item.line, 1)


def _items(section: Section) -> list[Point | Term | Question]:
    """The section's items in the order of its file."""
    found: list[Point | Term | Question] = [*section.points, *section.terms, *section.questions]
    return sorted(found, key=lambda item: item.line)


def _chars(item: Point | Term | Question) -> int:
    if isinstance(item, Point):
        return len(item.text) + len(item.note or "")
    if isinstance(item, Term):
        return len(item.term) + len(item.definition) + len(item.note or "")
    return len(item.q) + len(item.a) + len(item.note or "")


def refuse_too_many_cards(reading: Reading) -> None:
    """Refuse flashcards too many to typeset in bounded memory, at the item past the limit."""
    _refuse_past_cards([reading], _READING)


def _refuse_past_cards(readings: list[Reading], whole: tuple[str, str]) -> None:
    from studykit.cards import derive_notes

    name, remedy = whole
    total = sum(reading_card_count(reading) for reading in readings)
    made = chars = 0
    for reading in readings:
        for note in derive_notes(reading):
            made += len(note.cards)
            chars += len(note.cards) * _card_chars(note.item)
            if made > CARDS:
                why = (
                    f"{name} makes {total:,} cards, more than the {CARDS:,} a PDF of flashcards "
                    "sets, and this item passes the limit"
                )
            elif chars > CARD_CHARS:
                why = (
                    f"{name}'s cards pass the {CARD_CHARS:,} characters a PDF of flashcards sets "
                    "in this item (a cloze card shows its whole point, on its front and back)"
                )
            else:
                continue
            raise StudykitError(
                f"{why}: {remedy}, or print the cards with -f html",
                note.section.path,
                note.line,
                1,
            )


def _card_chars(item: Point | Term | Question) -> int:
    """About what one card of the item shows, front and back: a cloze card, its point twice."""
    if isinstance(item, Point):
        return 2 * len(item.text) + len(item.note or "")
    return _chars(item)
