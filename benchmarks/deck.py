"""`studykit deck` on 50,000 cards against a plain PyYAML + genanki script, two ways.

The script loads YAML with `yaml.safe_load` (pure Python, what most scripts use) or with
libyaml's `CSafeLoader` (the strongest baseline); both run side by side with studykit.
Two shapes of the same 50,000 cards (2,000 sections of 25 cards):
  wide: 100 readings x 20 sections        goals: at most 0.3x safe_load + genanki,
                                                 at most 0.5x CSafeLoader + genanki
  deep: 1 reading x 2,000 sections        goals: at most 0.1x either (genanki rewrites its deck
                                          table per deck, so the script is quadratic in subdecks)
Then studykit alone on 1/4, 1/2 and all of the deep shape, to show time linear in cards.

    python benchmarks/deck.py [--runs 3] [--shape deep] [--strongest]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from library import write_library
from timing import alternate, as_installed, report

BASELINE = Path(__file__).with_name("genanki_baseline.py")
SAFE, CSAFE = "yaml.safe_load + genanki", "CSafeLoader + genanki"
SHAPES = (("wide", 100, 20, {SAFE: 0.3, CSAFE: 0.5}), ("deep", 1, 2000, {SAFE: 0.1, CSAFE: 0.1}))


def studykit_deck(notes: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "studykit", "deck", "--notes", str(notes), "-o", f"{out}/"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shape", choices=[s[0] for s in SHAPES], help="only this shape")
    parser.add_argument(
        "--strongest", action="store_true", help="only the CSafeLoader baseline (quicker)"
    )
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for shape, readings, sections, goals in SHAPES:
            if args.shape not in (None, shape):
                continue
            notes = Path(tmp) / shape / "notes"
            write_library(notes, readings, sections)
            ours, theirs = Path(tmp) / shape / "ours", Path(tmp) / shape / "theirs"
            theirs.mkdir()
            script = [sys.executable, str(BASELINE), str(notes), str(theirs)]
            commands = {
                "studykit deck": [*studykit_deck(notes, ours), "--force"],
                SAFE: script,
                CSAFE: [*script, "--loader", "c"],
            }
            if args.strongest:
                del commands[SAFE]
                goals = {CSAFE: goals[CSAFE]}
            medians = alternate(commands, args.runs)
            title = f"deck, {shape}: {readings} x {sections} sections, 50,000 cards"
            ok &= report(title, medians, "studykit deck", goals)
        if args.shape:
            raise SystemExit(0 if ok else 1)
        print("deck, linearity (deep shape, studykit alone, best of 2):")
        for sections in (500, 1000, 2000):
            notes = Path(tmp) / f"linear-{sections}" / "notes"
            write_library(notes, 1, sections)
            out = Path(tmp) / f"linear-{sections}" / "out"
            best = min(_time_once([*studykit_deck(notes, out), "--force"]) for _ in range(2))
            cards = sections * 25
            print(f"  {cards:>6} cards {best:6.2f} s  {best / cards * 1e6:6.1f} us per card")
    raise SystemExit(0 if ok else 1)


def _time_once(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, env=as_installed())
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
