"""What studykit changes in citeproc-py, each change made once a process before the first style is
loaded: each says what the processor did wrong or slowly, and what it costs."""

from __future__ import annotations

import re
from typing import Any


def parse_strings_in_one_pass() -> None:
    """Make citeproc-py's reader build a string's pieces (text and `nocase` spans) as one list.

    It added each piece to the pieces before it, copying them and turning them all into text
    to look at the last character: a title of many braced groups (`{A} a {B} b ...`, or a
    BibTeX `\\"{o}` repeated) took time squared in their number (4,000 groups: 2.3 s). The
    same seam rule, a doubled space or stop dropped where two pieces meet, is kept here.
    """
    import citeproc.source.json as reader
    import citeproc.string as strings

    if getattr(reader, "_studykit_one_pass", False):
        return
    reader._studykit_one_pass = True
    seam = getattr(strings, "normalize_seam", lambda left, other: other)

    def parse_string(self: Any, string: Any) -> Any:
        string = str(string)
        lower = string.lower()
        start_tag, end_tag = self.start_tag, self.end_tag
        pieces: list[Any] = []
        end = 0
        while (start := lower.find(start_tag, end)) >= 0:
            close = lower.find(end_tag, start + 1)
            if close < 0:
                break
            pieces += [
                strings.String(string[end:start]),
                strings.NoCase(string[start + len(start_tag) : close]),
            ]
            end = close + len(end_tag)
        pieces.append(strings.String(string[end:]))
        kept: list[Any] = []
        for piece in pieces:
            if kept and piece:
                piece = seam(kept[-1], piece)
            if piece:
                kept.append(piece)
        return strings.MixedString(kept)

    reader.CiteProcJSON.parse_string = parse_string


_REMEMBERED: dict[tuple[int, object], tuple[Any, Any]] = {}


def remember_lookups() -> None:
    """Make citeproc-py remember what it looks up in a style, which never changes.

    For each variable of each citation it searches the whole style with XPath for a macro by
    name, a locale's term, and whether a group calls a variable at all: formatting 400 distinct
    citations and 300 entries in Chicago author-date took 30 s, 75 ms a citation, nine tenths
    of it these lookups (cProfile). Remembered per element (held, so no id is reused), the
    same took 3.4 s. Done once per process, before the first style is loaded.
    """
    import citeproc.model as model

    if getattr(model, "_studykit_remembers", False):
        return
    model._studykit_remembers = True

    def remembered(method: Any, keyed: bool) -> Any:
        def lookup(self: Any, *args: Any, **kwargs: Any) -> Any:
            key = (id(self), (args, tuple(sorted(kwargs.items()))) if keyed else None)
            hit = _REMEMBERED.get(key)
            if hit is None or hit[0] is not self:
                hit = _REMEMBERED[key] = (self, method(self, *args, **kwargs))
            return hit[1]

        return lookup

    for cls in vars(model).values():
        if isinstance(cls, type) and "calls_variable" in cls.__dict__:
            cls.calls_variable = remembered(  # type: ignore[attr-defined]
                cls.__dict__["calls_variable"], keyed=False
            )
    # A macro is looked up by name from any element of the style: remembered per style root.
    find_macro = model.CitationStylesElement.get_macro
    by_root = remembered(lambda root, name: find_macro(root, name), keyed=True)
    model.CitationStylesElement.get_macro = lambda self, name: by_root(self.get_root(), name)
    model.Locale.get_term = remembered(model.Locale.get_term, keyed=True)


ROMAN_LIMIT = 3999
"""The largest number roman numerals write (MMMCMXCIX) without a bar over a letter."""


def roman_within_numerals() -> None:
    """Print a number over ROMAN_LIMIT in arabic numerals where a style asks for roman ones:
    citeproc-py writes one "m" a thousand, so a volume of 10^12 made a 2 GB handout, and
    "mmmmm..." reads as no number. 43 bundled styles print a volume in roman numerals."""
    import citeproc.model as model

    if getattr(model, "_studykit_roman_limit", False):
        return
    model._studykit_roman_limit = True
    own = model.Number.format_number

    def format_number(self: Any, number: Any) -> Any:
        if self.get("form", "numeric") == "roman":
            try:
                if not 0 < int(number) <= ROMAN_LIMIT:
                    return str(int(number))
            except ValueError:
                pass
        return own(self, number)

    model.Number.format_number = format_number


# A number as CSL counts one: "5", "12a", "iv" no; a range or list of them, "33-35, 38".
_NUMERIC = re.compile(r"^\s*[A-Za-z]*\d+[A-Za-z]*(?:\s*[-–—,&]\s*[A-Za-z]*\d+[A-Za-z]*)*\s*$")


def numeric_locators() -> None:
    """Make `is-numeric="locator"` test the cited locator. citeproc-py looks for it among the
    entry's variables, never finds it, and so takes every locator for a word: Chicago then
    prints a chapter as "(Cunfer 2005, 5)" where it asks for "(Cunfer 2005, chap. 5)"."""
    import citeproc.model as model

    if getattr(model, "_studykit_numeric_locators", False):
        return
    model._studykit_numeric_locators = True
    own = model.If._is_numeric

    def is_numeric(self: Any, item: Any) -> list[bool]:
        found: list[bool] = own(self, item)
        names = self.get("is-numeric").split()
        if "locator" in names and item.has_locator:
            value = str(item.locator.identifier)
            found[names.index("locator")] = bool(_NUMERIC.match(value))
        return found

    model.If._is_numeric = is_numeric


# The one-word stop words of CSL 1.0.2's title case (its schema's stop-words.json), which keeps
# them lower case inside a title; citeproc-py knows only the 26 of CSL 1.0.1 and capitalises
# "Among", "Since", "Between".
STOP_WORDS = frozenset(
    """a across afore after against along alongside amid amidst among amongst an and anenst
    apropos apud around as astride at athwart atop barring before behind below beneath beside
    besides between beyond but by c ca circa d' de despite down during et except for forenenst
    from given in including inside into less like mid midst minus modulo near next nor
    notwithstanding of off on onto opposite or out over pace past per plus pro qua regarding
    round sans save since so than the through throughout thru thruout till times to toward
    towards under underneath unlike until unto up upon v. van versus via vis-à-vis von vs.
    with within without worth yet""".split()
)


def sort_without_accents() -> None:
    """Make citeproc-py compare sort keys without their accents, as a reader alphabetises:
    "Ó Gráda" under O, not after "Yang" (it compares code points)."""
    import citeproc.model as model

    if getattr(model, "_studykit_folded_sort", False):
        return
    model._studykit_folded_sort = True
    own = model.Key.sort_keys

    def sort_keys(self: Any, items: Any, context: Any) -> list[Any]:
        keys: list[Any] = own(self, items, context)
        return [k if k is None or isinstance(k, int | float) else _folded(str(k)) for k in keys]

    model.Key.sort_keys = sort_keys


def _folded(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def stop_words_of_csl() -> None:
    import citeproc.model as model

    model.TextCased._stop_words = STOP_WORDS
