"""Reading a student's Anki collection offline: the cards of studykit's notes, their review log
and the presets they are in, from a `.colpkg` backup, an `.apkg` exported with scheduling, or a
closed `collection.anki2`.

Why it is built this way:
- The student's file is never opened in place. A package is checked member by member before
  anything is unpacked (no absolute names, none that climb out with `..`, only the members an
  Anki package has, each unpacked under a bound on its size that is read, not trusted from the
  zip's header; a zstd-compressed collection is inflated under the same bound before Anki
  sees it), and only its collection is packed again, without media, into a scratch
  folder, where Anki's own restore reads it. A `collection.anki2` is copied there first. The
  scratch folder is removed afterwards, whatever happens.
- Anki writes to a collection as it opens it (restore, schema upgrade): SQL stored in the file
  would run then. The scratch copy's triggers and views are dropped first, other SQL that
  computes as rows are written is refused (`collection_sql`), and Anki's writes are held to
  the package's bound per file while it runs.
- A `collection.anki2` that Anki has open holds a lock on it, and its write-ahead log may hold
  changes the file does not have yet: both are looked for, and refused in one line.
- An `.apkg` is a collection file too: restored like a backup, it holds its cards with their
  scheduling and log when it was exported with them (and none otherwise).
- The scratch copy is then read with SQLite alone when it is of Anki's current schema and
  timing (`tables`: opening it with the `anki` package costs more than the rest of a pull);
  the `anki` package opens any other, as it restores every package.
- The `anki` package is imported here only (and in the modules below), by `studykit pull`:
  `studykit --help` and every other command stay without it.

Here the file is opened and its tables read; checking and copying it is `collection_files`'s
work, keeping its SQL from running `collection_sql`'s, and the cards, log and presets are
gathered from its rows in `collection_cards`.
"""

from __future__ import annotations

import contextlib
import sqlite3
import zipfile
from collections.abc import Collection as Some
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from studykit.anki.collection_cards import (
    STUDYKIT_GUID,
    Collected,
    day_zero,
    gather,
    gather_tables,
)
from studykit.anki.collection_files import (
    NOT_A_COLLECTION,
    REPACKED,
    SQLITE_MAGIC,
    ZIP_MAGIC,
    checked_collection,
    copy_closed,
    file_head,
    scratch,
    unpack_bound,
)
from studykit.anki.collection_sql import bounded_writes, defuse
from studykit.anki.tables import (
    CARDS,
    REVLOG,
    Fetched,
    Unreadable,
    fetch_tables,
    read_tables,
    tables_of,
)
from studykit.errors import StudykitError

# Collection schema versions (`col.ver`) the anki package opens: 11 (Anki 2.1) to 18.
SCHEMA_VERSIONS = range(11, 19)


def read_collection(
    path: Path, guids: Some[str], zone: Any, now: datetime | None = None
) -> Collected:
    """Read the cards of the notes named by `guids` from the Anki file at `path`, with their
    review log; due dates in `zone`, Anki's day numbers read as Anki reads them at `now` (the
    student's time, which STUDYKIT_NOW may set; the system clock when not given). Raise
    StudykitError (one line) for a file that is not an Anki collection, one open in Anki, or
    one of a format this anki package cannot read."""
    with opened_collection(path, zone, now, early=False) as read:
        return read(guids)


@contextlib.contextmanager
def opened_collection(
    path: Path, zone: Any, now: datetime | None = None, early: bool = True
) -> Iterator[Reader]:
    """The Anki file at `path` checked and copied (or restored) into a scratch folder, and
    with `early` its rows read: a pull keys its notes meanwhile. What it yields reads the
    cards of the notes named by the GUIDs it is given, as `read_collection` does, while the
    scratch folder lasts (it is removed on leaving). Raise as `read_collection` does."""
    head = file_head(path)
    now = now or datetime.now(zone)
    with scratch() as folder:
        if head.startswith(ZIP_MAGIC):
            collection, bound = _restore(path, folder)
        elif head.startswith(SQLITE_MAGIC):
            collection = copy_closed(path, folder)
            defuse(collection, path)
            bound = unpack_bound(collection.stat().st_size)
        else:
            raise StudykitError(NOT_A_COLLECTION, path)
        fetched = _fetch(collection, path, now) if early else None
        yield Reader(collection, path, zone, now, early, fetched, bound)


class Reader:
    """A collection copied into a scratch folder, its rows fetched (`opened_collection`):
    called with the GUIDs of studykit's notes, it reads their cards, as `read_collection`
    does."""

    def __init__(
        self,
        collection: Path,
        path: Path,
        zone: Any,
        now: datetime,
        fetched_early: bool,
        fetched: Fetched | None,
        bound: int,
    ) -> None:
        self.collection, self.path, self.zone, self.now = collection, path, zone, now
        # `fetched`: the rows fetched early, if they were (None: the `anki` package reads them).
        self.fetched_early, self.fetched, self.bound = fetched_early, fetched, bound
        self.early: Collected | None = None
        self.shaped: set[str] = set()

    def __call__(self, guids: Some[str]) -> Collected:
        wanted = set(guids)
        if self.early is not None:
            found = self._narrowed(wanted)
            if found is not None:
                return found
        return _read(
            self.collection,
            self.path,
            wanted,
            self.zone,
            self.now,
            self.bound,
            self.fetched_early,
            self.fetched,
        )

    def gather_early(self) -> Collected | None:
        """The cards and log of every note whose GUID has the shape studykit gives (nearly
        always the notes studykit's notes name), gathered before the notes are known: a pull
        checks and keys them meanwhile, in its second process. None where that cannot be done
        as the notes' own reading would do it (a collection the `anki` package reads, a card
        or log entry of such a note that is refused): they are read once the notes are
        known."""
        rows = self.fetched
        if rows is None:
            return None
        self.shaped = {guid for guid in rows.guids if STUDYKIT_GUID.fullmatch(guid)}
        try:
            self.early = self._gathered(self.shaped)
        except StudykitError:  # raised, if it is one of the notes', once they are known
            self.early = None
        return self.early

    def _gathered(self, guids: set[str]) -> Collected | None:
        assert self.fetched is not None
        now = self.now if self.zone is None else self.now.astimezone(self.zone)
        tables = tables_of(self.fetched, guids)
        if tables is None:
            return None
        return gather_tables(tables, guids, now, self.path)

    def _narrowed(self, guids: set[str]) -> Collected | None:
        """`self(guids)` from the early reading, when it holds every card of these notes;
        else None. Its cards and log are the same objects when they are all these notes'."""
        early = self.early
        assert early is not None and self.fetched is not None
        notes = self.fetched.guids
        if any(guid not in self.shaped for guid in guids):
            present = set(notes)
            if any(guid not in self.shaped and guid in present for guid in guids):
                return None  # a note of another shape: read with the notes known
        foreign = [guid for guid in notes if guid not in guids]
        former = sum(1 for guid in foreign if guid in self.shaped)
        if all(card.guid in guids for card in early.cards.values()):
            return Collected(early.cards, early.log, early.presets, len(foreign), former)
        cards = {key: card for key, card in early.cards.items() if card.guid in guids}
        log = [entry for entry in early.log if entry.key in cards]
        presets = {card.preset: early.presets[card.preset] for card in cards.values()}
        return Collected(cards, log, presets, len(foreign), former)


def _restore(path: Path, folder: Path) -> tuple[Path, int]:
    """Check the package, pack its collection again (alone, `defuse`d) in `folder`, and
    restore it there with Anki's own restore; the restored collection's path, and the bound
    on what Anki may write in one file."""
    member, limit = checked_collection(path, folder)
    defuse(member, path)
    package = folder / "package.colpkg"
    with zipfile.ZipFile(package, "w", zipfile.ZIP_STORED) as out:
        out.write(member, REPACKED)
        out.writestr("media", b"{}")
    member.unlink()
    from anki._backend import RustBackend
    from anki.errors import AnkiException

    restored = folder / "collection.anki2"
    try:
        with bounded_writes(limit, path):  # Anki's restore upgrades the collection
            RustBackend().import_collection_package(
                col_path=str(restored),
                backup_path=str(package),
                media_folder=str(folder / "media"),
                media_db=str(folder / "media.db"),
            )
    except AnkiException as exc:
        raise StudykitError(f"{NOT_A_COLLECTION} (Anki could not restore it: {exc})", path) from exc
    package.unlink()
    return restored, limit


def _check_schema(collection: Path, path: Path) -> sqlite3.Connection:
    """Refuse a database that is no Anki collection, or a collection of a schema the anki
    package cannot open (it would otherwise try to make a collection of it); the collection
    opened read only."""
    uri = f"{collection.resolve().as_uri()}?mode=ro&immutable=1"
    db = sqlite3.connect(uri, uri=True)
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"col", "cards", "notes", "revlog"} <= tables:
            raise StudykitError(NOT_A_COLLECTION, path)
        row = db.execute("SELECT ver FROM col").fetchone()
    except sqlite3.DatabaseError as exc:
        db.close()
        raise StudykitError(f"{NOT_A_COLLECTION} ({exc})", path) from exc
    except BaseException:
        db.close()
        raise
    version = row[0] if row else None
    if not isinstance(version, int) or version not in SCHEMA_VERSIONS:
        db.close()
        raise StudykitError(
            f"unsupported Anki collection version {version} (this studykit reads "
            f"{SCHEMA_VERSIONS.start} to {SCHEMA_VERSIONS.stop - 1}): upgrade studykit's anki "
            "package, or make a backup with this Anki and pull that",
            path,
        )
    return db


def _fetch(collection: Path, path: Path, now: datetime) -> Fetched | None:
    """The collection's rows as `tables` fetches them (None: the `anki` package reads it)."""
    with contextlib.closing(_check_schema(collection, path)) as db:
        try:
            return fetch_tables(db, now.timestamp())
        except sqlite3.DatabaseError as exc:
            raise StudykitError(f"{NOT_A_COLLECTION} ({exc})", path) from exc
        except Unreadable as exc:
            raise _unreadable(exc, path) from None


def _unreadable(exc: Unreadable, path: Path) -> StudykitError:
    return StudykitError(
        f"the collection's setting {exc.args[0]!r} holds JSON nested deeper than Anki reads, "
        "which Anki never writes: pull a backup from before it was changed",
        path,
    )


def _read(
    collection: Path,
    path: Path,
    guids: set[str],
    zone: Any,
    now: datetime,
    bound: int,
    fetched_early: bool = False,
    fetched: Fetched | None = None,
) -> Collected:
    """The collection read with SQLite alone where `tables` can (the current schema), else
    opened with the `anki` package, which may write at most `bound` bytes in one file (it
    upgrades the collection); with `fetched_early`, its rows fetched already (`_fetch`)."""
    now = now if zone is None else now.astimezone(zone)
    if not fetched_early:
        with contextlib.closing(_check_schema(collection, path)) as db:
            try:
                tables = read_tables(db, guids, now.timestamp())
            except sqlite3.DatabaseError as exc:
                raise StudykitError(f"{NOT_A_COLLECTION} ({exc})", path) from exc
            except Unreadable as exc:
                raise _unreadable(exc, path) from None
    else:
        tables = None if fetched is None else tables_of(fetched, guids)
    if tables is not None:
        return gather_tables(tables, guids, now, path)
    with bounded_writes(bound, path):  # Anki upgrades a collection of an older schema
        return _read_with_anki(collection, path, guids, zone, now)


def _read_with_anki(
    collection: Path, path: Path, guids: set[str], zone: Any, now: datetime
) -> Collected:
    """`_read` of a collection the `anki` package opens."""
    from anki.collection import Collection
    from anki.errors import AnkiException

    try:
        col: Any = Collection(str(collection))
    except AnkiException as exc:
        raise StudykitError(f"{NOT_A_COLLECTION} (Anki cannot open it: {exc})", path) from exc
    try:

        def preset(home: int) -> dict[str, Any] | None:
            if col.decks.get(home, default=False) is None:
                return None
            return dict(col.decks.config_dict_for_deck_id(home))

        return gather(
            col.db.list("SELECT guid FROM notes"),
            col.db.all(CARDS),
            col.db.all(REVLOG),
            preset,
            # Anki's own day count is the system clock's: so is the day it counts from.
            day_zero(col.sched.today, datetime.now(zone)),
            guids,
            now,
            path,
        )
    except AnkiException as exc:
        # A column holding what Anki never writes (a creation time that is text or beyond the
        # calendar, a preset that is no protobuf): Anki's own reader stops on it.
        raise StudykitError(
            f"the collection holds a value Anki never writes (Anki cannot read it: {exc}): "
            "pull a backup from before it was changed",
            path,
        ) from exc
    finally:
        col.close(downgrade=False)
