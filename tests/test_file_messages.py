"""The exact lines `check` prints about a reading's files, their top-level keys and `allow:`.

Each case is the mistake a student makes in the folder or in one file, and every problem line
they read, in order: file names, folder names, a missing reading.yaml, tags, booleans, rule
lists; then what `list`, `show` and `stats` keep of a reading with a broken part.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Runner

D = "notes/demo"
F = f"{D}/03-edge.yaml"
CARD = "questions:\n  - q: Why?\n    a: Because.\n"
GOOD = "title: A\nsummary: s\n" + CARD
NO_SUMMARY = "warning: section has no summary: add `summary:`, the section in your own words"
NO_CARDS = "warning: section makes no cards: add terms, questions or {{cloze}} points [no-cards]"


def problem_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": error: " in line or ": warning: " in line]


# (id, {file name: content} added to the demo reading, every problem line in order)
FOLDER_CASES = [
    (
        "names that are not section files",
        {
            ".hidden.yaml": "not: notes",
            "03-x.yml": GOOD,
            "notes.txt": "a note to self",
            "policies.yaml": GOOD,
            "zz.yaml": GOOD,
        },
        [
            f"{D}/03-x.yml: error: notes files end in .yaml; rename this file",
            f"{D}/policies.yaml: error: section files are named NN-<id>.yaml, e.g. "
            "02-policies.yaml",
            f"{D}/zz.yaml: error: section files are named NN-<id>.yaml, e.g. 02-policies.yaml",
        ],
    ),
    (
        "two files with one number",
        # 02-again sorts before 02-more, so the later one is warned about, beside its own
        # problems in line order.
        {"02-again.yaml": GOOD, "02-more.yaml": "title: More\n  summary: x\n"},
        [
            f"{D}/02-more.yaml: warning: number 02 is also used by 02-again.yaml; sections are "
            "ordered by name",
            f"{D}/02-more.yaml:2:3: error: `summary:` is indented deeper than `title:` on line 1; "
            "keys of one item must line up (same number of spaces)",
        ],
    ),
    (
        "two files that take one bad id from their names",
        {"03-Bad_Name.yaml": GOOD, "05-Bad_Name.yaml": GOOD},
        [
            f"{D}/03-Bad_Name.yaml: error: section id 'Bad_Name' (from the file name) must be a "
            "slug: rename the file or set `id:`",
            f"{D}/05-Bad_Name.yaml: error: section id 'Bad_Name' (from the file name) must be a "
            "slug: rename the file or set `id:`",
            f"{D}/05-Bad_Name.yaml: error: section id 'Bad_Name' is also the id of "
            "03-Bad_Name.yaml",
        ],
    ),
    (
        "errors in reading.yaml and a section are listed by file",
        {
            "reading.yaml": "title: T\nreverse_terms: yes\n",
            "01-basics.yaml": "title: B\nsummary: s\ntitle: C\n",
        },
        [
            f"{D}/01-basics.yaml:3:1: error: duplicate key 'title' (first at line 1)",
            f"{D}/reading.yaml:2:16: error: 'reverse_terms' should be true or false, found 'yes'",
        ],
    ),
]


@pytest.mark.parametrize(
    ("files", "expected"), [c[1:] for c in FOLDER_CASES], ids=[c[0] for c in FOLDER_CASES]
)
def test_mistakes_in_the_reading_folder(
    notes: Path, run: Runner, files: dict[str, str], expected: list[str]
) -> None:
    for name, content in files.items():
        (notes / "demo" / name).write_text(content, encoding="utf-8")
    result = run("check")
    assert problem_lines(result.stderr) == expected, result
    assert result.exit_code == 1, result


def test_a_reading_folder_name_that_is_not_a_slug(notes: Path, run: Runner) -> None:
    (notes / "demo").rename(notes / "Demo_Notes")
    result = run("check")
    assert problem_lines(result.stderr) == [
        "notes/Demo_Notes: error: reading folder name 'Demo_Notes' must be a slug (lowercase "
        "letters, digits, hyphens)"
    ], result
    assert result.exit_code == 1, result


def test_a_reading_folder_without_reading_yaml(notes: Path, run: Runner) -> None:
    (notes / "demo" / "reading.yaml").unlink()
    result = run("check")
    assert problem_lines(result.stderr) == [
        f"{D}/reading.yaml: error: missing: every reading folder needs a reading.yaml with a title"
    ], result
    assert result.exit_code == 1, result


def test_a_reading_without_section_files_is_warned_about(notes: Path, run: Runner) -> None:
    for name in ("01-basics.yaml", "02-more.yaml"):
        (notes / "demo" / name).unlink()
    result = run("check")
    assert problem_lines(result.stderr) == [
        f"{D}/reading.yaml: warning: no section files (NN-<id>.yaml) beside reading.yaml"
    ], result
    assert result.exit_code == 0, result


# (id, section file content, every problem line of 03-edge.yaml in order)
SECTION_CASES = [
    ("empty file", "", [f"{F}:1:1: error: file is empty: it needs at least a `title:`"]),
    (
        "a list at the top",
        "- title: A\n",
        [f"{F}:1:1: error: expected a mapping of keys (title: ...), found a list"],
    ),
    (
        "every key indented: warnings point at the title where it is",
        "  title: A\n  points:\n    - x\n",
        [f"{F}:1:3: {NO_SUMMARY} [no-summary]", f"{F}:1:3: {NO_CARDS}"],
    ),
    (
        "tags as a word",
        GOOD + "tags: history\n",
        [f"{F}:6:7: error: 'tags' should be a list like [history, china]"],
    ),
    (
        "a tag with a space",
        GOOD + "tags: [two words]\n",
        [f"{F}:6:8: error: a tag is one word without spaces or quotes"],
    ),
    (
        "an empty tag",
        GOOD + "tags: [a, ~]\n",
        [f"{F}:6:11: error: a tag is one word without spaces or quotes"],
    ),
    ("an empty rule", GOOD + "allow: [~]\n", [f"{F}:6:9: error: empty item in 'allow'"]),
    (
        # The file is broken, so none of its no-summary or no-cards warnings are added.
        "a list inside allow, and an unknown rule after it",
        "title: A\nallow: [[x], zzz]\n",
        [
            f"{F}:2:9: error: each item of 'allow' is a rule name like long-answer",
            f"{F}:2:14: error: unknown rule 'zzz' in 'allow'; rules: long-answer, list-answer, "
            "two-questions, interference, cloze-giveaway, long-note, draft-unedited, "
            "no-summary, no-cards, uncited-source, unlisted-source",
        ],
    ),
    (
        "a list inside allow in a section without summary or cards",
        "title: A\nallow: [[no-summary]]\n",
        [f"{F}:2:9: error: each item of 'allow' is a rule name like long-answer"],
    ),
    # A file with an error is broken: no warnings about its summary or cards are added.
    (
        "a key that is a list, then an unknown key",
        "title: A\n[x]: y\nzzz: 1\n",
        [
            f"{F}:2:1: error: keys must be plain words",
            f"{F}:3:1: error: unknown key 'zzz'; allowed: title, id, excerpt, summary, points, "
            "terms, questions, tags, allow, draft",
        ],
    ),
    ("a key that is a list", "title: A\n[x]: y\n", [f"{F}:2:1: error: keys must be plain words"]),
    (
        "a key twice, then an unknown key",
        "title: A\ntitle: B\nzzz: 1\n",
        [
            f"{F}:2:1: error: duplicate key 'title' (first at line 1)",
            f"{F}:3:1: error: unknown key 'zzz'; allowed: title, id, excerpt, summary, points, "
            "terms, questions, tags, allow, draft",
        ],
    ),
    (
        "tags as a word in a section without summary or cards",
        "title: A\ntags: x\n",
        [f"{F}:2:7: error: 'tags' should be a list like [history, china]"],
    ),
    (
        "no title",
        "summary: s\n" + CARD,
        [f"{F}:1:1: error: missing required key 'title'"],
    ),
    ("a title left empty", "title:\n" + CARD, [f"{F}:1:7: error: 'title' is empty"]),
    ("a title written as null", "title: NULL\n" + CARD, [f"{F}:1:8: error: 'title' is empty"]),
    ("a title of spaces", 'title: "  "\n' + CARD, [f"{F}:1:8: error: 'title' is empty"]),
    (
        "a summary of spaces",
        'title: A\nsummary: "  "\n' + CARD,
        [f"{F}:1:1: {NO_SUMMARY} [no-summary]"],
    ),
    (
        "an id that is no slug",
        "title: A\nid: Policies!\nsummary: s\n" + CARD,
        [f"{F}:2:5: error: 'id' must be a slug (lowercase letters, digits, hyphens): 'Policies!'"],
    ),
    (
        "an image in the summary that is not there",
        "title: A\nsummary: see ![m](nothere.png) here\n" + CARD,
        [f"{F}:2:14: error: image 'nothere.png' not found"],
    ),
    # A dash at the start of a line inside quotes or a | block is the student's text.
    (
        "a quoted point with a dash line",
        'title: A\nsummary: s\npoints:\n  - "One {{p}}\n    - two"\n',
        [],
    ),
    ("a block summary with a dash line", "title: A\nsummary: |\n  One\n  - two\n" + CARD, []),
    (
        "a title that is a list",
        "title: [a]\n" + CARD,
        [f"{F}:1:8: error: 'title' should be text, found a list"],
    ),
    (
        "a word for a key in capitals",
        "title: A\nCards: x\n",
        [f"{F}:2:1: error: unknown key 'Cards'; did you mean 'questions'?"],
    ),
    (
        "a question's key at the top of the file",
        "title: A\nanswer: x\n",
        [
            f"{F}:2:1: error: unknown key 'answer'; allowed: title, id, excerpt, summary, "
            "points, terms, questions, tags, allow, draft"
        ],
    ),
    (
        "a word for a key of a question",
        "title: A\nquestions:\n  - q: Why?\n    a: x\n    Comment: y\n",
        [f"{F}:5:5: error: unknown key 'Comment' in question; did you mean 'note'?"],
    ),
    (
        "a misspelt rule in a section without summary or cards",
        "title: A\nallow: [no-sumary]\n",
        [f"{F}:2:9: error: unknown rule 'no-sumary' in 'allow'; did you mean 'no-summary'?"],
    ),
]


@pytest.mark.parametrize(
    ("content", "expected"), [c[1:] for c in SECTION_CASES], ids=[c[0] for c in SECTION_CASES]
)
def test_mistakes_in_a_section_file(
    notes: Path, run: Runner, content: str, expected: list[str]
) -> None:
    (notes / "demo" / "03-edge.yaml").write_text(content, encoding="utf-8")
    result = run("check")
    assert problem_lines(result.stderr) == expected, result


@pytest.mark.parametrize(
    ("reading", "section"),
    [
        # An empty optional key is left out, as if it were not written.
        ("reverse_terms:\n", GOOD),
        ("reverse_terms: ~\n", GOOD),
        # `allow:` in reading.yaml covers every section of the reading.
        ("allow: [no-summary, no-cards]\n", "title: Bare\npoints:\n  - Just a point.\n"),
        ("allow: no-summary\n", "title: Bare\n" + CARD),
    ],
)
def test_reading_keys_that_check_clean(
    notes: Path, run: Runner, reading: str, section: str
) -> None:
    (notes / "demo" / "reading.yaml").write_text("title: T\n" + reading, encoding="utf-8")
    (notes / "demo" / "03-edge.yaml").write_text(section, encoding="utf-8")
    result = run("check", "--strict")
    assert problem_lines(result.output) == [], result
    assert result.exit_code == 0, result


@pytest.mark.parametrize("empty", ["", "~", "null", "Null", "NULL"])
def test_a_summary_written_as_null_is_no_summary(notes: Path, run: Runner, empty: str) -> None:
    (notes / "demo" / "03-edge.yaml").write_text(f"title: A\nsummary: {empty}\n" + CARD)
    result = run("check")
    assert problem_lines(result.stderr) == [f"{F}:1:1: {NO_SUMMARY} [no-summary]"], result


@pytest.mark.parametrize("quoted", ['"null"', "'~'"])
def test_a_quoted_null_is_text(notes: Path, run: Runner, quoted: str) -> None:
    (notes / "demo" / "03-edge.yaml").write_text(f"title: A\nsummary: {quoted}\n" + CARD)
    result = run("check", "--strict")
    assert problem_lines(result.output) == [], result


def test_show_excerpt_prints_the_sections_original_text(notes: Path, run: Runner) -> None:
    result = run("show", "demo", "basics", "--excerpt", "--no-pager")
    assert result.exit_code == 0, result
    assert "The first section of the demo." in result.stdout, result


def test_text_is_trimmed_but_a_block_keeps_its_first_indent(notes: Path, run: Runner) -> None:
    """Quoted padding is dropped; a `|2` block (code in an excerpt) keeps its leading spaces."""
    (notes / "demo" / "03-edge.yaml").write_text(
        'title: "  Padded  "\nsummary: s\nexcerpt: |2\n    x = 1\n  y = 2\n' + CARD
    )
    listed = run("list", "--json")
    assert listed.exit_code == 0, listed
    [row] = json.loads(listed.stdout)["readings"]
    assert [s["title"] for s in row["sections"]][-1] == "Padded", row
    shown = run("show", "demo", "edge", "--excerpt", "--no-pager")
    assert shown.exit_code == 0, shown
    lines = shown.stdout.splitlines()
    start = lines.index("Excerpt")
    assert lines[start + 1 : start + 3] == ["    x = 1", "  y = 2"], shown


def test_list_keeps_the_sound_sections_and_names_each_broken_file(notes: Path, run: Runner) -> None:
    """A section file with a bad id still loads: it must be left out like any broken file."""
    (notes / "demo" / "01-basics.yaml").write_text("title: B\n" + CARD + "title: C\n")
    (notes / "demo" / "03-Bad_Name.yaml").write_text(GOOD)
    result = run("list", "--json")
    assert result.exit_code == 1, result
    [row] = json.loads(result.stdout)["readings"]
    assert [s["id"] for s in row["sections"]] == ["more-things"], row
    expected = [
        f"{D}/01-basics.yaml:5:1: error: duplicate key 'title' (first at line 1)",
        f"{D}/03-Bad_Name.yaml: error: section id 'Bad_Name' (from the file name) must be a slug: "
        "rename the file or set `id:`",
    ]
    assert row["problems"] == expected, row
    assert result.stderr.splitlines() == expected, result


def test_list_and_show_refuse_a_reading_in_a_badly_named_folder(notes: Path, run: Runner) -> None:
    (notes / "demo").rename(notes / "Demo_Notes")
    expected = (
        "notes/Demo_Notes: error: reading folder name 'Demo_Notes' must be a slug (lowercase "
        "letters, digits, hyphens)"
    )
    listed = run("list", "--json")
    assert listed.exit_code == 1, listed
    [row] = json.loads(listed.stdout)["readings"]
    assert "title" not in row and row["problems"] == [expected], row
    shown = run("show", "--no-pager")
    assert shown.exit_code == 1, shown
    assert shown.stderr.splitlines() == [expected], shown


def test_stats_on_broken_notes_prints_every_error(notes: Path, run: Runner) -> None:
    (notes / "demo" / "03-edge.yaml").write_text("title: A\nsumary: s\ntitel: x\n")
    result = run("stats", "demo")
    assert result.exit_code == 1, result
    assert problem_lines(result.stderr) == [
        f"{F}:2:1: error: unknown key 'sumary'; did you mean 'summary'?",
        f"{F}:3:1: error: unknown key 'titel'; did you mean 'title'?",
    ], result


def test_show_heads_a_reading_with_its_source_and_size(notes: Path, run: Runner) -> None:
    """The values of reading.yaml a student reads back first: title, then source and size."""
    result = run("show", "demo", "--no-pager")
    assert result.exit_code == 0, result
    assert result.stdout.splitlines()[:2] == [
        "A Demo Reading",
        "source: demo.txt · 2 sections · 12 cards",
    ], result.stdout
