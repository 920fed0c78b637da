"""`studykit pull`: a student's Anki review log merged into the review store, and each card's
state replayed from every answer it has had, in Anki and in the terminal.

The rules, as Anki's own FSRS reads a card's log (rslib's `reviews_for_fsrs`):
- Answers given in Anki (learning, review, relearning) are logged in the store once each, keyed
  by Anki's revlog id: pulling the same file again adds nothing and changes nothing.
- A review before its due day (Anki logs it as "filtered": in a filtered deck that reschedules,
  or reviewed early) is an answer like any other. Cramming in a filtered deck that does not
  reschedule changes no schedule in Anki and is not copied.
- "Set due date" and FSRS's rescheduling move a card's due date only: they are not answers. A
  reset ("Forget") makes the card new: the answers before it, in either place, no longer count,
  and a card with no answer since is new again in the store.
- The history that counts starts at the card's last run of learning answers, as in Anki.
- A card's memory (stability, difficulty) is replayed over that history with its Anki preset's
  FSRS parameters and desired retention. A card whose every answer came from Anki keeps the
  state Anki holds (Anki's FSRS over the same answers: replaying would give the same, to Anki's
  rounding). Where the last answer (or reset, or new due date) came from Anki, the card keeps the
  due date, interval and learning step Anki gave it: Anki's fuzz is random, a replay cannot
  reproduce it. Only values studykit can schedule with are kept (`collection` reads the others
  as absent): a memory state outside FSRS's range, or a due date beyond the calendar, leaves the
  replay's.
- A card suspended in Anki is suspended in the store (`studykit unsuspend` brings it back),
  unless the file is older than what the store knows of it (`pull_merge._current`); a burying
  in Anki ends with its day and is not carried over.
- The preset most of the student's studykit cards are in is adopted for later reviews in the
  terminal (`review/settings.py`).

Here the pull itself: the notes and the file read, the cards checked, the store written. The log
merged with the store's (`pull_merge`), a card's state replayed (`pull_replay`), the rows written
(`pull_rows`), the preset adopted (`pull_presets`) and the report (`pull_report`) have modules of
their own.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from studykit.anki.collection import Reader, opened_collection, read_collection
from studykit.anki.collection_cards import Collected
from studykit.anki.pull_merge import ByCard, Merged, Prepared, by_card, merge, prepare
from studykit.anki.pull_presets import adopted_settings, main_preset
from studykit.anki.pull_report import PullReport
from studykit.anki.pull_rows import FILTERED, state_text
from studykit.command import without_cycle_collection
from studykit.errors import Problem, StudykitError
from studykit.review import settings as fsrs_settings
from studykit.review.scheduler import CardState
from studykit.review.store import Key, Stored, open_store

if TYPE_CHECKING:
    from studykit.notes.sharing import Split


@dataclass(frozen=True)
class Owned:
    """A studykit note as the log names it: its reading, section and identity."""

    reading: str
    section: str
    identity: str


def pull_library(
    file: Path, notes: Path, state: Path, now: datetime, own_folder: bool = False
) -> PullReport:
    """Pull the Anki file into the store at `state`, for every reading of the notes folder;
    with `own_folder`, the store is the default one, whose folder (and its `.gitignore`) is
    made once the notes and the file are read: a pull refused makes nothing.

    A large library's notes are checked and keyed in a second process while this one reads
    the file (each takes about as long as the other); a small one's after the file, here. The
    notes' errors are raised before the file's, as when the notes were read first."""
    with without_cycle_collection():  # the second process, forked within, goes without too
        return _pull_library(file, notes, state, now, own_folder)


def _pull_library(
    file: Path, notes: Path, state: Path, now: datetime, own_folder: bool
) -> PullReport:
    from studykit.errors import NotesError
    from studykit.notes.library import resolve_readings
    from studykit.notes.sharing import SharedReadings

    folders = resolve_readings([], notes)
    with contextlib.ExitStack() as scratch:
        # Every reading to the second process, while this one reads the file.
        with SharedReadings(_owned_cards, folders, theirs=1.0) as shared:
            read = _read_early(scratch, file, now)
            found = shared.results()
        problems = [problem for errors, _, _ in found for problem in errors]
        if problems:
            raise NotesError(problems)
        if isinstance(read, StudykitError):  # raised once the notes are known to be sound
            raise read
        reader, prepared = read
        owned: dict[str, Owned] = {}
        cards: list[Key] = []
        for _, reading, keyed in found:
            for guid, section, identity, numbers in keyed:
                owned[guid] = Owned(reading, section, identity)
                cards.extend((guid, number) for number in numbers)
        collected = reader(owned.keys())
    return _pull(collected, file, owned, cards, state, now, prepared, own_folder)


def _read_early(
    scratch: contextlib.ExitStack, file: Path, now: datetime
) -> tuple[Reader, Prepared | None] | StudykitError:
    """The file opened (kept open by `scratch`) and what a pull makes of the cards of
    studykit's notes as the notes will most likely name them, or why the file is refused."""
    try:
        reader = scratch.enter_context(opened_collection(file, now.tzinfo, now))
    except StudykitError as exc:
        return exc
    early = reader.gather_early()
    return reader, None if early is None else prepare(early, now.tzinfo)


def _owned_cards(
    folder: Path, split: Split | None
) -> tuple[list[Problem], str, list[tuple[str, str, str, list[int]]]]:
    """A reading folder's errors, or its id and notes: each note's GUID, section, identity and
    card numbers, in the notes' order (what a second process sends back: note by note, it
    pickles a third of what card by card would)."""
    from studykit.notes.validate import check_reading
    from studykit.review.keyed import keyed_cards

    reading, problems = check_reading(folder, read=None if split is None else split.read)
    errors = [problem for problem in problems if problem.is_error]
    if reading is None or errors:
        return errors, folder.name, []
    keyed, _ = keyed_cards(reading, save=False)
    notes: dict[str, tuple[str, str, str, list[int]]] = {}
    for k in keyed:
        guid, number = k.key
        if guid in notes:
            notes[guid][3].append(number)
        else:
            notes[guid] = (guid, k.note.section.id, k.note.identity, [number])
    return [], reading.id, list(notes.values())


def pull(
    file: Path,
    owned: dict[str, Owned],
    cards: Iterable[Key],
    state: Path,
    now: datetime,
) -> PullReport:
    """Merge the Anki file's review log of the notes in `owned` (GUID -> note) into the store
    at `state`; `cards` are every studykit card of the notes folder."""
    with without_cycle_collection():
        collected = read_collection(file, owned.keys(), now.tzinfo, now)
        return _pull(collected, file, owned, cards, state, now)


def _pull(
    collected: Collected,
    file: Path,
    owned: dict[str, Owned],
    cards: Iterable[Key],
    state: Path,
    now: datetime,
    prepared: Prepared | None = None,
    own_folder: bool = False,
) -> PullReport:
    """`pull`, the collection read (`prepared`: its log made into rows and states already;
    `own_folder`: as `pull_library`)."""
    zone = now.tzinfo
    ours = set(cards)
    collected, ignored_cards = _ours(_studied(collected, file), ours)
    if prepared is not None and prepared.log is not collected.log:
        prepared = None  # made from another log: a note's cards the notes do not have
    grouped = by_card(collected.log) if prepared is None else prepared.grouped
    answered = _answered(grouped, file)
    unseen = sum(1 for key in ours if key not in answered)
    if own_folder:
        from studykit.review.location import make_folder

        make_folder(state.parent)
    opened = open_store(state, now)
    store = opened.store
    try:
        stored = store.answers(grouped.entries.keys())
        merged = merge(
            collected, store.anki_ids(), stored, zone, store.last_logged(), grouped, prepared
        )
        changed, texts = _changed(merged, store.states(), prepared)
        suspend = [
            key
            for key, card in collected.cards.items()
            if card.queue == -1 and key in answered and key in merged.current
        ]
        hidden = store.hidden(now).suspended
        newly = [key for key in suspend if key not in hidden]
        notes = {
            guid: (owned[guid].reading, owned[guid].section, owned[guid].identity)
            for guid in {guid for guid, _ in merged.rows}  # each card's GUID
        }
        logged = {key: at for key, at in merged.logged.items() if key not in merged.stale}
        preset, count = main_preset(collected)
        current = fsrs_settings.load(store)
        keep_fit, adopted = adopted_settings(current, preset, merged, now)
        # Kept in the pull's own transaction: the answers and the settings they were given
        # with are kept together or not at all.
        kept = {} if adopted is None else dict([fsrs_settings.setting(adopted)])
        added = store.pull(merged.rows, notes, changed, newly, now, texts, logged, kept)
    finally:
        store.close()
    return PullReport(
        added,
        len(changed),
        len(answered),
        collected.foreign_notes,
        unseen,
        len(newly),
        adopted,
        preset.name,
        count,
        len({card.preset for card in collected.cards.values()}),
        preset.own,
        opened.notice,
        kept=current.origin if keep_fit else None,
        unusable=preset.unusable,
        ignored_cards=ignored_cards,
        stale=len(merged.stale),
        former_notes=collected.former_notes,
    )


def _studied(collected: Collected, file: Path) -> Collected:
    """The collection, where it holds any card of studykit's notes."""
    if not collected.cards:
        raise StudykitError(
            f"none of its {collected.foreign_notes} notes were made by studykit from these "
            "notes (import the deck `studykit deck` builds, review it, then pull): nothing "
            "to pull",
            file,
        )
    return collected


def _answered(grouped: ByCard, file: Path) -> set[Key]:
    """The cards with an answer that schedules: graded, and not cramming in a filtered deck."""
    answered = {
        key
        for key, entries in grouped.entries.items()
        if any(
            1 <= button <= 4 and kind <= FILTERED and (kind != FILTERED or factor != 0)
            for _, _, button, _, _, factor, _, kind in entries
        )
    }
    if not answered:
        # Most likely an .apkg exported without its scheduling, or studykit's own deck: saying
        # "0 answers merged" would read as "in sync".
        raise StudykitError(
            "it holds no answers to your cards: nothing to pull (export an .apkg with "
            "'Include scheduling information' ticked, or pull a backup .colpkg)",
            file,
        )
    return answered


def _changed(
    merged: Merged, states: dict[Key, Stored], prepared: Prepared | None
) -> tuple[dict[Key, CardState | None], dict[Key, str]]:
    """The cards whose state the merge changes from the store's (`states`), and the new
    states' JSON (made before the store was read, where `prepared` holds it already)."""
    changed: dict[Key, CardState | None] = {}
    texts: dict[Key, str] = {}
    made = {} if prepared is None else prepared.texts
    held = {} if prepared is None else prepared.states
    for key, new in merged.states.items():
        if new is None:
            text = None
        elif key in made and held[key] is new:
            text = made[key]
        else:
            text = state_text(new)
        if text != (None if key not in states else states[key].raw):
            changed[key] = new
            if text is not None:
                texts[key] = text
    return changed, texts


def _ours(collected: Collected, cards: set[Key]) -> tuple[Collected, int]:
    """The collection without the cards of studykit's notes that the notes do not have (a
    template added in Anki, a card number changed by hand, a cloze since deleted): the terminal
    cannot show them, so their answers are left out as a foreign note's are; and how many."""
    foreign = [key for key in collected.cards if key not in cards]
    if not foreign:  # as a pull almost always finds it: the log is not gone through again
        return collected, 0
    kept = {key: card for key, card in collected.cards.items() if key in cards}
    log = [entry for entry in collected.log if entry.key in cards]
    kept_collected = Collected(
        kept, log, collected.presets, collected.foreign_notes, collected.former_notes
    )
    return kept_collected, len(foreign)
