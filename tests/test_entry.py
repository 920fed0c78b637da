"""Ctrl-C at any moment after start-up: one line, exit code 130, no traceback."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import studykit.cli.app
from studykit.cli import entry
from studykit.processes import stopping


@pytest.fixture(autouse=True)
def _fresh_report(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(entry, "_reported", False)
    # `entry.main` makes SIGTERM and SIGHUP unwind this process as Ctrl-C does: not pytest's.
    kept = {number: signal.getsignal(number) for number in stopping.STOPS}
    yield
    for number, handler in kept.items():
        signal.signal(number, handler)


def _interrupt() -> None:
    raise KeyboardInterrupt


def test_interrupt_while_starting_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(studykit.cli.app, "main", _interrupt)
    with pytest.raises(SystemExit) as ended:
        entry.main()
    assert ended.value.code == 130
    assert capsys.readouterr().err == "interrupted\n"


def test_interrupt_typer_swallowed_is_still_said_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def typer_exit() -> None:
        raise SystemExit(130)

    monkeypatch.setattr(studykit.cli.app, "main", typer_exit)
    with pytest.raises(SystemExit) as ended:
        entry.main()
    assert ended.value.code == 130
    entry.report_interrupt()  # a second layer that saw the same interrupt says nothing more
    assert capsys.readouterr().err == "interrupted\n"


def test_ctrl_c_in_a_waiting_command(tmp_path: Path) -> None:
    """A real process and a real SIGINT: review waits for an answer on its input."""
    notes = tmp_path / "notes"
    shutil.copytree(Path(__file__).parent / "data" / "notes", notes)
    proc = subprocess.Popen(
        [sys.executable, "-m", "studykit", "review", "--notes", str(notes), "demo"],
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    proc.stdout.readline()  # the first question is on the screen: the session is waiting
    time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()
    assert err.decode().strip().splitlines() == ["interrupted (every answer is saved)"]


def test_interrupt_while_a_class_is_made_is_an_interrupt(
    monkeypatch: pytest.MonkeyPatch, notes: Path
) -> None:
    """Ctrl-C while a module imported late makes a dataclass reaches the command wrapped in a
    RuntimeError ("Error calling __set_name__"): still one line and exit code 130."""
    from typer.testing import CliRunner

    import studykit.quality.checking

    class Descriptor:
        def __set_name__(self, owner: type, name: str) -> None:
            raise KeyboardInterrupt

    def interrupted(*args: object, **kwargs: object) -> None:
        type("Late", (), {"field": Descriptor()})

    monkeypatch.setattr(studykit.quality.checking, "check_readings", interrupted)
    result = CliRunner().invoke(studykit.cli.app.app, ["check"])
    assert result.exit_code == 130, result.output
    assert result.stderr == "interrupted\n"


@pytest.mark.parametrize("command", [["show"], ["summary"], ["ingest", "SOURCE"]])
def test_output_into_a_closed_pipe_ends_quietly(command: list[str], tmp_path: Path) -> None:
    """`studykit … | head -1`: the reader is gone before the command writes. The command stops
    with status 1 and says nothing: no "error: Broken pipe", no traceback; ingest's notes are
    whole, since it prints only once they are in place."""
    notes = tmp_path / "notes"
    shutil.copytree(Path(__file__).parent / "data" / "notes", notes)
    source = tmp_path / "essay.md"
    source.write_text("# An essay\n\n## One\n\nThe harvest of 1959 failed.\n", "utf-8")
    arguments = [str(source) if part == "SOURCE" else part for part in command]
    read_end, write_end = os.pipe()
    os.close(read_end)  # as `head` does once it has its line
    try:
        done = subprocess.run(
            [sys.executable, "-m", "studykit", *arguments, "--notes", str(notes)],
            cwd=tmp_path,
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr.decode()) == (1, "")
    if command[0] == "ingest":
        assert (notes / "essay" / "01-one.yaml").is_file()
