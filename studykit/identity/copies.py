"""Two readings that make the same Anki notes: a reading folder copied to start the next one
carries its identity record along. Only the copy is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from studykit.errors import Problem, display_path
from studykit.identity.library import other_records
from studykit.identity.record import MAX_KEY_CHARS, Record, guid_for, is_digest, kinds, record_key
from studykit.notes.model import Reading


def derived_clashes(reading: Reading, record: Record) -> list[Problem]:
    """What deck would refuse in a reading with no record: an item's GUID, derived from this
    reading's name, that another reading's record holds (one renamed from this name)."""
    if not other_records(reading):
        return []  # the common case, with nothing to derive
    held: dict[str, str] = {}
    located: dict[str, tuple[Path, int]] = {}
    for section in reading.sections:
        for kind, items in kinds(section):
            for item in items:
                key = f"{section.id}/{kind}/{item.key}"
                held[key] = guid_for(f"{reading.id}/{key}")
                located[key] = (section.path, item.line)
    return copied_guids(reading, record, held, located)


def copied_guids(
    reading: Reading,
    record: Record,
    held: Mapping[str, str],
    located: Mapping[str, tuple[Path, int]],
) -> list[Problem]:
    """The GUIDs of this reading that another reading's record also holds: one problem for
    each other record, or one for each item that has no line in this record.

    A reading folder copied to start the next one carries its identity record along: both
    readings would then make the same Anki notes, and importing one deck would overwrite the
    other's notes (their review history going to the other text). `held` maps this reading's
    section/kind/key to its GUID (its items' notes, not the lines of items gone since); an item
    whose GUID no line of the record gives is located by `located`.

    Only the copy is refused: when this reading's record shows it is the original (`_copied`),
    the copy reports the clash when it builds or is checked, and this reading is built and
    reviewed as if there were no copy. A copy whose items were all rewritten holds none of the
    original's notes: neither reading is refused, and its next build drops the old lines.
    """
    others = other_records(reading)
    if not others:
        return []
    problems: list[Problem] = []
    # The line of this record that gives each GUID: an item that inherited the note of a
    # line under its old text (when given an `id:`) is that line's.
    at_line: dict[str, int] = {}
    for key, guid in record.guids.items():
        line = record.lines[key]
        if guid not in at_line or line < at_line[guid]:
            at_line[guid] = line
    clashes: dict[Path, list[tuple[int, int]]] = {}  # other record -> (this line, its line)
    for key, guid in held.items():
        there = others.get(guid)
        if there is None:
            continue
        other_path, other_line = there
        ours = at_line.get(guid)
        if ours is None:
            # No line of ours: the item derives the GUID from this reading's name, which a
            # reading renamed from it keeps in its record.
            where = located.get(key, (record.path, 0))
            fix = "change its `id:`" if "/id:" in key else "give it an `id:` or reword it"
            also = f"{display_path(other_path)} line {other_line}'s"
            message = (
                f"this item's note ({guid}) is also {also}: the two readings would be one set "
                f"of Anki notes; {fix}, or delete that line"
            )
            problems.append(Problem(where[0], where[1], 1, message))
            continue
        clashes.setdefault(other_path, []).append((ours, other_line))
    for other_path, found in clashes.items():
        problem = _copied_record(reading, record, other_path, others.lines(other_path), found)
        if problem is not None:
            problems.append(problem)
    return sorted(problems, key=lambda p: (str(p.path), p.line))


def _copied(reading: Reading, record: Record, other: Path, theirs: Mapping[str, int]) -> str:
    """Which of two records sharing GUIDs is the copy: "other", "this" or "" (not known).

    GUIDs a reading made from its own name tell: every line of this record is looked at, the
    lines of items gone since too (a copy whose items were reworded keeps the original's lines
    until it is built), while an item reworded before the copy keeps a GUID made from neither
    name. The original's record is never the one to delete."""
    name = other.parent.name
    mine = copy = False
    whole: dict[str, str] | None = None
    for key, guid in record.guids.items():
        if guid in theirs:
            if is_digest(key):
                # A digest: a GUID derives from the whole key, which an item of the reading
                # or a line of the older form spells out. An item gone since, recorded as a
                # digest, cannot tell.
                whole = _whole_keys(reading, record) if whole is None else whole
                if key not in whole:
                    continue
                key = whole[key]
            made_here = guid == guid_for(f"{reading.id}/{key}")
            made_there = guid == guid_for(f"{name}/{key}")
            mine = mine or (made_here and not made_there)
            copy = copy or (made_there and not made_here)
    if mine == copy:
        return ""
    return "other" if mine else "this"


def _whole_keys(reading: Reading, record: Record) -> dict[str, str]:
    """The whole section/kind/key of each digest the reading's items or the record's lines of
    the older form spell out."""
    whole = dict(record.whole)
    for section in reading.sections:
        for kind, items in kinds(section):
            for item in items:
                if len(item.key) > MAX_KEY_CHARS:
                    local = f"{section.id}/{kind}/{item.key}"
                    whole[record_key(local)] = local
    return whole


def _copied_record(
    reading: Reading,
    record: Record,
    other: Path,
    theirs: Mapping[str, int],
    found: list[tuple[int, int]],
) -> Problem | None:
    """One line for every GUID this reading's items share with the `other` reading's record,
    at the first; None when the other record is the copy (it is refused, not this one)."""
    copy = _copied(reading, record, other, theirs)
    if copy == "other":
        return None
    found = sorted(found)
    many = len(found) > 1
    lines = "lines" if many else "line"
    if copy == "this":
        advice = f"delete {display_path(record.path)} (its cards get new identities) or the {lines}"
    else:
        advice = (
            "delete the record of the reading that was copied from the other (its cards get new "
            f"identities) or the {lines}"
        )
    line, other_line = found[0]
    more = f" (and {len(found) - 1} more of this record's, to line {found[-1][0]})" if many else ""
    return Problem(
        record.path,
        line,
        1,
        f"this GUID is also {display_path(other)} line {other_line}'s{more}: a copied record "
        f"makes the two readings one set of Anki notes; {advice}",
    )
