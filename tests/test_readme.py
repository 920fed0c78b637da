"""The README's commands run as written on the shipped notes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, Runner
from doc_helpers import deck_matches_its_report, files, prepare, promise, sh_blocks, studykit_words

STUDY_FOLDER = "### Your own study folder"


def study_folder_block() -> str:
    """The README's commands that start a study folder of one's own, outside the clone."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return sh_blocks(text[text.index(STUDY_FOLDER) :])[0]


def readme_commands() -> list[tuple[list[str], str]]:
    """Every `studykit ...` command in the README's shell blocks, without redirections, with
    the line it is on; but those of the study folder of one's own (they run in a folder of
    their own below)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in sh_blocks(text):
        if block == study_folder_block():
            continue
        for line in block.splitlines():
            words, _ = studykit_words(line)
            if words:
                commands.append((words, line))
    return commands


def test_readme_has_the_main_job() -> None:
    assert ["deck"] in [args for args, _ in readme_commands()]


def shown_outputs() -> dict[str, tuple[str, str]]:
    """What the README says a one-line block prints, in the sentence after it: command ->
    ("prints" or "starts", the text between backquotes)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    pattern = r"```sh\nstudykit ([^\n]*)\n```\n\n(prints|starts) `([^`]+)`"
    return {command: (how, shown) for command, how, shown in re.findall(pattern, text)}


def test_readme_commands_do_what_the_readme_says(
    shipped: Path, run: Runner, tmp_path: Path
) -> None:
    seen: dict[str, object] = {}
    shown = shown_outputs()
    assert {"check", "review", "unsuspend --list"} <= set(shown), shown
    for args, line in readme_commands():
        seen["files"] = files()
        prepare(args, tmp_path)
        result = run(*args)
        assert result.exit_code == 0, f"studykit {' '.join(args)}\n{result}"
        promise(args, result, seen, tmp_path, line)
        how, text = shown.pop(" ".join(args), ("starts", ""))
        if how == "prints":
            assert result.stdout == text + "\n", f"the README says it prints {text!r}: {result}"
        else:
            assert result.stdout.startswith(text), f"the README says it starts {text!r}: {result}"
    assert "cards" in seen, "the README builds the deck of the shipped notes"
    assert not shown, f"the README shows what these print but never runs them: {shown}"


def readme_test_command() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return next(b.strip() for b in sh_blocks(text) if "pytest" in b)


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


def test_the_notes_page_names_every_key_of_the_notes() -> None:
    from studykit.notes.fields import (
        POINT_FIELDS,
        QUESTION_FIELDS,
        READING_FIELDS,
        SECTION_FIELDS,
        TERM_FIELDS,
    )

    text = (REPO / "docs" / "notes.md").read_text(encoding="utf-8")
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
            assert shown in rows[row], f"docs/notes.md's key table lacks {shown} for {row}"


def test_a_study_folder_of_ones_own(tmp_path: Path) -> None:
    """The README's own-folder commands, run as a student would in a shell: notes/ and cards/
    are made in the folder they start, and the notes are found from elsewhere by --notes or
    STUDYKIT_NOTES."""

    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    (home / "Downloads").mkdir(parents=True)
    elsewhere.mkdir()
    essay = REPO / "notes" / "mao-collectivization" / "failure-of-mao-collectivization.txt"
    shutil.copy(essay, home / "Downloads" / "chapter-4.txt")
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDYKIT_")}
    # The environment the README's first command made active: its `studykit` comes first.
    env.update(HOME=str(home), PATH=f"{Path(sys.executable).parent}:{env['PATH']}")

    def shell(script: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "-e", "-c", script],
            cwd=elsewhere,
            env={**env, **extra},
            capture_output=True,
            text=True,
            check=False,
        )

    done = shell(study_folder_block())
    assert done.returncode == 0, done.stdout + done.stderr
    study = home / "study"
    from studykit.notes.validate import load_reading

    reading = load_reading(study / "notes" / "chapter-4")
    assert reading.source == "chapter-4.txt", "the text is copied beside the notes"
    assert len(reading.sections) == 5, reading.sections
    assert "ok: 1 reading, 5 sections, 1 card;" in done.stdout, done.stdout
    deck_matches_its_report(study / "cards" / "chapter-4.apkg", done.stdout, tmp_path / "c.anki2")
    assert not any(elsewhere.iterdir()), "nothing is written where the shell started"

    # From another folder: not found there, found by --notes or $STUDYKIT_NOTES.
    lost = shell("studykit check")
    assert lost.returncode == 1, lost
    assert "error: no notes folder at notes" in lost.stderr, lost.stderr
    by_option = shell("studykit check --notes ~/study/notes")
    assert by_option.stdout.startswith("ok: 1 reading, 5 sections, 1 card;"), by_option
    by_variable = shell("studykit deck", STUDYKIT_NOTES=str(study / "notes"))
    assert by_variable.returncode == 0, by_variable
    assert by_variable.stdout.startswith("chapter-4: up to date (")
    reviewed = shell("printf '\\n3\\n' | studykit review", STUDYKIT_NOTES=str(study / "notes"))
    assert "1 answer in" in reviewed.stdout, reviewed
    assert (study / ".studykit" / "review.db").is_file(), "progress is kept beside the notes"
    assert sorted(p.name for p in study.iterdir()) == [".studykit", "cards", "notes"], list(
        study.iterdir()
    )
    assert not any(elsewhere.iterdir()), "decks go beside the notes folder, not here"
