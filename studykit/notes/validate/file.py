"""One notes file under validation: the problems found in it, located as the file has them.

What validates a value takes the file it lies in, so a problem always names the file its node
came from. For now the reading's checker is that file, its path moved from file to file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import yaml

from studykit.errors import Problem


class FileCheck(Protocol):
    """The problems of one file, its top-level keys' positions and its text, read on demand."""

    path: Path
    folder: Path  # the reading's: images are resolved inside it
    problems: list[Problem]
    narrative_citations: bool  # a bare `@key` is a citation: the reading names a bibliography
    keys: dict[str, tuple[int, int]]  # the top-level keys, once the file is read

    def error(self, message: str, line: int = 0, col: int = 0) -> None: ...

    def warn(self, message: str, line: int = 0, col: int = 0) -> None: ...

    def error_at(self, node: yaml.Node, message: str) -> None: ...

    def source(self) -> str | None: ...

    def position(self, node: yaml.Node, offset: int) -> tuple[int, int]: ...

    def key_position(self, key: str) -> tuple[int, int]: ...


class Invalid:
    """Marks a value that already produced a problem."""


INVALID = Invalid()
