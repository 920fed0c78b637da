"""The command being run, for what a command looks at once however many readings ask.

`check`, `deck`, `review` and the others work reading by reading, and each reading compares
itself with every other reading's identity record: looked at afresh for each reading, a library
of n readings cost n x n system calls. The command line (`cli/common.py`) runs every command
inside `running()`, and code that may keep what it read for the rest of the command keys it on
`current()`: the same token throughout one command, a new one for the next, and None outside
any command (functions called directly, as tests call them, look afresh every time). A light
module: the command line imports it at start-up.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

_runs = 0  # commands run in this process
_current: int | None = None


@contextlib.contextmanager
def running() -> Iterator[None]:
    """One command's run (a command inside another's, as none is, stays in the outer run)."""
    global _current, _runs
    outer = _current
    if outer is None:
        _runs += 1
        _current = _runs
    try:
        yield
    finally:
        _current = outer


def current() -> int | None:
    """The running command's token, None outside any command."""
    return _current


@contextlib.contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while a command builds many small acyclic objects.

    Notes, cards, records and a pull's rows of the log hold no reference cycles, so reference
    counting frees them all; the collector would only rescan them again and again (a tenth of
    a large build's or a pull's time).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
