"""What a deck is built from, as one digest: when the last build's manifest records the same
one and the deck it wrote is still there, the deck is up to date, and the build need not derive,
render or compare a single note to say so.

A reading's deck depends on its notes files (reading.yaml and the section files: their names and
bytes), its identity record, the bibliography reading.yaml names, the images its cards show (each
file's path, size, modification and change times), and the studykit that builds it. Nothing else
changes what a deck holds: other readings' identity records can only refuse a build (a copied
record), which the up-to-date path asks as `check` does (`identity.record_problems`). A build
with the review store's progress (`--with-progress`) is never taken as up to date unbuilt: the
store changes with every answer.

The notes files are read before the reading is loaded, so that a file edited while the deck
builds makes the next build news rather than leaving a deck older than its notes taken for
current; the images are looked at before they are packaged, the bibliography before the fields
are rendered, and the identity record as the build leaves it.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

import studykit
from studykit.identity import RECORD_FILE
from studykit.notes.model import Reading
from studykit.notes.strict_yaml import MAX_FILE_BYTES

# Bumped when what the digest covers changes: a manifest of another kind is never up to date.
KIND = "inputs-1"


def notes_digest(folder: Path) -> str:
    """The digest of a reading folder's notes files, names and bytes, in name order; "" when
    the folder cannot be listed (its reading then fails to load)."""
    digest = hashlib.blake2b(digest_size=16)
    try:
        with os.scandir(folder) as found:
            names = sorted(e.name for e in found if e.name.lower().endswith((".yaml", ".yml")))
    except OSError:
        return ""
    for name in names:
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(_content(folder / name))
    return digest.hexdigest()


def _content(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """A file's bytes, with their length; for what the notes cannot use (a folder, a FIFO, a
    file over `limit`, the size they allow), what it is, never its content: `check` refuses
    it."""
    try:
        # Without blocking: a FIFO given a notes file's name must not hang the build here.
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        return f"unreadable {exc.errno}".encode()
    try:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode) or status.st_size > limit:
            return f"{status.st_mode} {status.st_size} {status.st_mtime_ns}".encode()
        # One read of the size stat gives (a file that grows meanwhile reads differently from
        # its next build's read, which then builds: never a deck taken for current wrongly).
        data = os.read(handle, status.st_size + 1)
        return len(data).to_bytes(8, "big") + data
    except OSError as exc:
        return f"unreadable {exc.errno}".encode()
    finally:
        os.close(handle)


def sources_digest(notes: str, reading: Reading, images: Iterable[Path]) -> str:
    """What the deck is built from but its identity record: `notes` (`notes_digest`, taken
    before the reading was loaded), the reading's name, its bibliography, the `images` its
    cards show, and this studykit."""
    from studykit.anki.changes import FORMAT

    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((KIND, studykit.__version__, FORMAT, reading.id, notes)).encode())
    if reading.bibliography is not None:
        from studykit.notes.bibliography import MAX_BYTES

        digest.update(b"bibliography\0" + _content(reading.bibliography, MAX_BYTES))
    for path in sorted(set(images)):
        seen: tuple[object, ...]
        try:
            status = path.stat()
            seen = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
        except OSError as exc:
            seen = ("unreadable", exc.errno)
        digest.update(repr((str(path), seen)).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def inputs_digest(sources: str, record: str) -> str:
    """Everything the deck is built from: `sources_digest`, and the identity record's text."""
    return hashlib.blake2b(f"{sources}\0{record}".encode(), digest_size=16).hexdigest()


def record_text(reading: Reading) -> str | None:
    """The identity record's text as `Identities.changed` reads it; "" when there is none (no
    build leaves it so), None when it cannot be read as the record (a build then says why)."""
    path = reading.folder / RECORD_FILE
    try:
        if path.is_symlink() or (path.exists() and not path.is_file()):
            return None
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError):
        return None
