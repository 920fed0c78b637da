"""The card-quality rules on single texts: what each must catch and what it must leave alone,
and the warning line `studykit check` prints for it."""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path

import pytest
from conftest import Run, Runner, examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studykit.notes.cloze import ClozeError, parse_cloze
from studykit.quality import RULES
from studykit.quality.repeats import _shown_answer, giveaways
from studykit.quality.shapes import list_items, second_question, too_long
from studykit.quality.text import is_number, key, plain, quote, stem, word_count, words


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


FILE = "notes/cards/02-cards.yaml"
PROBLEM = re.compile(rf"{re.escape(FILE)}:(\d+):(\d+): (error|warning): (.+)")
# As words() reads plain text, without its shortcut for plain words: the rule must agree.
WORD = re.compile(r"\w+(?:['’.,-]\w+)*")


def checked(run: Runner, point: str, answer: str, *options: str) -> Run:
    """`studykit check` on a section with one point and one question whose answer is given."""
    folder = Path("notes/cards")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "reading.yaml").write_text("title: Card quality\n", encoding="utf-8")
    (folder / "02-cards.yaml").write_text(
        "title: Cards\nsummary: s.\npoints:\n"
        f"  - {json.dumps(point)}\n"  # line 4
        "questions:\n"
        f"  - q: {json.dumps(answer + '?')}\n"  # line 6: the question is the text, asked
        f"    a: {json.dumps(answer)}\n",
        encoding="utf-8",
    )
    return run("check", "cards", *options)


@settings(
    max_examples=examples(150),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(CARD_TEXT)
def test_check_prints_a_located_line_for_any_text(tmp_path: Path, run: Runner, text: str) -> None:
    with contextlib.chdir(tmp_path):
        result = checked(run, text, text, "--answer-words", "3")
    assert result.exception is None, f"{text!r}: {result.exception!r}"
    lines = result.stderr.splitlines()
    problems = [PROBLEM.fullmatch(line) for line in lines]
    errors = [m for m in problems if m and m.group(3) == "error"]
    if errors:
        assert result.exit_code == 1, result
        plural = "s" if len(errors) > 1 else ""
        assert lines[-1] == f"check: {len(errors)} error{plural}, 0 warnings in 1 reading", result
        assert all(problems[:-1]), f"{text!r}: a line without its place:\n{result.stderr}"
        return
    assert result.exit_code == 0, result
    assert all(problems), f"{text!r}: a line without its place:\n{result.stderr}"
    found = {(int(m.group(1)), m.group(4)) for m in problems if m}
    assert all(rule_of(message) in RULES for _, message in found), result.stderr
    # The answer at line 6: its words as a student counts them, with a budget of 3.
    count = len(WORD.findall(plain(text)))
    long_answer = {
        (6, f"answer has {count} words (budget 3): keep the one fact in `a:` and move the rest "
         "to `note:` or to cards of its own [long-answer]")
    } if count > 3 else set()  # fmt: skip
    assert {f for f in found if f[1].endswith("[long-answer]")} == long_answer, result.stderr
    for line, message in found:
        if message.endswith("[list-answer]"):
            listed = re.match(r"answer lists (\d+) things \((.*)\): ask for one per card", message)
            assert line == 6 and listed, message
            shown = min(int(listed.group(1)), 4)
            assert int(listed.group(1)) >= 2 and listed.group(2).count('", "') == shown - 1, message
    # The point at line 4: each deletion whose answer its own card shows, found the long way.
    try:
        cloze = parse_cloze(text)
    except ClozeError:
        cloze = None  # a plain point: no card of its own
    expected = set()
    for deletion in cloze.deletions if cloze else ():
        front = " ".join(
            p if isinstance(p, str) else (p.hint or "") if p is deletion else p.answer
            for p in cloze.parts
        )
        answer = words(plain(deletion.answer))
        shown_answer = _shown_answer(answer, words(plain(front))) if answer else None
        if shown_answer is not None:
            expected.add(
                (
                    4,
                    f"the deletion {quote(deletion.answer)} can be read on its own card as "
                    f"{quote(shown_answer)}: reword that part of the point, or hide another word "
                    "[cloze-giveaway]",
                )
            )
    assert {f for f in found if f[1].endswith("[cloze-giveaway]")} == expected, result.stderr


def rule_of(message: str) -> str:
    """The rule a warning names at its end: `... [long-answer]`."""
    return message.rsplit("[", 1)[-1].rstrip("]")


@pytest.mark.parametrize(
    ("answer", "count"),
    [
        (" ".join(["word"] * 25), None),
        (" ".join(["word"] * 26), 26),
        # Hyphens, apostrophes and thousands separators join a word; a no-break space parts two.
        (" ".join(["Sino-Soviet", "people's", "1,400", "Zhou’s", *["word"] * 21]), None),
        (" ".join(["Sino-Soviet", "people's", "1,400", "Zhou’s", *["word"] * 22]), 26),
        ("\u00a0".join(["word"] * 26), 26),
    ],
    ids=["25-plain", "26-plain", "25-joined", "26-joined", "26-no-break"],
)
def test_check_counts_an_answer_by_the_words_a_student_reads(
    tmp_path: Path, run: Runner, answer: str, count: int | None
) -> None:
    with contextlib.chdir(tmp_path):
        result = checked(run, "A plain point.", answer)
    assert result.exit_code == 0, result
    printed = [line for line in result.stderr.splitlines() if "[long-answer]" in line]
    expected = [
        f"{FILE}:6:1: warning: answer has {count} words (budget 25): keep the one fact in `a:` and "
        "move the rest to `note:` or to cards of its own [long-answer]"
    ]
    assert printed == (expected if count else []), result
