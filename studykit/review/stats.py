"""Where a student stands: counts, the due forecast, true retention, streak, section strength.

Read-only: the store is opened without writing and the identity record is not saved, so
`stats` can run beside a session. Strength is the mean recall probability FSRS gives the
section's reviewed cards now; true retention is, as Anki computes it, the share of answers on
cards in review that were not Again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studykit.model import Reading
from studykit.review.scheduler import Due, Grade, Phase, Scheduler, day_start
from studykit.review.session import keyed_cards
from studykit.review.store import Key, LogRow, Stored, open_for_reading, timestamp
from studykit.words import plural

if TYPE_CHECKING:
    from rich.console import RenderableType

FORECAST_DAYS = 30
_BARS = " ▁▂▃▄▅▆▇█"


def store_states(state_path: Path) -> dict[Key, Stored]:
    """Every card state in the store, read once for all readings; empty when there is no store.

    Creates nothing; a store that cannot be read raises StudykitError naming it.
    """
    store = open_for_reading(state_path)
    if store is None:
        return {}
    try:
        return store.states()
    finally:
        store.close()


def due_counts(reading: Reading, states: Mapping[Key, Stored], now: datetime) -> dict[str, int]:
    """Cards due now per section id (reviewed cards only), from `store_states`."""
    counts = {s.id: 0 for s in reading.sections}
    is_due = Due.at(now)
    keyed, _ = keyed_cards(reading, save=False)
    for k in keyed:
        stored = states.get(k.key)
        if stored is not None and is_due(stored.phase, stored.due):
            counts[k.note.section.id] += 1
    return counts


def reading_stats(reading: Reading, state_path: Path, now: datetime) -> dict[str, Any]:
    """The figures of `stats --json` for one reading."""
    keyed, _ = keyed_cards(reading, save=False)
    store = open_for_reading(state_path)
    try:
        stored = store.states() if store else {}
        log = store.log() if store else []
    finally:
        if store is not None:
            store.close()
    keys = {k.key for k in keyed}
    states = {k.key: stored[k.key].state() for k in keyed if k.key in stored}
    scheduler = Scheduler()
    start = day_start(now)
    moment = now.astimezone(UTC)
    is_due = Due.at(now)
    answers = [r for r in log if r.key in keys or r.reading == reading.id]
    in_review = [r for r in answers if r.before_phase is Phase.REVIEW]
    today = _since(answers, start)
    sections = []
    for section in reading.sections:
        mine = [k.key for k in keyed if k.note.section.id == section.id]
        recalls = [scheduler.recall(states[key], moment) for key in mine if key in states]
        sections.append(
            {
                "id": section.id,
                "title": section.title,
                "cards": len(mine),
                "reviewed": len(recalls),
                "strength": round(sum(recalls) / len(recalls), 4) if recalls else None,
            }
        )
    return {
        "reading": reading.id,
        "cards": len(keyed),
        "new": len(keyed) - len(states),
        "learning": sum(s.phase is not Phase.REVIEW for s in states.values()),
        "due": sum(is_due(s.phase, s.due.timestamp()) for s in states.values()),
        "reviews": len(answers),
        "reviews_today": len(today),
        "retention": _retention(in_review),
        "retention_today": _retention(r for r in today if r.before_phase is Phase.REVIEW),
        "streak": _streak(answers, now),
        "leeches": sum(s.is_leech for s in states.values()),
        "forecast": _forecast([is_due.day(s.due.timestamp()) for s in states.values()]),
        "sections": sections,
    }


def _since(rows: list[LogRow], start: datetime) -> list[LogRow]:
    mark = timestamp(start)
    return [r for r in rows if r.time >= mark]


def _retention(rows: Iterable[LogRow]) -> float | None:
    grades = [r.grade for r in rows]
    if not grades:
        return None
    return round(sum(g is not Grade.AGAIN for g in grades) / len(grades), 4)


def _forecast(days: list[int]) -> list[int]:
    """Cards due on each of the next 30 review days; today includes the overdue."""
    counts = [0] * FORECAST_DAYS
    for day in days:
        if day < FORECAST_DAYS:
            counts[day] += 1
    return counts


def _streak(rows: list[LogRow], now: datetime) -> int:
    """Days in a row with at least one answer, up to today (or yesterday, before today's)."""
    days = {day_start(datetime.fromisoformat(r.time).astimezone(now.tzinfo)).date() for r in rows}
    day = day_start(now).date()
    if day not in days:
        day -= timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return streak


def stats_view(data: dict[str, Any], title: str, store: str | None = None) -> RenderableType:
    """The stats as the terminal shows them: weakest sections first; `store` names the file
    read (relative paths depend on the current folder, so the student sees which one)."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    retention = "—" if data["retention"] is None else f"{data['retention']:.0%}"
    head = Text(title, style="bold underline")
    facts = Text(
        f"{plural(data['cards'], 'card')} · {data['new']} new · {data['due']} due now · "
        f"{plural(data['reviews'], 'review')} · true retention {retention} · "
        f"streak {plural(data['streak'], 'day')}"
        + (
            f" · {data['leeches']} leech{'es' if data['leeches'] > 1 else ''}"
            if data["leeches"]
            else ""
        )
    )
    forecast = data["forecast"]
    top = max(forecast) or 1
    bars = "".join(_BARS[0 if n == 0 else max(1, round(n / top * 8))] for n in forecast)
    chart = Group(
        Text(f"Due in the next 30 days (most in a day: {max(forecast)})", style="bold"),
        Text(bars.replace(" ", "·"), style="green"),
        Text("today" + " " * (FORECAST_DAYS - 9) + "+29d", style="dim"),
        Text(
            f"today {forecast[0]} · tomorrow {forecast[1]} · next 7 days {sum(forecast[:7])} · "
            f"next 30 days {sum(forecast)}"
        ),
    )
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")
    table.add_column("Section", no_wrap=True)
    # The title is the column that gives way: whole where the terminal has room, cut with …
    # (never wrapped) where it has not; the figures keep their width.
    table.add_column("Title")
    table.add_column("Cards", justify="right", no_wrap=True)
    table.add_column("Reviewed", justify="right", no_wrap=True)
    table.add_column("Strength", no_wrap=True)
    ordered = sorted(
        data["sections"],
        key=lambda s: (s["strength"] is None, s["strength"] or 0.0),
    )
    for s in ordered:
        strength = s["strength"]
        meter = (
            Text("not reviewed", style="dim")
            if strength is None
            else Text("█" * round(strength * 10), style=_strength_style(strength))
            + Text("░" * (10 - round(strength * 10)), style="dim")
            + Text(f" {strength:.0%}")
        )
        named = Text(s["title"], no_wrap=True, overflow="ellipsis")
        table.add_row(s["id"], named, str(s["cards"]), str(s["reviewed"]), meter)
    source = [Text(f"review store: {store}", style="dim")] if store else []
    return Group(
        head,
        facts,
        *source,
        Text(),
        chart,
        Text(),
        Text("Sections, weakest first", style="bold"),
        table,
    )


def _strength_style(strength: float) -> str:
    return "green" if strength >= 0.9 else "yellow" if strength >= 0.75 else "red"
