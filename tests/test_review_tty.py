"""The review screen on a real terminal, driven through tmux: keys in, the screen read back."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None,
    reason="tmux is not installed (apt-get install tmux); the terminal screen is tested through it",
)
NOW = "2026-03-02T09:00:00+01:00"


class Terminal:
    """One tmux pane running a command; `screen()` is what the student sees."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return done.stdout

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "review", *keys)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "review")

    def wait_for(self, text: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            seen = self.screen()
            if text in seen:
                return seen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")


@pytest.fixture
def terminal(notes: Path) -> Iterator[Terminal]:
    term = Terminal(f"studykit-test-{uuid.uuid4().hex[:8]}")
    yield term
    subprocess.run(["tmux", "-L", term.socket, "kill-server"], capture_output=True, check=False)


def _start(terminal: Terminal, cwd: Path, editor: str = "true", *args: str) -> None:
    review = shlex.join([sys.executable, "-m", "studykit", "review", *args])
    # After the session: its exit code and whether the terminal is back in line mode.
    # The shell traps (not ignores) SIGINT, so Ctrl-C reaches the session and the pane stays.
    script = f"trap : INT; {review}; echo EXIT=$?; stty -a | grep -o -- '-*icanon'; sleep 600"
    env = {
        "STUDYKIT_NOW": NOW,
        "EDITOR": editor,
        "PATH": os.environ["PATH"],
        "HOME": str(cwd),
        "TERM": "xterm-256color",
    }
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    terminal.tmux(
        "new-session", "-d", "-s", "review", "-x", "100", "-y", "30", "-c", str(cwd),
        f"env -i {exports} sh -c {shlex.quote(script)}",
    )  # fmt: skip


def test_a_session_on_the_terminal(notes: Path, terminal: Terminal) -> None:
    _start(terminal, notes.parent)
    first = terminal.wait_for("Q: The [...] conference met in 1959.")
    assert "7 new  0 learning  0 review" in first, first
    assert "A: " not in first, "the answer waits for a key"
    terminal.keys("Space")
    back = terminal.wait_for("1 Again 1m  2 Hard 6m  3 Good 10m  4 Easy")
    assert "A: The Lushan conference met in 1959." in back, back
    assert "↳ Peng Dehuai was purged there." in back, back
    terminal.keys("3")
    second = terminal.wait_for("Q: People's commune")  # the cloze's second card is buried
    assert "Good: next in 10m" in second, "the last answer's result is shown above"
    assert "A: The Lushan conference met in 1959." not in second, "the screen was cleared"
    assert "6 new  1 learning  0 review" in second, second
    terminal.keys("Enter", "Enter")  # show the answer, then Good
    terminal.wait_for("Q: no")
    terminal.keys("u")
    undone = terminal.wait_for("Q: People's commune")
    assert "undone:" in undone, undone
    terminal.keys("q")
    terminal.wait_for("EXIT=0")
    end = terminal.wait_for("icanon")
    assert "1 answer in" in end, end
    assert "-icanon" not in end and "icanon" in end, "the terminal is restored"


def test_ctrl_c_saves_and_exits_130(notes: Path, terminal: Terminal) -> None:
    _start(terminal, notes.parent)
    terminal.wait_for("Q: The [...] conference")
    terminal.keys("Space", "4")
    terminal.wait_for("Easy: next in")
    terminal.keys("C-c")
    terminal.wait_for("EXIT=130")
    end = terminal.wait_for("icanon")
    assert "1 answer in" in end, end
    assert "interrupted (every answer is saved)" in end, end
    assert "-icanon" not in end and "icanon" in end, "the terminal is restored"


def test_e_opens_the_card_in_the_editor_and_reloads(notes: Path, terminal: Terminal) -> None:
    calls = notes.parent / "editor-calls.txt"
    editor = notes.parent / "bin" / "vi"  # an editor that takes +LINE
    editor.parent.mkdir()
    editor.write_text(
        f'#!/bin/sh\necho "$@" >> {calls}\nsed -i \'s/conference met in/plenum met in/\' "$2"\n',
        encoding="utf-8",
    )
    editor.chmod(0o755)
    _start(terminal, notes.parent, str(editor))
    terminal.wait_for("Q: The [...] conference met in 1959.")
    terminal.keys("e")
    reloaded = terminal.wait_for("Q: The [...] plenum met in 1959.")
    assert "reloaded 01-basics.yaml" in reloaded, reloaded
    section = notes / "demo" / "01-basics.yaml"
    line = (
        section.read_text(encoding="utf-8")
        .splitlines()
        .index("  - text: The {{Lushan}} plenum met in {{1959::year}}.")
    )
    assert calls.read_text(encoding="utf-8").split() == [
        f"+{line + 1}",
        str(section),  # absolute: a folder named `+cmd` or `-n` is never read as an argument
    ]
    # A broken edit: the session goes on with the notes it had, and says the error that
    # stopped the reload, not the warning (no summary) found before it.
    editor.write_text(
        "#!/bin/sh\nsed -i 's/^points:/pointz:/; /^summary:/d' \"$2\"\n", encoding="utf-8"
    )
    terminal.keys("e")
    terminal.wait_for("notes not reloaded")
    # The notice comes first and the card is drawn under it: under load the screen may be
    # caught between the two.
    broken = terminal.wait_for("Q: The [...] plenum met in 1959.")  # the same card still asked
    assert "notes not reloaded" in broken and "01-basics.yaml:" in broken, broken
    assert "error:" in broken and "warning:" not in broken, broken
    terminal.keys("q")
    terminal.wait_for("EXIT=0")


def test_undo_after_an_edit_asks_the_card_as_it_now_reads(notes: Path, terminal: Terminal) -> None:
    """The first card answered, then `e` on the next rewords the first one's point and its
    annotation: `u` takes the answer back and asks the reworded card, not the old text."""
    editor = notes.parent / "bin" / "vi"
    editor.parent.mkdir()
    script = "s/conference met in/plenum met in/; s/was [*]purged[*] there/fell there/"
    editor.write_text(f"#!/bin/sh\nsed -i '{script}' \"$2\"\n", encoding="utf-8")
    editor.chmod(0o755)
    _start(terminal, notes.parent, str(editor))
    terminal.wait_for("Q: The [...] conference met in 1959.")
    terminal.keys("Space", "3")
    terminal.wait_for("Q: People's commune")
    terminal.keys("e")
    # The notice and the question are drawn one after the other: wait for both.
    terminal.wait_for("reloaded 01-basics.yaml")
    reloaded = terminal.wait_for("Q: People's commune")
    assert "reloaded 01-basics.yaml" in reloaded, "the card being asked is asked again"
    terminal.keys("u")
    terminal.wait_for("undone: The Lushan plenum met in 1959.")
    undone = terminal.wait_for("Q: The [...] plenum met in 1959.")
    assert "undone: The Lushan plenum met in 1959." in undone, undone
    assert "conference" not in undone, undone
    terminal.keys("Space")
    back = terminal.wait_for("↳ Peng Dehuai fell there.")
    assert "A: The Lushan plenum met in 1959." in back, back
    terminal.keys("q")
    terminal.wait_for("EXIT=0")


def test_dash_buries_and_at_suspends_on_the_terminal(notes: Path, terminal: Terminal) -> None:
    _start(terminal, notes.parent)
    first = terminal.wait_for("Q: The [...] conference met in 1959.")
    assert "- bury · @ suspend" in first, "the keys are on the screen"
    terminal.keys("-")
    buried = terminal.wait_for("Q: The Lushan conference met in [year].")
    assert "buried until tomorrow (u undoes)" in buried, buried
    terminal.keys("@")
    suspended = terminal.wait_for("Q: People's commune")
    assert "suspended: studykit unsuspend brings it back" in suspended, suspended
    terminal.keys("u")
    back = terminal.wait_for("Q: The Lushan conference met in [year].")
    assert "unsuspended: The Lushan conference met in 1959." in back, back
    terminal.keys("q")
    terminal.wait_for("EXIT=0")
