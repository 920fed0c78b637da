"""A reading folder as a whole: its reading.yaml (the deck name, the bibliography it names),
its section files, and the entry points that validate it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from studykit.errors import NotesError, Problem
from studykit.files import file_kind
from studykit.notes.fields import READING_FIELDS
from studykit.notes.model import Reading, Section
from studykit.notes.naming import READING_FILE, is_slug
from studykit.notes.validate.file import FileCheck
from studykit.notes.validate.keys import read_document
from studykit.notes.validate.placement import notes_root, outside_notes, same_folder
from studykit.notes.validate.section import (
    check_section,
    section_files,
    section_id_problems,
)
from studykit.notes.validate.values import opt_str, tags_of


@dataclasses.dataclass(frozen=True)
class SectionsRead:
    """Section files of a reading read already (in parts, by two processes: `notes.sharing`),
    each with its section (None when it has an error) and its problems."""

    files: tuple[Path, ...]
    read: tuple[tuple[Section | None, list[Problem]], ...]

    def __add__(self, other: SectionsRead) -> SectionsRead:
        return SectionsRead(self.files + other.files, self.read + other.read)

    def sections(self) -> list[Section]:
        return [section for section, _ in self.read if section is not None]

    def problems(self) -> list[Problem]:
        return [problem for _, found in self.read for problem in found]


def read_part(folder: Path, start: int, stop: int | None = None) -> SectionsRead:
    """The reading's section files from `start` to `stop`, read as its whole check reads them
    (`check_reading`), which says the problems of reading.yaml."""
    settings = FileCheck(folder / READING_FILE, folder, [])
    path = settings.path
    readable = path.is_file() and outside_notes(path, notes_root(folder)) is None
    values = read_document(settings, READING_FIELDS) if readable else None
    return _read_files(folder, section_files(folder)[0][start:stop], values)


def _read_files(folder: Path, files: list[Path], values: dict[str, object] | None) -> SectionsRead:
    """Each section file read, with the settings reading.yaml gives them: the rules it allows,
    and whether it names a bibliography (then citations in running text are the reading's)."""
    allow = tags_of(values.get("allow")) if values else ()
    citations = bool(values and values.get("bibliography") is not None)
    read = tuple(check_section(path, folder, allow, citations) for path in files)
    return SectionsRead(tuple(files), read)


def check_reading(
    folder: Path, sound_sections: bool = False, read: SectionsRead | None = None
) -> tuple[Reading | None, list[Problem]]:
    """Validate a reading folder, with every problem found; the Reading is None when any error
    was found. `read`: its section files read already (when they are still its files).

    With `sound_sections`, for commands that only read the notes (list, show), so that one
    broken section file hides nothing else: the Reading keeps the sections whose files have no
    error, and is None only when reading.yaml itself (or the folder) is broken.
    """
    reading, problems = _checked(folder, read)
    broken = {p.path for p in problems if p.is_error}
    if not sound_sections:
        return (None if broken else reading), problems
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


def _checked(folder: Path, read: SectionsRead | None) -> tuple[Reading | None, list[Problem]]:
    """The reading, whatever its sections' errors, and every problem in file and line order:
    its files' and those of its citations (unknown keys, a broken bibliography), unless the
    bibliography reading.yaml names was refused already."""
    reading, problems, bibliography_refused = _read(folder, read)
    if reading is not None and not bibliography_refused:
        from studykit.notes.citations import citation_problems

        problems = [*problems, *citation_problems(reading)]
    return reading, sorted(problems, key=lambda p: (str(p.path), p.line, p.col))


def _read(folder: Path, read: SectionsRead | None) -> tuple[Reading | None, list[Problem], bool]:
    """The reading (None when reading.yaml or the folder is refused), the problems of each of
    its files in the order found, and whether the bibliography it names was refused."""
    outside = outside_notes(folder, notes_root(folder))
    if outside is None:
        outside = same_folder(folder)
    if outside is not None:
        return None, [outside], False
    problems: list[Problem] = []
    if not is_slug(folder.name):
        problems.append(
            Problem(
                folder,
                0,
                0,
                f"reading folder name {folder.name!r} must be a slug "
                "(lowercase letters, digits, hyphens)",
            )
        )
    file = FileCheck(folder / READING_FILE, folder, problems)
    if not file.path.is_file():
        file.error("missing: every reading folder needs a reading.yaml with a title")
        return None, problems, False
    outside = outside_notes(file.path, notes_root(folder))
    if outside is not None:
        problems.append(outside)
    values = read_document(file, READING_FIELDS) if outside is None else None
    files, name_problems = section_files(folder)
    problems.extend(name_problems)
    if read is None or read.files != tuple(files):  # none read, or the files changed meanwhile
        read = _read_files(folder, files, values)
    sections = read.sections()
    problems.extend(read.problems())
    problems.extend(section_id_problems(sections))
    if values is None:
        return None, problems, False
    if not files and not name_problems:
        file.warn("no section files (NN-<id>.yaml) beside reading.yaml")
    _deck_name(file, opt_str(values.get("deck")), str(values["title"]))
    named = opt_str(values.get("bibliography"))
    bibliography = _bibliography(file, named)
    reading = Reading(
        id=folder.name,
        folder=folder,
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
        bibliography=bibliography,
    )
    return reading, problems, named is not None and bibliography is None


def _deck_name(file: FileCheck, deck: str | None, title: str) -> None:
    """Refuse a deck name Anki cannot hold: a part of it between `::` left empty
    ("History::", "A:: ::B"). The title is the name where `deck:` is not given."""
    name, key = (deck, "deck") if deck is not None else (title, "title")
    if any(not part.strip() for part in name.split("::")):
        file.error(
            f"the deck name {name!r} has an empty part between '::' (Anki's subdeck "
            f"separator); remove the extra '::' or fill the part in"
            + ("" if deck is not None else ", or give a `deck:` name"),
            *file.key_position(key),
        )


def _bibliography(file: FileCheck, name: str | None) -> Path | None:
    """The bibliography file reading.yaml names: a file in the reading's folder; None when
    it names none, or once the problem with the one it names is said."""
    if name is None:
        return None
    where = file.key_position("bibliography")
    path = file.folder / name
    if Path(name).is_absolute() or ".." in Path(name).parts:
        file.error(
            f"bibliography {name!r} must be a file name in the reading's folder, e.g. sources.bib",
            *where,
        )
        return None
    outside = outside_notes(path, notes_root(file.folder))
    if outside is not None:
        file.error(f"bibliography {name!r}: {outside.message}", *where)
        return None
    if not path.is_file():
        try:  # a folder, a FIFO, a device: named, not called missing
            kind = file_kind(path.stat().st_mode)
        except OSError:
            kind = None
        close = _close_files(file.folder, name) if kind is None else []
        if close:
            file.error(f"bibliography {name!r} is not there; did you mean {close[0]!r}?", *where)
            return None
        found = "is not there" if kind is None else f"is {kind}, not a regular file"
        file.error(
            f"bibliography {name!r} {found}: put the .bib or CSL-JSON file your reference "
            "manager exports beside reading.yaml",
            *where,
        )
        return None
    return path


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
