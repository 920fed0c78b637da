"""`studykit outline` over several readings: one course pack, as a student reads it.

Two small readings in a notes folder (alpha, long enough to run over several pages, and beta);
the pack lists them and their sections in the contents, each as its own outline renders it, in
the notes folder's order, then every term with the reading and section that define it (in the
PDF with the page the term is printed on) and the works each reading cites.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import Runner
from handout_helpers import html_text, pdf_pages
from pypdf import PdfReader

LONG_POINT = (
    "Point {n} of the start, long enough to take two lines in the notes column of the handout, "
    "so that the section runs over onto the next page."
)


def _write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A notes folder of two readings, the current folder its parent."""
    notes = tmp_path / "notes"
    points = "".join(f"  - {LONG_POINT.format(n=n)}\n" for n in range(1, 41))
    _write(
        notes / "alpha",
        {
            "reading.yaml": "title: Alpha Reading\nsummary: The first reading.\nsources:\n"
            '  - "Yang Jisheng, *Tombstone* (2012)"\n'
            '  - "Frank Dikötter, Mao\'s Great Famine (2010)"\n',
            "01-start.yaml": "title: Starting Out\nsummary: How it began.\npoints:\n"
            + points
            + "terms:\n  - term: People's commune\n    definition: The large rural unit of 1958.\n"
            "questions:\n  - q: When did communes begin?\n    a: In 1958.\n",
            "02-later.yaml": "title: Later Years\npoints:\n  - Grain procurement rose.\nterms:\n"
            "  - term: Procurement\n    definition: State purchase of grain.\n"
            "  - term: Backyard furnace\n    definition: A small steel furnace.\n",
        },
    )
    _write(
        notes / "beta",
        {
            "reading.yaml": "title: Beta Reading\nsources:\n"
            '  - "Felix Wemheuer, Famine Politics (2014)"\n',
            "01-causes.yaml": "title: Causes\npoints:\n  - Over-reporting of yields.\nterms:\n"
            "  - term: procurement\n    definition: What the state took.\n"
            "  - term: Lushan Conference\n    definition: The 1959 meeting.\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)
    return notes


CONTENTS_MD = """\
# Contents

1. Alpha Reading
   1. Starting Out
   2. Later Years
2. Beta Reading
   1. Causes
"""

INDEX_MD = """\
# Index of terms

- **Backyard furnace** — Alpha Reading › 2. Later Years
- **Lushan Conference** — Beta Reading › 1. Causes
- **People's commune** — Alpha Reading › 1. Starting Out
- **Procurement** — Alpha Reading › 2. Later Years; Beta Reading › 1. Causes

# Works cited

## 1. Alpha Reading

- Yang Jisheng, *Tombstone* (2012)
- Frank Dikötter, Mao's Great Famine (2010)

## 2. Beta Reading

- Felix Wemheuer, Famine Politics (2014)
"""


def _single(run: Runner, reading: str, *args: str) -> str:
    """A reading's own outline, without the works cited it ends with: a pack lists those once,
    for every reading, at its end."""
    result = run("outline", reading, "-f", "md", *args)
    assert result.exit_code == 0, result
    assert "\n## Works cited\n" in result.stdout, result.stdout
    return result.stdout.split("\n## Works cited\n")[0]


# -- Markdown -----------------------------------------------------------------------------


def test_the_whole_folder_is_one_pack_of_contents_readings_index_and_works_cited(
    library: Path, run: Runner
) -> None:
    result = run("outline", "-f", "md")
    assert result.exit_code == 0, result
    expected = (
        "# Course pack\n\n2 readings, 3 sections, 5 terms\n\n"
        + CONTENTS_MD
        + "\n"
        + _single(run, "alpha")
        + "\n"
        + _single(run, "beta")
        + "\n"
        + INDEX_MD
    )
    assert result.stdout == expected, result.stdout


def test_readings_keep_the_notes_folder_order_however_named(library: Path, run: Runner) -> None:
    whole = run("outline", "-f", "md")
    named = run("outline", "beta", "alpha", "-f", "md")
    assert named.exit_code == 0, named
    assert named.stdout == whole.stdout, "beta named first still follows alpha"
    listed = run("list")
    assert listed.stdout.index("alpha") < listed.stdout.index("beta"), listed
    assert named.stdout.index("# Alpha Reading") < named.stdout.index("# Beta Reading")


def test_one_reading_named_is_its_outline_as_before(library: Path, run: Runner) -> None:
    one = run("outline", "beta", "-f", "md")
    assert one.exit_code == 0, one
    assert one.stdout.startswith("# Beta Reading\n\n## 1. Causes\n"), one.stdout
    assert "Contents" not in one.stdout and "Index of terms" not in one.stdout
    twice = run("outline", "beta", "beta", "-f", "md")
    assert twice.stdout == one.stdout, "a reading named twice is still one reading"


def test_a_title_and_answers_left_out(library: Path, run: Runner) -> None:
    result = run("outline", "-f", "md", "--answers", "none", "--title", "HIST 210: Week 3")
    assert result.exit_code == 0, result
    assert result.stdout.startswith("# HIST 210: Week 3\n\n2 readings, 3 sections, 5 terms\n")
    assert "In 1958." not in result.stdout and "State purchase" not in result.stdout
    assert "- **Procurement** — Alpha Reading › 2. Later Years; Beta Reading › 1. Causes\n" in (
        result.stdout
    ), "the index still lists every term"


def test_a_title_is_only_for_a_pack(library: Path, run: Runner) -> None:
    result = run("outline", "alpha", "--title", "Week 3")
    assert result.exit_code == 2, result
    assert result.stderr == "error: --title names a course pack: give several readings\n"


def test_a_reading_without_sources_has_no_works_cited_entry(library: Path, run: Runner) -> None:
    reading = library / "beta" / "reading.yaml"
    reading.write_text("title: Beta Reading\n", encoding="utf-8")
    result = run("outline", "-f", "md")
    assert result.exit_code == 0, result
    cited = result.stdout.split("# Works cited\n", 1)[1]
    assert cited == (
        "\n## 1. Alpha Reading\n\n- Yang Jisheng, *Tombstone* (2012)\n"
        "- Frank Dikötter, Mao's Great Famine (2010)\n"
    ), cited


# -- broken input -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "pdf"])
def test_a_broken_reading_names_its_line_and_nothing_is_written(
    library: Path, run: Runner, fmt: str
) -> None:
    broken = library / "beta" / "01-causes.yaml"
    broken.write_text("title: Causes\npoints:\n  - Over-reporting.\nterms:\n  - term: x\n")
    result = run("outline", "-f", fmt, "-o", f"pack.{fmt}")
    assert result.exit_code == 1, result
    assert result.stderr == (
        "notes/beta/01-causes.yaml:5:5: error: missing required key 'definition' in this term\n"
    ), result.stderr
    assert sorted(p.name for p in Path().iterdir()) == ["notes"], "nothing written"


def test_an_unknown_reading_among_several_is_named(library: Path, run: Runner) -> None:
    result = run("outline", "alpha", "gamma", "-f", "pdf")
    assert result.exit_code == 2, result
    assert result.stderr == "error: no reading 'gamma' in notes (readings: alpha, beta)\n"
    assert not Path("course-pack.pdf").exists()


# -- HTML ---------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["fold", "cards"])
def test_html_packs_of_other_layouts_link_to_each_reading(
    library: Path, run: Runner, layout: str
) -> None:
    result = run("outline", "-f", "html", "--layout", layout)
    assert result.exit_code == 0, result
    ids = re.findall(r' id="([^"]+)"', result.stdout)
    links = re.findall(r'href="#([^"]+)"', result.stdout)
    assert len(ids) == len(set(ids)), "every anchor once in the page"
    # No section anchors in these layouts: a section's link goes to its reading.
    assert links == [
        *["r1-reading"] * 3,
        *["r2-reading"] * 2,
        *["r1-reading", "r2-reading", "r1-reading", "r1-reading", "r2-reading"],
    ], links
    assert set(links) <= set(ids)


def test_html_pack_links_contents_and_index_to_each_section(library: Path, run: Runner) -> None:
    result = run("outline", "-f", "html")
    assert result.exit_code == 0, result
    page = result.stdout
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "every anchor once in the page"
    links = re.findall(r'href="#([^"]+)"', page)
    assert set(links) <= set(ids), f"links to nowhere: {set(links) - set(ids)}"
    nav = html_text(page.split('<nav class="contents">')[1].split("</nav>")[0])
    assert nav == "Contents Alpha Reading Starting Out Later Years Beta Reading Causes", nav
    index = html_text(page.split('<section class="pack-index"')[1].split("</section>")[0])
    assert index == (
        'id="index"> Index of terms Backyard furnace — Alpha Reading › 2. Later Years '
        "Lushan Conference — Beta Reading › 1. Causes People's commune — Alpha Reading › 1. "
        "Starting Out Procurement — Alpha Reading › 2. Later Years; Beta Reading › 1. Causes"
    ), index
    assert '<a href="#r2-section-1">Beta Reading › 1. Causes</a>' in page
    assert '<section class="sheet" id="r2-section-1">' in page
    text = html_text(page)
    assert text.index("Alpha Reading The first reading.") < text.index("Beta Reading 1 Causes")
    cited = text.split("Works cited", 1)[1]
    assert cited.strip() == (
        "1 Alpha Reading Yang Jisheng, Tombstone (2012) Frank Dikötter, Mao's Great Famine "
        "(2010) 2 Beta Reading Felix Wemheuer, Famine Politics (2014)"
    ), cited


# -- PDF ----------------------------------------------------------------------------------


def _page_texts(pdf: Path) -> list[str]:
    """Each page's text as pdftotext lays it out, in page order."""
    count = pdf_pages(pdf.read_bytes())
    return [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for n in range(1, count + 1)
    ]


def test_pdf_pack_gives_the_page_of_each_section_and_term(library: Path, run: Runner) -> None:
    result = run("outline", "-f", "pdf")
    assert result.exit_code == 0, result
    assert result.stdout == "wrote course-pack.pdf\n", "a pack's PDF goes to course-pack.pdf"
    pages = _page_texts(Path("course-pack.pdf"))
    assert len(pages) == 6, len(pages)
    title = PdfReader("course-pack.pdf").metadata.title
    assert title == "Course pack", f"the PDF is named after the pack, not a reading: {title}"

    contents = [
        (m.group(1), int(m.group(2)))
        for m in re.finditer(r"^ *(\S.*?)[ .]+(\d+)$", pages[0], re.MULTILINE)
    ]
    assert contents == [
        ("Alpha Reading", 2),
        ("1 Starting Out", 2),
        ("2 Later Years", 3),
        ("Beta Reading", 4),
        ("1 Causes", 4),
        ("Index of terms", 5),
        ("Works cited", 6),
    ], contents
    for heading, page in contents:
        assert re.search(rf"^ *{re.escape(heading)}$", pages[page - 1], re.MULTILINE), (
            f"{heading!r} is not a heading on page {page}:\n{pages[page - 1]}"
        )

    index = re.findall(r"^(.+?) — (.+)$", pages[4], re.MULTILINE)
    assert index == [
        ("Backyard furnace", "Alpha Reading › 2. Later Years, p. 3"),
        ("Lushan Conference", "Beta Reading › 1. Causes, p. 4"),
        ("People's commune", "Alpha Reading › 1. Starting Out, p. 3"),
        ("Procurement", "Alpha Reading › 2. Later Years, p. 3; Beta Reading › 1. Causes, p. 4"),
    ], index
    definitions = {
        "Backyard furnace": ["A small steel furnace."],
        "Lushan Conference": ["The 1959 meeting."],
        "People's commune": ["The large rural unit of 1958."],
        "Procurement": ["State purchase of grain.", "What the state took."],
    }
    for term, places in index:
        for page, definition in zip(
            re.findall(r"p\. (\d+)", places), definitions[term], strict=True
        ):
            text = pages[int(page) - 1]
            assert re.search(rf"^{re.escape(term)} +{re.escape(definition)}$", text, re.I | re.M), (
                f"{term!r} is not defined on page {page}:\n{text}"
            )
    assert "People's commune" not in pages[1], "the term stands after the section's notes"

    cited = re.sub(r"\s+", " ", pages[5])
    assert (
        "Works cited 1 Alpha Reading Yang Jisheng, Tombstone (2012) Frank Dikötter, Mao's Great "
        "Famine (2010) 2 Beta Reading Felix Wemheuer, Famine Politics (2014)"
    ) in cited, cited


@pytest.mark.parametrize(
    ("layout", "count", "contents", "pages_of_terms"),
    [
        (
            "fold",
            5,
            [
                ("Alpha Reading", 2),
                ("1 Starting Out", 2),
                ("2 Later Years", 2),
                ("Beta Reading", 3),
                ("1 Causes", 3),
                ("Index of terms", 4),
                ("Works cited", 5),
            ],
            {"Backyard furnace": 2, "Lushan Conference": 3, "People's commune": 2},
        ),
        (
            "cards",
            8,
            [
                ("Alpha Reading", 3),
                ("1 Starting Out", 3),
                ("2 Later Years", 3),
                ("Beta Reading", 5),
                ("1 Causes", 5),
                ("Index of terms", 7),
                ("Works cited", 8),
            ],
            {"Backyard furnace": 3, "Lushan Conference": 5, "People's commune": 3},
        ),
    ],
)
def test_fold_and_card_packs_give_pages_too(
    library: Path,
    run: Runner,
    layout: str,
    count: int,
    contents: list[tuple[str, int]],
    pages_of_terms: dict[str, int],
) -> None:
    result = run("outline", "-f", "pdf", "--layout", layout, "-o", "pack.pdf")
    assert result.exit_code == 0, result
    pages = _page_texts(Path("pack.pdf"))
    assert len(pages) == count, len(pages)
    found = [
        (m.group(1), int(m.group(2)))
        for m in re.finditer(r"^ *(\S.*?)[ .]+(\d+)$", pages[0], re.MULTILINE)
    ]
    assert found == contents, found
    for title, page in contents[:5]:
        assert title.split(" ", 1)[-1] in pages[page - 1], f"{title!r} not on page {page}"
    index = dict(re.findall(r"^(.+?) — .+, p\. (\d+)$", pages[contents[5][1] - 1], re.M))
    assert {term: int(index[term]) for term in pages_of_terms} == pages_of_terms, index
    for term, page in pages_of_terms.items():
        assert term in pages[page - 1], f"{term!r} is not on page {page}:\n{pages[page - 1]}"


def test_each_reading_of_a_card_pack_starts_on_a_front(library: Path, run: Runner) -> None:
    result = run("outline", "-f", "pdf", "--layout", "cards", "-o", "pack.pdf")
    assert result.exit_code == 0, result
    pages = _page_texts(Path("pack.pdf"))
    footers = [re.findall(r"(Fronts, sheet \d+ of \d+|Backs of sheet \d+)", p) for p in pages]
    assert footers == [
        [],
        [],  # left blank: printed double-sided, the cards start on a right-hand page
        ["Fronts, sheet 1 of 1"],
        ["Backs of sheet 1"],
        ["Fronts, sheet 1 of 1"],
        ["Backs of sheet 1"],
        [],
        [],
    ], footers


def test_a_pack_too_big_to_typeset_is_refused_at_the_item_past_the_limit(
    tmp_path: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each reading is within the PDF limits (10,000 items, 2,000 a section); together they
    # pass 10,000, at beta's 5,001st item: the first point of its sixth section.
    notes = tmp_path / "notes"
    for name, sections in (("alpha", 5), ("beta", 6)):
        points = "".join(f"  - Point {n}.\n" for n in range(1000))
        files = {f"{s:02d}-s{s}.yaml": f"title: S{s}\npoints:\n{points}" for s in range(1, 7)}
        _write(
            notes / name,
            {"reading.yaml": f"title: {name}\n"} | dict(list(files.items())[:sections]),
        )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)
    result = run("outline", "-f", "pdf")
    assert result.exit_code == 1, result
    assert result.stderr == (
        "notes/beta/06-s6.yaml:3:1: error: the course pack has 11,000 items (points, "
        "terms and questions), more than the 10,000 a PDF handout sets, and this is item 10,001: "
        "make two packs of fewer readings, or print the outline with -f html or -f md\n"
    ), result.stderr
    assert not Path("course-pack.pdf").exists()
    html = run("outline", "-f", "html", "-o", "pack.html")
    assert html.exit_code == 0, html


def test_a_reading_named_by_its_path_outside_the_notes_comes_last(
    library: Path, run: Runner, tmp_path: Path
) -> None:
    _write(
        tmp_path / "elsewhere" / "aardvark",
        {
            "reading.yaml": "title: Aardvark Reading\n",
            "01-only.yaml": "title: Only\npoints:\n  - A point.\n",
        },
    )
    result = run("outline", "elsewhere/aardvark", "beta", "alpha", "-f", "md")
    assert result.exit_code == 0, result
    titles = re.findall(r"^# (.+)$", result.stdout, re.MULTILINE)
    assert titles == [
        "Course pack",
        "Contents",
        "Alpha Reading",
        "Beta Reading",
        "Aardvark Reading",
        "Index of terms",
        "Works cited",
    ], titles


BIBTEX = """\
@book{yang2012,
  author = {Yang, Jisheng},
  title = {Tombstone: The Great Chinese Famine, 1958-1962},
  publisher = {Farrar, Straus and Giroux},
  address = {New York},
  year = {2012}
}
"""


@pytest.mark.parametrize(
    ("style", "cite", "entry"),
    [
        (
            [],
            "Over-reporting of yields (Yang 2012, 430).",
            "Yang, Jisheng. 2012. *Tombstone: The Great Chinese Famine, 1958-1962*. Farrar, "
            "Straus and Giroux.",
        ),
        (
            ["--style", "apa"],
            "Over-reporting of yields (Yang, 2012, p. 430).",
            "Yang, J. (2012). *Tombstone: The Great Chinese Famine, 1958-1962*. Farrar, Straus "
            "and Giroux.",
        ),
    ],
)
def test_works_cited_from_a_bibliography_in_the_style_asked(
    library: Path, run: Runner, style: list[str], cite: str, entry: str
) -> None:
    (library / "beta" / "sources.bib").write_text(BIBTEX, encoding="utf-8")
    reading = library / "beta" / "reading.yaml"
    reading.write_text(reading.read_text() + "bibliography: sources.bib\n", encoding="utf-8")
    section = library / "beta" / "01-causes.yaml"
    section.write_text(
        section.read_text().replace("yields.", "yields [@yang2012, p. 430]."), encoding="utf-8"
    )
    result = run("outline", "-f", "md", *style)
    assert result.exit_code == 0, result
    assert f"\n- {cite}\n" in result.stdout, result.stdout
    heading = "# References\n" if style == ["--style", "apa"] else "# Works cited\n"  # APA's name
    cited = result.stdout.split(heading, 1)[1]
    assert cited.split("## 2. Beta Reading\n", 1)[1] == (
        f"\n- Felix Wemheuer, Famine Politics (2014)\n- {entry}\n"
    ), cited


def test_characters_no_font_has_are_named_once_for_the_pack(library: Path, run: Runner) -> None:
    from studykit.handouts import fonts

    rare = "\U00013000"  # an Egyptian hieroglyph: in almost no font
    if not fonts.missing_characters(rare):
        pytest.skip("this machine has a font with Egyptian hieroglyphs")
    for section in (library / "alpha" / "02-later.yaml", library / "beta" / "01-causes.yaml"):
        text = section.read_text(encoding="utf-8")
        section.write_text(text.replace("  - ", f"  - {rare} ", 1), encoding="utf-8")
    result = run("outline", "-f", "pdf")
    assert result.exit_code == 0, result
    assert result.stderr.splitlines() == [
        f"warning: no installed font has 1 character(s) of these notes ({rare}); the PDF "
        "leaves them blank: install a font that has them"
    ], result.stderr
    assert Path("course-pack.pdf").is_file(), "the pack is still written"


def test_a_card_pack_past_the_flashcard_limit_is_refused_at_the_item(
    tmp_path: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 2,600 cards a reading, each within the 5,000 a PDF of flashcards sets; together 5,200,
    # past the limit at beta's 2,401st card: the 1,101st question of its second section.
    questions = "".join(f"  - q: Question {n}?\n    a: Answer {n}.\n" for n in range(1300))
    for name in ("alpha", "beta"):
        _write(
            tmp_path / "notes" / name,
            {
                "reading.yaml": f"title: {name}\n",
                **{f"0{s}-s{s}.yaml": f"title: S{s}\nquestions:\n{questions}" for s in (1, 2)},
            },
        )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)
    result = run("outline", "-f", "pdf", "--layout", "cards")
    assert result.exit_code == 1, result
    assert result.stderr == (
        "notes/beta/02-s2.yaml:2203:1: error: the course pack makes 5,200 cards, more than the "
        "5,000 a PDF of flashcards sets, and this item passes the limit: make two packs of "
        "fewer readings, or print the cards with -f html\n"
    ), result.stderr
    assert not Path("course-pack.pdf").exists()


def test_a_title_with_a_control_character_is_refused(library: Path, run: Runner) -> None:
    # It was printed as given: `--title $'a\x1b[31mb'` coloured the terminal.
    result = run("outline", "-f", "md", "--title", "a\x1b[31mb")
    assert result.exit_code == 2, result
    assert result.stderr == "error: --title holds U+001B ESCAPE: write it without\n"
    assert result.stdout == ""


@pytest.mark.parametrize("brk", ["\n", "\u2028", "\u2029"])
def test_a_title_of_several_lines_is_refused(library: Path, run: Runner, brk: str) -> None:
    # A Markdown pack wrote it as given: its second line became a heading of its own.
    result = run("outline", "-f", "md", "--title", f"Pack{brk}{brk}# Injected")
    assert result.exit_code == 2, result
    assert result.stderr == "error: --title is one line: write it without line breaks\n"
    assert result.stdout == ""
