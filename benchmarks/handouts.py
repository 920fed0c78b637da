"""`studykit outline` on a 200-section reading: to PDF against typst alone, and to HTML.

The PDF baseline is typst compiling the very data studykit hands it (written out beforehand),
so the ratio is what loading the notes and laying them out add to typesetting. Goal: at most
2x. The HTML handout has an absolute goal, at most 0.3 s for the whole command; `studykit
check` on the same notes (start-up, loading and validating) and `studykit --help` (start-up
alone) run beside it, to show where the time goes.

    python benchmarks/handouts.py [--runs 5] [--html] [--layout cornell|fold|cards] [--cited]

`--layout` times that layout's PDF and HTML (cards: the deck's 5,000 cards, 1,250 pages).
`--cited` gives every annotation a citation of one of 30 works (as benchmarks/citations.py
does): the handout then formats them and ends with the works cited, and typst alone compiles
that same document.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from citations import cite
from library import write_library
from timing import alternate, as_installed, report

TYPST_ALONE = """
import sys, typst
from pathlib import Path
template, data, root, out = sys.argv[1:]
pdf = typst.Compiler(Path(template).read_bytes(), root=root).compile(
    format="pdf", sys_inputs={"data": Path(data).read_text(encoding="utf-8")}
)
Path(out).write_bytes(pdf)
"""


def cpu_seconds(argv: list[str], runs: int) -> float:
    """Median CPU time (user + system) of a command: steadier than wall time on a busy machine."""
    times = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(argv, capture_output=True, check=True, env=as_installed())
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times)


def page_count(pdf: Path) -> int:
    """Pages of a PDF, when pypdf (a test dependency) is installed; else 0."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return 0
    return len(PdfReader(pdf).pages)


def handout_json(notes: Path, layout: str) -> tuple[str, bytes]:
    """The JSON studykit passes to the typst template for this reading, and the template."""
    from studykit.citing.csl import cited_reading
    from studykit.citing.styles import DEFAULT_STYLE, works_heading
    from studykit.handouts.formats import lay_out
    from studykit.handouts.layout import with_works_cited
    from studykit.handouts.pdf import BODY_FONT, outline_data, template_name
    from studykit.handouts.typeset import template
    from studykit.notes.library import load

    # As `outline` does: citations formatted, the works cited at the end.
    reading = cited_reading(
        load(None, notes), DEFAULT_STYLE, "all" if layout == "cornell" else "cards"
    )
    laid = lay_out(reading, "inline", layout)  # type: ignore[arg-type]
    laid = with_works_cited(laid, reading, works_heading(DEFAULT_STYLE))
    data = outline_data(laid, reading.folder)
    data["fonts"] = [BODY_FONT]
    data["paper"] = "a4"
    return json.dumps(data), template(template_name(laid))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--html", action="store_true", help="only the HTML handout (quicker)")
    parser.add_argument("--layout", choices=["cornell", "fold", "cards"], default="cornell")
    parser.add_argument("--cited", action="store_true", help="every annotation cites a work")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        notes = root / "notes"
        files = write_library(notes, readings=1, sections=200)
        folder = files[0].parent
        cited = cite(folder, works=30, distinct=90) if args.cited else 0
        data, template = handout_json(notes, args.layout)
        (root / "outline.typ").write_bytes(template)
        (root / "data.json").write_text(data, encoding="utf-8")
        studykit = [sys.executable, "-m", "studykit"]
        layout = ["--layout", args.layout]
        pdf_commands = {
            "studykit outline -f pdf": [
                *studykit, "outline", "--notes", str(notes), *layout, "-f", "pdf",
                "-o", str(root / "studykit.pdf"),
            ],
            "typst alone, same data": [
                sys.executable, "-c", TYPST_ALONE, str(root / "outline.typ"),
                str(root / "data.json"), str(folder), str(root / "typst.pdf"),
            ],
        }  # fmt: skip
        pdf = {} if args.html else alternate(pdf_commands, args.runs)
        html_commands = {
            "studykit outline -f html": [
                *studykit, "outline", "--notes", str(notes), *layout, "-f", "html",
                "-o", str(root / "studykit.html"),
            ],
            "studykit check (loading alone)": [*studykit, "check", "--notes", str(notes)],
            "studykit --help (start-up alone)": [*studykit, "--help"],
        }  # fmt: skip
        html = alternate(html_commands, args.runs)
        cpu = {name: cpu_seconds(argv, args.runs) for name, argv in html_commands.items()}
        pages = 0 if args.html else page_count(root / "studykit.pdf")
        size = (root / "studykit.html").stat().st_size / 1e6
    print(
        f"200 sections, 5,000 cards' worth of notes, {cited:,} citations, --layout {args.layout}; "
        f"PDF {pages or '?'} pages, HTML {size:.1f} MB"
    )
    ok = args.html or report(
        f"outline to PDF: 200 sections, {args.layout}",
        pdf,
        "studykit outline -f pdf",
        "typst alone, same data",
        2,
    )
    seconds = html["studykit outline -f html"]
    print("outline to HTML: 200 sections")
    for name, value in html.items():
        print(f"  {name:<34} {value * 1000:9.1f} ms   {cpu[name] * 1000:7.1f} ms CPU")
    verdict = "meets" if seconds <= 0.3 else "MISSES"
    print(f"  {seconds:.2f} s (goal <= 0.3 s): {verdict}")
    raise SystemExit(0 if ok and seconds <= 0.3 else 1)


if __name__ == "__main__":
    main()
