"""The walk of a page's text in document order, without recursion, into items: headings,
paragraphs, lists as `- ` or `1. ` lines, table rows as cells joined by ` | `, glossaries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from studykit.ingest.inline_text import (
    _APPENDIX_LETTER,
    _CODE_TAGS,
    _HEADINGS,
    _MARK,
    _RAISED,
    _RAISED_CHARS,
    _RAISED_PARTS,
    _SKIP,
    _SUBSCRIPT,
    _SUPERSCRIPT,
    _TEXINFO_NUMBER,
    _clean,
    _events,
    _image_as_text,
    _in_an_appendix,
    _shown_text,
    _texinfo,
)
from studykit.ingest.sources import Heading, Item, Paragraph, Skipped

if TYPE_CHECKING:
    from bs4 import Tag

_BLOCKS = frozenset(
    "address article blockquote body caption center dd details dialog div dl dt fieldset "
    "figcaption figure footer header hgroup hr html label legend li main ol p pre section "
    "summary table tbody tfoot thead tr ul".split()
)
# A list or a table is one paragraph, an item or a row to a line.
_GROUPS = ("ul", "ol", "table")
# Marks a <br>; decoding turned every control character of the source into a space.
_BREAK = "\x01"


def _tail_as_text(text: str) -> str:
    """The page with every `<` after its last `>` written `&lt;`, which reads the same.

    No tag, comment, declaration or CDATA section can end without a `>`, so html.parser reads
    each such `<` as text; but first it scans to the end of the page for the missing `>` (or
    `-->`, `]]>`, closing quote), once per `<`: time squared in the `<`s (`<a b="` 20k times:
    35 s). A page as saved ends with `</html>` and has no such tail; in a cut-off one the text
    reads as before, except that an entity there (`&amp;`) is read, not kept as written."""
    first = text.find("<", text.rfind(">") + 1)
    if first == -1:
        return text
    return text[:first] + text[first:].replace("<", "&lt;")


class _Reader:
    """Walks the tree in document order without recursion (pages nest deeply) into items."""

    def __init__(self) -> None:
        self.items: list[Item] = []
        self.parts: list[str] = []
        self.prefix = ""
        self.lists: list[list[int]] = []  # per open list or table: [ordered, count]
        self.list_lines: list[str] = []
        self.term = ""  # a glossary's <dt>, waiting for its <dd>
        self.raised: list[int] = []  # where each open <sup> or <sub> began in `parts`
        # How many of the first `parts` are known to be only spaces: a row's cells ask whether
        # the row has words yet, and joining it again at each cell took time in its square.
        self.blank = 0
        # Where each `**` stands in `parts`, in order: a </dfn> closes the last, and looking
        # for it back through the paragraph at each one took time in the square of its terms.
        self.stars: list[int] = []

    def read(self, roots: list[Tag]) -> list[Item]:
        for root in roots:
            self.read_one(root)
            self.flush()
            self.end_list()
            self.term = ""
            self.raised.clear()
        return self.items

    def read_one(self, root: Tag) -> None:
        for event, node, text in _events(root):
            if event == "text":
                if text == "**":
                    self.stars.append(len(self.parts))
                self.parts.append(text)
            elif event == "start":
                self.start(node)
            elif node.name in _CODE_TAGS:
                self.parts.append("`")
            elif node.name == "dfn":
                self.close_bold()
            elif node.name in _RAISED and self.raised:
                self.lower_back(node.name)
            elif node.name == "dt":
                self.term = _clean("".join(self.parts).replace(_BREAK, " ").replace("*", ""))
                self.clear()
            elif node.name in _GROUPS:
                self.flush()
                if self.lists:
                    self.lists.pop()
                if not self.lists:
                    self.end_list()
            elif node.name in _BLOCKS:
                self.flush()

    def start(self, tag: Tag) -> None:
        name = tag.name
        if tag.get(_MARK) == _SKIP:
            self.flush()
            self.end_list()
            self.items.append(Skipped())
        elif name in _HEADINGS:
            self.flush()
            self.end_list()
            words = _clean(_shown_text(tag, " "))
            if words:
                title = _TEXINFO_NUMBER.sub(r"\1. ", words) if _texinfo(tag) else words
                if (letter := _APPENDIX_LETTER.match(title)) and _in_an_appendix(tag):
                    # DocBook's "A. The Code": the letter is the appendix's place, and
                    # "Appendix" says what the section is.
                    title = f"Appendix {letter.group(1)}: {title[letter.end() :]}"
                self.items.append(Heading(_HEADINGS[name], title, words))
        elif name == "pre":
            self.flush()
            self.paragraph(_shown_text(tag, "").strip("\n"), verbatim=True)
        elif name in _CODE_TAGS:
            # Kept as Markdown's code span: a card never hides code ("Z_NO_FLUSH"), nor a word
            # a code span gives away, and the notes show it as code.
            self.parts.append("`")
        elif name in _RAISED:
            self.raised.append(len(self.parts))
        elif name == "dfn":
            # The term a sentence defines, as the page marks it: bold, as Markdown's
            # `**term**, a ...` drafts a term from the gloss beside it.
            self.stars.append(len(self.parts))
            self.parts.append("**")
        elif name == "br":
            self.parts.append(_BREAK)
        elif name == "img":
            self.parts.append(f" {_image_as_text(tag)} ")
        elif name in ("td", "th"):
            if self.has_words():
                self.parts.append(" | ")
        elif name in ("dt", "dd"):
            # A glossary entry reads as Markdown's `- **Term**: what it is`, which drafts a
            # term; a <dt> without its <dd> stays a paragraph of its own.
            self.flush()
            if self.term and name == "dt":
                self.paragraph(self.term)
            if name == "dd" and self.term:
                self.prefix = f"- **{self.term}**: "
            self.term = ""
        elif name in _GROUPS:
            self.flush()
            self.lists.append([name == "ol", 0])
        elif name == "li":
            self.flush()
            ordered, count = self.lists[-1] if self.lists else [False, 0]
            if self.lists:
                self.lists[-1][1] = count + 1
            self.prefix = f"{count + 1}. " if ordered else "- "
        elif name in _BLOCKS:
            self.flush()

    def lower_back(self, name: str) -> None:
        """A superscript or subscript of digits and signs written with Unicode's raised or
        lowered characters: `10<sup>31</sup>` is 10³¹, never the number 1031."""
        at = self.raised.pop()
        if len(self.parts) - at > _RAISED_PARTS:
            # Tags inside: no plain run of digits. Not joined, since unclosed <sup>s nest and
            # joining each one's text again took time in the square of the page.
            return
        text = "".join(self.parts[at:])
        table = _SUPERSCRIPT if name == "sup" else _SUBSCRIPT
        if text and len(text) <= _RAISED_CHARS and all(ord(c) in table for c in text):
            del self.parts[at:]
            self.parts.append(text.translate(table))

    def has_words(self) -> bool:
        """Whether `parts` hold anything but spaces; each part is looked at once in a row."""
        parts = self.parts
        self.blank = min(self.blank, len(parts))
        while self.blank < len(parts):
            if parts[self.blank].strip():
                return True
            self.blank += 1
        return False

    def close_bold(self) -> None:
        """Close a <dfn>'s bold, or drop it where the <dfn> held no words."""
        if not self.stars:
            return
        opened = self.stars[-1]
        parts = self.parts
        if any(parts[at].strip() for at in range(opened + 1, len(parts))):
            self.stars.append(len(parts))
            parts.append("**")
        else:
            del parts[opened]
            self.stars.pop()

    def clear(self) -> None:
        self.parts.clear()
        self.blank = 0
        self.stars.clear()

    def flush(self) -> None:
        text = "".join(self.parts)
        self.clear()
        lines = [_clean(line) for line in text.split(_BREAK)]
        lines = [line for line in lines if line]
        if not lines:
            return
        if self.prefix:
            lines[0] = self.prefix + lines[0]
            self.prefix = ""
            self.list_lines.extend(lines)
            return
        if not self.lists:
            self.end_list()
        self.paragraph("\n".join(lines))

    def paragraph(self, text: str, verbatim: bool = False) -> None:
        lines = [line.rstrip() for line in text.split("\n")] if verbatim else [text]
        text = "\n".join(lines).strip("\n")
        if not text.strip():
            return
        if self.lists:
            self.list_lines.extend(text.split("\n"))
            return
        self.items.append(Paragraph(text))

    def end_list(self) -> None:
        if self.list_lines:
            self.items.append(Paragraph("\n".join(self.list_lines)))
            self.list_lines = []
