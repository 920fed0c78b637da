"""From a parsed document to the sections ingest writes: titles for untitled text, ids, sizes.

- Text before the first heading is the section "Introduction" (or "Full text" when the reading
  has no headings at all).
- A closing paragraph without a heading of its own, one that opens like a conclusion ("In
  summary", "In conclusion", "To sum up", "Overall", ...) at the end of a reading with headings,
  becomes the section "Conclusion"; any other last paragraph stays in the last section.
- A heading with no text before the next one joins it ("Part 2: The Famine"); one at the very
  end stays a section with only its title.
- Titles lose their numbers and, when in capitals, are put in title case (titles.py).
- A section too large for one notes file is cut at paragraphs into parts.
- Files are named `NN-<id>.yaml`, the number padded to as many digits as the number of the last
  section (`001-` when there are 100 or more), so that they list in reading order.
- An image reference `![alt](path)` is kept as text, `! [alt](path)`: the notes refuse images
  that are not in the reading's folder, and the source's images are not copied. An `@` in
  brackets (`[@bbc2]`) is written `\\@`, or the notes would take it for a citation.
- A section's id is the first significant word of its title ("Policies and Economic
  Miscalculations" -> `policies`), with a "-ological" adjective named by its noun
  ("Ideological ..." -> `ideology`); words are added, then a number, until it is unique. A
  title that is only a label is named by all of it (`Clause 3` -> `clause-3`), its number
  being all that tells it from the others.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from studykit.ingest.sources import Document, RawSection
from studykit.ingest.titles import acronyms_in, clean_title, in_capitals, is_label, strip_number
from studykit.notes.media import IMAGE
from studykit.notes.scanning import Next

MAX_SECTIONS = 99_999
"""The notes loader reads section numbers of at most five digits."""
MAX_SECTION_BYTES = 256 * 1024
"""Notes files are limited to 1 MB; a section's text stays well below, leaving room for notes."""

_PART = re.compile(r" \(part \d+\)$")
_WHOLE = "Full text"  # the one section of a reading without headings; its id is `text`
_CONCLUDING = re.compile(
    r"(?:in (?:summary|conclusion|sum|short|closing|the end)|to (?:conclude|sum up|summari[sz]e)"
    r"|all in all|overall|finally|ultimately|taken together)\b",
    re.IGNORECASE,
)
_NUMBERING = re.compile(
    r"(?:\d{1,3}(?:\.\d{1,3})*\.?|[IVXLCDM]{1,7}\.|(?:part|chapter|section|book|lesson|unit|"
    r"lecture|appendix)\s+(?:\d+|[IVXLCDMivxlcdm]+|[a-zA-Z]|\w+)\.?)\s*[:.–—-]?\s+",
    re.IGNORECASE,
)
_STOP = frozenset(
    "a an the and or of on in to for from with about by at as into how why what when where who "
    "which is are was were do does did it its their our my your his her some this that these those "
    "part chapter section".split()
)


@dataclass(frozen=True)
class PlannedSection:
    """A section as it will be written: `NN-<id>.yaml` with this title and these paragraphs."""

    number: int
    id: str
    title: str
    paragraphs: tuple[str, ...]
    headed: bool  # False for the untitled introduction, conclusion or full text
    width: int = 2  # digits of the number: as many as the last section's, so `ls` reads in order

    @property
    def file_name(self) -> str:
        return f"{self.number:0{self.width}d}-{self.id}.yaml"


def plan_sections(document: Document) -> list[PlannedSection]:
    """Number, title and name every section of the document."""
    raw = _clean_titles(_merge_empty_headings([_without_images(s) for s in document.sections]))
    has_headings = any(s.title is not None for s in raw)
    titled: list[tuple[str, tuple[str, ...], bool]] = []
    for section in raw:
        if section.title is None:
            untitled = "Introduction" if has_headings else _WHOLE
            titled.append((untitled, section.paragraphs, False))
        else:
            titled.append((section.title, section.paragraphs, True))
    if has_headings and titled and titled[-1][2] and len(titled[-1][1]) >= 2:
        title, paragraphs, headed = titled[-1]
        if _CONCLUDING.match(paragraphs[-1].lstrip()):
            titled[-1] = (title, paragraphs[:-1], headed)
            titled.append(("Conclusion", paragraphs[-1:], False))
    parts = [part for section in titled for part in _split_large(*section)]
    taken: set[str] = set()
    counters: dict[str, int] = {}
    planned = []
    width = max(2, len(str(len(parts))))
    for number, (title, paragraphs, headed) in enumerate(parts, start=1):
        named = _PART.sub("", title)  # the parts of one section share its id, numbered
        section_id = section_id_for("text" if named == _WHOLE else named, taken, number, counters)
        taken.add(section_id)
        planned.append(PlannedSection(number, section_id, title, paragraphs, headed, width))
    return planned


def title_without_images(title: str) -> str:
    """A heading without the badges and logos beside it, which are no part of its title (an
    image alone stays, as text), and a link's words without its address: `# [libcbor](https://
    github.com/PJK/libcbor)` is titled "libcbor", in the notes and in the deck's name."""
    if "](" not in title:
        return title
    if len(title) > _MAX_TITLE_SCAN:
        return _defused(title)
    bare = " ".join(_LINK.sub(r"\1", IMAGE.sub("", _without_badges(title))).split())
    if not bare:
        # A logo for a title (`![libsodium](logo.png)` over `====`): its words are the title.
        alt = _ALT.search(title)
        bare = " ".join(alt.group(1).split()) if alt is not None else ""
    return bare or _defused(title)


_ALT = re.compile(r"!\[([^\[\]\n]*\w[^\[\]\n]*)\]\(")


# A link in a heading, once its images are gone: `[words](address)`.
_LINK = re.compile(r"(?<!!)\[([^\[\]\n]+)\]\([^()\s]*\)")


# IMAGE, searched, rescans the text after each `![` that opens no image: a title is short, and
# a longer one (no real heading) is only defused, so that costs at most this squared, once.
_MAX_TITLE_SCAN = 500


def _defused(text: str) -> str:
    """Text whose images are shown as written, not as images: every `![` becomes `! [`.

    Every one, not only those a pattern takes for an image: the Markdown parser also reads
    `![![x]](u.png)` as one, and a draft must not refer to an image the notes do not have."""
    return text.replace("![", "! [")


def _without_images(section: RawSection) -> RawSection:
    title = None if section.title is None else _not_cited(title_without_images(section.title))
    if not any("![" in p or "@" in p for p in section.paragraphs):
        return RawSection(title, section.paragraphs)
    return RawSection(title, tuple(_not_cited(_defused(p)) for p in section.paragraphs))


# `[@bbc2]` (a README's link to a user, `[@bbc2]: https://...` below) reads as a citation in
# notes, an error in a reading without a bibliography: its `@` is written `\@`, which notes
# show as `@`. Bracketed text only: a bare `@word` is text in such a reading.
_BRACKETED = re.compile(r"\[[^\[\]\n]*@[^\[\]\n]*\]")
_CITING_AT = re.compile(r"(?<![\w\\])@")


def _not_cited(text: str) -> str:
    if "@" not in text:
        return text
    return _BRACKETED.sub(lambda found: _CITING_AT.sub(r"\\@", found.group()), text)


_BADGE = re.compile(r"\[!\[[^\]]*\]\([^)]*\)\]\([^)]*\)")


def _without_badges(title: str) -> str:
    """`_BADGE.sub("", title)` in linear time. Searched, the pattern scans `[![[![...` from each
    opener to the same `]`; here each opener asks where its `]` and `)`s are (`Next`), and the
    pattern is matched only where a badge is known to start."""
    bracket, paren, last_paren = Next(title, "]"), Next(title, ")"), Next(title, ")")
    pieces: list[str] = []
    done = searched = 0
    while (start := title.find("[![", searched)) != -1:
        close = bracket.at_or_after(start + 3)
        if close == -1:
            break
        inner = paren.at_or_after(close + 2) if title.startswith("(", close + 1) else -1
        whole = inner != -1 and title.startswith("](", inner + 1)
        if whole and last_paren.at_or_after(inner + 3) != -1:
            match = _BADGE.match(title, start)
            assert match is not None, title  # each part of a badge was found above
            pieces.append(title[done:start])
            done = searched = match.end()
        else:
            searched = start + 1
    return "".join(pieces) + title[done:]


def _clean_titles(sections: list[RawSection]) -> list[RawSection]:
    """Titles without their numbers, not in capitals (titles.py); the acronyms to keep are
    looked for in the text only when some title is in capitals."""
    acronyms: frozenset[str] = frozenset()
    if any(s.title is not None and in_capitals(s.title) for s in sections):
        acronyms = acronyms_in(p for s in sections for p in s.paragraphs)
    return [
        RawSection(None if s.title is None else clean_title(s.title, acronyms), s.paragraphs)
        for s in sections
    ]


def _merge_empty_headings(sections: list[RawSection]) -> list[RawSection]:
    merged: list[RawSection] = []
    waiting: list[str] = []
    for section in sections:
        if section.title is not None and not section.paragraphs:
            waiting.append(section.title)
            continue
        if waiting and section.title is not None:
            section = RawSection(join_headings([*waiting, section.title]), section.paragraphs)
        elif waiting:
            merged.extend(RawSection(title, ()) for title in waiting)
        waiting = []
        merged.append(section)
    merged.extend(RawSection(title, ()) for title in waiting)
    return merged


def join_headings(headings: list[str]) -> str:
    """`Part One` and `The Communes` as one title: `Part One: The Communes` (`II. The Plan`)."""
    title = headings[0]
    for heading in headings[1:]:
        # "3. Python Packaging" over "3.1. Versions": the part's number goes, the order is in
        # the file names.
        title += (" " if title.endswith((".", ":")) else ": ") + strip_number(heading)
    return title


def _split_large(
    title: str, paragraphs: tuple[str, ...], headed: bool
) -> list[tuple[str, tuple[str, ...], bool]]:
    parts: list[list[str]] = [[]]
    size = 0
    for paragraph in paragraphs:
        length = len(paragraph.encode("utf-8")) + 2
        if size + length > MAX_SECTION_BYTES and parts[-1]:
            parts.append([])
            size = 0
        parts[-1].append(paragraph)
        size += length
    if len(parts) == 1:
        return [(title, paragraphs, headed)]
    return [(f"{title} (part {n})", tuple(part), headed) for n, part in enumerate(parts, start=1)]


def slug_words(text: str) -> list[str]:
    """Lowercase ASCII words of a text: accents dropped, anything else a separator."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.findall(r"[a-z0-9]+", ascii_text.lower().replace("'", "").replace("’", ""))


def slugify(text: str) -> str:
    """`Chapter 4: The Famine` -> `chapter-4-the-famine`; empty when no ASCII letter is left."""
    return "-".join(slug_words(text))


MAX_SECTION_ID_CHARS = 40
"""A file name holds `NN-<id>.yaml` and a deck's subdeck the title: 60 running headings joined,
or one 300-letter word, would make a name the file system refuses."""


def _shortened(slug: str) -> str:
    if len(slug) <= MAX_SECTION_ID_CHARS:
        return slug
    cut = slug[: MAX_SECTION_ID_CHARS + 1].rsplit("-", 1)[0]
    return cut if 0 < len(cut) <= MAX_SECTION_ID_CHARS else slug[:MAX_SECTION_ID_CHARS]


def section_id_for(
    title: str, taken: set[str], number: int, counters: dict[str, int] | None = None
) -> str:
    """A short unique slug for a section title (see the module docstring).

    `counters` remembers, per base, the number to try next: counting up from 2 for every
    section of a reading whose headings all slug alike ("Notes", or "Heading 1", "Heading 2"
    without their numbers) took time squared in the sections. Every number below it is taken
    (ids only join `taken`, and the caller adds the one returned), so the id is the same."""
    if is_label(title) and (whole := slugify(title)) and whole not in taken:
        return _shortened(whole)
    stripped = _NUMBERING.sub("", title, count=1) if _NUMBERING.match(title) else title
    significant = [w for w in slug_words(stripped) if w not in _STOP and not w.isdigit()]
    if significant and significant[0].endswith("ological"):
        significant[0] = significant[0].removesuffix("ical") + "y"
    candidates = ["-".join(significant[:n]) for n in range(1, min(len(significant), 4) + 1)]
    candidates = [_shortened(c) for c in candidates or [slugify(title) or f"section-{number}"]]
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    base = candidates[0]
    counters = {} if counters is None else counters
    counter = counters.get(base, 2)
    while f"{base}-{counter}" in taken:
        counter += 1
    counters[base] = counter + 1
    return f"{base}-{counter}"
