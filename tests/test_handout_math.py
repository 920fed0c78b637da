"""LaTeX in notes, converted for the PDF (typst math) and the HTML page (MathML)."""

from __future__ import annotations

import json
import re

import pytest
from handout_helpers import pdf_text
from hypothesis import given, settings
from hypothesis import strategies as st

from studykit.notes import latex


@pytest.mark.parametrize(
    ("source", "typst"),
    [
        ("x^2", "attach(x, t: 2)"),
        ("x_1^2", "attach(x, b: 1, t: 2)"),
        (r"\frac{a}{b}", "frac(a, b)"),
        (r"\frac{a,b}{c}", "frac(a comma b, c)"),
        (r"\sqrt{2}", "sqrt(2)"),
        (r"\sqrt[3]{x}", "root(3, x)"),
        (r"\sqrt[n+1]{a_i}", "root(n + 1, attach(a, b: i))"),
        (r"\sqrt{[a]}", "sqrt([ a ])"),
        (r"\alpha \le \beta", "alpha lt.eq beta"),
        (r"\sum_{i=1}^{n} i", "attach(sum, b: i = 1, t: n) i"),
        (r"\text{GDP \"per\" head}", r'"GDP \\\"per\\\" head"'),
        (r"\log x", 'op("log") x'),
        ("a/b", "a \\/ b"),
        (r"10\% \times 3.5", "10 percent times 3.5"),
        (r"\left( a + b \right)", "( a + b )"),
        ("ab", "a b"),
    ],
)
def test_the_common_subset_converts_to_typst(source: str, typst: str) -> None:
    assert latex.to_typst(latex.parse(source)) == typst


@pytest.mark.parametrize(
    "source",
    [
        *[r"\sqrt[3", r"\sqrt[3}{x}", r"\begin{matrix}", r"\unknown{x}"],
        *["x^", "{a", "a}", "x^1^2", "a\\\\b", "é"],
    ],
)
def test_beyond_the_subset_is_refused(source: str) -> None:
    with pytest.raises(latex.LatexError):
        latex.parse(source)


def test_mathml_escapes_and_structures() -> None:
    mathml = latex.to_mathml(latex.parse(r"\frac{a<b}{c} + x_1^2"))
    assert mathml == (
        "<math><mrow><mfrac><mrow><mi>a</mi><mo>&lt;</mo><mi>b</mi></mrow><mi>c</mi></mfrac>"
        "<mo>+</mo><msubsup><mi>x</mi><mn>1</mn><mn>2</mn></msubsup></mrow></math>"
    )


def test_a_root_with_an_index_is_mroot() -> None:
    # Before, `[3]` was read as the radicand `[` and `3]` after it: a root of a bracket.
    assert latex.to_mathml(latex.parse(r"\sqrt[3]{x}")) == (
        "<math><mroot><mi>x</mi><mn>3</mn></mroot></math>"
    )


# Outside string literals, typst code from the converter uses only these characters.
_CODE = re.compile(r'^(?:[A-Za-z0-9 .,:()\[\]+\-=<>|!\'*\\/]|"(?:[^"\\]|\\.)*")*$')
_PIECES = [*'xy12+-=^_{}()\\ab"#$%&/,.', r"\frac", r"\alpha", r"\text{", r"\sqrt"]
_LATEX = st.lists(st.sampled_from(_PIECES), max_size=20).map("".join)


@given(_LATEX)
def test_converted_code_holds_no_raw_user_characters(source: str) -> None:
    try:
        code = latex.to_typst(latex.parse(source))
    except latex.LatexError:
        return
    assert _CODE.match(code), code


@settings(max_examples=1, deadline=None)
@given(st.just(None))
def test_every_supported_symbol_typesets(_: None) -> None:
    import typst

    sources = [f"\\{name}" for name in latex._SYMBOLS]
    sources.append(r"\frac{a}{b} + \sqrt{x_1^2} + \sqrt[3]{y}")
    codes = [latex.to_typst(latex.parse(s)) for s in sources]
    template = b"""#for m in json(bytes(sys.inputs.data)) [
      #math.equation(block: false, eval(m, mode: "math")) \\
    ]"""
    pdf = typst.compile(template, sys_inputs={"data": json.dumps(codes)})
    text = pdf_text(pdf)
    assert "∑" in text and "≤" in text and "√" in text, text
