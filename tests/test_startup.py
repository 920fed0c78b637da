"""`studykit --help` and `check` must not pay for the heavy libraries of other commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = [
    "genanki", "fsrs", "fsrs_rs_python", "typst", "anki", "sqlite3", "pypdf", "bs4", "pylatexenc",
]  # fmt: skip

PROBE = """
import json, sys
sys.argv = ["studykit", *json.loads(sys.argv[1])]
from studykit.cli.app import main
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
print("EXIT=" + str(code))
print("MODULES=" + json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {heavy})))
"""


# What each command prints when it works: a probe that failed early imports little.
SHOWS = {"--help": "Usage: studykit", "check": "ok: 1 reading", "list": "demo"}


@pytest.mark.parametrize("args", [["--help"], ["check"], ["check", "--help"], ["list"]])
def test_light_commands_import_no_heavy_library(args: list[str], notes: Path) -> None:
    probe = PROBE.replace("{heavy}", repr(set(HEAVY)))
    done = subprocess.run(
        [sys.executable, "-c", probe, json.dumps(args)],
        capture_output=True,
        text=True,
        check=False,
        cwd=notes.parent,
    )
    assert "EXIT=0" in done.stdout.splitlines(), f"the command must succeed: {done}"
    assert SHOWS[args[-1]] in done.stdout, f"the command must do its work: {done}"
    line = next(x for x in done.stdout.splitlines() if x.startswith("MODULES="))
    assert json.loads(line.removeprefix("MODULES=")) == [], done.stdout
