"""LaTeX math as readable Unicode for the terminal: `h\\nu` reads hν, `\\frac{a}{b}` a/b, `x^2` x².

pylatexenc's latex2text does the symbols, Greek, fractions and fonts; it writes `x^2` as it
finds it, so sub- and superscripts made only of characters Unicode has in small form (digits,
`+ - = ( )`, most lowercase letters) are turned into them first. What latex2text would get wrong
gives None, and the caller shows the formula as written: an unknown macro or environment (it
would drop the macro silently), a reference (`\\cite`, `\\ref`: it writes a placeholder), a `%`
(the rest would be read as a comment) and LaTeX it cannot parse. pylatexenc is imported on
the first formula, never by commands whose notes hold none.
"""

from __future__ import annotations

import re
from functools import cache
from string import ascii_letters
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pylatexenc.latex2text import LatexNodes2Text

SUPERSCRIPTS = dict(
    zip(
        "0123456789+-=()abcdefghijklmnoprstuvwxyz",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ",
        strict=True,
    )
)
SUBSCRIPTS = dict(
    zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True)
)
# Sizing and style commands that change how a formula looks, not what it says.
_LOOKS = {"left", "right", "middle", "displaystyle", "textstyle", "limits", "nolimits"}
_LOOKS |= {f"{size}{side}" for size in ("big", "Big", "bigg", "Bigg") for side in ("", "l", "r")}
# What latex2text writes as a placeholder (`<cit.>`, `<ref>`) or as nothing, losing its text.
_PLACEHOLDERS = {"cite", "citep", "citet", "ref", "eqref", "pageref", "label", "input", "include"}
# Spaces before an operator are taken from the start of their run only: tried from each space
# of a long run, `\s*` would rescan the rest of it every time.
_OPERATOR = re.compile(r"(?:(?<!\s)\s++)?([×·÷≈≤≥≠≡∝∈∉⊂⊆⊃⊇∪∩→←↔⇒⇐⇔↦])\s*")
_WORD = re.compile(r"√?\w+|\W")
_COMMAND = re.compile(r"\\([A-Za-z]+|.)")

MAX_FORMULA_DEPTH = 32
"""Groups inside each other in one formula: `{...}`, `\\begin{...}...\\end{...}`, a command's
optional `[...]` (`\\sqrt[3]`), and the parentheses and brackets `(...)`, `[...]` (with or
without `\\left` and `\\right`), counted together. Real ones nest a few deep (`x^{2^{n}}` is
two, a continued fraction of ten levels twenty). Every converter recurses per level: Python's
stack gave out near 300 braces in pylatexenc and the handouts' parser, or a few hundred
environments, which contain no deep braces at all; and typst's parser stops at 255 levels of
delimiters and calls together ("maximum parsing depth exceeded", with no place in the notes),
which 300 plain `(` reached without a single brace. The typst math written for a formula
`check` accepts nests at most 128 levels: one per group counted here, and one per atom of
the handouts' parser, which stops at 96 (`latex._MAX_ATOMS_DEEP`)."""

# What nests, as the student wrote it, and what to check when there is too much of it.
_NESTING = {
    "{": ("`{...}`", "braces"),
    "begin": ("`\\begin{...}`", "\\begin and \\end"),
    "\\[": ("`\\name[...]`", "brackets"),
    "(": ("`(...)`", "parentheses"),
    "[": ("`[...]`", "brackets"),
}
_ENVIRONMENT = re.compile(r"\\(begin|end)\s*\{[^{}]*\}")  # the name's braces are no group
_OPTIONAL = re.compile(r"\\([A-Za-z]+)\s*\[")


def too_deep_formula(text: str) -> tuple[int, str] | None:
    """Where a formula in notes `text` nests deeper than MAX_FORMULA_DEPTH (the offset of the
    `{`, `\\begin`, `(` or `[` that goes too deep), and what to tell the student; None when
    none does."""
    if text.count("{") + text.count("[") + text.count("(") <= MAX_FORMULA_DEPTH:
        return None  # most notes: too few openers to nest that deep (each `\\begin` has a `{`)
    from studykit.notes.formulas import MATH

    for formula in MATH.finditer(text):
        found = _too_deep_at(formula.group())
        if found is not None:
            offset, kind = found
            what, fix = _NESTING[kind]
            return formula.start() + offset, (
                f"this formula nests {what} more than {MAX_FORMULA_DEPTH} deep; no formula "
                f"needs that many: check its {fix}, or split it"
            )
    return None


def _too_deep_at(tex: str) -> tuple[int, str] | None:
    """The offset of the first opener in `tex` deeper than MAX_FORMULA_DEPTH, and its kind
    (`{`, `begin`, `\\[`, `(` or `[`); `\\{` is a brace character, not a group.

    Each kind is closed by its own closer only. `(` and `[` are one kind: typst pairs any
    opening delimiter with any closing one (`[0, 1)` is an interval), and so does this count;
    pylatexenc reads a command's `[` as an argument (`\\sqrt[`), the same `]` closes it."""
    depth = 0
    braces = environments = delimiters = 0  # open `{`, `\begin`, and `(`, `[`, `\cmd[`
    position = 0
    while position < len(tex):
        char = tex[position]
        if char == "\\":
            environment = _ENVIRONMENT.match(tex, position)
            if environment:
                if environment[1] == "begin":
                    depth += 1
                    environments += 1
                    if depth > MAX_FORMULA_DEPTH:
                        return position, "begin"
                elif environments:
                    depth -= 1
                    environments -= 1
                position = environment.end()
                continue
            optional = _OPTIONAL.match(tex, position)
            if optional:
                depth += 1
                delimiters += 1
                if depth > MAX_FORMULA_DEPTH:
                    # `\left[` is a bracket the reader sizes, no argument.
                    return optional.end() - 1, "[" if optional[1] in _LOOKS else "\\["
                position = optional.end()
                continue
            position += 2  # `\{`, `\(`, `\left`: a command, never a group of its own
            continue
        if char in "{([":
            depth += 1
            if char == "{":
                braces += 1
            else:
                delimiters += 1
            if depth > MAX_FORMULA_DEPTH:
                return position, char
        elif char == "}" and braces:
            depth -= 1
            braces -= 1
        elif char in ")]" and delimiters:
            depth -= 1
            delimiters -= 1
        position += 1
    return None


def to_unicode(tex: str) -> str | None:
    """The formula `tex` (without its delimiters) as Unicode text, or None where it cannot be."""
    if _too_deep_at(tex) is not None:
        return None  # shown as written: converting would recurse past Python's stack
    converter = _converter()
    source = _scripts(re.sub(r"\\[dt]frac(?![A-Za-z])", r"\\frac", tex))
    if source is None:
        return None
    try:
        return _converted(converter, source)
    except Exception:
        # LaTeX pylatexenc cannot parse, and whatever else it raises: it has no error type of
        # its own for writing text, and the depth check counts what nests in it as known today,
        # so a RecursionError it still meets is shown as written too, not as a traceback.
        return None


def _converted(converter: LatexNodes2Text, source: str) -> str | None:
    """`source` read and written by pylatexenc, or None where it would lose or misread text."""
    from pylatexenc.latexwalker import (
        LatexCommentNode,
        LatexEnvironmentNode,
        LatexMacroNode,
        LatexWalker,
    )

    nodes, _, _ = LatexWalker(source, tolerant_parsing=False).get_latex_nodes()
    context = converter.latex_context
    for node in _walk(nodes):
        unknown = (
            isinstance(node, LatexCommentNode)
            or (
                isinstance(node, LatexMacroNode)
                and node.macroname not in _LOOKS
                and (
                    node.macroname in _PLACEHOLDERS
                    or context.get_macro_spec(node.macroname) is None
                )
            )
            or (
                isinstance(node, LatexEnvironmentNode)
                and context.get_environment_spec(node.environmentname) is None
            )
        )
        if unknown:
            return None
    text = converter.nodelist_to_text(nodes)
    # latex2text keeps the spaces of the source on one side of `\times` and not the other.
    return " ".join(_OPERATOR.sub(r" \1 ", text).split()) or None


def _walk(nodes: list[Any]) -> Any:
    """Every node of the tree, arguments included."""
    for node in nodes:
        if node is None:
            continue
        yield node
        yield from _walk(getattr(node, "nodelist", None) or [])
        arguments = getattr(node, "nodeargd", None)
        if arguments is not None:
            yield from _walk(arguments.argnlist or [])


def _scripts(tex: str) -> str | None:
    """`tex` with each `^x`, `^{...}`, `_x`, `_{...}` in small Unicode characters where they all
    exist, `^\\circ` as °, and other scripts of several characters in parentheses (`x^{(pq)}`),
    so that they read unambiguously once latex2text drops the braces. None if a brace is
    unbalanced."""
    out: list[str] = []
    position = 0
    while position < len(tex):
        char = tex[position]
        if char == "\\":
            out.append(tex[position : position + 2])
            position += 2
            continue
        if char not in "^_":
            out.append(char)
            position += 1
            continue
        start = position + 1
        while start < len(tex) and tex[start] == " ":
            start += 1
        script, after = _script_at(tex, start)
        if script is None:
            return None
        inner = _scripts(script[1:-1]) if script.startswith("{") else script
        if inner is None:
            return None
        small = _small(char, inner.strip())
        if not small.startswith(char) and _ends_with_command(out):
            out.append("{}")  # `\sum{}ᵢ`: a letter after `\sum` would lengthen its name
        out.append(small)
        position = after
    return "".join(out)


def _ends_with_command(out: list[str]) -> bool:
    """Whether the pieces, joined, end in a command name (`\\sum`): `\\\\[A-Za-z]+$` read from
    the end, as searching the joined pieces at each script made a formula's scripts quadratic."""
    letters = 0
    last = True
    for piece in reversed(out):
        if last and piece:
            last = False
            piece = piece.removesuffix("\n")  # `$` matches before a final line break too
        rest = piece.rstrip(ascii_letters)
        letters += len(piece) - len(rest)
        if rest:
            return letters > 0 and rest.endswith("\\")
    return False


def _script_at(tex: str, start: int) -> tuple[str | None, int]:
    """The script that starts at `start` (a character, a macro or a braced group) and its end."""
    if start >= len(tex):
        return None, start
    if tex[start] == "\\":
        name = _COMMAND.match(tex, start)
        assert name is not None
        return name[0], start + len(name[0])
    if tex[start] != "{":
        return tex[start], start + 1
    depth = 0
    position = start
    while position < len(tex):
        if tex[position] == "\\":
            position += 2
            continue
        depth += {"{": 1, "}": -1}.get(tex[position], 0)
        position += 1
        if depth == 0:
            return tex[start:position], position
    return None, position


def _small(mark: str, script: str) -> str:
    """One script as small characters, or as LaTeX latex2text will write readably."""
    if mark == "^" and script == r"\circ":
        return "°"
    table = SUPERSCRIPTS if mark == "^" else SUBSCRIPTS
    compact = script.replace(" ", "")
    if compact and all(char in table for char in compact):
        return "".join(table[char] for char in compact)
    if len(compact) <= 1 or re.fullmatch(r"\\[A-Za-z]+", compact):
        return f"{mark}{{{script}}}"
    return f"{mark}{{({script})}}"


@cache
def _converter() -> LatexNodes2Text:
    from pylatexenc.latex2text import (
        LatexNodes2Text,
        MacroTextSpec,
        get_default_latex_context_db,
    )

    context = get_default_latex_context_db()
    context.add_context_category(
        "studykit",
        macros=[MacroTextSpec("frac", simplify_repl=_frac), MacroTextSpec("sqrt", _sqrt)],
        prepend=True,
    )
    return LatexNodes2Text(latex_context=context, strict_latex_spaces="based-on-source")


def _frac(node: Any, l2tobj: LatexNodes2Text) -> str:
    """`\\frac{a}{b}` as a/b, with parentheses around a part of several terms: (a+b)/c."""
    top, bottom = (_part(arg, l2tobj) for arg in node.nodeargd.argnlist[-2:])
    return f"{top}/{bottom}"


def _sqrt(node: Any, l2tobj: LatexNodes2Text) -> str:
    """`\\sqrt{x}` as √x, `\\sqrt{x+1}` as √(x+1), `\\sqrt[3]{x}` as ³√x."""
    index, radicand = node.nodeargd.argnlist[-2:]
    root = "√" + _part(radicand, l2tobj)
    if index is None:
        return root
    degree = _text(index, l2tobj)
    if all(char in SUPERSCRIPTS for char in degree):
        return "".join(SUPERSCRIPTS[char] for char in degree) + root
    return f"({degree})" + root


def _part(arg: Any, l2tobj: LatexNodes2Text) -> str:
    text = _text(arg, l2tobj)
    return text if _WORD.fullmatch(text) or _bracketed(text) else f"({text})"


def _bracketed(text: str) -> bool:
    """Whether `text` is one pair of parentheses and what they hold: `(a+b)`, not `(a)+(b)`."""
    depth = 0
    for position, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and position < len(text) - 1:
            return False
    return text.startswith("(") and depth == 0


def _text(arg: Any, l2tobj: LatexNodes2Text) -> str:
    if arg is None:
        return ""
    return " ".join(str(l2tobj.nodelist_to_text([arg])).split())
