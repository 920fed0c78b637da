"""Cloze markers in points: `{{answer}}` and `{{answer::hint}}`, numbered in order of appearance.

`\\{{` is a literal `{{`, and a `}}` outside a deletion is plain text; `\\::` inside an answer
is a literal `::`. An answer may contain `}`:
in a run of closing braces such as `{{set {1}}}` the deletion closes at the last two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Deletion:
    """One hidden span; `number` is 1-based and becomes Anki's c1, c2, ..."""

    number: int
    answer: str
    hint: str | None
    start: int = field(default=0, compare=False)  # offset of its `{{` in the point's text
    end: int = field(default=0, compare=False)  # offset just after its `}}`


Part = str | Deletion


@dataclass(frozen=True)
class Cloze:
    parts: tuple[Part, ...]
    deletions: tuple[Deletion, ...]

    def plain(self) -> str:
        """The text with every answer in place and no markers: what the student reads."""
        return "".join(p if isinstance(p, str) else p.answer for p in self.parts)


class ClozeError(ValueError):
    """A marker problem at `offset` (0-based) in the text."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.message = message
        self.offset = offset


MAX_DELETIONS = 100
"""Deletions one point may have. Each deletion is a card that shows the whole point, so a point's
cards hold its text once per deletion: a point of n deletions costs n times its length in every
output that shows cards (flashcard handouts, a review session), and 4,000 of them made a 312 MB
page. Real points hide one to a few things (the shipped notes at most 3); 100 still lets a
point hide every item of a long list."""

# Private-use characters around an answer shown within a card's or a point's text, for the
# terminal to highlight. Unlike `**...**` they survive inside code and math, where Markdown
# would not read them.
ANSWER_OPEN, ANSWER_CLOSE = "\ue020", "\ue021"


def marked(answer: str) -> str:
    """An answer marked for highlighting, wherever it stands in its text."""
    return f"{ANSWER_OPEN}{answer}{ANSWER_CLOSE}"


_ANKI_NUMBER = re.compile(r"c\d+::")


def has_cloze(text: str) -> bool:
    """Whether the text opens a deletion (an unescaped `{{`)."""
    if "\\" not in text:
        return "{{" in text  # no escape to take out: no copy of the text
    return "{{" in text.replace("\\{{", "")


def literal_text(text: str) -> str:
    """A text without deletions as the student reads it: `\\{{` unescaped."""
    return text.replace("\\{{", "{{")


_MARKER = re.compile(r"\\\{\{|\{\{|\}\}")


def parse_cloze(text: str) -> Cloze:
    """Split a point's text into literal parts and deletions; raise ClozeError on bad markers."""
    if "\\" not in text:
        return _parse_unescaped(text)
    parts: list[Part] = []
    literal: list[str] = []
    count = 0
    i = 0
    while (marker := _MARKER.search(text, i)) is not None:
        literal.append(text[i : marker.start()])
        found = marker.group()
        if found == "\\{{":
            literal.append("{{")
            i = marker.end()
        elif found == "{{":
            count += 1
            deletion, i = _read_deletion(text, marker.start(), count)
            parts += ["".join(literal), deletion]
            literal = []
        else:
            # A `}}` outside a deletion is text: math such as $e^{x^{2}}$ closes braces too.
            literal.append(found)
            i = marker.end()
    literal.append(text[i:])
    parts.append("".join(literal))
    kept = tuple(p for p in parts if p != "")
    return Cloze(kept, tuple(p for p in kept if isinstance(p, Deletion)))


def _parse_unescaped(text: str) -> Cloze:
    """`parse_cloze` of a text without a backslash, the common case: every `{{` opens a
    deletion and every `}}` outside one is text, so the text between deletions is kept as it
    stands instead of piece by piece."""
    parts: list[Part] = []
    deletions: list[Deletion] = []
    i = 0
    while (start := text.find("{{", i)) != -1:
        if start > i:
            parts.append(text[i:start])
        deletion, i = _read_deletion(text, start, len(deletions) + 1)
        parts.append(deletion)
        deletions.append(deletion)
    if i < len(text):
        parts.append(text[i:])
    return Cloze(tuple(parts), tuple(deletions))


def _read_deletion(text: str, start: int, number: int) -> tuple[Deletion, int]:
    body_start = start + 2
    close = text.find("}}", body_start)
    reopen = text.find("{{", body_start)
    while reopen != -1 and text[reopen - 1] == "\\":
        reopen = text.find("{{", reopen + 2)
    if close == -1:
        raise ClozeError("`{{` has no closing `}}`", start)
    if reopen != -1 and reopen < close:
        raise ClozeError("deletions cannot be nested; close this `{{` first", reopen)
    while text.startswith("}", close + 2):
        close += 1
    body = text[body_start:close]
    if _ANKI_NUMBER.match(body):
        raise ClozeError(
            "write {{answer}} or {{answer::hint}}; deletions are numbered automatically", start
        )
    answer, sep, hint = body.replace("\\::", "\0").partition("::")
    answer = answer.replace("\0", "::").strip()
    hint = hint.replace("\0", "::").strip()
    if not answer:
        raise ClozeError("empty deletion: put the hidden text between `{{` and `}}`", start)
    if sep and not hint:
        raise ClozeError("empty hint after `::`; drop the `::` or write a hint", start)
    return Deletion(number, answer, hint if sep else None, start, close + 2), close + 2
