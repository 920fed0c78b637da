"""A textbook chapter in plain text: `CHAPTER 7` over its underlined title, sections numbered
`7.1` ... `7.3`, and review questions at the end, as a student ingests it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Runner

from studykit.notes.validate import load_reading

TITLE = """\
CHAPTER 7
THE FRENCH REVOLUTION, 1789-1799
================================
"""

BODY = """\

7.1 The Old Regime in Crisis
----------------------------

On the eve of the Revolution, France was the most populous state in western
Europe, with some 28 million inhabitants. Its society was divided into three
orders or "estates".

The immediate cause of the Revolution was financial. By 1788 interest on the
debt consumed roughly half of royal revenue.

7.2 From Estates-General to National Assembly
---------------------------------------------

The Estates-General opened at Versailles on 5 May 1789. On 17 June 1789 the
deputies of the Third Estate declared themselves the National Assembly.

7.3 Legacy
----------

The Revolution destroyed the Old Regime in France beyond recovery. The metric
system, adopted in 1795, survives today.

Review questions

1. Why did the crown summon the Estates-General in 1788?
2. What did the Assembly abolish on the night of 4 August 1789?
3. How did the war of 1792 contribute to the fall of the monarchy?
"""

SECTIONS = [
    ("01-old.yaml", "The Old Regime in Crisis", "On the eve of the Revolution, France"),
    ("02-estates.yaml", "From Estates-General to National Assembly", "The Estates-General opened"),
    ("03-legacy.yaml", "Legacy", "The Revolution destroyed the Old Regime"),
    ("04-review.yaml", "Review questions", "1. Why did the crown summon"),
]


def ingest(here: Path, run: Runner, text: str) -> list[tuple[str, str, str]]:
    (here / "chapter.txt").write_text(text, "utf-8")
    result = run("ingest", "chapter.txt")
    assert result.exit_code == 0, result
    reading = load_reading(here / "notes" / "chapter")
    return [(s.path.name, s.title, s.excerpt or "") for s in reading.sections]


def opening(sections: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Each section's file name, title and the first words of its excerpt."""
    return [(name, title, excerpt[:40]) for name, title, excerpt in sections]


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda text: text, id="underlined"),
        pytest.param(lambda text: text.replace("\n7.1 ", "\n7.1. "), id="trailing-dot"),
        pytest.param(
            lambda text: "\n".join(x for x in text.split("\n") if not x.startswith("---")),
            id="not-underlined",
        ),
    ],
)
def test_sections_numbered_like_7_1_are_the_chapters_sections(
    here: Path, run: Runner, variant: object
) -> None:
    assert callable(variant)
    sections = ingest(here, run, TITLE + variant(BODY))
    got = [
        (name, title, excerpt[: len(start)])
        for (name, title, excerpt), (_, _, start) in zip(sections, SECTIONS, strict=False)
    ]
    assert len(sections) == len(SECTIONS) and got == SECTIONS, opening(sections)
    excerpts = "\n".join(e for _, _, e in sections)
    assert "----" not in excerpts, "an underline is no text of the reading"
    assert "7.1" not in excerpts and "7.2" not in excerpts, "the headings are not in the text"


def test_a_dotted_number_under_its_chapters_heading_stays_a_level_deeper(
    here: Path, run: Runner
) -> None:
    text = (
        "A Short Course\n\n7. The Revolution\n\nIt began in 1789, with the Estates-General.\n\n"
        "7.1 Causes\n\nDebt and bread prices were the causes that mattered most in 1788.\n\n"
        "8. The Empire\n\nNapoleon was crowned emperor in 1804, in Notre-Dame de Paris.\n"
    )
    sections = ingest(here, run, text)
    assert [title for _, title, _ in sections] == ["The Revolution", "The Empire"], sections
    assert "7.1 Causes" in sections[0][2], sections[0][2]


def test_a_label_over_an_underlined_title_is_the_readings_title(here: Path, run: Runner) -> None:
    ingest(here, run, TITLE + BODY)
    reading = load_reading(here / "notes" / "chapter")
    assert reading.title == "Chapter 7: The French Revolution, 1789-1799", reading.title
    assert "THE FRENCH REVOLUTION" not in "\n".join(s.excerpt or "" for s in reading.sections)
    assert "====" not in "\n".join(s.excerpt or "" for s in reading.sections)


def test_review_questions_are_text_of_their_section_not_a_heading(here: Path, run: Runner) -> None:
    sections = ingest(here, run, TITLE + BODY)
    name, title, excerpt = sections[-1]
    assert (name, title) == ("04-review.yaml", "Review questions"), sections[-1]
    assert excerpt == (
        "1. Why did the crown summon the Estates-General in 1788?\n"
        "2. What did the Assembly abolish on the night of 4 August 1789?\n"
        "3. How did the war of 1792 contribute to the fall of the monarchy?"
    ), "no question is lost"


def test_a_question_is_never_drafted_as_a_point(here: Path, run: Runner) -> None:
    ingest(here, run, TITLE + BODY)
    reading = load_reading(here / "notes" / "chapter")
    review = reading.sections[-1]
    assert review.points == (), review.points
    drafted = [p.text for s in reading.sections for p in s.points]
    assert not [p for p in drafted if p.rstrip("\"'”’)").endswith("?")], drafted


def test_a_numbered_heading_in_title_case_may_still_ask(here: Path, run: Runner) -> None:
    text = (
        "Letters\n\n1. Origins\n\nThe letter began as a note carried by hand in 1500.\n\n"
        "2. Why Letters?\n\nLetters let a writer show a mind at the moment it feels.\n"
    )
    assert [t for _, t, _ in ingest(here, run, text)] == ["Origins", "Why Letters?"]
