"""How a library's readings are shared with the second process (`notes.sharing`): where the cut
falls, and a reading cut in two read as it is read whole."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from studykit.command import running
from studykit.identity import RECORD_FILE, read_record
from studykit.notes.sharing import SharedReadings, Split, _jobs
from studykit.notes.validate import check_reading

DEMO = Path(__file__).parent / "data" / "notes" / "demo"


def plan(weights: list[int], theirs: float = 0.5) -> tuple[int, int | None, list[object]]:
    """Where the second process's jobs begin, the reading cut in two, and the parts' ranges."""
    folders = [Path(f"r{i}") for i in range(len(weights))]
    jobs, split, cut = _jobs(folders, weights, theirs)
    return split, cut, [job.part for job in jobs if job.part is not None]


def test_a_library_of_small_readings_is_cut_between_readings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("STUDYKIT_PROCESSES", raising=False)
    assert plan([21] * 100) == (50, None, []), "the benchmark's wide shape: 50 readings each"
    assert plan([30, 30, 30, 30]) == (2, None, [])
    # The cut falls 10 files into a reading of 40: too small to cut, it goes to the nearer side.
    assert plan([60, 40, 40]) == (1, None, [])
    assert plan([60, 40, 40], theirs=0.4) == (2, None, [])


def test_a_large_reading_is_cut_where_the_halves_meet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STUDYKIT_PROCESSES", raising=False)
    assert plan([2001]) == (1, 0, [(0, 1000), (1000, None)]), "the deep shape"
    assert plan([150, 10]) == (1, 0, [(0, 80), (80, None)])
    assert plan([30, 200]) == (2, 1, [(0, 85), (85, None)])


def test_nothing_is_shared_below_the_threshold_unless_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("STUDYKIT_PROCESSES", raising=False)
    assert plan([40, 40]) == (2, None, []), "80 files: all in this process"
    monkeypatch.setenv("STUDYKIT_PROCESSES", "2")
    assert plan([5]) == (1, 0, [(0, 2), (2, None)]), "=2 shares any size, a reading too"
    monkeypatch.setenv("STUDYKIT_PROCESSES", "1")
    assert plan([2001]) == (1, None, [])


def test_all_to_the_second_process_while_this_one_does_other_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A pull gives every reading to the second process and reads the Anki file meanwhile."""
    monkeypatch.delenv("STUDYKIT_PROCESSES", raising=False)
    assert plan([150, 10], theirs=1.0) == (0, None, [])


def _long_reading(folder: Path, sections: int) -> None:
    shutil.copytree(DEMO, folder, ignore=shutil.ignore_patterns("identities.lock", "0*"))
    template = (DEMO / "02-more.yaml").read_text().replace("id: more-things\n", "")
    for number in range(1, sections + 1):
        text = template.replace("a: Yes.", f"a: Yes, in part {number}.")
        if number == 7:
            text = text.replace("a: Yes", "a: [Yes")  # an error in the second process's part
        (folder / f"{number:02d}-part-{number}.yaml").write_text(text)


def test_a_reading_cut_in_two_reads_as_it_reads_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = tmp_path / "notes"
    small = notes / "demo"
    shutil.copytree(DEMO, small, ignore=shutil.ignore_patterns("identities.lock"))
    _long_reading(notes / "long", 12)
    folders = [small, notes / "long"]
    calls: list[tuple[str, str]] = []

    def work(folder: Path, split: Split | None) -> tuple[object, ...]:
        reading, problems = check_reading(folder, read=None if split is None else split.read)
        sections = None if reading is None else [s.id for s in reading.sections]
        messages = [(p.path.name, p.line, p.message) for p in problems]
        taken = None if split is None else (split.before, split.meanwhile)
        return sections, messages, taken

    def before(folder: Path) -> str:
        calls.append(("before", folder.name))
        return f"taken of {folder.name}"

    def meanwhile(folder: Path) -> int:
        calls.append(("meanwhile", folder.name))
        return os.getpid()

    monkeypatch.setenv("STUDYKIT_PROCESSES", "1")
    with SharedReadings(work, folders, before=before, meanwhile=meanwhile) as shared:
        whole = shared.results()
    assert calls == [], "nothing is cut in one process"
    assert [taken for _, _, taken in whole] == [None, None]
    monkeypatch.setenv("STUDYKIT_PROCESSES", "2")
    with SharedReadings(work, folders, before=before, meanwhile=meanwhile) as shared:
        cut = shared.results()
    # 3 + 13 files: the cut falls 5 files into the long reading.
    assert calls == [("before", "long"), ("meanwhile", "long")]
    assert cut[1][2] == ("taken of long", os.getpid()), "meanwhile runs in this process"
    assert [(s, m) for s, m, _ in cut] == [(s, m) for s, m, _ in whole]
    messages = whole[1][1]
    assert [name for name, _, _ in messages if "part-7" in name] == ["07-part-7.yaml"], messages


def test_a_record_is_read_once_per_command_until_it_changes(tmp_path: Path) -> None:
    record = tmp_path / RECORD_FILE
    record.write_text("basics/question/id:why\t" + "a" * 10 + "\n")
    with running():
        first = read_record(record)
        assert read_record(record) is first, "read once in a command"
        replaced = tmp_path / "new"
        replaced.write_text("basics/question/id:why\t" + "b" * 10 + "\n")
        replaced.replace(record)
        assert read_record(record).guids == {"basics/question/id:why": "b" * 10}
    with running():
        assert read_record(record) is not first, "the next command reads it again"
    assert read_record(record) is not read_record(record), "outside a command, every time"
