"""A section's lists of items (`points`, `terms`, `questions`), each item in the list it
belongs to, and the terms and questions themselves (points have `points`)."""

from __future__ import annotations

import yaml

from studykit.notes import cloze as cloze_markers
from studykit.notes import invisible
from studykit.notes.fields import QUESTION_FIELDS, TERM_FIELDS, Field
from studykit.notes.model import Point, Question, Term
from studykit.notes.strict_yaml import child_node
from studykit.notes.validate.file import INVALID, FileCheck
from studykit.notes.validate.identities import check_identities
from studykit.notes.validate.keys import item_mapping
from studykit.notes.validate.points import check_invisible, check_stray_cloze, point
from studykit.notes.validate.values import not_a_list, opt_str, tags_of

_ONE = {"points": "a point", "terms": "a term", "questions": "a question"}
# The keys only one kind of item has: a mapping with one of them is an item of that kind.
_OWN_KEYS = {"points": {"text"}, "terms": {"term", "definition"}, "questions": {"q", "a"}}


def item_list(file: FileCheck, node: yaml.Node, field: Field) -> tuple[object, ...] | object | None:
    """The items of a list of `field.kind`, or INVALID once any of them is refused."""
    # An empty plain value (`points:`): libyaml marks plain style '', PyYAML None.
    if isinstance(node, yaml.ScalarNode) and not node.style and node.value == "":
        return None
    if not isinstance(node, yaml.SequenceNode):
        not_a_list(file, node, field)
        return INVALID
    results = [item(file, field.kind, one) for one in node.value]
    check_identities(
        file,
        field.kind,
        [(n, r) for n, r in zip(node.value, results, strict=True) if r is not None],
    )
    if any(r is None for r in results):
        return INVALID
    return tuple(results)


def item(file: FileCheck, kind: str, node: yaml.Node) -> Point | Term | Question | None:
    """One item of `points`, `terms` or `questions`; one line if it belongs to another."""
    belongs = _list_it_belongs_to(node, kind)
    if belongs is not None:
        file.error_at(
            node,
            f"this looks like {_ONE[belongs]}, not {_ONE[kind]}; move it under `{belongs}:`",
        )
        return None
    if kind == "points":
        return point(file, node)
    return term(file, node) if kind == "terms" else question(file, node)


def term(file: FileCheck, node: yaml.Node) -> Term | None:
    """One item of `terms`; None once its problems are said."""
    values = item_mapping(file, node, TERM_FIELDS, "term", "{term: ..., definition: ...}")
    if values is None:
        return None
    written = str(values["term"])
    found = invisible.in_term(written)
    if found and isinstance(node, yaml.MappingNode):  # as item_mapping read it
        check_invisible(file, child_node(node, "term"), written, found)
    check_stray_cloze(file, node, values)
    return Term(
        term=written,
        definition=str(values["definition"]),
        annotation=opt_str(values.get("note")),
        id=opt_str(values.get("id")),
        line=node.start_mark.line + 1,
        allow=tags_of(values.get("allow")),
    )


def question(file: FileCheck, node: yaml.Node) -> Question | None:
    """One item of `questions`; None once its problems are said."""
    values = item_mapping(file, node, QUESTION_FIELDS, "question", "{q: ..., a: ...}")
    if values is None:
        return None
    check_stray_cloze(file, node, values)
    return Question(
        q=str(values["q"]),
        a=str(values["a"]),
        annotation=opt_str(values.get("note")),
        id=opt_str(values.get("id")),
        line=node.start_mark.line + 1,
        allow=tags_of(values.get("allow")),
    )


def _list_it_belongs_to(node: yaml.Node, kind: str) -> str | None:
    """The other list (`points`, `terms`, `questions`) an item of `kind` was meant for, when its
    shape says so: the keys of one other kind and none of its own, or a `{{cloze}}` text."""
    if isinstance(node, yaml.ScalarNode):
        cloze = kind != "points" and cloze_markers.has_cloze(node.value)
        return "points" if cloze else None
    if not isinstance(node, yaml.MappingNode):
        return None
    own = _OWN_KEYS[kind]
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value in own:
            return None  # nearly every item: its first key is one of its own kind's
    keys = {k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
    others = [other for other, own in _OWN_KEYS.items() if keys & own]
    return others[0] if len(others) == 1 else None
