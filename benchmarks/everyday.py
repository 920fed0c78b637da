"""Everyday commands on the shipped notes against `studykit --help`, the fastest a command can be.

Each command runs whole, alternating with `studykit --help`, in a copy of the shipped notes
(so decks, handouts, review state and the cache land in a temporary folder). Goal: each at
most 1.5x. Last, for scale, `show` with no formatted citations kept.

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
        # Formatted citations are kept in a cache folder of the run's own (the warm-up round
        # fills it, as a student's first command does).
        env = {
            **os.environ,
            "STUDYKIT_STATE": str(Path(tmp) / "review.db"),
            "STUDYKIT_CACHE": str(Path(tmp) / "cache"),
        }
        env.pop("STUDYKIT_NOTES", None)
        cwd = Path.cwd()
        os.chdir(tmp)
        try:
            for name, argv in COMMANDS.items():
                commands = {HELP: [*studykit, "--help"], name: [*studykit, *argv]}
                medians = alternate(commands, args.runs, env=env)
                ok &= report(f"{name} on the shipped notes", medians, name, {HELP: GOAL})
            # For scale, no goal: the first `show` after the citations or the bibliography
            # changed, which formats them again.
            cold = "studykit show --no-pager, nothing kept"
            commands = {HELP: [*studykit, "--help"], cold: ["env", "STUDYKIT_CACHE=", *studykit]}
            commands[cold] += ["show", "--no-pager"]
            medians = alternate(commands, args.runs, env=env)
            print(f"{cold}: {medians[cold] * 1000:.1f} ms, {medians[cold] / medians[HELP]:.2f}x")
        finally:
            os.chdir(cwd)
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
