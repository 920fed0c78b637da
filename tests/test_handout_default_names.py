"""A handout at its default name replaces only the handout studykit last wrote there.

Without -o (or with -o a folder) the student names no file: `<reading>-outline.pdf` and
`course-pack.pdf` may already be a file of their own (an essay, an instructor's course pack, the
handout they annotated since). Like `deck` at `cards/<reading>.apkg`, the handout then refuses,
one line and exit 1, and the file keeps its bytes and mode. What studykit wrote at a default name
is recorded beside it (`.studykit/<name>.written.json`: size and SHA-256); only that file is
replaced, and any file the student names with -o or gives up with --force.
"""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

from conftest import Runner

REFUSED = (
    "error: will not replace this file with the handout: studykit did not write it (or it was "
    "changed since); move it away, name another file with -o, or replace it with --force"
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
    record = json.loads(Path(".studykit/demo-outline.pdf.written.json").read_text())
    assert record["size"] == len(first)
    (notes / "demo" / "reading.yaml").write_text("title: Demo, revised\n", encoding="utf-8")
    result = run("outline", "-f", "pdf")
    assert result.exit_code == 0, result
    assert result.stdout == "wrote demo-outline.pdf\n"
    assert Path("demo-outline.pdf").read_bytes() != first


def test_a_handout_annotated_since_is_kept(notes: Path, run: Runner) -> None:
    # A PDF annotator appends its annotations to the file: it is no longer what studykit wrote.
    assert run("outline", "-f", "pdf").exit_code == 0
    handout = Path("demo-outline.pdf")
    with handout.open("ab") as file:
        file.write(b"\n1 0 obj << /Type /Annot /Contents (my note) >> endobj\n%%EOF\n")
    before = (handout.read_bytes(), stat.S_IMODE(handout.stat().st_mode))
    result = run("outline", "-f", "pdf")
    assert result.exit_code == 1, result
    assert result.stderr == f"demo-outline.pdf: {REFUSED}\n"
    _kept(handout, before)


def test_a_large_file_of_the_students_is_refused_by_its_size(notes: Path, run: Runner) -> None:
    assert run("outline", "-f", "pdf").exit_code == 0
    handout = Path("demo-outline.pdf")
    handout.unlink()
    with handout.open("wb") as file:  # sparse: 4 GB on no disk, never read
        file.truncate(4 << 30)
    result = run("outline", "-f", "pdf")
    assert result.exit_code == 1, result
    assert result.stderr == f"demo-outline.pdf: {REFUSED}\n"
    assert handout.stat().st_size == 4 << 30


def test_force_or_a_named_file_replaces_the_students_file(notes: Path, run: Runner) -> None:
    _theirs(Path("demo-outline.pdf"))
    named = run("outline", "-f", "pdf", "-o", "demo-outline.pdf")
    assert named.exit_code == 0, named
    assert Path("demo-outline.pdf").read_bytes().startswith(b"%PDF-")
    assert stat.S_IMODE(Path("demo-outline.pdf").stat().st_mode) == 0o600, "its mode is kept"
    assert not Path(".studykit").exists(), "a file the student named is not recorded"
    _theirs(Path("demo-outline.pdf"))
    forced = run("outline", "-f", "pdf", "--force")
    assert forced.exit_code == 0, forced
    assert run("outline", "-f", "pdf").exit_code == 0, "written with --force: studykit's now"


def test_a_page_that_only_mentions_studykit_is_kept(notes: Path, run: Runner) -> None:
    page = Path("handouts/demo-outline.html")
    before = _theirs(page, b'<!-- <meta name="generator" content="studykit"> -->\n<p>mine</p>\n')
    refused = run("outline", "-f", "html", "-o", "handouts/")
    assert refused.exit_code == 1, refused
    assert refused.stderr == f"handouts/demo-outline.html: {REFUSED}\n"
    _kept(page, before)
    page.unlink()
    assert run("outline", "-f", "html", "-o", "handouts/").exit_code == 0
    again = run("outline", "-f", "html", "-o", "handouts/")
    assert again.exit_code == 0, again


def test_markdown_in_a_folder_follows_the_same_rule(notes: Path, run: Runner) -> None:
    sheet = Path("handouts/demo-outline.md")
    before = _theirs(sheet, b"# my own outline\n")
    result = run("outline", "-o", "handouts/")
    assert result.exit_code == 1, result
    assert result.stderr == f"handouts/demo-outline.md: {REFUSED}\n"
    _kept(sheet, before)
    sheet.unlink()
    assert run("outline", "-o", "handouts/").exit_code == 0
    assert run("outline", "-o", "handouts/").exit_code == 0, "studykit's own: replaced"


def test_a_record_that_is_a_link_vouches_for_nothing(notes: Path, run: Runner) -> None:
    assert run("outline", "-f", "pdf").exit_code == 0
    elsewhere = Path("elsewhere")
    Path(".studykit").rename(elsewhere)
    Path(".studykit").symlink_to(elsewhere)
    result = run("outline", "-f", "pdf")
    assert result.exit_code == 1, result
    assert result.stderr == f"demo-outline.pdf: {REFUSED}\n"


def test_a_record_of_any_content_vouches_for_nothing(notes: Path, run: Runner) -> None:
    assert run("outline", "-f", "pdf").exit_code == 0
    record = Path(".studykit/demo-outline.pdf.written.json")
    for content in ("[" * 4000, '{"kind": "studykit handout", "size": true}', "\udcff", ""):
        record.write_text(content, encoding="utf-8", errors="surrogateescape")
        result = run("outline", "-f", "pdf")
        assert result.exit_code == 1, (content[:20], result)
        assert result.stderr == f"demo-outline.pdf: {REFUSED}\n"
