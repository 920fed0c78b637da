"""A section's points: their cloze deletions (well formed, not too many, not inside a link's
address, an image or a citation), invisible characters in what a card hides, and a `{{cloze}}`
left in an item's note."""

from __future__ import annotations

import dataclasses
import re

import yaml

from studykit.notes import cloze as cloze_markers
from studykit.notes import invisible
from studykit.notes.fields import POINT_FIELDS
from studykit.notes.model import Point
from studykit.notes.nesting import markdown_limits
from studykit.notes.strict_yaml import child_node
from studykit.notes.validate.file import FileCheck
from studykit.notes.validate.keys import item_mapping
from studykit.notes.validate.values import opt_str, reads_as_colon_text, tags_of, text

# A point written as bare text has no `text:` key to name when it is empty.
_BARE_POINT = dataclasses.replace(POINT_FIELDS[0], required=False)
# A whole `{{...}}` in a note, as a deletion would be written; a lone `{{` is text there.
_NOTE_CLOZE = re.compile(r"(?<!\\)\{\{(?:(?!\{\{).)*?\}\}", re.DOTALL)


def point(file: FileCheck, node: yaml.Node) -> Point | None:
    """One item of `points`, bare text or a mapping; None once its problems are said."""
    read = _point_values(file, node)
    if read is None:
        return None
    values, text_node = read
    written = str(values["text"])
    parsed = None
    if cloze_markers.has_cloze(written):
        parsed = _cloze(file, text_node, written)
        if parsed is None:
            return None
    check_stray_cloze(file, node, values)
    return Point(
        text=written,
        annotation=opt_str(values.get("note")),
        id=opt_str(values.get("id")),
        line=node.start_mark.line + 1,
        cloze=parsed,
        allow=tags_of(values.get("allow")),
    )


def _point_values(file: FileCheck, node: yaml.Node) -> tuple[dict[str, object], yaml.Node] | None:
    """A point's values, written as bare text or as a mapping, and the node of its text."""
    if isinstance(node, yaml.ScalarNode):
        bare = text(file, node, _BARE_POINT)
        if not isinstance(bare, str):
            if bare is None:
                file.error_at(node, "empty point")
            return None
        return {"text": bare}, node
    if reads_as_colon_text(node):
        key = node.value[0][0].value
        file.error_at(
            node,
            f"this point reads as a key {key!r}: put text that contains `: ` in quotes, "
            f'e.g. - "{key}: ..."',
        )
        return None
    values = item_mapping(file, node, POINT_FIELDS, "point", "{text: ..., note: ...}")
    if values is None:
        return None
    return values, child_node(node, "text") if isinstance(node, yaml.MappingNode) else node


def _cloze(file: FileCheck, node: yaml.Node, text: str) -> cloze_markers.Cloze | None:
    """The deletions of a point's text; None once a problem with them is said."""
    try:
        parsed = cloze_markers.parse_cloze(text)
    except cloze_markers.ClozeError as exc:
        line, col = file.position(node, exc.offset)
        near = " ".join(text[exc.offset : exc.offset + 30].split())
        file.error(f"cloze: {exc.message}, at {near!r}", line, col)
        return None
    if len(parsed.deletions) > cloze_markers.MAX_DELETIONS:
        too_many_deletions(file, node, parsed)
        return None
    if ("](" in text or "<" in text) and not check_addresses(file, node, parsed):
        return None
    if "@" in text and not check_citations(file, node, text, parsed):
        return None
    if too_deep := markdown_limits(text, parsed):
        file.error_at(node, too_deep)
        return None
    check_invisible(file, node, text, invisible.in_deletions(text, parsed))
    return parsed


def too_many_deletions(file: FileCheck, node: yaml.Node, cloze: cloze_markers.Cloze) -> None:
    """Refuse a point of more deletions than one point may have, at the first one past the
    bound: each makes a card showing the whole point."""
    limit = cloze_markers.MAX_DELETIONS
    first_over = cloze.deletions[limit]
    file.error(
        f"cloze: this point has {len(cloze.deletions):,} deletions, more than the {limit} "
        f"one point may have (each deletion is a card showing the whole point), and this "
        f"is deletion {limit + 1}, {{{{{first_over.answer[:30]}}}}}: split the point "
        "into several",
        *file.position(node, first_over.start),
    )


# Where a `{{cloze}}` makes no card, and what the message calls that place and such text.
_NO_CLOZE = {
    "note": ("a note", "an annotation"),
    "q": ("a question", "a question"),
    "a": ("an answer", "an answer"),
    "term": ("a term", "a term"),
    "definition": ("a definition", "a definition"),
}


def check_stray_cloze(file: FileCheck, node: yaml.Node, values: dict[str, object]) -> None:
    """A `{{cloze}}` in an item's field other than a point's text (`values`, as read): such
    a field is shown as written on its card, so the marker would print raw on every card and
    handout; only a point's text makes cloze cards."""
    if not isinstance(node, yaml.MappingNode):
        return  # a point written as plain text: no field but its text
    for key, (place, such) in _NO_CLOZE.items():
        written = values.get(key)
        if not isinstance(written, str) or "{{" not in written:
            continue  # most fields: nothing to look for in the node
        child = next((v for k, v in node.value if k.value == key), None)
        found = _NOTE_CLOZE.search(child.value) if isinstance(child, yaml.ScalarNode) else None
        if child is None or found is None:
            continue
        line, col = file.position(child, found.start())
        file.error(
            f"cloze: {found.group()} is in {place}: a cloze in {such} makes no card and "
            "prints as written; put it in a point's text, or write \\{{ to show the braces",
            line,
            col,
        )


def check_invisible(
    file: FileCheck, node: yaml.Node, text: str, found: list[tuple[int, str]]
) -> None:
    """Warn where a term or a deletion holds a character that shows as nothing."""
    if not found:
        return
    # `text` is the value stripped of the spaces around it; offsets count in the value.
    lead = max(str(node.value).find(text), 0)
    for offset, message in found:
        line, col = file.position(node, lead + offset)
        file.warn(message, line, col)


def check_addresses(file: FileCheck, node: yaml.Node, cloze: cloze_markers.Cloze) -> bool:
    """Refuse deletions in a link's address or title, or in an image: no card can hide
    part of one."""
    from studykit.notes.markup import deletions_in_links

    misplaced = deletions_in_links(cloze)
    for deletion, where in misplaced.items():
        fix = (
            "put the `{{...}}` in the text beside the image"
            if where == "an image"
            else "put the `{{...}}` around the link's text instead, e.g. "
            "[{{the guide}}](https://example.com)"
        )
        file.error(
            f"cloze: {{{{{deletion.answer}}}}} is inside {where}, which a card cannot hide; {fix}",
            *file.position(node, deletion.start),
        )
    return not misplaced


def check_citations(
    file: FileCheck, node: yaml.Node, text: str, cloze: cloze_markers.Cloze
) -> bool:
    """Refuse deletions inside a citation or across its edge: the citation style writes
    the citation anew, so no card can hide part of one."""
    from studykit.notes.citations import deletions_in_citations

    misplaced = deletions_in_citations(text, cloze, file.narrative_citations)
    lead = max(str(node.value).find(text), 0) if misplaced else 0  # offsets in the value
    for deletion, where in misplaced.items():
        file.error(
            f"cloze: {{{{{deletion.answer}}}}} {where}, which the citation style writes "
            "out anew: a card can hide a whole citation, not part of one; put the `{{...}}` "
            "around the whole citation or beside it",
            *file.position(node, lead + deletion.start),
        )
    return not misplaced
