"""Sharing work with a second process changes nothing a student sees: same decks, same output."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from conftest import Runner

DEMO = Path(__file__).parent / "data" / "notes" / "demo"
T = TypeVar("T")
NOW = "2026-11-28T09:00:00+01:00"


def library(root: Path, readings: int, broken: int | None = None) -> Path:
    """`readings` copies of the demo reading under root/notes, reading `broken` with an error."""
    notes = root / "notes"
    for number in range(readings):
        folder = notes / f"demo-{number:02d}"
        shutil.copytree(DEMO, folder, ignore=shutil.ignore_patterns("identities.lock"))
        reading = folder / "reading.yaml"
        text = reading.read_text().replace("Demo::Reading", f"Demo::Reading {number}")
        reading.write_text(text)
        if number == broken:
            section = folder / "02-more.yaml"
            section.write_text(section.read_text().replace("a: Yes.", "a: [Yes."))
    return notes


def files(folder: Path) -> dict[str, bytes]:
    """Every file below a folder, by relative path, with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def both_ways(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    make_notes: Callable[[Path], object],
    act: Callable[[], T],
) -> tuple[tuple[T, dict[str, bytes]], tuple[T, dict[str, bytes]]]:
    """`act` on fresh notes in one process and in two: what it returned and the files after."""
    monkeypatch.setenv("STUDYKIT_NOW", NOW)
    seen = []
    for processes in ("1", "2"):
        root = tmp_path / f"p{processes}"
        make_notes(root)
        monkeypatch.chdir(root)
        monkeypatch.setenv("STUDYKIT_PROCESSES", processes)
        seen.append((act(), files(root)))
    return seen[0], seen[1]


@pytest.mark.parametrize("broken", [None, 1, 7])
def test_deck_is_the_same_built_in_one_process_or_two(
    tmp_path: Path, run: Runner, monkeypatch: pytest.MonkeyPatch, broken: int | None
) -> None:
    (one, one_files), (two, two_files) = both_ways(
        tmp_path, monkeypatch, lambda root: library(root, 8, broken), lambda: run("deck")
    )
    assert one.exit_code == two.exit_code == (0 if broken is None else 1), (one, two)
    assert one.stdout == two.stdout, "the report is the same"
    assert one.stderr == two.stderr, "the errors are the same, in the same order"
    assert len([name for name in one_files if name.endswith(".apkg")]) == (
        8 if broken is None else 7
    ), sorted(one_files)
    assert one_files.keys() == two_files.keys(), "the same files are written"
    for name, content in one_files.items():
        assert content == two_files[name], f"{name} differs between one and two processes"


@pytest.mark.parametrize("broken", [None, 6])
def test_check_says_the_same_in_one_process_or_two(
    tmp_path: Path, run: Runner, monkeypatch: pytest.MonkeyPatch, broken: int | None
) -> None:
    library(tmp_path, 8, broken)
    # A warning in the second process's share: a long answer.
    section = tmp_path / "notes" / "demo-07" / "02-more.yaml"
    section.write_text(section.read_text().replace("a: Yes.", "a: " + "yes " * 40))
    monkeypatch.chdir(tmp_path)
    outputs = []
    for processes in ("1", "2"):
        monkeypatch.setenv("STUDYKIT_PROCESSES", processes)
        outputs.append(run("check"))
    one, two = outputs
    assert "warning:" in one.output and "[long-answer]" in one.output, one
    assert (broken is not None) == ("error:" in one.output), one
    assert (one.exit_code, one.stdout, one.stderr) == (two.exit_code, two.stdout, two.stderr), (
        one,
        two,
    )


def _children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in found.read_text().split()] if found.exists() else []


def _running(pid: int) -> bool:
    """Whether a process still runs (an exited one may linger as a zombie until reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc to find the child")
def test_ctrl_c_stops_both_processes_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    notes = library(tmp_path, 60)
    before = files(notes)
    env = {**os.environ, "STUDYKIT_PROCESSES": "2", "STUDYKIT_NOW": NOW}
    command = [sys.executable, "-m", "studykit", "deck", "--notes", str(notes)]
    out = tmp_path / "cards"
    build = subprocess.Popen(
        [*command, "-o", f"{out}/"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    child: list[int] = []
    deadline = time.monotonic() + 60
    while not child and build.poll() is None and time.monotonic() < deadline:
        child = _children(build.pid)
    assert child, "the build shares its work with a child process"
    # Ctrl-C in a terminal signals the whole foreground process group.
    os.killpg(build.pid, signal.SIGINT)
    _, stderr = build.communicate(timeout=60)
    assert build.returncode == 130, stderr.decode()
    assert "interrupted" in stderr.decode(), stderr.decode()
    assert "Traceback" not in stderr.decode(), "no traceback from either process"
    assert "Process" not in stderr.decode(), "no word from multiprocessing"
    assert not _running(child[0]), "the child process has exited"
    left = [p.name for p in tmp_path.rglob(".*") if p.is_file()]
    assert left == [], f"temporary files left behind: {left}"
    assert all(n.endswith(".apkg") or n.endswith(".json") for n in files(out)), files(out).keys()
    after = files(notes)
    changed = {k for k in after if before.get(k) != after[k]}
    assert all(k.endswith("identities.lock") for k in changed), changed


def one_long_reading(root: Path, sections: int, broken: int | None = None) -> Path:
    """One reading of `sections` section files, the `broken`-th (from 1) with an error."""
    folder = root / "notes" / "long"
    shutil.copytree(DEMO, folder, ignore=shutil.ignore_patterns("identities.lock", "0*"))
    template = (DEMO / "02-more.yaml").read_text().replace("id: more-things\n", "")
    for number in range(1, sections + 1):
        answer = f"Yes, in part {number}."
        if number == sections - 1:
            answer = "yes " * 40  # a warning, late in the reading
        if number == broken:
            answer = "[" + answer
        text = template.replace("a: Yes.", f"a: {answer}")
        (folder / f"{number:02d}-part-{number}.yaml").write_text(text)
    return root / "notes"


@pytest.mark.parametrize("broken", [None, 2, 11])
def test_one_reading_shared_by_sections_reads_the_same(
    tmp_path: Path, run: Runner, monkeypatch: pytest.MonkeyPatch, broken: int | None
) -> None:
    """A single large reading has its later section files checked in the second process."""
    commands = (["check"], ["deck"], ["list"], ["show", "--answers"])

    def every_command() -> list[tuple[int, str, str]]:
        results = [run(*command) for command in commands]
        return [(r.exit_code, r.stdout, r.stderr) for r in results]

    (one, one_files), (two, two_files) = both_ways(
        tmp_path, monkeypatch, lambda root: one_long_reading(root, 12, broken), every_command
    )
    check, deck, listed, shown = one
    assert check[0] == deck[0] == (0 if broken is None else 1), (check, deck)
    if broken is not None:
        assert f"{broken:02d}-part-{broken}.yaml:" in check[2], check
        assert "Yes, in part 12." in shown[1], "show keeps the sound sections of the reading"
    assert "part-12" in listed[1], listed
    assert one == two, "every command prints the same in one process or two"
    assert one_files == two_files, "the same files, byte for byte"


def test_a_damaged_record_stops_a_reading_cut_in_two_and_writes_nothing(
    tmp_path: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This process reads the identity record ahead while the second reads its part of the
    notes; a damaged record then stops the build as in one process, with the same message, and
    no deck."""
    monkeypatch.setenv("STUDYKIT_NOW", NOW)
    seen = {}
    for processes in ("1", "2"):
        root = tmp_path / f"p{processes}"
        notes = one_long_reading(root, 12)
        monkeypatch.chdir(root)
        monkeypatch.setenv("STUDYKIT_PROCESSES", processes)
        assert run("deck").exit_code == 0, "a first build writes the identity record"
        record = notes / "long" / "identities.lock"
        record.write_text(record.read_text() + "<<<<<<< HEAD\n")
        # An item the damaged record might have held: studykit must not guess its note.
        last = notes / "long" / "12-part-12.yaml"
        last.write_text(last.read_text() + "  - q: A new one?\n    a: Yes.\n")
        before = files(root)
        result = run("deck", "--force")
        seen[processes] = (result.exit_code, result.stdout, result.stderr)
        assert files(root) == before, "nothing is written, not even a temporary file"
    assert seen["1"] == seen["2"], seen
    assert seen["1"][0] == 1 and "identities.lock" in seen["1"][2], seen["1"]


def test_problems_of_reading_yaml_are_printed_once_when_sections_are_shared(
    tmp_path: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second process reads reading.yaml too, for the settings its part of the sections is
    read with: its problems are reported once, by the check of the whole reading."""

    def broken_reading(root: Path) -> None:
        notes = one_long_reading(root, 12, broken=11)
        reading = notes / "long" / "reading.yaml"
        reading.write_text(reading.read_text() + "titel: typo\n")

    (one, _), (two, _) = both_ways(tmp_path, monkeypatch, broken_reading, lambda: run("check"))
    assert one.exit_code == two.exit_code == 1, (one, two)
    assert one.stderr == two.stderr, (one.stderr, two.stderr)
    assert one.stderr.count("reading.yaml:") == 1, one.stderr
    assert "11-part-11.yaml:" in one.stderr, one.stderr


@pytest.mark.parametrize("manifest", ["truncated", "foreign"])
def test_a_manifest_read_ahead_is_reported_as_in_one_process(
    tmp_path: Path, run: Runner, monkeypatch: pytest.MonkeyPatch, manifest: str
) -> None:
    """The last build's manifest is read while the second process reads its part of a reading
    cut in two: what is wrong with it is said where a build says it, as in one process. A
    damaged one of ours costs the report of changes; a file studykit did not write is kept."""
    monkeypatch.setenv("STUDYKIT_NOW", NOW)
    seen = {}
    for processes in ("1", "2"):
        root = tmp_path / f"p{processes}"
        one_long_reading(root, 12)
        monkeypatch.chdir(root)
        monkeypatch.setenv("STUDYKIT_PROCESSES", processes)
        assert run("deck").exit_code == 0
        path = root / "cards" / ".studykit" / "long.manifest.json"
        text = path.read_text()
        path.write_text(text[: len(text) // 2] if manifest == "truncated" else "{not ours")
        last = root / "notes" / "long" / "12-part-12.yaml"
        last.write_text(last.read_text() + "  - q: A new one?\n    a: Yes.\n")
        result = run("deck")
        seen[processes] = (result.exit_code, result.stdout, result.stderr)
    assert seen["1"] == seen["2"], seen
    code, out, err = seen["1"]
    if manifest == "truncated":
        assert code == 0 and "long.manifest.json: the build manifest cannot be read" in out + err
    else:
        assert code == 1 and "will not replace this file with the build manifest" in err, err
