"""The record kept beside a deck of what the last build wrote, to report what changed since.

It maps each note's GUID to what a build report needs: where the note came from, a hash of what
Anki shows, and the modification time the note was written with. Anki updates a note on
re-import only when the incoming modification time is newer, so a changed note gets a newer one
and an unchanged note keeps its old one.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from studykit.errors import StudykitError
from studykit.files import readable_by_others

FORMAT = 3


@dataclass(frozen=True, slots=True)
class NoteRecord:
    identity: str
    kind: str
    section: str
    label: str
    front: str  # hash of the front field: what identifies the note to the student
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


def manifest_path(deck: Path) -> Path:
    return deck.with_name(deck.stem + ".manifest.json")


def read_manifest(path: Path) -> Manifest | None:
    """The manifest of the last build, or None if there is none (or it is not readable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        return Manifest(
            reading=str(data["reading"]),
            built=int(data["built"]),
            digest=str(data["digest"]),
            notes={guid: NoteRecord.from_row(row) for guid, row in data["notes"].items()},
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        # A damaged manifest only costs the change report: the next build starts afresh.
        return None


def write_manifest(path: Path, manifest: Manifest) -> None:
    """Write atomically: a crash leaves the old manifest or the new one, never half of one."""
    data = {
        "format": FORMAT,
        "reading": manifest.reading,
        "built": manifest.built,
        "digest": manifest.digest,
        "fields": [f.name for f in fields(NoteRecord)],
        "notes": {guid: record.row() for guid, record in manifest.notes.items()},
    }
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                # dumps, not dump: dump streams through the pure-Python encoder, 5x slower.
                out.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
            readable_by_others(Path(tmp))
            Path(tmp).replace(path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise StudykitError(
            f"cannot write the build manifest: {exc.strerror or exc}", path
        ) from exc
