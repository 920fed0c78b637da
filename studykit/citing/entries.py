"""Citations and bibliography entries formatted by citeproc-py: the works cited read into it as
CSL-JSON, each distinct citation formatted once, and a style it fails on named in one line. The
reading's own entry is made from reading.yaml's title, author (names read as BibTeX reads them)
and year."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from studykit.citing.citeproc_fixes import parse_strings_in_one_pass
from studykit.citing.citeproc_text import (
    ENTRY_NUMBER,
    Markdown,
    clean_json,
    markdown,
    numbered,
    punctuation_in_quote,
)
from studykit.citing.in_text import (
    citation_layout,
    cite_item,
    first_families,
    joined_citation,
    narrative_citation,
)
from studykit.citing.styles import loaded_style, style_file, style_path
from studykit.errors import StudykitError, UsageError
from studykit.notes.citations import Citation


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
    return ENTRY_NUMBER.sub("", entries.get("reading", ""))


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


def format_citations(
    bibliography: Path, citations: list[Citation], style: str
) -> tuple[dict[str, str], dict[str, str]]:
    """Each citation formatted (by its text as written) and the entry of each work cited (by
    key), or what they were before for the same files, citations and code (`kept`)."""
    from studykit.citing.kept import kept_citations

    def made() -> tuple[dict[str, str], dict[str, str]]:
        keys = [item.key for citation in citations for item in citation.items]
        return _run(_source(bibliography, keys), bibliography, citations, style)

    try:
        path = style_path(style)
    except (OSError, UsageError):
        return made()  # its error, raised as and where the formatting raises it
    return kept_citations(bibliography, citations, path, made)


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

    parse_strings_in_one_pass()
    return CiteProcJSON([clean_json(item) for item in items])


def _run(
    source: Any,
    path: Path,
    citations: list[Citation],
    style: str,
    also: list[str] | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    from citeproc import Citation as CSLCitation
    from citeproc import CitationItem, CitationStylesBibliography, Locator

    csl = loaded_style(style)
    bibliography = CitationStylesBibliography(csl, source, Markdown)
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
                    made = CSLCitation([cite_item(item, CitationItem, Locator)])
                    bibliography.register(made)
                    alone[(item.key.lower(), item.locator)] = made
            continue
        made = CSLCitation([cite_item(item, CitationItem, Locator) for item in citation.items])
        bibliography.register(made)
        registered.append((citation, made))
    inside = punctuation_in_quote(csl)
    try:
        layout = citation_layout(csl)
        each = {
            where: inside(markdown(bibliography.cite(made, _ignore)))
            for where, made in alone.items()
        }
        formatted = {
            c.source: narrative_citation(
                c, markdown(bibliography.cite(made, _ignore)), first_families(source, c)
            )
            for c, made in registered
        }
        for citation in citations:
            if not citation.narrative:
                formatted[citation.source] = joined_citation(citation, each, layout)
        bibliography.sort()
        listed = bibliography.bibliography()
        if len(listed) != len(bibliography.keys):
            # A style that leaves some types out of its bibliography: what it lists cannot be
            # told apart by key, so nothing is listed rather than entries under wrong keys.
            listed = []
        entries = {
            key: numbered(inside(markdown(str(entry))))
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

    from studykit.citing.style_faults import style_error
    from studykit.errors import display_path

    where = style_file(style)
    unsupported = _sample_fails(csl)
    if unsupported is not None:
        why = _why(unsupported)
        fault = f"cannot be used: citeproc-py does not support it ({why}); try another --style"
        return style_error(style, where, fault)
    failing = None
    for key in dict.fromkeys(k.lower() for k in keys):
        try:
            alone = CitationStylesBibliography(csl, source, Markdown)
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


def _ignore(item: Any) -> None:
    """Unknown keys are refused by `check` before anything is formatted."""


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
        bibliography = CitationStylesBibliography(csl, CiteProcJSON(list(_SAMPLE)), Markdown)
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
