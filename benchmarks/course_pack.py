"""A 20-reading course pack to PDF against the 20 readings' own outlines, one after another.

The baseline is what a tutor would do without the pack: `studykit outline READING -f pdf` for
each reading. The pack sets them all in one document, with its contents, index of terms (each
with its page) and works cited. Goal: the pack takes at most 1.5x the sum of the readings' own
outlines. Rounds alternate the pack and the twenty outlines, so machine noise hits both alike.

    python benchmarks/course_pack.py [--runs 5] [--readings 20] [--sections 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from library import write_library
from timing import as_installed, report

GOAL = 1.5


def seconds(argv: Sequence[str]) -> float:
    """Wall time of one command, which must succeed."""
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, env=as_installed(), check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stderr.decode()[-2000:]}")
    return elapsed


def page_count(pdf: Path) -> int:
    """Pages of a PDF, when pypdf (a test dependency) is installed; else 0."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return 0
    return len(PdfReader(pdf).pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--readings", type=int, default=20)
    parser.add_argument("--sections", type=int, default=5, help="sections per reading")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        notes = root / "notes"
        write_library(notes, readings=args.readings, sections=args.sections)
        folders = sorted(p for p in notes.iterdir() if p.is_dir())
        for n, folder in enumerate(folders):
            reading = folder / "reading.yaml"
            reading.write_text(
                reading.read_text() + f'sources:\n  - "Author {n}, *Book {n}* (2012)"\n'
            )
        studykit = [sys.executable, "-m", "studykit", "outline", "--notes", str(notes)]
        pack = [*studykit, "-f", "pdf", "-o", str(root / "pack.pdf")]
        singles = [
            [*studykit, folder.name, "-f", "pdf", "-o", str(root / f"{folder.name}.pdf")]
            for folder in folders
        ]
        packs: list[float] = []
        sums: list[float] = []
        for _ in range(args.runs + 1):  # the first round warms caches and .pyc files
            packs.append(seconds(pack))
            sums.append(sum(seconds(argv) for argv in singles))
        medians = {
            "course pack, one PDF": statistics.median(packs[1:]),
            f"{len(singles)} outlines, one by one": statistics.median(sums[1:]),
        }
        pages = page_count(root / "pack.pdf")
        single_pages = sum(page_count(root / f"{folder.name}.pdf") for folder in folders)
    print(
        f"{args.readings} readings of {args.sections} sections; pack {pages or '?'} pages, "
        f"the outlines {single_pages or '?'} pages together"
    )
    ok = report(
        "course pack to PDF",
        medians,
        "course pack, one PDF",
        f"{len(singles)} outlines, one by one",
        GOAL,
    )
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
