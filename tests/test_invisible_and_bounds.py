"""Hardening: text that differs only in what nobody sees, and handouts too big to typeset.

Each test starts from the audit's case: `Famine` and `Fa\\u200bmine` passed as two terms; a
100,000-point section took 35 s and gigabytes to typeset; Ctrl-C waited for typst to finish.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from conftest import Runner

from studykit.notes.invisible import fold
from studykit.notes.model import Term

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
        "invisible characters or in how accents are encoded): remove one, or merge the two "
        "into one term",
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


# -- PDF handouts within bounds -----------------------------------------------------------------


def _points(count: int, tag: str = "p") -> str:
    return "points:\n" + "".join(f"  - {tag}{i} said this.\n" for i in range(count))


def test_a_section_too_big_to_typeset_is_refused_at_the_item_past_the_limit(
    cards: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studykit.handouts import pdf

    def typeset(inputs: str, root: Path) -> bytes:
        raise AssertionError("typst started on a section past the limit")

    monkeypatch.setattr(pdf, "typeset", typeset)
    (cards / "02-cards.yaml").write_text(HEAD + _points(2_001), encoding="utf-8")
    result = run("outline", "cards", "-f", "pdf", "-o", "cards.pdf")
    assert result.exit_code == 1, result
    assert result.stderr == (
        f"{F}:2004:1: error: this section has 2,001 items (points, terms and questions), more "
        "than the 2,000 a PDF handout sets from one section, and this is item 2,001: split the "
        "section here, or print the outline with -f html or -f md\n"
    ), result
    assert not Path("cards.pdf").exists()
    html = run("outline", "cards", "-f", "html", "-o", "cards.html")
    assert html.exit_code == 0, html


def test_a_reading_too_big_to_typeset_is_refused_in_the_section_that_passes_the_limit(
    cards: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studykit.handouts import limits

    monkeypatch.setattr(limits, "HANDOUT_ITEMS", 5)  # 10,000 as shipped: a test writes fewer
    (cards / "01-first.yaml").write_text(HEAD + _points(3, "a"), encoding="utf-8")
    (cards / "02-cards.yaml").write_text(HEAD + _points(3, "b"), encoding="utf-8")
    result = run("outline", "cards", "-f", "pdf", "-o", "cards.pdf")
    assert result.exit_code == 1, result
    assert result.stderr == (
        f"{F}:6:1: error: the reading has 6 items (points, terms and questions), more than the "
        "5 a PDF handout sets, and this is item 6: split the reading into readings, or print "
        "the outline with -f html or -f md\n"
    ), result


def test_a_reading_with_too_much_text_to_typeset_is_refused_where_it_passes(
    cards: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studykit.handouts import limits

    # 1,000,000 as shipped. Here the titles and the summary make 73, each point 40.
    monkeypatch.setattr(limits, "HANDOUT_CHARS", 150)
    point = "  - " + "x" * 40 + "\n"
    (cards / "02-cards.yaml").write_text(HEAD + "points:\n" + point * 3, encoding="utf-8")
    result = run("outline", "cards", "-f", "pdf", "-o", "cards.pdf")
    assert result.exit_code == 1, result
    assert result.stderr == (
        f"{F}:5:1: error: the reading's notes pass the 150 characters a PDF handout sets (about "
        "350 pages) in this item: split the reading into readings, or print the outline with "
        "-f html or -f md\n"
    ), result


def _children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds the child in /proc")
def test_ctrl_c_while_typesetting_stops_within_a_second(notes: Path, tmp_path: Path) -> None:
    # Three sections at the limit: a few seconds of typst, as the audit's 21.6 s was.
    folder = notes / "long"
    folder.mkdir()
    (folder / "reading.yaml").write_text("title: Long\n")
    for number in (1, 2, 3):
        text = HEAD + _points(2_000, f"s{number}p")
        (folder / f"0{number}-part{number}.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    command = [sys.executable, "-m", "studykit", "outline", "long", "-f", "pdf"]
    env = {**os.environ, "STUDYKIT_NOTES": str(notes)}
    process = subprocess.Popen(
        [*command, "-o", str(out / "long.pdf")], env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 30
        while not _children(process.pid) and process.poll() is None:
            assert time.monotonic() < deadline, "typst never started"
            time.sleep(0.02)
        [child] = _children(process.pid)
        time.sleep(0.5)  # well into the compile: the child has imported typst by now
        assert process.poll() is None, "typesetting finished before the Ctrl-C: make it longer"
        sent = time.monotonic()
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=5)
        waited = time.monotonic() - sent
    finally:
        process.kill()
        process.wait()
    assert process.stderr is not None
    assert (code, process.stderr.read()) == (130, "interrupted\n")
    assert waited < 1.5, f"Ctrl-C took {waited:.2f} s"
    assert list(out.iterdir()) == [], "no PDF, no temporary file"
    assert not Path(f"/proc/{child}").exists(), "typst still running"
