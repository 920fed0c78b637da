"""The commands that read the notes: check, list, show and schema."""

from __future__ import annotations

import functools
import json
from typing import TYPE_CHECKING, Annotated

import typer

from studykit.cli.common import (
    DEFAULT_NOTES,
    JsonFlag,
    NotesDir,
    Readings,
    StatePath,
    console,
    print_problems,
    reports_errors,
    review_store,
)
from studykit.command import without_cycle_collection
from studykit.errors import StudykitError, UsageError
from studykit.quality import ANSWER_WORDS, NOTE_WORDS
from studykit.words import plural

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from pathlib import Path

    from rich.console import RenderableType

    from studykit.notes.model import Reading
    from studykit.review.stats import SectionCounts

    DueCounts = Callable[[Reading], Mapping[str, SectionCounts]]


@reports_errors
def check(
    readings: Readings = None,
    notes: NotesDir = DEFAULT_NOTES,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    answer_words: Annotated[
        int,
        typer.Option(metavar="N", min=1, help="Word budget of an answer or a definition."),
    ] = ANSWER_WORDS,
    note_words: Annotated[
        int,
        typer.Option(metavar="N", min=1, help="Word budget of an annotation on a card's back."),
    ] = NOTE_WORDS,
) -> None:
    """Validate notes and report every problem as `path:line:col: error: message`.

    Also warns where a card breaks a flashcard rule, naming the rule; `allow:` silences one.

    Example: studykit check mao-collectivization
    """
    from studykit.notes.library import resolve_readings
    from studykit.quality.checking import check_readings
    from studykit.quality.checks import Budgets

    folders = resolve_readings(readings or [], notes)
    with without_cycle_collection():
        checks = check_readings(folders, Budgets(answer_words, note_words))
    problems = [problem for found in checks for problem in found.problems]
    sections = sum(found.sections for found in checks)
    cards = sum(found.cards for found in checks)
    print_problems(problems)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    counts = f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
    if errors or (strict and warnings):
        typer.echo(f"check: {counts} in {plural(len(folders), 'reading')}", err=True)
        raise typer.Exit(1)
    typer.echo(
        f"ok: {plural(len(folders), 'reading')}, {plural(sections, 'section')}, "
        f"{plural(cards, 'card')}; {counts}"
    )


@reports_errors
def list_readings(
    notes: NotesDir = DEFAULT_NOTES, state: StatePath = None, as_json: JsonFlag = False
) -> None:
    """List readings and their sections with counts of points, terms, questions, cards and due.

    Example: studykit list --json
    """
    from studykit.cli.listing import listing
    from studykit.notes.library import survey

    due, unread = _due_counts(state, notes)
    rows = listing(survey(notes), due, due_unknown=unread is not None)
    if unread is not None:
        from studykit.errors import display_path

        [problem] = unread.problems()[:1]
        where = display_path(problem.path)
        typer.echo(f"{where}: warning: due counts left out: {problem.message}", err=True)
    if as_json:
        typer.echo(json.dumps({"readings": rows}, indent=2, ensure_ascii=False))
    else:
        from studykit.cli.listing import listing_table

        console().print(listing_table(rows, show_due=due is not None))
    problems = [problem for row in rows for problem in row["problems"]]
    if problems:
        # Every reading is listed, but a broken one is still a failure for scripts.
        typer.echo("\n".join(problems), err=True)
        raise typer.Exit(1)


def _due_counts(state: str | None, notes: Path) -> tuple[DueCounts | None, StudykitError | None]:
    """Due counts from the review store, if there is one, or why it could not be read."""
    store = review_store(state, notes)
    if not (store.exists() or store.is_symlink()):
        return None, None
    # Only a student who reviews pays for opening the store (a FIFO or a dangling link
    # there is refused by it, without blocking: the line says why due counts are missing).
    from studykit.cli.clock import now
    from studykit.review.stats import due_counts, store_states

    moment = now()
    try:
        progress = store_states(store, moment)
    except StudykitError as exc:
        # The notes are fine: list them all, without due counts, and say why once.
        return None, exc
    return functools.partial(due_counts, progress=progress, now=moment), None


@reports_errors
def show(
    reading: Annotated[
        str | None,
        typer.Argument(metavar="READING", help="Reading id or folder; optional when there is one."),
    ] = None,
    section: Annotated[
        str | None,
        typer.Argument(metavar="SECTION", help="Section id or number (02); default: all."),
    ] = None,
    notes: NotesDir = DEFAULT_NOTES,
    answers: Annotated[bool, typer.Option("--answers", help="Show answers to questions.")] = False,
    excerpt: Annotated[
        bool, typer.Option("--excerpt", help="Show each section's original text.")
    ] = False,
    pager: Annotated[
        bool, typer.Option("--pager/--no-pager", help="Page long output on a terminal.")
    ] = True,
) -> None:
    """Read the notes in the terminal: summary, annotated points, terms, cue questions.

    Example: studykit show mao-collectivization policies --answers
    """
    from studykit.notes.library import load_shown
    from studykit.terminal.show import cited_for_show, render_reading

    found = load_shown(reading, section, notes)
    shown = cited_for_show(found.reading, found.section)
    unreadable = [problem.path.name for problem in found.broken]
    renderable = render_reading(shown, found.section, answers, excerpt, unreadable)
    _print_paged(renderable, pager)
    if found.section is None:
        # After the notes, where they are read last; worded as `check` words them.
        for problem in found.broken:
            typer.echo(f"{problem.format()} (section not shown)", err=True)
    if found.section is None and found.broken:
        raise typer.Exit(1)  # shown in part: a problem in the notes, as `list` says too


def _print_paged(renderable: RenderableType, pager: bool) -> None:
    """Print to the terminal, through the pager when asked; into a file without rich's padding."""
    out = console()
    if pager and out.is_terminal:
        from studykit.terminal.console import page

        with out.capture() as captured:
            out.print(renderable)
        why = page(captured.get())
        if why is not None:
            # Never nothing on the screen: the notes as they are, and why they are not paged.
            if why:
                typer.echo(f"not paged: {why}", err=True)
            typer.echo(captured.get(), nl=False)
    elif out.is_terminal:
        out.print(renderable)
    else:
        # Into a file or a pipe: rich pads blocks to the width; text files want no such tails.
        with out.capture() as captured:
            out.print(renderable)
        typer.echo("\n".join(line.rstrip() for line in captured.get().splitlines()))


@reports_errors
def schema(
    kind: Annotated[
        str | None,
        typer.Argument(
            metavar="KIND", help="`reading` or `section`; default: a schema accepting either."
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of notes files, for editors with a YAML language server.

    Example: studykit schema section > .studykit-section.schema.json
    """
    from studykit.notes.schema import KINDS, notes_schema

    if kind is not None and kind not in KINDS:
        raise UsageError(f"unknown schema {kind!r}; choose one of: {', '.join(KINDS)}")
    typer.echo(json.dumps(notes_schema(kind), indent=2))
