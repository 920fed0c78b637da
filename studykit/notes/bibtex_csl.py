"""A BibTeX entry as a CSL-JSON item: its type and fields as CSL names them, its names read as
BibTeX reads them (`Family, Given`, a particle, `{World Bank}` whole), its date from biblatex's
`date` or BibTeX's `year` and `month`."""

from __future__ import annotations

import re
from typing import Any

from studykit.notes.bibtex_latex import latex_text, title_text
from studykit.notes.bibtex_scanner import MONTHS, Entry

_TYPES = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "booklet": "pamphlet",
    "collection": "book",
    "proceedings": "book",
    "manual": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "unpublished": "manuscript",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "misc": "document",
}
# BibTeX and biblatex field -> CSL variable, for text fields.
_TEXT = {
    "title": "title",
    "shorttitle": "title-short",
    "journal": "container-title",
    "journaltitle": "container-title",
    "booktitle": "container-title",
    "series": "collection-title",
    "publisher": "publisher",
    "school": "publisher",
    "institution": "publisher",
    "organization": "publisher",
    "address": "publisher-place",
    "location": "publisher-place",
    "edition": "edition",
    "volume": "volume",
    "pages": "page",
    "chapter": "chapter-number",
    "note": "note",
    "doi": "DOI",
    "url": "URL",
    "isbn": "ISBN",
    "issn": "ISSN",
    "urldate": "accessed",
    "abstract": "abstract",
}
# biblatex's `langid` (and `language`) name a babel language; CSL wants a language code, by
# which a style leaves a title that is not English as written instead of title-casing it.
_LANGUAGES = {
    "english": "en",
    "american": "en-US",
    "USenglish": "en-US",
    "british": "en-GB",
    "UKenglish": "en-GB",
    "australian": "en-AU",
    "canadian": "en-CA",
    "french": "fr",
    "francais": "fr",
    "acadian": "fr-CA",
    "canadien": "fr-CA",
    "german": "de",
    "ngerman": "de",
    "austrian": "de-AT",
    "naustrian": "de-AT",
    "swissgerman": "de-CH",
    "nswissgerman": "de-CH",
    "spanish": "es",
    "catalan": "ca",
    "italian": "it",
    "portuguese": "pt",
    "portuges": "pt",
    "brazil": "pt-BR",
    "brazilian": "pt-BR",
    "dutch": "nl",
    "danish": "da",
    "norwegian": "nb",
    "norsk": "nb",
    "nynorsk": "nn",
    "swedish": "sv",
    "finnish": "fi",
    "icelandic": "is",
    "polish": "pl",
    "czech": "cs",
    "slovak": "sk",
    "slovene": "sl",
    "croatian": "hr",
    "serbian": "sr",
    "bulgarian": "bg",
    "russian": "ru",
    "ukrainian": "uk",
    "hungarian": "hu",
    "magyar": "hu",
    "romanian": "ro",
    "greek": "el",
    "latin": "la",
    "turkish": "tr",
    "hebrew": "he",
    "arabic": "ar",
    "japanese": "ja",
    "chinese": "zh",
    "korean": "ko",
    "estonian": "et",
    "latvian": "lv",
    "lithuanian": "lt",
    "irish": "ga",
    "welsh": "cy",
}
# The fields `csl_item` reads.
READ_FIELDS = frozenset(
    {*_TEXT, "number", "langid", "language", "type", "author", "editor", "translator"}
    | {"date", "year", "month"}
)
# The fields made into a date or a number the CSL processor reads as an integer.
NUMBER_FIELDS = frozenset(
    {"year", "month", "date", "urldate", "pages", "volume", "number", "edition", "chapter"}
)
_LITERAL = {"doi", "url", "isbn", "issn"}  # not LaTeX: `_` and `%` are themselves
# Titles, where a style may change the case of words: a `{...}` group keeps its case, as in
# BibTeX (CSL-JSON marks it with a nocase span, which citeproc-py reads).
_TITLES = {"title", "shorttitle", "journal", "journaltitle", "booktitle", "series"}
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


def csl_item(entry: Entry) -> dict[str, Any]:
    """The entry as a CSL-JSON item."""
    fields = entry.fields
    kind = _TYPES.get(entry.kind, "document")
    if kind == "thesis" and entry.kind == "phdthesis":
        fields = {"type": "PhD diss.", **fields}
    item: dict[str, Any] = {"id": entry.key, "type": kind}
    for name, value in fields.items():
        variable = _TEXT.get(name)
        if variable is None or variable in item or not value.strip():
            continue
        if name in _LITERAL:
            item[variable] = value.strip()
        elif name in _TITLES:
            item[variable] = title_text(value)
        else:
            item[variable] = latex_text(value)
    if fields.get("pages", "").strip():  # `1228--52`: a hyphen, which styles shorten or expand
        item["page"] = re.sub(r"\s*(?:-+|–|—)\s*", "-", latex_text(fields["pages"]))
    if "number" in fields:
        # A report's own number; otherwise an issue, which styles print as a book's number in
        # its series too ("Report, no. 27"), where citeproc-py leaves `collection-number` bare.
        if kind == "report":
            item["number"] = latex_text(fields["number"])
        elif kind != "article-journal" and fields.get("series", "").strip():
            item["collection-number"] = latex_text(fields["number"])
        else:
            item["issue"] = latex_text(fields["number"])
    language = fields.get("langid", "").strip() or fields.get("language", "").strip()
    if language:
        language = latex_text(language)
        item["language"] = _LANGUAGES.get(language, _LANGUAGES.get(language.lower(), language))
    if kind == "thesis" and "type" in fields:
        item["genre"] = latex_text(fields["type"])
    for role in ("author", "editor", "translator"):
        if fields.get(role, "").strip():
            item[role] = names(fields[role])
    issued = _issued(fields)
    if issued is not None:
        item["issued"] = issued
    if "accessed" in item:
        item["accessed"] = _issued({"date": item["accessed"]}) or {"literal": item["accessed"]}
    return item


def _issued(fields: dict[str, str]) -> dict[str, Any] | None:
    """`date = {2020-05-01}` (biblatex) or `year` and `month` (BibTeX) as a CSL date."""
    date = fields.get("date", "").strip()
    if date and (match := _DATE.match(date)):
        parts = [int(p) for p in match.groups() if p]
        return {"date-parts": [parts]}
    year = latex_text(fields.get("year", ""))
    if not year:
        return None
    if not year.isdigit():
        return {"literal": year}  # "forthcoming", "1958-62"
    parts = [int(year)]
    month = fields.get("month", "").strip().lower()[:3]
    if month.isdigit() and 1 <= int(month) <= 12:
        parts.append(int(month))
    elif month in MONTHS:
        parts.append(MONTHS.index(month) + 1)
    return {"date-parts": [parts]}


def names(value: str) -> list[dict[str, str]]:
    """`Dik{\\"o}tter, Frank and Justin Yifu Lin and {World Bank}` as CSL names."""
    return [_name(part) for part in _split_and(value) if part.strip()]


def _split_and(value: str) -> list[str]:
    """The names of a list, split at ` and ` outside braces."""
    parts, depth, start = [], 0, 0
    lower = value.lower()
    at = 0
    while at < len(value):
        char = value[at]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and lower.startswith(" and ", at):
            parts.append(value[start:at])
            at += 5
            start = at
            continue
        at += 1
    parts.append(value[start:])
    return parts


def _name(written: str) -> dict[str, str]:
    written = " ".join(written.split())
    if written.startswith("{") and written.endswith("}") and _balanced(written[1:-1]):
        return {"literal": latex_text(written[1:-1])}  # {World Bank}: an institution
    if "," in written:
        family, *rest = (part.strip() for part in written.split(","))
        given = rest[-1] if rest else ""
        suffix = rest[0] if len(rest) == 2 else ""
        found = {"family": latex_text(family), "given": latex_text(given)}
        if suffix:
            found["suffix"] = latex_text(suffix)
        return found
    words = written.split(" ")
    if len(words) == 1:
        return {"family": latex_text(words[0])}
    # "Anne van der Berg": the family name starts at the first lower-case word (a particle).
    cut = next((n for n, w in enumerate(words[:-1]) if n and w[:1].islower()), len(words) - 1)
    return {"family": latex_text(" ".join(words[cut:])), "given": latex_text(" ".join(words[:cut]))}


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0
