"""The console entry point, apart from app.py so that Ctrl-C while Typer and friends are still
being imported (a noticeable moment on a busy machine) ends as cleanly as Ctrl-C in a command:
one line, exit code 130, no traceback. SIGTERM (`kill PID`, `timeout`) and SIGHUP (the terminal
closed) stop it the same way (`studykit.processes.stopping`), with exit codes 143 and 129."""

from __future__ import annotations

import gc
import sys

from studykit.processes import stopping

INTERRUPTED = 130
_reported = False


def report_interrupt(message: str | None = None) -> None:
    """Say once that the command was stopped ("interrupted", "terminated", "hung up"), however
    many layers see the interrupt."""
    global _reported
    if not _reported:
        _reported = True
        try:
            sys.stderr.write((message or stopping.said() or "interrupted") + "\n")
            sys.stderr.flush()
        except (OSError, ValueError):
            pass  # a terminal that hung up takes no more writes; the exit status still says it


def main() -> None:
    """Run the command line; Ctrl-C at any moment exits 130 with one line (SIGTERM 143, SIGHUP
    129)."""
    stopping.install()
    try:
        from studykit.cli.app import main as run

        run()
    except KeyboardInterrupt:
        report_interrupt()
        raise SystemExit(stopping.exit_code()) from None
    except SystemExit as exc:
        # Typer turns an interrupt outside our commands into a silent exit 130; a pull's
        # scratch folder turns SIGTERM and SIGHUP into a silent 143 or 129.
        word = stopping.said(exc.code) if isinstance(exc.code, int) else None
        if word is not None:
            report_interrupt(word)
        raise
    finally:
        # The process ends next. Its objects are left to the cycle collector no more: its
        # passes over every module's objects as the interpreter tears them down cost 30-40 ms
        # (a tenth of an everyday command), and the memory goes back to the system anyway.
        # Files and the review store are closed by then (each in its `with`), and atexit
        # handlers, tempfile's cleanups among them, still run.
        gc.freeze()
