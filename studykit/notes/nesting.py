"""How deep a text's Markdown nests: bold, italics, links and cloze answers inside each other.

markdown-it reads emphasis nested any number of levels deep (`**a **b ... c** d**`), and so do
the cards and the terminal, which walk its tokens in order. The handouts build a tree of spans
from it (`studykit.notes.inline`), and their writers go down that tree a level at a time:
Python's stack gave out at 300 levels in the HTML and PDF outlines and the summary, at 1,000
in the Markdown outline. typst, which sets the PDF from the same tree, refused a flashcard sheet
past 38 levels of bold ("maximum function call depth exceeded": each level calls the template's
`render` once more), the other layouts past about 50 ("maximum show rule depth exceeded"), and
past about 60 could not read the handout's data at all (its JSON reader stops at 128 objects
and lists inside each other, two a level). So `check` refuses a text nested deeper than
MAX_MARKDOWN_DEPTH, and every command refuses it with the same line, before writing anything.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studykit.notes.cloze import Cloze
    from studykit.notes.inline import Inline

MAX_MARKDOWN_DEPTH = 16
"""Bold, italics, links and cloze answers inside each other in one text. A note needs two or
three (`**[a *word*](url)**`); every layout of the PDF handouts sets twice this many, in every
field at once (`tests/test_deep_nesting.py`)."""


def too_deep_markdown(text: str, cloze: Cloze | None = None) -> str | None:
    """What to tell the student when `text` (a cloze point's `cloze`, read as the handouts read
    it with its answers shown) nests deeper than MAX_MARKDOWN_DEPTH; None when it does not."""
    if not _may_nest_deep(text):
        return None
    return _too_deep(_spans(text, cloze))


def markdown_limits(text: str, cloze: Cloze | None = None) -> str | None:
    """`too_deep_markdown`'s message, else `too_many_spans`'s, reading `text` at most once:
    a text of many `[` would otherwise be parsed twice, and its parse is most of `check`'s."""
    deep, many = _may_nest_deep(text), _may_have_many(text)
    if not (deep or many):
        return None
    spans = _spans(text, cloze)
    return (_too_deep(spans) if deep else None) or (_too_many(spans) if many else None)


def _may_nest_deep(text: str) -> bool:
    # Each level opens with a character of its own (`*`, `_`, `[`), but for the one cloze
    # answer it may stand in: most texts hold too few of them to nest that deep. (Counted
    # without a generator: every text of the notes is asked.)
    return text.count("*") + text.count("_") + text.count("[") + 1 > MAX_MARKDOWN_DEPTH


def _spans(text: str, cloze: Cloze | None) -> Inline:
    from studykit.notes.inline import parse, parse_cloze

    return parse_cloze(cloze, show_answers=True) if cloze is not None else parse(text)


def _too_deep(spans: Inline) -> str | None:
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


MAX_STYLED_SPANS = 2_000
"""Pieces of bold, italics, code, links, formulas, images, line breaks and cloze answers in one
text. A note has a handful; typst sets each text as one paragraph, in time that grows with the
square of its pieces past a few thousand: one point of `*a* ` written n times took 0.7 s of CPU
at n = 2,000, 1.4 s at 4,000, 3.1 s at 8,000 and 36 s at 40,000 (`` `a` `` and links alike),
where as many pieces spread over many points, or as much plain text, take linear time."""


def too_many_spans(text: str, cloze: Cloze | None = None) -> str | None:
    """What to tell the student when `text` (a cloze point's `cloze`, read as the handouts read
    it with its answers shown) holds more than MAX_STYLED_SPANS pieces that are not plain text;
    None when it does not."""
    if not _may_have_many(text):
        return None
    return _too_many(_spans(text, cloze))


def _may_have_many(text: str) -> bool:
    # Each piece takes a character of its own from these (its opening `*`, `_`, `` ` ``, `[`,
    # `$`, `\`, `<`, a cloze answer's `{`, a line break): most texts hold too few to count,
    # and most are shorter than that many characters.
    return len(text) > MAX_STYLED_SPANS and (
        sum(text.count(char) for char in "*_`[$\\<{\n") > MAX_STYLED_SPANS
    )


def _too_many(spans: Inline) -> str | None:
    count = styled_spans(spans)
    if count <= MAX_STYLED_SPANS:
        return None
    return (
        f"this text has {count:,} pieces of bold, italics, code, links, formulas and cloze "
        f"answers, more than {MAX_STYLED_SPANS:,}; no note needs that many, and a PDF handout "
        "sets them in time that grows with the square of their number: split it into points"
    )


def styled_spans(spans: Inline) -> int:
    """How many spans other than plain text `spans` holds, at every depth. A formula's pieces
    are the formula."""
    count = 0
    pending = [spans]  # a stack, not recursion, as in `depth`
    while pending:
        for span in pending.pop():
            if span.kind != "text":
                count += 1
                if span.children and span.kind != "math":
                    pending.append(span.children)
    return count


MAX_CLUSTER = 64
"""Code points in one grapheme cluster: a letter with its accents, an emoji sequence joined by
U+200D (👩‍👩‍👧‍👦 is 7), a Hangul syllable of jamo. Real ones are under about 20 (a flag of a
subdivision is 7, a Zalgo-decorated letter a few dozen at most). typst panicked setting a
cluster over 65,535 bytes (33,000 accents on one letter, 25,000 emoji joined): no renderer
needs more than this bound, and `check` refuses it in every text, before anything is set."""

# A cluster longer than MAX_CLUSTER is a run of non-ASCII code points (every mark and joiner
# is), after one base character: only such runs are walked, so ASCII text costs one search.
# `{n,}` on a class is linear: each start fails within n characters of the run's end.
_LONG_RUN = re.compile(f"[^\\x00-\\x7f]{{{MAX_CLUSTER - 1},}}")
_ZWJ = "\u200d"
_MARKS = frozenset({"Mn", "Mc", "Me"})


def long_cluster(text: str) -> int | None:
    """The offset in `text` of the first grapheme cluster longer than MAX_CLUSTER code points;
    None when there is none. A cluster here is a character and every combining mark, variation
    selector, emoji modifier, tag or joiner after it, and the character after a joiner: a
    little more than Unicode's extended cluster, never less, in one pass over the run."""
    for run in _LONG_RUN.finditer(text):
        begin = max(run.start() - 1, 0)
        size = 0
        joined = False
        for at in range(begin, min(run.end() + 1, len(text))):
            char = text[at]
            if joined or (size and _extends(char)):
                size += 1
            else:
                begin, size = at, 1
            joined = char == _ZWJ
            if size > MAX_CLUSTER:
                return begin
    return None


def _extends(char: str) -> bool:
    """Whether `char` belongs to the cluster of the character before it."""
    point = ord(char)
    return (
        unicodedata.category(char) in _MARKS  # accents; variation selectors are Mn
        or char in "\u200c\u200d"
        or 0x1F3FB <= point <= 0x1F3FF  # emoji skin tones
        or 0xE0020 <= point <= 0xE007F  # tags: subdivision flags
        or 0x1160 <= point <= 0x11FF  # Hangul jamo vowels and trailing consonants
        or 0xD7B0 <= point <= 0xD7FF
    )


def cluster_message(text: str, at: int) -> str:
    """What to tell the student about the long cluster `long_cluster` found at `at`."""
    base = text[at]
    shown = base if base.isprintable() and not _extends(base) else f"U+{ord(base):04X}"
    return (
        f"one character ({shown!r}) is written with more than {MAX_CLUSTER} code points "
        "(accents, marks, characters joined by U+200D); no writing needs that many, and a PDF "
        "handout cannot set them: delete the extra ones"
    )
