"""An acronym beside its expansion, whose initials it spells: "Soil Conservation Service (SCS)"."""

from __future__ import annotations

import re

from studykit.ingest.definition_text import Definition, _made

_UPPER = "A-ZÀ-ÖØ-ÞΑ-ΩА-Я"
_CAPITAL = rf"[{_UPPER}][\w'’.-]*"
# A name: capitalised words, joined across small words ("Department of Agriculture").
_NAME = rf"{_CAPITAL}(?:\s+(?:(?:of|the|and|for|de|van|von|du|la|le)\s+)?{_CAPITAL})*"
_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Za-z0-9&]{1,7}s?)\)")
# "organelles descended from ...", "large complexes in which ...": a plural noun, up to two
# words before it, pinned down by a phrase or a clause after it: what a marked term is, without
# an article.
_PLURAL_GLOSS = (
    r"(?=(?:[a-z][a-z-]*\s+){0,2}[a-z][a-z-]+s\s+(?:that|which|who|in\s+which|of|from|with"
    r"|descended|made|formed|used|built|composed|consisting|containing|found)\b)"
)
_INDEFINITE_OR_THE = re.compile(r"(?:an?|the)\s+[a-z]")
_LOOK_BACK = 120  # characters before a gloss or an acronym where its name may stand
_NAME_AT_END = re.compile(rf"(?:^|(?<=\s))(?P<term>{_NAME})$")


def _acronyms(text: str) -> list[Definition]:
    """`Soil Conservation Service (SCS)` -> SCS: Soil Conservation Service (initials must match)."""
    found: list[Definition] = []
    for match in _ACRONYM_AFTER.finditer(text):
        acronym = match.group(1)
        before = text[max(0, match.start() - _LOOK_BACK) : match.start()]
        name = _NAME_AT_END.search(before)
        expansion = _expansion(name.group("term"), acronym) if name is not None else None
        if expansion is None:
            expansion = _spelled_in_words(before, acronym)
        if expansion is None:
            continue
        head = _HEAD_AFTER.match(text, match.end())
        opens = text[: match.start()].strip().removesuffix(expansion).strip() in ("", "The")
        if head is not None and opens:
            # "Natural killer (NK) cells are lymphocytes ...": the words the acronym spells
            # name a kind of the noun after the bracket, and the sentence says what that kind
            # is: "NK cells", never "NK: Natural killer". None where it does not say.
            if _PLURAL_GLOSS_AFTER.match(text, head.end()) or _INDEFINITE_OR_THE.match(
                text, head.end()
            ):
                found.extend(_made(f"{acronym} {head.group('head')}", text[head.end() :], True))
            continue
        found.append(Definition(acronym, expansion))
    return found


# The head noun after an acronym's bracket, then the verb that says what it is.
_HEAD_AFTER = re.compile(r"\s+(?P<head>[a-z][a-z-]+)\s+(?:is|are|was|were)\s+")
_PLURAL_GLOSS_AFTER = re.compile(_PLURAL_GLOSS)


def _spelled_in_words(before: str, acronym: str) -> str | None:
    """The words just before an acronym's bracket that spell it, in lower case or with a
    hyphen's parts ("crassulacean acid metabolism (CAM)", "glyceraldehyde 3-phosphate
    (G3P)"), as written; None unless their initials spell it exactly."""
    letters = acronym[:-1] if acronym.endswith("s") and not acronym.isupper() else acronym
    match = _WORDS_AT_END.search(before)
    if match is None:
        return None
    text = match.group()
    spans = [m.span() for m in re.finditer(r"[\w'’-]+", text)]
    for start in range(len(spans)):
        parts = [
            part
            for word in re.findall(r"[\w'’-]+", text[spans[start][0] :])
            for part in word.split("-")
            if part and part.lower() not in ("of", "and", "for", "the")
        ]
        if "".join(p[0] for p in parts).upper() == letters.upper():
            if text[spans[start][0] :].split()[0].lower() in ("the", "of", "and", "for"):
                continue
            return text[spans[start][0] :].strip()
    return None


# Up to six words before the bracket, none across a comma or a stop.
_WORDS_AT_END = re.compile(r"(?:[\w'’-]+\s+){0,5}[\w'’-]+$")


def spells(words: str, acronym: str) -> bool:
    """Whether the last of `words` (any case) have `acronym`'s letters for initials."""
    return _expansion(words.strip(), acronym) is not None


def _expansion(name: str, acronym: str) -> str | None:
    """The end of `name` whose words' initials spell `acronym`, if it does."""
    letters = acronym.rstrip("s").upper() if acronym.endswith("s") else acronym.upper()
    words = name.split()
    for start in range(len(words)):
        tail = words[start:]
        if tail[0].lower() in ("the", "of", "and", "for"):
            continue
        initials = "".join(w[0] for w in tail if w.lower() not in ("of", "and", "for", "the"))
        with_capitals = "".join(
            w[0] + "".join(c for c in w[1:] if c.isupper())
            for w in tail
            if w.lower() not in ("of", "and", "for", "the")
        )
        if letters in (initials.upper(), with_capitals.upper()):
            return " ".join(tail)
    return None
