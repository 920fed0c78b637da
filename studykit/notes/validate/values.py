"""The values of a notes mapping, converted by their field's kind: text, a slug, true or false,
tags, card-quality rule names, a list of texts. Each returns the value, None for an empty
optional value, or `INVALID` once it has said what is wrong."""

from __future__ import annotations

import re
from collections.abc import Callable
from difflib import get_close_matches

import yaml

from studykit.errors import CONTROL
from studykit.notes import cloze as cloze_markers
from studykit.notes.fields import POINT_FIELDS, QUESTION_FIELDS, TERM_FIELDS, Field
from studykit.notes.mathtext import too_deep_formula
from studykit.notes.media import image_refs, resolve_image
from studykit.notes.naming import is_slug
from studykit.notes.nesting import cluster_message, long_cluster, markdown_limits
from studykit.notes.rules import RULES
from studykit.notes.strict_yaml import node_kind
from studykit.notes.validate.escapes import ESCAPED, check_math_escapes, control_character
from studykit.notes.validate.file import INVALID, FileCheck

_TAG = re.compile(r"[^\s\"]+")

# What reads a list of items (`points`, `terms`, `questions`): the section's to give.
ReadList = Callable[[FileCheck, yaml.Node, Field], object]


def value(file: FileCheck, node: yaml.Node, field: Field, lists: ReadList | None) -> object:
    """A value converted by its field's kind; a list of items through `lists`."""
    kind = field.kind
    if kind in ("text", "slug"):
        return text(file, node, field)
    if kind == "bool":
        return boolean(file, node, field)
    if kind == "tags":
        return tags(file, node, field)
    if kind == "texts":
        return texts(file, node, field)
    if kind == "rules":
        return rules(file, node, field)
    assert lists is not None, f"{field.name!r} is a list of items, read in a section only"
    return lists(file, node, field)


def scalar(file: FileCheck, node: yaml.Node, field: Field) -> str | object | None:
    """The scalar's text as written; None for an empty value; INVALID for a collection."""
    if not isinstance(node, yaml.ScalarNode):
        file.error_at(node, f"{field.name!r} should be text, found {node_kind(node)}")
        return INVALID
    # Plain, not quoted: libyaml marks plain style '', PyYAML None.
    if not node.style and node.value in ("", "~", "null", "Null", "NULL"):
        if field.required:
            file.error_at(node, f"{field.name!r} is empty")
            return INVALID
        return None
    # YAML refuses control characters written as they are (tab and line breaks aside): only
    # a double-quoted escape, or a character outside ASCII (C1), can have put one here.
    if (node.style == '"' or not node.value.isascii()) and CONTROL.search(node.value):
        control_character(file, node)
        if node.style == '"':
            check_math_escapes(file, node)  # every formula the quotes broke, named at once
        return INVALID
    return str(node.value)


def text(file: FileCheck, node: yaml.Node, field: Field) -> str | object | None:
    """A text or slug, trimmed (a `|` block keeps its leading spaces), its images, nesting
    and escapes checked."""
    raw = scalar(file, node, field)
    if not isinstance(raw, str):
        return raw
    style = getattr(node, "style", None)
    text = raw.strip() if style != "|" else raw.rstrip()
    if not text:
        if field.required:
            file.error_at(node, f"{field.name!r} is empty")
            return INVALID
        return None
    if field.kind == "slug" and not is_slug(text):
        file.error_at(
            node,
            f"{field.name!r} must be a slug (lowercase letters, digits, hyphens): {text!r}",
        )
        return INVALID
    if (at := long_cluster(raw)) is not None:
        file.error(cluster_message(raw, at), *file.position(node, at))
        return INVALID
    if "](" in text:
        check_images(file, node, text, cloze=field.name == "text")
    # Nesting needs openers: most texts have none to count.
    if ("{" in raw or "[" in raw or "(" in raw) and (deep := too_deep_formula(raw)) is not None:
        file.error(deep[1], *file.position(node, deep[0]))
    # An excerpt is only ever read as plain text; a cloze point is read with its answers
    # apart, once they are known (`points.point`).
    if (
        field.name != "excerpt"
        and not (field.name == "text" and cloze_markers.has_cloze(text))
        and (deeper := markdown_limits(text))
    ):
        file.error_at(node, deeper)
    if " - " in text and not style:  # plain, not quoted
        check_run_on_item(file, node)
    # Not an excerpt, copied as found; the file is read again only for a text that holds a
    # key's words.
    if style and field.name in _ITEM_KEYS and _KEY_WORDS.search(text):
        check_folded_key(file, node)
    if style == '"' and ESCAPED.search(text):
        check_math_escapes(file, node)
    return text


def check_run_on_item(file: FileCheck, node: yaml.Node) -> None:
    """A `- ` indented deeper than the one above continues that item's text instead of
    starting an item: YAML folds it in without a word, so say it here."""
    first, last = node.start_mark.line, node.end_mark.line
    if last <= first:
        return
    lines = file.lines()
    for number in range(first + 1, min(last + 1, len(lines))):
        stripped = lines[number].lstrip()
        if stripped.startswith("- "):
            col = len(lines[number]) - len(stripped) + 1
            file.error(
                "this `- ` is indented deeper than the item above, so YAML reads it as "
                "more text of that item: line the dashes up to make it an item of its own",
                number + 1,
                col,
            )
            return


# The keys of points, terms and questions: one indented into the text above it is named.
_ITEM_KEYS = frozenset(f.name for f in (*POINT_FIELDS, *TERM_FIELDS, *QUESTION_FIELDS))
_KEY_WORDS = re.compile(rf"(?<!\S)(?:{'|'.join(sorted(_ITEM_KEYS))}):(?!\S)")


def check_folded_key(file: FileCheck, node: yaml.Node) -> None:
    """An item's key indented deeper than the key whose `>` or `|` block (or quotes) it follows
    continues that text: YAML folds `note: A simplification.` into the point without a word,
    so say it here."""
    from studykit.notes.yaml_hints import folded_key

    hint = folded_key(file.lines(), node.start_mark.line, node.end_mark.line, _ITEM_KEYS)
    if hint is not None:
        message, line, column = hint
        file.error(message, line + 1, column + 1)


def check_images(file: FileCheck, node: yaml.Node, text: str, cloze: bool = False) -> None:
    """Every image the card shows, as it renders them: a point's deletions apart."""
    parsed = None
    if cloze and cloze_markers.has_cloze(text):
        try:
            parsed = cloze_markers.parse_cloze(text)
        except cloze_markers.ClozeError:
            return  # refused with the point; its images are checked once it parses
    for ref in image_refs(text, parsed):
        try:
            resolve_image(ref.target, file.path.parent, file.folder)
        except ValueError as exc:
            file.error(str(exc), *file.position(node, ref.offset))


def boolean(file: FileCheck, node: yaml.Node, field: Field) -> bool | object | None:
    """`true` or `false`, in lowercase: `yes`, `on` or `True` is refused, not guessed at."""
    raw = scalar(file, node, field)
    if not isinstance(raw, str):
        return raw
    if raw in ("true", "false"):
        return raw == "true"
    file.error_at(node, f"{field.name!r} should be true or false, found {raw!r}")
    return INVALID


def tags(file: FileCheck, node: yaml.Node, field: Field) -> tuple[str, ...] | object:
    """A list of Anki tags, each one word."""
    if not isinstance(node, yaml.SequenceNode):
        file.error_at(node, f"{field.name!r} should be a list like [history, china]")
        return INVALID
    tags: list[str] = []
    for item in node.value:
        raw = scalar(file, item, field)
        if not isinstance(raw, str) or not _TAG.fullmatch(raw):
            if raw is not INVALID:
                file.error_at(item, "a tag is one word without spaces or quotes")
            return INVALID
        tags.append(raw)
    return tuple(tags)


def rules(file: FileCheck, node: yaml.Node, field: Field) -> tuple[str, ...] | object:
    """A list of card-quality rule names, as `allow:` takes them."""
    # A bare `allow: list-answer` is a list of one rule.
    items = [node] if isinstance(node, yaml.ScalarNode) and node.value else None
    if items is None and not isinstance(node, yaml.SequenceNode):
        file.error_at(node, f"{field.name!r} should be a list of rule names like [long-answer]")
        return INVALID
    names: list[str] = []
    bad = False  # every bad name is reported, each on its own line
    for item in items if items is not None else node.value:
        if not isinstance(item, yaml.ScalarNode):
            file.error_at(item, f"each item of {field.name!r} is a rule name like long-answer")
            bad = True
            continue
        raw = scalar(file, item, field)
        if isinstance(raw, str) and raw in RULES:
            names.append(raw)
            continue
        bad = True
        if raw is None or raw == "":
            file.error_at(item, f"empty item in {field.name!r}")
        elif raw is not INVALID:
            close = get_close_matches(str(raw), list(RULES), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else f"rules: {', '.join(RULES)}"
            file.error_at(item, f"unknown rule {raw!r} in {field.name!r}; {hint}")
    return INVALID if bad else tuple(names)


def not_a_list(file: FileCheck, node: yaml.Node, field: Field) -> None:
    """A list's key whose value is not a list: most often its first `-` has no space after
    it (`-Yeast ...`), which YAML reads as text."""
    from studykit.notes.yaml_hints import dash_without_space

    glued = None
    if isinstance(node, yaml.ScalarNode) and not node.style:
        glued = dash_without_space(node.value)
    if glued is not None:
        file.error_at(node, glued[0])
    else:
        file.error_at(node, f"{field.name!r} should be a list (one `- ` per item)")


def texts(file: FileCheck, node: yaml.Node, field: Field) -> tuple[str, ...] | object:
    """A list of text items (citations): each one non-empty text, as written."""
    if not isinstance(node, yaml.SequenceNode):
        not_a_list(file, node, field)
        return INVALID
    texts: list[str] = []
    for item in node.value:
        if reads_as_colon_text(item):
            # A title with a subtitle ("Mao's Great Famine: ...") reads as a mapping.
            file.error_at(item, "put a citation that contains `: ` in quotes")
            return INVALID
        one = text(file, item, field)
        if not isinstance(one, str):
            if one is None:
                file.error_at(item, f"empty item in {field.name!r}")
            return INVALID
        texts.append(one)
    return tuple(texts)


def reads_as_colon_text(node: yaml.Node) -> bool:
    """`- Note: this matters` was meant as text, not as a mapping with the key `Note`."""
    if not isinstance(node, yaml.MappingNode) or len(node.value) != 1:
        return False
    key, value = node.value[0]
    return (
        isinstance(key, yaml.ScalarNode)
        and isinstance(value, yaml.ScalarNode)
        and (key.value not in _POINT_KEYS)
    )


_POINT_KEYS = frozenset(f.name for f in POINT_FIELDS)


def opt_str(value: object) -> str | None:
    """A converted text value, or None where the key was not given."""
    return value if isinstance(value, str) else None


def tags_of(value: object) -> tuple[str, ...]:
    """A converted list value, or () where the key was not given."""
    return value if isinstance(value, tuple) else ()
