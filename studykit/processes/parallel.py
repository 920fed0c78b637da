"""Work shared with a second process, for the machine's second core.

A command's work is a list of items that do not depend on each other; `Shared` runs the later
ones in a forked child while this process works through the first, and gives back every
result in the order of the items, so that what a command prints and writes is the same as in
one process. Work is shared once per command, from one place: the readings of the notes
(`notes.sharing` splits them). Forking and sending results back cost a few tens of milliseconds,
so small work stays in one process (`worth_sharing`). STUDYKIT_PROCESSES=1 keeps everything in
one process; STUDYKIT_PROCESSES=2 shares work of any size (the tests compare the two).

Interrupted (Ctrl-C reaches both processes; an error here stops the child with SIGTERM, which
it turns into KeyboardInterrupt), the child unwinds like this process does, so files written
through a temporary file leave nothing behind, and it has exited before the error goes on.
However this process ends, the child ends with it (`orphans`): stopped by SIGTERM or
SIGHUP, this process unwinds as on Ctrl-C and stops the child; killed outright (SIGKILL), it gets
no chance to, so the kernel sends the child SIGTERM, which unwinds it the same way, and the
child starts no item once its parent is gone. Left running, it would write decks, manifests and
identity records after the command had exited.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from studykit.processes import stopping
from studykit.processes.orphans import end_with_parent, parent_gone

T = TypeVar("T")
R = TypeVar("R")

# Below this much work (in section files), forking costs more than the second core saves: a
# deck of one reading saved 35 ms of 0.54 s at 200 sections, 9 ms at 100 (docs/performance.md).
MIN_SECTIONS = 100
PROCESSES = "STUDYKIT_PROCESSES"
# The signals that stop a shared run: Ctrl-C, the parent stopping the child, a closed terminal
# (its SIGHUP reaches the whole foreground group).
_STOPS = set(stopping.STOPS)
_second = False  # set in the second process only


def in_second_process() -> bool:
    """Whether this is the second process, which leaves to the first what shows on the
    terminal as the work goes (a progress bar)."""
    return _second


def worth_sharing(sections: int) -> bool:
    """Whether work on this many section files goes to two processes: STUDYKIT_PROCESSES=1
    never, =2 always, else from `MIN_SECTIONS` on."""
    setting = os.environ.get(PROCESSES, "")
    return setting == "2" or (setting != "1" and sections >= MIN_SECTIONS)


def always_sharing() -> bool:
    """Whether STUDYKIT_PROCESSES=2 asks for work of any size to be shared."""
    return os.environ.get(PROCESSES, "") == "2"


class Shared(Generic[T, R]):
    """`[func(item) for item in items]`, the items from `split` on computed in a child process,
    which starts on them at once: this process may do other work before `results()` does its
    own share and collects the child's. With `split` at the end, nothing is shared.

    A context manager: leaving it (on an error or Ctrl-C) stops a child still at work. An
    exception raised for an item is raised by `results()`, after the items before it are done,
    as in one process.
    """

    def __init__(self, func: Callable[[T], R], items: Sequence[T], split: int):
        self.func, self.items = func, items
        self.split = len(items)  # items from here on are the child's
        self.child: Any = None
        if split >= len(items) or _second:
            return
        import multiprocessing  # only here: small libraries never pay for it (nor for pickle)

        if "fork" not in multiprocessing.get_all_start_methods():
            return
        self.split = split
        # Output still buffered here would be written a second time by the child.
        sys.stdout.flush()
        sys.stderr.flush()
        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        self.child = context.Process(
            target=_child,
            args=(func, items[split:], send, self.receive, os.getpid()),
            daemon=True,
        )
        # Ctrl-C is held back while forking: arriving in the child before its handlers are set,
        # it would be printed as an "exception ignored" traceback. Here it is raised once the
        # child exists, which is then stopped.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
        try:
            self.child.start()
        finally:
            send.close()
            try:
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
            except BaseException:
                self.__exit__()
                raise

    def __enter__(self) -> Shared[T, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.child is not None:
            if self.child.is_alive():
                self.child.terminate()
            self.child.join()
            self.receive.close()
            self.child = None

    def results(self) -> list[R]:
        """This process's share, then the child's: every item's result, in order."""
        mine = [self.func(item) for item in self.items[: self.split]]
        if self.child is None:
            return mine
        outcome = self.receive.recv()
        theirs: list[R] = []
        for ok, value in outcome:
            if not ok:
                raise value
            theirs.append(value)
        return [*mine, *theirs]


def _child(
    func: Callable[[Any], Any], items: Sequence[Any], send: Any, receive: Any, parent: int
) -> None:
    global _second

    # First: a parent killed from here on sends SIGTERM, held back (like Ctrl-C) until the
    # handlers below are set, and then unwinds this process.
    end_with_parent(parent)
    stopped = False

    def stop(signum: int, frame: object) -> None:
        # Ctrl-C reaches both processes and the parent then stops this one too: the first
        # signal unwinds, a second must not interrupt the unwinding.
        # Raised as `stopping.stop` raises it: after a temporary file's creation, not amid it.
        nonlocal stopped
        if not stopped:
            stopped = True
            stopping.stop(signum, frame)

    for number in _STOPS:
        if signal.getsignal(number) is not signal.SIG_IGN:  # `nohup` ignores SIGHUP in both
            signal.signal(number, stop)
    _second = True  # the child's own copy: it never forks again
    # A progress bar redirects the streams through its console, whose lock its refresh thread
    # may have held at the fork: here it would never be released, and writing would hang.
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    # The fork gave this process the parent's end of the pipe too. Open here, it kept the pipe
    # from breaking when the parent was gone: the send blocked for good instead of failing.
    receive.close()
    outcome: list[tuple[bool, Any]] = []
    try:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)  # held back since the fork
        for item in items:
            if parent_gone(parent):  # where no signal tells (not Linux), or one is late
                raise KeyboardInterrupt
            try:
                outcome.append((True, func(item)))
            except Exception as exc:  # sent back and raised there, in its place
                outcome.append((False, _picklable(exc)))
                break
        try:
            send.send(outcome)
            send.close()
        except BrokenPipeError:  # the parent is gone: no one to tell
            os._exit(130)
        # Leave at once: multiprocessing's own exit would flush streams and run clean-ups
        # that belong to the parent.
        os._exit(0)
    except KeyboardInterrupt:
        # Unwound; now leave without the traceback multiprocessing would print for it (the
        # parent says "interrupted").
        os._exit(130)


def _picklable(exc: Exception) -> Exception:
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
