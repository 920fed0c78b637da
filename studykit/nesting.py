"""How deep a text's Markdown nests: bold, italics, links and cloze answers inside each other.

markdown-it reads emphasis nested any number of levels deep (`**a **b ... c** d**`), and so do
the cards and the terminal, which walk its tokens in order. The handouts build a tree of spans
from it (`studykit.handouts.inline`), and their writers go down that tree a level at a time:
Python's stack gave out at 300 levels in the HTML and PDF outlines and the summary, at 1,000
in the Markdown outline. typst, which sets the PDF from the same tree, refused a flashcard sheet
past 38 levels of bold ("maximum function call depth exceeded": each level calls the template's
`render` once more), the other layouts past about 50 ("maximum show rule depth exceeded"), and
past about 60 could not read the handout's data at all (its JSON reader stops at 128 objects
and lists inside each other, two a level). So `check` refuses a text nested deeper than
MAX_MARKDOWN_DEPTH, and every command refuses it with the same line, before writing anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studykit.cloze import Cloze
    from studykit.handouts.inline import Inline

MAX_MARKDOWN_DEPTH = 16
"""Bold, italics, links and cloze answers inside each other in one text. A note needs two or
three (`**[a *word*](url)**`); every layout of the PDF handouts sets twice this many, in every
field at once (`tests/test_deep_nesting.py`)."""


def too_deep_markdown(text: str, cloze: Cloze | None = None) -> str | None:
    """What to tell the student when `text` (a cloze point's `cloze`, read as the handouts read
    it with its answers shown) nests deeper than MAX_MARKDOWN_DEPTH; None when it does not."""
    # Each level opens with a character of its own (`*`, `_`, `[`), but for the one cloze
    # answer it may stand in: most texts hold too few of them to nest that deep.
    if sum(text.count(char) for char in "*_[") + 1 <= MAX_MARKDOWN_DEPTH:
        return None
    from studykit.handouts.inline import parse, parse_cloze

    spans = parse_cloze(cloze, show_answers=True) if cloze is not None else parse(text)
    if depth(spans) <= MAX_MARKDOWN_DEPTH:
        return None
    return (
        f"this text nests bold, italics, links and cloze answers more than "
        f"{MAX_MARKDOWN_DEPTH} deep; no note needs that many: check its `*`, `_` and `[`, or "
        "split it"
    )


def depth(spans: Inline) -> int:
    """How many spans that hold others (bold, italics, a link, a cloze answer) stand inside
    each other at most: `**a** b` is 1, `**[a](u)**` 2. A formula's pieces are the formula."""
    deepest = 0
    pending = [(spans, 1)]  # a stack, not recursion: the tree may be as deep as the text is long
    while pending:
        items, level = pending.pop()
        for span in items:
            if span.children and span.kind != "math":
                deepest = max(deepest, level)
                pending.append((span.children, level + 1))
    return deepest
