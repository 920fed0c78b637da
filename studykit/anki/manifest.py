"""The record kept beside a deck of what the last build wrote, to report what changed since.

It is disposable: which note each item makes lives in the identity record beside the notes
(`identity.py`); losing this file costs only the change report of the next build.

It lives in a hidden `.studykit/` folder beside the deck (`cards/.studykit/demo.manifest.json`),
where a student keeps no files of their own, and it begins with a mark, `"written_by":"studykit"`:
a file there without the mark is not studykit's, so a build refuses to write over it (the
student moves it away) rather than destroy it. Decks built before kept the manifest beside the
deck as `<deck>.manifest.json`; such a file is still read when there is no new one, for the change
report, but never written: a student may own a file of that name beside a deck named by `-o`.

It maps each note's GUID to what a build report needs: where the note came from, its front field
(to print a search that finds it once it is removed), a hash of the rest of what Anki shows, and
the modification time the note was written with. Anki updates a note on
re-import only when the incoming modification time is newer, so a changed note gets a newer one
and an unchanged note keeps its old one.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from studykit.errors import StudykitError
from studykit.files import writable_target, write_atomically

FORMAT = 4
TAKEN_OVER = 3  # the format that kept identities here; read for them alone
FOLDER = ".studykit"
WHAT = "the build manifest"
# The file's first bytes, as json.dumps writes the first key.
MARK = b'{"written_by":"studykit"'


@dataclass(slots=True)  # not frozen: read and made once per note on every build, faster so
class NoteRecord:
    identity: str
    kind: str
    section: str
    label: str
    front: str  # the front field as written: what identifies the note to the student
    back: str  # hash of every other field, tags, deck and cards
    mod: int
    cards: tuple[int, ...]  # card ordinals, to tell which cards a note no longer makes

    @classmethod
    def from_row(cls, row: list[Any]) -> NoteRecord:
        identity, kind, section, label, front, back, mod, cards = row
        return cls(identity, kind, section, label, front, back, int(mod), tuple(cards))

    def row(self) -> tuple[object, ...]:
        """The record as one JSON list, in field order (half the size of an object)."""
        return (
            self.identity,
            self.kind,
            self.section,
            self.label,
            self.front,
            self.back,
            self.mod,
            self.cards,
        )


@dataclass(frozen=True)
class Manifest:
    reading: str
    built: int
    digest: str
    notes: dict[str, NoteRecord]
    complete: bool = True  # False for an older format read only for its identities

    def guids(self) -> dict[str, str]:
        """Note identity -> GUID, as this build wrote them."""
        return {record.identity: guid for guid, record in self.notes.items()}


def manifest_path(deck: Path) -> Path:
    """Where a deck's manifest is written: `.studykit/<deck name>.manifest.json` beside it."""
    return deck.parent / FOLDER / (deck.stem + ".manifest.json")


def earlier_manifest_path(deck: Path) -> Path:
    """Where decks built before kept their manifest: read, never written."""
    return deck.with_name(deck.stem + ".manifest.json")


def check_manifest_folder(deck: Path) -> None:
    """Refuse (StudykitError) a `.studykit` beside the deck that is a symbolic link, wherever it
    leads: the manifest would be read from and written into a folder the student never chose
    for it (a link in a shared folder can lead anywhere). A plain file there fails on writing."""
    folder = manifest_path(deck).parent
    if folder.is_symlink():
        raise StudykitError(
            f"this folder for {WHAT} is a link; studykit keeps its files beside the deck in a "
            "real folder: remove the link",
            folder,
        )


class UnreadableManifest(StudykitError):
    """A manifest that is there but cannot be read: the deck is still built, without a change
    report, and the caller says so in one line."""


def read_manifest(deck: Path) -> Manifest | None:
    """The manifest of `deck`'s last build, or None if there is none (or it is of another
    format): studykit's own, else one an earlier version left beside the deck. A `.studykit`
    that is a link is refused (`check_manifest_folder`); a damaged manifest raises
    UnreadableManifest."""
    check_manifest_folder(deck)
    path = manifest_path(deck)
    if os.path.lexists(path):
        writable_target(path, WHAT, force=True)  # a FIFO there would hang the read
        return _read(path) if _marked(path) else None
    earlier = earlier_manifest_path(deck)
    return _read(earlier) if earlier.is_file() else None


def _read(path: Path) -> Manifest | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except RecursionError:  # json's parser recurses once per bracket
        raise _unreadable(path, "nested too deep") from None
    except (ValueError, OSError):  # not UTF-8 or not JSON; unreadable
        raise _unreadable(path, "not JSON") from None
    if not isinstance(data, dict) or data.get("format") not in (FORMAT, TAKEN_OVER):
        return None  # another format: an earlier or later studykit's, with nothing to report
    try:
        return Manifest(
            reading=str(data["reading"]),
            built=int(data["built"]),
            digest=str(data["digest"]),
            notes={guid: NoteRecord.from_row(row) for guid, row in data["notes"].items()},
            complete=data["format"] == FORMAT,
        )
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise _unreadable(path, "not in the form studykit writes") from None


def _unreadable(path: Path, why: str) -> UnreadableManifest:
    return UnreadableManifest(
        f"{WHAT} cannot be read ({why}), so this build reports no changes since the last one",
        path,
    )


def _marked(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(len(MARK)) == MARK
    except OSError:
        return False


def check_manifest_place(deck: Path, force: bool = False) -> None:
    """Refuse (StudykitError) a build whose manifest could not be written, or would replace a
    file studykit did not write: checked before the build writes anything."""
    check_manifest_folder(deck)
    path = manifest_path(deck)
    writable_target(path, WHAT, force)
    if os.path.lexists(path) and not _marked(path):
        raise StudykitError(
            f"will not replace this file with {WHAT}: studykit did not write it; move it away",
            path,
        )


def write_manifest(deck: Path, manifest: Manifest, force: bool = False) -> None:
    """Write `deck`'s manifest atomically: a crash leaves the old manifest or the new one."""
    check_manifest_place(deck, force)
    data = {
        "written_by": "studykit",
        "format": FORMAT,
        "reading": manifest.reading,
        "built": manifest.built,
        "digest": manifest.digest,
        "fields": [f.name for f in fields(NoteRecord)],
        "notes": {guid: record.row() for guid, record in manifest.notes.items()},
    }
    # dumps, not dump: dump streams through the pure-Python encoder, 5x slower.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    write_atomically(manifest_path(deck), text, WHAT, force=force)
