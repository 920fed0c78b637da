"""The record kept beside a deck of what the last build wrote, to report what changed since.

It is disposable: which note each item makes lives in the identity record beside the notes
(`identity.py`); losing this file costs only the change report of the next build.

It lives in a hidden `.studykit/` folder beside the deck (`cards/.studykit/demo.manifest.json`),
where a student keeps no files of their own, and it begins with a mark, `"written_by":"studykit"`:
a file there without the mark is not studykit's, so a build refuses to write over it (the
student moves it away) rather than destroy it. It also records the size and SHA-256 of the deck
it was written with: that is how a build knows the `.apkg` at its path is one studykit wrote and
may be replaced, not a deck a classmate shared that happens to have the reading's name
(`check_deck_owned`). A manifest that is a symbolic link is neither read nor written
(`refuse_linked_manifest`). Decks built before kept the manifest beside the
deck as `<deck>.manifest.json`; such a file is still read when there is no new one, for the change
report, but never written: a student may own a file of that name beside a deck named by `-o`.

It maps each note's GUID to what a build report needs: where the note came from, its front field
(to print a search that finds it once it is removed), a hash of the rest of what Anki shows, and
the modification time the note was written with. Anki updates a note on
re-import only when the incoming modification time is newer, so a changed note gets a newer one
and an unchanged note keeps its old one. It also records the digest of what the deck was built
from (`anki.inputs`) and the names of the images it packaged: the next build from the same
inputs, with the deck still the file written, reports it up to date without building it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass, field, fields
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
        texts = (identity, kind, section, label, front, back)
        # A row edited by hand is refused whole (TypeError): a list for a section or a float
        # for a moment would fail later, where a build compares and hashes them.
        if any(type(text) is not str for text in texts) or type(mod) is not int:
            raise TypeError("a note row not as studykit writes it")
        if type(cards) is not list or any(type(card) is not int for card in cards):
            raise TypeError("a note row not as studykit writes it")
        return cls(identity, kind, section, label, front, back, mod, tuple(cards))

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
class WrittenDeck:
    """The deck file a build wrote: its size (compared first, for free) and its SHA-256."""

    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    reading: str
    built: int
    digest: str
    notes: dict[str, NoteRecord]
    complete: bool = True  # False for an older format read only for its identities
    deck: WrittenDeck | None = None  # None in a manifest an earlier version wrote
    # What the deck was built from (`anki.inputs`), and the names of the images it packaged:
    # with the same inputs, the same deck (None: not recorded, so never taken as the same).
    inputs: str | None = None
    media: tuple[str, ...] = ()
    # Each section's subdeck names, this build's first, then those it had before (the latest
    # first): a build that renames a section says where Anki may keep its cards, under any
    # name the student may have imported (empty in a manifest an earlier version wrote).
    decks: dict[str, tuple[str, ...]] = field(default_factory=dict)

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


def refuse_linked_manifest(path: Path) -> None:
    """Refuse (StudykitError) a manifest that is a symbolic link, wherever it leads. Written
    through, it replaced the file it led to, a file in the notes folder among them; read through,
    a file elsewhere would vouch for the deck at this path. studykit never makes such a link, so
    it is someone's choice, not undone silently by replacing it with a plain file."""
    if path.is_symlink():
        raise StudykitError(
            f"{WHAT} is a link; studykit keeps it as a plain file in the .studykit folder beside "
            "the deck and neither reads nor writes it through a link: remove the link",
            path,
        )


class UnreadableManifest(StudykitError):
    """A manifest that is there but cannot be read: the deck is still built, without a change
    report, and the caller says so in one line."""


def read_manifest(deck: Path) -> Manifest | None:
    """The manifest of `deck`'s last build, or None if there is none (or it is of another
    format): studykit's own, else one an earlier version left beside the deck. A `.studykit`
    that is a link is refused (`check_manifest_folder`), as is a manifest that is one
    (`refuse_linked_manifest`); a damaged manifest raises UnreadableManifest."""
    check_manifest_folder(deck)
    path = manifest_path(deck)
    refuse_linked_manifest(path)
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
        deck = data.get("deck")
        inputs = data.get("inputs")
        if deck is not None and not (
            type(deck) is list and len(deck) == 2 and type(deck[0]) is int and type(deck[1]) is str
        ):
            raise TypeError("the deck's size and digest not as studykit writes them")
        if type(data["built"]) is not int:
            raise TypeError("the moment of the build not as studykit writes it")
        decks = data.get("decks", {})
        if type(decks) is not dict or not all(
            type(names) is list and names and all(type(name) is str for name in names)
            for names in decks.values()
        ):
            raise TypeError("the subdecks' names not as studykit writes them")
        return Manifest(
            reading=str(data["reading"]),
            built=data["built"],
            digest=str(data["digest"]),
            notes={guid: NoteRecord.from_row(row) for guid, row in data["notes"].items()},
            complete=data["format"] == FORMAT,
            deck=None if deck is None else WrittenDeck(int(deck[0]), str(deck[1])),
            inputs=None if inputs is None else str(inputs),
            media=tuple(str(name) for name in data.get("media", ())),
            decks={section: tuple(names) for section, names in decks.items()},
        )
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError, OverflowError):
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
    refuse_linked_manifest(path)
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
    if manifest.deck is not None:
        data["deck"] = [manifest.deck.size, manifest.deck.sha256]
    if manifest.inputs is not None:
        data["inputs"] = manifest.inputs
        data["media"] = list(manifest.media)
    if manifest.decks:
        data["decks"] = manifest.decks
    # dumps, not dump: dump streams through the pure-Python encoder, 5x slower.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    refuse_linked_manifest(manifest_path(deck))  # a link made while the deck was written
    write_atomically(manifest_path(deck), text, WHAT, force=force)


def written_deck(deck: Path) -> WrittenDeck:
    """The size and SHA-256 of the deck file at `deck` (through a link), as the manifest
    records them."""
    digest = hashlib.sha256()
    size = 0
    with deck.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return WrittenDeck(size, digest.hexdigest())


def check_deck_owned(
    deck: Path, old: Manifest | None, reading: str, known: set[str], force: bool
) -> None:
    """Refuse (StudykitError) to replace an existing file at `deck` that studykit cannot show
    it wrote. A student may keep a shared deck under the name a reading's deck takes; replacing
    it would lose its notes and their scheduling for good. `force` replaces it. The deck is
    studykit's when:

    - its size and SHA-256 are the ones the manifest beside it records (the usual rebuild);
    - a manifest an earlier version wrote (it records no deck file) is this reading's;
    - every note in it has a GUID of `known`, the reading's identity record, which is written
      before the deck: a build stopped between the deck and its manifest left it so.
    """
    if force or not deck.is_file():  # none yet; what is not a regular file is refused elsewhere
        return
    try:
        if old is not None:
            if old.deck is None and old.reading == reading:
                return
            same_size = old.deck is not None and deck.stat().st_size == old.deck.size
            if same_size and written_deck(deck) == old.deck:
                return
        if _only_notes_of(deck, known):
            return
    except OSError as exc:
        raise StudykitError(
            f"cannot read the deck to replace: {exc.strerror or exc}", deck
        ) from None
    why = "no build manifest records it"
    if old is not None and old.deck is not None:
        why = "it is not the deck the last build wrote here: changed or damaged since"
    raise StudykitError(
        f"will not replace this file with the deck: studykit did not write it ({why}); move it "
        "away, build elsewhere with -o, or replace it with --force",
        deck,
    )


# A collection larger than this is no deck a build of one reading wrote; not unpacked to look.
_LARGEST_COLLECTION = 256 << 20


def _only_notes_of(deck: Path, known: set[str]) -> bool:
    """Whether `deck` is an Anki package whose collection holds notes, every one with a GUID
    of `known`. Anything else (not a package, another format, a note of someone else's) is not
    studykit's deck of this reading."""
    import shutil
    import sqlite3
    import tempfile
    import zipfile
    import zlib

    if not known:
        return False
    try:
        with zipfile.ZipFile(deck) as package:
            info = package.getinfo("collection.anki2")
            if info.file_size > _LARGEST_COLLECTION:
                return False
            with tempfile.TemporaryDirectory() as folder:
                copy = Path(folder) / "collection.anki2"
                with package.open(info) as source, copy.open("wb") as target:
                    shutil.copyfileobj(source, target, 1 << 20)
                uri = copy.as_uri() + "?mode=ro&immutable=1"
                with contextlib.closing(sqlite3.connect(uri, uri=True)) as collection:
                    guids = {row[0] for row in collection.execute("SELECT guid FROM notes")}
    except (
        zipfile.BadZipFile,
        zlib.error,  # a member damaged inside: its compressed data no longer inflates
        KeyError,
        sqlite3.Error,
        ValueError,
        EOFError,
        RuntimeError,
    ):
        return False
    return bool(guids) and guids <= known
