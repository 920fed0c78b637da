"""Everyday commands on the shipped notes against `studykit --help`, the fastest a command can be.

Each command runs whole, alternating with `studykit --help`, in a copy of the shipped notes
(so decks, handouts and review state land in a temporary folder). Goal: each at most 1.5x.

    python benchmarks/everyday.py [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from timing import alternate, report

SHIPPED = Path(__file__).resolve().parent.parent / "notes"
HELP = "studykit --help"
COMMANDS = {
    "studykit deck --force": ["deck", "--force"],
    "studykit check": ["check"],
    "studykit list": ["list"],
    "studykit show --no-pager": ["show", "--no-pager"],
    "studykit outline -f md": ["outline", "-f", "md"],
    "studykit summary": ["summary"],
    "studykit stats": ["stats"],
}
GOAL = 1.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    studykit = [sys.executable, "-m", "studykit"]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(SHIPPED, Path(tmp) / "notes")
        env = {**os.environ, "STUDYKIT_STATE": str(Path(tmp) / "review.db")}
        env.pop("STUDYKIT_NOTES", None)
        cwd = Path.cwd()
        os.chdir(tmp)
        try:
            for name, argv in COMMANDS.items():
                commands = {HELP: [*studykit, "--help"], name: [*studykit, *argv]}
                medians = alternate(commands, args.runs, env=env)
                ok &= report(f"{name} on the shipped notes", medians, name, {HELP: GOAL})
        finally:
            os.chdir(cwd)
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
