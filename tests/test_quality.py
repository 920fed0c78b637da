"""Card-quality warnings as a student sees them in `studykit check`, and how notes silence them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import REPO, Run, Runner

from studykit.notes.drafts import fingerprint
from studykit.notes.validate import load_reading
from studykit.quality import RULES

HEAD = "title: Cards\nsummary: A section written to test card quality.\n"
FILE = "notes/cards/02-cards.yaml"


@pytest.fixture
def cards(notes: Path) -> Path:
    """A reading of its own beside the demo, whose section files each test writes."""
    folder = notes / "cards"
    folder.mkdir()
    (folder / "reading.yaml").write_text("title: Card quality\n")
    return folder


def warnings_of(cards: Path, run: Runner, body: str, name: str = "02-cards.yaml") -> list[str]:
    """Write a section file (title and summary, then `body`) and return check's warning lines."""
    (cards / name).write_text(HEAD + body, encoding="utf-8")
    result: Run = run("check", "cards")
    assert result.exit_code == 0, result
    return [line for line in result.stderr.splitlines() if ": warning: " in line]


LONG_ANSWER = (
    "questions:\n"
    "  - q: Why did procurement take the grain villages needed?\n"
    "    a: Quotas were set on inflated yield reports that cadres made under pressure from above,"
    " so the state took a share of the real harvest far larger than anyone had planned.\n"
)


def test_long_answer_warns_on_its_line_and_fails_only_with_strict(cards: Path, run: Runner) -> None:
    (cards / "02-cards.yaml").write_text(HEAD + LONG_ANSWER, encoding="utf-8")
    lenient: Run = run("check", "cards")
    assert lenient.exit_code == 0, lenient
    assert lenient.stderr.splitlines() == [
        f"{FILE}:4:1: warning: answer has 30 words (budget 25): keep the one fact in `a:` and "
        "move the rest to `note:` or to cards of its own [long-answer]"
    ], lenient
    assert "0 errors, 1 warning" in lenient.stdout, lenient
    strict: Run = run("check", "cards", "--strict")
    assert strict.exit_code == 1, strict
    assert "check: 0 errors, 1 warning in 1 reading" in strict.stderr, strict


def test_short_answers_and_markup_pass(cards: Path, run: Runner) -> None:
    body = (
        "questions:\n"
        "  - q: Why did output fall?\n"
        "    a: Incentives were removed.\n"
        "  - q: What does the formula give?\n"
        "    a: >-\n"
        "      The **yield** $\\frac{output}{area} \\times 100$ per *mu*, as in "
        "[the 1958 report](https://example.com/a/long/path/to/the/report/of/1958), "
        "which was ten times too high.\n"
    )
    assert warnings_of(cards, run, body) == []


def test_list_answer_names_the_items(cards: Path, run: Runner) -> None:
    body = (
        "terms:\n"
        "  - term: People's commune\n"
        "    definition: The rural unit of 1958 that pooled land, labour and meals.\n"
    )
    assert warnings_of(cards, run, body) == [
        f'{FILE}:4:1: warning: definition lists 3 things ("land", "labour", "meals"): ask for '
        "one per card, or make a point with one {{deletion}} per item [list-answer]"
    ]


def test_two_questions(cards: Path, run: Runner) -> None:
    body = (
        "questions:\n"
        "  - q: What did Mao hope the Leap would achieve, and why?\n"
        "    a: To overtake Britain in steel.\n"
        "  - q: How were the Great Leap Forward and the Sino-Soviet split connected?\n"
        "    a: Moscow saw the Leap as a challenge.\n"
    )
    assert warnings_of(cards, run, body) == [
        f'{FILE}:4:1: warning: this question also asks "and why?": split it into two questions '
        "with one answer each [two-questions]"
    ]


def test_interference_across_sections_points_to_the_first(cards: Path, run: Runner) -> None:
    (cards / "01-first.yaml").write_text(
        HEAD + "points:\n  - The 1959 {{Lushan}} conference purged Peng Dehuai.\n"
        "  - Communes were formed in {{1958}}.\n"
    )
    body = (
        "points:\n"
        "  - Critics fell silent after {{Lushan}}.\n"
        "  - Mess halls opened in {{1958}}.\n"
        "  - The first mess halls closed by {{1958}}.\n"
        "terms:\n"
        "  - term: Lushan\n"
        "    definition: The mountain resort where the 1959 conference met.\n"
    )
    assert warnings_of(cards, run, body, "02-second.yaml") == [
        'notes/cards/02-second.yaml:4:1: warning: "Lushan" is also hidden as a deletion at '
        "01-first.yaml:4, so two cards ask for it: keep one of the two cards, or hide a "
        "different word here [interference]",
        # A year repeats legitimately across sections; in one section, about the same thing (mess
        # halls), it is one fact twice.
        'notes/cards/02-second.yaml:6:1: warning: "1958" is also hidden as a deletion at line 5, '
        "so two cards ask for it: keep one of the two cards, or hide a different word here "
        "[interference]",
        'notes/cards/02-second.yaml:8:1: warning: "Lushan" is also hidden as a deletion at '
        "01-first.yaml:4, so two cards ask for it: keep this term card and hide a different "
        "word of that point [interference]",
    ]


def test_interference_of_a_term_with_a_deletion_by_stem(cards: Path, run: Runner) -> None:
    body = (
        "points:\n"
        "  - The Leap merged cooperatives into {{people's communes}}.\n"
        "terms:\n"
        "  - term: People's commune\n"
        "    definition: The huge rural unit created in 1958.\n"
        "  - term: Mess hall\n"
        "    definition: A commune's canteen.\n"
    )
    assert warnings_of(cards, run, body) == [
        f'{FILE}:6:1: warning: "People\'s commune" is also hidden as a deletion at line 4, so '
        "two cards ask for it: keep this term card and hide a different word of that point "
        "[interference]"
    ]


def test_years_in_prose_are_not_interference(cards: Path, run: Runner) -> None:
    body = (
        "points:\n"
        "  - In 1959 the {{Lushan}} conference met.\n"
        "  - In 1959 {{Peng Dehuai}} was purged.\n"
        "  - text: In 1959 the state kept {{exporting}} grain.\n"
        "    note: In 1959 and 1960 several million tonnes left the country.\n"
    )
    assert warnings_of(cards, run, body) == []


def test_cloze_giveaway(cards: Path, run: Runner) -> None:
    body = "points:\n  - Peasants joined {{communes}}; each commune ran a mess hall.\n"
    assert warnings_of(cards, run, body) == [
        f'{FILE}:4:1: warning: the deletion "communes" can be read on its own card as '
        '"commune": reword that part of the point, or hide another word [cloze-giveaway]'
    ]


def test_long_note_only_where_it_reaches_a_card(cards: Path, run: Runner) -> None:
    note = " ".join(["context"] * 81)
    fits = " ".join(["context"] * 80)
    body = (
        "points:\n"
        f"  - text: A plain point, read in the notes but never on a card.\n    note: {note}\n"
        f"  - text: The {{{{Lushan}}}} conference met in 1959.\n    note: {note}\n"
        "questions:\n"
        f"  - q: Why did output fall?\n    a: Incentives were removed.\n    note: {fits}\n"
    )
    assert warnings_of(cards, run, body) == [
        f"{FILE}:6:1: warning: annotation has 81 words, too many for a card's back (budget 80): "
        "keep the context this card needs and move the rest to the section's summary or a point "
        "of its own [long-note]"
    ]


def test_unedited_draft_warns_on_its_draft_line_until_edited(cards: Path, run: Runner) -> None:
    path = cards / "02-cards.yaml"
    path.write_text(HEAD + "points:\n  - The {{Lushan}} conference met.\n", encoding="utf-8")
    section = load_reading(cards).section("cards")
    assert section is not None
    path.write_text(path.read_text() + f"draft: {fingerprint(section)}\n", encoding="utf-8")
    result: Run = run("check", "cards")
    assert result.exit_code == 0, result
    assert result.stderr.splitlines() == [
        f"{FILE}:5:1: warning: this section is still the draft `studykit ingest` wrote: rewrite "
        "its points, terms and questions in your own words, then delete this `draft:` line "
        "[draft-unedited]"
    ], result
    path.write_text(path.read_text().replace("conference met", "conference met in 1959"))
    assert "draft-unedited" not in run("check", "cards").stderr, (
        "an edited draft is no longer flagged"
    )


def test_allow_on_an_item_silences_that_rule_there_only(cards: Path, run: Runner) -> None:
    silenced = LONG_ANSWER + "    allow: [long-answer]\n"
    other = LONG_ANSWER.replace("questions:\n", "").replace("Why did", "How did")
    assert warnings_of(cards, run, silenced + other) == [
        f"{FILE}:7:1: warning: answer has 30 words (budget 25): keep the one fact in `a:` and "
        "move the rest to `note:` or to cards of its own [long-answer]"
    ]


def test_allow_on_a_section_and_on_a_reading(cards: Path, run: Runner) -> None:
    assert warnings_of(cards, run, "allow: [long-answer]\n" + LONG_ANSWER) == []
    assert warnings_of(cards, run, "allow: [list-answer]\n" + LONG_ANSWER) != []
    reading = cards / "reading.yaml"
    reading.write_text(reading.read_text() + "allow: [long-answer, interference]\n")
    assert warnings_of(cards, run, LONG_ANSWER) == []


@pytest.mark.parametrize(
    ("allow", "message"),
    [
        ("[long-answers]", "unknown rule 'long-answers' in 'allow'; did you mean 'long-answer'?"),
        ("[spelling]", "unknown rule 'spelling' in 'allow'; rules: long-answer, list-answer"),
        ("{long-answer: yes}", "'allow' should be a list of rule names like [long-answer]"),
        ('[""]', "empty item in 'allow'"),
        ("[{long-answer: yes}]", "each item of 'allow' is a rule name like long-answer"),
    ],
)
def test_allow_with_a_wrong_rule_is_an_error(
    cards: Path, run: Runner, allow: str, message: str
) -> None:
    (cards / "02-cards.yaml").write_text(HEAD + LONG_ANSWER + f"    allow: {allow}\n")
    result: Run = run("check", "cards")
    assert result.exit_code == 1, result
    assert f"{FILE}:6:" in result.stderr and message in result.stderr, result
    assert "Traceback" not in result.output, result


def test_schema_lists_the_rules(run: Runner) -> None:
    result: Run = run("schema", "section")
    assert result.exit_code == 0, result
    defs = json.loads(result.stdout)["$defs"]
    rules = defs["section"]["properties"]["allow"]["items"]["enum"]
    assert "long-answer" in rules and "draft-unedited" in rules and len(rules) == len(RULES), rules
    for item in ("term", "question"):
        assert defs[item]["properties"]["allow"]["items"]["enum"] == rules, item


def test_word_budgets_can_be_changed(cards: Path, run: Runner) -> None:
    (cards / "02-cards.yaml").write_text(HEAD + LONG_ANSWER, encoding="utf-8")
    roomy: Run = run("check", "cards", "--answer-words", "30")
    assert roomy.exit_code == 0 and "long-answer" not in roomy.stderr, roomy
    tight: Run = run("check", "cards", "--answer-words", "20", "--strict")
    assert tight.exit_code == 1 and "answer has 30 words (budget 20)" in tight.stderr, tight
    zero: Run = run("check", "cards", "--note-words", "0")
    assert zero.exit_code == 2, zero


def readme_examples() -> list[tuple[str, list[str]]]:
    """docs/notes.md's "Writing good cards": its section files, each with the warnings shown
    after it."""
    text = (REPO / "docs" / "notes.md").read_text(encoding="utf-8")
    section = text.split("\n## Writing good cards\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(\w+)\n(.*?)```", section, flags=re.DOTALL)
    examples: list[tuple[str, list[str]]] = []
    for lang, body in blocks:
        if lang == "yaml":
            examples.append((body, []))
        elif lang == "text":
            examples[-1][1].extend(body.splitlines())
    return examples


# Rules about a whole section or a reading's sources, described in docs/notes.md's prose rather
# than by an example.
SECTION_RULES = {"no-summary", "no-cards", "uncited-source", "unlisted-source"}


def test_the_examples_of_docs_notes_print_what_it_says(notes: Path, run: Runner) -> None:
    examples = readme_examples()
    shown = {line.rsplit("[", 1)[1] for _, lines in examples for line in lines}
    wanted = {f"{rule}]" for rule in RULES if rule not in SECTION_RULES}
    assert shown == wanted, f"one docs/notes.md example per rule: {shown}"
    page = (REPO / "docs" / "notes.md").read_text(encoding="utf-8")
    for rule in SECTION_RULES:
        assert f"`{rule}`" in page, f"docs/notes.md describes {rule}"
    folder = notes / "history"
    folder.mkdir()
    (folder / "reading.yaml").write_text("title: History\n")
    fixed = 0
    for body, expected in examples:
        (folder / "01-leap.yaml").write_text(body, encoding="utf-8")
        result: Run = run("check", "history")
        assert result.exit_code == 0, f"{body}\n{result}"
        printed = [line for line in result.stderr.splitlines() if "warning:" in line]
        assert printed == expected, f"{body}\ndocs/notes.md: {expected}\ncheck: {printed}"
        if not expected:  # a fixed example: it passes the strictest check
            fixed += 1
            strict: Run = run("check", "history", "--strict")
            assert strict.exit_code == 0, f"{body}\n{strict}"
            assert "warning" not in strict.stderr, f"{body}\n{strict}"
    assert fixed >= len(wanted), f"a fixed file after each bad example: {fixed}"


def test_allow_on_a_point_and_on_the_second_of_two_cards(cards: Path, run: Runner) -> None:
    body = (
        "points:\n"
        "  - text: Peasants joined {{communes}}; each commune ran a mess hall.\n"
        "    allow: [cloze-giveaway]\n"
        "  - The {{Lushan}} conference purged Peng Dehuai.\n"
        "  - text: After {{Lushan}} nobody dared to object.\n"
        "    allow: [interference]\n"
        "  - text: The {{Lushan}} meeting relaunched the Leap.\n"
        "    allow: [cloze-giveaway]\n"
    )
    assert warnings_of(cards, run, body) == [
        f'{FILE}:9:1: warning: "Lushan" is also hidden as a deletion at line 6, so two cards '
        "ask for it: keep one of the two cards, or hide a different word here [interference]"
    ]


def test_essay_prompt_warning_says_it_is_not_a_card(cards: Path, run: Runner) -> None:
    body = "questions:\n  - q: Describe the communes.\n    a: Large rural units.\n"
    assert warnings_of(cards, run, body) == [
        f'{FILE}:4:1: warning: "Describe..." is an essay prompt, not a card: split it into '
        "questions that each have one short answer [two-questions]"
    ]


def test_bullet_answer_quotes_its_items(cards: Path, run: Runner) -> None:
    body = (
        "questions:\n  - q: Who led the retreat?\n    a: |\n"
        "      - Liu Shaoqi\n      - Deng Xiaoping\n      - Chen Yun\n"
    )
    found = warnings_of(cards, run, body)
    assert len(found) == 1 and '("Liu Shaoqi", "Deng Xiaoping", "Chen Yun")' in found[0], found


def test_interference_of_a_question_with_a_deletion_of_the_same_fact(
    cards: Path, run: Runner
) -> None:
    body = (
        "points:\n"
        "  - In {{1959}} the Lushan conference purged Peng Dehuai.\n"
        "questions:\n"
        "  - q: In what year was the Lushan Conference?\n"
        '    a: "1959"\n'
        "  - q: In what year did the Leap begin?\n"
        '    a: "1958"\n'
        "  - q: Who was purged at the conference?\n"
        "    a: Peng Dehuai\n"
    )
    assert warnings_of(cards, run, body) == [
        f'{FILE}:6:1: warning: "1959" is also hidden as a deletion at line 4, so two cards ask '
        "for it: keep one of the two cards (drop this question, or make that point plain) "
        "[interference]"
    ]


def test_interference_leaves_two_events_of_one_year_alone(cards: Path, run: Runner) -> None:
    body = (
        "points:\n"
        "  - In {{1960}} the Soviet Union withdrew its advisers.\n"
        "  - Grain output fell to its lowest in {{1960}}.\n"
        "questions:\n"
        "  - q: When did the famine peak?\n"
        '    a: "1960"\n'
    )
    assert warnings_of(cards, run, body) == [], "two events of 1960 are two facts"


def test_cloze_giveaway_reads_the_parts_of_a_hidden_hyphenated_name(
    cards: Path, run: Runner
) -> None:
    body = (
        "points:\n"
        "  - The {{Sino-Soviet split}} followed years of Soviet aid.\n"
        "  - The {{Sino-Soviet}} relationship was already strained in 1958.\n"
        "  - About {{30 million}} died, 30 per cent of them children.\n"
    )
    assert warnings_of(cards, run, body) == [
        f'{FILE}:4:1: warning: the deletion "Sino-Soviet split" can be read on its own card as '
        '"Soviet": reword that part of the point, or hide another word [cloze-giveaway]'
    ]


def test_allow_reports_each_wrong_rule_on_its_own_line(cards: Path, run: Runner) -> None:
    (cards / "02-cards.yaml").write_text(
        HEAD + LONG_ANSWER + "    allow: [bogus-rule, no-sumary]\n"
    )
    result: Run = run("check", "cards")
    assert result.exit_code == 1, result
    lines = [line for line in result.stderr.splitlines() if "unknown rule" in line]
    assert len(lines) == 2, result.stderr
    assert "'bogus-rule'" in lines[0] and "did you mean 'no-summary'?" in lines[1], lines


def test_allow_takes_one_bare_rule_name(cards: Path, run: Runner) -> None:
    assert warnings_of(cards, run, LONG_ANSWER + "    allow: long-answer\n") == [], "silenced"
