"""A reading's section files: their names (`NN-<id>.yaml`), each file's section, and the
section ids, one per section."""

from __future__ import annotations

import os
from pathlib import Path

from studykit.errors import Problem, Severity
from studykit.files import file_kind
from studykit.notes.fields import SECTION_FIELDS
from studykit.notes.model import Section
from studykit.notes.naming import READING_FILE, SECTION_FILE, is_slug
from studykit.notes.validate.file import FileCheck
from studykit.notes.validate.items import item_list
from studykit.notes.validate.keys import read_document
from studykit.notes.validate.placement import lies_in, notes_root, outside_notes
from studykit.notes.validate.values import opt_str, tags_of


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


def check_section(
    path: Path, folder: Path, reading_allow: tuple[str, ...], narrative_citations: bool
) -> tuple[Section | None, list[Problem]]:
    """One section file's section (None when it has an error) and the problems found in it."""
    file = FileCheck(path, folder, narrative_citations=narrative_citations)
    return _section(file, reading_allow), file.problems


def _section(file: FileCheck, reading_allow: tuple[str, ...]) -> Section | None:
    values = read_document(file, SECTION_FIELDS, item_list)
    if values is None:
        return None
    path = file.path
    match = SECTION_FILE.fullmatch(path.name)
    assert match is not None  # section_files only returns matching names
    section_id = opt_str(values.get("id")) or match.group(2)
    if "id" not in values and not is_slug(section_id):
        file.error(
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
    allowed = {*section.allow, *reading_allow}
    if not section.summary and "no-summary" not in allowed:
        file.warn(
            "section has no summary: add `summary:`, the section in your own words [no-summary]",
            *file.key_position("title"),
        )
    cards = section.terms or section.questions or section.cloze_points
    if not cards and "no-cards" not in allowed:
        file.warn(
            "section makes no cards: add terms, questions or {{cloze}} points [no-cards]",
            *file.key_position("title"),
        )
    return section


def section_id_problems(sections: list[Section]) -> list[Problem]:
    """One problem at each section whose id an earlier section has."""
    problems: list[Problem] = []
    first: dict[str, Path] = {}
    for section in sections:
        if section.id in first:
            problems.append(
                Problem(
                    section.path,
                    0,
                    0,
                    f"section id {section.id!r} is also the id of {first[section.id].name}",
                )
            )
        first.setdefault(section.id, section.path)
    return problems
