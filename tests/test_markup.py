"""Notes text to card HTML: what Anki will render for the student."""

from __future__ import annotations

import pytest

from studykit.notes.cloze import parse_cloze
from studykit.notes.markup import cloze_html, to_html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("plain words", "plain words"),
        ("a<b & c>d", "a&lt;b &amp; c&gt;d"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("**bold**, *em* and `code`", "<strong>bold</strong>, <em>em</em> and <code>code</code>"),
        ("[Anki](https://apps.ankiweb.net)", '<a href="https://apps.ankiweb.net">Anki</a>'),
        ("[x](javascript:alert(1))", "[x](javascript:alert(1))"),
        ("area $\\pi r^2$ here", "area \\(\\pi r^2\\) here"),
        ("keep \\(a<b\\) and \\[x\\]", "keep \\(a&lt;b\\) and \\[x\\]"),
        ("$$E = mc^2$$", "\\[E = mc^2\\]"),
        ("costs $5 and $10", "costs $5 and $10"),
        ("literal {{ braces }}", "literal {{ braces }}"),
        ("two\nlines", "two<br>\nlines"),
    ],
)
def test_text_to_html(text: str, html: str) -> None:
    assert to_html(text) == html


def test_images_get_their_packaged_names() -> None:
    html = to_html("see ![the map](figures/map.png)", {"figures/map.png": "map-0123.png"})
    assert html == 'see <img src="map-0123.png" alt="the map">'


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("The {{Lushan}} conference", "The {{c1::Lushan}} conference"),
        ("In {{1959::year}}, {{Peng}}", "In {{c1::1959::year}}, {{c2::Peng}}"),
        ("**{{bold answer}}**", "<strong>{{c1::bold answer}}</strong>"),
        ("set {{{1}}}", "set {{c1::{1&#125;}}"),
        ("{{std\\::vector}}", "{{c1::std&#58;&#58;vector}}"),
        ("{{a::hint::with colons}}", "{{c1::a::hint&#58;&#58;with colons}}"),
        ("{{x}} and \\{{ literal", "{{c1::x}} and &#123;&#123; literal"),
        ("{{<b>}}", "{{c1::&lt;b&gt;}}"),
        ("{{$x^2$}}", "{{c1::\\(x^2\\)}}"),
        ("growth $e^{x^{2}}$ in the {{plan}}", "growth \\(e^{x^{2}}\\) in the {{c1::plan}}"),
        ("\\{{literal}} and {{x}}", "&#123;&#123;literal}} and {{c1::x}}"),
    ],
)
def test_cloze_to_html(text: str, html: str) -> None:
    assert cloze_html(parse_cloze(text)) == html
