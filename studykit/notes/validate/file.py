"""One notes file under validation: the problems found in it, located as the file has them.

Each file of a reading gets its own `FileCheck`; what validates a value or an item takes the
file it lies in, so a problem always names the file its node came from.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from studykit.errors import Problem, Severity
from studykit.notes.strict_yaml import offset_position


class FileCheck:
    """The problems of one file, its top-level keys' positions and its text, read on demand."""

    def __init__(
        self,
        path: Path,
        folder: Path,
        problems: list[Problem] | None = None,
        narrative_citations: bool = False,
    ):
        self.path = path
        self.folder = folder  # the reading's: images are resolved inside it
        # A list of the reading's own, where the file's problems go in among the reading's.
        self.problems: list[Problem] = [] if problems is None else problems
        # A bare `@key` is a citation only in a reading that names a bibliography.
        self.narrative_citations = narrative_citations
        self.keys: dict[str, tuple[int, int]] = {}  # the top-level keys, once the file is read
        self._source: str | None = None
        self._source_read = False
        self._lines: list[str] | None = None

    def error(self, message: str, line: int = 0, col: int = 0) -> None:
        """An error in this file, at `line` and `col` (0: the whole file)."""
        self.problems.append(Problem(self.path, line, col, message))

    def warn(self, message: str, line: int = 0, col: int = 0) -> None:
        """A warning in this file: the reading still loads."""
        self.problems.append(Problem(self.path, line, col, message, Severity.WARNING))

    def error_at(self, node: yaml.Node, message: str) -> None:
        """An error where `node` starts."""
        self.error(message, node.start_mark.line + 1, node.start_mark.column + 1)

    def source(self) -> str | None:
        """The file's text as written, read once and only where a problem needs it."""
        if not self._source_read:
            try:
                self._source = self.path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                self._source = None
            self._source_read = True
        return self._source

    def lines(self) -> list[str]:
        """The file's lines as written (none where it cannot be read), split once: every text
        that looks at the lines around it looks at these."""
        if self._lines is None:
            source = self.source()
            self._lines = [] if source is None else source.split("\n")
        return self._lines

    def position(self, node: yaml.Node, offset: int) -> tuple[int, int]:
        """Line and column of a character of a scalar's value, counted as the file has it."""
        return offset_position(node, offset, self.source())

    def key_position(self, key: str) -> tuple[int, int]:
        """Line and column of a top-level key of the file; (0, 0) if it has none."""
        return self.keys.get(key, (0, 0))


class Invalid:
    """Marks a value that already produced a problem."""


INVALID = Invalid()
