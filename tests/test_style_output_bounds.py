"""A .csl file whose citation would render too many elements or print too much of its own
text, or that is over a megabyte, is refused in one line naming it before anything is written;
a volume too large for roman numerals is printed in arabic ones where a style asks for roman."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Runner
from style_helpers import BIBLIOGRAPHY, HEAD, cite, refused_everywhere

TITLE = '<text variable="title"/>'


def _chain(count: int, value: str) -> str:
    """Macros m0..m`count`, each calling the one before twice, m0 printing `value`."""
    macros = f'<macro name="m0"><text value="{value}"/></macro>' + "".join(
        f'<macro name="m{i}"><text macro="m{i - 1}"/><text macro="m{i - 1}"/></macro>'
        for i in range(1, count + 1)
    )
    citation = f'  <citation><layout><text macro="m{count}"/></layout></citation>\n'
    return f"{HEAD}  {macros}\n{citation}{BIBLIOGRAPHY}</style>\n"


REFUSED = {
    "a layout of many plain elements": (
        f"{HEAD}  <citation><layout>{TITLE * 2_500}</layout></citation>\n{BIBLIOGRAPHY}</style>\n",
        "mine.csl:4:1: error: this citation style's <citation> renders 2,501 elements for each "
        "work, over the 2,500 studykit allows",
    ),
    "a macro of many plain elements": (
        f'{HEAD}  <macro name="many">{TITLE * 2_501}</macro>\n'
        f'  <citation><layout><text macro="many"/></layout></citation>\n{BIBLIOGRAPHY}</style>\n',
        'mine.csl:4:3: error: this citation style\'s macro "many" renders 2,501 elements, over '
        "the 2,500 studykit allows",
    ),
    "a long value printed through macros within the call bound": (
        _chain(5, "v" * 4_000),
        'mine.csl:4:4288: error: this citation style\'s macro "m5" prints 128,000 characters of '
        "the style's own text, over the 100,000 studykit allows",
    ),
    "a long prefix in the layout": (
        f'{HEAD}  <citation><layout prefix="{"p" * 100_001}">{TITLE}</layout></citation>\n'
        f"{BIBLIOGRAPHY}</style>\n",
        "mine.csl:4:1: error: this citation style's <citation> prints 100,001 characters of the "
        "style's own text for each work, over the 100,000 studykit allows",
    ),
    "a file over a megabyte": (
        f"{HEAD}<!-- {'x' * 1_000_000} -->\n  <citation><layout>{TITLE}</layout></citation>\n"
        f"{BIBLIOGRAPHY}</style>\n",
        "mine.csl: error: this citation style is 1,000,366 bytes, over the 1,000,000 studykit "
        "reads of a citation style (the largest bundled style is 246 KB)",
    ),
}


@pytest.mark.parametrize("text,line", REFUSED.values(), ids=REFUSED.keys())
def test_a_style_that_would_print_too_much_is_refused(
    notes: Path, run: Runner, text: str, line: str
) -> None:
    cite(notes)
    refused_everywhere(run, text, line)


def test_a_chain_of_short_values_within_the_bounds_formats(notes: Path, run: Runner) -> None:
    """Eight macros doubling a 10-character value print it 256 times: 2,560 characters."""
    cite(notes)
    Path("mine.csl").write_text(_chain(8, "abcdefghi "), "utf-8")
    result = run("outline", "demo", "--style", "mine.csl")
    assert result.exit_code == 0, result
    assert "abcdefghi " * 255 + "abcdefghi" in " ".join(result.stdout.split()), result.stdout


@pytest.mark.parametrize(
    "volume,shown",
    [("14", "(P), xiv"), ("3999", "(P), mmmcmxcix"), ("1000000000000", "(P), 1000000000000")],
)
def test_a_volume_past_roman_numerals_is_printed_in_arabic(
    notes: Path, run: Runner, volume: str, shown: str
) -> None:
    """MHRA author-date prints a volume in roman numerals, which end at 3,999: a volume of
    10^12 was 10^9 letters "m" (2 GB); it is printed as written."""
    cite(notes, "Procurement rose [@yang2012].")
    (notes / "demo" / "sources.bib").write_text(
        "@book{yang2012, author={Yang, Jisheng}, title={Tombstone}, year={2012},\n"
        f"  volume={{{volume}}}, publisher={{P}}, address={{X}}}}\n",
        "utf-8",
    )
    result = run("outline", "demo", "--style", "mhra-author-date")
    assert result.exit_code == 0, result
    assert f"- Yang, Jisheng. 2012. *Tombstone* {shown}\n" in result.stdout, result.stdout
