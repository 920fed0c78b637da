"""What time it is: the real clock, or the one fixed by STUDYKIT_NOW for tests and simulations."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo

from studykit.errors import StudykitError

NOW_VARIABLE = "STUDYKIT_NOW"


def now(environ: Mapping[str, str] = os.environ) -> datetime:
    """The current time in the student's time zone; STUDYKIT_NOW (ISO 8601 with an offset)
    overrides it. The zone is `TZ` where set (e.g. Europe/Berlin), else the system's, so that
    review days start at 04:00 local time on either side of a clock change; a fixed STUDYKIT_NOW
    without TZ keeps the offset it was written with."""
    fixed = environ.get(NOW_VARIABLE)
    zone = _zone(environ.get("TZ"), system=not fixed)
    if not fixed:
        return _in_zone(datetime.now(UTC), zone, environ)
    try:
        moment = datetime.fromisoformat(fixed)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise StudykitError(
            f"{NOW_VARIABLE}={fixed!r} is not an ISO 8601 time with an offset, "
            "e.g. 2026-11-28T09:00:00+01:00"
        )
    if not YEARS[0] <= moment.year <= YEARS[1]:
        # Review days and forecasts reach a few years either way: at year 1 or 9999 they
        # would leave the calendar Python can count.
        raise StudykitError(
            f"{NOW_VARIABLE}={fixed!r} is out of range: give a year from {YEARS[0]} to {YEARS[1]}"
        )
    return _in_zone(moment, zone, environ) if zone is not None else moment


YEARS = (1971, 9000)


def _in_zone(moment: datetime, zone: tzinfo | None, environ: Mapping[str, str]) -> datetime:
    try:
        return moment.astimezone(zone)
    except (ValueError, OverflowError):
        # TZ=UTC+24 is POSIX syntax the C library reads, with an offset Python cannot hold.
        raise StudykitError(
            f"TZ={environ.get('TZ', '')!r} gives an offset of a day or more; set it to a zone "
            "name such as Europe/Berlin"
        ) from None


@functools.cache
def _zone(name: str | None, system: bool) -> tzinfo | None:
    """The time zone `TZ` names, else (with `system`) the machine's, else None."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        if name:
            return ZoneInfo(name.removeprefix(":"))
        if system:
            with open("/etc/localtime", "rb") as local:  # noqa: PTH123 - binary zone data
                return ZoneInfo.from_file(local)
    except (ZoneInfoNotFoundError, OSError, ValueError):
        return None
    return None
