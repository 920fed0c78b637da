"""The ingest command: a reading split into sections, drafted as notes to edit."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from studykit.cli.common import DEFAULT_NOTES, NotesDir, reports_errors
from studykit.command import without_cycle_collection
from studykit.errors import UsageError, printable
from studykit.words import plural

if TYPE_CHECKING:
    from studykit.ingest.draft_notes import Draft
    from studykit.ingest.pipeline import IngestResult
    from studykit.ingest.sections import PlannedSection


@reports_errors
def ingest(
    source: Annotated[
        str,
        typer.Argument(metavar="SOURCE", help="A .txt, .md or .html reading; - reads stdin."),
    ],
    reading_id: Annotated[
        str | None,
        typer.Option("--id", metavar="ID", help="Reading id (folder name); default: file name."),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", metavar="TEXT", help="Title; default: the text's.")
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", metavar="txt|md|html", help="Read as this format; default: by extension."
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Move an existing folder of the reading aside first.")
    ] = False,
    notes: NotesDir = DEFAULT_NOTES,
) -> None:
    """Split a reading into sections and write draft notes: one file per section, to edit.

    Example: studykit ingest chapter-4.txt
    """
    from studykit.cli.clock import now
    from studykit.ingest.pipeline import ingest as ingest_reading
    from studykit.ingest.sources import FORMATS, read_source, stdin_source

    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"unknown --format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if source == "-":
        reading = stdin_source(typer.get_binary_stream("stdin"), fmt)
    else:
        reading = read_source(Path(source), fmt)
    with without_cycle_collection():
        result = ingest_reading(reading, notes, now(), reading_id, title, force)
    _print_ingested(result, notes)


def _print_ingested(result: IngestResult, notes: Path) -> None:
    """Where the drafts went, a row per section, what was drafted, and what to run next."""
    from studykit.errors import display_path

    where = display_path(result.folder)
    if result.moved_aside is not None:
        typer.echo(f"moved the old {where}/ aside to {display_path(result.moved_aside)}/")
    count = len(result.sections)
    typer.echo(f"{result.title}: {plural(count, 'section')} written to {where}/")
    typer.echo("\n".join(_section_rows(result.sections, result.drafts)))
    left = [s.file_name for s, d in zip(result.sections, result.drafts, strict=True) if not d.cards]
    cards = sum(d.cards for d in result.drafts)
    kinds = _drafted(result.drafts) if cards else ""
    typer.echo(
        f"drafted {plural(cards, 'card')}{f' ({kinds})' if kinds else ''}; "
        + (f"left for you (no card drafted): {', '.join(left)}" if left else "no section left bare")
    )
    # The commands must work from here: a --notes other than the default goes along.
    target = result.folder.name
    if notes != DEFAULT_NOTES:
        import shlex

        target += f" --notes {shlex.quote(str(notes))}"
    # Shown as every other name is: a quoted `--notes` may still hold what a terminal acts on.
    typer.echo(
        printable(
            f"next: edit the drafts in {where}/ (each file says what to do), then "
            f"`studykit check {target}` and `studykit deck {target}`"
        )
    )


def _section_rows(sections: Sequence[PlannedSection], drafts: Sequence[Draft]) -> list[str]:
    """Ingest's list of sections in three aligned columns: file, title, what was drafted. As in
    the other tables, a row stays on one line: a title too wide for the terminal is cut with …
    (the file holds it whole)."""
    import shutil

    from studykit.columns import ljust, shorten, width
    from studykit.terminal.console import columns

    files = [section.file_name for section in sections]
    done = [f"[{_drafted((draft,)) if draft.cards else _left(draft)}]" for draft in drafts]
    file_width = max(map(width, files), default=0)
    done_width = max(map(width, done), default=0)
    room = columns(shutil.get_terminal_size().columns) - 6 - file_width - done_width
    titles = [shorten(section.title, max(room, 12)) for section in sections]
    title_width = max(map(width, titles), default=0)
    return [
        f"  {ljust(file, file_width)}  {ljust(title, title_width)}  {drafted}"
        for file, title, drafted in zip(files, titles, done, strict=True)
    ]


def _left(draft: Draft) -> str:
    """A section with no card: what was drafted to read ("no card; summary and 2 points"), or
    that it is the student's to write."""
    parts = ["summary"] if draft.summary is not None else []
    if draft.points:
        parts.append(plural(len(draft.points), "point"))
    return "no card; " + " and ".join(parts) if parts else "no card: yours to write"


def _drafted(drafts: tuple[Draft, ...]) -> str:
    """What ingest drafted in these sections, by kind: "2 cloze points, 1 term, 1 question"."""
    kinds = [
        plural(count, kind)
        for count, kind in (
            (sum(d.clozes for d in drafts), "cloze point"),
            (sum(len(d.terms) for d in drafts), "term"),
            (sum(len(d.questions) for d in drafts), "question"),
        )
        if count
    ]
    return ", ".join(kinds) or "no card: yours to write"
