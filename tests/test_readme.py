"""The README's commands run as written on the shipped notes."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

from conftest import REPO, Runner


def readme_commands() -> list[list[str]]:
    """Every `studykit ...` command in the README's shell blocks, without redirections."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL):
        for line in block.splitlines():
            for part in line.split("&&"):
                words = shlex.split(part.split(">")[0])
                if words and words[0] == "studykit":
                    commands.append(words[1:])
    return commands


def test_readme_has_the_main_job() -> None:
    assert ["deck"] in readme_commands()


def test_readme_commands_run(shipped: Path, run: Runner) -> None:
    for args in readme_commands():
        result = run(*args)
        assert result.exit_code == 0, f"studykit {' '.join(args)}\n{result}"
    assert Path("cards/mao-collectivization.apkg").is_file()


def readme_test_command() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)
    return next(b.strip() for b in blocks if "pytest" in b)


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert f"{readme_test_command()} || exit 1" in ci, "CI must run the README's test command"


def _fake_tools(bin_dir: Path, pip_exit: int) -> None:
    """Stand-ins for the programs .ci/run calls, so a failing install can be staged."""
    bin_dir.mkdir()
    scripts = {
        "apt-get": "exit 0",
        # `python3 -m venv .venv` makes an activate script that puts this folder first on PATH.
        "python3": 'mkdir -p .venv/bin && echo "PATH=\\"$(dirname "$0"):\\$PATH\\"" '
        "> .venv/bin/activate",
        "pip": f"exit {pip_exit}",
        "python": 'echo "1 passed"; echo ran > pytest-ran',
        "ruff": "exit 0",
        "mypy": "exit 0",
    }
    for name, body in scripts.items():
        path = bin_dir / name
        path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        path.chmod(0o755)


def test_ci_fails_when_the_install_fails(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".ci").mkdir(parents=True)
    shutil.copy(REPO / ".ci" / "run", repo / ".ci" / "run")
    _fake_tools(tmp_path / "bin", pip_exit=1)
    env = {**os.environ, "PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}"}
    done = subprocess.run(
        ["bash", ".ci/run"], cwd=repo, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode != 0, f"a failed install must fail CI\n{done.stdout}{done.stderr}"
    assert not (repo / "pytest-ran").exists()


def test_ci_passes_when_every_step_passes(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".ci").mkdir(parents=True)
    shutil.copy(REPO / ".ci" / "run", repo / ".ci" / "run")
    _fake_tools(tmp_path / "bin", pip_exit=0)
    env = {**os.environ, "PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}"}
    done = subprocess.run(
        ["bash", ".ci/run"], cwd=repo, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (repo / "pytest-ran").exists()


def test_readme_names_every_key_of_the_notes() -> None:
    from studykit.fields import (
        POINT_FIELDS,
        QUESTION_FIELDS,
        READING_FIELDS,
        SECTION_FIELDS,
        TERM_FIELDS,
    )

    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = text[text.index("Every key, in one place") :]
    table = table[: table.index("\n\n", table.index("|"))]
    rows = {line.split("|")[1].strip(): line.split("|")[2] for line in table.splitlines()[3:]}
    kinds = {
        "`reading.yaml`": READING_FIELDS,
        "section file": SECTION_FIELDS,
        "a point": POINT_FIELDS,
        "a term": TERM_FIELDS,
        "a question": QUESTION_FIELDS,
    }
    for row, fields in kinds.items():
        for field in fields:
            shown = f"**`{field.name}`**" if field.required else f"`{field.name}`"
            assert shown in rows[row], f"README's key table lacks {shown} for {row}"
