"""What the review tests share: a fixed morning, moving the clock, and the questions asked."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

STORE = Path(".studykit/review.db")
MORNING = datetime.fromisoformat("2026-03-02T09:00:00+01:00")
FIRST_Q = "Q: The [...] conference met in 1959."


# A module whose tests all start at MORNING, with the default store (see conftest.py).
AT_MORNING = pytest.mark.usefixtures("fixed_morning")


def at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    """Move the clock the commands read to `moment`."""
    monkeypatch.setenv("STUDYKIT_NOW", moment.isoformat())


def questions(stdout: str) -> list[str]:
    """The questions a session asked, in order."""
    return [line.strip() for line in stdout.splitlines() if line.startswith("Q: ")]
