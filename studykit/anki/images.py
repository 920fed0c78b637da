"""The images a reading's cards show, found in its notes and named as the package holds them.

Only what goes on a card counts: a cloze point's text and annotation, and a term's or a
question's every field.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from studykit.errors import StudykitError
from studykit.notes.media import image_refs, packaged_name, resolve_image
from studykit.notes.model import Reading, Section

if TYPE_CHECKING:
    from studykit.notes.cloze import Cloze


def card_images(reading: Reading) -> dict[str, Path]:
    """Images the cards show: path as written -> the file."""
    images: dict[str, Path] = {}
    for section in reading.sections:
        for text, cloze in _card_texts(section):
            for ref in image_refs(text, cloze):
                try:
                    path = resolve_image(ref.target, section.path.parent, reading.folder)
                except ValueError as exc:
                    raise StudykitError(str(exc), section.path) from exc
                images[ref.target] = path
    return images


def packaged(found: Mapping[str, Path]) -> tuple[dict[str, str], dict[str, Path]]:
    """The images by their names in the package: path as written -> media name, and media
    name -> file."""
    images: dict[str, str] = {}
    media: dict[str, Path] = {}
    for target, path in found.items():
        name = packaged_name(path)
        images[target] = name
        media[name] = path
    return images, media


def _card_texts(section: Section) -> Iterator[tuple[str, Cloze | None]]:
    """The texts cards show, each with its cloze: a point renders apart from its deletions."""
    for point in section.cloze_points:
        yield point.text, point.cloze
        yield point.annotation or "", None
    for term in section.terms:
        yield from ((text, None) for text in (term.term, term.definition, term.annotation or ""))
    for question in section.questions:
        yield from ((text, None) for text in (question.q, question.a, question.annotation or ""))
