"""JSON Schema (draft 2020-12) of the notes files, generated from the fields the loader accepts."""

from __future__ import annotations

from typing import Any

from studykit.notes.fields import (
    POINT_FIELDS,
    QUESTION_FIELDS,
    READING_FIELDS,
    SECTION_FIELDS,
    TERM_FIELDS,
    Field,
)
from studykit.notes.rules import RULES

DIALECT = "https://json-schema.org/draft/2020-12/schema"
KINDS = ("reading", "section")

# studykit reads `1959` and `no` as the text written; an editor's YAML parser reads a number
# or a boolean, which the schema must accept too.
_TEXT = {"type": ["string", "number", "boolean"], "minLength": 1}
_SLUG = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}
_TAGS = {"type": "array", "items": {"type": "string", "pattern": '^[^\\s"]+$'}}


def _object(fields: tuple[Field, ...], title: str) -> dict[str, Any]:
    return {
        "title": title,
        "type": "object",
        "properties": {f.name: _property(f) for f in fields},
        "required": [f.name for f in fields if f.required],
        "additionalProperties": False,
    }


def _property(field: Field) -> dict[str, Any]:
    kinds: dict[str, dict[str, Any]] = {
        "text": _TEXT,
        "slug": _SLUG,
        "bool": {"type": "boolean"},
        "tags": _TAGS,
        "texts": {"type": "array", "items": _TEXT},
        "rules": {"type": "array", "items": {"enum": list(RULES)}},
        "points": {"type": "array", "items": {"$ref": "#/$defs/point"}},
        "terms": {"type": "array", "items": {"$ref": "#/$defs/term"}},
        "questions": {"type": "array", "items": {"$ref": "#/$defs/question"}},
    }
    return {"description": field.description, **kinds[field.kind]}


def notes_schema(kind: str | None = None) -> dict[str, Any]:
    """The schema of `reading.yaml` ("reading"), of section files ("section"), or of either."""
    defs: dict[str, Any] = {
        "reading": _object(READING_FIELDS, "studykit reading (reading.yaml)"),
        "section": _object(SECTION_FIELDS, "studykit section (NN-<id>.yaml)"),
        "point": {
            "anyOf": [_TEXT, _object(POINT_FIELDS, "point")],
            "description": "A point: text, or {text, note}. `{{answer}}` makes a cloze card.",
        },
        "term": _object(TERM_FIELDS, "term"),
        "question": _object(QUESTION_FIELDS, "question"),
    }
    root: dict[str, Any] = {"$schema": DIALECT, "$id": f"studykit-{kind or 'notes'}.schema.json"}
    if kind is None:
        root |= {"title": "studykit notes file", "anyOf": [{"$ref": f"#/$defs/{k}"} for k in KINDS]}
    else:
        root |= {"$ref": f"#/$defs/{kind}"}
    return root | {"$defs": defs}
