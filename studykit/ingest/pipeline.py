"""Ingest from start to end: parse, plan sections, draft, write, read back, mark, put in place."""

from __future__ import annotations

import functools
import gc
import os
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

from studykit.errors import NotesError, StudykitError, UsageError
from studykit.identity import RECORD_FILE
from studykit.ingest.draft_notes import Draft, draft_reading
from studykit.ingest.folder import put_in_place, refuse_existing, staging
from studykit.ingest.sections import (
    MAX_SECTIONS,
    PlannedSection,
    plan_sections,
    slugify,
    title_without_images,
)
from studykit.ingest.sources import Document, Source, parse
from studykit.ingest.titles import title_case_in
from studykit.ingest.yaml_writer import draft_line, excerpt_text, reading_yaml, section_yaml
from studykit.notes.drafts import fingerprint
from studykit.notes.model import Reading, Section
from studykit.notes.nesting import cluster_message, long_cluster
from studykit.notes.strict_yaml import MAX_FILE_BYTES
from studykit.notes.validate import READING_FILE, is_slug, load_reading

MAX_ID_CHARS = 60
MAX_PARAGRAPH_BYTES = MAX_FILE_BYTES // 2
"""Paragraphs are never cut, and a section file with its drafts must stay under the limit."""


@dataclass(frozen=True)
class IngestResult:
    """What ingest wrote, for the command to report."""

    folder: Path
    title: str
    sections: tuple[PlannedSection, ...]
    source_file: str  # the copy of the source beside the notes
    moved_aside: Path | None  # where an older folder of the same reading went (--force)
    drafts: tuple[Draft, ...] = ()  # what was drafted for each section, in the same order


def ingest(
    source: Source,
    notes: Path,
    now: datetime,
    reading_id: str | None = None,
    title: str | None = None,
    force: bool = False,
) -> IngestResult:
    """Write draft notes for `source` as a new reading folder under `notes`."""
    # Memory may run out anywhere (a page of many tags, a huge reading): one line naming the
    # file, not a traceback. Where it does, a generator closed or an object freed on the way
    # out can fail too, for want of memory to say so, which Python reports as "Exception
    # ignored in ..." on stderr: nothing a student can act on, so not shown while ingest runs.
    hook = sys.unraisablehook
    sys.unraisablehook = functools.partial(_unless_memory, hook)
    try:
        try:
            return _ingest(source, notes, now, reading_id, title, force)
        except MemoryError:
            pass
        # Out of the handler, whose traceback held the frames, and so the page's tree, that
        # filled memory. Its tags point at each other, and the cycle collector is paused
        # during ingest: collected by hand, so that the message finds memory.
        gc.collect()
    finally:
        sys.unraisablehook = hook
    raise StudykitError(
        "ran out of memory drafting notes from this file: ingest it in parts, or free memory",
        source.path or Path(source.name),
    )


def _unless_memory(hook: Callable[[Any], object], unraisable: Any) -> None:
    """Pass an exception Python could not raise (in a finalizer) on to `hook`, unless it is
    a MemoryError."""
    if not issubclass(unraisable.exc_type, MemoryError):
        hook(unraisable)


def _ingest(
    source: Source,
    notes: Path,
    now: datetime,
    reading_id: str | None,
    title: str | None,
    force: bool,
) -> IngestResult:
    if reading_id is not None and not is_slug(reading_id):
        raise UsageError(
            f"--id {reading_id!r} is not a reading id: use lowercase letters, digits and "
            "hyphens, e.g. chapter-4"
        )
    if reading_id is not None:
        _refuse_long_id(reading_id, notes)
    if notes.exists() and not notes.is_dir():
        raise StudykitError("the notes folder is a file; give --notes a folder", notes)
    if title is not None and not title.strip():
        raise UsageError("--title is empty: give the reading's title, or leave --title out")
    if title is not None and (at := long_cluster(title)) is not None:
        raise UsageError(f"--title: {cluster_message(title, at)}")
    document = parse(source)
    title = _one_line(
        title_without_images(title or _reading_title(document) or _title_from_name(source))
    )
    author = _one_line(document.author) if document.author else None
    reading_id = reading_id or default_id(source, title)
    target = notes / reading_id
    if (target.exists() or target.is_symlink()) and not force:
        refuse_existing(target)
    sections = plan_sections(document)
    if len(sections) > MAX_SECTIONS:
        raise StudykitError(
            f"{len(sections):,} sections is more than the {MAX_SECTIONS:,} a reading can have; "
            "split the text into several readings",
            source.path or Path(source.name),
        )
    _refuse_huge_paragraphs(sections, source)
    _refuse_long_clusters([title, author or "", *_texts(sections)], source)
    drafts = draft_reading(sections, title)
    source_file = _copy_name(source)
    texts = [section_yaml(s, d, source_file) for s, d in zip(sections, drafts, strict=True)]
    with staging(notes, reading_id) as folder:
        try:
            (folder / source_file).write_bytes(source.data)
            (folder / READING_FILE).write_text(
                reading_yaml(title, source_file, author), encoding="utf-8"
            )
            for section, text in zip(sections, texts, strict=True):
                (folder / section.file_name).write_text(text, encoding="utf-8")
            reading = _read_back(folder, title, author, sections, drafts)
            for loaded, section, text in zip(reading.sections, sections, texts, strict=True):
                marked = text + draft_line(fingerprint(loaded))
                (folder / section.file_name).write_text(marked, encoding="utf-8")
        except OSError as exc:
            raise StudykitError(f"cannot write the notes: {exc.strerror or exc}", notes) from exc
        moved = put_in_place(folder, target, force, now)
    return IngestResult(target, title, tuple(sections), source_file, moved, tuple(drafts))


def _read_back(
    folder: Path,
    title: str,
    author: str | None,
    sections: list[PlannedSection],
    drafts: list[Draft],
) -> Reading:
    """The written folder as the notes loader reads it, proven to hold what was meant."""
    try:
        reading = load_reading(folder)
    except NotesError as exc:
        _not_faithful(folder / READING_FILE, f"notes ({exc.message})")
    if reading.author != author:
        _not_faithful(folder / READING_FILE, "author")
    _check_round_trip(reading, title, sections, drafts)
    return reading


def default_id(source: Source, title: str) -> str:
    """The reading id from the file name (`chapter-4.txt` -> `chapter-4`), else the title."""
    stem = Path(source.name).stem if source.path is not None else ""
    slug = slugify(stem) or slugify(title) or "reading"
    if len(slug) > MAX_ID_CHARS:
        slug = slug[:MAX_ID_CHARS].rsplit("-", 1)[0]
    return slug


def _refuse_long_id(reading_id: str, notes: Path) -> None:
    """A usage error for an id whose folder, or a file named after it, the file system refuses."""
    longest = name_max(notes) - ID_NAME_ROOM
    size = len(reading_id.encode("utf-8"))
    if size > longest:
        raise UsageError(
            f"--id is {size:,} characters long; on this file system a reading id can have at "
            f"most {longest:,} (names are limited to {longest + ID_NAME_ROOM:,} bytes, and "
            "studykit adds to the id for files it makes): choose a shorter id"
        )


ID_NAME_ROOM = 32
"""Bytes studykit adds to a reading id in names it makes: `.<id>-summary.html.XXXXXXXX.tmp`
(an atomic write) adds 27, `.<id>.old-YYYYMMDD-HHMMSS-N` (ingest --force) about as many."""


def name_max(folder: Path) -> int:
    """The longest file name, in bytes, the file system of `folder` (or its nearest existing
    parent, for a notes folder yet to be made) allows; 255, the usual figure, where unknown."""
    for place in (folder, *folder.absolute().parents):
        try:
            return os.pathconf(place, "PC_NAME_MAX")
        except FileNotFoundError:
            continue
        except (OSError, ValueError):
            break
    return 255


def _one_line(title: str) -> str:
    """`title` as one line a notes file can hold.

    A title may come from a file name, which can hold any character: controls and line
    separators become spaces, and bytes that are not UTF-8 (kept as lone surrogates) U+FFFD.
    """
    kept = (
        " " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else "\ufffd" if _lone(c) else c
        for c in title
    )
    return " ".join("".join(kept).split())


def _lone(char: str) -> bool:
    return "\ud800" <= char <= "\udfff"


def _reading_title(document: Document) -> str:
    """The document's title, in title case if it is in capitals (its acronyms kept)."""
    paragraphs = (p for section in document.sections for p in section.paragraphs)
    return title_case_in(document.title, paragraphs) if document.title else ""


def _title_from_name(source: Source) -> str:
    if source.path is None:
        return "Untitled reading"
    words = Path(source.name).stem.replace("_", " ").replace("-", " ").split()
    text = " ".join(words) or "Untitled reading"
    return text[0].upper() + text[1:]


def _copy_name(source: Source) -> str:
    """The source's own file name, unless the notes loader would take it for a notes file."""
    name = source.name
    if (
        source.path is None
        or name.startswith(".")
        or name.endswith((".yaml", ".yml"))
        or name == RECORD_FILE  # the reading's identity record: `deck` would read it as one
        or _one_line(name) != name  # a notes file could not name it
    ):
        return f"source.{source.format}"
    return name


def _refuse_huge_paragraphs(sections: list[PlannedSection], source: Source) -> None:
    """A paragraph is kept whole, and a notes file holds at most 1 MB: say so before writing."""
    for section in sections:
        for paragraph in section.paragraphs:
            if len(paragraph.encode("utf-8")) > MAX_PARAGRAPH_BYTES:
                raise StudykitError(
                    f"a paragraph or list in {section.title!r} is {len(paragraph):,} characters "
                    "long, more than a notes file holds: put blank lines between its "
                    "paragraphs, or headings between parts of the list",
                    source.path or Path(source.name),
                    _line_of(paragraph, source),
                )


def _line_of(paragraph: str, source: Source) -> int:
    """The line of a plain-text or Markdown source on which `paragraph` starts, as far as its
    first words tell; 0 (none) for a web page, whose text is not as written."""
    first = paragraph.strip().split("\n", 1)[0][:40]
    if source.format == "html" or not first:
        return 0
    text = source.data.decode("utf-8", errors="replace")
    at = text.find(first)
    return text.count("\n", 0, at) + 1 if at >= 0 else 0


def _texts(sections: list[PlannedSection]) -> list[str]:
    return [text for s in sections for text in (s.title, *s.paragraphs)]


def _refuse_long_clusters(texts: list[str], source: Source) -> None:
    """A character of too many code points that the source's own text did not show (a web
    page's `&#769;` written 33,000 times), refused before drafting: the notes would
    not pass `check`, which refuses it because typst cannot set it."""
    for text in texts:
        if (at := long_cluster(text)) is not None:
            raise StudykitError(cluster_message(text, at), source.path or Path(source.name))


def _check_round_trip(
    reading: Reading, title: str, sections: list[PlannedSection], drafts: list[Draft]
) -> None:
    """Every value reads back as exactly the text meant; anything else is a bug to report."""
    if reading.title != title or len(reading.sections) != len(sections):
        _not_faithful(reading.path, "title or sections")
    for loaded, section, draft in zip(reading.sections, sections, drafts, strict=True):
        expected: dict[str, object] = {
            "title": section.title,
            "excerpt": excerpt_text(section) or None,
            "summary": draft.summary,
            "points": list(draft.points),
            "terms": list(draft.terms),
            "questions": list(draft.questions),
        }
        for key, value in expected.items():
            if _loaded_value(loaded, key) != value:
                _not_faithful(loaded.path, key)


def _loaded_value(section: Section, key: str) -> object:
    if key == "points":
        return [p.text for p in section.points]
    if key == "terms":
        return [(t.term, t.definition) for t in section.terms]
    if key == "questions":
        return [(q.q, q.a) for q in section.questions]
    return getattr(section, key)


def _not_faithful(path: Path, what: str) -> NoReturn:
    raise StudykitError(
        f"internal error: the drafted {what} did not read back as written; please report this "
        "with the source file",
        path,
    )
