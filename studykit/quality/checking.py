"""`check` over many readings: validation and card-quality warnings, reading by reading."""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from studykit.errors import Problem
from studykit.quality.checks import Budgets

if TYPE_CHECKING:
    from studykit.notes.sharing import Split


@dataclass(frozen=True)
class ReadingCheck:
    """What check found in one reading: its problems in file and line order, and its size."""

    problems: list[Problem]
    sections: int
    cards: int
    deck: str | None = None  # the reading's deck name, when reading.yaml loads


def check_readings(folders: list[Path], budgets: Budgets) -> list[ReadingCheck]:
    """Check each reading folder; large libraries are shared with a second process."""
    # What check_one imports, imported before the second process starts: it inherits them.
    import studykit.cards
    import studykit.identity
    import studykit.notes.validate
    import studykit.quality.checks  # noqa: F401
    from studykit.identity.library import read_ahead
    from studykit.notes.sharing import SharedReadings

    check = functools.partial(check_one, budgets=budgets)
    # A reading cut in two: its identity records read as this process waits for the other part.
    with SharedReadings(check, folders, theirs=_THEIRS, meanwhile=read_ahead) as work:
        checks = work.results()
    return _one_deck_each(folders, checks)


def _one_deck_each(folders: list[Path], checks: list[ReadingCheck]) -> list[ReadingCheck]:
    """Warn at a reading whose deck name an earlier reading has: in Anki the two readings'
    subdecks would be one (`History::01 Introduction` holding both first sections)."""
    from studykit.errors import Severity
    from studykit.quality.checks import key_line

    first: dict[str, Path] = {}
    warned = []
    for folder, found in zip(folders, checks, strict=True):
        # Anki's deck names ignore case.
        earlier = folder if found.deck is None else first.setdefault(found.deck.casefold(), folder)
        if earlier != folder:
            path = folder / "reading.yaml"
            message = (
                f"the deck name `{found.deck}` is {earlier.name}'s too, so in Anki the two "
                f"readings' cards would share it and its section subdecks: give this reading a "
                f"`deck:` of its own, such as `{found.deck}::{folder.name}`"
            )
            line = key_line(path, "deck:", "title:")  # the deck is named by one or the other
            warning = Problem(path, line, 1, message, Severity.WARNING)
            found = replace(found, problems=[*found.problems, warning])
        warned.append(found)
    return warned


# The second process's share: more than half, since this one started the command (about a
# tenth of its time on 2,000 files went to starting Python and importing).
_THEIRS = 0.55


def check_one(folder: Path, split: Split | None, budgets: Budgets) -> ReadingCheck:
    """Validate one reading (`split`: cut in two, its parts read) and run the card-quality
    rules on the sections that load.

    A broken section file hides nothing else: the sound files' warnings are those they give
    when the broken file is fixed, beside its error.
    """
    from studykit.cards import reading_card_count
    from studykit.errors import StudykitError
    from studykit.identity import RECORD_FILE, record_problems, refuse_link
    from studykit.notes.validate import check_reading
    from studykit.quality.checks import card_warnings

    reading, found = check_reading(folder, True, None if split is None else split.read)
    if reading is None or any(p.is_error for p in found):
        # deck and review refuse such a record: check says so first.
        try:
            refuse_link(folder / RECORD_FILE)
        except StudykitError as exc:
            found = [*found, *exc.problems()]
        if reading is not None:
            # Only the rules about single sections: whether a source is cited, or an identity
            # taken, depends on the files that did not load too.
            warned = card_warnings(reading, budgets, whole=False)
            found = sorted([*found, *warned], key=lambda p: (str(p.path), p.line))
        return ReadingCheck(found, 0, 0, None if reading is None else reading.deck_name)
    refused = record_problems(reading)
    if refused:
        return ReadingCheck([*found, *refused], 0, 0, reading.deck_name)
    warned = card_warnings(reading, budgets)
    found = sorted([*found, *warned], key=lambda p: (str(p.path), p.line))
    count = reading_card_count(reading)
    return ReadingCheck(found, len(reading.sections), count, reading.deck_name)
