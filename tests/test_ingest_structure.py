"""Real documents cut at their own sections: clauses, chapters, title pages, tables of contents."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import Runner, examples
from hypothesis import given, settings
from hypothesis import strategies as st

from studykit.ingest.sections import PlannedSection, plan_sections
from studykit.ingest.sources import LONG_SECTION_CHARS, Document, Source, parse, read_source
from studykit.ingest.titles import clean_title
from studykit.notes.validate import load_reading

CORPUS = Path(__file__).parent / "fixtures" / "corpus"

GPL_CLAUSES = [
    "Definitions",
    "Source Code",
    "Basic Permissions",
    "Protecting Users' Legal Rights From Anti-Circumvention Law",
    "Conveying Verbatim Copies",
    "Conveying Modified Source Versions",
    "Conveying Non-Source Forms",
    "Additional Terms",
    "Termination",
    "Acceptance Not Required for Having Copies",
    "Automatic Licensing of Downstream Recipients",
    "Patents",
    "No Surrender of Others' Freedom",
    "Use with the GNU Affero General Public License",
    "Revised Versions of this License",
    "Disclaimer of Warranty",
    "Limitation of Liability",
    "Interpretation of Sections 15 and 16",
]


def document_of(text: str, fmt: str) -> Document:
    return parse(Source(text.encode("utf-8"), f"reading.{fmt}", fmt, None))


def titled(text: str, fmt: str) -> list[tuple[str, int]]:
    """Each section's title and number of paragraphs."""
    return [(s.title, len(s.paragraphs)) for s in plan_sections(document_of(text, fmt))]


def words_of(sections: list[PlannedSection]) -> list[str]:
    return [w for s in sections for p in s.paragraphs for w in p.split()]


# -- a licence: its 18 clauses -----------------------------------------------------------------


def test_gpl_clauses_are_its_sections_titled_by_their_words() -> None:
    document = parse(read_source(CORPUS / "GPL-3.txt"))
    sections = plan_sections(document)
    assert [s.title for s in sections] == [
        "Introduction",
        "Preamble",
        *GPL_CLAUSES,
        "How to Apply These Terms to Your New Programs",
    ], [s.title for s in sections]
    assert [s.file_name for s in sections[2:5]] == [
        "03-definitions.yaml",
        "04-source.yaml",
        "05-basic.yaml",
    ]
    definitions = sections[2].paragraphs
    assert definitions[0].strip().startswith('"This License" refers to version 3'), definitions
    # Every line of the licence but its headings is in some section, once, in order.
    source = (CORPUS / "GPL-3.txt").read_text(encoding="utf-8").split("\n")
    headings = {"TERMS AND CONDITIONS", "Preamble", "How to Apply These Terms to Your New Programs"}
    clauses = {f"{n}. {title}." for n, title in enumerate(GPL_CLAUSES)}
    expected = [
        line.strip()
        for line in source[3:]  # the title's two lines
        if line.strip() and line.strip() not in headings | clauses
    ]
    assert len(expected) == 530, len(expected)
    kept = [line.strip() for s in sections for p in s.paragraphs for line in p.split("\n")]
    assert [line for line in kept if line] == expected


def test_gpl_through_ingest_check_and_deck(here: Path, run: Runner) -> None:
    result = run("ingest", str(CORPUS / "GPL-3.txt"), "--id", "gpl")
    assert result.exit_code == 0, result
    assert result.stdout.splitlines()[0] == (
        "GNU General Public License: Version 3, 29 June 2007: 21 sections written to notes/gpl/"
    ), result.stdout
    lines = result.stdout.splitlines()
    assert any(line.split()[:2] == ["03-definitions.yaml", "Definitions"] for line in lines), lines
    reading = load_reading(here / "notes" / "gpl")
    assert [s.title for s in reading.sections][2:20] == GPL_CLAUSES
    check = run("check", "gpl")
    assert check.exit_code == 0 and " 0 errors" in check.stdout, check
    deck = run("deck", "gpl")
    assert deck.exit_code == 0, deck


def test_apache_run_in_clause_titles() -> None:
    """`2. Grant of Copyright License. Subject to...`: the title is the clause's heading, the
    sentence after it the start of its text."""
    sections = plan_sections(parse(read_source(CORPUS / "Apache-2.0.txt")))
    assert [s.title for s in sections][1:10] == [
        "Definitions",
        "Grant of Copyright License",
        "Grant of Patent License",
        "Redistribution",
        "Submission of Contributions",
        "Trademarks",
        "Disclaimer of Warranty",
        "Limitation of Liability",
        "Accepting Warranty or Additional Liability",
    ]
    grant = sections[2].paragraphs[0]
    assert grant.split("\n")[0] == "   Subject to the terms and conditions of", grant


# -- plain text and Markdown: numbered clauses and sections ------------------------------------

STATUTE = """\
Rules of the Study Club

§ 1 Name

The club is called the Study Club.

§ 2 Members

Any student may join the club by asking.

§ 3 Meetings

The club meets on Tuesdays.
"""


ARTISTIC_SECTIONS = ["Preamble", "Definitions", *(f"Clause {n}" for n in range(1, 11))]


def test_numbered_clauses_without_titles_are_sections_named_by_their_number() -> None:
    document = parse(read_source(CORPUS / "Artistic.txt"))
    sections = plan_sections(document)
    assert [s.title for s in sections] == ARTISTIC_SECTIONS
    assert [s.id for s in sections][1:4] == ["definitions", "clause-1", "clause-2"]
    assert sections[1].paragraphs[0].startswith('\t"Package" refers to the collection')
    assert len(sections[1].paragraphs) == 6, "the six definitions"
    assert sections[2].paragraphs == (
        "1. You may make and give away verbatim copies of the source form of the\n"
        "Standard Version of this Package without restriction, provided that you\n"
        "duplicate all of the original copyright notices and associated disclaimers.",
    ), "the clause keeps its number: nothing of the text is lost"
    assert len(sections[4].paragraphs) == 5, "clause 3 with its items a) to d)"
    assert sections[-1].paragraphs[-1].strip() == "The End", "closing words, no section"
    source = (CORPUS / "Artistic.txt").read_text()
    headings = ("Preamble", "Definitions:")
    body = [w for w in source.split()[3:] if w not in headings]
    assert words_of(sections) == body, "every word but the title's and headings', in order"


def test_gpl2_clauses_are_numbered_sections_and_its_warranty_one() -> None:
    document = parse(read_source(CORPUS / "GPL-2.txt"))
    titles = [s.title for s in plan_sections(document)]
    assert titles == [
        "Introduction", "Preamble", *(f"Clause {n}" for n in range(11)), "No Warranty",
        "How to Apply These Terms to Your New Programs",
    ]  # fmt: skip


def test_a_short_numbered_list_in_plain_text_stays_text() -> None:
    text = (
        "Making Tea\n\nThree steps.\n\n1. Boil the water in a kettle until it is\nhot.\n\n"
        "2. Pour it over the leaves and wait for\nthree minutes.\n\n"
        "3. Drink it while it is\nwarm.\n"
    )
    assert titled(text, "txt") == [("Full text", 4)]


def test_section_signs_are_sections_without_their_numbers() -> None:
    document = document_of(STATUTE, "txt")
    assert document.title == "Rules of the Study Club"
    assert [(s.title, s.paragraphs) for s in plan_sections(document)] == [
        ("Name", ("The club is called the Study Club.",)),
        ("Members", ("Any student may join the club by asking.",)),
        ("Meetings", ("The club meets on Tuesdays.",)),
    ]


ARTICLES = """\
Article 1

Everyone has the right to study.

Article 2

Notes are kept in YAML files.
"""


def test_an_article_label_alone_keeps_its_label() -> None:
    assert titled(ARTICLES, "txt") == [("Article 1", 1), ("Article 2", 1)]


SCOPED = """\
A Standard for Notes

1 Scope

This standard says how notes are kept.

1.1 Purpose

Notes are kept so that they can be studied.

1.2 Audience

Students of any subject.

2. Terms

A note is a file.
"""


def test_dotted_numbers_are_sub_sections_of_their_section() -> None:
    # "1 Scope" (no full stop) stays a title: "3 Little Pigs" is one too.
    assert titled(SCOPED, "txt") == [
        ("1 Scope", 5),
        ("Terms", 1),
    ], "1.1 and 1.2 stay lines of their section, which is short"
    sections = plan_sections(document_of(SCOPED, "txt"))
    assert sections[0].paragraphs[1] == "1.1 Purpose", "a sub-heading stays as its line"


def test_markdown_numbers_and_capitals_leave_the_titles() -> None:
    text = (
        "# The Panama Canal\n\n"
        "## 1. The French Attempt\n\nLesseps began in 1881.\n\n"
        "## 2. THE AMERICAN DECISION\n\nThe NASA of its day was the Isthmian Canal Commission.\n\n"
        "## Chapter 3. Building It\n\nThe canal opened in 1914.\n\n"
        "## 4. GNU AND HTML OF THE CANAL\n\nNo acronym is lower-cased.\n"
    )
    assert titled(text, "md") == [
        ("The French Attempt", 1),
        ("The American Decision", 1),
        ("Building It", 1),
        ("GNU and HTML of the Canal", 1),
    ]


def test_handout_numbers_each_section_once(here: Path, run: Runner) -> None:
    (here / "panama.md").write_text(
        "# The Panama Canal\n\n## 1. The French Attempt\n\nLesseps began the canal in 1881.\n\n"
        "## 2. THE AMERICAN DECISION\n\nThe United States bought the French assets in 1904.\n",
        encoding="utf-8",
    )
    assert run("ingest", "panama.md").exit_code == 0
    handout = run("outline", "panama", "-o", "-")
    assert handout.exit_code == 0, handout
    headings = [line for line in handout.stdout.splitlines() if line.startswith("## ")]
    assert headings == ["## 1. The French Attempt", "## 2. The American Decision"], headings


def test_markdown_clause_lines_are_headings() -> None:
    text = (
        "# A Licence\n\nPreamble text.\n\n"
        "**1. Definitions.**\n\nA word means what it says.\n\n"
        "**2. Grant.**\n\nYou may copy it.\n"
    )
    assert titled(text, "md") == [("Introduction", 1), ("Definitions", 1), ("Grant", 1)]


def test_numbered_list_items_stay_text() -> None:
    text = "# Steps\n\nDo this:\n\n1. Install Python\n\n2. Run It\n\nThat is all.\n"
    assert titled(text, "md") == [("Full text", 4)], "a list, not clauses: no text under each"
    text = "# Steps\n\n1. Install Python.\n\n   From python.org.\n\n2. Run It.\n\n   Type idle.\n"
    assert titled(text, "md") == [("Full text", 4)], "an item's own paragraph is indented"


def test_front_matter_setext_and_atx_with_authors() -> None:
    text = (
        "---\ntitle: Ignored\nauthors:\n  - Ada Lovelace\n  - Charles Babbage\ntags: [math]\n"
        "---\n\nThe Engine\n==========\n\nOpening words.\n\nParts\n-----\n\nThe mill and store.\n\n"
        "## Uses\n\nTables of numbers.\n"
    )
    document = document_of(text, "md")
    assert (document.title, document.author) == ("The Engine", "Ada Lovelace; Charles Babbage")
    assert [(s.title, len(s.paragraphs)) for s in plan_sections(document)] == [
        ("Introduction", 1),
        ("Parts", 1),
        ("Uses", 1),
    ]


@pytest.mark.parametrize(
    "front", ["author: Grace Hopper", 'author: "Grace Hopper"', "authors: [Grace Hopper]"]
)
def test_front_matter_author_forms(front: str) -> None:
    document = document_of(f"---\n{front}\n---\n\n# Cobol\n\nText.\n", "md")
    assert document.author == "Grace Hopper"


@pytest.mark.parametrize(
    ("front", "author"),
    [
        ("author: Ann: 'The' #1 & {{Co}}", "Ann: 'The' #1 & {{Co}}"),
        ("author: no", "no"),
        ("author: " + "Very Long Name " * 400, ("Very Long Name " * 400).strip()),
        ("authors: []", None),
        ("author:", None),
    ],
)
def test_any_author_reads_back_as_written(
    here: Path, run: Runner, front: str, author: str | None
) -> None:
    (here / "r.md").write_text(f"---\n{front}\n---\n\n# R\n\nText.\n", encoding="utf-8")
    result = run("ingest", "r.md")
    assert result.exit_code == 0, result
    assert load_reading(here / "notes" / "r").author == author
    assert run("check", "r").exit_code == 0


def test_markdown_table_of_contents_badges_and_comments_are_left_out() -> None:
    text = (
        "# Tool\n\n"
        "[![Build](https://ci.example/b.svg)](https://ci.example) "
        "[![PyPI](https://pypi.example/v.svg)](https://pypi.example)\n\n"
        "Tool does one thing.\n\n"
        "## Table of Contents\n\n"
        "* **[Install](#install)**\n  * [From source](#from-source)\n* [Use](#use)\n\n"
        "---\n\n"
        "<!-- generated: do not edit\n\nstill a comment -->\n\n"
        "## Install\n\nRun the installer.\n\n## Use\n\nRun it.\n"
    )
    sections = plan_sections(document_of(text, "md"))
    assert [(s.title, s.paragraphs) for s in sections] == [
        ("Introduction", ("Tool does one thing.",)),
        ("Install", ("Run the installer.",)),
        ("Use", ("Run it.",)),
    ]


# -- HTML manuals ------------------------------------------------------------------------------

DOCBOOK = """\
<html><head><title>The Guide</title></head><body>
<div class="navheader"><table summary="Navigation header"><tr><td>Prev</td></tr></table></div>
<div class="book"><div class="titlepage">
<h1 class="title">The Guide</h1>
<h3 class="author"><span class="firstname">Ann</span> <span class="surname">Smith</span></h3>
<h3 class="author">Bo Li</h3>
<p class="copyright">Copyright 2020 Ann Smith</p>
<div class="legalnotice"><p>Free to copy.</p></div>
</div>
<div class="toc"><p><b>Table of Contents</b></p><dl>
<dt>1. <a href="#intro">Introduction</a></dt><dt>2. <a href="#use">Using It</a></dt></dl></div>
<div class="chapter"><div class="titlepage"><h2 class="title">Chapter 1. Introduction</h2></div>
<p>The guide begins.</p></div>
<div class="chapter"><div class="titlepage"><h2 class="title">Chapter 2. USING THE API</h2></div>
<p>Call the API.</p></div>
<div class="navfooter">Next</div>
</div></body></html>
"""


def test_docbook_title_page_table_of_contents_and_chapters() -> None:
    document = document_of(DOCBOOK, "html")
    assert (document.title, document.author) == ("The Guide", "Ann Smith; Bo Li")
    assert [(s.title, s.paragraphs) for s in plan_sections(document)] == [
        ("Introduction", ("The guide begins.",)),
        ("Using the API", ("Call the API.",)),
    ]


SPHINX = """\
<html><head><title>Widgets &#8212; Widget 1.0 documentation</title></head><body>
<div class="related" role="navigation"><h3>Navigation</h3><ul><li><a href="index.html">
Widget</a></li><li><a href="genindex.html">Index</a></li></ul></div>
<div class="document"><div class="body" role="main">
<section><h1>Widgets<a class="headerlink" href="#widgets">¶</a></h1>
<div class="contents topic"><p class="topic-title">Contents</p><ul>
<li><a class="reference internal" href="#making">Making</a></li>
<li><a class="reference internal" href="#using">Using</a></li></ul></div>
<p>Widgets are small.</p>
<section><h2><span class="section-number">1.1. </span>Making<a class="headerlink"
href="#making">¶</a></h2><p>Make one.</p>
<ul><li><a href="https://example.org/a">A real link</a></li><li><a href="https://example.org/b">
Another</a></li></ul></section>
<section><h2><span class="section-number">1.2. </span>Using<a class="headerlink"
href="#using">¶</a></h2><p>Use one.</p></section></section></div></div>
<div class="sphinxsidebar" role="navigation"><h3>Quick search</h3></div>
<div class="footer">&#169; Copyright 2024. Created using Sphinx.</div>
</body></html>
"""


def test_sphinx_page_without_its_frame() -> None:
    document = document_of(SPHINX, "html")
    assert document.title == "Widgets"
    assert [(s.title, s.paragraphs) for s in plan_sections(document)] == [
        ("Introduction", ("Widgets are small.",)),
        ("Making", ("Make one.", "- A real link\n- Another")),
        ("Using", ("Use one.",)),
    ], "links out of the site are a reading list, kept; the page's own are a contents list"


def test_a_page_names_its_author_in_a_meta_tag() -> None:
    page = '<head><meta name="Author" content="Ada  Lovelace"></head><h1>Notes</h1><p>Text.</p>'
    assert document_of(page, "html").author == "Ada Lovelace"


def test_a_page_of_only_a_table_of_contents_is_refused(here: Path, run: Runner) -> None:
    (here / "toc.html").write_text(
        '<h1>Manual</h1><div class="toc"><ul><li><a href="a.html">A</a></li></ul></div>',
        encoding="utf-8",
    )
    result = run("ingest", "toc.html")
    assert result.exit_code == 1, result
    assert result.stderr == "toc.html: error: no paragraphs of text found\n", result
    assert not (here / "notes").exists(), "nothing written"


def test_real_docbook_manual_moves_its_authors_to_reading_yaml(here: Path, run: Runner) -> None:
    result = run("ingest", str(CORPUS / "users-and-groups.html"), "--id", "users")
    assert result.exit_code == 0, result
    reading = load_reading(here / "notes" / "users")
    assert reading.title == "Users and Groups in the Debian System"
    assert reading.author == "Joey Hess; Colin Watson; David Mandelberg"
    assert [s.title for s in reading.sections] == ["Introduction", "Users and Groups"]
    text = (here / "notes" / "users" / "reading.yaml").read_text(encoding="utf-8")
    assert 'author: "Joey Hess; Colin Watson; David Mandelberg"\n' in text, text
    assert "Copyright" not in " ".join(s.excerpt or "" for s in reading.sections)


# -- what real pages hold that a notes file cannot ----------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "excerpt"),
    [
        pytest.param(
            "page.html",
            "<h1>Diff</h1><p>An example:</p><pre>&#13;&lt;?xml?>&#13;\n&lt;a>&#7;&lt;/a></pre>",
            "An example:\n\n<?xml?>\n<a> </a>",  # &#13; then a line break: one break
            id="html-entities-for-controls",
        ),
        pytest.param(
            "open.md",
            "# Terms\n\nThe terms follow.\n\n```\nclause one\n\n\n",
            "The terms follow.\n\n```\nclause one",
            id="markdown-fence-left-open",
        ),
        pytest.param(
            "thanks.md",
            "# Thanks\n\nFixed by [@bbc2] in [#607], see [a @ b] and me@example.org.\n",
            "Fixed by [\\@bbc2] in [#607], see [a \\@ b] and me@example.org.",
            id="markdown-user-link-like-a-citation",
        ),
    ],
)
def test_real_page_oddities_ingest_and_pass_check(
    here: Path, run: Runner, name: str, text: str, excerpt: str
) -> None:
    (here / name).write_text(text, encoding="utf-8")
    result = run("ingest", name, "--id", "odd")
    assert result.exit_code == 0, result
    assert [s.excerpt for s in load_reading(here / "notes" / "odd").sections] == [excerpt]
    check = run("check", "odd")
    assert check.exit_code == 0 and " 0 errors" in check.stdout, check


# -- long sections are cut at their own sub-headings -------------------------------------------


def long_paragraph(n: int) -> str:
    return f"Paragraph {n} of the chapter goes on about the harvest and the quotas. " * 30


def test_a_long_section_is_cut_at_its_sub_headings_and_nothing_is_lost() -> None:
    parts = ["# Book\n\n## Chapter 1. Origins\n\nOpening words of the chapter.\n\n"]
    for n in range(1, 7):
        parts.append(f"### {n}.{n} Part {n}\n\n{long_paragraph(n)}\n\n")
    parts.append("## Chapter 2. Short\n\nA short chapter.\n\n### Its Only Part\n\nText.\n")
    text = "".join(parts)
    assert len(text) > LONG_SECTION_CHARS
    sections = plan_sections(document_of(text, "md"))
    assert [(s.title, len(s.paragraphs)) for s in sections] == [
        ("Origins", 1),
        *[(f"Part {n}", 1) for n in range(1, 7)],
        ("Short", 3),
    ]
    assert sections[-1].paragraphs[1] == "### Its Only Part", "a short section keeps its lines"
    expected = [
        w for block in text.split("\n\n") if not block.startswith("#") for w in block.split()
    ]
    expected_short = words_of(sections)
    assert [w for w in expected_short if w not in ("###", "Its", "Only", "Part")] == [
        w for w in expected if w not in ("Its", "Only", "Part")
    ]


# -- titles ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("0. Definitions.", "Definitions"),
        ("17. Interpretation of Sections 15 and 16.", "Interpretation of Sections 15 and 16"),
        ("Chapter 1. Introduction", "Introduction"),
        ("§ 3 Scope", "Scope"),
        ("Article 4 - Final Provisions", "Final Provisions"),
        ("1.2 Scope", "Scope"),
        ("1.2. Scope", "Scope"),
        ("2) Method", "Method"),
        ("IV. THE WAR OF 1812", "The War of 1812"),
        ("2. THE AMERICAN DECISION", "The American Decision"),
        ("WHAT NASA LEARNT FROM THE HTML SPEC", "What NASA Learnt from the HTML Spec"),
        ("PART II: THE FAMINE", "Part II: The Famine"),
        ("Part 3", "Part 3"),
        ("Article 4", "Article 4"),
        ("1984 and After", "1984 and After"),
        ("3 Little Pigs", "3 Little Pigs"),
        ("I Am Legend", "I Am Legend"),
        ("Made in the U.S.", "Made in the U.S."),
        ("Apples, Pears, etc.", "Apples, Pears, etc."),
        ("1.2.1 - 2025-10-26", "1.2.1 - 2025-10-26"),
    ],
)
def test_clean_title(heading: str, title: str) -> None:
    assert clean_title(heading) == title


def test_a_known_term_in_capitals_keeps_them() -> None:
    text = "# Porting\n\n## HOWTO\n\nDo it.\n\n## README AND TODO\n\nRead it.\n"
    assert [title for title, _ in titled(text, "md")] == ["HOWTO", "README and TODO"]


def test_acronyms_are_those_the_text_writes_in_capitals() -> None:
    text = "# T\n\n## THE ACME REPORT\n\nThe ACME company reported.\n\n## FOR THE RECORD\n\nDone.\n"
    assert [title for title, _ in titled(text, "md")] == ["The ACME Report", "For the Record"]


# -- any licence-like text: clauses found, nothing lost ------------------------------------------

_TITLE_WORD = st.sampled_from("Scope Terms Grant Patents Notices Termination Warranty".split())
_BODY_WORD = st.sampled_from("the licence grants you rights to copy and share works".split())


@settings(max_examples=examples(30), deadline=None)
@given(
    clauses=st.lists(
        st.tuples(
            st.lists(_TITLE_WORD, min_size=1, max_size=4).map(" ".join),
            st.lists(st.lists(_BODY_WORD, min_size=3, max_size=30), min_size=1, max_size=3),
        ),
        min_size=3,  # two clauses under "TERMS AND CONDITIONS" stay its one section
        max_size=12,
    ),
    grouped=st.booleans(),
    first=st.sampled_from([0, 1]),
)
def test_every_clause_is_a_section_and_every_paragraph_lands_once(
    clauses: list[tuple[str, list[list[str]]]], grouped: bool, first: int
) -> None:
    parts = ["A Licence\n\nSome words before the terms begin here.\n\n"]
    if grouped:
        parts.append("TERMS AND CONDITIONS\n\n")
    paragraphs = []
    for number, (title, body) in enumerate(clauses, start=first):
        parts.append(f"  {number}. {title}.\n\n")
        for words in body:
            text = " ".join(words).capitalize() + "."
            paragraphs.append(text)
            parts.append(textwrap.fill(text, 70, initial_indent="  ", subsequent_indent="  "))
            parts.append("\n\n")
    sections = plan_sections(document_of("".join(parts), "txt"))
    assert [s.title for s in sections] == ["Introduction", *[title for title, _ in clauses]]
    got = [" ".join(p.split()) for s in sections[1:] for p in s.paragraphs]
    assert got == paragraphs


# -- a byline under the title ------------------------------------------------------------------

TECTONICS = """\
From Drifting Continents to Plate Tectonics
{byline}

1. Introduction

For most of the nineteenth century, geologists assumed that the continents stayed put.

2. Wegener's Hypothesis

Alfred Wegener was a German meteorologist and polar explorer.
"""


@pytest.mark.parametrize(
    ("byline", "author"),
    [
        ("by A. Student", "A. Student"),
        ("By A. Student", "A. Student"),
        ("by Jane Smith", "Jane Smith"),
    ],
)
def test_a_byline_right_under_the_title_names_the_author(byline: str, author: str) -> None:
    document = document_of(TECTONICS.format(byline=byline), "txt")
    assert (document.title, document.author) == (
        "From Drifting Continents to Plate Tectonics",
        author,
    )
    assert titled(TECTONICS.format(byline=byline), "txt") == [
        ("Introduction", 1),
        ("Wegener's Hypothesis", 1),
    ], "neither the title nor the byline is a section of its own"


def test_a_line_starting_with_by_under_a_title_is_no_byline() -> None:
    text = "The Flood\nby the river the water rose.\n\nOrigins\n\nThe dams broke.\n"
    document = document_of(text, "txt")
    assert document.author is None
    assert titled(text, "txt") == [("Introduction", 1), ("Origins", 1)]
    assert plan_sections(document)[0].paragraphs == ("The Flood\nby the river the water rose.",)


COMMUNES = (
    "Chapter 4: The Communes\nby An Author\n\nThe communes began in 1958 in Henan. They grew "
    "fast.\n\nOrigins\n\nMess halls were set up in every village.\n"
)


@pytest.mark.parametrize("piped", [False, True])
def test_the_byline_example_of_the_readme(here: Path, run: Runner, piped: bool) -> None:
    (here / "byline2.txt").write_text(COMMUNES, encoding="utf-8")
    if piped:
        result = run("ingest", "-", "--id", "communes", input=COMMUNES)
    else:
        result = run("ingest", "byline2.txt", "--id", "communes")
    assert result.exit_code == 0, result
    reading = load_reading(here / "notes" / "communes")
    assert (reading.title, reading.author) == ("Chapter 4: The Communes", "An Author")
    assert [(s.title, s.excerpt) for s in reading.sections] == [
        ("Introduction", "The communes began in 1958 in Henan. They grew fast."),
        ("Origins", "Mess halls were set up in every village."),
    ]
    written = (here / "notes" / "communes" / "reading.yaml").read_text(encoding="utf-8")
    assert 'title: "Chapter 4: The Communes"\nauthor: "An Author"\n' in written, written


# -- a README's badges, a licence's boxes and wrapped headings ---------------------------------


def test_a_row_of_badges_with_a_bare_badge_image_is_left_out() -> None:
    sections = plan_sections(parse(read_source(CORPUS / "node-gyp-readme.md")))
    assert sections[0].title == "Introduction"
    assert sections[0].paragraphs[0].startswith("`node-gyp` is a cross-platform command-line tool")
    text = "\n".join(p for s in sections for p in s.paragraphs)
    assert "Build Status" not in text and "shields.io" not in text


def test_an_image_alone_that_is_no_badge_stays_as_text() -> None:
    text = "# Tool\n\n![The pipeline](docs/pipeline.png)\n\nTool does one thing.\n"
    assert [s.paragraphs for s in plan_sections(document_of(text, "md"))] == [
        ("! [The pipeline](docs/pipeline.png)", "Tool does one thing.")
    ]


def test_clauses_in_boxes_are_sections_without_their_frame() -> None:
    sections = plan_sections(parse(read_source(CORPUS / "MPL-2.0.txt")))
    by_title = {s.title: s.paragraphs for s in sections}
    assert [len(by_title[t]) for t in ("Termination", "Disclaimer of Warranty")] == [3, 1]
    assert by_title["Disclaimer of Warranty"][0].startswith(
        'Covered Software is provided under this License on an "as is"\nbasis, without warranty'
    )
    assert by_title["Limitation of Liability"][0].endswith("limitation may not apply to You.")
    lines = [line for s in sections for p in s.paragraphs for line in p.split("\n")]
    assert not [line for line in lines if "*" in line or line.strip().startswith("---")]


def test_a_box_that_never_closes_stays_as_it_is() -> None:
    text = "A Licence\n\n1. Scope\n\nIt applies.\n\n" + "*" * 20 + "\n*  2. Warranty  *\n"
    sections = plan_sections(document_of(text, "txt"))
    assert [(s.title, s.paragraphs) for s in sections] == [
        ("Scope", ("It applies.", "*" * 20 + "\n*  2. Warranty  *"))
    ]


def test_a_heading_wrapped_onto_a_second_line_is_one_title() -> None:
    sections = plan_sections(parse(read_source(CORPUS / "MPL-2.0.txt")))
    assert sections[22].title == (
        "Distributing Source Code Form that is Incompatible With Secondary Licenses"
    )
    assert sections[22].paragraphs[0].startswith("If You choose to distribute Source Code Form")


# -- a Vim help file: examples and messages are text -------------------------------------------

VIM_HELP = """\
Editing more than one file

No matter how many files you have, you can edit them without leaving Vim.

==============================================================================
*07.1*	Edit another file

So far you had to start Vim for every file you wanted to edit.  There is a
simpler way.  To start editing another file, use this command: >

	:edit foo.txt

You can use any file name instead of "foo.txt".  Vim will close the current
file and open the new one:

	E37: No write since last change (use ! to override) ~

This does the same as using two separate commands: >

	:write
	:next

	one.c [two.c] three.c ~

MOVING TO OTHER ARGUMENTS

To go back one file: >

	:previous

Then move the cursor to the start and do: >

	CTRL-Vjjww"by

Notice that the register specification "b is just before the "y" command.
"""


def test_help_file_examples_and_messages_are_never_titles() -> None:
    assert document_of(VIM_HELP, "txt").title == "Editing more than one file"
    assert titled(VIM_HELP, "txt") == [
        ("Introduction", 1),
        ("Edit another file", 7),
        ("Moving to Other Arguments", 5),
    ]
