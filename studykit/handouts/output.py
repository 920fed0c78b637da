"""Where a handout goes: the format asked for, the file it is written to, written whole or not."""

from __future__ import annotations

import hashlib
import json
import os
import stat
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
    `studykit.files`), or a file at a default name that is not the handout studykit last wrote
    there (`_refuse_unless_ours`), is refused here, before the handout is made.
    """
    default = Path(f"{reading_id}-{name}{SUFFIXES[kind]}")
    if output == "-" or (output is None and kind != "pdf"):
        return None
    named = names_the_file(output)
    folder = Path(output or ".")
    path = folder if named else folder / default
    target = writable_target(path, "the handout", force)
    if not named and not force and target.existing is not None:
        _refuse_unless_ours(path)
    return path


# Beside a handout written at its default name, in a hidden folder: its size and SHA-256, so
# the next write there knows the file for the one it wrote (edited or annotated since, it is not).
RECORD_FOLDER = ".studykit"
_RECORD_KIND = "studykit handout"


def record_path(handout: Path) -> Path:
    """Where the record of a handout written at its default name is kept."""
    return handout.parent / RECORD_FOLDER / f"{handout.name}.written.json"


def names_the_file(output: str | None) -> bool:
    """Whether -o names the handout's file (not stdout, not a folder to put it in)."""
    return output not in (None, "-") and not (
        output.endswith(("/", os.sep)) or Path(output).is_dir()
    )


def _refuse_unless_ours(path: Path) -> None:
    """A handout at its default name replaces only the handout studykit last wrote there.

    Without -o (or with -o a folder) the student names no file: a file of their own by that
    name (an essay, an instructor's `course-pack.pdf`, the handout they annotated since) is
    kept. Only a file of the size and SHA-256 the record beside it holds is replaced; the size
    is compared first, so a large file of the student's is never read.
    """
    written = _recorded(record_path(path))
    ours = False
    if written is not None:
        try:
            if path.stat().st_size == written[0]:
                with path.open("rb") as file:
                    ours = hashlib.file_digest(file, "sha256").hexdigest() == written[1]
        except OSError:
            ours = False
    if not ours:
        raise StudykitError(
            "will not replace this file with the handout: studykit did not write it (or it "
            "was changed since); move it away, name another file with -o, or replace it "
            "with --force",
            path,
        )


def _recorded(record: Path) -> tuple[int, str] | None:
    """The size and digest a record holds, or None: no record, one that is a link or not a
    regular file, or not one of studykit's."""
    try:
        if record.parent.is_symlink() or not stat.S_ISREG(record.lstat().st_mode):
            return None
        if record.stat().st_size > 4096:
            return None
        data = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # `[` thousands deep is 4 KB
        return None
    if not isinstance(data, dict) or data.get("kind") != _RECORD_KIND:
        return None
    size, digest = data.get("size"), data.get("sha256")
    if type(size) is not int or not isinstance(digest, str):
        return None
    return size, digest


def _record(path: Path, content: bytes) -> None:
    """Keep the size and digest of the handout just written at its default name. A record
    place that is not studykit's (a link, a file of another kind there) is left alone: the
    handout is written, and the next write there asks for --force."""
    record = record_path(path)
    if record.parent.is_symlink() or (record.parent.exists() and not record.parent.is_dir()):
        return
    if os.path.lexists(record) and _recorded(record) is None:
        return
    text = json.dumps(
        {"kind": _RECORD_KIND, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
    )
    try:
        record.parent.mkdir(exist_ok=True)
        write_atomically(record, text + "\n", "the handout's record")
    except (OSError, StudykitError):
        return  # the handout is written; without its record the next write asks for --force


def write_output(
    path: Path, content: bytes, protected: tuple[Path, ...], force: bool, default: bool = False
) -> None:
    """Write the handout whole or not at all, to a regular file only (`studykit.files`), never
    over a file in the `protected` notes folders or their review store (`refuse_kept`). At a
    `default` name (the student named no file), what was written is recorded beside it."""
    refuse_kept(path, "the handout", protected)
    write_atomically(path, content, "the handout", force=force)
    if default:
        _record(path, content)
