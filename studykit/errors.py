"""Errors the core raises; the CLI turns each into one line on stderr and exit code 1."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One finding in a notes file, located as precisely as the input allows."""

    path: Path
    line: int  # 1-based; 0 when the problem concerns the whole file or folder
    col: int  # 1-based; 0 when unknown
    message: str
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self, base: Path | None = None) -> str:
        """Render as `path:line:col: error: message`, the form editors and compilers use."""
        where = display_path(self.path, base)
        if self.line:
            where += f":{self.line}:{self.col or 1}"
        # A message may quote a file name or a line of the file: one line on the terminal, as is.
        return printable(f"{where}: {self.severity.value}: {self.message}")


def display_path(path: Path, base: Path | None = None) -> str:
    """Show a path relative to `base` (default: the current folder) when it lies below it.

    Characters a terminal would act on or draw as nothing are shown as escapes (see `printable`).
    """
    return printable(_relative(path, base or Path.cwd()))


# Control characters, invisible format characters (right-to-left overrides among them), line and
# paragraph separators, surrogates (undecodable bytes of a file name) and private-use characters.
_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})


def printable(name: str) -> str:
    """`name` with every character a terminal would act on or hide written as a Python escape.

    A folder called `bad\x1b[31mred` would otherwise colour the rest of the line, or be shown
    as `badred` by a terminal library that strips escapes: either way not the name on disk.
    """
    if name.isprintable():  # the usual case, in one C call
        return name
    return "".join(ascii(c)[1:-1] if unicodedata.category(c) in _UNPRINTABLE else c for c in name)


# Control characters a terminal acts on: C0 but tab and line feed, DEL, and C1. Notes text may
# hold none of them (`check` refuses them); names and messages show them as escapes (`printable`).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_NAMES = {
    0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x0B: "LINE TABULATION", 0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE", 0x7F: "DELETE", 0x85: "NEXT LINE",
    0x9B: "CONTROL SEQUENCE INTRODUCER", 0x9D: "OPERATING SYSTEM COMMAND",
}  # fmt: skip


def control_name(char: str) -> str:
    """`U+001B ESCAPE`: Unicode gives control characters no names of their own."""
    name = _CONTROL_NAMES.get(ord(char))
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


@functools.lru_cache(maxsize=1024)
def _relative(path: Path, base: Path) -> str:
    # Cached: a file with many warnings is named once per line, and resolving costs a syscall
    # per path component. The last component is kept as written: a file that is a link is
    # named by its own name, not by where it points (which may be a refused place).
    try:
        return str((path.parent.resolve() / path.name).relative_to(base.resolve()))
    except (ValueError, OSError):
        return str(path)


class StudykitError(Exception):
    """Anything the user can fix: bad notes, a missing file, a wrong argument."""

    def __init__(self, message: str, path: Path | None = None, line: int = 0, col: int = 0):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.col = col

    def problems(self) -> list[Problem]:
        """The error as located problems, one per line of output."""
        return [Problem(self.path or Path(), self.line, self.col, self.message)]

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        return self.problems()[0].format()


class NotesError(StudykitError):
    """Notes that do not pass validation; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        errors = [p for p in problems if p.is_error]
        first = errors[0] if errors else problems[0]
        super().__init__(first.message, first.path, first.line, first.col)
        self.all_problems = problems

    def problems(self) -> list[Problem]:
        return self.all_problems


class UsageError(StudykitError):
    """The command line itself is incomplete or ambiguous (exit code 2)."""


class NotFoundError(UsageError):
    """A reading or section named on the command line does not exist (a usage error, like a
    reading left unnamed where several exist: both are fixed by retyping the command)."""
