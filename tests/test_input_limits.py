"""Hard limits on what the loaders take in, each found by an audit and reproduced here first.

Every limit ends in one located line on stderr (`path:line:col: error: ...`) and exit 1 (exit 2
for a command line the file system cannot follow), never a traceback or a run out of memory, and
a refused command writes nothing. Inputs stay small: a guard that regressed fails an assert here,
it does not take minutes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Runner, examples
from hypothesis import given, settings
from hypothesis import strategies as st

from studykit.errors import StudykitError
from studykit.handouts import textrank
from studykit.handouts.textrank import MAX_RANKED
from studykit.ingest.pipeline import ID_NAME_ROOM, name_max
from studykit.ingest.sections import MAX_SECTION_ID_CHARS, section_id_for
from studykit.ingest.sentence_scoring import MAX_SENTENCE_CHARS
from studykit.ingest.sources import MAX_HTML_BYTES, MAX_SOURCE_BYTES
from studykit.ingest.yaml_writer import quote
from studykit.notes import latex
from studykit.notes.inline import Span, formula
from studykit.notes.mathtext import MAX_FORMULA_DEPTH, to_unicode
from studykit.notes.strict_yaml import MAX_LINE_CHARS, MAX_NESTING, parse_yaml
from studykit.notes.validate import load_reading

SECTION = "notes/demo/02-more.yaml"
NESTED = (
    f"nesting too deep: lists and mappings go more than {MAX_NESTING} levels in here, where "
    "a section needs 3 (questions, an item, its keys): check the brackets and indentation"
)


def refused(run: Runner, *args: str, code: int = 1) -> str:
    """The one error line a refused command prints (beside its one-line tally, if any)."""
    result = run(*args)
    assert result.exit_code == code, result
    assert result.exception is None, f"a traceback, not a message: {result.exception!r}"
    lines = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(lines) == 1, result
    return lines[0]


def write_section(notes: Path, text: str) -> None:
    (notes / "demo" / "02-more.yaml").write_text(text, encoding="utf-8")


# -- anchors, aliases and tags, whatever comes before them ---------------------------------------


def alias_bomb(before: str, levels: int = 6, width: int = 6) -> str:
    """The audit's file in small: each anchor and alias right after `before` (a line break libyaml
    knows and the old guard did not), each level `width` aliases of the one below. At 150 KB it
    took 21 s and 2.97 GB; this one would expand to 6**6 texts if it were ever read."""
    lists = [f"{before}&l0 [" + ",".join(["lol"] * width) + "]"]
    for level in range(1, levels):
        aliases = ",".join([f"{before}*l{level - 1}"] * width)
        lists.append(f"{before}&l{level} [{aliases}]")
    return "title: Bomb\npoints: [" + ",".join(lists) + "]\n"


@pytest.mark.parametrize(
    "before", ["\u0085", "\u2028", "\u2029"], ids=["NEL U+0085", "LS U+2028", "PS U+2029"]
)
def test_alias_bomb_after_unicode_line_breaks_is_refused(
    notes: Path, run: Runner, before: str
) -> None:
    write_section(notes, alias_bomb(before))
    line = refused(run, "deck", "demo")
    # libyaml counts the break as a line: the first anchor is at the start of line 3.
    assert line == f"{SECTION}:3:1: error: anchors (&l0) are not allowed", line
    assert not (notes.parent / "cards").exists(), "a refused build writes no deck"


@pytest.mark.parametrize(
    ("text", "at", "message"),
    [
        ('title: A\nsummary: {"a":&x b}\n', "2:15", "anchors (&x) are not allowed"),
        ("title: A\ntags: [?&x a]\n", "2:9", "anchors (&x) are not allowed"),
        ('title: A\ntags: {"a":*x}\n', "2:12", "aliases (*x) are not allowed; write the text out"),
        (
            "title: A\ntags: [a,\n\ufeff*x]\n",
            "3:2",
            "aliases (*x) are not allowed; write the text out",
        ),
        (
            "title: A\ntags: [\u2028!!str x]\n",
            "3:1",
            "tags (!!str) are not allowed; every value is plain text",
        ),
    ],
    ids=[
        "after a JSON key's colon",
        "after a flow ?",
        "alias after a colon",
        "after a BOM",
        "tag after LS",
    ],
)
def test_anchor_alias_or_tag_after_any_separator_is_refused(
    notes: Path, run: Runner, text: str, at: str, message: str
) -> None:
    write_section(notes, text)
    line = refused(run, "check", "demo")
    assert line == f"{SECTION}:{at}: error: {message}", line


def test_a_bare_exclamation_mark_is_not_dropped_from_the_text(notes: Path, run: Runner) -> None:
    # YAML reads `! Important` as the text "Important" with an untyped tag: the `!` vanished.
    write_section(notes, "title: ! Important\n")
    line = refused(run, "check", "demo")
    assert line == (
        f"{SECTION}:1:8: error: tags (!) are not allowed; every value is plain text (a value "
        'that starts with ! must be in quotes: write title: "! Important")'
    ), line


# -- nesting, line length ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("title: A\ntags: " + "[" * 60 + "]" * 60 + "\n", f"2:{6 + MAX_NESTING}"),
        (
            "title: A\npoints:\n"
            + "".join(" " * 2 * i + "-\n" for i in range(60))
            + " " * 120
            + "x\n",
            f"{2 + MAX_NESTING}:{2 * MAX_NESTING - 1}",
        ),
        ("title: A\ntags: " + "[" * 1200 + "]" * 1200 + "\n", "2:1006"),
    ],
    ids=["flow lists 60 deep", "block lists 60 deep", "past libyaml's own 1,000"],
)
def test_deep_nesting_is_refused_where_it_passes_the_limit(
    notes: Path, run: Runner, text: str, at: str
) -> None:
    write_section(notes, text)
    line = refused(run, "check", "demo")
    assert line == f"{SECTION}:{at}: error: {NESTED}", line


def test_nesting_limit_is_exact() -> None:
    lists = MAX_NESTING - 1  # inside the file's mapping: 50 levels in all
    node = parse_yaml("a: " + "[" * lists + "]" * lists + "\n", Path("x"))
    assert node is not None, "50 levels are read"
    with pytest.raises(StudykitError) as caught:
        parse_yaml("a: " + "[" * (lists + 1) + "]" * (lists + 1) + "\n", Path("x"))
    assert (caught.value.line, caught.value.col) == (1, 4 + lists), "51 are not, at the 51st"


def test_overlong_line_is_refused_at_the_first_character_past_the_limit(
    notes: Path, run: Runner
) -> None:
    write_section(notes, "title: A\nsummary: " + "word " * 2_000 + "\n")
    line = refused(run, "check", "demo")
    assert line == (
        f"{SECTION}:2:{MAX_LINE_CHARS + 1}: error: this line is 10,009 characters long; notes "
        "lines hold at most 10,000: break it over several lines (in plain text or a `>` block "
        "YAML joins them with spaces)"
    ), line


def test_line_at_the_limit_is_read(notes: Path, run: Runner) -> None:
    write_section(notes, "title: A\nsummary: " + "x" * (MAX_LINE_CHARS - 9) + "\n")
    result = run("check", "demo")
    assert result.exit_code == 0, result


# -- formula depth -------------------------------------------------------------------------------


def deep_formula(depth: int) -> str:
    return "\\(" + "{" * depth + "x" + "}" * depth + "\\)"


def test_formula_500_braces_deep_fails_check_not_outline(notes: Path, run: Runner) -> None:
    # The audit's case: `check` passed it, then `outline -f html` died of RecursionError.
    write_section(notes, f"title: More\nsummary: 'See {deep_formula(500)}.'\n")
    expected = (
        f"{SECTION}:2:{16 + MAX_FORMULA_DEPTH + 1}: error: this formula nests `{{...}}` more than "
        f"{MAX_FORMULA_DEPTH} deep; no formula needs that many: check its braces, or split it"
    )
    assert refused(run, "check", "demo") == expected
    assert refused(run, "outline", "demo", "-f", "html", "-o", "out.html") == expected
    assert not Path("out.html").exists(), "a refused outline writes nothing"


def test_formula_at_the_depth_limit_renders(notes: Path, run: Runner) -> None:
    write_section(
        notes, f"title: More\nsummary: 'See \\(\\frac{{{'{' * 31}x{'}' * 31}}}{{2}}\\).'\n"
    )
    assert run("check", "demo").exit_code == 0
    result = run("outline", "demo", "-f", "html", "-o", "out.html")
    assert result.exit_code == 0, result
    assert "<mfrac><mi>x</mi><mn>2</mn></mfrac>" in Path("out.html").read_text(), "as MathML"


@pytest.mark.parametrize(
    "tex",
    [
        "{" * 500 + "x" + "}" * 500,
        r"\sqrt" * 500 + "x",
        r"\frac" * 500 + "x" * 501,
        "x^{" * 400 + "}" * 400,
    ],
    ids=["braces", "bare sqrt chain", "bare frac chain", "scripts"],
)
def test_renderers_show_a_too_deep_formula_as_written(tex: str) -> None:
    # What reaches a renderer without `check` (a test, a future command): never RecursionError.
    with pytest.raises(latex.LatexError, match="nested too deeply"):
        latex.parse(tex)
    assert formula(Span("math", tex, source=f"\\({tex}\\)")) is None, "the HTML/PDF page's source"
    assert to_unicode(tex) is None, "the terminal shows it as written"


def _environments(depth: int, name: str = "pmatrix") -> str:
    return f"\\begin{{{name}}}" * depth + "x" + f"\\end{{{name}}}" * depth


def test_nested_environments_fail_check_and_show_at_the_one_too_deep(
    notes: Path, run: Runner
) -> None:
    # The audit's case: braces never nest past 1, so `check` passed and `show` died of
    # RecursionError in pylatexenc's reading of environments.
    write_section(
        notes, "title: More\npoints:\n  - text: '$" + "\\begin{a}" * 350 + "$ {{x}} here'\n"
    )
    expected = (
        f"{SECTION}:3:{12 + 9 * MAX_FORMULA_DEPTH + 1}: error: this formula nests "
        f"`\\begin{{...}}` more than {MAX_FORMULA_DEPTH} deep; no formula needs that many: "
        "check its \\begin and \\end, or split it"
    )
    assert refused(run, "check", "demo") == expected
    shown = run("show", "demo", "--no-pager")
    assert shown.exit_code == 1 and shown.exception is None, shown
    assert shown.stderr == f"{expected} (section not shown)\n", (
        "the other section is shown, this one is named"
    )


def test_optional_arguments_count_as_nesting(notes: Path, run: Runner) -> None:
    write_section(
        notes, "title: More\nsummary: 'See \\(" + "\\sqrt[" * 40 + "x" + "]y" * 40 + "\\).'\n"
    )
    expected = (
        f"{SECTION}:2:{16 + 6 * MAX_FORMULA_DEPTH + 6}: error: this formula nests `\\name[...]` "
        f"more than {MAX_FORMULA_DEPTH} deep; no formula needs that many: check its brackets, "
        "or split it"
    )
    assert refused(run, "check", "demo") == expected


def test_environments_at_the_depth_limit_render(notes: Path, run: Runner) -> None:
    write_section(
        notes, f"title: More\nsummary: 'See \\({_environments(MAX_FORMULA_DEPTH - 1)}\\).'\n"
    )
    assert run("check", "demo").exit_code == 0
    assert to_unicode(_environments(MAX_FORMULA_DEPTH - 1)) is not None, "pylatexenc reads it"


@pytest.mark.parametrize(
    "tex",
    [
        _environments(1000),
        "\\begin{a}" * 350 + "x",
        "\\sqrt[" * 500 + "x" + "]{y}" * 500,
    ],
    ids=["matrix", "unknown environment", "optional arguments"],
)
def test_terminal_shows_too_deep_environments_as_written(tex: str) -> None:
    # What reaches the terminal without `check`: shown as written, never RecursionError.
    assert to_unicode(tex) is None


def test_terminal_shows_a_formula_pylatexenc_fails_on_as_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Whatever pylatexenc raises (its stack past a limit this check missed, a bug of its own).
    from pylatexenc import latexwalker

    def fails(self: object, *args: object, **kwargs: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(latexwalker.LatexWalker, "get_latex_nodes", fails)
    assert to_unicode("\\frac{a}{b}") is None


# -- ingest: charsets, --id, sentences and lines -------------------------------------------------


def page(charset: str) -> str:
    return (
        f'<html><head><meta charset="{charset}"><title>Page</title></head>'
        "<body><p>The communes were set up in 1958.</p></body></html>"
    )


@pytest.mark.parametrize(
    "charset", ["rot13", "unicode_escape", "punycode", "base64", "hex", "zlib", "utf-7", "idna"]
)
def test_charset_that_is_no_text_encoding_is_refused(here: Path, run: Runner, charset: str) -> None:
    Path("page.html").write_text(page(charset), encoding="ascii")
    line = refused(run, "ingest", "page.html")
    assert line == (
        f"page.html:1:28: error: the page declares charset {charset!r}, which is not a text "
        "encoding; save it as UTF-8 (or correct its <meta charset>)"
    ), line
    assert not Path("notes").exists() or not any(Path("notes").iterdir()), "nothing written"


@pytest.mark.parametrize(("charset", "expected"), [("latin-1", "Ã©"), ("no-such-charset", "é")])
def test_real_or_unknown_charset_is_still_read(
    here: Path, run: Runner, charset: str, expected: str
) -> None:
    text = page(charset).replace("were", "were é")
    Path("page.html").write_bytes(text.encode("utf-8"))
    assert run("ingest", "page.html", "--id", "page").exit_code == 0
    assert expected in Path("notes/page/01-text.yaml").read_text(encoding="utf-8")


def test_standard_input_is_read_to_the_same_limit_as_a_file(here: Path, run: Runner) -> None:
    # The audit's case: 300 MB piped in grew to 5.8 GB, where a file that size is refused.
    result = run("ingest", "-", input=b"word " * (MAX_SOURCE_BYTES // 5 + 1))
    assert result.exit_code == 1, result
    assert result.stderr == (
        "standard input: error: more than 67,108,864 bytes; ingest reads readings up to "
        "67,108,864\n"
    )
    assert not Path("notes").exists() or not any(Path("notes").iterdir()), "nothing written"


@pytest.mark.parametrize("given", ["file", "stdin"])
def test_a_web_page_too_large_for_its_tree_is_refused_in_one_line(
    here: Path, run: Runner, given: str
) -> None:
    # Each byte of HTML took 140-300 in memory: a 6.4 MB page of nested lists ended in a
    # MemoryError under a 1.5 GB limit, and 64 MB pages would need gigabytes.
    page = b"<html><body>" + b"<p>Text.</p>" * (MAX_HTML_BYTES // 12 + 1) + b"</body></html>"
    Path("big.html").write_bytes(page)
    result = run("ingest", "big.html") if given == "file" else run("ingest", "-", input=page)
    where = "big.html" if given == "file" else "standard input"
    assert result.exit_code == 1, result
    assert result.stderr == (
        f"{where}: error: a web page of {len(page):,} bytes; ingest reads pages up to "
        "8,388,608 (each byte of HTML takes hundreds in memory): save it as text, or ingest it "
        "in parts\n"
    ), result.stderr
    assert not Path("notes").exists() or not any(Path("notes").iterdir()), "nothing written"


def test_a_source_named_like_the_identity_record_is_copied_as_source_txt(
    here: Path, run: Runner
) -> None:
    # Copied as it was named, `deck` read it as the reading's identity record and refused it.
    Path("identities.lock").write_text(
        "My Title\n\nIntroduction\n\nThe year 1958 was a big year.\n", encoding="utf-8"
    )
    assert run("ingest", "identities.lock", "--format", "txt", "--id", "lockdemo").exit_code == 0
    assert sorted(p.name for p in Path("notes/lockdemo").iterdir()) == [
        "01-introduction.yaml",
        "reading.yaml",
        "source.txt",
    ]
    assert run("deck", "lockdemo").exit_code == 0


def test_headings_run_together_make_a_section_id_a_file_name_can_hold(
    here: Path, run: Runner
) -> None:
    # Sixty "Chapter N" lines with nothing between joined into one section, whose id took every
    # word: "File name too long".
    chapters = "".join(f"Chapter {n}\n\n" for n in range(1, 61))
    Path("book.txt").write_text(
        f"My Book\n\n{chapters}The first chapter begins in 1958.\n", encoding="utf-8"
    )
    assert run("ingest", "book.txt").exit_code == 0
    [section] = Path("notes/book").glob("01-*.yaml")
    assert len(section.stem) <= 3 + MAX_SECTION_ID_CHARS
    assert run("check", "book").exit_code == 0


def test_a_word_longer_than_an_id_is_cut_to_one() -> None:
    assert section_id_for("Supercalifragilistic" * 15, set(), 1) == "supercalifragilistic" * 2


def test_id_longer_than_the_file_system_allows_is_a_usage_error(here: Path, run: Runner) -> None:
    # The audit's case: 256 characters made the folder name, and the system refused it.
    Path("notes").mkdir()
    Path("a.txt").write_text("Some text.\n", encoding="utf-8")
    longest = name_max(Path("notes")) - ID_NAME_ROOM
    line = refused(run, "ingest", "a.txt", "--id", "a" * 256, code=2)
    assert line == (
        f"error: --id is 256 characters long; on this file system a reading id can have at most "
        f"{longest} (names are limited to {longest + ID_NAME_ROOM} bytes, and studykit adds to "
        "the id for files it makes): choose a shorter id"
    ), line
    assert not any(Path("notes").iterdir()), "nothing written"
    assert run("ingest", "a.txt", "--id", "a" * longest).exit_code == 0, "the longest is fine"
    assert run("deck", "a" * longest).exit_code == 0, "and so are the files made from it"


def test_one_sentence_paragraph_of_400_kb_is_drafted_without_it(here: Path, run: Runner) -> None:
    # The audit's case: the sentence went into the summary and the answer too, the file passed
    # 1 MB, and ingest reported an internal error.
    words = ("the state procured grain that cadres had over reported " * 8_000).split()
    sentence = " ".join(words).capitalize() + "."
    Path("long.txt").write_text(f"A short opening sentence here.\n\n{sentence}\n", "utf-8")
    result = run("ingest", "long.txt")
    assert result.exit_code == 0, result
    files = [p.read_text(encoding="utf-8") for p in sorted(Path("notes/long").glob("0*.yaml"))]
    assert [len(text.encode()) < 500_000 for text in files] == [True, True], "it has a part"
    assert max(len(line) for text in files for line in text.split("\n")) <= MAX_LINE_CHARS
    written = "".join(files)
    assert written.count("cadres") == sentence.count("cadres"), "in the excerpt, once"
    assert run("check", "long").exit_code == 0, "the drafts read back"


@pytest.mark.parametrize("size", [MAX_SENTENCE_CHARS, MAX_SENTENCE_CHARS + 1])
def test_a_sentence_longer_than_a_card_quotes_is_kept_but_not_drafted(
    here: Path, run: Runner, size: int
) -> None:
    opening = "Grain quotas were set at "
    sentence = opening + "x" * (size - len(opening) - 1) + "."
    Path("one.txt").write_text(sentence + "\n", encoding="utf-8")
    assert run("ingest", "one.txt").exit_code == 0
    (section,) = load_reading(Path("notes/one")).sections
    assert (section.summary, section.points) == (None, ()), "no card quotes 5,000 characters"
    assert section.excerpt == sentence, "the excerpt keeps it either way"
    text = Path("notes/one/01-text.yaml").read_text("utf-8")
    assert "# TODO summary:" in text, "the summary is left to the student, and said so"


def test_paragraph_on_one_line_longer_than_a_notes_line_is_broken_at_spaces(
    here: Path, run: Runner
) -> None:
    paragraph = " ".join(f"Sentence {n} says what the communes did in 1958." for n in range(500))
    title = "A heading " * 1_500
    Path("page.html").write_text(f"<h1>{title}</h1><p>{paragraph}</p>", encoding="utf-8")
    result = run("ingest", "page.html", "--id", "page")
    assert result.exit_code == 0, result
    files = [p.read_text(encoding="utf-8") for p in Path("notes/page").glob("*.yaml")]
    assert max(len(line) for text in files for line in text.split("\n")) <= MAX_LINE_CHARS
    assert run("check", "page").exit_code == 0, "every file reads back"
    (section,) = load_reading(Path("notes/page")).sections
    assert section.excerpt is not None
    assert section.excerpt.replace("\n", " ") == paragraph, "broken at spaces, nothing lost"
    assert load_reading(Path("notes/page")).title == title.strip(), "a long title, exactly"


@settings(max_examples=examples(30), deadline=None)
@given(
    st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=40),
    st.integers(9_000, 25_000),
)
def test_long_values_ingest_writes_read_back_exactly(pattern: str, size: int) -> None:
    text = (pattern * (size // len(pattern) + 1))[:size]  # spaces, escapes, breaks at any place
    written = f"title: x\nterms:\n  - term: a\n    definition: {quote(text)}\n"
    assert max(len(line) for line in written.split("\n")) <= MAX_LINE_CHARS
    node = parse_yaml(written, Path("x.yaml"))
    assert node is not None
    assert node.value[1][1].value[0].value[1][1].value == text, "read back exactly"


def test_summary_of_a_long_excerpt_ranks_a_shortlist(monkeypatch: pytest.MonkeyPatch) -> None:
    # 3,000 sentences took 14 s and 380 MB, a 256 KB section would have run out of memory:
    # TextRank compares every sentence with every other.
    ranked: list[int] = []
    rank = textrank.rank
    monkeypatch.setattr(textrank, "rank", lambda items: ranked.append(len(items)) or rank(items))
    filler = [f"Item{n} alone{n} here{n}." for n in range(3 * MAX_RANKED)]
    echo = [f"Grain quotas and the harvest, again {n}." for n in range(20)]
    picked = textrank.summarize(" ".join(filler[:500] + echo + filler[500:]), 2)
    assert ranked == [MAX_RANKED], "only a shortlist is compared pairwise"
    assert picked == echo[:2], "the sentences sharing words, not the filler; ties to the first"


@pytest.mark.parametrize(
    ("encoding", "said"),
    [
        ("utf-32", "text is UTF-32; save it as UTF-8"),
        ("utf-16", "text is UTF-16; save it as UTF-8"),
    ],
)
def test_a_wide_unicode_file_is_named_for_its_encoding(
    here: Path, run: Runner, encoding: str, said: str
) -> None:
    source = here / "wide.txt"
    source.write_bytes("Title\n\nSome text here.\n".encode(encoding))  # with its BOM
    big = here / "wide-be.txt"
    big.write_bytes(b"\x00\x00\xfe\xff" + "Title\n\nText.\n".encode("utf-32-be"))
    for path in (source, big) if encoding == "utf-32" else (source,):
        result = run("ingest", str(path))
        assert result.exit_code == 1, result
        assert f"{path.name}: error: {said}" in result.output, result
