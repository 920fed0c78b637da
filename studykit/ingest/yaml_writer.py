"""The text of the notes files ingest writes: every value quoted, so it reads back as written.

Values are double-quoted with YAML's escapes, so `: `, `#`, `{{`, quotes, a leading `!`, `&` or
`*`, `no` or `1959` all stay text. The excerpt is a literal block (`|`), which holds any line as
it is. The files are loaded back by the notes loader before they are put in place (pipeline.py),
which proves the round trip for every file ingest writes.
"""

from __future__ import annotations

import re

from studykit.ingest.draft_notes import Draft
from studykit.ingest.sections import PlannedSection
from studykit.notes.strict_yaml import MAX_LINE_CHARS

_ESCAPE = re.compile('[\\\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]')
_NAMED_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\t": "\\t",
    "\n": "\\n",
    "\x85": "\\N",
    "\u2028": "\\L",
    "\u2029": "\\P",
}

SECTION_HEADER = """\
# Draft notes written by `studykit ingest` from {source}.
# They are a start, not your notes yet: rewrite the summary in your own words, keep the points
# that matter (add `note:` to annotate one), check every {{{{cloze}}}}, term and question, and
# add your own. The excerpt is the original text.
"""
DRAFT_COMMENT = "# Delete this line once you have edited the section; until then `check` warns.\n"
READING_HEADER = """\
# Written by `studykit ingest`. Change the title, add `deck:`, `tags:` and a `summary:`;
# `source:` is the copy of the original text beside this file.
"""


def quote(text: str, indent: str = "      ") -> str:
    """A double-quoted YAML scalar that loads back as exactly `text`.

    Text too long for one line of notes goes on over several, each ending in `\\`: YAML
    drops that line break and the next line's indentation (`indent`), and nothing else.
    """
    one_line = '"' + _ESCAPE.sub(_escape, text) + '"'
    if len(one_line) <= _ONE_LINE_CHARS:
        return one_line
    pieces = [text[at : at + _PIECE_CHARS] for at in range(0, len(text), _PIECE_CHARS)]
    # A space that opens a line would be taken for indentation: write it as an escape.
    lines = [_ESCAPE.sub(_escape, piece) for piece in pieces]
    lines = [f"\\x20{line[1:]}" if line.startswith(" ") else line for line in lines]
    return '"' + f"\\\n{indent}".join(lines) + '"'


_ONE_LINE_CHARS = MAX_LINE_CHARS - 100  # room for the key and indentation before the value
_PIECE_CHARS = 1_000
"""Characters of text per line of a long value: escaped (`\\u2028` is 6), at most 6,000."""


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED_ESCAPES.get(char) or f"\\u{ord(char):04X}"


def literal_block(text: str, indent: str = "  ") -> str:
    """A `|` block holding `text` line by line (lines without trailing spaces)."""
    lines = text.split("\n")
    # YAML guesses the indentation from the first line, unless told: tell it when that line
    # starts with a space of its own.
    header = "|2" if lines[0][:1] in (" ", "\t") else "|"
    body = "".join(f"{indent}{line}\n" if line else "\n" for line in lines)
    return f"{header}\n{body}"


def excerpt_text(section: PlannedSection) -> str:
    """The excerpt as the loader reads it back: paragraphs apart by a blank line, and a line
    too long for a notes file broken into shorter ones, at spaces where it has them."""
    text = "\n\n".join(section.paragraphs)
    if len(text) <= _EXCERPT_LINE_CHARS:
        return text
    return "\n".join(_broken(line) for line in text.split("\n"))


_EXCERPT_LINE_CHARS = MAX_LINE_CHARS - 2  # the block's indentation comes before each line


def _broken(line: str) -> str:
    """A line in pieces short enough for a notes file, each but the last ending before a
    space (which the break replaces) where the piece has one."""
    pieces = []
    while len(line) > _EXCERPT_LINE_CHARS:
        space = line.rfind(" ", 1, _EXCERPT_LINE_CHARS + 1)
        if space > 0:
            pieces.append(line[:space])
            line = line[space + 1 :]
        else:
            pieces.append(line[:_EXCERPT_LINE_CHARS])
            line = line[_EXCERPT_LINE_CHARS:]
    return "\n".join([*pieces, line])


def section_yaml(section: PlannedSection, draft: Draft, source_name: str) -> str:
    """A section file without its `draft:` line (added once the file has been read back).

    Where the text gave no safe draft of a kind, a `# TODO` comment stands in its place and
    says what to add: an empty slot is the student's to fill, not a card to trust.
    """
    out = [SECTION_HEADER.format(source=source_name.replace("\n", " "))]
    out.append(f"title: {quote(section.title)}\n")
    if section.paragraphs:
        out.append(f"excerpt: {literal_block(excerpt_text(section))}")
    if draft.summary:
        out.append(f"summary: {quote(draft.summary)}\n")
    else:
        out.append(TODO["summary"])
    if draft.points:
        out.append("points:\n")
        out.extend(f"  - {quote(point)}\n" for point in draft.points)
    if not draft.clozes:
        out.append(TODO["points"])
    if draft.terms:
        out.append("terms:\n")
        for term, definition in draft.terms:
            out.append(f"  - term: {quote(term)}\n    definition: {quote(definition)}\n")
    else:
        out.append(TODO["terms"])
    if draft.questions:
        out.append("questions:\n")
        for q, a in draft.questions:
            out.append(f"  - q: {quote(q)}\n    a: {quote(a)}\n")
    else:
        out.append(TODO["questions"])
    return "".join(out)


TODO = {
    "summary": "# TODO summary: no sentence here sums the section up alone; write one yourself.\n",
    "points": "# TODO points: no fair {{cloze}} here; add facts to learn, a {{deletion}} each.\n",
    "terms": "# TODO terms: no sentence here defines a term; add `terms:` (term, definition).\n",
    "questions": "# TODO questions: no sentence here answers a clear question; add `questions:`.\n",
}
"""What a section file says in place of a kind of draft the text gave no safe card for."""


def draft_line(fingerprint: str) -> str:
    """The marker `check` reads to tell an unedited draft, with its instructions."""
    return f"{DRAFT_COMMENT}draft: {quote(fingerprint)}\n"


def reading_yaml(title: str, source_file: str, author: str | None = None) -> str:
    """`reading.yaml`: the title, the author where the reading names one, and the copy of the
    source it was drafted from."""
    by = f"author: {quote(author)}\n" if author else ""
    return f"{READING_HEADER}title: {quote(title)}\n{by}source: {quote(source_file)}\n"
