"""A built deck's report, kept until the student has seen it.

`deck` prints its reports once every reading is built. Stopped before that (Ctrl-C in a long
build, a closed terminal), the decks it wrote are up to date the next time, and the next build
would say only that: what changed, the searches for reworded notes and "re-import" would never
be shown. So each built deck's report is kept beside its manifest
(`.studykit/<deck>.unshown.json`) from before the deck is written until the command has printed
it, and a build that finds one shows it first. It names the deck it reports by the digest the
manifest records: a build stopped before its manifest was written left a report of a deck that
is not there, which the next build gives again itself. Best effort: a report that cannot be
kept or read back is only not shown again.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from studykit.anki.manifest import Manifest, manifest_path
from studykit.anki.report import DeckReport
from studykit.errors import StudykitError
from studykit.files import write_atomically

WHAT = "a deck report not shown yet"
# A kept report as large as this is not one studykit wrote (one per note changed, at most).
MAX_BYTES = 64 * 1024 * 1024


def unshown_path(deck: Path) -> Path:
    """Beside the deck's manifest: `.studykit/<deck name>.unshown.json`."""
    return manifest_path(deck).with_name(deck.stem + ".unshown.json")


@contextlib.contextmanager
def kept_until_shown(report: DeckReport, digest: str) -> Iterator[None]:
    """Keep the report of the deck being written, whose manifest records `digest`, until
    `seen` is called for it; gone again if the writing fails."""
    data = {
        "written_by": "studykit",
        "digest": digest,
        "recorded": report.recorded,
        "report": report.to_json(),
    }
    if report.notice is not None:
        data["notice"] = report.notice
    path = unshown_path(report.path)
    # A first build makes `cards/.studykit/` here; a failed one leaves neither behind.
    absent = [folder for folder in (path.parent, path.parent.parent) if not folder.exists()]
    with contextlib.suppress(StudykitError, OSError):
        if not path.parent.is_symlink():
            write_atomically(path, json.dumps(data, ensure_ascii=False), WHAT)
    try:
        yield
    except BaseException:
        seen([report.path])
        for folder in absent:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty
        raise


def take(deck: Path, reading: str, last: Manifest | None) -> DeckReport | None:
    """The report kept for `deck`, the deck of `reading`, by a build whose command stopped
    before printing it, if that build wrote `last`, the manifest the deck has now."""
    if last is None:
        return None
    path = unshown_path(deck)
    try:
        if path.is_symlink() or path.stat().st_size > MAX_BYTES:
            return None
        data = json.loads(path.read_bytes())
        if data["written_by"] != "studykit":
            return None
        if data["digest"] != last.digest:
            seen([deck])  # of a build stopped before its deck was written: nothing to show
            return None
        report = DeckReport.from_json(data["report"], int(data["recorded"]))
        notice = data.get("notice")
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None
    if (report.path.name, report.reading, report.status) != (deck.name, reading, "built"):
        return None  # a copy of another deck's, which would say what it did not do
    # Where the deck is now: the command may run from another folder than the build did.
    return replace(report, path=deck).with_notice(notice if isinstance(notice, str) else None)


def seen(decks: Iterable[Path]) -> None:
    """The reports of `decks` are shown: no longer kept."""
    for deck in decks:
        with contextlib.suppress(OSError):
            unshown_path(deck).unlink(missing_ok=True)
