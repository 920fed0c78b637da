"""Notes text to card HTML: inline Markdown with raw HTML off, math kept for MathJax, clozes.

Anki renders fields as HTML with scripts enabled, so everything a student wrote reaches the card
escaped: `<script>` and `a<b & c>d` are shown as written. Math is lifted out before Markdown sees
it (Markdown would eat the backslashes of `\\(`) and put back as `\\(...\\)` for Anki's MathJax.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from studykit.cloze import Cloze, Deletion

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# Private-use characters mark where math and deletions go while Markdown renders the rest.
_MATH_OPEN, _MATH_CLOSE, _DEL_OPEN, _DEL_CLOSE = "\ue000", "\ue001", "\ue002", "\ue003"
_PLACEHOLDERS = re.compile("[\ue000-\ue003]")
_SLOT = re.compile(f"{_MATH_OPEN}(\\d+){_MATH_CLOSE}|{_DEL_OPEN}(\\d+){_DEL_CLOSE}")
_MATH = re.compile(
    r"\\\((?P<inline>.+?)\\\)"
    r"|\\\[(?P<display>.+?)\\\]"
    r"|\$\$(?P<ddollar>.+?)\$\$"
    r"|(?<![\\$])\$(?P<dollar>[^\s$](?:[^$]*?[^\s\\$])?)\$(?!\d)",
    re.DOTALL,
)
MATH = _MATH  # public: handouts find formulas exactly where cards do
# Text without these characters looks the same through Markdown as through html.escape,
# and text without these or `>` and newlines is its own HTML.
_MARKDOWN_CHARS = re.compile(r"[*_`\[\]!\\$<&~]")
_HTML_CHARS = re.compile(r"[*_`\[\]!\\$<&~>\n]")

ImageNames = Mapping[str, str]


@cache
def markdown_parser() -> MarkdownIt:
    """The one Markdown parser for notes: CommonMark inline, raw HTML shown literally."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False, "breaks": True})
    parser.add_render_rule("image", _render_image)
    return parser


def to_html(text: str, images: ImageNames | None = None) -> str:
    """A field's HTML from notes text."""
    if not _HTML_CHARS.search(text):
        return text
    if not _MARKDOWN_CHARS.search(text):
        return _escape(text)
    text = _PLACEHOLDERS.sub("\ufffd", text)
    maths: list[str] = []
    text = _MATH.sub(lambda m: _keep(maths, _math_html(m)), text)
    return _fill(_render(text, images), maths, [])


def cloze_html(cloze: Cloze, images: ImageNames | None = None) -> str:
    """A cloze field's HTML: `{{cN::answer::hint}}` with answers and hints safe inside markers."""
    source: list[str] = []
    deletions: list[str] = []
    for part in cloze.parts:
        if isinstance(part, Deletion):
            source.append(_keep(deletions, _deletion_html(part, images), _DEL_OPEN, _DEL_CLOSE))
        else:
            source.append(_PLACEHOLDERS.sub("\ufffd", part))
    maths: list[str] = []
    text = _MATH.sub(lambda m: _keep(maths, _math_html(m)), "".join(source))
    # A literal `{{` around the deletions must not read as a marker to Anki.
    rendered = _render(text, images).replace("{", "&#123;")
    return _fill(rendered, maths, deletions)


def _deletion_html(deletion: Deletion, images: ImageNames | None) -> str:
    # Inside a marker, `}` and `:` are written as entities so `}}` and `::` cannot end it early.
    def safe(text: str) -> str:
        return to_html(text, images).replace("}", "&#125;").replace(":", "&#58;")

    marker = f"{{{{c{deletion.number}::{safe(deletion.answer)}"
    if deletion.hint:
        marker += f"::{safe(deletion.hint)}"
    return marker + "}}"


def _math_html(match: re.Match[str]) -> str:
    display = match.group("display") or match.group("ddollar")
    if display is not None:
        return f"\\[{html.escape(display, quote=False)}\\]"
    inline = match.group("inline") or match.group("dollar") or ""
    return f"\\({html.escape(inline, quote=False)}\\)"


def _keep(store: list[str], value: str, open_: str = _MATH_OPEN, close: str = _MATH_CLOSE) -> str:
    store.append(value)
    return f"{open_}{len(store) - 1}{close}"


def _fill(rendered: str, maths: list[str], deletions: list[str]) -> str:
    def slot(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return maths[int(match.group(1))]
        return deletions[int(match.group(2))]

    return _SLOT.sub(slot, rendered)


def _escape(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>\n")


def _render(text: str, images: ImageNames | None) -> str:
    if not _MARKDOWN_CHARS.search(text):
        return _escape(text)
    env: dict[str, Any] = {"images": images or {}}
    rendered: str = markdown_parser().renderInline(text, env)
    return rendered.replace("<br />", "<br>")


def _render_image(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    src = unquote(str(token.attrGet("src") or ""))
    name = env.get("images", {}).get(src, src)
    alt = str(self.renderInlineAsText(token.children or [], options, env))
    return f'<img src="{html.escape(name)}" alt="{html.escape(alt)}">'
