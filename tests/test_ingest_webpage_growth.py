"""Reading a web page takes time in proportion to the page, whatever it repeats: a table row
of many cells, a paragraph of many defined terms, many abstracts, bylines nested deep, many
authors. Each of these once took time in the square of its count (a row of 80,000 cells: 42 s).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from growth import assert_doubling, cpu_seconds

from studykit.ingest.sources import Heading, Item, Paragraph
from studykit.ingest.webpage import parse_html


def parse_page(html: str) -> list[Item]:
    return parse_html(html)[0]


def assert_linear(page: Callable[[int], str], n: int, what: str) -> None:
    def seconds(size: int) -> float:
        html = page(size)
        return cpu_seconds(lambda: parse_page(html))

    assert_doubling(seconds, n, what, "this page")


# -- a table row of many cells ------------------------------------------------------------------


def test_a_row_reads_its_cells_joined_by_bars() -> None:
    items = parse_page("<h1>T</h1><table><tr><td> </td><td>a</td><td>b</td></tr></table>")
    assert Paragraph("a | b") in items


def test_doubling_the_cells_of_a_row_at_most_doubles_the_time() -> None:
    assert_linear(
        lambda n: "<h1>T</h1><table><tr>" + "<td>x</td>" * n + "</tr></table>",
        10_000,
        "reading a table row of <td>x</td> cells",
    )


# -- a paragraph of many defined terms ----------------------------------------------------------


def test_a_defined_term_reads_bold_and_an_empty_one_not_at_all() -> None:
    items = parse_page("<h1>T</h1><p>A <dfn>heap</dfn> is <dfn> </dfn>a tree.</p>")
    assert Paragraph("A **heap** is a tree.") in items


def test_doubling_the_defined_terms_of_a_paragraph_at_most_doubles_the_time() -> None:
    assert_linear(
        lambda n: "<h1>T</h1><p>" + "<dfn>a</dfn> b " * n + "</p>",
        10_000,
        "reading a paragraph of <dfn>a</dfn> terms",
    )


# -- abstracts ----------------------------------------------------------------------------------


def test_an_abstract_is_a_section_titled_abstract_at_the_level_of_the_next_heading() -> None:
    items = parse_page(
        '<h1>T</h1><div class="abstract"><p>Abstract</p><p>Heaps.</p></div>'
        '<h2>Intro</h2><p>Trees.</p><div class="abstract"><p>Lists.</p></div><h3>End</h3>'
    )
    assert items == [
        Heading(1, "T", "T"),
        Heading(2, "Abstract", "Abstract"),
        Paragraph("Heaps."),
        Heading(2, "Intro", "Intro"),
        Paragraph("Trees."),
        Heading(3, "Abstract", "Abstract"),
        Paragraph("Lists."),
        Heading(3, "End", "End"),
    ]


def test_doubling_the_abstracts_of_a_page_at_most_doubles_the_time() -> None:
    assert_linear(
        lambda n: "<h1>T</h1><p>Text.</p>" + '<div class="abstract">x.</div>' * n,
        2_000,
        "reading a page of sibling abstracts",
    )


@pytest.mark.parametrize("unit", ['<div class="abstract">x ', '<div class="abstract"><p>x '])
def test_doubling_the_depth_of_nested_abstracts_at_most_doubles_the_time(unit: str) -> None:
    assert_linear(
        lambda n: "<h1>T</h1><p>Text.</p>" + unit * n + "<h2>E</h2>",
        2_000,
        f"reading a page of nested {unit}",
    )


# -- bylines and authors ------------------------------------------------------------------------


def test_the_authors_of_bylines_and_author_tags_are_the_readings_once_each() -> None:
    page = (
        '<h1>T</h1><div class="byline">By Jane Doe, MIT</div><div class="author">Al Roe</div>'
        '<div class="byline">Notes by Jane Doe</div><div class="byline">'
        + "Department of History " * 20
        + "by Someone Else</div><p>Text.</p>"
    )
    assert parse_html(page)[2] == "Jane Doe; Al Roe"


def test_doubling_the_depth_of_nested_bylines_at_most_doubles_the_time() -> None:
    assert_linear(
        lambda n: "<h1>T</h1><p>Text here.</p>" + '<div class="byline">x ' * n,
        4_000,
        "reading a page of nested bylines",
    )


def test_doubling_the_authors_of_a_page_at_most_doubles_the_time() -> None:
    assert_linear(
        lambda n: (
            "<h1>T</h1><p>Text.</p>"
            + "".join(f'<div class="author">Author Number{i}</div>' for i in range(n))
        ),
        10_000,
        "reading a page of distinct authors",
    )
