"""The commands that print handouts: outline (one reading, or several as a course pack) and
summary."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from studykit.cli.common import (
    DEFAULT_NOTES,
    NotesDir,
    ReadingArg,
    Readings,
    reports_errors,
    written_out,
)
from studykit.errors import CONTROL, UsageError, control_name

if TYPE_CHECKING:
    from studykit.citing.csl import Shown
    from studykit.handouts.layout import Answers, Layout, Paper

OutputPath = Annotated[
    str | None,
    typer.Option(
        "-o",
        "--output",
        metavar="PATH",
        help="File to write (or a folder for the default name); default: print to stdout.",
        callback=written_out,
    ),
]
CitationStyle = Annotated[
    str,
    typer.Option(
        "--style",
        metavar="CSL",
        help="Citation style: a CSL style name (chicago-author-date, apa, mla, ieee, ...) or a "
        ".csl file.",
    ),
]
ReplaceReadOnly = Annotated[
    bool, typer.Option("--force", help="Replace the -o file even if it is read-only.")
]
OutlineFormat = Annotated[
    str | None,
    typer.Option(
        "-f",
        "--format",
        metavar="md|html|pdf",
        help="Output format; default: from the -o suffix, else md. A PDF without -o is "
        "written to <reading>-outline.pdf (a course pack to course-pack.pdf).",
    ),
]
AnswersShown = Annotated[
    str,
    typer.Option(
        "--answers",
        metavar="inline|end|none",
        help="Answers under each question, in a key at the end, or left out for "
        "self-testing (none also blanks cloze deletions and leaves out summaries, plain "
        "points, definitions and annotations).",
    ),
]
LayoutName = Annotated[
    str,
    typer.Option(
        "--layout",
        metavar="cornell|fold|cards",
        help="cornell: cues beside the notes; fold: a self-test sheet to fold down the "
        "middle, prompts left, answers right; cards: flashcards to cut out, 8 a page, backs "
        "mirrored for double-sided printing (flip on the long edge; pdf and html).",
    ),
]
PaperSize = Annotated[
    str, typer.Option("--paper", metavar="a4|letter", help="Paper size (pdf and html).")
]
PackTitle = Annotated[
    str | None,
    typer.Option("--title", metavar="TEXT", help="A course pack's title (default: Course pack)."),
]


@reports_errors
def outline(
    readings: Readings = None,
    notes: NotesDir = DEFAULT_NOTES,
    fmt: OutlineFormat = None,
    output: OutputPath = None,
    answers: AnswersShown = "inline",
    layout: LayoutName = "cornell",
    paper: PaperSize = "a4",
    title: PackTitle = None,
    style: CitationStyle = "chicago-author-date",
    force: ReplaceReadOnly = False,
) -> None:
    """Print a handout: numbered sections, cue questions beside the notes, terms, summaries.

    Several readings (or none, in a notes folder of several) make one course pack: contents,
    each reading's handout in the notes folder's order, an index of terms, the works cited.

    Example: studykit outline -f pdf --answers end
    """
    from studykit.citing.csl import cited_reading
    from studykit.citing.styles import style_path, works_heading
    from studykit.handouts.formats import (
        OUTLINE_FORMATS,
        lay_out,
        refuse_mismatch,
        refuse_oversized,
        render_outline,
    )
    from studykit.handouts.layout import ANSWERS, LAYOUTS, PAPERS, with_works_cited
    from studykit.handouts.output import choose_format, target_path
    from studykit.notes.library import load

    kind = choose_format(fmt, output, OUTLINE_FORMATS)
    mode = _one_of("--answers", answers, ANSWERS)
    shape = _one_of("--layout", layout, LAYOUTS)
    size = _one_of("--paper", paper, PAPERS)
    refuse_mismatch(kind, shape, mode)
    style_path(style)  # an unknown style is refused before anything is read
    names = readings or []
    if title is not None:
        _refuse_bad_title(title)
    if _several(names, notes):
        pack = _PackOptions(kind, mode, shape, size, output, title, force, style)
        _course_pack(names, notes, pack)
        return
    if title is not None:
        raise UsageError("--title names a course pack: give several readings")
    loaded = cited_reading(load(names[0] if names else None, notes), style, _shown(mode, shape))
    refuse_oversized(loaded, kind, shape)
    target = target_path(output, loaded.id, kind, "outline", force)
    data = with_works_cited(lay_out(loaded, mode, shape), loaded, works_heading(style))
    content, warnings = render_outline(data, kind, loaded.folder, target, size)
    _deliver(content, warnings, target, (notes, loaded.folder.parent), force, output)


def _refuse_bad_title(title: str) -> None:
    """A course pack's --title is one line of printable text, no longer than notes text."""
    if control := CONTROL.search(title):
        # Notes may hold no control character (`check` refuses them); nor may the title a
        # course pack prints above them, which a terminal would act on.
        raise UsageError(f"--title holds {control_name(control.group())}: write it without")
    if any(brk in title for brk in "\n\r\x85\u2028\u2029"):
        # A Markdown pack printed it as given: `--title $'Pack\n\n# Other'` made a heading.
        raise UsageError("--title is one line: write it without line breaks")
    from studykit.notes.nesting import cluster_message, long_cluster

    if (at := long_cluster(title)) is not None:  # as `check` says of notes text
        raise UsageError(f"--title: {cluster_message(title, at)}")


def _several(names: list[str], notes: Path) -> bool:
    """Whether the readings named (all when none is) are more than one: a course pack."""
    from studykit.notes.library import resolve_readings

    if len(names) == 1:
        return False
    return len({folder.resolve() for folder in resolve_readings(names, notes)}) > 1


@dataclasses.dataclass(frozen=True)
class _PackOptions:
    kind: str
    answers: Answers
    layout: Layout
    paper: Paper
    output: str | None
    title: str | None
    force: bool
    style: str


def _shown(answers: str, layout: str = "cornell") -> Shown:
    """Which texts of a reading a handout prints, for the works it cites: a fold sheet and
    flashcards print only what the cards ask and answer."""
    if answers == "none":
        return "self-test"
    return "all" if layout == "cornell" else "cards"


def _course_pack(names: list[str], notes: Path, options: _PackOptions) -> None:
    """Write several readings as one course pack, or nothing when one of them is broken."""
    from studykit.citing.csl import cited_reading
    from studykit.citing.styles import works_heading
    from studykit.handouts.limits import refuse_oversized_pack
    from studykit.handouts.output import target_path
    from studykit.handouts.pack import DEFAULT_TITLE, course_pack, in_notes_order
    from studykit.handouts.pack_formats import render_pack
    from studykit.notes.library import load_all, reading_folders

    order = reading_folders(notes) if notes.is_dir() else []
    loaded = [
        cited_reading(reading, options.style, _shown(options.answers, options.layout))
        for reading in in_notes_order(load_all(names, notes), order)
    ]
    if options.kind == "pdf":
        refuse_oversized_pack(loaded, cards=options.layout == "cards")
    # Without -o a PDF goes to course-pack.pdf, as one reading's goes to <reading>-outline.pdf.
    target = target_path(options.output, "course", options.kind, "pack", options.force)
    title = options.title or DEFAULT_TITLE
    pack = dataclasses.replace(
        course_pack(loaded, options.answers, options.layout, title),
        works_heading=works_heading(options.style),
    )
    content, warnings = render_pack(pack, options.kind, target, options.paper)
    protected = (notes, *dict.fromkeys(reading.folder.parent for reading in loaded))
    _deliver(content, warnings, target, protected, options.force, options.output)


Choice = TypeVar("Choice", bound=str)


def _one_of(option: str, value: str, choices: tuple[Choice, ...]) -> Choice:
    """The choice `value` names, or a usage error listing the choices."""
    chosen = next((c for c in choices if c == value), None)
    if chosen is None:
        raise UsageError(f"unknown {option} {value!r}; choose one of: {', '.join(choices)}")
    return chosen


@reports_errors
def summary(
    reading: ReadingArg = None,
    notes: NotesDir = DEFAULT_NOTES,
    fmt: Annotated[
        str | None,
        typer.Option(
            "-f",
            "--format",
            metavar="text|md|html",
            help="Output format; default: from the -o suffix, else text.",
        ),
    ] = None,
    output: OutputPath = None,
    sentences: Annotated[
        int,
        typer.Option(
            "--sentences",
            metavar="N",
            min=1,
            help="Sentences in each automatic summary (sections without a written one).",
        ),
    ] = 2,
    style: CitationStyle = "chicago-author-date",
    force: ReplaceReadOnly = False,
) -> None:
    """Print a one-page digest: the reading's summary, each section's summary and key terms.

    Example: studykit summary -f html -o summary.html
    """
    from studykit.citing.csl import cited_reading
    from studykit.citing.styles import style_path, works_heading
    from studykit.handouts.formats import SUMMARY_FORMATS, render_summary
    from studykit.handouts.output import choose_format, target_path
    from studykit.handouts.summary import digest
    from studykit.notes.library import load

    kind = choose_format(fmt, output, SUMMARY_FORMATS)
    style_path(style)  # an unknown style is refused before anything is read
    loaded = cited_reading(load(reading, notes), style, "summary")
    target = target_path(output, loaded.id, kind, "summary", force)
    data = dataclasses.replace(digest(loaded, sentences), works_heading=works_heading(style))
    content, warnings = render_summary(data, kind)
    _deliver(content, warnings, target, (notes, loaded.folder.parent), force, output)


def _deliver(
    content: bytes,
    warnings: list[str],
    target: Path | None,
    protected: tuple[Path, ...],
    force: bool,
    output: str | None,
) -> None:
    """Say the warnings, then print to stdout, or write the file whole and say where it went."""
    for warning in warnings:
        typer.echo(f"warning: {warning}", err=True)
    if target is None:
        # A PDF (only with `-o -`) goes out as bytes; text through the terminal's encoding.
        typer.echo(content if content.startswith(b"%PDF") else content.decode("utf-8"), nl=False)
        return
    from studykit.errors import display_path
    from studykit.handouts.output import names_the_file, write_output

    write_output(target, content, protected, force, default=not names_the_file(output))
    typer.echo(f"wrote {display_path(target)}")
