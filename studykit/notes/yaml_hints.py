"""Plain words for the YAML mistakes students make, in place of the parser's jargon.

libyaml reports where it got lost, in its own terms ("while scanning a tag", "mapping values are
not allowed here"). Most of those come from two mistakes: a value that begins with a character
YAML reserves (`![map](..)`, `*em*`, `` `code` ``, `@name`, `%`, `&`, `!`, `|`, `>`), and a key
indented deeper or shallower than the keys beside it. Both are read off the text of the lines
around the error.
"""

from __future__ import annotations

import re
from collections.abc import Set

RESERVED_STARTS = "!&*@`%|>"
_VALUE_LEAD = r"^(?P<lead>\s*(?:-\s+)*(?:[A-Za-z_][\w-]*:\s+)?)"
_VALUE = re.compile(_VALUE_LEAD + r"(?P<value>[" + re.escape(RESERVED_STARTS) + r"].*)$")
# A list or mapping written inline: fine YAML, unless text follows its closing bracket.
_BRACKETED = re.compile(_VALUE_LEAD + r"(?P<value>(?:\[[^\]]*\]|\{[^}]*\})[ \t]*[^\s#,].*)$")
_KEY = re.compile(r"^(?P<indent>\s*(?:-\s+)*)(?P<key>[A-Za-z_][\w-]*):(?:\s|$)")
_BLOCK_HEADER = re.compile(r"[|>][-+]?[1-9]?[-+]?\s*(?:#.*)?")
# What comes before a line's first word: its indentation and any `- ` that start items.
_LEAD = re.compile(r"[ \t]*(?:-(?:[ \t]+|$))*")
_STRUCTURE = re.compile(r"(?P<indent> *)(?:-(?:\s|$)|[A-Za-z_][\w-]*:(?:\s|$))")

TAB = "a tab in the indentation: YAML indents with spaces only, so replace this tab with spaces"


_CONFLICT = ("<<<<<<< ", "=======", ">>>>>>> ", "||||||| ")


def conflict_marker(lines: list[str]) -> tuple[int, str] | None:
    """The first line (0-based) a merge left a conflict marker on, and a hint, if any."""
    for number, line in enumerate(lines):
        if line.startswith(_CONFLICT) or line.rstrip() in ("<<<<<<<", "=======", ">>>>>>>"):
            return number, (
                f"an unresolved merge conflict (`{line.rstrip()[:20]}`): keep the lines you "
                "want from each side and delete the marker lines"
            )
    return None


def quoted(text: str) -> str:
    """The text as a double-quoted YAML scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def reserved_start(line: str, bracket: bool = False) -> tuple[str, int] | None:
    """A hint when a plain value on `line` starts with a character YAML reserves, with the
    column (0-based) where the value starts: the parser stumbles later, at a closing `*`.
    With `bracket`, a value that starts with `[` or `{` too (`[see @x] on` is not a list)."""
    match = (_BRACKETED if bracket else _VALUE).match(line.rstrip("\r\n"))
    if match is None:
        return None
    value = match.group("value").rstrip()
    if _BLOCK_HEADER.fullmatch(value):
        return None  # `key: |` or `key: >-` opens a block of text: that is meant
    lead = match.group("lead").strip()
    hint = (
        f"a value that starts with {value[0]} must be in quotes: write "
        f"{lead + ' ' if lead else ''}{quoted(value)}"
    )
    return hint, match.start("value")


def tab_in_indent(line: str) -> int | None:
    """The column (0-based) of the first tab before the first word of `line`, if any."""
    lead = _LEAD.match(line)
    at = lead.group().find("\t") if lead else -1
    return at if at >= 0 else None


def content_column(line: str) -> int:
    """The column where the text of `line` starts, after its indentation and `- ` markers."""
    lead = _LEAD.match(line)
    return len(lead.group()) if lead else 0


def starts_structure(line: str, column: int) -> bool:
    """Whether `line` starts an item (`- `) or a key (`word:`) at `column` or further left."""
    match = _STRUCTURE.match(line)
    return match is not None and len(match.group("indent")) <= column


def indentation(lines: list[str], number: int) -> tuple[str, int, int] | None:
    """A hint when the key on line `number` (0-based) is not lined up with the keys beside it,
    with the line and column (0-based) of that key."""
    for at in (number, number - 1):
        hint = _misaligned_key(lines, at)
        if hint:
            return hint
    return None


def _misaligned_key(lines: list[str], at: int) -> tuple[str, int, int] | None:
    if not 0 <= at < len(lines):
        return None
    here = _KEY.match(lines[at])
    if here is None:
        return None
    column = len(here.group("indent"))
    for above in range(at - 1, -1, -1):
        text = lines[above]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        other = _KEY.match(text)
        if other is None:
            continue  # a continuation line of a longer value
        other_column = len(other.group("indent"))
        opens_block = text.rstrip().endswith(":")
        if other_column == column or (opens_block and other_column < column):
            return None  # lined up, or the first key inside a parent: nothing wrong here
        key, sibling = here.group("key"), other.group("key")
        how = "deeper" if column > other_column else "less"
        hint = (
            f"`{key}:` is indented {how} than `{sibling}:` on line {above + 1}; keys of one "
            "item must line up (same number of spaces)"
        )
        return hint, at, column
    return None


def folded_key(
    lines: list[str], first: int, last: int, keys: Set[str]
) -> tuple[str, int, int] | None:
    """A hint when a line of the text the key on line `first` opens (a `>` or `|` block, or
    quotes, to line `last`; 0-based) holds one of `keys` indented deeper than that key: YAML
    reads it as more of the text, without a word. With the line and column (0-based) of the
    key."""
    if not 0 <= first < len(lines):
        return None
    opening = _KEY.match(lines[first])
    if opening is None:
        return None
    column, opener = len(opening.group("indent")), opening.group("key")
    for number in range(first + 1, min(last + 1, len(lines))):
        found = _KEY.match(lines[number])
        if found and found.group("key") in keys and len(found.group("indent")) > column:
            hint = (
                f"`{found.group('key')}:` is indented deeper than `{opener}:` on line "
                f"{first + 1}, so YAML reads it as more of that text: line it up with "
                f"`{opener}:` to make it a key"
            )
            return hint, number, len(found.group("indent"))
    return None


def dash_without_space(line: str, key: bool = False) -> tuple[str, int] | None:
    """A hint when `line` starts with `-` and a word, no space between: YAML reads that as
    text (or, `-word:`, as a key), so the item the student meant is not one. With the column
    (0-based) of the `-`. `key`: only a `-word:`, which the parser accepts, stumbling a line
    later."""
    match = _GLUED_DASH.match(line)
    if match is None or (key and not line[match.end() :].startswith(":")):
        return None
    glued = match.group("glued")
    return (
        f"no space after this `-`, so YAML reads `{glued}` as text, not as a list item: put a "
        "space after `-`",
        len(match.group("indent")),
    )


_GLUED_DASH = re.compile(r"(?P<indent> *)(?P<glued>-[^\s-][^\s:]*)")


def misaligned_item(lines: list[str], number: int) -> tuple[str, int] | None:
    """A hint when the `- ` on line `number` (0-based) is not lined up with the `- ` of the
    item above it in the same list, with the column (0-based) of the `-`."""
    if not 0 <= number < len(lines):
        return None
    here = _DASH.match(lines[number])
    if here is None:
        return None
    column = len(here.group("indent"))
    above = number - 1
    while above >= 0:
        text = lines[above]
        if not text.strip() or text.lstrip().startswith("#"):
            above -= 1
            continue
        item = _DASH.match(text)
        if item is not None:
            other = len(item.group("indent"))
            if other == column:
                return None
            opener = _list_opener(lines, above, other) if other > column else None
            if opener is not None and _indent(lines[opener]) >= column:
                above = opener  # a list inside an item of this one (`allow:`): look past it
                continue
            how = "deeper" if column > other else "less"
            hint = (
                f"this `- ` is indented {how} than the `- ` on line {above + 1}; items of one "
                "list must line up (same number of spaces)"
            )
            return hint, column
        key = _KEY.match(text)
        if key is not None and len(key.group("indent")) < column:
            return None  # the key that opens this list: its first item
        above -= 1
    return None


def _list_opener(lines: list[str], number: int, column: int) -> int | None:
    """The line (0-based) of the `key:` that opens the list whose item at `column` is on line
    `number`: the first line above indented less, if it ends with `:`."""
    for above in range(number - 1, -1, -1):
        text = lines[above]
        if not text.strip() or text.lstrip().startswith("#") or _indent(text) >= column:
            continue
        return above if text.rstrip().endswith(":") else None
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


_DASH = re.compile(r"(?P<indent> *)-(?:[ \t]|$)")


_QUOTED_VALUE = re.compile(_VALUE_LEAD + r"(?P<quote>['\"])")


def quote_ended_early(line: str, column: int) -> tuple[str, int] | None:
    """A quoted value whose text goes on after its closing quote (`'Mao's figure'`), when the
    parser stumbled at `column` (0-based), after that quote: the hint and the quote's column."""
    match = _QUOTED_VALUE.match(line)
    if match is None:
        return None
    quote, at = match.group("quote"), match.end()
    while at < len(line):
        # An escape: `\\x` in double quotes, `''` in single ones.
        if line.startswith("\\" if quote == '"' else "''", at):
            at += 2
        elif line[at] == quote:
            break
        else:
            at += 1
    rest = line[at + 1 :].strip()
    if at >= len(line) or at >= column or not rest or rest.startswith("#"):
        return None
    inside = "as `''` (Mao''s)" if quote == "'" else 'as `\\"`'
    other = "double" if quote == "'" else "single"
    return (
        f"this `{quote}` ends the quoted text before the text does: inside {quote}...{quote} "
        f"write a {quote} {inside}, or put the text in {other} quotes",
        at,
    )


def under_indented_text(lines: list[str], number: int) -> tuple[str, int] | None:
    """A line meant to go on with the `|` or `>` text above it but indented less than that
    text, so YAML ended the text above it: the hint and the column (0-based) of its text."""
    line = lines[number]
    if not line.strip() or _KEY.match(line) or line.lstrip().startswith(("-", "#")):
        return None
    if tab_in_indent(line) is not None:
        return None  # a tab, which the tab's own hint names
    body: int | None = None  # the text's indentation, read upwards
    for above in range(number - 1, max(number - 500, -1), -1):
        text = lines[above]
        if not text.strip():
            continue
        key = _KEY.match(text)
        value = text[key.end() :].strip() if key else ""
        if key and _BLOCK_HEADER.fullmatch(value) and body is not None:
            if _indent(line) >= body:
                return None
            return (
                f"this line is indented less than the `{value.split()[0]}` text of "
                f"`{key.group('key')}:` (line {above + 1}), so YAML ended that text above it: "
                f"indent it as far as the text's other lines ({body} spaces)",
                _indent(line),
            )
        if key or text.lstrip().startswith("- "):
            return None  # a key or an item above, not a line of text: no text cut short
        body = _indent(text) if body is None else min(body, _indent(text))
    return None
