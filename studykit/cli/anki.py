"""The commands between the notes and Anki: deck builds decks, pull reads the answers back."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from studykit.cli.common import (
    DEFAULT_NOTES,
    JsonFlag,
    NotesDir,
    Readings,
    StatePath,
    print_problems,
    reports_errors,
    review_store,
    written_out,
)
from studykit.command import without_cycle_collection

if TYPE_CHECKING:
    from studykit.anki.batch import Outcome
    from studykit.anki.deck import DeckReport

DeckPath = Annotated[
    str | None,
    typer.Option(
        "-o",
        "--output",
        metavar="PATH",
        help="Deck file, or a folder (one ending in / or already there, or for several "
        "readings). Default: cards/<reading>.apkg.",
        callback=written_out,
    ),
]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Report what would change; write nothing.")]
Force = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Rebuild even if nothing changed, and replace a deck or identity record that "
        "is read-only.",
    ),
]
WithProgress = Annotated[
    bool,
    typer.Option(
        "--with-progress",
        help="Carry each card's review state and answers from `studykit review`, so Anki "
        'continues them (import with "Import any learning progress"); Anki keeps its own '
        "schedule for cards it already has.",
    ),
]


@reports_errors
def deck(
    readings: Readings = None,
    notes: NotesDir = DEFAULT_NOTES,
    output: DeckPath = None,
    dry_run: DryRun = False,
    force: Force = False,
    with_progress: WithProgress = False,
    state: StatePath = None,
    as_json: JsonFlag = False,
) -> None:
    """Build an Anki deck per reading and report, per section, what changed since the last build.

    Example: studykit deck mao-collectivization
    """
    from studykit.anki.batch import Options, build_decks
    from studykit.anki.unshown import seen
    from studykit.cli.clock import now
    from studykit.notes.library import resolve_readings, section_file_count

    folders = resolve_readings(readings or [], notes)
    store = None
    if with_progress:
        store = review_store(state, folders[0].parent if folders else notes)
    options = Options(output, now(), dry_run, force, store)
    sections = sum(section_file_count(folder) for folder in folders)
    try:
        with _progress(sections) as advance, without_cycle_collection():
            outcomes = build_decks(folders, options, advance)
    except KeyboardInterrupt:  # Ctrl-C, or SIGTERM or SIGHUP (`processes.stopping`)
        _say_what_was_written(folders, output)
        raise
    # A broken reading is not built; the others are, each deck whole and valid, so a typo in
    # one reading never keeps the student from the decks of the rest.
    for outcome in outcomes:
        print_problems(outcome.errors)
    for outcome in outcomes:
        print_problems(outcome.failure)
    unshown = [o.unshown for o in outcomes if o.unshown is not None]
    reports = [o.report for o in outcomes if o.report is not None]
    for report in [*unshown, *reports]:
        if report.notice:
            typer.echo(f"warning: {report.notice}", err=True)
    not_built = [o.reading for o in outcomes if o.errors] + [
        o.reading for o in outcomes if o.failure
    ]
    _print_reports(reports, not_built, as_json, unshown)
    if not dry_run:  # a dry run reads the kept reports; the next build still shows them
        seen(r.path for r in [*unshown, *reports] if r.status == "built")
    if not_built:
        _refuse_not_built(outcomes, reports, not_built)


def _say_what_was_written(folders: list[Path], output: str | None) -> None:
    """The line a stopped `deck` ends with, naming the decks it wrote before the stop."""
    from studykit.anki.batch import unreported
    from studykit.cli.entry import report_interrupt
    from studykit.processes import stopping

    written = unreported(folders, output)
    if written:
        shown = written if len(written) <= 6 else written[:5]  # "and 1 more" would hide one
        named = ", ".join(shown) + (f" and {len(written) - 5} more" if shown != written else "")
        report_interrupt(
            f"{stopping.said() or 'interrupted'}; written but not yet reported: {named} "
            "(run studykit deck again to see what changed)"
        )


def _print_reports(
    reports: list[DeckReport], not_built: list[str], as_json: bool, unshown: list[DeckReport]
) -> None:
    """Each deck's report as lines fitted to the terminal, or all of them as JSON; first those
    of builds whose command was stopped before it printed them."""
    if as_json:
        decks = [r.to_json() for r in reports]
        shown: dict[str, object] = {"decks": decks, "not_built": not_built}
        if unshown:
            shown["unshown"] = [r.to_json() for r in unshown]
        typer.echo(json.dumps(shown, indent=2))
        return
    import shutil

    from studykit.anki.report import report_lines
    from studykit.terminal.console import columns as fitted

    columns = fitted(shutil.get_terminal_size().columns)
    for report in unshown:
        typer.echo(f"{report.reading}: the last build was stopped before its report was shown:")
        typer.echo("\n".join(report_lines(report, columns)))
    for report in reports:
        typer.echo("\n".join(report_lines(report, columns)))


def _refuse_not_built(
    outcomes: list[Outcome], reports: list[DeckReport], not_built: list[str]
) -> None:
    """Exit 1, saying which readings were built and which were not where there were several."""
    if len(outcomes) == 1:
        raise typer.Exit(1)  # the one reading's error says it all, in one line
    said = {
        "built": "built",
        "up-to-date": "up to date",
        "dry-run": "would be built",
        "no-cards": "no cards",
    }
    done = [
        f"{words}: {', '.join(r.reading for r in reports if r.status == status)}"
        for status, words in said.items()
        if any(r.status == status for r in reports)
    ]
    rest = "; ".join(done) if done else "no deck was written"
    typer.echo(f"deck: not built: {', '.join(not_built)} (fix the errors above); {rest}", err=True)
    raise typer.Exit(1)


@contextlib.contextmanager
def _progress(total: int) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr for long builds, when stderr is a terminal."""
    if total < 50 or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("building", total=total)
        yield lambda done, of: bar.advance(task)


@reports_errors
def pull(
    anki_file: Annotated[
        Path,
        typer.Argument(
            metavar="ANKI_FILE",
            help="A .colpkg backup, an .apkg exported with scheduling, or a closed "
            "collection.anki2.",
        ),
    ],
    notes: NotesDir = DEFAULT_NOTES,
    state: StatePath = None,
    as_json: JsonFlag = False,
) -> None:
    """Merge the answers given in Anki into the review store, for the notes studykit made, and
    replay each card's schedule from every answer it has had, in Anki and here.

    The file is read, never changed; a collection open in Anki is refused (use File > Create
    Backup and pull the backup). Pulling the same file again changes nothing.

    Example: studykit pull backup-2026-03-01.colpkg
    """
    from studykit.anki.pull import pull_library
    from studykit.cli.clock import now
    from studykit.review.location import check_folder

    store = review_store(state, notes, move=True)
    if state is None:
        check_folder(store.parent)  # before anything is read: a place no store can be
    report = pull_library(anki_file, notes, store, now(), own_folder=state is None)
    if report.notice:
        typer.echo(f"warning: {report.notice}", err=True)
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
        return
    for line in report.lines(anki_file.name):
        typer.echo(line)
