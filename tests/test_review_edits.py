"""Editing the notes mid-session (`e`): the session goes on with the cards as they now read,
and undo asks a card as it now reads. The editor is a real program ($VISUAL, a small script
that rewrites the section file), run by the session's own editor hook, here without a
terminal to hand over."""

from __future__ import annotations

import contextlib
import io
from datetime import datetime
from pathlib import Path

import pytest
from rich.console import Console

from studykit.notes.library import load
from studykit.notes.validate import load_reading
from studykit.review.edited import now_reads
from studykit.review.keyed import keyed_cards
from studykit.review.screen import Screen, run
from studykit.review.session import SessionOptions
from studykit.review.starting import start

NOW = datetime.fromisoformat("2026-03-02T09:00:00+01:00")
STORE = Path(".studykit/review.db")


def _editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sed: str) -> None:
    script = tmp_path / "edit-notes"
    script.write_text(f"#!/bin/sh\nsed -i '{sed}' \"$1\"\n", encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("VISUAL", str(script))


def _session(notes: Path, actions: list[str]) -> list[str]:
    """Run a session on `actions` with the editor hook on; what it printed, line by line."""
    session, _ = start([load(None, notes)], STORE, SessionOptions(), NOW, 0.9)
    out = io.StringIO()
    screen = Screen(
        Console(file=out, width=100),
        iter(actions),
        reload=load_reading,
        suspend=contextlib.nullcontext,
    )
    run(session, lambda: NOW, screen)
    session.store.close()
    return [line.rstrip() for line in out.getvalue().splitlines()]


def _asked(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith(("Q: ", "A: ", "  ↳ ", "undone: "))]


def test_undo_after_an_edit_asks_each_card_as_it_now_reads(
    notes: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rewords the first card's point (a new identity: no `id:`) and the term's definition.
    _editor(
        tmp_path,
        monkeypatch,
        "s/conference met in/plenum met in/; s/large rural unit/largest rural unit/",
    )
    lines = _session(notes, ["", "3", "", "3", "e", "u", "", "u", "", "q"])
    assert "reloaded 01-basics.yaml" in lines, lines
    assert _asked(lines) == [
        "Q: The [...] conference met in 1959.",
        "A: The Lushan conference met in 1959.",
        "  ↳ Peng Dehuai was purged there.",
        "Q: People's commune",
        "A: The large rural unit of 1958, c. 5,000 households.",
        "  ↳ Created in 1958.",
        "Q: no",  # `e` here
        "Q: no",  # asked again after the edit
        "undone: People's commune",
        "Q: People's commune",
        "A: The largest rural unit of 1958, c. 5,000 households.",
        "  ↳ Created in 1958.",
        "undone: The Lushan plenum met in 1959.",
        "Q: The [...] plenum met in 1959.",
        "A: The Lushan plenum met in 1959.",
        "  ↳ Peng Dehuai was purged there.",
    ]


def test_undo_of_a_card_the_edit_removed_says_so(
    notes: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _editor(tmp_path, monkeypatch, "/Why did output fall/,/Households kept/d")
    answers = ["", "3"] * 4  # the Lushan cloze, the two terms, "Why did output fall?"
    lines = _session(notes, [*answers, "e", "u", "q"])
    assert _asked(lines)[-4:] == [
        "Q: What is a<b & c>d?",  # `e` here: the edit deletes the question answered before
        "Q: What is a<b & c>d?",
        "undone: Why did output fall? (no longer in the notes)",
        "Q: What is a<b & c>d?",  # the answer is taken back; the session goes on
    ], lines
    assert lines[-3].startswith("3 new  3 learning  0 review"), "the counts of the notes as edited"


def test_a_reworded_card_is_matched_only_where_it_is_clear(notes: Path) -> None:
    """One question reworded: the same card. Two questions reworded at once, or one deleted:
    no match (asking the wrong card would be worse than asking none)."""
    section = notes / "demo" / "01-basics.yaml"
    text = section.read_text(encoding="utf-8")
    before, _ = keyed_cards(load(None, notes), save=False)
    why = next(k for k in before if k.card.prompt == "Why did output fall?")
    what = next(k for k in before if k.card.prompt.startswith("What is"))

    def after(edited: str) -> dict[tuple[str, int], str]:
        section.write_text(edited, encoding="utf-8")
        cards, _ = keyed_cards(load(None, notes), save=False)
        return {key: k.card.prompt for key, k in now_reads(before, cards).items()}

    one = after(text.replace("Why did output fall?", "Why did grain output fall?"))
    assert one[why.key] == "Why did grain output fall?", one
    assert one[what.key] == what.card.prompt, "an unedited card is itself"
    two = after(text.replace("Why did", "Why then did").replace("What is", "What then is"))
    assert why.key not in two and what.key not in two, two
    new = after(text.replace("  - q: Why did output fall?\n", "  - q: What did output do?\n"))
    assert new[why.key] == "What did output do?", "reworded, even beyond recognition"
    deleted = after(
        text.replace("  - q: Why did output fall?\n", "").replace(
            "    a: Incentives were removed.\n    note: Households kept nothing extra.\n", ""
        )
    )
    assert why.key not in deleted, deleted
    assert len(deleted) == len(before) - 1, "every other card is matched"
