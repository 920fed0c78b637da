"""Review days, as Anki counts them: a day starts at 04:00 local time (daylight saving included),
a review card is due from the start of its due day, and an interval reads as Anki's buttons show
it.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from studykit.review.state import Phase

ROLLOVER_HOUR = 4


def review_date(now: datetime) -> date:
    """The date of the review day `now` falls in (a day starts at 04:00 local time)."""
    return (now - timedelta(hours=ROLLOVER_HOUR)).date()


def day_at(day: date, zone: tzinfo | None = None) -> datetime:
    """04:00 local time on `day`: when that review day starts."""
    return datetime.combine(day, time(ROLLOVER_HOUR), zone)


def next_day_at(now: datetime) -> datetime:
    """When the next review day starts: 04:00 local time tomorrow, daylight saving included."""
    return day_at(review_date(now) + timedelta(days=1), now.tzinfo)


def format_interval(interval: timedelta) -> str:
    """An interval the way Anki's answer buttons show it: 10m, 3h, 4d, 1.5mo, 2.1y."""
    seconds = max(interval.total_seconds(), 0)
    minutes = seconds / 60
    if minutes < 1:
        return f"{round(seconds)}s"
    if minutes < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"


def day_start(now: datetime) -> datetime:
    """Start of the review day `now` falls in: 04:00 local time, daylight saving included."""
    return day_at(review_date(now), now.tzinfo)


@dataclass(frozen=True)
class Due:
    """When a card counts as due at one moment, the same for the session, `stats` and `list`.

    As in Anki, a card in review (its interval in days) is due from the start of its due day
    (04:00 local time), so a card answered at 09:00 for 1 day is due from 04:00 the next
    morning; a learning or relearning card (minutes) is due at its exact time.
    """

    moment: float  # epoch seconds
    start: float  # epoch seconds of the start of today's review day
    end: float  # epoch seconds of the start of tomorrow's
    zone: tzinfo | None = None

    @classmethod
    def at(cls, now: datetime) -> Due:
        today = review_date(now)
        end = day_at(today + timedelta(days=1), now.tzinfo)
        return cls(
            now.timestamp(), day_at(today, now.tzinfo).timestamp(), end.timestamp(), now.tzinfo
        )

    def day(self, due: float) -> int:
        """The review day of an epoch-seconds due time: 0 today (or before), 1 tomorrow..."""
        if due < self.end:
            return 0
        starts = self._starts
        if due < starts[-1]:
            return bisect.bisect_right(starts, due) - 1
        when = datetime.fromtimestamp(due, self.zone)
        today = datetime.fromtimestamp(self.start, self.zone).date()
        return max((review_date(when) - today).days, 0)

    def start_of(self, day: int) -> float:
        """When review day `day` (0 today, 1 tomorrow, up to 60) starts, in epoch seconds."""
        return self._starts[day]

    @functools.cached_property
    def _starts(self) -> list[float]:
        """When each of the next 60 review days starts (a forecast reads a month of them)."""
        today = review_date(datetime.fromtimestamp(self.start, self.zone))
        return [day_at(today + timedelta(days=n), self.zone).timestamp() for n in range(61)]

    def __call__(self, phase: Phase, due: float) -> bool:
        """Whether a card in `phase`, due at `due` (epoch seconds), is due now."""
        if phase is Phase.REVIEW:
            return due < self.end
        return due <= self.moment
