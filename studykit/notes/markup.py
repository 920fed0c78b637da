"""Notes text to card HTML: inline Markdown with raw HTML off, math kept for MathJax, clozes.

Anki renders fields as HTML with scripts enabled, so everything a student wrote reaches the card
escaped: `<script>` and `a<b & c>d` are shown as written. Math is lifted out before Markdown sees
it (Markdown would eat the backslashes of `\\(`) and put back as `\\(...\\)` for Anki's MathJax.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from studykit.notes.cloze import Cloze, Deletion
from studykit.notes.formulas import MATH as MATH  # handouts, the terminal, check: where cards do

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

# Private-use characters mark where math and deletions go while Markdown renders the rest. A
# deletion that lands in code or math is marked apart: there its answer is shown as written.
_MATH_OPEN, _MATH_CLOSE, _DEL_OPEN, _DEL_CLOSE = "\ue000", "\ue001", "\ue002", "\ue003"
_RAW_OPEN, _RAW_CLOSE = "\ue004", "\ue005"
_AS_RAW = str.maketrans({_DEL_OPEN: _RAW_OPEN, _DEL_CLOSE: _RAW_CLOSE})
_PLACEHOLDERS = re.compile("[\ue000-\ue005]")
_MATH_SLOT = re.compile(f"{_MATH_OPEN}(\\d+){_MATH_CLOSE}")
_DEL_SLOT = re.compile(f"{_DEL_OPEN}(\\d+){_DEL_CLOSE}|{_RAW_OPEN}(\\d+){_RAW_CLOSE}")
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
    parser.inline.ruler.at("image", _image_rule())
    parser.add_render_rule("image", _render_image)
    parser.add_render_rule("code_inline", _render_code)
    return parser


def to_html(text: str, images: ImageNames | None = None) -> str:
    """A field's HTML from notes text."""
    if not _HTML_CHARS.search(text):
        return text
    if not _MARKDOWN_CHARS.search(text):
        return _escape(text)
    text = _PLACEHOLDERS.sub("\ufffd", text)
    maths: list[str] = []
    text = MATH.sub(lambda m: _keep(maths, _math_html(m)), text)
    return _fill(_render(text, images), maths, [])


def cloze_html(cloze: Cloze, images: ImageNames | None = None) -> str:
    """A cloze field's HTML: `{{cN::answer::hint}}` with answers and hints safe inside markers."""
    maths: list[str] = []
    text = MATH.sub(lambda m: _keep(maths, _math_html(m)), _cloze_source(cloze))
    # A literal `{{` around the deletions must not read as a marker to Anki.
    rendered = _render(text, images).replace("{", "&#123;")
    raw = _RAW_OPEN in rendered or any(_RAW_OPEN in m for m in maths)
    deletions = [
        (_deletion_html(d, images), _deletion_html(d, images, raw=True) if raw else "")
        for d in cloze.deletions
    ]
    return _fill(rendered, maths, deletions)


def deletions_in_links(cloze: Cloze) -> dict[Deletion, str]:
    """Deletions a card cannot hide, each with where it stands: in a link's address or title,
    or in an image (its path or caption), which are attributes of the card's HTML."""
    if not any("](" in part or "<" in part for part in cloze.parts if isinstance(part, str)):
        return {}
    maths: list[str] = []
    text = MATH.sub(lambda m: _keep(maths, m.group()), _cloze_source(cloze))
    found: dict[int, str] = {}
    for block in markdown_parser().parseInline(text, {"images": {}}):
        for token in block.children or []:
            where = "an image" if token.type == "image" else "a link's address or title"
            attributes = [unquote(str(token.attrGet(name) or "")) for name in ("href", "src")]
            attributes += [str(token.attrGet("title") or "")]
            if token.type == "image":
                attributes.append(token.content)
            for attribute in attributes:
                for number, _ in _DEL_SLOT.findall(attribute):
                    if number:
                        found.setdefault(int(number), where)
    return {d: found[i] for i, d in enumerate(cloze.deletions) if i in found}


def _cloze_source(cloze: Cloze) -> str:
    """The point's text with a numbered slot for each deletion, for Markdown to render."""
    source: list[str] = []
    for part in cloze.parts:
        if isinstance(part, Deletion):
            source.append(f"{_DEL_OPEN}{part.number - 1}{_DEL_CLOSE}")
        else:
            source.append(_PLACEHOLDERS.sub("\ufffd", part))
    return "".join(source)


def _deletion_html(deletion: Deletion, images: ImageNames | None, raw: bool = False) -> str:
    # Inside a marker, `}` and `:` are written as entities so `}}` and `::` cannot end it early.
    # In code or math (`raw`) the answer is shown as written, not read as Markdown.
    def safe(text: str) -> str:
        text = _PLACEHOLDERS.sub("\ufffd", text)
        shown = html.escape(text, quote=False) if raw else to_html(text, images)
        return shown.replace("}", "&#125;").replace(":", "&#58;")

    marker = f"{{{{c{deletion.number}::{safe(deletion.answer)}"
    if deletion.hint:
        marker += f"::{safe(deletion.hint)}"
    return marker + "}}"


def _math_html(match: re.Match[str]) -> str:
    display = match.group("display") or match.group("ddollar")
    if display is not None:
        return f"\\[{html.escape(display, quote=False).translate(_AS_RAW)}\\]"
    inline = match.group("inline") or match.group("dollar") or ""
    return f"\\({html.escape(inline, quote=False).translate(_AS_RAW)}\\)"


def _keep(store: list[str], value: str) -> str:
    store.append(value)
    return f"{_MATH_OPEN}{len(store) - 1}{_MATH_CLOSE}"


def _fill(rendered: str, maths: list[str], deletions: list[tuple[str, str]]) -> str:
    """Math back in place, then the deletions, some of which were inside the math."""
    if maths:
        rendered = _MATH_SLOT.sub(lambda m: maths[int(m.group(1))], rendered)
    if not deletions:
        return rendered

    def deletion(match: re.Match[str]) -> str:
        shown, raw = match.groups()
        return deletions[int(shown)][0] if shown is not None else deletions[int(raw)][1]

    return _DEL_SLOT.sub(deletion, rendered)


def _escape(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>\n")


def _render(text: str, images: ImageNames | None) -> str:
    if not _MARKDOWN_CHARS.search(text):
        return _escape(text)
    env: dict[str, Any] = {"images": images}
    rendered: str = markdown_parser().renderInline(text, env)
    return rendered.replace("<br />", "<br>")


def _render_code(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    from markdown_it.common.utils import escapeHtml

    return f"<code>{escapeHtml(tokens[idx].content).translate(_AS_RAW)}</code>"


def _image_rule() -> Callable[[StateInline, bool], bool]:
    """markdown-it's image rule, noting in each image where its `![` starts: `check` names the
    place of a bad image, found by this very parser (`studykit.notes.media.image_refs`)."""
    from markdown_it.rules_inline.image import image

    def located(state: StateInline, silent: bool) -> bool:
        start = state.pos
        if not image(state, silent):
            return False
        if not silent:
            state.tokens[-1].meta["offset"] = start
        return True

    return located


def _render_image(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    src = unquote(str(token.attrGet("src") or ""))
    alt = str(self.renderInlineAsText(token.children or [], options, env))
    images = env.get("images")
    if images is not None and src not in images:
        # Not among the images the deck carries: its caption, never a path the card would load
        # from wherever Anki runs. Checking finds every image this parser renders; a guard.
        return html.escape(alt, quote=False)
    name = images[src] if images is not None else src
    return f'<img src="{html.escape(name)}" alt="{html.escape(alt)}">'
