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

from pathlib import Path

from studykit.cards import reading_card_count
from studykit.errors import StudykitError
from studykit.notes.model import Point, Question, Reading, Section, Term

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

IMAGE_PIXELS = 200_000_000
"""Pixels the images of a PDF handout may hold in all, each file once (SVGs: the pictures they
embed). typst holds every picture it draws decoded at once: a 7,000 x 7,000 PNG cost about
200 MB whatever its file's size, 4 of them 1 GB, and 8 of them passed 1.5 GB and were killed.
200 megapixels are 4 photos at the 50-megapixel bound, or 16 of a 12-megapixel phone camera.
A reading allowed larger photos (STUDYKIT_MAX_IMAGE_MB) may print one of them at least."""

_OR_ELSE = "or print the outline with -f html or -f md"


_READING = ("the reading", "split the reading into readings")
_PACK = ("the course pack", "make two packs of fewer readings")


def refuse_oversized(reading: Reading) -> None:
    """Refuse a reading too big to typeset in bounded memory, at the first item past a limit."""
    _refuse_past_limits([reading], _READING, per_section=True)
    _refuse_past_pixels([reading], _READING)


def refuse_oversized_pack(readings: list[Reading], cards: bool = False) -> None:
    """Refuse a course pack too big to typeset as one document: each reading within the limits,
    and all of them together, at the first item past a limit; with `cards`, their flashcards
    too."""
    for reading in readings:
        refuse_oversized(reading)
    if cards:
        _refuse_past_cards(readings, _PACK)
    _refuse_past_limits(readings, _PACK, per_section=False)
    _refuse_past_pixels(readings, _PACK)


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


def image_budget() -> int:
    """The pixels a PDF handout's images may hold in all: `IMAGE_PIXELS`, or one image at the
    largest size a raised size limit allows."""
    from studykit.notes.media import max_image_bytes, max_image_pixels

    return max(IMAGE_PIXELS, max_image_pixels(max_image_bytes()))


def _refuse_past_pixels(readings: list[Reading], whole: tuple[str, str]) -> None:
    """The first place whose image takes the handout's images past `image_budget()` pixels,
    each file counted once, as typst decodes it once."""
    from studykit.notes.media import image_pixels

    name, remedy = whole
    budget = image_budget()
    shown = [(place, path) for reading in readings for place, path in _shown_images(reading)]
    pixels = {path: image_pixels(path) for _, path in shown}
    total = sum(pixels.values())
    if total <= budget:
        return
    counted: set[Path] = set()
    held = 0
    for (file, line), path in shown:
        if path in counted:
            continue
        counted.add(path)
        held += pixels[path]
        if held > budget:
            raise StudykitError(
                f"{name}'s images hold {total / 1e6:,.0f} megapixels, more than the "
                f"{budget / 1e6:,.0f} megapixels a PDF handout sets, and the image "
                f"{path.name!r} here passes the limit: scale images down, {remedy}, {_OR_ELSE}",
                file,
                line,
                1 if line else 0,
            )


def _shown_images(reading: Reading) -> list[tuple[tuple[Path, int], Path]]:
    """Each image file the reading shows, in the order of its files, with where it is shown:
    (notes file, line), the line 0 for a title or summary."""
    top = reading.folder / "reading.yaml"
    texts = [reading.title, reading.summary, reading.source, *reading.sources]
    found = [((top, 0), path) for path in _images(reading.folder, reading.folder, texts)]
    for section in reading.sections:
        folder = section.path.parent
        texts = [section.title, section.summary, section.excerpt]
        found += [((section.path, 0), p) for p in _images(folder, reading.folder, texts)]
        for item in _items(section):
            paths = _images(folder, reading.folder, _texts(item), cloze=isinstance(item, Point))
            found += [((section.path, item.line), path) for path in paths]
    return found


def _images(folder: Path, root: Path, texts: list[str | None], cloze: bool = False) -> list[Path]:
    """The image files the texts show, in order; the first text is a point's with `cloze`."""
    from studykit.notes import cloze as markers
    from studykit.notes.media import image_refs, resolve_image

    found = []
    for number, text in enumerate(texts):
        if text is None or "![" not in text:
            continue
        parsed = None
        if cloze and number == 0 and markers.has_cloze(text):
            try:
                parsed = markers.parse_cloze(text)
            except markers.ClozeError:
                continue  # refused by `check`: no handout is made of it
        for ref in image_refs(text, parsed):
            try:
                found.append(resolve_image(ref.target, folder, root))
            except ValueError:
                continue  # refused by `check`, at its line
    return found


def _texts(item: Point | Term | Question) -> list[str | None]:
    if isinstance(item, Point):
        return [item.text, item.annotation]
    if isinstance(item, Term):
        return [item.term, item.definition, item.annotation]
    return [item.q, item.a, item.annotation]


def _items(section: Section) -> list[Point | Term | Question]:
    """The section's items in the order of its file."""
    found: list[Point | Term | Question] = [*section.points, *section.terms, *section.questions]
    return sorted(found, key=lambda item: item.line)


def _chars(item: Point | Term | Question) -> int:
    if isinstance(item, Point):
        return len(item.text) + len(item.annotation or "")
    if isinstance(item, Term):
        return len(item.term) + len(item.definition) + len(item.annotation or "")
    return len(item.q) + len(item.a) + len(item.annotation or "")


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
        return 2 * len(item.text) + len(item.annotation or "")
    return _chars(item)
