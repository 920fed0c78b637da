"""Anki's answers as the review store's log rows, packed as the store keeps them (`RECORD`),
and a card's state as the store's JSON: numbers only, in the tightest loops of a pull, which
writes one row per answer of a student's whole log."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta, tzinfo

from studykit.anki.collection_cards import Entry
from studykit.review.scheduler import ROLLOVER_HOUR, CardState, Phase, day_at
from studykit.review.store import RECORD, UNKNOWN_PHASE, Key

# Anki's revlog kinds.
LEARNING, REVIEW, RELEARNING, FILTERED, MANUAL, RESCHEDULED = range(6)
# Phases as the store's numbers: a pull compares and writes one per answer.
LEARNING_PHASE, REVIEW_PHASE, RELEARNING_PHASE = map(
    int, (Phase.LEARNING, Phase.REVIEW, Phase.RELEARNING)
)
_PHASE_OF_KIND = {LEARNING: LEARNING_PHASE, REVIEW: REVIEW_PHASE, RELEARNING: RELEARNING_PHASE}


def log_rows(
    cards: dict[Key, list[Entry]], known: set[int], zone: tzinfo | None
) -> dict[Key, bytes]:
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
