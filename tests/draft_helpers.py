"""Drafts of one section, for the tests of ingest's drafting rules."""

from __future__ import annotations

from studykit.ingest.draft_notes import Draft, draft_reading
from studykit.ingest.names import NameFinder
from studykit.ingest.question_cards import _questions
from studykit.ingest.questions import Question, Words
from studykit.ingest.sections import PlannedSection
from studykit.ingest.sentence_scoring import _section_sentences


def drafted(*paragraphs: str, title: str = "One") -> Draft:
    """The draft of one section holding these paragraphs."""
    (draft,) = draft_reading([PlannedSection(1, "one", title, paragraphs, headed=True)])
    return draft


def clozed(draft: Draft) -> list[str]:
    """The draft's points that are cloze cards."""
    return [p for p in draft.points if "{{" in p]


def asked(*paragraphs: str) -> list[Question]:
    """The questions drafted from one section holding these paragraphs."""
    section = PlannedSection(1, "one", "One", paragraphs, headed=True)
    lowercase: set[str] = set()
    found = _section_sentences(section, lowercase, set())
    names = NameFinder([[s.text for s in found]], lowercase, set())
    return [q for _, q in _questions(found, Words(lowercase, names.places), names)]
