"""What one citation or bibliography entry of a style renders, counted when the style is loaded
and bounded: its elements (citeproc-py takes time in their square) and the characters of the
style's own text it prints, in all and with each name (a long `value` or delimiter printed
through doubling macros made handouts of a hundred megabytes from a style of 41 KB)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from studykit.citing.style_calls import callees_first
from studykit.citing.style_faults import CSL, macro_position, style_error

MAX_ELEMENTS = 2_500
"""Elements one citation or bibliography entry may render, its macros' expanded. citeproc-py
takes time in the square of a layout's elements (it re-reads the text joined so far at each
join): 2,500 plain <text> take about 0.8 s a citation, 10,000 took 12 s. The bundled styles
render at most 1,416 (a Chicago notes style's bibliography)."""

MAX_STYLE_TEXT = 100_000
"""Characters of the style's own text (`value`, affixes, delimiters at each join, its locale's
terms and date formats) one citation or entry may print: a macro printing a long `value`,
called 4,096 times through macros within the call bound, made a 164 MB handout from a 41 KB
style, and a group's delimiter of 90,000 characters between 400 elements a 36 MB one."""

MAX_NAME_TEXT = 5_000
"""Characters of the style's own text one citation or entry may print with each name, or
each initial of a name: a `<name>`'s delimiter, sort separator, `initialize-with` and its
parts' affixes, summed over every time the names are printed. How many names and initials an
entry has is the bibliography's (a BibTeX field is at most 100,000 characters, a CSL-JSON file
20 MB), and each takes a character of it at least: this text is bounded by the names' own
length, as a variable's printing is by MAX_ELEMENTS. The bundled styles print at most 2,104
(Chicago's in-text full notes); `initialize-with` of 4,000 characters, printed 4,096 times
through doubling macros after each of five initials, made an 82 MB handout."""

# Elements that choose what renders rather than render: not counted themselves.
_CHOICE = {f"{CSL}{tag}" for tag in ("choose", "if", "else-if", "else")}
_BRANCHES = {f"{CSL}{tag}" for tag in ("if", "else-if", "else")}
_PARTS = {f"{CSL}date-part", f"{CSL}name-part"}


class _Size(NamedTuple):
    """What one rendering of an element prints: elements, characters of the style's own text,
    and characters of it printed with each name or initial."""

    elements: int = 0
    chars: int = 0
    each_name: int = 0

    def __add__(self, other: object) -> _Size:
        assert isinstance(other, _Size)
        return _Size(*(a + b for a, b in zip(self, other, strict=True)))


@dataclass(frozen=True)
class _Context:
    """What an element's text depends on outside it: the longest term of the style's locale,
    the name options a <name> inherits (from <style>, <citation> or <bibliography>: the
    longest, as a macro may be called from either), and the size of each date format the
    style's own <locale> defines, which a <date form="..."> prints."""

    longest_term: int
    inherited: dict[str, str]
    dates: dict[str, _Size]


# A <name>'s options that print text with each name, and their defaults in citeproc-py.
_NAME_TEXT = {"name-delimiter": ", ", "sort-separator": ", ", "initialize-with": ""}


def _context(root: Any) -> _Context:
    terms = root.iterfind(f"{CSL}locale//{CSL}term")
    longest_term = max((len("".join(term.itertext())) for term in terms), default=0)
    holders = [root, root.find(f"{CSL}citation"), root.find(f"{CSL}bibliography")]
    inherited = {}
    for option, default in {**_NAME_TEXT, "names-delimiter": "", "and": ""}.items():
        values = [h.get(option) for h in holders if h is not None and h.get(option)]
        inherited[option] = max(values or [default], key=len)
    context = _Context(longest_term, inherited, {})
    for date in root.iterfind(f"{CSL}locale/{CSL}date"):
        form = date.get("form") or ""
        size = _date_size(date, context)
        if size.chars > context.dates.get(form, _Size()).chars:
            context.dates[form] = size
    return context


def refuse_output(style: str, path: Path, root: Any, macros: dict[str | None, Any]) -> None:
    """Refuse a style in which one macro, or the <citation> or <bibliography> layout, renders
    more than MAX_ELEMENTS elements or prints more than MAX_STYLE_TEXT characters of its own
    text, or MAX_NAME_TEXT with each name, its macros expanded (each counted once, the
    costliest branch of a <choose>), each text counted as often as it is printed: a delimiter
    at each join, a date's parts twice (a range), a name's text with each name and initial."""
    context = _context(root)
    sizes: dict[str, _Size] = {}

    def over(size: _Size, subject: str, each: str = "") -> str:
        if size.elements > MAX_ELEMENTS:
            return (
                f"{subject} renders {size.elements:,} elements{each}, over the "
                f"{MAX_ELEMENTS:,} studykit allows"
            )
        if size.chars > MAX_STYLE_TEXT:
            return (
                f"{subject} prints {size.chars:,} characters of the style's own text{each}, "
                f"over the {MAX_STYLE_TEXT:,} studykit allows"
            )
        if size.each_name > MAX_NAME_TEXT:
            return (
                f"{subject} prints {size.each_name:,} characters of the style's own text with "
                f"each name or initial{each}, over the {MAX_NAME_TEXT:,} studykit allows"
            )
        return ""

    for name in callees_first(macros):
        sizes[name] = _size(macros[name], sizes, context, top=True)
        fault = over(sizes[name], f'\'s macro "{name}"')
        if fault:
            line, col = macro_position(style, path, macros[name], name)
            raise style_error(style, path, fault, line, col)
    for part in ("citation", "bibliography"):
        element = root.find(f"{CSL}{part}")
        size = _size(element, sizes, context, top=True)
        fault = over(size, f"'s <{part}>", " for each work")
        if fault:
            raise style_error(style, path, fault, element.sourceline)


def _own_text(element: Any, *names: str) -> int:
    return sum(len(element.get(a) or "") for a in names)


def _size(element: Any, sizes: dict[str, _Size], context: _Context, top: bool = False) -> _Size:
    """What one rendering of `element` prints, given each macro's; a <choose> counts its
    costliest branch of each."""
    # Recursive over elements: libxml2 nests them at most 256 deep unless told otherwise.
    tag = element.tag
    if not isinstance(tag, str) or tag == f"{CSL}locale":
        return _Size()
    own = _Size()
    called = element.get("macro")
    if not top and tag not in _CHOICE:
        # A call is counted by MAX_MACRO_CALLS, and its macro's elements here.
        chars = _own_text(element, "value", "prefix", "suffix")
        if element.get("term") is not None or tag == f"{CSL}label" or _ordinal(element):
            chars += context.longest_term
        if element.get("quotes") == "true":  # the locale's open-quote and close-quote
            chars += 2 * context.longest_term
        if {"page", "locator"}.intersection((element.get("variable") or "").split()):
            chars += context.longest_term  # a range's page-range-delimiter
        own = _Size(1 if called is None else 0, chars + _joins(element, context))
    if called is not None and called in sizes:
        own += sizes[called]
    if tag in (f"{CSL}date", f"{CSL}name"):
        # Their parts are elements too, whose text is counted with the whole.
        parts = sum(1 for child in element if child.tag in _PARTS)
        if tag == f"{CSL}date":
            return own + _date_size(element, context, own_affixes=False) + _Size(parts)
        return own + _name_size(element, context) + _Size(parts)
    children = [_size(child, sizes, context) for child in element]
    if tag == f"{CSL}choose":
        # One branch runs: the most of each that any may render.
        return own + _Size(*(max(c[at] for c in children) if children else 0 for at in range(3)))
    if tag == f"{CSL}substitute":
        # The first substitute that prints is printed: the text of the longest. citeproc-py
        # renders each in turn until one prints, so their elements count together.
        most = _Size(0, *(max(c[at] for c in children) if children else 0 for at in (1, 2)))
        return own + most + _Size(sum(c.elements for c in children))
    if tag == f"{CSL}names":
        # A <names> without <name> prints the names as its inherited options say, and its
        # name, et-al and label print once for each of its variables.
        roles = max(len((element.get("variable") or "").split()), 1)
        if element.find(f"{CSL}name") is None:
            own += _name_size(None, context)
        for child, size in zip(element, children, strict=True):
            if child.tag != f"{CSL}substitute":
                size = _Size(size.elements, size.chars * roles, size.each_name * roles)
            own += size
        return own
    return sum(children, own)


def _joins(element: Any, context: _Context) -> int:
    """The characters of `element`'s delimiter, once for each join it makes."""
    tag = element.tag
    delimiter = element.get("delimiter") or ""
    if tag == f"{CSL}group":
        # A group joins its children, and those of a <choose> among them (citeproc-py passes
        # the delimiter into the branch that runs).
        return len(delimiter) * max(_rendered(element) - 1, 0)
    if tag == f"{CSL}names":
        delimiter = delimiter or context.inherited["names-delimiter"]
        return len(delimiter) * max(len((element.get("variable") or "").split()) - 1, 0)
    if tag in (f"{CSL}name", f"{CSL}date"):
        return 0  # counted with each name, and with the date's parts
    return len(delimiter)  # a layout's, between the works one citation cites


def _rendered(element: Any) -> int:
    """The most pieces a group's children may render, a <choose>'s branch counted as its own."""
    count = 0
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if child.tag == f"{CSL}choose":
            branches = [b for b in child if b.tag in _BRANCHES]
            count += max((_rendered(b) for b in branches), default=0)
        else:
            count += 1
    return count


def _date_size(date: Any, context: _Context, own_affixes: bool = True) -> _Size:
    """The text a date prints: its parts' affixes and terms (a month's name, an ordinal's
    suffix) twice, for the two ends of a range, its delimiter at each join of both and between
    them, and the parts of its locale's format of the same `form` when it names one."""
    parts = _Size()
    for part in date.iterfind(f"{CSL}date-part"):
        chars = _own_text(part, "prefix", "suffix", "range-delimiter")
        named = part.get("name") == "month" and not (part.get("form") or "long").startswith("num")
        # A month's name, a day's ordinal suffix, "AD" or "BC" after a year: terms.
        if named or part.get("form") == "ordinal" or part.get("name") == "year":
            chars += context.longest_term
        parts += _Size(0, chars)
    joins = len(date.get("delimiter") or "") * 5
    affixes = _own_text(date, "prefix", "suffix") if own_affixes else 0
    size = _Size(0, parts.chars * 2 + joins + affixes)
    form = date.get("form")
    if form is not None and date.getparent().tag != f"{CSL}locale":
        # The style's own format of that form, or the bundled locale's, whose month names
        # (at both ends of a range) may be the style's own terms.
        size += context.dates.get(form, _Size()) + _Size(0, 2 * context.longest_term)
    return size


def _ordinal(element: Any) -> bool:
    """A number printed with its ordinal suffix, a term of the locale ("1st", "first")."""
    return element.tag == f"{CSL}number" and "ordinal" in (element.get("form") or "")


def _name_size(name: Any, context: _Context) -> _Size:
    """The text a <name> prints with each name: its delimiter, sort separator, initialize-with
    (after each initial) and its parts' affixes, its own or inherited; citeproc-py joins the
    names before "and" with ", ". "and" as a term is printed once."""
    get = (lambda option: None) if name is None else name.get
    each = len(get("delimiter") or context.inherited["name-delimiter"]) + 2
    for option in ("sort-separator", "initialize-with"):
        each += len(get(option) or context.inherited[option])
    chars = 0
    if name is not None:  # its own affixes are counted as every element's
        for part in name.iterfind(f"{CSL}name-part"):
            each += _own_text(part, "prefix", "suffix")
    if (get("and") or context.inherited["and"]) == "text":
        chars += context.longest_term
    return _Size(0, chars, each)
