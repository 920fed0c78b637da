"""Running a session: single keys on a terminal, one action per line without one.

Both read actions into the same loop, so the line protocol of scripts and tests exercises
exactly what a student's keys do: an empty line (space or enter) shows the answer and, on the
answer side, means Good; `1`-`4` grade; `-` buries the card until tomorrow and `@` suspends
it (Anki's keys); `u` undoes; `s` skips; `q` or the end of input quits. On a terminal, `e`
opens the card's section file in the editor and reloads the notes after.
"""

from __future__ import annotations

import contextlib
import os
import select
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO

from rich.console import Console, RenderableType
from rich.text import Text

from studykit.errors import StudykitError, printable
from studykit.notes.model import Reading
from studykit.review import render
from studykit.review.editor import editor_command
from studykit.review.scheduler import Grade
from studykit.review.session import Session, Shown, Summary
from studykit.review.store import NewCardLimit

GRADES = {str(int(g)): g for g in Grade}
KEYS = {" ": "", "\n": "", "\r": "", **{k: k for k in "1234usqe-@"}}


@dataclass(frozen=True)
class Ended:
    summary: Summary
    finished: bool  # no card left (rather than quit, a limit, or an interrupt)
    interrupted: bool


@dataclass
class Screen:
    """Where a session is shown and how its actions are read."""

    console: Console
    actions: Iterator[str]
    terminal: bool = False
    reload: Callable[[Path], Reading] | None = None  # a reading's folder, read again
    suspend: Callable[[], contextlib.AbstractContextManager[None]] | None = None
    warn: Callable[[str], None] = field(default=lambda text: print(text, file=sys.stderr))

    def show(self, *parts: RenderableType) -> None:
        for part in parts:
            self.console.print(part)


def run(session: Session, clock: Callable[[], datetime], screen: Screen) -> Ended:
    """Show cards until none is left, the limit is reached, or the student quits."""
    try:
        finished = _loop(session, clock, screen)
    except KeyboardInterrupt:
        return Ended(session.summary(clock()), False, True)
    return Ended(session.summary(clock()), finished, False)


def _loop(session: Session, clock: Callable[[], datetime], screen: Screen) -> bool:
    shown: Shown | None = None
    revealed = False
    warned = False  # a grade before the answer is explained once, not on every line
    notice: Text | None = None
    while True:
        if shown is None:
            now = clock()
            shown = session.next(now)
            if shown is None:
                return not session.limit_reached
            revealed = False
            if screen.terminal:
                screen.console.clear()
                if notice is not None:
                    screen.show(notice)
            notice = None
            screen.show(render.question(shown, session.counts(now)))
            if screen.terminal:
                screen.show(Text(_KEYS, style="dim"))
        action = next(screen.actions, "q")
        if action == "q":
            return False
        if action == "u":
            undone = session.undo()
            if undone is None:
                screen.show(Text("nothing to undo", style="dim"))
                continue
            label = undone.label if undone.card is None else undone.card.card.note.label
            notice = render.undone(undone.what, label, gone=undone.card is None)
            if not screen.terminal:
                screen.show(notice, Text())
            shown = None
            continue
        if action in _ASIDE:
            notice = _ASIDE[action](session, shown, clock())
            if not screen.terminal:
                screen.show(notice, Text())
            shown = None
            continue
        if action == "e":
            if screen.reload is None or screen.suspend is None:
                # Without a terminal there is no editor to hand over to; the card stays as it is.
                screen.warn("e needs a terminal: run studykit review in one to edit the notes")
                continue
            notice = _edit(session, shown, screen)
            if not screen.terminal:
                screen.show(notice, Text())
            shown = None
            continue
        if action == "" and not revealed:
            revealed = True
            screen.show(Text(), render.answer(shown))
            continue
        grade = Grade.GOOD if action == "" else GRADES.get(action)
        if grade is None:
            screen.show(Text(f"unknown action {action!r}: {_HELP}", style="dim"))
            continue
        if not revealed:
            # As in Anki, a grade before the answer is shown does nothing; a script is told why.
            if not warned and not screen.terminal:
                screen.warn(
                    f"{action} ignored: the answer is not shown yet; an empty line shows it"
                )
                warned = True
            continue
        try:
            outcome = session.answer(shown, grade, clock())
        except NewCardLimit as full:
            notice = render.not_introduced(full.limit)
        else:
            notice = render.answered(outcome)
        if not screen.terminal:
            screen.show(notice, Text())
        shown = None


_KEYS = "space: show answer · u undo · s skip · - bury · @ suspend · e edit · q quit"
_HELP = (
    "empty line shows the answer (then means Good), 1-4 grade, u undo, s skip, - bury, "
    "@ suspend, q quit"
)


def _skip(session: Session, shown: Shown, now: datetime) -> Text:
    session.skip(shown)
    return Text("skipped for this session", style="dim")


def _bury(session: Session, shown: Shown, now: datetime) -> Text:
    session.bury(shown, now)
    return Text("buried until tomorrow (u undoes)", style="dim")


def _suspend(session: Session, shown: Shown, now: datetime) -> Text:
    session.suspend(shown, now)
    return Text("suspended: studykit unsuspend brings it back (u undoes)", style="dim")


# Keys that set the card shown aside, either side of it.
_ASIDE: dict[str, Callable[[Session, Shown, datetime], Text]] = {
    "s": _skip,
    "-": _bury,
    "@": _suspend,
}


def _edit(session: Session, shown: Shown, screen: Screen) -> Text:
    note = shown.card.note
    assert screen.reload is not None and screen.suspend is not None
    try:
        command = editor_command(note.section.path, note.line)
    except StudykitError as exc:  # a VISUAL that does not parse, or no editor at all
        session.show_again(shown.keyed.key)
        return Text(f"{exc.message} (the session goes on)", style="bold red")
    try:
        with screen.suspend():
            subprocess.run(command, check=False)
        session.reload(screen.reload(shown.keyed.reading.folder))
    except StudykitError as exc:
        # The error that stopped the reload, not a warning listed before it.
        found = exc.problems()
        first = next((p for p in found if p.is_error), found[0])
        message = f"notes not reloaded (the session goes on): {first.format()}"
        return Text(message, style="bold red")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return Text(
            printable(f"cannot start the editor: {command[0]}: {reason} (the session goes on)"),
            style="bold red",
        )
    finally:
        session.show_again(shown.keyed.key)
    return Text(f"reloaded {note.section.path.name}", style="dim")


def line_actions(stream: IO[str]) -> Iterator[str]:
    """Actions from lines of text: one per line, surrounding spaces ignored."""
    for line in stream:
        yield line.strip()


@contextlib.contextmanager
def key_actions(
    fd: int,
) -> Iterator[tuple[Iterator[str], Callable[[], contextlib.AbstractContextManager[None]]]]:
    """Single keys from a terminal in cbreak mode (Ctrl-C still interrupts); the terminal is
    restored on every way out. Also yields a context manager that hands the terminal back for a
    while (to run an editor)."""
    import termios
    import tty

    saved = termios.tcgetattr(fd)

    @contextlib.contextmanager
    def suspended() -> Iterator[None]:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        try:
            yield
        finally:
            tty.setcbreak(fd)

    def keys() -> Iterator[str]:
        while True:
            data = os.read(fd, 1)
            if not data:
                return
            key = data.decode("utf-8", "replace")
            if key == "\x1b":  # an escape sequence (arrow keys...): drain and ignore it
                while select.select([fd], [], [], 0.02)[0]:
                    os.read(fd, 16)
                continue
            if key in KEYS:
                yield KEYS[key]

    tty.setcbreak(fd)
    try:
        yield keys(), suspended
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
