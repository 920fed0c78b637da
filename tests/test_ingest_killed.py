"""An ingest killed where nothing can clean up (SIGKILL, a power cut) leaves its hidden staging
folder in the notes folder; the next ingest of that reading removes it, and leaves alone one
whose process still runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import Runner

WORDS = "collective commune harvest furnace peasant report province famine policy grain".split()


def _book(chapters: int) -> str:
    """A plain-text book large enough that its ingest is caught half-way."""
    parts = ["The Long Book"]
    for n in range(1, chapters + 1):
        parts.append(f"Chapter {n}. The {WORDS[n % len(WORDS)].title()} Years")
        for p in range(40):
            words = " ".join(WORDS[(n + p + k) % len(WORDS)] for k in range(30))
            parts.append(f"In {1900 + p} the {words}. The county reported {n * p} tons.")
    return "\n\n".join(parts) + "\n"


def _staging(notes: Path) -> list[Path]:
    return sorted(notes.glob(".book.ingest-*"))


def test_a_killed_ingests_staging_folder_goes_with_the_next_ingest(here: Path, run: Runner) -> None:
    source = here / "book.txt"
    source.write_text(_book(120), encoding="utf-8")
    notes = here / "notes"
    command = [sys.executable, "-m", "studykit", "ingest", str(source), "--id", "book"]
    killed = subprocess.Popen([*command, "--notes", str(notes)], stdout=subprocess.DEVNULL)
    try:
        # Wait for the staging folder to be made, then kill the ingest inside it.
        for _ in range(3000):
            if _staging(notes) or killed.poll() is not None:
                break
            time.sleep(0.01)
        left = _staging(notes)
        assert left, "the ingest ended before it was caught writing"
        os.kill(killed.pid, signal.SIGKILL)
    finally:
        killed.wait()
    assert _staging(notes) == left, "SIGKILL leaves the staging folder behind"
    assert not (notes / "book").exists()
    # A staging folder of a process that runs (this one's) is another ingest at work.
    running = notes / f".book.ingest-{os.getpid()}-abcd1234"
    (running / "book").mkdir(parents=True)
    # A hidden folder of the student's own, named alike but not studykit's, stays too.
    own = notes / ".book.ingest-notes"
    own.mkdir()
    again = run("ingest", str(source), "--id", "book", "--notes", str(notes))
    assert again.exit_code == 0, again
    assert (notes / "book" / "reading.yaml").is_file()
    assert _staging(notes) == sorted([own, running]), "the killed ingest's folder is gone"
