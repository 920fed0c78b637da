"""Personal FSRS parameters, fitted to the student's own answers with fsrs-rs (the Rust library
Anki optimises with), through its Python wheel `fsrs_rs_python`.

The log becomes training items as Anki's `fsrs_items_for_training` makes them from its revlog
(rslib/src/scheduler/fsrs/params.rs, `reviews_for_fsrs`):

- Per card, its answers in time order, terminal and pulled from Anki alike. A card's history
  starts at its last run of learning answers (answers to a new or learning card); a card with
  none (its learning lies before the log) is left out of training, as Anki leaves it out.
- Elapsed time is in review days as Anki counts them: each answer's whole days (of 86,400 s)
  before the start of tomorrow's review day (04:00), differenced between answers.
- Each answer after the first is one item: the card's answers up to it. Only items whose last
  answer came on a later review day than the one before are kept (same-day answers feed the
  history, never the target), and they are ordered by that answer's time.
- One departure: a card's answers after its first `LONGEST_HISTORY` (counted from its last
  learning run) make no item. Each item carries the card's whole history, so without a bound
  one card answered n times costs time in n squared (32,000 answers of one card took 7.6 s,
  and a shared store could hold any number); with it the cost is linear in the log. Real cards
  have tens of answers, far below the bound, and are trained exactly as Anki trains them.

Cram answers are in a log of their own and never read here.

The minimum: Anki fits only from 400 items; fewer, and its optimizer keeps the parameters it
has ("does not return an error if there are less than 400 items - the caller should instead
check the fsrs_items count", rslib params.rs `compute_params`). fsrs-rs itself returns the
defaults below 8 items and fits only the first-answer stabilities below 64.

Adopted only where better: the fitted parameters replace the ones in use only when, on the same
items, both their log loss and their RMSE (bins) are lower than those of the FSRS defaults and of
the parameters in use. Anki's own test is RMSE alone (it keeps the current parameters when their
RMSE is no higher); log loss, the quantity the fit minimises, is added so that a fit that only
moved the binned calibration, on a small log, does not replace parameters that predict the
answers as well.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from studykit.errors import StudykitError
from studykit.review import settings
from studykit.review.scheduler import PARAMETERS, RELEARNING_STEPS, Phase, next_day_at
from studykit.review.settings import FsrsSettings
from studykit.review.store import (
    LogRow,
    open_for_reading,
    open_store,
    rows_as_written,
    timestamp,
)
from studykit.words import plural

if TYPE_CHECKING:
    from fsrs_rs_python import FSRSItem

MINIMUM = 400
"""Training items (answers that count) Anki asks for before it fits parameters."""
_DAY = 86_400
LONGEST_HISTORY = 200
"""A card's answers, from its last learning run, that can end a training item (docstring)."""


@dataclass(frozen=True)
class Item:
    """One training item: a card's answers up to one answer, as (grade, review days since the
    answer before)."""

    card: tuple[str, int]  # (note GUID, card number)
    reviews: tuple[tuple[int, int], ...]
    time: str  # the last answer's, as logged (UTC ISO): the items' order


@dataclass(frozen=True)
class Fit:
    """How well parameters predict the answers: log loss and RMSE (bins), lower is better."""

    log_loss: float
    rmse: float


@dataclass(frozen=True)
class Optimized:
    """What `studykit optimize` found and did."""

    logged: int  # answers in the log
    answers: int  # answers that count for fitting (training items)
    cards: int  # cards they belong to
    default: Fit | None  # the FSRS defaults on those answers; None with no answer that counts
    current: Fit | None  # the parameters in use, where they are not the defaults
    fitted: Fit | None  # None below the minimum
    parameters: tuple[float, ...] | None  # the fitted ones
    adopted: bool
    in_use: FsrsSettings  # what review schedules with from now on
    before: str  # where the parameters in use before came from ("FSRS defaults", ...)
    minimum: int = MINIMUM

    @property
    def missing(self) -> int:
        """Answers that count still needed before a fit."""
        return max(self.minimum - self.answers, 0)


def training_items(rows: list[LogRow], now: datetime) -> list[Item]:
    """The log's answers as fsrs-rs training items, as Anki builds them (module docstring)."""
    tomorrow = next_day_at(now).timestamp()
    cards: dict[tuple[str, int], list[LogRow]] = defaultdict(list)
    for row in rows:
        cards[row.key].append(row)
    items: list[Item] = []
    for key, answers in cards.items():
        answers.sort(key=lambda r: r.time)  # pulled answers may be logged after later ones
        start = _last_learning_run(answers)
        if start is None:
            continue
        kept = answers[start : start + LONGEST_HISTORY]
        days = [_days_before(r.time, tomorrow) for r in kept]
        deltas = [0] + [before - after for before, after in pairwise(days)]
        reviews = tuple((int(r.grade), delta) for r, delta in zip(kept, deltas, strict=True))
        items.extend(
            Item(key, reviews[: n + 1], kept[n].time) for n in range(1, len(kept)) if deltas[n] > 0
        )
    items.sort(key=lambda item: item.time)
    return items


def optimize(state_path: Path, now: datetime) -> Optimized:
    """Fit FSRS parameters to the store's log, compare them with the defaults (and the
    parameters in use) on the same answers, and keep them for review where they are better."""
    store = open_for_reading(state_path)
    if store is None:
        defaults = settings.DEFAULTS
        return Optimized(0, 0, 0, None, None, None, None, False, defaults, defaults.origin)
    try:
        with rows_as_written(state_path):
            rows = store.log()
            in_use = settings.load(store)
            items = training_items(rows, now)
    finally:
        store.close()
    cards = len({item.card for item in items})
    if not items:
        return Optimized(len(rows), 0, 0, None, None, None, None, False, in_use, in_use.origin)
    from fsrs_rs_python import FSRSItem, FSRSReview  # a Rust wheel: only this command loads it

    batch = [FSRSItem([FSRSReview(g, d) for g, d in item.reviews]) for item in items]
    default = _evaluate(PARAMETERS, batch)
    current = None if in_use.parameters == PARAMETERS else _evaluate(in_use.parameters, batch)
    if len(items) < MINIMUM:
        return Optimized(
            len(rows), len(items), cards, default, current, None, None, False, in_use, in_use.origin
        )
    parameters = _fit(batch)
    fitted = _evaluate(parameters, batch)
    adopted = all(_better(fitted, other) for other in (default, current) if other is not None)
    before = in_use.origin
    if adopted:
        in_use = FsrsSettings(
            parameters,
            in_use.retention,
            f"fitted to {len(items):,} of your answers",
            timestamp(now),
        )
        opened = open_store(state_path, now)
        try:
            settings.save(opened.store, in_use)
        finally:
            opened.store.close()
    return Optimized(
        len(rows), len(items), cards, default, current, fitted, parameters, adopted, in_use, before
    )


def _last_learning_run(answers: list[LogRow]) -> int | None:
    """Where the card's last run of learning answers starts (Anki's `first_of_last_learn_entries`);
    None when it has no learning answer."""
    start = None
    for index in range(len(answers) - 1, -1, -1):
        if answers[index].before_phase in (None, Phase.LEARNING):
            start = index
        elif start is not None:
            break
    return start


def _days_before(time: str, tomorrow: float) -> int:
    """Whole days from an answer to the start of tomorrow's review day (Anki's `days_elapsed`)."""
    return max(int((tomorrow - datetime.fromisoformat(time).timestamp()) // _DAY), 0)


def _fit(batch: list[FSRSItem]) -> tuple[float, ...]:
    """fsrs-rs's fit, as Anki calls it (short-term memory on, its relearning steps in a day),
    rounded to the 4 decimals Anki shows and exchanges parameters with."""
    from fsrs_rs_python import FSRS

    try:
        fitted = FSRS(list(PARAMETERS)).compute_parameters(
            batch, enable_short_term=True, num_relearning_steps=len(RELEARNING_STEPS)
        )
    except Exception as exc:  # the library's own errors (invalid input): one line, no trace
        raise StudykitError(f"fsrs-rs could not fit parameters to the log: {exc}") from exc
    return tuple(round(w, 4) for w in fitted)


def _evaluate(parameters: tuple[float, ...], batch: list[FSRSItem]) -> Fit:
    from fsrs_rs_python import FSRS

    try:
        found = FSRS(list(parameters)).evaluate(batch)
    except Exception as exc:
        raise StudykitError(f"fsrs-rs could not evaluate parameters on the log: {exc}") from exc
    # As the student reads them, 4 decimals: fsrs-rs sums in threads, and one evaluation of the
    # same parameters can differ from another in the ninth digit.
    return Fit(round(found.log_loss, 4), round(found.rmse_bins, 4))


def _better(fitted: Fit, other: Fit) -> bool:
    return fitted.log_loss < other.log_loss and fitted.rmse < other.rmse


def as_json(result: Optimized) -> dict[str, object]:
    """The object `studykit optimize --json` prints."""

    def fit(found: Fit | None) -> dict[str, float] | None:
        return None if found is None else {"log_loss": found.log_loss, "rmse": found.rmse}

    fitted: dict[str, object] | None = None
    if result.fitted is not None and result.parameters is not None:
        fitted = {**(fit(result.fitted) or {}), "parameters": list(result.parameters)}
    return {
        "logged": result.logged,
        "answers": result.answers,
        "cards": result.cards,
        "minimum": result.minimum,
        "missing": result.missing,
        "default": fit(result.default),
        "current": fit(result.current),
        "fitted": fitted,
        "adopted": result.adopted,
        "parameters_in_use": {
            "origin": result.in_use.origin,
            "retention": result.in_use.retention,
            "since": result.in_use.since,
            "parameters": list(result.in_use.parameters),
        },
    }


def report(result: Optimized) -> list[str]:
    """What `studykit optimize` prints: the answers used, the table, what review now uses."""
    using = _named(result.in_use.origin)
    if result.logged == 0:
        return [f"no answers yet: a fit needs {result.minimum}; review keeps {using}"]
    lines = [
        f"{result.answers:,} of your {result.logged:,} answers count "
        f"({plural(result.cards, 'card')}): each a day or more after its card's answer before"
    ]
    rows = [("FSRS defaults", result.default)]
    if result.current is not None:
        rows.append((f"in use: {result.before}", result.current))
    rows.append(("fitted", result.fitted))
    shown = [(name, fit) for name, fit in rows if fit is not None]
    if shown:
        width = max(len(name) for name, _ in shown)
        lines.append(f"  {'':<{width}}  log loss   RMSE")
        lines += [f"  {name:<{width}}  {f.log_loss:8.4f}  {f.rmse:6.2%}" for name, f in shown]
    if result.fitted is None:
        lines.append(
            f"{result.missing:,} more answers that count are needed before a fit (Anki fits "
            f"from {result.minimum}); review keeps {using}"
        )
    elif result.adopted:
        lines.append(f"adopted: review now schedules with {using}")
    else:
        lines.append(f"kept: the fit is not lower on both log loss and RMSE; review keeps {using}")
    return lines


def _named(origin: str) -> str:
    """Parameters by their origin, in a sentence: "the FSRS defaults", "the parameters fitted
    to 1,204 of your answers"."""
    return f"the parameters {origin}" if origin.startswith("fitted") else f"the {origin}"
