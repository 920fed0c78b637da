"""In-text citations as a reader sees them: a bracketed citation joined from its items in the
order written, each with its own prefix and suffix, and a narrative one with the author in the
sentence, `Lin (1990, 33)`."""

from __future__ import annotations

import re
from typing import Any

from studykit.citing.citeproc_text import escape, escape_kept
from studykit.notes.citations import Citation, CiteItem


def cite_item(item: CiteItem, cls: Any, locator: Any) -> Any:
    if item.locator is None:
        return cls(item.key)
    return cls(item.key, locator=locator(*item.locator))


def citation_layout(csl: Any) -> tuple[str, str, str]:
    """The prefix, suffix and delimiter of the style's citation layout, escaped as the
    formatted text is: `("(", ")", "; ")` for Chicago author-date, `("", "", ", ")` for IEEE."""
    ns = "{http://purl.org/net/xbiblio/csl}"
    found = csl.root.find(f"{ns}citation/{ns}layout")
    if found is None:
        return "", "", "; "
    prefix, suffix = found.get("prefix") or "", found.get("suffix") or ""
    return escape_kept(prefix), escape_kept(suffix), escape_kept(found.get("delimiter") or "; ")


def joined_citation(
    citation: Citation,
    each: dict[tuple[str, tuple[str, str] | None], str],
    layout: tuple[str, str, str],
) -> str:
    """A bracketed citation from its items formatted one by one: each with its own prefix and
    suffix, in the order written, inside one pair of the layout's parentheses."""
    prefix, suffix, delimiter = layout
    parts = []
    for item in citation.items:
        text = each[(item.key.lower(), item.locator)]
        if prefix and suffix and text.startswith(prefix) and text.endswith(suffix):
            text = text[len(prefix) : len(text) - len(suffix)]
        if item.suppress_author:
            text = _without_author(text)
        if item.prefix:
            text = f"{escape(item.prefix)} {text}"
        if item.suffix:
            text = f"{text}, {escape(item.suffix)}"
        parts.append(text)
    return f"{prefix}{delimiter.join(parts)}{suffix}"


def first_families(source: Any, citation: Citation) -> list[str]:
    """The family names of the first work a citation cites, for its narrative form."""
    try:
        names = source[citation.items[0].key.lower()].get("author") or []
        return [str(name.get("family") or name.get("literal") or "") for name in names]
    except (KeyError, AttributeError, TypeError):
        return []


def narrative_citation(citation: Citation, text: str, families: list[str]) -> str:
    """A narrative citation as the reader sees it: the author in the sentence."""
    return _narrative(text, [escape(f) for f in families if f])


_YEAR = re.compile(r"\s(?=\d{4}|n\.d\.|forthcoming)")


def _narrative(text: str, families: list[str]) -> str:
    """A citation with its author in the sentence: `(Lin 1990, 33)` as `Lin (1990, 33)`,
    `(Lin, “Title” 33)` as `Lin (“Title” 33)`, a numeric `[3]` as `Lin [3]`."""
    if not families:
        return text
    if not (text.startswith("(") and text.endswith(")")):
        return f"{families[0]} {text}"
    inner = text[1:-1]
    names = [f"{families[0]} et al.", *_listed(families), families[0]]
    shown = next((n for n in names if inner.startswith(n)), None)
    if shown is None:
        return f"{families[0]} {text}"
    rest = inner[len(shown) :].lstrip(" ,")
    return f"{shown} ({rest})" if rest else shown


def _listed(families: list[str]) -> list[str]:
    """How styles join two or three authors' names in a citation."""
    if len(families) < 2:
        return []
    head, last = ", ".join(families[:-1]), families[-1]
    return [f"{head}, and {last}", f"{head} and {last}", f"{head}, & {last}", f"{head} & {last}"]


def _without_author(inner: str) -> str:
    split = _YEAR.search(inner)
    return inner[split.end() :] if split else inner
