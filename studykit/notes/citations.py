"""Citations in notes text, written as pandoc writes them, and the problems `check` finds in them.

- `[@dikotter2010]`, `[@yang2012, p. 430]`, `[see @a; @b, chap. 3]`: a parenthetical citation,
  one or more items separated by `;`, each with an optional prefix, locator and suffix.
  `[-@a]` leaves the author out, for "Dikötter [-@dikotter2010] argues".
- `@lin1992 argues`, `@lin1992 [p. 33] argues`: a narrative citation, "Lin (1992) argues".

Not citations: an e-mail address (`@` after a letter or digit), `\\@`, `@` in a code span, in
math, in a URL or a link's address, and `[@...](link)` or `[@...][ref]` (a link's text).
A bare `@word` is a citation only in a reading that has a bibliography: elsewhere it is text
(a handle, "@home"); a bracketed `[@key]` without a bibliography is an error saying to add one.
Keys compare without regard to case, as BibTeX and the CSL processor compare them.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher, get_close_matches
from pathlib import Path
from typing import NamedTuple

from studykit.errors import Problem
from studykit.notes.cloze import Cloze, Deletion
from studykit.notes.formulas import MATH
from studykit.notes.model import Reading

# A key starts with a letter, digit or `_`; inside, pandoc also allows `:.#$%&-+?<>~/`, which
# may not end it ("@lin1992." ends the sentence, not the key).
_KEY = r"[\w](?:[\w:.#$%&+?~/-]*[\w])?"
_BRACKETED = re.compile(r"\[([^\[\]\n]*?@[^\[\]]*?)\](?![(\[])")
_ITEM = re.compile(rf"^(?P<prefix>.*?)(?P<minus>-?)@(?P<key>{_KEY})(?P<suffix>.*)$", re.DOTALL)
_NARRATIVE = re.compile(rf"(?<![\w@\\\[])@(?P<key>{_KEY})(?:\s?\[(?P<locator>[^\[\]@]*)\])?")
# Spans where `@` is never a citation: code, autolinks and URLs, link and image addresses.
_PROTECTED = re.compile(
    r"(`+).+?\1"
    r"|<[^<>\s]*>"
    r"|\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s<>]*"
    r"|\]\([^()]*\)"
    r"|\bmailto:[^\s]*",
    re.DOTALL,
)
# Locator labels as students write them, and the CSL term each stands for.
_LABELS = {
    "p": "page",
    "pp": "page",
    "page": "page",
    "pages": "page",
    "chap": "chapter",
    "ch": "chapter",
    "chapter": "chapter",
    "chapters": "chapter",
    "sec": "section",
    "section": "section",
    "§": "section",
    "vol": "volume",
    "volume": "volume",
    "fig": "figure",
    "figure": "figure",
    "n": "note",
    "note": "note",
    "para": "paragraph",
    "paragraph": "paragraph",
    "l": "line",
    "line": "line",
    "bk": "book",
    "book": "book",
    "pt": "part",
    "part": "part",
}
_VALUE = r"[\w–—-]*(?:\s*,\s*\d[\w–—-]*)*"  # 430, 33-35, 12, 14, iv
_LOCATOR = re.compile(
    rf"^\s*,?\s*(?:(?P<label>[A-Za-z§]+)\.?\s*(?P<labelled>\w{_VALUE})|(?P<value>\d{_VALUE}))"
    r"(?P<rest>.*)$",
    re.DOTALL,
)


@dataclass(frozen=True)
class CiteItem:
    """One work cited: its key, and what is said around it."""

    key: str  # as written
    offset: int  # where the key starts (after `@`) in the text
    prefix: str = ""
    locator: tuple[str, str] | None = None  # (CSL label, value), e.g. ("page", "430")
    suffix: str = ""
    suppress_author: bool = False


@dataclass(frozen=True)
class Citation:
    """One citation as written in a text: `[...]` or a narrative `@key`."""

    start: int
    end: int
    source: str  # the text as written, from `[` or `@` to its end
    items: tuple[CiteItem, ...]
    narrative: bool


def find_citations(text: str, narrative: bool = True) -> list[Citation]:
    """The citations of a text, in order; `narrative=False` leaves bare `@key` as text."""
    if "@" not in text:
        return []
    blocked = _Spans(_blocked(text))
    found: list[Citation] = []
    taken: list[tuple[int, int]] = []
    for match in _BRACKETED.finditer(text):
        if blocked.inside(match.start()) or _escaped(text, match.start()):
            continue
        items = _items(match.group(1), match.start(1))
        if items:
            found.append(Citation(match.start(), match.end(), match.group(), items, False))
            taken.append((match.start(), match.end()))
    if narrative:
        bracketed = _Spans(taken)
        for match in _NARRATIVE.finditer(text):
            at = match.start()
            if blocked.inside(at) or bracketed.inside(at):
                continue
            locator, suffix = _locator(match.group("locator") or "")
            item = CiteItem(match.group("key"), match.start("key"), "", locator, suffix)
            found.append(Citation(at, match.end(), match.group(), (item,), True))
    return sorted(found, key=lambda c: c.start)


def deletions_in_citations(text: str, cloze: Cloze, narrative: bool) -> dict[Deletion, str]:
    """Deletions of a point (`text` as written) that lie inside a citation or cross its edge,
    each with where it stands: "is inside the citation [@a, p. 5]", "crosses the edge of ...".

    The citation style writes a citation anew, so no card can hide a part of one: a deletion
    in its key, prefix, locator or suffix would vanish from the card, and one that crosses its
    edge would lose its `}}`. A deletion holding whole citations is fine. Citations are looked
    for in the text as written (the ones the style formats) and in the text as read, answers
    in place, where `[@{{key}}]` is one.
    """
    deletions = cloze.deletions
    read: list[str] = []
    answers: list[tuple[int, int]] = []  # each deletion's answer in the text as read
    at = 0
    for part in cloze.parts:
        shown = part if isinstance(part, str) else part.answer
        if not isinstance(part, str):
            answers.append((at, at + len(shown)))
        read.append(shown)
        at += len(shown)
    found = _misplaced(find_citations("".join(read), narrative), answers)
    written = _misplaced(find_citations(text, narrative), [(d.start, d.end) for d in deletions])
    # Where both find a deletion, the citation is named as read: as the student wrote it.
    return {deletions[i]: where for i, where in sorted({**written, **found}.items())}


def _misplaced(citations: list[Citation], spans: list[tuple[int, int]]) -> dict[int, str]:
    """The spans (by index) that overlap a citation without holding all of it. Citations do
    not overlap one another, nor do spans: each span looks at the citations from the first
    that ends after it starts, and stops at the first it does not reach."""
    ends = [citation.end for citation in citations]
    misplaced: dict[int, str] = {}
    for index, (start, end) in enumerate(spans):
        for at in range(bisect.bisect_right(ends, start), len(citations)):
            citation = citations[at]
            if citation.start >= end:
                break
            if not (start <= citation.start and citation.end <= end):
                inside = citation.start <= start and end <= citation.end
                where = "is inside" if inside else "crosses the edge of"
                misplaced[index] = f"{where} the citation {citation.source}"
                break
    return misplaced


def _blocked(text: str) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in _PROTECTED.finditer(text)]
    if "$" in text or "\\" in text:
        spans += [(m.start(), m.end()) for m in MATH.finditer(text)]
    return spans


class _Spans:
    """Parts of a text, merged where they overlap, asked whether they hold an offset in
    logarithmic time: a text with thousands of citations and code spans stays linear."""

    def __init__(self, spans: list[tuple[int, int]]):
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [start for start, _ in merged]
        self.ends = [end for _, end in merged]

    def inside(self, at: int) -> bool:
        index = bisect.bisect_right(self.starts, at) - 1
        return index >= 0 and at < self.ends[index]


def _escaped(text: str, at: int) -> bool:
    """Whether the character at `at` follows an odd number of backslashes."""
    before = at
    while before > 0 and text[before - 1] == "\\":
        before -= 1
    return (at - before) % 2 == 1


def _items(inner: str, offset: int) -> tuple[CiteItem, ...]:
    """The items of a bracketed citation; none when any part is not a citation (`[a @ b]`)."""
    items: list[CiteItem] = []
    at = 0
    for part in inner.split(";"):
        match = _ITEM.match(part)
        before = match.group("prefix") if match else ""
        if match is None or (before and not before[-1].isspace() and before[-1] != "-"):
            return ()  # an e-mail address in brackets, `[x@y]`: not a citation
        locator, suffix = _locator(match.group("suffix"))
        items.append(
            CiteItem(
                key=match.group("key"),
                offset=offset + at + match.start("key"),
                prefix=before.strip(),
                locator=locator,
                suffix=suffix,
                suppress_author=match.group("minus") == "-",
            )
        )
        at += len(part) + 1
    return tuple(items)


def _locator(suffix: str) -> tuple[tuple[str, str] | None, str]:
    """The locator a suffix begins with (`, p. 430`, `, chap. 3`, `33-35`) and what follows."""
    match = _LOCATOR.match(suffix)
    if match is None:
        return None, suffix.strip().lstrip(",").strip()
    label = match.group("label")
    if label is not None and label.lower() not in _LABELS:
        return None, suffix.strip().lstrip(",").strip()
    term = _LABELS[label.lower()] if label else "page"
    value = match.group("labelled") if label else match.group("value")
    # `45--48`, as in TeX and pandoc, or `45–48`: a range, written with the hyphen the
    # style turns into its range dash (it would print `--` as two dashes).
    value = re.sub(r"\s*(?:-{2,3}|–)\s*", "-", value.strip())
    return (term, value), match.group("rest").strip().lstrip(",").strip()


# -- the texts of a reading that may cite ----------------------------------------------------


class Cited(NamedTuple):
    """A text of the notes that may cite, with where it was written."""

    path: Path
    line: int  # the line its item (or key) starts on
    text: str


def citing_texts(reading: Reading) -> Iterator[Cited]:
    """Every text of the notes a citation stands in: reading.yaml's `source:` (the reading
    may be a work of the bibliography, `[@gregory1989, chap. 1-3]`), summaries, points and
    their notes, terms' definitions and notes, questions' answers and notes. Only texts with
    an `@`, which every citation has: most texts of a library have none."""
    if reading.source and "@" in reading.source:
        yield Cited(reading.path, 1, reading.source)
    if reading.summary and "@" in reading.summary:
        yield Cited(reading.path, 1, reading.summary)
    for section in reading.sections:
        path = section.path
        for text in (section.summary, section.excerpt):
            if text and "@" in text:
                yield Cited(path, 1, text)
        for point in section.points:
            for text in (point.text, point.annotation):
                if text and "@" in text:
                    yield Cited(path, point.line, text)
        for term in section.terms:
            for text in (term.definition, term.annotation):
                if text and "@" in text:
                    yield Cited(path, term.line, text)
        for question in section.questions:
            for text in (question.q, question.a, question.annotation):
                if text and "@" in text:
                    yield Cited(path, question.line, text)


def citation_problems(reading: Reading) -> list[Problem]:
    """Unknown keys, citations without a bibliography, an unreadable bibliography: errors."""
    from studykit.errors import StudykitError
    from studykit.notes.bibliography import read_bibliography

    year = _long_year(reading)
    if year is not None:
        return [year]
    if reading.bibliography is None:
        problems = []
        for cited in citing_texts(reading):
            if "@" not in cited.text:  # most texts: no citation to look for
                continue
            for citation in find_citations(cited.text, narrative=False):
                item = citation.items[0]
                problems.append(
                    Problem(
                        cited.path,
                        *_locate(cited, item.key),
                        f"citation [@{item.key}] but reading.yaml names no bibliography: add "
                        "`bibliography: sources.bib` (a BibTeX or CSL-JSON file beside it), "
                        "or write \\@ for a literal @",
                    )
                )
        return problems
    try:
        bibliography = read_bibliography(reading.bibliography)
    except StudykitError as exc:
        return exc.problems()
    problems = []
    close_to = _Suggestions(list(bibliography.written.values()))
    for cited in citing_texts(reading):
        for citation in find_citations(cited.text):
            for item in citation.items:
                if item.key in bibliography:
                    written = bibliography.written[item.key.lower()]
                    if written != item.key:
                        problems.append(_case_warning(cited, item.key, written))
                    continue
                close = close_to(item.key)
                hint = f"; did you mean {close}?" if close else ""
                if not close and citation.narrative:
                    hint = "; write \\@ for a literal @"
                problems.append(
                    Problem(
                        cited.path,
                        *_locate(cited, item.key),
                        f"unknown citation key {item.key!r}{hint}",
                    )
                )
    return problems


class _Suggestions:
    """The key a mistyped citation key most likely meant: searched among keys of about its
    length, once per key, and for the first MAX_SEARCHED distinct keys only. Searched for
    every unknown citation through every key, a changed key format (every citation unknown)
    cost citations x entries: 50 s for 100 citations of a 40,000-entry library."""

    MAX_SEARCHED = 20
    NEAR_LENGTH = 3  # a typo changes a key's length by a few characters at most

    def __init__(self, keys: list[str]) -> None:
        self.by_length: dict[int, list[str]] = {}
        for key in keys:
            self.by_length.setdefault(len(key), []).append(key)
        self.found: dict[str, str | None] = {}

    def __call__(self, key: str) -> str | None:
        """The likeliest key as the hint says it, `'lin1990'`; the keys equally likely, up to
        three, as `'lin1990' or 'lin1992'` (difflib alone would pick one of them)."""
        if key not in self.found:
            if len(self.found) >= self.MAX_SEARCHED:
                return None
            size, near = len(key), self.NEAR_LENGTH
            candidates = [
                k for n in range(size - near, size + near + 1) for k in self.by_length.get(n, ())
            ]
            close = get_close_matches(key, candidates, n=3, cutoff=0.6)
            likeness = {k: SequenceMatcher(None, key, k).ratio() for k in close}
            top = max(likeness.values(), default=0.0)
            best = sorted(k for k, like in likeness.items() if like == top)
            self.found[key] = " or ".join(repr(k) for k in best) if best else None
        return self.found[key]


def _long_year(reading: Reading) -> Problem | None:
    """reading.yaml's `year:` when it holds a number too long to be a year: the reading's own
    entry reads it as an integer, which Python refuses to convert past 4,300 digits."""
    from studykit.notes.bibliography import MAX_DIGITS, longest_number, too_long_number

    digits = longest_number(reading.year or "")
    if digits <= MAX_DIGITS:
        return None
    line, col = 0, 0
    try:
        lines = reading.path.read_text(encoding="utf-8-sig").split("\n")
    except (OSError, UnicodeDecodeError):
        lines = []
    for number, text in enumerate(lines, 1):
        if re.match(r"year\s*:", text):
            line, col = number, 1
            break
    return Problem(reading.path, line, col, too_long_number("`year:`", digits))


def _case_warning(cited: Cited, key: str, written: str) -> Problem:
    """A key the bibliography spells in another case: studykit finds the work, as BibTeX
    would, but pandoc compares keys exactly and would not."""
    from studykit.errors import Severity

    return Problem(
        cited.path,
        *_locate(cited, key),
        f"citation key {key!r} is {written!r} in the bibliography: write [@{written}], as "
        "pandoc and other tools match keys in their case",
        Severity.WARNING,
    )


def _locate(cited: Cited, key: str) -> tuple[int, int]:
    """Line and column of `@key` in the file, searched from the item's line: the loader keeps
    an item's line, and this runs only where there is an error to place."""
    try:
        status = cited.path.stat()
        lines = _lines(cited.path, status.st_mtime_ns, status.st_size)
    except (OSError, UnicodeDecodeError):
        return cited.line, 1
    pattern = re.compile(rf"@{re.escape(key)}(?![\w])")
    for number in range(max(cited.line - 1, 0), len(lines)):
        found = pattern.search(lines[number])
        if found is not None:
            return number + 1, found.start() + 1
    return cited.line, 1


@functools.lru_cache(maxsize=8)
def _lines(path: Path, modified: int, size: int) -> list[str]:
    """A notes file's lines, read once per version of the file: a file of thousands of
    unknown keys was read again for each (20,000: 24 s)."""
    return path.read_text(encoding="utf-8-sig").split("\n")


def cited_keys(reading: Reading) -> set[str]:
    """The keys the notes cite, folded to lower case."""
    return {
        item.key.lower()
        for cited in citing_texts(reading)
        for citation in find_citations(cited.text)
        for item in citation.items
    }
