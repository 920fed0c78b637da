"""The notes the project ships: complete, faithful to the source, and a deck Anki accepts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from anki_helpers import cards_by_question, import_deck, visible_text
from conftest import REPO, SHIPPED_NOTES, Runner

from studykit.cards import reading_card_count
from studykit.notes.bibliography import read_bibliography
from studykit.notes.citations import cited_keys
from studykit.notes.model import Reading
from studykit.notes.validate import load_reading

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
    assert sum(1 for p in section.points if p.annotation) >= 2
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


# The works the notes rely on, each cited by key somewhere in them: nothing listed and uncited,
# nothing cited and unlisted.
WORKS = {
    "ashton1984",
    "banister1987",
    "becker1996",
    "bernstein1984",
    "cao2005",
    "ccp1981",
    "coale1984",
    "davies2004",
    "dikotter2010",
    "dikotter2013",
    "dreze1989",
    "gao2006",
    "lin1990",
    "lin1992",
    "luthi2008",
    "macfarquhar1974",
    "macfarquhar1983",
    "macfarquhar1997",
    "ograda2011",
    "sen1999",
    "thaxton2008",
    "wemheuer2014",
    "yang1996",
    "yang2012",
    "yangxianhui2009",
}


def test_reading_cites_its_scholarship_by_key() -> None:
    reading = load_reading(READING)
    assert reading.source == "failure-of-mao-collectivization.txt", reading.source
    assert reading.sources == (), "the scholarship lives in sources.bib, not a free-text list"
    assert reading.bibliography == READING / "sources.bib", reading.bibliography
    listed = set(read_bibliography(READING / "sources.bib").written)
    assert listed == WORKS, sorted(listed ^ WORKS)
    assert cited_keys(reading) == WORKS, sorted(cited_keys(reading) ^ WORKS)


def test_no_rule_is_silenced_in_the_shipped_notes() -> None:
    for path in sorted(READING.glob("*.yaml")):
        assert "allow:" not in path.read_text(encoding="utf-8"), f"{path.name} silences a rule"


def _note_of(reading: Reading, words: str) -> str:
    """The annotation of the one point, term or question whose front contains `words`."""
    fronts = [
        (front, note or "")
        for section in reading.sections
        for front, note in (
            *((p.text, p.annotation) for p in section.points),
            *((t.term, t.annotation) for t in section.terms),
            *((q.q, q.annotation) for q in section.questions),
        )
    ]
    found = [note for front, note in fronts if words in front]
    assert len(found) == 1, (words, found)
    return found[0]


# The figures and contested claims a tutor checks first, each with the work it comes from.
FIGURES = [
    ("{{land reform::campaign}}", "@dikotter2013"),
    ("About how many households did a people's commune average", "@lin1990"),
    ("a grain harvest of {{375 million tonnes}}", "@macfarquhar1983"),
    ("{{144 million}} in 1960", "@ashton1984"),
    ("exporting grain through the famine", "@dikotter2010"),
    ("{{Sichuan::province}}", "@cao2005"),
    ("the prefecture of {{Xinyang}}", "@yang2012"),
    ("the Jiabiangou labour camp", "@yangxianhui2009"),
    ("Dikötter's *Mao's Great Famine*", "@coale1984"),
    ("Stalin's forced collectivization", "@davies2004"),
    ("more economical results", "@macfarquhar1983"),
    ("{{inflated yield reports::which", "@bernstein1984"),
    ("Which Soviet speech of February 1956", "@luthi2008"),
    ("rise in farm output did Justin Yifu Lin", "@lin1992"),
]


# Overstatements a history tutor found, each reworded to what the scholarship supports.
OVERSTATEMENTS = (
    "by every serious estimate",  # the lowest estimates are about 16 million
    "a byword for the famine",  # Jiabiangou
    "Mao withdrew to the",  # the "second line" dates from 1958-59, not 1961-62
    "first strained",  # de-Stalinisation was one early strain among several
    "open polemics from 1963",  # they began by April 1960
    "the critics who had spoken out",  # the Anti-Rightist Campaign reached far wider
    "in 1953-57",  # the cooperatives: formed from 1953, universal by the end of 1956
    "a million people, the best-documented",  # Xinyang: one of several well documented
)


def test_overstatements_are_reworded() -> None:
    text = " ".join(
        " ".join(path.read_text(encoding="utf-8").split()) for path in READING.glob("*.yaml")
    )
    for phrase in OVERSTATEMENTS:
        assert phrase not in text, f"still in the notes: {phrase!r}"
    assert "Long Live Leninism" in text and "open letters of 1963" in text


@pytest.mark.parametrize(("front", "key"), FIGURES)
def test_figures_and_contested_claims_cite_their_source(front: str, key: str) -> None:
    assert key in _note_of(load_reading(READING), front), (front, key)


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
    "catches mice",
    "Gansu",
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
    assert "Which 1956 Soviet act first strained relations with Beijing?" not in asked, asked
    assert asked.get(
        "Which Soviet speech of February 1956 became an early source of friction with Beijing?"
    ) == ('Khrushchev\'s "Secret Speech" denouncing Stalin.'), asked
    assert asked.get("What lasting impact of the period does the essay's conclusion name?", "")
    assert {"Deng Xiaoping", "restored production", "general line", "rightists"} <= hidden
    assert {"1959-61", "inflated yield reports", "second line"} <= hidden, hidden
    points = {p.text for s in reading.sections for p in s.points}
    assert any(t.startswith('In 1958-59 Mao announced his move to the "{{second') for t in points)
    assert not any("In 1961-62 Mao withdrew" in t for t in points), points
    terms = {t.term: t.definition for s in reading.sections for t in s.terms}
    assert "Readjustment" not in terms and "January 1961" in terms["Readjustment of 1961"], terms
    split = terms["Sino-Soviet split"]
    assert not re.search(r"Sino|Soviet|split", split), f"the definition restates the name: {split}"
    assert "the critics who had spoken out" not in terms["Anti-Rightist Campaign"], terms
    # Cooperatives: formed from 1953, all but universal by the end of 1956, merged in 1958.
    assert "1953-57" not in terms["Agricultural producers' cooperative"], terms
    leap = next(t for s in reading.sections for t in s.terms if t.term == "Great Leap Forward")
    assert "1958-60" in leap.definition and leap.annotation and "1962" in leap.annotation, leap
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
            "About 16 million to 45 million or more."
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
