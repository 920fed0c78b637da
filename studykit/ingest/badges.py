"""Badges: the small status images (build, coverage, licence, version) a README shows in a row.

They say nothing a student studies, so ingest leaves them out. Every other image is part of the
reading, a figure above all, linked to its large version or not, and is kept as text: an image
is a badge only by where it is served from (shields.io, a CI service, a `badge` path) or by a
short alt text naming a status, on an image no photograph or drawing file could be
(`[![Version 2 screenshot](v2.png)](v2-large.png)` stays: a `.png` is served as a picture).
"""

from __future__ import annotations

import re

_SERVICE = re.compile(
    r"shields\.io|badgen\.net|(?<![a-z])badges?(?![a-z])|travis-ci\.(?:org|com)|circleci\.com"
    r"|ci\.appveyor\.com|coveralls\.io|codecov\.io|[?&]svg=true|readthedocs\.org/projects"
    r"|pepy\.tech|status\.svg|/workflows/",
    re.IGNORECASE,
)
_STATUS_WORDS = frozenset(
    "build builds ci coverage license licence version release downloads npm pypi status docs "
    "documentation chat gitter discord doi tests passing pipeline codecov travis appveyor "
    "circleci gem crates".split()
)
# An alt text opening like a caption ("Figure 1: Version history") is a figure's, whatever words
# follow.
_FIGURE_WORDS = frozenset(
    "figure fig photo photograph image picture diagram map chart graph plate illustration table "
    "screenshot".split()
)
_PICTURE = re.compile(r"\.(?:png|jpe?g|gif|webp|avif|bmp|tiff?)(?:[?#]|$)", re.IGNORECASE)
_SVG = re.compile(r"\.svg(?:[?#]|$)", re.IGNORECASE)
_WORD = re.compile(r"[a-z]+")
_STATUS_LABEL_WORDS = 3  # "Build Status", "Documentation Status", "Windows build"


def is_badge(alt: str, src: str, beside_badge: bool = False) -> bool:
    """An image served as a badge, or one whose short alt text names a status; beside a badge,
    also an SVG whose alt text is as short and no caption (`[![PyPI](.../v.svg)](...)`)."""
    if _SERVICE.search(src):
        return True
    words = _WORD.findall(alt.lower())
    short = len(words) <= _STATUS_LABEL_WORDS and (not words or words[0] not in _FIGURE_WORDS)
    if beside_badge and short and _SVG.search(src):
        return True
    return short and not _STATUS_WORDS.isdisjoint(words) and not _PICTURE.search(src)
