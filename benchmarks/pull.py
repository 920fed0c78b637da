"""`studykit pull` of a collection with 50,000 review-log rows on 5,000 studykit cards.

The collection is made with the `anki` package: the deck `studykit deck` builds for a synthetic
library of 5,000 cards (2 readings of 100 sections) imported, then ten answers logged per card
(a learning answer, nine reviews a growing interval apart) and each card left in review with
an FSRS memory state, as Anki leaves it. Each run pulls the closed `collection.anki2` into a
fresh store. The baseline opens the same collection with the `anki` package and reads its
review log, nothing else (goal: pull at most 1.5x that). A third command, for scale, writes the
same log rows into a fresh store with `Store.pull` alone (read back from a store pulled
beforehand): the part of a pull no reading of Anki's file can save.

    python benchmarks/pull.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from library import write_library
from timing import alternate, report

DAY_MS = 86_400_000
START_MS = 1_740_000_000_000  # 2025-02-19


def make_collection(notes: Path, folder: Path) -> tuple[Path, int, int]:
    """The studied collection: its path, its cards and its review-log rows."""
    decks = folder / "decks"
    subprocess.run(
        [sys.executable, "-m", "studykit", "deck", "--notes", str(notes), "-o", f"{decks}/"],
        check=True,
        capture_output=True,
    )
    from anki.collection import Collection, ImportAnkiPackageRequest
    from anki.import_export_pb2 import ImportAnkiPackageOptions

    path = folder / "anki" / "collection.anki2"
    path.parent.mkdir()
    col = Collection(str(path))
    for deck in sorted(decks.glob("*.apkg")):
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(deck), options=ImportAnkiPackageOptions())
        )
    cards = col.db.list("SELECT id FROM cards ORDER BY id")
    revlog, updates = [], []
    for number, cid in enumerate(cards):
        moment, interval = START_MS + number * 1000, 0
        revlog.append((moment, cid, -1, 3, -600, 0, 0, 4000, 0))  # learning: Good
        for _ in range(9):
            last, interval = interval, max(1, interval * 2)
            moment += max(last, 1) * DAY_MS
            revlog.append((moment, cid, -1, 3, interval, last, 2500, 5000, 1))
        data = json.dumps({"s": 40.5, "d": 4.2, "dr": 0.9, "decay": 0.1542, "lrt": moment // 1000})
        updates.append((2, 2, 400 + number % 30, interval, 10, data, cid))
    col.db.executemany("INSERT INTO revlog VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", revlog)
    col.db.executemany(
        "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, reps = ?, data = ? WHERE id = ?",
        updates,
    )
    col.close()
    return path, len(cards), len(revlog)


BASELINE = """
import sys
from anki.collection import Collection
col = Collection(sys.argv[1])
rows = col.db.all("SELECT * FROM revlog")
col.close()
assert len(rows) == 50_000, len(rows)
"""

WRITE_ONLY = """
import sqlite3, sys
from datetime import UTC, datetime
from pathlib import Path
from studykit.review.store import open_store
with sqlite3.connect(sys.argv[1]) as db:
    answers = {(g, c): blob for g, c, blob in db.execute("SELECT guid, card, answers FROM pulled")}
    notes = {g: (r, s, i) for g, r, s, i in db.execute("SELECT * FROM pulled_notes")}
store = open_store(Path(sys.argv[2]), datetime.now(UTC)).store
assert store.pull(answers, notes, {}, [], datetime.now(UTC)) == 50_000
store.close()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        notes = root / "notes"
        write_library(notes, readings=2, sections=100)
        collection, cards, rows = make_collection(notes, root)
        print(f"{cards} studykit cards, {rows} review-log rows in {collection.name}")
        state, reference, written = root / "review.db", root / "pulled.db", root / "written.db"
        pull = (
            f'rm -f "{state}" "{state}-wal" "{state}-shm" && exec "{sys.executable}" -m '
            f'studykit pull "{collection}" --notes "{notes}" --state "{state}" > /dev/null'
        )
        studykit = [sys.executable, "-m", "studykit"]
        subprocess.run(
            [*studykit, "pull", str(collection), "--notes", str(notes), "--state", str(reference)],
            check=True,
            capture_output=True,
        )
        write = (
            f'rm -f "{written}" "{written}-wal" "{written}-shm" && exec "{sys.executable}" '
            f'-c {shlex.quote(WRITE_ONLY)} "{reference}" "{written}"'
        )
        medians = alternate(
            {
                "studykit pull (fresh store)": ["sh", "-c", pull],
                "anki: open, read the revlog": [sys.executable, "-c", BASELINE, str(collection)],
                "store: write the log rows alone": ["sh", "-c", write],
            },
            args.runs,
        )
        ok = report(
            "pull of a closed collection.anki2",
            medians,
            "studykit pull (fresh store)",
            "anki: open, read the revlog",
            1.5,
        )
        floor = medians["store: write the log rows alone"] / medians["anki: open, read the revlog"]
        print(f"  the store's writing alone: {floor:.2f}x the anki baseline")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
