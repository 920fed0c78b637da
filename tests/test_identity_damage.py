"""A damaged identity record: the exact line the student reads, and which note each item keeps.

The record decides which Anki note (and review history) each item has, so every way it can be
damaged must stop the build with one line saying where and what to do, and every way it can be
merely unusual (a byte order mark, a line left from another branch) must keep each item's note.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Runner

from studykit.cards import derive_notes
from studykit.identity import Record, guid_for, resolve
from studykit.notes.validate import load_reading

RECORD = "notes/demo/identities.lock"
FIX = (
    ". Fix it (keep one side of a merge conflict), or delete it to give those items new notes "
    "in Anki and review"
)
QUESTION = "basics/question/text:Why did output fall?"


def _lines(notes: Path) -> list[str]:
    return (notes / "demo" / "identities.lock").read_text(encoding="utf-8").splitlines()


def _write(notes: Path, lines: list[str]) -> None:
    (notes / "demo" / "identities.lock").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def recorded(notes: Path, run: Runner) -> list[str]:
    """The demo built once: its record's lines."""
    result = run("deck")
    assert result.exit_code == 0, result
    return _lines(notes)


def _refused(run: Runner) -> str:
    result = run("deck")
    assert result.exit_code == 1, result
    [line] = result.stderr.splitlines()  # one line, saying why
    return line


def test_a_malformed_line_names_the_item_it_may_hold(
    notes: Path, run: Runner, recorded: list[str]
) -> None:
    lines = [x.replace(f"{QUESTION}\t", f"{QUESTION} ") for x in recorded]
    number = next(i for i, x in enumerate(lines, 1) if x.startswith(QUESTION))
    _write(notes, lines)
    assert _refused(run) == (
        f"{RECORD}:{number}:1: error: identity record: a line that is not "
        "`section/kind/key<TAB>GUID` on this line; it may hold the note of question "
        f"'Why did output fall?' (01-basics.yaml:17){FIX}"
    )


def test_several_unsure_items_are_counted(notes: Path, run: Runner, recorded: list[str]) -> None:
    kept = [x for x in recorded if "term/text:no\t" not in x and "One more?" not in x]
    lines = [x.replace(f"{QUESTION}\t", f"{QUESTION} ") for x in kept]
    number = next(i for i, x in enumerate(lines, 1) if x.startswith(QUESTION))
    _write(notes, lines)
    assert _refused(run) == (
        f"{RECORD}:{number}:1: error: identity record: a line that is not "
        "`section/kind/key<TAB>GUID` on this line; it may hold the note of term 'no' "
        f"(01-basics.yaml:14) and 2 more{FIX}"
    )


def test_two_notes_for_one_item_name_both_lines(
    notes: Path, run: Runner, recorded: list[str]
) -> None:
    first = next(i for i, x in enumerate(recorded, 1) if x.startswith("basics/term/text:no\t"))
    _write(notes, [*recorded, "basics/term/text:no\tsk0000000000000000000a"])
    assert _refused(run) == (
        f"{RECORD}:{len(recorded) + 1}:1: error: identity record: a second note for the item "
        f"on line {first} on this line; it may hold the note of term 'no' (01-basics.yaml:14)"
        f"{FIX}"
    )


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("folder", "Is a directory"),
        ("bytes", "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"),
    ],
)
def test_an_unreadable_record_stops_the_build(
    notes: Path, run: Runner, recorded: list[str], damage: str, reason: str
) -> None:
    path = notes / "demo" / "identities.lock"
    path.unlink()
    if damage == "folder":
        path.mkdir()
    else:
        path.write_bytes(b"\xff\xfe")
    assert _refused(run) == (
        f"{RECORD}: error: identity record: the file cannot be read ({reason}); it may hold the "
        f"note of cloze 'The Lushan conference met in 1959.' (01-basics.yaml:7) and 6 more{FIX}"
    )


def test_a_long_label_is_cut_in_the_message(notes: Path, run: Runner) -> None:
    question = "Why " + "very " * 20 + "long?"
    section = notes / "demo" / "02-more.yaml"
    section.write_text(
        section.read_text(encoding="utf-8").replace("One more?", question), encoding="utf-8"
    )
    assert run("deck").exit_code == 0
    _write(notes, [x + " x" if "very very" in x else x for x in _lines(notes)])
    message = _refused(run)
    assert f"question {question[:50]!r} (02-more.yaml:7)." in message, message


def test_byte_order_mark_and_merge_leftovers_keep_every_note(
    notes: Path, run: Runner, recorded: list[str]
) -> None:
    data = [x for x in recorded if not x.startswith("#")]
    # An editor's byte order mark before the first item, a resolved conflict's stray marker.
    path = notes / "demo" / "identities.lock"
    path.write_text("\ufeff" + "\n".join([*data[:3], "=======", *data[3:]]) + "\n", "utf-8")
    result = run("deck")
    assert result.exit_code == 0, result
    assert "up to date" in result.stdout, f"every note kept, the deck unchanged: {result}"
    assert [x for x in _lines(notes) if not x.startswith("#")] == data, "the record is tidied"


def test_an_item_given_an_id_keeps_its_own_line_over_a_leftover_text_line(notes: Path) -> None:
    section = notes / "demo" / "02-more.yaml"
    section.write_text(
        section.read_text(encoding="utf-8").replace(
            "  - q: One more?", "  - id: more\n    q: One more?"
        ),
        encoding="utf-8",
    )
    # A merge kept both the line of the id and the line the item had before it got the id.
    (notes / "demo" / "identities.lock").write_text(
        "more-things/question/id:more\tskaaaaaaaaaaaaaaaaaaaa\n"
        "more-things/question/text:One more?\tskbbbbbbbbbbbbbbbbbbbb\n",
        encoding="utf-8",
    )
    reading = load_reading(notes / "demo")
    guids = resolve(reading, derive_notes(reading)).guids
    assert guids["demo/more-things/question/id:more"] == "skaaaaaaaaaaaaaaaaaaaa", guids


def test_one_note_is_inherited_by_one_item_only(notes: Path) -> None:
    """Two items given ids and reworded in one build cannot both take the one note that left."""
    section = notes / "demo" / "02-more.yaml"
    text = section.read_text(encoding="utf-8").replace(
        "  - q: One more?\n    a: Yes.\n",
        "  - id: first\n    q: One more, reworded?\n    a: Yes.\n"
        "  - id: second\n    q: Another one?\n    a: No.\n",
    )
    section.write_text(text, encoding="utf-8")
    (notes / "demo" / "identities.lock").write_text(
        "more-things/question/text:One more?\tskbbbbbbbbbbbbbbbbbbbb\n", encoding="utf-8"
    )
    reading = load_reading(notes / "demo")
    guids = resolve(reading, derive_notes(reading)).guids
    first, second = "demo/more-things/question/id:first", "demo/more-things/question/id:second"
    assert guids[first] == "skbbbbbbbbbbbbbbbbbbbb", f"the first takes the note: {guids}"
    assert guids[second] == guid_for(second), f"the second gets a new one: {guids}"


def test_two_unsure_items_are_one_and_1_more(notes: Path, run: Runner, recorded: list[str]) -> None:
    kept = [x for x in recorded if "term/text:no\t" not in x]
    lines = [x.replace(f"{QUESTION}\t", f"{QUESTION} ") for x in kept]
    number = next(i for i, x in enumerate(lines, 1) if x.startswith(QUESTION))
    _write(notes, lines)
    assert _refused(run) == (
        f"{RECORD}:{number}:1: error: identity record: a line that is not "
        "`section/kind/key<TAB>GUID` on this line; it may hold the note of term 'no' "
        f"(01-basics.yaml:14) and 1 more{FIX}"
    )


def test_a_record_that_cannot_be_written_is_named(
    notes: Path, run: Runner, recorded: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (notes / "demo" / "identities.lock").unlink()
    (notes / "demo" / "identities.lock").mkdir()  # a folder where the record goes
    (notes / "demo" / "identities.lock" / "x").write_text("", encoding="utf-8")
    monkeypatch.setattr("studykit.identity.settle.read_record", lambda path: Record(path, {}))
    result = run("deck")
    assert result.exit_code == 1, result
    assert result.stderr.startswith(
        f"{RECORD}: error: will not write the identity record over a folder; "
        "give the path of a file\n"
    ), result


def test_a_record_far_larger_than_any_readings_is_not_read(
    notes: Path, run: Runner, recorded: list[str]
) -> None:
    """Read, a record of hundreds of megabytes took gigabytes of memory (a MemoryError under a
    cap): one over the bound is refused unread, in one line."""
    from studykit.identity import MAX_RECORD_BYTES

    with (notes / "demo" / "identities.lock").open("r+b") as record:
        record.truncate(MAX_RECORD_BYTES + (8 << 20))  # sparse: nothing is written
    size = (MAX_RECORD_BYTES >> 20) + 8
    line = _refused(run)
    assert line.startswith(
        f"{RECORD}: error: identity record: it is {size} MB, more than the "
        f"{MAX_RECORD_BYTES >> 20} MB a record holds; it may hold the note of "
    ), line
    check = run("check")
    assert check.exit_code == 1, check
    assert [x for x in check.stderr.splitlines() if ": error: " in x] == [line]


def test_a_record_damaged_on_every_line_is_named_at_its_first_lines(
    notes: Path, run: Runner, recorded: list[str]
) -> None:
    _write(notes, ["garbage"] * 5_000)
    result = run("deck")
    assert result.exit_code == 1, result
    errors = result.stderr.splitlines()
    assert [x.split(":")[1] for x in errors] == [str(n) for n in range(1, 21)]
    assert errors[-1].endswith(f"{FIX} (4,980 more damaged lines)"), errors[-1]
