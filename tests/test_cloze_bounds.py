"""Deletions one point may have, and what a point of many deletions costs.

The audit's case: one cloze point of n deletions (a `>-` block of n lines `{{wI}} and`) makes n
cards that each show the whole point, so a flashcard handout of it grew as n squared (n=1000: a
PDF took 101 s and 10.6 GB; n=4000: a 312 MB HTML page) and `review` built every sibling's text
to show one card. A point may have 100 deletions; past that every command refuses it at the
point, and a PDF of flashcards counts what its cards show.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Runner
from handout_helpers import html_text

from studykit.cards import derive_notes, note_card, note_cards
from studykit.notes.cloze import MAX_DELETIONS
from studykit.notes.validate import load_reading

F = "notes/r/01-a.yaml"
TOO_MANY = (
    f"{F}:105:5: error: cloze: this point has 101 deletions, more than the 100 one point may "
    "have (each deletion is a card showing the whole point), and this is deletion 101, "
    "{{w100}}: split the point into several"
)


@pytest.fixture
def reading(empty_reading: Path) -> Path:
    """An empty reading, `notes/r`, in a fresh current folder."""
    return empty_reading


def write_point(reading: Path, deletions: int, pad: str = "") -> None:
    """The audit's section: one point, a `>-` block of `deletions` lines `{{wI}} and`."""
    lines = "".join(f"    {{{{w{i}}}}} and{pad}\n" for i in range(deletions))
    (reading / "01-a.yaml").write_text(
        f"title: A\nsummary: s.\npoints:\n  - >-\n{lines}    end.\n", encoding="utf-8"
    )


def test_the_bound_is_a_hundred() -> None:
    assert MAX_DELETIONS == 100


def test_a_point_of_101_deletions_is_refused_by_check_at_the_point(
    reading: Path, run: Runner
) -> None:
    write_point(reading, 101)
    result = run("check")
    assert result.exit_code == 1, result
    assert result.stderr.splitlines() == [TOO_MANY, "check: 1 error, 0 warnings in 1 reading"]


def test_a_point_of_4000_deletions_is_refused_with_its_count(reading: Path, run: Runner) -> None:
    write_point(reading, 4000)
    result = run("check")
    assert result.exit_code == 1, result
    assert result.stderr.splitlines()[0] == TOO_MANY.replace("has 101", "has 4,000")


@pytest.mark.parametrize(
    ("args", "output"),
    [
        (("outline", "--layout", "cards", "-f", "html", "-o", "c.html"), "c.html"),
        (("outline", "--layout", "cards", "-f", "pdf", "-o", "c.pdf"), "c.pdf"),
        (("outline", "-f", "md", "-o", "c.md"), "c.md"),
        (("summary", "-f", "html", "-o", "s.html"), "s.html"),
        (("deck",), "cards/r.apkg"),
        (("show", "r", "--no-pager"), None),
        (("review", "--state", "s.db"), None),
    ],
)
def test_every_command_refuses_the_point_the_same_way_and_writes_nothing(
    reading: Path, run: Runner, args: tuple[str, ...], output: str | None
) -> None:
    write_point(reading, 101)
    result = run(*args, input="q\n")
    assert result.exit_code == 1, result
    assert TOO_MANY in result.stderr.splitlines(), result
    if output is not None:
        assert not Path(output).exists()


def test_a_point_of_100_deletions_makes_100_cards(reading: Path, run: Runner) -> None:
    write_point(reading, 100)
    result = run("check")
    assert result.exit_code == 0, result
    assert result.stdout.splitlines()[-1] == (
        "ok: 1 reading, 1 section, 100 cards; 0 errors, 0 warnings"
    )
    made = run("outline", "--layout", "cards", "-f", "html", "-o", "c.html")
    assert made.exit_code == 0, made
    page = Path("c.html").read_text(encoding="utf-8")
    # Card 57 asks for w56, once on its front and once on its back; the others read as text.
    blank = '<span class="blank" title="answer left out"></span>'
    assert page.count(f"w55 and {blank} and w57 and") == 1
    assert page.count('w55 and <strong class="deletion">w56</strong> and w57') == 1
    assert page.count(blank) == 100
    text = html_text(page)
    assert text.count(" Front ") == 100 and text.count(" Back ") == 100
    assert " ".join(f"w{i} and" for i in range(100)) + " end." in text


def test_review_shows_one_card_of_a_long_point_with_its_own_blank(
    reading: Path, run: Runner, fixed_morning: None
) -> None:
    write_point(reading, 100)
    result = run("review", "--state", "s.db", input="q\n")
    assert result.exit_code == 0, result
    asked = next(line for line in result.stdout.splitlines() if line.startswith("Q: "))
    assert asked.startswith("Q: [...] and w1 and w2 and"), asked


def test_one_card_is_built_as_the_notes_cards_are(reading: Path) -> None:
    """`review` builds the card it shows alone; it is the card the deck and handouts build."""
    write_point(reading, 100)
    loaded = load_reading(reading)
    for note in derive_notes(loaded):
        cards = note_cards(note, loaded)
        assert [c.number for c in cards] == list(range(100))
        assert all(note_card(note, loaded, c.number) == c for c in cards)
        card = note_card(note, loaded, 41)
        assert card.prompt.startswith("w0 and w1 and") and "[...] and w42" in card.prompt
        assert card.answer.count("\ue020") == 1 and "\ue020w41\ue021 and w42" in card.answer


def test_a_pdf_of_cards_counts_what_its_cards_show(reading: Path, run: Runner) -> None:
    """100 deletions of a 20 KB point: 4 million characters on the cards from notes far under
    the PDF's million characters of notes, which typst took 10 GB to set at 100 KB."""
    write_point(reading, 100, pad=" " + "x" * 180)
    result = run("outline", "--layout", "cards", "-f", "pdf", "-o", "c.pdf")
    assert result.exit_code == 1, result
    assert result.stderr.splitlines() == [
        f"{F}:4:1: error: the reading's cards pass the 2,000,000 characters a PDF of flashcards "
        "sets in this item (a cloze card shows its whole point, on its front and back): split "
        "the reading into readings, or print the cards with -f html"
    ]
    assert not Path("c.pdf").exists()
    html = run("outline", "--layout", "cards", "-f", "html", "-o", "c.html")
    assert html.exit_code == 0, html
