"""A student's own citation style file, and the demo reading citing sources.bib, for the tests
of what studykit refuses in a .csl file."""

from __future__ import annotations

from pathlib import Path

from conftest import DATA, Runner

HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">\n'
    "  <info><title>Mine</title><id>mine</id><updated>2020-01-01T00:00:00+00:00</updated></info>\n"
)
CITATION = '  <citation><layout><text variable="title"/></layout></citation>\n'
BIBLIOGRAPHY = '  <bibliography><layout><text variable="title"/></layout></bibliography>\n'
POINT = "  - A plain point that says no.\n"


def cite(notes: Path, point: str = "Procurement rose [@yang2012, p. 430].") -> None:
    """The demo reading citing sources.bib in its first point."""
    folder = notes / "demo"
    (folder / "sources.bib").write_bytes((DATA / "citations" / "sources.bib").read_bytes())
    reading = folder / "reading.yaml"
    reading.write_text(reading.read_text("utf-8") + "bibliography: sources.bib\n", "utf-8")
    section = folder / "01-basics.yaml"
    text = section.read_text("utf-8")
    assert POINT in text
    section.write_text(text.replace(POINT, f"  - {point}\n"), "utf-8")


def refused_everywhere(run: Runner, text: str, line: str) -> None:
    """`mine.csl` holding `text` is refused with `line` alone by outline, summary and
    outline -o, which writes nothing."""
    Path("mine.csl").write_text(text, "utf-8")
    for command in (["outline", "demo"], ["summary", "demo"], ["outline", "demo", "-o", "o.md"]):
        result = run(*command, "--style", "mine.csl")
        assert result.exit_code == 1, result
        assert result.stderr == f"{line}\n", result.stderr
        assert result.stdout == "", result.stdout
    assert not Path("o.md").exists(), "nothing is written with a refused style"
