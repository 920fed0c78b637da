"""`studykit stats` takes time in proportion to the notes and the answer log it reads.

A reading's rows listed every card of the reading again for each section (5,000 sections of
one card each: 28 s, where 2,500 took 3 s), and a library's rows read the whole answer log
again for each reading (4,000 readings with 80,000 answers: 41 s, where 2,000 took 14 s). Each
is timed at n and at 2n, the notes loaded beforehand (`growth`).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import Runner
from growth import assert_doubling, cpu_seconds

from studykit.command import running
from studykit.notes.library import load, load_all
from studykit.notes.model import Reading
from studykit.review.stats import library_stats, reading_stats

NOW = datetime.fromisoformat("2026-11-29T08:00:00+01:00")
ANSWERS_PER_READING = 20


def _section(folder: Path, number: int) -> None:
    (folder / f"{number + 1:05d}-s{number}.yaml").write_text(
        f"title: Section {number}\nsummary: Summary {number}.\npoints:\n"
        f"  - text: Event {number} happened in {{{{{1000 + number % 999}}}}} at P{number}.\n",
        encoding="utf-8",
    )


def _reading_of_sections(notes: Path, sections: int) -> Reading:
    folder = notes / "r"
    folder.mkdir(parents=True)
    (folder / "reading.yaml").write_text("title: Reading R\n", encoding="utf-8")
    for number in range(sections):
        _section(folder, number)
    return load("r", notes)


def test_a_readings_stats_take_time_in_its_sections_not_sections_times_cards(
    here: Path,
) -> None:
    readings: dict[int, Reading] = {}

    def seconds(sections: int) -> float:
        if sections not in readings:
            readings[sections] = _reading_of_sections(here / f"s{sections}" / "notes", sections)
        found: list[dict[str, Any]] = []
        store = here / "no-store-yet.db"  # nothing reviewed: the rows are the notes' alone
        with running():
            took = cpu_seconds(lambda: found.append(reading_stats(readings[sections], store, NOW)))
        assert found[0]["cards"] == sections, found[0]["cards"]
        assert [s["id"] for s in found[0]["sections"]][:2] == ["s0", "s1"]
        assert {s["cards"] for s in found[0]["sections"]} == {1}
        return took

    assert_doubling(seconds, 2000, "stats READING", "the reading's cards once per section")


def _library(here: Path, run: Runner, monkeypatch: pytest.MonkeyPatch, size: int) -> Path:
    """`size` readings of one card each, and a store of `size` x 20 answers spread over them
    (one real answer, copied under other GUIDs and readings)."""
    library = here / f"l{size}"
    for number in range(size):
        folder = library / "notes" / f"r{number}"
        folder.mkdir(parents=True)
        (folder / "reading.yaml").write_text(f"title: Reading {number}\n", encoding="utf-8")
        _section(folder, number)
    monkeypatch.chdir(library)
    answered = run("review", "r0", "--limit", "1", input="\n3\nq\n")
    assert answered.exit_code == 0, answered
    store = library / ".studykit" / "review.db"
    db = sqlite3.connect(store)
    with db:
        db.execute(
            "INSERT INTO reviews (guid, card, reading, section, identity, rating, time, "
            "elapsed_ms, before, after) WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 "
            "FROM n WHERE v < ?) SELECT guid || 'x' || v, card, 'r' || (v % ?), section, "
            "identity, rating, time, elapsed_ms, before, after FROM reviews, n WHERE id = 1",
            (size * ANSWERS_PER_READING - 1, size),
        )
    db.close()
    return store


def test_a_librarys_stats_take_time_in_its_log_not_readings_times_answers(
    here: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)
    libraries: dict[int, tuple[list[Reading], Path]] = {}

    def seconds(size: int) -> float:
        if size not in libraries:
            store = _library(here, run, monkeypatch, size)
            libraries[size] = (load_all([], store.parent.parent / "notes"), store)
        readings, store = libraries[size]
        found: list[dict[str, Any]] = []
        with running():  # as the command runs it: other readings' records looked at once
            took = cpu_seconds(lambda: found.append(library_stats(readings, store, NOW)))
        assert found[0]["reviews"] == size * ANSWERS_PER_READING, found[0]["reviews"]
        assert [r["reviews"] for r in found[0]["readings"][:2]] == [
            ANSWERS_PER_READING,
            ANSWERS_PER_READING,
        ]
        return took

    assert_doubling(seconds, 400, "stats", "the whole answer log once per reading")
