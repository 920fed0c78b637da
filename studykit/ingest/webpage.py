"""Headings and paragraphs of a saved web page (HTML), read with Beautiful Soup.

What a reader of the page reads is kept: paragraphs, list items (as `- ` or `1. ` lines, one
list to a paragraph), table rows (cells joined by ` | `), preformatted text as written, images
with alt text as Markdown's `![alt](src)` (badges aside). Scripts,
styles, forms, navigation and sidebars (`<aside>`) are dropped, and so are the page's own header
and footer: where the page has a `<main>` or a single `<article>`, only that is read; otherwise
every `<header>` and `<footer>` outside an article goes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from studykit.errors import StudykitError
from studykit.ingest.badges import is_badge
from studykit.ingest.sources import Heading, Item, Paragraph, Skipped, text_without_controls

if TYPE_CHECKING:
    from bs4 import Tag

_DROPPED = [
    "script", "style", "noscript", "template", "svg", "math", "canvas", "iframe", "object",
    "nav", "aside", "form", "button", "select", "input", "textarea", "head",
]  # fmt: skip
_DROPPED_TAGS = frozenset(_DROPPED)
_PAGE_FRAME = ["header", "footer"]
# Parts of generated manuals that frame the text: DocBook's and Texinfo's navigation bars,
# Sphinx's and MkDocs' sidebars, breadcrumbs, footers and the `¶` beside each heading.
_FRAME_CLASSES = frozenset(
    "navheader navfooter related sphinxsidebar sphinxsidebarwrapper headerlink footer "
    "breadcrumb breadcrumbs wy-nav-side wy-breadcrumbs rst-versions rst-footer-buttons "
    "md-header md-footer md-sidebar md-source-file skip-link nav-panel".split()
)
_FRAME_ROLES = frozenset({"navigation", "search", "banner", "contentinfo"})
# DocBook's tables of contents, of figures, of tables and of examples.
_CONTENTS_CLASSES = frozenset("toc lot list-of-figures list-of-tables list-of-examples".split())
_LETTERS = re.compile(r"[\W\d_]+")
_AUTHOR = re.compile("^author$", re.IGNORECASE)
_BLOCKS = frozenset(
    "address article blockquote body caption center dd details dialog div dl dt fieldset "
    "figcaption figure footer header hgroup hr html li main ol p pre section summary table "
    "tbody tfoot thead tr ul".split()
)
# A list or a table is one paragraph, an item or a row to a line.
_GROUPS = ("ul", "ol", "table")
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
# Marks a <br>; decoding turned every control character of the source into a space.
_BREAK = "\x01"
_SPACES = re.compile(r"\s+")


MAX_MARKUP = 600_000
"""Tags, end tags, comments and declarations a page may hold, counted as its `<` characters.

Each becomes an object of Beautiful Soup's tree, a tag about 1.1 KB whatever its nesting and an
end tag's text about 0.5 KB: a 1 MB page of 200,000 nested `<div>` took 255 MB, 8 MB of them
would take 2 GB. Saved manuals hold one `<` in 17 bytes or more (Node.js's one-page manual, 8.4
MB: 363,653), so no page under MAX_HTML_BYTES comes near the limit; a page at it takes 500 to
750 MB."""


def refuse_crowded(text: str, where: Path) -> None:
    """An error for a page with more markup than its tree can be built from in bounded memory."""
    markup = text.count("<")
    if markup > MAX_MARKUP:
        raise StudykitError(
            f"a web page with {markup:,} tags; ingest reads pages of up to {MAX_MARKUP:,} tags "
            "(each takes about a kilobyte in memory): save it as text, or ingest it in parts",
            where,
        )


def parse_html(text: str) -> tuple[list[Item], str | None, str | None]:
    """Headings and paragraphs of the page's article, the page's `<title>` and its author."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_tail_as_text(text), "html.parser")
    page_title = _clean(soup.title.get_text(" ")) if soup.title else None
    head = soup.head
    meta = head.find("meta", attrs={"name": _AUTHOR}) if head is not None else None
    meta_author = _clean(str(meta.get("content") or "")) if meta else ""
    authors, role_main = _drop_frame(soup)
    articles = soup.find_all("article")
    main = soup.find("main") or role_main
    root: Tag = main or (articles[0] if len(articles) == 1 else None) or soup.body or soup
    if root is soup.body or root is soup:
        for frame in root.find_all(_PAGE_FRAME):
            if frame.find_parent(["article", "main"]) is None:
                frame.decompose()
    author = "; ".join(authors) or meta_author or None
    items: list[Item | None] = list(_Reader().read(root))
    if "&#" in text:  # only a character reference puts a control character back
        items = [_as_text(item) for item in items if item is not None]
    return [item for item in items if item is not None], page_title or None, author


def _as_text(item: Item) -> Item | None:
    """An item without the line breaks and controls entities put back (`&#13;`, `&#7;`):
    read as the source's own would have been (sources.decode), so a notes file can hold it."""
    if isinstance(item, Paragraph) and _ENTITY_CONTROLS.search(item.text):
        lines = text_without_controls(item.text).split("\n")
        text = "\n".join(line.rstrip() for line in lines).strip("\n")
        return Paragraph(text) if text.strip() else None
    if isinstance(item, Heading) and _ENTITY_CONTROLS.search(item.line):
        words = _clean(text_without_controls(item.text))
        return (
            Heading(item.level, words, _clean(text_without_controls(item.line))) if words else None
        )
    return item


_ENTITY_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def _drop_frame(soup: Tag) -> tuple[list[str], Tag | None]:
    """Mark what frames a manual's text, and return the authors its title page names.

    A title page (DocBook's `titlepage` above a book or an article: title, authors, copyright,
    legal notice) is read for its first heading only, the title; its authors go to the
    reading's `author:`. Tables of contents, and lists that are only links within the manual,
    are left out, marked so that a heading over nothing else goes with them. Tags are marked,
    not taken out of the tree: bs4 looks for a tag among its siblings to take it out, time
    squared in a page of thousands of them. Also the first tag of `role="main"`."""
    from bs4.element import Tag

    authors: list[str] = []
    role_main: Tag | None = None  # Sphinx's `<div role="main">`, where there is no <main>
    # Depth first, without recursion; the flag: within a list already judged with its own.
    stack: list[tuple[Iterator[object], bool]] = [(iter(soup.children), False)]
    while stack:
        tag = next(stack[-1][0], None)
        if tag is None:
            stack.pop()
            continue
        if not isinstance(tag, Tag):
            continue
        in_list = stack[-1][1]
        classes = {c.lower() for c in tag.get("class") or ()}
        if _frames(tag, classes):
            tag.attrs[_MARK] = _DROP
        elif "author" in classes:
            name = _clean(tag.get_text(" "))
            if name and name not in authors:
                authors.append(name)
            tag.attrs[_MARK] = _DROP
        elif classes & _CONTENTS_CLASSES:
            tag.attrs[_MARK] = _SKIP
        elif tag.name in ("ul", "ol", "dl") and not in_list and _links_only(tag):
            caption = tag.find_previous_sibling()
            if caption is not None and _clean(caption.get_text(" ")).casefold() in _CAPTIONS:
                caption.attrs[_MARK] = _DROP  # "Contents" over the list
            tag.attrs[_MARK] = _SKIP
        else:
            if role_main is None and tag.get("role") == "main":
                role_main = tag
            if "titlepage" in classes:
                tag.attrs[_MARK] = _TITLE_ONLY  # read on, for its authors
            stack.append((iter(tag.children), in_list or tag.name in ("ul", "ol", "dl")))
    return authors, role_main


_MARK = "data-studykit"
_DROP, _SKIP, _TITLE_ONLY = "drop", "skip", "title-only"


def _frames(tag: Tag, classes: set[str]) -> bool:
    """A sidebar, navigation bar or footer of a manual (DocBook's is a table that says so)."""
    if tag.name in _DROPPED_TAGS:
        return True
    if classes & _FRAME_CLASSES or str(tag.get("role", "")).lower() in _FRAME_ROLES:
        return True
    if tag.name == "div" and "header" in classes:
        return True  # Texinfo's "Next: ... Previous: ... Up:" (mdBook's headings are a.header)
    return tag.name == "table" and "navigation" in str(tag.get("summary", "")).lower()


def _links_only(listing: Tag) -> bool:
    """Two or more links within the site, and no words outside them: a table of contents."""
    links = listing.find_all("a", href=True)
    if len(links) < 2 or any(_leaves_the_site(str(a["href"])) for a in links):
        return False
    words = len(_LETTERS.sub("", listing.get_text()))
    return words == sum(len(_LETTERS.sub("", a.get_text())) for a in links)


_CAPTIONS = frozenset(
    ["contents", "table of contents", "on this page", "in this article", "page contents"]
)


def _leaves_the_site(href: str) -> bool:
    return "://" in href or href.lower().startswith(("mailto:", "//"))


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

    def read(self, root: Tag) -> list[Item]:
        for event, node, text in _events(root):
            if event == "text":
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
                self.parts.clear()
            elif node.name in _GROUPS:
                self.flush()
                if self.lists:
                    self.lists.pop()
                if not self.lists:
                    self.end_list()
            elif node.name in _BLOCKS:
                self.flush()
        self.flush()
        self.end_list()
        return self.items

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
            self.parts.append("**")
        elif name == "br":
            self.parts.append(_BREAK)
        elif name == "img":
            self.parts.append(f" {_image_as_text(tag)} ")
        elif name in ("td", "th"):
            if "".join(self.parts).strip():
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

    def close_bold(self) -> None:
        """Close a <dfn>'s bold, or drop it where the <dfn> held no words."""
        opened = len(self.parts) - 1 - self.parts[::-1].index("**") if "**" in self.parts else -1
        if opened != -1 and "".join(self.parts[opened + 1 :]).strip():
            self.parts.append("**")
        elif opened != -1:
            del self.parts[opened]

    def flush(self) -> None:
        text = "".join(self.parts)
        self.parts.clear()
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


_CODE_TAGS = frozenset("code tt kbd samp".split())
_RAISED = frozenset(("sup", "sub"))
_RAISED_PARTS = 2  # a raised number is one or two runs of text (an entity may split it)
_RAISED_CHARS = 12
_SUPERSCRIPT = str.maketrans("0123456789+-−=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿ")
_SUBSCRIPT = str.maketrans("0123456789+-−=()", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎")


def _shown_text(tag: Tag, separator: str) -> str:
    """`tag.get_text(separator)` without what is marked to drop (a heading's `¶` link)."""
    from bs4.element import NavigableString, Tag

    parts: list[str] = []
    stack = [iter(tag.children)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif isinstance(child, Tag):
            if child.get(_MARK) != _DROP:
                stack.append(iter(child.children))
        elif type(child) is NavigableString:
            parts.append(str(child))
    return separator.join(parts)


def _image_as_text(image: Tag) -> str:
    """An image as Markdown writes it, `![alt](src)`, which the notes keep as text: a figure's
    words are part of the reading. Nothing for a badge (badges.py), nor for an image without
    alt text (`alt=""` is how a page marks one as decoration: an icon, a spacer, a logo)."""
    alt = _clean(str(image.get("alt") or ""))
    src = str(image.get("src") or "").strip()
    decorative = image.get("role") in ("presentation", "none") or image.get("aria-hidden") == "true"
    if not alt or decorative or is_badge(alt, src):
        return ""
    # An image inlined as data is no address a student could follow, and may run to megabytes.
    address = "" if src.lower().startswith("data:") else _ADDRESS_UNSAFE.sub(_escaped, src)
    return f"![{alt}]({address})"


# What would end the address of a Markdown image early, or split it: percent-escaped.
_ADDRESS_UNSAFE = re.compile(r"[\s()]")


def _escaped(match: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group().encode("utf-8"))


def _texinfo(heading: Tag) -> bool:
    """A heading Texinfo numbered: `<h2 class="chapter">1 What is libffi?</h2>`."""
    return bool(_TEXINFO_CLASSES.intersection(heading.get("class") or ()))


_TEXINFO_CLASSES = frozenset("chapter section subsection subsubsection appendix".split())
# Texinfo writes a number without a full stop; with one, titles.py knows it for a number.
_TEXINFO_NUMBER = re.compile(r"^((?:\d{1,3}|[A-Z])(?:\.\d{1,3})*) (?=\S)")


def _events(root: Tag) -> Iterator[tuple[str, Tag, str]]:
    """("start", tag, ""), ("end", tag, "") and ("text", parent, text) in document order."""
    from bs4.element import NavigableString, Tag

    stack = [iter(root.children)]
    open_tags: list[Tag] = [root]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            closed = open_tags.pop()
            if stack:
                yield "end", closed, ""
        elif isinstance(child, Tag):
            mark = child.get(_MARK)
            if mark == _DROP:
                continue
            yield "start", child, ""
            opaque = child.name in _HEADINGS or child.name == "pre" or mark == _SKIP
            if mark == _TITLE_ONLY:
                headings = child.find_all(list(_HEADINGS))
                title = next((h for h in headings if h.get(_MARK) != _DROP), None)
                stack.append(iter(() if title is None else (title,)))
            else:
                stack.append(iter(() if opaque else child.children))
            open_tags.append(child)
        elif type(child) is NavigableString:
            yield "text", open_tags[-1], str(child)


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()
