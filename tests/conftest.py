"""Shared fixtures: every test works on copies of notes under tmp_path, never on the repo."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from studykit.cli import app

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent
SHIPPED_NOTES = REPO / "notes"


@pytest.fixture
def notes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of tests/data/notes in a fresh working folder, which becomes the current folder."""
    target = tmp_path / "notes"
    shutil.copytree(DATA / "notes", target)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)
    return target


@pytest.fixture
def shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the notes the project ships, in a fresh working folder."""
    target = tmp_path / "notes"
    shutil.copytree(SHIPPED_NOTES, target)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)
    return target


class Run:
    """The result of one command: exit code and what the student saw on each stream."""

    def __init__(self, exit_code: int, stdout: str, stderr: str, exception: BaseException | None):
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr
        self.exception = exception

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def __repr__(self) -> str:
        return f"exit {self.exit_code}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


Runner = Callable[..., Run]


@pytest.fixture
def run() -> Iterator[Runner]:
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Run:
        result = runner.invoke(app, list(args), input=input, catch_exceptions=True)
        exception = result.exception if not isinstance(result.exception, SystemExit) else None
        return Run(result.exit_code, result.stdout, result.stderr, exception)

    yield invoke
