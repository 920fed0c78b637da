"""The notes the project ships: complete, faithful to the source, and a deck Anki accepts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from anki_helpers import cards_by_question, import_deck, visible_text
from conftest import REPO, SHIPPED_NOTES, Runner

from studykit.cards import reading_card_count
from studykit.notes import load_reading

READING = SHIPPED_NOTES / "mao-collectivization"
# CI clones the repository with the shared folder beside it, as ../shared.
SHARED = REPO.parent / "shared"


def _words(text: str) -> str:
    return " ".join(text.split())


def test_shipped_notes_pass_strict_check(shipped: Path, run: Runner) -> None:
    result = run("check", "--strict")
    assert result.exit_code == 0, result
    assert result.stderr == "", result
    assert "0 errors, 0 warnings" in result.stdout, result


def test_five_sections_in_reading_order() -> None:
    reading = load_reading(READING)
    assert [s.id for s in reading.sections] == [
        "introduction",
        "policies",
        "ideology",
        "international",
        "conclusion",
    ]
    assert reading.deck_name == "History::Mao's Collectivization"


@pytest.mark.parametrize("index", range(5))
def test_each_section_is_fully_annotated(index: int) -> None:
    reading = load_reading(READING)
    section = reading.sections[index]
    source = (
        _words((READING / reading.source).read_text(encoding="utf-8")) if reading.source else ""
    )
    assert section.excerpt and _words(section.excerpt) in source, "excerpt must be verbatim"
    assert section.summary
    assert len(section.points) >= 4
    assert sum(1 for p in section.points if p.note) >= 2
    assert section.cloze_points
    assert len(section.terms) >= 3
    assert len(section.questions) >= 3 and all(q.a for q in section.questions)


def test_source_copy_matches_the_reading() -> None:
    shared = SHARED / "source" / "failure-of-mao-collectivization.txt"
    if not shared.is_file():
        pytest.skip(
            f"no original to compare with: {shared} does not exist, because this checkout has no "
            "shared folder beside it (CI clones the repository next to ../shared)"
        )
    copy = READING / "failure-of-mao-collectivization.txt"
    assert copy.read_bytes() == shared.read_bytes(), f"{copy} differs from {shared}"


def test_reading_lists_the_essay_and_its_scholarship() -> None:
    reading = load_reading(READING)
    cited = " ".join(reading.sources)
    assert reading.sources[0].startswith('"The Failure of Mao'), reading.sources
    for author in ("Ashton", "Yang Jisheng", "Dikötter", "Banister", "Sen", "MacFarquhar"):
        assert author in cited, f"sources must cite {author}: {reading.sources}"


# Every death toll a card asks for belongs to an author: none is taught as "the" number.
AUTHORS = ("Ashton", "Yang Jisheng", "Dikötter", "Banister", "Cao Shuji", "estimates")


def test_death_tolls_are_attributed_estimates() -> None:
    reading = load_reading(READING)
    tolls = [
        point.text
        for section in reading.sections
        for point in section.cloze_points
        if point.cloze
        and "death" in point.text
        and any(re.search(r"\d million", d.answer) for d in point.cloze.deletions)
    ]
    assert len(tolls) >= 3, tolls
    for text in tolls:
        assert any(author in text for author in AUTHORS), f"unattributed toll: {text}"


# Deletions a tutor found guessable, repeated by a question, or shown by the other deletions of
# their point; each is asked another way now, or not at all.
RETIRED_DELETIONS = (
    "communism",
    "Stalin",
    "procurement",
    "economic miscalculations",
    "ideological motivations",
)


def test_cards_a_tutor_would_hand_out() -> None:
    reading = load_reading(READING)
    hidden = {
        d.answer
        for section in reading.sections
        for point in section.cloze_points
        if point.cloze
        for d in point.cloze.deletions
    }
    for answer in RETIRED_DELETIONS:
        assert answer not in hidden, f"{answer!r} is still a deletion"
    assert {"social upheaval", "an atomic bomb", "July 1960"} <= hidden, hidden
    hints = {
        d.answer: d.hint
        for section in reading.sections
        for point in section.cloze_points
        if point.cloze
        for d in point.cloze.deletions
    }
    assert hints["July 1960"] == "month and year", hints["July 1960"]
    asked = {q.q: q.a for section in reading.sections for q in section.questions}
    assert asked.get("According to the essay, what did Mao's unrealistic goals lead to?") == (
        "Widespread over-reporting of agricultural yields."
    ), asked
    assert "What does the essay's three-part explanation leave out?" not in asked, asked
    assert not any("section on policies" in q for q in asked), asked
    assert "no longer a remote future event" in asked.get(
        "What did the Beidaihe resolution of August 1958 say of communism?", ""
    ), asked
    assert asked.get("Which 1956 Soviet act first strained relations with Beijing?") == (
        "Khrushchev's denunciation of Stalin."
    ), asked
    leap = next(t for s in reading.sections for t in s.terms if t.term == "Great Leap Forward")
    assert "1958-60" in leap.definition and leap.note and "1962" in leap.note, leap
    summaries = [reading.summary or "", reading.sections[0].summary or ""]
    assert all("1958-62" not in s and "January 1961" in s for s in summaries), summaries
    lysenko = next(p.text for s in reading.sections for p in s.points if "Lysenko" in p.text)
    assert "came from" not in lysenko and "drawing on" in lysenko, lysenko


def test_shipped_deck_imports_into_anki(shipped: Path, run: Runner, tmp_path: Path) -> None:
    result = run("deck")
    assert result.exit_code == 0, result
    col = import_deck(Path("cards/mao-collectivization.apkg").resolve(), tmp_path / "c.anki2")
    reading = load_reading(shipped / "mao-collectivization")
    assert len(col.find_cards("")) == reading_card_count(reading)
    subdecks = sorted(d.name for d in col.decks.all_names_and_ids() if d.name.count("::") == 2)
    assert subdecks == [
        "History::Mao's Collectivization::01 Introduction",
        "History::Mao's Collectivization::02 Policies and Economic Miscalculations",
        "History::Mao's Collectivization::03 Ideological Motivations and Social Impact",
        "History::Mao's Collectivization::04 International Ramifications and Lessons Learned",
        "History::Mao's Collectivization::05 Conclusion",
    ]
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        question, answer = visible_text(card.question()), visible_text(card.answer())
        assert question and answer, cid
        # No Markdown or cloze syntax reaches the student unrendered.
        for text in (question, answer):
            assert not re.search(r"\*\*|\{\{|\}\}|\]\(", text), text
        assert "The Failure of Mao Zedong's Collectivization ›" in answer
    # What a student is taught on the points a history tutor checks first.
    by_question = cards_by_question(col)
    expected = {
        "Fill in Family farming ended with the [...] of 1955-56, not with the communes.": (
            "advanced cooperatives"
        ),
        "Question What range do serious estimates of the famine's excess deaths span?": (
            "About 15 to 55 million."
        ),
        "Fill in [province] had the highest famine death rate of any province.": "Anhui",
    }
    for question, answer in expected.items():
        assert question in by_question, f"no card asks {question!r}"
        (card,) = by_question[question]
        assert answer in visible_text(card.answer()), card.answer()  # type: ignore[attr-defined]
    yang = [q for q in by_question if "Yang Jisheng's Tombstone" in q and "[how many?]" in q]
    assert len(yang) == 1, yang
    col.close()


def test_identity_record_is_committed_up_to_date(shipped: Path, run: Runner) -> None:
    # A student who clones the repository and builds the deck must not find a changed lock file.
    result = run("deck")
    assert result.exit_code == 0, result
    record = "identities.lock"
    rebuilt = (shipped / "mao-collectivization" / record).read_text(encoding="utf-8")
    assert rebuilt == (READING / record).read_text(encoding="utf-8"), (
        f"notes/mao-collectivization/{record} is stale: run `studykit deck` and commit it"
    )
