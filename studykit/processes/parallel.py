"""Work shared with a second process, for the machine's second core.

Checking and building decks spend their time in Python on pieces that do not depend on each
other: the readings of a library, and within one reading its section files (parsed and
validated) and its sections' note fields (rendered). So above a size where it pays (forking and
sending results back cost a few tens of milliseconds) the later pieces go to a forked child
process while this one works through the first. Results come back in the order of the items,
so what a command prints and writes is the same as in one process. Work is shared once: a
reading sent to the child does not share its sections again. STUDYKIT_PROCESSES=1 keeps
everything in one process; STUDYKIT_PROCESSES=2 shares work of any size (the tests compare
the two).

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

# Below this much work (in sections), forking costs more than the second core saves: on the
# development machine sharing saved 65 ms of 0.57 s at 200 sections, 12 ms at 100.
MIN_SECTIONS = 100
PROCESSES = "STUDYKIT_PROCESSES"
# The signals that stop a shared run: Ctrl-C, the parent stopping the child, a closed terminal
# (its SIGHUP reaches the whole foreground group).
_STOPS = set(stopping.STOPS)
# Set while work is shared: a reading shared out does not share its own sections again, which
# would run four processes on two cores.
_sharing = False
_second = False  # set in the second process only


def in_second_process() -> bool:
    """Whether this is the second process, which leaves to the first what shows on the
    terminal as the work goes (a progress bar)."""
    return _second


def shared_map(func: Callable[[T], R], items: Sequence[T], weights: Sequence[int]) -> list[R]:
    """`[func(item) for item in items]`, the later items' share computed in a child process.

    `weights` estimate each item's work (sections), to split it evenly. An exception raised for
    an item is raised here, after the items before it are done, as in one process.
    """
    with Shared(func, items, weights) as work:
        return work.results()


class Shared(Generic[T, R]):
    """`shared_map` begun: the child starts on its share at once, and this process may do
    other work before `results()` does its own share and collects the child's.

    A context manager: leaving it (on an error or Ctrl-C) stops a child still at work.
    `theirs` is the child's share of the weight: more than half when this process has other
    work to do before its own share.
    """

    def __init__(
        self,
        func: Callable[[T], R],
        items: Sequence[T],
        weights: Sequence[int],
        theirs: float = 0.5,
    ):
        self.func, self.items = func, items
        self.split = len(items)  # items from here on are the child's
        self.child: Any = None
        self.was_sharing = _sharing
        setting = os.environ.get(PROCESSES, "")
        wanted = setting == "2" or (setting != "1" and sum(weights) >= MIN_SECTIONS)
        if not wanted or len(items) < 2 or _sharing:
            return
        import multiprocessing  # only here: small libraries never pay for it (nor for pickle)

        if "fork" not in multiprocessing.get_all_start_methods():
            return
        self.split = _split(weights, theirs)
        # Output still buffered here would be written a second time by the child.
        sys.stdout.flush()
        sys.stderr.flush()
        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        self.child = context.Process(
            target=_child,
            args=(func, items[self.split :], send, self.receive, os.getpid()),
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
        global _sharing
        self.was_sharing, _sharing = _sharing, _sharing or self.child is not None
        return self

    def __exit__(self, *exc: object) -> None:
        global _sharing
        _sharing = self.was_sharing
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


def _split(weights: Sequence[int], theirs: float) -> int:
    """Index splitting the items into two runs, neither empty, the second about `theirs` of
    the weight."""
    total, done = sum(weights), 0
    for index, weight in enumerate(weights):
        if done + weight / 2 >= total * (1 - theirs):
            return min(max(index, 1), len(weights) - 1)
        done += weight
    return len(weights) - 1


def _child(
    func: Callable[[Any], Any], items: Sequence[Any], send: Any, receive: Any, parent: int
) -> None:
    global _sharing, _second

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
    _sharing = _second = True  # the child's own copies: it never forks again
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
