"""Source rules: a bibliography entry nothing cites, and a work named in prose that no source lists.

- `uncited-source`: an entry of the reading's bibliography that no `[@key]` of the notes cites,
  warned at the entry's line in the bibliography file. Silenced by the reading's `allow:`.
- `unlisted-source`: with free-text `sources:`, an annotation that names an author and year
  ("Lin (1992)", "Lin 1992") or "X et al." where no source names that author (and year), nor
  an entry of the bibliography when there is one too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from studykit.errors import Problem, Severity
from studykit.notes.model import Point, Question, Reading, Term

# "Lin (1992)", "Lin 1992", "Lin and Yang (1992a)", "(Lin 1992, 33)", "Ashton et al. (1984)".
_NAME = r"[A-Z][\w'’-]*[a-z][\w'’-]*"
_MENTION = re.compile(
    rf"\b(?P<name>{_NAME})(?:\s+(?:and|&)\s+{_NAME})?"
    r"(?:(?P<etal>\s+et\s+al\.?)?,?\s+\(?(?P<year>1[5-9]\d\d|20\d\d)[a-z]?\b(?!\s*[-–—]\s*\d)"
    r"|(?P<alone>\s+et\s+al\.?))"
)
# Capitalised words that stand before a year without naming anyone: "In 1958", "March 1959".
_NOT_NAMES = frozenset(
    """In By From Since Until Till After Before During Of The And Between Around About Circa
    Early Late Mid Spring Summer Autumn Fall Winter January February March April May June July
    August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
    Year Years Census Plan Congress Conference Famine Leap Revolution Campaign Movement
    Until Through To At On For Also Then When While As Only Even Until Nearly Almost
    Autumn Christmas Easter Party Central Committee Plenum Session Report Reports""".split()
)


def source_warnings(reading: Reading, *, uncited: bool = True) -> list[Problem]:
    """The warnings of both rules for one valid reading (`uncited`: of the first rule too)."""
    found: list[Problem] = []
    if uncited and reading.bibliography is not None and "uncited-source" not in reading.allow:
        found += _uncited(reading)
    if reading.sources and "unlisted-source" not in reading.allow:
        found += _unlisted(reading)
    return found


def _uncited(reading: Reading) -> list[Problem]:
    from studykit.notes.bibliography import read_bibliography
    from studykit.notes.citations import cited_keys

    assert reading.bibliography is not None
    bibliography = read_bibliography(reading.bibliography)  # read before, by the loader
    cited = cited_keys(reading)
    return [
        Problem(
            bibliography.path,
            bibliography.lines.get(key, 0),
            1,
            f"{written!r} is not cited in the notes: cite it as [@{written}] where the notes "
            "draw on it, or take it out of the bibliography [uncited-source]",
            Severity.WARNING,
        )
        for key, written in bibliography.written.items()
        if key not in cited
    ]


def _unlisted(reading: Reading) -> list[Problem]:
    listed = [source.casefold() for source in reading.sources]
    if reading.bibliography is not None:  # a work in the bibliography is listed too
        from studykit.notes.bibliography import read_bibliography

        listed += [_as_text(item) for item in read_bibliography(reading.bibliography).items]
    own = (reading.author or "").casefold()
    sources = _Listed(listed)
    found: list[Problem] = []
    for section in reading.sections:
        for item in _annotated(section.points, section.terms, section.questions):
            if "unlisted-source" in {*section.allow, *item.allow} or item.annotation is None:
                continue
            for name, year in _mentions(item.annotation):
                folded = name.casefold()
                if folded in own or sources.name(folded, year):
                    continue
                work = f"{name} ({year})" if year else f"{name} et al."
                found.append(
                    Problem(
                        section.path,
                        item.line,
                        1,
                        f"the annotation cites {work}, which no item of `sources:` in "
                        "reading.yaml names: add the reference there [unlisted-source]",
                        Severity.WARNING,
                    )
                )
    return found


def _as_text(item: dict[str, object]) -> str:
    """A CSL-JSON item's authors and year, as a free-text source would name them (folded)."""
    names = item.get("author") or item.get("editor") or []
    words = [
        str(name.get("family") or name.get("literal") or "")
        for name in (names if isinstance(names, list) else [])
        if isinstance(name, dict)
    ]
    issued = item.get("issued")
    parts = issued.get("date-parts") if isinstance(issued, dict) else None
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        words.append(str(parts[0][0]))
    return " ".join(words).casefold()


def _annotated(
    *lists: tuple[Point, ...] | tuple[Term, ...] | tuple[Question, ...],
) -> Iterator[Point | Term | Question]:
    for items in lists:
        yield from items


def _mentions(text: str) -> Iterator[tuple[str, str | None]]:
    """(author, year) for each work the text names; year None for a bare "X et al."."""
    if not any(c.isdigit() for c in text) and "et al" not in text:
        return
    seen: set[tuple[str, str | None]] = set()
    for match in _MENTION.finditer(text):
        name = match.group("name")
        if name in _NOT_NAMES:
            continue
        mention = (name, match.group("year"))
        if mention not in seen:
            seen.add(mention)
            yield mention


_WORD = re.compile(r"\w+")


class _Listed:
    """The free-text sources (folded), found by the words they hold. A name matches whole words
    of a source (`_names`), so only the sources holding one of its words can name it: checked
    against every source, 4,000 sources and 8,000 mentions took most of a minute."""

    def __init__(self, sources: list[str]) -> None:
        self.sources = sources
        self.by_word: dict[str, list[int]] = {}
        for index, source in enumerate(sources):
            for word in set(_WORD.findall(source)):
                self.by_word.setdefault(word, []).append(index)

    def name(self, name: str, year: str | None) -> bool:
        """Whether a source names this author (folded), and year where one is given."""
        words = _WORD.findall(name)
        holding = min((self.by_word.get(w, []) for w in words), key=len, default=None)
        candidates = range(len(self.sources)) if holding is None else holding
        return any(_names(self.sources[i], name, year) for i in candidates)


def _names(source: str, name: str, year: str | None) -> bool:
    """Whether a free-text source (folded) names this author, and year where one is given."""
    if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", source) is None:
        return False
    return year is None or year in source
