"""A file's YAML document and the keys of its mappings: unknown, duplicate or missing keys,
each value then converted by its field's kind (`values`)."""

from __future__ import annotations

from difflib import get_close_matches

import yaml

from studykit.errors import StudykitError
from studykit.notes.fields import Field
from studykit.notes.strict_yaml import node_kind, read_yaml
from studykit.notes.validate.file import INVALID, FileCheck
from studykit.notes.validate.values import ReadList, text, value


def read_document(
    file: FileCheck, fields: tuple[Field, ...], lists: ReadList | None = None
) -> dict[str, object] | None:
    """The file's top-level mapping, its values converted; None once a problem is said."""
    try:
        node = read_yaml(file.path)
    except StudykitError as exc:
        file.problems.extend(exc.problems())
        return None
    if node is None:
        file.error("file is empty: it needs at least a `title:`", 1, 1)
        return None
    if not isinstance(node, yaml.MappingNode):
        file.error_at(node, f"expected a mapping of keys (title: ...), found {node_kind(node)}")
        return None
    file.keys = {
        k.value: (k.start_mark.line + 1, k.start_mark.column + 1)
        for k, _ in node.value
        if isinstance(k, yaml.ScalarNode)
    }
    return mapping(file, node, fields, "file", lists)


def item_mapping(
    file: FileCheck, node: yaml.Node, fields: tuple[Field, ...], what: str, example: str
) -> dict[str, object] | None:
    """An item's values, for an item written as a mapping like `example`."""
    if not isinstance(node, yaml.MappingNode):
        file.error_at(node, f"each {what} is a mapping like {example}, found {node_kind(node)}")
        return None
    return mapping(file, node, fields, what)


def mapping(
    file: FileCheck,
    node: yaml.MappingNode,
    fields: tuple[Field, ...],
    what: str,
    lists: ReadList | None = None,
) -> dict[str, object] | None:
    """Check keys (unknown, duplicate, missing) and convert each value by its field kind."""
    by_name, required = _keys_of(fields)
    values: dict[str, object] = {}
    seen: dict[str, yaml.Node] = {}  # each key's node: its line, once a duplicate needs it
    meant: set[str] = set()  # required keys an unknown key was taken for: said once
    ok = True
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            file.error_at(key_node, "keys must be plain words")
            ok = False
            continue
        key = key_node.value
        if key in seen:
            line = seen[key].start_mark.line + 1
            file.error_at(key_node, f"duplicate key {key!r} (first at line {line})")
            ok = False
            continue
        seen[key] = key_node
        field = by_name.get(key)
        if field is None:
            message, guess = _unknown_key(key, by_name, what)
            file.error_at(key_node, message)
            meant.update([guess] if guess else [])
            ok = False
            continue
        # Text, most values, without the dispatch.
        converted = (
            text(file, value_node, field)
            if field.kind == "text"
            else value(file, value_node, field, lists)
        )
        if converted is INVALID:
            ok = False
        elif converted is not None:
            values[key] = converted
    for name in required:
        if name not in values and name not in seen and name not in meant:
            where = "" if what == "file" else f" in this {what}"
            file.error_at(node, f"missing required key {name!r}{where}")
            ok = False
    return values if ok else None


def _keys_of(fields: tuple[Field, ...]) -> tuple[dict[str, Field], tuple[str, ...]]:
    """A mapping's fields by name, and the names it requires: made once per list of fields
    (a library's check reads tens of thousands of mappings)."""
    known = _KEYS.get(id(fields))
    if known is None or known[0] is not fields:
        by_name = {f.name: f for f in fields}
        known = _KEYS[id(fields)] = (fields, by_name, tuple(f.name for f in fields if f.required))
    return known[1], known[2]


_KEYS: dict[int, tuple[tuple[Field, ...], dict[str, Field], tuple[str, ...]]] = {}


# Words students reach for where the notes use a shorter key.
_SYNONYMS = {
    "answer": "a",
    "ans": "a",
    "question": "q",
    "annotation": "note",
    "notes": "note",
    "comment": "note",
    "def": "definition",
    "meaning": "definition",
    "name": "term",
    "tag": "tags",
    "point": "points",
    "term": "terms",
    "question_list": "questions",
    "cards": "questions",
}


def _unknown_key(key: str, by_name: dict[str, Field], what: str) -> tuple[str, str | None]:
    """The message for a key the notes do not know, and the key it was probably meant as."""
    synonym = _SYNONYMS.get(key.lower())
    close = [synonym] if synonym in by_name else []
    close = close or get_close_matches(key, list(by_name), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else f"; allowed: {', '.join(by_name)}"
    where = "" if what == "file" else f" in {what}"
    return f"unknown key {key!r}{where}{hint}", close[0] if close else None
