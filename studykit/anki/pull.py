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
  unless the file is older than what the store knows of it (`_current`); a burying in Anki
  ends with its day and is not carried over.
- The preset most of the student's studykit cards are in is adopted for later reviews in the
  terminal (`review/settings.py`).
"""

from __future__ import annotations

import contextlib
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from studykit.anki.collection import (
    AnkiCard,
    Collected,
    Entry,
    Preset,
    opened_collection,
    read_collection,
)
from studykit.command import without_cycle_collection
from studykit.errors import Problem, StudykitError
from studykit.review import settings as fsrs_settings
from studykit.review.scheduler import (
    LEARNING_STEPS,
    RELEARNING_STEPS,
    ROLLOVER_HOUR,
    CardState,
    Grade,
    Phase,
    Scheduler,
    day_at,
    fuzz_seed,
)
from studykit.review.store import RECORD, UNKNOWN_PHASE, Key, Logged, open_store, timestamp
from studykit.words import plural

# Anki's revlog kinds.
LEARNING, REVIEW, RELEARNING, FILTERED, MANUAL, RESCHEDULED = range(6)
_KIND_OF_PHASE = {None: LEARNING, 1: LEARNING, 2: REVIEW, 3: RELEARNING}
# Phases as the store's numbers: a pull compares and writes one per answer.
LEARNING_PHASE, REVIEW_PHASE, RELEARNING_PHASE = map(
    int, (Phase.LEARNING, Phase.REVIEW, Phase.RELEARNING)
)
_PHASE_OF_KIND = {LEARNING: LEARNING_PHASE, REVIEW: REVIEW_PHASE, RELEARNING: RELEARNING_PHASE}


@dataclass(frozen=True)
class Owned:
    """A studykit note as the log names it: its reading, section and identity."""

    reading: str
    section: str
    identity: str


@dataclass(frozen=True)
class PullReport:
    """What a pull did, as the student reads it."""

    answers: int  # Anki answers new to the store
    updated: int  # cards whose state changed
    cards: int  # studykit cards Anki has answered
    ignored_notes: int  # notes in the collection studykit did not make
    unseen: int  # studykit cards Anki has never answered
    suspended: int  # cards newly suspended because they are suspended in Anki
    adopted: fsrs_settings.FsrsSettings | None  # the settings adopted now (None: unchanged)
    preset: str  # the preset the settings come from
    preset_cards: int  # studykit cards in it
    presets: int  # presets studykit's cards are in
    own: bool  # the preset has parameters of its own (not FSRS's defaults)
    notice: str | None = None  # a store moved aside on opening
    kept: str | None = None  # the origin of fitted parameters kept over the preset's defaults
    unusable: str | None = None  # why the preset's own settings were set aside (FSRS's defaults)
    ignored_cards: int = 0  # cards of studykit's notes that the notes do not have
    stale: int = 0  # cards left as they were: the store has later answers to them
    former_notes: int = 0  # ignored notes studykit made of items the notes no longer have

    def lines(self, name: str) -> list[str]:
        """The report as the student reads it."""
        lines = [
            f"pulled {name}: {plural(self.answers, 'answer')} merged, "
            f"{plural(self.updated, 'card')} updated",
            f"ignored {plural(self.ignored_notes - self.former_notes, 'note')} studykit did "
            "not make"
            + (
                f", {plural(self.former_notes, 'note')} of items your notes no longer have"
                if self.former_notes
                else ""
            )
            + (
                f" and {plural(self.ignored_cards, 'card')} your notes do not have"
                if self.ignored_cards
                else ""
            )
            + f"; {plural(self.unseen, 'studykit card')} Anki has not seen",
        ]
        if self.stale:
            them = "it" if self.stale == 1 else "them"
            lines.append(
                f"kept {plural(self.stale, 'card')} as in the store, which holds later answers "
                f"or changes to {them} than this file: an older backup?"
            )
        if self.unusable is not None:
            lines.append(
                f"Anki preset '{self.preset}' has {self.unusable}, which Anki never writes: "
                "FSRS's default settings are used in its place"
            )
        if self.suspended:
            lines.append(f"suspended {plural(self.suspended, 'card')}, as in Anki")
        if self.adopted is not None:
            which = "its own parameters" if self.own else "FSRS's default parameters"
            line = (
                f"review now schedules with Anki preset '{self.preset}' "
                f"(desired retention {self.adopted.retention:.2f}, {which})"
            )
            if self.presets > 1:
                line += (
                    f", the preset of {self.preset_cards} of your cards "
                    f"({self.presets} presets in all)"
                )
            lines.append(line)
        if self.kept is not None:
            lines.append(
                f"review keeps the parameters {self.kept}: Anki preset '{self.preset}' has "
                "FSRS's defaults"
            )
        return lines

    def to_json(self) -> dict[str, Any]:
        return {
            "answers_merged": self.answers,
            "cards_updated": self.updated,
            "cards_answered_in_anki": self.cards,
            "ignored_notes": self.ignored_notes,
            "ignored_cards": self.ignored_cards,
            "cards_unseen_by_anki": self.unseen,
            "suspended": self.suspended,
            "preset": self.preset,
            "preset_cards": self.preset_cards,
            "presets": self.presets,
            "adopted": None
            if self.adopted is None
            else {
                "parameters": list(self.adopted.parameters),
                "retention": self.adopted.retention,
                "origin": self.adopted.origin,
            },
            "kept": self.kept,
            "preset_unusable": self.unusable,
            "cards_kept_newer": self.stale,
            "former_notes": self.former_notes,
        }


class Event(NamedTuple):
    """One entry of a card's merged log, in time order."""

    time: float  # epoch seconds
    kind: int  # Anki's revlog kind (a terminal answer's from the phase it was in)
    button: int  # 1-4; 0 for a manual entry
    factor: int  # 0 marks a reset (manual) or cramming (filtered)
    anki: bool  # from Anki's log


def pull_library(file: Path, notes: Path, state: Path, now: datetime) -> PullReport:
    """Pull the Anki file into the store at `state`, for every reading of the notes folder.

    A large library's notes are checked and keyed in a second process while this one reads
    the file (each takes about as long as the other); a small one's after the file, here. The
    notes' errors are raised before the file's, as when the notes were read first."""
    with without_cycle_collection():  # the second process, forked within, goes without too
        return _pull_library(file, notes, state, now)


def _pull_library(file: Path, notes: Path, state: Path, now: datetime) -> PullReport:
    from studykit.errors import NotesError
    from studykit.notes.library import resolve_readings
    from studykit.processes.parallel import Shared

    folders = resolve_readings([], notes)
    items: list[Path | None] = [None, *folders]  # None: the file, read here
    weights = [0, *(_section_files(folder) for folder in folders)]
    with contextlib.ExitStack() as scratch:

        def work(item: Path | None) -> Any:
            if item is not None:
                return _owned_cards(item)
            try:
                reader = scratch.enter_context(opened_collection(file, now.tzinfo, now))
            except StudykitError as exc:  # raised once the notes are known to be sound
                return exc
            # While the second process checks and keys the notes: the cards of studykit's
            # notes, as the notes will most likely name them, and what a pull makes of them.
            early = reader.gather_early()
            return reader, None if early is None else _prepare(early, now.tzinfo)

        # The file is this process's share (the first item), every reading the second's.
        with Shared(work, items, weights, theirs=1.0) as shared:
            read, *found = shared.results()
        problems = [problem for errors, _, _ in found for problem in errors]
        if problems:
            raise NotesError(problems)
        if isinstance(read, StudykitError):
            raise read
        read, prepared = read
        owned: dict[str, Owned] = {}
        cards: list[Key] = []
        for _, reading, keyed in found:
            for guid, section, identity, numbers in keyed:
                owned[guid] = Owned(reading, section, identity)
                cards.extend((guid, number) for number in numbers)
        collected = read(owned.keys())
    return _pull(collected, file, owned, cards, state, now, prepared)


def _section_files(folder: Path) -> int:
    """How many notes files a reading folder holds: its share of the work, before loading (as
    `checking.section_files` counts them, without importing the card-quality rules it brings,
    which a pull never runs)."""
    try:
        return sum(1 for _ in folder.glob("*.y*ml"))
    except OSError:
        return 1


def _owned_cards(
    folder: Path,
) -> tuple[list[Problem], str, list[tuple[str, str, str, list[int]]]]:
    """A reading folder's errors, or its id and notes: each note's GUID, section, identity and
    card numbers, in the notes' order (what a second process sends back: note by note, it
    pickles a third of what card by card would)."""
    from studykit.notes.validate import check_reading
    from studykit.review.keyed import keyed_cards

    reading, problems = check_reading(folder)
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


class Prepared(NamedTuple):
    """What a pull makes of a collection's log before the store is read (`_prepare`), on the
    assumption that the store knows none of its answers and has no terminal answers to its
    cards: each card's new rows, and the state of each card with only Anki's answers."""

    log: list[Entry]  # the log it was made from
    grouped: ByCard
    rows: dict[Key, bytes]
    states: dict[Key, CardState]  # where Anki's own state is kept (`_merge`)
    texts: dict[Key, str]  # their JSON


def _prepare(collected: Collected, zone: tzinfo | None) -> Prepared:
    """`_merge`'s work that needs nothing of the store, done while the notes are read."""
    grouped = _by_card(collected.log)
    states: dict[Key, CardState] = {}
    crammed = grouped.crammed
    for key, entries in grouped.entries.items():
        if key in crammed:
            entries = [e for e in entries if not (e[7] == FILTERED and e[5] == 0)]
        state = _kept_state(collected.cards[key], entries)
        if state is not None:
            states[key] = state
    texts = {key: state_text(state) for key, state in states.items()}
    return Prepared(collected.log, grouped, _rows(grouped.entries, set(), zone), states, texts)


def _pull(
    collected: Collected,
    file: Path,
    owned: dict[str, Owned],
    cards: Iterable[Key],
    state: Path,
    now: datetime,
    prepared: Prepared | None = None,
) -> PullReport:
    """`pull`, the collection read (`prepared`: its log made into rows and states already)."""
    zone = now.tzinfo
    if not collected.cards:
        raise StudykitError(
            f"none of its {collected.foreign_notes} notes were made by studykit from these "
            "notes (import the deck `studykit deck` builds, review it, then pull): nothing "
            "to pull",
            file,
        )
    ours = set(cards)
    collected, ignored_cards = _ours(collected, ours)
    if prepared is not None and prepared.log is not collected.log:
        prepared = None  # made from another log: a note's cards the notes do not have
    grouped = _by_card(collected.log) if prepared is None else prepared.grouped
    answered = {  # answers that schedule: graded, and not cramming in a filtered deck
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
    unseen = sum(1 for key in ours if key not in answered)
    opened = open_store(state, now)
    store = opened.store
    try:
        stored = store.answers(grouped.entries.keys())
        merged = _merge(
            collected, store.anki_ids(), stored, zone, store.last_logged(), grouped, prepared
        )
        states = store.states()
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
        preset, count = _main_preset(collected)
        current = fsrs_settings.load(store)
        # A fit to the student's own answers says more than FSRS's defaults in a preset that
        # was never optimized; a preset of its own replaces it (Anki's optimizer saw more).
        keep_fit = not preset.own and current.origin.startswith("fitted")
        # A file older than the store's answers has older settings too: they are not adopted.
        older = bool(merged.stale) and not merged.rows
        adopted = None if keep_fit or older else _adopt(current, preset, now)
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


# Either kind of log entry a card's history is read from.
Logs = TypeVar("Logs", Event, Entry)


def _cram(entry: Entry | Event) -> bool:
    return entry.kind == FILTERED and entry.factor == 0


class ByCard(NamedTuple):
    """A collection's log, each card's entries oldest first (the order of the cards' first
    entries), and the cards with an entry of cramming in a filtered deck."""

    entries: dict[Key, list[Entry]]
    crammed: set[Key]


def _by_card(log: list[Entry]) -> ByCard:
    """The log by card, in one pass: a pull reads each card's log as a whole."""
    cards: dict[Key, list[Entry]] = {}
    found = cards.get
    crammed: set[Key] = set()
    for entry in log:  # indexed: (id, key, ..., factor, _, kind)
        entries = found(entry[1])
        if entries is None:
            cards[entry[1]] = [entry]
        else:
            entries.append(entry)
        if entry[7] == FILTERED and entry[5] == 0:
            crammed.add(entry[1])
    return ByCard(cards, crammed)


class Merged(NamedTuple):
    rows: dict[Key, bytes]  # each card's new log rows, packed (`RECORD`)
    states: dict[Key, CardState | None]
    stale: set[Key]  # cards the store knows later of than the file has anything of
    logged: dict[Key, int]  # each card's last entry in the file's log (epoch ms)
    current: set[Key]  # cards the file holds the latest state of (`_current`)


def _merge(
    collected: Collected,
    known: set[int],
    stored: list[Logged],
    zone: tzinfo | None,
    seen: dict[Key, int] | None = None,
    grouped: ByCard | None = None,
    prepared: Prepared | None = None,
) -> Merged:
    """The new log rows, and every touched card's state replayed from its merged log
    (`grouped`: the collection's log by card, where the caller has it; `prepared`: its rows
    and states made before the store was read, where the store changes nothing of them)."""
    grouped = grouped or _by_card(collected.log)
    earlier: dict[Key, list[Event]] = {}
    in_file = {entry.id for entry in collected.log} if stored else set()
    carried = _carried(collected, stored)
    for row in stored:  # answers of the terminal, and any pulled before from another file
        if row.anki_id is not None and row.anki_id in in_file:
            continue
        earlier.setdefault(row.key, []).append(
            Event(
                _epoch(row.time),
                _KIND_OF_PHASE.get(row.before_phase, REVIEW),
                row.rating,
                1,
                row.anki_id is not None,
            )
        )
    # Each card's entries that count: cramming and answers carried from the terminal left out
    # (a card with neither, as nearly every card is, keeps its list as it is).
    from_anki: dict[Key, list[Entry]] = {}
    crammed = grouped.crammed
    for key, entries in grouped.entries.items():
        if carried or key in crammed:
            entries = [
                e for e in entries if not (e[7] == FILTERED and e[5] == 0) and e[0] not in carried
            ]
            if not entries:
                continue
        from_anki[key] = entries
    schedulers: dict[str, Scheduler] = {}
    states: dict[Key, CardState | None] = {}
    # Made before the store was read, on the assumption it held no answer of the terminal's.
    made = {} if prepared is None or carried else prepared.states
    for key in {**earlier, **from_anki}:
        card = collected.cards[key]
        entries = from_anki.get(key, [])
        if key not in earlier:
            # Anki's answers alone: a usable state Anki holds is kept without building events.
            held = made.get(key) or _kept_state(card, entries)
            if held is not None:
                states[key] = held
                continue
        preset = collected.presets[card.preset]
        if preset.name not in schedulers:
            schedulers[preset.name] = Scheduler(
                min(max(preset.retention, 0.7), 0.99), parameters=preset.parameters
            )
        events = earlier.get(key, []) + [
            Event(e.id / 1000, e.kind, e.button, e.factor, True) for e in entries
        ]
        events.sort()
        states[key] = _replay(key, events, card, schedulers[preset.name], zone)
    skipped = known | carried
    if prepared is None:
        rows = _rows(grouped.entries, skipped, zone)
    else:  # a skipped answer still moves its card's state on: the others' rows stand
        rows = _without(prepared.rows, skipped) if skipped else prepared.rows
    # Each card's last entry; an answer carried from the terminal is the store's.
    logged: dict[Key, int] = {}
    for key, entries in grouped.entries.items():
        if carried:
            entries = [entry for entry in entries if entry[0] not in carried]
            if not entries:
                continue
        logged[key] = entries[-1][0]
    fresh = set(rows)  # the cards with new rows
    latest = _latest(stored, seen or {})
    stale = _stale(logged, latest, fresh)
    kept = {key: state for key, state in states.items() if key not in stale}
    current = _current(collected, logged, latest, seen or {}, fresh, stale)
    return Merged(rows, kept, stale, logged, current)


def _without(rows: dict[Key, bytes], skipped: set[int]) -> dict[Key, bytes]:
    """Each card's packed rows without those of the answers in `skipped` (revlog ids)."""
    size = RECORD.size
    kept: dict[Key, bytes] = {}
    for key, blob in rows.items():
        ids = [record[0] for record in RECORD.iter_unpack(blob)]
        if not any(rid in skipped for rid in ids):
            kept[key] = blob
            continue
        left = b"".join(
            blob[at : at + size]
            for at, rid in zip(range(0, len(blob), size), ids, strict=True)
            if rid not in skipped
        )
        if left:
            kept[key] = left
    return kept


def _kept_state(card: AnkiCard, entries: list[Entry]) -> CardState | None:
    """The state Anki holds of a card answered in Anki alone, where it is kept as it is (a
    usable memory state and due date, and an answer that counts); None: replayed."""
    if card.stability is None or card.due is None:
        return None
    counted = _last_counted(entries)
    if counted is None:
        return None
    last = datetime.fromtimestamp(counted / 1000, UTC)
    return _anki_state(card, last, card.reps, card.lapses)


def _last_counted(entries: list[Entry]) -> int | None:
    """The revlog id of the last of Anki's entries `_counted` counts; None where it counts none
    (a card reset since, or none of its answers counts). `_counted`'s own reading, from the end
    and by index: a pull reads every card's."""
    start = first_graded = None
    for index in range(len(entries) - 1, -1, -1):
        _, _, button, _, _, factor, _, kind = entries[index]
        if kind == FILTERED and factor == 0:  # cramming
            continue
        if 1 <= button <= 4:
            first_graded = index
            if kind == LEARNING:
                start = index
                continue
        if start is not None:
            break
        if kind == MANUAL and factor == 0:  # a reset
            if first_graded is None:
                return None
            break
    start = start if start is not None else first_graded
    if start is None:
        return None
    for index in range(len(entries) - 1, start - 1, -1):
        rid, _, button, _, _, factor, _, kind = entries[index]
        if 1 <= button <= 4 and kind not in (MANUAL, RESCHEDULED) and (kind != FILTERED or factor):
            return int(rid)
    return None


def _latest(stored: list[Logged], seen: dict[Key, int]) -> dict[Key, int]:
    """The last moment (epoch ms) the store knows of each card: an answer of the terminal or
    of a file pulled before, or such a file's last entry (`seen`: a date set by hand, a reset)."""
    latest = dict(seen)
    for row in stored:
        moment = round(_epoch(row.time) * 1000)
        if moment > latest.get(row.key, -1):
            latest[row.key] = moment
    return latest


def _stale(logged: dict[Key, int], latest: dict[Key, int], fresh: set[Key]) -> set[Key]:
    """The cards this file holds an older state of: it adds no answer to them (`fresh` are
    those it adds to), and the store knows of each something later (`latest`) than anything
    the file logs of it (`logged`). Backups are pulled in any order: an older one must not put
    its cards back on their older schedule."""
    return {
        key
        for key, moment in latest.items()
        if key not in fresh and key in logged and moment > logged[key]
    }


def _current(
    collected: Collected,
    logged: dict[Key, int],
    latest: dict[Key, int],
    seen: dict[Key, int],
    fresh: set[Key],
    stale: set[Key],
) -> set[Key]:
    """The cards whose suspension in this file is taken: those it adds an answer to, or
    logs something later of than the store knows; of the others (it logs nothing newer of
    them), those not stale when the file itself is newer than every file pulled before (its
    last entry, of any card, later than the last the store has taken in). Suspending logs
    nothing in Anki, so a card suspended since the last pull has no entry to tell it by; the
    file's own last entry tells an older backup, whose suspension lifted since must not come
    back, from a newer one. So does the same file pulled again: a card unsuspended in the
    terminal since stays so."""
    newer = not seen or max(logged.values(), default=-1) > max(seen.values())
    return {
        key
        for key in collected.cards
        if key in fresh or logged.get(key, -1) > latest.get(key, -1) or (newer and key not in stale)
    }


CARRIED_WITHIN_MS = 1_000  # `deck --with-progress` nudges answers of one moment apart by 1 ms


def _carried(collected: Collected, stored: list[Logged]) -> set[int]:
    """Anki's log entries that are the terminal's own answers, carried into Anki by a deck
    built `--with-progress`: the same card, button and moment (to the nudge). Pulled again as
    Anki's, each answer would count twice."""
    terminal: dict[tuple[Key, int], list[float]] = {}
    for row in stored:
        if row.anki_id is None:
            terminal.setdefault((row.key, row.rating), []).append(_epoch(row.time) * 1000)
    if not terminal:  # nothing answered in the terminal: no entry to look at
        return set()
    return {
        entry.id
        for entry in collected.log
        if any(
            abs(entry.id - moment) < CARRIED_WITHIN_MS
            for moment in terminal.get((entry.key, entry.button), ())
        )
    }


def _epoch(stored: str) -> float:
    return datetime.fromisoformat(stored).timestamp()


def _counted(events: list[Logs]) -> list[Logs] | None:
    """The answers Anki's FSRS counts (rslib's `reviews_for_fsrs`): from the card's last run of
    learning answers (or, without one, its first answer since a reset); manual entries,
    rescheduling and cramming left out. None: no answer counts (a card reset since)."""
    first_learning = first_graded = None
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if event.kind == FILTERED and event.factor == 0:  # cramming (`_cram`, inlined)
            continue
        graded = 1 <= event.button <= 4
        if graded:
            first_graded = index
        if graded and event.kind == LEARNING:
            first_learning = index
        elif first_learning is not None:
            break
        elif event.kind == MANUAL and event.factor == 0:  # a reset
            if first_graded is None:
                return None
            break
    start = first_learning if first_learning is not None else first_graded
    if start is None:
        return None
    return [
        e
        for e in events[start:]
        if 1 <= e.button <= 4
        and e.kind not in (MANUAL, RESCHEDULED)
        and (e.kind != FILTERED or e.factor != 0)
    ]


def _replay(
    key: Key, events: list[Event], card: AnkiCard, scheduler: Scheduler, zone: tzinfo | None
) -> CardState | None:
    """A card's state from its merged log: see the module's rules."""
    counted = _counted(events)
    last_from_anki = events[-1].anki
    if counted is None:
        # Nothing answered since a reset: new, unless Anki has scheduled it by hand since.
        return _anki_state(card, None, 0, 0) if card.kind != 0 and last_from_anki else None
    last_review = datetime.fromtimestamp(counted[-1].time, UTC)
    # Anki's memory state and due date are kept only where studykit can schedule with them
    # (`collection` reads them as None otherwise): else the replay's own are.
    usable_due = card.due is not None
    anki_only = all(e.anki for e in counted) and last_from_anki
    if anki_only and card.stability is not None and usable_due:
        return _anki_state(card, last_review, card.reps, card.lapses)
    state: CardState | None = None
    seed = fuzz_seed(key)
    for event in counted:
        moment = datetime.fromtimestamp(event.time, zone)
        state = scheduler.outcomes(state, moment, seed)[Grade(event.button)].state
    assert state is not None
    if last_from_anki and card.kind != 0 and usable_due:
        kept = _anki_state(card, last_review, state.reps, state.lapses)
        return CardState(
            kept.phase,
            kept.step,
            state.stability,
            state.difficulty,
            kept.due,
            state.last_review,
            state.reps,
            state.lapses,
            kept.interval,
        )
    return state


def _anki_state(card: AnkiCard, last_review: datetime | None, reps: int, lapses: int) -> CardState:
    """The card as Anki holds it, as a studykit state."""
    phase = {1: Phase.LEARNING, 2: Phase.REVIEW, 3: Phase.RELEARNING}[card.kind]
    steps = RELEARNING_STEPS if phase is Phase.RELEARNING else LEARNING_STEPS
    step = None if phase is Phase.REVIEW else min(max(len(steps) - card.left, 0), len(steps) - 1)
    due = card.due or datetime.now(UTC)
    return CardState(
        phase=phase,
        step=step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=due.astimezone(UTC),
        last_review=last_review,
        reps=reps,
        lapses=lapses,
        interval=card.interval,
    )


def _rows(cards: dict[Key, list[Entry]], known: set[int], zone: tzinfo | None) -> dict[Key, bytes]:
    """The log rows of Anki's answers not logged yet (`known`), each card's packed (`RECORD`,
    oldest first). Anki keeps no memory state per answer, so each row's states hold what its
    revlog row gives (phase, interval, due), memory unknown; the card's own state is the
    replayed one. Numbers only: a pull writes one row per answer of a student's whole log."""
    rows: dict[Key, bytes] = {}
    days: dict[tuple[int, int], float] = {}  # (answer's review day, interval) -> due
    review_days = _ReviewDays(zone)
    offsets = review_days.offsets
    pack = RECORD.pack
    nan = math.nan
    # Card by card, in the tightest loop: the card's state after its last answer in locals,
    # an entry unpacked once, the review day's arithmetic (`_ReviewDays.ordinal`) inline.
    for key, entries in cards.items():
        records: list[bytes] = []
        # After the card's last answer: phase (-1: new), interval, due, moment (NaN: none),
        # answers.
        before, before_interval, before_due, last, reps = UNKNOWN_PHASE, 0, nan, nan, 0
        for rid, _, button, anki_interval, anki_last, factor, taken, kind in entries:
            if kind == MANUAL and factor == 0:  # a reset: the card is new again
                before, before_interval, before_due, last = UNKNOWN_PHASE, 0, nan, nan
                continue
            if not (1 <= button <= 4 and kind <= FILTERED) or (kind == FILTERED and factor == 0):
                continue  # not an answer that schedules: ungraded, or cramming in a filtered deck
            when = rid / 1000
            new_card = before < 0 and kind == LEARNING
            if before < 0 and not new_card:  # first seen in review (its learning not kept)
                before = _PHASE_OF_KIND.get(kind, REVIEW_PHASE)
                before_interval, before_due = max(anki_last, 0), when
            if anki_interval > 0:
                phase, interval = REVIEW_PHASE, anki_interval
                hour = rid // HOUR_MS
                offset = offsets[hour] if hour in offsets else review_days.offset(hour)
                if offset is None or not 0 <= rid < EXACT_MS:
                    on = review_days.ordinal(rid)
                else:
                    on = (rid + offset - ROLLOVER_MS) // DAY_MS + EPOCH_ORDINAL
                due = days.get((on, interval))
                if due is None:
                    until = date.fromordinal(on + interval)
                    due = days[(on, interval)] = day_at(until, zone).timestamp()
            else:  # a learning step: due its seconds later
                phase = LEARNING_PHASE if kind == LEARNING else RELEARNING_PHASE
                due = when - anki_interval
                interval = max(anki_last, 0) if phase == RELEARNING_PHASE else 0
            if rid not in known:
                if new_card:
                    before, before_interval, before_due, last = UNKNOWN_PHASE, 0, nan, nan
                records.append(
                    pack(
                        rid,
                        button,
                        taken,
                        reps,
                        before,
                        before_interval,
                        before_due,
                        last,
                        phase,
                        interval,
                        due,
                        anki_interval,
                        anki_last,
                        factor,
                        kind,
                    )
                )
            before, before_interval, before_due, last, reps = phase, interval, due, when, reps + 1
        if records:
            rows[key] = b"".join(records)
    return rows


# Below this many milliseconds since the epoch (the year 2242) a moment in seconds is a float
# exact to the microsecond.
EXACT_MS = 2**33 * 1000
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
HOUR_MS, ROLLOVER_MS, DAY_MS = 3_600_000, ROLLOVER_HOUR * 3_600_000, 86_400_000


class _ReviewDays:
    """The review day an answer falls in (`review_date` of its moment in the student's zone),
    as a date's ordinal, with the zone's offset looked up once per hour of answers: an hour
    that starts and ends on one offset keeps it throughout (time zones never change their
    offset and back within an hour). An hour the offset changes in, a zone without offsets
    (the system's, unnamed) and a moment beyond `EXACT_MS` are read answer by answer."""

    def __init__(self, zone: tzinfo | None) -> None:
        self.zone = zone
        self.offsets: dict[int, int | None] = {}  # hour since the epoch -> offset in ms

    def ordinal(self, ms: int) -> int:
        hour = ms // HOUR_MS
        offset = self.offsets[hour] if hour in self.offsets else self.offset(hour)
        if offset is None or not 0 <= ms < EXACT_MS:
            moment = datetime.fromtimestamp(ms / 1000, self.zone)
            return (moment - timedelta(hours=ROLLOVER_HOUR)).toordinal()
        return (ms + offset - ROLLOVER_MS) // DAY_MS + EPOCH_ORDINAL

    def offset(self, hour: int) -> int | None:
        """The zone's offset in ms throughout the hour (since the epoch), kept; None: read
        answer by answer."""
        found: int | None = None
        if self.zone is not None and 0 <= hour * HOUR_MS < EXACT_MS:
            first = datetime.fromtimestamp(hour * 3600, self.zone).utcoffset()
            last = datetime.fromtimestamp(hour * 3600 + 3599, self.zone).utcoffset()
            if first is not None and first == last:
                found = first // timedelta(milliseconds=1)
        self.offsets[hour] = found
        return found


def state_text(state: CardState) -> str:
    """`json.dumps(state.to_json())`, three times as fast: a pull makes one per card. Numbers as
    JSON writes them (their repr: every number a state holds is finite), dates as ISO text."""
    last = state.last_review
    return _STATE_TEXT % (
        state.phase,
        "null" if state.step is None else repr(state.step),
        "null" if state.stability is None else repr(state.stability),
        "null" if state.difficulty is None else repr(state.difficulty),
        state.due.isoformat(),
        "null" if last is None else f'"{last.isoformat()}"',
        state.reps,
        state.lapses,
        state.interval,
    )


_STATE_TEXT = (
    '{"phase": %d, "step": %s, "stability": %s, "difficulty": %s, "due": "%s", '
    '"last_review": %s, "reps": %d, "lapses": %d, "interval": %d}'
)


def _main_preset(collected: Collected) -> tuple[Preset, int]:
    """The preset most of studykit's cards in the collection are in, and how many."""
    counts = Counter(card.preset for card in collected.cards.values())
    name, count = max(counts.items(), key=lambda item: (item[1], item[0]))
    return collected.presets[name], count


def _adopt(
    current: fsrs_settings.FsrsSettings, preset: Preset, now: datetime
) -> fsrs_settings.FsrsSettings | None:
    """The preset's settings, to keep for later reviews; None when they are kept already
    (`current`)."""
    origin = f"Anki preset '{preset.name}'"
    retention = min(max(preset.retention, 0.7), 0.99)
    if (current.parameters, current.retention, current.origin) == (
        preset.parameters,
        retention,
        origin,
    ):
        return None
    return fsrs_settings.FsrsSettings(preset.parameters, retention, origin, timestamp(now))
