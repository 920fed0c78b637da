"""Invisible characters: text that reads the same as another text but is not the same string.

Zero-width spaces and joiners, soft hyphens, word joiners, byte-order marks, variation
selectors, bidirectional controls and the rest of Unicode's Default_Ignorable_Code_Point set
show as nothing; and one accented letter is one code point (NFC, "é") or two (NFD, "e" and a
combining accent), depending on the editor or the PDF a text was pasted from. `fold` maps all
of these to one form, for the checks that compare items: the same term twice, the same answer
taught twice, an answer that shows in its own sentence. It is never applied to what is stored,
shown or hashed, so the identities (GUIDs) of existing notes do not move.

NFC, not NFKC: compatibility folding would make "x²" and "x2", or "½" and "1⁄2", one answer,
which they are not; canonical equivalence is exactly "the same text, encoded differently".

`in_term` and `in_deletions` find the characters `check` warns about: in a term or a deletion
they make the card's answer differ from what a student types or searches for. A few uses change
how a text looks and are left alone: a joiner (ZWJ, ZWNJ) between two letters of a script that
shapes with it (Persian "می‌خواهم", Devanagari conjuncts) or inside an emoji sequence (👩‍🔬), and a
variation selector or tag after the symbol or ideograph it styles (❤️, keycaps, flags). Between
Latin letters or digits, or anywhere else, they change nothing a student sees.
"""

from __future__ import annotations

import re
import unicodedata

from studykit.notes.cloze import Cloze

# Default_Ignorable_Code_Point (Unicode 15.1, DerivedCoreProperties.txt), the set fonts and
# text renderers draw as nothing.
_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
_JOINERS = frozenset("\u200c\u200d")
# Characters that style the one before them: variation selectors (standard, Mongolian,
# ideographic), the combining grapheme joiner and the tags of subdivision flags.
_SELECTORS = re.compile(
    "[\u034f\u180b-\u180d\u180f\ufe00-\ufe0f\U000e0020-\U000e007f\U000e0100-\U000e01ef]"
)
_KEYCAP = "\u20e3"
_FIRST_COMPLEX = 0x0590  # Hebrew: scripts from here on may shape with joiners; Latin does not


def fold(text: str) -> str:
    """The text as compared: invisible characters gone, accents composed (NFC)."""
    if text.isascii():
        return text  # nearly every answer: nothing to drop, nothing to compose
    # Drop first: a combining grapheme joiner between a letter and its accent keeps NFC from
    # composing them.
    return unicodedata.normalize("NFC", _IGNORABLE.sub("", text))


def name(char: str) -> str:
    """A character as a warning names it: `U+200B ZERO WIDTH SPACE`."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed')}".rstrip()


def in_term(term: str) -> list[tuple[int, str]]:
    """The warning for a term with invisible characters: (offset of the first, message)."""
    found = _invisible(term)
    return [(found[0], _message(term, found, "the term"))] if found else []


def in_deletions(text: str, cloze: Cloze) -> list[tuple[int, str]]:
    """A warning per deletion of a point's text with invisible characters, with the offset of
    its first one in `text`."""
    if text.isascii():
        return []
    warnings = []
    for deletion in cloze.deletions:
        found = _invisible(deletion.answer)
        if found:
            # The answer as written follows the `{{`, with at most a `\\` added before a `::`:
            # the first occurrence of the character from there is the one found.
            at = text.find(deletion.answer[found[0]], deletion.start + 2)
            message = _message(deletion.answer, found, "the deletion")
            warnings.append((max(at, 0), message))
    return warnings


def _invisible(text: str) -> list[int]:
    """Offsets of the characters in `text` that show as nothing and change nothing seen."""
    if text.isascii():
        return []
    return [m.start() for m in _IGNORABLE.finditer(text) if not _styles(text, m.start())]


def _styles(text: str, at: int) -> bool:
    """Whether the invisible character at `at` changes how its neighbours look."""
    before = text[at - 1] if at > 0 else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    if text[at] in _JOINERS:
        return _shapes(before) and _shapes(after)
    if _SELECTORS.match(text[at]):
        return _shapes(before) or bool(_SELECTORS.match(before)) or after == _KEYCAP
    return False


def _shapes(char: str) -> bool:
    """A letter, mark or symbol of a script (or emoji) that joiners and selectors act on."""
    return ord(char) >= _FIRST_COMPLEX and unicodedata.category(char)[0] in "LMS"


def _message(text: str, found: list[int], what: str) -> str:
    names = list(dict.fromkeys(name(text[at]) for at in found))
    shown = " ".join(fold(text).split())
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    if len(found) == 1:
        head = f"invisible character {names[0]} in {what} {shown!r}"
    else:
        head = f"{len(found)} invisible characters ({', '.join(names)}) in {what} {shown!r}"
    return (
        f"{head}{', the first here' if len(found) > 1 else ''}: it shows as nothing, but a "
        "typed answer or a search must match it; delete it"
    )
