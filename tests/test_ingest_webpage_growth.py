"""Reading a web page takes time in proportion to the page, whatever it repeats: a table row
of many cells, a paragraph of many defined terms, many abstracts, bylines nested deep, many
authors. Each of these once took time in the square of its count (a row of 80,000 cells: 42 s).
"""

from __future__ import annotations

from collections.abc import Callable

from growth import assert_doubling, cpu_seconds

from studykit.ingest.sources import Item, Paragraph
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
