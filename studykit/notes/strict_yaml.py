"""Strict YAML reading: a node tree with line marks, where every scalar stays the text as written.

PyYAML's own loaders turn `no` into False and `2024-01-01` into a date, accept duplicate keys
silently and, with the unsafe loaders, construct arbitrary objects from tags. We never construct:
we compose the document into nodes (libyaml does that in C when present, about 9x faster than the
pure-Python parser) and let the notes validator read the nodes' text and marks. Anchors, aliases
and explicit tags are refused before composing, so an alias bomb never expands. What a file that
does not parse is told is `yaml_messages`'s.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, AnyStr

from studykit.errors import StudykitError

if TYPE_CHECKING:
    import yaml
from studykit.notes.yaml_messages import parse_error, quote_hint

MAX_FILE_BYTES = 1024 * 1024
"""Notes files are hand-written; anything larger is a mistake (a PDF saved as .yaml, a log).
The shipped sections are under 10 KB; ingest cuts a reading into sections of at most 256 KB."""
MAX_LINE_CHARS = 10_000
"""A line of notes is a paragraph at most (the shipped notes' longest is 595 characters). The
hints for a line that does not parse quote and search it, so a limit keeps them quick and short;
ingest breaks longer lines of the texts it writes (yaml_writer.py)."""
MAX_NESTING = 50
"""Lists and mappings inside each other: a section goes 3 deep (questions, an item, its keys),
so deeper is a mistake or an attack. Composing recurses per level: libyaml stops at 1,000 in
words of its own, PyYAML's own composer (where libyaml is missing) at a few hundred."""

_BOM = b"\xef\xbb\xbf"
# Characters YAML 1.1 forbids; libyaml rejects them without saying where.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def read_yaml(path: Path, max_bytes: int = MAX_FILE_BYTES) -> yaml.Node | None:
    """Read one YAML file into a node tree; None for a file without a document."""
    try:
        size = path.stat().st_size
        if size <= max_bytes:
            with path.open("rb") as file:
                # Never more than the limit in memory, even from a file that grew since. What
                # the size says first: asked for the limit at once, the reader would make a
                # buffer of a megabyte for every file (a tenth of composing one).
                data = file.read(size + 1)
                if len(data) > size:
                    data += file.read(max_bytes + 1 - len(data))
            size = max(size, len(data))
    except OSError as exc:
        raise StudykitError(f"cannot read file: {exc.strerror or exc}", path) from exc
    if size > max_bytes:
        raise StudykitError(
            f"file is {size:,} bytes; notes files are limited to {max_bytes:,}", path
        )
    return parse_yaml(data, path)


def parse_yaml(data: bytes | str, path: Path) -> yaml.Node | None:
    """Parse YAML text or UTF-8 bytes (a BOM is accepted) into nodes, or raise StudykitError."""
    text = _decode(data, path)
    try:
        return _compose(text, path)
    except StudykitError:
        # A control character is the first thing to say about a file. Looked for only here:
        # YAML's reader refuses every one of them (the same set), so a text that composed has
        # none, and a scan of every file's text would cost a tenth of composing it.
        _refuse_unprintable(text, path)
        raise


def _compose(text: str, path: Path) -> yaml.Node | None:
    _refuse_long_lines(text, path)
    import yaml

    loader_class = _node_loader()
    try:
        if _may_have_anchor_or_tag(text):
            _refuse_anchors_and_tags(text, path, loader_class)
        loader = loader_class(text)
        try:
            node: yaml.Node | None = loader.get_single_node()
        except RecursionError:
            # Only PyYAML's own composer (where libyaml is missing) recurses in Python, and it
            # gives out a few hundred levels deep: deeper than any notes nest, so say that.
            raise StudykitError(_too_deep(), path) from None
        finally:
            loader.dispose()
        if node is not None:
            _refuse_deep_nesting(node, path)
        return node
    except yaml.MarkedYAMLError as exc:
        if exc.problem and "maximum nesting depth" in exc.problem and exc.problem_mark:
            at = exc.problem_mark
            raise StudykitError(_too_deep(), path, at.line + 1, at.column + 1) from exc
        raise parse_error(exc, text, path, loader_class) from exc
    except yaml.YAMLError as exc:
        raise StudykitError(f"invalid YAML: {exc}", path) from exc


@cache
def _node_loader() -> Any:
    """libyaml's loader (or PyYAML's own where libyaml is missing) that resolves no types.

    Every scalar is text here, so guessing `no` is a boolean is wasted work: the composer asks
    `resolve` for each scalar, and this one answers at once.
    """
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    tags = {
        yaml.ScalarNode: "tag:yaml.org,2002:str",
        yaml.SequenceNode: "tag:yaml.org,2002:seq",
        yaml.MappingNode: "tag:yaml.org,2002:map",
    }

    def resolve(self: Any, kind: type, value: Any, implicit: Any) -> str:
        return tags[kind]

    return type("NodeLoader", (base,), {"resolve": resolve})


def _decode(data: bytes | str, path: Path) -> str:
    if isinstance(data, str):
        try:
            data = data.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise StudykitError("text is not valid Unicode", path) from exc
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _position(data, exc.start, b"\n")
        raise StudykitError(
            f"not UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8", path, line, col
        ) from exc
    return text


def _refuse_unprintable(text: str, path: Path) -> None:
    """A located error for the first character YAML does not allow in a file."""
    bad = _UNPRINTABLE.search(text)
    if bad:
        line, col = _position(text, bad.start(), "\n")
        raise StudykitError(
            f"control character U+{ord(bad.group()):04X} is not allowed in YAML", path, line, col
        )


def _position(data: AnyStr, offset: int, newline: AnyStr) -> tuple[int, int]:
    before = data[:offset]
    return before.count(newline) + 1, offset - (before.rfind(newline) + 1) + 1


def _may_have_anchor_or_tag(text: str) -> bool:
    """Whether `&`, `*` or `!` may start a token: where a node may start.

    Listing the characters a token may follow directly is how this guard was once bypassed:
    libyaml also breaks lines on U+0085, U+2028, U+2029 and starts a token after a BOM. So the
    rule is YAML's own: a node (and with it an anchor, alias or tag) starts only at the start of
    a line, or after an indicator that opens one (`-`, `?`, `:`, `,`, `[`, `{`), blanks between.
    Everything else is inside text already begun, as `**bold**` in `- a **bold** claim` is.
    An anchor or alias also needs a name (ASCII letters, digits, `-`, `_`). A scan costs about
    as much as composing, so an unneeded one only doubles a quick read.
    """
    for char in "&*!":
        i = text.find(char)
        while i != -1:
            after = text[i + 1 : i + 2]
            if (char == "!" or _ANCHOR_NAME.match(after)) and _node_may_start(text, i):
                return True
            i = text.find(char, i + 1)
    return False


_NODE_STARTS = frozenset("-?:,[{\n\r\x85\u2028\u2029\ufeff")


def _node_may_start(text: str, at: int) -> bool:
    """Whether a YAML node may start at `at`: what comes before it, past blanks, is the start of
    the text, a line break or an indicator that opens a node."""
    before = at - 1
    while before >= 0 and text[before] in " \t":
        before -= 1
    return before < 0 or text[before] in _NODE_STARTS


_ANCHOR_NAME = re.compile("[0-9A-Za-z_-]")


def _refuse_long_lines(text: str, path: Path) -> None:
    """A located error for the first line longer than MAX_LINE_CHARS."""
    if len(text) <= MAX_LINE_CHARS:
        return
    for number, line in enumerate(text.split("\n"), 1):
        if len(line) > MAX_LINE_CHARS:
            raise StudykitError(
                f"this line is {len(line):,} characters long; notes lines hold at most "
                f"{MAX_LINE_CHARS:,}: break it over several lines (in plain text or a `>` "
                "block YAML joins them with spaces)",
                path,
                number,
                MAX_LINE_CHARS + 1,
            )


def _refuse_deep_nesting(root: yaml.Node, path: Path) -> None:
    """A located error at the first node (in file order) nested too deep.

    A loop, not recursion: the point is to stop what recursion cannot take. It goes level by
    level, each level's nodes in file order, so the first node found below MAX_NESTING levels
    is the first in the file; only lists and mappings are carried to the next level.
    """
    import yaml

    level: list[yaml.Node] = [] if isinstance(root, yaml.ScalarNode) else [root]
    depth = 1
    while level:
        children: list[yaml.Node] = []
        for node in level:
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    children.append(key)
                    children.append(value)
            else:
                children.extend(node.value)
        depth += 1
        if depth > MAX_NESTING and children:
            mark = children[0].start_mark
            raise StudykitError(_too_deep(), path, mark.line + 1, mark.column + 1)
        level = [child for child in children if not isinstance(child, yaml.ScalarNode)]


def _too_deep() -> str:
    return (
        f"nesting too deep: lists and mappings go more than {MAX_NESTING} levels in here, where "
        "a section needs 3 (questions, an item, its keys): check the brackets and indentation"
    )


def _refuse_anchors_and_tags(text: str, path: Path, loader_class: Any) -> None:
    """Scan the event stream (cheap in libyaml) for anchors, aliases and explicit tags."""
    import yaml

    loader = loader_class(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            anchor = getattr(event, "anchor", None)
            tag = getattr(event, "tag", None)
            if anchor is None and tag is None:
                continue
            mark = event.start_mark
            where = (path, mark.line + 1, mark.column + 1)
            hint = quote_hint(text, mark.line)  # only here: it splits the whole text
            if isinstance(event, yaml.AliasEvent):
                raise StudykitError(
                    f"aliases (*{anchor}) are not allowed; write the text out{hint}", *where
                )
            if anchor is not None:
                raise StudykitError(f"anchors (&{anchor}) are not allowed{hint}", *where)
            raise StudykitError(
                f"tags ({_short_tag(str(tag))}) are not allowed; every value is plain text{hint}",
                *where,
            )
    finally:
        loader.dispose()


def _short_tag(tag: str) -> str:
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix) :] if tag.startswith(prefix) else tag


# -- reading nodes -----------------------------------------------------------------------------


def node_kind(node: yaml.Node) -> str:
    """How a node reads in a message: a mapping, a list, or text '...'."""
    import yaml

    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"text {node.value!r}"


def child_node(node: yaml.MappingNode, key: str) -> yaml.Node:
    """The value node of `key` in a mapping node that has it."""
    child: yaml.Node = next(v for k, v in node.value if k.value == key)
    return child


def offset_position(node: yaml.Node, offset: int, source: str | None = None) -> tuple[int, int]:
    """Line and column of a character of a scalar's value, where the YAML keeps them knowable.

    With the file's text as `source`, escapes in quoted text (`''`, `\\\\`, `\\u00e9`) and the
    indentation of a `|` block are counted as written; without it, as the value reads.
    """
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    before = node.value[:offset]
    style = getattr(node, "style", None)
    if style == "|":
        at = line + 1 + before.count("\n")
        if source is None:
            return at, 0
        lines = source.split("\n")
        written = lines[at - 1] if at <= len(lines) else ""
        value_line = node.value.split("\n")[before.count("\n")]
        indent = len(written) - len(value_line) if written.endswith(value_line) else 0
        return at, indent + len(before) - (before.rfind("\n") + 1) + 1
    if node.start_mark.line == node.end_mark.line:
        if style not in ('"', "'"):
            return line, col + offset
        if source is not None:
            written = source[node.start_mark.index + 1 : node.end_mark.index - 1]
            offset = _written_length(written, style, offset)
        return line, col + 1 + offset
    if source is not None and style in (">", "", None):  # folded, or plain (libyaml says "")
        # Folding turns line breaks and indentation into spaces and nothing else, so the
        # value's visible characters are the text's, in order: count them.
        start = node.start_mark.index
        if style == ">":
            start = source.find("\n", start) + 1  # past the `>-` line
        return _visible_position(source, start, node.end_mark.index, before)
    return line, col


def _visible_position(source: str, start: int, end: int, before: str) -> tuple[int, int]:
    """Line and column in `source[start:end]` of the first visible character after as many
    visible characters as `before` holds."""
    count = len(before) - sum(map(before.count, " \n\t\r"))
    at = start
    for at in range(start, end):
        if source[at] not in " \n\t\r":
            if count == 0:
                break
            count -= 1
    line_start = source.rfind("\n", 0, at) + 1
    return source.count("\n", 0, at) + 1, at - line_start + 1


def _written_length(written: str, style: str, count: int) -> int:
    """How many characters of quoted text as written make its first `count` characters."""
    at = 0
    for _ in range(count):
        if at >= len(written):
            break
        if style == "'" and written.startswith("''", at):
            at += 2
        elif style == '"' and written[at] == "\\":
            at += {"x": 4, "u": 6, "U": 10}.get(written[at + 1 : at + 2], 2)
        else:
            at += 1
    return at
