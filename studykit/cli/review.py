"""The commands of review in the terminal: review, unsuspend, stats and optimize."""

from __future__ import annotations

import contextlib
import gc
import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from studykit.cli.common import (
    DEFAULT_NOTES,
    JsonFlag,
    NotesDir,
    ReadingArg,
    StatePath,
    console,
    reports_errors,
    review_store,
)
from studykit.cli.entry import report_interrupt
from studykit.command import without_cycle_collection
from studykit.processes import stopping
from studykit.words import plural

if TYPE_CHECKING:
    from pathlib import Path

    from studykit.review.session import Session, SessionOptions

OneSection = Annotated[
    str | None, typer.Option("--section", metavar="S", help="Review one section only.")
]
NewCards = Annotated[int, typer.Option("--new", min=0, metavar="N", help="New cards per day.")]
Limit = Annotated[
    int | None, typer.Option("--limit", min=1, metavar="N", help="Stop after N answers.")
]
Retention = Annotated[
    float | None,
    typer.Option(
        "--retention",
        min=0.7,
        max=0.99,
        metavar="R",
        # `\\[`: rich markup would take the bracket for a style and drop the whole text.
        help="Desired retention, 0.70-0.99, for this session \\[default: the store's, 0.9 "
        "unless one was adopted from Anki or fitted]",
        show_default=False,
    ),
]
Ahead = Annotated[
    int,
    typer.Option(
        "--ahead",
        min=0,
        max=36_500,  # the longest interval there is
        metavar="DAYS",
        help="Also review now the cards due in the next DAYS days (before an exam); "
        "each is scheduled from today's answer. No new cards.",
    ),
]
Cram = Annotated[
    bool,
    typer.Option(
        "--cram",
        help="Go through the cards (of READING, --section or --failed-today) without "
        "changing their schedule.",
    ),
]
FailedToday = Annotated[
    bool, typer.Option("--failed-today", help="With --cram: the cards answered Again today.")
]


@reports_errors
def review(
    reading: ReadingArg = None,
    notes: NotesDir = DEFAULT_NOTES,
    state: StatePath = None,
    section: OneSection = None,
    new: NewCards = 20,
    limit: Limit = None,
    retention: Retention = None,
    ahead: Ahead = 0,
    cram: Cram = False,
    failed_today: FailedToday = False,
) -> None:
    """Review due cards in the terminal, scheduled by FSRS as in Anki: every reading of the
    notes folder, or the READING named.

    Space or enter shows the answer; then 1 Again, 2 Hard, 3 Good (or enter), 4 Easy. Also:
    u undoes, s skips, - buries till tomorrow, @ suspends, e edits the card's notes, q quits.
    Every answer is saved at once. Without a terminal, one action per line: an empty line,
    1-4, u, s, -, @ or q.

    Before an exam: --ahead 3 reviews now what comes due in three days; --cram goes through
    cards and reschedules nothing.

    Example: studykit review mao-collectivization --section policies
    """
    from studykit.cli.clock import now
    from studykit.notes.validate import load_reading
    from studykit.review import render
    from studykit.review.screen import Screen, key_actions, line_actions, run
    from studykit.review.session import SessionOptions

    options = SessionOptions(new, limit, section, ahead, cram, failed_today)
    session, notice = _start(reading, notes, state, options, retention)
    if notice:
        typer.echo(f"warning: {notice}", err=True)
    out = console()
    try:
        with contextlib.ExitStack() as stack:
            if sys.stdin.isatty() and out.is_terminal:
                actions, suspend = stack.enter_context(key_actions(sys.stdin.fileno()))
                screen = Screen(out, actions, True, load_reading, suspend)
            else:
                screen = Screen(out, line_actions(sys.stdin))
            ended = run(session, now, screen)
    finally:
        session.store.close()
    if not (ended.interrupted and stopping.said() == "hung up"):  # no terminal to print on
        out.print(render.summary(ended.summary, ended.finished))
    if ended.interrupted:
        report_interrupt(f"{stopping.said() or 'interrupted'} (every answer is saved)")
        raise typer.Exit(stopping.exit_code())


def _start(
    reading: str | None,
    notes: Path,
    state: str | None,
    options: SessionOptions,
    retention: float | None,
) -> tuple[Session, str | None]:
    """A review session of the library, or of the reading named, and a notice to show first."""
    from studykit.cli.clock import now
    from studykit.notes.library import load
    from studykit.review.keyed import keyed_cards
    from studykit.review.location import check_folder, make_folder
    from studykit.review.starting import Loaded, load_library, start

    with without_cycle_collection():  # tens of thousands of cards, no cycles among them
        if reading is None:
            store = review_store(state, notes, move=True)
            if state is None:
                check_folder(store.parent)  # before the notes' identity records are written
            loaded = load_library(notes, store, now())
            if state is None:
                make_folder(store.parent)  # once the notes pass: bad notes make nothing
            started = start(loaded, store, options, now(), retention)
        else:
            one = load(reading, notes)
            # Keyed before the store is made: a refused identity record makes no store, and
            # the record is written once the store has opened.
            keyed, identities = keyed_cards(one, save=False)
            store = review_store(state, one.folder.parent, write=True)
            loaded = Loaded([one], {one.id: keyed}, None, None)
            started = start(loaded, store, options, now(), retention)
            try:
                identities.save()
            except BaseException:
                started[0].store.close()  # the session never runs: nothing else closes it
                raise
        # The notes, cards and states just loaded live as long as the session: the collector,
        # back on, would scan them over and over (a tenth of a library session's start).
        gc.freeze()
    return started


@reports_errors
def unsuspend(
    reading: ReadingArg = None,
    notes: NotesDir = DEFAULT_NOTES,
    state: StatePath = None,
    section: Annotated[
        str | None, typer.Option("--section", metavar="S", help="One section only.")
    ] = None,
    list_only: Annotated[
        bool, typer.Option("--list", help="Show the suspended cards; change nothing.")
    ] = False,
) -> None:
    """Bring suspended cards (@ on the review screen) back into review: every one of the
    notes folder, of the READING named, or of one --section.

    Example: studykit unsuspend mao-collectivization --section policies
    """
    from studykit.cli.clock import now
    from studykit.notes.library import load, load_all
    from studykit.review.suspension import unsuspend as bring_back

    readings = [load(reading, notes)] if reading is not None else load_all([], notes)
    folder = notes if reading is None else readings[0].folder.parent
    store = review_store(state, folder, move=not list_only)
    cards = bring_back(readings, section, store, now(), dry_run=list_only)
    where = " in " + ", ".join(r.id for r in readings) if readings else ""
    if not cards:
        typer.echo(f"no suspended cards{where}")
        return
    if list_only:
        typer.echo(f"{plural(len(cards), 'suspended card')}{where}:")
    else:
        typer.echo(f"unsuspended {plural(len(cards), 'card')}{where}:")
    for k in cards:
        card = k.card
        typer.echo(
            f"  {k.reading.id} · {card.note.section.id} · {card.direction} · {card.note.label}"
        )


@reports_errors
def stats(
    reading: ReadingArg = None,
    notes: NotesDir = DEFAULT_NOTES,
    state: StatePath = None,
    as_json: JsonFlag = False,
) -> None:
    """Due forecast, true retention, streak and strength (weakest first): of the library, a
    row per reading; of a READING, a row per section.

    Example: studykit stats --json
    """
    from studykit.cli.clock import now
    from studykit.errors import display_path
    from studykit.notes.library import load, load_all
    from studykit.review.stats import library_stats, reading_stats
    from studykit.review.stats_view import library_view, stats_view

    if reading is None:
        readings = load_all([], notes)
        store = review_store(state, notes)
        data = library_stats(readings, store, now())
        title = f"{plural(len(readings), 'reading')} in {display_path(notes)}"
        view = library_view
    else:
        loaded = load(reading, notes)
        store = review_store(state, loaded.folder.parent)
        data = reading_stats(loaded, store, now())
        title = loaded.title
        view = stats_view
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        where = display_path(store) + ("" if store.is_file() else " (none yet: nothing reviewed)")
        console().print(view(data, title, where))


@reports_errors
def optimize(
    notes: NotesDir = DEFAULT_NOTES,
    state: StatePath = None,
    as_json: JsonFlag = False,
) -> None:
    """Fit your own FSRS parameters to the answers in the review store (terminal and pulled
    from Anki), show log loss and RMSE of the defaults and of the fit on those answers, and
    let review schedule with the fit where it is better on both. Anki fits from 400 answers.

    Example: studykit optimize --json
    """
    from studykit.cli.clock import now
    from studykit.review.optimize import as_json as optimized_json
    from studykit.review.optimize import optimize as fit
    from studykit.review.optimize import report

    result = fit(review_store(state, notes, move=True), now())
    if as_json:
        typer.echo(json.dumps(optimized_json(result), indent=2, ensure_ascii=False))
    else:
        typer.echo("\n".join(report(result)))
