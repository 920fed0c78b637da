"""Whatever a student writes, the loader answers with notes or with located problems."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studykit.errors import StudykitError
from studykit.model import Reading
from studykit.notes import check_reading, load_reading
from studykit.strict_yaml import parse_yaml

TOKENS = [
    "title: ",
    "summary: ",
    "points:",
    "terms:",
    "questions:",
    "tags: ",
    "id: ",
    "note: ",
    "text: ",
    "term: ",
    "definition: ",
    "q: ",
    "a: ",
    "\n",
    "\n  - ",
    "  ",
    "\t",
    "- ",
    ": ",
    "{{",
    "}}",
    "\\{{",
    "::",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "!!str ",
    "!!python/name:x",
    "'",
    '"',
    "|\n  ",
    ">\n  ",
    "#",
    "---\n",
    "...\n",
    "no",
    "1.10",
    "~",
    "null",
    "![i](x.png)",
    "é",
    "\u00a0",
    "\ufeff",
    "\x00",
    "\x85",
    "%YAML 1.1\n",
    "? ",
    "<<: ",
    "\r\n",
]
yamlish = st.lists(st.sampled_from(TOKENS) | st.text(max_size=5), max_size=40).map("".join)


def _check(folder: Path, content: bytes) -> None:
    (folder / "01-fuzz.yaml").write_bytes(content)
    reading, problems = check_reading(folder)
    assert reading is None or isinstance(reading, Reading)
    assert reading is not None or any(p.is_error for p in problems)
    try:
        load_reading(folder)
    except StudykitError as exc:
        assert exc.problems(), "an error always names at least one problem"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text() | yamlish)
def test_any_text_gives_notes_or_problems(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "fuzz"
        folder.mkdir()
        (folder / "reading.yaml").write_text("title: Fuzz\n")
        _check(folder, text.encode("utf-8", "surrogatepass"))


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=200))
def test_any_bytes_give_notes_or_problems(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "fuzz"
        folder.mkdir()
        (folder / "reading.yaml").write_bytes(data)
        _check(folder, data)


@settings(max_examples=300, deadline=None)
@given(text=st.text() | yamlish)
def test_parser_raises_only_studykit_errors(text: str) -> None:
    try:
        parse_yaml(text, Path("fuzz.yaml"))
    except StudykitError as exc:
        assert exc.path == Path("fuzz.yaml")
