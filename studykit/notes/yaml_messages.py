"""What a YAML file that does not parse is told: the parser's error located where the mistake is
(a quote never closed is named where it opens, not where the parser stumbled on the next quote)
and said in words a student knows where they can be found (`yaml_hints` reads the lines)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from studykit.errors import StudykitError

if TYPE_CHECKING:
    import yaml

# libyaml's words for the mistakes students make most, and what to do about them.
_HINTS = {
    "mapping values are not allowed": " (quote text that contains `: `, or check the line above "
    "for a key without its `:`)",
    "could not find expected ':'": " (a key is missing its `:`)",
    "did not find expected key": " (check the indentation of this line and the one above)",
    "found unexpected end of stream": " (a quote or bracket is not closed)",
    "found unknown escape character": " (in double quotes a backslash starts an escape: write "
    "math and other backslashes in single quotes or a `|` block)",
}


def parse_error(
    exc: yaml.MarkedYAMLError, text: str, path: Path, loader_class: Any
) -> StudykitError:
    """The parser's error located where the mistake is, in words a student knows where they
    can be found: a conflict marker, a quote never closed, a tab, a `-` without its space."""
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark and mark and mark.line >= text.count("\n"):
        # The parser ran off the end of the file: the unclosed thing is where it started.
        mark = exc.context_mark
    message = ", ".join(m for m in (exc.context, exc.problem) if m) or "not YAML"
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    if mark and _char_at(text, mark.line, mark.column) == "\t":
        message += " (a tab: indent with spaces)"
    message += next((hint for known, hint in _HINTS.items() if known in message), "")
    from studykit.notes.yaml_hints import conflict_marker

    conflict = conflict_marker(text.split("\n"))
    if conflict is not None:
        return StudykitError(conflict[1], path, conflict[0] + 1, 1)
    located = (
        _unclosed_quote(text, exc, loader_class)
        or _unclosed_bracket(text, exc)
        or _text_cut_short(text, exc)
        or _student_words(text, mark.line if mark else -1, exc.context_mark)
    )
    if located is not None:
        return StudykitError(located[0], path, located[1] or line, located[2] or col)
    return StudykitError(f"invalid YAML: {message}", path, line, col)


_Located = tuple[str, int, int]
"""A message and the line and column (1-based) it is about; 0, 0 for the parser's own mark."""


def _student_words(text: str, line: int, context: Any) -> _Located | None:
    """The mistake in words a student knows, read off the lines around the parser's mark."""
    from studykit.notes.yaml_hints import (
        TAB,
        dash_without_space,
        indentation,
        misaligned_item,
        reserved_start,
        tab_in_indent,
    )

    lines = text.split("\n")
    marks = [line] + ([context.line] if context is not None else [])
    for at in marks:
        if 0 <= at < len(lines) and (reserved := reserved_start(lines[at])):
            return reserved[0], at + 1, reserved[1] + 1
    if not 0 <= line < len(lines):
        return None
    if bracketed := reserved_start(lines[line], bracket=True):
        return bracketed[0], line + 1, bracketed[1] + 1
    # A tab looks like spaces in an editor, so the keys it indents seem lined up: name the tab.
    tab = tab_in_indent(lines[line])
    if tab is not None:
        return TAB, line + 1, tab + 1
    # `-word` is text, not an item: the parser names its line as where a key began, or, for a
    # `-word:` it took for a key, stumbles on the line below; either way the `-` is the fault.
    above = next((n for n in range(line - 1, -1, -1) if lines[n].strip()), -1)
    for at, as_key in [*((m, False) for m in marks), (above, True)]:
        glued = dash_without_space(lines[at], as_key) if 0 <= at < len(lines) else None
        if glued is not None:
            return glued[0], at + 1, glued[1] + 1
    misaligned = misaligned_item(lines, line)
    if misaligned is not None:
        return misaligned[0], line + 1, misaligned[1] + 1
    key = indentation(lines, line)
    return (key[0], key[1] + 1, key[2] + 1) if key else None


def _unclosed_quote(text: str, exc: Any, loader_class: Any) -> _Located | None:
    """The opening quote of a quoted text that is never closed.

    The parser reads on from it, across the items below, to the next quote of the same kind, and
    only stumbles there: its own message names that later line.
    """
    mark = exc.problem_mark
    if exc.context and "quoted scalar" in exc.context and exc.context_mark is not None:
        opening = exc.context_mark if "end of stream" in (exc.problem or "") else None
    else:
        opening = _quote_that_ran_on(text, mark, loader_class) if mark is not None else None
    if opening is None:
        return None
    quote = _char_at(text, opening.line, opening.column)
    if quote not in ('"', "'"):
        return None
    return (
        f"this quoted text is never closed: the `{quote}` here has no closing `{quote}` "
        "(add one where the text ends)",
        opening.line + 1,
        opening.column + 1,
    )


def _unclosed_bracket(text: str, exc: Any) -> _Located | None:
    """The `[` or `{` of a list or mapping written inline that is never closed.

    The parser reads on from it into the lines below and names the first it cannot take, a line
    with nothing wrong on it.
    """
    opening, mark = exc.context_mark, exc.problem_mark
    if not (exc.context and "flow" in exc.context and opening and mark):
        return None
    bracket = _char_at(text, opening.line, opening.column)
    if mark.line <= opening.line or bracket not in ("[", "{"):
        return None
    closing = "]" if bracket == "[" else "}"
    return (
        f"this `{bracket}` is never closed with `{closing}` (close it, or quote the text if "
        f"it starts with `{bracket}`)",
        opening.line + 1,
        opening.column + 1,
    )


def _text_cut_short(text: str, exc: Any) -> _Located | None:
    """A text that YAML ended before its writer did: a quote inside quoted text, or a line of a
    `|` or `>` text indented less than the rest. The parser names the next thing it could not
    take; a line it tried to read as a key names that line as its context."""
    from studykit.notes.yaml_hints import quote_ended_early, under_indented_text

    mark = exc.problem_mark
    if mark is None:
        return None
    lines = text.split("\n")
    if mark.line < len(lines):
        early = quote_ended_early(lines[mark.line], mark.column)
        if early is not None:
            return early[0], mark.line + 1, early[1] + 1
    candidates = [mark.line]
    if exc.context == "while scanning a simple key" and exc.context_mark is not None:
        candidates.insert(0, exc.context_mark.line)
    for at in candidates:
        short = under_indented_text(lines, at) if 0 <= at < len(lines) else None
        if short is not None:
            return short[0], at + 1, short[1] + 1
    return None


def _quote_that_ran_on(text: str, mark: Any, loader_class: Any) -> Any:
    """The start of a quoted text that ends on the line of the parser's mark after swallowing
    whole lines of YAML (a `- ` item or a `key:`), or None."""
    import yaml

    from studykit.notes.yaml_hints import content_column, starts_structure

    lines = text.split("\n")
    found = None
    scanner = loader_class(text)
    try:
        while scanner.check_token():
            token = scanner.get_token()
            start, end = token.start_mark, token.end_mark
            if (start.line, start.column) > (mark.line, mark.column):
                break
            quoted = isinstance(token, yaml.ScalarToken) and token.style in ('"', "'")
            # Lines split on "\n" only: a file of lone CRs has fewer than the parser counts.
            ends_here = start.line < end.line == mark.line < len(lines)
            if quoted and ends_here and end.column <= mark.column:
                column = content_column(lines[start.line])
                swallowed = lines[start.line + 1 : end.line + 1]
                if any(starts_structure(line, column) for line in swallowed):
                    found = start
    except yaml.YAMLError:
        pass  # the scanner's own trouble lies beyond what the parser read
    finally:
        scanner.dispose()
    return found


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n", line + 1)
    return lines[line][column : column + 1] if line < len(lines) else ""


def quote_hint(text: str, line: int) -> str:
    """`; if it is text, ...` when the line holds a value that only needs quotes."""
    from studykit.notes.yaml_hints import reserved_start

    lines = text.split("\n")
    reserved = reserved_start(lines[line]) if 0 <= line < len(lines) else None
    return f" ({reserved[0]})" if reserved else ""
