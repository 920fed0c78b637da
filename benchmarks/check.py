"""`studykit check` on 2,000 section files against a plain `yaml.safe_load` loop over them.

The baseline only parses; studykit parses strictly and validates everything. Goal: at most 0.3x.

    python benchmarks/check.py [--runs 5]
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        notes = Path(tmp) / "notes"
        files = write_library(notes, readings=100, sections=20)
        print(f"{len(files)} section files, {sum(f.stat().st_size for f in files) / 1e6:.1f} MB")
        medians = alternate(
            {
                "studykit check": [
                    sys.executable,
                    "-m",
                    "studykit",
                    "check",
                    "--notes",
                    str(notes),
                ],
                "yaml.safe_load loop": [sys.executable, "-c", SAFE_LOAD_LOOP, str(notes)],
            },
            args.runs,
        )
    ok = report("check: 2,000 section files", medians, "studykit check", "yaml.safe_load loop", 0.3)
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
