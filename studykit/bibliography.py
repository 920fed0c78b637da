"""A reading's bibliography file: BibTeX (`.bib`) or CSL-JSON (`.json`), as Zotero, BibDesk and
other reference managers export it, read into its entry keys, the line each entry starts on,
and the entries as CSL-JSON items.

`check` uses the keys and lines (an unknown key, an uncited entry) without loading a CSL
processor; `studykit.csl` hands the items to citeproc-py. A file that does not parse is one
located error: JSON's own, or BibTeX's as `studykit.bibtex` finds it.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studykit.errors import CONTROL, StudykitError, control_name

MAX_BYTES = 20 * 1024 * 1024  # a library of tens of thousands of entries; more is a mistake


@dataclass(frozen=True)
class Bibliography:
    """The entries of a bibliography file: each key (folded to lower case, as BibTeX and the
    CSL processor compare them) with the key as written and the line its entry starts on."""

    path: Path
    written: dict[str, str]  # folded key -> the key as written
    lines: dict[str, int]  # folded key -> line of its entry (0 where unknown)
    items: tuple[dict[str, Any], ...] = ()  # the entries as CSL-JSON, for the processor

    def __contains__(self, key: str) -> bool:
        return key.lower() in self.written


def read_bibliography(path: Path) -> Bibliography:
    """The entries of a .bib or CSL-JSON file, or StudykitError naming the file and line.

    Read once per version of the file: a command asks for it from checking, the source rules
    and the formatting."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise StudykitError(f"cannot read the bibliography: {exc.strerror}", path) from None
    return _read(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _read(path: Path, mtime: int, size: int) -> Bibliography:
    try:
        if size > MAX_BYTES:
            raise StudykitError(f"bibliography is over {MAX_BYTES // 2**20} MB", path)
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StudykitError(
            "bibliography is not UTF-8 text: export it from your reference manager as UTF-8",
            path,
            *_position_of_byte(path, exc.start),
        ) from None
    except OSError as exc:
        raise StudykitError(f"cannot read the bibliography: {exc.strerror}", path) from None
    _refuse_controls(path, text)
    if path.suffix.lower() == ".json":
        return _csl_json(path, text)
    if path.suffix.lower() == ".bib":
        return _bibtex(path, text)
    raise StudykitError(
        "a bibliography is a BibTeX file (.bib) or CSL-JSON (.json): export one from your "
        "reference manager",
        path,
    )


# JSON's escapes of what `CONTROL` matches, but for a carriage return (abstracts hold CR LF).
_JSON_CONTROL = re.compile(
    r"(?<!\\)(?:\\\\)*(\\(?:[bf]|u00(?:0[0-8bcefBCEF]|1[0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])))"
)


def _refuse_controls(path: Path, text: str) -> None:
    """A control character in a bibliography would reach the terminal in `show`'s sources, as
    in notes text: refused where it is, raw or as a JSON escape. CR line ends are line ends."""
    at = next((m.start() for m in CONTROL.finditer(text) if m.group() != "\r"), -1)
    written = ""
    if at < 0 and path.suffix.lower() == ".json" and (escape := _JSON_CONTROL.search(text)):
        at, written = escape.start(1), escape.group(1)
    if at < 0:
        return
    char = text[at] if not written else json.loads(f'"{written}"')
    line = text.count("\n", 0, at) + 1
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    shown = f" (written `{written}`)" if written else ""
    raise StudykitError(
        f"bibliography holds the control character {control_name(char)}{shown}, which a "
        "terminal would act on when studykit shows the sources: delete it",
        path,
        line,
        col,
    )


def _position_of_byte(path: Path, offset: int) -> tuple[int, int]:
    data = path.read_bytes()[:offset]
    return data.count(b"\n") + 1, offset - (data.rfind(b"\n") + 1) + 1


# -- CSL-JSON -----------------------------------------------------------------------------------


def _csl_json(path: Path, text: str) -> Bibliography:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StudykitError(f"not valid JSON: {exc.msg}", path, exc.lineno, exc.colno) from None
    except RecursionError:
        raise StudykitError("not CSL-JSON: nested too deeply", path, 1, 1) from None
    if not isinstance(data, list):
        raise StudykitError("CSL-JSON is a list of entries, [ {...}, ... ]", path, 1, 1)
    ids = re.compile(r'"id"\s*:')  # where each entry's id stands, for the lines of entries
    places = [text.count("\n", 0, m.start()) + 1 for m in ids.finditer(text)]
    written: dict[str, str] = {}
    lines: dict[str, int] = {}
    for number, entry in enumerate(data, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str | int):
            raise StudykitError(f'entry {number} has no "id": each entry needs one', path)
        if not isinstance(entry.get("type"), str):
            raise StudykitError(f'entry {entry["id"]!r} has no "type" (book, article, ...)', path)
        key = str(entry["id"])
        line = places[number - 1] if len(places) == len(data) else 0
        if key.lower() in written:
            raise StudykitError(
                f"the key {key!r} is given twice (first at line {lines[key.lower()]})",
                path,
                line,
                1,
            )
        written[key.lower()] = key
        lines[key.lower()] = line
    return Bibliography(path, written, lines, tuple(data))


# -- BibTeX -------------------------------------------------------------------------------------


def _bibtex(path: Path, text: str) -> Bibliography:
    from studykit.bibtex import csl_item, read_bibtex

    entries = read_bibtex(path, text)
    return Bibliography(
        path,
        {e.key.lower(): e.key for e in entries},
        {e.key.lower(): e.line for e in entries},
        tuple(csl_item(e) for e in entries),
    )
