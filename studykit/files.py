"""Writing output files: a regular file replaced whole, or a one-line refusal.

Every file studykit writes goes through `replacing` (or `write_atomically` over it). The new
content goes to a temporary file in the target's folder, which is renamed over the target, so a
crash leaves the old file or the new one, never half of one. A rename replaces whatever the path
held, so the target is looked at first:

- a directory, FIFO, socket or device is refused: renaming over `/dev/null` as root turns it
  into a regular file, and a FIFO or device was never meant to hold a deck;
- a symbolic link is written through to the regular file it leads to (the link stays), and is
  refused when it leads to anything else or nowhere;
- an existing file keeps its permission bits and, where the system lets us, its owner and group:
  the new file replaces the old one's content, not what the student set on it;
- a read-only file is refused unless `force`: the bits say the student meant it kept.

A missing parent folder is made. What an `-o` may name is narrower still (`refuse_kept`): never a
file of the notes or the review store, however a link spells the path.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from studykit.errors import StudykitError
from studykit.processes import stopping

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


@dataclass(frozen=True)
class Target:
    """Where a write lands: `path` is the file renamed over (a symlink's target, else the path
    given); `existing` is that file's status, None when there is no file yet."""

    path: Path
    existing: os.stat_result | None


def refuse_kept(path: Path, what: str, notes: tuple[Path, ...], rebuilt: str = "") -> None:
    """Refuse (StudykitError) an `-o` whose file, links followed, is one no output replaces:

    - an existing file in a notes folder of `notes` (the one named, the one the reading sits
      in): notes, sources, images, identity records. A file whose name ends in `rebuilt`
      (`.apkg` for a deck) is let through: a student may keep a deck there and build it again;
    - in such a folder, a file there or not under a name a reading keeps for its own files
      (`identities.lock`, `reading.yaml`, any `.yaml`/`.yml`, the source copy `reading.yaml`
      names): the loader would read the output as the reading's;
    - the review store beside such a folder, or one of its companion files: months of progress
      that no copy of the notes gives back;
    - any review store (one named with --state or $STUDYKIT_STATE, wherever it lies), or a
      companion file beside one (`<store>.lock`, `-wal`, `-shm`, `-journal`), whether there yet
      or not: SQLite reads a log or journal it finds there as the store's own.

    One rule for every command that writes `-o`, so a deck cannot do what a handout may not.
    """
    from studykit.review.location import COMPANIONS, default_store

    real = path.resolve()
    for folder in notes:
        store = default_store(folder)
        if any(real == store.with_name(store.name + end) for end in ("", *COMPANIONS)):
            raise StudykitError(
                f"will not overwrite the review store with {what}; choose another -o", path
            )
        if real.exists() and real.is_relative_to(store.parent.resolve()):
            # Its lock (replaced by a rename, it no longer locks out a running review) and
            # the rest of studykit's own folder.
            raise StudykitError(
                f"will not overwrite studykit's own files beside the review store with {what}; "
                "choose another -o",
                path,
            )
    if _is_review_store(real):  # one named with --state, wherever it lies
        raise StudykitError(
            f"will not overwrite the review store with {what}; choose another -o", path
        )
    for end, companion in _COMPANIONS.items():
        if real.name.endswith(end) and real.name != end:
            store = real.with_name(real.name.removesuffix(end))
            if _is_review_store(store):
                raise StudykitError(
                    f"will not overwrite the review store's {companion} (beside {store.name}) "
                    f"with {what}; choose another -o",
                    path,
                )
    inside = any(real.is_relative_to(folder.resolve()) for folder in notes)
    if inside and real.is_file() and not (rebuilt and real.name.lower().endswith(rebuilt)):
        raise StudykitError(
            f"will not overwrite a file in the notes folder with {what}; choose another -o", path
        )
    if inside and _kept_name(real):
        # There yet or not: a handout written as `identities.lock` or `reading.yaml` is read
        # as the reading's own file by every command after it.
        raise StudykitError(
            f"will not write {what} under a name studykit keeps for a reading's own files "
            "in the notes folder; choose another -o",
            path,
        )


def _kept_name(path: Path) -> bool:
    """Whether `path`, in the notes folder, has a name the notes loader reads as a reading's own
    file: its identity record, `reading.yaml`, a notes file (`NN-<id>.yaml`, any `.yaml` or
    `.yml`), or the copy of the source its `reading.yaml` names."""
    from studykit.identity import RECORD_FILE
    from studykit.notes.naming import READING_FILE

    name = path.name
    if name in (RECORD_FILE, READING_FILE) or name.lower().endswith((".yaml", ".yml")):
        return True
    return name == _source_name(path.parent / READING_FILE)


_SOURCE_LINE = re.compile(r"""^source:[ \t]*(['"]?)(.*?)\1[ \t]*(?:#.*)?$""", re.MULTILINE)


def _source_name(reading: Path) -> str | None:
    """The source copy a `reading.yaml` names (`source: chapter.txt`), read by a line match:
    the file may be anything a student wrote, and only this one key matters here."""
    try:
        if not reading.is_file() or reading.stat().st_size > 1 << 20:
            return None
        text = reading.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    match = _SOURCE_LINE.search(text)
    return match.group(2) if match else None


# The files beside a store that are its own: studykit's lock, SQLite's log, index and journal.
_COMPANIONS = {
    ".lock": "lock file",
    "-wal": "write-ahead log",
    "-shm": "shared-memory index",
    "-journal": "journal",
}


def _is_review_store(path: Path) -> bool:
    """Whether `path` is a review store: studykit's mark in its header (`ownership`)."""
    from studykit.review.ownership import Header, read_header

    if not path.is_file():  # (opening a FIFO to look would block)
        return False
    try:
        return read_header(path) is Header.MARKED
    except StudykitError:  # unreadable: not a store this user could lose by the write
        return False


def readable_by_others(path: Path) -> None:
    """Give a temporary file the mode of a normally created one (mkstemp makes it private)."""
    umask = os.umask(0)
    os.umask(umask)
    path.chmod(0o666 & ~umask)


def writable_target(path: Path, what: str, force: bool = False) -> Target:
    """The file that writing `what` to `path` replaces, or StudykitError saying why it is not
    written there. Callers that do slow work before writing check first with this."""
    try:
        status = path.lstat()
    except FileNotFoundError:
        return Target(path, None)
    except OSError as exc:  # a parent that is a file, a folder we may not look into
        raise StudykitError(f"cannot write {what}: {exc.strerror or exc}", path) from None
    target = path
    link = stat.S_ISLNK(status.st_mode)
    if link:
        target, status = _through_link(path, what)
    if not stat.S_ISREG(status.st_mode):
        how = "through a symbolic link to" if link else "over"
        kind = file_kind(status.st_mode)
        raise StudykitError(f"will not write {what} {how} {kind}; give the path of a file", path)
    if not force and _read_only(target, status):
        raise StudykitError(
            f"will not replace a read-only file with {what}; --force replaces it", path
        )
    return Target(target, status)


def _through_link(path: Path, what: str) -> tuple[Path, os.stat_result]:
    """The file a symbolic link leads to, and its status (which `writable_target` judges)."""
    try:
        # stat() first: it follows /proc's links to pipes and terminals, which realpath cannot.
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            return path, status
        target = Path(os.path.realpath(path, strict=True))
        if not os.path.samestat(target.stat(), status):
            raise FileNotFoundError  # the link changed under us: judge nothing by it
    except FileNotFoundError:
        raise StudykitError(
            f"will not write {what} through a symbolic link to a missing file; "
            "give the path of a file",
            path,
        ) from None
    except OSError as exc:  # a loop of links
        raise StudykitError(f"cannot write {what}: {exc.strerror or exc}", path) from None
    return target, status


def file_kind(mode: int) -> str:
    """What a path that is not a regular file is, in words: "a FIFO (named pipe)"."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _read_only(path: Path, status: os.stat_result) -> bool:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # access() says yes to root for every file; the bits still say what was meant.
        return not status.st_mode & 0o222
    return not os.access(path, os.W_OK)


@contextlib.contextmanager
def replacing(path: Path, what: str, *, force: bool = False) -> Iterator[BinaryIO]:
    """A binary file to write `what` into; on leaving the block it replaces `path` whole (see
    the module docstring), on an error `path` keeps what it held. Failures to write raise
    StudykitError naming `what` and `path`.

    Ctrl-C, SIGTERM or SIGHUP at any moment removes the temporary file (`processes.stopping`):
    one is never made but not yet removable. One a killed process left (SIGKILL runs no
    clean-up) is removed by the next write of the same file (`clear_abandoned_temporaries`)."""
    target = writable_target(path, what, force)
    folder = target.path.parent
    temp: Path | None = None
    made: list[Path] = []
    try:
        with stopping.held():  # a stop waits until `temp` names the file for the removal below
            try:
                made = make_folder(folder, f"cannot write {what}")
                clear_abandoned_temporaries(folder, target.path.name)
                fd, name = tempfile.mkstemp(
                    prefix=temporary_prefix(target.path.name), suffix=".tmp", dir=folder
                )
            except OSError as exc:
                remove_made(made)
                raise StudykitError(f"cannot write {what}: {exc.strerror or exc}", path) from None
            temp = Path(name)
        with os.fdopen(fd, "wb") as out:
            yield out
        _take_over(temp, target.existing)
        temp.replace(target.path)
    except OSError as exc:
        _remove(temp, made)
        raise StudykitError(f"cannot write {what}: {exc.strerror or exc}", path) from None
    except BaseException:
        _remove(temp, made)
        raise


def _remove(temp: Path | None, made: list[Path]) -> None:
    with stopping.held():  # a second Ctrl-C does not cut the removal short
        if temp is not None:
            temp.unlink(missing_ok=True)
        remove_made(made)


def make_folder(folder: Path, failing: str) -> list[Path]:
    """Make `folder` and the folders above it; return those it made, the deepest first (what
    `remove_made` takes away again). A link to nothing on the way is named as written (mkdir
    only says "File exists"): StudykitError starting with `failing`."""
    missing = []
    for step in (folder, *folder.parents):
        if step.is_dir():
            break
        missing.append(step)
    made: list[Path] = []
    try:
        for step in reversed(missing):
            try:
                step.mkdir()
            except FileExistsError:
                if not step.is_dir():
                    raise
                continue  # made meanwhile, by someone else: not ours to take away
            made.insert(0, step)
    except FileExistsError:
        remove_made(made)
        for step in (folder, *folder.parents):
            if step.is_symlink() and not step.exists():
                raise StudykitError(
                    f"{failing}: {step} is a link to {step.readlink()}, which does not "
                    "exist; make that folder or remove the link",
                    step,
                ) from None
        raise
    except BaseException:
        remove_made(made)
        raise
    return made


def remove_made(made: list[Path]) -> None:
    """Remove the folders `make_folder` made, deepest first, as long as they are empty: a write
    that did not happen leaves no folder of its own behind."""
    with stopping.held():
        for folder in made:
            try:
                folder.rmdir()
            except OSError:  # something is in it now: it stays, and so do those above
                return


def _take_over(temp: Path, existing: os.stat_result | None) -> None:
    """Give the new file the old one's owner, group and permission bits (a new file: the mode
    of one made normally)."""
    if existing is None:
        readable_by_others(temp)
        return
    with contextlib.suppress(PermissionError):
        try:
            os.chown(temp, existing.st_uid, existing.st_gid)
        except PermissionError:
            os.chown(temp, -1, existing.st_gid)  # a group of ours; else it stays our own
    # Not set-user-ID, set-group-ID or sticky: the content is new, and no one chose to give it
    # the old file's privileges.
    temp.chmod(stat.S_IMODE(existing.st_mode) & 0o777)


def write_atomically(path: Path, content: str | bytes, what: str, *, force: bool = False) -> None:
    """Write `content` to `path` through `replacing`: whole or not at all, a regular file only.
    `what` names the file in the error a refused or failed write raises."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    with replacing(path, what, force=force) as out:
        out.write(data)


def clear_abandoned(folder: Path, prefix: str) -> None:
    """Remove the scratch folders in `folder` named `<prefix><process id>-…` whose process is
    gone: a process killed outright (SIGKILL, a power cut) runs no clean-up. One of a running
    process (the same command at work now) is left alone, as is anything named otherwise, a
    link, and a folder of another user."""
    if sys.platform == "win32":  # no signal 0 to ask whether a process runs
        return
    for entry in folder.glob(glob.escape(prefix) + "*"):
        pid = entry.name[len(prefix) :].partition("-")[0]
        if not pid.isdigit() or not 0 < int(pid) < 2**22 or entry.is_symlink():
            continue
        if entry.is_dir() and _ours(entry) and not _running(int(pid)):
            shutil.rmtree(entry, ignore_errors=True)


# The most of a target's name a temporary file's name repeats: with the rest (a dot, the
# process id, mkstemp's 8 characters, `.tmp`) it stays within a file system's 255 bytes.
_NAME_KEPT = 200
# A temporary file left this long unchanged, by a process that no longer runs, is abandoned.
# Not at once: a process of another PID namespace or machine (a container, a shared folder)
# looks gone from here while it writes, and a writer changes its file as it goes.
_ABANDONED_AFTER = 60.0


def temporary_prefix(name: str) -> str:
    """How the temporary file for a file named `name` begins: `.<name>.<process id>-` (mkstemp
    adds 8 characters and `.tmp`), so that one a killed process left is known as studykit's."""
    return f"{_temporary_stem(name)}{os.getpid()}-"


def _temporary_stem(name: str) -> str:
    kept = name.encode("utf-8", "surrogateescape")[:_NAME_KEPT]
    return f".{kept.decode('utf-8', 'ignore')}."


def clear_abandoned_temporaries(folder: Path, name: str) -> None:
    """Remove the temporary files a killed studykit left in `folder` while writing `name`
    (SIGKILL and a power cut run no clean-up; Ctrl-C, SIGTERM and SIGHUP do). Only a file that
    is provably one: named exactly as `replacing` names them for `name`, a regular file (not a
    link) of this user with mkstemp's private mode (a finished one is given the target's mode
    just before its rename), made by a process that no longer runs, and unchanged for a
    minute. Anything else (another name, a student's file, one of a running write) stays."""
    if sys.platform == "win32":  # no signal 0 to ask whether a process runs
        return
    import time

    prefix = _temporary_stem(name)
    pattern = re.compile(re.escape(prefix) + r"(\d{1,7})-[a-z0-9_]{8}\.tmp")
    now = time.time()
    for entry in folder.glob(glob.escape(prefix) + "*.tmp"):
        match = pattern.fullmatch(entry.name)
        if match is None or int(match.group(1)) in (0, os.getpid()):
            continue
        try:
            status = entry.lstat()
        except OSError:
            continue
        if (
            stat.S_ISREG(status.st_mode)
            and stat.S_IMODE(status.st_mode) == 0o600
            and _ours(entry, status)
            and now - status.st_mtime > _ABANDONED_AFTER
            and not _running(int(match.group(1)))
        ):
            with contextlib.suppress(OSError):
                entry.unlink()


def _ours(path: Path, status: os.stat_result | None = None) -> bool:
    """Whether `path` belongs to this process's user (where the system has owners)."""
    if not hasattr(os, "geteuid"):
        return True
    try:
        return (status or path.lstat()).st_uid == os.geteuid()
    except OSError:
        return False


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, say: it runs
        return True
    return True
