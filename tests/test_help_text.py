"""`studykit COMMAND --help` reads whole: each paragraph wraps at the terminal's width only, never
at the line ends of the source's docstrings, at 80 and at 120 columns."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys

import pytest

COMMANDS = [
    [],
    *[
        [name]
        for name in (
            "check list show deck ingest review unsuspend stats optimize pull schema outline "
            "summary"
        ).split()
    ],
]


def help_text(args: list[str], columns: int) -> str:
    """What a student sees in a terminal of `columns` columns (rich reads $COLUMNS)."""
    env = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": "1", "TERM": "dumb"}
    done = subprocess.run(
        [sys.executable, "-m", "studykit", *args, "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def description(text: str) -> list[list[str]]:
    """The paragraphs above the option panels, each as its lines, stripped."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("Usage:")) + 1
    end = next(i for i, line in enumerate(lines) if line.startswith("╭"))
    paragraphs: list[list[str]] = [[]]
    for line in lines[start:end]:
        if line.strip():
            paragraphs[-1].append(line.strip())
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a) or "studykit")
def test_paragraphs_wrap_only_at_the_width(args: list[str], columns: int) -> None:
    text = help_text(args, columns)
    room = columns - 2  # rich pads the text by one column each side
    for paragraph in description(text):
        for line, after in itertools.pairwise(paragraph):
            next_word = after.split()[0]
            assert len(line) + 1 + len(next_word) > room, (
                f"broken before the width ({columns}): {line!r} then {after!r}\n{text}"
            )


def test_review_help_at_80_and_120_columns() -> None:
    assert description(help_text(["review"], 80))[1] == [
        "Space or enter shows the answer; then 1 Again, 2 Hard, 3 Good (or enter), 4",
        "Easy. Also: u undoes, s skips, - buries till tomorrow, @ suspends, e edits the",
        "card's notes, q quits. Every answer is saved at once. Without a terminal, one",
        "action per line: an empty line, 1-4, u, s, -, @ or q.",
    ]
    wide = help_text(["review"], 120)
    assert description(wide)[1] == [
        "Space or enter shows the answer; then 1 Again, 2 Hard, 3 Good (or enter), 4 Easy. "
        "Also: u undoes, s skips, - buries",
        "till tomorrow, @ suspends, e edits the card's notes, q quits. Every answer is saved "
        "at once. Without a terminal, one",
        "action per line: an empty line, 1-4, u, s, -, @ or q.",
    ]
    # The option's default in brackets, which rich markup would take for a style and drop.
    assert "Desired retention, 0.70-0.99, for this session [default: the store's," in wide


@pytest.mark.parametrize("columns", [80, 120])
def test_pull_help_names_the_menu_whole(columns: int) -> None:
    paragraphs = description(help_text(["pull"], columns))
    assert any("File > Create Backup" in line for line in paragraphs[1]), paragraphs
    assert " ".join(paragraphs[1]) == (
        "The file is read, never changed; a collection open in Anki is refused (use File > "
        "Create Backup and pull the backup). Pulling the same file again changes nothing."
    )


@pytest.mark.parametrize("columns", [80, 120])
def test_each_command_is_summed_up_wrapping_only_at_the_width(columns: int) -> None:
    text = help_text([], columns)
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("╭─ Commands"))
    panel = [line for line in lines[start + 1 :] if line.startswith("│")]
    assert panel, text
    # Each row: `│ name   summary ... │`; a wrapped summary goes on under the summary column.
    column = len(panel[0]) - len(panel[0][2:].split(maxsplit=1)[1])
    room = len(panel[0]) - 2 - column  # the closing border and one column of padding
    rows: list[list[str]] = []
    for line in panel:
        name, body = line[1:column].strip(), line[column:-1].strip()
        if name:
            rows.append([body])
        else:
            rows[-1].append(body)
    assert len(rows) == len(COMMANDS) - 1, text
    for row in rows:
        for line, after in itertools.pairwise(row):
            assert len(line) + 1 + len(after.split()[0]) > room, f"{line!r} then {after!r}\n{text}"


@pytest.mark.parametrize("name", [args[0] for args in COMMANDS if args])
def test_a_command_run_alone_reads_as_in_the_whole_app(name: str) -> None:
    """A command runs in an app that holds it alone (Typer reads only its signature): its help
    and its usage errors are what the whole app gives."""
    from typer.testing import CliRunner

    from studykit.cli.app import _app_for, app

    alone = _app_for([name])
    assert [info.callback for info in alone.registered_commands] == [
        info.callback
        for info in app.registered_commands
        if name in (info.name, getattr(info.callback, "__name__", None))
    ]
    runner = CliRunner()
    env = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    for args in ([name, "--help"], [name, "--no-such-option"]):
        whole = runner.invoke(app, args, prog_name="studykit", env=env)
        single = runner.invoke(alone, args, prog_name="studykit", env=env)
        assert (single.exit_code, single.output) == (whole.exit_code, whole.output), args
        assert f"studykit {name}" in whole.output


def test_the_whole_app_runs_where_no_command_is_named() -> None:
    """`--help`, `--version` and a mistyped command (with its suggestion) need every command."""
    from studykit.cli.app import _app_for, app

    for first in ([], ["--help"], ["--version"], ["lst"]):
        assert _app_for(first) is app
