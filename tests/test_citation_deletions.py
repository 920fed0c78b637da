"""A `{{...}}` deletion inside a citation or across its edge: the citation style writes the
citation anew, so no card could hide part of it. `check` refuses it at the deletion, and every
command that loads the notes refuses it with the same line; a deletion holding whole citations
is fine."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Runner

YANG = "@book{yang2012, author={Yang, Jisheng}, title={Tombstone}, year={2012}}\n"
KAY = "@book{k, author={Kay, Ann}, title={Kites}, year={2000}}\n"
LIN = "@book{lin1992, author={Lin, Justin}, title={Reform}, year={1992}}\n"
ADVICE = (
    ", which the citation style writes out anew: a card can hide a whole citation, not part of "
    "one; put the `{{...}}` around the whole citation or beside it"
)


@pytest.fixture
def reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder with notes/r, a reading with a bibliography."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)
    monkeypatch.setenv("STUDYKIT_STATE", str(tmp_path / "state.db"))
    folder = tmp_path / "notes" / "r"
    folder.mkdir(parents=True)
    (folder / "reading.yaml").write_text("title: T\nbibliography: refs.bib\n", encoding="utf-8")
    (folder / "refs.bib").write_text(YANG, encoding="utf-8")
    return folder


def _write(reading: Path, point: str, bib: str = YANG) -> None:
    """The section file as the student wrote it: a summary citing, and `point` quoted."""
    (reading / "refs.bib").write_text(bib, encoding="utf-8")
    section = f"title: S\nsummary: x [@yang2012].\npoints:\n  - '{point}'\n"
    (reading / "01-s.yaml").write_text(section, encoding="utf-8")


CROSSING = "In 1959 {{the plenum [@yang2012}}] met."
CROSSING_LINE = (
    "notes/r/01-s.yaml:4:14: error: cloze: {{the plenum [@yang2012}} crosses the edge of the "
    "citation [@yang2012]" + ADVICE
)


def test_check_refuses_a_deletion_that_closes_inside_a_citation(reading: Path, run: Runner) -> None:
    _write(reading, CROSSING)
    result = run("check")
    assert result.exit_code == 1, result
    assert result.stderr.splitlines()[0] == CROSSING_LINE, result.stderr
    assert "check: 1 error, 0 warnings in 1 reading" in result.output, result.output


@pytest.mark.parametrize(
    ("command", "written"),
    [
        (("deck",), "cards/r.apkg"),
        (("outline",), ""),
        (("outline", "-f", "pdf", "-o", "x.pdf"), "x.pdf"),
        (("outline", "--layout", "cards", "-f", "html", "-o", "x.html"), "x.html"),
        (("show", "--no-pager"), ""),
        (("summary",), ""),
        (("review",), "state.db"),
    ],
)
def test_every_command_refuses_it_with_the_same_line(
    reading: Path, run: Runner, tmp_path: Path, command: tuple[str, ...], written: str
) -> None:
    _write(reading, CROSSING)
    result = run(*command, input="q\n")
    assert result.exit_code == 1, result
    assert result.exception is None, result.exception  # no ClozeError traceback
    assert result.stderr.strip() == CROSSING_LINE, result.stderr
    assert result.stdout == "", result.stdout
    if written:
        assert not (tmp_path / written).exists(), f"{written} was written"


@pytest.mark.parametrize(
    ("point", "bib", "line"),
    [
        (
            "In 1959 the plenum met [@yang2012, p. {{5}}].",
            YANG,
            "4:44: error: cloze: {{5}} is inside the citation [@yang2012, p. 5]",
        ),
        (
            "In {{1959}} @yang2012 [p. {{3}}] says the plenum met.",
            YANG,
            "4:32: error: cloze: {{3}} is inside the citation @yang2012 [p. 3]",
        ),
        (
            "In {{1959}} the plenum met [@{{yang2012}}].",
            YANG,
            "4:35: error: cloze: {{yang2012}} is inside the citation [@yang2012]",
        ),
        (
            "The plenum met [see {{Lin}} @k].",
            YANG + KAY,
            "4:26: error: cloze: {{Lin}} is inside the citation [see Lin @k]",
        ),
        (
            "The plenum met [@k, p. 5 {{a::b}}].",
            YANG + KAY,
            "4:31: error: cloze: {{a}} is inside the citation [@k, p. 5 a]",
        ),
        (
            "The plenum met [-@k {{y}}].",
            YANG + KAY,
            "4:26: error: cloze: {{y}} is inside the citation [-@k y]",
        ),
        (
            "As @lin{{1992}} says, the plenum met.",
            YANG + LIN,
            "4:13: error: cloze: {{1992}} is inside the citation @lin1992",
        ),
        (
            "As {{@lin}}1992 says, the plenum met.",
            YANG + LIN,
            "4:9: error: cloze: {{@lin}} is inside the citation @lin1992",
        ),
        (
            "The plenum met {{Lin::see [@k, p.}} 5].",
            YANG + KAY,
            "4:21: error: cloze: {{Lin}} crosses the edge of the citation [@k, p.}} 5]",
        ),
    ],
)
def test_check_refuses_a_deletion_inside_a_citation_at_the_deletion(
    reading: Path, run: Runner, tmp_path: Path, point: str, bib: str, line: str
) -> None:
    _write(reading, point, bib)
    result = run("check")
    assert result.exit_code == 1, result
    assert result.stderr.splitlines()[0] == f"notes/r/01-s.yaml:{line}{ADVICE}", result.stderr
    deck = run("deck")
    assert deck.exit_code == 1, deck
    assert deck.stderr.strip() == result.stderr.splitlines()[0], "deck names the notes' line"
    assert "inconsistent deck" not in deck.stderr, deck.stderr
    assert not (tmp_path / "cards").exists()
    sheet = run("outline", "--answers", "none")
    assert sheet.exit_code == 1, sheet
    assert sheet.stdout == "", "no self-test sheet with the marker printed as written"


def test_review_refuses_a_deletion_in_a_locator_instead_of_failing(
    reading: Path, run: Runner
) -> None:
    _write(reading, "In 1959 the plenum met [@yang2012, p. {{5}}].")
    result = run("review", input=" q\n")
    assert result.exit_code == 1, result
    assert result.exception is None, result.exception  # was StopIteration in review/keyed.py
    assert result.stderr.startswith("notes/r/01-s.yaml:4:44: error: cloze: {{5}} is inside ")


def test_a_citation_without_a_bibliography_is_looked_at_too(reading: Path, run: Runner) -> None:
    _write(reading, "In 1959 the plenum met [@yang2012, p. {{5}}].")
    (reading / "reading.yaml").write_text("title: T\n", encoding="utf-8")
    (reading / "01-s.yaml").write_text(
        "title: S\nsummary: x.\npoints:\n  - 'In 1959 the plenum met [@yang2012, p. {{5}}].'\n",
        encoding="utf-8",
    )
    result = run("check")
    assert result.exit_code == 1, result
    assert result.stderr.startswith(
        "notes/r/01-s.yaml:4:44: error: cloze: {{5}} is inside the citation [@yang2012, p. 5]"
    ), result.stderr


@pytest.mark.parametrize(
    ("point", "outline", "sheet"),
    [
        (
            "In 1959 {{the plenum met [@yang2012, p. 5]}}.",
            "- In 1959 **the plenum met (Yang 2012, 5)**.",
            "- In 1959 \\[…\\].",
        ),
        (
            "In {{1959::see [@yang2012]}} the plenum met.",
            "- In **1959** the plenum met.",
            "- In \\[see (Yang 2012)\\] the plenum met.",
        ),
        (
            "In {{1959}} the plenum met [@yang2012, p. 5]; mail a@b.org {{now}}.",
            "- In **1959** the plenum met (Yang 2012, 5); mail a@b.org **now**.",
            "- In \\[…\\] the plenum met (Yang 2012, 5); mail a@b.org \\[…\\].",
        ),
    ],
)
def test_a_deletion_holding_whole_citations_or_beside_them_is_fine(
    reading: Path, run: Runner, point: str, outline: str, sheet: str
) -> None:
    _write(reading, point)
    assert run("check").exit_code == 0
    assert run("deck").exit_code == 0
    shown = run("outline")
    assert shown.exit_code == 0, shown
    assert outline in shown.stdout.splitlines(), shown.stdout
    asked = run("outline", "--answers", "none")
    assert sheet in asked.stdout.splitlines(), asked.stdout


def test_a_card_hides_a_whole_citation(reading: Path, run: Runner, tmp_path: Path) -> None:
    from anki_helpers import import_deck, visible_text

    _write(reading, "In 1959 the plenum met {{[@yang2012, p. 5]}}.")
    assert run("deck").exit_code == 0
    col = import_deck(tmp_path / "cards" / "r.apkg", tmp_path / "collection.anki2")
    try:
        (card,) = (col.get_card(cid) for cid in col.find_cards(""))
        assert visible_text(card.question()).startswith("Fill in In 1959 the plenum met [...]."), (
            visible_text(card.question())
        )
        assert visible_text(card.answer()).startswith(
            "Fill in In 1959 the plenum met (Yang 2012, 5)."
        ), visible_text(card.answer())
    finally:
        col.close()


def test_in_terms_and_questions_braces_are_text_in_a_citation_as_anywhere(
    reading: Path, run: Runner
) -> None:
    """Only a point's text has deletions: in a term or a question `{{` is refused, inside a
    citation as outside one, and `\\{{` prints as written, so there is nothing for a card to
    hide."""
    body = (
        "title: S\nsummary: x [@yang2012].\nterms:\n  - term: plenum\n"
        "    definition: 'a meeting [@yang2012, p. {{5}}] of {{all}}'\n"
        "questions:\n  - q: 'When [@yang2012, p. {{5}}]?'\n    a: 'In {{1959}}'\n"
    )
    (reading / "01-s.yaml").write_text(body, encoding="utf-8")
    refused = run("check")
    assert [line.split(": a cloze")[0] for line in refused.stderr.splitlines()[:3]] == [
        "notes/r/01-s.yaml:5:43: error: cloze: {{5}} is in a definition",
        "notes/r/01-s.yaml:7:29: error: cloze: {{5}} is in a question",
        "notes/r/01-s.yaml:8:12: error: cloze: {{1959}} is in an answer",
    ], refused
    (reading / "01-s.yaml").write_text(body.replace("{{", "\\{{"), encoding="utf-8")
    assert run("check").exit_code == 0
    lines = run("outline").stdout.splitlines()
    assert "   *Answer:* In {{1959}}" in lines, lines
    assert any(line.startswith("- **plenum**: a meeting (Yang 2012, p. ") for line in lines)
    assert any(line.endswith(") of {{all}}") for line in lines), lines
