"""The README's commands run as written on the shipped notes."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from anki_helpers import import_deck
from conftest import REPO, Run, Runner

STUDY_FOLDER = "### Your own study folder"


def study_folder_block() -> str:
    """The README's commands that start a study folder of one's own, outside the clone."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    after = text[text.index(STUDY_FOLDER) :]
    return re.findall(r"```sh\n(.*?)```", after, flags=re.DOTALL)[0]


def readme_commands() -> list[list[str]]:
    """Every `studykit ...` command in the README's shell blocks, without redirections, but
    those of the study folder of one's own (they run in a folder of their own below)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL):
        if block == study_folder_block():
            continue
        for line in block.splitlines():
            for part in line.split("&&"):
                words = shlex.split(part.split(">")[0])
                if words and words[0] == "studykit":
                    commands.append(words[1:])
    return commands


def test_readme_has_the_main_job() -> None:
    assert ["deck"] in readme_commands()


def _report_rows(stdout: str) -> dict[str, tuple[int, int]]:
    """A deck report's table: section row (`01 Introduction`, `total`) -> (notes, cards)."""
    rows = {}
    for line in stdout.splitlines():
        match = re.fullmatch(r"\s+(\d\d .+?|total)\s+(\d+)\s+(\d+)\b.*", line)
        if match:
            rows[match[1]] = (int(match[2]), int(match[3]))
    return rows


def _deck_matches_its_report(deck: Path, stdout: str, collection: Path) -> None:
    """The deck holds, per section subdeck and in total, what the report said it holds."""
    rows = _report_rows(stdout)
    assert "total" in rows, f"the report has a table with a total: {stdout}"
    col = import_deck(deck, collection)
    try:
        assert (col.note_count(), len(col.find_cards(""))) == rows["total"], stdout
        for name, (_, cards) in rows.items():
            if name != "total":
                found = col.find_cards(f'"deck:*::{name}"')
                assert len(found) == cards, f"subdeck {name!r}: {len(found)} cards, {stdout}"
    finally:
        col.close()


def _files() -> dict[Path, bytes]:
    """Every file under the current folder, with its content."""
    return {path: path.read_bytes() for path in Path().rglob("*") if path.is_file()}


def _promise(args: list[str], result: Run, seen: dict[str, object], tmp: Path) -> None:
    """What the README says each of its commands does, checked on what it printed and wrote."""
    out = result.stdout
    command = " ".join(args)
    if "drafts" in args:
        # The trial on the shipped essay touches nothing of the student's: all goes to drafts/.
        before = seen["files"]
        assert isinstance(before, dict)
        changed = {p for p, data in _files().items() if before.get(p) != data}
        changed |= {p for p in before if not p.exists()}
        assert all(p.parts[0] == "drafts" for p in changed), f"{command}: {sorted(changed)}"
    if command == "deck":
        _deck_matches_its_report(Path("cards/mao-collectivization.apkg"), out, tmp / "a.anki2")
        seen["cards"] = _report_rows(out)["total"][1]
    elif args[0] == "ingest":
        folder = Path("drafts/mao-draft")
        source = Path(args[1])
        assert (folder / source.name).read_bytes() == source.read_bytes(), "copied byte for byte"
        from studykit.notes.validate import load_reading

        assert load_reading(folder).source == source.name, "reading.yaml names the copy"
        files = sorted(p.name for p in folder.glob("[0-9][0-9]-*.yaml"))
        assert files and files[0] == "01-introduction.yaml", f"one file per section: {files}"
        assert all(name in out for name in files), f"the sections are listed: {out}"
        assert "studykit check mao-draft" in out, f"it ends with the next step: {out}"
    elif args[0] == "check":
        assert re.search(r"^ok: 1 reading, 5 sections, \d+ cards?;", out, re.M), out
    elif command == "deck mao-draft --notes drafts -o drafts/":
        _deck_matches_its_report(Path("drafts/mao-draft.apkg"), out, tmp / "b.anki2")
    elif command == "outline -f pdf":
        from pypdf import PdfReader

        pdf = Path("mao-collectivization-outline.pdf")
        text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
        assert "Collectivization" in text and "Introduction" in text, text[:500]
    elif args[:2] == ["outline", "-f"] and "-o" in args:
        html = Path(args[args.index("-o") + 1]).read_text(encoding="utf-8")
        assert html.lstrip().lower().startswith("<!doctype html"), html[:200]
        assert "The Failure of Mao Zedong" in html, html[:500]
    elif args[0] == "summary":
        assert out.startswith("The Failure of Mao Zedong's Collectivization\n"), out[:200]
        assert all(f"{n}. {t}" in out for n, t in [(1, "Introduction"), (5, "Conclusion")]), out
    elif args[0] == "review":
        new = args[args.index("--new") + 1] if "--new" in args else "20"
        assert out.startswith(f"{new} new "), f"the top line counts new cards: {out[:200]}"
        assert "\nQ: " in out, f"a card shows its question: {out}"
        assert "Session ended; every answer is saved." in out, out
    elif command == "stats":
        assert f"{seen['cards']} cards · " in out, f"as many cards as the deck: {out}"
    elif command == "stats --json":
        assert json.loads(out)["cards"] == seen["cards"], f"as many cards as the deck: {out}"
    elif args[0] == "optimize":
        # No answer of the README's own is in the store yet: nothing to fit, the defaults stay.
        assert out == "no answers yet: a fit needs 400; review keeps the FSRS defaults\n", out
    elif args[0] == "schema":
        import jsonschema
        import yaml

        schema = json.loads(out)
        jsonschema.validators.validator_for(schema).check_schema(schema)
        folder = Path("notes/mao-collectivization")
        files = [folder / "reading.yaml"] if args[1] == "reading" else sorted(folder.glob("0*"))
        for file in files:
            jsonschema.validate(yaml.safe_load(file.read_text(encoding="utf-8")), schema)
    else:
        raise AssertionError(f"test_readme.py has no check of what `studykit {command}` does")


def test_readme_commands_do_what_the_readme_says(
    shipped: Path, run: Runner, tmp_path: Path
) -> None:
    seen: dict[str, object] = {}
    for args in readme_commands():
        seen["files"] = _files()
        result = run(*args)
        assert result.exit_code == 0, f"studykit {' '.join(args)}\n{result}"
        _promise(args, result, seen, tmp_path)
    assert "cards" in seen, "the README builds the deck of the shipped notes"


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
    from studykit.notes.fields import (
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
    _deck_matches_its_report(study / "cards" / "chapter-4.apkg", done.stdout, tmp_path / "c.anki2")
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
