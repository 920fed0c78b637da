"""`studykit --help` and `check` must not pay for the heavy libraries of other commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ["genanki", "fsrs", "typst", "anki", "sqlite3", "pypdf", "bs4"]

PROBE = """
import json, sys
sys.argv = ["studykit", *json.loads(sys.argv[1])]
from studykit.cli import main
try:
    main()
except SystemExit:
    pass
print("MODULES=" + json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {heavy})))
"""


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
    line = next(x for x in done.stdout.splitlines() if x.startswith("MODULES="))
    assert json.loads(line.removeprefix("MODULES=")) == [], done.stdout
