"""Where the review store lives: beside the notes folder, so every folder finds the same one.

The default store is `.studykit/review.db` in the folder that holds the notes folder: never
inside `notes/` (the student's own files, committed), and the same whichever folder studykit
runs from. `--state` or $STUDYKIT_STATE name another file, anywhere but inside the notes
folder (a reading's own file must never become a store).

Stores used to live in `.studykit/review.db` of the folder studykit ran from. Such a store is
taken over on first use, when it is another file than the default, the default does not exist
yet, it holds answers to readings of this notes folder, and the folder it sits in has no
`notes/` of its own (then it is that folder's store). Taking over moves it whole: the
write-ahead log is folded into the database first (which SQLite allows only when no other
session has it open), so the one file that moves holds every answer; on another file system it
is copied, synced and renamed into place before the old one is removed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from studykit.errors import StudykitError, display_path

STORE = Path(".studykit") / "review.db"
COMPANIONS = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class Located:
    """The store to use, and a line for the student when an older store was taken over (or
    is left unused beside the new one)."""

    path: Path
    notice: str | None = None


def default_store(notes: Path) -> Path:
    """`.studykit/review.db` beside the notes folder."""
    return notes.resolve().parent / STORE


def make_folder(folder: Path) -> None:
    """Make the default store's folder, holding a `.gitignore` of `*` (as pytest and mypy keep
    their caches out of git): progress is the student's, not the notes' history.

    A folder that is a link is refused, wherever it leads: a project cloned with git may carry
    one, and the store, its `.gitignore` and a file moved aside as no database would all land
    where the link says. A store elsewhere is what `--state` is for. A `.gitignore` already
    there, a link to nowhere included, is left as it is."""
    if folder.is_symlink():
        raise StudykitError(
            "the review store's folder is a link; studykit keeps it as a real folder beside "
            "the notes folder: remove the link, or name a store elsewhere with --state",
            folder,
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _make_ignore(folder / ".gitignore")
    except OSError as exc:
        raise StudykitError(f"cannot create the review store: {exc.strerror}", folder) from exc


def _make_ignore(path: Path) -> None:
    """Create `path` only where nothing is: O_EXCL fails on any link (dangling too) without
    following it, where exists() says False and write_text follows it."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o666)
    except FileExistsError:
        return  # the student's, or ours from before: either way, not ours to rewrite
    with os.fdopen(fd, "w", encoding="utf-8") as ignore:
        ignore.write("# made by studykit: review progress stays out of git\n*\n")


def locate(notes: Path, chosen: Path | None, cwd: Path | None = None) -> Located:
    """The review store for a notes folder: `chosen` (--state) when given, else the default,
    taking over a store left in the current folder by earlier versions."""
    if chosen is not None:
        _outside_notes(chosen, notes)
        return Located(chosen)
    path = default_store(notes)
    old = (cwd or Path.cwd()) / STORE
    if not old.is_file() or old.resolve() == path.resolve():
        return Located(path)
    if (old.parent.parent / "notes").is_dir() or not _ours(old, notes):
        return Located(path)  # another library's store: not ours to move
    from studykit.review.store import store_lock  # only here: listing needs no SQLite

    with store_lock(old):
        if path.exists():
            return Located(
                path,
                f"warning: {display_path(old)} is an older review store and is not used; "
                f"your progress is kept in {display_path(path)}",
            )
        if not old.is_file():  # another command took it over meanwhile
            return Located(path)
        _move(old, path)
    _tidy(old)
    return Located(
        path,
        f"moved the review store {display_path(old)} to {display_path(path)}, beside the "
        "notes folder, where studykit finds it from any folder",
    )


def _outside_notes(store: Path, notes: Path) -> None:
    """Refuse a store inside the notes folder, however the path is spelled (symbolic links
    followed): the files there are the student's notes, and review writes the store."""
    real, folder = store.resolve(), notes.resolve()
    if real == folder or folder in real.parents:
        raise StudykitError(
            f"the review store cannot be inside the notes folder ({display_path(notes)}/): "
            "the files there are your notes. Pass a file outside it with --state",
            store,
        )


def _ours(store: Path, notes: Path) -> bool:
    """Whether the store logged answers to this notes folder: to a reading of its name, or to
    a note its identity records name (a renamed reading keeps its GUIDs). False when it is not
    a review store at all: then it is left as it is."""
    import sqlite3

    from studykit.identity import RECORD_FILE, read_record

    try:
        folders = [p for p in notes.iterdir() if p.is_dir()]
    except OSError:
        return False
    names = {p.name for p in folders}
    guids = {g for p in folders for g in read_record(p / RECORD_FILE).guids.values()}
    try:
        db = sqlite3.connect(f"{store.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            logged = db.execute("SELECT DISTINCT reading, guid FROM reviews").fetchall()
        finally:
            db.close()
    except sqlite3.Error:
        return False
    return any(reading in names or guid in guids for reading, guid in logged)


def _move(old: Path, new: Path) -> None:
    import sqlite3

    try:
        db = sqlite3.connect(old, timeout=1, isolation_level=None)
        try:
            # Fold the write-ahead log into the database and leave WAL mode, so the database
            # file alone holds every answer. SQLite refuses while another session has the store
            # open: that keeps an open session's answers from being left behind.
            [mode] = db.execute("PRAGMA journal_mode = DELETE").fetchone()
        finally:
            db.close()
    except sqlite3.Error as exc:
        mode = str(exc)
    if str(mode).lower() != "delete":
        raise StudykitError(
            f"cannot move this review store beside the notes folder ({mode}); close any "
            "studykit session using it and run the command again",
            old,
        )
    make_folder(new.parent)
    try:
        try:
            old.replace(new)
        except OSError:  # another file system: copy, sync, rename into place, then remove
            partial = new.with_name(f".{new.name}.moving")
            try:
                shutil.copyfile(old, partial)
                with partial.open("rb+") as copied:
                    os.fsync(copied.fileno())
                partial.replace(new)
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
            old.unlink()
    except OSError as exc:
        raise StudykitError(
            f"cannot move this review store to {display_path(new)}: {exc.strerror or exc}", old
        ) from exc


def _tidy(old: Path) -> None:
    """Remove what is left of the old store: empty companions, its lock file, the folder."""
    for suffix in COMPANIONS:
        extra = old.with_name(old.name + suffix)
        with contextlib.suppress(OSError):
            # The shared-memory index means nothing without its database; a log or journal
            # is removed only when empty (after the fold, it is).
            if extra.is_file() and (suffix == "-shm" or extra.stat().st_size == 0):
                extra.unlink()
    with contextlib.suppress(OSError):
        old.with_name(old.name + ".lock").unlink()
    with contextlib.suppress(OSError):
        old.parent.rmdir()  # only when empty
