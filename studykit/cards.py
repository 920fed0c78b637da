"""Which cards the notes make: questions, terms (and their reverse), cloze deletions."""

from __future__ import annotations

from studykit.model import Reading, Section


def section_card_count(section: Section, reverse_terms: bool) -> int:
    """Cards one section makes: one per question, one or two per term, one per deletion."""
    per_term = 2 if reverse_terms else 1
    deletions = sum(len(p.cloze.deletions) for p in section.points if p.cloze)
    return len(section.questions) + per_term * len(section.terms) + deletions


def reading_card_count(reading: Reading) -> int:
    return sum(section_card_count(s, reading.reverse_terms) for s in reading.sections)
