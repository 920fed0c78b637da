"""Each handout in the format asked for: the one place that picks a renderer, so the command
line only parses options and delivers bytes. A renderer is imported when it is chosen: a
Markdown handout never loads typst."""

from __future__ import annotations

from pathlib import Path

from studykit.cards import section_items
from studykit.errors import StudykitError, UsageError
from studykit.handouts.flashcards import CardSheets, card_sheets
from studykit.handouts.fold import FoldSheet, fold_sheet
from studykit.handouts.layout import Answers, Handout, Layout, Paper, handout
from studykit.handouts.summary import PAGE_LINES, Digest, printed_lines, render_text
from studykit.notes.model import Reading

OUTLINE_FORMATS = ("md", "html", "pdf")
SUMMARY_FORMATS = ("text", "md", "html")


def refuse_mismatch(kind: str, layout: Layout, answers: Answers) -> None:
    """Refuse, before any work, a layout the format cannot print or answers it has no place for.

    Markdown has no pages to cut cards from. Fold and cards keep the answers behind the fold or
    on the back, so there is no answer key to put at the end.
    """
    if kind == "md" and layout == "cards":
        raise UsageError(
            "-f md has no pages to cut cards from; print --layout cards with -f pdf or -f html"
        )
    if answers == "end" and layout != "cornell":
        where = "behind the fold" if layout == "fold" else "on the backs"
        raise UsageError(
            f"--answers end: the {layout} layout keeps the answers {where}; "
            "choose inline, or none to leave room to write them"
        )


def lay_out(reading: Reading, answers: Answers, layout: Layout) -> Handout | FoldSheet | CardSheets:
    """The reading laid out for printing: a Cornell handout, a fold-over sheet or flashcards.

    A fold-over sheet or flashcards of a reading with nothing that asks (no question, term or
    cloze point) would be blank pages: that is refused, naming the reading.
    """
    if layout != "cornell" and not any(section_items(s) for s in reading.sections):
        raise StudykitError(
            f"--layout {layout}: the reading has no question, term or {{{{cloze}}}} point to "
            "print; add some, or print it with --layout cornell",
            reading.path,
        )
    if layout == "fold":
        return fold_sheet(reading, answers)
    if layout == "cards":
        return card_sheets(reading, backs=answers != "none")
    return handout(reading, answers)


def refuse_oversized(reading: Reading, kind: str, layout: Layout = "cornell") -> None:
    """Refuse, before any work, an outline too big for its format: only a PDF has limits."""
    if kind == "pdf":
        from studykit.handouts.limits import refuse_oversized as too_big_for_pdf
        from studykit.handouts.limits import refuse_too_many_cards

        too_big_for_pdf(reading)
        if layout == "cards":
            refuse_too_many_cards(reading)


def render_outline(
    data: Handout | FoldSheet | CardSheets,
    kind: str,
    folder: Path,
    target: Path | None,
    paper: Paper = "a4",
) -> tuple[bytes, list[str]]:
    """The outline as bytes, and warnings (fonts missing for some characters).

    `folder` is the reading's: the only place a PDF reads images from. Markdown links images
    relative to the `target` file (or the current folder when printed); it has no paper.
    """
    if kind == "pdf":
        from studykit.handouts.pdf import render_pdf

        return render_pdf(data, folder, paper)
    if kind == "html":
        from studykit.handouts.html import outline_html

        return outline_html(data, paper).encode("utf-8"), []
    from studykit.handouts.markdown import outline_markdown

    assert not isinstance(data, CardSheets)  # refused by refuse_mismatch
    base = target.parent if target is not None else None
    return outline_markdown(data, base).encode("utf-8"), []


def render_summary(data: Digest, kind: str) -> tuple[bytes, list[str]]:
    """The digest as bytes, and a warning when it runs past a printed page."""
    if kind == "html":
        from studykit.handouts.html import summary_html

        text = summary_html(data)
    elif kind == "md":
        from studykit.handouts.markdown import summary_markdown

        text = summary_markdown(data)
    else:
        text = render_text(data)
    lines = printed_lines(data)
    warnings = []
    if lines > PAGE_LINES:
        warnings.append(
            f"the summary runs to about {lines} printed lines, more than a page "
            f"({PAGE_LINES}); shorten the longest summaries"
        )
    return text.encode("utf-8"), warnings
