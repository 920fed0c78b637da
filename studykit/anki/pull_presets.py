"""The Anki preset a pull adopts for later reviews in the terminal: the one most of the
student's studykit cards are in, unless the store keeps parameters fitted to the student's own
answers (`review/settings.py`)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from studykit.anki.collection_cards import Collected, Preset
from studykit.anki.pull_merge import Merged
from studykit.review import settings as fsrs_settings
from studykit.review.store import timestamp


def adopted_settings(
    current: fsrs_settings.FsrsSettings, preset: Preset, merged: Merged, now: datetime
) -> tuple[bool, fsrs_settings.FsrsSettings | None]:
    """Whether the store's fitted parameters are kept over the preset's, and the preset's
    settings where they are adopted now (None: unchanged)."""
    # A fit to the student's own answers says more than FSRS's defaults in a preset that
    # was never optimized; a preset of its own replaces it (Anki's optimizer saw more).
    keep_fit = not preset.own and current.origin.startswith("fitted")
    # A file older than the store's answers has older settings too: they are not adopted.
    older = bool(merged.stale) and not merged.rows
    return keep_fit, None if keep_fit or older else _adopt(current, preset, now)


def main_preset(collected: Collected) -> tuple[Preset, int]:
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
