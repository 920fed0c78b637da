"""The README's commands run as written on the shipped notes."""

from __future__ import annotations

import re
import shlex
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
