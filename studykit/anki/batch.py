"""Decks for many readings at once: where each goes, and each reading loaded and checked, then
built when it is valid.

A reading's deck depends on nothing but the reading, so when every deck's path is known from
its reading alone (the default place, or an output folder), readings are checked and built
reading by reading, a large library's later readings in a second process (`notes.sharing`).
With `-o FILE.apkg` the path depends on how many readings are valid, so all are checked first.
Either way the decks, the identity records and the report are the same.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from studykit.anki.deck import DeckReport, LastBuild, Loaded, Progress, build_deck, load
from studykit.anki.inputs import notes_digest
from studykit.anki.unshown import take
from studykit.errors import Problem, StudykitError, UsageError
from studykit.processes.parallel import in_second_process

if TYPE_CHECKING:
    from studykit.notes.sharing import Split


@dataclass(frozen=True)
class Outcome:
    """One reading's deck: its notes' errors (then no deck), a report, or why the build failed;
    and the report of an earlier build never shown (`anki.unshown`)."""

    reading: str
    errors: list[Problem]
    report: DeckReport | None = None
    failure: list[Problem] = field(default_factory=list)
    unshown: DeckReport | None = None


@dataclass(frozen=True)
class Options:
    """How to build: `output` as given to `-o`, the build's moment, and the flags."""

    output: str | None
    now: datetime
    dry_run: bool = False
    force: bool = False
    review_store: Path | None = None  # --with-progress: the store whose progress decks carry


DEFAULT_FOLDER = "cards"


def default_deck_path(folder: Path) -> Path:
    """`cards/<reading>.apkg` beside the notes folder, wherever the command runs from, for the
    reading in `folder` (whose name is the reading's id)."""
    return folder.parent.parent / DEFAULT_FOLDER / f"{folder.name}.apkg"


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


def deck_paths(folders: list[Path], output: str | None, count: int | None = None) -> list[Path]:
    """Where the deck of the reading in each folder goes: in the folder `-o` names (see
    `output_folder`; `count` is how many readings were asked for), else in the one file `-o`
    names, else the default."""
    if output is None:
        return [default_deck_path(folder) for folder in folders]
    if not output.strip():
        raise UsageError("-o needs a deck file (NAME.apkg) or a folder (ending in /)")
    target = output_folder(output, len(folders) if count is None else count)
    if target is not None:
        return [target / f"{folder.name}.apkg" for folder in folders]
    if Path(output).suffix.lower() != ".apkg":
        raise UsageError(f"-o {output}: a deck file name ends in .apkg (or end a folder with /)")
    return [Path(output)]


def unreported(folders: list[Path], output: str | None) -> list[str]:
    """The readings among `folders` whose deck was written by a build whose report was never
    shown (`anki.unshown`): what a stopped `deck` did."""
    from studykit.anki.unshown import unshown_path

    try:
        paths = deck_paths(folders, output)
    except UsageError:
        return []
    return [
        folder.name
        for folder, path in zip(folders, paths, strict=False)
        if unshown_path(path).is_file() and path.is_file()  # kept before the deck is written
    ]


def build_decks(
    folders: list[Path], options: Options, progress: Progress | None = None
) -> list[Outcome]:
    """Check and build the deck of each reading folder, in order; UsageError for a bad `-o`."""
    from studykit.notes.sharing import SharedReadings

    if options.output is not None and output_folder(options.output, len(folders)) is None:
        return _checked_first(folders, options, progress)
    count = len(folders)
    build = functools.partial(_load_and_build, options=options, progress=progress, count=count)
    ahead = functools.partial(_ahead_of_build, output=options.output, count=count)
    with SharedReadings(build, folders, before=notes_digest, meanwhile=ahead) as shared:
        return shared.results()


def _load_and_build(
    folder: Path, split: Split | None, options: Options, progress: Progress | None, count: int
) -> Outcome:
    """Load, check and build one reading (`split`: cut in two, its parts read); `count`
    readings were asked for (several make `-o` a folder)."""
    loaded = load(folder, split)
    if loaded.reading is None:
        return Outcome(folder.name, loaded.errors)
    path = deck_paths([folder], options.output, count)[0]
    last = None if split is None else split.meanwhile
    # The progress bar lives in the first process; the second's readings do not move it.
    progress = None if in_second_process() else progress
    return _build(loaded, path, options, progress, last if isinstance(last, LastBuild) else None)


def _ahead_of_build(folder: Path, output: str | None, count: int) -> LastBuild:
    """What the build of the reading in `folder` needs but its notes, done as this process
    waits for the second's part of them: the last build's manifest, read from where its deck
    goes (any error kept for the build to raise), the identity records (`read_ahead`), and the
    modules that write the deck."""
    import studykit.anki.apkg
    import studykit.anki.notes  # noqa: F401
    from studykit.identity.library import read_ahead
    from studykit.notes.markup import markdown_parser

    markdown_parser()
    read_ahead(folder)
    return LastBuild(deck_paths([folder], output, count)[0]).fetch()


def _checked_first(
    folders: list[Path], options: Options, progress: Progress | None
) -> list[Outcome]:
    from studykit.notes.sharing import SharedReadings

    with SharedReadings(load, folders, before=notes_digest) as shared:
        checked = shared.results()
    found = [loaded.reading for loaded in checked if loaded.reading is not None]
    try:
        paths = iter(deck_paths([r.folder for r in found], options.output, len(folders)))
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


def _build(
    loaded: Loaded,
    path: Path,
    options: Options,
    progress: Progress | None,
    last: LastBuild | None = None,
) -> Outcome:
    reading = loaded.reading
    assert reading is not None  # only a loaded reading is built
    if last is None or last.output != path:
        last = LastBuild(path)
    unshown = take(path, reading.id, last.manifest)
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
            last=last,
        )
    except UsageError:
        raise
    except StudykitError as exc:
        return Outcome(reading.id, loaded.errors, failure=exc.problems(), unshown=unshown)
    return Outcome(reading.id, loaded.errors, report, unshown=unshown)


class _After(UsageError):
    """A usage error found after the notes' own errors, which are reported before it."""

    def __init__(self, earlier: list[Problem], error: UsageError):
        super().__init__(error.message, error.path, error.line, error.col)
        self.earlier = earlier
        self.error = error

    def problems(self) -> list[Problem]:
        return [*self.earlier, *self.error.problems()]
