"""What a tutor found in the drafts of a course page on the immune system: its byline ("Lecture
notes prepared by Dr. ...") taken for the introduction's first paragraph, "Natural killer (NK)
cells" drafted as the term "NK: Natural killer", a deletion stopping inside "Cytotoxic T
cells", and a term's definition left as "... units and is the first class ...". Each sentence
is the page's own; asserted as ingest writes the section files and reading.yaml.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import Runner

_PAGE = """\
<html><head><title>Week 7: The Immune System</title></head><body><main>
<h1>Week 7: The Immune System</h1>
<p class="byline">Lecture notes prepared by Dr. Helen M. Achterberg &middot; Last revised 12
February 2025</p>
<p>The immune system is the collection of cells, tissues and molecules that protects the body
against infection by bacteria, viruses, fungi and parasites. Physiologists traditionally divide
it into two arms.</p>
<h2>Innate Immunity</h2>
<p>Natural killer (NK) cells are lymphocytes of the innate system that kill virus-infected and
tumour cells. Many viruses reduce the amount of MHC class I protein on the surface of the cells
they infect.</p>
<h2>Adaptive Immunity</h2>
<p>There are two main kinds of T cell. Cytotoxic T cells carry the CD8 co-receptor, recognise
peptides presented on MHC class I, and kill infected cells directly.</p>
<ul>
<li>IgM is a pentamer of five antibody units and is the first class made in a primary
response.</li>
<li>IgA is the main antibody of mucosal secretions and breast milk.</li>
</ul>
</main></body></html>
"""


def _ingest(run: Runner) -> tuple[dict[str, object], list[dict[str, object]]]:
    Path("immune.html").write_text(_PAGE, encoding="utf-8")
    result = run("ingest", "immune.html", "--id", "r")
    assert result.exit_code == 0, result.stderr
    folder = Path("notes", "r")
    reading = yaml.safe_load((folder / "reading.yaml").read_text(encoding="utf-8"))
    files = sorted(folder.glob("[0-9]*.yaml"))
    return reading, [yaml.safe_load(f.read_text(encoding="utf-8")) for f in files]


def test_a_byline_in_other_words_names_the_author_and_leaves_the_lead(
    here: Path, run: Runner
) -> None:
    reading, (intro, *_) = _ingest(run)
    # "Dr." is a title, no part of the name a citation gives.
    assert reading["author"] == "Helen M. Achterberg"
    assert "Achterberg" not in intro["excerpt"]
    assert intro["summary"] == (
        "The immune system is the collection of cells, tissues and molecules that protects the "
        "body against infection by bacteria, viruses, fungi and parasites."
    )


def test_an_acronym_before_its_head_noun_is_the_kind_the_sentence_defines(
    here: Path, run: Runner
) -> None:
    _, (_, innate, _) = _ingest(run)
    assert innate["terms"] == [
        {
            "term": "NK cells",
            "definition": "lymphocytes of the innate system that kill virus-infected and "
            "tumour cells",
        }
    ]


def test_no_deletion_stops_inside_a_name_and_a_second_predicate_reads_on(
    here: Path, run: Runner
) -> None:
    _, (_, _, adaptive) = _ingest(run)
    points = adaptive.get("points") or []
    assert not [p for p in points if "{{Cytotoxic T}}" in p], points
    assert {
        "term": "IgM",
        "definition": "a pentamer of five antibody units and the first "
        "class made in a primary response",
    } in adaptive["terms"]


_DEFINING = """\
<html><body><main><h1>Week 7: The Immune System</h1>
<h2>Innate Immunity</h2>
<p>Phagocytosis is the process by which a cell engulfs a particle, encloses it in a
membrane-bound vesicle, and digests it. The main phagocytes in humans are neutrophils and
macrophages.</p>
<p>Many viruses reduce the amount of MHC class I protein on the surface of the cells they
infect, which hides those cells from T cells. NK cells detect this loss and respond by releasing
perforin and granzymes, proteins that punch holes in the target cell.</p>
<p>Mast cells in the damaged tissue release histamine, which widens nearby blood vessels.
Among those plasma proteins is the complement system, a group of more than 30 proteins that
circulate in inactive form.</p>
<h2>Adaptive Immunity</h2>
<p>An antibody, or immunoglobulin, is a Y-shaped protein made of two identical heavy chains and
two identical light chains joined by disulfide bonds. The tips of the two arms form the
antigen-binding sites.</p>
<p>Jenner inoculated a boy with cowpox in 1796. Almost a century later, Louis Pasteur developed
vaccines against chicken cholera and anthrax, and used a rabies vaccine on a boy.</p>
</main></body></html>
"""


def test_plain_definitions_are_terms_and_points_leaning_back_are_dropped(
    here: Path, run: Runner
) -> None:
    Path("immune.html").write_text(_DEFINING, encoding="utf-8")
    result = run("ingest", "immune.html", "--id", "r")
    assert result.exit_code == 0, result.stderr
    files = sorted(Path("notes", "r").glob("[0-9]*.yaml"))
    innate, adaptive = [yaml.safe_load(f.read_text(encoding="utf-8")) for f in files]
    # The steps of "the process by which ..." are its definition, kept whole.
    assert {
        "term": "phagocytosis",
        "definition": "the process by which a cell engulfs a particle, encloses it in a "
        "membrane-bound vesicle, and digests it",
    } in innate["terms"]
    # The other name between commas is read past, as a bracket is.
    assert {
        "term": "antibody",
        "definition": "a Y-shaped protein made of two identical heavy chains and two identical "
        "light chains joined by disulfide bonds",
    } in adaptive["terms"]
    said = " ".join(innate.get("points") or []) + " ".join(adaptive.get("points") or [])
    for leaning in ("detect this loss", "Among those plasma", "Almost a century later"):
        assert leaning not in said, said


_DOCBOOK = """\
<html><head><title>libxslt Tutorial</title></head><body><div class="article">
<div class="titlepage"><div><h1 class="title">libxslt Tutorial</h1></div>
<div><h3 class="author">John Fleck</h3></div></div>
<div class="abstract"><p><b>Abstract</b></p>
<p>A tutorial on building a simple application using the libxslt library to perform XSLT
transformations to convert an XML file into HTML.</p></div>
<div class="sect1"><div class="titlepage"><div><h2 class="title">Introduction</h2></div></div>
<p>The Extensible Markup Language (XML) is a World Wide Web Consortium standard for the exchange
of structured data in text form. Any computer can read a text file.</p>
<p>The function takes an xsltStylesheetPtr and an xmlDocPtr, the values returned by the
previous two functions. The third variable, params, can be used to pass XSLT parameters to the
stylesheet.</p></div>
<div class="appendix"><h2 class="title">A. The Code</h2>
<p>The whole program is shown here, with its comments.</p></div>
</div></body></html>
"""


def test_a_docbook_abstract_and_appendix_keep_their_own_names(here: Path, run: Runner) -> None:
    Path("tutorial.html").write_text(_DOCBOOK, encoding="utf-8")
    result = run("ingest", "tutorial.html", "--id", "r")
    assert result.exit_code == 0, result.stderr
    files = sorted(Path("notes", "r").glob("[0-9]*.yaml"))
    loaded = [yaml.safe_load(f.read_text(encoding="utf-8")) for f in files]
    assert [f.name for f in files] == ["01-abstract.yaml", "02-introduction.yaml", "03-code.yaml"]
    assert [d["title"] for d in loaded] == ["Abstract", "Introduction", "Appendix A: The Code"]
    assert loaded[0]["excerpt"].startswith("A tutorial on building"), loaded[0]["excerpt"]
    said = " ".join(loaded[1].get("points") or [])
    assert "previous two functions" not in said and "third variable" not in said, said


def test_a_byline_without_its_class_is_no_summary_and_no_point(here: Path, run: Runner) -> None:
    Path("immune.html").write_text(
        "<html><body><main><h1>Week 7: The Immune System</h1>\n"
        "<p>Written by Helen Achterberg, Department of Biology.</p>\n"
        "<p>The immune system is the collection of cells that protects the body against "
        "infection. Physiologists divide it into two arms.</p>\n"
        "<h2>Innate Immunity</h2><p>Innate immunity is present from birth and responds within "
        "minutes to hours.</p></main></body></html>\n",
        encoding="utf-8",
    )
    result = run("ingest", "immune.html", "--id", "r")
    assert result.exit_code == 0, result.stderr
    intro = yaml.safe_load(Path("notes/r/01-introduction.yaml").read_text(encoding="utf-8"))
    # Kept in the excerpt (nothing lost), but no sentence of the text to learn.
    assert intro["excerpt"].startswith("Written by Helen Achterberg")
    assert intro["summary"] == (
        "The immune system is the collection of cells that protects the body against infection."
    )
    assert not [p for p in intro.get("points") or [] if "Written by" in p]
