"""`studykit outline`: the Cornell handout in Markdown, HTML and PDF, as a student reads it.

The Markdown and HTML handouts of the shipped reading are compared with golden files in
tests/data/golden/. After changing the shipped notes or the layout, regenerate them and review
the diff:

    STUDYKIT_UPDATE_GOLDENS=1 python -m pytest tests/test_outline.py tests/test_summary.py
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from conftest import Runner, examples
from handout_helpers import (
    HANDOUT_NOTES,
    check_golden,
    chromium,
    compact,
    html_attrs,
    html_tags,
    html_text,
    markdown_text,
    pdf_pages,
    pdf_text,
    print_to_pdf,
    squash,
)
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from studykit.handouts import fonts
from studykit.notes.library import load

HOSTILE = "a<b & c>d # $ * _ {{ \\ ] Máo Zédōng nǚ 中文"
ANSWERS = ["Answer-one", "Answer-note", "Answer-two", "Answer-three", "Lushan", "1959"]
FORMATS = ["md", "html", "pdf"]


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Notes full of characters that mean something in Markdown, HTML, typst or a cloze."""
    target = tmp_path / "notes"
    shutil.copytree(HANDOUT_NOTES, target)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)
    return target


def visible(source: str) -> str:
    """What notes text shows once its inline Markdown is rendered (as on the cards)."""
    parser = MarkdownIt("commonmark", {"html": False, "breaks": True})
    return html_text(parser.renderInline(source))


def shown(run: Runner, fmt: str, *args: str) -> str:
    """The text a reader sees in the handout of the given format."""
    if fmt == "pdf":
        result = run("outline", "-f", "pdf", "-o", "handout.pdf", *args)
        assert result.exit_code == 0, result
        return pdf_text(Path("handout.pdf").read_bytes())
    result = run("outline", "-f", fmt, *args)
    assert result.exit_code == 0, result
    return markdown_text(result.stdout) if fmt == "md" else html_text(result.stdout)


# -- the shipped reading ---------------------------------------------------------------------


def test_markdown_outline_of_the_shipped_reading(shipped: Path, run: Runner) -> None:
    result = run("outline")
    assert result.exit_code == 0, result
    check_golden("outline.md", result.stdout)


def test_html_outline_of_the_shipped_reading(shipped: Path, run: Runner) -> None:
    result = run("outline", "-f", "html")
    assert result.exit_code == 0, result
    check_golden("outline.html", result.stdout)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_section_title_cue_question_and_point_is_shown(
    shipped: Path, run: Runner, fmt: str
) -> None:
    text = compact(shown(run, fmt))
    reading = load(None, shipped)
    for section in reading.sections:
        assert compact(visible(section.title)) in text, f"title {section.title!r} not in {fmt}"
        for question in section.questions:
            assert compact(visible(question.q)) in text, f"cue {question.q!r} not in {fmt}"
        for point in section.points:
            words = point.cloze.plain() if point.cloze else point.text
            assert compact(visible(words)) in text, f"point {words[:40]!r}… not in {fmt}"
        for term in section.terms:
            assert compact(visible(term.term)) in text, f"term {term.term!r} not in {fmt}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_section_is_headed_by_its_number_and_title(
    shipped: Path, run: Runner, fmt: str
) -> None:
    reading = load(None, shipped)
    sections = reading.sections
    # The handout ends with the works the notes cite, under a heading of its own.
    cites = ["Works cited"] if reading.bibliography or reading.sources else []
    if fmt == "md":
        lines = run("outline").stdout.splitlines()
        headings = [line for line in lines if line.startswith("## ")]
        expected = [f"## {n}. {s.title}" for n, s in enumerate(sections, 1)]
        expected += [f"## {c}" for c in cites]
    elif fmt == "html":
        page = run("outline", "-f", "html").stdout
        headings = [html_text(h) for h in re.findall(r"<h2>.*?</h2>", page)]
        expected = [f"{n} {s.title}" for n, s in enumerate(sections, 1)] + cites
    else:
        from pypdf import PdfReader

        assert run("outline", "-f", "pdf", "-o", "handout.pdf").exit_code == 0
        pages = PdfReader("handout.pdf").pages
        expected = [f"{n} {s.title}" for n, s in enumerate(sections, 1)]
        lines = [line.strip() for page in pages for line in page.extract_text().splitlines()]
        headings = [line for line in lines if line in expected]
    assert headings == expected, f"{fmt} section headings: {headings}"


def test_pdf_without_output_goes_to_the_current_folder(shipped: Path, run: Runner) -> None:
    result = run("outline", "-f", "pdf")
    assert result.exit_code == 0, result
    written = Path("mao-collectivization-outline.pdf")
    assert written.is_file(), result
    assert "wrote mao-collectivization-outline.pdf" in result.stdout, result
    assert pdf_pages(written.read_bytes()) >= 2, "the shipped reading fills several pages"
    assert not list(Path().glob(".*.tmp")), "a temporary file was left behind"


def test_output_folder_gets_the_default_name(shipped: Path, run: Runner) -> None:
    result = run("outline", "-o", "handouts/")
    assert result.exit_code == 0, result
    written = Path("handouts/mao-collectivization-outline.md")
    assert written.read_text(encoding="utf-8").startswith("# The Failure"), result


def test_pdf_to_stdout_with_a_dash(shipped: Path, run: Runner) -> None:
    result = run("outline", "-f", "pdf", "-o", "-")
    assert result.exit_code == 0, result
    assert result.stdout.startswith("%PDF-"), result.stdout[:20]
    assert not Path("-").exists(), "a file named - was written"


def test_format_follows_the_output_suffix(shipped: Path, run: Runner) -> None:
    result = run("outline", "-o", "sheet.html")
    assert result.exit_code == 0, result
    assert Path("sheet.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>"), result


# -- text safety ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_special_characters_come_out_exactly_as_written(
    hostile: Path, run: Runner, fmt: str
) -> None:
    if fmt == "pdf" and fonts.missing_characters("中文"):
        pytest.skip("no CJK font installed (Debian: fonts-wqy-microhei)")
    text = shown(run, fmt)
    for field in [
        "Hostile <script>alert(1)</script> ",
        "Source: ",
        "Reading summary: ",
        "Section <script>alert(1)</script> ",
        "Point ",
        "Annotation ",
        "Term ",
        "Definition ",
        "Term note ",
        "Question ",
        "Answer-one ",
        "Answer-note ",
        "Section summary: ",
    ]:
        expected = squash(field + HOSTILE)
        if fmt == "pdf":
            assert compact(expected) in compact(text), f"{field!r} changed in the PDF:\n{text}"
        else:
            assert expected in text, f"{field!r} changed in {fmt}:\n{text}"
    for literal in ["# not a heading", "1. not a list", "- not a bullet", "> not a quote"]:
        assert compact(literal) in compact(text), f"{literal!r} changed in {fmt}"
    assert compact("<script>alert('x')</script>") in compact(text), fmt


def test_markdown_keeps_notes_out_of_its_structure(hostile: Path, run: Runner) -> None:
    result = run("outline")
    assert result.exit_code == 0, result
    rendered = MarkdownIt("commonmark").render(result.stdout)
    tags = html_tags(rendered)
    assert "script" not in tags, "a note's <script> became an element"
    assert tags.count("h1") == 1, "only the reading's title is a top heading"
    assert tags.count("h2") == 2, "one heading per section"
    assert tags.count("blockquote") == 4, "annotations only are set apart as quotes"


def test_html_runs_no_note_as_markup(hostile: Path, run: Runner) -> None:
    result = run("outline", "-f", "html")
    assert result.exit_code == 0, result
    tags = html_tags(result.stdout)
    assert "script" not in tags, "a note's <script> became an element"
    assert "<script>" not in result.stdout, "raw <script> in the page"
    sources = [value for name, value in html_attrs(result.stdout) if name in ("src", "href")]
    assert all(v and v.startswith(("data:", "https://example.org")) for v in sources), sources
    assert "<link" not in result.stdout and "@import" not in result.stdout, "external assets"
    for rule in ("@page", "break-inside: avoid", "break-after: avoid"):
        assert rule in result.stdout, f"print style {rule!r} missing"


def test_inline_markdown_is_formatted_not_shown_raw(hostile: Path, run: Runner) -> None:
    page = run("outline", "-f", "html").stdout
    assert "<strong>a third</strong>" in page, "bold"
    assert "<em>two</em>" in page, "emphasis"
    assert "<code>grain.csv</code>" in page, "code"
    assert '<a href="https://example.org/a?b=1&amp;c=2">the source</a>' in page, "link"
    assert '<strong class="deletion">Lushan</strong>' in page, "cloze answer in bold"
    text = shown(run, "pdf")
    assert "Output fell by a third in two years, see grain.csv and the source." in text, text
    assert "**" not in text and "{{" not in text.replace("{{ \\ ]", ""), text


def test_math_renders_as_math(hostile: Path, run: Runner) -> None:
    page = run("outline", "-f", "html").stdout
    assert "<math><mrow><msup><mi>x</mi><mn>2</mn></msup>" in page, "x^2 as MathML"
    assert "<mfrac><mi>a</mi><mi>b</mi></mfrac>" in page, "\\frac as MathML"
    assert '<code class="tex">$\\weird{x}$</code>' in page, "unknown LaTeX shown as written"
    text = shown(run, "pdf")
    assert "𝛼 ≤ 𝛽1" in text, f"\\alpha \\le \\beta_1 typeset as math:\n{text}"
    assert "$\\weird{x}$" in text, "unknown LaTeX shown as written"
    md = run("outline").stdout
    assert "`$x^2 + \\frac{a}{b}$`" in md, "Markdown keeps the formula's source"


def test_images_are_embedded_with_their_captions(hostile: Path, run: Runner) -> None:
    page = run("outline", "-f", "html").stdout
    sources = [value for name, value in html_attrs(page) if name == "src"]
    assert len(sources) == 1, sources
    assert sources[0] and sources[0].startswith("data:image/png;base64,iVBOR"), sources[0][:40]
    assert "A map of the famine provinces" in html_text(page), "caption"
    assert "A map of the famine provinces" in shown(run, "pdf"), "caption in the PDF"
    md = run("outline").stdout
    assert "![A map of the famine provinces](<notes/hostile/figures/map.png>)" in md, md
    assert Path("notes/hostile/figures/map.png").is_file(), "the Markdown path resolves"


# -- answers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_answers_none_leaves_no_answer_text(hostile: Path, run: Runner, fmt: str) -> None:
    text = shown(run, fmt, "--answers", "none")
    for answer in ANSWERS:
        assert answer not in text, f"{answer!r} shown with --answers none in {fmt}"
    # Whatever states an answer stays off a self-test sheet; what asks for one stays on it.
    assert "Peng Dehuai was purged there." not in text, "a cloze point's annotation gives it away"
    assert "Definition a<b" not in text and "Term note" not in text, "the glossary gives terms away"
    assert "Annotation a<b" not in text and "Point a<b" not in text, "a plain point states facts"
    assert "summary:" not in text, "a summary restates the answers"
    assert "Term a<b" in text, "the terms themselves stay, to recall their definitions"
    assert "Question a<b" in text, "the cue questions stay"
    assert "conference met in" in text, "the cloze point stays, with blanks"


def test_answers_none_blanks_show_the_hint(hostile: Path, run: Runner) -> None:
    text = markdown_text(run("outline", "--answers", "none").stdout)
    assert "The […] conference met in [year]." in text, text


@pytest.mark.parametrize("fmt", FORMATS)
def test_answers_end_are_in_a_key_after_the_sections(hostile: Path, run: Runner, fmt: str) -> None:
    text = shown(run, fmt, "--answers", "end")
    key = text.find("Answer key")
    assert key > text.find("Formatting, math and figures"), (
        f"no key after the last section:\n{text}"
    )
    for answer in ["Answer-one", "Answer-note", "Answer-two", "Answer-three"]:
        assert text.find(answer) > key, f"{answer!r} not in the key ({fmt})"


def test_answers_inline_sit_under_their_question(hostile: Path, run: Runner) -> None:
    text = markdown_text(run("outline").stdout)
    assert text.find("Question a<b") < text.find("Answer-one") < text.find("Notes"), text
    assert "Answer key" not in text, "no key when answers are inline"


# -- mistakes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args", [["-f", "docx"], ["--answers", "some"], ["-f", "text"], ["--answers", ""]]
)
def test_bad_options_are_usage_errors(hostile: Path, run: Runner, args: list[str]) -> None:
    result = run("outline", *args)
    assert result.exit_code == 2, result
    assert "choose one of" in result.stderr, result
    assert result.stdout == "", "nothing printed besides the error"


def test_broken_notes_name_file_and_line_and_write_nothing(hostile: Path, run: Runner) -> None:
    section = hostile / "hostile" / "02-formatting.yaml"
    section.write_text(
        section.read_text(encoding="utf-8").replace("questions:", "questons:"), encoding="utf-8"
    )
    for fmt in FORMATS:
        result = run("outline", "-f", fmt, "-o", f"out.{fmt}")
        assert result.exit_code == 1, result
        assert "02-formatting.yaml:7:1: error: unknown key 'questons'" in result.stderr, result
        assert "Traceback" not in result.output, result
        assert not Path(f"out.{fmt}").exists(), f"{fmt} written from broken notes"


def test_a_failed_pdf_keeps_the_previous_file(hostile: Path, run: Runner) -> None:
    Path("handout.pdf").write_bytes(b"previous")
    image = hostile / "hostile" / "figures" / "map.png"
    image.write_bytes(image.read_bytes()[:40])  # a PNG cut short
    result = run("outline", "-f", "pdf", "-o", "handout.pdf")
    assert result.exit_code == 1, result
    assert (
        "02-formatting.yaml:5:12: error: image 'figures/map.png' is damaged: the file ends "
        "before its last chunk (it may be cut short)"
    ) in result.stderr, result
    assert "Traceback" not in result.output, result
    assert Path("handout.pdf").read_bytes() == b"previous", "old handout overwritten"
    assert sorted(p.name for p in Path().iterdir()) == ["handout.pdf", "notes"], "temp left"


def test_never_overwrites_a_file_of_the_notes(hostile: Path, run: Runner) -> None:
    target = hostile / "hostile" / "reading.yaml"
    before = target.read_bytes()
    result = run("outline", "-o", str(target))
    assert result.exit_code == 2, result
    assert "does not go in" in result.stderr or "not .yaml" in result.stderr, result
    assert target.read_bytes() == before, "notes overwritten"
    handout = hostile / "hostile" / "handout.md"
    handout.write_text("mine", encoding="utf-8")
    result = run("outline", "-o", str(handout))
    assert result.exit_code == 1, result
    assert "will not overwrite" in result.stderr, result
    assert handout.read_text(encoding="utf-8") == "mine", "a file in the notes folder overwritten"
    beside = hostile / "README.txt"
    beside.write_text("mine", encoding="utf-8")
    result = run("summary", "-o", str(beside))
    assert result.exit_code == 1, result
    assert beside.read_text(encoding="utf-8") == "mine", "a file in the notes folder overwritten"


@pytest.mark.parametrize(
    ("command", "output"),
    [
        (("outline",), "out.docx"),
        (("summary",), "out.pdf"),
        (("outline", "-f", "md"), "out.pdf"),
        (("outline", "-f", "pdf"), "out.md"),
        (("outline",), "notes/hostile/06-extra.yaml"),
    ],
)
def test_an_output_suffix_that_names_another_format_is_refused(
    hostile: Path, run: Runner, command: tuple[str, ...], output: str
) -> None:
    result = run(*command, "-o", output)
    assert result.exit_code == 2, result
    assert f"-o {output}:" in result.stderr, result
    assert not Path(output).exists(), "nothing written"


def test_help_says_what_none_hides(run: Runner) -> None:
    result = run("outline", "--help")
    assert result.exit_code == 0, result
    assert "none also blanks cloze" in squash(result.stdout), result.stdout


# -- fonts ------------------------------------------------------------------------------------


def test_characters_no_font_has_are_named_in_a_warning(hostile: Path, run: Runner) -> None:
    rare = "\U00013000"  # an Egyptian hieroglyph: in almost no font
    if not fonts.missing_characters(rare):
        pytest.skip("this machine has a font with Egyptian hieroglyphs")
    summary = hostile / "hostile" / "reading.yaml"
    summary.write_text(
        summary.read_text(encoding="utf-8") + f'tags: ["{rare}"]\n', encoding="utf-8"
    )
    (hostile / "hostile" / "01-escapes.yaml").write_text(
        (hostile / "hostile" / "01-escapes.yaml")
        .read_text(encoding="utf-8")
        .replace("Point a<b", f"Point {rare} a<b"),
        encoding="utf-8",
    )
    result = run("outline", "-f", "pdf", "-o", "handout.pdf")
    assert result.exit_code == 0, result
    assert f"warning: no installed font has 1 character(s) of these notes ({rare})" in (
        result.stderr
    ), result
    assert Path("handout.pdf").is_file(), "the handout is still written"


def test_the_cjk_warning_names_a_font_to_install() -> None:
    (message,) = fonts.warnings(["中", "文"])
    assert "中文" in message and "fonts-wqy-microhei" in message, message


def test_chinese_and_pinyin_render_when_a_cjk_font_is_installed(hostile: Path, run: Runner) -> None:
    if fonts.missing_characters("中文"):
        pytest.skip("no CJK font installed (Debian: fonts-wqy-microhei)")
    result = run("outline", "-f", "pdf", "-o", "handout.pdf")
    assert result.exit_code == 0, result
    assert "warning" not in result.stderr, result
    assert "Máo Zédōng nǚ 中文" in pdf_text(Path("handout.pdf").read_bytes()), "lost glyphs"


# -- the HTML printed by a browser --------------------------------------------------------------


def test_the_html_prints_like_the_pdf(shipped: Path, run: Runner, tmp_path: Path) -> None:
    browser = chromium()
    if browser is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    assert run("outline", "-f", "html", "-o", "handout.html").exit_code == 0
    assert run("outline", "-f", "pdf", "-o", "handout.pdf").exit_code == 0
    printed = print_to_pdf(browser, Path("handout.html"), tmp_path / "printed.pdf", tmp_path / "p")
    typeset = Path("handout.pdf").read_bytes()
    assert abs(pdf_pages(printed) - pdf_pages(typeset)) <= 1, (
        f"browser {pdf_pages(printed)} pages, typst {pdf_pages(typeset)} pages"
    )
    text = compact(unicodedata.normalize("NFKC", pdf_text(printed)))  # browsers set ligatures
    for section in load(None, shipped).sections:
        assert compact(visible(section.title)) in text, f"{section.title!r} not printed"


# Notes text without `$` (a card writes `$x$` as `\(x\)` for MathJax, while a handout keeps the
# formula as written); `\(...\)` and `\[...\]` can still be spelled from the pieces.
_NOTES_TEXT = st.lists(
    st.sampled_from(
        [*"ab1 #*_`[]()<>&\\{}~-+=.:|\n\"'", "**x**", "*y*", "`c`", "[l](https://e.org)",
         "&amp;", "中", "ǚ", "1. ", "- ", "> ", "# "]
    ),
    max_size=25,
).map("".join)  # fmt: skip


def card_text(source: str) -> str:
    """The text of a card's field for notes text, as Anki receives it (studykit.notes.markup).

    A formula stays there as its source, `\\(...\\)` or `\\[...\\]`, for Anki's MathJax to set;
    the Markdown handout keeps it as that source too, in code type.
    """
    from studykit.notes.markup import to_html

    return html_text(to_html(source))


@settings(max_examples=examples(300), deadline=None)
@given(_NOTES_TEXT)
@example(r"\[l](https://e.org)\]")  # display math on the card, not an escaped link
@example(r"`c`\(a\)\(b\)")  # code beside formulas: three code spans, no fence between them
@example("\\[a\n# b\\]")  # a formula across lines: no line of its own to read as a heading
def test_markdown_shows_any_note_as_the_cards_do(text: str) -> None:
    from studykit.handouts.markdown import _Writer
    from studykit.notes.inline import parse

    expected = card_text(text)
    for width in (100, 12):  # 12: lines wrap at nearly every space
        writer = _Writer(None, width)
        item = writer.item("- ", writer.inline(parse(text))).replace("\ue020", " ")
        rendered = markdown_text(item)
        assert rendered == expected, f"{text!r} -> {item!r}"


@settings(max_examples=examples(300), deadline=None)
@given(_NOTES_TEXT)
def test_html_shows_any_note_as_the_cards_do(text: str) -> None:
    from studykit.handouts.html import inline_html
    from studykit.notes.inline import parse
    from studykit.notes.markup import MATH

    # A formula is set as MathML here and by MathJax on the card: test_handout_math.py.
    assume(MATH.search(text) is None)
    page = inline_html(parse(text))
    assert html_text(page) == squash(visible(text)), f"{text!r} -> {page!r}"
    assert not {"script", "img"} & set(html_tags(page)), page


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_text_handouts_do_not_load_the_typesetter(shipped: Path, fmt: str) -> None:
    probe = (
        "import sys; sys.argv = ['studykit', 'outline', '-f', sys.argv[1], '-o', 'x']\n"
        "from studykit.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('TYPST' if 'typst' in sys.modules else 'NONE')"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, fmt], capture_output=True, text=True, check=False
    )
    assert done.stdout.strip().endswith("NONE"), done.stdout + done.stderr
    assert Path("x").is_file(), done.stderr


_STARRED_TEXT = st.lists(
    st.sampled_from(["a", "bc", " ", "*", "**", ".", ",", "(", ")", "é", "1", ":", "-"]),
    max_size=30,
).map("".join)


@settings(max_examples=examples(500), deadline=None)
@given(_STARRED_TEXT)
def test_emphasis_read_without_the_parser_matches_it(text: str) -> None:
    from studykit.handouts.html import inline_html
    from studykit.notes.inline import parse

    page = inline_html(parse(text))
    expected = MarkdownIt("commonmark", {"html": False, "breaks": True}).renderInline(text)
    assert page == expected.replace("<br />", "<br>"), f"{text!r}: {page!r} != {expected!r}"
