"""`stats` strength through a day: FSRS recall of the time since the last answer, to the second,
as Anki's browser and card info show it, never held at 100% for a day and then dropped."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import Runner

ANSWERED = datetime.fromisoformat("2026-12-03T09:05:00+00:00")
NEXT_MORNING = datetime.fromisoformat("2026-12-04T09:00:00+00:00")
NEXT_EVENING = datetime.fromisoformat("2026-12-04T21:00:00+00:00")


def _stats(run: Runner, monkeypatch: pytest.MonkeyPatch, moment: datetime) -> dict[str, Any]:
    monkeypatch.setenv("STUDYKIT_NOW", moment.isoformat())
    result = run("stats", "demo", "--json")
    assert result.exit_code == 0, result
    data = json.loads(result.stdout)
    assert isinstance(data, dict), data
    return data


def _more_things(data: dict[str, Any]) -> float:
    [section] = [s for s in data["sections"] if s["id"] == "more-things"]
    assert section["reviewed"] == 1, section
    return float(section["strength"])


def anki_recall(stability: float, answered: datetime, moment: datetime) -> float:
    """Retrievability as Anki's own engine computes it for its browser column: the SQL function
    of the `anki` package, given a card that holds its last answer's time."""
    import tempfile

    from anki.collection import Collection

    with tempfile.TemporaryDirectory() as folder:
        col = Collection(str(Path(folder) / "collection.anki2"))
        try:
            last = int(answered.timestamp())
            data = json.dumps({"s": stability, "d": 5.0, "dr": 0.9, "decay": 0.1542, "lrt": last})
            now = int(moment.timestamp())
            # due and interval in days (100, 1) are read only for a card without its answer time
            found = col.db.scalar(
                "SELECT extract_fsrs_retrievability(?, 100, 1, 101, ?, ?)", data, now, now
            )
        finally:
            col.close()
    return float(found)


@pytest.mark.usefixtures("notes")
def test_strength_falls_through_the_day_after_an_answer(
    run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At 09:05, `Set {{x}} ...` answered Good twice: in review, stability w2 = 2.3065 days.
    monkeypatch.setenv("STUDYKIT_NOW", ANSWERED.isoformat())
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)
    done = run("review", "demo", "--section", "more-things", "--new", "1", input="\n3\n\n3\n")
    assert "Good: next in 2d" in done.stdout, done
    assert _more_things(_stats(run, monkeypatch, ANSWERED)) == 1.0, "just answered"

    morning = _stats(run, monkeypatch, NEXT_MORNING)
    evening = _stats(run, monkeypatch, NEXT_EVENING)
    [state] = morning["card_states"]
    assert state["stability"] == 2.3065, state
    # 23 h 55 min after the answer, and 11 h 55 min later the same review day: Anki shows
    # 94.7% and 92.7%. Counted in whole days it read 100% at 09:00 and 94.7% from 09:05.
    assert round(anki_recall(2.3065, ANSWERED, NEXT_MORNING), 4) == 0.947
    assert round(anki_recall(2.3065, ANSWERED, NEXT_EVENING), 4) == 0.9269
    assert _more_things(morning) == 0.947, morning["sections"]
    assert _more_things(evening) == 0.9269, evening["sections"]
    # The basics section has no answer; the reading's figure is the one card's.
    assert (morning["strength"], evening["strength"]) == (0.947, 0.9269)

    monkeypatch.setenv("STUDYKIT_NOW", NEXT_MORNING.isoformat())
    table = run("stats", "demo").stdout.split("Sections, weakest first")[1]
    assert " more-things   More         4          1   █████████░ 95%" in table, table
    monkeypatch.setenv("STUDYKIT_NOW", NEXT_EVENING.isoformat())
    table = run("stats", "demo").stdout.split("Sections, weakest first")[1]
    assert " more-things   More         4          1   █████████░ 93%" in table, table


@pytest.mark.usefixtures("notes")
def test_strength_falls_at_every_hour_not_once_a_day(
    run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STUDYKIT_NOW", ANSWERED.isoformat())
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)
    run("review", "demo", "--section", "more-things", "--new", "1", input="\n3\n\n3\n")
    later = [ANSWERED + timedelta(hours=h) for h in (1, 6, 18, 23, 24, 25, 30)]
    figures = [_more_things(_stats(run, monkeypatch, moment)) for moment in later]
    expected = [round(anki_recall(2.3065, ANSWERED, moment), 4) for moment in later]
    assert figures == expected, f"{figures} where Anki shows {expected}"
    assert figures == sorted(set(figures), reverse=True), f"falling at every step: {figures}"
