"""Anki's own scheduler as the reference for review: its answers, and ours to the same plan.

`anki_answers` runs `anki_schedule_driver.py` in a subprocess whose clock libfaketime sets
before each answer (Debian's `faketime`), with the `anki` package's engine. `replay` gives the
same answers at the same times to studykit's scheduler.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from studykit.review.scheduler import (
    LEARNING_STEPS,
    RELEARNING_STEPS,
    CardState,
    Grade,
    Phase,
    Scheduled,
    Scheduler,
    review_date,
)

FAKETIME = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")
DRIVER = Path(__file__).parent / "anki_schedule_driver.py"

Record = dict[str, Any]


def anki_answers(tmp: Path, plan: dict[str, Any], zone: str, fuzz: bool = False) -> list[Record]:
    """Every answer of the plan as Anki's engine took it, in time order."""
    if not FAKETIME.exists():
        pytest.skip("libfaketime is not installed (Debian package faketime)")
    clock = tmp / "clock"
    clock.write_text("@2000-01-01 00:00:00", encoding="ascii")
    env = {
        **os.environ,
        "TZ": zone,
        "LD_PRELOAD": str(FAKETIME),
        "FAKETIME_TIMESTAMP_FILE": str(clock),
        "FAKETIME_NO_CACHE": "1",
    }
    if not fuzz:
        env["ANKI_TEST_MODE"] = "1"  # Anki's engine draws no fuzz in its test mode
    else:
        env.pop("ANKI_TEST_MODE", None)
    plan = {**plan, "collection": str(tmp / "collection.anki2")}
    done = subprocess.run(
        [sys.executable, str(DRIVER), json.dumps(plan)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    records: list[Record] = json.loads(done.stdout)
    return records


@dataclass
class Step:
    """One answer, as Anki took it and as studykit would."""

    record: Record
    before: CardState | None
    outcomes: dict[Grade, Scheduled]
    now: datetime

    @property
    def chosen(self) -> CardState:
        return self.outcomes[Grade(self.record["rating"])].state


def replay(records: list[Record], zone: str, scheduler: Scheduler) -> Iterator[Step]:
    """studykit's scheduler given each answer of `records` in turn, from its own states."""
    tz = ZoneInfo(zone)
    states: dict[int, CardState] = {}
    for record in records:
        now = datetime.fromtimestamp(record["time"], tz)
        before = states.get(record["card"])
        outcomes = scheduler.outcomes(before, now, f"card{record['card']}")
        step = Step(record, before, outcomes, now)
        states[record["card"]] = step.chosen
        yield step


def anki_state(record: Record, tz: ZoneInfo) -> CardState:
    """The card as Anki left it after `record`, as a studykit state (for one-answer checks)."""
    phase = Phase(record["type"])
    steps = RELEARNING_STEPS if phase is Phase.RELEARNING else LEARNING_STEPS
    step = None if phase is Phase.REVIEW else len(steps) - record["left"] % 1000
    moment = datetime.fromtimestamp(record["time"], tz)
    return CardState(
        phase=phase,
        step=step,
        stability=record["stability"],
        difficulty=record["difficulty"],
        due=moment,  # not read by the scheduler
        last_review=moment,
        reps=record["reps"],
        lapses=record["lapses"],
        interval=record["ivl"],
    )


def day_number(moment: datetime, first: datetime) -> int:
    """Anki's day number of a moment: review days since the collection was made."""
    return (review_date(moment) - review_date(first)).days
