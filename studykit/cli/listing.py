"""The overview of readings and sections that `studykit list` prints."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studykit.cards import section_card_count
from studykit.errors import display_path, printable
from studykit.notes.model import Reading, Section

if TYPE_CHECKING:
    from rich.table import Table
    from rich.text import Text

    from studykit.notes.library import Checked
    from studykit.review.stats import SectionCounts

# Counts read from the review store, each None when the store cannot be read.
REVIEW_COUNTS = ("due", "buried", "suspended")


def listing(
    checked: list[Checked],
    due: Callable[[Reading], Mapping[str, SectionCounts]] | None = None,
    due_unknown: bool = False,
) -> list[dict[str, Any]]:
    """Readings with per-section counts, as plain data (the shape of `list --json`).

    A broken reading is listed too, with its first error; a broken section file is left out of
    its reading's sections and named in `problems`. `due(reading)` gives the cards due now,
    buried and suspended per section id, from the review store; without it nothing is due, and
    with `due_unknown` (a store that cannot be read) each of those counts is None.
    """
    rows = []
    for found in checked:
        firsts = {p.path: p for p in reversed(found.errors)}  # the first error of each file
        errors = [p.format() for p in reversed(firsts.values())]
        if found.reading is None:
            rows.append(
                {
                    "id": found.folder.name,
                    "path": display_path(found.folder),
                    "sections": [],
                    "problems": errors,
                }
            )
        else:
            due_now = None if due_unknown else due(found.reading) if due else {}
            rows.append({**_reading_row(found.reading, due_now), "problems": errors})
    return rows


def _counts(
    section: Section, reverse_terms: bool, due: Mapping[str, SectionCounts] | None
) -> dict[str, Any]:
    found = None if due is None else due.get(section.id)
    return {
        "points": len(section.points),
        "terms": len(section.terms),
        "questions": len(section.questions),
        "cards": section_card_count(section, reverse_terms),
        **{
            name: None if due is None else getattr(found, name) if found else 0
            for name in REVIEW_COUNTS
        },
    }


def _reading_row(reading: Reading, due: Mapping[str, SectionCounts] | None) -> dict[str, Any]:
    sections: list[dict[str, Any]] = [
        {
            "id": s.id,
            "number": s.number,
            "title": s.title,
            "path": display_path(s.path),
            **_counts(s, reading.reverse_terms, due),
        }
        for s in reading.sections
    ]
    totals = {k: sum(s[k] for s in sections) for k in ("points", "terms", "questions", "cards")}
    for name in REVIEW_COUNTS:
        totals[name] = None if due is None else sum(s[name] for s in sections)
    return {
        "id": reading.id,
        "title": reading.title,
        "path": display_path(reading.folder),
        "deck": reading.deck_name,
        **totals,
        "sections": sections,
    }


def listing_table(rows: list[dict[str, Any]], show_due: bool = False) -> Table:
    """The table `studykit list` prints: one line per reading and per section.

    A reading's title shares the first column with its id and is cut with … where the terminal
    is too narrow for it, rather than wrapped under the id.
    """
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Reading / section")
    # `due` stays out of the table until there is a review store: it would always read 0;
    # `buried` and `suspended` until some card is.
    aside = [name for name in REVIEW_COUNTS[1:] if any(row.get(name) for row in rows)]
    columns = ("points", "terms", "questions", "cards", *(("due",) if show_due else ()), *aside)
    for name in columns:
        table.add_column(name.capitalize(), justify="right", no_wrap=True)
    # Numbers right-aligned (`  99`, ` 100`), so that section ids start in one column.
    digits = max([2] + [len(str(s["number"])) for row in rows for s in row["sections"]])
    for row in rows:
        shown = printable(row["id"])  # a folder name, which may hold anything but "/"
        if "title" not in row:
            table.add_row(_line((shown, "bold"), ("  cannot be read", "red")))
        else:
            table.add_row(
                _line((shown, "bold"), f"  {row['title']}"), *(str(row[k]) for k in columns)
            )
        for problem in row["problems"]:
            name = Path(problem.split(": error: ")[0].split(":")[0]).name
            table.add_row(_line((f"  ✗ {name}: errors (not counted)", "red")))
        for s in row["sections"]:
            table.add_row(
                _line(f"  {s['number']:02d}".rjust(digits + 2) + f" {s['id']}"),
                *(str(s[k]) for k in columns),
            )
    return table


def _line(*parts: str | tuple[str, str]) -> Text:
    """A first-column cell on one line, ending in … when the column is narrower."""
    from rich.text import Text

    return Text.assemble(*parts, no_wrap=True, overflow="ellipsis")
