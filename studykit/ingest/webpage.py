"""Headings and paragraphs of a saved web page (HTML), read with Beautiful Soup.

What a reader of the page reads is kept: paragraphs, list items (as `- ` or `1. ` lines, one
list to a paragraph), table rows (cells joined by ` | `), preformatted text as written, images
with alt text as Markdown's `![alt](src)` (badges aside), the text of a form (a quiz's questions
and the labels of its answers), a note set aside in the text (`<aside>` within the article or
the `<main>`), the header and footer of a section or a quotation.

What frames the page is dropped: scripts, styles, navigation, form controls (their words are
the page's, "Subscribe", "Search"; a button's words in a heading are the heading's), search,
sign-in, subscription and comment forms, the page's sidebars (an `<aside>` outside the
article, or one of only links), cookie notices, dialogs not open, and the page's own header
and footer. Where the page has a
`<main>` (or a `role="main"`, or else a single `<article>`), only that is read, with the
headed `<section>`s beside it; loose text outside them is taken for the page's frame.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from studykit.errors import StudykitError
from studykit.ingest.badges import is_badge
from studykit.ingest.sources import Heading, Item, Paragraph, Skipped, text_without_controls

if TYPE_CHECKING:
    from bs4 import Tag

# Never shown as text to a reader of the page: `<template>` is inert until a script copies it,
# `<noscript>` speaks to browsers without scripts ("enable JavaScript"), an `<iframe>`'s or an
# `<object>`'s content only to browsers that cannot show them; an `<svg>`'s or a `<math>`'s
# words are a drawing's labels or a formula's symbols, nothing to read out of their place.
_DROPPED = [
    "script", "style", "noscript", "template", "svg", "math", "canvas", "iframe", "object",
    "nav", "select", "input", "textarea", "head",
]  # fmt: skip
_DROPPED_TAGS = frozenset(_DROPPED)
# Form controls: boxes on the screen, between the words around them.
_CONTROLS = frozenset(("button", "input", "select", "textarea"))
_PAGE_FRAME = frozenset(("header", "footer"))
# What a <header> or <footer> within belongs to, as HTML says (sectioning elements and roots),
# with <main>: one outside them all is the page's. `role="main"` is counted with <main>.
_SECTIONING = frozenset(
    "article aside main nav section blockquote details dialog fieldset figure td th".split()
)
# A form that asks for these is a search box, a sign-in or a subscription, not a quiz.
_CHROME_INPUTS = frozenset(("search", "password", "email"))
_CHROME_FORM = re.compile(
    r"(?<!re)search|log-?in|sign-?(?:in|up)|subscri|newsletter|comment|cookie|consent"
)
_WORD = re.compile(r"[^\W_]")
# A cookie or consent notice, as sites and the usual consent tools (OneTrust, Cookiebot) name it.
_BANNER = re.compile(
    r"cookie[-_ ]?(?:banner|notice|bar|consent|popup|modal|law|message|wall)|consent|gdpr"
    r"|onetrust|cookiebot"
)
_BANNER_TAGS = frozenset(("div", "section", "aside", "dialog", "form", "p"))
# A section beside the page's main that names itself so is the site's, not the text's.
_SITE_SECTION = re.compile(
    r"comment|related|newsletter|subscri|cookie|consent|share|social|sponsor|promo|advert"
)
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
# A byline's author: the name after "By" ("Written by", "Lecture notes prepared by") or
# "Author:", up to a comma, a middle dot or a bar; a title before it is no part of the name
# a citation gives.
_BYLINE = re.compile(
    r"(?:^|\s)(?:[Bb]y|[Aa]uthors?:)\s+(?:(?:Dr|Prof|Professor|Mr|Mrs|Ms|Mx)\.?\s+)?"
    r"(?P<name>[A-Z][^,·|;()]{1,80}?)\s*(?:[,·|;(]|$)"
)
_BLOCKS = frozenset(
    "address article blockquote body caption center dd details dialog div dl dt fieldset "
    "figcaption figure footer header hgroup hr html label legend li main ol p pre section "
    "summary table tbody tfoot thead tr ul".split()
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
    page = _Page(soup)
    author = "; ".join(page.authors) or meta_author or None
    items: list[Item | None] = list(_Reader().read(page.roots()))
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


_MARK = "data-studykit"
_DROP, _SKIP, _TITLE_ONLY = "drop", "skip", "title-only"


class _Open:
    """A tag being walked: what it and its ancestors are, and what is known of what it holds."""

    __slots__ = (
        "asks_chrome", "children", "headings", "in_article", "in_content", "in_link", "in_list",
        "in_main", "in_quote", "in_title", "prose", "sectioned", "tag", "wraps",
    )  # fmt: skip

    def __init__(self, tag: Tag, parent: _Open | None) -> None:
        name, role = tag.name, str(tag.get("role", "")).lower()
        self.tag = tag
        self.children: Iterator[object] = iter(tag.children)
        # Each flag: this tag, or one around it, is one of these.
        up = parent
        self.in_list: bool = (up is not None and up.in_list) or name in ("ul", "ol", "dl")
        self.in_title: bool = (up is not None and up.in_title) or name in _TITLES
        self.in_content: bool = (up is not None and up.in_content) or _owns_text(tag)
        self.sectioned: bool = (
            (up is not None and up.sectioned) or name in _SECTIONING or role == "main"
        )
        self.in_link: bool = (up is not None and up.in_link) or name == "a"
        self.in_main: bool = (up is not None and up.in_main) or name == "main"
        self.in_article: bool = (up is not None and up.in_article) or name == "article"
        self.in_quote: bool = (up is not None and up.in_quote) or name in ("blockquote", "figure")
        self.prose = False  # holds words outside links and headings
        self.headings = int(name in _HEADINGS)  # how many it holds
        self.wraps = name in _WRAPS or role == "main"  # holds the page's text: a main, a section
        self.asks_chrome = False  # holds a search, password or email box

    def hand_up(self, parent: _Open) -> None:
        parent.prose |= self.prose
        parent.headings += self.headings
        parent.wraps |= self.wraps
        parent.asks_chrome |= self.asks_chrome


_TITLES = frozenset((*_HEADINGS, "summary"))
_WRAPS = frozenset(("main", "article", "section"))


def _names(tag: Tag) -> str:
    """A tag's id and classes, lower-cased, as a page names what a part of it is."""
    return " ".join([str(tag.get("id", "")), *(tag.get("class") or ())]).lower()


def _owns_text(tag: Tag) -> bool:
    return tag.name in ("article", "main") or str(tag.get("role", "")).lower() == "main"


class _Page:
    """Mark what frames a manual's or a site's text, and find where the text is.

    A title page (DocBook's `titlepage` above a book or an article: title, authors, copyright,
    legal notice) is read for its first heading only, the title; its authors go to the
    reading's `author:`. Tables of contents, and lists that are only links within the manual,
    are left out, marked so that a heading over nothing else goes with them. Tags are marked,
    not taken out of the tree: bs4 looks for a tag among its siblings to take it out, time
    squared in a page of thousands of them. What a tag's ancestors say of it travels down
    the walk, and what a form or an aside holds travels up: each tag is looked at once."""

    def __init__(self, soup: Tag) -> None:
        from bs4.element import NavigableString, Tag

        self.soup = soup
        self.authors: list[str] = []
        self.named: set[str] = set()  # the authors, looked up at each name the page gives
        self.outline: _Outline | None = None  # built at the first abstract
        self.role_main: Tag | None = None  # Sphinx's `<div role="main">`, where there is no <main>
        self.mains: list[Tag] = []  # outside any other <main>
        self.articles: list[Tag] = []  # outside any other <article>: nested ones are comments
        self.sections: dict[int, bool] = {}  # id of a <section>: holds a heading and words
        self.order: dict[int, int] = {}  # id of a place the text may be: its place in the page
        # Depth first, without recursion.
        stack = [_Open(soup, None)]
        while stack:
            at = stack[-1]
            tag = next(at.children, None)
            if tag is None:
                stack.pop()
                if stack and self._keeps(at):
                    at.hand_up(stack[-1])
                continue
            if type(tag) is NavigableString:
                if not at.prose and not at.in_link and not at.in_title and _WORD.search(tag):
                    at.prose = True
                continue
            if not isinstance(tag, Tag):
                continue
            if tag.name == "img" and tag.get("alt") and not at.in_link:
                at.prose = True  # a figure's words
            elif tag.name == "input" and str(tag.get("type", "")).lower() in _CHROME_INPUTS:
                at.asks_chrome = True  # a control is dropped before it is walked
            classes = {c.lower() for c in tag.get("class") or ()}
            if self._frames(tag, classes, at):
                tag.attrs[_MARK] = _DROP
            elif "author" in classes:
                self.add_author(_clean(tag.get_text(" ")))
                tag.attrs[_MARK] = _DROP
            elif "byline" in classes and (byline := _byline(tag)):
                # "By Margaret L. Okafor, Department of ... · Last updated ...": the page's
                # author, no text of its sections.
                self.add_author(byline)
                tag.attrs[_MARK] = _DROP
            elif classes & _CONTENTS_CLASSES:
                tag.attrs[_MARK] = _SKIP
            elif tag.name in ("ul", "ol", "dl") and not at.in_list and _links_only(tag):
                caption = tag.find_previous_sibling()
                if caption is not None and _clean(caption.get_text(" ")).casefold() in _CAPTIONS:
                    caption.attrs[_MARK] = _DROP  # "Contents" over the list
                tag.attrs[_MARK] = _SKIP
            else:
                if self.role_main is None and tag.get("role") == "main":
                    self.role_main = tag
                if tag.name in ("main", "article", "section") or tag is self.role_main:
                    self.order[id(tag)] = len(self.order)
                if tag.name == "main" and not at.in_main:
                    self.mains.append(tag)
                if tag.name == "article" and not at.in_article:
                    self.articles.append(tag)
                if "titlepage" in classes:
                    tag.attrs[_MARK] = _TITLE_ONLY  # read on, for its authors
                if tag.name == "div" and "abstract" in classes:
                    self.outline = self.outline or _Outline(soup)
                    self.outline.head(tag)
                stack.append(_Open(tag, at))
        if self.mains:
            # A page may hold several, all but one hidden until a script shows it.
            self.mains = [m for m in self.mains if not m.has_attr("hidden")] or self.mains[:1]

    def add_author(self, name: str) -> None:
        if name and name not in self.named:
            self.named.add(name)
            self.authors.append(name)

    def _frames(self, tag: Tag, classes: set[str], parent: _Open) -> bool:
        """A sidebar, navigation bar, control or the page's own header or footer, known from
        the tag and where it stands (a form or an aside is judged by what it holds, later)."""
        if tag.name == "button":
            return not parent.in_title
        if tag.name in _PAGE_FRAME:
            return not parent.sectioned
        if tag.name == "aside" and not parent.in_content:
            return True  # the page's sidebar, beside its article
        if tag.name == "dialog" and not tag.has_attr("open"):
            return True  # shown only when a script opens it: a sign-up or a cookie pop-up
        if tag.name in _BANNER_TAGS and _BANNER.search(_names(tag)):
            return True
        return _frames(tag, classes)

    def _keeps(self, done: _Open) -> bool:
        """Whether a walked tag stays, once what it holds is known; marks it if not.

        A form goes when it is a search box, a sign-in, a subscription or a comment form, unless
        it holds the page (ASP.NET wraps a whole page in one: its main, sections, headings); an
        aside within the text goes when it holds no words but links and headings (related
        pages, sharing buttons), and a section's header or footer when it holds only links
        ("Edit this page on GitHub"); a quotation's or a figure's is its source, kept however
        it is written."""
        tag = done.tag
        if tag.name in _PAGE_FRAME and not (done.prose or done.headings or done.in_quote):
            tag.attrs[_MARK] = _DROP
            return False
        if tag.name == "section":
            self.sections[id(tag)] = bool(done.headings) and done.prose
        # One heading is a sign-in's or a subscription's own ("Newsletter"); two, a page's.
        if tag.name == "form" and not done.wraps and done.headings < 2:
            said = f"{str(tag.get('action', '')).lower()} {_names(tag)}"
            if done.asks_chrome or _CHROME_FORM.search(said):
                tag.attrs[_MARK] = _DROP
                return False
        if tag.name == "aside" and not done.prose:
            tag.attrs[_MARK] = _DROP
            return False
        return True

    def roots(self) -> list[Tag]:
        """Where the page's text is: its `<main>`s, else its `role="main"`, else its one
        article, with the headed sections beside it; else all of the body."""
        if self.mains:
            found: list[Tag] = self.mains
        elif self.role_main is not None:
            found = [self.role_main]
        elif len(self.articles) == 1:
            found = self.articles
        else:
            return [self.soup.body or self.soup]
        from bs4.element import Tag

        around: set[int] = set()  # a section around a root would read it twice
        for root in found:
            for tag in root.parents:
                if id(tag) in around:
                    break  # and all above it, already seen from another root
                around.add(id(tag))
        roots = {id(root): root for root in found}
        parents = {id(root.parent): root.parent for root in found if root.parent is not None}
        for parent in parents.values():  # once each: a page may hold thousands of <main>s
            for child in parent.children:
                if (
                    isinstance(child, Tag)
                    and self.sections.get(id(child))
                    and _MARK not in child.attrs
                    and id(child) not in around
                    and not _SITE_SECTION.search(_names(child))
                ):
                    roots[id(child)] = child
        return sorted(roots.values(), key=lambda tag: self.order[id(tag)])


class _Outline:
    """Where each tag of the page stands, its headings and its paragraphs, in document order.

    DocBook's `<div class="abstract">`, its "Abstract" a bold paragraph, is made a section of
    its own titled "Abstract", at the level of the heading after it, not the untitled text
    before the first heading ("Introduction" beside the manual's own Introduction). Each
    abstract looked for that heading to the end of the page, and for its first paragraph
    through all it holds: a page of thousands of abstracts took time in their square. The
    page is walked once, and each abstract finds both by bisection."""

    def __init__(self, soup: Tag) -> None:
        from bs4.element import Tag

        self.soup = soup
        self.tags: list[Tag] = [soup]
        self.place: dict[int, int] = {id(soup): 0}  # id of a tag: its place in `tags`
        self.last: dict[int, int] = {}  # id of a tag: the place of the last tag within it
        self.headings: list[int] = []  # places, in order
        self.paragraphs: list[int] = []
        stack = [(soup, iter(soup.children))]
        while stack:
            tag, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                self.last[id(tag)] = len(self.tags) - 1
            elif isinstance(child, Tag):
                self.place[id(child)] = len(self.tags)
                if child.name in _HEADINGS:
                    self.headings.append(len(self.tags))
                elif child.name == "p":
                    self.paragraphs.append(len(self.tags))
                self.tags.append(child)
                stack.append((child, iter(child.children)))

    def head(self, abstract: Tag) -> None:
        """Title an abstract "Abstract", as a heading at the level of the one after it."""
        at = self.place[id(abstract)]
        following = bisect.bisect_right(self.headings, at)
        if following == len(self.headings):
            return
        after = self.tags[self.headings[following]]
        first = bisect.bisect_right(self.paragraphs, at)
        if first < len(self.paragraphs) and self.paragraphs[first] <= self.last[id(abstract)]:
            label = self.tags[self.paragraphs[first]]
            text, whole = _opening_text(label)
            if whole and _clean(text).casefold() == "abstract":
                label.name = after.name  # its own word, now its heading
                bisect.insort(self.headings, self.paragraphs.pop(first))
                return
        heading = self.soup.new_tag(after.name)
        heading.string = "Abstract"
        abstract.insert(0, heading)


_OPENING = 300  # characters: a byline or a label says what it says before then


def _opening_text(tag: Tag) -> tuple[str, bool]:
    """The start of `tag.get_text(" ")`, and whether it is the whole: a byline or a label is
    short, and reading all of each of thousands nested took time in their square."""
    from bs4.element import CData, NavigableString, Tag

    parts: list[str] = []
    length = steps = 0
    # Walked here: bs4's `strings` first finds the last tag within, through all of them.
    stack = [iter(tag.children)]
    while stack and length <= _OPENING:
        child = next(stack[-1], None)
        steps += 1
        if child is None:
            stack.pop()
        elif steps > 4 * _OPENING:
            return " ".join(parts), False  # thousands of tags and no words: no byline
        elif isinstance(child, Tag):
            stack.append(iter(child.children))
        elif isinstance(child, NavigableString) and type(child) in (NavigableString, CData):
            parts.append(child)
            length += len(child) + 1
    text = " ".join(parts)
    return text[:_OPENING], not stack and len(text) <= _OPENING


def _byline(tag: Tag) -> str | None:
    """The author a byline names, from its opening words."""
    text, whole = _opening_text(tag)
    text = _clean(text)
    byline = _BYLINE.search(text)
    if byline is None or (not whole and byline.end() == len(text)):
        return None  # a name cut short where the reading stopped is no name
    return byline.group("name")


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


def _in_an_appendix(heading: Tag) -> bool:
    """Whether a heading is the title of DocBook's `<div class="appendix">` (directly, or in
    its title page's `<div>`s)."""
    parent = heading.parent
    for _ in range(4):
        if parent is None:
            return False
        if "appendix" in (parent.get("class") or ()):
            return True
        parent = parent.parent
    return False


_APPENDIX_LETTER = re.compile(r"([A-Z])\.\s+(?=\S)")
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
                if child.name in _CONTROLS:
                    yield "text", open_tags[-1], " "  # a box between the words around it
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
