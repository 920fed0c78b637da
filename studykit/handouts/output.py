"""Where a handout goes: the format asked for, the file it is written to, written whole or not."""

from __future__ import annotations

import mmap
import os
from pathlib import Path

from studykit.errors import StudykitError, UsageError
from studykit.files import refuse_kept, writable_target, write_atomically

SUFFIXES = {"md": ".md", "html": ".html", "pdf": ".pdf", "text": ".txt"}
_BY_SUFFIX = {".markdown": "md", ".htm": "html"} | {s: k for k, s in SUFFIXES.items()}
_TEXT_SUFFIXES = ", ".join(sorted(s for s, k in _BY_SUFFIX.items() if k != "pdf"))
_NAMES = {"md": "a Markdown", "html": "an HTML", "pdf": "a PDF", "text": "a plain-text"}


def choose_format(asked: str | None, output: str | None, allowed: tuple[str, ...]) -> str:
    """The format asked for with -f, else the one the -o file's suffix names, else the first.

    An -o suffix must fit the handout, with -f or without: a `.docx`, `.lock` or `.yaml`
    holding Markdown would only mislead (and in the notes folder a `.yaml` reads as a section
    of notes, a `.lock` as the identity record). Without -f, the suffix names the format and
    must be one offered here. With -f, a text format goes in any text suffix (`-f html -o
    page.txt`) or none, a PDF only in a `.pdf` or none.
    """
    if asked is not None and asked not in allowed:
        raise UsageError(f"unknown format {asked!r}; choose one of: {', '.join(allowed)}")
    suffix = ""
    if output and output != "-" and not output.endswith(("/", os.sep)):
        suffix = "" if Path(output).is_dir() else Path(output).suffix.lower()
    by_suffix = _BY_SUFFIX.get(suffix)
    if asked is not None:
        fits = not suffix or (by_suffix is not None and (by_suffix == "pdf") == (asked == "pdf"))
        if not fits:
            endings = "" if asked == "pdf" else f" (or another text suffix: {_TEXT_SUFFIXES})"
            raise UsageError(
                f"-o {output}: {_NAMES[asked]} handout does not go in a {suffix} file; "
                f"end the name in {SUFFIXES[asked]}{endings}"
            )
        return asked
    if suffix and by_suffix not in allowed:
        endings = ", ".join(SUFFIXES[k] for k in allowed)
        raise UsageError(f"-o {output}: this handout is written as {endings}, not {suffix}")
    return by_suffix if suffix and by_suffix else allowed[0]


def target_path(
    output: str | None, reading_id: str, kind: str, name: str, force: bool = False
) -> Path | None:
    """The file to write, or None for stdout (`-o -` sends a PDF there too, for pipes).

    Without -o, only a PDF goes to a file: `<reading>-<name>.pdf` in the current folder. An -o
    that is a folder gets that default name inside it. A file that will not be written (see
    `studykit.files`) is refused here, before the handout is made.
    """
    default = Path(f"{reading_id}-{name}{SUFFIXES[kind]}")
    if output == "-" or (output is None and kind != "pdf"):
        return None
    path, named = default, False
    if output is not None:
        path, named = Path(output), True
        if path.is_dir() or output.endswith(("/", os.sep)):
            path, named = path / default, False
    target = writable_target(path, "the handout", force)
    if not named and not force and target.existing is not None:
        _refuse_unless_ours(target.path, kind)
    return path


# What studykit writes into its own handouts, to know one again at its default name: the PDF's
# keywords (`#set document` in the templates), the HTML page's generator.
MARKS = {"pdf": b"/Keywords(studykit)", "html": b'<meta name="generator" content="studykit">'}


def _refuse_unless_ours(path: Path, kind: str) -> None:
    """A handout at its default name replaces only a handout studykit wrote there.

    Without -o (or with -o a folder) the student names no file: a file of their own by that
    name (an instructor's `course-pack.pdf`) is kept. A PDF or HTML handout carries a mark
    (`MARKS`); Markdown and plain text carry none, so an existing one is kept too.
    """
    mark = MARKS.get(kind)
    ours = False
    if mark is not None:
        try:
            with path.open("rb") as file, mmap.mmap(file.fileno(), 0, prot=mmap.PROT_READ) as data:
                ours = data.find(mark) >= 0
        except (OSError, ValueError):  # unreadable, or empty (nothing to map)
            ours = False
    if not ours:
        raise StudykitError(
            "will not replace this file with the handout: studykit did not write it; move it "
            "away, name another file with -o, or replace it with --force",
            path,
        )


def write_output(path: Path, content: bytes, protected: tuple[Path, ...], force: bool) -> None:
    """Write the handout whole or not at all, to a regular file only (`studykit.files`), never
    over a file in the `protected` notes folders or their review store (`refuse_kept`)."""
    refuse_kept(path, "the handout", protected)
    write_atomically(path, content, "the handout", force=force)
