"""`kill PID`, `timeout` and a closed terminal stop a command as Ctrl-C does: nothing left behind.

An audit sent SIGTERM (what `kill` and `timeout` send) to `outline -f html -o out/handout.html`,
`deck -o out/` and `ingest` the moment their temporary file or staging folder appeared, and found
each left there: a 6 MB half-written `.handout.html.*.tmp`, a `.r.apkg.*.tmp`, a
`.book.ingest-*` folder in the notes. Ctrl-C (SIGINT) already unwound.

Each test here runs the installed command in a process of its own, sends the real signal at the
same moment (a temporary file of the write, a staging folder, typst at work) to the command's
process alone, and looks at what a student sees afterwards: the folder's listing as it was (plus
the named output only if whole), the exit status a shell reports for the signal (130, 143, 129),
one line on stderr, and no process of the command left. A run SIGKILL ended (no clean-up runs)
leaves its temporary file; the next write of the same file removes it, and nothing else.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

NOW = "2026-11-28T09:00:00+01:00"
STUDYKIT = [sys.executable, "-m", "studykit"]
WORDS = {signal.SIGINT: "interrupted", signal.SIGTERM: "terminated", signal.SIGHUP: "hung up"}
STOPS = list(WORDS)

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="needs POSIX signals and /proc"
)


def big_reading(root: Path, sections: int = 6, points: int = 300) -> Path:
    """notes/r: `sections` sections of `points` long cloze points, a handout of a few MB."""
    folder = root / "notes" / "r"
    folder.mkdir(parents=True)
    (folder / "reading.yaml").write_text("title: Big\n", encoding="utf-8")
    words = "and the words go on " * 40
    for s in range(1, sections + 1):
        lines = [f"title: Section {s}\n", "points:\n"]
        lines += [
            f'  - "Point {i} of section {s}, the harvest of {{{{{1000 + i}}}}} {words}."\n'
            for i in range(points)
        ]
        (folder / f"{s:02d}-s{s}.yaml").write_text("".join(lines), encoding="utf-8")
    return root / "notes"


def listing(folder: Path) -> list[str]:
    """Every path under `folder`, hidden ones too, relative to it; not the test's TMPDIR."""
    if not folder.exists():
        return []
    found = (str(p.relative_to(folder)) for p in folder.rglob("*"))
    return sorted(path for path in found if path.partition("/")[0] != "tmp")


def leftovers(root: Path) -> list[str]:
    """studykit's temporary files and staging folders anywhere under root."""
    found = [*root.rglob(".*.tmp"), *root.rglob(".*.ingest-*")]
    return sorted(str(p.relative_to(root)) for p in found)


def environment(root: Path, **more: str) -> dict[str, str]:
    env = {**os.environ, "STUDYKIT_NOW": NOW, "TMPDIR": str(root / "tmp"), **more}
    env.pop("STUDYKIT_NOTES", None)
    env.pop("STUDYKIT_STATE", None)
    (root / "tmp").mkdir(exist_ok=True)
    return env


# Run as `python -c HOOKED MOMENT NOTIFY GO -- studykit ARGS`: studykit's own entry point, with a
# hook at one moment of the write of the temporary file or staging folder whose name holds
# $TARGET. "created": the process sends itself the signal named in $SIGNAL as that has just been
# made (before the code that removes it knows its name). "writing": half of its first write is
# on disk (a staged reading: complete, not yet in place); the process says so on the NOTIFY
# pipe and waits for the test's signal (or, for a signal it ignores, for a byte on the GO pipe).
HOOKED = """
import io, os, select, signal, sys, tempfile
moment, notify, go = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
target = os.environ["TARGET"]
sys.argv = ["studykit", *sys.argv[5:]]
made = []

def hooked(make):
    def make_and_look(*args, **kwargs):
        result = make(*args, **kwargs)
        name = result[1] if isinstance(result, tuple) else result
        if target in os.path.basename(name) and not made:
            made.append(name)
            if moment == "created":
                os.kill(os.getpid(), signal.Signals[os.environ["SIGNAL"]])
        return result
    return make_and_look

def waiting():
    os.write(notify, b"!")
    # A signal ends the wait; without one, the test's time limit. Waited for in short spells:
    # a signal that lands between Python's check for signals and the wait itself interrupts
    # nothing, and its handler runs only once the wait returns.
    while not select.select([go], [], [], 0.05)[0]:
        pass

tempfile.mkstemp = hooked(tempfile.mkstemp)
tempfile.mkdtemp = hooked(tempfile.mkdtemp)

class Half(io.BufferedWriter):
    first = True
    def write(self, data):
        if not Half.first:
            return super().write(data)
        Half.first = False
        half = len(data) // 2
        done = super().write(data[:half])
        self.flush()
        waiting()
        return done + super().write(data[half:])

def fdopen(fd, mode="r", *args, **kwargs):
    if moment == "writing" and made and Half.first and os.path.samefile(made[0], fd):
        return Half(io.FileIO(fd, "w"))
    return real_fdopen(fd, mode, *args, **kwargs)

import studykit.files
real_fdopen = studykit.files.os.fdopen
studykit.files.os.fdopen = fdopen
import studykit.ingest.pipeline as pipeline
put_in_place = pipeline.put_in_place

def staged(*args, **kwargs):
    if moment == "writing":
        waiting()
    return put_in_place(*args, **kwargs)

pipeline.put_in_place = staged
from studykit.cli.entry import main
main()
"""


def stopped(
    root: Path,
    command: list[str],
    sig: signal.Signals,
    moment: str,
    target: str,
    env: dict[str, str] | None = None,
    ignoring: tuple[signal.Signals, ...] = (),
    whole_group: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run `studykit <command>` in root, in a session of its own, with `sig` sent to its process
    alone at `moment` of the write of `target` (see HOOKED), and wait for it to end, its whole
    process group with it, and for nothing to be left in its TMPDIR.
    `ignoring`: signals ignored when the command starts, as `nohup` ignores SIGHUP;
    `whole_group`: the signal goes to every process of the command, as a terminal's does."""
    env = {**(env or environment(root)), "SIGNAL": sig.name, "TARGET": target}
    ready, notify = os.pipe()
    wait, go = os.pipe()

    def ignore() -> None:
        for number in ignoring:
            signal.signal(number, signal.SIG_IGN)

    try:
        process = subprocess.Popen(
            [sys.executable, "-c", HOOKED, moment, str(notify), str(wait), "--", *command],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            pass_fds=(notify, wait),
            preexec_fn=ignore if ignoring else None,
        )
    finally:
        os.close(notify)
        os.close(wait)
    with os.fdopen(ready, "rb") as said, os.fdopen(go, "wb") as going:
        if moment == "writing":
            assert said.read(1) == b"!", "the command reached the moment of the write"
            (os.killpg if whole_group else os.kill)(process.pid, sig)
            if sig in ignoring:
                going.write(b"!")  # the signal did nothing: the write goes on
                going.flush()
        out, err = process.communicate(timeout=120)
    group_ended(process.pid)
    assert list(Path(env["TMPDIR"]).iterdir()) == []
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def group(pgid: int) -> list[int]:
    """The processes of a process group still running (not zombies)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            members.append(int(stat.parent.name))
    return members


def group_ended(pgid: int) -> None:
    """Every process the command started has ended with it (within a few seconds of its exit;
    one left is killed, and the test fails)."""
    until = time.monotonic() + 5
    while group(pgid) and time.monotonic() < until:
        time.sleep(0.01)
    left = group(pgid)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == [], "a process of the command outlived it"


def one_line(done: subprocess.CompletedProcess[str], sig: signal.Signals) -> None:
    """A killed program's exit status, and the one line Ctrl-C gives (its own word)."""
    assert (done.returncode, done.stderr) == (128 + sig, WORDS[sig] + "\n"), done


MOMENTS = ["created", "writing"]


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("sig", STOPS, ids=lambda s: s.name)
def test_outline_stopped_while_writing_leaves_the_folder_as_it_was(
    tmp_path: Path, sig: signal.Signals, moment: str
) -> None:
    big_reading(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "kept.txt").write_text("mine\n")
    before = listing(tmp_path)
    command = ["outline", "-f", "html", "-o", "out/handout.html"]
    done = stopped(tmp_path, command, sig, moment, ".handout.html.")
    one_line(done, sig)
    assert listing(tmp_path) == before
    assert (out / "kept.txt").read_text() == "mine\n"


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("sig", STOPS, ids=lambda s: s.name)
def test_deck_stopped_while_writing_leaves_no_temporary_file(
    tmp_path: Path, sig: signal.Signals, moment: str
) -> None:
    big_reading(tmp_path, sections=2, points=100)
    before = listing(tmp_path)
    done = stopped(tmp_path, ["deck", "-o", "out/"], sig, moment, ".r.apkg.")
    one_line(done, sig)
    # No deck, no folder made for it, and no identity record: it is written after the deck.
    assert listing(tmp_path) == before


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("sig", STOPS, ids=lambda s: s.name)
def test_ingest_stopped_while_staging_leaves_the_notes_as_they_were(
    tmp_path: Path, sig: signal.Signals, moment: str
) -> None:
    big_reading(tmp_path, sections=1, points=1)
    sections = "".join(
        f"Section {i}\n\nThe harvest of {1000 + i} was announced by the leadership.\n\n"
        for i in range(50)
    )
    (tmp_path / "book.txt").write_text("Title\n\n" + sections, encoding="utf-8")
    before = listing(tmp_path)
    done = stopped(tmp_path, ["ingest", "book.txt", "--id", "book"], sig, moment, ".book.ingest-")
    one_line(done, sig)
    assert listing(tmp_path) == before


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(x) for x in (task / "children").read_text().split()]
        except OSError:  # a thread that has just ended
            continue
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def library(root: Path, readings: int = 40) -> Path:
    """`readings` small readings, r00 on: a library a deck shares with a second process."""
    notes = root / "notes"
    for number in range(readings):
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


@pytest.mark.parametrize(
    ("sig", "group"),
    [(signal.SIGTERM, False), (signal.SIGHUP, False), (signal.SIGHUP, True)],
    ids=["SIGTERM", "SIGHUP", "SIGHUP-to-the-group"],
)
def test_a_shared_deck_stopped_stops_its_second_process_and_leaves_nothing(
    tmp_path: Path, sig: signal.Signals, group: bool
) -> None:
    """The second process stopped halfway through writing a deck of its share (the last
    reading's); the command's process alone gets the signal, or (a closed terminal) both."""
    library(tmp_path)
    before = listing(tmp_path)
    env = environment(tmp_path, STUDYKIT_PROCESSES="2")
    done = stopped(tmp_path, ["deck"], sig, "writing", ".r39.apkg.", env, whole_group=group)
    # What both processes finished before the signal is whole; nothing else is there.
    assert leftovers(tmp_path) == []
    after = set(listing(tmp_path)) - set(before)
    # Each deck written keeps its report, never printed, for the next `deck` to show; but one
    # this process was stopped after writing, before its manifest said so, which the next
    # `deck` builds again and reports itself.
    written = {Path(p).stem for p in after if p.endswith(".apkg")}
    kept = {Path(p).name.removesuffix(".unshown.json") for p in after if "unshown" in p}
    assert kept <= written and len(written - kept) <= 1, (written, kept)
    decks = sorted(kept)
    shown, more = (decks, "") if len(decks) <= 6 else (decks[:5], f" and {len(decks) - 5} more")
    assert (done.returncode, done.stderr) == (
        128 + sig,
        f"{WORDS[sig]}; written but not yet reported: {', '.join(shown)}{more} (run "
        "studykit deck again to see what changed)\n",
    ), done
    assert "cards/r39.apkg" not in after
    assert all(
        path in ("cards", "cards/.studykit")
        or path.endswith((".apkg", ".manifest.json", ".unshown.json", "/identities.lock"))
        for path in after
    ), after
    assert written, after


def test_a_pdf_outline_stopped_while_typst_works_stops_typst(tmp_path: Path) -> None:
    big_reading(tmp_path, sections=2, points=400)
    before = listing(tmp_path)
    process = subprocess.Popen(
        [*STUDYKIT, "outline", "r", "-f", "pdf", "-o", "r.pdf"],
        cwd=tmp_path,
        env=environment(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not any("studykit.handouts.typeset" in cmdline(c) for c in children(process.pid)):
        assert process.poll() is None and time.monotonic() < deadline, process.stderr
    os.kill(process.pid, signal.SIGTERM)
    _, err = process.communicate(timeout=30)
    group_ended(process.pid)
    assert (process.returncode, err) == (143, "terminated\n")
    assert listing(tmp_path) == before, "no PDF, nothing else"


def test_sighup_ignored_by_nohup_stays_ignored(tmp_path: Path) -> None:
    """Started under `nohup`, the command writes on when its terminal closes."""
    big_reading(tmp_path)
    out = tmp_path / "out"
    command = ["outline", "-f", "html", "-o", "out/handout.html"]
    done = stopped(
        tmp_path, command, signal.SIGHUP, "writing", ".handout.html.", ignoring=(signal.SIGHUP,)
    )
    assert done.returncode == 0, done
    assert listing(out) == ["handout.html"]
    assert (out / "handout.html").read_text().rstrip().endswith("</html>")


def test_the_next_write_removes_what_a_sigkilled_write_left_and_nothing_else(
    tmp_path: Path,
) -> None:
    big_reading(tmp_path)
    out = tmp_path / "out"
    command = ["outline", "-f", "html", "-o", "out/handout.html"]
    done = stopped(tmp_path, command, signal.SIGKILL, "writing", ".handout.html.")
    assert done.returncode == -signal.SIGKILL
    [abandoned] = list(out.glob(".handout.html.*.tmp"))  # SIGKILL runs no clean-up
    pid = int(abandoned.name.removeprefix(".handout.html.").partition("-")[0])
    assert abandoned.name == f".handout.html.{pid}-{abandoned.name[-12:]}"
    an_hour_ago = time.time() - 3600
    os.utime(abandoned, (an_hour_ago, an_hour_ago))

    # What the next write must leave: files a student, or a studykit at work, may own.
    def make(name: str, mode: int = 0o600, old: bool = True) -> Path:
        path = out / name
        path.write_text("a student's\n")
        path.chmod(mode)
        if old:
            os.utime(path, (an_hour_ago, an_hour_ago))
        return path

    kept = [
        make(f".handout.html.{os.getpid()}-abcdefgh.tmp"),  # of a process that runs
        make(f".handout.html.{pid}-abcdefgh.tmp", mode=0o644),  # not mkstemp's private mode
        make(f".handout.html.{pid}-abcdefgh.tmp.bak"),  # named otherwise
        make(f".handout.html.{pid}-abcdefg.tmp"),
        make(f".handout.html.x{pid}-abcdefgh.tmp"),
        make(f".other.html.{pid}-abcdefgh.tmp"),  # another file's
        make(f".handout.html.{pid}-abcdefg1.tmp", old=False),  # changed within the minute
        make("handout.html.bak"),
    ]
    (out / f".handout.html.{pid}-abcdefg2.tmp").symlink_to(kept[0].name)  # a link
    before = listing(out)

    again = subprocess.run(
        [*STUDYKIT, *command], cwd=tmp_path, env=environment(tmp_path), capture_output=True
    )
    assert again.returncode == 0, again.stderr
    assert listing(out) == sorted({*before, "handout.html"} - {abandoned.name})
    assert all(path.read_text() == "a student's\n" for path in kept)


@pytest.mark.skipif(
    shutil.which("tmux") is None or shutil.which("less") is None,
    reason="the pager runs only on a terminal: needs tmux and less",
)
def test_kill_while_less_shows_the_notes_stops_both(notes: Path) -> None:
    """Ctrl-C belongs to the pager (less handles it); `kill` stops the command and its pager."""
    from test_terminal_safety import Terminal

    terminal = Terminal()
    try:
        terminal.start(notes.parent, ["show"])  # the whole reading: longer than the screen
        terminal.wait_for("A Demo Reading")
        [command] = [
            pid
            for pid in (int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit())
            if cmdline(pid).startswith(f"{sys.executable} -m studykit show")
            and Path(f"/proc/{pid}/cwd").resolve() == notes.parent.resolve()
        ]
        pagers = children(command)
        assert pagers, "less shows the notes"
        os.kill(command, signal.SIGTERM)
        end = terminal.wait_for("EXIT=143")
        assert "terminated" in end, end
        assert not any(Path(f"/proc/{pid}").exists() and "less" in cmdline(pid) for pid in pagers)
    finally:
        subprocess.run(["tmux", "-L", terminal.socket, "kill-server"], capture_output=True)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_review_stopped_while_waiting_says_every_answer_is_saved(
    notes: Path, sig: signal.Signals
) -> None:
    """As Ctrl-C does; after SIGHUP the terminal is gone, so no summary is printed to it."""
    process = subprocess.Popen(
        [*STUDYKIT, "review", "--notes", str(notes), "demo"],
        cwd=notes.parent,
        env=environment(notes.parent),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    process.stdout.readline()  # the first question is on the screen: the session waits
    process.send_signal(sig)
    out, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (128 + sig, f"{WORDS[sig]} (every answer is saved)\n")
    assert ("Session ended; every answer is saved." in out) == (sig == signal.SIGTERM), out
