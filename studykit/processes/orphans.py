"""Child processes that end with their parent, however the parent ends.

studykit runs some work in child processes: a forked second process builds and checks its share
of a large library (`parallel`), and typst typesets a PDF handout in a process of its
own (`studykit.handouts.typeset`). Ctrl-C and `timeout` signal the whole process group, so these
end with the command. SIGTERM or SIGHUP sent to the command's process alone (`kill PID`) unwinds
it (`stopping`), and it stops its children on the way; SIGKILL (also what Python's
`subprocess.run(..., timeout=...)` sends) gives it no chance to. A child left running would go on
writing decks, manifests and identity records after the command had exited, or typeset a PDF no
one reads.

So a child asks the kernel to send it SIGTERM when its parent ends (Linux's
`prctl(PR_SET_PDEATHSIG)`), then looks whether its parent ended before it asked; elsewhere, and
as a second guard, a child doing a run of items asks `parent_gone` before each. What SIGTERM does
is the child's choice: by default it ends the process at once; a handler may unwind it.

The kernel sends the signal when the *thread* that started the child ends, so children are
started from the main thread, which lives as long as the process.
"""

from __future__ import annotations

import os
import signal
import sys

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def end_with_parent(parent: int) -> None:
    """Have SIGTERM sent to this process when its parent ends, and send it now if `parent` (the
    process id the parent had when it started this one) is no longer its parent. Called first
    thing in the child; a SIGTERM that is blocked then arrives when it is unblocked."""
    if sys.platform.startswith("linux"):
        import ctypes  # only here: nothing else needs it

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # a libc without prctl: `parent_gone` still tells
    if parent_gone(parent):
        # The parent ended before the kernel was asked: it will send nothing now.
        os.kill(os.getpid(), signal.SIGTERM)


def parent_gone(parent: int) -> bool:
    """Whether the process that started this one (`parent`, its process id) has ended: an
    orphan is adopted by another process, so its parent's id changes."""
    return os.getppid() != parent
