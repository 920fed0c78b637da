"""Writing an Anki package (.apkg): a zipped collection database plus media, in linear time.

genanki supplies the collection schema, the collection row and each note type's JSON (with the
`req` list older Anki versions use), but its writer rewrites the whole deck table once per deck
(quadratic in subdecks) and inserts rows one at a time. Here the deck table is written once and
notes and cards in bulk, in one transaction of an in-memory database that goes straight into the
zip file.

What Anki's importer does with the package (checked with Anki 26.9): it matches notes by GUID and
updates one only when the package's note `mod` is newer; it matches decks by name, not id; it
keeps a note type's id while its field and template names stay the same and otherwise imports a
copy whose notes never update the old ones; it keeps new cards' `due`, and never moves or
changes a card it already has. A package may carry scheduling and a review log for some cards
(`studykit.anki.progress`); Anki takes them, with "Import any learning progress", for cards it
does not have yet.
"""

from __future__ import annotations

import hashlib
import html
import html.entities
import json
import re
import shutil
import time
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studykit.files import replacing

if TYPE_CHECKING:
    from studykit.anki.progress import DeckProgress


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


@dataclass  # not frozen: a deck builds tens of thousands, three times faster this way
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


@dataclass(frozen=True)
class Package:
    """A checked package, ready to write: its collection database and the media it carries."""

    collection: bytes
    media: Mapping[str, Path]
    now: int

    def write(self, path: Path, *, force: bool = False) -> None:
        """Write the package to `path` whole (`studykit.files.replacing`): on any error `path`
        keeps what it held; a path that is not a regular file, or a read-only one without
        `force`, is refused."""
        media_names = sorted(self.media)
        with replacing(path, "the deck", force=force) as out, zipfile.ZipFile(out, "w") as archive:
            stamp = time.gmtime(max(self.now, 315532800))[:6]  # zip dates start in 1980
            # Level 1: nearly the size of the default level at a third of the time.
            entry = zipfile.ZipInfo("collection.anki2", stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, self.collection, compresslevel=1)
            index = {str(i): name for i, name in enumerate(media_names)}
            archive.writestr(zipfile.ZipInfo("media", stamp), json.dumps(index))
            for number, name in enumerate(media_names):
                entry = zipfile.ZipInfo(str(number), stamp)
                entry.compress_type = zipfile.ZIP_DEFLATED
                with self.media[name].open("rb") as source, archive.open(entry, "w") as target:
                    shutil.copyfileobj(source, target, 1 << 20)


def make_package(
    notes: Sequence[PackagedNote],
    decks: Sequence[Deck],
    media: Mapping[str, Path] = {},
    *,
    now: int,
    progress: DeckProgress | None = None,
) -> Package:
    """Notes, their cards, decks and media as an Anki package, checked but not yet written.

    New cards are due in the order of `notes`; cards `progress` names carry its scheduling and
    review log instead. Missing parent decks are added. Raises ValueError
    for what Anki would import wrongly (two notes with one GUID, wrong field counts, cards a note
    cannot have, unknown decks), so a caller can refuse before it writes anything.
    """
    all_decks = _with_parents(decks)
    for name in media:
        if not name or name in (".", "..") or "/" in name or "\\" in name:
            raise ValueError(f"media name {name!r} is not a plain file name")
    return Package(_collection(notes, all_decks, now, progress), media, now)


def write_package(
    path: Path,
    notes: Sequence[PackagedNote],
    decks: Sequence[Deck],
    media: Mapping[str, Path] = {},
    *,
    now: int,
) -> None:
    """Check and write a package (`make_package`, then `Package.write`)."""
    make_package(notes, decks, media, now=now).write(path)


def _with_parents(decks: Sequence[Deck]) -> list[Deck]:
    """The decks plus any missing parent (`A` and `A::B` for `A::B::C`), each name and id once."""
    by_name: dict[str, Deck] = {}
    for deck in decks:
        parts = deck.name.split("::")
        if any(not part.strip() for part in parts):
            raise ValueError(f"deck name {deck.name!r} has an empty part")
        if deck.name.casefold() in by_name:
            raise ValueError(f"two decks named {deck.name!r}")
        by_name[deck.name.casefold()] = deck
    for deck in decks:
        parts = deck.name.split("::")
        for depth in range(1, len(parts)):
            parent = "::".join(parts[:depth])
            by_name.setdefault(parent.casefold(), Deck(deck_id_for(parent), parent))
    ids: set[int] = set()
    for deck in by_name.values():
        if deck.id in ids:
            raise ValueError(f"two decks with id {deck.id} (one is {deck.name!r})")
        ids.add(deck.id)
    return list(by_name.values())


def _collection(
    notes: Sequence[PackagedNote],
    decks: Sequence[Deck],
    now: int,
    progress: DeckProgress | None = None,
) -> bytes:
    """The collection database file (Anki schema 11, as genanki writes it) as bytes."""
    import sqlite3  # only here: commands that merely name note types stay light

    from genanki.apkg_col import APKG_COL
    from genanki.apkg_schema import APKG_SCHEMA

    note_types = _note_types(notes)
    note_rows, card_rows = _rows(notes, {deck.id for deck in decks}, now)
    connection = sqlite3.connect(":memory:", isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("BEGIN")
        # Tables first, indexes after the rows: building an index once beats updating it per row.
        statements = [x.strip() for x in APKG_SCHEMA.split(";") if x.strip()]
        indexes = [x for x in statements if x.upper().startswith("CREATE INDEX")]
        # execute, not executescript, which would commit the transaction.
        for statement in [x for x in statements if x not in indexes] + [APKG_COL]:
            connection.execute(statement)
        conf_text, decks_text = connection.execute("SELECT conf, decks FROM col").fetchone()
        conf = json.loads(conf_text)
        conf["nextPos"] = len(card_rows) + 1
        if progress is not None:
            # The scheduler the log was made with (v1 would be upgraded on import, rewriting
            # learning ratings), and the day numbers' first day, counted in calendar days.
            conf.update(schedVer=2, sched2021=True, rollover=4, creationOffset=progress.offset)
            connection.execute("UPDATE col SET crt = ?", (progress.crt,))
        # Anki's "Default" deck stays, as genanki keeps it, unless a deck takes its id or name.
        deck_table = {
            key: default
            for key, default in json.loads(decks_text).items()
            if all(d.id != default["id"] and d.name.casefold() != "default" for d in decks)
        }
        deck_table.update({str(deck.id): _deck_json(deck, now) for deck in decks})
        first_deck = decks[0].id if decks else 1
        models = {str(t.id): _note_type_json(t, now, first_deck) for t in note_types}
        connection.execute(
            "UPDATE col SET mod = ?, conf = ?, decks = ?, models = ?",
            (now * 1000, json.dumps(conf), json.dumps(deck_table), json.dumps(models)),
        )
        connection.executemany(
            "INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, '')", note_rows
        )
        connection.executemany(
            f"INSERT INTO cards VALUES (?, ?, ?, ?, {int(now)}, -1, 0, 0, ?, 0, 0, 0, 0, 0, 0,"
            " 0, 0, '')",
            card_rows,
        )
        if progress is not None:
            _schedule(connection, progress, note_rows, card_rows)
        for statement in indexes:
            connection.execute(statement)
        connection.execute("COMMIT")
        return connection.serialize()
    finally:
        connection.close()


def _schedule(
    connection: Any,
    progress: DeckProgress,
    note_rows: list[tuple[Any, ...]],
    card_rows: list[tuple[int, int, int, int, int]],
) -> None:
    """Give the cards `progress` names their scheduling columns, and log their answers."""
    guids = {row[0]: row[1] for row in note_rows}
    cards = []
    reviews = []
    for card_id, note_id, _, ordinal, position in card_rows:
        found = progress.cards.get((guids[note_id], ordinal))
        if found is None:
            continue
        card = found.card
        data = json.dumps({"pos": position, **card.data}, separators=(",", ":"))
        columns = (card.type, card.queue, card.due, card.ivl, card.factor, card.reps)
        cards.append((*columns, card.lapses, card.left, data, card_id))
        reviews += [
            (r.id, card_id, r.ease, r.ivl, r.last_ivl, r.factor, r.time, r.type)
            for r in found.reviews
        ]
    connection.executemany(
        "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = ?, reps = ?, "
        "lapses = ?, left = ?, data = ? WHERE id = ?",
        cards,
    )
    connection.executemany("INSERT INTO revlog VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)", reviews)


def _note_types(notes: Sequence[PackagedNote]) -> list[NoteType]:
    """The note types the notes use, each once; one id must mean one definition."""
    by_id: dict[int, NoteType] = {}
    for note_type in {id(note.note_type): note.note_type for note in notes}.values():
        known = by_id.setdefault(note_type.id, note_type)
        if known != note_type:
            raise ValueError(f"two note types with id {note_type.id}: {known.name!r}, ...")
        problem = _problem(note_type)
        if problem:
            raise ValueError(f"note type {note_type.name!r}: {problem}")
    return list(by_id.values())


def _problem(note_type: NoteType) -> str:
    """What keeps Anki from using this note type as given, if anything."""
    if len(set(note_type.fields)) < len(note_type.fields):
        return "two fields with one name"
    if not 0 <= note_type.sort_field < len(note_type.fields):
        return f"no field {note_type.sort_field} to sort by"
    if not note_type.templates or (note_type.cloze and len(note_type.templates) > 1):
        return f"{len(note_type.templates)} templates"
    return ""


def _rows(
    notes: Sequence[PackagedNote], deck_ids: set[int], now: int
) -> tuple[list[tuple[Any, ...]], list[tuple[int, int, int, int, int]]]:
    """Note and card rows in one pass, refusing what Anki would import wrongly.

    Ids count up from `now` in milliseconds, as Anki's own ids do; new cards are due 1, 2, ...
    in note order, then ordinal order. Tags and standard card lists repeat from note to note, so
    each distinct one is checked once.
    """
    first_id = now * 1000
    sha1 = hashlib.sha1
    guids: set[str] = set()
    tag_texts: dict[tuple[str, ...], str] = {}
    standard_cards: dict[tuple[int, tuple[int, ...]], tuple[int, ...]] = {}
    note_rows: list[tuple[Any, ...]] = []
    card_rows: list[tuple[int, int, int, int, int]] = []
    position = 0
    for index, note in enumerate(notes):
        kind = note.note_type
        guid = note.guid
        if guid in guids or not guid:
            raise ValueError(f"two notes with GUID {guid!r}" if guid else "a note without GUID")
        guids.add(guid)
        fields = "\x1f".join(note.fields)
        if len(note.fields) != len(kind.fields) or fields.count("\x1f") != len(kind.fields) - 1:
            raise ValueError(
                f"note {guid}: {len(note.fields)} fields for {kind.name}, which has "
                f"{len(kind.fields)} (a field must not contain \\x1f)"
            )
        if note.deck_id not in deck_ids:
            raise ValueError(f"note {guid}: unknown deck {note.deck_id}")
        if kind.cloze:
            ordinals = _cloze_ordinals(note, fields)
        else:
            key = (id(kind), note.cards)
            ordinals = standard_cards.get(key) or standard_cards.setdefault(
                key, _standard_ordinals(note)
            )
        tags = tag_texts.get(note.tags)
        if tags is None:
            tags = tag_texts.setdefault(note.tags, _tag_text(note))
        first = note.fields[0]
        if "<" in first or "&" in first or not first.isascii():
            first = _anki_text(first)
        sort_field = first if kind.sort_field == 0 else _anki_text(note.fields[kind.sort_field])
        note_id = first_id + index
        checksum = int.from_bytes(sha1(first.encode()).digest()[:4])
        note_rows.append((note_id, guid, kind.id, note.mod, tags, fields, sort_field, checksum))
        for ordinal in ordinals:
            position += 1
            card_rows.append((first_id + position, note_id, note.deck_id, ordinal, position))
    return note_rows, card_rows


def _standard_ordinals(note: PackagedNote) -> tuple[int, ...]:
    """The note's card ordinals, sorted, if each names one of its type's templates."""
    ordinals = tuple(sorted(set(note.cards)))
    count = len(note.note_type.templates)
    if (
        not ordinals
        or len(ordinals) != len(note.cards)
        or not 0 <= ordinals[0] <= ordinals[-1] < count
    ):
        raise ValueError(f"note {note.guid}: cards {note.cards} for {note.note_type.name}")
    return ordinals


_CLOZE_NUMBERS = re.compile(r"\{\{c(\d+(?:,\d+)*)::")


def _cloze_ordinals(note: PackagedNote, fields: str) -> tuple[int, ...]:
    """The note's card ordinals, sorted, if each is one less than a deletion number `{{cN::`."""
    ordinals = tuple(sorted(set(note.cards)))
    found = _CLOZE_NUMBERS.findall(fields)  # "1", or "1,2" for one deletion in two cards
    numbers = set(map(int, ",".join(found).split(","))) if found else set()
    if (
        not ordinals
        or len(ordinals) != len(note.cards)
        or not numbers.issuperset([o + 1 for o in ordinals])
    ):
        raise ValueError(f"note {note.guid}: cards {note.cards}, deletions {sorted(numbers)}")
    return ordinals


def _tag_text(note: PackagedNote) -> str:
    """Tags as Anki stores them: space-separated, with a space before and after."""
    text = " ".join(note.tags)
    if text.split() != list(note.tags):
        raise ValueError(f"note {note.guid}: tags {note.tags} (a tag is one word)")
    return f" {text} " if text else ""


# Anki's strip_html_preserving_media_filenames (rslib/src/text.rs) after its NFC normalization:
# media tags become their file name between spaces, other tags and comments go, entities are
# decoded, no-break spaces become spaces; nothing is trimmed. The importer recomputes sfld and
# csum from these; other readers of the package may not.
_MEDIA_TAG = re.compile(
    r"""<\b(?:img|audio|video|object)\b(?:[^>]|"[^"]+?"|'[^']+?')+?\b(?:src|data)\b="""
    r"""(?:"([^"]+?)"[^>]*>|'([^']+?)'[^>]*>|([^ >]+?)(?: [^>]*>|>))""",
    re.IGNORECASE | re.DOTALL,
)
_TAG = re.compile(
    r"<!--.*?-->|<style.*?>.*?</style>|<script.*?>.*?</script>|<.*?>", re.IGNORECASE | re.DOTALL
)
_ENTITY = re.compile(r"&(?:#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")


def _anki_text(field: str) -> str:
    """A field as Anki sorts and checksums it."""
    text = unicodedata.normalize("NFC", field)
    if "<" in text:
        text = _MEDIA_TAG.sub(lambda m: f" {m[1] or m[2] or m[3]} ", text)
        text = _TAG.sub("", text)
    if "&" in text:
        entities = _ENTITY.findall(text)
        # Anki's decoder gives up on the whole text when one `&` starts no entity it knows.
        if len(entities) == text.count("&") and all(
            e[1] == "#" or e[1:] in html.entities.html5 for e in entities
        ):
            text = html.unescape(text).replace("\xa0", " ")
    return text


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
    """genanki's note type JSON, with its `req` computed once per note type (not per note)."""
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
