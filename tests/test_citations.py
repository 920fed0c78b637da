"""Citations: `author:`, `year:` and `bibliography:` in reading.yaml, `[@key]` in the notes,
rendered by a CSL processor in cards, `show`, outlines and summaries."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
from conftest import Run, Runner

from studykit.notes import load_reading
from studykit.schema import notes_schema


def _add(notes: Path, text: str) -> Path:
    path = notes / "demo" / "reading.yaml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return path


# -- the reading's own keys ---------------------------------------------------------------


def test_author_year_and_bibliography_load_as_written(notes: Path) -> None:
    (notes / "demo" / "sources.bib").write_text("", encoding="utf-8")
    _add(notes, "author: Jisheng Yang\nyear: 2012\nbibliography: sources.bib\n")
    reading = load_reading(notes / "demo")
    assert reading.author == "Jisheng Yang", reading.author
    assert reading.year == "2012", "a year stays the text written, never a number"
    assert reading.bibliography == notes / "demo" / "sources.bib", reading.bibliography


def test_the_keys_are_optional(notes: Path) -> None:
    reading = load_reading(notes / "demo")
    assert (reading.author, reading.year, reading.bibliography) == (None, None, None)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("bibliography: missing.bib\n", "bibliography 'missing.bib' is not there"),
        ("bibliography: ../other.bib\n", "bibliography '../other.bib' must be a file name in"),
        ("bibliography: /etc/passwd\n", "bibliography '/etc/passwd' must be a file name in"),
    ],
)
def test_a_bibliography_that_is_not_a_file_beside_reading_yaml_is_refused(
    notes: Path, run: Runner, text: str, words: str
) -> None:
    _add(notes, text)
    result: Run = run("check")
    assert result.exit_code == 1, result
    assert f"notes/demo/reading.yaml:7:1: error: {words}" in result.stderr, result.stderr


def test_a_bibliography_folder_is_refused(notes: Path, run: Runner) -> None:
    (notes / "demo" / "refs.bib").mkdir()
    _add(notes, "bibliography: refs.bib\n")
    result = run("check")
    assert result.exit_code == 1, result
    assert "reading.yaml:7:1: error: bibliography 'refs.bib' is a folder" in result.stderr


def test_year_as_a_list_is_refused_at_its_line(notes: Path, run: Runner) -> None:
    _add(notes, "year: [2012]\n")
    result = run("check")
    assert result.exit_code == 1, result
    assert "reading.yaml:7:7: error: 'year' should be text, found a list" in result.stderr


def test_the_schema_accepts_the_keys(notes: Path) -> None:
    schema = notes_schema("reading")
    reading = {"title": "T", "author": "Yang", "year": 2012, "bibliography": "sources.bib"}
    jsonschema.validate(reading, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"title": "T", "authors": "Yang"}, schema)
