"""A bibliography too large for a reading is refused in one line, before it fills memory.

20 MB of the shortest BibTeX entries (`@misc{k1,}`) were 1.2 million entries and 800 MB to
read; under a 1 GB memory limit `check` died with a MemoryError. A library of up to 100,000
entries is read (a full 20 MB one in about 160 MB); more is refused at the entry past the limit.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Runner

from studykit.notes.bibliography import MAX_ENTRIES


@pytest.fixture
def reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """notes/r citing k0 and k1; its bibliography is written by each test."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)
    folder = tmp_path / "notes" / "r"
    folder.mkdir(parents=True)
    (folder / "01-s.yaml").write_text(
        "title: S\nsummary: Procurement rose [@k1].\npoints:\n  - It met in {{1959}} [@k0].\n",
        "utf-8",
    )
    return folder


def _names(folder: Path, bibliography: str) -> None:
    (folder / "reading.yaml").write_text(
        f"title: T\nbibliography: {bibliography}\nallow: [uncited-source]\n", "utf-8"
    )


def test_a_bibtex_file_of_the_most_entries_is_read(reading: Path, run: Runner) -> None:
    _names(reading, "refs.bib")
    entries = "".join(f"@misc{{k{i}, title={{T{i}}}}}\n" for i in range(MAX_ENTRIES))
    (reading / "refs.bib").write_text(entries, "utf-8")
    result = run("check")
    assert result.exit_code == 0, result
    assert result.stdout == "ok: 1 reading, 1 section, 1 card; 0 errors, 0 warnings\n", result


@pytest.mark.parametrize("command", ["check", "outline"])
def test_a_bibtex_file_of_more_entries_is_refused_at_the_first_past_the_limit(
    reading: Path, run: Runner, command: str
) -> None:
    _names(reading, "refs.bib")
    text = '@string{j = "Journal"}\n' + "".join(f"@misc{{k{i},}}\n" for i in range(MAX_ENTRIES))
    (reading / "refs.bib").write_text(text, "utf-8")
    result = run(command)
    assert result.exit_code == 1, result
    assert result.stderr.splitlines()[0] == (
        "notes/r/refs.bib:100001:1: error: the bibliography has over 100,000 entries and "
        "@string names: export the works this reading cites, or one collection of your library"
    ), result.stderr


def test_a_csl_json_file_of_more_entries_is_refused_at_the_first_past_the_limit(
    reading: Path, run: Runner
) -> None:
    _names(reading, "refs.json")
    items = [{"id": f"k{i}", "type": "book"} for i in range(MAX_ENTRIES + 1)]
    (reading / "refs.json").write_text("[\n" + ",\n".join(map(json.dumps, items)) + "\n]\n")
    result = run("check")
    assert result.exit_code == 1, result
    assert result.stderr.splitlines()[0] == (
        "notes/r/refs.json:100002:1: error: the bibliography has over 100,000 entries: export "
        "the works this reading cites, or one collection of your library"
    ), result.stderr


def test_a_json_file_of_millions_of_objects_is_refused_before_it_is_parsed(
    reading: Path, run: Runner
) -> None:
    _names(reading, "refs.json")
    (reading / "refs.json").write_text("[" + ",".join(["{}"] * 2_000_001) + "]", "utf-8")
    result = run("check")
    assert result.exit_code == 1, result
    assert result.stderr.splitlines()[0] == (
        "notes/r/refs.json: error: the bibliography holds over 2,000,000 JSON objects and "
        "lists, more than 100,000 entries need: is it CSL-JSON from a reference manager?"
    ), result.stderr


def test_fields_no_citation_shows_are_not_kept(reading: Path) -> None:
    # A library's `file`, `keywords` and the like are most of its size, and nothing reads them.
    from studykit.notes.bibliography import read_bibliography

    _names(reading, "refs.bib")
    (reading / "refs.bib").write_text(
        "@book{k0, title={Tombstone}, year={2012}, file={/home/me/t.pdf}, keywords={famine}}\n"
    )
    entry = read_bibliography(reading / "refs.bib").entries["k0"]
    assert entry.fields == {"title": "Tombstone", "year": "2012"}
