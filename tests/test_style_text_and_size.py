"""A citation style whose macros would make too many calls, or whose own text holds a control
character, is refused in one line at its place in the .csl file, before anything is formatted
or written; the bundled styles, and a style that writes a carriage return, still format."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Runner
from growth import assert_doubling, cpu_seconds
from style_helpers import BIBLIOGRAPHY, CITATION, HEAD, cite, refused_everywhere


def _doubling(count: int) -> str:
    """Macros m0..m`count` on one line, each calling the one before twice; the citation calls
    the last: 2^(count+1) - 1 macro calls a citation."""
    macros = '<macro name="m0"><text variable="title"/></macro>' + "".join(
        f'<macro name="m{i}"><text macro="m{i - 1}"/><text macro="m{i - 1}"/></macro>'
        for i in range(1, count + 1)
    )
    citation = f'  <citation><layout><text macro="m{count}"/></layout></citation>\n'
    return f"{HEAD}  {macros}\n{citation}{BIBLIOGRAPHY}</style>\n"


def _leaf_calls(times: int, pick: str = "") -> str:
    """A style with a macro "many" that calls macro "leaf" `times` times; with `pick`, a macro
    "pick" that calls "many" twice: in two branches of a <choose> ("chosen"), of which one
    runs, or in a <group> ("grouped"), where both do."""
    calls = '<text macro="leaf"/>' * times
    twice = {
        "chosen": '<choose><if type="book"><text macro="many"/></if>'
        '<else><text macro="many"/></else></choose>',
        "grouped": '<group><text macro="many"/><text macro="many"/></group>',
    }
    picked = f'  <macro name="pick">{twice[pick]}</macro>\n' if pick else ""
    return (
        f'{HEAD}  <macro name="leaf"><text variable="title"/></macro>\n'
        f'  <macro name="many">{calls}</macro>\n{picked}{CITATION}{BIBLIOGRAPHY}</style>\n'
    )


CALL_LEAF = '<text macro="leaf"/>'
CALL_MANY = '<text macro="many"/>'

REFUSED = {
    "macros that double": (
        _doubling(40),
        'mine.csl:4:791: error: this citation style\'s macro "m13" expands to 16,383 macro '
        'calls, over the 10,000 studykit allows: it calls macro "m12" twice, which expands to '
        "8,191",
    ),
    "a macro one call over": (
        _leaf_calls(10_000),
        'mine.csl:5:3: error: this citation style\'s macro "many" expands to 10,001 macro calls, '
        'over the 10,000 studykit allows: it calls macro "leaf" 10,000 times, which expands to 1',
    ),
    "two branches that both run": (
        _leaf_calls(5_000, "grouped"),
        'mine.csl:6:3: error: this citation style\'s macro "pick" expands to 10,003 macro calls, '
        'over the 10,000 studykit allows: it calls macro "many" twice, which expands to 5,001',
    ),
    "a layout that calls a large macro often": (
        f'{HEAD}  <macro name="leaf"><text variable="title"/></macro>\n'
        f'  <macro name="many">{CALL_LEAF * 3_000}</macro>\n'
        f"  <citation><layout>{CALL_MANY * 4}</layout></citation>\n{BIBLIOGRAPHY}</style>\n",
        "mine.csl:6:1: error: this citation style's <citation> makes 12,004 macro calls for "
        'each work, over the 10,000 studykit allows: it calls macro "many" 4 times, which '
        "expands to 3,001",
    ),
    "a terminal control written as a reference": (
        f'{HEAD}  <citation><layout><text variable="title"/><text value="&#x9b;2J"/></layout>'
        f"</citation>\n{BIBLIOGRAPHY}</style>\n",
        "mine.csl:4:58: error: this citation style holds the control character U+009B CONTROL "
        "SEQUENCE INTRODUCER (written `&#x9b;`) in <text value>, which a terminal would act on "
        "in every citation studykit shows: delete it",
    ),
    "a terminal control written as it is": (
        f'{HEAD}  <citation><layout delimiter="; \x9d0;x">\n'
        f'    <text variable="title"/></layout></citation>\n{BIBLIOGRAPHY}</style>\n',
        "mine.csl:4:34: error: this citation style holds the control character U+009D "
        "OPERATING SYSTEM COMMAND in <layout delimiter>, which a terminal would act on in every "
        "citation studykit shows: delete it",
    ),
    "a control in a locale's term": (
        f"{HEAD}  <locale><terms>\n"
        '    <term name="and">and&#127;</term>\n'
        f"  </terms></locale>\n{CITATION}{BIBLIOGRAPHY}</style>\n",
        "mine.csl:5:25: error: this citation style holds the control character U+007F DELETE "
        "(written `&#127;`) in the text of <term>, which a terminal would act on in every "
        "citation studykit shows: delete it",
    ),
    "a right-to-left override": (
        f'{HEAD}  <citation><layout prefix="&#x202E;">\n'
        f'    <text variable="title"/></layout></citation>\n{BIBLIOGRAPHY}</style>\n',
        "mine.csl:4:29: error: this citation style holds the bidirectional control U+202E "
        "RIGHT-TO-LEFT OVERRIDE (written `&#x202E;`) in <layout prefix>, which would reorder "
        "the text of every citation it is printed in: delete it",
    ),
}


@pytest.mark.parametrize("refused", REFUSED, ids=list(REFUSED))
def test_a_style_too_large_or_with_a_control_is_one_line_at_its_place(
    notes: Path, run: Runner, refused: str
) -> None:
    cite(notes)
    text, line = REFUSED[refused]
    refused_everywhere(run, text, line)


def test_macro_calls_up_to_the_bound_are_a_style_studykit_formats(notes: Path, run: Runner) -> None:
    """2,499 calls of a macro rendering one element is within both bounds (2,500 elements);
    of a <choose>'s branches one runs, so a macro that calls a macro of 1,250 elements in each
    of two branches renders 1,250, not 2,500 and more."""
    cite(notes)
    styles = {"edge.csl": _leaf_calls(2_499), "chosen.csl": _leaf_calls(1_250, "chosen")}
    for name, text in styles.items():
        Path(name).write_text(text, "utf-8")
        result = run("outline", "demo", "--style", name)
        assert result.exit_code == 0, result
        assert "- Procurement rose Tombstone: The Great Chinese Famine, 1958–1962.\n" in (
            result.stdout
        )


def test_a_carriage_return_in_a_style_is_whitespace_as_bundled_styles_write_it(
    notes: Path, run: Runner
) -> None:
    """A carriage return is no control a terminal acts on once studykit has collapsed a
    citation's whitespace: apa-cv writes `&#13;&#10;` between entries, the INRAP style `&#13;`
    after an entry's label."""
    cite(notes)
    Path("mine.csl").write_text(
        f'{HEAD}{CITATION}  <bibliography><layout><group delimiter="&#13;">\n'
        '    <text variable="title"/><text variable="publisher"/>\n'
        "  </group></layout></bibliography>\n</style>\n",
        "utf-8",
    )
    result = run("outline", "demo", "--style", "mine.csl")
    assert result.exit_code == 0, result
    assert result.stdout.endswith(
        "## Works cited\n\n- Tombstone: The Great Chinese Famine, 1958–1962 Farrar, Straus and "
        "Giroux\n"
    ), result.stdout
    assert "\r" not in result.stdout


@pytest.mark.parametrize(
    ("style", "shown"),
    [
        ("chicago-author-date", "- Procurement rose (Yang 2012, 430).\n"),
        (
            "apa-cv",
            "## References\n\n- Yang, J. (2012). *Tombstone: The Great Chinese Famine, "
            "1958–1962*. Farrar, Straus and Giroux.\n",
        ),
        (
            "institut-national-de-recherches-archeologiques-preventives",
            "## Works cited\n\n- Yang 2012 YANG (J.) — *Tombstone: The Great Chinese Famine, "
            "1958–1962*. New York : Farrar, Straus\n  and Giroux, 2012.\n",
        ),
    ],
)
def test_bundled_styles_given_as_files_pass_the_checks(
    notes: Path, run: Runner, style: str, shown: str
) -> None:
    """Chicago author-date makes the most macro calls of the bundled styles (345 an entry);
    apa-cv and the INRAP style write a carriage return in a delimiter and a suffix. Copied
    as a student's file, each is checked as one and formats as the bundled style does."""
    from studykit.citing.styles import style_path

    cite(notes)
    mine = Path(f"{style}.csl")
    mine.write_bytes(style_path(style).read_bytes())
    for given in (style, str(mine)):
        result = run("outline", "demo", "--style", given)
        assert result.exit_code == 0, result
        assert shown in result.stdout, result.stdout


@pytest.mark.linear_time
def test_a_style_of_doubling_macros_is_refused_before_it_is_formatted(
    notes: Path, run: Runner
) -> None:
    """Formatting with n macros that each call the one before twice takes time in 2^n (16
    macros: 6 s, 40: days); refused when loaded, twice as many macros cost no more."""
    cite(notes)

    def seconds(count: int) -> float:
        path = Path(f"doubling{count}.csl")
        path.write_text(_doubling(count), "utf-8")
        return cpu_seconds(lambda: run("outline", "demo", "--style", str(path)))

    assert_doubling(seconds, 9, "a style of macros that each call the one before twice", "it")
