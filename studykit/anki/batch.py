"""Decks for many readings at once: where each goes, and each reading loaded and checked, then
built when it is valid.

A reading's deck depends on nothing but the reading, so when every deck's path is known from
its reading alone (the default place, or an output folder), readings are checked and built
reading by reading, a large library's later readings in a second process
(`processes.parallel`). With `-o FILE.apkg` the path depends on how many readings are valid,
so all are checked first. Either way the decks, the identity records and the report are the
same.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from studykit.anki.deck import DeckReport, Loaded, Progress, build_deck, load
from studykit.errors import Problem, StudykitError, UsageError
from studykit.notes.model import Reading
from studykit.processes.parallel import in_second_process


@dataclass(frozen=True)
class Outcome:
    """One reading's deck: its notes' errors (then no deck), a report, or why the build failed."""

    reading: str
    errors: list[Problem]
    report: DeckReport | None = None
    failure: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Options:
    """How to build: `output` as given to `-o`, the build's moment, and the flags."""

    output: str | None
    now: datetime
    dry_run: bool = False
    force: bool = False
    review_store: Path | None = None  # --with-progress: the store whose progress decks carry


DEFAULT_FOLDER = "cards"


def default_deck_path(reading: Reading) -> Path:
    """`cards/<reading>.apkg` beside the notes folder, wherever the command runs from."""
    return reading.folder.parent.parent / DEFAULT_FOLDER / f"{reading.id}.apkg"


def output_folder(output: str | None, count: int) -> Path | None:
    """The folder `-o` names for `count` readings' decks, or None when it names no folder: it is
    a folder when it is one already, ends with `/`, or several readings are built."""
    if output is None or not output.strip():
        return None
    target = Path(output)
    if target.is_dir() or output.endswith(("/", "\\")):
        return target
    if count > 1:
        if target.suffix.lower() == ".apkg":
            raise UsageError(f"-o {output}: several readings make several decks; give a folder")
        return target
    return None


def deck_paths(readings: list[Reading], output: str | None, count: int | None = None) -> list[Path]:
    """Where each reading's deck goes: in the folder `-o` names (see `output_folder`; `count`
    is how many readings were asked for), else in the one file `-o` names, else the default."""
    if output is None:
        return [default_deck_path(r) for r in readings]
    if not output.strip():
        raise UsageError("-o needs a deck file (NAME.apkg) or a folder (ending in /)")
    folder = output_folder(output, len(readings) if count is None else count)
    if folder is not None:
        return [folder / f"{r.id}.apkg" for r in readings]
    if Path(output).suffix.lower() != ".apkg":
        raise UsageError(f"-o {output}: a deck file name ends in .apkg (or end a folder with /)")
    return [Path(output)]


def build_decks(
    folders: list[Path], options: Options, progress: Progress | None = None
) -> list[Outcome]:
    """Check and build the deck of each reading folder, in order; UsageError for a bad `-o`."""
    from studykit.notes.library import section_file_count
    from studykit.processes.parallel import shared_map

    if options.output is not None and output_folder(options.output, len(folders)) is None:
        return _checked_first(folders, options, progress)
    weights = [section_file_count(folder) for folder in folders]
    build = functools.partial(
        _load_and_build, options=options, progress=progress, count=len(folders)
    )
    return shared_map(build, folders, weights)


def _load_and_build(
    folder: Path, options: Options, progress: Progress | None, count: int
) -> Outcome:
    """Load, check and build one reading; `count` readings were asked for (several make `-o`
    a folder)."""
    loaded = load(folder)
    if loaded.reading is None:
        return Outcome(folder.name, loaded.errors)
    path = deck_paths([loaded.reading], options.output, count)[0]
    # The progress bar lives in the first process; the second's readings do not move it.
    return _build(loaded, path, options, None if in_second_process() else progress)


def _checked_first(
    folders: list[Path], options: Options, progress: Progress | None
) -> list[Outcome]:
    checked = [load(folder) for folder in folders]
    found = [loaded.reading for loaded in checked if loaded.reading is not None]
    try:
        paths = iter(deck_paths(found, options.output, len(folders)))
    except UsageError as exc:
        # The notes' errors first, as they were found before the bad `-o`.
        raise _After([p for loaded in checked for p in loaded.errors], exc) from None
    outcomes = []
    for loaded in checked:
        if loaded.reading is None:
            outcomes.append(Outcome(loaded.folder.name, loaded.errors))
        else:
            outcomes.append(_build(loaded, next(paths), options, progress))
    return outcomes


def _build(loaded: Loaded, path: Path, options: Options, progress: Progress | None) -> Outcome:
    reading = loaded.reading
    assert reading is not None  # only a loaded reading is built
    try:
        report = build_deck(
            reading,
            path,
            now=options.now,
            dry_run=options.dry_run,
            force=options.force,
            progress=progress,
            review_store=options.review_store,
            notes=loaded.notes,
        )
    except UsageError:
        raise
    except StudykitError as exc:
        return Outcome(reading.id, loaded.errors, failure=exc.problems())
    return Outcome(reading.id, loaded.errors, report)


class _After(UsageError):
    """A usage error found after the notes' own errors, which are reported before it."""

    def __init__(self, earlier: list[Problem], error: UsageError):
        super().__init__(error.message, error.path, error.line, error.col)
        self.earlier = earlier
        self.error = error

    def problems(self) -> list[Problem]:
        return [*self.earlier, *self.error.problems()]
