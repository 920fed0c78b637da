"""Draft notes: what `studykit ingest` writes, and whether a person has edited it since.

Ingest writes a `draft:` line in each section file holding a fingerprint of the drafted notes
(summary, points, terms, questions, as loaded). While the notes still match it, nobody has
edited the draft and `check` says so; any edit changes the fingerprint and the warning stops.
"""

from __future__ import annotations

import hashlib
import json

from studykit.notes.model import Section


def fingerprint(section: Section) -> str:
    """A short hash of what a person is meant to edit in a drafted section."""
    content = [
        section.summary,
        [(p.text, p.annotation) for p in section.points],
        [(t.term, t.definition, t.annotation) for t in section.terms],
        [(q.q, q.a, q.annotation) for q in section.questions],
    ]
    text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def is_unedited_draft(section: Section) -> bool:
    """True while a section written by ingest has not been touched by a person."""
    return section.draft is not None and section.draft == fingerprint(section)
