"""Which cards ingest drafts from real paragraphs: only those true to their sentence.

Each case is a short paragraph modelled on texts a tutor tried (a history of the Dust Bowl, a
software licence, READMEs), with exactly the cards that must come out of it, and none of the
wrong ones that used to: a place defined by a sentence that is not about it, a term defined by
its neighbour's sentence, a summary cut at a comma, a generic question answered by a fragment.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from anki_helpers import cards_by_question, import_deck, visible_text
from conftest import DATA, Runner
from draft_helpers import drafted

from studykit.cards import reading_card_count
from studykit.ingest.draft_notes import draft_reading
from studykit.ingest.questions import base_form
from studykit.ingest.sections import PlannedSection
from studykit.notes.validate import load_reading

DRAFTING = DATA / "drafting"


def test_an_appositive_defines_its_name_and_a_neighbour_does_not() -> None:
    draft = drafted(
        "The Shelterbelt Project, a plan to plant trees across the plains, began in 1934. "
        "In 1935 Congress created the Soil Conservation Service to teach farmers how to "
        "protect their land."
    )
    assert draft.terms == (("Shelterbelt Project", "a plan to plant trees across the plains"),)
    assert draft.questions == (
        (
            "When did the Shelterbelt Project begin?",
            "The Shelterbelt Project, a plan to plant trees across the plains, began in 1934.",
        ),
        (
            "When did Congress create the Soil Conservation Service to teach farmers how to "
            "protect their land?",
            "In 1935 Congress created the Soil Conservation Service to teach farmers how to "
            "protect their land.",
        ),
    )


def test_a_place_that_is_only_the_subject_is_no_term() -> None:
    draft = drafted(
        "Before settlement, the soil of the plains was held in place by deep-rooted grasses. "
        "Texas was held in place by deep-rooted native grasses until the sod was broken. "
        "St Mary and other small towns were buried under drifts of soil. "
        "It is estimated that 5.2 million acres of grassland were ploughed. "
        "There are many accounts of families who borrowed heavily to buy tractors."
    )
    assert draft.terms == (), draft.terms
    assert draft.questions == (), draft.questions


def test_definitions_say_what_the_term_is() -> None:
    draft = drafted(
        "Black Sunday was the day on which a wall of dust swept across the plains. "
        "Many children died of dust pneumonia, an inflammation of the lungs caused by dust. "
        "The Soil Conservation Service (SCS) was an agency of the Department of Agriculture. "
        "A shelterbelt is a row of trees planted to break the wind."
    )
    # "dust pneumonia, an inflammation ..." ends its sentence: such a gloss may sum up the
    # clause instead ("... into the Atlantic, a ceremony called ..."), so it defines nothing.
    assert draft.terms == (
        ("Black Sunday", "the day on which a wall of dust swept across the plains"),
        ("Soil Conservation Service", "an agency of the Department of Agriculture"),
        ("SCS", "Soil Conservation Service"),
        ("shelterbelt", "a row of trees planted to break the wind"),
    )


def test_licence_definitions_and_no_half_of_an_either_or() -> None:
    draft = drafted(
        "“The Program” refers to any copyrightable work licensed under this License. "
        "To “modify” a work means to copy from or adapt all or part of the work. "
        "A “Standard Interface” means an interface that either is an official standard "
        "defined by a recognized standards body, or, in the case of interfaces specified for "
        "a particular programming language, one that is widely used among developers.",
        "“Knowingly relying” means you have actual knowledge that, but for the patent "
        "license, your conveying the covered work would infringe one or more patents.",
    )
    assert draft.terms == (
        ("The Program", "any copyrightable work licensed under this License"),
        ("modify", "to copy from or adapt all or part of the work"),
        (
            "Knowingly relying",
            "you have actual knowledge that, but for the patent license, your conveying the "
            "covered work would infringe one or more patents",
        ),
    ), "the whole predicate where it fits; none where only half an either-or would"


def test_bold_terms_in_markdown() -> None:
    draft = drafted(
        "**Sod** is the top layer of soil, held together by the roots of grasses.",
        "**Okie**: a migrant from Oklahoma or a neighbouring state.",
    )
    assert draft.terms == (
        ("Sod", "the top layer of soil, held together by the roots of grasses"),
        ("Okie", "a migrant from Oklahoma or a neighbouring state"),
    )


def test_acronyms_without_a_defining_sentence_are_no_terms() -> None:
    draft = drafted(
        "The daemon runs as the user daemon. LSB 1.3 lists daemon as legacy. "
        "The GID and UID are both 1 on Debian, and both are set in the passwd file."
    )
    assert [t for t, _ in draft.terms] == [], draft.terms


def test_summary_is_whole_sentences_never_cut_at_a_comma() -> None:
    text = (
        "The disaster grew out of drought, but it was made far worse by decades of farming "
        "that had stripped the land of its cover."
    )
    draft = drafted(
        text,
        "If you convey an object code work under this section in, or with, or specifically "
        "for use in, a consumer product, you must also convey the source code with it at the "
        "same time and by the same means.",
    )
    assert draft.summary == text


def test_a_summary_does_not_open_by_pointing_back() -> None:
    draft = drafted(
        "This led to widespread discontent among the peasants of the plains. "
        "Grain prices fell by half between 1929 and 1932 across the wheat belt."
    )
    # Nor does a later sentence stand in for the lead: the student writes the summary.
    assert draft.summary is None


def test_why_questions_come_from_because_and_their_answer_holds_the_reason() -> None:
    sentence = "Farmers were paid to adopt contour ploughing because it slowed the runoff of water."
    # The reading writes "farmers" in lower case elsewhere: so does the question.
    draft = drafted(sentence, "Most farmers had borrowed to buy land.")
    assert draft.questions == (("Why were farmers paid to adopt contour ploughing?", sentence),)
    assert "because it slowed the runoff" in draft.questions[0][1]


def test_no_question_with_a_pronoun_or_a_generic_prompt() -> None:
    draft = drafted(
        "They moved west in 1936 because the farms had failed. "
        "It was abandoned in 1937. The region suffered for a decade."
    )
    assert draft.questions == (), draft.questions
    assert not any("argue" in q or "section" in q for q, _ in draft.questions)


def test_no_cloze_on_an_item_of_a_list_of_names() -> None:
    draft = drafted(
        "Dust from the storms fell on Chicago and New York, and ships at sea reported dust.",
        "Dust from the storms reached Boston, Chicago, and New York within two days.",
        "The tests of the parser run on Linux, macOS and Windows before every release.",
    )
    assert all("{{" not in p for p in draft.points), draft.points
    assert draft.clozes == 0


def test_a_cloze_on_a_year_and_no_term_from_it() -> None:
    draft = drafted(
        "The Homestead Act of 1862 opened the plains to farmers, who ploughed up the grass."
    )
    assert draft.points == (
        "The Homestead Act of {{1862}} opened the plains to farmers, who ploughed up the grass.",
    )
    assert draft.terms == ()
    assert draft.cards == 1


@pytest.mark.parametrize(
    ("verb", "base"),
    [
        ("created", "create"),
        ("planted", "plant"),
        ("stopped", "stop"),
        ("passed", "pass"),
        ("carried", "carry"),
        ("agreed", "agree"),
        ("treated", "treat"),
        ("moved", "move"),
        ("began", "begin"),
        ("visited", None),
        ("opened", None),
    ],
)
def test_base_forms_where_spelling_tells(verb: str, base: str | None) -> None:
    assert base_form(verb) == base


def test_sections_without_a_safe_card_say_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Runner
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("vague.txt").write_text(
        "Vague Essay\n\nOne\n\nThe ideas behind it were rooted in a wish for something better. "
        "This vision ignored much of what people lived through.\n\n"
        "Two\n\nThe Homestead Act of 1862 opened the plains to farmers, who ploughed them.\n",
        "utf-8",
    )
    result = run("ingest", "vague.txt")
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    assert lines[1:4] == [
        "  01-one.yaml  One  [no card; 1 point]",
        "  02-two.yaml  Two  [1 cloze point]",
        "drafted 1 card (1 cloze point); left for you (no card drafted): 01-one.yaml",
    ], result.stdout
    text = Path("notes/vague/01-one.yaml").read_text("utf-8")
    for kind in ("points", "terms", "questions"):
        assert f"# TODO {kind}:" in text, text
    # "behind it": behind what? No sentence sums the section up alone.
    assert "# TODO summary: no sentence here sums the section up alone" in text, text


@pytest.fixture(scope="module")
def readings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The drafting texts and the shipped essay, ingested by the command a student runs."""
    from typer.testing import CliRunner

    from studykit.cli.app import app

    notes = tmp_path_factory.mktemp("drafting") / "notes"
    shipped = DATA.parent.parent / "notes" / "mao-collectivization"
    for source in [*sorted(DRAFTING.iterdir()), *shipped.glob("*.txt")]:
        result = CliRunner().invoke(app, ["ingest", str(source), "--notes", str(notes)])
        assert result.exit_code == 0, result.output
    return notes


def test_drafts_pass_check(readings: Path, run: Runner) -> None:
    result = run("check", "--notes", str(readings))
    assert result.exit_code == 0, result
    assert " 0 errors" in result.stdout, result
    rules = {line.rsplit("[", 1)[-1] for line in result.stderr.splitlines() if "warning" in line}
    # Only what a fresh draft must say: unedited, and where the student has to write.
    assert rules == {"draft-unedited]", "no-cards]", "no-summary]"}, result.stderr


@pytest.mark.parametrize("reading", ["dust-bowl", "licence", "daemon-readme", "parser-readme"])
def test_drafts_build_a_deck_anki_imports(
    readings: Path, run: Runner, tmp_path: Path, reading: str
) -> None:
    deck = tmp_path / f"{reading}.apkg"
    result = run("deck", reading, "--notes", str(readings), "-o", str(deck))
    assert result.exit_code == 0, result
    loaded = load_reading(readings / reading)
    col = import_deck(deck, tmp_path / "collection.anki2")
    try:
        assert len(col.find_cards("")) == reading_card_count(loaded), "every card imported"
        if reading == "dust-bowl":
            by_question = cards_by_question(col)
            asked = next(q for q in by_question if "Why were farmers paid" in q)
            answer = visible_text(by_question[asked][0].answer())  # type: ignore[attr-defined]
            assert "because it slowed the runoff of water" in html.unescape(answer), answer
    finally:
        col.close()


def test_dust_bowl_cards(readings: Path) -> None:
    reading = load_reading(readings / "dust-bowl")
    terms = {t.term: t.definition for s in reading.sections for t in s.terms}
    assert terms == {
        "Black Sunday": "the day on which a wall of dust hundreds of miles wide swept across "
        "the plains",
        "SCS": "Soil Conservation Service",
        "Shelterbelt Project": "a plan to plant trees across the plains",
        "Soil Conservation Service": "an agency of the Department of Agriculture",
    }, terms
    # "Hugh Hammond Bennett, the first chief of the service, ...": which service is named in
    # a sentence before; the card would not say.
    answers = sorted(
        d.answer
        for s in reading.sections
        for p in s.cloze_points
        if p.cloze
        for d in p.cloze.deletions
    )
    # The reading's title, "The Dust Bowl", is no answer; nor is a place in "Many moved to
    # California, where they were called Okies" (who moved?), nor one a preposition places
    # inside its sentence ("darkened the sky over Washington").
    # One end of a range ("between 1925 and 1930") is half a fact: the amount is asked.
    # "John Steinbeck described their journey ...": whose, the card would not say.
    assert answers == [
        "1862", "1930s", "1935", "5.2 million", "Hugh Hammond Bennett",
    ], answers  # fmt: skip


def test_readme_clozes_stay_out_of_code_links_and_paths(readings: Path) -> None:
    for reading in ("daemon-readme", "parser-readme"):
        for section in load_reading(readings / reading).sections:
            for point in section.cloze_points:
                assert point.cloze is not None
                for deletion in point.cloze.deletions:
                    assert not any(c in deletion.answer for c in "`/[]()<>:"), point.text


def test_who_when_and_why_only_where_the_sentence_carries_over() -> None:
    draft = drafted(
        "Many farmers moved to Kansas before the war. "
        "Kansas suffered the worst of the storms that spring. "
        "Prices rose and farms failed in 1935. "
        "Farmers who borrowed heavily lost their land because prices fell so far. "
        "The price of wheat fell in 1931."
    )
    # A place is no "who"; "did prices rise and farms failed" and "did farmers who borrow ...
    # lost" are no questions; the one plain sentence is.
    assert draft.questions == (
        ("When did the price of wheat fall?", "The price of wheat fell in 1931."),
    ), draft.questions


def test_no_term_from_a_time_a_setting_or_a_gloss_of_the_clause() -> None:
    draft = drafted(
        "Last year was the driest year on record in the county. "
        "Like Kansas, the state lost half its farms within a decade. "
        "At New York he poured a keg of Lake Erie water into the Atlantic, a ceremony called "
        "the Wedding of the Waters."
    )
    assert draft.terms == (), draft.terms


def test_no_cloze_on_the_documents_own_words_or_a_copyright_line() -> None:
    licence = (
        "This Agreement may also be obtained from a proxy server on the internet today.",
        "Copyright (c) 1991 - 1995, Stichting Mathematisch Centrum Amsterdam, The Netherlands.",
        *(f"The Licensee may copy the software onto {n} machines at one site." for n in "ABCDE"),
    )
    history = "Python was created in the early 1990s by Guido van Rossum in the Netherlands."
    drafts = draft_reading(
        [
            PlannedSection(1, "licence", "Licence", licence, headed=True),
            PlannedSection(2, "history", "History", (history,), headed=True),
        ]
    )
    # "Licensee" stands in five sentences of eight: the topic, not a fact to recall; "This
    # Agreement" is the document itself; a copyright line's years are no fact to learn; "the
    # early 1990s" is a vague time: who created Python is asked.
    assert [p for p in drafts[0].points if "{{" in p] == [], drafts[0].points
    assert drafts[1].points == (
        "Python was created in the early 1990s by {{Guido van Rossum}} in the Netherlands.",
    )


def test_no_cloze_on_a_cross_reference_or_a_piece_of_code() -> None:
    draft = drafted(
        "We do this by implementing add, remove, and average methods, as shown in Listing 18-2.",
        "For instance, we could use a HashSet<i32> instead of a Vec<i32> for the list field.",
        "The build of the daemon needs Python 3.9 on every machine that runs it.",
    )
    assert draft.clozes == 0, draft.points


def test_bold_labels_and_feature_lists_are_no_terms() -> None:
    draft = drafted(
        "**Short**: Minimize code duplication in every command you write.",
        "**Note**: auto-completion works when you create a Python package.",
        "**Start simple**: The simplest example adds only 2 lines of code to your app.",
    )
    assert draft.terms == (), draft.terms


def test_no_cloze_inside_emphasis() -> None:
    draft = drafted(
        "**Start simple**: The simplest example adds only 2 lines of code to your Typer app.",
        "**Note**: auto-completion works when you create a Python package and run it.",
    )
    # Not a word of a bold label; and the names inside the sentences qualify a noun ("Typer
    # app", "Python package"): no fact to ask for.
    assert draft.summary == (
        "**Start simple**: The simplest example adds only 2 lines of code to your Typer app."
    )
    assert draft.points == (
        "**Note**: auto-completion works when you create a Python package and run it.",
    )
    assert draft.clozes == 0


def test_a_questions_subject_is_written_as_inside_a_sentence() -> None:
    draft = drafted(
        "Work on the Central Pacific began in Sacramento in January 1863."
        " Congress Hall was built for the new government of the country in 1790."
    )
    assert [q for q, _ in draft.questions] == [
        "When did work on the Central Pacific begin in Sacramento?",
        "When was Congress Hall built for the new government of the country?",
    ], draft.questions


def test_a_name_that_opens_with_an_ordinal_is_defined() -> None:
    draft = drafted(
        "The First Transcontinental Railroad was a line of track that linked the eastern "
        "network with the Pacific coast. First, the company hired surveyors from the east."
    )
    assert draft.terms == (
        (
            "First Transcontinental Railroad",
            "a line of track that linked the eastern network with the Pacific coast",
        ),
    )


def test_deletions_are_ones_check_accepts() -> None:
    first = (
        "Anki keeps the notes of every deck in one collection on the computer.",
        "GUID values let a new note that Anki imports overwrite an existing note of the deck.",
        "Anki reads the GUID of every note it imports.",
    )
    second = (
        "GUIDs stay stable in your notes, so that the new note replaces the old one.",
        "HTML fields need literal angle brackets written in HTML-encode form, not plain text.",
        "Anki shows every field as HTML.",
    )
    drafts = draft_reading(
        [
            PlannedSection(1, "one", "One", first, headed=True),
            PlannedSection(2, "two", "Two", second, headed=True),
        ]
    )
    deleted = [p[p.index("{{") + 2 : p.index("}}")] for d in drafts for p in d.points if "{{" in p]
    # "GUIDs" is the answer "GUID" again (check: interference), and "HTML" stands inside
    # "HTML-encode" in its own sentence: the card's front would give it away.
    assert deleted == ["GUID"], [d.points for d in drafts]


def test_licence_lists_and_participles_make_no_term_or_question() -> None:
    draft = drafted(
        "You may copy the Document in any medium, provided that this License, the copyright "
        "notices, and the license notice are reproduced in all copies.",
        "A Package modified in such a way shall still be considered the Standard Version.",
        "A Work made available under CC0 may be protected by copyright and related rights.",
    )
    assert (draft.terms, draft.questions) == ((), ()), draft


def test_a_definition_is_whole_where_it_fits_and_else_its_first_clause() -> None:
    draft = drafted(
        "“Freely Available” means that no fee is charged for the item itself, though there "
        "may be fees involved in handling the item.",
        "The Central Pacific Railroad was a company founded by four merchants of Sacramento, "
        "which later grew into one of the largest railroad businesses in the western states "
        "of the country and ran lines as far as Texas and Oregon.",
    )
    assert draft.terms == (
        (
            "Freely Available",
            "that no fee is charged for the item itself, though there may be fees involved in "
            "handling the item",
        ),
        ("Central Pacific Railroad", "a company founded by four merchants of Sacramento"),
    ), draft.terms
