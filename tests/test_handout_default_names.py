"""A handout at its default name replaces only a handout studykit wrote there.

Without -o (or with -o a folder) the student names no file: `<reading>-outline.pdf` and
`course-pack.pdf` may already be a file of their own (an essay, an instructor's course pack).
Like `deck` at `cards/<reading>.apkg`, the handout then refuses, one line and exit 1, and the file
keeps its bytes and mode; studykit's own earlier handout there is replaced, and so is any file
the student names with -o or gives up with --force.
"""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

from conftest import Runner

REFUSED = (
    "error: will not replace this file with the handout: studykit did not write it; move it "
    "away, name another file with -o, or replace it with --force"
)
THEIRS = b"%PDF-1.7\n% the instructor's course pack\n"


def _theirs(path: Path, content: bytes = THEIRS, mode: int = 0o600) -> tuple[bytes, int]:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    path.chmod(mode)
    return content, stat.S_IMODE(path.stat().st_mode)


def _kept(path: Path, before: tuple[bytes, int]) -> None:
    assert (path.read_bytes(), stat.S_IMODE(path.stat().st_mode)) == before


def test_a_pdf_of_the_students_at_the_default_name_is_kept(notes: Path, run: Runner) -> None:
    mine = Path("demo-outline.pdf")
    before = _theirs(mine, b"my own essay, not a handout\n")
    result = run("outline", "-f", "pdf")
    assert result.exit_code == 1, result
    assert result.stderr == f"demo-outline.pdf: {REFUSED}\n"
    assert result.stdout == ""
    _kept(mine, before)
    assert sorted(p.name for p in Path().iterdir()) == ["demo-outline.pdf", "notes"]


def test_a_course_pack_of_the_instructors_is_kept(notes: Path, run: Runner) -> None:
    shutil.copytree(notes / "demo", notes / "second")
    pack = Path("course-pack.pdf")
    before = _theirs(pack, THEIRS, 0o644)
    result = run("outline", "-f", "pdf")
    assert result.exit_code == 1, result
    assert result.stderr == f"course-pack.pdf: {REFUSED}\n"
    _kept(pack, before)


def test_studykits_own_pdf_is_replaced_at_its_default_name(notes: Path, run: Runner) -> None:
    assert run("outline", "-f", "pdf").exit_code == 0
    first = Path("demo-outline.pdf").read_bytes()
    assert b"/Keywords(studykit)" in first, "the PDF carries studykit's mark"
    (notes / "demo" / "reading.yaml").write_text("title: Demo, revised\n", encoding="utf-8")
    result = run("outline", "-f", "pdf")
    assert result.exit_code == 0, result
    assert result.stdout == "wrote demo-outline.pdf\n"
    assert Path("demo-outline.pdf").read_bytes() != first


def test_force_or_a_named_file_replaces_the_students_file(notes: Path, run: Runner) -> None:
    _theirs(Path("demo-outline.pdf"))
    named = run("outline", "-f", "pdf", "-o", "demo-outline.pdf")
    assert named.exit_code == 0, named
    assert Path("demo-outline.pdf").read_bytes().startswith(b"%PDF-")
    assert stat.S_IMODE(Path("demo-outline.pdf").stat().st_mode) == 0o600, "its mode is kept"
    _theirs(Path("demo-outline.pdf"))
    forced = run("outline", "-f", "pdf", "--force")
    assert forced.exit_code == 0, forced
    assert b"/Keywords(studykit)" in Path("demo-outline.pdf").read_bytes()


def test_in_a_folder_given_with_o_only_studykits_html_is_replaced(notes: Path, run: Runner) -> None:
    page = Path("handouts/demo-outline.html")
    before = _theirs(page, b"<!DOCTYPE html><p>my notes page</p>\n")
    refused = run("outline", "-f", "html", "-o", "handouts/")
    assert refused.exit_code == 1, refused
    assert refused.stderr == f"handouts/demo-outline.html: {REFUSED}\n"
    _kept(page, before)
    page.unlink()
    assert run("outline", "-f", "html", "-o", "handouts/").exit_code == 0
    assert '<meta name="generator" content="studykit">' in page.read_text(encoding="utf-8")
    again = run("outline", "-f", "html", "-o", "handouts/")
    assert again.exit_code == 0, again


def test_markdown_carries_no_mark_so_an_existing_one_is_kept(notes: Path, run: Runner) -> None:
    sheet = Path("handouts/demo-outline.md")
    before = _theirs(sheet, b"# my own outline\n")
    result = run("outline", "-o", "handouts/")
    assert result.exit_code == 1, result
    assert result.stderr == f"handouts/demo-outline.md: {REFUSED}\n"
    _kept(sheet, before)
    assert run("outline", "-o", "handouts/demo-outline.md").exit_code == 0, "named: replaced"
