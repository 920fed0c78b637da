"""Where the review store lives: beside the notes folder, so every folder finds the same one.

The default store is `.studykit/review.db` in the folder that holds the notes folder: never
inside `notes/` (the student's own files, committed), and the same whichever folder studykit
runs from. `--state` or $STUDYKIT_STATE name another file, anywhere but inside the notes
folder (a reading's own file must never become a store).

Stores used to live in `.studykit/review.db` of the folder studykit ran from. Such a store is
taken over only when it is plainly this notes folder's: it is another file than the default, the
default does not exist yet, it is studykit's (its mark, or its tables), it holds answers to
readings of this notes folder, and the folder it sits in holds no notes folder of its own (a
folder of readings, whatever its name: then it is that folder's store, as a store beside
`mine/mynotes` is). Only commands that write the store take it over (`review`, `pull`,
`unsuspend`, `optimize`); `stats`, `list` and `deck --with-progress` read it where it is and say
that `review` will move it. A store that is a symbolic link is never moved (renamed into
another folder, a relative link would point at nothing): the student is told to move the
database it points to. Taking over moves it whole: the write-ahead log is folded into the
database first (which SQLite allows only when no other session has it open), so the one file
that moves holds every answer; on another file system it is copied, synced and renamed into
place before the old one is removed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from studykit.errors import StudykitError, UsageError, display_path

STORE = Path(".studykit") / "review.db"
COMPANIONS = ("-wal", "-shm", "-journal")
OWN_ENDINGS = (*COMPANIONS, ".lock")  # the files kept beside a store: never a store's name


@dataclass(frozen=True)
class Located:
    """The store to use, and a line for the student when an older store was taken over (or
    is left unused beside the new one)."""

    path: Path
    notice: str | None = None


def chosen_store(value: str, named: str = "--state") -> Path:
    """The store named by `--state` or $STUDYKIT_STATE (`named`), as a path: refused (a usage
    error) when it cannot be a file's path. A path drops a trailing `/` or `/.`, so `st_q/`
    would become a store file `st_q`; and `-` is no file (studykit reads no store from standard
    input), so SQLite would make `-`, `--wal` and `--shm`."""
    last = value.replace(os.sep, "/").replace(os.altsep or "/", "/").rsplit("/", 1)[-1]
    if not value.strip():
        raise UsageError(
            f"{named} is empty: the review store is a file; name one, e.g. progress.db"
        )
    if value == "-":
        raise UsageError(
            f"{named} '-' is not a file: the review store is a file path (not standard input "
            "or output); name one, e.g. progress.db"
        )
    shell = unexpanded(value)
    if shell is not None:
        raise UsageError(f"{named} {value!r} {shell}")
    if last.endswith(OWN_ENDINGS) and last not in OWN_ENDINGS:
        raise UsageError(
            f"{named} {value!r} names a file SQLite or studykit keeps beside a store (its "
            "write-ahead log, index, journal or lock): a store there would be taken for that "
            "file and deleted; name the store itself, e.g. "
            f"{next(last.removesuffix(end) for end in OWN_ENDINGS if last.endswith(end))}"
        )
    if last in ("", ".", ".."):
        raise UsageError(
            f"{named} {value!r} names a folder: the review store is a file; name one in it, "
            f"e.g. {Path(value) / 'review.db'}"
        )
    return Path(value)


def unexpanded(value: str) -> str | None:
    """Why a path the shell never expanded cannot be meant as written, or None: a leading `~`
    or `$NAME` (quoted, or set in a file that no shell read) would make a folder named `~` or
    `$HOME` in the current folder, and a later `rm -rf ~` to tidy it would take the home."""
    first = value.replace(os.sep, "/").split("/", 1)[0]
    if first.startswith("~"):
        home = str(Path(first).expanduser())
        meant = home + value[len(first) :] if home != first else "the path written out"
        return f"starts with '~', which no shell expanded here; write it out, e.g. {meant}"
    if first.startswith("$"):
        return (
            f"starts with {first!r}, a variable no shell expanded here; write the path out, or "
            "leave it unquoted"
        )
    return None


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
    check_folder(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _make_ignore(folder / ".gitignore")
    except OSError as exc:
        raise StudykitError(f"cannot create the review store: {exc.strerror}", folder) from exc


def check_folder(folder: Path) -> None:
    """Refuse a place where the default store's folder cannot be: a link, or a file of that
    name. Checked before a command writes anything (an identity record, a lock), so a store
    that cannot be made leaves the notes folder as it was."""
    if folder.is_symlink():
        raise StudykitError(
            "the review store's folder is a link; studykit keeps it as a real folder beside "
            "the notes folder: remove the link, or name a store elsewhere with --state",
            folder,
        )
    if folder.exists() and not folder.is_dir():
        raise StudykitError(
            f"cannot create the review store: {folder.name} is a file, not a folder; studykit "
            f"keeps its store in a folder {folder.name}/ beside the notes folder: move the file "
            "away, or name a store elsewhere with --state",
            folder,
        )


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


def locate(
    notes: Path, chosen: Path | None, cwd: Path | None = None, move: bool = False
) -> Located:
    """The review store for a notes folder: `chosen` (--state) when given, else the default.
    A store left in the current folder by earlier versions is taken over when `move` (a command
    that writes the store), and otherwise read where it is."""
    if chosen is not None:
        _outside_notes(chosen, notes)
        return Located(chosen)
    path = default_store(notes)
    if notes.resolve() == path.parent:
        # A notes folder named `.studykit`: the store, its lock and a `.gitignore` of `*` would
        # land among the notes, and git would ignore them all.
        raise UsageError(
            f"the notes folder {display_path(notes)} is named {STORE.parent}, the name of the "
            "folder studykit keeps its review store in beside the notes: rename the notes "
            "folder, or name a store elsewhere with --state"
        )
    old = (cwd or Path.cwd()) / STORE
    if not old.is_file() or old.resolve() == path.resolve() or not _plainly_ours(old, notes):
        return Located(path)  # none, or another library's store: not ours to move
    if path.exists() or path.is_symlink():
        return Located(
            path,
            f"warning: {display_path(old)} is an older review store and is not used; "
            f"your progress is kept in {display_path(path)}",
        )
    if not move:
        return Located(
            old,
            f"warning: {display_path(old)} is an older review store of these notes, read where "
            f"it is; the next `studykit review` moves it to {display_path(path)}, beside the "
            "notes folder",
        )
    if old.is_symlink():
        raise StudykitError(
            f"an older review store, and a symbolic link (to {display_path(old.resolve())}); "
            f"studykit does not move a link: move the database to {display_path(path)} "
            "yourself, or pass it with --state",
            old,
        )
    from studykit.review.store import store_lock  # only here: listing needs no SQLite

    with store_lock(old):
        if path.exists():  # another command took it over meanwhile
            return Located(path)
        if not old.is_file():
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


def _plainly_ours(old: Path, notes: Path) -> bool:
    """Whether a store in the current folder's `.studykit/` is an older store of this notes
    folder: not the store of a notes folder beside it, studykit's, and holding answers to this
    notes folder's readings."""
    folder = old.parent.parent
    if folder.resolve() != notes.resolve() and _holds_notes(folder):
        return False  # the store of the notes folder there, as studykit keeps it now
    return _ours(old, notes)


def _holds_notes(folder: Path) -> bool:
    """Whether `folder` holds a notes folder: `notes/`, or any folder with a reading in it."""
    if (folder / "notes").is_dir():
        return True
    try:
        children = [c for c in folder.iterdir() if not c.name.startswith(".") and c.is_dir()]
    except OSError:
        return True  # what cannot be looked at might hold one: leave the store where it is
    for child in children:
        with contextlib.suppress(OSError):  # a folder this user may not read holds no notes
            if any((reading / "reading.yaml").is_file() for reading in child.iterdir()):
                return True
    return False


def _ours(store: Path, notes: Path) -> bool:
    """Whether the store is studykit's and logged answers to this notes folder: to a reading of
    its name, or to a note its identity records name (a renamed reading keeps its GUIDs). False
    for any other file, judged without opening it for writing or making anything beside it
    (another program's database in WAL mode would get a -wal and -shm)."""
    import sqlite3

    from studykit.identity import RECORD_FILE, read_record
    from studykit.review.companions import wal_is_empty
    from studykit.review.ownership import Header, look_inside, read_header

    try:
        header = read_header(store)
        if header is Header.UNMARKED:
            header = look_inside(store)
    except (StudykitError, sqlite3.Error):
        return False
    if header not in (Header.MARKED, Header.UNMARKED):
        return False
    try:
        folders = [p for p in notes.iterdir() if p.is_dir()]
    except OSError:
        return False
    names = {p.name for p in folders}
    guids = {g for p in folders for g in read_record(p / RECORD_FILE).guids.values()}
    uri = f"{store.resolve().as_uri()}?mode=ro"
    journal = store.with_name(store.name + "-journal")
    if wal_is_empty(store) and not journal.exists():
        uri += "&immutable=1"  # the file is the whole store: read it as it is
    try:
        db = sqlite3.connect(uri, uri=True, timeout=5)
        try:
            query = "SELECT DISTINCT reading, guid FROM reviews"
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
            if "pulled_notes" in tables:  # answers pulled from Anki (schema version 4)
                query += " UNION SELECT reading, guid FROM pulled_notes"
            logged = db.execute(query).fetchall()
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
