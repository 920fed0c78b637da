"""Decks for many readings at once: each reading loaded and checked, then built when it is valid.

A reading's deck depends on nothing but the reading, so when every deck's path is known from
its reading alone (the default place, or an output folder), readings are checked and built
reading by reading, a large library's later readings in a second process
(`processes.parallel`, the deck's one way to the second core). With `-o FILE.apkg` the path
depends on how many readings are valid, so all are checked first. Either way the decks, the
identity records and the report are the same.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from studykit.anki.deck import (
    DeckReport,
    Loaded,
    Progress,
    build_deck,
    deck_paths,
    load,
    output_folder,
)
from studykit.errors import Problem, StudykitError, UsageError
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
