"""A cloze deletion inside a formula, in every handout: the formula typeset as a formula, its
answer in bold inside it (or a blank in its place), and LaTeX's spacing commands as spaces.

PDFs are typeset by typst and read back with poppler (`pdftotext -bbox`). typst writes a
formula's letters as Unicode's mathematical italic (𝐶), its bold ones as bold italic (𝑪) and
bold digits as 𝟐: that is how the tests tell a bold answer from the rest of the formula.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from conftest import Runner
from handout_helpers import html_text
from layout_helpers import MM, Page, Word, pages, reading_lines

from studykit.notes import latex
from studykit.notes.cloze import parse_cloze
from studykit.notes.inline import formula
from studykit.notes.inline import parse_cloze as spans_of

YEAST = r"Yeast fermentation: $C_6H_{12}O_6 \to 2\,C_2H_5OH + 2\,{{CO_2}}$."
BREATH = r"Respiration: $C_6H_{12}O_6 + 6\,{{O_2::gas}} \to 6\,CO_2$."
SECTION = (
    f"title: Yeast\npoints:\n  - '{YEAST}'\n  - '{BREATH}'\n  - 'Yeast is a {{{{fungus}}}}.'\n"
)

# As pdftotext reads the formula: subscripts are words of their own.
SHOWN = "Yeast fermentation: 𝐶 6 𝐻 12 𝑂 6 → 2 𝐶 2 𝐻 5 𝑂𝐻 + 2 𝑪𝑶 𝟐 ."
BLANKED = "Yeast fermentation: 𝐶 6 𝐻 12 𝑂 6 → 2 𝐶 2 𝐻 5 𝑂𝐻 + 2 ."
BREATH_SHOWN = "Respiration: 𝐶 6 𝐻 12 𝑂 6 + 6 𝑶 𝟐 → 6 𝐶𝑂 2 ."
BREATH_BLANKED = "Respiration: 𝐶 6 𝐻 12 𝑂 6 + 6 gas → 6 𝐶𝑂 2 ."


@pytest.fixture
def yeast(empty_reading: Path) -> Path:
    (empty_reading / "01-yeast.yaml").write_text(SECTION, encoding="utf-8")
    return empty_reading


def typeset(run: Runner, *args: str) -> list[Page]:
    result = run("outline", "-f", "pdf", "-o", "out.pdf", *args)
    assert result.exit_code == 0, result
    return pages(Path("out.pdf"))


def text_of(words: list[Word]) -> str:
    return reading_lines(sorted(words, key=lambda w: w.x0))


def half(page: Page, right: bool) -> list[Word]:
    return [w for w in page.words if (w.x > page.width / 2) == right]


def gap_before_full_stop(words: list[Word]) -> float:
    """The room on the line between the formula's last `+ 2` and the full stop after it: where
    the answer stands, or its blank. Subscripts sit lower: only words on one baseline count."""
    gaps = []
    for word in words:
        line = sorted((w for w in words if abs(w.y - word.y) < 1.5), key=lambda w: w.x0)
        at = line.index(word)
        if word.text == "." and at >= 2 and [w.text for w in line[at - 2 : at]] == ["+", "2"]:
            gaps.append(word.x0 - line[at - 1].x1)
    assert len(gaps) == 1, gaps
    return gaps[0]


def assert_no_latex(text: str) -> None:
    for source in ("$", "\\to", "\\,", "C_6", "[…]", "CO_2", "{"):
        assert source not in text, f"{source!r} printed as written: {text}"


def test_a_cornell_handout_sets_the_answer_in_bold_inside_the_formula(
    yeast: Path, run: Runner
) -> None:
    (page,) = typeset(run)
    text = text_of(list(page.words))
    assert f"• {SHOWN} • {BREATH_SHOWN} • Yeast is a fungus." in text, text
    assert_no_latex(text)
    # Only the answer is bold: the formula's other CO2 is in plain italic.
    assert unicodedata.normalize("NFKC", "𝑪𝑶 𝟐") == "CO 2"
    assert text.count("𝑪𝑶") == 1 and "𝐶𝑂 2" in text


def test_a_self_test_sheet_leaves_a_blank_inside_the_formula(yeast: Path, run: Runner) -> None:
    (page,) = typeset(run, "--answers", "none")
    text = text_of(list(page.words))
    assert f"• {BLANKED} • {BREATH_BLANKED} • Yeast is a ." in text, text
    assert_no_latex(text)
    assert "CO" not in unicodedata.normalize("NFKC", text.replace("𝐶𝑂 2", ""))
    # The line to write on is as long as a blank in the text: 5.5 em of 10.5 pt, 58 pt.
    assert 55 < gap_before_full_stop(list(page.words)) < 62


def test_a_fold_sheet_blanks_the_formula_left_and_shows_it_right(yeast: Path, run: Runner) -> None:
    (page,) = typeset(run, "--layout", "fold")
    left, right = half(page, right=False), half(page, right=True)
    assert f"1. {BLANKED} 2. {BREATH_BLANKED} 3. Yeast is a ." in text_of(left)
    assert f"{SHOWN} {BREATH_SHOWN} Yeast is a fungus." in text_of(right)
    assert_no_latex(text_of(page.words))
    assert 55 < gap_before_full_stop(left) < 62


def test_flashcards_blank_the_formula_on_the_front_and_bold_it_on_the_back(
    yeast: Path, run: Runner
) -> None:
    fronts, backs = typeset(run, "--layout", "cards")
    # The first card is at the top left of the fronts, its back at the top right (mirrored).
    top = 10 * MM + (fronts.height - 25 * MM) / 4  # the first row's foot (of four)
    front = [w for w in half(fronts, right=False) if w.y < top]
    back = [w for w in half(backs, right=True) if w.y < top]
    assert text_of(front) == f"1 Yeast {BLANKED} Front 1", text_of(front)
    assert text_of(back) == f"1 Yeast {SHOWN} Back 1", text_of(back)
    assert_no_latex(text_of(fronts.words) + text_of(backs.words))
    assert 55 < gap_before_full_stop(front) < 75  # cards set their text larger


# The formula as MathML, `\,` as a thin space and the answer (or blank) inside it.
_FORMULA = (
    "<math><mrow><msub><mi>C</mi><mn>6</mn></msub><msub><mi>H</mi><mn>12</mn></msub>"
    '<msub><mi>O</mi><mn>6</mn></msub><mo>→</mo><mn>2</mn><mspace width="0.1667em"/>'
    "<msub><mi>C</mi><mn>2</mn></msub><msub><mi>H</mi><mn>5</mn></msub><mi>O</mi><mi>H</mi>"
    '<mo>+</mo><mn>2</mn><mspace width="0.1667em"/>{}</mrow></math>'
)
_BOLD_CO2 = '<mrow class="deletion"><mrow><mi>C</mi><msub><mi>O</mi><mn>2</mn></msub></mrow></mrow>'
_BLANK = '<mtext class="blank" title="answer left out"></mtext>'


def test_html_sets_the_answer_in_bold_inside_the_math(yeast: Path, run: Runner) -> None:
    page = run("outline", "-f", "html").stdout
    assert f"Yeast fermentation: {_FORMULA.format(_BOLD_CO2)}." in page
    assert '<mrow class="deletion"><msub><mi>O</mi><mn>2</mn></msub></mrow>' in page
    assert ".deletion { font-weight: 700; }" in page  # what makes it bold, in math as in text
    assert "<code" not in page
    assert html_text(page).count("Yeast fermentation: C6H12O6→2C2H5OH+2CO2.") == 1


def test_html_blanks_the_answer_inside_the_math(yeast: Path, run: Runner) -> None:
    page = run("outline", "-f", "html", "--answers", "none").stdout
    assert f"Yeast fermentation: {_FORMULA.format(_BLANK)}." in page
    assert '<mtext class="blank" title="answer left out">gas</mtext>' in page
    assert "<code" not in page and "deletion" not in page.split("<body>")[1]
    assert "Yeast fermentation: C6H12O6→2C2H5OH+2." in html_text(page)


def test_markdown_keeps_the_formula_as_its_source_with_the_blank_in_it(
    yeast: Path, run: Runner
) -> None:
    shown = run("outline").stdout
    blanked = run("outline", "--answers", "none").stdout
    assert r"- Yeast fermentation: `$C_6H_{12}O_6 \to 2\,C_2H_5OH + 2\,CO_2$`." in shown
    assert r"- Yeast fermentation: `$C_6H_{12}O_6 \to 2\,C_2H_5OH + 2\,[…]$`." in blanked
    assert r"- Respiration: `$C_6H_{12}O_6 + 6\,[gas] \to 6\,CO_2$`." in blanked


def test_an_automatic_summary_reads_the_formula_as_the_terminal_does(
    yeast: Path, run: Runner
) -> None:
    result = run("summary")
    assert result.exit_code == 0, result
    assert result.stdout.splitlines()[3:6] == [
        "1. Yeast",
        "   Yeast fermentation: C₆H₁₂O₆ → 2 C₂H₅OH + 2 CO₂. Respiration: C₆H₁₂O₆ + 6 O₂ →",
        "   6 CO₂. (automatic summary)",
    ]
    page = run("summary", "-f", "html").stdout
    assert (
        f"Yeast fermentation: {_FORMULA.format('<mi>C</mi><msub><mi>O</mi><mn>2</mn></msub>')}"
        in page
    )


@pytest.mark.parametrize(
    ("command", "typst", "mathml"),
    [
        (r"\,", "thin", "0.1667em"),
        (r"\:", "med", "0.2222em"),
        (r"\;", "thick", "0.2778em"),
        (r"\quad", "quad", "1em"),
        (r"\qquad", "wide", "2em"),
        ("\\ ", "space", "0.3333em"),
    ],
)
def test_spacing_commands_are_spaces_of_their_width(command: str, typst: str, mathml: str) -> None:
    node = latex.parse(f"a{command} b")
    assert latex.to_typst(node) == f"a {typst} b"
    assert (
        latex.to_mathml(node)
        == f'<math><mrow><mi>a</mi><mspace width="{mathml}"/><mi>b</mi></mrow></math>'
    )


def test_a_thin_space_prints_thin(tmp_path: Path) -> None:
    """`2\\,C` is set with a thin space, not the quad a string of one space made: each formula
    alone on a page as wide as it is."""
    import typst
    from pypdf import PdfReader

    widths = []
    for code in ("2 C", latex.to_typst(latex.parse(r"2\,C")), '2 " " C'):
        template = f"#set page(width: auto, height: auto, margin: 0pt)\n${code}$".encode()
        (tmp_path / "f.pdf").write_bytes(typst.compile(template))
        widths.append(float(PdfReader(tmp_path / "f.pdf").pages[0].mediabox.width))
    touching, thin, string = widths
    assert 1.6 < thin - touching < 2.0  # a sixth of an em of 11 pt: 1.83 pt
    assert string - touching > 10


def formula_of(text: str, show_answers: bool) -> latex.Node | None:
    (math,) = [s for s in spans_of(parse_cloze(text), show_answers) if s.kind == "math"]
    return formula(math)


def test_a_deletion_is_one_atom_of_the_formula() -> None:
    shown = formula_of(r"$2\,{{CO}}_2 + {{\frac{a}{b}::ratio}}$", show_answers=True)
    assert shown is not None
    assert latex.to_typst(shown) == "2 thin attach(bold(C O), b: 2) + bold(frac(a, b))"
    blanked = formula_of(r'$2\,{{CO}}_2 + {{\frac{a}{b}::a "ratio"}}$', show_answers=False)
    assert blanked is not None
    assert latex.to_typst(blanked) == r'2 thin attach(blank(""), b: 2) + blank("a \"ratio\"")'


def test_a_deletion_that_is_no_whole_part_of_the_formula_is_read_as_before() -> None:
    # Inside `\text`, the answer is part of the text: shown as written, not in bold.
    shown = formula_of(r"$\text{in {{ATP}} form}$", show_answers=True)
    assert shown is not None and latex.to_typst(shown) == '"in ATP form"'
    blanked = formula_of(r"$\text{in {{ATP}} form}$", show_answers=False)
    assert blanked is not None and latex.to_typst(blanked) == '"in […] form"'
    # An answer beyond the subset: the whole formula shown as written; its blank hides it.
    assert formula_of(r"$a + {{\over b}}$", show_answers=True) is None
    blanked = formula_of(r"$a + {{\over b}}$", show_answers=False)
    assert blanked is not None and latex.to_typst(blanked) == 'a + blank("")'


def test_a_private_use_character_in_the_notes_is_no_deletion() -> None:
    # The character a deletion stands as while its formula is parsed, typed by the student.
    assert formula_of("$x \U000f0000 + {{y}}$", show_answers=True) is None
    assert formula_of("$x \U000f0000 + {{y}}$", show_answers=False) is None


def test_a_formula_beyond_the_subset_is_shown_as_written_with_its_blank(
    empty_reading: Path, run: Runner
) -> None:
    (empty_reading / "01-s.yaml").write_text(
        "title: S\npoints:\n  - 'A $\\begin{matrix} {{a}} \\end{matrix}$ b.'\n", encoding="utf-8"
    )
    (page,) = typeset(run, "--answers", "none")
    assert r"$\begin{matrix} […] \end{matrix}$" in text_of(list(page.words))
    page_html = run("outline", "-f", "html").stdout
    assert r'<code class="tex">$\begin{matrix} a \end{matrix}$</code>' in page_html
