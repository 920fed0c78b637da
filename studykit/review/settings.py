"""The FSRS settings review schedules with, kept in the store: FSRS's defaults until the student
adopts others, from an Anki preset (`studykit pull`) or fitted to their own answers
(`studykit optimize`). `--retention` on the command line overrides the kept retention for one
session."""

from __future__ import annotations

import json
from dataclasses import dataclass

from studykit.errors import StudykitError
from studykit.review.scheduler import DEFAULT_RETENTION, PARAMETERS
from studykit.review.store import Store

_NAME = "fsrs"


@dataclass(frozen=True)
class FsrsSettings:
    """FSRS parameters and desired retention, with where they came from, as a student reads it
    ("FSRS defaults", "Anki preset 'Default'", "fitted to 1,204 of your answers")."""

    parameters: tuple[float, ...]
    retention: float
    origin: str
    since: str | None = None  # when they were adopted (ISO 8601, UTC); None for the defaults


DEFAULTS = FsrsSettings(PARAMETERS, DEFAULT_RETENTION, "FSRS defaults")


def load(store: Store) -> FsrsSettings:
    """The settings kept in the store, else the defaults."""
    raw = store.setting(_NAME)
    if raw is None:
        return DEFAULTS
    try:
        data = json.loads(raw)
        return FsrsSettings(
            tuple(float(w) for w in data["parameters"]),
            float(data["retention"]),
            str(data["origin"]),
            data.get("since"),
        )
    except (KeyError, ValueError, TypeError, AttributeError, RecursionError) as exc:
        # SQLite reads the store, but this row is not what studykit wrote: changed by hand.
        # RecursionError: JSON nested thousands deep (json's parser recurses once per bracket).
        raise StudykitError(
            f"the FSRS settings kept in the review store are not what studykit wrote ({exc!r}); "
            "restore the store, or pass another with --state",
            store.path,
        ) from exc


def save(store: Store, settings: FsrsSettings) -> None:
    """Keep `settings` for every later session on this store."""
    store.put_setting(*setting(settings))


def setting(settings: FsrsSettings) -> tuple[str, str]:
    """`settings` as the store keeps them: the setting's name and JSON (`studykit pull` writes
    them in its own transaction)."""
    value = {
        "parameters": list(settings.parameters),
        "retention": settings.retention,
        "origin": settings.origin,
        "since": settings.since,
    }
    return _NAME, json.dumps(value)
