"""The keys of the notes files: one list read by both the loader and the JSON Schema."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """One key of a notes mapping; the JSON Schema is generated from the same list."""

    name: str
    kind: str  # text | slug | bool | tags | texts | rules | points | terms | questions
    description: str
    required: bool = False


ALLOW_ITEM = "Card-quality rules this item breaks on purpose, e.g. [list-answer]."
READING_FIELDS = (
    Field("title", "text", "Title of the reading.", required=True),
    Field("source", "text", "The original text: a file beside this one, or a citation."),
    Field("deck", "text", "Anki deck name, `::` for nesting; default: the title."),
    Field("author", "text", "Who wrote the reading, as the handout header cites it."),
    Field("year", "text", "When the reading was published, as the handout header cites it."),
    Field("summary", "text", "One paragraph on the whole reading."),
    Field(
        "bibliography",
        "text",
        "A BibTeX (.bib) or CSL-JSON (.json) file beside this one; notes cite its entries as "
        "[@key].",
    ),
    Field("sources", "texts", "References the notes draw on, one citation per item."),
    Field("tags", "tags", "Anki tags for every card of the reading."),
    Field("reverse_terms", "bool", "Also ask definition -> term for every term."),
    Field("allow", "rules", "Card-quality rules this whole reading breaks on purpose."),
)
SECTION_FIELDS = (
    Field("title", "text", "Title of the section.", required=True),
    Field("id", "slug", "Stable id of the section; default: the file name without `NN-`."),
    Field("excerpt", "text", "The section's original text."),
    Field("summary", "text", "The section in your own words (Cornell summary)."),
    Field("points", "points", "The notes column: a point is text, or {text, note}."),
    Field("terms", "terms", "Terms and their definitions."),
    Field("questions", "questions", "The cue column: questions with answers."),
    Field("tags", "tags", "Anki tags for every card of the section."),
    Field("allow", "rules", "Card-quality rules this section breaks on purpose."),
    Field(
        "draft",
        "text",
        "Written by `studykit ingest`: a fingerprint of the drafted notes. `check` warns until "
        "they are edited; delete the line once the section is yours.",
    ),
)
POINT_FIELDS = (
    Field(
        "text", "text", "The point; `{{answer}}` or `{{answer::hint}}` makes it a cloze card.", True
    ),
    Field("note", "text", "Annotation shown beside the point and on the card's back."),
    Field("id", "slug", "Stable identity, so rewording the text keeps the card's history."),
    Field("allow", "rules", ALLOW_ITEM),
)
TERM_FIELDS = (
    Field("term", "text", "The term.", required=True),
    Field("definition", "text", "Its definition.", required=True),
    Field("note", "text", "Annotation shown on the card's back."),
    Field("id", "slug", "Stable identity, so renaming the term keeps the card's history."),
    Field("allow", "rules", ALLOW_ITEM),
)
QUESTION_FIELDS = (
    Field("q", "text", "The cue question.", required=True),
    Field("a", "text", "Its answer.", required=True),
    Field("note", "text", "Annotation shown on the card's back."),
    Field("id", "slug", "Stable identity, so rewording the question keeps the card's history."),
    Field("allow", "rules", ALLOW_ITEM),
)
