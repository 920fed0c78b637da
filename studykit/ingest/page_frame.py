"""What frames a page and is dropped (scripts, navigation, sidebars, cookie notices, the page's
own header and footer), and where its text is: the `<main>`, an `<article>`, headed sections.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from studykit.ingest.abstracts import _byline, _Outline
from studykit.ingest.inline_text import _DROP, _HEADINGS, _MARK, _SKIP, _TITLE_ONLY, _clean

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
