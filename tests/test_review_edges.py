"""Review at its edges: out-of-range options, a store path that is a folder, siblings in the
closing count, and the library table in a narrow terminal."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import Runner

from studykit.cards import Kind
from studykit.notes.library import load
from studykit.review.keyed import keyed_cards
from studykit.review.scheduler import CardState, Grade, Phase
from studykit.review.store import Answer, open_store

NOW = datetime.fromisoformat("2026-03-02T09:00:00+00:00")


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYKIT_NOW", NOW.isoformat())
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)
    monkeypatch.delenv("TZ", raising=False)


def test_ahead_beyond_the_longest_interval_is_a_usage_error(notes: Path, run: Runner) -> None:
    result = run("review", "--ahead", "3000000", input="q\n")
    assert result.exit_code == 2, result
    assert "Invalid value for '--ahead'" in result.stderr, result
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", [["stats"], ["unsuspend"], ["review"]])
def test_a_store_that_is_a_folder_is_refused_by_every_command(
    notes: Path, run: Runner, command: list[str]
) -> None:
    Path("adir").mkdir()
    result = run(*command, "--state", "adir", input="q\n")
    assert result.exit_code == 1, result
    assert result.stderr == "adir: error: the review store is a folder; pass a file with --state\n"


def test_list_leaves_out_due_counts_for_a_store_that_is_a_folder(notes: Path, run: Runner) -> None:
    Path("adir").mkdir()
    result = run("list", "--json", "--state", "adir")
    assert result.exit_code == 0, result
    assert [r["due"] for r in json.loads(result.stdout)["readings"]] == [None]
    assert result.stderr == (
        "adir: warning: due counts left out: the review store is a folder; pass a file with "
        "--state\n"
    )


def test_the_closing_count_takes_one_card_of_a_note_as_the_day_shows_them(
    notes: Path, run: Runner
) -> None:
    # Both cards of a term (and its reverse) in review and due this morning.
    reading = load(None, notes)
    keyed, _ = keyed_cards(reading, save=True)
    term = next(k.note for k in keyed if k.note.kind is Kind.TERM)
    answered = (NOW - timedelta(days=3)).astimezone(UTC)
    due = NOW.replace(hour=4).astimezone(UTC)
    opened = open_store(Path("state.db"), NOW)
    for k in (k for k in keyed if k.note is term):
        state = CardState(Phase.REVIEW, None, 3.0, 5.0, due, answered, 2, 0, 3)
        opened.store.record(
            Answer(
                k.key, reading.id, term.section.id, term.identity, Grade.GOOD, answered, 900, None,
                state,
            )
        )  # fmt: skip
    opened.store.close()
    result = run("review", "--new", "0", "--state", "state.db", input="q\n")
    assert result.exit_code == 0, result
    assert result.stdout.startswith("0 new  0 learning  1 review"), result.stdout
    assert "Still due today: 1 card; due tomorrow: 0 cards" in result.stdout, result.stdout


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_the_library_table_keeps_every_figure_whole(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    second = notes / "a-reading-with-a-rather-long-folder-name"
    second.mkdir()
    (second / "reading.yaml").write_text("title: Second\n", encoding="utf-8")
    (second / "01-s.yaml").write_text(
        "title: S\nsummary: s\nquestions:\n  - q: Why?\n    a: Because.\n", encoding="utf-8"
    )
    assert run("review", "--state", "s.db", input="\n3\n" * 20 + "q\n").exit_code == 0
    monkeypatch.setenv("COLUMNS", str(columns))
    result = run("stats", "--state", "s.db")
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    header = next(line for line in lines if "Cards" in line and "Strength" in line)
    assert header.split()[1:] == ["Cards", "New", "Due", "Learning", "Reviewed", "Strength"]
    rows = lines[lines.index(header) + 2 : lines.index(header) + 4]
    figures = sorted(tuple(row.split()[1:6]) for row in rows)
    # The demo's 5 other cards are siblings of the 7 answered: buried until tomorrow, not new.
    assert figures == [("1", "0", "0", "0", "1"), ("12", "0", "0", "0", "7")], rows
    assert all(row.rstrip().endswith("%") for row in rows), rows
    assert max(len(line) for line in lines) <= columns


def test_a_cram_of_todays_failures_with_none_says_so(notes: Path, run: Runner) -> None:
    result = run("review", "--cram", "--failed-today", "--state", "c.db", input="q\n")
    assert result.exit_code == 0, result
    assert "Cram: no card was answered Again today; nothing to go through.\n" in result.stdout


def test_a_session_ended_early_says_how_many_new_cards_are_left_today(
    notes: Path, run: Runner
) -> None:
    """Quit before the day's new cards are through: the closing count names them, as Anki's
    overview shows its new count beside the due ones."""
    first = run("review", "--new", "3", "--state", "state.db", input="q\n")
    assert first.exit_code == 0, first
    assert first.stdout.startswith("3 new  0 learning  0 review"), first.stdout
    assert "Still due today: 0 cards and 3 new; due tomorrow: 0 cards" in first.stdout
    # Two answered (Again and Good, each a learning step today), then quit.
    second = run("review", "--new", "3", "--state", "state.db", input="\n1\n\n3\nq\n")
    assert second.exit_code == 0, second
    assert "Still due today: 2 cards and 1 new; due tomorrow: 0 cards" in second.stdout, (
        second.stdout
    )
    done = run("review", "--new", "0", "--state", "state.db", input="q\n")
    assert "Still due today: 2 cards; due tomorrow" in done.stdout, "no new card to come today"
