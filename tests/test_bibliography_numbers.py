"""A number too long for Python to read as an integer (over 4,300 digits) in a work's year,
date or pages, or in reading.yaml's `year:`, is refused by `check` at the entry's (or the
key's) line, and every other command refuses it with the same one line, never a traceback;
years and pages as works have them format as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Runner

NINES = "9" * 5000
COMMANDS = (["outline", "r", "-f", "md"], ["summary", "r"], ["show", "r"], ["deck", "--dry-run"])


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """notes/r, whose one point cites `k`; the notes folder is the current folder's."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)
    folder = tmp_path / "notes" / "r"
    folder.mkdir(parents=True)
    (folder / "01-a.yaml").write_text(
        'title: A\nsummary: s.\npoints:\n  - "In {{1959}} it met [@k]."\n', "utf-8"
    )
    return folder


def _bib(folder: Path, entry: str, reading: str = "") -> None:
    (folder / "reading.yaml").write_text(f"title: T\nbibliography: refs.bib\n{reading}", "utf-8")
    (folder / "refs.bib").write_text(f"\n@book{{k, author={{Yang, Jisheng}},\n{entry}}}\n", "utf-8")


def _refused_everywhere(run: Runner, line: str) -> None:
    result = run("check")
    assert result.exit_code == 1, result
    assert f"{line}\n" in result.stdout + result.stderr
    for command in COMMANDS:
        result = run(*command)
        assert result.exit_code == 1, (command, result)
        assert result.exception is None, (command, result.exception)
        assert result.stderr == f"{line}\n", (command, result.stderr)


REFUSED = {
    "a BibTeX year": (
        f"title={{Tombstone}}, year={{{NINES}}}, publisher={{P}}",
        "notes/r/refs.bib:2:1: error: k: the year field holds a number of 5,000 digits, which "
        "no work's data holds",
    ),
    "a BibTeX page range": (
        f"title={{Tomb}}, journal={{J}}, year={{2012}}, pages={{{NINES[:-1]}8--{NINES}}}",
        "notes/r/refs.bib:2:1: error: k: the pages field holds a number of 5,000 digits, which "
        "no work's data holds",
    ),
    "a BibTeX volume of 601 digits": (
        f"title={{Tomb}}, year={{2012}}, volume={{{'1' * 601}}}",
        "notes/r/refs.bib:2:1: error: k: the volume field holds a number of 601 digits, which "
        "no work's data holds",
    ),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_a_bibtex_number_of_thousands_of_digits_is_one_line_at_its_entry(
    folder: Path, run: Runner, case: str
) -> None:
    entry, line = REFUSED[case]
    _bib(folder, entry)
    _refused_everywhere(run, line)


def test_a_csl_json_date_part_written_as_text_of_thousands_of_digits(
    folder: Path, run: Runner
) -> None:
    """A date part given as text of digits is read as a number, and was kept as text when too
    long to be one, where the processor failed on it naming the style."""
    (folder / "reading.yaml").write_text("title: T\nbibliography: refs.json\n", "utf-8")
    (folder / "refs.json").write_text(
        '[\n  {"id": "k", "type": "book", "title": "T", '
        f'"issued": {{"date-parts": [["{NINES}"]]}}}}\n]\n',
        "utf-8",
    )
    _refused_everywhere(
        run,
        'notes/r/refs.json:2:1: error: k: "issued" holds a number of 5,000 digits, which no '
        "work's data holds",
    )


def test_a_csl_json_page_range_of_thousands_of_digits(folder: Path, run: Runner) -> None:
    (folder / "reading.yaml").write_text("title: T\nbibliography: refs.json\n", "utf-8")
    (folder / "refs.json").write_text(
        f'[\n  {{"id": "k", "type": "article-journal", "title": "T", "page": "1-{NINES}"}}\n]\n',
        "utf-8",
    )
    _refused_everywhere(
        run,
        'notes/r/refs.json:2:1: error: k: "page" holds a number of 5,000 digits, which no '
        "work's data holds",
    )


def test_a_reading_year_of_thousands_of_digits_is_refused_at_its_key(
    folder: Path, run: Runner
) -> None:
    _bib(
        folder,
        "title={Tombstone}, year={2012}, publisher={P}",
        f'author: "Yang, J"\nyear: "{NINES}"\n',
    )
    _refused_everywhere(
        run,
        "notes/r/reading.yaml:4:1: error: `year:` holds a number of 5,000 digits, which no "
        "work's data holds",
    )


def test_years_and_pages_as_works_have_them_format_as_before(folder: Path, run: Runner) -> None:
    """600 digits is the most a number may have; real years, page ranges and reading years
    are untouched."""
    _bib(
        folder,
        "title={Tombstone}, journal={Famine Studies}, year={2012}, volume={3}, pages={1228--52}",
        'author: "Lin, Justin Yifu"\nyear: 1990\n',
    )
    (folder / "refs.bib").write_text(
        (folder / "refs.bib").read_text("utf-8").replace("@book", "@article"), "utf-8"
    )
    assert run("check").exit_code == 0
    result = run("outline", "r", "-f", "md")
    assert result.exit_code == 0, result
    assert "**Source:** Lin, Justin Yifu. 1990. *T*.\n" in result.stdout, result.stdout
    assert "- In **1959** it met (Yang 2012).\n" in result.stdout, result.stdout
    assert "- Yang, Jisheng. 2012. “Tombstone.” *Famine Studies* 3: 1228–52.\n" in result.stdout, (
        result.stdout
    )
    (folder / "refs.bib").write_text(
        f"@book{{k, author={{Yang, J}}, title={{T}}, year={{2012}}, volume={{{'1' * 600}}}}}\n",
        "utf-8",
    )
    assert run("check").exit_code == 0
