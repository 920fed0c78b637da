"""The common subset of LaTeX math in notes, converted to typst math and to MathML.

Notes write math as `$...$` or `\\(...\\)` for Anki's MathJax. Handouts have no MathJax, so the
subset students use (letters, numbers, operators, Greek letters, relations, arrows, `\\frac`,
`\\sqrt`, `\\text`, sub- and superscripts, big operators, function names) is parsed here into a
small tree and written out for each engine. Anything beyond the subset raises LatexError and the
caller shows the source as written: a formula is never guessed at. A cloze deletion inside a
formula stays part of it: its answer is set in bold where it stands, or a blank in its place.

The typst output is built only from fixed names, single ASCII letters, digits and quoted
strings, so no character a student wrote can reach typst as code.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from studykit.notes.mathtext import MAX_FORMULA_DEPTH


class LatexError(ValueError):
    """The formula uses LaTeX beyond the supported subset."""


@dataclass(frozen=True)
class Node:
    """One piece of a formula: `kind` is mi, mn, mo, mtext, mspace, row, frac, sqrt, attach,
    deletion (a cloze answer, shown) or blank (a cloze answer, hidden; `text` is its hint)."""

    kind: str
    text: str = ""
    # row: items; frac: num, den; sqrt: body; attach: base, sub, sup; deletion: the answer
    args: tuple[Node, ...] = ()


_EMPTY = Node("row")

# LaTeX command -> (Unicode character, typst name, MathML element)
_SYMBOLS: dict[str, tuple[str, str, str]] = {
    **{
        name: (char, name, "mi")
        for name, char in zip(
            "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho "
            "sigma tau upsilon phi chi psi omega".split(),
            "αβγδεζηθικλμνξπρστυφχψω",
            strict=True,
        )
    },
    **{
        name: (char, name, "mi")
        for name, char in zip(
            "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega".split(),
            "ΓΔΘΛΞΠΣΥΦΨΩ",
            strict=True,
        )
    },
    "varepsilon": ("ε", "epsilon", "mi"),
    "varphi": ("φ", "phi", "mi"),
    "infty": ("∞", "infinity", "mi"),
    "partial": ("∂", "partial", "mi"),
    "nabla": ("∇", "nabla", "mi"),
    "times": ("×", "times", "mo"),
    "cdot": ("⋅", "dot.op", "mo"),
    "div": ("÷", "div", "mo"),
    "pm": ("±", "plus.minus", "mo"),
    "mp": ("∓", "minus.plus", "mo"),
    "le": ("≤", "lt.eq", "mo"),
    "leq": ("≤", "lt.eq", "mo"),
    "ge": ("≥", "gt.eq", "mo"),
    "geq": ("≥", "gt.eq", "mo"),
    "neq": ("≠", "eq.not", "mo"),
    "ne": ("≠", "eq.not", "mo"),
    "approx": ("≈", "approx", "mo"),
    "equiv": ("≡", "equiv", "mo"),
    "sim": ("∼", "tilde.op", "mo"),
    "propto": ("∝", "prop", "mo"),
    "to": ("→", "arrow.r", "mo"),
    "rightarrow": ("→", "arrow.r", "mo"),
    "leftarrow": ("←", "arrow.l", "mo"),
    "Rightarrow": ("⇒", "arrow.r.double", "mo"),
    "leftrightarrow": ("↔", "arrow.l.r", "mo"),
    "in": ("∈", "in", "mo"),
    "notin": ("∉", "in.not", "mo"),
    "subset": ("⊂", "subset", "mo"),
    "cup": ("∪", "union", "mo"),
    "cap": ("∩", "inter", "mo"),
    "forall": ("∀", "forall", "mo"),
    "exists": ("∃", "exists", "mo"),
    "circ": ("∘", "compose", "mo"),
    "ldots": ("…", "dots.h", "mo"),
    "cdots": ("⋯", "dots.c", "mo"),
    "sum": ("∑", "sum", "mo"),
    "prod": ("∏", "product", "mo"),
    "int": ("∫", "integral", "mo"),
    "%": ("%", "percent", "mo"),
    "$": ("$", "dollar", "mo"),
    "{": ("{", "brace.l", "mo"),
    "}": ("}", "brace.r", "mo"),
    "&": ("&", "amp", "mo"),
}
_FUNCTIONS = frozenset("log ln lg exp sin cos tan max min lim det gcd".split())
# Spacing commands -> (typst spacing, width in em for MathML). `\,` is a thin space, not a
# word: as a string (`" "`) typst set it nearly a quad wide. `\!` (a negative thin space)
# only tightens a formula, and typst has no name for it: in the PDF it is left out.
_SPACES: dict[str, tuple[str, str]] = {
    ",": ("thin", "0.1667em"),
    "thinspace": ("thin", "0.1667em"),
    ":": ("med", "0.2222em"),
    ">": ("med", "0.2222em"),
    "medspace": ("med", "0.2222em"),
    ";": ("thick", "0.2778em"),
    "thickspace": ("thick", "0.2778em"),
    " ": ("space", "0.3333em"),
    "quad": ("quad", "1em"),
    "qquad": ("wide", "2em"),
    "!": ('""', "-0.1667em"),
}
_IGNORED = frozenset({"left", "right", "displaystyle", "limits"})
_TEXT_COMMANDS = frozenset({"text", "mathrm", "textrm", "operatorname"})
# Characters that stand for themselves, with their typst spelling (separated by spaces, so
# that `-` `>` never fuse into typst's `->` arrow, and `/` never becomes a fraction).
_OPERATORS = {
    "+": "+",
    "-": "-",
    "=": "=",
    "<": "<",
    ">": ">",
    "(": "(",
    ")": ")",
    "[": "[",
    "]": "]",
    "|": "|",
    "!": "!",
    "'": "'",
    "*": "*",
    ":": ":",
    ".": ".",
    ",": "comma",
    ";": "semi",
    "/": "\\/",
}
_TOKEN = re.compile(r"\\([A-Za-z]+|.)|(\d+(?:\.\d+)?)|(\s+)|(.)", re.DOTALL)
# A piece made apart from the LaTeX around it (`parse_around`) stands in the source as one
# character of Unicode's supplementary private use area, numbered from the first.
_HOLE = 0xF0000
_HOLES = re.compile("[\U000f0000-\U000fffff]")


def parse(source: str) -> Node:
    """The formula as a tree; LatexError when it is beyond the subset."""
    return _parse(source, ())


def parse_around(pieces: list[str | Node]) -> Node:
    """A formula written in pieces: LaTeX, and between it nodes made apart (a cloze answer in
    bold, a blank), each one atom where it stands: `{{CO}}_2` attaches the 2 to the answer."""
    holes: list[Node] = []
    source: list[str] = []
    for piece in pieces:
        if isinstance(piece, Node):
            source.append(chr(_HOLE + len(holes)))
            holes.append(piece)
        else:
            # Such a character in the notes is no hole: unsupported, like any other.
            source.append(_HOLES.sub("\ufffd", piece))
    return _parse("".join(source), tuple(holes))


def _parse(source: str, holes: tuple[Node, ...]) -> Node:
    matches = [m for m in _TOKEN.finditer(source) if not m[3]]
    parser = _Parser(source, matches, holes)
    node = parser.row(closing=False)
    if parser.pos != len(matches):
        raise LatexError("unbalanced `}`")
    return node


# Atoms inside atoms: a `{...}` group is one, `\frac{`'s argument two, a bare `\sqrt\sqrt`
# one each. A formula `check` accepts nests at most MAX_FORMULA_DEPTH groups; anything deeper
# is shown as written before the parser (and the writers, which recurse over its tree) could
# run out of Python's stack (about 3 frames an atom).
_MAX_ATOMS_DEEP = 3 * MAX_FORMULA_DEPTH


class _Parser:
    def __init__(self, source: str, matches: list[re.Match[str]], holes: tuple[Node, ...]):
        self.source = source
        self.holes = holes
        self.matches = matches
        self.tokens = [(m.group(1), m.group(2), m.group(4)) for m in matches]
        self.pos = 0
        self.depth = 0  # atoms being parsed, each inside the one before

    def row(self, closing: bool, end: str = "}") -> Node:
        items: list[Node] = []
        while self.pos < len(self.tokens):
            command, _, char = self.tokens[self.pos]
            if char == "}" or (char == end and closing):
                if not closing or char != end:
                    raise LatexError("unbalanced `}`")
                break
            if char in ("^", "_"):
                if not items:
                    items.append(Node("mtext"))
                items[-1] = self.attach(items[-1])
                continue
            if command == "\\":
                raise LatexError("line breaks are not supported")
            node = self.atom()
            if node is not None:
                items.append(node)
        return items[0] if len(items) == 1 else Node("row", args=tuple(items))

    def attach(self, base: Node) -> Node:
        sub, sup = (base.args[1], base.args[2]) if base.kind == "attach" else (_EMPTY, _EMPTY)
        if base.kind == "attach":
            base = base.args[0]
        while self.pos < len(self.tokens) and self.tokens[self.pos][2] in ("^", "_"):
            mark = self.tokens[self.pos][2]
            self.pos += 1
            script = self.argument()
            if mark == "^":
                if sup != _EMPTY:
                    raise LatexError("double superscript")
                sup = script
            else:
                if sub != _EMPTY:
                    raise LatexError("double subscript")
                sub = script
        return Node("attach", args=(base, sub, sup))

    def argument(self) -> Node:
        if self.pos >= len(self.tokens):
            raise LatexError("missing argument")
        node = self.atom()
        return _EMPTY if node is None else node

    def atom(self) -> Node | None:
        if self.depth >= _MAX_ATOMS_DEEP:
            raise LatexError("nested too deeply")
        self.depth += 1
        try:
            return self.atom_here()
        finally:
            self.depth -= 1

    def atom_here(self) -> Node | None:
        command, number, char = self.tokens[self.pos]
        self.pos += 1
        if number is not None:
            return Node("mn", number)
        if char is not None:
            if char == "{":
                node = self.row(closing=True)
                if self.pos >= len(self.tokens):
                    raise LatexError("`{` is not closed")
                self.pos += 1
                return node
            if char.isascii() and char.isalpha():
                return Node("mi", char)
            if char in _OPERATORS:
                return Node("mo", char)
            if 0 <= ord(char) - _HOLE < len(self.holes):
                return self.holes[ord(char) - _HOLE]
            raise LatexError(f"unsupported character {char!r}")
        assert command is not None
        return self.command(command)

    def command(self, name: str) -> Node | None:
        if name in _IGNORED:
            return None
        if name in _SPACES:
            return Node("mspace", name)
        if name in _SYMBOLS:
            return Node(_SYMBOLS[name][2], name)
        if name in _FUNCTIONS:
            return Node("mi", name)
        if name == "frac":
            return Node("frac", args=(self.argument(), self.argument()))
        if name == "sqrt":
            index = self.optional()
            radicand = self.argument()
            return Node("sqrt", args=(radicand,) if index is None else (radicand, index))
        if name in _TEXT_COMMANDS:
            return Node("mtext", self.raw_group())
        raise LatexError(f"unsupported command \\{name}")

    def optional(self) -> Node | None:
        """A command's optional `[...]` argument (`\\sqrt[3]`), if one follows."""
        if self.pos >= len(self.tokens) or self.tokens[self.pos][2] != "[":
            return None
        self.pos += 1
        node = self.row(closing=True, end="]")
        if self.pos >= len(self.tokens):
            raise LatexError("`[` is not closed")
        self.pos += 1
        return node

    def raw_group(self) -> str:
        """The literal text of a `{...}` argument, for `\\text{...}`."""
        if self.pos >= len(self.tokens) or self.tokens[self.pos][2] != "{":
            raise LatexError("\\text needs a {...} argument")
        start = self.matches[self.pos].end()
        depth = 0
        while self.pos < len(self.tokens):
            char = self.tokens[self.pos][2]
            self.pos += 1
            depth += {"{": 1, "}": -1}.get(char or "", 0)
            if depth == 0:
                text = self.source[start : self.matches[self.pos - 1].start()]
                if _HOLES.search(text):
                    raise LatexError("a cloze deletion inside \\text")
                return text
        raise LatexError("`{` is not closed")


def to_typst(node: Node) -> str:
    """Typst math code for the tree, made only of fixed names, letters, digits and strings."""
    kind = node.kind
    if kind == "mn":
        return node.text
    if kind == "mi":
        if node.text in _SYMBOLS:
            return _SYMBOLS[node.text][1]
        return node.text if len(node.text) == 1 else f'op("{node.text}")'
    if kind == "mo":
        return _SYMBOLS[node.text][1] if node.text in _SYMBOLS else _OPERATORS[node.text]
    if kind == "mtext":
        return _string(node.text)
    if kind == "mspace":
        return _SPACES[node.text][0]
    if kind == "deletion":
        return f"bold({to_typst(node.args[0])})"
    if kind == "blank":
        # The templates give `blank`: the line a handout leaves for a hidden answer.
        return f"blank({_string(node.text)})"
    if kind == "row":
        return " ".join(to_typst(a) for a in node.args) if node.args else '""'
    if kind == "frac":
        return f"frac({to_typst(node.args[0])}, {to_typst(node.args[1])})"
    if kind == "sqrt" and len(node.args) == 2:
        return f"root({to_typst(node.args[1])}, {to_typst(node.args[0])})"
    if kind == "sqrt":
        return f"sqrt({to_typst(node.args[0])})"
    base, sub, sup = node.args
    parts = [to_typst(base)]
    if sub != _EMPTY:
        parts.append(f"b: {to_typst(sub)}")
    if sup != _EMPTY:
        parts.append(f"t: {to_typst(sup)}")
    return f"attach({', '.join(parts)})"


def _string(text: str) -> str:
    """A typst string literal: the one way a student's characters reach typst code."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_mathml(node: Node, display: bool = False) -> str:
    """A `<math>` element for browsers (MathML Core), every character escaped."""
    mode = ' display="block"' if display else ""
    return f"<math{mode}>{_mathml(node)}</math>"


def _mathml(node: Node) -> str:
    kind = node.kind
    if kind in ("mi", "mo") and node.text in _SYMBOLS:
        return f"<{kind}>{html.escape(_SYMBOLS[node.text][0])}</{kind}>"
    if kind in ("mi", "mo", "mn"):
        return f"<{kind}>{html.escape(node.text)}</{kind}>"
    if kind == "mtext":
        return f"<mtext>{html.escape(node.text)}</mtext>"
    if kind == "mspace":
        return f'<mspace width="{_SPACES[node.text][1]}"/>'
    if kind == "deletion":
        return f'<mrow class="deletion">{_mathml(node.args[0])}</mrow>'
    if kind == "blank":
        return f'<mtext class="blank" title="answer left out">{html.escape(node.text)}</mtext>'
    if kind == "row":
        return "<mrow>" + "".join(_mathml(a) for a in node.args) + "</mrow>"
    if kind == "frac":
        return f"<mfrac>{_mathml(node.args[0])}{_mathml(node.args[1])}</mfrac>"
    if kind == "sqrt" and len(node.args) == 2:
        return f"<mroot>{_mathml(node.args[0])}{_mathml(node.args[1])}</mroot>"
    if kind == "sqrt":
        return f"<msqrt>{_mathml(node.args[0])}</msqrt>"
    base, sub, sup = (_mathml(a) for a in node.args)
    if node.args[1] == _EMPTY:
        return f"<msup>{base}{sup}</msup>"
    if node.args[2] == _EMPTY:
        return f"<msub>{base}{sub}</msub>"
    return f"<msubsup>{base}{sub}{sup}</msubsup>"
