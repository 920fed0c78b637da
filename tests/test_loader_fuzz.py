"""Whatever a student writes, the loader answers with notes or with located problems."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studykit.errors import StudykitError
from studykit.notes.model import Reading
from studykit.notes.strict_yaml import parse_yaml
from studykit.notes.validate import check_reading, load_reading

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
    section = folder / "01-fuzz.yaml"
    section.write_bytes(content)
    reading, problems = check_reading(folder)
    assert reading is None or isinstance(reading, Reading)
    assert reading is not None or any(p.is_error for p in problems)
    lines = len(content.decode("utf-8", "replace").splitlines()) + 1  # NEL breaks lines too
    for problem in problems:
        # Located: in one of the two files, on a line that exists, as one line of text.
        assert problem.path in (section, folder / "reading.yaml"), problem
        assert 0 <= problem.line <= lines + 1, problem
        assert problem.message and "\n" not in problem.message, problem
    errors = [p for p in problems if p.is_error]
    try:
        loaded = load_reading(folder)
    except StudykitError as exc:
        assert [p for p in exc.problems() if p.is_error] == errors, "load fails on what check found"
    else:
        assert not errors, f"loaded despite {errors}"
        assert [s.path for s in loaded.sections] == [section], "the section is loaded"


@settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text() | yamlish)
def test_any_text_gives_notes_or_problems(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "fuzz"
        folder.mkdir()
        (folder / "reading.yaml").write_text("title: Fuzz\n")
        _check(folder, text.encode("utf-8", "surrogatepass"))


@settings(max_examples=examples(200), deadline=None)
@given(data=st.binary(max_size=200))
def test_any_bytes_give_notes_or_problems(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "fuzz"
        folder.mkdir()
        (folder / "reading.yaml").write_bytes(data)
        _check(folder, data)


@settings(max_examples=examples(300), deadline=None)
@given(text=st.text() | yamlish)
def test_parser_raises_only_studykit_errors(text: str) -> None:
    try:
        parse_yaml(text, Path("fuzz.yaml"))
    except StudykitError as exc:
        assert exc.path == Path("fuzz.yaml")


# -- properties of valid documents and of one mistake in them -------------------------------------

# Text a student may write in any field, already stripped (the loader strips surrounding space):
# letters, marks, digits, punctuation, symbols and spaces, but no `{` (cloze markers are drawn
# separately) and no `](` (an image needs a file).
_CHARS = st.characters(
    whitelist_categories=("L", "M", "N", "P", "S", "Zs"),
    blacklist_characters="{",
)
field_text = (
    st.text(_CHARS, min_size=1, max_size=30).map(str.strip).filter(lambda t: t and "](" not in t)
)
answer_text = st.text(
    st.characters(whitelist_categories=("L", "N", "Zs")), min_size=1, max_size=12
).filter(str.strip)


def _key(text: str) -> str:
    return " ".join(text.split())


@st.composite
def sections(draw: st.DrawFn) -> dict[str, object]:
    """A valid section as values: title, points (one with a deletion), terms and questions."""
    plain = draw(st.lists(field_text.filter(lambda t: "\\" not in t), max_size=3))
    before, answer, after = (
        draw(field_text.filter(lambda t: "\\" not in t)),
        draw(answer_text),
        draw(field_text),
    )
    cloze = f"{before} {{{{{answer}}}}} {after}"
    terms = draw(
        st.lists(st.tuples(field_text, field_text), max_size=2, unique_by=lambda t: _key(t[0]))
    )
    questions = draw(
        st.lists(
            st.tuples(field_text, field_text, field_text | st.none()),
            max_size=2,
            unique_by=lambda q: _key(q[0]),
        )
    )
    return {
        "title": draw(field_text),
        "summary": draw(field_text),
        "points": [*plain, cloze],
        "terms": terms,
        "questions": questions,
        "answer": answer.strip(),
    }


def _yaml(section: dict[str, object]) -> list[str]:
    """The section as a student would write it, every text double-quoted."""

    def q(text: object) -> str:
        return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML quoted scalar

    lines = [f"title: {q(section['title'])}", f"summary: {q(section['summary'])}", "points:"]
    lines += [f"  - text: {q(text)}" for text in section["points"]]  # type: ignore[attr-defined]
    lines.append("terms: []" if not section["terms"] else "terms:")
    for term, definition in section["terms"]:  # type: ignore[attr-defined]
        lines += [f"  - term: {q(term)}", f"    definition: {q(definition)}"]
    lines.append("questions: []" if not section["questions"] else "questions:")
    for question, answer, note in section["questions"]:  # type: ignore[attr-defined]
        lines += [f"  - q: {q(question)}", f"    a: {q(answer)}"]
        if note is not None:
            lines.append(f"    note: {q(note)}")
    return lines


def _write(folder: Path, lines: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "reading.yaml").write_text("title: Fuzz\n", encoding="utf-8")
    path = folder / "01-fuzz.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(section=sections())
def test_a_valid_document_loads_as_exactly_its_text(section: dict[str, object]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "fuzz"
        _write(folder, _yaml(section))
        [loaded] = load_reading(folder).sections
    assert (loaded.title, loaded.summary) == (section["title"], section["summary"])
    assert [p.text for p in loaded.points] == section["points"], "every point as written"
    assert [(t.term, t.definition) for t in loaded.terms] == section["terms"], "terms as written"
    got = [(x.q, x.a, x.annotation) for x in loaded.questions]
    assert got == section["questions"], "questions as written"
    [deletion] = loaded.points[-1].cloze.deletions  # type: ignore[union-attr]
    assert deletion.answer == section["answer"], "the hidden text as written, trimmed"


# One mistake, and the line it is on (1-based), for a document of `lines`.
MISTAKES = {
    "title twice": lambda lines: ([*lines, 'title: "again"'], len(lines) + 1),
    "tab indent": lambda lines: ([*lines[:2], "\t" + lines[2], *lines[3:]], 3),
    "unknown key": lambda lines: ([*lines[:1], 'sumary: "x"', *lines[1:]], 2),
    "unclosed deletion": lambda lines: (
        [*lines[:3], '  - text: "open {{ here"', *lines[3:]],
        4,
    ),
    "key of a point twice": lambda lines: (
        [*lines[:4], lines[3].replace("- text", "  text"), *lines[4:]],
        5,
    ),
}


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(section=sections(), mistake=st.sampled_from(sorted(MISTAKES)))
def test_one_mistake_is_one_located_error_and_exit_1(
    section: dict[str, object], mistake: str
) -> None:
    from typer.testing import CliRunner

    from studykit.cli.app import app

    broken, line = MISTAKES[mistake](_yaml(section))
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(Path(tmp) / "notes" / "fuzz", broken)
        result = CliRunner().invoke(app, ["check", "--notes", str(path.parent.parent)])
    errors = [x for x in result.stderr.splitlines() if ": error: " in x]
    assert result.exit_code == 1, (mistake, result.stdout, result.stderr)
    assert len(errors) == 1, f"{mistake}: one mistake, one error line: {errors}"
    assert errors[0].startswith(f"{path}:{line}:"), f"{mistake}: located at line {line}: {errors}"
