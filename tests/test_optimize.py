"""`studykit optimize`: personal FSRS parameters fitted to a simulated student's log, kept for
review only where they predict the answers better; `stats` says which parameters are in use."""

from __future__ import annotations

import json
import random
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import Runner

from studykit.review import settings
from studykit.review.optimize import LONGEST_HISTORY, MINIMUM, training_items
from studykit.review.scheduler import (
    PARAMETERS,
    CardState,
    Fsrs,
    Grade,
    Memory,
    Phase,
    Scheduler,
    fuzz_seed,
)
from studykit.review.store import Answer, LogRow, open_for_reading, open_store, timestamp

START = datetime.fromisoformat("2026-09-01T09:00:00+01:00")
NOW = datetime.fromisoformat("2026-12-30T09:00:00+01:00")  # the morning after the last session
# The simulated student forgets faster than FSRS's defaults assume: lower first stabilities,
# less growth per review, a flatter forgetting curve.
TRUE = (0.1, 0.5, 1.0, 4.0, *PARAMETERS[4:8], 1.3, *PARAMETERS[9:20], 0.35)
# What fsrs-rs fits to the simulated log (the same on every run: see the --json test).
FITTED = [
    0.1337, 0.1337, 0.7273, 8.0684, 6.5633, 0.6528, 3.2406, 0.0052, 1.5556, 0.2755, 0.479,
    1.4597, 0.0349, 0.2024, 1.7129, 0.6338, 1.5467, 0.5866, 0.0181, 0.1215, 0.1529,
]  # fmt: skip
# A new card answered Good, then Good again on its second step: the buttons it shows then.
GOOD_GOOD = "\n3\n\n3\n"


def simulate(path: Path, cards: int, days: int, seed: int = 7) -> int:
    """Review `cards` cards (20 new a day) for `days` days with studykit's scheduler and store,
    answering as a student whose memory follows FSRS with the parameters TRUE; the answers."""
    rng = random.Random(seed)
    scheduler, truth = Scheduler(), Fsrs(TRUE)
    opened = open_store(path, START)
    states: dict[tuple[str, int], CardState] = {}
    memory: dict[tuple[str, int], Memory] = {}
    answered = 0
    for day in range(days):
        now = START + timedelta(days=day, minutes=rng.randrange(600))
        new = [(f"sim{n:03d}", 0) for n in range(len(states), min(len(states) + 20, cards))]
        queue = [key for key, state in states.items() if state.due <= now] + new
        while queue:
            for key in queue:
                state = states.get(key)
                elapsed = scheduler.review_days(state.last_review, now) if state else 0
                if state is None:
                    grade = rng.choices(list(Grade), [0.25, 0.1, 0.55, 0.1])[0]
                else:
                    known = elapsed == 0 or (
                        truth.retrievability(elapsed, memory[key].stability) > rng.random()
                    )
                    passing = rng.choices([Grade.HARD, Grade.GOOD, Grade.EASY], [0.1, 0.82, 0.08])
                    grade = passing[0] if known and rng.random() < 0.97 else Grade.AGAIN
                memory[key] = truth.next(memory.get(key), elapsed, grade)
                after = scheduler.outcomes(state, now, fuzz_seed(key))[grade].state
                opened.store.record(Answer(key, "sim", "s", "id", grade, now, 4000, state, after))
                states[key] = after
                answered += 1
                now += timedelta(seconds=8)
            # Learning steps come back within the session; wait for the last of them.
            soon = now + timedelta(hours=1)
            queue = [k for k, s in states.items() if s.phase is not Phase.REVIEW and s.due < soon]
            if queue:
                now = max(now, *(states[k].due for k in queue))
    opened.store.close()
    return answered


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of 300 cards reviewed over 120 days (built once; each test takes a copy)."""
    path = tmp_path_factory.mktemp("simulated") / "review.db"
    simulate(path, cards=300, days=120)
    return path


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYKIT_NOW", NOW.isoformat())
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)
    monkeypatch.delenv("TZ", raising=False)


def _copy(store: Path, to: Path) -> Path:
    target = to / "progress.db"
    shutil.copy(store, target)
    return target


def test_a_fit_that_predicts_better_is_adopted_and_review_schedules_with_it(
    simulated: Path, notes: Path, run: Runner
) -> None:
    store = _copy(simulated, notes.parent)
    before = run("review", "demo", "--state", str(store), "--new", "1", input=GOOD_GOOD)
    # FSRS's defaults: Good graduates the card for 2 days (w2 = 2.3065, one same-day Good).
    assert "1 Again 1m  2 Hard 10m  3 Good 2d  4 Easy 4d" in before.stdout, before
    store = _copy(simulated, notes.parent)  # the same log again, without those answers

    result = run("optimize", "--state", str(store))
    assert result.exit_code == 0, result
    assert result.stdout.splitlines() == [
        "2,876 of your 4,335 answers count (300 cards): each a day or more after its card's "
        "answer before",
        "                 log loss   RMSE",
        "  FSRS defaults    0.5304   9.54%",
        "  fitted           0.5035   5.31%",
        "adopted: review now schedules with the parameters fitted to 2,876 of your answers",
    ], result.stdout
    kept = _settings(store)
    assert kept.origin == "fitted to 2,876 of your answers", kept
    assert kept.since == "2026-12-30T08:00:00.000000+00:00", kept
    assert kept.retention == 0.9, "the desired retention is the student's choice, not fitted"
    assert list(kept.parameters) == FITTED, kept

    after = run("review", "demo", "--state", str(store), "--new", "1", input=GOOD_GOOD)
    # The student forgets faster (fitted w2 = 0.7273): the same answers, a shorter interval.
    assert "1 Again 1m  2 Hard 10m  3 Good 1d  4 Easy 2d" in after.stdout, after

    again = run("optimize", "--state", str(store))
    assert again.stdout.splitlines()[2:] == [
        "  FSRS defaults                              0.5304   9.54%",
        "  in use: fitted to 2,876 of your answers    0.5035   5.31%",
        "  fitted                                     0.5035   5.31%",
        "kept: the fit is not lower on both log loss and RMSE; review keeps the parameters "
        "fitted to 2,876 of your answers",
    ], again.stdout
    assert _settings(store) == kept, "a fit no better than the one in use changes nothing"


def test_json_gives_the_same_and_the_fit_is_deterministic(
    simulated: Path, tmp_path: Path, run: Runner
) -> None:
    results = []
    for attempt in ("first", "second"):
        (tmp_path / attempt).mkdir()
        result = run("optimize", "--state", str(_copy(simulated, tmp_path / attempt)), "--json")
        assert result.exit_code == 0, result
        results.append(json.loads(result.stdout))
    data = results[0]
    assert results[1] == data, "fsrs-rs fits the same parameters to the same log"
    assert data == {
        "logged": 4335,
        "answers": 2876,
        "cards": 300,
        "minimum": 400,
        "missing": 0,
        "default": {"log_loss": 0.5304, "rmse": 0.0954},
        "current": None,
        "fitted": {"log_loss": 0.5035, "rmse": 0.0531, "parameters": FITTED},
        "adopted": True,
        "parameters_in_use": {
            "origin": "fitted to 2,876 of your answers",
            "retention": 0.9,
            "since": "2026-12-30T08:00:00.000000+00:00",
            "parameters": FITTED,
        },
    }


def test_below_the_minimum_the_defaults_stay_and_the_answers_missing_are_named(
    tmp_path: Path, run: Runner
) -> None:
    store = tmp_path / "few.db"
    simulate(store, cards=30, days=25)
    counted = len(training_items(_log(store), NOW))
    result = run("optimize", "--state", str(store))
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{counted} of your "), lines
    assert lines[-1] == (
        f"{MINIMUM - counted} more answers that count are needed before a fit (Anki fits from "
        "400); review keeps the FSRS defaults"
    ), result.stdout
    data = json.loads(run("optimize", "--state", str(store), "--json").stdout)
    assert (data["answers"], data["missing"], data["fitted"], data["adopted"]) == (
        counted,
        MINIMUM - counted,
        None,
        False,
    ), data
    assert _settings(store) == settings.DEFAULTS, "nothing is kept"


def test_without_a_store_nothing_is_made(tmp_path: Path, run: Runner) -> None:
    store = tmp_path / "none.db"
    result = run("optimize", "--state", str(store))
    assert result.exit_code == 0, result
    assert result.stdout == "no answers yet: a fit needs 400; review keeps the FSRS defaults\n"
    assert not store.exists(), "optimize makes no store"


def test_stats_names_the_parameters_in_use_and_where_answers_came_from(
    simulated: Path, notes: Path, run: Runner
) -> None:
    store = _copy(simulated, notes.parent)
    run("optimize", "--state", str(store))
    run("review", "demo", "--state", str(store), "--new", "1", input=GOOD_GOOD)
    data = json.loads(run("stats", "--state", str(store), "--json").stdout)
    assert data["parameters"] == {
        "origin": "fitted to 2,876 of your answers",
        "retention": 0.9,
        "since": "2026-12-30T08:00:00.000000+00:00",
    }, data
    # The notes' two answers (the simulated cards are of no reading in the notes).
    assert data["answers_by_source"] == {"terminal": 2, "anki": 0}, data
    text = run("stats", "--state", str(store)).stdout
    line = "FSRS: fitted to 2,876 of your answers (2026-12-30) · desired retention 90%"
    assert line in text.splitlines(), text


def _row(card: str, days_ago: float, phase: Phase | None, grade: Grade = Grade.GOOD) -> LogRow:
    """An answer `days_ago` days before tomorrow's review day starts."""
    when = datetime.fromisoformat("2026-12-31T04:00:00+01:00") - timedelta(days=days_ago)
    return LogRow((card, 0), "r", "s", grade, timestamp(when), phase)


def test_items_are_built_as_anki_builds_them() -> None:
    # Anki's own case (rslib params.rs, delta_t_is_correct): learning 15 and 13 days ago,
    # reviews 10 and 5 days ago make three items, each the card's answers up to one of them.
    rows = [
        _row("a", 15, None),
        _row("a", 13, Phase.LEARNING),
        _row("a", 10, Phase.REVIEW),
        _row("a", 5, Phase.REVIEW),
    ]
    assert [item.reviews for item in training_items(rows, NOW)] == [
        ((3, 0), (3, 2)),
        ((3, 0), (3, 2), (3, 3)),
        ((3, 0), (3, 2), (3, 3), (3, 5)),
    ]
    # Same-day answers feed the history but are no item; a card whose learning is not in the
    # log is left out; review days count 04:00 boundaries (23:00 and 05:00 are a day apart).
    rows = [
        _row("b", 2.5, None, Grade.AGAIN),  # 16:00
        _row("b", 2.49, Phase.LEARNING),  # 16:14
        _row("b", 1 + 5 / 24, Phase.REVIEW),  # 23:00 the next day
        _row("b", 1 - 1 / 24, Phase.REVIEW, Grade.AGAIN),  # 05:00 the morning after
        _row("b", 0.95, Phase.RELEARNING),
        _row("c", 9, Phase.REVIEW),
        _row("c", 4, Phase.REVIEW),
    ]
    assert [item.reviews for item in training_items(rows, NOW)] == [
        ((1, 0), (3, 0), (3, 1)),
        ((1, 0), (3, 0), (3, 1), (1, 1)),
    ]


def _settings(path: Path) -> settings.FsrsSettings:
    store = open_for_reading(path)
    assert store is not None, path
    try:
        return settings.load(store)
    finally:
        store.close()


def _log(path: Path) -> list[LogRow]:
    store = open_for_reading(path)
    assert store is not None, path
    try:
        return store.log()
    finally:
        store.close()


def test_a_card_answered_thousands_of_times_makes_at_most_the_longest_history_of_items() -> None:
    # Each item carries the card's whole history: without a bound, one card answered n times
    # costs n squared. Its first LONGEST_HISTORY answers from learning train as Anki trains them.
    rows = [_row("a", 5_000, None)] + [_row("a", 4_999 - day, Phase.REVIEW) for day in range(4_000)]
    items = training_items(rows, NOW)
    assert len(items) == LONGEST_HISTORY - 1 == 199
    assert items[-1].reviews == ((3, 0),) + ((3, 1),) * 199
