"""The notes as validated, frozen values: what every command reads, never raw YAML."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from studykit.notes.cloze import Cloze

T = TypeVar("T")


class cached_property(Generic[T]):
    """`functools.cached_property` without its lock: computed on the first read and kept in the
    instance, which then answers every later read itself.

    An item's keys are read by validation, card derivation, identities and review; they are
    computed once, which frozen values allow since they never change. Python 3.11's
    cached_property takes a lock on every first read, which made the keys of a library's
    30,000 items cost twice what they need (values here are never shared between threads).
    """

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> T:
        if instance is None:
            return self  # type: ignore[return-value]  # the class's own attribute, as functools'
        value = instance.__dict__[self.name] = self.func(instance)
        return value


def normalize_key(text: str) -> str:
    """Identity text: whitespace changes alone must not make a new Anki note."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Point:
    text: str
    annotation: str | None  # the item's `note:`
    id: str | None
    line: int
    cloze: Cloze | None  # set when the text has `{{...}}` deletions
    allow: tuple[str, ...] = ()  # card-quality rules silenced on this item

    @cached_property
    def key(self) -> str:
        """The identity of the cloze note made from this point."""
        return "id:" + self.id if self.id else self.text_key

    @cached_property
    def text_key(self) -> str:
        """The identity the point has, or had before it was given an `id`."""
        plain = self.cloze.plain() if self.cloze else self.text
        return "text:" + normalize_key(plain)


@dataclass(frozen=True)
class Term:
    term: str
    definition: str
    annotation: str | None  # the item's `note:`
    id: str | None
    line: int
    allow: tuple[str, ...] = ()  # card-quality rules silenced on this item

    @cached_property
    def key(self) -> str:
        return "id:" + self.id if self.id else self.text_key

    @cached_property
    def text_key(self) -> str:
        return "text:" + normalize_key(self.term)


@dataclass(frozen=True)
class Question:
    q: str
    a: str
    annotation: str | None  # the item's `note:`
    id: str | None
    line: int
    allow: tuple[str, ...] = ()  # card-quality rules silenced on this item

    @cached_property
    def key(self) -> str:
        return "id:" + self.id if self.id else self.text_key

    @cached_property
    def text_key(self) -> str:
        return "text:" + normalize_key(self.q)


@dataclass(frozen=True)
class Section:
    path: Path
    number: int  # the NN of the file name: reading order
    id: str
    title: str
    excerpt: str | None
    summary: str | None
    points: tuple[Point, ...]
    terms: tuple[Term, ...]
    questions: tuple[Question, ...]
    tags: tuple[str, ...]
    draft: str | None = None  # the fingerprint `studykit ingest` wrote; see drafts.py
    allow: tuple[str, ...] = ()  # card-quality rules silenced in the whole section

    @cached_property  # validation, card counts, quality rules and decks each ask
    def cloze_points(self) -> tuple[Point, ...]:
        return tuple(p for p in self.points if p.cloze)


@dataclass(frozen=True)
class Reading:
    id: str
    folder: Path
    title: str
    source: str | None
    deck: str | None
    summary: str | None
    tags: tuple[str, ...]
    reverse_terms: bool
    sections: tuple[Section, ...]
    sources: tuple[str, ...] = ()  # citations of the scholarship the notes draw on
    allow: tuple[str, ...] = ()  # card-quality rules silenced in the whole reading
    author: str | None = None
    year: str | None = None
    bibliography: Path | None = None  # a .bib or CSL-JSON file in the reading's folder

    @property
    def deck_name(self) -> str:
        return self.deck or self.title

    @property
    def path(self) -> Path:
        return self.folder / "reading.yaml"

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)
