"""Images referenced from notes: where they may live, and the name they get inside a deck."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Markdown image syntax: ![alt](path) or ![alt](<path with spaces> "title").
IMAGE = re.compile(r"!\[[^\]]*\]\(\s*(?:<([^>]*)>|([^)\s]*))(?:\s+\"[^\"]*\")?\s*\)")
_URL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class ImageRef:
    offset: int  # where `![` starts in the text
    target: str  # the path as written


def image_refs(text: str) -> Iterator[ImageRef]:
    if "](" not in text:
        return
    for match in IMAGE.finditer(text):
        yield ImageRef(match.start(), match.group(1) or match.group(2) or "")


def resolve_image(target: str, base: Path, root: Path) -> Path:
    """The file an image path names, relative to the folder `base`; ValueError if not allowed.

    Images must be files inside the reading's folder `root`, so that building and sharing a deck
    can never carry a file from elsewhere on the machine (no absolute paths, `..`, links out).
    """
    if not target:
        raise ValueError("image without a path")
    if _URL.match(target) or target.startswith(("/", "\\")):
        raise ValueError(
            f"image {target!r}: use a path relative to this file, inside the reading's folder"
        )
    resolved = (base / target).resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise ValueError(f"image {target!r} lies outside the reading's folder")
    if not resolved.is_file():
        raise ValueError(f"image {target!r} not found")
    return resolved


def packaged_name(path: Path) -> str:
    """A collection-wide unique media name: the file's name plus a hash of its content.

    Anki keeps every deck's media in one folder, so two `map.png` from two readings (or two
    folders) must not collide; identical files share one name.
    """
    import hashlib  # here: OpenSSL's start-up is wasted on commands that package no images

    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return f"{path.stem}-{digest}{path.suffix.lower()}"
