"""`studykit deck` of a deck already up to date against `studykit check` of the same notes.

A deck whose notes, identity record, bibliography and images are those its last build recorded
is reported up to date without deriving, rendering or writing a note (`studykit.anki.inputs`):
what is left is loading and validating the notes, as `check` does, and reading the manifest.
Both shapes of the deck benchmark (50,000 cards), each built once first, then the two commands
run side by side:
  wide: 100 readings x 20 sections        goal: at most 1.2x check
  deep: 1 reading x 2,000 sections        goal: at most 1.2x check

    python benchmarks/deck_current.py [--runs 5] [--shape deep]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from library import write_library
from timing import alternate, as_installed, report

SHAPES = (("wide", 100, 20), ("deep", 1, 2000))
GOAL = 1.2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--shape", choices=[s[0] for s in SHAPES], help="only this shape")
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for shape, readings, sections in SHAPES:
            if args.shape not in (None, shape):
                continue
            notes = Path(tmp) / shape / "notes"
            write_library(notes, readings, sections)
            studykit = [sys.executable, "-m", "studykit"]
            deck = [*studykit, "deck", "--notes", str(notes), "-o", f"{Path(tmp) / shape}/cards/"]
            subprocess.run(deck, check=True, capture_output=True, env=as_installed())
            commands = {
                "studykit deck (up to date)": deck,
                "studykit check": [*studykit, "check", "--notes", str(notes)],
            }
            before = os.getloadavg()
            medians = alternate(commands, args.runs)
            said = subprocess.run(deck, check=True, capture_output=True, text=True).stdout
            assert "up to date" in said and "wrote" not in said, said
            print(f"load average (1 min) {before[0]:.2f} before, {os.getloadavg()[0]:.2f} after")
            title = f"deck up to date, {shape}: {readings} x {sections} sections, 50,000 cards"
            ok &= report(title, medians, "studykit deck (up to date)", "studykit check", GOAL)
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
