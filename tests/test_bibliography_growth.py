"""Bibliographies read in time and memory in proportion to what they hold.

Time is measured as in test_linear_time.py: the CPU time of this process at n and at 2n, the
cycle collector paused, times under FLOOR counted as FLOOR, the best of two runs at n against
the best of up to five at 2n; linear code doubles, code in time squared quadruples. Memory is
tracemalloc's peak while a command runs, as growth from n to 2n (what each further entry or
reading costs), set against the same growth of a command that keeps less.

The shapes were each read in time squared once: the line of a CSL-JSON entry counted from the
top of the file for each entry (check: 1.2 / 4.5 / 18 s at 10k / 20k / 40k entries), a BibTeX
`#` concatenation summed again at each `#` (0.93 / 3.2 s at 10k / 20k pieces), a title of many
braced groups added piece by piece to its pieces in citeproc-py (2.4 s at 4,000 groups). And in
memory: every BibTeX entry made a CSL item through pylatexenc, whose cycles `check` and `deck`
kept with the collector paused (93 KB an entry, 0.9 GB for 10,000), and a style parsed for each
reading with a bibliography and kept (2.3 MB a reading, 1.8 GB for a pack of 800).
"""

from __future__ import annotations

import functools
import gc
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from growth import assert_doubling, cpu_seconds
from typer.testing import CliRunner

from studykit.cli.app import app

pytestmark = pytest.mark.linear_time


def _forget_read_files() -> None:
    """A bibliography is read once per version of its file: each timing reads it again."""
    from studykit.notes.bibliography import _read

    _read.cache_clear()


def _reading(folder: Path, bibliography: str, text: str, cited: str = "k0") -> Path:
    """notes/r citing `cited` from `bibliography`, whose text is `text`."""
    reading = folder / "notes" / "r"
    reading.mkdir(parents=True, exist_ok=True)
    (reading / "reading.yaml").write_text(
        f"title: T\nbibliography: {bibliography}\nallow: [uncited-source]\n", "utf-8"
    )
    (reading / "01-s.yaml").write_text(
        f"title: S\nsummary: Procurement rose [@{cited}].\n"
        f"points:\n  - The plenum met in {{{{1959}}}} [@{cited}].\n",
        "utf-8",
    )
    (reading / bibliography).write_text(text, "utf-8")
    return folder / "notes"


def _invoke(*args: str) -> None:
    done = CliRunner().invoke(app, list(args))
    assert done.exit_code == 0, done.output


def _csl_json(n: int) -> str:
    entries = ",\n".join(
        f' {{\n  "id": "k{i}",\n  "type": "book",\n  "title": "T{i}"\n }}' for i in range(n)
    )
    return f"[\n{entries}\n]\n"


BIBTEX = {
    "concatenation": lambda n: (
        "@book{k0, author={A, B}, year={2000}, title = " + " # ".join(['"a"'] * n) + "}\n"
    ),
    "string-names": lambda n: (
        "".join(f'@string{{s{i} = "x"}}\n' for i in range(n))
        + "@book{k0, author={A, B}, year={2000}, title = "
        + " # ".join(f"s{i}" for i in range(n))
        + "}\n"
    ),
}


def test_doubling_the_entries_of_a_csl_json_file_at_most_doubles_check(tmp_path: Path) -> None:
    def seconds(n: int) -> float:
        notes = _reading(tmp_path / str(n), "refs.json", _csl_json(n))
        _forget_read_files()
        return cpu_seconds(lambda: _invoke("check", "--notes", str(notes)))

    assert_doubling(seconds, 10_000, "check on a CSL-JSON file of n entries", "this bibliography")


def _miscited(folder: Path, n: int) -> Path:
    """n entries `author00000y2010` ..., and a point citing n / 20 keys that miss a letter."""
    entries = ",\n".join(
        f' {{"id": "author{i:05d}y2010", "type": "book", "title": "T{i}"}}' for i in range(n)
    )
    notes = _reading(folder, "refs.json", f"[\n{entries}\n]\n", cited="author00000y2010")
    wrong = " ".join(f"[@autor{i:05d}y2010]" for i in range(0, n, 20))
    (notes / "r" / "02-t.yaml").write_text(f"title: T\nsummary: Cited {wrong}.\n", "utf-8")
    return notes


def test_unknown_keys_against_a_large_bibliography_are_not_searched_for_each(
    tmp_path: Path,
) -> None:
    """A changed key format makes every citation unknown: "did you mean" searched every key
    for each (100 citations of a 40,000-entry library: 50 s). It searches keys of about the
    key's length, for the first 20 distinct keys: doubling entries and citations doubles."""

    def seconds(n: int) -> float:
        notes = _miscited(tmp_path / str(n), n)
        _forget_read_files()
        return cpu_seconds(lambda: CliRunner().invoke(app, ["check", "--notes", str(notes)]))

    assert_doubling(seconds, 4_000, "check of n / 20 unknown keys of n entries", "the keys")


def test_the_first_twenty_unknown_keys_are_told_the_key_they_likely_meant(tmp_path: Path) -> None:
    notes = _miscited(tmp_path, 500)
    done = CliRunner().invoke(app, ["check", "--notes", str(notes)])
    assert done.exit_code == 1, done.output
    unknown = [x for x in done.stderr.splitlines() if "unknown citation key" in x]
    assert len(unknown) == 25
    assert unknown[0].endswith(
        "error: unknown citation key 'autor00000y2010'; did you mean 'author00000y2010'?"
    ), unknown[0]
    assert all("did you mean" in x for x in unknown[:20])
    assert unknown[20].endswith("error: unknown citation key 'autor00400y2010'"), unknown[20]


@pytest.mark.parametrize("shape", list(BIBTEX))
def test_doubling_a_bibtex_value_at_most_doubles_check(tmp_path: Path, shape: str) -> None:
    def seconds(n: int) -> float:
        notes = _reading(tmp_path / str(n), "refs.bib", BIBTEX[shape](n))
        _forget_read_files()
        return cpu_seconds(lambda: _invoke("check", "--notes", str(notes)))

    assert_doubling(
        seconds, 10_000, f"check on a BibTeX title of n pieces ({shape})", "this bibliography"
    )


# A title of many `{...}` groups, each a `nocase` span to the CSL processor: braced words, and a
# TeX line break before an umlaut written without its backslash (`\\"{o}`: `\\`, `"`, `{o}`).
TITLES = {
    "braced-words": lambda n: "{A} a " * n,
    "line-break-umlaut": lambda n: '\\\\"{o}' * n,
}


@pytest.mark.parametrize("shape", list(TITLES))
def test_doubling_the_braced_groups_of_a_title_at_most_doubles_outline(
    tmp_path: Path, shape: str
) -> None:
    def seconds(n: int) -> float:
        title = TITLES[shape](n)
        text = "@book{k0, author={A, B}, year={2000}, title={" + title + "}}\n"
        notes = _reading(tmp_path / str(n), "refs.bib", text)
        _forget_read_files()
        return cpu_seconds(lambda: _invoke("outline", "r", "--notes", str(notes), "-f", "md"))

    _invoke(
        "outline",
        "r",
        "--notes",
        str(_reading(tmp_path / "warm", "refs.bib", "@book{k0, title={T}}\n")),
        "-f",
        "md",
    )
    assert_doubling(
        seconds, 2_000, f"outline of a title of n groups ({shape})", "this bibliography"
    )


# -- memory -------------------------------------------------------------------------------------


def _peak(work: Callable[[], object]) -> int:
    """The most memory Python held while `work` ran, over what it held before, in bytes."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        work()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def _bibtex_library(n: int) -> str:
    return "".join(
        f"@article{{k{i}, author={{Author{i}, Given and Other, Person}}, "
        f"title={{A title number {i} about things}}, journal={{J}}, year={{{1900 + i % 100}}}, "
        "pages={1--2}}\n"
        for i in range(n)
    )


def _per_entry(command: str, tmp_path: Path, n: int) -> float:
    """What each further entry of a BibTeX library costs `command`, in bytes: a first run, of
    a tenth of n entries, loads what the command loads once (modules, the style)."""
    peaks = []
    for size in (n // 10, n, 2 * n):
        notes = _reading(tmp_path / f"{command}-{size}", "refs.bib", _bibtex_library(size))
        args = [command, "--notes", str(notes)]
        args += (
            ["--dry-run"]
            if command == "deck"
            else ["r", "-f", "md"]
            if command == "outline"
            else []
        )
        _forget_read_files()
        peaks.append(_peak(functools.partial(_invoke, *args)))
    return (peaks[2] - peaks[1]) / n


@pytest.mark.parametrize("command", ["check", "deck"])
def test_an_entry_costs_check_and_deck_what_it_costs_outline(tmp_path: Path, command: str) -> None:
    # outline runs with the cycle collector; check and deck pause it, and kept 90 KB an entry.
    # An entry as read is about 1 KB: the floor.
    outline = _per_entry("outline", tmp_path, 1_000)
    this = _per_entry(command, tmp_path, 1_000)
    assert this <= 2 * max(outline, 1_000), (
        f"{command}: {this:,.0f} bytes an entry of the bibliography, outline {outline:,.0f}"
    )


def _course(folder: Path, n: int, bibliography: bool) -> Path:
    """n one-section readings, each citing (or, without a bibliography, naming) one work."""
    for i in range(n):
        reading = folder / "notes" / f"r{i}"
        reading.mkdir(parents=True)
        named = "bibliography: refs.bib\n" if bibliography else f"source: Work {i}\n"
        (reading / "reading.yaml").write_text(f"title: Reading {i}\n{named}", "utf-8")
        cited = f"[@k{i}]" if bibliography else f"(A {i})"
        (reading / "01-s.yaml").write_text(
            f"title: S\nsummary: Procurement rose {cited}.\n"
            f"terms:\n  - term: Term{i}\n    definition: A definition.\n",
            "utf-8",
        )
        if bibliography:
            (reading / "refs.bib").write_text(
                f"@book{{k{i}, author={{A, B}}, title={{T}}, year={{2000}}}}\n", "utf-8"
            )
    return folder / "notes"


def test_a_reading_with_a_bibliography_costs_a_course_pack_what_one_without_does(
    tmp_path: Path,
) -> None:
    def per_reading(bibliography: bool) -> float:
        peaks = []
        for n in (20, 40):
            notes = _course(tmp_path / f"{bibliography}-{n}", n, bibliography)
            out = str(tmp_path / f"pack-{bibliography}-{n}.md")
            peaks.append(
                _peak(functools.partial(_invoke, "outline", "--notes", str(notes), "-o", out))
            )
        return (peaks[1] - peaks[0]) / 20

    # The style is parsed once in a process: a first pack parses it before anything is measured.
    warm = _course(tmp_path / "warm", 2, True)
    _invoke("outline", "--notes", str(warm), "-f", "md", "-o", str(tmp_path / "warm.md"))
    cited, plain = per_reading(True), per_reading(False)
    assert cited <= 2 * max(plain, 20_000), (
        f"{cited:,.0f} bytes a reading with a bibliography, {plain:,.0f} without"
    )


def test_doubling_unknown_keys_in_one_file_at_most_doubles_check(tmp_path: Path) -> None:
    """Each unknown key's error is placed at its line and column: the file was read and split
    again for each (20,000 in one file: 24 s)."""

    def seconds(n: int) -> float:
        notes = _reading(tmp_path / str(n), "refs.json", _csl_json(10))
        points = "".join(f"  - The plenum met in {1000 + i} [@gone{i}].\n" for i in range(n))
        (notes / "r" / "02-t.yaml").write_text(f"title: T\npoints:\n{points}", "utf-8")
        _forget_read_files()
        return cpu_seconds(lambda: CliRunner().invoke(app, ["check", "--notes", str(notes)]))

    assert_doubling(seconds, 5_000, "check of n unknown keys in one file", "the notes file")
