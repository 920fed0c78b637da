"""`sources:` in reading.yaml: a list of citations, loaded as written and checked like any key."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import Run, Runner

from studykit.notes.validate import load_reading

SOURCES = (
    "sources:\n"
    '  - "Yang Jisheng, *Tombstone* (2012)"\n'
    '  - "Frank Dikötter, Mao\'s Great Famine: 1958-62 (2010)"\n'
    "  - >-\n"
    "    Basil Ashton et al., Famine in China, 1958-61,\n"
    "    Population and Development Review 10:4 (1984)\n"
)


def _add(notes: Path, text: str) -> Path:
    path = notes / "demo" / "reading.yaml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return path


def test_sources_load_as_written_in_order(notes: Path, run: Runner) -> None:
    _add(notes, SOURCES)
    result: Run = run("check", "--strict")
    assert result.exit_code == 0, result
    reading = load_reading(notes / "demo")
    assert reading.sources == (
        "Yang Jisheng, *Tombstone* (2012)",
        "Frank Dikötter, Mao's Great Famine: 1958-62 (2010)",
        "Basil Ashton et al., Famine in China, 1958-61, Population and Development Review 10:4"
        " (1984)",
    ), reading.sources


def test_a_reading_without_sources_has_none(notes: Path) -> None:
    assert load_reading(notes / "demo").sources == (), "sources are optional"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("sources: Yang Jisheng, Tombstone\n", 7, "'sources' should be a list"),
        ("sources:\n  - [a, b]\n", 8, "'sources' should be text, found a list"),
        ("sources:\n  - Yang\n  -\n", 9, "empty item in 'sources'"),
        ("sources:\n  - Dikötter, Mao's Great Famine: 1958-62\n", 8, "citation that contains"),
        ("source_list:\n  - Yang\n", 7, "did you mean 'sources'"),
    ],
)
def test_broken_sources_name_the_line(
    notes: Path, run: Runner, text: str, line: int, words: str
) -> None:
    _add(notes, text)
    result: Run = run("check")
    assert result.exit_code == 1, result
    assert f"reading.yaml:{line}:" in result.stderr, result
    assert words in result.stderr, result
    assert "Traceback" not in result.output, result


def test_schema_accepts_sources_and_rejects_a_string(run: Runner) -> None:
    result: Run = run("schema", "reading")
    assert result.exit_code == 0, result
    validator = jsonschema.Draft202012Validator(json.loads(result.stdout))
    good = {"title": "A", "sources": ["Yang Jisheng, Tombstone (2012)"]}
    assert list(validator.iter_errors(good)) == [], "a list of citations is valid"
    assert list(validator.iter_errors({"title": "A", "sources": "Yang"})), "a bare string is not"


def test_show_lists_the_sources_after_the_whole_reading(notes: Path, run: Runner) -> None:
    _add(notes, SOURCES)
    whole = run("show", "demo", "--no-pager")
    assert whole.exit_code == 0, whole
    tail = " ".join(whole.stdout[whole.stdout.index("Sources") :].split())
    assert "• Yang Jisheng, Tombstone (2012) •" in tail, whole
    assert "Population and Development Review 10:4 (1984)" in tail, whole
    section = run("show", "demo", "basics", "--no-pager")
    assert section.exit_code == 0, section
    assert "Yang Jisheng" not in section.stdout, "one section's view does not repeat the sources"
