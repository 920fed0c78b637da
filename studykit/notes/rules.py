"""The names of the card-quality rules, which a notes file's `allow:` may switch off.

The notes format lists them (the loader checks `allow:`, the JSON Schema offers them) without
importing the rules themselves, which live in `studykit.quality`.
"""

from __future__ import annotations

ANSWER_WORDS = 25
"""An answer recalled in one go; longer ones are several facts or an essay."""
NOTE_WORDS = 80
"""About twenty seconds of reading: the back of a card is read in passing, dozens a session."""

RULES: dict[str, str] = {
    "long-answer": "an answer or definition longer than its word budget (25 words)",
    "list-answer": "an answer that enumerates several things",
    "two-questions": "a question that asks two things at once",
    "interference": "the same deletion or term twice in one reading",
    "cloze-giveaway": "a cloze answer that also stands unmasked in its own sentence",
    "long-note": "an annotation too long to read on the back of a card (over 80 words)",
    "draft-unedited": "a section still as `studykit ingest` drafted it",
    "no-summary": "a section without a summary in your own words",
    "no-cards": "a section that makes no cards",
    "uncited-source": "a bibliography entry that no [@key] of the notes cites",
    "unlisted-source": "an annotation naming an author and year that `sources:` does not list",
}
"""Rule name -> what it flags; the names are what `allow:` takes."""
