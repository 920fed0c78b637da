"""The terminal's width for tables, and the pager `show` hands long notes to.

Both come from variables a student may have set to anything: `COLUMNS=0` made every table
zero columns wide (nothing printed, exit 0), and `PAGER=/nonexistent` swallowed the notes.
Neither imports rich: `deck` prints its report as plain text.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Mapping

from studykit.errors import printable
from studykit.processes import stopping

MIN_COLUMNS = 60
"""Narrower, a table's titles would be cut to nothing: tables are laid out 60 wide at least."""


MAX_COLUMNS = 1_000
"""Wider, a rule `show` draws across the screen costs time and memory, not legibility:
`COLUMNS=100000000` (a typo) took over 30 s and 620 MB to draw one."""


def columns(detected: int, environ: Mapping[str, str] = os.environ) -> int:
    """The width tables fit: `detected` (the terminal's, or `$COLUMNS` as rich or shutil read
    it), from 60 to 1,000; a `$COLUMNS` set to less than 60 or to no number at all means 60."""
    value = environ.get("COLUMNS", "").strip()
    if value and not (value.isdigit() and int(value) >= MIN_COLUMNS):
        return MIN_COLUMNS
    return min(max(detected, MIN_COLUMNS), MAX_COLUMNS)


def page(text: str, environ: Mapping[str, str] = os.environ) -> str | None:
    """Show `text` through `$PAGER` (default `less -FRX`, else `more`, else none); None once
    a pager has shown it, else why it was not paged, for the caller to print it as it is.

    `$PAGER` is split as a shell would split it and run without a shell, as `$VISUAL` is: a
    pager that is not there is then an error to report, not a shell's exit status 127.
    """
    chosen = environ.get("PAGER")
    if chosen is None:
        found = shutil.which("less") or shutil.which("more")
        if found is None:
            return ""  # no pager on this system: printed as it is, nothing to explain
        words = [found]
    elif not chosen:
        return ""  # `PAGER=` turns paging off, as for git and man
    else:
        shown = printable(f"PAGER `{chosen}`")
        try:
            words = shlex.split(chosen)
        except ValueError as exc:  # an unclosed quote, a trailing backslash
            return f"{shown}: {exc}"
        if not words or not words[0]:
            return f"{shown} names no command"
    # -F: no pager for notes that fit the screen; -R: colours; -X: the notes stay on screen.
    env = {**environ, "LESS": environ.get("LESS", "-FRX")}
    try:
        pager = subprocess.Popen(
            words,
            stdin=subprocess.PIPE,
            env=env,
            encoding=sys.stdout.encoding or "utf-8",
            errors="replace",
        )
    except OSError as exc:
        return printable(f"PAGER `{chosen or words[0]}`: {exc.strerror or exc}")
    assert pager.stdin is not None
    try:
        pager.stdin.write(text)
        pager.stdin.close()
    except BrokenPipeError:
        pass  # the student quit the pager before the end: what they read is what they wanted
    while True:
        try:
            status = pager.wait()
            break
        except KeyboardInterrupt:
            if stopping.last() in (None, signal.SIGINT):
                continue  # Ctrl-C belongs to the pager, which handles it itself (less does)
            pager.terminate()  # `kill`, or the terminal closed: stop as Ctrl-C stops a command
            pager.wait()
            raise
    if status != 0 and chosen is not None:
        return printable(f"PAGER `{chosen}` exited with status {status}")
    return None
