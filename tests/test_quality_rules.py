"""The card-quality rules on single texts: what each must catch and what it must leave alone."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studykit.cloze import ClozeError, parse_cloze
from studykit.quality.repeats import _shown_answer, giveaways
from studykit.quality.shapes import list_items, second_question, too_long
from studykit.quality.text import is_number, key, plain, stem, word_count, words


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Individual incentives were removed.", 4),
        ("**Bold** and *em* and `code` count as words, not their markup.", 11),
        ("A [link](https://example.com/a/very/long/path) and ![a map](figures/map.png).", 5),
        (r"Math such as $\frac{a}{b} + c^2$ or \(x_1, x_2\) is one word each.", 10),
        ("Sino-Soviet, people's, 1,400 and 1958-62 are one word each.", 9),
    ],
)
def test_word_count_is_of_rendered_text(text: str, count: int) -> None:
    assert word_count(text) == count, (text, word_count(text))


def test_too_long_only_over_budget() -> None:
    assert too_long(" ".join(["word"] * 25), 25) is None, "25 words is within a budget of 25"
    assert too_long(" ".join(["word"] * 26), 25) == 26, "26 words is over it"


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("The rural unit that pooled land, labour and meals.", ["land", "labour", "meals"]),
        ("Mao, Liu Shaoqi and Deng Xiaoping.", ["Mao", "Liu Shaoqi", "Deng Xiaoping"]),
        ("Anhui, Henan, Sichuan, and Gansu.", ["Anhui", "Henan", "Sichuan", "Gansu"]),
        (
            "Prices rose; output fell; people starved.",
            ["Prices rose", "output fell", "people starved"],
        ),
        ("Resistance was hidden: concealing grain, eating crops early, theft.", 3),
        ("Repression (militia, struggle sessions, beatings) kept order.", 3),
        ("Three causes:\n- targets\n- procurement\n- fear", 3),
        ("Grain, cotton or oil.", ["Grain", "cotton", "oil"]),
        (
            "Inflated reports, high procurement, grain exports, labour diverted to steel, and mess "
            "halls that ran down reserves.",
            5,
        ),
    ],
)
def test_list_answer_catches_enumerations(text: str, items: list[str] | int) -> None:
    found = list_items(text)
    assert found is not None, f"no list found in {text!r}"
    if isinstance(items, int):
        assert len(found) == items, found
    else:
        assert found == items, found


@pytest.mark.parametrize(
    "text",
    [
        "Individual incentives were removed.",
        "The Sino-Soviet split and its causes.",
        "Peng Dehuai, who criticised the Leap, was purged.",
        "In 1958, at Beidaihe, the leaders agreed to form communes.",
        "Announcing record-breaking, usually false, harvest or output figures.",
        "Exports rose from 1,400 to 2,000 tonnes, and then fell.",
        "Mao's 1966-1976 campaign, in which Liu Shaoqi and Deng Xiaoping were purged.",
        "Industry and agriculture at once.",
        "Cooperatives came first; the communes followed.",
    ],
)
def test_list_answer_leaves_single_facts_alone(text: str) -> None:
    assert list_items(text) is None, (text, list_items(text))


@pytest.mark.parametrize(
    ("q", "second"),
    [
        ("What did Mao hope the Leap would achieve, and why did he think it could?", "and why"),
        ("How and why did the communes fail?", "and why"),
        ("Who led the retreat? When?", "When?"),
        ("Why did Mao launch the Leap and did it work?", "and did it"),
        ("Who led the retreat, and was Mao consulted?", "and was Mao"),
        ("What does the essay leave out, and how does it matter?", "and how"),
    ],
)
def test_two_questions_catches_a_second_question(q: str, second: str) -> None:
    found = second_question(q)
    assert found is not None and found.startswith(second), (q, found)


@pytest.mark.parametrize(
    "q",
    [
        "Why did output fall after collectivization?",
        "How were the Great Leap Forward and the Sino-Soviet split connected?",
        # One subject with its parts: the answer rules catch it if the answer becomes two facts.
        "What were the Sino-Soviet split and its causes?",
        "Which province, Anhui or Henan, lost more people?",
        "What is $a?b$ in this notation?",
        "Which policy was abandoned in 1961 and is now seen as the famine's main cause?",
        "Who criticised the Leap and was purged for it?",
    ],
)
def test_two_questions_leaves_one_question_alone(q: str) -> None:
    assert second_question(q) is None, (q, second_question(q))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("people's communes", "People's commune"),
        ("Backyard furnaces", "backyard  furnace"),
        ("collectivization", "Collectivization"),
        ("**Lushan**", "Lushan"),
    ],
)
def test_same_answer_by_stem_case_markup_and_spacing(a: str, b: str) -> None:
    assert key(a) == key(b), (key(a), key(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [("commune", "communism"), ("Lushan", "Lushan conference"), ("1959", "1958"), ("$x$", "$y$")],
)
def test_different_answers_stay_different(a: str, b: str) -> None:
    assert key(a) != key(b), (key(a), key(b))


def test_stemmer_strips_only_common_endings() -> None:
    assert stem("furnaces") == stem("furnace"), "plural"
    assert stem("collectivized") == stem("collectivizing"), "verb endings"
    assert stem("Mao's") == "mao", "possessive"
    assert stem("1959") == "1959", "figures are kept"
    assert stem("was") == "was", "short words are kept"


@pytest.mark.parametrize(
    ("text", "number"),
    [("1959", True), ("1958-62", True), ("1950s", True), ("36 million", True), ("Lushan", False)],
)
def test_dates_and_figures(text: str, number: bool) -> None:
    assert is_number(text) is number, text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("The {{Lushan}} conference met at Lushan in 1959.", ["Lushan"]),
        ("Peasants joined {{communes}}; each commune had a mess hall.", ["commune"]),
        ("{{Deng Xiaoping}} led the retreat, and Deng later ended the communes.", ["Deng"]),
        ("The {{Lushan::Lushan conference}} purged Peng.", ["Lushan"]),
        ("In {{1959}} and again in 1959 critics were purged.", ["1959"]),
        ("Area grows as {{$r^2$}}, so doubling r makes $r^2$ four times larger.", ["r 2"]),
    ],
)
def test_cloze_giveaway_catches_the_answer_on_its_own_card(text: str, shown: list[str]) -> None:
    found = [g.shown for g in giveaways(parse_cloze(text))]
    assert found == shown, (text, found)


@pytest.mark.parametrize(
    "text",
    [
        "The {{Lushan}} conference of {{1959::year}} silenced critics.",
        "Grain output fell to {{144 million tonnes}} from 200 million tonnes.",
        "Liu Shaoqi and {{Deng Xiaoping}} led the retreat.",
        "The {{Great Leap Forward}} began in 1958.",
        "Area grows as {{$r^2$}} and volume as $r^3$.",
        "Speed is {{$v$}} and force is $F$.",
    ],
)
def test_cloze_giveaway_leaves_fair_clozes_alone(text: str) -> None:
    found = [g.shown for g in giveaways(parse_cloze(text))]
    assert found == [], (text, found)


TOKENS = [
    *"aAz09 ,;:.?!()[]-*_`$\\'\"\n/é²\t\u00a0",
    "and ",
    "or ",
    "why ",
    "{{",
    "}}",
    "::",
    "es",
    "’s",
]
CARD_TEXT = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(CARD_TEXT)
def test_rules_answer_any_text_without_failing(text: str) -> None:
    assert words(text) == re.findall(r"\w+(?:['’.,-]\w+)*", text), text
    count = word_count(text)
    for budget in (1, 3, 10):
        expected = count if count > budget else None
        assert too_long(text, budget) == expected, (text, budget, count)
    found = list_items(text)
    assert found is None or len(found) >= 2, found
    asked = second_question(text)
    assert asked is None or isinstance(asked, str), asked
    assert isinstance(key(text), str), text
    try:
        cloze = parse_cloze(text)
    except ClozeError:
        return
    found = {g.deletion.number: g.shown for g in giveaways(cloze)}
    for deletion in cloze.deletions:
        # The full comparison, without the quick test that skips most deletions.
        front = " ".join(
            p if isinstance(p, str) else (p.hint or "") if p is deletion else p.answer
            for p in cloze.parts
        )
        answer = words(plain(deletion.answer))
        full = _shown_answer(answer, words(plain(front))) if answer else None
        assert found.get(deletion.number) == full, (text, deletion, found)
