"""Opening a card's section file in the student's editor, at the card's line."""

from __future__ import annotations

import os
import shlex
import shutil
from collections.abc import Mapping
from pathlib import Path

from studykit.errors import StudykitError, printable

# Editors that take `+LINE file`; VS Code and its kin take `-g file:LINE`; others `file:LINE`.
_PLUS_LINE = {
    *("vi", "vim", "nvim", "gvim", "nano", "pico", "emacs", "emacsclient", "micro"),
    *("hx", "helix", "kak", "joe", "mg", "ne", "jed"),
}
_GOTO = {"code", "code-insiders", "codium", "cursor"}
_COLON = {"subl", "zed"}


def editor_command(path: Path, line: int, environ: Mapping[str, str] = os.environ) -> list[str]:
    """The command that opens `path` at `line` in $VISUAL, else $EDITOR, else nano or vi.

    VISUAL before EDITOR, as git and most tools read them: VISUAL names the full-screen editor.
    The file is given as an absolute path: a notes folder called `+!cmd` or `-n` would be read
    by vim as a command to run or an option. A variable that does not parse into a command is
    a `StudykitError` ("cannot start the editor: ..."), as an editor that is not installed is.
    """
    variable = "VISUAL" if environ.get("VISUAL") else "EDITOR"
    chosen = environ.get(variable)
    if chosen:
        shown = printable(f"{variable} `{chosen}`")
        try:
            words = shlex.split(chosen)
        except ValueError as exc:  # an unclosed quote, a trailing backslash
            raise StudykitError(f"cannot start the editor: {shown}: {exc}") from None
        if not words or not words[0]:
            raise StudykitError(f"cannot start the editor: {shown} names no command")
    else:
        found = shutil.which("nano") or shutil.which("vi")
        if found is None:
            raise StudykitError("no editor found: set VISUAL or EDITOR (e.g. export EDITOR=nano)")
        words = [found]
    path = path.absolute()
    name = Path(words[0]).name
    # A GUI editor must not return before the file is closed: the notes are reloaded then.
    wait = [] if "--wait" in words or "-w" in words else ["--wait"]
    if name in _GOTO:
        return [*words, *wait, "-g", f"{path}:{line}"]
    if name in _COLON:
        return [*words, *wait, f"{path}:{line}"]
    if name in _PLUS_LINE:
        return [*words, f"+{line}", str(path)]
    return [*words, str(path)]
