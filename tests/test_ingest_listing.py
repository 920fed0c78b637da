"""The sections `ingest` lists: file, title and what was drafted, each in a column of its own,
lined up by how wide the text looks, every row on one line of the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, Runner

from studykit.columns import width

ESSAY = REPO / "notes" / "mao-collectivization" / "failure-of-mao-collectivization.txt"
TEA = """A Short History

1. Origins of the Tea Trade

Tea reached Europe in 1610 on Dutch ships.

2. 茶の湯

The tea ceremony was shaped by Sen no Rikyu.

3. Prices

Prices fell.
"""


def listed(run: Runner, source: Path) -> list[str]:
    result = run("ingest", str(source), "--notes", "drafts")
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    return lines[1 : lines.index(next(line for line in lines if line.startswith("drafted ")))]


@pytest.mark.usefixtures("here")
def test_wide_enough_every_title_is_whole(run: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    assert listed(run, ESSAY) == [
        "  01-introduction.yaml   Introduction                                     [1 cloze point]",
        "  02-policies.yaml       Policies and Economic Miscalculations            "
        "[no card; summary and 2 points]",
        "  03-ideology.yaml       Ideological Motivations and Social Impact        "
        "[no card; 2 points]",
        "  04-international.yaml  International Ramifications and Lessons Learned  "
        "[no card; 2 points]",
        "  05-conclusion.yaml     Conclusion                                       "
        "[no card; summary]",
    ]


@pytest.mark.usefixtures("here")
def test_at_80_columns_long_titles_are_cut_and_rows_stay_whole(
    run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    rows = listed(run, ESSAY)
    assert rows == [
        "  01-introduction.yaml   Introduction            [1 cloze point]",
        "  02-policies.yaml       Policies and Economic…  [no card; summary and 2 points]",
        "  03-ideology.yaml       Ideological Motivatio…  [no card; 2 points]",
        "  04-international.yaml  International Ramific…  [no card; 2 points]",
        "  05-conclusion.yaml     Conclusion              [no card; summary]",
    ]
    assert max(map(width, rows)) <= 80, rows


def test_a_wide_script_title_lines_up_by_its_columns(
    here: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    source = here / "tea.txt"
    source.write_text(TEA, encoding="utf-8")
    rows = listed(run, source)
    # 茶の湯 takes six columns: three characters, two columns each.
    assert rows == [
        "  01-origins.yaml    Origins of the Tea Trade  [1 cloze point]",
        "  02-section-2.yaml  茶の湯                    [no card; 1 point]",
        "  03-prices.yaml     Prices                    [no card: yours to write]",
    ]
    assert len({width(row[: row.index("[")]) for row in rows}) == 1, "the brackets line up"
