"""`studykit ingest` as a student runs it: the folder it writes, its messages, its refusals."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, REPO, Runner

from studykit.notes.drafts import is_unedited_draft
from studykit.notes.validate import load_reading

SHIPPED_SOURCE = REPO / "notes" / "mao-collectivization" / "failure-of-mao-collectivization.txt"
INGEST = DATA / "ingest"


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_shipped_reading_gives_the_shipped_sections(here: Path, run: Runner) -> None:
    result = run("ingest", str(SHIPPED_SOURCE), "--id", "mao")
    assert result.exit_code == 0, result
    got = load_reading(here / "notes" / "mao")
    want = load_reading(REPO / "notes" / "mao-collectivization")
    assert got.title == want.title, got.title
    sections = [(s.path.name, s.id, s.title, s.excerpt) for s in got.sections]
    expected = [(s.path.name, s.id, s.title, s.excerpt) for s in want.sections]
    assert sections == expected, sections
    assert got.source == "failure-of-mao-collectivization.txt", got.source
    copy = here / "notes" / "mao" / "failure-of-mao-collectivization.txt"
    assert copy.read_bytes() == SHIPPED_SOURCE.read_bytes(), "the source is copied verbatim"


def test_report_says_what_was_written_and_what_to_do_next(
    here: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    result = run("ingest", str(SHIPPED_SOURCE))
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "The Failure of Mao Zedong's Collectivization: 5 sections written to "
        "notes/failure-of-mao-collectivization/"
    ), result
    # Each section with what was drafted in it, and the sections left for the student. (Mao,
    # the essay's topic, is no answer; "affected {{China}} domestically" hides a name inside
    # its sentence, too often a detail: the other sections give no fair card.)
    # (Their columns are test_ingest_listing.py's.)
    files = ["01-introduction", "02-policies", "03-ideology", "04-international", "05-conclusion"]
    assert [x.split()[0] for x in lines[1:6]] == [f"{name}.yaml" for name in files], result
    assert lines[1].endswith("[1 cloze point]"), result
    # They hold points to read, some a summary: drafted, not yet cards.
    assert all("[no card; " in x for x in lines[2:6]), result
    assert lines[6] == (
        "drafted 1 card (1 cloze point); left for you (no card drafted): 02-policies.yaml, "
        "03-ideology.yaml, 04-international.yaml, 05-conclusion.yaml"
    ), result
    assert lines[-1].startswith("next: edit the drafts"), result
    assert "studykit check failure-of-mao-collectivization" in lines[-1], result
    assert "studykit deck failure-of-mao-collectivization" in lines[-1], result
    assert result.stderr == "", result


def test_drafts_pass_check_and_are_marked_unedited(here: Path, run: Runner) -> None:
    assert run("ingest", str(SHIPPED_SOURCE), "--id", "mao").exit_code == 0
    check = run("check")
    assert check.exit_code == 0, check
    assert "0 errors" in check.stdout, check
    reading = load_reading(here / "notes" / "mao")
    assert all(is_unedited_draft(s) for s in reading.sections), "every section is a fresh draft"
    for section in reading.sections:
        text = section.path.read_text(encoding="utf-8")
        assert text.startswith("# Draft notes written by `studykit ingest`"), text[:200]
        lines = text.splitlines()
        assert lines[-1] == f'draft: "{section.draft}"', lines[-1]
        assert "delete this line" in lines[-2].lower(), lines[-2]


def test_template_braces_in_a_drafted_term_are_text(here: Path, run: Runner) -> None:
    # Only a point's text makes clozes, and `check` refuses `{{` in a definition: a page on
    # a template language drafts its `{{ name }}` escaped, as it does in points.
    (here / "templates.md").write_text(
        "# Templates\n\n## Basics\n\nA **placeholder** is a marked slot, such as {{ title }}, "
        "where the program puts a value. Programs fill placeholders from data.\n",
        encoding="utf-8",
    )
    assert run("ingest", "templates.md").exit_code == 0
    check = run("check")
    assert check.exit_code == 0, check
    [section] = load_reading(here / "notes" / "templates").sections
    assert [(t.term, t.definition) for t in section.terms] == [
        ("placeholder", "a marked slot, such as \\{{ title }}, where the program puts a value")
    ]


def test_editing_a_draft_clears_the_marker(here: Path, run: Runner) -> None:
    assert run("ingest", str(SHIPPED_SOURCE), "--id", "mao").exit_code == 0
    path = here / "notes" / "mao" / "02-policies.yaml"
    text = path.read_text(encoding="utf-8")
    summary = next(line for line in text.splitlines() if line.startswith("summary: "))
    path.write_text(text.replace(summary, "summary: In my own words."), encoding="utf-8")
    section = load_reading(here / "notes" / "mao").section("policies")
    assert section is not None and not is_unedited_draft(section), "an edit ends the draft"


def test_same_source_twice_gives_identical_files(here: Path, run: Runner) -> None:
    for notes in ("a", "b"):
        result = run("ingest", str(INGEST / "hostile.md"), "--notes", notes)
        assert result.exit_code == 0, result
    first, second = files_of(here / "a" / "hostile"), files_of(here / "b" / "hostile")
    assert first == second, "ingest is deterministic"
    assert len(first) == 6, sorted(first)


def test_same_source_in_separate_processes_gives_identical_files(here: Path) -> None:
    """Hash seeds differ between processes; nothing written may depend on them."""
    source = INGEST / "wrapped-numbered.txt"
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-m", "studykit", "ingest", str(source), "--notes", f"seed-{seed}"],
            capture_output=True, text=True, check=False, env=env,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    first = files_of(here / "seed-1" / "wrapped-numbered")
    assert first == files_of(here / "seed-2" / "wrapped-numbered"), "same bytes in every process"


def test_existing_folder_is_refused_and_left_alone(here: Path, run: Runner) -> None:
    assert run("ingest", str(SHIPPED_SOURCE), "--id", "mao").exit_code == 0
    folder = here / "notes" / "mao"
    (folder / "02-policies.yaml").write_text("title: My own notes\n", encoding="utf-8")
    before = files_of(folder)
    result = run("ingest", str(SHIPPED_SOURCE), "--id", "mao")
    assert result.exit_code == 1, result
    assert result.stderr.count("\n") == 1, result
    assert "notes/mao: error: mao already exists" in result.stderr, result
    assert "--force" in result.stderr, result
    assert files_of(folder) == before, "a refused ingest touches nothing"
    assert sorted(p.name for p in (here / "notes").iterdir()) == ["mao"], "no leftovers"


def test_force_moves_the_old_folder_aside(here: Path, run: Runner) -> None:
    assert run("ingest", str(SHIPPED_SOURCE), "--id", "mao").exit_code == 0
    folder = here / "notes" / "mao"
    fresh = files_of(folder)
    (folder / "02-policies.yaml").write_text("title: My own notes\n", encoding="utf-8")
    result = run("ingest", str(SHIPPED_SOURCE), "--id", "mao", "--force")
    assert result.exit_code == 0, result
    aside = here / "notes" / ".mao.old-20261129-080000"
    moved = f"moved the old notes/mao/ aside to notes/{aside.name}/"
    assert result.stdout.splitlines()[0] == moved, result
    assert (aside / "02-policies.yaml").read_text(encoding="utf-8") == "title: My own notes\n"
    assert files_of(folder) == fresh, "the same reading ingested again changes nothing"
    again = run("ingest", str(SHIPPED_SOURCE), "--id", "mao", "--force")
    assert again.exit_code == 0, again
    assert (here / "notes" / ".mao.old-20261129-080000-2").is_dir(), "a second move keeps both"
    check = run("check")
    assert check.exit_code == 0 and "1 reading" in check.stdout, "moved folders are not readings"


def test_interrupted_ingest_leaves_nothing(
    here: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("ingest", str(SHIPPED_SOURCE), "--id", "mao").exit_code == 0
    before = files_of(here / "notes" / "mao")

    def interrupt(*args: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr("studykit.ingest.pipeline.fingerprint", interrupt)
    result = run("ingest", str(SHIPPED_SOURCE), "--id", "mao", "--force")
    assert result.exit_code == 130, result
    assert sorted(p.name for p in (here / "notes").iterdir()) == ["mao"], "nothing half-written"
    assert files_of(here / "notes" / "mao") == before, "the old folder is untouched"
    fresh = run("ingest", str(SHIPPED_SOURCE), "--id", "other")
    assert fresh.exit_code == 130, fresh
    assert not (here / "notes" / "other").exists(), "no new folder either"


def test_standard_input(here: Path, run: Runner) -> None:
    text = (INGEST / "setext.md").read_text(encoding="utf-8")
    result = run("ingest", "-", input=text)
    assert result.exit_code == 0, result
    reading = load_reading(here / "notes" / "the-setext-reading")
    assert [s.title for s in reading.sections] == ["Introduction", "First Part", "Second Part"]
    assert reading.source == "source.md", reading.source
    empty = run("ingest", "-", input="")
    assert empty.exit_code == 1 and empty.stderr == "standard input: error: file is empty\n", empty
    titled = run("ingest", "-", "--id", "piped", "--title", "Piped: a test", input="Just text.\n")
    assert titled.exit_code == 0, titled
    assert load_reading(here / "notes" / "piped").title == "Piped: a test"


def test_title_option_overrides_the_text(here: Path, run: Runner) -> None:
    result = run("ingest", str(SHIPPED_SOURCE), "--title", "Mao's collectivization, #1: why")
    assert result.exit_code == 0, result
    reading = load_reading(here / "notes" / "failure-of-mao-collectivization")
    assert reading.title == "Mao's collectivization, #1: why", reading.title
    assert len(reading.sections) == 5, "the title line is still the title, not a section"


def _binary(path: Path) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def _latin1(path: Path) -> None:
    path.write_bytes("Title\n\nCaf\u00e9 and cr\u00e8me.\n".encode("latin-1"))


BAD_INPUTS = [
    ("missing.txt", None, "missing.txt: error: no such file"),
    ("folder.txt", lambda p: p.mkdir(), "folder.txt: error: is a folder"),
    ("empty.txt", lambda p: p.write_bytes(b""), "empty.txt: error: file is empty"),
    ("blank.md", lambda p: p.write_bytes(b"\n \n\t\n"), "blank.md: error: no paragraphs of text"),
    ("image.txt", _binary, "image.txt: error: not a text file"),
    ("old.txt", _latin1, "old.txt:3:4: error: not UTF-8 text (byte 0xe9)"),
    ("slides.pdf", lambda p: p.write_bytes(b"%PDF-1.4"), "slides.pdf: error: unknown kind of file"),
    (
        "headings-only.txt",
        lambda p: p.write_bytes((INGEST / "headings-only.txt").read_bytes()),
        "headings-only.txt: error: no paragraphs of text found",
    ),
    (
        "only-tags.html",
        lambda p: p.write_bytes(b"<html><script>x()</script><nav>menu</nav></html>"),
        "only-tags.html: error: no paragraphs of text found",
    ),
]


@pytest.mark.parametrize(("name", "make", "message"), BAD_INPUTS)
def test_bad_input_is_one_clear_line(
    here: Path, run: Runner, name: str, make: object, message: str
) -> None:
    path = here / name
    if callable(make):
        make(path)
    result = run("ingest", name)
    assert result.exit_code == 1, result
    assert result.exception is None, result.exception
    assert result.stderr.startswith(message), result
    assert result.stderr.count("\n") == 1, result
    assert not (here / "notes").exists() or not any((here / "notes").iterdir()), "nothing written"


NOT_A_FILE = "error: not a regular file (a pipe or a device); give a .txt, .md or .html file\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_is_refused_not_waited_on(here: Path, run: Runner) -> None:
    # The audit's case: opening a pipe waited for a writer that never came. A regression fails
    # here after ten seconds instead of hanging the suite.
    os.mkfifo("pipe.txt")

    def hung(signum: int, frame: object) -> None:
        raise TimeoutError("ingest waited on the pipe")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(10)
    try:
        result = run("ingest", "pipe.txt")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert result.exit_code == 1, result
    assert result.exception is None, result.exception
    assert result.stderr == f"pipe.txt: {NOT_A_FILE}", result
    assert not (here / "notes").exists(), "nothing written"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_device_is_refused_before_it_is_read(here: Path, run: Runner) -> None:
    # /dev/zero has size 0 and never ends: read, it would fill memory.
    result = run("ingest", "/dev/zero", "--id", "zero")
    assert result.exit_code == 1, result
    assert result.exception is None, result.exception
    assert result.stderr == f"/dev/zero: {NOT_A_FILE}", result
    assert not (here / "notes").exists(), "nothing written"


@pytest.mark.parametrize("bad_id", ["../x", "Mao", "a/b", "-x", ""])
def test_id_must_be_a_slug(here: Path, run: Runner, bad_id: str) -> None:
    result = run("ingest", str(SHIPPED_SOURCE), "--id", bad_id)
    assert result.exit_code == 2, "a bad value on the command line is a usage error"
    assert f"--id {bad_id!r} is not a reading id" in result.stderr, result
    assert not (here / "notes").exists(), "a refused id writes nothing"
    assert not (here / "x").exists(), "an id is never a path"


def test_unknown_extension_reads_with_format(here: Path, run: Runner) -> None:
    (here / "chapter.rst").write_text("A Title\n\nSome text here.\n", encoding="utf-8")
    result = run("ingest", "chapter.rst", "--format", "txt")
    assert result.exit_code == 0, result
    assert load_reading(here / "notes" / "chapter").title == "A Title"
    bad = run("ingest", "chapter.rst", "--format", "docx")
    assert bad.exit_code == 2, bad
    assert "unknown --format 'docx'" in bad.stderr, bad


def test_source_named_like_a_notes_file_is_copied_under_another_name(
    here: Path, run: Runner
) -> None:
    (here / "notes.yaml").write_text("Some Title\n\nSome text: here.\n", encoding="utf-8")
    result = run("ingest", "notes.yaml", "--format", "txt", "--id", "yaml-source")
    assert result.exit_code == 0, result
    folder = here / "notes" / "yaml-source"
    assert (folder / "source.txt").read_text(encoding="utf-8").startswith("Some Title")
    assert load_reading(folder).source == "source.txt"


def test_long_reading_in_parts_passes_check(here: Path, run: Runner) -> None:
    paragraph = "Grain was taken from the villages at prices set far below the market. " * 30
    (here / "long.txt").write_text("\n\n".join([paragraph] * 400), encoding="utf-8")
    result = run("ingest", "long.txt")
    assert result.exit_code == 0, result
    assert "4 sections written" in result.stdout, result
    check = run("check")
    assert check.exit_code == 0, check


def test_a_paragraph_too_big_for_a_notes_file_is_refused(here: Path, run: Runner) -> None:
    (here / "wall.txt").write_text("A Title\n\n" + "word " * 120_000, encoding="utf-8")
    result = run("ingest", "wall.txt")
    assert result.exit_code == 1, result
    assert result.stderr.startswith("wall.txt:3:1: error: a paragraph or list in 'Full text' is"), (
        result
    )
    assert result.stderr.count("\n") == 1, result
    assert not (here / "notes").exists() or not any((here / "notes").iterdir()), "nothing written"


def test_notes_folder_that_cannot_be_written(here: Path, run: Runner) -> None:
    (here / "notes").write_text("a file, not a folder\n", encoding="utf-8")
    result = run("ingest", str(SHIPPED_SOURCE))
    assert result.exit_code == 1, result
    assert result.stderr.startswith("notes: error: the notes folder is a file"), result
    assert result.stderr.count("\n") == 1, result
    assert (here / "notes").read_text(encoding="utf-8") == "a file, not a folder\n"


def test_web_page_in_its_declared_encoding(here: Path, run: Runner) -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        "<title>大跃进</title></head><body><h1>大跃进 (Dàyuèjìn)</h1>"
        "<p>The Great Leap Forward, 大跃进, began in 1958.</p></body></html>"
    )
    (here / "gbk.html").write_bytes(page.encode("gbk"))
    (here / "cafe.html").write_bytes(
        '<meta charset="windows-1252"><h1>Café</h1><p>Crème brûlée.</p>'.encode("cp1252")
    )
    for name in ("gbk", "cafe"):
        result = run("ingest", f"{name}.html")
        assert result.exit_code == 0, result
    gbk = load_reading(here / "notes" / "gbk")
    assert gbk.sections[0].excerpt == "The Great Leap Forward, 大跃进, began in 1958.", gbk
    cafe = load_reading(here / "notes" / "cafe")
    assert (cafe.title, cafe.sections[0].excerpt) == ("Café", "Crème brûlée."), cafe
    undeclared = here / "latin.html"
    undeclared.write_bytes("<p>Crème brûlée.</p>".encode("latin-1"))
    refused = run("ingest", "latin.html")
    assert refused.exit_code == 1, refused
    assert refused.stderr.startswith("latin.html:1:6: error: not UTF-8 text (byte 0xe8)"), refused


@pytest.mark.parametrize("charset", ["utf-16", "utf-16le", "utf-32", "cp037", "cp500"])
def test_a_meta_charset_no_browser_reads_a_page_in_is_read_as_utf8(
    here: Path, run: Runner, charset: str
) -> None:
    # The page's bytes are ASCII: a <meta> that could be read was not written in UTF-16, and
    # no browser knows EBCDIC. Decoded as declared, the text came out as CJK or accented junk.
    page = f'<meta charset="{charset}"><h1>Tariffs</h1><p>The tariff of 1667 doubled.</p>'
    (here / "page.html").write_bytes(page.encode("ascii"))
    result = run("ingest", "page.html")
    assert result.exit_code == 0, result
    reading = load_reading(here / "notes" / "page")
    assert (reading.title, reading.sections[0].excerpt) == (
        "Tariffs",
        "The tariff of 1667 doubled.",
    )


def test_empty_title_is_refused(here: Path, run: Runner) -> None:
    result = run("ingest", str(SHIPPED_SOURCE), "--title", "  ")
    assert result.exit_code == 2, result
    assert "--title is empty" in result.stderr, result
    assert not (here / "notes").exists(), "a refused title writes nothing"


def test_notes_option_naming_a_file_is_refused(here: Path, run: Runner) -> None:
    (here / "drafts").write_text("not a folder\n", "utf-8")
    result = run("ingest", str(SHIPPED_SOURCE), "--notes", "drafts")
    assert result.exit_code == 1, result
    assert result.stderr == "drafts: error: the notes folder is a file; give --notes a folder\n", (
        result
    )


def test_next_step_carries_the_notes_option(here: Path, run: Runner) -> None:
    result = run("ingest", str(SHIPPED_SOURCE), "--id", "mao-draft", "--notes", "drafts")
    assert result.exit_code == 0, result
    last = result.stdout.splitlines()[-1]
    assert "`studykit check mao-draft --notes drafts`" in last, last
    assert "`studykit deck mao-draft --notes drafts`" in last, last
    check = run("check", "mao-draft", "--notes", "drafts")
    assert check.exit_code == 0, check


def test_a_hundred_sections_are_numbered_to_list_in_order(here: Path, run: Runner) -> None:
    text = "".join(f"Topic Number {n}\n\nThe text of topic {n} is here.\n\n" for n in range(1, 121))
    (here / "long.txt").write_text("A Long Reading\n\n" + text, "utf-8")
    result = run("ingest", "long.txt")
    assert result.exit_code == 0, result
    names = sorted(p.name for p in (here / "notes" / "long").glob("*-*.yaml"))
    numbers = [name.split("-")[0] for name in names]
    assert numbers == [f"{n:03d}" for n in range(1, 121)], "listed in reading order"
    reading = load_reading(here / "notes" / "long")
    titles = [s.title for s in reading.sections]
    assert titles == [f"Topic Number {n}" for n in range(1, 121)], titles[:12]


def test_loader_reads_five_digit_section_numbers(tmp_path: Path) -> None:
    folder = tmp_path / "mao"
    shutil.copytree(REPO / "notes" / "mao-collectivization", folder)
    last = sorted(folder.glob("05-*.yaml"))[0]
    last.rename(folder / ("10000-" + last.name[3:]))
    reading = load_reading(folder)
    assert reading.sections[-1].path.name.startswith("10000-"), reading.sections[-1].path
    assert len(reading.sections) == 5, "the five-digit file is read, last"


def test_the_draft_line_shown_in_the_docs_is_written_as_ingest_writes_it(
    here: Path, run: Runner
) -> None:
    result = run("ingest", str(SHIPPED_SOURCE), "--id", "mao")
    assert result.exit_code == 0, result
    last = (here / "notes" / "mao" / "01-introduction.yaml").read_text("utf-8").splitlines()[-1]
    assert re.fullmatch(r'draft: "[0-9a-f]{16}"', last), last
    page = (REPO / "docs" / "notes.md").read_text("utf-8")
    shown = re.findall(r"^draft: .*$", page, re.MULTILINE)
    assert shown and all(re.fullmatch(r'draft: "[0-9a-f]{16}"', line) for line in shown), shown


def test_drafts_of_the_shipped_essay_trip_no_long_or_list_answer(here: Path, run: Runner) -> None:
    assert run("ingest", str(SHIPPED_SOURCE), "--id", "mao").exit_code == 0, "ingested"
    result = run("check", "mao")
    assert result.exit_code == 0, result
    rules = [line.rsplit("[", 1)[-1] for line in result.stderr.splitlines() if "warning" in line]
    # The essay states no date, number or definition, and its topic (Mao) is no answer: four
    # sections give no fair card, and say so rather than drafting a poor one. Two leads are
    # no summary: one the next sentence turns from ("However, ..."), one that names nothing
    # its heading does.
    rules_wanted = ["draft-unedited]"] * 5 + ["no-cards]"] * 4 + ["no-summary]"] * 2
    assert sorted(rules) == sorted(rules_wanted), result.stderr
    assert "03-ideology.yaml:5:1: warning: section makes no cards" in result.stderr, result.stderr
    intro = load_reading(here / "notes" / "mao").sections[0]
    assert intro.summary == (
        "Mao Zedong's collectivization efforts during the Great Leap Forward represent a "
        "significant chapter in Chinese history, characterized by ambition, ideology, and "
        "ultimately, tragedy."
    ), "a whole sentence, not cut at a comma"
