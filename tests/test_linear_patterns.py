"""The linear-time scans find what the regular expressions they replace found.

Each pattern below is the one a scan replaced because, searched, it rescanned long runs
(test_linear_time.py times that). On short texts of the characters each pattern turns on, the
scan must give the same matches, or the same text, as the pattern did.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from studykit.ingest import hidden_text, markdown, sections, sentences
from studykit.notes.formulas import MATH, PATTERN
from studykit.notes.mathtext import _ends_with_command
from studykit.quality import shapes
from studykit.quality.text import MATH_WORD, plain
from studykit.review.render import _IMAGE, _images


def _texts(*pieces: str) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), max_size=14).map("".join)


def _spans(matches: Iterable[re.Match[str]]) -> list[tuple[tuple[int, int], tuple[Any, ...]]]:
    return [(m.span(), m.groups()) for m in matches]


@settings(max_examples=examples(500), deadline=None)
@given(_texts("\\", "(", ")", "[", "]", "$", " ", "a", "1", "\n", "٣"))
def test_formulas_are_the_patterns_matches(text: str) -> None:
    assert _spans(MATH.finditer(text)) == _spans(PATTERN.finditer(text)), repr(text)


_OLD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_OLD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_OLD_EMPHASIS = re.compile(r"(?<!\w)[*_]+|[*_]+(?!\w)|`")


def _old_plain(text: str, keep_math: bool) -> str:
    if not keep_math and ("$" in text or "\\" in text):
        text = PATTERN.sub(f" {MATH_WORD} ", text)
    if "](" in text:
        text = _OLD_LINK.sub(r"\1", _OLD_IMAGE.sub(r"\1", text))
    if "*" in text or "_" in text or "`" in text:
        text = _OLD_EMPHASIS.sub("", text)
    return text.replace("\\{{", "{{")


@settings(max_examples=examples(500), deadline=None)
@given(_texts("!", "[", "]", "(", ")", "*", "_", "`", " ", "a", "é", "\\", "$", "{"), st.booleans())
def test_plain_text_is_what_the_patterns_left(text: str, keep_math: bool) -> None:
    assert plain(text, keep_math) == _old_plain(text, keep_math), repr(text)


_OLD_BULLET = re.compile(r"^\s*(?:[-*+•]|\d{1,2}[.)])\s+(\S.*?)\s*$", re.MULTILINE)
_OLD_JOINER = re.compile(r"\s+(?:and|or)\s+", re.IGNORECASE)
_OLD_CITATION = re.compile(r"\d{4}[a-z]?(?:,\s*(?:p|pp)\.?\s*[\d-]+)?\s*$")
_OLD_QUOTED = re.compile(r'"[^"\n]*"|“[^”\n]*”|‘[^’\n]*’')


@settings(max_examples=examples(300), deadline=None)
@given(
    _texts(" ", "\n", "\t", "-", "*", "•", "1", "12", ".", ")", "x", "\r", "\u2028"),
    _texts(" ", "\n", "and", "or", "AND", "x", "\x0c"),
    _texts("1984", "1", "a", ",", " ", "p", "pp", ".", "-", "\n"),
    _texts('"', "“", "”", "‘", "’", "\n", " ", "a"),
)
def test_card_shapes_find_what_the_patterns_found(
    bullets: str, joined: str, cited: str, quoted: str
) -> None:
    assert shapes._BULLET.findall(bullets) == _OLD_BULLET.findall(bullets), repr(bullets)
    assert shapes._JOINER.split(joined, 1) == _OLD_JOINER.split(joined, 1), repr(joined)
    assert bool(shapes._CITATION.search(cited)) == bool(_OLD_CITATION.search(cited)), repr(cited)
    titled = "\n".join(shapes._without_titles(line) for line in quoted.split("\n"))
    assert titled == _OLD_QUOTED.sub("TITLE", quoted), repr(quoted)


@settings(max_examples=examples(300), deadline=None)
@given(_texts("![", "[", "]", "(", ")", "](", "a", " ", "\n"))
def test_images_and_badges_are_the_patterns_matches(text: str) -> None:
    assert [m.span() for m in _images(text)] == [m.span() for m in _IMAGE.finditer(text)]
    assert sections._without_badges(text) == sections._BADGE.sub("", text), repr(text)


@settings(max_examples=examples(300), deadline=None)
@given(_texts("]", "(", ")", "](", "<", ">", "http://", "ftp://x", "/", "`", "$", " ", "a", "h"))
def test_unhideable_spans_are_the_patterns_matches(text: str) -> None:
    expected = [m.span() for m in hidden_text._NOT_HIDDEN.finditer(text)]
    assert list(hidden_text._not_hidden(text)) == expected, repr(text)


_OLD_BOUNDARY = re.compile(
    r"([.!?…]+[\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[^\W\d_a-z]|\d|(?:\*\*|`)\w)|([。！？]+)"
)
_OLD_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*")
_OLD_FRONT_TITLE = re.compile(r"title:[ \t]*(.+?)[ \t]*")


@settings(max_examples=examples(300), deadline=None)
@given(
    _texts(".", "!", "…", '"', ")", " ", "A", "a", "1", "(", "。", "*", "`"),
    _texts("#", " ", "\t", "a"),
)
def test_ingest_patterns_match_as_before(prose: str, heading: str) -> None:
    assert _spans(sentences._BOUNDARY.finditer(prose)) == _spans(_OLD_BOUNDARY.finditer(prose))
    line = heading.rstrip()  # markdown.py matches lines without trailing spaces
    for pattern, old in ((markdown._ATX, _OLD_ATX), (markdown._FRONT_TITLE, _OLD_FRONT_TITLE)):
        text = line if pattern is markdown._ATX else f"title:{line}"
        new_match, old_match = pattern.fullmatch(text), old.fullmatch(text)
        assert (new_match and new_match.groups()) == (old_match and old_match.groups()), text


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.sampled_from(["\\s", "a", "\\\\", "\n", "{}", "ᵃ", " ", "\\", "ab\n"])))
def test_a_trailing_command_is_found_as_the_pattern_found_it(pieces: list[str]) -> None:
    expected = re.search(r"\\[A-Za-z]+$", "".join(pieces)) is not None
    assert _ends_with_command(pieces) == expected, pieces
