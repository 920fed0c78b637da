"""Nothing a reading shows is lost on ingest: a comment never closed hides nothing after it, and
only badges are left out of a reading's images; figures, linked or not, stay as text."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Runner

from studykit.ingest.badges import is_badge
from studykit.ingest.sections import plan_sections
from studykit.ingest.sources import Document, Source, parse
from studykit.notes.validate import load_reading

WEEK3 = """\
# The Great Leap

## Origins

The Great Leap Forward began in 1958 in China.

<!-- TODO: add the map from the lecture

## The Lushan Conference

In 1959 the Lushan conference met at the mountain resort.

Peng Dehuai was purged in 1959 after he wrote a letter to Mao.

## Famine

The famine of 1959 to 1961 killed tens of millions of people.
"""

LEAP = """\
# The Great Leap

## Origins

The Great Leap Forward began in 1958 in China.

[![Figure 3: Grain output by province, 1957 to 1961, in million tonnes](fig3.png)](fig3-large.png)

[![Photo of a commune kitchen](https://example.org/kitchen.jpg)](https://example.org/kitchen)

## Famine

The famine killed millions between 1959 and 1961.
"""


def document_of(text: str, fmt: str) -> Document:
    return parse(Source(text.encode("utf-8"), f"reading.{fmt}", fmt, None))


def sections_of(text: str, fmt: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(s.title, s.paragraphs) for s in plan_sections(document_of(text, fmt))]


def excerpts(here: Path, reading: str) -> dict[str, str]:
    return {s.title: s.excerpt or "" for s in load_reading(here / "notes" / reading).sections}


# -- an HTML comment never closed ---------------------------------------------------------------


def test_a_comment_never_closed_hides_none_of_the_sections_after_it(
    tmp_path: Path, run: Runner
) -> None:
    (tmp_path / "week3.md").write_text(WEEK3, encoding="utf-8")
    result = run("ingest", str(tmp_path / "week3.md"), "--notes", str(tmp_path / "notes"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "notes" / "week3").glob("0*.yaml")) == [
        "01-origins.yaml",
        "02-lushan.yaml",
        "03-famine.yaml",
    ]
    assert excerpts(tmp_path, "week3") == {
        "Origins": "The Great Leap Forward began in 1958 in China.\n\n"
        "<!-- TODO: add the map from the lecture",
        "The Lushan Conference": "In 1959 the Lushan conference met at the mountain resort.\n\n"
        "Peng Dehuai was purged in 1959 after he wrote a letter to Mao.",
        "Famine": "The famine of 1959 to 1961 killed tens of millions of people.",
    }
    assert run("check", "week3", "--notes", str(tmp_path / "notes")).exit_code == 0


def test_a_comment_closed_later_is_still_left_out_whole() -> None:
    text = (
        "# R\n\n## A\n\nKept one.\n\n<!-- draft:\n\n## Hidden\n\nNot for readers. -->\n\n"
        "Kept two.\n\n<!-- never closed, after the last close\n## B\n\nKept three.\n"
    )
    assert sections_of(text, "md") == [
        ("A", ("Kept one.", "Kept two.", "<!-- never closed, after the last close")),
        ("B", ("Kept three.",)),
    ]


def test_a_comment_on_one_line_is_left_out_and_an_opener_in_code_is_code() -> None:
    text = "# R\n\nOne. <!-- inline stays -->\n\n<!-- a note -->\n\n```html\n<!-- x\n```\n\nTwo.\n"
    assert sections_of(text, "md") == [
        ("Full text", ("One. <!-- inline stays -->", "```html\n<!-- x\n```", "Two."))
    ]


# -- figures are kept, badges left out -----------------------------------------------------------


def test_a_linked_figure_and_photo_stay_in_the_excerpt_alt_text_and_all(
    tmp_path: Path, run: Runner
) -> None:
    (tmp_path / "leap.md").write_text(LEAP, encoding="utf-8")
    result = run("ingest", str(tmp_path / "leap.md"), "--notes", str(tmp_path / "notes"))
    assert result.exit_code == 0, result.output
    assert excerpts(tmp_path, "leap")["Origins"] == (
        "The Great Leap Forward began in 1958 in China.\n\n"
        "[! [Figure 3: Grain output by province, 1957 to 1961, in million tonnes](fig3.png)]"
        "(fig3-large.png)\n\n"
        "[! [Photo of a commune kitchen](https://example.org/kitchen.jpg)]"
        "(https://example.org/kitchen)"
    )
    assert run("check", "leap", "--notes", str(tmp_path / "notes")).exit_code == 0


def test_badges_go_and_figures_beside_them_stay() -> None:
    text = (
        "# Tool\n\n"
        "[![Build Status](https://travis-ci.org/x/tool.svg?branch=main)](https://travis-ci.org/x) "
        "[![PyPI](https://pypi.example/v.svg)](https://pypi.example/tool) "
        "![npm](https://img.shields.io/npm/dm/tool)\n"
        "Windows: [![Windows build](https://ci.appveyor.com/api/x?svg=true)](https://ci.x),\n"
        "[![coverage](https://cov.example/tool)](https://cov.example) "
        "[![The pipeline](docs/pipeline.png)](docs/pipeline-large.png) "
        "![Figure 2: Data flow](flow.svg)\n\n"
        "Tool does one thing.\n\n"
        "[![Join the chat at https://gitter.im/x](https://badges.gitter.im/Join%20Chat.svg)]"
        "(https://gitter.im/x)\n\n"
        "![Figure 1: Version history](versions.svg) ![Licence text](licence.png)\n"
    )
    assert sections_of(text, "md") == [
        (
            "Full text",
            (
                "[! [The pipeline](docs/pipeline.png)](docs/pipeline-large.png) "
                "! [Figure 2: Data flow](flow.svg)",
                "Tool does one thing.",
                "! [Figure 1: Version history](versions.svg) ! [Licence text](licence.png)",
            ),
        )
    ]


def test_a_row_of_linked_thumbnails_stays_whole() -> None:
    row = "[![Fig 1](a.png)](a-large.png) [![Fig 2](b.svg)](b-large.svg)"
    assert sections_of(f"# R\n\n{row}\n\nText.\n", "md") == [
        ("Full text", (row.replace("![", "! ["), "Text."))
    ]


def test_a_line_of_images_that_fails_at_its_end_is_read_as_a_paragraph() -> None:
    # Spaces between the images shared out every way a backtracking pattern could: 40 gaps
    # of five spaces were beyond any run's patience, each gap multiplying the ways by six.
    line = "![a](b)     " * 40 + "x"
    assert sections_of(f"# R\n\n{line}\n", "md") == [("Full text", (line.replace("![", "! ["),))]


# -- a web page's images --------------------------------------------------------------------------

PAGE = """\
<html><head><title>The Great Leap</title></head><body><main>
<h1>The Great Leap</h1>
<h2>Origins</h2>
<p>The Great Leap Forward began in 1958 in China.</p>
<figure><a href="fig4-large.png"><img src="fig4.png"
 alt="Figure 4: Steel output of backyard furnaces, 1958 to 1960"></a>
<figcaption>Backyard furnaces in Henan.</figcaption></figure>
<p>As the map <img src="maps/henan (1959).png" alt="Map of Henan"> shows, Henan was hit first.</p>
<p><a href="https://travis-ci.org/x"><img src="https://travis-ci.org/x.svg" alt="Build Status"></a>
<a href="https://ci.example"><img src="b.svg" alt="coverage"></a></p>
<p><img src="icon.png" alt=""><img src="spacer.gif"><img src="deco.png" alt="Ornament"
 role="presentation"><img src="data:image/png;base64,iVBORw0KGgo=" alt="Figure 5: Rations">
Rations fell in 1960.</p>
<h2>Famine</h2>
<p>The famine killed millions between 1959 and 1961.</p>
</main></body></html>
"""


def test_a_web_pages_figures_stay_as_text_and_its_badges_and_icons_go(
    tmp_path: Path, run: Runner
) -> None:
    (tmp_path / "leap.html").write_text(PAGE, encoding="utf-8")
    result = run("ingest", str(tmp_path / "leap.html"), "--notes", str(tmp_path / "notes"))
    assert result.exit_code == 0, result.output
    assert excerpts(tmp_path, "leap") == {
        "Origins": "The Great Leap Forward began in 1958 in China.\n\n"
        "! [Figure 4: Steel output of backyard furnaces, 1958 to 1960](fig4.png)\n\n"
        "Backyard furnaces in Henan.\n\n"
        "As the map ! [Map of Henan](maps/henan%20%281959%29.png) shows, Henan was hit first.\n\n"
        "! [Figure 5: Rations]() Rations fell in 1960.",
        "Famine": "The famine killed millions between 1959 and 1961.",
    }
    assert run("check", "leap", "--notes", str(tmp_path / "notes")).exit_code == 0


def test_a_web_pages_unclosed_comment_keeps_the_text_after_it() -> None:
    page = (
        "<html><body><h1>R</h1><h2>A</h2><p>One.</p>\n<!-- TODO: add the map\n"
        "<h2>B</h2><p>Two.</p></body></html>"
    )
    text = "\n".join(p for _, paragraphs in sections_of(page, "html") for p in paragraphs)
    assert "One." in text and "Two." in text and "TODO: add the map" in text


@pytest.mark.parametrize(
    ("alt", "src", "badge"),
    [
        ("Build Status", "https://github.com/x/y/workflows/Tests/badge.svg?branch=main", True),
        ("npm", "https://img.shields.io/npm/dm/node-gyp", True),
        ("Documentation Status", "https://readthedocs.org/projects/x/badge/?version=latest", True),
        ("Go Report Card", "https://goreportcard.com/badge/github.com/x/y", True),
        ("version", "https://badge.fury.io/py/x.svg", True),
        ("License: MIT", "https://opensource.org/license.svg", True),
        ("Figure 3: Grain output by province", "fig3.png", False),
        ("Photo of a commune kitchen", "https://example.org/kitchen.jpg", False),
        ("Figure 1: Version history", "versions.svg", False),
        ("Version 2 screenshot", "v2.png", False),
        ("", "logo.svg", False),
    ],
)
def test_which_images_are_badges(alt: str, src: str, badge: bool) -> None:
    assert is_badge(alt, src) is badge
