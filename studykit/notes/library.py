"""Finding readings: the notes folder, the reading a command names, and loading them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from studykit.errors import NotesError, NotFoundError, Problem, StudykitError, UsageError
from studykit.notes.naming import READING_FILE, SECTION_FILE, is_slug

# Validation (a YAML parser and all) is imported where a reading is read, not where one is
# found: a pull finds its readings before its second process reads them.
if TYPE_CHECKING:
    from studykit.notes.model import Reading


def reading_folders(notes: Path) -> list[Path]:
    """Reading folders below the notes folder, in name order."""
    _require_folder(notes)
    return sorted(
        p for p in notes.iterdir() if p.is_dir() and not p.name.startswith(".") and _has_yaml(p)
    )


def resolve_reading(name: str | None, notes: Path) -> Path:
    """The folder of the reading a user named: an id under the notes folder or a path."""
    if name is None:
        folders = reading_folders(notes)
        if len(folders) == 1:
            return folders[0]
        if not folders:
            raise StudykitError(
                f"no readings in {notes}: each reading is a folder with a reading.yaml"
            )
        names = ", ".join(p.name for p in folders)
        raise UsageError(f"several readings in {notes}; name one of: {names}")
    path = Path(name)
    if path.name == READING_FILE and path.is_file():
        return path.parent
    if is_slug(name) and (notes / name).is_dir():
        return notes / name
    if path.is_dir():
        return path
    _require_folder(notes)
    known = ", ".join(p.name for p in reading_folders(notes)) or "none"
    raise NotFoundError(f"no reading {name!r} in {notes} (readings: {known})")


def resolve_readings(names: list[str], notes: Path) -> list[Path]:
    """Folders of the named readings, or of every reading when none is named."""
    if names:
        return [resolve_reading(name, notes) for name in names]
    folders = reading_folders(notes)
    if not folders:
        raise StudykitError(f"no readings in {notes}: each reading is a folder with a reading.yaml")
    return folders


def load(name: str | None, notes: Path) -> Reading:
    """Load the reading a command names, raising NotesError with every problem if invalid."""
    [(reading, problems)] = checked([resolve_reading(name, notes)])
    if reading is None:
        raise NotesError(problems)
    return reading


def checked(
    folders: list[Path], sound_sections: bool = False
) -> list[tuple[Reading | None, list[Problem]]]:
    """Each reading checked (`check_reading`); a large library, or a large reading, shared with
    the second process (`notes.sharing`)."""
    from studykit.notes.sharing import SharedReadings, Split
    from studykit.notes.validate import check_reading

    def check(folder: Path, split: Split | None) -> tuple[Reading | None, list[Problem]]:
        return check_reading(folder, sound_sections, None if split is None else split.read)

    with SharedReadings(check, folders) as shared:
        return shared.results()


@dataclass(frozen=True)
class Checked:
    """One reading as found: loaded (None where it is broken) and every problem in it."""

    folder: Path
    reading: Reading | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def survey(notes: Path) -> list[Checked]:
    """Every reading with the sections that load: what list and show can still read."""
    folders = resolve_readings([], notes)
    return [Checked(f, *found) for f, found in zip(folders, checked(folders, True), strict=True)]


def load_readable(name: str | None, notes: Path) -> tuple[Reading, list[Problem]]:
    """The named reading with its sound sections, and the errors of the broken ones; raise when
    reading.yaml itself is broken."""
    [(reading, problems)] = checked([resolve_reading(name, notes)], sound_sections=True)
    if reading is None:
        raise NotesError(problems)
    return reading, [p for p in problems if p.is_error]


@dataclass(frozen=True)
class Readable:
    """What can be shown of a reading: its sound sections, the section asked for (None: all),
    and the first error of each broken file, one line per file to warn of."""

    reading: Reading
    section: str | None
    broken: list[Problem]


def load_shown(name: str | None, section: str | None, notes: Path) -> Readable:
    """The reading and section `show` names, with what it cannot show of them.

    With a single reading in the notes folder, a lone name that is not a reading names a
    section. A section asked for that is broken raises its errors (not "no such section"),
    found by the id its file gives itself; a reading with nothing left to show raises them all.
    """
    lone = name is not None and section is None and not _is_reading(name, notes)
    if lone and len(reading_folders(notes)) == 1:
        name, section = None, name
    reading, errors = load_readable(name, notes)
    broken = list({p.path: p for p in reversed(errors)}.values())[::-1]
    if section is not None and section.isdigit() and reading.section(section) is None:
        # `show r 03`: the number its heading shows (and its file name starts with).
        numbered = [s.id for s in reading.sections if s.number == int(section)]
        mine = [p for p in errors if _file_number(p.path) == int(section)]
        if numbered:
            section = numbered[0]
        elif mine:
            raise NotesError(mine)
    if section is not None and reading.section(section) is None:
        ids = {path: section_file_id(path) for path in {p.path for p in errors}}
        mine = [p for p in errors if ids[p.path] == section]
        if mine:
            raise NotesError(mine)
        if broken:
            names = ", ".join(p.path.name for p in broken)
            known = ", ".join(s.id for s in reading.sections)
            raise NotFoundError(
                f"no section {section!r} in {reading.id} (sections: {known}); not readable "
                f"now: {names}, run studykit check"
            )
    if broken and not reading.sections:
        raise NotesError(errors)  # nothing left to show: the errors are the whole answer
    return Readable(reading, section, broken)


def _file_number(path: Path) -> int | None:
    """The number a section file's name starts with (`03-ideology.yaml`: 3), if any."""
    match = SECTION_FILE.fullmatch(path.name)
    return int(match.group(1)) if match else None


def section_file_id(path: Path) -> str:
    """The id a section file gives itself, read even from a file with errors: its `id:` where
    the file reads as a mapping that has one, else the name after its number
    (`02-policies.yaml`: policies)."""
    import yaml

    from studykit.notes.strict_yaml import read_yaml

    match = SECTION_FILE.fullmatch(path.name)
    if match is None:
        return path.stem.split("-", 1)[-1]
    try:
        node = read_yaml(path)
    except StudykitError:
        node = None  # unreadable YAML names no id: the file name does
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "id" and isinstance(value, yaml.ScalarNode) and value.value:
                return str(value.value)
    return match.group(2)


def _is_reading(name: str, notes: Path) -> bool:
    return Path(name).is_dir() or (notes / name).is_dir()


def load_all(names: list[str], notes: Path) -> list[Reading]:
    """Load several readings; all their problems are reported together."""
    readings: list[Reading] = []
    problems: list[Problem] = []
    for reading, found in checked(resolve_readings(names, notes)):
        problems.extend(p for p in found if p.is_error)
        if reading is not None:
            readings.append(reading)
    if problems:
        raise NotesError(problems)
    return readings


def _has_yaml(folder: Path) -> bool:
    return (folder / READING_FILE).is_file() or any(folder.glob("*.y*ml"))


def _require_folder(notes: Path) -> None:
    if not notes.is_dir():
        raise StudykitError(
            f"no notes folder at {notes}: run in your study folder, or pass --notes DIR "
            "(or set STUDYKIT_NOTES)"
        )


def section_file_count(folder: Path) -> int:
    """How many notes files a reading folder holds: its share of the work, before loading."""
    try:
        return sum(1 for _ in folder.glob("*.y*ml"))
    except OSError:
        return 1
