"""The identity record is always one studykit reads back: whatever notes pass `check`, `deck`
writes a record within the bound its loader keeps, or `check` and `deck` refuse the reading in
one line. An item's long text is recorded by its digest, and a record written before that, with
every text whole, keeps every item's note and is rewritten short.

The audit's case: 39 section files of 100 points of some 8,800 characters, each file within the
notes limits, made a 33 MB record that the next `deck` and `check` refused (over the 32 MB a
record holds). Here it is at a fortieth, with the bound made smaller to match.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import DATA, Runner
from growth import assert_doubling, cpu_seconds

from studykit.identity import RECORD_FILE, guid_for, read_record

LONG = "and the words go on " * 440  # the audit's points: 8,800 characters and more


def _long_points(notes: Path, sections: int, points: int) -> None:
    """The audit's reading: `sections` files of `points` long cloze points each."""
    reading = notes / "r"
    reading.mkdir(parents=True)
    (reading / "reading.yaml").write_text("title: Big\n", encoding="utf-8")
    for s in range(1, sections + 1):
        lines = [f"title: Section {s}\n", "points:\n"]
        lines += [
            f"  - Point {i} of section {s}, the harvest of {{{{{1000 + i}}}}} {LONG}.\n"
            for i in range(points)
        ]
        (reading / f"{s:02d}-s{s}.yaml").write_text("".join(lines), encoding="utf-8")


def _guids(record: Path) -> dict[str, str]:
    """The record's lines: key (as written, words and all) -> GUID."""
    lines = record.read_text(encoding="utf-8").splitlines()
    return dict(line.split("\t") for line in lines if not line.startswith("#"))


def test_a_reading_of_long_points_builds_twice_and_checks(
    here: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fortieth of the audit's notes against a fortieth of its bound: written whole, their
    # record would be 868 KB, over the 800 KB.
    monkeypatch.setattr("studykit.identity.record.MAX_RECORD_BYTES", 800 << 10)
    _long_points(here / "notes", sections=1, points=100)
    record = here / "notes" / "r" / RECORD_FILE
    first = run("deck")
    assert first.exit_code == 0, first
    written = record.read_bytes()
    # The header, then a line of a digest, the first words (58 or 59 characters) and the GUID.
    assert len(written) == 294 + 10 * 132 + 90 * 133
    guids = _guids(record)
    assert len(guids) == 100
    text = f"Point 7 of section 1, the harvest of 1007 {LONG}."
    key = "s1/cloze/text:" + " ".join(text.split())
    # What every build on every machine writes for this item: its digest and first words,
    # then the GUID its identity derives (unchanged since the record spelled out the text).
    line = (
        "s1/cloze/text#098d47dd397fc041439361d9fecf3726 Point 7 of section 1, the harvest of "
        "1007 and the words go…"
    )
    assert guids[line] == guid_for(f"r/{key}") == "sk33ad639698085551f059"

    second = run("deck")
    assert second.exit_code == 0, second
    assert "up to date" in second.stdout, second
    check = run("check")
    assert check.exit_code == 0, check
    assert record.read_bytes() == written  # the same notes, the same GUIDs


def test_a_record_of_whole_texts_keeps_every_note_and_is_rewritten_short(
    here: Path, run: Runner
) -> None:
    """tests/data/old_record was built by studykit before long keys were digested, as
    "famine", then renamed "leap" and given an `id:` (`lushan`): three of its GUIDs derive
    from the old name, one came from the text of the item now `id: lushan`."""
    shutil.copytree(DATA / "old_record" / "notes", here / "notes")
    record = here / "notes" / "leap" / RECORD_FILE
    old = record.read_text(encoding="utf-8")
    assert old.count("\tsk") == 6 and "text#" not in old
    result = run("deck")
    assert result.exit_code == 0, result
    assert "6 notes, 6 of them named in the identity record" in result.stdout, result
    assert record.read_text(encoding="utf-8").splitlines()[4:] == [
        "causes/cloze/id:lushan\tsk7ce166c5bbce99c66d73",
        "causes/cloze/text#3d70a687c9c44abe8d540e71a786e34c Procurement in 1959 took about a "
        "third of the grain that was…\tskc3d79d9176e8e995667f",
        "causes/cloze/text#87635b99c6e05d2aeed4bfb7a8d5f083 The Great Leap Forward of 1958 set "
        "grain and steel targets…\tsk003be3c94f85728371e5",
        "causes/cloze/text:The communes were set up in 1958.\tsk92972776535f6a55934d",
        "causes/question/text#71c8df0b7d3c40258ce058528bd0ea11 Why did the procurement quotas "
        "of 1959 and 1960 stay high…\tsk6398434592238cf93958",
        "causes/term/text:Mess hall\tsk792355e35d7be7c4d8ed",
    ]
    # The long items' GUIDs are the old name's, which nothing but the record keeps.
    procurement = next(k for k in old.splitlines() if k.startswith("causes/cloze/text:Proc"))
    assert guid_for("famine/" + procurement.split("\t")[0]) == "skc3d79d9176e8e995667f"
    assert guid_for("leap/" + procurement.split("\t")[0]) != "skc3d79d9176e8e995667f"

    again = run("deck")
    assert again.exit_code == 0, again
    assert "up to date" in again.stdout, again
    check = run("check")
    assert check.exit_code == 0, check


def test_a_long_point_given_an_id_keeps_the_note_of_its_whole_text(here: Path, run: Runner) -> None:
    """An item of a record of the older form given an `id:` before the first build since
    inherits its note from the whole text's line, as from a digest's."""
    shutil.copytree(DATA / "old_record" / "notes", here / "notes")
    section = here / "notes" / "leap" / "01-causes.yaml"
    notes = yaml.safe_load(section.read_text(encoding="utf-8"))
    notes["points"][2] = {"id": "procurement", "text": notes["points"][2]}
    section.write_text(yaml.safe_dump(notes, sort_keys=False, width=10**4), encoding="utf-8")
    assert run("check").exit_code == 0
    result = run("deck")
    assert result.exit_code == 0, result
    record = here / "notes" / "leap" / RECORD_FILE
    assert "causes/cloze/id:procurement\tskc3d79d9176e8e995667f" in record.read_text("utf-8")


def _new_record(here: Path, run: Runner, points: list[str]) -> Path:
    reading = here / "notes" / "r"
    reading.mkdir(parents=True, exist_ok=True)
    (reading / "reading.yaml").write_text("title: R\n", encoding="utf-8")
    (reading / "01-s.yaml").write_text(
        "title: S\npoints:\n" + "".join(f"  - {p}\n" for p in points), encoding="utf-8"
    )
    result = run("deck")
    assert result.exit_code == 0, result
    return reading / RECORD_FILE


def test_a_long_point_given_an_id_and_reworded_keeps_its_note(here: Path, run: Runner) -> None:
    """Given an `id:` and reworded at once, a long point inherits the note of the one item of
    its section gone since, whose line is a digest."""
    first = f"The {{{{harvest}}}} of 1959 {LONG}."
    record = _new_record(here, run, [first, "The {{communes}} began in 1958."])
    guid = guid_for("r/s/cloze/text:" + " ".join(first.replace("{", "").replace("}", "").split()))
    assert guid in record.read_text(encoding="utf-8")
    reworded = f"id: harvest\n    text: The {{{{harvest}}}} of 1960 {LONG}."
    _new_record(here, run, [reworded, "The {{communes}} began in 1958."])
    assert f"s/cloze/id:harvest\t{guid}" in record.read_text(encoding="utf-8")


def test_a_point_with_a_slash_given_an_id_and_reworded_keeps_its_note(
    here: Path, run: Runner
) -> None:
    """A text with a `/` (a date, a fraction) is an item gone since like any other."""
    record = _new_record(here, run, ["About {{1/3}} of the harvest was taken."])
    guid = guid_for("r/s/cloze/text:About 1/3 of the harvest was taken.")
    assert guid in record.read_text(encoding="utf-8")
    _new_record(here, run, ["id: share\n    text: About {{a third}} of the harvest was taken."])
    assert f"s/cloze/id:share\t{guid}" in record.read_text(encoding="utf-8")


def test_a_copied_reading_of_long_points_is_told_to_delete_its_record(
    here: Path, run: Runner
) -> None:
    """Whose a shared digest's GUID is, the item's whole text tells, as a whole key's did."""
    point = f"The {{{{harvest}}}} of 1959 {LONG}."
    _new_record(here, run, [point])
    shutil.copytree(here / "notes" / "r", here / "notes" / "w")
    (here / "notes" / "w" / "reading.yaml").write_text("title: W\n", encoding="utf-8")
    for command in (("check",), ("deck", "w")):
        result = run(*command)
        assert result.exit_code == 1, result
        assert [x for x in result.stderr.splitlines() if ": error: " in x] == [
            f"notes/w/{RECORD_FILE}:5:1: error: this GUID is also notes/r/{RECORD_FILE} line "
            "5's: a copied record makes the two readings one set of Anki notes; delete "
            f"notes/w/{RECORD_FILE} (its cards get new identities) or the line"
        ], command
    assert run("deck", "r").exit_code == 0


# A section whose `id:` is 9,000 characters: each item's line repeats it.
LONG_ID = "a" * 9_000
SIZE = (
    f"notes/r/{RECORD_FILE}: error: the identity record of this reading's 120 items would be "
    "1.1 MB, more than the 1 MB a record holds: split the reading into two reading folders"
)


def _long_section_id(here: Path) -> None:
    reading = here / "notes" / "r"
    reading.mkdir(parents=True)
    (reading / "reading.yaml").write_text("title: R\n", encoding="utf-8")
    points = "".join(f"  - Point {{{{{i}}}}} is here.\n" for i in range(120))
    excerpt = "  An excerpt that makes the notes larger.\n" * 1_000
    (reading / "01-s.yaml").write_text(
        f"id: {LONG_ID}\ntitle: S\nexcerpt: |\n{excerpt}points:\n{points}", encoding="utf-8"
    )


def test_a_record_over_the_bound_is_refused_by_check_and_deck_alike(
    here: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Notes within every notes limit whose record would be over the bound: `check` says so,
    `deck` refuses in the same line and writes nothing, with or without a record."""
    _long_section_id(here)
    monkeypatch.setattr("studykit.identity.record.MAX_RECORD_BYTES", 1 << 20)
    for command in ("check", "deck"):
        result = run(command)
        assert result.exit_code == 1, result
        assert [x for x in result.stderr.splitlines() if ": error: " in x] == [SIZE], command
    assert not (here / "notes" / "r" / RECORD_FILE).exists()
    assert not (here / "cards").exists()

    # Written under a larger bound, the record is read (it is within what these notes allow)
    # and the reading refused as before, the record left as it was.
    monkeypatch.setattr("studykit.identity.record.MAX_RECORD_BYTES", 2 << 20)
    assert run("deck").exit_code == 0
    record = here / "notes" / "r" / RECORD_FILE
    written = record.read_bytes()
    monkeypatch.setattr("studykit.identity.record.MAX_RECORD_BYTES", 1 << 20)
    for command in ("check", "deck"):
        result = run(command)
        assert result.exit_code == 1, result
        assert [x for x in result.stderr.splitlines() if ": error: " in x] == [SIZE], command
    assert record.read_bytes() == written


def test_a_record_of_whole_texts_over_the_bound_is_read_and_rewritten_short(
    here: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The audit's record, as studykit wrote it before (every text whole, over the bound),
    with GUIDs of a reading renamed since: read, every item keeps its note."""
    monkeypatch.setattr("studykit.identity.record.MAX_RECORD_BYTES", 800 << 10)
    _long_points(here / "notes", sections=1, points=100)
    record = here / "notes" / "r" / RECORD_FILE
    whole = []
    for i in range(100):
        text = f"Point {i} of section 1, the harvest of {1000 + i} {LONG}."
        key = "s1/cloze/text:" + " ".join(text.split())
        whole.append(f"{key}\t{guid_for('renamed/' + key)}\n")
    from studykit.identity import HEADER

    record.write_text(HEADER + "".join(sorted(whole)), encoding="utf-8")
    assert record.stat().st_size > 800 << 10
    result = run("deck")
    assert result.exit_code == 0, result
    assert "100 of them named in the identity record" in result.stdout, result
    kept = sorted(_guids(record).values())
    assert kept == sorted(line.split("\t")[1].strip() for line in whole)
    assert record.stat().st_size == 13_584
    assert run("check").exit_code == 0


def test_a_record_many_times_its_readings_notes_is_not_read(
    here: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The allowance for a record of whole texts is what the notes could have made: twice
    their size besides the bound. A larger file is refused unread, as any over the bound was."""
    monkeypatch.setattr("studykit.identity.record.MAX_RECORD_BYTES", 1 << 20)
    _long_points(here / "notes", sections=1, points=10)
    notes = sum(p.stat().st_size for p in (here / "notes" / "r").glob("*.yaml"))
    assert notes == 88_556
    record = here / "notes" / "r" / RECORD_FILE
    with record.open("wb") as file:
        file.truncate((1 << 20) + 2 * notes)  # sparse: no byte is written
    assert [why for _, why in read_record(record).damaged] == [
        "a line that is not `section/kind/key<TAB>GUID`"  # read, and nothing like a record
    ]
    with record.open("r+b") as file:
        file.truncate((1 << 20) + 2 * notes + 1)
    assert read_record(record).damaged == ((0, "it is 2 MB, more than the 1 MB a record holds"),)
    result = run("check")
    assert result.exit_code == 1, result
    [error] = [x for x in result.stderr.splitlines() if ": error: " in x]
    assert error.startswith(
        f"notes/r/{RECORD_FILE}: error: identity record: it is 2 MB, more than the 1 MB a "
        "record holds; it may hold the note of cloze "
    ), error


def test_a_line_is_read_in_linear_time() -> None:
    """A damaged line (spaces, no tab) of any length is looked at once, not once per space."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        record = Path(folder) / RECORD_FILE

        def seconds(n: int) -> float:
            record.write_text("s/cloze/text:" + " a" * n + "\n", encoding="utf-8")
            return cpu_seconds(lambda: read_record(record))

        assert_doubling(seconds, 1_000_000, "reading a record's line", "a record's line")
