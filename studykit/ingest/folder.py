"""Putting a new reading folder in place all at once, never over an existing one.

The folder is built inside a hidden staging folder in the notes folder (same file system, so the
final rename is atomic) and renamed into place only when complete; an error, Ctrl-C, SIGTERM
(`kill`, `timeout`) or SIGHUP (a closed terminal) on the way removes the staging folder and
leaves the notes as they were. A staging folder carries the id of the process that made it: one
a killed ingest left (SIGKILL or a power cut run no clean-up) is removed by the next ingest of
that reading, once no process of that id runs. With `force`, an
existing folder is first renamed aside to a hidden `.<id>.old-<time>` beside it: never deleted,
and hidden so that `check` and `deck` do not take it for a second reading.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from studykit.errors import StudykitError
from studykit.files import clear_abandoned, make_folder, remove_made
from studykit.processes import stopping


def refuse_existing(target: Path) -> None:
    """The error for a reading folder that is already there, saying what to do."""
    raise StudykitError(
        f"{target.name} already exists in {target.parent}; choose another --id, or --force to "
        "move the old folder aside",
        target,
    )


@contextlib.contextmanager
def staging(notes: Path, reading_id: str) -> Iterator[Path]:
    """An empty folder named like the reading, inside a hidden staging folder in `notes`.
    Ctrl-C, SIGTERM or SIGHUP at any moment removes it (`studykit.processes.stopping`)."""
    prefix = f".{reading_id}.ingest-"
    parent: Path | None = None
    made: list[Path] = []  # the notes folder and those above it, when this ingest made them
    try:
        with stopping.held():  # a stop waits until `parent` names the folder to remove
            try:
                made = make_folder(notes, "cannot write here")
                clear_abandoned(notes, prefix)
                parent = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=notes))
            except OSError as exc:
                raise StudykitError(f"cannot write here: {exc.strerror or exc}", notes) from exc
        folder = parent / reading_id
        folder.mkdir()
        yield folder
        made = []  # the reading is in place: the folders hold it
    finally:
        with stopping.held():  # a second Ctrl-C does not cut the removal short
            if parent is not None:
                shutil.rmtree(parent, ignore_errors=True)
            remove_made(made)


def put_in_place(folder: Path, target: Path, force: bool, now: datetime) -> Path | None:
    """Rename the finished folder to `target`; return where an old one was moved, if any."""
    with stopping.held():  # never a reading moved aside and the new one not in its place
        return _put_in_place(folder, target, force, now)


def _put_in_place(folder: Path, target: Path, force: bool, now: datetime) -> Path | None:
    aside: Path | None = None
    if target.exists() or target.is_symlink():
        if not force:
            refuse_existing(target)
        aside = _aside_name(target, now)
        try:
            target.rename(aside)
        except OSError as exc:
            raise StudykitError(f"cannot move it aside: {exc.strerror or exc}", target) from exc
    try:
        folder.rename(target)
    except OSError as exc:
        if aside is not None:
            with contextlib.suppress(OSError):
                aside.rename(target)
        raise StudykitError(f"cannot write the folder: {exc.strerror or exc}", target) from exc
    return aside


def _aside_name(target: Path, now: datetime) -> Path:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    candidate = target.with_name(f".{target.name}.old-{stamp}")
    counter = 2
    while candidate.exists():
        candidate = target.with_name(f".{target.name}.old-{stamp}-{counter}")
        counter += 1
    return candidate
