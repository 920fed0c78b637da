"""Review schedules as Anki computes them: the same answers at the same times through Anki's own
engine (the `anki` package, its clock faked) and through studykit's scheduler.

200 cards, 10 to 30 answers each, answered when a student would: at any hour of the due day,
sometimes days late, now and then a day early, learning steps minutes after they come due.
With fuzz off, every card has the same phase, answer and lapse counts, stability (within 1%),
difficulty (within 0.01), due time and, before every answer, the same four intervals on the
buttons. With fuzz on, every interval Anki drew lies in the range studykit draws from.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from anki_schedule import Step, anki_answers, anki_state, day_number, replay

from studykit.review.scheduler import Grade, Phase, Scheduler

GOLDEN = Path(__file__).parent / "data" / "anki-schedule.json"
PLAN = {"seed": 7, "start": "2025-03-03T20:00:00+00:00", "cards": 200, "answers": [10, 30]}


def _buttons(step: Step) -> dict[str, tuple[str, int]]:
    """The four buttons studykit would show: days for a review, else the step's seconds."""
    shown = {}
    for grade, outcome in step.outcomes.items():
        state = outcome.state
        days = round(outcome.interval.total_seconds() / 86_400)
        if state.step is None:
            shown[grade.name.lower()] = ("days", state.interval)
        elif outcome.interval.total_seconds() % 86_400 == 0 and days:
            shown[grade.name.lower()] = ("days", days)  # a step past the day's end
        else:
            shown[grade.name.lower()] = ("seconds", round(outcome.interval.total_seconds()))
    return shown


def _anki_buttons(step: Step) -> dict[str, tuple[str, int]]:
    shown = {}
    until = step.now.replace(hour=4, minute=0, second=0, microsecond=0)
    for name, (secs, days, _relearn_days, _s, _d) in step.record["buttons"].items():
        if days is not None:
            shown[name] = ("days", days)
            continue
        left = (until - step.now).total_seconds() % 86_400 or 86_400
        if secs >= left:  # Anki moves a step past the day's end to a later day
            shown[name] = ("days", int((secs - left) // 86_400) + 1)
        else:
            shown[name] = ("seconds", secs)
    return shown


def _mismatches(steps: list[Step], first: datetime) -> list[str]:
    found = []
    for step in steps:
        record, mine = step.record, step.chosen
        problems = []
        if (int(mine.phase), mine.reps, mine.lapses) != (
            record["type"],
            record["reps"],
            record["lapses"],
        ):
            problems.append(
                f"phase/reps/lapses {int(mine.phase)}/{mine.reps}/{mine.lapses}, Anki "
                f"{record['type']}/{record['reps']}/{record['lapses']}"
            )
        if abs(mine.stability - record["stability"]) > 0.01 * record["stability"]:
            problems.append(f"stability {mine.stability}, Anki {record['stability']}")
        if abs(mine.difficulty - record["difficulty"]) > 0.01:
            problems.append(f"difficulty {mine.difficulty}, Anki {record['difficulty']}")
        if record["queue"] == 1:  # due at a moment
            if abs(mine.due.timestamp() - record["due"]) > 1.5:
                problems.append(f"due {mine.due.timestamp()}, Anki {record['due']}")
        elif day_number(mine.due.astimezone(step.now.tzinfo), first) != record["due"]:
            problems.append(f"due day {day_number(mine.due, first)}, Anki {record['due']}")
        if _buttons(step) != _anki_buttons(step):
            problems.append(f"buttons {_buttons(step)}, Anki {_anki_buttons(step)}")
        if problems:
            found.append(f"card {record['card']} at {step.now.isoformat()}: {'; '.join(problems)}")
    return found


@pytest.mark.parametrize(
    ("zone", "start"),
    [
        ("UTC", "2025-03-03T20:00:00+00:00"),
        # Both of 2025's clock changes fall inside these runs.
        ("Europe/Berlin", "2025-03-20T20:00:00+01:00"),
        ("America/New_York", "2025-10-20T20:00:00-04:00"),
    ],
)
def test_every_answer_is_scheduled_as_anki_schedules_it(
    tmp_path: Path, zone: str, start: str
) -> None:
    plan = {**PLAN, "start": start}
    records = anki_answers(tmp_path, plan, zone)
    assert len(records) > 2_000, "200 cards with 10 to 30 answers each"
    steps = list(replay(records, zone, Scheduler(fuzz=False)))
    first = datetime.fromisoformat(start).astimezone(ZoneInfo(zone))
    mismatches = _mismatches(steps, first)
    assert not mismatches, f"{len(mismatches)} of {len(steps)}:\n" + "\n".join(mismatches[:20])
    # The run covers what the rules are about.
    kinds = {(s.before.phase if s.before else None, Grade(s.record["rating"])) for s in steps}
    assert {(Phase.REVIEW, g) for g in Grade} <= kinds
    assert {(Phase.RELEARNING, g) for g in Grade} <= kinds


def test_fuzzed_intervals_fall_in_the_range_anki_draws_from(tmp_path: Path) -> None:
    zone = "UTC"
    records = anki_answers(tmp_path, {**PLAN, "cards": 120}, zone, fuzz=True)
    tz = ZoneInfo(zone)
    lowest, highest = Scheduler(fuzz=0.0), Scheduler(fuzz=0.999_999)
    previous: dict[int, dict[str, Any]] = {}
    checked = 0
    for record in records:
        before = previous.get(record["card"])
        previous[record["card"]] = record
        if before is None:
            continue
        state = anki_state(before, tz)
        now = datetime.fromtimestamp(record["time"], tz)
        for name, (_secs, days, _relearn, _s, _d) in record["buttons"].items():
            if days is None:
                continue
            grade = Grade[name.upper()]
            low = lowest.outcomes(state, now)[grade].state.interval
            high = highest.outcomes(state, now)[grade].state.interval
            assert low <= days <= high, (record["card"], now, name, low, days, high)
            checked += 1
    assert checked > 1_000


def test_a_fixed_history_schedules_as_anki_did_without_anki() -> None:
    """Answers Anki's engine took (8 cards, UTC, fuzz off, kept in tests/data): studykit's
    scheduler gives the same, also where the `anki` package or libfaketime are missing."""
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    steps = list(replay(golden["records"], "UTC", Scheduler(fuzz=False)))
    assert len(steps) == 130
    first = datetime.fromisoformat(golden["start"]).astimezone(ZoneInfo("UTC"))
    assert _mismatches(steps, first) == []


def test_an_early_review_is_scheduled_as_anki_schedules_it(tmp_path: Path) -> None:
    """Reviewing ahead (`review --ahead`) answers cards days before their due day. Anki's FSRS
    path has no early-review rule (its SM-2 path has one): the answer is scheduled from the
    review days since the last one, as any answer. Four cards made Easy (about 8 days), then
    answered Again, Hard, Good or Easy 2 days later, and Good twice more, early each time."""
    zone = "UTC"
    script = []
    for card in range(4):
        script += [
            [card, f"2025-03-03T10:0{card}:00+00:00", 4],
            [card, f"2025-03-05T10:0{card}:00+00:00", card + 1],
            [card, f"2025-03-06T15:0{card}:00+00:00", 3],
            [card, f"2025-03-08T12:0{card}:00+00:00", 3],
        ]
    plan = {**PLAN, "cards": 4, "script": script}
    records = anki_answers(tmp_path, plan, zone)
    steps = list(replay(records, zone, Scheduler(fuzz=False)))
    first = datetime.fromisoformat(PLAN["start"]).astimezone(ZoneInfo(zone))
    assert _mismatches(steps, first) == []
    # Whole days each review came before the card's due time (0: later that day or the next).
    early = [
        (step.before.due - step.now).days
        for step in steps
        if step.before is not None and step.before.phase is Phase.REVIEW
    ]
    assert early == [5, 5, 5, 5, 12, 16, 25, 0, 15, 20, 28], early
