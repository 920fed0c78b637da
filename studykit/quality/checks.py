"""Card-quality warnings for a valid reading: one located Problem per card that breaks a rule.

Each warning names its rule in brackets and says how to fix the card. A rule named in `allow:`
of the reading, of the section or of the item the warning is about is not reported there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from studykit.errors import Problem, Severity
from studykit.notes.drafts import is_unedited_draft
from studykit.notes.model import Point, Question, Reading, Section, Term
from studykit.quality import ANSWER_WORDS, NOTE_WORDS
from studykit.quality.repeats import Taught, giveaways, repeated
from studykit.quality.shapes import essay_prompt, list_items, second_question, too_long
from studykit.quality.sources import source_warnings
from studykit.quality.text import quote

Item = Point | Term | Question


@dataclass(frozen=True)
class Budgets:
    """Word budgets: of an answer or definition, and of an annotation on a card's back."""

    answer_words: int = ANSWER_WORDS
    note_words: int = NOTE_WORDS


def card_warnings(
    reading: Reading, budgets: Budgets | None = None, *, whole: bool = True
) -> list[Problem]:
    """Every card-quality warning of a reading, in file and line order.

    `whole` is False for a reading some of whose section files did not load: a bibliography
    entry is then not called uncited, since a file that did not load may cite it.
    """
    budgets = budgets or Budgets()
    found: list[Problem] = []
    for section in reading.sections:
        silenced = set(reading.allow) | set(section.allow)
        for line, rule, message in _section_findings(section):
            if rule not in silenced:
                found.append(_warning(section.path, line, rule, message))
        for item, rule, message in _item_findings(section, budgets):
            if rule not in silenced and rule not in item.allow:
                found.append(_warning(section.path, item.line, rule, message))
    found += source_warnings(reading, uncited=whole)
    for second, first in repeated(reading):
        if "interference" not in {*reading.allow, *second.section.allow, *second.item.allow}:
            message = _interference(second, first)
            found.append(_warning(second.section.path, second.item.line, "interference", message))
    return sorted(found, key=lambda p: (str(p.path), p.line, p.col))


def _warning(path: Path, line: int, rule: str, message: str) -> Problem:
    return Problem(path, line, 1, f"{message} [{rule}]", Severity.WARNING)


def _section_findings(section: Section) -> Iterator[tuple[int, str, str]]:
    if is_unedited_draft(section):
        yield (
            key_line(section.path, "draft:"),
            "draft-unedited",
            "this section is still the draft `studykit ingest` wrote: rewrite its points, terms "
            "and questions in your own words, then delete this `draft:` line",
        )


def key_line(path: Path, *keys: str) -> int:
    """The line of the first of the top-level `keys` (`"draft:"`) the file has, 0 for none:
    the loader keeps values, not their places."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    for key in keys:
        found = next((n for n, line in enumerate(lines, 1) if line.startswith(key)), 0)
        if found:
            return found
    return 0


def _item_findings(section: Section, budgets: Budgets) -> Iterator[tuple[Item, str, str]]:
    for question in section.questions:
        yield from _answer_findings(question, question.a, "answer", "`a:`", budgets)
        asked = second_question(question.q)
        verb = essay_prompt(question.q)
        if verb is not None:
            yield (
                question,
                "two-questions",
                f'"{verb}..." is an essay prompt, not a card: split it into questions that each '
                "have one short answer",
            )
        elif asked is not None:
            yield (
                question,
                "two-questions",
                f"this question also asks {quote(asked)}: split it into two questions with "
                "one answer each",
            )
        yield from _note_findings(question, budgets)
    for term in section.terms:
        yield from _answer_findings(term, term.definition, "definition", "`definition:`", budgets)
        yield from _note_findings(term, budgets)
    for point in section.cloze_points:
        assert point.cloze is not None  # cloze_points only holds points with deletions
        for found in giveaways(point.cloze):
            yield (
                point,
                "cloze-giveaway",
                f"the deletion {quote(found.deletion.answer)} can be read on its own card as "
                f"{quote(found.shown)}: reword that part of the point, or hide another word",
            )
        yield from _note_findings(point, budgets)


def _answer_findings(
    item: Item, text: str, what: str, where: str, budgets: Budgets
) -> Iterator[tuple[Item, str, str]]:
    count = too_long(text, budgets.answer_words)
    if count is not None:
        yield (
            item,
            "long-answer",
            f"{what} has {count} words (budget {budgets.answer_words}): keep the one fact in "
            f"{where} and move the rest to `note:` or to cards of its own",
        )
    items = list_items(text)
    if items is not None:
        shown = ", ".join(quote(i, 24) for i in items[:4]) + (", ..." if len(items) > 4 else "")
        yield (
            item,
            "list-answer",
            f"{what} lists {len(items)} things ({shown}): ask for one per card, or make a point "
            "with one {{deletion}} per item",
        )


def _note_findings(item: Item, budgets: Budgets) -> Iterator[tuple[Item, str, str]]:
    # Only annotations that go on a card's back: a plain point's note is for reading, not cards.
    if item.annotation is None:
        return
    count = too_long(item.annotation, budgets.note_words)
    if count is not None:
        yield (
            item,
            "long-note",
            f"annotation has {count} words, too many for a card's back "
            f"(budget {budgets.note_words}): keep the context this card needs and move the rest "
            "to the section's summary or a point of its own",
        )


def _interference(second: Taught, first: Taught) -> str:
    where = f"line {first.item.line}"
    if first.section is not second.section:
        where = f"{first.section.path.name}:{first.item.line}"  # a file beside this one
    was = {"deletion": "hidden as a deletion", "term": "a term", "answer": "the answer"}[first.kind]
    fixes = {
        ("deletion", "deletion"): "keep one of the two cards, or hide a different word here",
        ("term", "term"): "merge the two terms, or name this one more precisely",
        ("term", "deletion"): "keep the term card and hide a different word of this point",
        ("deletion", "term"): "keep this term card and hide a different word of that point",
        ("answer", "deletion"): "keep the question, and make this a plain point or hide "
        "a different word",
        ("deletion", "answer"): "keep one of the two cards (drop this question, or make that "
        "point plain)",
    }
    fix = fixes[first.kind, second.kind]
    return f"{quote(second.text)} is also {was} at {where}, so two cards ask for it: {fix}"
