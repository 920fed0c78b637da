"""Writing an Anki package (.apkg): a zipped collection database plus media, in linear time.

genanki supplies the collection schema and each note type's JSON (with Anki's `req` list), but
its writer rewrites the whole deck table once per deck (quadratic in subdecks) and inserts rows
one at a time; here decks are written once and notes and cards in bulk, in one transaction.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studykit.files import readable_by_others


@dataclass(frozen=True)
class Template:
    name: str
    front: str
    back: str


@dataclass(frozen=True)
class NoteType:
    id: int
    name: str
    fields: tuple[str, ...]
    templates: tuple[Template, ...]
    css: str
    cloze: bool = False
    sort_field: int = 0


@dataclass(frozen=True)
class Deck:
    id: int
    name: str
    description: str = ""


@dataclass(frozen=True)
class PackagedNote:
    guid: str
    note_type: NoteType
    deck_id: int
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    cards: tuple[int, ...]  # template index (standard) or cloze number - 1
    mod: int  # seconds; Anki updates an existing note on re-import only if this is newer


def deck_id_for(name: str) -> int:
    """A stable deck id for a deck name (positive, within Anki's 53-bit safe range)."""
    return int(hashlib.sha256(name.encode("utf-8")).hexdigest()[:13], 16) + 1


def write_package(
    path: Path,
    notes: Sequence[PackagedNote],
    decks: Sequence[Deck],
    media: Mapping[str, Path] | None = None,
    *,
    now: int,
) -> None:
    """Write the package atomically: `path` is either the old file, untouched, or the new one."""
    _check(notes, decks)
    fd, db_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".anki2", dir=path.parent)
    os.close(fd)
    fd, zip_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".zip", dir=path.parent)
    os.close(fd)
    try:
        _write_collection(Path(db_name), notes, _with_parents(decks), now)
        # Level 1: nearly the size of the default level at a third of the time.
        with zipfile.ZipFile(zip_name, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            archive.write(db_name, "collection.anki2")
            names = sorted((media or {}).items())
            archive.writestr("media", json.dumps({str(i): n for i, (n, _) in enumerate(names)}))
            for index, (_, source) in enumerate(names):
                archive.write(source, str(index))
        readable_by_others(Path(zip_name))
        Path(zip_name).replace(path)
    except BaseException:
        Path(zip_name).unlink(missing_ok=True)
        raise
    finally:
        Path(db_name).unlink(missing_ok=True)


def _check(notes: Sequence[PackagedNote], decks: Sequence[Deck]) -> None:
    """The last guard before Anki sees the data; the notes loader has refused all this already."""
    seen: set[str] = set()
    deck_ids = {d.id for d in decks}
    for note in notes:
        if note.guid in seen:
            raise ValueError(f"two notes with GUID {note.guid!r}")
        seen.add(note.guid)
        kind = note.note_type
        if len(note.fields) != len(kind.fields):
            raise ValueError(f"note {note.guid}: {len(note.fields)} fields for {kind.name}")
        limit = 500 if kind.cloze else len(kind.templates)
        if not note.cards or any(not 0 <= ordinal < limit for ordinal in note.cards):
            raise ValueError(f"note {note.guid}: cards {note.cards} for {kind.name}")
        if note.deck_id not in deck_ids:
            raise ValueError(f"note {note.guid}: unknown deck {note.deck_id}")


def _with_parents(decks: Sequence[Deck]) -> list[Deck]:
    """Anki needs `A` and `A::B` to exist for `A::B::C`."""
    by_name = {d.name: d for d in decks}
    for deck in decks:
        parts = deck.name.split("::")
        for depth in range(1, len(parts)):
            parent = "::".join(parts[:depth])
            by_name.setdefault(parent, Deck(deck_id_for(parent), parent))
    return list(by_name.values())


def _write_collection(
    db: Path, notes: Sequence[PackagedNote], decks: Sequence[Deck], now: int
) -> None:
    from genanki.apkg_col import APKG_COL
    from genanki.apkg_schema import APKG_SCHEMA

    connection = sqlite3.connect(db)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        # Tables first, indexes after the rows: building an index once beats updating it per row.
        statements = [x.strip() for x in APKG_SCHEMA.split(";") if x.strip()]
        indexes = [x for x in statements if x.upper().startswith("CREATE INDEX")]
        connection.executescript(";\n".join(x for x in statements if x not in indexes) + ";")
        connection.executescript(APKG_COL)
        types = {n.note_type.id: n.note_type for n in notes}
        first_deck = decks[0].id if decks else 1
        connection.execute(
            "UPDATE col SET decks = ?, models = ?, mod = ?",
            (
                json.dumps({str(d.id): _deck_json(d, now) for d in decks}),
                json.dumps(
                    {str(t.id): _note_type_json(t, now, first_deck) for t in types.values()}
                ),
                now * 1000,
            ),
        )
        connection.executemany(
            "INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)", _note_rows(notes, now)
        )
        connection.executemany(
            "INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            _card_rows(notes, now),
        )
        connection.executescript(";\n".join(indexes) + ";")
        connection.commit()
    finally:
        connection.close()


def _first_id(now: int) -> int:
    return now * 1000


def _note_rows(notes: Sequence[PackagedNote], now: int) -> list[tuple[Any, ...]]:
    rows = []
    for index, note in enumerate(notes):
        sort_field = note.fields[note.note_type.sort_field]
        rows.append(
            (
                _first_id(now) + index,
                note.guid,
                note.note_type.id,
                note.mod,
                -1,
                f" {' '.join(note.tags)} " if note.tags else "",
                "\x1f".join(note.fields),
                sort_field,
                _checksum(sort_field),
                0,
                "",
            )
        )
    return rows


def _card_rows(notes: Sequence[PackagedNote], now: int) -> list[tuple[Any, ...]]:
    rows = []
    card_id = _first_id(now)
    position = 0
    for index, note in enumerate(notes):
        for ordinal in note.cards:
            position += 1
            rows.append(
                (
                    card_id + position,
                    _first_id(now) + index,
                    note.deck_id,
                    ordinal,
                    note.mod,
                    -1,
                    0,  # type: new
                    0,  # queue: new
                    position,  # new cards are shown in this order
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    "",
                )
            )
    return rows


def _checksum(sort_field: str) -> int:
    """Anki's duplicate-check sum: the first 8 hex digits of the SHA-1 of the stripped field."""
    text = re.sub(r"<[^>]*>", "", sort_field).strip()
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:8], 16)


def _deck_json(deck: Deck, now: int) -> dict[str, Any]:
    return {
        "id": deck.id,
        "name": deck.name,
        "desc": deck.description,
        "mod": now,
        "usn": -1,
        "collapsed": False,
        "browserCollapsed": False,
        "conf": 1,
        "dyn": 0,
        "extendNew": 0,
        "extendRev": 0,
        "lrnToday": [0, 0],
        "newToday": [0, 0],
        "revToday": [0, 0],
        "timeToday": [0, 0],
    }


def _note_type_json(note_type: NoteType, now: int, deck_id: int) -> dict[str, Any]:
    import genanki

    model = genanki.Model(
        note_type.id,
        note_type.name,
        fields=[{"name": name} for name in note_type.fields],
        templates=[{"name": t.name, "qfmt": t.front, "afmt": t.back} for t in note_type.templates],
        css=note_type.css,
        model_type=genanki.Model.CLOZE if note_type.cloze else genanki.Model.FRONT_BACK,
        sort_field_index=note_type.sort_field,
    )
    data: dict[str, Any] = model.to_json(now, deck_id)
    return data
