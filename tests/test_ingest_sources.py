"""Splitting readings into sections: headings found, and every paragraph kept, in order, once."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import DATA, REPO, examples
from hypothesis import given, settings
from hypothesis import strategies as st

from studykit.ingest.sections import PlannedSection, plan_sections
from studykit.ingest.sources import Document, RawSection, Source, parse, read_source

INGEST = DATA / "ingest"


def plan(path: Path, data: bytes | None = None) -> tuple[str | None, list[PlannedSection]]:
    source = read_source(path)
    if data is not None:
        source = Source(data, source.name, source.format, source.path)
    document = parse(source)
    return document.title, plan_sections(document)


def squeeze(text: str) -> str:
    """Text with whitespace aside."""
    return "".join(text.split())


def kept_lines(sections: list[PlannedSection]) -> list[str]:
    lines = [line for s in sections for p in s.paragraphs for line in p.split("\n")]
    return [squeeze(line) for line in lines if line.strip()]


def source_lines(path: Path, headings: list[str], skip: int = 0) -> list[str]:
    """The source's non-blank lines without the heading lines, whitespace aside."""
    lines = path.read_text(encoding="utf-8").split("\n")[skip:]
    drop = {squeeze(h) for h in headings}
    return [squeeze(line) for line in lines if line.strip() and squeeze(line) not in drop]


def test_shipped_source_sections() -> None:
    path = REPO / "notes" / "mao-collectivization" / "failure-of-mao-collectivization.txt"
    title, sections = plan(path)
    assert title == "The Failure of Mao Zedong's Collectivization", title
    assert [(s.id, s.title) for s in sections] == [
        ("introduction", "Introduction"),
        ("policies", "Policies and Economic Miscalculations"),
        ("ideology", "Ideological Motivations and Social Impact"),
        ("international", "International Ramifications and Lessons Learned"),
        ("conclusion", "Conclusion"),
    ], sections
    headings = [title] + [s.title for s in sections if s.headed]
    assert kept_lines(sections) == source_lines(path, headings), "every paragraph, in order"


WRAPPED_HEADINGS = ["1. The Plan", "2. The Work Sites", "II. RESULTS AND COSTS", "Part 3"]
# As the sections are titled: numbers are the files' order, capitals are put in title case.
WRAPPED_TITLES = ["The Plan", "The Work Sites", "Results and Costs", "Part 3"]


def test_wrapped_text_with_numbered_roman_and_upper_case_headings() -> None:
    path = INGEST / "wrapped-numbered.txt"
    title, sections = plan(path)
    assert title == "The Irrigation Campaign of 1957-58", title
    assert [s.title for s in sections] == ["Introduction", *WRAPPED_TITLES], sections
    assert [s.id for s in sections] == ["introduction", "plan", "work", "results", "part-3"]
    assert [len(s.paragraphs) for s in sections] == [2, 2, 1, 1, 1], sections
    assert kept_lines(sections) == source_lines(path, [title, *WRAPPED_HEADINGS])


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda t: "\ufeff" + t, id="bom"),
        pytest.param(lambda t: t.replace("\n\nWorkers", "\n\n\tWorkers"), id="tab-indent"),
        pytest.param(lambda t: t.replace(" the ", "\tthe "), id="tabs"),
        pytest.param(lambda t: t.replace("\n", "\r"), id="old-mac"),
        pytest.param(lambda t: t.replace("\n\n", "\n   \n\n"), id="blank-lines-with-spaces"),
    ],
)
def test_line_endings_bom_and_tabs_change_nothing(variant: object) -> None:
    path = INGEST / "wrapped-numbered.txt"
    text = path.read_text(encoding="utf-8")
    assert callable(variant)
    title, sections = plan(path, variant(text).encode("utf-8"))
    assert title == "The Irrigation Campaign of 1957-58", title
    assert [s.title for s in sections] == ["Introduction", *WRAPPED_TITLES], sections
    assert kept_lines(sections) == source_lines(path, [title, *WRAPPED_HEADINGS])


def test_text_without_headings_is_one_section() -> None:
    path = INGEST / "no-headings.txt"
    title, sections = plan(path)
    assert title is None, "a wrapped first line is not a title"
    assert [(s.id, s.title, len(s.paragraphs)) for s in sections] == [("text", "Full text", 3)]
    assert kept_lines(sections) == source_lines(path, [])


def test_a_heading_without_text_joins_the_next() -> None:
    path = INGEST / "stacked-headings.txt"
    title, sections = plan(path)
    assert title == "Communes and Mess Halls", title
    assert [(s.title, len(s.paragraphs)) for s in sections] == [
        ("Part One: The Communes", 1),
        ("The Mess Halls", 1),
        ("Epilogue", 0),
    ], sections
    headings = [title, "Part One", "The Communes", "The Mess Halls", "Epilogue"]
    assert kept_lines(sections) == source_lines(path, headings)


def test_headings_that_slug_alike_are_numbered_in_order() -> None:
    # "About 2" is its own slug and takes `about-2` first; the repeats count past it.
    document = Document(
        "T", tuple(RawSection(t, ("Text.",)) for t in ["About", "About 2", "About", "About"])
    )
    assert [s.id for s in plan_sections(document)] == ["about", "about-2", "about-3", "about-4"]
    document = Document(
        "T", tuple(RawSection(t, ("Text.",)) for t in ["About", "About", "About 3", "About"])
    )
    assert [s.id for s in plan_sections(document)] == ["about", "about-2", "about-3", "about-4"]
    numbered = Document("T", tuple(RawSection(f"Heading {i}", ("Text.",)) for i in range(4)))
    assert [s.id for s in plan_sections(numbered)] == [
        "heading",
        "heading-2",
        "heading-3",
        "heading-4",
    ], "the numbers are no part of the slug"


def test_markdown_levels_front_matter_code_and_setext() -> None:
    path = INGEST / "hostile.md"
    title, sections = plan(path)
    assert title == "Quoting: Colons, Hashes # and {{Braces}}", title
    assert [(s.id, s.title) for s in sections] == [
        ("introduction", "Introduction"),
        ("names", "Names in Pinyin and Chinese"),
        ("code", "Code and Literal Braces"),
        ("setext", "Setext Section"),
    ], sections
    excerpt = "\n\n".join(sections[1].paragraphs)
    assert "### A Deeper Heading Stays in the Text" in excerpt, "deeper headings stay as text"
    code = sections[2].paragraphs[0]
    assert code.startswith("```python\n# not a heading\ndef f():\n\n"), "fences are kept whole"
    headings = [
        "# Quoting: Colons, Hashes # and {{Braces}}",
        "## Names in Pinyin and Chinese",
        "## Code and Literal Braces",
        "Setext Section",
        "--------------",
    ]
    expected = source_lines(path, headings, skip=4)
    assert kept_lines(sections) == expected, "front matter skipped, every other line kept"
    assert "! [a map](map.png)" in sections[3].paragraphs[0], "image kept as text"


def test_markdown_setext_title() -> None:
    title, sections = plan(INGEST / "setext.md")
    assert title == "The Setext Reading", title
    assert [s.title for s in sections] == ["Introduction", "First Part", "Second Part"]


def test_markdown_front_matter_title_when_no_title_heading(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text('---\ntitle: "From the front matter"\n---\n\n## One\n\nText.\n', "utf-8")
    title, sections = plan(path)
    assert title == "From the front matter", title
    assert [s.title for s in sections] == ["One"], sections


def test_html_article_keeps_text_and_drops_the_page_around_it() -> None:
    title, sections = plan(INGEST / "article.html")
    assert title == "The Lushan Conference of 1959", title
    assert [(s.id, s.title) for s in sections] == [
        ("introduction", "Introduction"),
        ("peng", "Peng Dehuai's Letter"),
        ("purge", "The Purge"),
    ], sections
    # The byline names the author (reading.yaml's `author:`), no text of a section.
    assert parse(read_source(INGEST / "article.html")).author == "A. Historian"
    assert sections[0].paragraphs == (
        "In July 1959 the Party leadership met at Lushan, a mountain resort in Jiangxi, to "
        "review the Great Leap Forward.",
        "Marshal Peng Dehuai used the meeting to send Mao a private letter.",
    ), sections[0].paragraphs
    assert sections[1].paragraphs[1:] == (
        "What the letter said",
        "- Backyard furnaces wasted resources.\n- Reports of harvests were inflated:\n"
        "1. grain output;\n2. steel output.",
        "Text directly in a div, with a line break\nafter which it goes on.",
    ), sections[1].paragraphs
    assert sections[2].paragraphs[1:] == (
        "Year | Event\n1959 | Lushan Conference",
        "  a preformatted line\n    and an indented one",
        "Sources: Yang Jisheng, Tombstone (2012).",
    ), sections[2].paragraphs
    everything = " ".join(p for s in sections for p in s.paragraphs)
    for dropped in ("tracking", "Archive", "newsletter", "Copyright", "not this either", "color"):
        assert dropped not in everything, dropped


def test_html_without_h1_takes_the_page_title() -> None:
    title, sections = plan(INGEST / "bare.html")
    assert title == "A Page With Only h2 Headings", title
    first = "The first topic is the campaign against the Four Pests, launched in 1958."
    second = (
        "Nested deeply, the second topic mentions the Sino-Soviet split of 1960.",
        "A small heading that stays text",
        'Entities & characters: <b>, "quotes", café.',
    )
    assert [(s.title, s.paragraphs) for s in sections] == [
        ("Introduction", ("Loose text straight in the body, before any heading.",)),
        ("First Topic", (first,)),
        ("Second Topic", second),
    ], sections


def test_deeply_nested_html_does_not_overflow(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    path.write_text("<h1>Deep</h1>" + "<div><p>level" * 5000, encoding="utf-8")
    title, sections = plan(path)
    assert title == "Deep", title
    assert sum(len(s.paragraphs) for s in sections) == 5000, "every unclosed paragraph kept"


# -- nothing lost, for any text of headings and wrapped paragraphs ------------------------------

_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéü", min_size=1, max_size=12)
_SENTENCE = st.lists(_WORD, min_size=2, max_size=20).map(
    lambda words: " ".join(words).capitalize() + "."
)
_PARAGRAPH = st.lists(_SENTENCE, min_size=1, max_size=6).map(" ".join)
# Heading words are long enough not to be small words ("of", "the"), which a heading needs.
_LONG_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéü", min_size=5, max_size=12)
_HEADING = st.lists(_LONG_WORD, min_size=1, max_size=5).map(
    lambda words: " ".join(w.capitalize() for w in words)
)
_BLOCK = st.one_of(
    st.tuples(st.just("paragraph"), _PARAGRAPH), st.tuples(st.just("heading"), _HEADING)
)


@settings(max_examples=examples(150), deadline=None)
@given(
    blocks=st.lists(_BLOCK, min_size=1, max_size=12),
    width=st.integers(min_value=40, max_value=100),
    newline=st.sampled_from(["\n", "\r\n"]),
    attached=st.booleans(),
)
def test_every_paragraph_lands_once_in_order(
    blocks: list[tuple[str, str]], width: int, newline: str, attached: bool
) -> None:
    paragraphs = [text for kind, text in blocks if kind == "paragraph"]
    if not paragraphs:
        return
    parts = []
    for number, (kind, text) in enumerate(blocks):
        if kind == "heading":
            after = blocks[number + 1] if number + 1 < len(blocks) else ("", "")
            # Text may follow a heading on the next line when it is clearly wider.
            wrapped = textwrap.wrap(after[1], width) if after[0] == "paragraph" else [""]
            widest = max(len(line) for line in wrapped)
            wide = len(text) + 1 + len(wrapped[0].split(" ")[0]) <= widest
            parts.append(text + ("\n" if attached and wide else "\n\n"))
        else:
            parts.append("\n".join(textwrap.wrap(text, width)) + "\n\n")
    text = "".join(parts).replace("\n", newline)
    document = parse(Source(text.encode("utf-8"), "generated.txt", "txt", None))
    got = [p for s in plan_sections(document) for p in s.paragraphs]
    assert [" ".join(p.split()) for p in got] == paragraphs, text


def test_chapter_label_over_title_and_underlined_headings(tmp_path: Path) -> None:
    path = tmp_path / "chapter.txt"
    path.write_text(
        "CHAPTER 4\nTHE COMMUNES\n\nThe first communes were formed in Henan.\n\n"
        "Organisation\n============\nThe commune was a unit of farming and government.\n\n"
        "II.\nThe Mess Halls\n\nCommunal mess halls replaced household kitchens.\n",
        encoding="utf-8",
    )
    title, sections = plan(path)
    assert title == "CHAPTER 4: THE COMMUNES", title
    assert [(s.title, s.paragraphs) for s in sections] == [
        ("Introduction", ("The first communes were formed in Henan.",)),
        ("Organisation", ("The commune was a unit of farming and government.",)),
        ("The Mess Halls", ("Communal mess halls replaced household kitchens.",)),
    ], sections


def test_one_paragraph_per_line_without_blank_lines(tmp_path: Path) -> None:
    long = "This line is a whole paragraph, long enough that no wrap at a fixed width made it. " * 2
    path = tmp_path / "lines.txt"
    path.write_text(f"A Title\n{long}\nA Heading\n{long}\n{long}\n", encoding="utf-8")
    title, sections = plan(path)
    assert title == "A Title", title
    assert [(s.title, len(s.paragraphs)) for s in sections] == [
        ("Introduction", 1),
        ("A Heading", 2),
    ], sections


def test_a_large_reading_without_headings_is_cut_at_paragraphs(tmp_path: Path) -> None:
    paragraph = "Grain was taken from the villages at prices set far below the market. " * 30
    path = tmp_path / "long.txt"
    path.write_text("\n\n".join([paragraph] * 400), encoding="utf-8")
    _, sections = plan(path)
    assert [s.title for s in sections] == [f"Full text (part {n})" for n in (1, 2, 3, 4)]
    assert [s.id for s in sections] == ["text", "text-2", "text-3", "text-4"], sections
    assert sum(len(s.paragraphs) for s in sections) == 400, "every paragraph, each once"


def test_book_layout_with_byline_and_chapter_labels(tmp_path: Path) -> None:
    path = tmp_path / "book.txt"
    path.write_text(
        "THE STORY OF A VILLAGE\n\nby An Author\n\n\n\nCHAPTER I.\n\nTHE FIRST WINTER\n\n"
        "The winter of 1958 came early to the village, and the new mess hall\n"
        "was full every evening.\n\n"
        '    "Eat your fill," the team leader said, "there will be more next\nyear."\n\n'
        "CHAPTER II.\n\nTHE SPRING\n\nBy March 1959 the granary was empty.\n",
        encoding="utf-8",
    )
    document = parse(read_source(path))
    assert document.title == "THE STORY OF A VILLAGE", document.title
    assert document.author == "An Author", "the byline under the title names the author"
    sections = plan_sections(document)
    assert [(s.title, len(s.paragraphs)) for s in sections] == [
        ("The First Winter", 2),
        ("The Spring", 1),
    ], sections
    assert sections[0].paragraphs[1].startswith('    "Eat your fill,"'), "indentation kept"


# U+FEFF is left out as control characters are: ingest drops a stray byte-order mark wherever it
# stands (sources.py), so it is not text a paragraph must keep word for word.
_TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Zl", "Zp", "Zs"), blacklist_characters="\ufeff"
    ),
    min_size=1,
).map(lambda t: t.replace("<", "‹").replace("&", "+"))


@settings(max_examples=examples(100), deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.lists(_TEXT, min_size=1, max_size=8)), max_size=8))
def test_every_html_paragraph_lands_once_in_order(blocks: list[tuple[bool, list[str]]]) -> None:
    """Any text in <p> elements under <h2> headings comes out word for word, in order."""
    parts, paragraphs = ["<html><body><h1>Title</h1>"], []
    for is_heading, words in blocks:
        text = " ".join(words)
        if is_heading:
            parts.append(f"<h2>{text}</h2>")
        else:
            parts.append(f"<p>{text}</p>")
            paragraphs.append(text)
    if not paragraphs:
        return
    html = "".join(parts).encode("utf-8")
    document = parse(Source(html, "generated.html", "html", None))
    got = [p for s in plan_sections(document) for p in s.paragraphs]
    assert [squeeze(p) for p in got] == [squeeze(p) for p in paragraphs], html


_MD_ALPHABET = "abcdefghij klmnopqrstuvwxyz.,;:!?'\"*_()[]{}0123456789"
_MD_LINE = st.text(alphabet=_MD_ALPHABET, min_size=1).map(lambda t: "x" + t.strip())


@settings(max_examples=examples(100), deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.lists(_MD_LINE, min_size=1, max_size=4)), max_size=8))
def test_every_markdown_paragraph_lands_once_in_order(blocks: list[tuple[bool, list[str]]]) -> None:
    """Paragraphs under `##` headings come out line for line, in order, whatever they say."""
    parts, paragraphs = ["# Title\n\n"], []
    for is_heading, lines in blocks:
        if is_heading:
            parts.append(f"## {lines[0]}\n\n")
        else:
            parts.append("\n".join(lines) + "\n\n")
            paragraphs.append("\n".join(lines))
    if not paragraphs:
        return
    text = "".join(parts).encode("utf-8")
    document = parse(Source(text, "generated.md", "md", None))
    got = [p for s in plan_sections(document) for p in s.paragraphs]
    assert [squeeze(p) for p in got] == [squeeze(p) for p in paragraphs], text


def test_html_without_any_heading(tmp_path: Path) -> None:
    path = tmp_path / "plain.html"
    path.write_text("<p>One paragraph.<p>Another one<br>on two lines.", encoding="utf-8")
    title, sections = plan(path)
    assert title is None, "no <h1> and no <title>: the file name will do"
    assert [(s.id, s.title, s.paragraphs) for s in sections] == [
        ("text", "Full text", ("One paragraph.", "Another one\non two lines."))
    ], sections


LEAP = (
    "A History of the Communes\n\n"
    "Origins\n\n"
    "The communes grew out of the cooperatives of the mid-1950s, which had\n"
    "pooled land and tools across the villages of every province.\n\n"
    "The Great Leap Forward\n"
    "was launched in 1958 and ended in disaster three years later, after the\n"
    "famine had killed millions of people across the countryside.\n\n"
    "Steel and Grain\n"
    ", and with it the backyard furnaces, the campaign consumed the harvest of\n"
    "a whole year in the provinces that believed the promises most.\n"
)


def test_title_case_first_line_of_a_wrapped_paragraph_is_not_a_heading(tmp_path: Path) -> None:
    path = tmp_path / "leap.txt"
    path.write_text(LEAP, "utf-8")
    title, sections = plan(path)
    assert title == "A History of the Communes", title
    assert [s.title for s in sections] == ["Origins"], sections
    excerpts = sections[0].paragraphs
    assert excerpts[1].startswith("The Great Leap Forward\nwas launched in 1958"), excerpts
    assert excerpts[2].startswith("Steel and Grain\n, and with it"), excerpts


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        ("Chapter 4: The Great Leap Forward\n\n", "Chapter 4: The Great Leap Forward"),
        ("CHAPTER 4: THE GREAT LEAP FORWARD\n\n", "CHAPTER 4: THE GREAT LEAP FORWARD"),
        ("Chapter 4\nThe Great Leap Forward\n\n", "Chapter 4: The Great Leap Forward"),
    ],
)
def test_numbered_first_line_is_the_title(tmp_path: Path, opening: str, expected: str) -> None:
    body = "The leap was launched in 1958.\n\nIt ended in famine.\n"
    for name, source in [("chapter.txt", None), ("-", "stdin")]:
        data = (opening + body).encode("utf-8")
        if source is None:
            path = tmp_path / name
            path.write_bytes(data)
            document = parse(read_source(path))
        else:
            document = parse(Source(data, "<stdin>", "txt", None))
        sections = plan_sections(document)
        assert document.title == expected, (name, document.title)
        assert [s.title for s in sections] == ["Full text"], (name, sections)


def test_numbered_first_line_that_starts_a_series_is_a_section(tmp_path: Path) -> None:
    path = tmp_path / "parts.txt"
    path.write_text("1. Origins\n\nThe first part.\n\n2. Policies\n\nThe second part.\n", "utf-8")
    title, sections = plan(path)
    assert title is None, title
    assert [s.title for s in sections] == ["Origins", "Policies"], sections


def test_a_page_cut_off_inside_a_tag_reads_its_tail_as_text() -> None:
    from studykit.ingest.webpage import parse_html

    items, _, _ = parse_html('<h1>T</h1><p>Text.</p><p>More <a href="x <b>y &lt; z')
    assert [getattr(item, "text", None) for item in items] == [
        "T",
        "Text.",
        'More <a href="x <b>y < z',
    ], "the cut-off tag is text, as html.parser reads it"
