"""The drafts ingest writes: faithful YAML, fair cloze cards, and a deck Anki imports."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from anki_helpers import cards_by_question, import_deck, visible_text
from conftest import DATA, REPO, Runner, examples
from hypothesis import given, settings
from hypothesis import strategies as st

from studykit.cards import reading_card_count
from studykit.ingest.sentences import sentences
from studykit.ingest.yaml_writer import literal_block, quote
from studykit.notes.cloze import Deletion
from studykit.notes.model import Reading
from studykit.notes.strict_yaml import parse_yaml
from studykit.notes.validate import load_reading

INGEST = DATA / "ingest"
SHIPPED_SOURCE = REPO / "notes" / "mao-collectivization" / "failure-of-mao-collectivization.txt"
SOURCES = [SHIPPED_SOURCE, *sorted(p for p in INGEST.iterdir() if p.name != "headings-only.txt")]


def loaded_value(document: str) -> str:
    node = parse_yaml(document.encode("utf-8"), Path("test.yaml"))
    assert node is not None, document
    value: str = node.value[0][1].value
    return value


HOSTILE_VALUES = [
    "key: value # not a comment",
    "{{not a cloze}} and \\{{escaped}}",
    "\"double\" and 'single' quotes",
    "!tag &anchor *alias",
    "- a list? no",
    "no",
    "1959",
    "~",
    "null",
    "Dàyuèjìn 大跃进 Máo Zédōng",
    "tab\there, backslash \\ and a line\nbreak",
    "\u2028line separator\x85next line\ufeffbom",
    "  leading and trailing spaces  ",
    "",
]


@pytest.mark.parametrize("text", HOSTILE_VALUES)
def test_quoted_values_read_back_exactly(text: str) -> None:
    assert loaded_value(f"key: {quote(text)}\n") == text, quote(text)


@settings(max_examples=examples(300), deadline=None)
@given(st.text())
def test_any_text_quoted_reads_back_exactly(text: str) -> None:
    assert loaded_value(f"key: {quote(text)}\n") == text, quote(text)


_LINE = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Zl", "Zp"),
        blacklist_characters="\ufeff\ufffe\uffff",
    ).filter(lambda c: c == "\t" or c.isprintable() or c == " "),
    max_size=30,
).map(str.rstrip)


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=6).filter(lambda lines: lines[0].strip() != ""))
def test_excerpt_block_reads_back_exactly(lines: list[str]) -> None:
    text = "\n".join(lines).rstrip("\n")
    assert loaded_value(f"excerpt: {literal_block(text)}").rstrip() == text, literal_block(text)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Reading]:
    """Every test reading ingested once, by the command a student runs."""
    from typer.testing import CliRunner

    from studykit.cli.app import app

    notes = tmp_path_factory.mktemp("study") / "notes"
    readings = {}
    for source in SOURCES:
        result = CliRunner().invoke(app, ["ingest", str(source), "--notes", str(notes)])
        assert result.exit_code == 0, result.output
        readings[source.name] = load_reading(notes / source.stem)
    return readings


def deletions(reading: Reading) -> list[tuple[Deletion, str]]:
    """Every deletion of a reading with the plain text of its point."""
    return [
        (deletion, point.cloze.plain())
        for section in reading.sections
        for point in section.points
        if point.cloze
        for deletion in point.cloze.deletions
    ]


@pytest.mark.parametrize("name", [s.name for s in SOURCES])
def test_no_deletion_twice_and_none_given_away(ingested: dict[str, Reading], name: str) -> None:
    reading = ingested[name]
    found = deletions(reading)
    answers = [d.answer.lower() for d, _ in found]
    assert len(answers) == len(set(answers)), f"a deletion used twice: {answers}"
    terms = {t.term.lower() for s in reading.sections for t in s.terms}
    assert not terms & set(answers), "a name is asked for by a term card and a cloze"
    for deletion, plain in found:
        rest = plain.replace(deletion.answer, " ", 1).lower().split()
        for word in deletion.answer.lower().split():
            assert len(word) < 3 or word not in rest, f"{deletion.answer!r} given away: {plain}"


@pytest.mark.parametrize("name", [s.name for s in SOURCES])
def test_drafts_come_from_the_text(ingested: dict[str, Reading], name: str) -> None:
    for section in ingested[name].sections:
        if not section.excerpt:
            assert section.questions == () and section.summary is None, section.path
            continue
        text = " ".join(section.excerpt.split())
        for sentence in sentences(section.summary or ""):
            assert sentence in text, f"summary not whole sentences of the text: {sentence}"
            assert sentence.endswith((".", "!", "?", '."', ".”")), section.summary
        for question in section.questions:
            assert question.a in text, f"an answer is a sentence of the text: {question.a}"
            assert question.a.endswith((".", "!", "?")), f"a whole sentence: {question.a}"
        for point in section.points:
            plain = point.cloze.plain() if point.cloze else point.text
            assert plain.replace("\\{{", "{{") in text, f"point not from the text: {plain}"
        for term in section.terms:
            assert term.term not in term.definition, "a definition does not name its term"
            assert term.definition in text, f"a definition is the text's: {term.definition}"


def test_cloze_on_dates_numbers_and_names(ingested: dict[str, Reading]) -> None:
    answers = {d.answer for d, _ in deletions(ingested["wrapped-numbered.txt"])}
    # "Huang Wanli, a hydrologist who had opposed the Sanmenxia dam, ...": a person's post is
    # no term, so the sentence is a cloze on who he was. "the methods of the Great Leap": a
    # name a noun's "of" hangs on the sentence is no fact of its own.
    assert answers == {"1958", "Huang Wanli"}, answers
    answers = {d.answer for d, _ in deletions(ingested["hostile.md"])}
    # "It mentions the Great Leap Forward ...": whose subject is "It" gets no cloze.
    # Nor is 1959 in "Peng Dehuai criticised it ...": criticised what?
    assert answers == {"1958", "45 million"}, answers


def test_literal_braces_stay_literal(ingested: dict[str, Reading]) -> None:
    code = ingested["hostile.md"].section("code")
    assert code is not None
    (point,) = code.points
    assert point.text.startswith("The template syntax \\{{name}} is written"), point.text
    assert point.cloze is not None and [d.answer for d in point.cloze.deletions] == ["45 million"]
    assert point.cloze.plain().startswith("The template syntax {{name}} is"), point.cloze.plain()


def test_a_name_that_only_occurs_is_no_term(ingested: dict[str, Reading]) -> None:
    names = ingested["hostile.md"].section("names")
    assert names is not None
    # "Peng Dehuai criticised it at the Lushan Conference in 1959": a fact about the
    # conference, not what it is. It was drafted as a term whose definition was the sentence
    # with the name masked; now there is no term, and no cloze either: "criticised it" stands
    # for a thing named before, which the card could not say.
    assert names.terms == (), names.terms
    points = [p.text for p in names.points]
    assert "Peng Dehuai criticised it at the Lushan Conference in 1959, and he was purged." in (
        points
    ), points


def test_terms_come_from_defining_sentences(ingested: dict[str, Reading]) -> None:
    terms = {t.term: t.definition for r in ingested.values() for s in r.sections for t in s.terms}
    assert terms == {
        "Lushan": "a mountain resort in Jiangxi",
        "Node.js": "an open-source, cross-platform JavaScript runtime environment",
    }, terms


def test_questions_ask_what_their_sentence_says(ingested: dict[str, Reading]) -> None:
    asked = {q.q: q.a for r in ingested.values() for s in r.sections for q in s.questions}
    # "Mao took the letter as an attack" asks no "who": "took" is no act only a person does.
    assert asked == {
        "When did the Party leadership meet at Lushan, a mountain resort in Jiangxi, to review "
        "the Great Leap Forward?": "In July 1959 the Party leadership met at Lushan, a mountain "
        "resort in Jiangxi, to review the Great Leap Forward.",
        "When was Peng Dehuai dismissed as Minister of Defence and replaced by Lin Biao?": (
            "Peng Dehuai was dismissed as Minister of Defence and replaced by Lin Biao in "
            "September 1959."
        ),
    }, asked


def test_ingested_readings_pass_check(ingested: dict[str, Reading], run: Runner) -> None:
    notes = next(iter(ingested.values())).folder.parent
    result = run("check", "--notes", str(notes))
    assert result.exit_code == 0, result
    assert " 0 errors" in result.stdout, result


def test_drafts_make_a_deck_anki_imports(
    ingested: dict[str, Reading], run: Runner, tmp_path: Path
) -> None:
    reading = ingested["hostile.md"]
    notes = reading.folder.parent
    deck = tmp_path / "hostile.apkg"
    result = run("deck", "hostile", "--notes", str(notes), "-o", str(deck))
    assert result.exit_code == 0, result
    col = import_deck(deck, tmp_path / "collection.anki2")
    try:
        assert len(col.find_cards("")) == reading_card_count(reading), "every card imported"
        by_question = cards_by_question(col)
        cloze = next(q for q in by_question if "The template syntax" in q)
        shown = html.unescape(cloze)
        assert "The template syntax {{name}} is" in shown and "[...]" in shown, shown
        answer = visible_text(by_question[cloze][0].answer())  # type: ignore[attr-defined]
        assert "45 million" in answer, answer
    finally:
        col.close()


def test_deletions_are_fair_in_a_crafted_reading() -> None:
    from studykit.ingest.draft_notes import draft_reading
    from studykit.ingest.sections import PlannedSection

    text = (
        "In 1959 the harvest failed across the plain, and by the end of 1959 hunger spread "
        "through Anhui province and beyond it."
    )
    year = "The grain targets of 1958 were raised again and again by the provincial leaders."
    sections = [
        PlannedSection(1, "one", "One", (text,), headed=True),
        PlannedSection(2, "two", "Two", (year, year.replace("grain", "steel")), True),
        PlannedSection(3, "three", "Three", tuple(year.replace("grain", w) for w in "ab"), True),
    ]
    drafts = draft_reading(sections)
    points = [p for d in drafts for p in d.points]
    # 1959 stands twice in its sentence, and Anhui is placed inside it ("through Anhui
    # province"): no fair deletion there.
    assert not any("1959" in p and "{{" in p for p in points), points
    # No summary (the lead names nothing its heading does): each sentence is a point, the
    # grain targets' the one cloze on 1958, the other three plain points.
    assert sum("1958" in p for p in points) == 4, f"four points could hide 1958: {points}"
    answers = [p.split("{{")[1].split("}}")[0] for p in points if "{{" in p]
    assert answers.count("1958") == 1, f"no deletion twice in a reading: {points}"


LAYOUT = """# The Leap

By A. Historian, 12 May 2021

## How it worked

> The Great Leap Forward was a campaign launched in 1958 to overtake Britain in steel output.

Year   Output   Deaths in the famine of the province
1959   8 million tonnes   15 million people died there

The communes, vast units of thousands of households, took over farming in 1958 everywhere.
Peng Dehuai, the defence minister, criticised the policy at Lushan in 1959 and was purged.

## Why did it fail

In 1960 the Soviet Union withdrew its 1,400 advisers from China within a few weeks.
"""


def test_drafts_read_well_on_bylines_quotes_tables_terms_and_headings(
    tmp_path: Path, run: Runner
) -> None:
    (tmp_path / "leap.md").write_text(LAYOUT, "utf-8")
    result = run("ingest", str(tmp_path / "leap.md"), "--notes", str(tmp_path / "notes"))
    assert result.exit_code == 0, result
    reading = load_reading(tmp_path / "notes" / "leap")
    points = [p.text for s in reading.sections for p in s.points]
    said = points + [s.summary or "" for s in reading.sections]
    assert not [p for p in said if p.startswith("By A. Historian")], f"a byline is no fact: {said}"
    assert not [p for p in said if p.lstrip().startswith(">")], f"no quote mark: {said}"
    assert not [p for p in points if "{{" in p and "Output" in p], f"no cloze in a table: {points}"
    how = reading.section("worked")
    assert how is not None
    terms = {t.term: t.definition for t in how.terms}
    # "Peng Dehuai, the defence minister, ...": a role, not what he is; no term.
    assert terms == {
        "Great Leap Forward": "a campaign launched in 1958 to overtake Britain in steel output",
    }, terms
    questions = [(q.q, q.a) for s in reading.sections for q in s.questions]
    assert questions == [
        (
            "When did the Soviet Union withdraw its 1,400 advisers from China within a few weeks?",
            "In 1960 the Soviet Union withdrew its 1,400 advisers from China within a few weeks.",
        )
    ], questions
    intro = (tmp_path / "notes" / "leap" / "01-introduction.yaml").read_text("utf-8")
    assert "# TODO summary:" in intro and "# TODO questions:" in intro, intro


def test_shipped_essay_gets_clozes_on_names_not_its_topic_or_a_masked_term(
    ingested: dict[str, Reading],
) -> None:
    reading = ingested[SHIPPED_SOURCE.name]
    answers = [d.answer for d, _ in deletions(reading)]
    # "Mao Zedong's collectivization efforts ..." opens the essay: its topic, guessed on any
    # card of it, is no answer, in full or in part; nor is "China" inside "... not only
    # affected China domestically".
    assert answers == ["Great Leap Forward"], answers
    terms = [t.term for s in reading.sections for t in s.terms]
    assert "Mao Zedong" not in terms, f"one card asks for a name, not two: {terms}"
