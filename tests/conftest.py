"""Shared fixtures: every test works on copies of notes under tmp_path, never on the repo."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from studykit.cli.app import app

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent
SHIPPED_NOTES = REPO / "notes"

# Property tests: the normal test command runs each on the same examples every time, so a
# submission never fails on a case nobody changed; `HYPOTHESIS_PROFILE=thorough` searches at
# random, ten times as long, and keeps what it finds in .hypothesis/ for the next run.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("thorough", derandomize=False, print_blob=True)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)


def examples(count: int) -> int:
    """How many examples a property test runs: `count` normally, ten times that when thorough."""
    return count * 10 if PROFILE == "thorough" else count


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test keeps what studykit caches (formatted citations) in a folder of its own: never
    the student's, and never what another test left."""
    monkeypatch.setenv("STUDYKIT_CACHE", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def notes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of tests/data/notes in a fresh working folder, which becomes the current folder."""
    target = tmp_path / "notes"
    shutil.copytree(DATA / "notes", target)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)
    return target


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty study folder that is the current folder, at a fixed morning."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)
    monkeypatch.setenv("STUDYKIT_NOW", "2026-11-29T08:00:00+01:00")
    return tmp_path


@pytest.fixture
def empty_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`notes/r`, a reading with only its reading.yaml (title T), in a fresh current folder;
    the review store is the default one."""
    folder = tmp_path / "notes" / "r"
    folder.mkdir(parents=True)
    (folder / "reading.yaml").write_text("title: T\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)
    return folder


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


@pytest.fixture
def fixed_morning(monkeypatch: pytest.MonkeyPatch) -> None:
    """The clock at 2026-03-02 09:00 (+01:00) and the default review store, for review tests."""
    from review_helpers import MORNING

    monkeypatch.setenv("STUDYKIT_NOW", MORNING.isoformat())
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)
