"""Every word of a long item reaches a PDF handout, and a long title stays out of the header.

An answer or a point is kept on one page when it fits; one taller than a page used to run off
its bottom and lose its end without a word (a 400-word answer in the Cornell cue column showed
350 words). The running header shows a title cut to 120 characters: set on every page, a whole
title as long as a reading made typesetting grow with the square of its length.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import Runner
from growth import assert_doubling, cpu_seconds

from studykit.handouts import pdf, typeset
from studykit.handouts.layout import handout
from studykit.notes.validate import load_reading

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")


def _words(count: int) -> str:
    """w0 w1 ... as a folded YAML block, 200 words a line."""
    words = [f"w{i}" for i in range(count)]
    return "\n".join("      " + " ".join(words[i : i + 200]) for i in range(0, count, 200))


def _reading(folder: Path, section: str, title: str = "title: R\n") -> None:
    reading = folder / "notes" / "r"
    reading.mkdir(parents=True)
    (reading / "reading.yaml").write_text(title, encoding="utf-8")
    (reading / "01-a.yaml").write_text(section, encoding="utf-8")


def _answer(count: int) -> str:
    return (
        "title: A\nsummary: S.\npoints:\n  - In {{1959}} it met.\n"
        f"questions:\n  - q: Why?\n    a: >-\n{_words(count)}\n"
    )


def _point(count: int) -> str:
    return SECTION + f"  - text: >-\n{_words(count)} {{{{x}}}}\n"


def _pdf_text(path: Path, *pages: str) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", *pages, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _numbered(text: str) -> set[str]:
    return set(re.findall(r"\bw\d+\b", text))


@pytest.mark.parametrize("layout", ["cornell", "fold"])
@pytest.mark.parametrize(("kind", "count"), [("answer", 400), ("answer", 1200), ("point", 1200)])
def test_every_word_of_a_long_item_reaches_the_pdf(
    layout: str, kind: str, count: int, run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _reading(tmp_path, _answer(count) if kind == "answer" else _point(count))
    done = run("outline", "-f", "pdf", "--layout", layout, "-o", "out.pdf")
    assert done.exit_code == 0, done
    assert _numbered(_pdf_text(tmp_path / "out.pdf")) == {f"w{i}" for i in range(count)}


def test_an_answer_that_fits_a_page_still_moves_whole_to_the_next(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two answers of 200 words: the first fills most of the first page's cue column, the second
    # does not fit below it and starts the second page, unbroken, as before.
    monkeypatch.chdir(tmp_path)
    first, second = (
        "\n".join("      " + " ".join(f"{p}{i}" for i in range(200)) for _ in [0]) for p in "ab"
    )
    _reading(
        tmp_path,
        "title: A\nsummary: S.\npoints:\n  - In {{1959}} it met.\n"
        f"questions:\n  - q: Why?\n    a: >-\n{first}\n  - q: How?\n    a: >-\n{second}\n",
    )
    assert run("outline", "-f", "pdf", "-o", "out.pdf").exit_code == 0
    pages = [_pdf_text(tmp_path / "out.pdf", "-f", str(n), "-l", str(n)) for n in (1, 2)]
    words = [set(re.findall(r"\b[ab]\d+\b", page)) for page in pages]
    assert words[0] == {f"a{i}" for i in range(200)}
    assert words[1] == {f"b{i}" for i in range(200)}
    assert "Why?" in pages[0] and "How?" in pages[1]


def _long_title(characters: int) -> str:
    words = ["Tt"] * (characters // 3)
    lines = ["  " + " ".join(words[i : i + 1000]) for i in range(0, len(words), 1000)]
    return "title: >-\n" + "\n".join(lines) + "\n"


SECTION = "title: A\nsummary: S.\npoints:\n  - In {{1959}} it met.\n"


KIND = {"cornell": "Handout", "fold": "Fold-over self-test"}


def _header(path: Path) -> str:
    """The header: the text in the top margin (16 mm, 45 pt) of the second page, but the fold
    layout's label of its fold line."""
    crop = ["-f", "2", "-l", "2", "-x", "0", "-y", "0", "-W", "700", "-H", "45"]
    margin = subprocess.run(
        ["pdftotext", *crop, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return margin.replace("fold here", "")


def _below_headers(path: Path) -> str:
    """The text of every page below its top margin (the running header)."""
    body = ["-x", "0", "-y", "46", "-W", "700", "-H", "900"]
    return subprocess.run(
        ["pdftotext", *body, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.parametrize("layout", ["cornell", "fold"])
def test_the_running_header_shows_at_most_120_characters_of_a_long_title(
    layout: str, run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _reading(tmp_path, SECTION, _long_title(3_000))
    assert run("outline", "-f", "pdf", "--layout", layout, "-o", "out.pdf").exit_code == 0
    header = _header(tmp_path / "out.pdf")
    # 40 words of "Tt " (120 characters, the last space trimmed), then the ellipsis.
    assert header.split() == ["Tt"] * 39 + ["Tt…", *KIND[layout].split()], header
    # Below the headers, the title pages still hold the whole title: 1,000 words.
    below = _below_headers(tmp_path / "out.pdf")
    assert below.split().count("Tt") == 1_000


def test_a_short_title_is_the_header_as_written(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _reading(tmp_path, _answer(300), "title: The Great Leap Forward\n")
    assert run("outline", "-f", "pdf", "-o", "out.pdf").exit_code == 0
    assert _header(tmp_path / "out.pdf").split() == ["The", "Great", "Leap", "Forward", "Handout"]


def test_doubling_a_title_at_most_doubles_the_typesetting(tmp_path: Path) -> None:
    def seconds(characters: int) -> float:
        folder = tmp_path / str(characters)
        if not folder.exists():
            _reading(folder, SECTION, _long_title(characters))
        reading = load_reading(folder / "notes" / "r")
        payload, _ = pdf.typst_input(handout(reading), reading.folder)
        payload["paper"] = "a4"
        inputs = json.dumps(payload)
        # typst in this process, so that its time is this process's CPU time
        return cpu_seconds(lambda: typeset.compile_pdf(inputs, reading.folder))

    assert_doubling(seconds, 80_000, "a PDF handout's long title", "the title")


@pytest.mark.parametrize("layout", ["cornell", "fold"])
@pytest.mark.parametrize("where", ["reading", "section"])
def test_every_word_of_a_title_taller_than_a_page_reaches_the_pdf(
    layout: str, where: str, run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 5,000 words: several pages of title, which typst cannot break as a heading.
    monkeypatch.chdir(tmp_path)
    if where == "reading":
        _reading(tmp_path, SECTION, _long_title(15_000))
    else:
        _reading(tmp_path, _long_title(15_000) + SECTION.removeprefix("title: A\n"))
    assert run("outline", "-f", "pdf", "--layout", layout, "-o", "out.pdf").exit_code == 0
    below = _below_headers(tmp_path / "out.pdf")
    assert below.split().count("Tt") == 5_000
