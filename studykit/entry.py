"""The console entry point, apart from cli.py so that Ctrl-C while Typer and friends are still
being imported (a noticeable moment on a busy machine) ends as cleanly as Ctrl-C in a command:
one line, exit code 130, no traceback."""

from __future__ import annotations

import sys

INTERRUPTED = 130
_reported = False


def report_interrupt(message: str = "interrupted") -> None:
    """Say once that the command was interrupted, however many layers see the interrupt."""
    global _reported
    if not _reported:
        _reported = True
        sys.stderr.write(message + "\n")
        sys.stderr.flush()


def main() -> None:
    """Run the command line; Ctrl-C at any moment exits 130 with one line."""
    try:
        from studykit.cli import main as run

        run()
    except KeyboardInterrupt:
        report_interrupt()
        raise SystemExit(INTERRUPTED) from None
    except SystemExit as exc:
        # Typer turns an interrupt outside our commands into a silent exit 130.
        if exc.code == INTERRUPTED:
            report_interrupt()
        raise
