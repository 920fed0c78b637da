"""Everyday commands load only what they use, and options read the same as Typer reads them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer.core
from typer.testing import CliRunner

from studykit.cli.app import app

PROBE = """
import json, sys
sys.argv = ["studykit", *json.loads(sys.argv[1])]
from studykit.cli.app import main
try:
    main()
except SystemExit:
    pass
print("MODULES=" + json.dumps(sorted(sys.modules)))
"""


def loaded_modules(args: list[str], cwd: Path) -> set[str]:
    """Modules imported by one run of a command, by their full names."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env={"STUDYKIT_STATE": str(cwd / "review.db"), "PATH": "/usr/bin:/bin"},
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("MODULES=")), None)
    assert line is not None, done
    return set(json.loads(line.removeprefix("MODULES=")))


@pytest.mark.parametrize(
    ("args", "unused"),
    [
        (
            ["check"],
            {"pydantic", "rich", "markdown_it", "genanki", "sqlite3", "multiprocessing", "pickle"},
        ),
        (["list", "--json"], {"pydantic", "rich", "markdown_it", "genanki", "sqlite3"}),
        (["list"], {"pydantic", "markdown_it", "genanki", "sqlite3"}),
        # pylatexenc comes in: the shipped notes' sources.bib is BibTeX (`613--645` is LaTeX).
        (["show", "--no-pager"], {"pydantic", "genanki", "sqlite3"}),
        (["deck", "--dry-run"], {"pydantic", "rich", "multiprocessing"}),
        (
            ["outline", "-f", "md"],
            {"pydantic", "rich", "genanki", "sqlite3", "typst", "studykit.handouts.textrank"},
        ),
        (["summary"], {"pydantic", "rich", "genanki", "sqlite3", "typst"}),
        (["stats"], {"pydantic", "genanki", "typst"}),
    ],
)
def test_everyday_commands_import_only_what_they_use(
    args: list[str], unused: set[str], shipped: Path
) -> None:
    loaded = loaded_modules(args, shipped.parent)
    assert "studykit" in loaded, loaded
    # A name in `unused` stands for the package and everything in it.
    used = {m for m in loaded if m in unused or m.split(".")[0] in unused}
    assert not used, f"studykit {' '.join(args)} imports {sorted(used)}"


CASES = [
    ["check", "--answer-words", "7"],
    ["check", "--answer-words", "0"],
    ["check", "--answer-words", "seven"],
    ["check", "--answer-words", " 7"],
    ["check", "--note-words", "+3"],
    ["check", "--notes", ""],
    ["check", "--notes", "elsewhere"],
    ["check", "mao-collectivization", "nope"],
    ["list", "--json"],
    ["show", "mao-collectivization", "policies", "--no-pager"],
    ["review", "--new", "abc", "--limit", "1"],
    ["review", "--retention", "0.95", "--limit", "1"],
    ["review", "--retention", "2", "--limit", "1"],
    ["review", "--retention", "0.9x", "--limit", "1"],
    ["review", "--retention", "1e-1", "--limit", "1"],
    ["summary", "--sentences", "0"],
    ["deck", "--dry-run", "-o", ""],
    ["--version"],
]


@pytest.mark.parametrize("args", CASES)
def test_options_read_as_typer_reads_them(
    args: list[str], shipped: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STUDYKIT_STATE", str(shipped.parent / "review.db"))
    runner = CliRunner()
    ours = runner.invoke(app, args, input="q\n")
    # The same command line through Typer's own group, which converts with Pydantic.
    monkeypatch.setattr(app.info, "cls", typer.core.TyperGroup)
    typers = runner.invoke(app, args, input="q\n")
    assert (ours.exit_code, _untimed(ours.stdout), ours.stderr) == (
        typers.exit_code,
        _untimed(typers.stdout),
        typers.stderr,
    ), (ours.output, typers.output)


def _untimed(output: str) -> str:
    """The output without a review's wall-clock length ("0 answers in 1s"), which differs by run."""
    return re.sub(r"(answers? in )(\d+m )?\d+s", r"\1…", output)
