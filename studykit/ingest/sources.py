"""Reading a source file: refuse what is not a text, decode it, and split it into sections.

Each format's parser (plaintext.py, markdown.py, webpage.py) turns the text into a flat run of
headings and paragraphs, and finds the author where a title page, front matter or byline names
one; `assemble` decides which headings are the title and which the sections, the same way for
every format: a top-level heading (`#`, `<h1>`) used once, first, is the title, and the next
level down makes sections. Deeper headings stay in their section as a line of text, so nothing
is lost, unless the section is long: then it is cut at them.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from studykit.errors import StudykitError

FORMATS = ("txt", "md", "html")
EXTENSIONS = {
    "": "txt",
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".mdown": "md",
    ".mkd": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
STDIN_NAME = "standard input"
MAX_SOURCE_BYTES = 64 * 1024 * 1024
MAX_HTML_BYTES = 8 * 1024 * 1024
"""A book is a few megabytes; anything far larger is not a reading (a disk image, a log)."""

_MARKDOWN_HEADING = re.compile(rb"(?m)^#{1,6} \S|^\S[^\n]*\r?\n(?:={3,}|-{3,})[ \t]*\r?$")
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x7fELF")
# Characters a notes file cannot hold: line separators become line breaks, other controls spaces.
_LINE_SEPARATORS = re.compile("[\x0b\x0c\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


@dataclass(frozen=True)
class Heading:
    level: int  # 1 = the biggest
    text: str  # the heading's words
    line: str  # how the heading reads as text, kept when it is below the section level


@dataclass(frozen=True)
class Paragraph:
    text: str  # lines joined by "\n", each as in the source without trailing spaces


@dataclass(frozen=True)
class Skipped:
    """Where the reader left out what is not the reading's text (a table of contents): a
    heading over nothing else is left out with it."""


Item = Heading | Paragraph | Skipped


@dataclass(frozen=True)
class RawSection:
    title: str | None  # None for text before the first heading
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Document:
    title: str | None
    sections: tuple[RawSection, ...]
    author: str | None = None  # from a title page, front matter or byline


@dataclass(frozen=True)
class Source:
    """A reading as given: its bytes, where they came from and how to read them."""

    data: bytes
    name: str  # file name, used for messages and for the copy beside the notes
    format: str  # txt | md | html
    path: Path | None  # None for standard input


def read_source(path: Path, fmt: str | None = None) -> Source:
    """Read a reading file, refusing a folder, an unknown kind of file or one too big."""
    # A suffix of digits is a version, not a kind of file (`LICENSE-2.0`): the text says which.
    sniff = fmt is None and path.suffix[1:].isdigit()
    if fmt is None and not sniff:
        fmt = EXTENSIONS.get(path.suffix.lower())
        if fmt is None:
            raise StudykitError(
                f"unknown kind of file {path.suffix!r}: ingest reads .txt, .md and .html "
                "(or say which with --format txt|md|html)",
                path,
            )
    try:
        _refuse_unless_regular(path.stat(), path)
        # Opened without waiting (a pipe put in its place since would block the open), and
        # checked again on what was opened.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as file:
            size = _refuse_unless_regular(os.fstat(file.fileno()), path)
            # Read one byte past the limit: a file growing while it is read is still bounded.
            data = file.read(MAX_SOURCE_BYTES + 1)
        if max(size, len(data)) > MAX_SOURCE_BYTES:
            raise StudykitError(
                f"file is {max(size, len(data)):,} bytes; ingest reads readings up to "
                f"{MAX_SOURCE_BYTES:,}",
                path,
            )
    except FileNotFoundError:
        raise StudykitError("no such file", path) from None
    except OSError as exc:
        raise StudykitError(f"cannot read file: {exc.strerror or exc}", path) from exc
    return _bounded(Source(data, path.name, fmt or sniff_format(data), path), path)


def _refuse_unless_regular(status: os.stat_result, path: Path) -> int:
    """The file's size; an error for anything but a regular file, before it is read.

    A pipe's open waits for a writer and a device such as /dev/zero never ends (its size says
    0): either would hang ingest or fill memory."""
    if stat.S_ISDIR(status.st_mode):
        raise StudykitError("is a folder; give a .txt, .md or .html file", path)
    if not stat.S_ISREG(status.st_mode):
        raise StudykitError(
            "not a regular file (a pipe or a device); give a .txt, .md or .html file", path
        )
    return status.st_size


def stdin_source(stream: BinaryIO, fmt: str | None = None) -> Source:
    """A reading piped in; its format is guessed from the text when not given."""
    # One byte past the limit tells a reading too long from one that fits, without holding more.
    data = stream.read(MAX_SOURCE_BYTES + 1)
    if len(data) > MAX_SOURCE_BYTES:
        raise StudykitError(
            f"more than {MAX_SOURCE_BYTES:,} bytes; ingest reads readings up to "
            f"{MAX_SOURCE_BYTES:,}",
            Path(STDIN_NAME),
        )
    if fmt is None:
        fmt = sniff_format(data)
    return _bounded(Source(data, STDIN_NAME, fmt, None), Path(STDIN_NAME))


def _bounded(source: Source, where: Path) -> Source:
    """The source, unless it is a web page too large for its tree to fit in memory.

    A page's element tree takes 140 to 300 bytes of memory per byte of HTML (a 4.8 MB page of
    paragraphs took 675 MB; nested lists more), so the 64 MB limit let through pages that need
    gigabytes and ended in a MemoryError. Text and Markdown take far less."""
    size = len(source.data)
    if source.format == "html" and size > MAX_HTML_BYTES:
        raise StudykitError(
            f"a web page of {size:,} bytes; ingest reads pages up to {MAX_HTML_BYTES:,} (each "
            "byte of HTML takes hundreds in memory): save it as text, or ingest it in parts",
            where,
        )
    return source


def sniff_format(data: bytes) -> str:
    """HTML when it starts with a tag, Markdown when it has front matter or `#` headings."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return "html"
    if head.startswith(b"---") or _MARKDOWN_HEADING.search(data[:65536]):
        return "md"
    return "txt"


def decode(source: Source) -> str:
    """The source as text with `\\n` line breaks; a clear error when it is not UTF-8 text.

    A web page may declare another encoding in a `<meta>` tag; it is read in that one.
    """
    data = source.data
    where = source.path or Path(source.name)
    if not data:
        raise StudykitError("file is empty", where)
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise StudykitError("text is UTF-32; save it as UTF-8", where)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise StudykitError("text is UTF-16; save it as UTF-8", where)
    if data.startswith(_BINARY_MAGIC) or b"\x00" in data[:65536]:
        raise StudykitError("not a text file (binary data); ingest reads .txt, .md, .html", where)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    encoding = _declared_encoding(data, where) if source.format == "html" else None
    try:
        text = data.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        start = data.rfind(b"\n", 0, exc.start) + 1
        # The column counts characters, as an editor shows them, not bytes.
        col = len(data[start : exc.start].decode(encoding or "utf-8", "replace")) + 1
        raise StudykitError(
            f"not {encoding or 'UTF-8'} text (byte 0x{data[exc.start]:02x}); save it as UTF-8",
            where,
            line,
            col,
        ) from None
    except UnicodeError:  # a codec's own complaint, without a position (CJK stateful ones)
        raise StudykitError(f"cannot be read as {encoding} text; save it as UTF-8", where) from None
    if "\x00" in text:
        raise StudykitError("not a text file (binary data); ingest reads .txt, .md, .html", where)
    from studykit.notes.nesting import cluster_message, long_cluster

    # Drafted into notes, such a character would be refused by `check` (typst cannot set it).
    if (at := long_cluster(text)) is not None:
        line, start = text.count("\n", 0, at) + 1, text.rfind("\n", 0, at) + 1
        raise StudykitError(cluster_message(text, at), where, line, at - start + 1)
    return text_without_controls(text.replace("\ufeff", ""))


def text_without_controls(text: str) -> str:
    """Line breaks as `\n`, other line separators too, other control characters as spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _LINE_SEPARATORS.sub("\n", text)
    return _CONTROLS.sub(" ", text)


def _declared_encoding(page: bytes, where: Path) -> str | None:
    """The encoding a web page declares in its `<meta>` (saved pages keep their own), if known.

    A name Python does not know is ignored, as browsers do (the page is read as UTF-8). A name
    it knows but that is no character set is refused: Python's codecs also turn base64, hex,
    zlib, rot13 and escapes into text, and decoding a page with one of those fails in its own
    words or, worse, succeeds.
    """
    found = _META_CHARSET.search(page[:4096])
    if not found:
        return None
    name = found.group(1).decode("ascii").lower()
    try:
        codec = codecs.lookup(name)
    except LookupError:
        return None
    # `_is_text_encoding` is Python's own mark of a codec between bytes and text.
    if not codec._is_text_encoding or codec.name in _NOT_CHARSETS:
        line = page.count(b"\n", 0, found.start(1)) + 1
        start = page.rfind(b"\n", 0, found.start(1)) + 1
        col = len(page[start : found.start(1)].decode("utf-8", "replace")) + 1
        raise StudykitError(
            f"the page declares charset {name!r}, which is not a text encoding; save it as "
            "UTF-8 (or correct its <meta charset>)",
            where,
            line,
            col,
        )
    if codec.name == "gb2312":
        return "gbk"  # as browsers read it: pages labelled gb2312 use all of GBK
    if codec.name.startswith(("utf-16", "utf-32")) or codec.name in _EBCDIC:
        # A <meta> that could be read at all was not written in UTF-16 or UTF-32 (the HTML
        # standard reads such a label as UTF-8), and no browser knows EBCDIC: as UTF-8.
        return None
    return None if codec.name == "utf-8" else codec.name


_EBCDIC = frozenset({"cp037", "cp273", "cp424", "cp500", "cp875", "cp1026", "cp1140"})
# Codecs Python counts as text encodings that no web page is written in: escapes of text in
# ASCII, the domain-name form, a test codec that refuses everything, and UTF-7, which browsers
# refuse because it smuggles markup past filters.
_NOT_CHARSETS = frozenset(
    {"unicode-escape", "raw-unicode-escape", "punycode", "idna", "undefined", "utf-7"}
)


def assemble(
    items: list[Item],
    title: str | None,
    title_from_headings: bool = True,
    author: str | None = None,
) -> Document:
    """Group paragraphs under section headings; pick the title heading where there is one.

    The first heading is the title (when `title_from_headings`) when it is a level-1 heading
    used once, or the first of several that says what the page's own title says (a manual's
    title page over its chapters). The highest level among the other headings makes sections;
    deeper headings stay as text, except in a section longer than `LONG_SECTION_CHARS`, which
    is cut at its own next level of headings (again and again while a part is still long). A
    heading that only groups what is under it, with no text of its own, is then left out: its
    parts are the sections (a numbered one, a chapter, gives its title to its first part). A
    section that held only what the reader drops (a table of contents) is left out too.
    """
    headings = [item for item in items if isinstance(item, Heading)]
    title_item: Heading | None = None
    if headings and title_from_headings:
        first = headings[0]
        alone_at_top = first.level == 1 and sum(h.level == 1 for h in headings) == 1
        names_the_page = (
            title is not None
            and first.level == min(h.level for h in headings)
            and _same_words(first.text, title)
        )
        if alone_at_top or names_the_page:
            title_item = first
    body = [item for item in items if item is not title_item]
    sections: list[RawSection] = []
    _cut(None, body, sections, always=True)
    if title_item is not None:
        title = title_item.text
    return Document(title, tuple(sections), author)


LONG_SECTION_CHARS = 12_000
"""About 2,000 words, a few pages: more than a student studies as one section. A longer one is
cut at its own sub-headings where it has them."""


def _cut(title: str | None, body: list[Item], out: list[RawSection], always: bool = False) -> None:
    """The section `title` over `body`, or its parts when it is long (or `always`)."""
    levels = [item.level for item in body if isinstance(item, Heading)]
    level = min(levels, default=0)
    starts = [n for n, item in enumerate(body) if isinstance(item, Heading) and item.level == level]
    if starts and (always or _size(body) > LONG_SECTION_CHARS or _holds_clauses(body, starts)):
        lead = body[: starts[0]]
        if _texts(lead):
            out.append(RawSection(title, _texts(lead)))
        elif title is not None and _numbered(title):
            # A numbered chapter with no text of its own ("3. Python Packaging" over "3.1.
            # Versions", ...): its title joins its first part's, not lost.
            out.append(RawSection(title, ()))
        for start, end in zip(starts, [*starts[1:], len(body)], strict=True):
            heading = body[start]
            assert isinstance(heading, Heading)
            _cut(heading.text, body[start + 1 : end], out)
        return
    texts = _texts(body)
    if texts or (title is not None and not any(isinstance(item, Skipped) for item in body)):
        out.append(RawSection(title, texts))


def _numbered(title: str) -> bool:
    from studykit.ingest.titles import strip_number

    return strip_number(title) != title


def _holds_clauses(body: list[Item], starts: list[int]) -> bool:
    """A heading with no text of its own over a numbered series ("Terms and Conditions" over
    "1. Definitions." ... "9. Accepting Warranty."): the numbered parts are the sections."""
    from studykit.ingest.titles import is_label, strip_number

    if len(starts) < MIN_CLAUSES or _texts(body[: starts[0]]):
        return False
    titles = [item.text for item in (body[n] for n in starts) if isinstance(item, Heading)]
    return all(is_label(t) or strip_number(t) != t for t in titles)


MIN_CLAUSES = 3


def _texts(body: list[Item]) -> tuple[str, ...]:
    """The text of a section: its paragraphs, and the lines of the headings below its level (a
    heading that no line of the text reads, `Clause 3` over an untitled clause, has none)."""
    return tuple(
        item.line if isinstance(item, Heading) else item.text
        for item in body
        if not isinstance(item, Skipped) and not (isinstance(item, Heading) and not item.line)
    )


def _size(body: list[Item]) -> int:
    return sum(len(item.text) for item in body if isinstance(item, Paragraph))


def _same_words(heading: str, title: str) -> bool:
    """The heading says what the page's title says, or what it says before the site's name
    ("Data Types - The Rust Programming Language", "IDLE — Python 3.13 documentation")."""
    words, named = heading.casefold().split(), title.casefold().split()
    return named[: len(words)] == words and (
        len(named) == len(words) or named[len(words)] in _TITLE_SEPARATORS
    )


_TITLE_SEPARATORS = frozenset("- – — | · :".split())


def parse(source: Source) -> Document:
    """The source's title (None when it has none) and its sections, for any format."""
    text = decode(source)
    if source.format == "md":
        from studykit.ingest.markdown import parse_markdown

        items, title, author = parse_markdown(text)
        document = assemble(items, title, author=author)
    elif source.format == "html":
        from studykit.ingest.webpage import parse_html, refuse_crowded

        refuse_crowded(text, source.path or Path(source.name))
        items, title, author = parse_html(text)
        document = assemble(items, title, author=author)
    else:
        from studykit.ingest.plaintext import parse_plain

        items, title, author = parse_plain(text)
        document = assemble(items, title, title_from_headings=False, author=author)
    if not any(s.paragraphs for s in document.sections):
        raise StudykitError("no paragraphs of text found", source.path or Path(source.name))
    return document
