"""What the commands share: the options several take, the wrapper that turns StudykitError into
one line per problem, the review store's location, and the console.

Only Typer and light modules of our own are imported at the top: every command module imports
this one, and `studykit --help` imports every command module.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

from studykit.cli.entry import report_interrupt
from studykit.command import running
from studykit.errors import Problem, StudykitError, UsageError, printable
from studykit.processes import stopping

if TYPE_CHECKING:
    import rich.console


def written_out(value: str | None) -> str | None:
    """A path as the shell left it (`-o`, `--notes`, $STUDYKIT_NOTES): one with a leading `~`
    or `$NAME` is refused, as a folder named `~` would be made."""
    from studykit.review.location import unexpanded

    reason = None if value is None else unexpanded(value)
    if reason is not None:
        raise typer.BadParameter(f"{value!r} {reason}")
    return value


def _notes_written_out(value: Path) -> Path:
    written_out(str(value))
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
# Kept as typed (a path would drop a trailing `/`): `review_store` makes it a path.
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


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn StudykitError into one line per problem on stderr and exit 1 (2 for usage)."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            with running():  # what the command looks at once for all its readings
                return command(*args, **kwargs)
        except UsageError as exc:
            print_problems(exc.problems())
            raise typer.Exit(2) from None
        except StudykitError as exc:
            print_problems(exc.problems())
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


def print_problems(problems: list[Problem]) -> None:
    """Each problem on its line of stderr, with its file and line where it has them."""
    for problem in problems:
        if problem.path == Path():
            typer.echo(printable(f"error: {problem.message}"), err=True)
        else:
            typer.echo(problem.format(), err=True)


def review_store(state: str | None, notes: Path, write: bool = False, move: bool = False) -> Path:
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


def console() -> rich.console.Console:
    """A console for stdout, as wide as the terminal within the columns a table reads in."""
    from rich.console import Console

    from studykit.terminal.console import columns

    made = Console(soft_wrap=False)
    width = columns(made.width)
    if width != made.width:  # set only then: otherwise rich follows a resized terminal
        made.width = width
    return made
