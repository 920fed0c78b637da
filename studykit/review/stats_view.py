"""`stats` as the terminal shows it: one reading's sections weakest first, or the library's
readings, with a meter of strength for each (the figures are `stats`'s).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from studykit.review.stats import FORECAST_DAYS
from studykit.words import plural

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table
    from rich.text import Text

_BARS = " ▁▂▃▄▅▆▇█"


def stats_view(data: dict[str, Any], title: str, store: str | None = None) -> RenderableType:
    """One reading's stats as the terminal shows them: weakest sections first; `store` names
    the file read, so the student sees which one."""
    from rich.console import Group
    from rich.text import Text

    table = _table("Section")
    table.add_column("Title")  # gives way: whole where there is room, cut with … where not
    table.add_column("Cards", justify="right", no_wrap=True)
    table.add_column("Reviewed", justify="right", no_wrap=True)
    table.add_column("Strength", no_wrap=True)
    for s in _weakest_first(data["sections"]):
        named = Text(s["title"], no_wrap=True, overflow="ellipsis")
        table.add_row(s["id"], named, str(s["cards"]), str(s["reviewed"]), _meter(s["strength"]))
    return Group(
        Text(title, style="bold underline"),
        *_head(data, store),
        Text("Sections, weakest first", style="bold"),
        table,
    )


def library_view(data: dict[str, Any], title: str, store: str | None = None) -> RenderableType:
    """The library's stats: the totals, the forecast summed, and a row per reading, weakest
    first, with the reading id to name for its sections."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    # The reading id gives way (cut with …); figures and strength keep their width.
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Reading")
    figures = ("Cards", "New", "Due", "Learning", "Reviewed")
    for name in figures:
        table.add_column(name, justify="right", no_wrap=True, min_width=len(name))
    table.add_column("Strength", no_wrap=True, min_width=len("▇▇▇▇▇ 100%"))
    for r in _weakest_first(data["readings"]):
        row = (str(r[name.lower()]) for name in figures)
        named = Text(r["reading"], no_wrap=True, overflow="ellipsis")
        table.add_row(named, *row, _meter(r["strength"], bars=5))
    return Group(
        Text(title, style="bold underline"),
        *_head(data, store),
        Text("Readings, weakest first", style="bold"),
        table,
        Text("Each reading's sections: studykit stats READING", style="dim"),
    )


def _head(data: dict[str, Any], store: str | None) -> list[RenderableType]:
    """The facts (cards, then answers), the store read, and the forecast chart."""
    from rich.console import Group
    from rich.text import Text

    retention = "—" if data["retention"] is None else f"{data['retention']:.0%}"
    learning = f" ({data['learning']} learning)" if data["learning"] else ""
    leeches = data["leeches"]
    aside = "".join(f" · {data[name]} {name}" for name in ("buried", "suspended") if data[name])
    cards = Text(
        f"{plural(data['cards'], 'card')} · {data['new']} new · {data['due']} due now{learning}"
        + aside
    )
    sources = data["answers_by_source"]
    # Where the answers were given, once some came from Anki (`--json` always has both).
    given = f" ({sources['terminal']} terminal · {sources['anki']} Anki)" if sources["anki"] else ""
    answers = Text(
        f"{plural(data['reviews'], 'review')}{given} · true retention {retention} · "
        f"streak {plural(data['streak'], 'day')}"
        + (f" · {leeches} leech{'es' if leeches > 1 else ''}" if leeches else "")
    )
    kept = data["parameters"]
    since = f" ({kept['since'][:10]})" if kept["since"] else ""
    named = f"FSRS: {kept['origin']}" if kept["since"] else kept["origin"]  # or "FSRS defaults"
    fsrs = Text(f"{named}{since} · desired retention {kept['retention']:.0%}")
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
    source = [Text(f"review store: {store}", style="dim")] if store else []
    return [cards, answers, fsrs, *source, Text(), chart, Text()]


def _table(first: str) -> Table:
    """A table with its first column: an id, on one line (cut with … where it must be)."""
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")
    table.add_column(first, no_wrap=True)
    return table


def _weakest_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Weakest first; rows with nothing answered last, in their order."""
    return sorted(rows, key=lambda r: (r["strength"] is None, r["strength"] or 0.0))


def _meter(strength: float | None, bars: int = 10) -> Text:
    """`██████░░░░ 62%` (or as many bars as asked), or "not reviewed"."""
    from rich.text import Text

    if strength is None:
        return Text("not reviewed", style="dim")
    full = round(strength * bars)
    return (
        Text("█" * full, style=_strength_style(strength))
        + Text("░" * (bars - full), style="dim")
        + Text(f" {strength:.0%}")
    )


def _strength_style(strength: float) -> str:
    return "green" if strength >= 0.9 else "yellow" if strength >= 0.75 else "red"
