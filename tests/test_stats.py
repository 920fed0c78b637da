"""`studykit stats`: the contract's JSON, the terminal view, and the due counts `list` uses."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import Runner

from studykit.notes.library import load
from studykit.review.stats import SectionCounts, due_counts, store_states

STORE = Path(".studykit/review.db")
START = datetime.fromisoformat("2026-03-02T09:00:00+01:00")
DAY_2 = START + timedelta(days=2)
LUSHAN = "basics/cloze/text:The Lushan conference met in 1959."
COMMUNE = "basics/term/text:People's commune"
SET_XYZ = "more-things/cloze/text:Set x and y and z."
NOTHING_YET = [0] * 30


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYKIT_NOW", START.isoformat())
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)


def at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setenv("STUDYKIT_NOW", moment.isoformat())


def _stats(run: Runner, *args: str) -> dict[str, Any]:
    result = run("stats", "--json", *args)
    assert result.exit_code == 0, result
    data = json.loads(result.stdout)
    assert isinstance(data, dict), data
    return data


def recall(days: int, stability: float) -> float:
    """FSRS retrievability by the fsrs package itself: never by the code under test."""
    import fsrs

    answered = datetime(2026, 3, 2, tzinfo=UTC)
    card = fsrs.Card(card_id=1, state=fsrs.State.Review, stability=stability, difficulty=5.0)
    card.last_review = answered
    later = answered + timedelta(days=days)
    return float(fsrs.Scheduler().get_card_retrievability(card, later))


def guids(notes: Path) -> dict[str, str]:
    """Note GUIDs by item, from the identity record review keeps beside the notes."""
    record = (notes / "demo" / "identities.lock").read_text(encoding="utf-8")
    return dict(line.split("\t") for line in record.splitlines() if not line.startswith("#"))


def stored_due(guid: str, card: int) -> str:
    """A card's due time as the store holds it (learning steps carry Anki's fuzz)."""
    with sqlite3.connect(STORE) as db:
        [(state,)] = db.execute(
            "SELECT state FROM cards WHERE guid = ? AND card = ?", (guid, card)
        ).fetchall()
    return str(datetime.fromisoformat(json.loads(state)["due"]).astimezone(UTC).isoformat())


def test_before_any_review_nothing_is_created(notes: Path, run: Runner) -> None:
    demo = {
        "reading": "demo",
        "cards": 12,
        "new": 12,
        "due": 0,
        "learning": 0,
        "reviewed": 0,
        "strength": None,
        "reviews": 0,
        "answers_by_source": {"terminal": 0, "anki": 0},
        "reviews_today": 0,
        "retention": None,
        "retention_today": None,
        "streak": 0,
        "leeches": 0,
        "buried": 0,
        "suspended": 0,
        "forecast": NOTHING_YET,
        "sections": [
            {"id": "basics", "title": "Basics", "cards": 8, "reviewed": 0, "strength": None},
            {"id": "more-things", "title": "More", "cards": 4, "reviewed": 0, "strength": None},
        ],
        "card_states": [],
        "parameters": {"origin": "FSRS defaults", "retention": 0.9, "since": None},
    }
    assert _stats(run, "demo") == demo
    library = {k: v for k, v in demo.items() if k not in ("reading", "sections", "card_states")}
    assert _stats(run) == {**library, "readings": [demo]}, "the library of one reading"
    assert not STORE.exists(), "stats is read-only: no store is made"
    text = run("stats", "--state", "elsewhere.db").stdout
    assert "review store: elsewhere.db (none yet: nothing reviewed)" in text, text
    assert not (notes / "demo" / "identities.lock").exists(), "stats writes no record"


def _answer_on_day_0(run: Runner) -> None:
    """At 09:00: `Set {{x}}...` Good, Good (in review for 2 days); the Lushan cloze's first
    card Good (learning, second step), the People's commune term Again (learning, first step).
    Each answer buries its siblings for the day: `Set {{y}}`, `{{z}}`, the Lushan cloze's second
    card and the reverse of the term."""
    first = run("review", "demo", "--section", "more-things", "--new", "1", input="\n3\n\n3\n")
    assert "2 answers in" in first.stdout and "Good: next in 2d" in first.stdout, first
    second = run(
        "review", "demo", "--section", "basics", "--new", "3", "--limit", "2", input="\n3\n\n1\n"
    )
    assert "2 answers in" in second.stdout, second


def test_every_figure_after_answers_at_fixed_times(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _answer_on_day_0(run)
    lushan, commune, set_xyz = (guids(notes)[k] for k in (LUSHAN, COMMUNE, SET_XYZ))
    # FSRS-6's first memory states: stability w2 = 2.3065 days after Good, w0 = 0.212 after
    # Again; difficulty D0(G) = w4 - e^(w5 (G - 1)) + 1, kept to 3 places (2.118 for Good,
    # 6.413 for Again); a second Good the same day pulls it 0.1% toward D0(4) = -4.736.
    states = [
        {
            "guid": lushan,
            "card": 0,
            "phase": "learning",
            "due": stored_due(lushan, 0),
            "stability": 2.3065,
            "difficulty": 2.118,
            "reps": 1,
            "lapses": 0,
        },
        {
            "guid": commune,
            "card": 0,
            "phase": "learning",
            "due": stored_due(commune, 0),
            "stability": 0.212,
            "difficulty": 6.413,
            "reps": 1,
            "lapses": 0,
        },
        {
            "guid": set_xyz,
            "card": 0,
            "phase": "review",
            "due": "2026-03-04T03:00:00+00:00",  # 04:00 (+01:00) two days on: its due day
            "stability": 2.3065,
            "difficulty": 2.111,
            "reps": 2,
            "lapses": 0,
        },
    ]
    day_0 = _stats(run, "demo")
    # Just answered: recall 1 for the cards answered Good, 0 for the one answered Again.
    assert day_0 == {
        "reading": "demo",
        "cards": 12,
        "new": 5,  # not the 4 buried, counted apart
        "due": 2,  # the two learning cards: due within the 20 minutes a session looks ahead
        "learning": 2,
        "reviewed": 3,
        "strength": 0.6667,
        "reviews": 4,
        "answers_by_source": {"terminal": 4, "anki": 0},
        "reviews_today": 4,
        "retention": None,  # no answer yet on a card in review
        "retention_today": None,
        "streak": 1,
        "leeches": 0,
        "buried": 4,
        "suspended": 0,
        "forecast": [2, 0, 1, *[0] * 27],
        "sections": [
            {"id": "basics", "title": "Basics", "cards": 8, "reviewed": 2, "strength": 0.5},
            {"id": "more-things", "title": "More", "cards": 4, "reviewed": 1, "strength": 1.0},
        ],
        "card_states": states,
        "parameters": {"origin": "FSRS defaults", "retention": 0.9, "since": None},
    }

    # Two days on (whole days, so every count of elapsed time agrees): recall by FSRS.
    at(monkeypatch, DAY_2)
    assert round(recall(2, 2.3065), 4) == 0.9095
    day_2 = _stats(run, "demo")
    assert day_2 == {
        **day_0,
        "new": 9,  # the buried cards are back, new
        "buried": 0,
        "due": 3,
        "learning": 2,
        "strength": round((recall(2, 2.3065) * 2 + 0) / 3, 4),
        "reviews_today": 0,
        "streak": 0,  # nothing yesterday
        "forecast": [3, *[0] * 29],
        "sections": [
            {"id": "basics", "title": "Basics", "cards": 8, "reviewed": 2, "strength": 0.4547},
            {"id": "more-things", "title": "More", "cards": 4, "reviewed": 1, "strength": 0.9095},
        ],
    }
    assert day_2["strength"] == 0.6063, day_2

    # Again on the card in review: it lapses into relearning and counts 0 until answered again.
    lapse = run("review", "demo", "--section", "more-things", "--new", "0", input="\n1\nq\n")
    assert lapse.stdout.startswith("0 new  0 learning  1 review"), lapse
    # After a lapse: S = w11 D^-w12 ((S+1)^w13 - 1) e^(w14 (1 - R)) with R = 0.9095 (0.6077);
    # D moves by w6 x 2 damped by (10 - D) / 9 and the 0.1% pull toward D0(4) (7.392).
    relearning = {
        **states[2],
        "phase": "relearning",
        "due": stored_due(set_xyz, 0),
        "stability": 0.6077,
        "difficulty": 7.392,
        "reps": 3,
        "lapses": 1,
    }
    assert (
        _stats(run, "demo")
        == {
            **day_2,
            "new": 7,  # the answer buried `Set {{y}}` and `{{z}}` again
            "buried": 2,
            "due": 3,
            "learning": 3,
            "strength": round(recall(2, 2.3065) / 3, 4),
            "reviews": 5,
            "answers_by_source": {"terminal": 5, "anki": 0},
            "reviews_today": 1,
            "retention": 0.0,  # the one answer on a card in review was Again
            "retention_today": 0.0,
            "streak": 1,
            "sections": [
                {"id": "basics", "title": "Basics", "cards": 8, "reviewed": 2, "strength": 0.4547},
                {"id": "more-things", "title": "More", "cards": 4, "reviewed": 1, "strength": 0.0},
            ],
            "card_states": [*states[:2], relearning],
        }
    )


def test_a_section_just_failed_is_not_strong(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("review", "demo", "--section", "more-things", "--new", "1", input="\n4\n")
    at(monkeypatch, START + timedelta(days=30))
    failed = run("review", "demo", "--section", "more-things", "--new", "0", input="\n1\nq\n")
    assert "Again: next in" in failed.stdout, failed
    table = run("stats", "demo").stdout.split("Sections, weakest first")[1]
    assert " more-things   More         4          1   ░░░░░░░░░░ 0%" in table, table
    assert " basics        Basics       8          0   not reviewed" in table, table
    # Relearnt: Good on the relearning step, answered a moment ago, so recalled now.
    run("review", "demo", "--section", "more-things", "--new", "0", input="\n3\nq\n")
    table = run("stats", "demo").stdout.split("Sections, weakest first")[1]
    assert " more-things   More         4          1   ██████████ 100%" in table, table


def test_terminal_view_puts_the_weakest_section_first(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _answer_on_day_0(run)
    at(monkeypatch, DAY_2)
    result = run("stats", "demo")
    assert result.exit_code == 0, result
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert lines[:5] == [
        "A Demo Reading",
        "12 cards · 9 new · 3 due now (2 learning)",
        "4 reviews · true retention — · streak 0 days",
        "FSRS defaults · desired retention 90%",
        "review store: .studykit/review.db",
    ], result.stdout
    assert "today 3 · tomorrow 0 · next 7 days 3 · next 30 days 3" in lines, result.stdout
    table = lines[lines.index("Sections, weakest first") + 1 :]
    assert [line for line in table if line.strip()] == [
        " Section       Title    Cards   Reviewed   Strength",
        " ────────────────────────────────────────────────────────",
        " basics        Basics       8          2   █████░░░░░ 45%",
        " more-things   More         4          1   █████████░ 91%",
    ], result.stdout


def test_streak_counts_days_in_a_row(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    for day in range(3):
        monkeypatch.setenv("STUDYKIT_NOW", (START + timedelta(days=day)).isoformat())
        run("review", "--new", "1", input="\n4\n")
    assert _stats(run)["streak"] == 3, "three days in a row"
    monkeypatch.setenv("STUDYKIT_NOW", (START + timedelta(days=3)).isoformat())
    assert _stats(run)["streak"] == 3, "today not yet reviewed: the streak still stands"
    monkeypatch.setenv("STUDYKIT_NOW", (START + timedelta(days=5)).isoformat())
    assert _stats(run)["streak"] == 0, "a day missed ends it"


def test_a_broken_store_is_reported_not_moved(notes: Path, run: Runner) -> None:
    STORE.parent.mkdir()
    STORE.write_text("not a database at all\n" * 100, encoding="utf-8")
    result = run("stats")
    assert result.exit_code == 1, result
    assert result.stderr.startswith(".studykit/review.db: error: not a review database"), result
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert STORE.read_text(encoding="utf-8").startswith("not a database"), "left as it was"


def test_due_counts_per_section(notes: Path, run: Runner) -> None:
    reading = load(None, notes)
    none = {"basics": SectionCounts(0, 0), "more-things": SectionCounts(0, 0)}
    assert due_counts(reading, store_states(STORE, START), START) == none
    assert not STORE.exists(), "no store is made to count nothing"
    run("review", "--new", "3", input="\n4\n" * 3)  # three notes; one sibling each buried
    later = START + timedelta(days=40)
    assert due_counts(reading, store_states(STORE, START), START) == {
        "basics": SectionCounts(due=0, buried=3),
        "more-things": SectionCounts(0, 0),
    }
    assert due_counts(reading, store_states(STORE, later), later) == {
        "basics": SectionCounts(due=3, buried=0),
        "more-things": SectionCounts(0, 0),
    }
    run("review", "--section", "more-things", "--new", "4", input="\n1\nq\n")  # 3 used today
    # Answered Again at 09:00: due at 09:01, counted from 08:41 on (Anki's 20-minute learn-ahead).
    assert due_counts(reading, store_states(STORE, START), START) == {
        "basics": SectionCounts(due=0, buried=3),
        "more-things": SectionCounts(due=1, buried=2),
    }
    before = START - timedelta(minutes=21)
    assert due_counts(reading, store_states(STORE, before), before) == {
        "basics": SectionCounts(due=0, buried=3),
        "more-things": SectionCounts(due=0, buried=2),
    }


def test_leeches_are_counted(notes: Path, run: Runner) -> None:
    """A card forgotten 8 times is a leech: `stats` counts it in both views."""
    from studykit.review.keyed import keyed_cards
    from studykit.review.scheduler import CardState, Grade, Phase
    from studykit.review.store import Answer, open_store

    reading = load(None, notes)
    [first, *_], _ = keyed_cards(reading, save=True)
    answered = START.astimezone(UTC)
    lapsed = CardState(
        Phase.RELEARNING, 0, 1.5, 9.0, answered + timedelta(minutes=10), answered, 20, 8
    )
    store = open_store(STORE, START).store
    note = first.card.note
    store.record(
        Answer(
            first.key,
            "demo",
            note.section.id,
            note.identity,
            Grade.AGAIN,
            answered,
            0,
            None,
            lapsed,
        )
    )
    store.close()
    assert _stats(run, "demo")["leeches"] == 1
    assert _stats(run)["leeches"] == 1, "the library counts it too"
    assert "1 review · true retention — · streak 1 day · 1 leech" in run("stats", "demo").stdout
