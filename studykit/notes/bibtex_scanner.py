"""A BibTeX file walked entry by entry, field by field, raising at the first place that breaks an
entry: a brace or quote never closed, a value that is none, an `@string` name unknown, text
between fields. What `@string` macros may spell out is bounded by the file's own size."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from studykit.errors import StudykitError

_FIELD = re.compile(r"\s*([A-Za-z][\w:.+/-]*)\s*=\s*")
_NUMBER = re.compile(r"\d+")
_WORD = re.compile(r"[A-Za-z][\w:.+/-]*")
# A line that reads `name = {`, `name = "` or `name = 1`: a field, wherever it stands.
STRAY = re.compile(r"(?m)^[ \t]*([A-Za-z][\w-]*[ \t]*=[ \t]*[{\"\d])")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@dataclass(frozen=True)
class Entry:
    key: str  # as written
    kind: str  # the entry type, lower case: book, article, ...
    line: int
    fields: dict[str, str] = field(default_factory=dict)  # lower-case name -> value as LaTeX


_MAX_VALUE = 100_000  # characters in one field, macros spelled out: a long abstract is 5,000
_EXPANSION = 4  # what all values may spell out, per character of the file


class Scanner:
    """Walks a BibTeX file, raising at the first place that breaks an entry."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.text = text
        self.at = 0
        self.entry_at = 0  # where the entry being read starts
        self.macros: dict[str, str] = {m: str(n) for n, m in enumerate(MONTHS, 1)}
        self._lines = (0, 1)  # an offset and its line: lines are counted on from the last
        # `@string` macros may use each other: 40 lines doubling one make a terabyte of text.
        # What the values may spell out in all is bounded by the file's own size.
        self.budget = _EXPANSION * len(text) + _MAX_VALUE

    def line(self, at: int) -> int:
        counted, line = self._lines
        if at < counted:
            counted, line = 0, 1
        line += self.text.count("\n", counted, at)
        self._lines = (at, line)
        return line

    def fail(self, message: str, at: int | None = None) -> StudykitError:
        at = self.at if at is None else at
        col = at - (self.text.rfind("\n", 0, at) + 1) + 1
        return StudykitError(message, self.path, self.line(at), col)

    def skip_space(self) -> None:
        while self.at < len(self.text) and self.text[self.at].isspace():
            self.at += 1

    def braced(self, opener: int) -> int:
        """The end of the `{...}` starting at `opener`, braces nested."""
        depth = 0
        at = opener
        text = self.text
        while at < len(text):
            char = text[at]
            if char == "\\":
                at += 2
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0:
                    return at + 1
            at += 1
        raise self.fail("this `{` is never closed", opener)

    def quoted(self, opener: int) -> int:
        at = opener + 1
        text = self.text
        while at < len(text):
            char = text[at]
            if char == "{":
                at = self.braced(at)
                continue
            if char == '"':
                return at + 1
            at += 1
        raise self.fail('this `"` is never closed', opener)

    def value(self) -> str:
        """A field's value: pieces joined by `#`, macros replaced by their text."""
        pieces: list[str] = []
        length = 0  # counted as pieces come, not summed again over all of them at each `#`
        while True:
            self.skip_space()
            char = self.text[self.at : self.at + 1]
            start = self.at
            if char == "{":
                self.at = self.braced(start)
                if STRAY.search(self.text, start + 1, self.at):
                    # A field inside a value: its `{` took in the fields after it.
                    raise self.fail("this `{` is not closed before the next field", start)
                pieces.append(self.text[start + 1 : self.at - 1])
            elif char == '"':
                self.at = self.quoted(start)
                pieces.append(self.text[start + 1 : self.at - 1])
            elif match := _NUMBER.match(self.text, start):
                self.at = match.end()
                pieces.append(match.group())
            elif match := _WORD.match(self.text, start):
                self.at = match.end()
                name = match.group().lower()
                if name not in self.macros:
                    raise self.fail(f"unknown @string name {match.group()!r}", start)
                pieces.append(self.macros[name])
            else:
                raise self.fail('expected a value: {...}, "..." or a number')
            length += len(pieces[-1])
            if length > _MAX_VALUE or length > self.budget:
                raise self.fail(
                    f"this value spells out {length:,} characters or more (an @string that "
                    "repeats another?); no reference needs that much",
                    self.entry_at,
                )
            self.skip_space()
            if self.text.startswith("#", self.at):
                self.at += 1
                continue
            self.budget -= length
            return "".join(pieces)

    def fields(self, closer: str) -> dict[str, str]:
        """The fields of an entry, after its key, up to its closing brace."""
        found: dict[str, str] = {}
        while True:
            self.skip_space()
            if self.text.startswith(closer, self.at):
                self.at += 1
                return found
            name = _FIELD.match(self.text, self.at)
            if name is None:
                if self.at >= len(self.text):
                    raise self.fail(
                        "the file ends inside this entry: a `}` is missing", self.entry_at
                    )
                raise self.fail(
                    "expected a field like `title = {...}` here: a `,` or a `}` may be "
                    "missing or stray"
                )
            self.at = name.end()
            found[name.group(1).lower()] = self.value()
            if self.text.startswith(",", self.at):
                self.at += 1
            elif self.at >= len(self.text):
                raise self.fail("the file ends inside this entry: a `}` is missing", self.entry_at)
            elif not self.text.startswith(closer, self.at):
                raise self.fail("expected `,` between fields or the `}` that ends the entry")
