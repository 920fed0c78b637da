"""A build stopped before its report was printed shows that report the next time.

The student's case: Ctrl-C in `deck` after a reading's deck was written. The next `deck` finds
that deck up to date, so without the kept report the student would never read what changed,
the search for the reworded note, or "Re-import".
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import Runner

# `deck` as the student runs it, stopped as by Ctrl-C once every deck is written and before
# anything is printed: the latest moment a stop loses the reports.
STOPPED = """
import sys
import studykit.cli.anki as anki

def stopped(*args, **kwargs):
    raise KeyboardInterrupt

anki._print_reports = stopped
sys.argv = ["studykit", "deck"]
from studykit.cli.app import main
main()
"""

# Stopped while building the second of two readings, once the first one's deck is written.
STOPPED_BETWEEN = """
import sys
import studykit.anki.batch as batch

build = batch._build

def second_stopped(loaded, *args, **kwargs):
    if loaded.folder.name == "other":
        raise KeyboardInterrupt
    return build(loaded, *args, **kwargs)

batch._build = second_stopped
sys.argv = ["studykit", "deck"]
from studykit.cli.app import main
main()
"""

UNSHOWN = Path("cards/.studykit/demo.unshown.json")
STOPPED_LINE = "demo: the last build was stopped before its report was shown:"


def _stopped_deck(script: str = STOPPED) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "STUDYKIT_NOTES": "notes"},
    )


def _edit(notes: Path) -> None:
    section = notes / "demo" / "01-basics.yaml"
    text = section.read_text("utf-8")
    text = text.replace("a: Incentives were removed.", "a: Incentives were taken away.")
    text = text.replace("q: What is a<b & c>d?", "q: What is a<b & c>e?")
    section.write_text(text, "utf-8")


def test_the_next_deck_shows_what_a_stopped_one_built(notes: Path, run: Runner) -> None:
    assert run("deck").exit_code == 0
    _edit(notes)
    stopped = _stopped_deck()
    assert stopped.returncode == 130, stopped
    assert stopped.stdout == "" and stopped.stderr == "interrupted\n", stopped
    assert UNSHOWN.is_file(), "the written deck's report is kept"

    after = run("deck")
    assert after.exit_code == 0, after
    lines = after.stdout.splitlines()
    assert lines[0] == STOPPED_LINE
    assert lines[1] == "demo: wrote cards/demo.apkg"
    assert "Since the last build: 1 updated, 1 reworded." in lines
    assert "  updated  basics: Why did output fall?" in lines
    assert (
        "  reworded basics: What is a<b & c>e?  (was: What is a<b & c>d?; old note: "
        'tag:demo::basics "Front:re:(?s)^What is a\\&lt;b \\&amp; c\\&gt;d\\?$")'
    ) in lines
    assert any(line.startswith("Re-import cards/demo.apkg into Anki") for line in lines)
    assert lines[-1].startswith("demo: up to date (cards/demo.apkg, 7 notes, 12 cards)")
    assert not UNSHOWN.exists()

    again = run("deck")
    assert again.stdout.startswith("demo: up to date"), again
    assert STOPPED_LINE not in again.stdout


def test_a_report_printed_is_not_kept(notes: Path, run: Runner) -> None:
    assert run("deck").exit_code == 0
    _edit(notes)
    assert run("deck").exit_code == 0
    assert not UNSHOWN.exists()
    assert STOPPED_LINE not in run("deck").stdout


def test_json_gives_the_stopped_build_apart(notes: Path, run: Runner) -> None:
    assert run("deck").exit_code == 0
    _edit(notes)
    assert _stopped_deck().returncode == 130
    dry = json.loads(run("deck", "--dry-run", "--json").stdout)
    result = run("deck", "--json")
    assert result.exit_code == 0, result
    shown = json.loads(result.stdout)
    assert [d["status"] for d in shown["decks"]] == ["up-to-date"]
    [earlier] = shown["unshown"]
    assert earlier["status"] == "built"
    assert [c["label"] for c in earlier["changes"]["updated"]] == ["Why did output fall?"]
    assert dry["unshown"] == [earlier], "a dry run shows the kept report and leaves it"
    assert "unshown" not in json.loads(run("deck", "--json").stdout)


def test_a_damaged_or_foreign_kept_report_is_ignored(notes: Path, run: Runner) -> None:
    assert run("deck").exit_code == 0
    for content in (
        "{not json",
        '{"written_by": "studykit", "recorded": 1, "report": {"reading": "demo"}}',
        '{"written_by": "someone", "recorded": 1, "report": {}}',
        "[" * 100_000,
    ):
        UNSHOWN.write_text(content, "utf-8")
        result = run("deck")
        assert result.exit_code == 0, (content[:40], result)
        assert result.stdout.startswith("demo: up to date"), result
        assert result.stderr == "", result


def test_a_report_kept_for_a_deck_not_written_is_not_shown(notes: Path, run: Runner) -> None:
    # Stopped after the report was kept but before the manifest said the deck was written: the
    # deck there is the last one, and the next build reports the changes again itself.
    assert run("deck").exit_code == 0
    _edit(notes)
    assert _stopped_deck().returncode == 130
    kept = json.loads(UNSHOWN.read_text("utf-8"))
    UNSHOWN.write_text(json.dumps({**kept, "digest": "another build's"}), "utf-8")
    result = run("deck")
    assert result.exit_code == 0, result
    assert STOPPED_LINE not in result.stdout
    assert result.stdout.startswith("demo: up to date"), result
    assert not UNSHOWN.exists()


def test_a_deck_stopped_between_readings_names_what_it_wrote(notes: Path, run: Runner) -> None:
    shutil.copytree(notes / "demo", notes / "other", ignore=shutil.ignore_patterns("*.lock"))
    assert run("deck").exit_code == 0
    _edit(notes)
    stopped = _stopped_deck(STOPPED_BETWEEN)
    assert (stopped.returncode, stopped.stdout) == (130, ""), stopped
    assert stopped.stderr == (
        "interrupted; written but not yet reported: demo (run studykit deck again to see what "
        "changed)\n"
    )
    after = run("deck")
    assert after.stdout.splitlines()[0] == STOPPED_LINE, after
