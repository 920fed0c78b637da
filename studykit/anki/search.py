"""Anki searches that find one note exactly, whatever its front holds, and one deck by name.

Anki's field search `"Field:re:..."` matches a regular expression against the field as stored,
HTML and cloze markers included, so a search built from the exact field the package wrote finds
that note and no other, where a plain `Field:words*` search fails on `{{c1::`, `<em>`, `&amp;`
and `\\(x^2\\)`. Two escapes apply: the regular expression's (Rust syntax) and, inside the
double-quoted search term, Anki's own for `"`.
"""

from __future__ import annotations

_REGEX_META = frozenset("\\.+*?()|[]{}^$#&-~")


def regex_escape(text: str) -> str:
    """Escape a text for Anki's (Rust) regular expressions: only the meta characters, since
    escaping an ordinary character is an error there."""
    return "".join("\\" + c if c in _REGEX_META else c for c in text)


def note_search(field_name: str, field_html: str, tag: str | None = None) -> str:
    """A search for the note whose field `field_name` is exactly `field_html`."""
    pattern = "(?s)^" + regex_escape(field_html) + "$"
    term = f'"{field_name}:re:{pattern.replace(chr(34), chr(92) + chr(34))}"'
    return f"tag:{tag} {term}" if tag else term


def deck_search(*names: str) -> str:
    """A search for the cards of the decks `names` (and of their subdecks), whatever they
    hold: `*` and `_` are wildcards in a deck search, `\\` escapes them, and `"` itself."""
    terms = []
    for name in names:
        escaped = "".join("\\" + c if c in '\\"*_' else c for c in name)
        terms.append(f'"deck:{escaped}"')
    return terms[0] if len(terms) == 1 else "(" + " or ".join(terms) + ")"
