"""Tables in the terminal line up by display width: CJK takes two columns, a combining mark none.

Each command runs at 60, 80 and 120 columns (`COLUMNS`, as rich and the deck report read it) on a
reading titled in Chinese, a section titled "Café" with a combining accent (U+0301), and a
reading of 105 sections; the tests measure the printed lines with rich's `cell_len`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Runner
from rich.cells import cell_len

WIDTHS = [60, 80, 120]
CJK = "光合作用与呼吸作用"
PHOTO = f"Photosynthesis ({CJK})"
CAFE = "Cafe\u0301 chemistry and the long afternoon of reactions"
LONG_ID = "the-long-afternoon-of-cafe-chemistry-and-its-reactions"


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """notes/cjk (a Chinese title, CJK and combining marks in section titles) and notes/many
    (105 sections), in a fresh working folder."""
    notes = tmp_path / "notes"
    cjk = notes / "cjk"
    cjk.mkdir(parents=True)
    (cjk / "reading.yaml").write_text(f"title: {CJK}\n", encoding="utf-8")
    (cjk / "01-photo.yaml").write_text(
        f"title: {PHOTO}\nsummary: Light to sugar.\npoints:\n"
        "  - The {{chloroplast}} holds chlorophyll.\n"
        "questions:\n  - q: What does light split?\n    a: Water.\n",
        encoding="utf-8",
    )
    (cjk / "02-cafe.yaml").write_text(
        f"title: {CAFE}\nsummary: Coffee.\nquestions:\n  - q: Where?\n    a: Here.\n",
        encoding="utf-8",
    )
    many = notes / "many"
    many.mkdir()
    (many / "reading.yaml").write_text("title: A Reading of Many Sections\n", encoding="utf-8")
    for number in range(1, 106):
        (many / f"{number:03d}-s{number}.yaml").write_text(
            f"title: Section number {number}\nsummary: S.\n"
            f"questions:\n  - q: Question {number}?\n    a: Answer.\n",
            encoding="utf-8",
        )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)
    monkeypatch.setenv("STUDYKIT_NOW", "2026-03-02T09:00:00+01:00")
    return notes


def at(columns: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))


def column(line: str, text: str) -> int:
    """The display column where `text` starts in `line`."""
    assert text in line, (text, line)
    return cell_len(line[: line.index(text)])


def end(line: str, text: str) -> int:
    """The display column just after `text` in `line`."""
    return column(line, text) + cell_len(text)


def row(lines: list[str], start: str) -> str:
    """The one line that starts (after spaces) with `start`."""
    [found] = [line for line in lines if line.lstrip().startswith(start)]
    return found


# -- studykit list ---------------------------------------------------------------------------------


@pytest.mark.parametrize("columns", WIDTHS)
def test_list_keeps_each_row_on_one_line_and_counts_in_their_columns(
    library: Path, run: Runner, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    at(columns, monkeypatch)
    result = run("list")
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    # A header, a rule, two readings and 107 sections, a blank line above and below: no row wraps.
    assert len(lines) == 2 + 2 + 2 + 107, result.stdout
    assert all(cell_len(line) <= columns for line in lines), result.stdout
    header = row(lines, "Reading / section")
    cards = end(header, "Cards")
    reading = row(lines, "cjk ")
    # Every count ends under its header, whatever the width of the title before it.
    for line in [reading, row(lines, "01 photo"), row(lines, "100 s100"), row(lines, "01 s1")]:
        assert cell_len(line.rstrip()) == cards, (line, header)
    assert end(reading, "1") == end(header, "Points"), (reading, header)
    # Section ids start in one column, before and after 100 sections.
    assert column(row(lines, "01 s1"), "s1") == column(row(lines, "100 s100"), "s100"), lines
    assert column(row(lines, "99 s99"), "s99") == column(row(lines, "01 photo"), "photo")


@pytest.mark.parametrize(
    ("columns", "shown"),
    [
        (60, "cjk  光合作用与呼吸 …"),
        (80, f"cjk  {CJK} "),
        (120, f"cjk  {CJK} "),
    ],
)
def test_list_cuts_a_reading_title_only_where_it_must(
    library: Path, run: Runner, monkeypatch: pytest.MonkeyPatch, columns: int, shown: str
) -> None:
    at(columns, monkeypatch)
    result = run("list")
    assert result.exit_code == 0, result
    reading = row(result.stdout.splitlines(), "cjk ")
    assert reading.lstrip().startswith(shown), reading
    assert ("…" in reading) == (columns == 60), reading


def test_list_cuts_a_long_title_rather_than_wrapping_it_under_the_id(
    library: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    (library / "many" / "reading.yaml").write_text(
        "title: The Failure of Mao Zedong's Collectivization in a Long Title\n"
    )
    at(80, monkeypatch)
    result = run("list")
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    reading = row(lines, "many ")
    assert reading.startswith(" many  The Failure of Mao Zedong's Collec…  "), reading
    following = lines[lines.index(reading) + 1]
    assert following.startswith("    01 s1 "), "the next line is the next row, not the title's end"


# -- studykit deck ---------------------------------------------------------------------------------


def report(run: Runner, reading: str) -> list[str]:
    """The report's table: header, one line per section, total."""
    result = run("deck", reading, "--dry-run")
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  section"))
    stop = next(i for i, line in enumerate(lines) if line.startswith("  total"))
    return lines[start : stop + 1]


@pytest.mark.parametrize("columns", WIDTHS)
def test_deck_report_counts_stay_in_their_columns_after_cjk_and_accents(
    library: Path, run: Runner, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    at(columns, monkeypatch)
    table = report(run, "cjk")
    header, photo, cafe, total = table
    assert {cell_len(line) for line in table} == {cell_len(header)}, table
    assert cell_len(header) <= columns, table
    assert end(photo, "2     2") == end(cafe, "1     1") == end(header, "notes cards")
    assert photo == f"  01 {PHOTO}" + " " * (cell_len(header) - 12 - cell_len(PHOTO)) + "2     2"
    if columns == 60:
        # 53 columns of title where 42 are left: cut, and only this one.
        assert cafe.startswith("  02 Cafe\u0301 chemistry and the long afternoon…   "), cafe
    else:
        assert cafe.startswith(f"  02 {CAFE}   "), cafe
    assert total.startswith("  total "), total


@pytest.mark.parametrize("columns", WIDTHS)
def test_deck_report_titles_start_in_one_column_from_100_sections_on(
    library: Path, run: Runner, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    at(columns, monkeypatch)
    table = report(run, "many")
    assert table[1] == "  001 Section number 1         1     1", table[1]
    assert table[99] == "  099 Section number 99        1     1", table[99]
    assert table[100] == "  100 Section number 100       1     1", table[100]
    assert table[-1] == "  total                      105   105", table[-1]
    assert {len(line) for line in table} == {len(table[0])}, table


@pytest.mark.parametrize("columns", WIDTHS)
def test_deck_report_with_changes_fits_the_terminal(
    library: Path, run: Runner, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    built = run("deck", "cjk")
    assert built.exit_code == 0, built
    photo = library / "cjk" / "01-photo.yaml"
    photo.write_text(photo.read_text(encoding="utf-8").replace("Water.", "Water, split."))
    at(columns, monkeypatch)
    header, photo_row, cafe, _total = report(run, "cjk")
    # The heading of the changes is whole where there is room for it beside whole titles.
    label = "changed since the last build" if columns == 120 else "changed"
    assert header.endswith(f"notes cards  {label}"), header
    assert photo_row.endswith("2     2  1 updated"), photo_row
    assert end(photo_row, "2     2") == end(cafe, "1     1") == end(header, "notes cards")
    assert all(cell_len(line) <= columns for line in (header, photo_row, cafe)), header
    assert ("…" in cafe) == (columns < 90), cafe


# -- studykit summary ------------------------------------------------------------------------------


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("title", [CJK, "Cafe\u0301 au lait", f"{CJK} and Cafe\u0301"])
def test_summary_underline_is_as_wide_as_the_title(
    library: Path, run: Runner, monkeypatch: pytest.MonkeyPatch, columns: int, title: str
) -> None:
    (library / "cjk" / "reading.yaml").write_text(f"title: {title}\n", encoding="utf-8")
    at(columns, monkeypatch)
    result = run("summary", "cjk")
    assert result.exit_code == 0, result
    first, underline = result.stdout.splitlines()[:2]
    assert first == title, result.stdout
    assert underline == "=" * cell_len(title), result.stdout


def test_summary_of_the_cjk_title_reads_exactly(library: Path, run: Runner) -> None:
    result = run("summary", "cjk")
    assert result.exit_code == 0, result
    assert result.stdout.startswith(f"{CJK}\n==================\n\n1. {PHOTO}\n"), result.stdout


# -- studykit stats --------------------------------------------------------------------------------


@pytest.mark.parametrize("columns", WIDTHS)
def test_stats_titles_give_way_and_figures_keep_their_columns(
    library: Path, run: Runner, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    at(columns, monkeypatch)
    result = run("stats", "cjk")
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    header = row(lines, "Section ")
    photo, cafe = row(lines, "photo "), row(lines, "cafe ")
    assert all(cell_len(line) <= columns for line in lines), result.stdout
    for line in (photo, cafe):
        assert column(line, "not reviewed") == column(header, "Strength"), (line, header)
        assert end(line, "0") == end(header, "Reviewed"), (line, header)
        # Titles start under their header, whether CJK, accented or cut.
        assert column(line, line.split()[1][:4]) == column(header, "Title"), line
    assert column(photo, "2") + 1 == end(header, "Cards"), photo
    # The full title where there is room, cut with … where there is not.
    title_room = column(header, "Cards") - 3 - column(header, "Title")  # 3 between columns
    for line, title in ((photo, PHOTO), (cafe, CAFE)):
        fits = cell_len(title) <= title_room
        assert (title in line) == fits, (line, title_room)
        assert ("…" in line) == (not fits), line


def test_stats_shows_whole_titles_on_a_wide_terminal(
    library: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(120, monkeypatch)
    result = run("stats", "cjk")
    assert result.exit_code == 0, result
    assert f" photo     {PHOTO}                      2 " in result.stdout, result.stdout
    assert f" cafe      {CAFE}       1 " in result.stdout, result.stdout


# -- studykit review: the top line -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("columns", "top"),
    [
        (60, f"1 new  0 learning  0 review   cjk::{LONG_ID[:24]}…"),
        (80, f"1 new  0 learning  0 review   cjk::{LONG_ID[:44]}…"),
        (120, f"1 new  0 learning  0 review   cjk::{LONG_ID} · q · new"),
    ],
)
def test_review_top_line_stays_one_line(
    library: Path, run: Runner, monkeypatch: pytest.MonkeyPatch, columns: int, top: str
) -> None:
    cafe = library / "cjk" / "02-cafe.yaml"
    cafe.rename(cafe.with_name(f"02-{LONG_ID}.yaml"))
    at(columns, monkeypatch)
    result = run("review", "cjk", "--section", LONG_ID, input="q\n")
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    assert lines[:3] == [top, "", "Q: Where?"], result.stdout
    assert cell_len(lines[0]) <= columns, lines[0]
