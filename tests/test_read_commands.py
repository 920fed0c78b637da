"""`list`, `show` and `schema`: what a student reads in the terminal and what scripts consume."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import Run, Runner

from studykit.cli.app import app


def test_list_json_counts(notes: Path, run: Runner) -> None:
    result: Run = run("list", "--json")
    assert result.exit_code == 0, result
    [reading] = json.loads(result.stdout)["readings"]
    assert reading["id"] == "demo"
    assert reading["deck"] == "Demo::Reading"
    assert (reading["points"], reading["terms"], reading["questions"]) == (4, 2, 3)
    assert reading["cards"] == 12
    basics, more = reading["sections"]
    assert (basics["id"], basics["cards"]) == ("basics", 8)
    assert (more["id"], more["cards"]) == ("more-things", 4)
    assert basics["due"] == 0


def test_list_table(notes: Path, run: Runner) -> None:
    result: Run = run("list")
    assert result.exit_code == 0, result
    assert "A Demo Reading" in result.stdout
    assert "01 basics" in result.stdout and "02 more-things" in result.stdout


def _second_reading(notes: Path) -> None:
    shutil.copytree(notes / "demo", notes / "other")
    reading = notes / "other" / "reading.yaml"
    reading.write_text(reading.read_text().replace("A Demo Reading", "Another Reading"))


def test_list_shows_every_reading_and_marks_a_broken_one(notes: Path, run: Runner) -> None:
    _second_reading(notes)
    (notes / "demo" / "02-more.yaml").write_text("title: [x\n")
    (notes / "other" / "reading.yaml").write_text("title: Another\nbogus: 1\n")
    result: Run = run("list", "--json")
    assert result.exit_code == 1, result
    assert result.stderr.splitlines()[0].startswith("notes/demo/02-more.yaml:1:")
    assert "notes/other/reading.yaml:2:1: error: unknown key 'bogus'" in result.stderr
    demo, other = json.loads(result.stdout)["readings"]
    assert [s["id"] for s in demo["sections"]] == ["basics"], "the sound section is still listed"
    assert demo["cards"] == 8 and demo["problems"][0].startswith("notes/demo/02-more.yaml:1:")
    assert other["id"] == "other" and "title" not in other and other["problems"]
    table = run("list")
    assert table.exit_code == 1, table
    assert "A Demo Reading" in table.stdout and "01 basics" in table.stdout
    assert "✗ 02-more.yaml: errors (not counted)" in table.stdout, table


def test_show_a_healthy_reading_or_section_beside_a_broken_one(notes: Path, run: Runner) -> None:
    _second_reading(notes)
    (notes / "other" / "02-more.yaml").write_text("title: More\npoints:\n  - broken {{x\n")
    healthy = run("show", "demo", "--no-pager")
    assert healthy.exit_code == 0, healthy
    assert healthy.stderr == ""
    section = run("show", "other", "basics", "--no-pager")
    assert section.exit_code == 0, section
    assert "Why did output fall?" in section.stdout
    # The counts are of what is shown, and the header says what is not.
    assert section.stdout.splitlines()[1:3] == [
        "source: demo.txt · 1 section · 8 cards",
        "1 section file has errors, not shown: 02-more.yaml (studykit check)",
    ]
    whole = run("show", "other", "--no-pager")
    assert whole.exit_code == 1, "shown in part: a problem in the notes, as list says"
    assert "01 Basics" in whole.stdout and "02 More" not in whole.stdout
    [warning] = whole.stderr.splitlines()
    assert warning.startswith("notes/other/02-more.yaml:3:12: error: cloze: `{{` has no closing")
    assert warning.endswith(" (section not shown)")
    broken = run("show", "other", "more", "--no-pager")
    assert broken.exit_code == 1, broken
    assert "notes/other/02-more.yaml:3:" in broken.stderr and "no closing" in broken.stderr
    unknown = run("show", "other", "more-things", "--no-pager")
    assert unknown.exit_code == 2, unknown
    assert "not readable now: 02-more.yaml, run studykit check" in unknown.stderr


def test_show_a_broken_section_by_the_id_its_file_gives(notes: Path, run: Runner) -> None:
    """02-more.yaml says `id: more-things`: asked for by that id, the broken section shows its
    errors; its file's name names no section."""
    more = notes / "demo" / "02-more.yaml"
    more.write_text(more.read_text().replace("{{x::a letter}}", "{{x::a letter"))
    for asked in (["demo", "more-things"], ["more-things"]):
        broken = run("show", *asked, "--no-pager")
        assert broken.exit_code == 1, broken
        [line] = broken.stderr.splitlines()
        assert line.startswith("notes/demo/02-more.yaml:5:") and ": error: " in line, line
    by_file_name = run("show", "demo", "more", "--no-pager")
    assert by_file_name.exit_code == 2, by_file_name
    assert by_file_name.stderr == (
        "error: no section 'more' in demo (sections: basics); not readable now: 02-more.yaml, "
        "run studykit check\n"
    )


def test_show_a_section_whose_yaml_does_not_parse_by_its_file_name(
    notes: Path, run: Runner
) -> None:
    """A file that does not read as YAML says no `id:`: its file's name names it."""
    (notes / "demo" / "02-more.yaml").write_text("title: [More\nid: more-things\n")
    broken = run("show", "demo", "more", "--no-pager")
    assert broken.exit_code == 1, broken
    assert broken.stderr.startswith("notes/demo/02-more.yaml:"), broken


def test_show_section_hides_answers_but_shows_annotations(notes: Path, run: Runner) -> None:
    result: Run = run("show", "demo", "basics")
    assert result.exit_code == 0, result
    out = result.stdout
    assert "01 Basics" in out
    assert "The basics, with bold text and <b>raw html</b>." in out  # Markdown styled, HTML literal
    assert "The Lushan conference met in 1959." in out  # cloze answers shown in place
    assert "Peng Dehuai was purged there." in out  # the annotation
    assert "A literal {{ brace is not a cloze." in out
    assert "People's commune" in out and "Created in 1958." in out
    assert "Why did output fall?" in out
    assert "Incentives were removed." not in out
    assert "answers hidden" in out
    assert "02 More" not in out


def test_show_answers_and_whole_reading(notes: Path, run: Runner) -> None:
    result: Run = run("show", "--answers")
    assert result.exit_code == 0, result
    assert "Incentives were removed." in result.stdout
    assert "<script>alert(1)</script>" in result.stdout  # shown literally, never interpreted
    assert "02 More" in result.stdout


def test_show_section_of_the_only_reading(notes: Path, run: Runner) -> None:
    result: Run = run("show", "more-things")
    assert result.exit_code == 0, result
    assert "02 More" in result.stdout and "01 Basics" not in result.stdout


def test_show_unknown_section(notes: Path, run: Runner) -> None:
    result: Run = run("show", "demo", "nope")
    assert result.exit_code == 2, result
    assert "no section 'nope' in demo (sections: basics, more-things)" in result.stderr


def test_several_readings_need_a_name(notes: Path, run: Runner) -> None:
    other = notes / "other"
    other.mkdir()
    (other / "reading.yaml").write_text("title: Other\n")
    result: Run = run("show")
    assert result.exit_code == 2, result
    assert "several readings" in result.stderr and "demo, other" in result.stderr


def test_notes_folder_from_environment(
    notes: Path, run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    moved = tmp_path / "elsewhere"
    notes.rename(moved)
    monkeypatch.setenv("STUDYKIT_NOTES", str(moved))
    result: Run = run("list", "--json")
    assert result.exit_code == 0, result
    assert json.loads(result.stdout)["readings"][0]["id"] == "demo"


@pytest.mark.parametrize("kind", ["reading", "section"])
def test_schema_is_valid_and_accepts_the_test_notes(kind: str, run: Runner) -> None:
    result: Run = run("schema", kind)
    assert result.exit_code == 0, result
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    folder = Path(__file__).parent / "data" / "notes" / "demo"
    files = [folder / "reading.yaml"] if kind == "reading" else sorted(folder.glob("0*.yaml"))
    for path in files:
        document = yaml.load(path.read_text(), Loader=yaml.BaseLoader)  # every scalar as text
        if kind == "reading":
            document["reverse_terms"] = document.get("reverse_terms") == "true"
        errors = list(validator.iter_errors(document))
        assert not errors, f"{path.name}: {errors[0].message}"
    assert not validator.is_valid({"title": "x", "sumary": "typo"})


def test_schema_rejects_unknown_kind(run: Runner) -> None:
    result: Run = run("schema", "nope")
    assert result.exit_code == 2, result
    assert "unknown schema 'nope'" in result.stderr


def test_every_command_has_help_with_an_example(run: Runner) -> None:
    names = [c.name or c.callback.__name__ for c in app.registered_commands]  # type: ignore[union-attr]
    assert {"check", "list", "show", "schema"} <= set(names)
    for name in names:
        result: Run = run(name, "--help")
        assert result.exit_code == 0, result
        assert "Example: studykit" in result.stdout, f"{name} --help has no example"


def test_list_counts_cards_due_from_the_review_store(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = run("list")
    assert "Due" not in before.stdout, "no due column before any review"
    monkeypatch.setenv("STUDYKIT_NOW", "2026-03-02T09:00:00+00:00")
    session = run("review", "demo", "--section", "basics", "--limit", "3", input="\n3\n" * 3)
    assert session.exit_code == 0, session
    monkeypatch.setenv("STUDYKIT_NOW", "2026-04-02T09:00:00+00:00")
    result = run("list", "--json")
    assert result.exit_code == 0, result
    [demo] = json.loads(result.stdout)["readings"]
    basics, more = demo["sections"]
    assert (basics["due"], more["due"], demo["due"]) == (3, 0, 3), "three reviewed, due a month on"
    table = run("list")
    assert "Due" in table.stdout, table


def test_show_into_a_file_has_no_padding(notes: Path, run: Runner) -> None:
    result = run("show", "demo", "--answers", "--no-pager")
    assert result.exit_code == 0, result
    padded = [line for line in result.stdout.splitlines() if line != line.rstrip()]
    assert padded == [], f"{len(padded)} lines end in spaces: {padded[:3]}"


@pytest.mark.parametrize("damage", ["junk", "damaged"])
def test_list_with_a_bad_store_lists_every_reading_without_due(
    notes: Path, run: Runner, damage: str
) -> None:
    store = Path(".studykit/review.db")
    if damage == "junk":
        store.parent.mkdir()
        store.write_text("my shopping list\n" * 300, encoding="utf-8")
        reason = "not a review database (file is not a database)"
    else:
        session = run("review", input="\n3\n\n4\n" * 6 + "q\n")
        assert session.exit_code == 0, session
        data = bytearray(store.read_bytes())
        page = len(data) // 2 // 4096 * 4096  # a page's start: its free middle hides damage
        data[page : page + 3000] = b"\xab" * 3000
        store.write_bytes(bytes(data))
        reason = "the review store is damaged (database disk image is malformed)"
    before = store.read_bytes()
    warning = (
        f".studykit/review.db: warning: due counts left out: {reason}; `studykit review` moves "
        "it aside (kept) and starts a fresh one"
    )
    result = run("list", "--json")
    assert result.exit_code == 0, f"the notes are fine: {result!r}"
    assert result.stderr.splitlines() == [warning], result
    [demo] = json.loads(result.stdout)["readings"]
    assert demo["cards"] == 12, demo
    assert demo["due"] is None, "due is unknown, not 0"
    assert [s["due"] for s in demo["sections"]] == [None, None], demo
    table = run("list")
    assert table.exit_code == 0, table
    assert "demo  A Demo Reading" in table.stdout, table
    assert "01 basics" in table.stdout and "Due" not in table.stdout, table
    assert table.stderr.splitlines() == [warning], table
    assert store.read_bytes() == before, "list moves nothing"


def test_show_takes_a_section_by_the_number_its_heading_shows(notes: Path, run: Runner) -> None:
    by_id = run("show", "demo", "more-things", "--no-pager")  # 02-more.yaml gives this id
    for number in ("02", "2"):
        by_number = run("show", "demo", number, "--no-pager")
        assert (by_number.exit_code, by_number.stdout) == (0, by_id.stdout), number
    (notes / "demo" / "02-more.yaml").write_text("title: More\npoints:\n  - broken {{x\n")
    broken = run("show", "demo", "02", "--no-pager")
    assert broken.exit_code == 1, broken
    assert broken.stderr.startswith("notes/demo/02-more.yaml:3:12: error: cloze: `{{` has no"), (
        broken
    )
    missing = run("show", "demo", "07", "--no-pager")
    assert missing.exit_code == 2, missing
    assert "no section '07' in demo" in missing.stderr
