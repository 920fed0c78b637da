"""What the review screen shows, as rich renderables: the same on a terminal and in a pipe.

Notes text keeps its inline Markdown and shows its math as readable Unicode (both through
`show.inline`: `\\(x^2 \\times y\\)` reads `x² × y`), and an image as its caption and path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from studykit.errors import display_path
from studykit.notes.scanning import Next
from studykit.review.cram import DELAYS
from studykit.review.scheduler import Grade, Scheduled, format_interval
from studykit.review.session import Counts, Crammed, Shown, Summary
from studykit.terminal.show import ANNOTATION, inline
from studykit.words import plural

GRADE_STYLES = {Grade.AGAIN: "red", Grade.HARD: "yellow", Grade.GOOD: "green", Grade.EASY: "cyan"}
_IMAGE = re.compile(r"!\[(?P<caption>[^\]]*)\]\((?P<src>[^)\s]+)\)")
_SRC_END = re.compile(r"[)\s]")


def notes_text(source: str, base: str = "", folder: str | None = None) -> Text:
    """Notes text for the terminal: Markdown styled, math readable, images as caption and path."""
    text = Text(style=base)
    position = 0
    for match in _images(source):
        if match.start() > position:
            text += inline(source[position : match.start()], base)
        path = match["src"] if folder is None else display_path_of(folder, match["src"])
        caption = match["caption"] or "image"
        text.append(f"[image: {caption} ({path})]", style="dim")
        position = match.end()
    if position < len(source):
        text += inline(source[position:], base)
    return text


def _images(source: str) -> Iterator[re.Match[str]]:
    """`_IMAGE.finditer(source)` in linear time: searched, the pattern scans `![![![...` from
    each `![` to the same `]`, so each opener asks where its `]` and its address end instead."""
    closing = Next(source, "]")
    src_end = Next(source, _SRC_END)
    at = 0
    while (start := source.find("![", at)) != -1:
        close = closing.at_or_after(start + 2)
        if close == -1:
            return
        end = src_end.at_or_after(close + 2) if source.startswith("(", close + 1) else -1
        match = _IMAGE.match(source, start) if end > close + 2 and source[end] == ")" else None
        if match is None:
            at = start + 1
        else:
            yield match
            at = match.end()


def display_path_of(folder: str, src: str) -> str:
    from pathlib import Path

    return display_path(Path(folder) / src)


def status(counts: Counts, shown: Shown) -> Status:
    """Anki's three counts (new in blue, learning in red, review in green), or in a cram session
    the cards left, and the card's place (a card reviewed ahead says how early)."""
    text = Text()
    if counts.cram is not None:
        text.append(f"{counts.cram}", style="bold blue")
        text.append(" left to cram (nothing rescheduled)")
    else:
        text.append(f"{counts.new}", style="bold blue")
        text.append(" new  ")
        text.append(f"{counts.learning}", style="bold red")
        text.append(" learning  ")
        text.append(f"{counts.review}", style="bold green")
        text.append(" review", style="")
    card = shown.card
    # As the card's Anki tag names it (`reading::section`): a course interleaves its readings.
    reading = card.note.identity.partition("/")[0]
    where = f"   {reading}::{card.note.section.id} · {card.direction}"
    if shown.state is None:
        where += " · new"
    if shown.early:
        where += f" · due in {plural(shown.early, 'day')}"
    leech = Text()
    if shown.state is not None and shown.state.is_leech:
        leech.append(f"  leech ({shown.state.lapses} lapses)", style="bold magenta")
    return Status(text, where, leech)


class Status:
    """The top line, one line at any width: the counts and a leech's flag whole, the card's
    place cut with … where the terminal is too narrow for all of it."""

    def __init__(self, counts: Text, where: str, leech: Text):
        self.counts = counts
        self.where = where
        self.leech = leech

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        room = options.max_width - self.counts.cell_len - self.leech.cell_len
        where = Text(self.where, style="dim")
        if where.cell_len > room:
            where.truncate(max(room, 1), overflow="ellipsis")
        yield Text.assemble(self.counts, where, self.leech, no_wrap=True, overflow="ellipsis")


def question(shown: Shown, counts: Counts) -> RenderableType:
    """The front of a card, under the status line."""
    card = shown.card
    folder = str(card.note.section.path.parent)
    prompt = notes_text(card.prompt, "bold", folder)
    if card.deletion is not None:
        prompt.highlight_words([f"[{card.deletion.hint or '...'}]"], style="bold cyan")
    return Group(status(counts, shown), Text(), Text("Q: ", style="bold") + prompt)


def answer(shown: Shown) -> RenderableType:
    """The back: answer, annotation, source, and the four grades with their intervals."""
    card = shown.card
    folder = str(card.note.section.path.parent)
    parts: list[RenderableType] = [
        Text("A: ", style="bold green") + notes_text(card.answer, "", folder)
    ]
    # Annotation and source hang under the answer, wrapped lines indented with them.
    aside = Table.grid(padding=(0, 1))
    aside.add_column(width=3, justify="right")
    aside.add_column(ratio=1)
    if card.annotation:
        aside.add_row(Text("↳", style=ANNOTATION), notes_text(card.annotation, ANNOTATION, folder))
    aside.add_row("", Text(card.source, style="dim"))
    for work in shown.keyed.works:  # the full reference of each work the card cites
        aside.add_row(Text("•", style="dim"), notes_text(work, "dim", folder))
    parts.append(aside)
    parts.append(Text())
    parts.append(grades(shown.outcomes) if shown.outcomes else cram_grades())
    return Group(*parts)


_UNDONE = {"answer": "undone", "cram": "undone", "bury": "unburied", "suspend": "unsuspended"}


def undone(what: str, label: str, gone: bool = False) -> Text:
    """The line that says what was taken back (an answer, a burying, a suspension) and of which
    card: its text as the card shows it (math readable), cut to one short line; `gone` when an
    edit removed the card from the notes (so it is not asked again)."""
    text = Text(f"{_UNDONE[what]}: ", style="dim") + notes_text(label, "dim")
    text.truncate(50 if gone else 68, overflow="ellipsis")
    if gone:
        text.append(" (no longer in the notes)", style="dim")
    return text


def grades(outcomes: dict[Grade, Scheduled]) -> Text:
    """`1 Again 10m  2 Hard 1d  3 Good 3d  4 Easy 8d`."""
    text = Text()
    for grade in Grade:
        if grade is not Grade.AGAIN:
            text.append("  ")
        text.append(f"{int(grade)} {grade.label} ", style=f"bold {GRADE_STYLES[grade]}")
        text.append(format_interval(outcomes[grade].interval))
    return text


def cram_grades() -> Text:
    """The buttons of a cram session, as Anki's preview shows them: `1 Again 1m  2 Hard 10m
    3 Good (end)  4 Easy (end)`."""
    text = Text()
    for grade in Grade:
        if grade is not Grade.AGAIN:
            text.append("  ")
        text.append(f"{int(grade)} {grade.label} ", style=f"bold {GRADE_STYLES[grade]}")
        delay = DELAYS.get(grade)
        text.append("(end)" if delay is None else format_interval(delay))
    return text


def answered(outcome: Scheduled | Crammed) -> Text:
    """One line after a grade: when the card comes back."""
    if isinstance(outcome, Crammed):
        text = Text(f"{outcome.grade.label}", style=GRADE_STYLES[outcome.grade])
        if outcome.again_in is None:
            return text.append(": done (nothing rescheduled)")
        return text.append(f": again in {format_interval(outcome.again_in)} (nothing rescheduled)")
    text = Text(f"{outcome.grade.label}", style=GRADE_STYLES[outcome.grade])
    text.append(f": next in {format_interval(outcome.interval)}")
    if outcome.state.is_leech:
        text.append(
            f"  leech: {outcome.state.lapses} lapses; reword it or split it (e edits it)",
            style="bold magenta",
        )
    return text


def not_introduced(limit: int) -> Text:
    """The line for an answer the daily new-card limit refused: another session introduced the
    last new card meanwhile."""
    return Text(
        f"not saved: today's {limit} new cards went to another session; this card stays new",
        style="bold yellow",
    )


def summary(done: Summary, finished: bool) -> Text:
    """The few lines at the end of a session."""
    minutes, seconds = divmod(round(done.seconds), 60)
    took = f"{minutes}m {seconds:02d}s" if minutes else f"{seconds}s"
    ended = "session ended; every answer is saved."
    if done.cram and finished and not done.answers:
        chosen = "no card was answered Again today" if done.failed_today else "no cards chosen"
        head = f"Cram: {chosen}; nothing to go through."
    elif done.cram:
        head = "Cram: nothing rescheduled; " + ("every card gone through." if finished else ended)
    elif done.ahead:
        head = f"Reviewed ahead {plural(done.ahead, 'day')}: " + (
            "nothing more due by then." if finished else ended
        )
    else:
        head = "No more cards due now." if finished else ended.capitalize()
    text = Text("\n" + head + "\n", style="bold")
    if done.cram:
        text.append(
            "Cram answers are logged apart; no schedule, review count or retention changes\n"
        )
    elif done.ahead:
        their = "its" if done.early == 1 else "their"
        text.append(
            f"{plural(done.early, 'card')} answered before {their} due day, each scheduled "
            "from today\n"
        )
    text.append(f"{plural(done.answers, 'answer')} in {took}")
    if done.retention is not None:
        text.append(
            f"; retention today {done.retention:.0%} "
            f"({done.passed_today} of {done.reviews_today} reviews not Again)"
        )
    text.append(f"\nStill due today: {plural(done.due_today, 'card')}")
    if done.new_today:
        text.append(f" and {done.new_today} new")
    text.append("; ")
    text.append(f"due tomorrow: {plural(done.due_tomorrow, 'card')}")
    if done.buried:
        text.append(f"\nBuried until tomorrow: {plural(done.buried, 'card')}", style="dim")
    return text
