"""The signals that stop a command, and the moments they wait for.

Ctrl-C (SIGINT), `kill PID` and `timeout` (SIGTERM) and a closed terminal (SIGHUP) all stop a
command the same way: `KeyboardInterrupt` is raised where the command is, and it unwinds, so every
temporary file and staging folder is removed on the way out and what was being written keeps its
old content. Python does this for SIGINT alone; left to their default, SIGTERM and SIGHUP end the
process at once and leave a half-written temporary file beside the output. `install` gives all
three the same handler; the exit status still says which one came (`exit_code`: 128 + its number,
as a shell reports a killed program: 130, 143, 129).

A few steps must not be cut in two: a temporary file made but not yet in the hands of the code that
removes it, a removal under way. Inside `held()` a stop waits, and is raised as the block ends.
A signal that is ignored when the command starts (`nohup` ignores SIGHUP) stays ignored.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

STOPS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
_WORDS = {
    getattr(signal, name): word
    for name, word in (("SIGINT", "interrupted"), ("SIGTERM", "terminated"), ("SIGHUP", "hung up"))
    if hasattr(signal, name)
}

_last: int | None = None  # the latest stop signal: the one the command ends by
_holding = 0  # how many `held()` blocks the main thread is in
_pending = False  # a stop came within them


def install() -> None:
    """Make SIGINT, SIGTERM and SIGHUP raise KeyboardInterrupt (in the main thread, where Python
    runs signal handlers), unless the command was started with them ignored."""
    for number in STOPS:
        if signal.getsignal(number) is not signal.SIG_IGN:
            signal.signal(number, stop)


def stop(signum: int, frame: object) -> None:
    """The handler: raise KeyboardInterrupt now, or as the `held()` block it came in ends."""
    global _last, _pending
    _last = signum
    if _holding:
        _pending = True
        return
    raise KeyboardInterrupt


@contextlib.contextmanager
def held() -> Iterator[None]:
    """A block a stop does not cut in two: one that comes within is raised as it ends (in place
    of an exception the block raised: the student asked to stop, and the unwinding cleans up
    either way). In other threads no handler runs, so there is nothing to hold."""
    global _holding, _pending
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _holding += 1
    try:
        yield
    finally:
        _holding -= 1
        if not _holding and _pending:
            _pending = False
            raise KeyboardInterrupt


def last() -> int | None:
    """The latest stop signal this process got, if any."""
    return _last


def exit_code() -> int:
    """The exit status of a command stopped by a signal: 128 + its number (SIGINT without a
    signal seen: a KeyboardInterrupt raised by other means is Ctrl-C's)."""
    return 128 + (_last or signal.SIGINT)


def said(code: int | None = None) -> str | None:
    """The one line a command stopped with exit status `code` (by default: the signal that
    stopped this one) ends with: "interrupted", "terminated" or "hung up"; None for a status no
    stop gives."""
    code = exit_code() if code is None else code
    return next((word for number, word in _WORDS.items() if 128 + number == code), None)
