"""What reaches the terminal: the editor's arguments, a broken VISUAL or PAGER, escape
sequences in notes text, names in ingest's hint, and a $COLUMNS too narrow for a table.

Keys and screens go through tmux, as in tests/test_review_tty.py: the pager and the editor
only run on a real terminal.
"""

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
from conftest import Runner

from studykit.errors import CONTROL, StudykitError
from studykit.review.editor import editor_command

ESC = "\x1b"
NOW = "2026-03-02T09:00:00+01:00"
needs_tmux = pytest.mark.skipif(
    shutil.which("tmux") is None,
    reason="tmux is not installed (apt-get install tmux); the terminal is tested through it",
)


class Terminal:
    """One tmux pane running a command; `screen()` is what the student sees."""

    def __init__(self) -> None:
        self.socket = f"studykit-test-{uuid.uuid4().hex[:8]}"

    def tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return done.stdout

    def start(self, cwd: Path, command: list[str], **env: str) -> None:
        """Run `studykit <command>` in a fresh pane, then print its exit code and wait."""
        line = shlex.join([sys.executable, "-m", "studykit", *command])
        script = f"trap : INT; {line}; echo EXIT=$?; sleep 600"
        env = {
            "STUDYKIT_NOW": NOW,
            "PATH": os.environ["PATH"],
            "HOME": str(cwd),
            "TERM": "xterm-256color",
            **env,
        }
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        self.tmux(
            "new-session", "-d", "-s", "t", "-x", "100", "-y", "40", "-c", str(cwd),
            f"env -i {exports} sh -c {shlex.quote(script)}",
        )  # fmt: skip

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "t", *keys)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "t")

    def title(self) -> str:
        return self.tmux("display-message", "-p", "-t", "t", "#{pane_title}").strip()

    def wait_for(self, text: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            seen = self.screen()
            if text in seen:
                return seen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    term = Terminal()
    yield term
    subprocess.run(["tmux", "-L", term.socket, "kill-server"], capture_output=True, check=False)


def _recording_editor(folder: Path) -> tuple[Path, Path]:
    """An editor named vi (so it is given +LINE) that writes its arguments, one per line."""
    calls = folder / "editor-calls.txt"
    editor = folder / "bin" / "vi"
    editor.parent.mkdir()
    editor.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {calls}\n', encoding="utf-8")
    editor.chmod(0o755)
    return editor, calls


# -- the editor ----------------------------------------------------------------------------------


@pytest.mark.parametrize("folder", ["+!touch PWNED;", "-n"])
def test_the_editor_is_given_an_absolute_path(notes: Path, folder: str) -> None:
    """vim reads `+cmd` as a command to run and `-n` as an option: the path starts with `/`."""
    section = Path(folder) / "demo" / "01-basics.yaml"
    command = editor_command(section, 7, {"VISUAL": "vim"})
    assert command == ["vim", "+7", str(notes.parent / folder / "demo" / "01-basics.yaml")]
    assert command[-1].startswith("/")
    code = editor_command(section, 7, {"VISUAL": "code"})
    assert code[-1] == f"{notes.parent / folder / 'demo' / '01-basics.yaml'}:7"


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("vim '", "VISUAL `vim '`: No closing quotation"),
        (" ", "VISUAL ` ` names no command"),
        ("'' -f", "VISUAL `'' -f` names no command"),
    ],
)
def test_an_editor_command_that_cannot_be_parsed_is_one_line(value: str, why: str) -> None:
    with pytest.raises(StudykitError) as raised:
        editor_command(Path("notes/demo/01-basics.yaml"), 1, {"VISUAL": value, "EDITOR": "vi"})
    assert str(raised.value) == f"cannot start the editor: {why}"


@needs_tmux
def test_e_in_a_notes_folder_named_like_a_vim_command(notes: Path, terminal: Terminal) -> None:
    folder = notes.parent / "+!touch PWNED;"
    notes.rename(folder)
    editor, calls = _recording_editor(notes.parent)
    terminal.start(notes.parent, ["review", "--notes", folder.name], VISUAL=str(editor))
    terminal.wait_for("Q: The [...] conference met in 1959.")
    terminal.keys("e")
    terminal.wait_for("reloaded 01-basics.yaml")
    assert calls.read_text(encoding="utf-8").splitlines() == [
        "+7",
        str(folder / "demo" / "01-basics.yaml"),
    ]
    terminal.keys("q")
    terminal.wait_for("EXIT=0")
    assert not (notes.parent / "PWNED").exists()


@needs_tmux
@pytest.mark.parametrize(
    ("visual", "line"),
    [
        ("vim '", "cannot start the editor: VISUAL `vim '`: No closing quotation"),
        (" ", "cannot start the editor: VISUAL ` ` names no command"),
        ("/nonexistent", "cannot start the editor: /nonexistent: No such file or directory"),
    ],
)
def test_an_editor_that_cannot_start_is_one_line_and_the_session_goes_on(
    notes: Path, terminal: Terminal, visual: str, line: str
) -> None:
    terminal.start(notes.parent, ["review"], VISUAL=visual)
    terminal.wait_for("Q: The [...] conference met in 1959.")
    terminal.keys("e")
    shown = terminal.wait_for("cannot start the editor")
    assert f"{line} (the session goes on)" in shown, shown
    assert "Traceback" not in shown, shown
    terminal.keys("Space")
    back = terminal.wait_for("A: The Lushan conference met in 1959.")
    assert "Traceback" not in back, back
    terminal.keys("3")
    terminal.wait_for("Good: next in 10m")
    terminal.keys("q")
    end = terminal.wait_for("EXIT=0")
    assert "1 answer in" in end, end


# -- ingest's hint -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        (f"e{ESC}[31mred", "e\\x1b[31mred"),
        ("r\u202eevil", "r\\u202eevil"),
        ("two\u2028lines", "two\\u2028lines"),
        ("new\nline", "new\\nline"),
    ],
)
def test_ingest_next_hint_shows_names_as_escapes(
    notes: Path, run: Runner, name: str, shown: str
) -> None:
    source = notes.parent / "dust.txt"
    source.write_text("The Dust Bowl\n\nDrought came to the plains in 1931.\n", encoding="utf-8")
    result = run("ingest", str(source), "--notes", name)
    assert result.exit_code == 0, result
    hint = result.stdout.splitlines()[-1]
    assert hint == (
        f"next: edit the drafts in {shown}/dust/ (each file says what to do), then "
        f"`studykit check dust --notes '{shown}'` and `studykit deck dust --notes '{shown}'`"
    )
    for unsafe in (ESC, "\u202e", "\u2028"):
        assert unsafe not in result.stdout


# -- control characters in notes -----------------------------------------------------------------


def _section_with(notes: Path, old: str, new: str) -> Path:
    path = notes / "demo" / "01-basics.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


_SUMMARY = "summary: The basics, with **bold** text and <b>raw html</b>."
_DEFINITION = "    definition: The large rural unit of 1958, c. 5,000 households."


@pytest.mark.parametrize(
    ("old", "new", "where", "char"),
    [
        (_SUMMARY, r'summary: "sum \e]0;PWNED\e\\ end"', "4:15", r"U+001B ESCAPE (written `\e`)"),
        (_DEFINITION, r'    definition: "def \x1b[2J"', "12:22", r"U+001B ESCAPE (written `\x1b`)"),
        (
            _DEFINITION,
            r'    definition: "def \u009b2J"',
            "12:22",
            r"U+009B CONTROL SEQUENCE INTRODUCER (written `\u009b`)",
        ),
        (_DEFINITION, r'    definition: "bell \a"', "12:23", r"U+0007 BELL (written `\a`)"),
        (
            _DEFINITION,
            r'    definition: "back \rover"',
            "12:23",
            r"U+000D CARRIAGE RETURN (written `\r`)",
        ),
        (_DEFINITION, r'    definition: "del \x7f"', "12:22", r"U+007F DELETE (written `\x7f`)"),
        ("tags: [basics]", r'tags: ["a\eb"]', "22:10", r"U+001B ESCAPE (written `\e`)"),
        (
            "  - A plain point that says no.",
            '  - "A point over\n    two lines \\e[2J"',
            "7:15",
            r"U+001B ESCAPE (written `\e`)",
        ),
    ],
)
def test_check_refuses_a_control_character_where_it_is_written(
    notes: Path, run: Runner, old: str, new: str, where: str, char: str
) -> None:
    _section_with(notes, old, new)
    result = run("check")
    assert result.exit_code == 1, result
    more = " (1 more in this text)" if where == "4:15" else ""  # the title's closing `\e`
    assert result.stderr.splitlines()[0] == (
        f"notes/demo/01-basics.yaml:{where}: error: this text holds the control character "
        f"{char}, which a terminal would act on (move the cursor, clear the screen, retitle "
        "the window) when studykit shows it: delete it" + more
    ), result.stderr


def test_math_that_became_a_control_character_is_named(notes: Path, run: Runner) -> None:
    """`\\frac` and `\\beta` in double quotes are a form feed and a backspace: refused, with
    the way to keep the backslash."""
    _section_with(notes, _SUMMARY, r'summary: "x $a\beta + \frac{1}{2}$ and \e end"')
    result = run("check")
    assert result.exit_code == 1, result
    assert result.stderr.splitlines()[0] == (
        "notes/demo/01-basics.yaml:4:15: error: this text holds the control character U+0008 "
        "BACKSPACE (written `\\b`), which a terminal would act on (move the cursor, clear the "
        "screen, retitle the window) when studykit shows it: if `\\beta` is math, write this "
        "text in single quotes or as a `|` block, where a backslash stays a backslash "
        "(2 more in this text)"
    ), result.stderr


def test_tabs_and_line_breaks_are_text(notes: Path, run: Runner) -> None:
    _section_with(notes, _SUMMARY, r'summary: "one\ttab, then\na new line"')
    result = run("check")
    assert result.exit_code == 0, result


def test_show_and_review_never_send_a_control_character(notes: Path, run: Runner) -> None:
    _section_with(notes, _SUMMARY, r'summary: "sum \e]0;PWNED\e\\ end"')
    _section_with(notes, _DEFINITION, r'    definition: "def \e[2J"')
    shown = run("show", "--no-pager", "--answers")
    assert shown.exit_code == 1, shown  # the other section is still shown, the broken named
    assert "02 More" in shown.stdout and "Second section." in shown.stdout, shown
    assert ESC not in shown.output and "PWNED" not in shown.output
    assert "notes/demo/01-basics.yaml:4:15: error: " in shown.stderr
    assert shown.stderr.rstrip().endswith("(section not shown)")
    reviewed = run("review", "--notes", "notes", input="\n3\n" * 20)
    assert ESC not in reviewed.output and "PWNED" not in reviewed.output
    assert "def " not in reviewed.output  # the broken section's term is never asked


@pytest.mark.parametrize(
    ("name", "content", "where", "char"),
    [
        (
            "sources.bib",
            "@book{mao,\n  author = {Dikötter, Frank},\n  title = {Mao\x1b]0;PWNED\x07 Famine},"
            "\n  year = {2010},\n}\n",
            "3:15",
            "U+001B ESCAPE",
        ),
        (
            "sources.json",
            '[{"id": "mao", "type": "book",\n  "title": "Mao\\u001b[2J Famine"}]\n',
            "2:16",
            "U+001B ESCAPE (written `\\u001b`)",
        ),
    ],
)
def test_a_bibliography_with_a_control_character_is_refused(
    notes: Path, run: Runner, name: str, content: str, where: str, char: str
) -> None:
    (notes / "demo" / name).write_text(content.replace("\n", "\r\n"), encoding="utf-8")
    reading = notes / "demo" / "reading.yaml"
    reading.write_text(
        reading.read_text(encoding="utf-8") + f"bibliography: {name}\n", encoding="utf-8"
    )
    _section_with(notes, _SUMMARY, "summary: The basics [@mao].")
    checked = run("check")
    assert checked.exit_code == 1, checked
    assert (
        f"notes/demo/{name}:{where}: error: bibliography holds the control character {char}, "
        "which a terminal would act on when studykit shows the sources: delete it"
    ) in checked.stderr, checked
    shown = run("show", "--no-pager")
    assert ESC not in shown.output and "PWNED" not in shown.output, shown


@pytest.mark.parametrize(
    ("name", "content", "drafted"),
    [
        (
            "bells.txt",
            "The Dust Bowl\n\nDrought\x1b[2J came\x07 to the\x9b31m plains\x7f in 1931. "
            "It\x0b lasted\x0c a decade.\n",
            "Drought [2J came  to the 31m plains  in 1931.",
        ),
        (
            "bells.md",
            "# Dust\n\nDrought \x1b[2J came\x9b to the plains in 1931. It lasted a decade.\n",
            "Drought [2J came to the plains in 1931.",
        ),
        (
            "bells.html",
            "<html><head><title>T</title></head><body><h1>Dust</h1><p>Drought&#27;[2J came "
            "to&#x9b;31m the plains &#7; in 1931. It lasted a decade.</p></body></html>",
            "Drought [2J came to›31m the plains in 1931.",  # 0x9b is `›` in HTML (cp1252)
        ),
    ],
)
def test_ingest_writes_no_control_character(
    notes: Path, run: Runner, name: str, content: str, drafted: str
) -> None:
    source = notes.parent / name
    source.write_text(content, encoding="utf-8")
    result = run("ingest", str(source), "--id", "dust")
    assert result.exit_code == 0, result
    written = "".join(p.read_text(encoding="utf-8") for p in (notes / "dust").glob("*.yaml"))
    assert drafted in written, written
    assert CONTROL.search(written.replace("\r", "")) is None, written
    checked = run("check", "dust")
    assert checked.exit_code == 0, checked


# -- $COLUMNS and $PAGER -------------------------------------------------------------------------


@pytest.mark.parametrize("columns", ["0", "1", "junk", "-5", "59"])
@pytest.mark.parametrize("command", [["list"], ["stats"], ["show", "--no-pager"]])
def test_a_columns_below_60_acts_as_60(
    notes: Path,
    run: Runner,
    monkeypatch: pytest.MonkeyPatch,
    columns: str,
    command: list[str],
) -> None:
    monkeypatch.setenv("STUDYKIT_NOW", NOW)
    monkeypatch.setenv("COLUMNS", "60")
    at_60 = run(*command)
    monkeypatch.setenv("COLUMNS", columns)
    narrow = run(*command)
    assert narrow.exit_code == 0, narrow
    assert narrow.stdout == at_60.stdout
    expected = {
        "list": "demo  A Demo Reading        4       2           3      12",
        "stats": "12 cards · 12 new · 0 due now",
        "show": "The basics, with bold text and <b>raw html</b>.",
    }[command[0]]
    assert expected in narrow.stdout, narrow


@pytest.mark.parametrize("command", [["list"], ["stats"], ["show", "--no-pager"]])
def test_a_columns_over_1000_acts_as_1000(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    # `show` drew its rules COLUMNS wide: COLUMNS=100000000 (a typo) took over 30 s and 620 MB.
    monkeypatch.setenv("STUDYKIT_NOW", NOW)
    monkeypatch.setenv("COLUMNS", "1000")
    at_1000 = run(*command)
    monkeypatch.setenv("COLUMNS", "100000000")
    wide = run(*command)
    assert wide.exit_code == 0, wide
    assert wide.stdout == at_1000.stdout
    assert max(len(line) for line in wide.stdout.splitlines()) <= 1000, "no line past 1,000"


@needs_tmux
@pytest.mark.parametrize(
    ("pager", "why"),
    [
        ('"x', 'PAGER `"x`: No closing quotation'),
        (" ", "PAGER ` ` names no command"),
        ("/nonexistent", "PAGER `/nonexistent`: No such file or directory"),
        ("false", "PAGER `false` exited with status 1"),
    ],
)
def test_a_pager_that_cannot_run_leaves_the_notes_printed(
    notes: Path, terminal: Terminal, pager: str, why: str
) -> None:
    terminal.start(notes.parent, ["show", "demo", "basics"], PAGER=pager)
    terminal.wait_for("EXIT=0")
    shown = terminal.tmux("capture-pane", "-p", "-t", "t", "-S", "-")  # scrolled-off lines too
    assert f"not paged: {why}" in shown, shown
    assert "  The basics, with bold text and <b>raw html</b>." in shown, shown
    assert "Q2. What is a<b & c>d?" in shown, shown


@needs_tmux
def test_a_pager_that_runs_is_given_the_notes(notes: Path, terminal: Terminal) -> None:
    terminal.start(notes.parent, ["show", "demo", "basics"], PAGER="cat -n")
    terminal.wait_for("EXIT=0")
    shown = terminal.tmux("capture-pane", "-p", "-t", "t", "-S", "-")  # scrolled-off lines too
    assert "    10    The basics, with bold text and <b>raw html</b>." in shown, shown
    assert "not paged" not in shown, shown


@needs_tmux
@pytest.mark.skipif(shutil.which("less") is None, reason="less is not installed")
def test_without_pager_set_less_pages_the_notes(notes: Path, terminal: Terminal) -> None:
    terminal.start(notes.parent, ["show"])  # the whole reading: longer than the 40 lines
    first = terminal.wait_for("A Demo Reading")
    assert "EXIT=" not in first, "less waits for a key when the notes do not fit"
    terminal.keys("G")  # to the end, as a student reads on
    terminal.wait_for("Q1. One more?")  # the last section's question
    terminal.keys("q")
    end = terminal.wait_for("EXIT=0")
    assert "not paged" not in end, end
