"""Each handout in the format asked for: the one place that picks a renderer, so the command
line only parses options and delivers bytes. A renderer is imported when it is chosen: a
Markdown handout never loads typst."""

from __future__ import annotations

from pathlib import Path

from studykit.handouts.layout import Handout
from studykit.handouts.summary import PAGE_LINES, Digest, printed_lines, render_text
from studykit.model import Reading

OUTLINE_FORMATS = ("md", "html", "pdf")
SUMMARY_FORMATS = ("text", "md", "html")


def refuse_oversized(reading: Reading, kind: str) -> None:
    """Refuse, before any work, an outline too big for its format: only a PDF has limits."""
    if kind == "pdf":
        from studykit.handouts.limits import refuse_oversized as too_big_for_pdf

        too_big_for_pdf(reading)


def render_outline(
    data: Handout, kind: str, folder: Path, target: Path | None
) -> tuple[bytes, list[str]]:
    """The outline as bytes, and warnings (fonts missing for some characters).

    `folder` is the reading's: the only place a PDF reads images from. Markdown links images
    relative to the `target` file (or the current folder when printed).
    """
    if kind == "pdf":
        from studykit.handouts.pdf import render_pdf

        return render_pdf(data, folder)
    if kind == "html":
        from studykit.handouts.html import outline_html

        return outline_html(data).encode("utf-8"), []
    from studykit.handouts.markdown import outline_markdown

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
