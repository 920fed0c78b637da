"""Deck build reports as text: per section the notes and cards, then what changed and what to do."""

from __future__ import annotations

from studykit.deck import Change, DeckReport
from studykit.errors import display_path
from studykit.words import plural

_VERBS = {"added": "+", "updated": "~", "removed": "-", "reworded": "*"}


def report_lines(report: DeckReport) -> list[str]:
    path = display_path(report.path)
    if report.status == "up-to-date":
        return [
            f"{report.reading}: up to date ({path}, {plural(report.notes, 'note')}, "
            f"{plural(report.cards, 'card')}); nothing changed since the last build "
            "(--force rebuilds)"
        ]
    verb = {"built": "wrote", "dry-run": "would write (dry run)"}[report.status]
    lines = [f"{report.reading}: {verb} {path}"]
    width = max([len(f"{s.title}") for s in report.sections] + [20]) + 3
    lines.append(f"  {'section':<{width + 3}} {'notes':>5} {'cards':>5}  changes")
    for section in report.sections:
        changes = " ".join(f"{_VERBS[k]}{n}" for k, n in sorted(section.changes.items()))
        title = f"{section.number:02d} {section.title}"
        lines.append(f"  {title:<{width + 3}} {section.notes:>5} {section.cards:>5}  {changes}")
    lines.append(f"  {'total':<{width + 3}} {report.notes:>5} {report.cards:>5}")
    if report.media:
        lines.append(f"  with {plural(report.media, 'image')}")
    lines += _change_lines(report)
    return lines


def _change_lines(report: DeckReport) -> list[str]:
    path = display_path(report.path)
    if report.first_build:
        return [
            f"First build: {plural(report.notes, 'note')} new. Import {path} into Anki "
            "(double-click it, or File > Import)."
        ]
    if not report.changes:
        return ["No note changed since the last build."]
    counts = ", ".join(
        f"{report.count(kind)} {kind}"
        for kind in ("added", "updated", "reworded", "removed")
        if report.count(kind)
    )
    lines = [f"Since the last build: {counts}."]
    for change in report.changes:
        lines.append("  " + _change_line(change))
    lines.append(
        f"Re-import {path} into Anki: updated notes change in place and keep their review history."
    )
    if report.count("reworded"):
        lines.append(
            "Reworded fronts without an `id:` are new notes to Anki, so their review history "
            "restarts; give an item an `id:` to reword it freely."
        )
    if report.count("removed"):
        lines.append(
            "Removed notes stay in Anki until you delete them there: search for them in the "
            "Browse window with the searches shown."
        )
    return lines


def _change_line(change: Change) -> str:
    head = f"{change.kind:<8} {change.section}: {_short(change.label)}"
    if change.kind == "reworded":
        return f"{head}  (was: {_short(change.previous or '')})"
    if change.kind == "removed":
        return f"{head}  find in Anki: {change.search}"
    return head


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
