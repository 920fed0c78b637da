"""What a reading's files and ids are called: `reading.yaml`, `NN-<section-id>.yaml`, slugs.

Kept apart from validation so that finding readings imports no YAML parser: a pull finds them
before its second process reads them."""

from __future__ import annotations

import re

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
READING_FILE = "reading.yaml"
SECTION_FILE = re.compile(r"(\d{1,5})-(.+)\.yaml")  # five digits: 99,999 sections


def is_slug(text: str) -> bool:
    """Lowercase letters and digits in words joined by single hyphens: `great-leap-1958`."""
    return SLUG.fullmatch(text) is not None
