"""Every reading at once: `review` and `stats` without READING work on the whole notes folder,
and review's top line, `list` and `stats` count due and learning cards by one rule."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import Runner

STORE = Path(".studykit/review.db")
MORNING = datetime.fromisoformat("2026-03-02T09:00:00+01:00")
FIRST_Q = "Q: The [...] conference met in 1959."
SECOND_Q = "Q: The Lushan conference met in [year]."
COMMUNE_Q = "Q: People's commune"
ZETA_FIRST, ZETA_LAST = "Q: Which came first?", "Q: Which came last?"
EXTRA = """title: Extra
questions:
  - q: Which came first?
    a: The commune.
  - q: Which came last?
    a: The famine.
"""


@pytest.fixture
def library(notes: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo reading and a second one, zeta (one section, two questions), after it."""
    zeta = notes / "zeta"
    zeta.mkdir()
    (zeta / "reading.yaml").write_text("title: Zeta Reading\n", encoding="utf-8")
    (zeta / "01-extra.yaml").write_text(EXTRA, encoding="utf-8")
    monkeypatch.setenv("STUDYKIT_NOW", MORNING.isoformat())
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)
    return notes


def at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setenv("STUDYKIT_NOW", moment.isoformat())


def questions(stdout: str) -> list[str]:
    return [line.strip() for line in stdout.splitlines() if line.startswith("Q: ")]


def logged_readings() -> list[str]:
    with sqlite3.connect(STORE) as db:
        return [str(r) for (r,) in db.execute("SELECT reading FROM reviews ORDER BY id")]


def test_review_goes_through_every_reading_with_one_new_card_limit(
    library: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = run("review", "--new", "2", input="\n4\n" * 2)
    assert first.exit_code == 0, first
    # New cards: the first reading first, one card a note (the first one's sibling is buried).
    assert questions(first.stdout) == [FIRST_Q, COMMUNE_Q], first
    used_up = run("review", "zeta", "--new", "2", input="\n4\n")
    assert questions(used_up.stdout) == [], "the day's two new cards are the library's"
    assert "No more cards due now." in used_up.stdout, used_up
    one_more = run("review", "zeta", "--new", "3", input="\n4\n")
    assert questions(one_more.stdout) == [ZETA_FIRST], one_more
    assert logged_readings() == ["demo", "demo", "zeta"]

    at(monkeypatch, MORNING + timedelta(days=60))  # all three are due
    later = run("review", "--new", "1", "--limit", "4", input="\n3\n" * 4)
    assert later.exit_code == 0, later
    assert later.stdout.startswith("1 new  0 learning  3 review"), later
    shown = questions(later.stdout)
    assert sorted(shown[:3]) == sorted([FIRST_Q, COMMUNE_Q, ZETA_FIRST]), (
        f"reviews of every reading before any new card: {shown}"
    )
    # Then new cards, reading by reading in notes order, past the siblings the reviews buried.
    assert shown[3:] == ["Q: no"], shown


def test_section_narrows_every_reading(library: Path, run: Runner) -> None:
    extra = run("review", "--section", "extra", input="\n4\n" * 3)
    assert extra.exit_code == 0, extra
    assert questions(extra.stdout) == [ZETA_FIRST, ZETA_LAST], extra
    nope = run("review", "--section", "nope", input="q\n")
    assert nope.exit_code == 2, nope
    assert nope.stderr == (
        "error: no section 'nope' in demo, zeta (sections: basics, more-things, extra)\n"
    ), nope


def _due_everywhere(run: Runner) -> dict[str, Any]:
    """What review's top line, `list` and `stats` (library and each reading) say is due."""
    top = run("review", "--new", "0", input="q\n")
    assert top.exit_code == 0, top
    listed = json.loads(run("list", "--json").stdout)["readings"]
    library = json.loads(run("stats", "--json").stdout)
    each = [json.loads(run("stats", r["id"], "--json").stdout) for r in listed]
    return {
        "top line": top.stdout.splitlines()[0].split("   ")[0],
        "list": [r["due"] for r in listed],
        "stats": (library["due"], library["learning"]),
        "stats per reading": [(r["due"], r["learning"]) for r in each],
    }


def test_list_review_and_stats_count_due_cards_by_one_rule(
    library: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At 09:00: Again (due 09:01), Good (due 09:10), Easy (days away) in demo; Good in zeta.
    run("review", "--new", "3", "--limit", "3", input="\n1\n\n3\n\n4\n")
    run("review", "zeta", "--new", "4", "--limit", "1", input="\n3\n")
    # Learning cards count from 20 minutes before they are due, as the session shows them.
    assert _due_everywhere(run) == {
        "top line": "0 new  3 learning  0 review",
        "list": [2, 1],
        "stats": (3, 3),
        "stats per reading": [(2, 2), (1, 1)],
    }
    at(monkeypatch, MORNING + timedelta(days=60))  # the Easy card too, in review
    assert _due_everywhere(run) == {
        "top line": "0 new  3 learning  1 review",
        "list": [3, 1],
        "stats": (4, 3),
        "stats per reading": [(3, 2), (1, 1)],
    }


def test_stats_of_the_library_sums_the_readings(library: Path, run: Runner) -> None:
    run("review", "--new", "3", "--limit", "3", input="\n1\n\n3\n\n4\n")
    run("review", "zeta", "--new", "4", "--limit", "1", input="\n3\n")
    demo = json.loads(run("stats", "demo", "--json").stdout)
    zeta = json.loads(run("stats", "zeta", "--json").stdout)
    library = json.loads(run("stats", "--json").stdout)
    assert library == {
        "cards": 14,
        "new": 7,  # the three buried siblings are counted apart
        "due": 3,
        "learning": 3,
        "reviewed": 4,
        "strength": 0.75,  # Again counts 0, the three answered well a moment ago 1
        "reviews": 4,
        "answers_by_source": {"terminal": 4, "anki": 0},
        "reviews_today": 4,
        "retention": None,
        "retention_today": None,
        "streak": 1,
        "leeches": 0,
        "buried": 3,
        "suspended": 0,
        "forecast": [a + b for a, b in zip(demo["forecast"], zeta["forecast"], strict=True)],
        "parameters": {"origin": "FSRS defaults", "retention": 0.9, "since": None},
        "readings": [demo, zeta],
    }
    assert (demo["strength"], zeta["strength"]) == (0.6667, 1.0)
    assert sum(library["forecast"]) == 4 and library["forecast"][0] == 3, library["forecast"]

    text = run("stats")
    assert text.exit_code == 0, text
    lines = [line.rstrip() for line in text.stdout.splitlines()]
    assert lines[:5] == [
        "2 readings in notes",
        "14 cards · 7 new · 3 due now (3 learning) · 3 buried",
        "4 reviews · true retention — · streak 1 day",
        "FSRS defaults · desired retention 90%",
        "review store: .studykit/review.db",
    ], text.stdout
    rows = lines[lines.index("Readings, weakest first") + 1 :]
    assert [line for line in rows if line.strip()] == [
        " Reading   Cards   New   Due   Learning   Reviewed   Strength",
        " ──────────────────────────────────────────────────────────────",
        " demo         12     6     2          2          3   ███░░ 67%",
        " zeta          2     1     1          1          1   █████ 100%",
        "Each reading's sections: studykit stats READING",
    ], text.stdout
    one = run("stats", "zeta")
    assert "Sections, weakest first" in one.stdout and "Zeta Reading" in one.stdout, one


def _copies(notes: Path, count: int) -> None:
    """`count` readings demo-00 ... each a copy of the demo reading (its identity record left
    out: each copy keys its own cards)."""
    import shutil

    demo = notes / "demo"
    for number in range(count):
        shutil.copytree(demo, notes / f"demo-{number:02d}")
        (notes / f"demo-{number:02d}" / "identities.lock").unlink(missing_ok=True)
    shutil.rmtree(demo)


@pytest.mark.parametrize(
    "args", [("--new", "200"), ("--new", "200", "--section", "basics"), ("--cram",)]
)
def test_library_review_is_the_same_when_a_second_process_keys_half_of_it(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    """The readings the second process keys come back as their cards' keys, loaded here when
    a card of one is shown: the same cards in the same order, logged the same."""
    _copies(notes, 8)
    monkeypatch.setenv("STUDYKIT_NOW", MORNING.isoformat())
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)
    seen = []
    for processes in ("1", "2"):
        monkeypatch.setenv("STUDYKIT_PROCESSES", processes)
        STORE.unlink(missing_ok=True)
        done = run("review", *args, input="\n4\n" * 100)
        assert done.exit_code == 0, done
        table = "cram" if "--cram" in args else "reviews"  # a cram is logged apart
        with sqlite3.connect(STORE) as db:
            logged = db.execute(
                f"SELECT guid, card, reading, section, identity, rating FROM {table} ORDER BY id"
            ).fetchall()
        db.close()
        seen.append((re.sub(r" in \d+s$", "", done.stdout, flags=re.MULTILINE), logged))
    (one, one_logged), (two, two_logged) = seen
    assert one == two
    # Every reading's cards were answered, the second process's share (demo-04 on) included.
    readings = sorted({row[2] for row in one_logged})
    assert readings == [f"demo-{n:02d}" for n in range(8)], readings
    expected = 96 if "--cram" in args else 40 if "basics" in args else 56
    assert len(one_logged) == expected, len(one_logged)
    assert one_logged == two_logged


def test_a_reading_the_second_process_keyed_is_read_as_its_notes_read_when_shown(
    notes: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Such a reading is loaded when a card of it is first read: an answer edited since the
    start reads as edited (its key is the same), a card since removed is one line to start
    again."""
    from studykit.errors import StudykitError
    from studykit.review.keyed import Later
    from studykit.review.starting import load_library

    _copies(notes, 4)
    monkeypatch.setenv("STUDYKIT_PROCESSES", "2")
    loaded = load_library(notes, tmp_path / "none.db", MORNING)
    later = [r for r in loaded.readings if isinstance(r, Later)]
    assert [r.id for r in later] == ["demo-02", "demo-03"], loaded.readings
    more = notes / "demo-02" / "02-more.yaml"
    more.write_text(more.read_text().replace("a: Yes.", "a: Yes, one more."))
    question = next(k for k in loaded.keyed["demo-02"] if k.card.prompt == "One more?")
    assert question.card.answer == "Yes, one more."
    assert question.reading.id == "demo-02" and question.note.section.id == "more-things"

    gone = notes / "demo-03" / "02-more.yaml"
    gone.write_text(gone.read_text().replace("  - q: One more?\n    a: Yes.\n", ""))
    cards = loaded.keyed["demo-03"]
    with pytest.raises(StudykitError, match="removed from its notes since the review started"):
        for card in cards:
            card.card  # noqa: B018 - reading it loads the reading
