"""List and question shapes a tutor's trial found: real lists, asides, titles and essay prompts."""

from __future__ import annotations

import pytest

from studykit.quality.shapes import essay_prompt, list_items, second_question


@pytest.mark.parametrize(
    ("text", "items"),
    [
        (
            "The General Line, the Great Leap Forward and the People's Communes.",
            ["The General Line", "the Great Leap Forward", "the People's Communes"],
        ),
        (
            "Grain, the Great Leap Forward and cotton.",
            ["Grain", "the Great Leap Forward", "cotton"],
        ),
        ("Anhui, Henan, Sichuan, Gansu", ["Anhui", "Henan", "Sichuan", "Gansu"]),
        ("Leap, Lushan, famine peak.", ["Leap", "Lushan", "famine peak"]),
        (
            "- Liu Shaoqi\n- Deng Xiaoping\n- Chen Yun\n",
            ["Liu Shaoqi", "Deng Xiaoping", "Chen Yun"],
        ),
    ],
)
def test_list_answer_finds_lists_and_quotes_their_items(text: str, items: list[str]) -> None:
    assert list_items(text) == items, (text, list_items(text))


@pytest.mark.parametrize(
    "text",
    [
        "Liu Shaoqi, the head of state, and Deng Xiaoping.",
        "About 30 million (Ashton, Hill, Piazza and Zeitz, 1984).",
        "In 1958, at Beidaihe, the leaders agreed to form communes.",
        "Peng Dehuai, who criticised the Leap, was purged.",
    ],
)
def test_list_answer_leaves_asides_and_citations_alone(text: str) -> None:
    assert list_items(text) is None, (text, list_items(text))


@pytest.mark.parametrize(
    "q",
    [
        'In what year did Mao write "Where Do Correct Ideas Come From?"?',
        'What was "Politics in Command and How to Achieve It"?',
        "What did “Where Do Correct Ideas Come From?” argue?",
    ],
)
def test_two_questions_reads_a_quoted_title_as_one_name(q: str) -> None:
    assert second_question(q) is None, (q, second_question(q))


@pytest.mark.parametrize(
    ("q", "second"),
    [
        ("What were the causes and consequences of the famine?", "consequences of the famine"),
        ("Who wrote Tombstone, and in what year?", "and in what year"),
        ("What were the aims and results of the Leap?", "results of the Leap"),
    ],
)
def test_two_questions_catches_essay_questions(q: str, second: str) -> None:
    found = second_question(q)
    assert found is not None and found.startswith(second), (q, found)


def test_two_questions_leaves_one_aspect_alone() -> None:
    q = "What were the causes of the famine and the Leap's collapse?"
    assert second_question(q) is None, second_question(q)


@pytest.mark.parametrize(
    ("q", "verb"),
    [
        ("Describe the communes.", "Describe"),
        ("Explain why the famine happened.", "Explain"),
        ("discuss the Lushan Conference", "discuss"),
        ("Compare the Leap with the first Five-Year Plan.", "Compare"),
    ],
)
def test_essay_prompts_are_named(q: str, verb: str) -> None:
    assert essay_prompt(q) == verb, (q, essay_prompt(q))
    assert essay_prompt("Who described the famine first?") is None, "only a prompt's first word"
