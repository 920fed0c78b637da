"""Suspended cards, brought back: `studykit unsuspend`.

A card suspended on the review screen (`@`, as in Anki) stays out of review, of the counts and
of what is due, until it is unsuspended. Anki unsuspends from its browser (search
`is:suspended`, Toggle Suspend); here the cards are chosen as review chooses them: the library,
a reading, or one section of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from studykit.notes.model import Reading
from studykit.review.keyed import Keyed, check_section, keyed_cards
from studykit.review.store import open_for_reading, open_store


def unsuspend(
    readings: Sequence[Reading],
    section: str | None,
    state: Path,
    now: datetime,
    dry_run: bool = False,
) -> list[Keyed]:
    """Unsuspend the suspended cards of these readings (of `section` only, when given), in one
    transaction; the cards, in notes order. `dry_run` only finds them. Creates no store."""
    check_section(readings, section)
    cards = [
        k
        for reading in readings
        for k in keyed_cards(reading, save=False)[0]
        if section is None or k.note.section.id == section
    ]
    store = open_for_reading(state)
    if store is None:
        return []
    try:
        suspended = store.hidden(now).suspended
    finally:
        store.close()
    chosen = [k for k in cards if k.key in suspended]
    if chosen and not dry_run:
        opened = open_store(state, now)
        try:
            opened.store.unsuspend([k.key for k in chosen])
        finally:
            opened.store.close()
    return chosen
