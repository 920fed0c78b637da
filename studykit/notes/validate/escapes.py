"""What double-quoted YAML escapes make of a text: control characters, and math that lost its
backslashes (`"\\frac"` is a form feed and `rac`), named where the file has them."""

from __future__ import annotations

import re

import yaml

from studykit.errors import CONTROL, control_name
from studykit.notes.validate.file import FileCheck

# Control characters a double-quoted YAML escape makes of LaTeX: `\\nu`, `\\frac`, `\\beta`...
ESCAPED = re.compile("[\x00\x07\x08\t\n\x0b\x0c\r\x1b\x85\u2028\u2029]")
_MATH_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*(\\[0abtnvfreNLP][A-Za-z]+)")


# `CONTROL` refuses a carriage return too: a file's CR line ends reach a value as line feeds, so
# only a `\\r` makes one, and a terminal would print what follows it over the line's start.
_YAML_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
_COMMAND = re.compile(r"\\[0abvfre][A-Za-z]+")
_ONE_LETTER = {"0": "\0", "a": "\a", "b": "\b", "v": "\v", "f": "\f", "r": "\r", "e": "\x1b"}


def control_character(file: FileCheck, node: yaml.ScalarNode) -> None:
    """Refuse a text that holds a control character, where it is written: `show` and
    `review` would send it to the terminal, which acts on it. YAML refuses them raw, so
    they come from double-quoted escapes (`\\e`, `\\x1b`, `\\u009b`, `\\frac`'s `\\f`)."""
    value = str(node.value)
    found = CONTROL.findall(value)
    char, written, command = found[0], "", ""
    source = file.source()
    line, col = file.position(node, value.index(char))
    if node.style == '"' and source is not None:
        start = node.start_mark.index
        for escape in _YAML_ESCAPE.finditer(source, start, node.end_mark.index):
            if _escaped(escape.group(1)) == char:
                # Counted from the scalar's start: a file of many such texts stays linear.
                at = escape.start()
                line = node.start_mark.line + 1 + source.count("\n", start, at)
                before = source.rfind("\n", start, at)
                col = at - before if before >= 0 else node.start_mark.column + 1 + at - start
                written = escape.group()
                command = _lost_command(source, start, node.end_mark.index, at)
                break
    message = f"this text holds the control character {control_name(char)}"
    if written:
        message += f" (written `{written}`)"
    message += (
        ", which a terminal would act on (move the cursor, clear the screen, retitle the "
        "window) when studykit shows it"
    )
    if command:
        message += (
            f": if `{command}` is math, write this text in single quotes or as a `|` block, "
            "where a backslash stays a backslash"
        )
    else:
        message += ": delete it"
    if len(found) > 1:
        message += f" ({len(found) - 1} more in this text)"
    file.error(message, line, col)


def check_math_escapes(file: FileCheck, node: yaml.Node) -> None:
    """In double quotes `\\nu` is a line break and `u`, `\\frac` a form feed and `rac`:
    YAML reads them without a word, so say where math lost its backslash."""
    from studykit.notes.markup import MATH

    source = file.source()
    if source is None:
        return
    start, end = node.start_mark.index, node.end_mark.index
    written = source[start:end]
    found = [
        (start + formula.start() + escape.start(1), escape.group(1))
        for formula in MATH.finditer(written)
        for escape in _MATH_ESCAPE.finditer(formula.group())
    ]
    if not found:
        return
    at = found[0][0]
    names = list(dict.fromkeys(f"`{escape}`" for _, escape in found))
    what = "escapes" if len(found) > 1 else "an escape"
    file.warn(
        f"in double quotes YAML reads {', '.join(names)} as {what}, not as math: write this "
        "text in single quotes or as a `|` block, where a backslash stays a backslash",
        source.count("\n", 0, at) + 1,
        at - (source.rfind("\n", 0, at) + 1) + 1,
    )


def _escaped(escape: str) -> str:
    """The character a double-quoted YAML escape (after its backslash) stands for."""
    if len(escape) > 1:
        code = int(escape[1:], 16)
        return chr(code) if code <= 0x10FFFF else ""
    return "\x85" if escape == "N" else _ONE_LETTER.get(escape, "")


def _lost_command(source: str, start: int, end: int, at: int) -> str:
    """The math command (`\\frac`, `\\beta`) whose backslash YAML read as the escape at `at`, if
    that escape lies in a formula of the double-quoted text `source[start:end]`."""
    from studykit.notes.markup import MATH

    command = _COMMAND.match(source, at)
    if command is None:
        return ""
    for formula in MATH.finditer(source[start:end]):
        if formula.start() < at - start < formula.end():
            return command.group()
    return ""
