"""The identity records of a notes folder's readings, as one command sees them: listed and read
once per command (looked at again for each reading, a library of n readings made n x n system
calls), and read again where the command writes one.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from studykit.command import current
from studykit.errors import StudykitError
from studykit.identity.record import RECORD_FILE, guid_lines, read_record
from studykit.notes.model import Reading


class _Library:
    """The identity records of a notes folder's readings, as a command sees them: each
    reading folder, and for each record that is a regular file (not a link) its GUIDs and
    their first lines, indexed by GUID. A record that is a link, damaged or unreadable is that
    reading's own problem: what reads of it is used, and nothing is refused on its account."""

    def __init__(self, folders: list[tuple[Path, Path]]) -> None:
        # Each reading folder (resolved) and its record (as the notes folder was named).
        self.record = dict(folders)
        self.owner = {path: folder for folder, path in folders}
        self.lines: dict[Path, dict[str, int]] = {}  # record -> GUID -> its first line
        self.index: dict[str, list[Path]] = {}  # GUID -> the records that hold it

    def add(self, path: Path, lines: dict[str, int]) -> None:
        self.lines[path] = lines
        for guid in lines:
            self.index.setdefault(guid, []).append(path)

    def drop(self, path: Path) -> None:
        for guid in self.lines.pop(path, {}):
            holders = self.index[guid]
            holders.remove(path)
            if not holders:
                del self.index[guid]

    def others(self, folder: Path) -> _Others:
        return _Others(self, folder)


class _Others:
    """The records of the readings other than `own`'s, by GUID."""

    def __init__(self, library: _Library, own: Path) -> None:
        self.library, self.own = library, own

    def get(self, guid: str) -> tuple[Path, int] | None:
        library = self.library
        for path in library.index.get(guid, ()):
            if library.owner[path] != self.own:
                return path, library.lines[path][guid]
        return None

    def lines(self, path: Path) -> dict[str, int]:
        return self.library.lines[path]

    def __bool__(self) -> bool:
        library = self.library
        return len(library.lines) > (library.record.get(self.own) in library.lines)


def read_ahead(folder: Path) -> None:
    """Read the identity record of the reading in `folder`, and look at the records of its notes
    folder, for the rest of the running command: what deck, check and review read once the
    reading's notes are read, read while the second process reads its part of them
    (`notes.sharing`). What is wrong with them is left to the command to say."""
    with contextlib.suppress(StudykitError):
        read_record(folder / RECORD_FILE)
    _library(folder.parent)


def other_records(reading: Reading) -> _Others:
    """The records of the other readings of the reading's notes folder, by GUID."""
    return _library(reading.folder.parent).others(reading.folder.resolve())


# The running command's libraries (`studykit.command`): each notes folder's reading folders
# listed, their records looked at and read once per command, however many readings compare
# themselves with them. Looked at again for each reading, a library of n readings made n x n
# system calls (check of 300 readings: 1.5 s). A record the command writes is read again
# (`record_written`); one another program changes while the command runs is seen by the next.
_RUN: tuple[int, dict[Path, _Library]] | None = None


def _library(notes: Path) -> _Library:
    global _RUN
    run = current()
    if run is None:
        return _look(notes)
    if _RUN is None or _RUN[0] != run:
        _RUN = (run, {})
    where = _resolved(notes)
    library = _RUN[1].get(where)
    if library is None:
        library = _RUN[1][where] = _look(notes)
    return library


def record_written(path: Path) -> None:
    """Read the record at `path` again for the rest of the command: studykit has written it
    (or put back what it held, or removed it)."""
    if _RUN is None or _RUN[0] != current():
        return
    folder = _resolved(path.parent)
    library = _RUN[1].get(folder.parent)
    if library is None or folder not in library.record:
        return
    _LOOKED.pop(folder.parent, None)  # the library, changed, no longer shows those records
    path = library.record[folder]
    library.drop(path)
    try:
        status = os.lstat(path)
    except OSError:
        return
    if stat.S_ISREG(status.st_mode):
        library.add(path, guid_lines(path, status))


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


# The reading folders of a notes folder, resolved, once per version of its listing: resolved
# again for each reading, a library of n readings made n x n paths (800 readings: most of 21 s).
_FOLDERS: dict[Path, tuple[tuple[int, int, int], list[tuple[Path, str]]]] = {}


def _folders(notes: Path) -> tuple[tuple[int, int, int], list[tuple[Path, str]]]:
    """The notes folder's listing, by its status: (folder resolved, its name) of each
    reading."""
    try:
        where = notes.resolve()
        status = where.stat()
        listed = (status.st_dev, status.st_ino, status.st_mtime_ns)
        cached = _FOLDERS.get(where)
        if cached is None or cached[0] != listed:
            # A hidden folder is no reading: `ingest --force` sets the old notes, record and
            # all, aside in one, for a student to copy the record back from.
            folders = sorted(p for p in where.iterdir() if p.is_dir() and p.name[:1] != ".")
            cached = _FOLDERS[where] = (listed, [(f.resolve(), f.name) for f in folders])
    except OSError:
        return (0, 0, 0), []
    return cached


# Each notes folder's library, by the status of its records: looked at outside a command (or
# in a new one), records unchanged since are not read or indexed again.
_LOOKED: dict[Path, tuple[tuple[object, ...], _Library]] = {}


def _look(notes: Path) -> _Library:
    """The notes folder's reading folders and records, as they are now."""
    listed, names = _folders(notes)
    # Each record as the student named the notes folder, as errors name it.
    folders = [(folder, notes / name / RECORD_FILE) for folder, name in names]
    found: list[tuple[Path, os.stat_result]] = []
    for _, path in folders:
        try:
            status = os.lstat(path)
        except OSError:
            continue
        if stat.S_ISREG(status.st_mode):
            found.append((path, status))
    key = (listed, *((path, s.st_mtime_ns, s.st_size, s.st_ino) for path, s in found))
    where = _resolved(notes)
    cached = _LOOKED.get(where)
    if cached is not None and cached[0] == key:
        return cached[1]
    library = _Library(folders)
    for path, status in found:
        library.add(path, guid_lines(path, status))
    if len(_LOOKED) >= 16:
        _LOOKED.clear()  # a process that looks at many notes folders (tests) keeps a few
    _LOOKED[where] = (key, library)
    return library
