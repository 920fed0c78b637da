"""A reading's bibliography file: BibTeX (`.bib`) or CSL-JSON (`.json`), as Zotero, BibDesk and
other reference managers export it.

Reading one here only finds its entry keys and where each stands, so that `check` can name an
unknown key or an uncited entry without loading a CSL processor. The processor (`studykit.csl`)
reads the same file again when citations are formatted. A file that does not parse is one
located error: BibTeX is scanned for the mistakes that make entries vanish silently (a brace
never closed, text between fields, an entry without a key, a key given twice), because the
processor's own reader drops them without a word or fails with no line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from studykit.errors import StudykitError

MAX_BYTES = 20 * 1024 * 1024  # a library of tens of thousands of entries; more is a mistake


@dataclass(frozen=True)
class Bibliography:
    """The entries of a bibliography file: each key (folded to lower case, as BibTeX and the
    CSL processor compare them) with the key as written and the line its entry starts on."""

    path: Path
    written: dict[str, str]  # folded key -> the key as written
    lines: dict[str, int]  # folded key -> line of its entry (0 where unknown)

    def __contains__(self, key: str) -> bool:
        return key.lower() in self.written


def read_bibliography(path: Path) -> Bibliography:
    """The keys of a .bib or CSL-JSON file, or StudykitError naming the file and line."""
    try:
        if path.stat().st_size > MAX_BYTES:
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
    if path.suffix.lower() == ".json":
        return _csl_json(path, text)
    if path.suffix.lower() == ".bib":
        return _bibtex(path, text)
    raise StudykitError(
        "a bibliography is a BibTeX file (.bib) or CSL-JSON (.json): export one from your "
        "reference manager",
        path,
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
    return Bibliography(path, written, lines)


# -- BibTeX -------------------------------------------------------------------------------------

_ENTRY = re.compile(r"@\s*([A-Za-z]+)\s*([{(])")
_KEY = re.compile(r"\s*([^\s,{}()=\"#%'~\\]+)\s*,")
_FIELD = re.compile(r"\s*([A-Za-z][\w:.+/-]*)\s*=\s*")
_NUMBER = re.compile(r"\d+")
_WORD = re.compile(r"[A-Za-z][\w:.+/-]*")
_STRAY = re.compile(r"(?m)^[ \t]*([A-Za-z][\w-]*[ \t]*=[ \t]*[{\"\d])")
_NOT_ENTRIES = {"comment", "preamble", "string"}


class _Scanner:
    """Walks a BibTeX file entry by entry, raising at the first place that breaks an entry."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.text = text
        self.at = 0
        self.entry_at = 0  # where the entry being read starts

    def fail(self, message: str, at: int | None = None) -> StudykitError:
        at = self.at if at is None else at
        line = self.text.count("\n", 0, at) + 1
        col = at - (self.text.rfind("\n", 0, at) + 1) + 1
        return StudykitError(message, self.path, line, col)

    def line(self, at: int) -> int:
        return self.text.count("\n", 0, at) + 1

    def skip_space(self) -> None:
        while self.at < len(self.text) and self.text[self.at].isspace():
            self.at += 1

    def braced(self, opener: int) -> int:
        """The end of the `{...}` starting at `opener`, braces nested."""
        depth = 0
        at = opener
        text = self.text
        while at < len(text):
            char = text[at]
            if char == "\\":
                at += 2
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0:
                    return at + 1
            at += 1
        raise self.fail("this `{` is never closed", opener)

    def quoted(self, opener: int) -> int:
        at = opener + 1
        text = self.text
        while at < len(text):
            char = text[at]
            if char == "{":
                at = self.braced(at)
                continue
            if char == '"':
                return at + 1
            at += 1
        raise self.fail('this `"` is never closed', opener)

    def value(self) -> None:
        """A field's value: pieces joined by `#`."""
        while True:
            self.skip_space()
            char = self.text[self.at : self.at + 1]
            if char == "{":
                start, self.at = self.at, self.braced(self.at)
                if _STRAY.search(self.text, start + 1, self.at):
                    # A field inside a value: its `{` took in the fields after it.
                    raise self.fail("this `{` is not closed before the next field", start)
            elif char == '"':
                self.at = self.quoted(self.at)
            elif match := (_NUMBER.match(self.text, self.at) or _WORD.match(self.text, self.at)):
                self.at = match.end()
            else:
                raise self.fail('expected a value: {...}, "..." or a number')
            self.skip_space()
            if self.text.startswith("#", self.at):
                self.at += 1
                continue
            return

    def entry(self, closer: str) -> None:
        """The fields of an entry, after its key, up to its closing brace."""
        while True:
            self.skip_space()
            if self.text.startswith(closer, self.at):
                self.at += 1
                return
            field = _FIELD.match(self.text, self.at)
            if field is None:
                if self.at >= len(self.text):
                    raise self.fail(
                        "the file ends inside this entry: a `}` is missing", self.entry_at
                    )
                raise self.fail(
                    "expected a field like `title = {...}` here: a `,` or a `}` may be "
                    "missing or stray"
                )
            self.at = field.end()
            self.value()
            if self.text.startswith(",", self.at):
                self.at += 1
            elif self.at >= len(self.text):
                raise self.fail("the file ends inside this entry: a `}` is missing", self.entry_at)
            elif not self.text.startswith(closer, self.at):
                raise self.fail("expected `,` between fields or the `}` that ends the entry")


def _bibtex(path: Path, text: str) -> Bibliography:
    scanner = _Scanner(path, text)
    written: dict[str, str] = {}
    lines: dict[str, int] = {}
    while True:
        found = _ENTRY.search(text, scanner.at)
        # Text between entries is a comment to BibTeX; a field there was meant for the entry
        # above, closed too early by a stray `}`.
        stray = _STRAY.search(text, scanner.at, found.start() if found else len(text))
        if stray is not None:
            raise scanner.fail(
                "this field is outside any entry: a `}` before it closes the entry too early",
                stray.start(1),
            )
        if found is None:
            break
        kind, opener = found.group(1).lower(), found.group(2)
        closer = "}" if opener == "{" else ")"
        start = found.start()
        if kind in _NOT_ENTRIES:
            scanner.at = scanner.braced(found.end() - 1) if opener == "{" else found.end()
            continue
        key = _KEY.match(text, found.end())
        if key is None:
            raise scanner.fail(
                f"this @{found.group(1)} entry has no key: write @book{{key, ...", start
            )
        folded = key.group(1).lower()
        if folded in written:
            raise scanner.fail(
                f"the key {key.group(1)!r} is given twice (first at line {lines[folded]})",
                key.start(1),
            )
        written[folded] = key.group(1)
        lines[folded] = scanner.line(start)
        scanner.at, scanner.entry_at = key.end(), start
        scanner.entry(closer)
    return Bibliography(path, written, lines)
