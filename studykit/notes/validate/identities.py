"""Two items of one kind in one list with one identity: they would be one Anki note."""

from __future__ import annotations

import yaml

from studykit.notes import invisible
from studykit.notes.model import Point, Question, Term
from studykit.notes.validate.file import FileCheck


def check_identities(
    file: FileCheck, kind: str, items: list[tuple[yaml.Node, Point | Term | Question]]
) -> None:
    """Two items of one kind with one identity would be one Anki note: refuse, naming both.

    Two `id:`s alike are reported at the second `id:`; two texts alike at the second item,
    with the fix that suits them: an `id` apart would make two cards asking the same.
    """
    what = {"points": "cloze point", "terms": "term", "questions": "question"}[kind]
    first: dict[str, tuple[int, str]] = {}  # by the key as compared: the line, the key
    for node, item in items:
        if isinstance(item, Point) and item.cloze is None:
            continue
        # Compared folded, so that text differing only in what nobody sees is one item too;
        # the key itself (the note's GUID) stays as written.
        compared = invisible.fold(item.key)
        line, col = _id_position(node) if item.id else (item.line, 1)
        if compared not in first:
            first[compared] = (line, item.key)
            continue
        earlier, key = first[compared]
        if item.id:
            same = f"has the same id as the one at line {earlier}; give one a distinct `id`"
        else:
            fix = "remove one, or merge the two into one"
            same = f"has the same text as the one at line {earlier}: {fix} {what}"
            if key != item.key:
                same = (
                    f"reads the same as the one at line {earlier} (the two differ only in "
                    f"invisible characters or in how accents are encoded): {fix} {what}"
                )
        file.error(f"{what} {same}", line, col)


def _id_position(node: yaml.Node) -> tuple[int, int]:
    """Where an item's `id:` key is written (1-based), for an item that has one."""
    if isinstance(node, yaml.MappingNode):
        for key, _ in node.value:
            if key.value == "id":
                return key.start_mark.line + 1, key.start_mark.column + 1
    return node.start_mark.line + 1, 1
