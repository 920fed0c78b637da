"""The pages of docs/ as a student reads them: every shell example runs as written, in a shell,
on a copy of the shipped notes, and does what the page says; every link leads somewhere; each
page opens by saying what it holds."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SHIPPED_NOTES, Run
from doc_helpers import (
    DOCS,
    SESSIONS,
    anchors,
    fenced,
    files,
    pages,
    prepare,
    promise,
    relative_links,
    sh_blocks,
    studykit_words,
)

RUNNABLE = sorted(page.name for page in DOCS.glob("*.md") if sh_blocks(page.read_text("utf-8")))


def test_the_pages_a_reader_is_promised_exist() -> None:
    names = {page.name for page in DOCS.glob("*.md")}
    wanted = {"notes.md", "anki.md", "review.md", "handouts.md", "ingest.md", "performance.md"}
    assert wanted | {"testing.md", "security.md"} <= names, sorted(names)


@pytest.mark.parametrize("name", RUNNABLE)
def test_every_shell_line_of_a_page_runs_and_does_what_it_says(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "study"
    shutil.copytree(SHIPPED_NOTES, folder / "notes")
    monkeypatch.chdir(folder)
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDYKIT_")}
    # The environment the README's first command made active: its `studykit` comes first.
    env.update(HOME=str(tmp_path), PATH=f"{Path(sys.executable).parent}:{env['PATH']}")
    checked = subprocess.run(
        ["studykit", "check"], env=env, capture_output=True, text=True, check=False
    )
    cards = re.match(r"ok: 1 reading, 5 sections, (\d+) cards", checked.stdout)
    assert cards, checked
    seen: dict[str, object] = {"cards": int(cards[1])}
    ran = 0
    for block in sh_blocks((DOCS / name).read_text(encoding="utf-8")):
        for line in block.splitlines():
            args, target = studykit_words(line)
            assert args, f"{name}: a line of a ```sh block that runs no studykit: {line!r}"
            seen["files"] = files()
            prepare(args, tmp_path)
            done = subprocess.run(
                ["bash", "-e", "-o", "pipefail", "-c", line],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            assert done.returncode == 0, f"{name}: {line}\n{done.stdout}{done.stderr}"
            out = Path(target).read_text(encoding="utf-8") if target else done.stdout
            promise(args, Run(done.returncode, out, done.stderr, None), seen, tmp_path, line)
            ran += 1
    assert ran, f"{name} has a ```sh block"


def test_shell_examples_are_run_or_named_as_not_run() -> None:
    """A command shown in a block that is not ```sh is either output (```text) or one of the
    few no test can run, listed in `SESSIONS`."""
    for page in pages():
        for info, body in fenced(page.read_text(encoding="utf-8")):
            lines = [line for line in body.splitlines() if line.strip()]
            if info.strip() == "sh-session":
                assert lines == SESSIONS.get(page.name), f"{page.name}: {lines}"
            elif info.strip() not in {"sh", "text"}:
                commands = [line for line in lines if re.match(r"\$? ?studykit ", line)]
                assert not commands, f"{page.name}: a command outside a ```sh block: {commands}"
    shown = {
        p.name: [b for i, b in fenced(p.read_text("utf-8")) if i == "sh-session"] for p in pages()
    }
    assert {name for name, blocks in shown.items() if blocks} == set(SESSIONS), shown


def test_the_pull_shown_is_the_pull_run() -> None:
    from doc_helpers import PULLED

    assert f"```text\n{PULLED}```" in (DOCS / "review.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", pages(), ids=lambda page: page.name)
def test_every_relative_link_leads_to_a_file_and_heading(page: Path) -> None:
    for link in relative_links(page.read_text(encoding="utf-8")):
        path, _, anchor = link.partition("#")
        target = (page.parent / path).resolve() if path else page
        assert target.is_file(), f"{page.name}: {link} leads to no file"
        if anchor:
            found = anchors(target.read_text(encoding="utf-8"))
            assert anchor in found, f"{page.name}: {link}: no such heading in {sorted(found)}"


@pytest.mark.parametrize("page", sorted(DOCS.glob("*.md")), ids=lambda page: page.name)
def test_every_page_opens_with_a_title_and_a_paragraph_saying_what_it_holds(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    title, blank, rest = text.split("\n", 2)
    assert title.startswith("# ") and blank == "", f"{page.name}: {title!r}"
    paragraph = rest.split("\n\n", 1)[0]
    assert not re.match(r"```|[#|-] |    ", paragraph), f"{page.name} opens with {paragraph[:80]!r}"
    assert len(paragraph.split()) >= 25, f"{page.name}: one paragraph on what the page holds"


def test_the_readme_links_every_page() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    linked = {link.partition("#")[0] for link in relative_links(readme)}
    missing = {f"docs/{page.name}" for page in DOCS.glob("*.md")} - linked
    assert not missing, f"the README links to every page of docs/: {sorted(missing)}"


def test_the_readmes_section_file_passes_the_strictest_check(tmp_path: Path) -> None:
    """The README's notes in one look: a section file that checks clean, with the cards it
    says it makes (two cloze deletions, a term, a question)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    (section,) = [body for info, body in fenced(readme) if info == "yaml"]
    folder = tmp_path / "notes" / "r"
    folder.mkdir(parents=True)
    (folder / "reading.yaml").write_text("title: R\n", encoding="utf-8")
    (folder / "01-policies.yaml").write_text(section, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "studykit", "check", "--strict"],
        cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if not k.startswith("STUDYKIT_")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "ok: 1 reading, 1 section, 4 cards; 0 errors, 0 warnings\n", done
