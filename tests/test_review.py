"""`studykit review` driven through its line protocol: what the student sees, what is saved."""

from __future__ import annotations

import re
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import Runner
from review_helpers import AT_MORNING, FIRST_Q, MORNING, STORE, at, questions

pytestmark = AT_MORNING

SECOND_Q = "Q: The Lushan conference met in [year]."
COMMUNE_Q = "Q: People's commune"
REVERSE_Q = "Q: The large rural unit of 1958, c. 5,000 households."


def logged(store: Path = STORE) -> list[tuple[str, int, int]]:
    """(identity, card number, rating) of every logged answer, oldest first."""
    with sqlite3.connect(store) as db:
        rows = db.execute("SELECT identity, card, rating FROM reviews ORDER BY id").fetchall()
    return [(str(i), int(c), int(r)) for i, c, r in rows]


def test_question_then_answer_with_the_four_intervals(notes: Path, run: Runner) -> None:
    result = run("review", input="\n3\nq\n")
    assert result.exit_code == 0, result
    out = result.stdout
    assert FIRST_Q in out, out
    assert "A: The Lushan conference met in 1959." in out, out
    assert "↳ Peng Dehuai was purged there." in out, "the annotation is on the back"
    assert "A Demo Reading › Basics" in out, "the source is on the back"
    assert re.search(r"1 Again 1m  2 Hard 6m  3 Good 10m  4 Easy \d+d", out), out
    assert "Good: next in 10m" in out, out
    assert out.index(FIRST_Q) < out.index("A: The Lushan") < out.index("1 Again"), out
    assert "1 answer in" in out, "the summary counts the answer"
    assert logged() == [("demo/basics/cloze/text:The Lushan conference met in 1959.", 0, 3)]


def test_status_line_counts_like_anki(notes: Path, run: Runner) -> None:
    """12 cards of 7 notes: as Anki counts with siblings buried, one new card a note; the
    answer to the first card buries its sibling (the cloze's second deletion)."""
    result = run("review", input="\n3\nq\n")
    assert result.exit_code == 0, result
    first, second = [line for line in result.stdout.splitlines() if " new " in line][:2]
    assert first.startswith("7 new  0 learning  0 review"), first
    assert second.startswith("6 new  1 learning  0 review"), second


def test_grade_before_the_answer_is_ignored(notes: Path, run: Runner) -> None:
    result = run("review", input="3\n1\nq\n")
    assert result.exit_code == 0, result
    assert questions(result.stdout) == [FIRST_Q], "still on the first card"
    assert "A: " not in result.stdout, "the answer was never asked for"
    assert logged() == [], "nothing is logged before the answer is shown"
    warning = "3 ignored: the answer is not shown yet; an empty line shows it"
    assert result.stderr.splitlines() == [warning], f"said once, on stderr: {result!r}"


def test_grade_before_the_answer_alone_says_why_nothing_was_answered(
    notes: Path, run: Runner
) -> None:
    result = run("review", input="3\n")
    assert result.exit_code == 0, result
    assert "0 answers" in result.stdout, result
    assert "3 ignored: the answer is not shown yet" in result.stderr, result


def test_e_without_a_terminal_says_so_and_keeps_the_answer_shown(notes: Path, run: Runner) -> None:
    result = run("review", input="\ne\n3\nq\n")
    assert result.exit_code == 0, result
    assert "e needs a terminal" in result.stderr, result
    assert questions(result.stdout) == [FIRST_Q, COMMUNE_Q], "the first card is not asked again"
    assert result.stdout.count("A: The Lushan conference met in 1959.") == 1, result
    assert logged() == [("demo/basics/cloze/text:The Lushan conference met in 1959.", 0, 3)], (
        "the 3 after e grades the card whose answer is shown"
    )


def test_empty_line_on_the_answer_side_means_good(notes: Path, run: Runner) -> None:
    result = run("review", input="\n\nq\n")
    assert result.exit_code == 0, result
    assert [r for _, _, r in logged()] == [3], "enter on the back is Good"


def test_end_of_input_quits_with_answers_saved(notes: Path, run: Runner) -> None:
    result = run("review", input="\n4\n\n2")
    assert result.exit_code == 0, result
    assert [r for _, _, r in logged()] == [4, 2], "every answer given is saved"
    assert "Session ended; every answer is saved." in result.stdout, result.stdout


def test_undo_several_steps_restores_state_and_shows_the_card_again(
    notes: Path, run: Runner
) -> None:
    result = run("review", input="\n4\n\n4\n\n4\nu\nu\n\n1\nq\n")
    assert result.exit_code == 0, result
    shown = questions(result.stdout)
    # Each answer buries the card's sibling: the cloze's second deletion, the reverse card.
    assert shown[:3] == [FIRST_Q, COMMUNE_Q, "Q: no"], shown
    # Each undo shows the card it took back: the third, then the second.
    assert shown[4:6] == ["Q: no", COMMUNE_Q], shown
    assert [r for _, _, r in logged()] == [4, 1], "undone answers leave the log"
    with sqlite3.connect(STORE) as db:
        cards = db.execute("SELECT COUNT(*) FROM cards").fetchone()[0]
        buried = db.execute("SELECT COUNT(*) FROM buried").fetchone()[0]
    assert cards == 2, "the third card is new again: its state row is gone"
    assert buried == 2, "the undone answer's sibling is not buried; the others' still are"
    later = run("review", input="q\n")
    # New: a card of each note but the first two (c2 and the reverse are buried).
    assert "5 new  1 learning" in later.stdout, "the undone third card is new again"


def test_nothing_to_undo(notes: Path, run: Runner) -> None:
    result = run("review", input="u\nq\n")
    assert result.exit_code == 0, result
    assert "nothing to undo" in result.stdout, result.stdout


def test_skip_sets_a_card_aside_for_the_session(notes: Path, run: Runner) -> None:
    result = run("review", "--new", "2", input="s\n\n4\n\n4\n")
    assert result.exit_code == 0, result
    shown = questions(result.stdout)
    # Skipping a card answers nothing: its sibling comes next, and its answer buries the rest.
    assert shown == [FIRST_Q, SECOND_Q, COMMUNE_Q], shown
    assert "skipped for this session" in result.stdout, result.stdout
    assert [i.split("/")[2] for i, _, _ in logged()] == ["cloze", "term"], logged()


def test_learning_card_comes_back_in_the_session(notes: Path, run: Runner) -> None:
    result = run("review", "--new", "1", input="\n1\n\n3\n\n3\n")
    assert result.exit_code == 0, result
    assert questions(result.stdout) == [FIRST_Q] * 3, "Again (1m), Good (10m) come back"
    assert "Again: next in 1m" in result.stdout, result.stdout
    assert re.search(r"Good: next in \d+d", result.stdout), "graduated on the last Good"
    assert "No more cards due now." in result.stdout, result.stdout


def test_daily_new_limit_holds_across_sessions_and_days(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    easy = "\n4\n" * 10
    first = run("review", "--new", "2", input=easy)
    assert len(questions(first.stdout)) == 2, first.stdout
    again = run("review", "--new", "2", input=easy)
    assert questions(again.stdout) == [], "the day's two new cards are used up"
    assert "No more cards due now." in again.stdout, again.stdout
    at(monkeypatch, MORNING.replace(day=3, hour=3, minute=59))  # before the 04:00 rollover
    assert questions(run("review", "--new", "2", input=easy).stdout) == []
    at(monkeypatch, MORNING.replace(day=3, hour=4))
    next_day = run("review", "--new", "2", input=easy)
    # Yesterday's answers buried the siblings for that day only: today they are new cards.
    assert questions(next_day.stdout) == [SECOND_Q, REVERSE_Q], next_day.stdout
    assert len(logged()) == 4, logged()


def test_limit_and_section(notes: Path, run: Runner) -> None:
    result = run("review", "--section", "more-things", "--limit", "1", input=easy_all())
    assert result.exit_code == 0, result
    assert questions(result.stdout) == ["Q: Set [a letter] and y and z."], result.stdout
    assert [i.split("/")[1] for i, _, _ in logged()] == ["more-things"], logged()


def easy_all() -> str:
    return "\n4\n" * 20


def test_unknown_section_is_one_line(notes: Path, run: Runner) -> None:
    result = run("review", "--section", "nope", input="q\n")
    assert result.exit_code == 2, result
    assert result.stderr.strip() == (
        "error: no section 'nope' in demo (sections: basics, more-things)"
    ), result.stderr


def test_bad_options_are_usage_errors(notes: Path, run: Runner) -> None:
    result = run("review", "--retention", "1.5", input="q\n")
    assert result.exit_code == 2, result
    assert "--retention" in result.stderr, result.stderr
    assert not STORE.exists(), "nothing is created for a bad command line"


def test_broken_notes_start_no_session(notes: Path, run: Runner) -> None:
    section = notes / "demo" / "02-more.yaml"
    section.write_text(section.read_text().replace("points:", "pointz:"), encoding="utf-8")
    result = run("review", input="\n3\n")
    assert result.exit_code == 1, result
    assert "02-more.yaml:4:1: error:" in result.stderr, result.stderr
    assert "Traceback" not in result.output, result.output
    assert not STORE.exists(), "no store for notes that do not load"


def test_leech_is_flagged_after_eight_lapses(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    moment = MORNING
    run("review", "--section", "more-things", "--limit", "1", input="\n4\n")
    for _ in range(8):
        moment += timedelta(days=120)
        at(monkeypatch, moment)
        # Again on the review, then Good through relearning until it is out of today's queue.
        lapse = run("review", "--section", "more-things", "--new", "0", input="\n1\n" + "\n3\n" * 4)
        assert lapse.exit_code == 0, lapse
    assert "leech: 8 lapses" in lapse.stdout, lapse.stdout
    moment += timedelta(days=120)
    at(monkeypatch, moment)
    shown = run("review", "--section", "more-things", "--new", "0", input="q\n")
    assert "leech (8 lapses)" in shown.stdout, shown.stdout


def test_unknown_action_says_what_works(notes: Path, run: Runner) -> None:
    result = run("review", input="x\n\n3\nq\n")
    assert result.exit_code == 0, result
    assert "unknown action 'x': empty line shows the answer" in result.stdout, result.stdout
    assert [r for _, _, r in logged()] == [3], "the session went on"


def test_a_bad_clock_is_one_line(notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYKIT_NOW", "tomorrow")
    result = run("review", input="q\n")
    assert result.exit_code == 1, result
    assert result.stderr.startswith("error: STUDYKIT_NOW='tomorrow' is not an ISO 8601"), result


def test_visual_comes_before_editor(tmp_path: Path) -> None:
    from studykit.review.editor import editor_command

    section = tmp_path / "01-basics.yaml"
    both = editor_command(section, 7, {"VISUAL": "vim", "EDITOR": "nano"})
    assert both == ["vim", "+7", str(section)], f"VISUAL is the editor git would open: {both}"
    only = editor_command(section, 7, {"EDITOR": "nano"})
    assert only == ["nano", "+7", str(section)], f"EDITOR when VISUAL is not set: {only}"


def test_closing_line_counts_todays_reviews_not_again(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Retention today: answers to cards that were in review, the ones not Again among them;
    learning steps and other days do not count."""
    run("review", "--section", "basics", "--limit", "3", input="\n4\n" * 3)  # three notes
    at(monkeypatch, MORNING + timedelta(days=120))
    # Again on one review, Good on the others, then Good on the relearning step (not a review).
    answers = "\n1\n" + "\n3\n" * 3
    result = run("review", "--section", "basics", "--new", "0", input=answers)
    assert result.exit_code == 0, result
    assert "retention today 67% (2 of 3 reviews not Again)" in result.stdout, result.stdout
    at(monkeypatch, MORNING + timedelta(days=121))
    later = run("review", "--section", "basics", "--new", "0", input="q\n")
    assert "retention today" not in later.stdout, "yesterday's answers are not today's"
