"""Hardening: text that differs only in what nobody sees, and handouts too big to typeset.

Each test starts from the audit's case: `Famine` and `Fa\\u200bmine` passed as two terms; a
100,000-point section took 35 s and gigabytes to typeset; Ctrl-C waited for typst to finish.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from conftest import Runner

from studykit.invisible import fold
from studykit.model import Term

F = "notes/cards/02-cards.yaml"
HEAD = "title: Cards\nsummary: A section written to test invisible characters.\n"
WARNING = "it shows as nothing, but a typed answer or a search must match it; delete it"
ZWSP = "\u200b"
CAFE_NFC = "caf\u00e9"
CAFE_NFD = "cafe\u0301"


@pytest.fixture
def cards(notes: Path) -> Path:
    folder = notes / "cards"
    folder.mkdir()
    (folder / "reading.yaml").write_text("title: Invisible characters\n")
    return folder


def check(cards: Path, run: Runner, body: str) -> tuple[int, list[str]]:
    """Write the section (title and summary, then `body`); check's exit code and lines."""
    (cards / "02-cards.yaml").write_text(HEAD + body, encoding="utf-8")
    result = run("check", "cards")
    return result.exit_code, result.stderr.splitlines()


def test_a_zero_width_space_does_not_make_a_second_term(cards: Path, run: Runner) -> None:
    body = (
        "terms:\n"
        "  - term: Famine\n    definition: Mass starvation.\n"
        f"  - term: Fa{ZWSP}mine\n    definition: The same, again.\n"
    )
    code, lines = check(cards, run, body)
    assert code == 1, lines
    assert lines[:2] == [
        f"{F}:6:1: error: term reads the same as the one at line 4 (the two differ only in "
        "invisible characters or in how accents are encoded); merge them or give one a "
        "distinct `id`",
        f"{F}:6:13: warning: invisible character U+200B ZERO WIDTH SPACE in the term 'Famine': "
        + WARNING,
    ], lines


def test_nfd_and_nfc_cafe_are_one_term(cards: Path, run: Runner) -> None:
    body = (
        "terms:\n"
        f"  - term: {CAFE_NFC}\n    definition: A place for coffee.\n"
        f"  - term: {CAFE_NFD}\n    definition: The same, again.\n"
    )
    code, lines = check(cards, run, body)
    assert code == 1, lines
    assert lines[0].startswith(f"{F}:6:1: error: term reads the same as the one at line 4"), lines
    assert not any(": warning: " in line for line in lines), f"an accent shows: {lines}"


def test_accents_encoded_two_ways_are_one_deletion(cards: Path, run: Runner) -> None:
    body = (
        "points:\n"
        f"  - The {{{{{CAFE_NFC}}}}} sold coffee by the cup.\n"
        f"  - Students met at the {{{{{CAFE_NFD}}}}} on the square.\n"
    )
    code, lines = check(cards, run, body)
    assert code == 0, lines
    assert lines == [
        f'{F}:5:1: warning: "{CAFE_NFC}" is also hidden as a deletion at line 4, so two cards '
        "ask for it: keep one of the two cards, or hide a different word here [interference]"
    ], lines


def test_a_variation_selector_is_caught_and_named(cards: Path, run: Runner) -> None:
    body = (
        "points:\n"
        "  - The plenum met at {{Lushan}} in July 1959.\n"
        "  - Peng Dehuai's letter was read at {{Lushan\ufe00}} that summer.\n"
    )
    code, lines = check(cards, run, body)
    assert code == 0, lines
    assert lines == [
        f"{F}:5:46: warning: invisible character U+FE00 VARIATION SELECTOR-1 in the deletion "
        f"'Lushan': {WARNING}",
        f'{F}:5:1: warning: "Lushan" is also hidden as a deletion at line 4, so two cards ask '
        "for it: keep one of the two cards, or hide a different word here [interference]",
    ], lines


def test_a_hidden_zero_width_deletion_meets_the_term(cards: Path, run: Runner) -> None:
    body = (
        "points:\n"
        f'  - "The {{{{Fa{ZWSP}mine}}}} of 1959-61 killed millions."\n'
        "terms:\n"
        "  - term: Famine\n    definition: Mass starvation.\n"
    )
    code, lines = check(cards, run, body)
    assert code == 0, lines
    assert lines == [
        f"{F}:4:14: warning: invisible character U+200B ZERO WIDTH SPACE in the deletion "
        f"'Famine': {WARNING}",
        f'{F}:6:1: warning: "Famine" is also hidden as a deletion at line 4, so two cards ask '
        "for it: keep this term card and hide a different word of that point [interference]",
    ], lines


def test_several_invisible_characters_are_one_warning_at_the_first(
    cards: Path, run: Runner
) -> None:
    body = 'terms:\n  - term: "Great\\u00adLeap\\u200b Forward"\n    definition: A campaign.\n'
    code, lines = check(cards, run, body)
    assert code == 0, lines
    assert lines == [
        f"{F}:4:17: warning: 2 invisible characters (U+00AD SOFT HYPHEN, U+200B ZERO WIDTH "
        f"SPACE) in the term 'GreatLeap Forward', the first here: {WARNING}"
    ], lines


def test_joiners_and_selectors_that_change_how_text_looks_pass(cards: Path, run: Runner) -> None:
    body = (
        "terms:\n"
        "  - term: \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645\n    definition: I want.\n"
        "  - term: \U0001f469\u200d\U0001f52c\n    definition: A woman scientist.\n"
        "  - term: \u2764\ufe0f\n    definition: A red heart.\n"
        "  - term: 1\ufe0f\u20e3\n    definition: Keycap one.\n"
    )
    code, lines = check(cards, run, body)
    assert code == 0, lines
    assert lines == [], lines


def test_fold_is_nfc_not_nfkc_and_identities_keep_their_text() -> None:
    assert fold(f"Fa{ZWSP}mine") == "Famine"
    assert fold(CAFE_NFD) == CAFE_NFC
    assert fold("Lushan\ufe00") == "Lushan"
    assert fold("x\u00b2") == "x\u00b2", "a superscript is not the digit: no compatibility folding"
    assert fold("\ufeffcaf\u034fe\u0301") == CAFE_NFC, "dropped first, then composed"
    # The duplicate check compares folded keys; the GUID still comes from the text as written.
    term = Term(f"Fa{ZWSP}mine", "d", None, None, 1)
    assert term.key == f"text:Fa{ZWSP}mine"
    assert unicodedata.is_normalized("NFD", Term(CAFE_NFD, "d", None, None, 1).key)

