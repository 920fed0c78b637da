"""`studykit deck` on a reading whose every annotation cites a work, against the same without.

Both readings have the same cards (200 sections of 25). In the cited one each item's annotation
cites one of `--works` BibTeX entries (default 30, a well-read essay) with a page out of
`--distinct` / works: `[@work17, p. 2]`. Citations are formatted once per distinct citation
(`studykit.citing.csl`), so the cost over the plain deck is loading citeproc-py and the style once,
and its time per distinct citation and per entry cited (about 10 ms each in Chicago
author-date, measured: citeproc-py is slow, and linear). Goal: at most 2x the plain deck.

    python benchmarks/citations.py [--runs 3] [--sections 200] [--works 30] [--distinct 90]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from library import write_library
from timing import alternate, report

GOAL = 2.0


def bibtex(entries: int) -> str:
    return "".join(
        f"@book{{work{n},\n  author = {{Author{n}, Given}},\n  title = {{Title {n}}},\n"
        f"  publisher = {{Press}},\n  year = {{{1900 + n % 120}}}\n}}\n"
        for n in range(entries)
    )


def cite(folder: Path, works: int, distinct: int) -> int:
    """Add a citation to each annotation of the reading in `folder`; how many were added."""
    (folder / "sources.bib").write_text(bibtex(works), encoding="utf-8")
    reading = folder / "reading.yaml"
    reading.write_text(reading.read_text() + "bibliography: sources.bib\nallow: [uncited-source]\n")
    count = 0
    for path in sorted(folder.glob("[0-9]*.yaml")):
        lines = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.lstrip().startswith("note:"):
                page = (count // works) % max(distinct // works, 1)
                line = f"{line.rstrip()} [@work{count % works}, p. {page + 1}]"
                if line.count('"') % 2:  # a quoted note: the citation goes inside the quotes
                    line = line.replace('" [@', " [@").rstrip() + '"'
                count += 1
            lines.append(line)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sections", type=int, default=200)
    parser.add_argument("--works", type=int, default=30, help="entries of the bibliography")
    parser.add_argument("--distinct", type=int, default=90, help="distinct citations, at most")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        plain, cited = Path(tmp) / "plain", Path(tmp) / "cited"
        write_library(plain, 1, args.sections)
        write_library(cited, 1, args.sections)
        count = cite(cited / "reading-000", args.works, args.distinct)
        commands = {
            name: [sys.executable, "-m", "studykit", "deck", "--notes", str(notes), "-o", out]
            for name, notes, out in (
                ("cited deck", cited, f"{tmp}/cited-out/"),
                ("plain deck", plain, f"{tmp}/plain-out/"),
            )
        }
        medians = alternate(commands, args.runs)
        title = (
            f"deck of {args.sections} sections, {count} annotations citing {args.works} works "
            f"({args.distinct} distinct citations)"
        )
        ok = report(title, medians, "cited deck", "plain deck", GOAL)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
