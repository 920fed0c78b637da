"""A command killed on its own leaves no process of its behind, and nothing written after it.

`deck` shares a large library with a forked second process, and `outline -f pdf` typesets in a
child process. Ctrl-C and `timeout` signal the whole process group; `kill PID`, SIGKILL and
Python's `subprocess.run(..., timeout=...)` signal the command's process alone. An audit found
the second process of a `deck` killed so going on for its share of the readings (8 decks at the
exit, 34 ten seconds later) and then hanging for good, and typst typesetting its whole handout
after `outline` had exited.

Each test runs the command as a student's tool would, kills its process alone, and checks that
every process of its group has ended within a few seconds, how each ended (SIGKILL: the second
process unwound as on Ctrl-C, typst stopped by SIGTERM; SIGTERM: the command, unwinding as on
Ctrl-C, stopped them itself), and that nothing was written after the kill.
How each ended is seen by a small supervising process (this file run as a script): marked as a
subreaper, it adopts the killed command's children and reads their exit status.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

NOW = "2026-11-28T09:00:00+01:00"
READINGS = 40
# Within this many seconds of the kill every process of the command must have ended; the second
# process's share of the readings takes longer to build, the handout longer to typeset.
ENDED_WITHIN = 10
PR_SET_CHILD_SUBREAPER = 36
# How a child ended that the command, stopped by SIGTERM, itself stopped and waited for.
WAITED = "waited for by the command"

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="needs /proc and a subreaper to see children end"
)


def library(root: Path) -> Path:
    """READINGS readings of 3 sections of 20 cloze points each, r00 to r39, under root/notes."""
    notes = root / "notes"
    for number in range(READINGS):
        folder = notes / f"r{number:02d}"
        folder.mkdir(parents=True)
        (folder / "reading.yaml").write_text(f"title: Reading {number}\n", encoding="utf-8")
        for section in range(3):
            points = "".join(
                f'  - "Point {number}-{section}-{i}: in {{{{{1000 + i}}}}} thing {i} happened."\n'
                for i in range(20)
            )
            text = f"title: Section {section}\nsummary: S.\npoints:\n{points}"
            (folder / f"{section + 1:02d}-s{section}.yaml").write_text(text, encoding="utf-8")
    return notes


def long_handout(root: Path) -> Path:
    """One reading whose PDF handout takes typst some seconds: 2 sections of 1,500 points."""
    folder = root / "notes" / "long"
    folder.mkdir(parents=True)
    (folder / "reading.yaml").write_text("title: Long\n", encoding="utf-8")
    for section in range(2):
        points = "".join(
            f'  - "Point {section}-{i}: in {{{{{1000 + i}}}}} the long thing number {i} '
            'happened at last, as written."\n'
            for i in range(1500)
        )
        text = f"title: Section {section}\nsummary: S.\npoints:\n{points}"
        (folder / f"{section + 1:02d}-s{section}.yaml").write_text(text, encoding="utf-8")
    return root / "notes"


def written(root: Path) -> set[str]:
    """The decks, manifests and identity records under root, by relative path."""
    found = [
        *root.glob("cards/*.apkg"),
        *root.glob("cards/.studykit/*.manifest.json"),
        *root.glob("notes/*/identities.lock"),
    ]
    return {str(path.relative_to(root)) for path in found}


def reading_of(path: str) -> str:
    """The reading a written file is of: `r07` for cards/r07.apkg or notes/r07/identities.lock."""
    parts = Path(path).parts
    return parts[1] if parts[0] == "notes" else parts[-1].lstrip(".").split(".")[0]


def killed(root: Path, command: list[str], sig: signal.Signals, wait_for: str) -> dict:
    """Run `studykit <command>` in root under the supervisor, kill its process alone with `sig`
    once `wait_for` ("deck": the first deck written; "typeset": typst's process at work), and
    return what the supervisor saw (see `supervise`)."""
    env = {
        **os.environ,
        "STUDYKIT_NOW": NOW,
        "STUDYKIT_PROCESSES": "2" if wait_for == "deck" else "1",
        "TMPDIR": str(root / "tmp"),
    }
    (root / "tmp").mkdir()
    env.pop("STUDYKIT_NOTES", None)
    supervisor = [sys.executable, __file__, sig.name, wait_for, "--", *command]
    done = subprocess.run(supervisor, cwd=root, env=env, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    seen: dict = json.loads(done.stdout)
    return seen


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=lambda s: s.name)
def test_the_second_process_of_a_killed_deck_ends_and_writes_nothing_after(
    tmp_path: Path, sig: signal.Signals
) -> None:
    library(tmp_path)
    seen = killed(tmp_path, ["deck"], sig, "deck")
    # SIGTERM unwinds the command as Ctrl-C does (`tests/test_terminate.py`), and it stops the
    # second process itself; SIGKILL leaves that to the kernel.
    assert seen["command"] == (143 if sig == signal.SIGTERM else -sig), seen
    assert len(seen["children"]) == 1, f"the library is shared with one process: {seen}"
    how = WAITED if sig == signal.SIGTERM else 130
    assert seen["ended"] == {str(seen["children"][0]): how}, "unwound as on Ctrl-C"
    assert seen["group_left"] == [], "no process of the command's group remains"
    at_kill = set(seen["at_kill"])
    assert 0 < len([p for p in at_kill if p.endswith(".apkg")]) < READINGS, sorted(at_kill)
    after = written(tmp_path)
    # A file being renamed into place as the signal landed may complete: one reading at most.
    grown = {reading_of(path) for path in after - at_kill}
    assert len(grown) <= 1, f"written after the kill: {sorted(after - at_kill)}"
    time.sleep(1)  # and nothing more later: no process is left to write it
    assert written(tmp_path) == after
    # Temporary files: the second process builds the later half of the readings and unwinds
    # (its temporary files go); the process SIGKILL ended cleans nothing up.
    left = [str(p.relative_to(tmp_path)) for p in tmp_path.rglob(".*.tmp")]
    theirs = [p for p in left if int(reading_of(p)[1:]) >= READINGS // 2]
    assert theirs == [], f"temporary files of the second process left behind: {left}"
    if sig == signal.SIGTERM:
        assert left == [], "nor of the command, which SIGTERM unwinds"
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name)
def test_typst_ends_with_a_killed_outline(tmp_path: Path, sig: signal.Signals) -> None:
    long_handout(tmp_path)
    seen = killed(tmp_path, ["outline", "long", "-f", "pdf", "-o", "long.pdf"], sig, "typeset")
    assert seen["command"] == (143 if sig == signal.SIGTERM else -sig), seen
    assert len(seen["children"]) == 1, seen
    # SIGTERM: the command kills typst and waits for it; SIGKILL: the kernel sends it SIGTERM.
    how = WAITED if sig == signal.SIGTERM else -signal.SIGTERM
    assert seen["ended"] == {str(seen["children"][0]): how}, (
        "typst stopped, not typesetting its whole handout"
    )
    assert seen["group_left"] == [], "no process of the command's group remains"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes", "tmp"], "no PDF written"


# --- the supervisor: run as a script by `killed` ---------------------------------------------


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(FileNotFoundError):  # a thread that has just ended
            found += [int(x) for x in (task / "children").read_text().split()]
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _group(pgid: int) -> list[int]:
    """The processes of a process group still running (not zombies)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            members.append(int(stat.parent.name))
    return members


def _status(status: int) -> int:
    """An exit code, or minus the signal that ended the process (as subprocess reports it)."""
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def supervise(sig: signal.Signals, wait_for: str, command: list[str]) -> dict:
    """Start studykit in a session of its own, wait for `wait_for`, kill its process with `sig`
    and report: its exit status ("command"), its children at the kill, the decks, manifests and
    identity records written at the kill, how each child ended within ENDED_WITHIN seconds
    (None: still running; then killed), and what of its process group was left running."""
    libc = ctypes.CDLL(None, use_errno=True)
    assert libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0, "subreaper"
    studykit = [sys.executable, "-m", "studykit", *command]
    quiet = subprocess.DEVNULL
    process = subprocess.Popen(studykit, stdout=quiet, stderr=quiet, start_new_session=True)
    deadline = time.monotonic() + 240
    children: list[int] = []
    while process.poll() is None and time.monotonic() < deadline:
        children = _children(process.pid)
        if wait_for == "deck" and children and list(Path("cards").glob("*.apkg")):
            break
        typesetting = [c for c in children if "studykit.handouts.typeset" in _cmdline(c)]
        # A second of work: typst is imported and the input read, the handout being typeset.
        if wait_for == "typeset" and typesetting and _cpu_seconds(typesetting[0]) >= 1:
            break
        time.sleep(0.005)
    assert process.poll() is None, "the command was still at work when killed"
    os.kill(process.pid, sig)
    code = process.wait()
    at_kill = sorted(written(Path.cwd()))
    ended: dict[str, int | None] = {}
    until = time.monotonic() + ENDED_WITHIN
    for child in children:
        ended[str(child)] = None
        while time.monotonic() < until:
            try:
                pid, status = os.waitpid(child, os.WNOHANG)  # adopted: ours to wait for
            except ChildProcessError:  # the command stopped it and waited for it itself
                ended[str(child)] = WAITED
                break
            if pid:
                ended[str(child)] = _status(status)
                break
            time.sleep(0.01)
    left = _group(process.pid)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return {
        "command": code,
        "children": children,
        "at_kill": at_kill,
        "ended": ended,
        "group_left": left,
    }


if __name__ == "__main__":
    name, waiting, _, *rest = sys.argv[1:]
    print(json.dumps(supervise(signal.Signals[name], waiting, rest)))
