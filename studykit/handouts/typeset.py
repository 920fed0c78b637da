"""typst run in a child process, so that Ctrl-C stops a PDF handout within a second.

typst compiles a handout in one native call that does not return to Python until it is done, so
a Ctrl-C waited for the end of the compile (21.6 s for a long handout). In a child process the
compile can be stopped: the parent waits on pipes, which a signal interrupts at once, and kills
the child. The child costs a Python start and the typst import, about 0.1 s, on a handout that
takes 0.4 s or more; and no temporary file, since the data and the PDF go through pipes.

The child (`python -m studykit.handouts.typeset ROOT [TEMPLATE [PARENT]]`) reads the template's
JSON input on stdin and writes the PDF on stdout. It ends with its parent, the process whose id is
PARENT (`processes.orphans`): a command killed on its own (`kill PID`) cannot kill it, and it
would typeset on for nothing. A typesetting error goes to stdout as JSON, with the
exit code FAILED, and the parent raises it as the compile would have in process.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from functools import cache
from importlib.resources import files
from pathlib import Path

from studykit.errors import StudykitError

FAILED = 3
"""The child's exit code for a typesetting error it has described on stdout."""


OUTLINE = "outline.typ"


@cache
def template(name: str = OUTLINE) -> bytes:
    """A typst template shipped as package data (studykit/handouts/templates/), set after
    common.typ: the colours, the rendering of notes text and the page every layout shares."""
    folder = files("studykit.handouts").joinpath("templates")
    return folder.joinpath("common.typ").read_bytes() + b"\n" + folder.joinpath(name).read_bytes()


def typeset(inputs: str, root: Path, name: str = OUTLINE) -> bytes:
    """The PDF of the handout whose JSON is `inputs`, typeset by a child process.

    `root` is the only folder typst reads images from; `name` is the template. Ctrl-C, or any
    other exception while waiting, kills the child before it goes on up.
    """
    command = [sys.executable, "-m", "studykit.handouts.typeset", str(root), name, str(os.getpid())]
    pipe = subprocess.PIPE
    with subprocess.Popen(command, stdin=pipe, stdout=pipe, stderr=pipe) as child:
        try:
            out, err = child.communicate(inputs.encode("utf-8"))
        except BaseException:
            child.kill()  # Popen alone would wait for it, or leave it running after a Ctrl-C
            child.wait()
            raise
    return _pdf(child.returncode, out, err, root)


def _pdf(code: int, out: bytes, err: bytes, root: Path) -> bytes:
    """The PDF the child wrote, or its failure raised as the parent's."""
    if code == 0 and out.startswith(b"%PDF"):
        return out
    if code == FAILED:
        try:
            failure = json.loads(out)
            message, path = str(failure["message"]), Path(failure["path"])
            line, col = int(failure.get("line", 0)), int(failure.get("col", 0))
        except (ValueError, KeyError, TypeError, AttributeError):
            pass  # not the child's report after all: said below as a failure
        else:
            raise StudykitError(message, path, line, col)
    if code in (-signal.SIGINT, -getattr(signal, "SIGHUP", signal.SIGINT)):
        # The terminal's Ctrl-C, or its closing, reached the child first.
        raise KeyboardInterrupt
    raise StudykitError(_crash(code, err.decode("utf-8", "replace")), root)


# How a child that typst's memory ran out in ends: Rust aborts when an allocation fails
# (SIGABRT, after "memory allocation of N bytes failed"), and the kernel's out-of-memory
# killer sends SIGKILL.
_OUT_OF_MEMORY = (signal.SIGABRT, signal.SIGKILL)
_SMALLER = "make its images fewer or smaller, split it, or print it with -f html"


def _crash(code: int, err: str) -> str:
    """One plain line for a child that died: never Rust's backtrace note."""
    if -code in _OUT_OF_MEMORY or "memory allocation of" in err:
        how = f"stopped by signal {-code}" if code < 0 else f"exit code {code}"
        return f"ran out of memory typesetting this PDF handout (typst {how}): {_SMALLER}"
    lines = [line.strip() for line in err.strip().splitlines()]
    said = [line for line in lines if line and not line.startswith(("note:", "stack backtrace"))]
    why = f"was killed (signal {-code})" if code < 0 else f"failed (exit code {code})"
    return f"typesetting {why}{': ' + said[-1] if said else ''}"


def compile_pdf(inputs: str, root: Path, name: str = OUTLINE) -> bytes:
    """The PDF of the handout whose JSON is `inputs`, typeset in this process."""
    import typst

    compiler = typst.Compiler(template(name), root=str(root))
    try:
        pdf, _ = compiler.compile_with_warnings(format="pdf", sys_inputs={"data": inputs})
    except typst.TypstError as exc:
        raise _typesetting_error(exc.message, inputs, root) from None
    if not isinstance(pdf, bytes):
        raise StudykitError("typesetting produced no PDF", root)
    return pdf


def _typesetting_error(message: str, inputs: str, root: Path) -> StudykitError:
    """Name the notes line at fault: typst's message about a broken image does not say which
    image, and the image's file alone does not say where the notes show it."""
    import os

    import typst

    from studykit.notes.media import where_shown

    for image in sorted(set(_images(json.loads(inputs)))):
        try:
            probe = typst.Compiler(b"#image(sys.inputs.path)", root=str(root))
            probe.compile(format="pdf", sys_inputs={"path": image})
        except typst.TypstError as exc:
            path = root / image[1:]
            where = where_shown(path, root)
            if where is None:
                return StudykitError(f"cannot show this image: {exc.message}", path)
            notes, line, col = where
            name = os.path.relpath(path, notes.parent)
            return StudykitError(
                f"image {name!r} cannot be shown in a PDF: {exc.message}", notes, line, col
            )
    return StudykitError(f"typesetting failed: {message}", root)


def _images(value: object) -> list[str]:
    if isinstance(value, dict):
        found = [str(value["href"])] if value.get("kind") == "image" else []
        return found + [i for v in value.values() for i in _images(v)]
    if isinstance(value, list):
        return [i for v in value for i in _images(v)]
    return []


def main() -> None:
    """The child's side: typeset the JSON on stdin, the PDF (or the failure) to stdout."""
    # Ctrl-C at the terminal reaches the whole process group: end at once, without a traceback,
    # even inside the native compile, where a Python handler would wait for its end.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    if len(sys.argv) > 3:
        from studykit.processes.orphans import end_with_parent

        end_with_parent(int(sys.argv[3]))  # SIGTERM's default action ends it, compile or not
    root = Path(sys.argv[1])
    name = sys.argv[2] if len(sys.argv) > 2 else OUTLINE
    inputs = sys.stdin.buffer.read().decode("utf-8")
    try:
        pdf = compile_pdf(inputs, root, name)
    except StudykitError as exc:
        where = {"path": str(exc.path or root), "line": exc.line, "col": exc.col}
        sys.stdout.write(json.dumps({"message": exc.message, **where}))
        raise SystemExit(FAILED) from None
    sys.stdout.buffer.write(pdf)


if __name__ == "__main__":
    main()
