"""Decks for many readings at once: each reading checked, then built when it is valid.

A reading's deck depends on nothing but the reading, so when every deck's path is known from
its reading alone (the default place, or an output folder), readings are checked and built
reading by reading, large libraries shared with a second process (`processes.parallel`). With
`-o FILE.apkg` the path depends on how many readings are valid, so all are checked first.
Either way the decks, the identity records and the report are the same.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from studykit.anki.deck import DeckReport, Progress, build_deck, deck_paths, output_folder
from studykit.errors import Problem, StudykitError, UsageError
from studykit.notes.model import Reading


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
    return shared_map(_one(options, progress, len(folders)), folders, weights)


class _one:
    """Check and build one reading (a class, not a closure, so that it can cross processes)."""

    def __init__(self, options: Options, progress: Progress | None, count: int):
        self.options = options
        self.progress = progress
        self.count = count  # readings asked for: several make `-o` a folder
        self.pid = os.getpid()

    def __call__(self, folder: Path) -> Outcome:
        from studykit.notes.validate import check_reading

        # The progress bar lives in this process; a child's readings do not move it.
        progress = self.progress if os.getpid() == self.pid else None

        reading, problems = check_reading(folder)
        errors = [p for p in problems if p.is_error]
        if reading is None:
            return Outcome(folder.name, errors)
        path = deck_paths([reading], self.options.output, self.count)[0]
        return _build(reading, path, self.options, progress, errors)


def _checked_first(
    folders: list[Path], options: Options, progress: Progress | None
) -> list[Outcome]:
    from studykit.notes.validate import check_reading

    checked = [(folder, *check_reading(folder)) for folder in folders]
    loaded = [reading for _, reading, _ in checked if reading is not None]
    try:
        paths = iter(deck_paths(loaded, options.output, len(folders)))
    except UsageError as exc:
        # The notes' errors first, as they were found before the bad `-o`.
        raise _After([p for _, _, found in checked for p in found if p.is_error], exc) from None
    outcomes = []
    for folder, reading, found in checked:
        errors = [p for p in found if p.is_error]
        if reading is None:
            outcomes.append(Outcome(folder.name, errors))
        else:
            outcomes.append(_build(reading, next(paths), options, progress, errors))
    return outcomes


def _build(
    reading: Reading,
    path: Path,
    options: Options,
    progress: Progress | None,
    errors: list[Problem],
) -> Outcome:
    try:
        report = build_deck(
            reading,
            path,
            now=options.now,
            dry_run=options.dry_run,
            force=options.force,
            progress=progress,
            review_store=options.review_store,
        )
    except UsageError:
        raise
    except StudykitError as exc:
        return Outcome(reading.id, errors, failure=exc.problems())
    return Outcome(reading.id, errors, report)


class _After(UsageError):
    """A usage error found after the notes' own errors, which are reported before it."""

    def __init__(self, earlier: list[Problem], error: UsageError):
        super().__init__(error.message, error.path, error.line, error.col)
        self.earlier = earlier
        self.error = error

    def problems(self) -> list[Problem]:
        return [*self.earlier, *self.error.problems()]
