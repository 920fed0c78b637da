"""A build manifest edited by hand costs only the change report: one warning, never a traceback.

The manifest still starts with studykit's mark, so it is read; a field of the wrong type (a
list for a section, 1e400 for a moment, a deck entry of one item) once ended `deck` in an
IndexError, OverflowError or TypeError, in the up-to-date check or in the comparison.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Runner

MANIFEST = Path("cards/.studykit/demo.manifest.json")
WARNING = (
    "warning: cards/.studykit/demo.manifest.json: the build manifest cannot be read (not in "
    "the form studykit writes), so this build reports no changes since the last one\n"
)


def _first_row(data: dict[str, Any]) -> list[Any]:
    rows: list[Any] = next(iter(data["notes"].values()))
    return rows


EDITS = {
    "deck entry of one item": lambda d: d.update(deck=d["deck"][:1]),
    "deck size 1e400": lambda d: d.update(deck=[1e400, d["deck"][1]]),
    "built 1e400": lambda d: d.update(built=1e400),
    "a note's moment 1e400": lambda d: _first_row(d).__setitem__(6, 1e400),
    "a note's section a list": lambda d: _first_row(d).__setitem__(2, ["x"]),
    "a note's identity a mapping": lambda d: _first_row(d).__setitem__(0, {"a": 1}),
    "a note's cards of mappings": lambda d: _first_row(d).__setitem__(7, [{"x": 1}]),
}


@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize("dry_run", [False, True], ids=["deck", "dry-run"])
def test_a_hand_edited_manifest_is_one_warning(
    notes: Path, run: Runner, edit: str, dry_run: bool
) -> None:
    assert run("deck").exit_code == 0
    data = json.loads(MANIFEST.read_text(encoding="utf-8"))
    EDITS[edit](data)
    MANIFEST.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    result = run("deck", *(["--dry-run"] if dry_run else []))
    assert result.exception is None, result
    assert result.exit_code == 0, result
    assert result.stderr == WARNING


def test_a_deck_damaged_in_place_is_not_up_to_date(notes: Path, run: Runner) -> None:
    # Same size, other bytes: the size alone once said "up to date" and kept the broken deck.
    assert run("deck").exit_code == 0
    deck = Path("cards/demo.apkg")
    damaged = bytearray(deck.read_bytes())
    damaged[200:1200] = bytes(1000)
    deck.write_bytes(bytes(damaged))
    result = run("deck")
    assert result.exit_code == 1, result
    assert result.stderr == (
        "cards/demo.apkg: error: will not replace this file with the deck: studykit did not "
        "write it (it is not the deck the last build wrote here: changed or damaged since); "
        "move it away, build elsewhere with -o, or replace it with --force\n"
    )
    assert deck.read_bytes() == bytes(damaged), "the file is left as it was"
    rebuilt = run("deck", "--force")
    assert rebuilt.exit_code == 0, rebuilt
    assert run("deck").stdout.startswith("demo: up to date"), "studykit's own again"
