"""BibTeX (and the biblatex fields Zotero and BibDesk export) read into CSL-JSON items.

studykit reads .bib files itself rather than through citeproc-py's reader, which fails on
valid files (a `note` with `\\emph{}`, an `@string` macro, biblatex's `date`) with errors that
name no line, and drops text it cannot place without a word. Here the file is scanned once,
entry by entry, and the first place that breaks an entry is one located error: a brace never
closed, a field outside any entry (a `}` too early), text between fields, an entry without a
key, a key given twice. Values are LaTeX: accents, `\\&`, `--` and the like are made text by
pylatexenc, the converter the terminal uses for math.

Here the file is read entry by entry; the scanner that walks it is `bibtex_scanner`'s, the item
made of an entry `bibtex_csl`'s, the LaTeX made text `bibtex_latex`'s.
"""

from __future__ import annotations

import re
from pathlib import Path

from studykit.notes.bibliography import MAX_DIGITS, MAX_ENTRIES, longest_number, too_long_number
from studykit.notes.bibtex_csl import NUMBER_FIELDS, READ_FIELDS
from studykit.notes.bibtex_latex import latex_text
from studykit.notes.bibtex_scanner import MONTHS, STRAY, Entry, Scanner

_ENTRY = re.compile(r"@\s*([A-Za-z]+)\s*([{(])")
_KEY = re.compile(r"\s*([^\s,{}()=\"#%'~\\]+)\s*,")


def read_bibtex(path: Path, text: str) -> list[Entry]:
    """The entries of a BibTeX file, or StudykitError at the first place that breaks one."""
    scanner = Scanner(path, text)
    entries: list[Entry] = []
    first: dict[str, int] = {}
    while True:
        found = _ENTRY.search(text, scanner.at)
        # Text between entries is a comment to BibTeX; a field there was meant for the entry
        # above, closed too early by a stray `}`.
        stray = STRAY.search(text, scanner.at, found.start() if found else len(text))
        if stray is not None:
            raise scanner.fail(
                "this field is outside any entry: a `}` before it closes the entry too early",
                stray.start(1),
            )
        if found is None:
            return entries
        kind, opener = found.group(1).lower(), found.group(2)
        closer = "}" if opener == "{" else ")"
        start = found.start()
        scanner.entry_at = start
        if kind in ("comment", "preamble"):
            scanner.at = scanner.braced(found.end() - 1) if opener == "{" else found.end()
            continue
        if len(entries) + len(scanner.macros) - len(MONTHS) >= MAX_ENTRIES:
            raise scanner.fail(
                f"the bibliography has over {MAX_ENTRIES:,} entries and @string names: "
                "export the works this reading cites, or one collection of your library",
                start,
            )
        if kind == "string":
            scanner.at = found.end()
            scanner.macros.update(scanner.fields(closer))
            continue
        key = _KEY.match(text, found.end())
        if key is None:
            unwritable = _unwritable_key(text, found.end())
            if unwritable is not None:
                raise scanner.fail(*unwritable)
            raise scanner.fail(
                f"this @{found.group(1)} entry has no key: write @book{{key, ...", start
            )
        folded = key.group(1).lower()
        if folded in first:
            raise scanner.fail(
                f"the key {key.group(1)!r} is given twice (first at line {first[folded]})",
                key.start(1),
            )
        line = scanner.line(start)
        first[folded] = line
        scanner.at = key.end()
        # Only the fields made into the CSL item are kept: a library's others (abstracts aside,
        # `file`, `keywords`, ...) are most of its size.
        fields = {n: v for n, v in scanner.fields(closer).items() if n in READ_FIELDS}
        for name in NUMBER_FIELDS.intersection(fields):
            digits = longest_number(fields[name])
            if digits > MAX_DIGITS:
                message = too_long_number(f"the {name} field", digits)
                raise scanner.fail(f"{key.group(1)}: {message}", start)
        for name, value in fields.items():
            if (cluster := _long_cluster(value)) is not None:
                raise scanner.fail(f"{key.group(1)}: the {name} field: {cluster}", start)
        entries.append(Entry(key.group(1), kind, line, fields))


def _long_cluster(value: str) -> str | None:
    """A character of too many code points in a field, as the handouts will show it: typst
    panicked on 40,000 `\\'` accents over one letter. Its accents as LaTeX are converted only
    where a field has many backslashes (converting every field of a large library is slow);
    fewer than MAX_CLUSTER // 4 of them lengthen a cluster by as many code points at most, far
    from what typst cannot set."""
    from studykit.notes.nesting import MAX_CLUSTER, cluster_message, long_cluster

    text = latex_text(value) if value.count("\\") >= MAX_CLUSTER // 4 else value
    at = long_cluster(text)
    return None if at is None else cluster_message(text, at)


# What starts a field: `title = {`, `year = 2001`, `month = jan` (spaced), not a key `a=b`.
_FIELD_START = re.compile(r"[A-Za-z][\w:.+/-]*(?:\s*=\s*[{\"\d]|\s+=|=\s)")
_NOT_IN_KEY = re.compile(r"[\s{}()=\"#%'~\\]")


def _unwritable_key(text: str, at: int) -> tuple[str, int] | None:
    """Why the text before the first comma of an entry is no key, and where: a character
    BibTeX keys cannot hold; None if there is no such text (a field stands first)."""
    start = at
    while start < len(text) and text[start].isspace():
        start += 1
    line_end = text.find("\n", start)
    comma = text.find(",", start, line_end if line_end >= 0 else len(text))
    written = text[start:comma].rstrip() if comma >= 0 else ""
    if not written or _FIELD_START.match(written):
        return None
    bad = _NOT_IN_KEY.search(written)
    if bad is None:
        return None
    char = bad.group()
    said = {" ": "a space", "\t": "a tab"}.get(char, _quoted(char))
    message = (
        f"the key {_quoted(written)} holds {said}, which BibTeX keys cannot: rename it, here "
        "and where the notes cite it"
    )
    return message, start + bad.start()


def _quoted(text: str) -> str:
    return f"'{text}'" if "'" not in text else f'"{text}"' if '"' not in text else repr(text)
