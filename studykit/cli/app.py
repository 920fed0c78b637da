"""The `studykit` command line: the Typer app, its commands in the order `--help` lists them,
and `main`. Each command lives in the module of its family (notes, anki, ingest, review,
handouts), beside what the commands share (`common`).

Typer builds `--help` from every command's signature, so every command module is imported
here; they import only Typer and light modules of our own at the top, so `studykit --help`
stays as fast as a bare Typer app. Rich rendering, genanki and friends are imported by the
commands.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from studykit import __version__
from studykit.cli import anki, handouts, ingest, notes, review


def _command_group() -> type[typer.core.TyperGroup]:
    """Typer's command group, converting option values without Pydantic where Typer would."""
    try:
        from studykit.cli.values import FastGroup
    except ImportError:  # a Typer that never used Pydantic: nothing to avoid
        return typer.core.TyperGroup
    return FastGroup


_SETTINGS: dict[str, Any] = {
    "name": "studykit",
    "cls": _command_group(),
    "no_args_is_help": True,
    "add_completion": False,
    "pretty_exceptions_enable": False,
    "context_settings": {"help_option_names": ["-h", "--help"]},
}
app = typer.Typer(**_SETTINGS)


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


app.command()(notes.check)
app.command("list")(notes.list_readings)
app.command()(notes.show)
app.command()(anki.deck)
app.command()(ingest.ingest)
app.command()(review.review)
app.command()(review.unsuspend)
app.command()(review.stats)
app.command()(review.optimize)
app.command()(anki.pull)
app.command()(notes.schema)
app.command()(handouts.outline)
app.command()(handouts.summary)


def main() -> None:
    """Console-script entry point."""
    try:
        _app_for(sys.argv[1:2])()
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error worth a traceback.
        sys.stderr.close()
        raise SystemExit(1) from None


def _app_for(first: list[str]) -> typer.Typer:
    """The app to run for arguments that begin with `first`: where they name a command, one
    with that command alone. Typer reads the signature of every command it is given (16 ms for
    all of them, of every command's start); a command runs with its own alone, while the
    app's `--help` and a mistyped command's suggestions need them all."""
    chosen = [
        info
        for info in app.registered_commands
        if info.callback is not None
        and first == [info.name or typer.main.get_command_name(info.callback.__name__)]
    ]
    if not chosen:
        return app
    alone = typer.Typer(**_SETTINGS)
    alone.registered_callback = app.registered_callback
    alone.registered_commands = chosen
    return alone


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
