"""A reading's bibliography file: BibTeX (`.bib`) or CSL-JSON (`.json`), as Zotero, BibDesk and
other reference managers export it, read into its entry keys, the line each entry starts on,
and the entries as CSL-JSON items.

`check` uses the keys and lines (an unknown key, an uncited entry) without loading a CSL
processor; `studykit.citing.csl` hands the items to citeproc-py. A file that does not parse is one
located error: JSON's own, or BibTeX's as `studykit.notes.bibtex` finds it.
"""

from __future__ import annotations

import functools
import gc
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studykit.errors import CONTROL, StudykitError, control_name

MAX_BYTES = 20 * 1024 * 1024  # a library of tens of thousands of entries; more is a mistake
# Entries (and BibTeX @string names): 20 MB of the shortest entries were 1.2 million, 800 MB
# read. A limit of entries keeps a full-size library of short ones near 150 MB.
MAX_ENTRIES = 100_000
# JSON objects and lists, `{` and `[` counted before the file is parsed (in strings too, so a
# bound from above): 20 MB of `[{}, {}, ...]` would be 6 million dictionaries. An entry with
# its names and dates is about ten.
_MAX_CONTAINERS = 20 * MAX_ENTRIES
# Digits in one number of a work's date, pages, volume and the like. The CSL processor reads
# those as integers, and Python refuses to convert one of over 4,300 digits (640 at the least
# PYTHONINTMAXSTRDIGITS allows): a year of 5,000 nines broke every command but `check` with a
# traceback. No work's data holds a number of hundreds of digits.
MAX_DIGITS = 600
# The CSL variables the processor may read as numbers: a run of digits in them is bounded.
NUMBER_VARIABLES = frozenset(
    """chapter-number collection-number edition issue number number-of-pages number-of-volumes
    page page-first volume""".split()
)
_DIGITS = re.compile(r"\d+")


def longest_number(text: str) -> int:
    """The digits of the longest run of them in `text`, found in one pass."""
    return max((m.end() - m.start() for m in _DIGITS.finditer(text)), default=0)


def too_long_number(what: str, digits: int) -> str:
    """The fault of a value holding a number of `digits` digits, over MAX_DIGITS."""
    return f"{what} holds a number of {digits:,} digits, which no work's data holds"


@dataclass(frozen=True)
class Bibliography:
    """The entries of a bibliography file: each key (folded to lower case, as BibTeX and the
    CSL processor compare them) with the key as written and the line its entry starts on.

    A BibTeX entry is kept as read and made a CSL-JSON item only when asked for: `check` needs
    the keys alone, and a handout the works it cites (converting every entry of a 10,000-entry
    library took 5 s and, with the cycle collector paused, 900 MB)."""

    path: Path
    written: dict[str, str]  # folded key -> the key as written
    lines: dict[str, int]  # folded key -> line of its entry (0 where unknown)
    entries: dict[str, Any] = field(default_factory=dict)  # folded key -> CSL-JSON or Entry

    def __contains__(self, key: str) -> bool:
        return key.lower() in self.written

    def item(self, key: str) -> dict[str, Any] | None:
        """The entry of `key` as a CSL-JSON item, for the processor; None for no such key."""
        entry = self.entries.get(key.lower())
        if entry is None or isinstance(entry, dict):
            return entry
        from studykit.notes.bibtex_csl import csl_item

        item = csl_item(entry)
        if not gc.isenabled():
            # pylatexenc's parse trees hold reference cycles, 40 KB a field, and the commands
            # that build many notes pause the cycle collector: a deck citing 2,000 works kept
            # 230 MB of them. Freed here, from the youngest objects only, so each is scanned once.
            gc.collect(0)
        return item

    @functools.cached_property
    def items(self) -> tuple[dict[str, Any], ...]:
        """Every entry as a CSL-JSON item, in the file's order."""
        return tuple(item for key in self.entries if (item := self.item(key)) is not None)


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


_LONG_NUMBER = re.compile(r"(?<!\d)\d{4000,}")  # from a run's start: linear


def _csl_json(path: Path, text: str) -> Bibliography:
    places = _id_lines(text)
    if len(places) > MAX_ENTRIES:
        raise StudykitError(
            f"the bibliography has over {MAX_ENTRIES:,} entries: export the works this reading "
            "cites, or one collection of your library",
            path,
            places[MAX_ENTRIES],
            1,
        )
    if text.count("{") + text.count("[") > _MAX_CONTAINERS:
        raise StudykitError(
            f"the bibliography holds over {_MAX_CONTAINERS:,} JSON objects and lists, more "
            f"than {MAX_ENTRIES:,} entries need: is it CSL-JSON from a reference manager?",
            path,
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StudykitError(f"not valid JSON: {exc.msg}", path, exc.lineno, exc.colno) from None
    except RecursionError:
        raise StudykitError("not CSL-JSON: nested too deeply", path, 1, 1) from None
    except ValueError:
        # Python refuses to read an integer of over 4,300 digits (a guard against time spent
        # converting it); no bibliography holds one.
        long = _LONG_NUMBER.search(text)
        at = long.start() if long else 0
        line, col = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
        raise StudykitError(
            "a number of thousands of digits, which no work's data holds", path, line, col
        ) from None
    if not isinstance(data, list):
        raise StudykitError("CSL-JSON is a list of entries, [ {...}, ... ]", path, 1, 1)
    written: dict[str, str] = {}
    lines: dict[str, int] = {}
    entries: dict[str, Any] = {}
    for number, entry in enumerate(data, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str | int):
            raise StudykitError(f'entry {number} has no "id": each entry needs one', path)
        key = str(entry["id"])
        line = places[number - 1] if len(places) == len(data) else 0
        if not isinstance(entry.get("type"), str):
            raise StudykitError(f'entry {key!r} has no "type" (book, article, ...)', path, line, 1)
        if key.lower() in written:
            raise StudykitError(
                f"the key {key!r} is given twice (first at line {lines[key.lower()]})",
                path,
                line,
                1,
            )
        fault = _wrong_value(entry) or _long_cluster(entry)
        if fault:
            raise StudykitError(f"{key}: {fault}", path, line, 1)
        written[key.lower()] = key
        lines[key.lower()] = line
        entries[key.lower()] = entry
    return Bibliography(path, written, lines, entries)


def _long_cluster(entry: dict[str, Any]) -> str | None:
    """A character of too many code points in any of the entry's strings, said as in notes: the
    PDF handout sets the works cited, and typst panicked on one of over 65,535 bytes."""
    from studykit.notes.nesting import cluster_message, long_cluster

    pending: list[Any] = [entry]  # a stack: names are lists of objects
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, str) and (at := long_cluster(value)) is not None:
            return cluster_message(value, at)
    return None


# The variables the CSL processor reads as names and as dates (CSL 1.0.2); every other one as
# text. A value of another JSON type broke every command but `check`, naming no entry.
_NAME_VARIABLES = frozenset(
    """author chair collection-editor compiler composer container-author contributor curator
    director editor editorial-director executive-producer guest host illustrator interviewer
    narrator organizer original-author performer producer recipient reviewed-author
    script-writer series-creator translator""".split()
)
_DATE_VARIABLES = frozenset(
    "accessed available-date container event-date issued original-date submitted".split()
)
_NAME_PARTS = ("family", "given", "literal", "suffix", "dropping-particle", "non-dropping-particle")
_NAMES_HINT = '[{"family": "Smith", "given": "John"}]'
_DATE_HINT = '{"date-parts": [[2010, 5, 1]]}'


def _wrong_value(entry: dict[str, Any]) -> str:
    """What is wrong with the first value of an entry of a type the processor cannot read."""
    for name, value in entry.items():
        if name in ("id", "type", "language"):  # checked above; the processor keeps a language
            continue
        if name in _NAME_VARIABLES:
            fault = _wrong_names(name, value)
        elif name in _DATE_VARIABLES:
            fault = _wrong_date(name, value)
        elif not isinstance(value, str | int | float) or isinstance(value, bool):
            fault = f'"{name}" must be text, not {_kind(value)}'
        elif name in NUMBER_VARIABLES and longest_number(str(value)) > MAX_DIGITS:
            fault = too_long_number(f'"{name}"', longest_number(str(value)))
        else:
            continue
        if fault:
            return fault
    return ""


def _wrong_names(name: str, value: Any) -> str:
    if not isinstance(value, list) or not all(isinstance(one, dict) for one in value):
        shown = (
            _kind(value)
            if not isinstance(value, list)
            else "a list of "
            + ", ".join(sorted({_kind(one) for one in value if not isinstance(one, dict)}))
        )
        return f'"{name}" must be a list of names, {_NAMES_HINT}, not {shown}'
    for number, one in enumerate(value, 1):
        for part in _NAME_PARTS:
            if part in one and not isinstance(one[part], str):
                shown = _kind(one[part])
                return f'"{name}": name {number} has a "{part}" that is {shown}: write it as text'
    return ""


def _wrong_date(name: str, value: Any) -> str:
    if not isinstance(value, dict):
        return f'"{name}" must be a date, {_DATE_HINT}, not {_kind(value)}'
    if "literal" in value and not isinstance(value["literal"], str):
        return f'"{name}": its "literal" must be text, not {_kind(value["literal"])}'
    parts = value.get("date-parts")
    if parts is None:
        if "literal" in value:
            return ""
        return f'"{name}" must give "date-parts", {_DATE_HINT}, or a "literal" text'
    if not isinstance(parts, list) or not parts or len(parts) > 2:
        return f'"{name}" must give "date-parts" as one date or two (a range), {_DATE_HINT}'
    for date in parts:
        if not isinstance(date, list) or not 1 <= len(date) <= 3:
            shown = _kind(date)
            if isinstance(date, list):
                shown = f"a list of {len(date)}" if date else "an empty list"
            return (
                f'"{name}" must give each date of its "date-parts" as a year, month and day, '
                f"{_DATE_HINT}, not {shown}"
            )
        for part in date:
            if isinstance(part, bool) or not (
                isinstance(part, int) or (isinstance(part, str) and part.strip().isdigit())
            ):
                return (
                    f'"{name}" must give its "date-parts" as numbers, {_DATE_HINT}: '
                    f"{json.dumps(part, ensure_ascii=False)[:40]} is not one"
                )
            digits = len(str(part).strip().lstrip("-"))
            if digits > MAX_DIGITS:
                return too_long_number(f'"{name}"', digits)
    return ""


def _kind(value: Any) -> str:
    """A JSON value's type as the file writes it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, str):
        return "text"
    if isinstance(value, int | float):
        return "a number"
    return "a list" if isinstance(value, list) else "an object"


def _id_lines(text: str) -> list[int]:
    """The line of each `"id":` in the file, the lines of entries: counted on from the last
    one found, so a file is read once whatever its number of entries."""
    places, line, counted = [], 1, 0
    for match in re.finditer(r'"id"\s*:', text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        places.append(line)
    return places


# -- BibTeX -------------------------------------------------------------------------------------


def _bibtex(path: Path, text: str) -> Bibliography:
    from studykit.notes.bibtex import read_bibtex

    entries = read_bibtex(path, text)
    return Bibliography(
        path,
        {e.key.lower(): e.key for e in entries},
        {e.key.lower(): e.line for e in entries},
        {e.key.lower(): e for e in entries},
    )
