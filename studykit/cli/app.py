"""The `studykit` command line: parse options, call the core, print. Nothing else lives here.

Only Typer and light modules of our own are imported at the top, so `studykit --help` stays as
fast as a bare Typer app; rich rendering, genanki and friends are imported by the commands.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

from studykit import __version__
from studykit.cli.entry import report_interrupt
from studykit.command import running, without_cycle_collection
from studykit.errors import (
    CONTROL,
    Problem,
    StudykitError,
    UsageError,
    control_name,
    printable,
)
from studykit.processes import stopping
from studykit.quality import ANSWER_WORDS, NOTE_WORDS
from studykit.words import plural

if TYPE_CHECKING:
    import rich.console

    from studykit.citing.csl import Shown
    from studykit.handouts.layout import Answers, Layout, Paper
    from studykit.ingest.draft_notes import Draft
    from studykit.ingest.sections import PlannedSection


def _command_group() -> type[typer.core.TyperGroup]:
    """Typer's command group, converting option values without Pydantic where Typer would."""
    try:
        from studykit.cli.values import FastGroup
    except ImportError:  # a Typer that never used Pydantic: nothing to avoid
        return typer.core.TyperGroup
    return FastGroup


app = typer.Typer(
    name="studykit",
    cls=_command_group(),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _written_out(value: str | None) -> str | None:
    """A path as the shell left it (`-o`, `--notes`, $STUDYKIT_NOTES): one with a leading `~`
    or `$NAME` is refused, as a folder named `~` would be made."""
    from studykit.review.location import unexpanded

    reason = None if value is None else unexpanded(value)
    if reason is not None:
        raise typer.BadParameter(f"{value!r} {reason}")
    return value


def _notes_written_out(value: Path) -> Path:
    _written_out(str(value))
    return value


NotesDir = Annotated[
    Path,
    typer.Option(
        "--notes",
        envvar="STUDYKIT_NOTES",
        metavar="DIR",
        help="Folder of readings (one subfolder per reading).",
        callback=_notes_written_out,
    ),
]
Readings = Annotated[
    list[str] | None,
    typer.Argument(metavar="READING", help="Reading ids or folders; default: all."),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print data as JSON for scripts.")]
DEFAULT_NOTES = Path("notes")
ReadingArg = Annotated[
    str | None,
    typer.Argument(metavar="READING", help="Reading id or folder; optional when there is one."),
]
# Kept as typed (a path would drop a trailing `/`): `_review_store` makes it a path.
StatePath = Annotated[
    str | None,
    typer.Option(
        "--state",
        envvar="STUDYKIT_STATE",
        metavar="PATH",
        help="Review store (SQLite). Default: .studykit/review.db beside the notes folder, "
        "found from any folder. A relative PATH is from the current folder.",
    ),
]

P = ParamSpec("P")
R = TypeVar("R")


def _reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn StudykitError into one line per problem on stderr and exit 1 (2 for usage)."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            with running():  # what the command looks at once for all its readings
                return command(*args, **kwargs)
        except UsageError as exc:
            _print_problems(exc.problems())
            raise typer.Exit(2) from None
        except StudykitError as exc:
            _print_problems(exc.problems())
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            report_interrupt()
            raise typer.Exit(stopping.exit_code()) from None
        except BrokenPipeError:
            raise  # output piped into `head`: `main` ends it quietly, as other tools do
        except OSError as exc:
            # A path given that the system cannot follow (a name too long, a loop of links)
            # where no check of ours looked first: the system's words, on one line.
            where = f"{exc.filename}: " if exc.filename else ""
            typer.echo(printable(f"{where}error: {exc.strerror or exc}"), err=True)
            raise typer.Exit(1) from None
        except RuntimeError as exc:
            if isinstance(exc.__cause__ or exc.__context__, KeyboardInterrupt):
                # Ctrl-C while a class is being made (a module imported late) comes wrapped.
                report_interrupt()
                raise typer.Exit(stopping.exit_code()) from None
            if "Symlink loop" not in str(exc):  # what Path.resolve raises for a loop of links
                raise
            typer.echo(f"error: {exc}: a loop of symbolic links", err=True)
            raise typer.Exit(1) from None

    return wrapper


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        if problem.path == Path():
            typer.echo(printable(f"error: {problem.message}"), err=True)
        else:
            typer.echo(problem.format(), err=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"studykit {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Annotated study notes in YAML, turned into Anki decks and read back in the terminal.

    Notes live in ./notes/<reading>/: a reading.yaml and one NN-<section>.yaml per section.
    Start with `studykit check`, then `studykit show`.
    """


@app.command()
@_reports_errors
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
    _print_problems(problems)
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


@app.command("list")
@_reports_errors
def list_readings(
    notes: NotesDir = DEFAULT_NOTES, state: StatePath = None, as_json: JsonFlag = False
) -> None:
    """List readings and their sections with counts of points, terms, questions, cards and due.

    Example: studykit list --json
    """
    from studykit.notes.library import survey
    from studykit.terminal.listing import listing

    due = None
    unread: StudykitError | None = None
    store = _review_store(state, notes)
    if store.exists() or store.is_symlink():
        # Only a student who reviews pays for opening the store (a FIFO or a dangling link
        # there is refused by it, without blocking: the line says why due counts are missing).
        from studykit.cli.clock import now
        from studykit.review.stats import due_counts, store_states

        moment = now()
        try:
            progress = store_states(store, moment)
        except StudykitError as exc:
            # The notes are fine: list them all, without due counts, and say why once.
            unread = exc
        else:
            due = functools.partial(due_counts, progress=progress, now=moment)
    rows = listing(survey(notes), due, due_unknown=unread is not None)
    if unread is not None:
        from studykit.errors import display_path

        [problem] = unread.problems()[:1]
        where = display_path(problem.path)
        typer.echo(f"{where}: warning: due counts left out: {problem.message}", err=True)
    if as_json:
        typer.echo(json.dumps({"readings": rows}, indent=2, ensure_ascii=False))
    else:
        from studykit.terminal.listing import listing_table

        _console().print(listing_table(rows, show_due=due is not None))
    problems = [problem for row in rows for problem in row["problems"]]
    if problems:
        # Every reading is listed, but a broken one is still a failure for scripts.
        typer.echo("\n".join(problems), err=True)
        raise typer.Exit(1)


@app.command()
@_reports_errors
def show(
    reading: Annotated[
        str | None,
        typer.Argument(metavar="READING", help="Reading id or folder; optional when there is one."),
    ] = None,
    section: Annotated[
        str | None, typer.Argument(metavar="SECTION", help="Section id; default: all.")
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
    renderable = render_reading(shown, found.section, answers, excerpt)
    if found.section is None:
        for problem in found.broken:
            typer.echo(
                f"warning: {problem.format().split(': error: ')[0]}: section not shown, it has "
                f"errors ({problem.message}); run studykit check",
                err=True,
            )
    console = _console()
    if pager and console.is_terminal:
        from studykit.terminal.console import page

        with console.capture() as captured:
            console.print(renderable)
        why = page(captured.get())
        if why is not None:
            # Never nothing on the screen: the notes as they are, and why they are not paged.
            if why:
                typer.echo(f"not paged: {why}", err=True)
            typer.echo(captured.get(), nl=False)
    elif console.is_terminal:
        console.print(renderable)
    else:
        # Into a file or a pipe: rich pads blocks to the width; text files want no such tails.
        with console.capture() as captured:
            console.print(renderable)
        typer.echo("\n".join(line.rstrip() for line in captured.get().splitlines()))


@app.command()
@_reports_errors
def deck(
    readings: Readings = None,
    notes: NotesDir = DEFAULT_NOTES,
    output: Annotated[
        str | None,
        typer.Option(
            "-o",
            "--output",
            metavar="PATH",
            help="Deck file, or a folder (one ending in / or already there, or for several "
            "readings). Default: cards/<reading>.apkg.",
            callback=_written_out,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report what would change; write nothing.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Rebuild even if nothing changed, and replace a deck or identity record that "
            "is read-only.",
        ),
    ] = False,
    with_progress: Annotated[
        bool,
        typer.Option(
            "--with-progress",
            help="Carry each card's review state and answers from `studykit review`, so Anki "
            'continues them (import with "Import any learning progress"); Anki keeps its own '
            "schedule for cards it already has.",
        ),
    ] = False,
    state: StatePath = None,
    as_json: JsonFlag = False,
) -> None:
    """Build an Anki deck per reading and report, per section, what changed since the last build.

    Example: studykit deck mao-collectivization
    """
    from studykit.anki.batch import Options, build_decks
    from studykit.cli.clock import now
    from studykit.notes.library import resolve_readings
    from studykit.quality.checking import section_files

    folders = resolve_readings(readings or [], notes)
    store = None
    if with_progress:
        store = _review_store(state, folders[0].parent if folders else notes)
    options = Options(output, now(), dry_run, force, store)
    sections = sum(section_files(folder) for folder in folders)
    with _progress(sections) as advance, without_cycle_collection():
        outcomes = build_decks(folders, options, advance)
    # A broken reading is not built; the others are, each deck whole and valid, so a typo in
    # one reading never keeps the student from the decks of the rest.
    for outcome in outcomes:
        _print_problems(outcome.errors)
    for outcome in outcomes:
        _print_problems(outcome.failure)
    reports = [o.report for o in outcomes if o.report is not None]
    for report in reports:
        if report.notice:
            typer.echo(f"warning: {report.notice}", err=True)
    not_built = [o.reading for o in outcomes if o.errors] + [
        o.reading for o in outcomes if o.failure
    ]
    if as_json:
        decks = [r.to_json() for r in reports]
        typer.echo(json.dumps({"decks": decks, "not_built": not_built}, indent=2))
    else:
        import shutil

        from studykit.anki.report import report_lines
        from studykit.terminal.console import columns as fitted

        columns = fitted(shutil.get_terminal_size().columns)
        for report in reports:
            typer.echo("\n".join(report_lines(report, columns)))
    if not_built:
        if len(outcomes) == 1:
            raise typer.Exit(1)  # the one reading's error says it all, in one line
        built = ", ".join(r.reading for r in reports)
        done = f"built: {built}" if built else "no deck was written"
        typer.echo(
            f"deck: not built: {', '.join(not_built)} (fix the errors above); {done}", err=True
        )
        raise typer.Exit(1)


@app.command()
@_reports_errors
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
    from studykit.errors import display_path
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

    from studykit.terminal.columns import ljust, shorten, width
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


@app.command()
@_reports_errors
def review(
    reading: ReadingArg = None,
    notes: NotesDir = DEFAULT_NOTES,
    state: StatePath = None,
    section: Annotated[
        str | None, typer.Option("--section", metavar="S", help="Review one section only.")
    ] = None,
    new: Annotated[int, typer.Option("--new", min=0, metavar="N", help="New cards per day.")] = 20,
    limit: Annotated[
        int | None,
        typer.Option("--limit", min=1, metavar="N", help="Stop after N answers."),
    ] = None,
    retention: Annotated[
        float | None,
        typer.Option(
            "--retention",
            min=0.7,
            max=0.99,
            metavar="R",
            # `\\[`: rich markup would take the bracket for a style and drop the whole text.
            help="Desired retention, 0.70-0.99, for this session \\[default: the store's, 0.9 "
            "unless one was adopted from Anki or fitted]",
            show_default=False,
        ),
    ] = None,
    ahead: Annotated[
        int,
        typer.Option(
            "--ahead",
            min=0,
            max=36_500,  # the longest interval there is
            metavar="DAYS",
            help="Also review now the cards due in the next DAYS days (before an exam); "
            "each is scheduled from today's answer. No new cards.",
        ),
    ] = 0,
    cram: Annotated[
        bool,
        typer.Option(
            "--cram",
            help="Go through the cards (of READING, --section or --failed-today) without "
            "changing their schedule.",
        ),
    ] = False,
    failed_today: Annotated[
        bool,
        typer.Option("--failed-today", help="With --cram: the cards answered Again today."),
    ] = False,
) -> None:
    """Review due cards in the terminal, scheduled by FSRS as in Anki: every reading of the
    notes folder, or the READING named.

    Space or enter shows the answer; then 1 Again, 2 Hard, 3 Good (or enter), 4 Easy. Also:
    u undoes, s skips, - buries till tomorrow, @ suspends, e edits the card's notes, q quits.
    Every answer is saved at once. Without a terminal, one action per line: an empty line,
    1-4, u, s, -, @ or q.

    Before an exam: --ahead 3 reviews now what comes due in three days; --cram goes through
    cards and reschedules nothing.

    Example: studykit review mao-collectivization --section policies
    """
    from studykit.cli.clock import now
    from studykit.notes.library import load
    from studykit.notes.validate import load_reading
    from studykit.review import render
    from studykit.review.keyed import keyed_cards
    from studykit.review.location import check_folder, make_folder
    from studykit.review.screen import Screen, key_actions, line_actions, run
    from studykit.review.session import Loaded, Options, load_library, start

    options = Options(new, limit, section, ahead, cram, failed_today)
    with without_cycle_collection():  # tens of thousands of cards, no cycles among them
        if reading is None:
            store = _review_store(state, notes, move=True)
            if state is None:
                check_folder(store.parent)  # before the notes' identity records are written
            loaded = load_library(notes, store, now())
            if state is None:
                make_folder(store.parent)  # once the notes pass: bad notes make nothing
            session, notice = start(loaded, store, options, now(), retention)
        else:
            one = load(reading, notes)
            # Keyed before the store is made: a refused identity record makes no store, and
            # the record is written once the store has opened.
            keyed, identities = keyed_cards(one, save=False)
            store = _review_store(state, one.folder.parent, write=True)
            loaded = Loaded([one], {one.id: keyed}, None, None)
            session, notice = start(loaded, store, options, now(), retention)
            try:
                identities.save()
            except BaseException:
                session.store.close()  # the session never runs: nothing else closes it
                raise
        # The notes, cards and states just loaded live as long as the session: the collector,
        # back on, would scan them over and over (a tenth of a library session's start).
        gc.freeze()
    if notice:
        typer.echo(f"warning: {notice}", err=True)
    console = _console()
    try:
        with contextlib.ExitStack() as stack:
            if sys.stdin.isatty() and console.is_terminal:
                actions, suspend = stack.enter_context(key_actions(sys.stdin.fileno()))
                screen = Screen(console, actions, True, load_reading, suspend)
            else:
                screen = Screen(console, line_actions(sys.stdin))
            ended = run(session, now, screen)
    finally:
        session.store.close()
    if not (ended.interrupted and stopping.said() == "hung up"):  # no terminal to print on
        console.print(render.summary(ended.summary, ended.finished))
    if ended.interrupted:
        report_interrupt(f"{stopping.said() or 'interrupted'} (every answer is saved)")
        raise typer.Exit(stopping.exit_code())


@app.command()
@_reports_errors
def unsuspend(
    reading: ReadingArg = None,
    notes: NotesDir = DEFAULT_NOTES,
    state: StatePath = None,
    section: Annotated[
        str | None, typer.Option("--section", metavar="S", help="One section only.")
    ] = None,
    list_only: Annotated[
        bool, typer.Option("--list", help="Show the suspended cards; change nothing.")
    ] = False,
) -> None:
    """Bring suspended cards (@ on the review screen) back into review: every one of the
    notes folder, of the READING named, or of one --section.

    Example: studykit unsuspend mao-collectivization --section policies
    """
    from studykit.cli.clock import now
    from studykit.notes.library import load, load_all
    from studykit.review.suspension import unsuspend as bring_back

    readings = [load(reading, notes)] if reading is not None else load_all([], notes)
    folder = notes if reading is None else readings[0].folder.parent
    store = _review_store(state, folder, move=not list_only)
    cards = bring_back(readings, section, store, now(), dry_run=list_only)
    where = " in " + ", ".join(r.id for r in readings) if readings else ""
    if not cards:
        typer.echo(f"no suspended cards{where}")
        return
    if list_only:
        typer.echo(f"{plural(len(cards), 'suspended card')}{where}:")
    else:
        typer.echo(f"unsuspended {plural(len(cards), 'card')}{where}:")
    for k in cards:
        card = k.card
        typer.echo(
            f"  {k.reading.id} · {card.note.section.id} · {card.direction} · {card.note.label}"
        )


@app.command()
@_reports_errors
def stats(
    reading: ReadingArg = None,
    notes: NotesDir = DEFAULT_NOTES,
    state: StatePath = None,
    as_json: JsonFlag = False,
) -> None:
    """Due forecast, true retention, streak and strength (weakest first): of the library, a
    row per reading; of a READING, a row per section.

    Example: studykit stats --json
    """
    from studykit.cli.clock import now
    from studykit.errors import display_path
    from studykit.notes.library import load, load_all
    from studykit.review.stats import library_stats, library_view, reading_stats, stats_view

    if reading is None:
        readings = load_all([], notes)
        store = _review_store(state, notes)
        data = library_stats(readings, store, now())
        title = f"{plural(len(readings), 'reading')} in {display_path(notes)}"
        view = library_view
    else:
        loaded = load(reading, notes)
        store = _review_store(state, loaded.folder.parent)
        data = reading_stats(loaded, store, now())
        title = loaded.title
        view = stats_view
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        where = display_path(store) + ("" if store.is_file() else " (none yet: nothing reviewed)")
        _console().print(view(data, title, where))


@app.command()
@_reports_errors
def optimize(
    notes: NotesDir = DEFAULT_NOTES,
    state: StatePath = None,
    as_json: JsonFlag = False,
) -> None:
    """Fit your own FSRS parameters to the answers in the review store (terminal and pulled
    from Anki), show log loss and RMSE of the defaults and of the fit on those answers, and
    let review schedule with the fit where it is better on both. Anki fits from 400 answers.

    Example: studykit optimize --json
    """
    from studykit.cli.clock import now
    from studykit.review.optimize import as_json as optimized_json
    from studykit.review.optimize import optimize as fit
    from studykit.review.optimize import report

    result = fit(_review_store(state, notes, move=True), now())
    if as_json:
        typer.echo(json.dumps(optimized_json(result), indent=2, ensure_ascii=False))
    else:
        typer.echo("\n".join(report(result)))


@app.command()
@_reports_errors
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

    report = pull_library(anki_file, notes, _review_store(state, notes, write=True), now())
    if report.notice:
        typer.echo(f"warning: {report.notice}", err=True)
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
        return
    for line in report.lines(anki_file.name):
        typer.echo(line)


def _review_store(state: str | None, notes: Path, write: bool = False, move: bool = False) -> Path:
    """The review store: --state (or $STUDYKIT_STATE), else beside the notes folder (made, kept
    out of git, when `write`). A store an earlier version left in the current folder is taken
    over by a command that writes (`write` or `move`) and read where it is by one that only
    reads, with a line saying so."""
    from studykit.review.location import chosen_store, locate, make_folder

    chosen = None
    if state is not None:
        from typer._click.core import ParameterSource
        from typer._click.globals import get_current_context

        # The line names what the student typed: the option, or the variable set long ago.
        context = get_current_context(silent=True)
        source = context.get_parameter_source("state") if context is not None else None
        named = "$STUDYKIT_STATE" if source is ParameterSource.ENVIRONMENT else "--state"
        chosen = chosen_store(state, named)
    located = locate(notes, chosen, move=write or move)
    if located.notice is not None:
        typer.echo(located.notice, err=True)
    if write and state is None:
        make_folder(located.path.parent)
    return located.path


@app.command()
@_reports_errors
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


OutputPath = Annotated[
    str | None,
    typer.Option(
        "-o",
        "--output",
        metavar="PATH",
        help="File to write (or a folder for the default name); default: print to stdout.",
        callback=_written_out,
    ),
]
CitationStyle = Annotated[
    str,
    typer.Option(
        "--style",
        metavar="CSL",
        help="Citation style: a CSL style name (chicago-author-date, apa, mla, ieee, ...) or a "
        ".csl file.",
    ),
]
ReplaceReadOnly = Annotated[
    bool, typer.Option("--force", help="Replace the -o file even if it is read-only.")
]


@app.command()
@_reports_errors
def outline(
    readings: Readings = None,
    notes: NotesDir = DEFAULT_NOTES,
    fmt: Annotated[
        str | None,
        typer.Option(
            "-f",
            "--format",
            metavar="md|html|pdf",
            help="Output format; default: from the -o suffix, else md. A PDF without -o is "
            "written to <reading>-outline.pdf (a course pack to course-pack.pdf).",
        ),
    ] = None,
    output: OutputPath = None,
    answers: Annotated[
        str,
        typer.Option(
            "--answers",
            metavar="inline|end|none",
            help="Answers under each question, in a key at the end, or left out for "
            "self-testing (none also blanks cloze deletions and leaves out summaries, plain "
            "points, definitions and annotations).",
        ),
    ] = "inline",
    layout: Annotated[
        str,
        typer.Option(
            "--layout",
            metavar="cornell|fold|cards",
            help="cornell: cues beside the notes; fold: a self-test sheet to fold down the "
            "middle, prompts left, answers right; cards: flashcards to cut out, 8 a page, backs "
            "mirrored for double-sided printing (flip on the long edge; pdf and html).",
        ),
    ] = "cornell",
    paper: Annotated[
        str, typer.Option("--paper", metavar="a4|letter", help="Paper size (pdf and html).")
    ] = "a4",
    title: Annotated[
        str | None,
        typer.Option(
            "--title", metavar="TEXT", help="A course pack's title (default: Course pack)."
        ),
    ] = None,
    style: CitationStyle = "chicago-author-date",
    force: ReplaceReadOnly = False,
) -> None:
    """Print a handout: numbered sections, cue questions beside the notes, terms, summaries.

    Several readings (or none, in a notes folder of several) make one course pack: contents,
    each reading's handout in the notes folder's order, an index of terms, the works cited.

    Example: studykit outline -f pdf --answers end
    """
    from studykit.citing.csl import cited_reading, style_path, works_heading
    from studykit.handouts.formats import (
        OUTLINE_FORMATS,
        lay_out,
        refuse_mismatch,
        refuse_oversized,
        render_outline,
    )
    from studykit.handouts.layout import ANSWERS, LAYOUTS, PAPERS, with_works_cited
    from studykit.handouts.output import choose_format, target_path
    from studykit.notes.library import load

    kind = choose_format(fmt, output, OUTLINE_FORMATS)
    mode = _one_of("--answers", answers, ANSWERS)
    shape = _one_of("--layout", layout, LAYOUTS)
    size = _one_of("--paper", paper, PAPERS)
    refuse_mismatch(kind, shape, mode)
    style_path(style)  # an unknown style is refused before anything is read
    names = readings or []
    if title is not None and (control := CONTROL.search(title)):
        # Notes may hold no control character (`check` refuses them); nor may the title a
        # course pack prints above them, which a terminal would act on.
        raise UsageError(f"--title holds {control_name(control.group())}: write it without")
    if title is not None and any(brk in title for brk in "\n\r\x85\u2028\u2029"):
        # A Markdown pack printed it as given: `--title $'Pack\n\n# Other'` made a heading.
        raise UsageError("--title is one line: write it without line breaks")
    if title is not None:
        from studykit.notes.nesting import cluster_message, long_cluster

        if (at := long_cluster(title)) is not None:  # as `check` says of notes text
            raise UsageError(f"--title: {cluster_message(title, at)}")
    if _several(names, notes):
        pack = _PackOptions(kind, mode, shape, size, output, title, force, style)
        _course_pack(names, notes, pack)
        return
    if title is not None:
        raise UsageError("--title names a course pack: give several readings")
    loaded = cited_reading(load(names[0] if names else None, notes), style, _shown(mode, shape))
    refuse_oversized(loaded, kind, shape)
    target = target_path(output, loaded.id, kind, "outline", force)
    data = with_works_cited(lay_out(loaded, mode, shape), loaded, works_heading(style))
    content, warnings = render_outline(data, kind, loaded.folder, target, size)
    _deliver(content, warnings, target, (notes, loaded.folder.parent), force)


def _several(names: list[str], notes: Path) -> bool:
    """Whether the readings named (all when none is) are more than one: a course pack."""
    from studykit.notes.library import resolve_readings

    if len(names) == 1:
        return False
    return len({folder.resolve() for folder in resolve_readings(names, notes)}) > 1


@dataclasses.dataclass(frozen=True)
class _PackOptions:
    kind: str
    answers: Answers
    layout: Layout
    paper: Paper
    output: str | None
    title: str | None
    force: bool
    style: str


def _shown(answers: str, layout: str = "cornell") -> Shown:
    """Which texts of a reading a handout prints, for the works it cites: a fold sheet and
    flashcards print only what the cards ask and answer."""
    if answers == "none":
        return "self-test"
    return "all" if layout == "cornell" else "cards"


def _course_pack(names: list[str], notes: Path, options: _PackOptions) -> None:
    """Write several readings as one course pack, or nothing when one of them is broken."""
    from studykit.citing.csl import cited_reading, works_heading
    from studykit.handouts.limits import refuse_oversized_pack
    from studykit.handouts.output import target_path
    from studykit.handouts.pack import DEFAULT_TITLE, course_pack, in_notes_order
    from studykit.handouts.pack_formats import render_pack
    from studykit.notes.library import load_all, reading_folders

    order = reading_folders(notes) if notes.is_dir() else []
    loaded = [
        cited_reading(reading, options.style, _shown(options.answers, options.layout))
        for reading in in_notes_order(load_all(names, notes), order)
    ]
    if options.kind == "pdf":
        refuse_oversized_pack(loaded, cards=options.layout == "cards")
    # Without -o a PDF goes to course-pack.pdf, as one reading's goes to <reading>-outline.pdf.
    target = target_path(options.output, "course", options.kind, "pack", options.force)
    title = options.title or DEFAULT_TITLE
    pack = dataclasses.replace(
        course_pack(loaded, options.answers, options.layout, title),
        works_heading=works_heading(options.style),
    )
    content, warnings = render_pack(pack, options.kind, target, options.paper)
    protected = (notes, *dict.fromkeys(reading.folder.parent for reading in loaded))
    _deliver(content, warnings, target, protected, options.force)


Choice = TypeVar("Choice", bound=str)


def _one_of(option: str, value: str, choices: tuple[Choice, ...]) -> Choice:
    """The choice `value` names, or a usage error listing the choices."""
    chosen = next((c for c in choices if c == value), None)
    if chosen is None:
        raise UsageError(f"unknown {option} {value!r}; choose one of: {', '.join(choices)}")
    return chosen


@app.command()
@_reports_errors
def summary(
    reading: ReadingArg = None,
    notes: NotesDir = DEFAULT_NOTES,
    fmt: Annotated[
        str | None,
        typer.Option(
            "-f",
            "--format",
            metavar="text|md|html",
            help="Output format; default: from the -o suffix, else text.",
        ),
    ] = None,
    output: OutputPath = None,
    sentences: Annotated[
        int,
        typer.Option(
            "--sentences",
            metavar="N",
            min=1,
            help="Sentences in each automatic summary (sections without a written one).",
        ),
    ] = 2,
    style: CitationStyle = "chicago-author-date",
    force: ReplaceReadOnly = False,
) -> None:
    """Print a one-page digest: the reading's summary, each section's summary and key terms.

    Example: studykit summary -f html -o summary.html
    """
    from studykit.citing.csl import cited_reading, style_path, works_heading
    from studykit.handouts.formats import SUMMARY_FORMATS, render_summary
    from studykit.handouts.output import choose_format, target_path
    from studykit.handouts.summary import digest
    from studykit.notes.library import load

    kind = choose_format(fmt, output, SUMMARY_FORMATS)
    style_path(style)  # an unknown style is refused before anything is read
    loaded = cited_reading(load(reading, notes), style, "summary")
    target = target_path(output, loaded.id, kind, "summary", force)
    data = dataclasses.replace(digest(loaded, sentences), works_heading=works_heading(style))
    content, warnings = render_summary(data, kind)
    _deliver(content, warnings, target, (notes, loaded.folder.parent), force)


def _deliver(
    content: bytes,
    warnings: list[str],
    target: Path | None,
    protected: tuple[Path, ...],
    force: bool,
) -> None:
    """Say the warnings, then print to stdout, or write the file whole and say where it went."""
    for warning in warnings:
        typer.echo(f"warning: {warning}", err=True)
    if target is None:
        # A PDF (only with `-o -`) goes out as bytes; text through the terminal's encoding.
        typer.echo(content if content.startswith(b"%PDF") else content.decode("utf-8"), nl=False)
        return
    from studykit.errors import display_path
    from studykit.handouts.output import write_output

    write_output(target, content, protected, force)
    typer.echo(f"wrote {display_path(target)}")


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


def _console() -> rich.console.Console:
    from rich.console import Console

    from studykit.terminal.console import columns

    console = Console(soft_wrap=False)
    width = columns(console.width)
    if width != console.width:  # set only then: otherwise rich follows a resized terminal
        console.width = width
    return console


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error worth a traceback.
        sys.stderr.close()
        raise SystemExit(1) from None


def _flowing_help() -> None:
    """Each paragraph of a command's docstring made one line. Typer's rich help keeps a
    docstring's single line breaks, so text wrapped to fit the source broke mid-phrase at every
    terminal width; rich wraps one line to the terminal."""
    import inspect
    import re

    def flowing(doc: str) -> str:
        return re.sub(r"(?<!\n)\n(?!\n)", " ", inspect.cleandoc(doc))

    for info in app.registered_commands:
        if info.help is None and info.callback is not None and info.callback.__doc__:
            info.help = flowing(info.callback.__doc__)
    main_help = app.registered_callback
    if main_help is not None and main_help.callback is not None and main_help.callback.__doc__:
        main_help.help = flowing(main_help.callback.__doc__)


_flowing_help()
