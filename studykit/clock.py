"""What time it is: the real clock, or the one fixed by STUDYKIT_NOW for tests and simulations."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime

from studykit.errors import StudykitError

NOW_VARIABLE = "STUDYKIT_NOW"


def now(environ: Mapping[str, str] = os.environ) -> datetime:
    """The current time, timezone-aware; STUDYKIT_NOW (ISO 8601 with an offset) overrides it."""
    fixed = environ.get(NOW_VARIABLE)
    if not fixed:
        return datetime.now(UTC).astimezone()
    try:
        moment = datetime.fromisoformat(fixed)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise StudykitError(
            f"{NOW_VARIABLE}={fixed!r} is not an ISO 8601 time with an offset, "
            "e.g. 2026-11-28T09:00:00+01:00"
        )
    return moment
