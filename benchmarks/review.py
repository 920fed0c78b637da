"""`studykit review` on 50,000 cards with all of them in the store.

Three figures: starting a session up to its first question, against `studykit check` on the
same notes (goal: at most 1.5x); SQLite's quick check that opening the store runs, beside reading
every card's state; and the time one answer takes to commit (goal: median at most 20 ms, each
answer its own synced transaction, the card's state read again under the write lock, its
siblings buried, and for every other answer, to a new card, the day's new cards counted
against the daily limit).

The library is 20 readings of 100 sections (`--shape library`, the default: `review` without
READING goes through all of them), or one reading of 2,000 sections (`--shape deep`).

    python benchmarks/review.py [--runs 5] [--answers 200] [--shape library|deep]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from library import write_library
from timing import alternate, report

from studykit.notes.library import load
from studykit.review.keyed import keyed_cards
from studykit.review.scheduler import CardState, Grade, Phase
from studykit.review.store import Answer, NewCap, open_store

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)


def fill_store(notes: Path, state: Path) -> int:
    """Give every card a review state (about a tenth due now) and one logged answer."""
    store = open_store(state, NOW).store
    store.close()
    rng = random.Random(7)
    answered = (NOW - timedelta(days=5)).isoformat()  # when each card was last answered
    cards, reviews = [], []
    for folder in sorted(p for p in notes.iterdir() if p.is_dir()):
        reading = load(str(folder), notes)
        keyed, _ = keyed_cards(reading, save=True)  # the record saved, as a session would
        for k in keyed:
            due = NOW + timedelta(days=rng.uniform(-3, 27))
            after = CardState(Phase.REVIEW, None, 12.0, 5.0, due, NOW - timedelta(days=5), 3, 0)
            raw = json.dumps(after.to_json())
            cards.append((*k.key, int(Phase.REVIEW), due.timestamp(), raw))
            note = k.card.note
            reviews.append(
                (*k.key, reading.id, note.section.id, note.identity, 3, answered, 4000, raw)
            )
    with sqlite3.connect(state) as db:
        db.executemany("INSERT INTO cards VALUES (?, ?, ?, ?, ?)", cards)
        db.executemany(
            "INSERT INTO reviews (guid, card, reading, section, identity, rating, time, "
            "elapsed_ms, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
            reviews,
        )
    return len(cards)


def answer_times(notes: Path, state: Path, answers: int) -> list[float]:
    """Seconds each of `answers` commits takes on the full store: every other card made new
    first, so that its answer introduces it under the daily limit."""
    reading = load(str(sorted(p for p in notes.iterdir() if p.is_dir())[0]), notes)
    keyed, _ = keyed_cards(reading, save=False)
    new = [k.key for k in keyed[:answers:2]]
    with sqlite3.connect(state) as db:
        db.executemany("DELETE FROM cards WHERE guid = ? AND card = ?", new)
    db.close()
    cap = NewCap(answers, NOW - timedelta(hours=5))  # since 04:00: this run's answers only
    store = open_store(state, NOW).store
    states = store.states()
    times = []
    for k in keyed[:answers]:
        before = states[k.key].state() if k.key in states else None
        after = CardState(Phase.REVIEW, None, 30.0, 5.0, NOW + timedelta(days=30), NOW, 4, 0)
        note = k.card.note
        answer = Answer(
            k.key, reading.id, note.section.id, note.identity, Grade.GOOD, NOW, 3000, before, after,
            siblings=tuple(n for n in note.cards if n != k.number),
            bury_until=NOW + timedelta(days=1),
        )  # fmt: skip
        start = time.perf_counter()
        store.record(answer, new_cap=cap)
        times.append(time.perf_counter() - start)
    store.close()
    return times


def check_times(state: Path, runs: int) -> tuple[float, float]:
    """Median seconds of SQLite's quick check (run on every open) and of reading every state."""
    checks, reads = [], []
    for _ in range(runs):
        with sqlite3.connect(state) as db:
            start = time.perf_counter()
            db.execute("PRAGMA quick_check").fetchall()
            checks.append(time.perf_counter() - start)
            start = time.perf_counter()
            db.execute("SELECT guid, card, phase, due, state FROM cards").fetchall()
            reads.append(time.perf_counter() - start)
        db.close()
    return statistics.median(checks), statistics.median(reads)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--answers", type=int, default=200)
    parser.add_argument("--shape", choices=("library", "deep"), default="library")
    args = parser.parse_args()
    readings, sections = (20, 100) if args.shape == "library" else (1, 2000)
    with tempfile.TemporaryDirectory() as tmp:
        notes = Path(tmp) / "notes"
        state = Path(tmp) / "review.db"
        write_library(notes, readings=readings, sections=sections)
        cards = fill_store(notes, state)
        print(
            f"{cards} cards in {readings} reading(s), all in the store "
            f"({state.stat().st_size / 1e6:.1f} MB)"
        )
        # End of input right away: the session shows its first question and quits.
        quiet = ["sh", "-c", 'exec "$@" < /dev/null', "sh", sys.executable, "-m", "studykit"]
        load = os.getloadavg()[0]  # other work slows two processes more than one: say how much
        env = {"STUDYKIT_NOW": NOW.isoformat(), "PATH": "/usr/bin:/bin"}
        medians = alternate(
            {
                "studykit review (first question)": [
                    *quiet, "review", "--notes", str(notes), "--state", str(state)
                ],
                "studykit check": [*quiet, "check", "--notes", str(notes)],
            },
            args.runs,
            env=env,
        )  # fmt: skip
        print(f"load average (1 min) {load:.2f} before, {os.getloadavg()[0]:.2f} after")
        ok = report(
            f"review start: {cards:,} cards in {readings} reading(s), all in the store",
            medians,
            "studykit review (first question)",
            "studykit check",
            1.5,
        )
        check, read = check_times(state, args.runs)
        print(f"store quick check on open: median {check * 1000:.0f} ms, beside reading every")
        print(f"  card's state {read * 1000:.0f} ms")
        times = answer_times(notes, state, args.answers)
    median = statistics.median(times) * 1000
    worst = max(times) * 1000
    verdict = "meets" if median <= 20 else "MISSES"
    print(f"answer commit ({len(times)} answers, synced WAL): median {median:.1f} ms, ")
    print(f"  max {worst:.1f} ms (goal: median <= 20 ms): {verdict}")
    raise SystemExit(0 if ok and median <= 20 else 1)


if __name__ == "__main__":
    main()
