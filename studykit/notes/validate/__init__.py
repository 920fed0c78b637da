"""Loading and validating a reading's notes: YAML files in, a frozen Reading (or every problem) out.

A reading is a folder: `reading.yaml` plus one `NN-<section-id>.yaml` per section. Validation
collects every problem of every file in one pass, so a student fixes them all at once.
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import yaml

from studykit.errors import NotesError, Problem, Severity
from studykit.files import file_kind
from studykit.notes.fields import READING_FIELDS, SECTION_FIELDS
from studykit.notes.model import Reading, Section
from studykit.notes.strict_yaml import offset_position
from studykit.notes.validate.items import item_list
from studykit.notes.validate.keys import read_document
from studykit.notes.validate.placement import (
    READING_FILE,
    SLUG,
    is_slug,
    lies_in,
    notes_root,
    outside_notes,
    same_folder,
)
from studykit.notes.validate.values import opt_str, tags_of

__all__ = [
    "READING_FILE",
    "SECTION_FILE",
    "SLUG",
    "check_reading",
    "check_reading_partly",
    "is_slug",
    "load_reading",
    "notes_root",
    "outside_notes",
    "same_folder",
    "section_files",
]

SECTION_FILE = re.compile(r"(\d{1,5})-(.+)\.yaml")  # five digits: 99,999 sections


def section_files(folder: Path) -> tuple[list[Path], list[Problem]]:
    """The section files of a reading folder in reading order, and problems with file names."""
    files: list[tuple[int, str, Path]] = []
    problems: list[Problem] = []
    seen_numbers: dict[int, Path] = {}
    root = notes_root(folder)
    # A file that is no link lies where its folder does: only links need their real path
    # (resolving every file of a library took a tenth of its validation).
    folder_inside = lies_in(folder, root)
    with os.scandir(folder) as found:
        entries = sorted(found, key=lambda entry: entry.name)
    for entry in entries:
        name = entry.name
        if name.startswith(".") or name == READING_FILE:
            continue
        path = folder / name
        link = entry.is_symlink()
        if name.endswith((".yaml", ".yml")) and not (path.is_file() if link else entry.is_file()):
            # Skipped without a word, a section would be missing from every deck and handout.
            problems.append(Problem(path, 0, 0, f"{_not_a_file(path)}: its notes cannot be read"))
            continue
        if name.endswith(".yml"):
            problems.append(Problem(path, 0, 0, "notes files end in .yaml; rename this file"))
            continue
        if not name.endswith(".yaml"):
            continue
        outside = outside_notes(path, root) if link or not folder_inside else None
        if outside is not None:
            problems.append(outside)
            continue
        match = SECTION_FILE.fullmatch(name)
        if not match:
            problems.append(
                Problem(path, 0, 0, "section files are named NN-<id>.yaml, e.g. 02-policies.yaml")
            )
            continue
        number = int(match.group(1))
        if number in seen_numbers:
            problems.append(
                Problem(
                    path,
                    0,
                    0,
                    f"number {match.group(1)} is also used by {seen_numbers[number].name}; "
                    "sections are ordered by name",
                    Severity.WARNING,
                )
            )
        seen_numbers.setdefault(number, path)
        files.append((number, name, path))
    files.sort()
    return [path for _, _, path in files], problems


def _not_a_file(path: Path) -> str:
    try:
        return f"this is {file_kind(path.stat().st_mode)}, not a file"
    except OSError:  # os.stat follows links: this one leads nowhere
        return "this is a link to a file that does not exist"


def check_reading(folder: Path) -> tuple[Reading | None, list[Problem]]:
    """Validate a reading folder; the Reading is None when any error was found."""
    checker = _Checker(folder)
    reading = checker.reading()
    problems = sorted(_cited(reading, checker), key=lambda p: (str(p.path), p.line, p.col))
    if any(p.is_error for p in problems):
        return None, problems
    return reading, problems


def _cited(reading: Reading | None, checker: _Checker) -> list[Problem]:
    """The checker's problems and those of the reading's citations (unknown keys, a broken
    bibliography), unless the bibliography reading.yaml names was refused already."""
    problems = checker.problems
    if reading is None or checker.bibliography_refused:
        return problems
    from studykit.notes.citations import citation_problems

    return [*problems, *citation_problems(reading)]


def _close_files(folder: Path, name: str) -> list[str]:
    """Files beside reading.yaml whose names are close to `name` (case aside): "zotero.bib"
    for "Zotero.bib", which a case-sensitive file system does not find."""
    from difflib import get_close_matches

    try:
        files = {p.name.lower(): p.name for p in folder.iterdir() if p.is_file()}
    except OSError:
        return []
    files.pop("reading.yaml", None)
    return [files[f] for f in get_close_matches(name.lower(), list(files), n=1, cutoff=0.75)]


def check_reading_partly(folder: Path) -> tuple[Reading | None, list[Problem]]:
    """Validate a reading folder, keeping the sections whose files have no error.

    For commands that only read the notes (list, show), so that one broken section file hides
    nothing else. The Reading is None when reading.yaml itself (or the folder) is broken.
    """
    checker = _Checker(folder)
    reading = checker.reading()
    problems = sorted(_cited(reading, checker), key=lambda p: (str(p.path), p.line, p.col))
    broken = {p.path for p in problems if p.is_error}
    if reading is None or reading.path in broken or reading.folder in broken:
        return None, problems
    sound = tuple(s for s in reading.sections if s.path not in broken)
    return dataclasses.replace(reading, sections=sound), problems


def load_reading(folder: Path) -> Reading:
    """Load a valid reading or raise NotesError carrying every problem."""
    reading, problems = check_reading(folder)
    if reading is None:
        raise NotesError(problems)
    return reading


class _Checker:
    """Walks the node trees of one reading, collecting problems instead of stopping at the first."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.problems: list[Problem] = []
        self.path = folder / READING_FILE
        self.reading_allow: tuple[str, ...] = ()
        self.keys: dict[str, tuple[int, int]] = {}  # the current file's top-level key positions
        self._source: tuple[Path, str | None] | None = None  # the current file's text, once read
        # reading.yaml names a bibliography that cannot be used: its citations are not errors
        # of their own then, only that one line is.
        self.bibliography_refused = False
        # A bare `@key` is a citation only in a reading that names a bibliography.
        self.narrative_citations = False

    def error(self, message: str, line: int = 0, col: int = 0) -> None:
        self.problems.append(Problem(self.path, line, col, message))

    def warn(self, message: str, line: int = 0, col: int = 0) -> None:
        self.problems.append(Problem(self.path, line, col, message, Severity.WARNING))

    def source(self) -> str | None:
        """The current file's text as written, read once and only where a problem needs it."""
        if self._source is None or self._source[0] != self.path:
            try:
                text: str | None = self.path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                text = None
            self._source = (self.path, text)
        return self._source[1]

    def position(self, node: yaml.Node, offset: int) -> tuple[int, int]:
        """Line and column of a character of a scalar's value, counted as the file has it."""
        return offset_position(node, offset, self.source())

    def error_at(self, node: yaml.Node, message: str) -> None:
        self.error(message, node.start_mark.line + 1, node.start_mark.column + 1)

    # -- files ------------------------------------------------------------------------------

    def reading(self) -> Reading | None:
        outside = outside_notes(self.folder, notes_root(self.folder))
        if outside is None:
            outside = same_folder(self.folder)
        if outside is not None:
            self.problems.append(outside)
            return None
        reading_id = self.folder.name
        if not is_slug(reading_id):
            self.problems.append(
                Problem(
                    self.folder,
                    0,
                    0,
                    f"reading folder name {reading_id!r} must be a slug "
                    "(lowercase letters, digits, hyphens)",
                )
            )
        if not self.path.is_file():
            self.error("missing: every reading folder needs a reading.yaml with a title")
            return None
        outside = outside_notes(self.path, notes_root(self.folder))
        if outside is not None:
            self.problems.append(outside)
        values = read_document(self, READING_FIELDS) if outside is None else None
        reading_keys = self.keys
        self.reading_allow = tags_of(values.get("allow")) if values else ()
        self.narrative_citations = bool(values and values.get("bibliography") is not None)
        files, name_problems = section_files(self.folder)
        self.problems.extend(name_problems)
        sections = self.sections(files)
        self.check_section_ids(sections)
        if values is None:
            return None
        self.path = self.folder / READING_FILE
        self.keys = reading_keys
        if not files and not name_problems:
            self.warn("no section files (NN-<id>.yaml) beside reading.yaml")
        self.deck_name(opt_str(values.get("deck")), str(values["title"]))
        return Reading(
            id=reading_id,
            folder=self.folder,
            title=str(values["title"]),
            source=opt_str(values.get("source")),
            deck=opt_str(values.get("deck")),
            summary=opt_str(values.get("summary")),
            tags=tags_of(values.get("tags")),
            reverse_terms=values.get("reverse_terms") is True,
            sections=tuple(sections),
            sources=tags_of(values.get("sources")),
            allow=tags_of(values.get("allow")),
            author=opt_str(values.get("author")),
            year=opt_str(values.get("year")),
            bibliography=self.bibliography(opt_str(values.get("bibliography"))),
        )

    def deck_name(self, deck: str | None, title: str) -> None:
        """Refuse a deck name Anki cannot hold: a part of it between `::` left empty
        ("History::", "A:: ::B"). The title is the name where `deck:` is not given."""
        name, key = (deck, "deck") if deck is not None else (title, "title")
        if any(not part.strip() for part in name.split("::")):
            self.error(
                f"the deck name {name!r} has an empty part between '::' (Anki's subdeck "
                f"separator); remove the extra '::' or fill the part in"
                + ("" if deck is not None else ", or give a `deck:` name"),
                *self.key_position(key),
            )

    def bibliography(self, name: str | None) -> Path | None:
        """The bibliography file reading.yaml names: a file in the reading's folder."""
        if name is None:
            return None
        where = self.key_position("bibliography")
        self.bibliography_refused = True  # until it is found usable
        path = self.folder / name
        if Path(name).is_absolute() or ".." in Path(name).parts:
            self.error(
                f"bibliography {name!r} must be a file name in the reading's folder, "
                "e.g. sources.bib",
                *where,
            )
            return None
        outside = outside_notes(path, notes_root(self.folder))
        if outside is not None:
            self.error(f"bibliography {name!r}: {outside.message}", *where)
            return None
        if not path.is_file():
            try:  # a folder, a FIFO, a device: named, not called missing
                kind = file_kind(path.stat().st_mode)
            except OSError:
                kind = None
            close = _close_files(self.folder, name) if kind is None else []
            if close:
                self.error(
                    f"bibliography {name!r} is not there; did you mean {close[0]!r}?", *where
                )
                return None
            found = "is not there" if kind is None else f"is {kind}, not a regular file"
            self.error(
                f"bibliography {name!r} {found}: put the .bib or CSL-JSON file your reference "
                "manager exports beside reading.yaml",
                *where,
            )
            return None
        self.bibliography_refused = False
        return path

    def sections(self, files: list[Path]) -> list[Section]:
        """The valid sections of `files`; a large reading's later files checked in a second
        process (`studykit.processes.parallel`), their problems added here in the same order."""
        from studykit.processes.parallel import shared_map

        checked = shared_map(self.section_alone, files, [1] * len(files))
        sections = []
        for section, problems in checked:
            self.problems.extend(problems)
            if section is not None:
                sections.append(section)
        return sections

    def section_alone(self, path: Path) -> tuple[Section | None, list[Problem]]:
        """One section file and the problems found in it (taken from `self.problems`)."""
        start = len(self.problems)
        section = self.section(path)
        found = self.problems[start:]
        del self.problems[start:]
        return section, found

    def section(self, path: Path) -> Section | None:
        self.path = path
        values = read_document(self, SECTION_FIELDS, item_list)
        if values is None:
            return None
        match = SECTION_FILE.fullmatch(path.name)
        assert match is not None  # section_files only returns matching names
        section_id = opt_str(values.get("id")) or match.group(2)
        if "id" not in values and not is_slug(section_id):
            self.error(
                f"section id {section_id!r} (from the file name) must be a slug: rename the "
                "file or set `id:`"
            )
        section = Section(
            path=path,
            number=int(match.group(1)),
            id=section_id,
            title=str(values["title"]),
            excerpt=opt_str(values.get("excerpt")),
            summary=opt_str(values.get("summary")),
            points=tuple(values.get("points", ())),  # type: ignore[arg-type]
            terms=tuple(values.get("terms", ())),  # type: ignore[arg-type]
            questions=tuple(values.get("questions", ())),  # type: ignore[arg-type]
            tags=tags_of(values.get("tags")),
            draft=opt_str(values.get("draft")),
            allow=tags_of(values.get("allow")),
        )
        allowed = {*section.allow, *self.reading_allow}
        if not section.summary and "no-summary" not in allowed:
            self.warn(
                "section has no summary: add `summary:`, the section in your own words "
                "[no-summary]",
                *self.key_position("title"),
            )
        cards = section.terms or section.questions or section.cloze_points
        if not cards and "no-cards" not in allowed:
            self.warn(
                "section makes no cards: add terms, questions or {{cloze}} points [no-cards]",
                *self.key_position("title"),
            )
        return section

    def key_position(self, key: str) -> tuple[int, int]:
        """Line and column of a top-level key of the current file; (0, 0) if it has none."""
        return self.keys.get(key, (0, 0))

    def check_section_ids(self, sections: list[Section]) -> None:
        first: dict[str, Path] = {}
        for section in sections:
            if section.id in first:
                self.problems.append(
                    Problem(
                        section.path,
                        0,
                        0,
                        f"section id {section.id!r} is also the id of {first[section.id].name}",
                    )
                )
            first.setdefault(section.id, section.path)
