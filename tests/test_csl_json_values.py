"""CSL-JSON values of a JSON type the CSL processor cannot read: refused when the bibliography
is read, at the entry's line, by `check` as by every command, with what is wrong in words a
student knows from the file (text, a number, null, a list), never the processor's internals.

An entry nothing cites is refused too: it once passed `check` and broke every other command.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Runner

GOOD = '{"id": "ok", "type": "book", "title": "Fine", "author": [{"family": "Lin"}]}'


@pytest.fixture
def reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Writes notes/r citing `ok` from refs.json, whose second entry, `k` on line 3, is
    `{"id": "k", "type": "book", <value>}`; the notes folder is the current folder's."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)
    folder = tmp_path / "notes" / "r"
    folder.mkdir(parents=True)
    (folder / "reading.yaml").write_text(
        "title: The famine\nbibliography: refs.json\nallow: [uncited-source]\n", "utf-8"
    )
    (folder / "01-s.yaml").write_text(
        "title: Lushan\nsummary: Procurement rose [@ok].\n"
        "points:\n  - The plenum met in {{1959}} [@ok].\n",
        "utf-8",
    )

    def write(value: str) -> None:
        entry = '{"id": "k", "type": "book", ' + value + "}"
        (folder / "refs.json").write_text(f"[\n  {GOOD},\n  {entry}\n]\n", "utf-8")

    return write


WRONG = [
    (
        '"author": "Smith, John"',
        '"author" must be a list of names, [{"family": "Smith", "given": "John"}], not text',
    ),
    (
        '"author": null',
        '"author" must be a list of names, [{"family": "Smith", "given": "John"}], not null',
    ),
    (
        '"author": ["Smith"]',
        '"author" must be a list of names, [{"family": "Smith", "given": "John"}], not a list '
        "of text",
    ),
    (
        '"editor": [{"family": "Lin"}, {"family": 5}]',
        '"editor": name 2 has a "family" that is a number: write it as text',
    ),
    (
        '"issued": "2010"',
        '"issued" must be a date, {"date-parts": [[2010, 5, 1]]}, not text',
    ),
    (
        '"issued": {"date-parts": [["spring"]]}',
        '"issued" must give its "date-parts" as numbers, {"date-parts": [[2010, 5, 1]]}: '
        '"spring" is not one',
    ),
    (
        '"issued": {"date-parts": [[]]}',
        '"issued" must give each date of its "date-parts" as a year, month and day, '
        '{"date-parts": [[2010, 5, 1]]}, not an empty list',
    ),
    (
        '"issued": {"date-parts": [[2010, 5, 1, 12]]}',
        '"issued" must give each date of its "date-parts" as a year, month and day, '
        '{"date-parts": [[2010, 5, 1]]}, not a list of 4',
    ),
    (
        '"issued": {"date-parts": []}',
        '"issued" must give "date-parts" as one date or two (a range), '
        '{"date-parts": [[2010, 5, 1]]}',
    ),
    (
        '"accessed": {"season": 1}',
        '"accessed" must give "date-parts", {"date-parts": [[2010, 5, 1]]}, or a "literal" text',
    ),
    ('"title": ["T"]', '"title" must be text, not a list'),
    ('"title": null', '"title" must be text, not null'),
    ('"volume": true', '"volume" must be text, not true or false'),
    ('"publisher": {"name": "Oxford"}', '"publisher" must be text, not an object'),
]


@pytest.mark.parametrize(("value", "message"), WRONG, ids=[w[0] for w in WRONG])
@pytest.mark.parametrize("command", ["check", "outline", "deck", "summary"])
def test_a_value_of_the_wrong_type_is_refused_at_its_entry(
    reading: Callable[[str], None],
    run: Runner,
    tmp_path: Path,
    command: str,
    value: str,
    message: str,
) -> None:
    reading(value)
    result = run(command)
    assert result.exit_code == 1, result
    assert f"notes/r/refs.json:3:1: error: k: {message}\n" in result.stderr, result.stderr
    assert "Traceback" not in result.output and "citeproc" not in result.output, result.output
    assert not (tmp_path / "cards").exists(), "nothing is written"


RIGHT = [
    '"author": [{"family": "Yang", "given": "Jisheng", "parse-names": true}]',
    '"author": [{"literal": "World Bank"}]',
    '"issued": {"date-parts": [[2012, "5", 1]]}',
    '"issued": {"date-parts": [[1958], [1962]]}',
    '"issued": {"literal": "forthcoming"}',
    '"volume": 3',
    '"page": "1228-1252"',
    '"language": "en-US"',
]


@pytest.mark.parametrize("value", RIGHT)
def test_values_of_the_types_csl_json_gives_are_read(
    reading: Callable[[str], None], run: Runner, value: str
) -> None:
    reading('"title": "Tombstone", ' + value)
    result = run("check")
    assert result.exit_code == 0, result
    assert result.stdout == "ok: 1 reading, 1 section, 1 card; 0 errors, 0 warnings\n", result


def test_show_says_the_one_line_a_student_sees(reading: Callable[[str], None], run: Runner) -> None:
    # What the student saw before: "the CSL processor cannot read this bibliography:
    # citeproc.source.Name() argument after ** must be a mapping, not str", no entry, no line.
    reading('"title": "T", "author": "Smith, John"')
    result = run("show", "r", "--no-pager")
    assert result.exit_code == 1, result
    assert result.stderr == (
        'notes/r/refs.json:3:1: error: k: "author" must be a list of names, '
        '[{"family": "Smith", "given": "John"}], not text\n'
    ), result.stderr


@pytest.mark.parametrize("command", ["check", "outline"])
def test_a_number_of_thousands_of_digits_is_refused_where_it_stands(
    reading: Callable[[str], None], run: Runner, command: str
) -> None:
    # Python will not read an integer of over 4,300 digits: it raised ValueError, a traceback.
    reading('"issued": {"date-parts": [[' + "9" * 5000 + "]]}")
    result = run(command)
    assert result.exit_code == 1, result
    assert result.stderr.startswith(
        "notes/r/refs.json:3:58: error: a number of thousands of digits, which no work's data "
        "holds\n"
    ), result.stderr
    assert "Traceback" not in result.output, result.output
