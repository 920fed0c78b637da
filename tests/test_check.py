"""`studykit check` on good notes and on every kind of broken file a student can write."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import Run, Runner

# A whole one-pixel PNG: images are read to their end.
ONE_PIXEL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082"
)


def test_valid_notes_pass_with_a_summary_line(notes: Path, run: Runner) -> None:
    result: Run = run("check")
    assert result.exit_code == 0, result
    assert "ok: 1 reading, 2 sections, 12 cards" in result.stdout, result
    assert result.stderr == "", result


BROKEN = [
    # (name, file content, expected line, words the message must contain)
    ("duplicate key", b"title: A\nsummary: x\ntitle: B\n", 3, "duplicate key 'title'"),
    ("tab indentation", b"title: A\npoints:\n\t- x\n", 3, "tab"),
    ("latin-1 bytes", "title: Caf\u00e9\n".encode("latin-1"), 1, "not UTF-8"),
    ("wrong type", b"title: A\npoints: just text\n", 2, "'points' should be a list"),
    ("unknown key", b"title: A\nsumary: x\n", 2, "did you mean 'summary'"),
    ("missing required", b"summary: no title here\n", 1, "missing required key 'title'"),
    ("unbalanced cloze", b"title: A\npoints:\n  - The {{Lushan conference\n", 3, "no closing"),
    ("empty cloze", b"title: A\npoints:\n  - The {{}} x\n", 3, "empty deletion"),
    (
        "alias bomb",
        b'title: A\nx: &a ["lol","lol"]\ny: &b [*a,*a,*a,*a]\nz: [*b,*b,*b,*b]\n',
        2,
        "anchors",
    ),
    ("empty file", b"", 1, "empty"),
    (
        "python tag",
        b'title: A\nsummary: !!python/object/apply:os.system ["echo pwned"]\n',
        2,
        "tags (!!python/object/apply:os.system) are not allowed",
    ),
    ("list at top level", b"- title: A\n", 1, "expected a mapping"),
    ("binary garbage", bytes(range(256)) * 4, 2, "not UTF-8 (byte 0x80)"),
    ("control characters", b"title: A\x00B\n", 1, "control character U+0000"),
    ("two documents", b"title: A\n---\ntitle: B\n", 2, "single document"),
    ("colon in a point", b"title: A\npoints:\n  - Note: this\n", 3, "put text that contains"),
    ("missing colon", b"title: A\nsummary\npoints: []\n", 3, "missing its `:`"),
    ("nested point", b"title: A\npoints:\n  - [a, b]\n", 3, "each point is a mapping"),
    ("bad id", b"title: A\nid: Policies!\n", 2, "must be a slug"),
    (
        "duplicate term",
        b"title: A\nterms:\n  - {term: X, definition: a}\n  - {term: X, definition: b}\n",
        4,
        "same text as the one at line 3",
    ),
    ("deep nesting", b"title: A\nx: " + b"[" * 5000 + b"\n", 2, "nesting"),
    ("oversized", b"title: A\nsummary: " + b"x" * (1024 * 1024) + b"\n", 0, "limited to"),
    *(
        (
            f"value starting with {char}",
            f"title: A\npoints:\n  - {char}x{char} marks it\n".encode(),
            3,
            f'starts with {char} must be in quotes: write - "{char}x{char} marks it"',
        )
        for char in "!&*@`%"
    ),
    (
        "image at the start of a point",
        b"title: A\npoints:\n  - ![map](map.png) shows the provinces\n",
        3,
        'must be in quotes: write - "![map](map.png) shows the provinces"',
    ),
    ("block marker with text", b"title: A\nsummary: | and so\n", 2, 'write summary: "| and so"'),
    ("folded marker with text", b"title: A\nsummary: >50%\n", 2, 'write summary: ">50%"'),
    (
        "key indented deeper",
        b"title: A\nquestions:\n  - q: Why?\n     a: Because.\n",
        4,
        "`a:` is indented deeper than `q:` on line 3; keys of one item must line up",
    ),
    (
        "key indented less",
        b"title: A\nquestions:\n  - q: Why?\n    a: Because.\n   note: x\n",
        5,
        "`note:` is indented less than `a:` on line 4",
    ),
    (
        "list item indented deeper",
        b"title: A\npoints:\n  - A {{a}}.\n   - B {{b}}.\n",
        4,
        "this `- ` is indented deeper than the item above",
    ),
    (
        "merge conflict",
        b"title: A\npoints:\n<<<<<<< HEAD\n  - A\n=======\n  - B\n>>>>>>> other\n",
        3,
        "an unresolved merge conflict (`<<<<<<< HEAD`)",
    ),
    (
        "answer for a",
        b"title: A\nquestions:\n  - q: Why?\n    answer: x\n",
        4,
        "unknown key 'answer' in question; did you mean 'a'?",
    ),
    ("misspelt title", b"titel: A\n", 1, "unknown key 'titel'; did you mean 'title'?"),
    (
        "answer for a, hint",
        b"title: A\nquestions:\n  - {q: Why?, a: y, answer: x}\n",
        3,
        "unknown key 'answer' in question; did you mean 'a'?",
    ),
    (
        "top-level key indented",
        b"title: A\n  summary: x\n",
        2,
        "`summary:` is indented deeper than `title:` on line 1",
    ),
]


@pytest.mark.parametrize(
    ("content", "line", "words"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_broken_section_file_is_one_clear_line(
    notes: Path, run: Runner, content: bytes, line: int, words: str
) -> None:
    broken = notes / "demo" / "03-broken.yaml"
    broken.write_bytes(content)
    result: Run = run("check")
    assert result.exit_code == 1, result
    assert result.exception is None, result
    assert "Traceback" not in result.output, result
    lines = [e for e in result.stderr.splitlines() if "03-broken.yaml" in e and "error:" in e]
    assert lines, result
    where = f"notes/demo/03-broken.yaml:{line}:" if line else "notes/demo/03-broken.yaml: error"
    assert lines[0].startswith(where), result
    assert words in lines[0], result
    assert len(lines) == 1, f"one broken thing, one error line: {result!r}"
    assert result.stderr.splitlines()[-1].startswith("check: 1 error"), result


def test_reading_without_title(notes: Path, run: Runner) -> None:
    (notes / "demo" / "reading.yaml").write_text("deck: Demo\n")
    result: Run = run("check")
    assert result.exit_code == 1, result
    assert "notes/demo/reading.yaml:1:1: error: missing required key 'title'" in result.stderr


def test_every_problem_of_every_file_in_one_run(notes: Path, run: Runner) -> None:
    (notes / "demo" / "reading.yaml").write_text("title: Demo\nreverse_terms: yes\n")
    (notes / "demo" / "03-a.yaml").write_text("title: A\nsumary: x\npoints:\n  - '{{x'\n")
    result: Run = run("check")
    assert result.exit_code == 1, result
    assert "reading.yaml:2:16: error: 'reverse_terms' should be true or false" in result.stderr
    assert "03-a.yaml:2:1: error: unknown key 'sumary'" in result.stderr
    assert "03-a.yaml:4:6: error: cloze: `{{` has no closing `}}`" in result.stderr
    assert "check: 3 errors" in result.stderr


def test_warnings_fail_only_with_strict(notes: Path, run: Runner) -> None:
    (notes / "demo" / "03-bare.yaml").write_text("title: Bare\npoints:\n  - Just a point.\n")
    lenient: Run = run("check")
    assert lenient.exit_code == 0, lenient
    assert (
        "03-bare.yaml:1:1: warning: section has no summary: add `summary:`, the section in your "
        "own words [no-summary]"
    ) in lenient.stderr
    assert "03-bare.yaml:1:1: warning: section makes no cards" in lenient.stderr
    assert "[no-cards]" in lenient.stderr
    strict: Run = run("check", "--strict")
    assert strict.exit_code == 1, strict
    (notes / "demo" / "03-bare.yaml").write_text(
        "title: Bare\nallow: [no-summary, no-cards]\npoints:\n  - Just a point.\n"
    )
    allowed: Run = run("check", "--strict")
    assert allowed.exit_code == 0, "a section may say it means to have no summary or cards"


def test_section_file_names(notes: Path, run: Runner) -> None:
    (notes / "demo" / "policies.yaml").write_text("title: P\n")
    (notes / "demo" / "04-x.yml").write_text("title: P\n")
    (notes / "demo" / "05-Bad_Name.yaml").write_text("title: P\nsummary: s\n")
    result: Run = run("check")
    assert result.exit_code == 1, result
    assert "policies.yaml: error: section files are named NN-<id>.yaml" in result.stderr
    assert "04-x.yml: error: notes files end in .yaml" in result.stderr
    assert "05-Bad_Name.yaml: error: section id 'Bad_Name'" in result.stderr


def test_two_sections_with_one_id(notes: Path, run: Runner) -> None:
    (notes / "demo" / "03-more-things.yaml").write_text("title: Again\nsummary: s\n")
    result: Run = run("check")
    assert result.exit_code == 1, result
    assert (
        "03-more-things.yaml: error: section id 'more-things' is also the id of 02-more.yaml"
        in result.stderr
    )


def test_images_must_stay_inside_the_reading(notes: Path, run: Runner) -> None:
    (notes / "outside.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (notes / "demo" / "map.png").write_bytes(ONE_PIXEL_PNG)
    (notes / "demo" / "03-img.yaml").write_text(
        "title: Images\nsummary: s\npoints:\n"
        "  - ok ![map](map.png)\n"
        "  - escape ![x](../outside.png)\n"
        "  - absolute ![x](/etc/passwd)\n"
        "  - web ![x](https://example.com/a.png)\n"
        "  - missing ![x](nothere.png)\n"
    )
    result: Run = run("check")
    assert result.exit_code == 1, result
    errors = [line for line in result.stderr.splitlines() if "03-img.yaml" in line]
    assert any(":5:" in e and "outside the reading's folder" in e for e in errors), result
    assert any(":6:" in e and "relative to this file" in e for e in errors), result
    assert any(":7:" in e and "relative to this file" in e for e in errors), result
    assert any(":8:" in e and "not found" in e for e in errors), result
    assert not any(":4:" in e for e in errors), result


def test_unknown_reading_and_missing_notes_folder(notes: Path, run: Runner, tmp_path: Path) -> None:
    unknown: Run = run("check", "nope")
    assert unknown.exit_code == 2, "a reading named on the command line that does not exist"
    assert "no reading 'nope'" in unknown.stderr and "demo" in unknown.stderr
    missing: Run = run("check", "--notes", str(tmp_path / "absent"))
    assert missing.exit_code == 1, missing
    assert f"error: no notes folder at {tmp_path / 'absent'}" in missing.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    none: Run = run("check", "--notes", str(empty))
    assert none.exit_code == 1, none
    assert "no readings in" in none.stderr


def test_bom_is_accepted(notes: Path, run: Runner) -> None:
    path = notes / "demo" / "02-more.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result: Run = run("check")
    assert result.exit_code == 0, result


def test_a_dash_inside_a_wrapped_point_is_text(notes: Path, run: Runner) -> None:
    (notes / "demo" / "03-dash.yaml").write_text(
        "title: Dash\nsummary: s\npoints:\n  - The famine - its scale hidden - lasted\n"
        "    from 1959 to 1961 - three years.\n",
        encoding="utf-8",
    )
    result: Run = run("check")
    assert result.exit_code == 0, result


def test_two_readings_of_one_deck_name_are_warned_at_the_second(notes: Path, run: Runner) -> None:
    # In Anki the second reading's sections would land in the first one's subdecks; Anki's
    # deck names ignore case.
    shutil.copytree(notes / "demo", notes / "other", ignore=shutil.ignore_patterns("*.lock"))
    (notes / "other" / "reading.yaml").write_text(
        "title: Another reading\ndeck: DEMO::reading\n", encoding="utf-8"
    )
    result = run("check")
    assert result.exit_code == 0, result
    assert result.stderr.splitlines() == [
        "notes/other/reading.yaml:2:1: warning: the deck name `DEMO::reading` is demo's too, so "
        "in Anki the two readings' cards would share it and its section subdecks: give this "
        "reading a `deck:` of its own, such as `DEMO::reading::other`"
    ]
    assert run("check", "--strict").exit_code == 1
    (notes / "other" / "reading.yaml").write_text("title: Another reading\n", encoding="utf-8")
    assert run("check").stderr == ""
