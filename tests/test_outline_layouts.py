"""`studykit outline --layout fold|cards` and `--paper`: the pages as a student holds them.

PDFs are typeset by typst and read back with poppler (`pdftotext -bbox`, `-layout`) and pypdf:
where each word stands is what these tests assert, since folding and cutting depend on it.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from conftest import Runner
from handout_helpers import chromium, html_text, print_to_pdf
from layout_helpers import LAYOUT_NOTES, MM, Page, Word, layout_lines, pages, reading_lines
from markdown_it import MarkdownIt


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The two-section demo reading (9 cards) in a fresh working folder."""
    target = tmp_path / "notes"
    shutil.copytree(LAYOUT_NOTES, target)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)
    return target


def typeset(run: Runner, *args: str) -> Path:
    result = run("outline", "-f", "pdf", "-o", "out.pdf", *args)
    assert result.exit_code == 0, result
    return Path("out.pdf")


# -- cards -------------------------------------------------------------------------------------

# The cut-out grid: 10 mm side margins and top, 15 mm at the foot, 2 columns of 4 rows.
SIDE, TOP, FOOT = 10 * MM, 10 * MM, 15 * MM


def card_cells(page: Page) -> dict[tuple[int, int], str]:
    """The text of each card on a page, by (row, column), read line by line."""
    width = (page.width - 2 * SIDE) / 2
    height = (page.height - TOP - FOOT) / 4
    cells: dict[tuple[int, int], list[Word]] = {}
    for word in page.words:
        if word.y > page.height - FOOT:
            continue  # the sheet's own line under the grid
        place = (int((word.y - TOP) // height), int((word.x - SIDE) // width))
        cells.setdefault(place, []).append(word)
    return {place: reading_lines(words) for place, words in cells.items()}


def test_cards_put_eight_fronts_on_the_first_page_and_their_backs_on_the_second(
    demo: Path, run: Runner
) -> None:
    sheets = pages(typeset(run, "--layout", "cards"))
    assert len(sheets) == 4, "9 cards: fronts and backs of 8, then of 1"
    fronts = card_cells(sheets[0])
    assert fronts == {
        (0, 0): "1 Causes The began in 1958. Front 1",
        (0, 1): "1 Causes The Great Leap began in . Front 2",
        (1, 0): "1 Causes Commune Front 3",
        (1, 1): "1 Causes Procurement Front 4",
        (2, 0): "1 Causes Why did output fall? Front 5",
        (2, 1): "1 Causes Who criticised the Leap at Lushan? Front 6",
        (3, 0): "2 Results The famine lasted from year to 1961. Front 7",
        (3, 1): "2 Results Readjustment Front 8",
    }
    backs = card_cells(sheets[1])
    # Each row mirrored: card 1's back stands where card 2's front does.
    assert backs == {
        (0, 1): "1 Causes The Great Leap began in 1958. Mao launched it at the Eighth Party "
        "Congress. Back 1",
        (0, 0): "1 Causes The Great Leap began in 1958. Mao launched it at the Eighth Party "
        "Congress. Back 2",
        (1, 1): "1 Causes The giant rural unit of 1958. It also served as local government. Back 3",
        (1, 0): "1 Causes Grain the state took at fixed prices. Back 4",
        (2, 1): "1 Causes Incentives were removed. Work points paid everyone alike. Back 5",
        (2, 0): "1 Causes Peng Dehuai. Back 6",
        (3, 1): "2 Results The famine lasted from 1959 to 1961. Back 7",
        (3, 0): "2 Results The retreat of 1961 from the Leap. Back 8",
    }
    assert card_cells(sheets[2]) == {(0, 0): "2 Results What did Deng say about cats? Front 9"}
    assert card_cells(sheets[3]) == {
        (0, 1): "2 Results A cat that catches mice is a good cat. Back 9"
    }


def test_a_back_lands_behind_its_front_after_a_long_edge_flip(demo: Path, run: Runner) -> None:
    front_page, back_page = pages(typeset(run, "--layout", "cards"))[:2]
    front = front_page.find("Why")  # card 5's question, first word of its line
    back = back_page.find("Incentives")  # card 5's answer
    front_line = [w for w in front_page.words if abs(w.y0 - front.y0) < 1 and w.x < 297]
    back_line = [w for w in back_page.words if abs(w.y0 - back.y0) < 1]
    front_middle = (min(w.x0 for w in front_line) + max(w.x1 for w in front_line)) / 2
    back_middle = (min(w.x0 for w in back_line) + max(w.x1 for w in back_line)) / 2
    # Flipped on its long edge, x on the back becomes width - x on the front.
    # Within 2 pt (0.7 mm): glyph outlines, not advance widths, bound a line's words.
    assert abs(front_page.width - back_middle - front_middle) < 2.0, (front_middle, back_middle)
    assert front_middle == pytest.approx(163.0, abs=1.0), "centred in the left card"
    row_height = (front_page.height - TOP - FOOT) / 4
    assert (front.y - TOP) // row_height == (back.y - TOP) // row_height == 2, "both in row 3"


def test_cards_without_answers_are_fronts_only(demo: Path, run: Runner) -> None:
    sheets = pages(typeset(run, "--layout", "cards", "--answers", "none"))
    assert len(sheets) == 2, "9 fronts on two pages, no backs"
    text = " ".join(p.text() for p in sheets)
    assert "Incentives" not in text and "Back" not in text, text
    assert "Sheet 1 of 2: write each answer on the back" in text, text


def test_cards_html_prints_with_the_same_mirrored_grid(
    demo: Path, run: Runner, tmp_path: Path
) -> None:
    browser = chromium()
    if browser is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    result = run("outline", "--layout", "cards", "-f", "html", "-o", "cards.html")
    assert result.exit_code == 0, result
    pdf = tmp_path / "printed.pdf"
    print_to_pdf(browser, Path("cards.html"), pdf, tmp_path / "profile")
    sheets = pages(pdf)
    assert len(sheets) == 4, "fronts, backs, fronts, backs"
    fronts, backs = card_cells(sheets[0]), card_cells(sheets[1])
    assert fronts[(2, 0)] == "1 Causes Why did output fall? Front 5", fronts
    assert (
        backs[(2, 1)] == "1 Causes Incentives were removed. Work points paid everyone alike. Back 5"
    ), backs


def test_cards_are_refused_in_markdown(demo: Path, run: Runner) -> None:
    result = run("outline", "--layout", "cards", "-f", "md")
    assert result.exit_code == 2, result
    assert result.stderr == (
        "error: -f md has no pages to cut cards from; print --layout cards with -f pdf or -f html\n"
    )


# -- fold --------------------------------------------------------------------------------------


def test_fold_puts_each_prompt_left_of_the_fold_and_its_answer_right(
    demo: Path, run: Runner
) -> None:
    pdf = typeset(run, "--layout", "fold")
    lines = layout_lines(pdf, 1)
    row = next(line for line in lines if "Why did output fall?" in line)
    assert row.index("Why did output fall?") < row.index("Incentives were removed."), row
    page = pages(pdf)[0]
    middle = page.width / 2
    prompt, answer = page.find("Why"), page.find("Incentives")
    # The halves are 12 mm apart, the fold line in the middle of the gap.
    assert prompt.x1 < middle - 6 * MM, prompt
    assert answer.x0 == pytest.approx(middle + 6 * MM, abs=0.5), answer
    assert abs(prompt.y0 - answer.y0) < 1.0, "the answer starts on the prompt's line"
    # Every word stays on its side of the fold: none straddles the middle 12 mm.
    straddling = [w.text for w in page.words if w.x0 < middle + 5 * MM and w.x1 > middle - 5 * MM]
    assert straddling == ["fold", "here"], straddling


def test_fold_rows_follow_the_notes_file(demo: Path, run: Runner) -> None:
    lines = layout_lines(typeset(run, "--layout", "fold"), 1)
    prompts = [
        line.split("   ")[0].strip()
        for line in lines
        if line.strip()[:2] in {"1.", "2.", "3.", "4.", "5."}
    ]
    assert prompts == [
        "1. The",
        "2. Commune",
        "3. Procurement",
        "4. Why did output fall?",
        "5. Who criticised the Leap at Lushan?",
        "1. The famine lasted from",
        "2. Readjustment",
        "3. What did Deng say about cats?",
    ], lines


def test_fold_self_test_leaves_lines_to_write_on(demo: Path, run: Runner) -> None:
    page = pages(typeset(run, "--layout", "fold", "--answers", "none"))[0]
    assert not page.has("Incentives") and not page.has("Grain"), page.text()
    commune, procurement = page.find("Commune"), page.find("Procurement")
    # Three ruled lines 7.2 mm apart under each prompt, on the right half.
    assert procurement.y0 - commune.y0 >= 3 * 7.2 * MM, (commune, procurement)


def test_fold_with_an_answer_key_is_refused(demo: Path, run: Runner) -> None:
    result = run("outline", "--layout", "fold", "--answers", "end", "-f", "pdf")
    assert result.exit_code == 2, result
    assert "the fold layout keeps the answers behind the fold" in result.stderr, result
    assert not list(Path().glob("*.pdf")), "nothing written"


def test_fold_in_markdown_is_a_two_column_table(demo: Path, run: Runner) -> None:
    result = run("outline", "--layout", "fold", "-f", "md")
    assert result.exit_code == 0, result
    page = MarkdownIt("commonmark").enable("table").render(result.stdout)
    rows = [html_text(r) for r in page.split("<tr>")[2:]]
    assert rows[0] == (
        "1. The […] began in […]. The Great Leap began in 1958. "
        "Note: Mao launched it at the Eighth Party Congress."
    ), rows[0]
    assert rows[3] == (
        "4. Why did output fall? Incentives were removed. Note: Work points paid everyone alike."
    ), rows[3]


def test_fold_in_html_is_a_table_with_a_dashed_middle(demo: Path, run: Runner) -> None:
    result = run("outline", "--layout", "fold", "-f", "html")
    assert result.exit_code == 0, result
    assert "td.prompt { border-right: 1pt dashed var(--muted)" in result.stdout
    row = result.stdout.split("<tr>")[4].split("</tr>")[0]
    cells = [html_text(cell) for cell in row.split("</td>")[:-1]]
    assert cells == [
        "4. Why did output fall?",
        "Incentives were removed. Work points paid everyone alike.",
    ]


# -- paper -------------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["cornell", "fold", "cards"])
def test_letter_paper_is_612_by_792_points(demo: Path, run: Runner, layout: str) -> None:
    from pypdf import PdfReader

    for paper, size in (("letter", (612, 792)), ("a4", (595.2756, 841.8898))):
        pdf = typeset(run, "--layout", layout, "--paper", paper)
        boxes = {
            (round(float(p.mediabox.width), 4), round(float(p.mediabox.height), 4))
            for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages
        }
        assert boxes == {size}, (paper, boxes)


def test_letter_html_sets_the_page_size(demo: Path, run: Runner) -> None:
    result = run("outline", "-f", "html", "--paper", "letter")
    assert result.exit_code == 0, result
    assert "@page { size: letter; }" in result.stdout


def test_an_unknown_paper_or_layout_is_a_usage_error(demo: Path, run: Runner) -> None:
    result = run("outline", "--paper", "a3")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: unknown --paper 'a3'; choose one of: a4, letter\n",
    )
    result = run("outline", "--layout", "poster")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: unknown --layout 'poster'; choose one of: cornell, fold, cards\n",
    )


# -- cornell -----------------------------------------------------------------------------------


def write_long_reading(folder: Path, sections: int) -> None:
    """A reading whose sections differ in length, so page breaks fall everywhere."""
    folder.mkdir(parents=True)
    (folder / "reading.yaml").write_text("title: Page Breaks\n", encoding="utf-8")
    filler = "Collectivization pooled land, tools and labour under cadres. "
    for s in range(1, sections + 1):
        lines = [f"title: Topic-{s:02}", "points:"]
        lines += [f"  - Point {s}.{p} {filler * (1 + (s * p) % 3)}" for p in range(1 + (s * 3) % 7)]
        lines.append("terms:")
        for t in range(1, 2 + (s * 3) % 5):
            lines += [f"  - term: Term-{s:02}-{t}", f"    definition: {filler * (1 + (s + t) % 3)}"]
        lines.append("questions:")
        for q in range(1, 2 + s % 4):
            lines += [f"  - q: Cue-{s:02}-{q} asks why?", "    a: Because."]
        (folder / f"{s:02}-topic-{s}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def page_of(sheets: list[Page], text: str) -> int:
    found = [n for n, page in enumerate(sheets, 1) if page.has(text)]
    assert len(found) == 1, f"{text!r} on pages {found}"
    return found[0]


def test_no_glossary_ends_with_its_last_row_alone_and_no_heading_ends_a_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Runner
) -> None:
    monkeypatch.chdir(tmp_path)
    # 60 sections: before glossaries kept their last two rows together, section 58's last
    # term stood alone at the top of page 21.
    write_long_reading(tmp_path / "notes" / "breaks", 60)
    sheets = pages(typeset(run, "--notes", "notes"))
    assert len(sheets) == 22, "enough pages for breaks to fall in many kinds of place"
    for s in range(1, 61):
        terms = 1 + (s * 3) % 5
        assert page_of(sheets, f"Topic-{s:02}") == page_of(sheets, f"Cue-{s:02}-1"), (
            f"section {s}'s heading is parted from its first cue"
        )
        if terms >= 2:
            last, before = f"Term-{s:02}-{terms}", f"Term-{s:02}-{terms - 1}"
            assert page_of(sheets, last) == page_of(sheets, before), f"{last} alone on a page"


def test_the_term_column_is_one_width_in_every_section(demo: Path, run: Runner) -> None:
    words = [w for page in pages(typeset(run)) for w in page.words]

    def definition_start(term: str) -> float:
        (found,) = (w for w in words if w.text == term)
        line = [w for w in words if abs(w.y0 - found.y0) < 1 and w.x0 > found.x1]
        return min(w.x0 for w in line)

    # Section 1's "Commune" and section 2's "Readjustment" (a longer term): both definitions
    # begin 15 mm + 42 mm + 1 em (10.5 pt) from the page's edge.
    assert definition_start("Commune") == pytest.approx(15 * MM + 42 * MM + 10.5, abs=0.1)
    assert definition_start("Readjustment") == pytest.approx(15 * MM + 42 * MM + 10.5, abs=0.1)


def test_the_cornell_self_test_leaves_lines_under_each_cue(demo: Path, run: Runner) -> None:
    page = pages(typeset(run, "--answers", "none"))[0]
    first, second = page.find("Why"), page.find("Who")
    # The first cue takes one line; under it three ruled lines 7.2 mm apart.
    assert second.y0 - first.y0 >= 3 * 7.2 * MM + 10, (first, second)
    answered = pages(typeset(run))[0]
    assert answered.find("Who").y0 - answered.find("Why").y0 < 3 * 7.2 * MM, "no lines there"


@pytest.mark.parametrize(("answers", "kind"), [("none", "SELF-TEST"), ("inline", "HANDOUT")])
def test_the_cornell_sheet_is_headed_self_test_without_its_answers(
    demo: Path, run: Runner, answers: str, kind: str
) -> None:
    from handout_helpers import pdf_text

    text = pdf_text(typeset(run, "--answers", answers).read_bytes())
    # Letter-spaced capitals (pdftotext spaces them out) above the reading's title.
    assert text.replace(" ", "").startswith(kind + "LayoutsDemo"), text[:200]
    html = run("outline", "-f", "html", "--answers", answers)
    assert html.exit_code == 0, html
    assert f'<p class="kind">{kind.capitalize()}</p>' in html.stdout, html.stdout[:600]


def test_flashcards_past_the_pdf_limit_are_refused_at_the_item_that_passes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Runner
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "notes" / "many"
    folder.mkdir(parents=True)
    (folder / "reading.yaml").write_text("title: Many Terms\n", encoding="utf-8")
    for s in (1, 2, 3):
        lines = [f"title: Part {s}", "summary: S.", "terms:"]
        for t in range(1700):
            lines += [f"  - term: T{s}-{t}", "    definition: D."]
        (folder / f"0{s}-part-{s}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("outline", "--notes", "notes", "--layout", "cards", "-f", "pdf", "-o", "c.pdf")
    assert result.exit_code == 1, result
    # Card 5,001 is the term 5001 - 2 * 1700 = 1601st of part 3: T3-1600, at line 4 + 2 * 1600.
    assert result.stderr == (
        "notes/many/03-part-3.yaml:3204:1: error: the reading makes 5,100 cards, more than the "
        "5,000 a PDF of flashcards sets, and this item passes the limit: split the reading into "
        "readings, or print the cards with -f html\n"
    ), result
    assert not Path("c.pdf").exists()


@pytest.mark.parametrize("layout", ["fold", "cards"])
def test_a_reading_with_nothing_that_asks_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Runner, layout: str
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "notes" / "facts"
    folder.mkdir(parents=True)
    (folder / "reading.yaml").write_text("title: Facts\n", encoding="utf-8")
    (folder / "01-a.yaml").write_text(
        "title: A\nsummary: S.\npoints:\n  - A plain fact.\n", encoding="utf-8"
    )
    result = run("outline", "--notes", "notes", "--layout", layout, "-f", "pdf", "-o", "x.pdf")
    assert (result.exit_code, result.stderr) == (
        1,
        f"notes/facts/reading.yaml: error: --layout {layout}: the reading has no question, term "
        "or {{cloze}} point to print; add some, or print it with --layout cornell\n",
    )
    assert not Path("x.pdf").exists()


@pytest.mark.parametrize(
    ("layout", "fmt"), [("fold", "md"), ("fold", "html"), ("cards", "html"), ("cards", "pdf")]
)
def test_hostile_notes_print_as_written_in_fold_and_cards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Runner, layout: str, fmt: str
) -> None:
    from handout_helpers import HANDOUT_NOTES, pdf_text

    shutil.copytree(HANDOUT_NOTES, tmp_path / "notes")
    monkeypatch.chdir(tmp_path)
    result = run("outline", "--notes", "notes", "--layout", layout, "-f", fmt, "-o", f"x.{fmt}")
    assert result.exit_code == 0, result
    data = Path(f"x.{fmt}").read_bytes()
    if fmt == "pdf":
        text = pdf_text(data)
    else:
        page = data.decode("utf-8")
        if fmt == "md":
            page = MarkdownIt("commonmark").enable("table").render(page)
        assert "<script>alert" not in page, "a note became markup"
        text = html_text(page)
    assert "Question a<b & c>d # $ * _ {{ \\ ] Máo Zédōng nǚ" in text, text[:2000]


def test_the_html_self_test_sheet_rules_lines_under_each_cue(demo: Path, run: Runner) -> None:
    result = run("outline", "-f", "html", "--answers", "none")
    assert result.exit_code == 0, result
    cues = result.stdout.split('<aside class="cues">')[1].split("</aside>")[0]
    assert cues.count('<div class="write" aria-hidden="true">') == 2, cues
    assert cues.count("<span></span>") == 6, "three lines under each of the two cues"
    answered = run("outline", "-f", "html").stdout
    assert 'class="write"' not in answered
