"""Starting a review session: every reading of the notes folder checked and keyed (shared with a
second process), the store opened, and the readings' identity records written once they pass.

A session itself (`session.Session`) only reads: what it is given is keyed already, and the
records are written here, by the caller's explicit step, never by its constructor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from studykit.errors import NotesError
from studykit.identity import Identities
from studykit.notes.model import Reading
from studykit.review.keyed import Keyed, Later, key_folder, keyed_cards, section_ids
from studykit.review.scheduler import Scheduler
from studykit.review.session import Session, SessionOptions
from studykit.review.store import Key, Opened, Stored, open_store, rows_as_written

# The second process's share of a library's loading: more than half, since this process also
# opens the store and reads every card's state meanwhile, and the second sends back only keys
# (at 0.6 both processes spent 0.7 s of CPU on 20 readings of 100 sections).
_STORE_SHARE = 0.6


@dataclass
class Loaded:
    """Every reading of the notes folder, checked, with its cards keyed, and the store's card
    states when the store was there to read (`load_library`)."""

    readings: list[Reading | Later]
    keyed: dict[str, list[Keyed]]
    opened: Opened | None
    states: dict[Key, Stored] | None


def load_library(notes: Path, state: Path, now: datetime) -> Loaded:
    """Check and key every reading of the notes folder. A large library is shared with a second
    process, as `check` shares it, and this process opens the store and reads every card's state
    meanwhile; a store not made yet waits for the notes to pass (bad notes create nothing)."""
    from studykit.identity.library import read_ahead
    from studykit.notes.library import resolve_readings
    from studykit.notes.sharing import SharedReadings

    folders = resolve_readings([], notes)
    opened: Opened | None = None
    # A reading cut in two: its identity records read as this process waits for the other part.
    try:
        with SharedReadings(key_folder, folders, theirs=_STORE_SHARE, meanwhile=read_ahead) as work:
            opened = open_store(state, now) if state.is_file() else None
            with rows_as_written(state):
                states = opened.store.states() if opened else None
            loaded = work.results()
        problems = [p for each in loaded for p in each.problems if p.is_error]
        if problems:
            raise NotesError(problems)
        for each in loaded:
            # Every reading passed: the records are written now, before a reading the second
            # process keyed is loaded again here from its record.
            each.save()
    except BaseException:
        if opened is not None:
            opened.store.close()
        raise
    readings = [each.reading for each in loaded if each.reading is not None]
    keyed = {each.reading.id: each.keyed for each in loaded if each.reading is not None}
    return Loaded(readings, keyed, opened, states)


def start(
    readings: Sequence[Reading] | Loaded,
    state: Path,
    options: SessionOptions,
    now: datetime,
    retention: float | None = None,
) -> tuple[Session, str | None]:
    """Open the store (unless the library's loading did) and start a session over the readings
    (in notes order), scheduled with the store's FSRS settings (`retention`, when given, for this
    session's); the notice says if a broken store was moved aside. Readings not keyed yet are
    keyed before the store is opened (a refused identity record makes no store), and their
    records written once the session has started."""
    from studykit.review import settings

    records: list[Identities] = []
    if isinstance(readings, Loaded):
        loaded = readings
    else:
        loaded = Loaded(list(readings), {}, None, None)
        for reading in readings:
            if options.section is None or options.section in section_ids(reading):
                loaded.keyed[reading.id], identities = keyed_cards(reading, save=False)
                records.append(identities)
    opened = loaded.opened or open_store(state, now)
    try:
        kept = settings.load(opened.store)
        scheduler = Scheduler(retention or kept.retention, parameters=kept.parameters)
        chosen = Session
        if options.cram:
            from studykit.review.cram import Cram  # a Session itself: imported where chosen

            chosen = Cram
        session = chosen(
            loaded.readings, opened.store, scheduler, options, now, loaded.keyed, loaded.states
        )
        for identities in records:
            identities.save()
    except BaseException:
        opened.store.close()
        raise
    return session, opened.notice
