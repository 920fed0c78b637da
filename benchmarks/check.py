"""`studykit check` on 2,000 section files against plain loops that only parse the same files.

Two baselines, run side by side: PyYAML's pure-Python `yaml.safe_load` (what most scripts use;
goal at most 0.3x) and libyaml's `yaml.load(..., Loader=yaml.CSafeLoader)` (parsing alone at C
speed, close to the physical limit; goal at most 1.2x). studykit parses strictly, validates
everything and runs the card-quality rules.

    python benchmarks/check.py [--runs 5] [--strongest]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from library import write_library
from timing import alternate, report

SAFE_LOAD_LOOP = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).glob("*/*.yaml")):
    with open(path, encoding="utf-8") as f:
        yaml.safe_load(f)
"""
CSAFE_LOAD_LOOP = SAFE_LOAD_LOOP.replace(
    "yaml.safe_load(f)", "yaml.load(f, Loader=yaml.CSafeLoader)"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--strongest", action="store_true", help="only the CSafeLoader baseline (quicker)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        notes = Path(tmp) / "notes"
        files = write_library(notes, readings=100, sections=20)
        print(f"{len(files)} section files, {sum(f.stat().st_size for f in files) / 1e6:.1f} MB")
        commands = {
            "studykit check": [sys.executable, "-m", "studykit", "check", "--notes", str(notes)],
            "yaml.safe_load loop": [sys.executable, "-c", SAFE_LOAD_LOOP, str(notes)],
            "CSafeLoader loop": [sys.executable, "-c", CSAFE_LOAD_LOOP, str(notes)],
        }
        if args.strongest:
            del commands["yaml.safe_load loop"]
        before = os.getloadavg()
        medians = alternate(commands, args.runs)
    # Other work on the machine takes a core from one of check's two processes while the
    # one-process loops still have one each: the figures mean little without the load.
    print(f"load average (1 min) {before[0]:.2f} before, {os.getloadavg()[0]:.2f} after")
    goals = {"yaml.safe_load loop": 0.3, "CSafeLoader loop": 1.2}
    goals = {name: goal for name, goal in goals.items() if name in medians}
    ok = report("check: 2,000 section files", medians, "studykit check", goals)
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
