"""Scans of student text that stay linear where a regular expression alone would not.

A pattern such as `\\(.+?\\)`, searched, is tried from every opener, and each try scans ahead
for the closer: with n openers and no closer that is n scans to the end, quadratic time. A scan
that goes through the openers in order can ask `Next` where the closer is instead: the answer
holds until the scan passes it, so each part of the text is searched for a closer once.
"""

from __future__ import annotations

import re


class Next:
    """Where `closer` (a string, or a pattern to search) next occurs at or after a position.

    Positions must be asked in increasing order; the last answer is reused while it lies ahead,
    and "none" (-1) holds for good.
    """

    def __init__(self, text: str, closer: str | re.Pattern[str]):
        self.text = text
        self.closer = closer
        self.found = -2  # not searched yet

    def at_or_after(self, start: int) -> int:
        """The first position at or after `start` where the closer stands, or -1."""
        if self.found == -1 or self.found >= start:
            return self.found
        if isinstance(self.closer, str):
            self.found = self.text.find(self.closer, start)
        else:
            match = self.closer.search(self.text, start)
            self.found = -1 if match is None else match.start()
        return self.found
