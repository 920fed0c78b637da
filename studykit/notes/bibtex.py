"""BibTeX (and the biblatex fields Zotero and BibDesk export) read into CSL-JSON items.

studykit reads .bib files itself rather than through citeproc-py's reader, which fails on
valid files (a `note` with `\\emph{}`, an `@string` macro, biblatex's `date`) with errors that
name no line, and drops text it cannot place without a word. Here the file is scanned once,
entry by entry, and the first place that breaks an entry is one located error: a brace never
closed, a field outside any entry (a `}` too early), text between fields, an entry without a
key, a key given twice. Values are LaTeX: accents, `\\&`, `--` and the like are made text by
pylatexenc, the converter the terminal uses for math.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studykit.errors import StudykitError
from studykit.notes.bibliography import MAX_DIGITS, MAX_ENTRIES, longest_number, too_long_number

_ENTRY = re.compile(r"@\s*([A-Za-z]+)\s*([{(])")
_KEY = re.compile(r"\s*([^\s,{}()=\"#%'~\\]+)\s*,")
_FIELD = re.compile(r"\s*([A-Za-z][\w:.+/-]*)\s*=\s*")
_NUMBER = re.compile(r"\d+")
_WORD = re.compile(r"[A-Za-z][\w:.+/-]*")
# A line that reads `name = {`, `name = "` or `name = 1`: a field, wherever it stands.
_STRAY = re.compile(r"(?m)^[ \t]*([A-Za-z][\w-]*[ \t]*=[ \t]*[{\"\d])")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@dataclass(frozen=True)
class Entry:
    key: str  # as written
    kind: str  # the entry type, lower case: book, article, ...
    line: int
    fields: dict[str, str] = field(default_factory=dict)  # lower-case name -> value as LaTeX


def read_bibtex(path: Path, text: str) -> list[Entry]:
    """The entries of a BibTeX file, or StudykitError at the first place that breaks one."""
    scanner = _Scanner(path, text)
    entries: list[Entry] = []
    first: dict[str, int] = {}
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
            return entries
        kind, opener = found.group(1).lower(), found.group(2)
        closer = "}" if opener == "{" else ")"
        start = found.start()
        scanner.entry_at = start
        if kind in ("comment", "preamble"):
            scanner.at = scanner.braced(found.end() - 1) if opener == "{" else found.end()
            continue
        if len(entries) + len(scanner.macros) - len(_MONTHS) >= MAX_ENTRIES:
            raise scanner.fail(
                f"the bibliography has over {MAX_ENTRIES:,} entries and @string names: "
                "export the works this reading cites, or one collection of your library",
                start,
            )
        if kind == "string":
            scanner.at = found.end()
            scanner.macros.update(scanner.fields(closer))
            continue
        key = _KEY.match(text, found.end())
        if key is None:
            unwritable = _unwritable_key(text, found.end())
            if unwritable is not None:
                raise scanner.fail(*unwritable)
            raise scanner.fail(
                f"this @{found.group(1)} entry has no key: write @book{{key, ...", start
            )
        folded = key.group(1).lower()
        if folded in first:
            raise scanner.fail(
                f"the key {key.group(1)!r} is given twice (first at line {first[folded]})",
                key.start(1),
            )
        line = scanner.line(start)
        first[folded] = line
        scanner.at = key.end()
        # Only the fields made into the CSL item are kept: a library's others (abstracts aside,
        # `file`, `keywords`, ...) are most of its size.
        fields = {n: v for n, v in scanner.fields(closer).items() if n in _READ}
        for name in _NUMBERS.intersection(fields):
            digits = longest_number(fields[name])
            if digits > MAX_DIGITS:
                message = too_long_number(f"the {name} field", digits)
                raise scanner.fail(f"{key.group(1)}: {message}", start)
        for name, value in fields.items():
            if (cluster := _long_cluster(value)) is not None:
                raise scanner.fail(f"{key.group(1)}: the {name} field: {cluster}", start)
        entries.append(Entry(key.group(1), kind, line, fields))


def _long_cluster(value: str) -> str | None:
    """A character of too many code points in a field, as the handouts will show it: typst
    panicked on 40,000 `\\'` accents over one letter. Its accents as LaTeX are converted only
    where a field has many backslashes (converting every field of a large library is slow);
    fewer than MAX_CLUSTER // 4 of them lengthen a cluster by as many code points at most, far
    from what typst cannot set."""
    from studykit.notes.nesting import MAX_CLUSTER, cluster_message, long_cluster

    text = latex_text(value) if value.count("\\") >= MAX_CLUSTER // 4 else value
    at = long_cluster(text)
    return None if at is None else cluster_message(text, at)


# What starts a field: `title = {`, `year = 2001`, `month = jan` (spaced), not a key `a=b`.
_FIELD_START = re.compile(r"[A-Za-z][\w:.+/-]*(?:\s*=\s*[{\"\d]|\s+=|=\s)")
_NOT_IN_KEY = re.compile(r"[\s{}()=\"#%'~\\]")


def _unwritable_key(text: str, at: int) -> tuple[str, int] | None:
    """Why the text before the first comma of an entry is no key, and where: a character
    BibTeX keys cannot hold; None if there is no such text (a field stands first)."""
    start = at
    while start < len(text) and text[start].isspace():
        start += 1
    line_end = text.find("\n", start)
    comma = text.find(",", start, line_end if line_end >= 0 else len(text))
    written = text[start:comma].rstrip() if comma >= 0 else ""
    if not written or _FIELD_START.match(written):
        return None
    bad = _NOT_IN_KEY.search(written)
    if bad is None:
        return None
    char = bad.group()
    said = {" ": "a space", "\t": "a tab"}.get(char, _quoted(char))
    message = (
        f"the key {_quoted(written)} holds {said}, which BibTeX keys cannot: rename it, here "
        "and where the notes cite it"
    )
    return message, start + bad.start()


def _quoted(text: str) -> str:
    return f"'{text}'" if "'" not in text else f'"{text}"' if '"' not in text else repr(text)


_MAX_VALUE = 100_000  # characters in one field, macros spelled out: a long abstract is 5,000
_EXPANSION = 4  # what all values may spell out, per character of the file


class _Scanner:
    """Walks a BibTeX file, raising at the first place that breaks an entry."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.text = text
        self.at = 0
        self.entry_at = 0  # where the entry being read starts
        self.macros: dict[str, str] = {m: str(n) for n, m in enumerate(_MONTHS, 1)}
        self._lines = (0, 1)  # an offset and its line: lines are counted on from the last
        # `@string` macros may use each other: 40 lines doubling one make a terabyte of text.
        # What the values may spell out in all is bounded by the file's own size.
        self.budget = _EXPANSION * len(text) + _MAX_VALUE

    def line(self, at: int) -> int:
        counted, line = self._lines
        if at < counted:
            counted, line = 0, 1
        line += self.text.count("\n", counted, at)
        self._lines = (at, line)
        return line

    def fail(self, message: str, at: int | None = None) -> StudykitError:
        at = self.at if at is None else at
        col = at - (self.text.rfind("\n", 0, at) + 1) + 1
        return StudykitError(message, self.path, self.line(at), col)

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

    def value(self) -> str:
        """A field's value: pieces joined by `#`, macros replaced by their text."""
        pieces: list[str] = []
        length = 0  # counted as pieces come, not summed again over all of them at each `#`
        while True:
            self.skip_space()
            char = self.text[self.at : self.at + 1]
            start = self.at
            if char == "{":
                self.at = self.braced(start)
                if _STRAY.search(self.text, start + 1, self.at):
                    # A field inside a value: its `{` took in the fields after it.
                    raise self.fail("this `{` is not closed before the next field", start)
                pieces.append(self.text[start + 1 : self.at - 1])
            elif char == '"':
                self.at = self.quoted(start)
                pieces.append(self.text[start + 1 : self.at - 1])
            elif match := _NUMBER.match(self.text, start):
                self.at = match.end()
                pieces.append(match.group())
            elif match := _WORD.match(self.text, start):
                self.at = match.end()
                name = match.group().lower()
                if name not in self.macros:
                    raise self.fail(f"unknown @string name {match.group()!r}", start)
                pieces.append(self.macros[name])
            else:
                raise self.fail('expected a value: {...}, "..." or a number')
            length += len(pieces[-1])
            if length > _MAX_VALUE or length > self.budget:
                raise self.fail(
                    f"this value spells out {length:,} characters or more (an @string that "
                    "repeats another?); no reference needs that much",
                    self.entry_at,
                )
            self.skip_space()
            if self.text.startswith("#", self.at):
                self.at += 1
                continue
            self.budget -= length
            return "".join(pieces)

    def fields(self, closer: str) -> dict[str, str]:
        """The fields of an entry, after its key, up to its closing brace."""
        found: dict[str, str] = {}
        while True:
            self.skip_space()
            if self.text.startswith(closer, self.at):
                self.at += 1
                return found
            name = _FIELD.match(self.text, self.at)
            if name is None:
                if self.at >= len(self.text):
                    raise self.fail(
                        "the file ends inside this entry: a `}` is missing", self.entry_at
                    )
                raise self.fail(
                    "expected a field like `title = {...}` here: a `,` or a `}` may be "
                    "missing or stray"
                )
            self.at = name.end()
            found[name.group(1).lower()] = self.value()
            if self.text.startswith(",", self.at):
                self.at += 1
            elif self.at >= len(self.text):
                raise self.fail("the file ends inside this entry: a `}` is missing", self.entry_at)
            elif not self.text.startswith(closer, self.at):
                raise self.fail("expected `,` between fields or the `}` that ends the entry")


# -- into CSL-JSON ------------------------------------------------------------------------------

_TYPES = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "booklet": "pamphlet",
    "collection": "book",
    "proceedings": "book",
    "manual": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "unpublished": "manuscript",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "misc": "document",
}
# BibTeX and biblatex field -> CSL variable, for text fields.
_TEXT = {
    "title": "title",
    "shorttitle": "title-short",
    "journal": "container-title",
    "journaltitle": "container-title",
    "booktitle": "container-title",
    "series": "collection-title",
    "publisher": "publisher",
    "school": "publisher",
    "institution": "publisher",
    "organization": "publisher",
    "address": "publisher-place",
    "location": "publisher-place",
    "edition": "edition",
    "volume": "volume",
    "pages": "page",
    "chapter": "chapter-number",
    "note": "note",
    "doi": "DOI",
    "url": "URL",
    "isbn": "ISBN",
    "issn": "ISSN",
    "urldate": "accessed",
    "abstract": "abstract",
}
# biblatex's `langid` (and `language`) name a babel language; CSL wants a language code, by
# which a style leaves a title that is not English as written instead of title-casing it.
_LANGUAGES = {
    "english": "en",
    "american": "en-US",
    "USenglish": "en-US",
    "british": "en-GB",
    "UKenglish": "en-GB",
    "australian": "en-AU",
    "canadian": "en-CA",
    "french": "fr",
    "francais": "fr",
    "acadian": "fr-CA",
    "canadien": "fr-CA",
    "german": "de",
    "ngerman": "de",
    "austrian": "de-AT",
    "naustrian": "de-AT",
    "swissgerman": "de-CH",
    "nswissgerman": "de-CH",
    "spanish": "es",
    "catalan": "ca",
    "italian": "it",
    "portuguese": "pt",
    "portuges": "pt",
    "brazil": "pt-BR",
    "brazilian": "pt-BR",
    "dutch": "nl",
    "danish": "da",
    "norwegian": "nb",
    "norsk": "nb",
    "nynorsk": "nn",
    "swedish": "sv",
    "finnish": "fi",
    "icelandic": "is",
    "polish": "pl",
    "czech": "cs",
    "slovak": "sk",
    "slovene": "sl",
    "croatian": "hr",
    "serbian": "sr",
    "bulgarian": "bg",
    "russian": "ru",
    "ukrainian": "uk",
    "hungarian": "hu",
    "magyar": "hu",
    "romanian": "ro",
    "greek": "el",
    "latin": "la",
    "turkish": "tr",
    "hebrew": "he",
    "arabic": "ar",
    "japanese": "ja",
    "chinese": "zh",
    "korean": "ko",
    "estonian": "et",
    "latvian": "lv",
    "lithuanian": "lt",
    "irish": "ga",
    "welsh": "cy",
}
# The fields `csl_item` reads.
_READ = frozenset(
    {*_TEXT, "number", "langid", "language", "type", "author", "editor", "translator"}
    | {"date", "year", "month"}
)
# The fields made into a date or a number the CSL processor reads as an integer.
_NUMBERS = frozenset(
    {"year", "month", "date", "urldate", "pages", "volume", "number", "edition", "chapter"}
)
_LITERAL = {"doi", "url", "isbn", "issn"}  # not LaTeX: `_` and `%` are themselves
# Titles, where a style may change the case of words: a `{...}` group keeps its case, as in
# BibTeX (CSL-JSON marks it with a nocase span, which citeproc-py reads).
_TITLES = {"title", "shorttitle", "journal", "journaltitle", "booktitle", "series"}
_NOCASE = ('<span class="nocase">', "</span>")
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


def csl_item(entry: Entry) -> dict[str, Any]:
    """The entry as a CSL-JSON item."""
    fields = entry.fields
    kind = _TYPES.get(entry.kind, "document")
    if kind == "thesis" and entry.kind == "phdthesis":
        fields = {"type": "PhD diss.", **fields}
    item: dict[str, Any] = {"id": entry.key, "type": kind}
    for name, value in fields.items():
        variable = _TEXT.get(name)
        if variable is None or variable in item or not value.strip():
            continue
        if name in _LITERAL:
            item[variable] = value.strip()
        elif name in _TITLES:
            item[variable] = title_text(value)
        else:
            item[variable] = latex_text(value)
    if fields.get("pages", "").strip():  # `1228--52`: a hyphen, which styles shorten or expand
        item["page"] = re.sub(r"\s*(?:-+|–|—)\s*", "-", latex_text(fields["pages"]))
    if "number" in fields:
        # A report's own number; otherwise an issue, which styles print as a book's number in
        # its series too ("Report, no. 27"), where citeproc-py leaves `collection-number` bare.
        if kind == "report":
            item["number"] = latex_text(fields["number"])
        elif kind != "article-journal" and fields.get("series", "").strip():
            item["collection-number"] = latex_text(fields["number"])
        else:
            item["issue"] = latex_text(fields["number"])
    language = fields.get("langid", "").strip() or fields.get("language", "").strip()
    if language:
        language = latex_text(language)
        item["language"] = _LANGUAGES.get(language, _LANGUAGES.get(language.lower(), language))
    if kind == "thesis" and "type" in fields:
        item["genre"] = latex_text(fields["type"])
    for role in ("author", "editor", "translator"):
        if fields.get(role, "").strip():
            item[role] = names(fields[role])
    issued = _issued(fields)
    if issued is not None:
        item["issued"] = issued
    if "accessed" in item:
        item["accessed"] = _issued({"date": item["accessed"]}) or {"literal": item["accessed"]}
    return item


def _issued(fields: dict[str, str]) -> dict[str, Any] | None:
    """`date = {2020-05-01}` (biblatex) or `year` and `month` (BibTeX) as a CSL date."""
    date = fields.get("date", "").strip()
    if date and (match := _DATE.match(date)):
        parts = [int(p) for p in match.groups() if p]
        return {"date-parts": [parts]}
    year = latex_text(fields.get("year", ""))
    if not year:
        return None
    if not year.isdigit():
        return {"literal": year}  # "forthcoming", "1958-62"
    parts = [int(year)]
    month = fields.get("month", "").strip().lower()[:3]
    if month.isdigit() and 1 <= int(month) <= 12:
        parts.append(int(month))
    elif month in _MONTHS:
        parts.append(_MONTHS.index(month) + 1)
    return {"date-parts": [parts]}


def names(value: str) -> list[dict[str, str]]:
    """`Dik{\\"o}tter, Frank and Justin Yifu Lin and {World Bank}` as CSL names."""
    return [_name(part) for part in _split_and(value) if part.strip()]


def _split_and(value: str) -> list[str]:
    """The names of a list, split at ` and ` outside braces."""
    parts, depth, start = [], 0, 0
    lower = value.lower()
    at = 0
    while at < len(value):
        char = value[at]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and lower.startswith(" and ", at):
            parts.append(value[start:at])
            at += 5
            start = at
            continue
        at += 1
    parts.append(value[start:])
    return parts


def _name(written: str) -> dict[str, str]:
    written = " ".join(written.split())
    if written.startswith("{") and written.endswith("}") and _balanced(written[1:-1]):
        return {"literal": latex_text(written[1:-1])}  # {World Bank}: an institution
    if "," in written:
        family, *rest = (part.strip() for part in written.split(","))
        given = rest[-1] if rest else ""
        suffix = rest[0] if len(rest) == 2 else ""
        found = {"family": latex_text(family), "given": latex_text(given)}
        if suffix:
            found["suffix"] = latex_text(suffix)
        return found
    words = written.split(" ")
    if len(words) == 1:
        return {"family": latex_text(words[0])}
    # "Anne van der Berg": the family name starts at the first lower-case word (a particle).
    cut = next((n for n, w in enumerate(words[:-1]) if n and w[:1].islower()), len(words) - 1)
    return {"family": latex_text(" ".join(words[cut:])), "given": latex_text(" ".join(words[:cut]))}


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


_PLAIN = re.compile(r"[\\{}$~%`'-]")
# TeX quotes, not where a backslash makes them an accent command (`\\`e`, `\\'{e}`).
_TEX_QUOTES = (
    (re.compile(r"(?<!\\)``"), "“"),
    (re.compile(r"(?<!\\)''"), "”"),
    (re.compile(r"(?<!\\)`"), "‘"),
)
_COMMAND = re.compile(r"\\(?:[A-Za-z]+|.)\s*")


def title_text(value: str) -> str:
    """A title as text, each top-level `{...}` group marked to keep its case."""
    if "{" not in value:
        return latex_text(value)
    pieces: list[str] = []
    plain_from, at = 0, 0
    while at < len(value):
        char = value[at]
        if char == "\\":
            # A command and its braced arguments stay with the plain text around them.
            command = _COMMAND.match(value, at)
            at = command.end() if command else at + 1
            while at < len(value) and value[at] == "{":
                at = _group_end(value, at)
            continue
        if char == "{" and value.startswith("\\", at + 1):
            at = _group_end(value, at)  # `{\"U}`: a special character, not a protected word
            continue
        if char == "{":
            end = stop = _group_end(value, at)
            # The rest of the word goes into the span too, with the word's next groups:
            # citeproc-py puts a space between a span and text or a span joined to it
            # ("{Da jihuang}:" printed "Da jihuang :", "{Long}-{Run}" "Long- Run").
            kept = value[at + 1 : end - 1]
            while stop < len(value) and not value[stop].isspace() and value[stop] != "\\":
                if value[stop] == "{":
                    if value.startswith("\\", stop + 1):
                        break  # `{\"U}`: a special character, left to the plain text
                    group = _group_end(value, stop)
                    kept += value[stop + 1 : group - 1]
                    stop = group
                else:
                    kept += value[stop]
                    stop += 1
            pieces.append(_spaced(value[plain_from:at]))
            pieces.append(f"{_NOCASE[0]}{_spaced(kept)}{_NOCASE[1]}")
            plain_from = at = stop
            continue
        at += 1
    pieces.append(_spaced(value[plain_from:]))
    return " ".join("".join(pieces).split())


def _group_end(value: str, at: int) -> int:
    depth = 0
    while at < len(value):
        depth += {"{": 1, "}": -1}.get(value[at], 0)
        at += 1
        if depth == 0:
            return at
    return at


def _spaced(value: str) -> str:
    """`latex_text`, keeping a space at either end (pieces of a title are joined)."""
    text = latex_text(value)
    if not text:
        return " " if value[:1].isspace() or value[-1:].isspace() else ""
    lead = " " if value[:1].isspace() else ""
    tail = " " if value[-1:].isspace() else ""
    return f"{lead}{text}{tail}"


def latex_text(value: str) -> str:
    """A BibTeX value as text: accents and symbols converted, braces and markup dropped."""
    value = " ".join(value.split())
    if not _PLAIN.search(value):
        return value
    from pylatexenc.latex2text import LatexNodes2Text

    for tex, quote in _TEX_QUOTES:
        value = tex.sub(quote, value)
    try:
        text = LatexNodes2Text(math_mode="verbatim").latex_to_text(value)
    except Exception:  # pylatexenc is tolerant; a value it still refuses is kept as written
        text = value.replace("{", "").replace("}", "")
    # `\\H{o}` and `\\c{s}` come out as a letter and a combining mark: one character, as typed.
    return unicodedata.normalize("NFC", " ".join(text.replace("\xa0", " ").split()))
