"""A collection's review log merged with what the store knows: the new rows, each touched
card's state, and the cards the file holds an older state of (an older backup) or the latest of."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import NamedTuple

from studykit.anki.collection_cards import Collected, Entry
from studykit.anki.pull_replay import Event, kept_state, replay
from studykit.anki.pull_rows import FILTERED, LEARNING, RELEARNING, REVIEW, log_rows, state_text
from studykit.review.scheduler import CardState, Scheduler
from studykit.review.store import RECORD, Key, Logged

_KIND_OF_PHASE = {None: LEARNING, 1: LEARNING, 2: REVIEW, 3: RELEARNING}


class Prepared(NamedTuple):
    """What a pull makes of a collection's log before the store is read (`prepare`), on the
    assumption that the store knows none of its answers and has no terminal answers to its
    cards: each card's new rows, and the state of each card with only Anki's answers."""

    log: list[Entry]  # the log it was made from
    grouped: ByCard
    rows: dict[Key, bytes]
    states: dict[Key, CardState]  # where Anki's own state is kept (`merge`)
    texts: dict[Key, str]  # their JSON


def prepare(collected: Collected, zone: tzinfo | None) -> Prepared:
    """`merge`'s work that needs nothing of the store, done while the notes are read."""
    grouped = by_card(collected.log)
    states: dict[Key, CardState] = {}
    crammed = grouped.crammed
    for key, entries in grouped.entries.items():
        if key in crammed:
            entries = [e for e in entries if not (e[7] == FILTERED and e[5] == 0)]
        state = kept_state(collected.cards[key], entries)
        if state is not None:
            states[key] = state
    texts = {key: state_text(state) for key, state in states.items()}
    return Prepared(collected.log, grouped, log_rows(grouped.entries, set(), zone), states, texts)


class ByCard(NamedTuple):
    """A collection's log, each card's entries oldest first (the order of the cards' first
    entries), and the cards with an entry of cramming in a filtered deck."""

    entries: dict[Key, list[Entry]]
    crammed: set[Key]


def by_card(log: list[Entry]) -> ByCard:
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


def merge(
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
    grouped = grouped or by_card(collected.log)
    earlier = _earlier(collected, stored)
    carried = _carried(collected, stored)
    from_anki = _from_anki(grouped, carried)
    # Made before the store was read, on the assumption it held no answer of the terminal's.
    made = {} if prepared is None or carried else prepared.states
    states = _states(collected, earlier, from_anki, made, zone)
    skipped = known | carried
    if prepared is None:
        rows = log_rows(grouped.entries, skipped, zone)
    else:  # a skipped answer still moves its card's state on: the others' rows stand
        rows = _without(prepared.rows, skipped) if skipped else prepared.rows
    logged = _last_logged(grouped, carried)
    fresh = set(rows)  # the cards with new rows
    latest = _latest(stored, seen or {})
    stale = _stale(logged, latest, fresh)
    kept = {key: state for key, state in states.items() if key not in stale}
    current = _current(collected, logged, latest, seen or {}, fresh, stale)
    return Merged(rows, kept, stale, logged, current)


def _earlier(collected: Collected, stored: list[Logged]) -> dict[Key, list[Event]]:
    """The store's answers as each card's events: the terminal's, and any pulled before from
    another file (those this file logs too are its own entries)."""
    earlier: dict[Key, list[Event]] = {}
    in_file = {entry.id for entry in collected.log} if stored else set()
    for row in stored:
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
    return earlier


def _from_anki(grouped: ByCard, carried: set[int]) -> dict[Key, list[Entry]]:
    """Each card's entries that count: cramming and answers carried from the terminal left out
    (a card with neither, as nearly every card is, keeps its list as it is)."""
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
    return from_anki


def _states(
    collected: Collected,
    earlier: dict[Key, list[Event]],
    from_anki: dict[Key, list[Entry]],
    made: dict[Key, CardState],
    zone: tzinfo | None,
) -> dict[Key, CardState | None]:
    """Each touched card's state: the one Anki holds where it is kept (`made` already, where
    it was), else replayed from its merged log with its preset's scheduler."""
    schedulers: dict[str, Scheduler] = {}
    states: dict[Key, CardState | None] = {}
    for key in {**earlier, **from_anki}:
        card = collected.cards[key]
        entries = from_anki.get(key, [])
        if key not in earlier:
            # Anki's answers alone: a usable state Anki holds is kept without building events.
            held = made.get(key) or kept_state(card, entries)
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
        states[key] = replay(key, events, card, schedulers[preset.name], zone)
    return states


def _last_logged(grouped: ByCard, carried: set[int]) -> dict[Key, int]:
    """Each card's last entry (revlog id); an answer carried from the terminal is the store's."""
    logged: dict[Key, int] = {}
    for key, entries in grouped.entries.items():
        if carried:
            entries = [entry for entry in entries if entry[0] not in carried]
            if not entries:
                continue
        logged[key] = entries[-1][0]
    return logged


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
