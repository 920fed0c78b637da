"""A deck build's report: per section the notes and cards, then what changed and what to do,
as the terminal shows it and as JSON."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from studykit.anki.changes import Change
from studykit.anki.manifest import NoteRecord
from studykit.anki.search import deck_search
from studykit.columns import ljust, shorten, width
from studykit.errors import display_path
from studykit.notes.model import Reading
from studykit.words import plural


@dataclass(frozen=True)
class SectionReport:
    number: int
    id: str
    title: str
    deck: str
    notes: int
    cards: int
    changes: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class DeckReport:
    reading: str
    title: str
    path: Path
    status: str  # built | up-to-date | dry-run | no-cards (nothing written)
    first_build: bool
    notes: int
    cards: int
    media: int
    sections: tuple[SectionReport, ...]
    changes: tuple[Change, ...]
    emptied_cards: int  # cards of kept notes that the notes no longer make
    record: Path | None = None  # the identity record, when this build wrote it
    recorded: int = 0  # notes the identity record named before this build
    progress: tuple[int, int] | None = None  # --with-progress: cards with progress, answers
    notice: str | None = None  # why the report could not say what changed, for a warning
    # Subdecks renamed, of cards Anki has: the names they may be under (latest first), the new.
    moved: tuple[tuple[tuple[str, ...], str], ...] = ()

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    def with_progress(self, progress: tuple[int, int] | None) -> DeckReport:
        return self if progress is None else replace(self, progress=progress)

    def with_notice(self, notice: str | None) -> DeckReport:
        return self if notice is None else replace(self, notice=notice)

    def to_json(self) -> dict[str, Any]:
        progress = {}
        if self.progress is not None:
            cards, reviews = self.progress
            progress = {"with_progress": {"cards": cards, "reviews": reviews}}
        return {
            "reading": self.reading,
            "title": self.title,
            "path": str(self.path),
            "status": self.status,
            "first_build": self.first_build,
            "notes": self.notes,
            "cards": self.cards,
            "media": self.media,
            "emptied_cards": self.emptied_cards,
            "identity_record": str(self.record) if self.record else None,
            "sections": [
                {
                    "number": s.number,
                    "id": s.id,
                    "title": s.title,
                    "deck": s.deck,
                    "notes": s.notes,
                    "cards": s.cards,
                    "changes": s.changes,
                }
                for s in self.sections
            ],
            "changes": {
                kind: [
                    {k: v for k, v in vars(c).items() if k != "kind" and v is not None}
                    for c in self.changes
                    if c.kind == kind
                ]
                for kind in ("added", "updated", "removed", "reworded")
            },
            "renamed_decks": [{"from": list(was), "to": now} for was, now in self.moved],
            **progress,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], recorded: int = 0) -> DeckReport:
        """The report `to_json` gave; KeyError, TypeError or ValueError for anything else."""
        progress = data.get("with_progress")
        record = data["identity_record"]
        return cls(
            reading=str(data["reading"]),
            title=str(data["title"]),
            path=Path(data["path"]),
            status=str(data["status"]),
            first_build=bool(data["first_build"]),
            notes=int(data["notes"]),
            cards=int(data["cards"]),
            media=int(data["media"]),
            sections=tuple(
                SectionReport(
                    int(s["number"]),
                    str(s["id"]),
                    str(s["title"]),
                    str(s["deck"]),
                    int(s["notes"]),
                    int(s["cards"]),
                    {str(kind): int(n) for kind, n in s["changes"].items()},
                )
                for s in data["sections"]
            ),
            changes=tuple(
                Change(kind, **{k: str(v) for k, v in change.items()})
                for kind in ("added", "updated", "removed", "reworded")
                for change in data["changes"][kind]
            ),
            emptied_cards=int(data["emptied_cards"]),
            record=None if record is None else Path(record),
            recorded=recorded,
            progress=None if progress is None else (progress["cards"], progress["reviews"]),
            moved=tuple(
                (tuple(str(name) for name in m["from"]), str(m["to"]))
                for m in data["renamed_decks"]
            ),
        )


def deck_report(
    reading: Reading,
    output: Path,
    status: str,
    *,
    decks: Sequence[str],
    records: Iterable[NoteRecord],
    media: int,
    first_build: bool,
    changes: tuple[Change, ...] = (),
    emptied: int = 0,
    record: Path | None = None,
    recorded: int = 0,
    moved: tuple[tuple[tuple[str, ...], str], ...] = (),
) -> DeckReport:
    """The report of a build of `reading` whose notes the manifest `records` are (one each),
    `decks` the sections' deck names in reading order."""
    counts: dict[str, list[int]] = {s.id: [0, 0] for s in reading.sections}
    notes = 0
    for note in records:
        counts[note.section][0] += 1
        counts[note.section][1] += len(note.cards)
        notes += 1
    changed: dict[str, dict[str, int]] = {s.id: {} for s in reading.sections}
    for change in changes:
        kinds = changed.setdefault(change.section, {})  # a removed section is not listed
        kinds[change.kind] = kinds.get(change.kind, 0) + 1
    sections = tuple(
        SectionReport(
            number=section.number,
            id=section.id,
            title=section.title,
            deck=deck,
            notes=counts[section.id][0],
            cards=counts[section.id][1],
            changes=changed[section.id],
        )
        for section, deck in zip(reading.sections, decks, strict=True)
    )
    return DeckReport(
        reading=reading.id,
        title=reading.title,
        path=output,
        status=status,
        first_build=first_build,
        notes=notes,
        cards=sum(counted[1] for counted in counts.values()),
        media=media,
        sections=sections,
        changes=changes,
        emptied_cards=emptied,
        record=record,
        recorded=recorded,
        moved=moved,
    )


KINDS = ("added", "updated", "reworded", "removed")
CHANGED = "changed since the last build"
LISTED = 20
"""Sections a rebuild's table lists whole; past that, only those that changed."""


def report_lines(report: DeckReport, columns: int = 80) -> list[str]:
    """The report as the terminal shows it, its table fitted to `columns` where it can be."""
    path = display_path(report.path)
    if report.status == "up-to-date":
        lines = [
            f"{report.reading}: up to date ({path}, {plural(report.notes, 'note')}, "
            f"{plural(report.cards, 'card')}); nothing changed since the last build "
            "(--force rebuilds)"
        ]
        lines += progress_lines(report)
        if report.record is not None:
            lines.append(f"Updated {display_path(report.record)}: commit it with your notes.")
        return lines
    if report.status == "no-cards":
        return [
            f"{report.reading}: no deck: its notes make no cards yet (add terms, questions or "
            "{{cloze}} points)"
        ]
    verb = {"built": "wrote", "dry-run": "would write (dry run)"}[report.status]
    lines = [f"{report.reading}: {verb} {path}"]
    digits = max(5, len(str(report.cards)))
    changes = ["" if report.first_build else _counts(s.changes) for s in report.sections]
    # Counts and changes keep their place; titles give way, cut with … where the terminal is
    # too narrow for the widest of them, and the changes' heading says just "changed".
    tails = [] if report.first_build else ["changed", *changes]
    room = columns - 6 - 2 * digits - max([width(c) + 2 for c in tails] + [0])
    titles, title_width = _section_titles(report, room)
    header = f"  {ljust('section', title_width)} {'notes':>{digits}} {'cards':>{digits}}"
    if not report.first_build:
        long = f"{header}  {CHANGED}"
        header = long if width(long) <= columns else f"{header}  changed"
    lines.append(header)
    # A long reading's rebuild after one edit would list every section to show one change.
    only_changed = not report.first_build and len(report.sections) > LISTED
    for title, section, changed in zip(titles, report.sections, changes, strict=True):
        if only_changed and not changed:
            continue
        counts = f"{section.notes:>{digits}} {section.cards:>{digits}}"
        lines.append(f"  {ljust(title, title_width)} {counts}  {changed}".rstrip())
    if only_changed:
        same = changes.count("")
        lines.append(
            f"  ({plural(same, 'section')} unchanged)"
            if same < len(changes)
            else f"  (all {len(changes)} sections unchanged)"
        )
    lines.append(
        f"  {ljust('total', title_width)} {report.notes:>{digits}} {report.cards:>{digits}}"
    )
    if report.media:
        lines.append(f"  with {plural(report.media, 'image')}")
    lines += progress_lines(report)
    lines += _change_lines(report)
    if report.record is not None:
        lines.append(
            f"Updated {display_path(report.record)}: commit it with your notes, so every "
            "machine gives each item the same note in Anki and in review."
        )
    return lines


def progress_lines(report: DeckReport) -> list[str]:
    """What `--with-progress` put in the deck, and what Anki will do with it."""
    if report.progress is None:
        return []
    cards, answers = report.progress
    if not cards:
        return ["No review progress yet: every card is new, as without --with-progress."]
    verb = "carries its" if cards == 1 else "carry their"
    return [
        f"{plural(cards, 'card')} {verb} terminal progress ({plural(answers, 'answer')}); "
        "Anki keeps its own schedule for cards it already has. Import with "
        '"Import any learning progress" ticked.'
    ]


def _section_titles(report: DeckReport, room: int) -> tuple[list[str], int]:
    """Each section's number and title, numbers padded as the section files and the subdecks
    are (`099`, `100`) so that titles start in one column, cut to `room` columns if they must;
    and the column's width."""
    last = max((s.number for s in report.sections), default=0)
    numbers = max(2, len(str(last)))
    titles = [f"{s.number:0{numbers}d} {s.title}" for s in report.sections]
    fits = max([width(t) for t in titles] + [20]) + 2
    title_width = max(min(fits, room), 20)
    return [shorten(t, title_width - 2) for t in titles], title_width


def _change_lines(report: DeckReport) -> list[str]:
    path = display_path(report.path)
    if report.first_build and report.recorded:
        # A fresh clone, or cards/ deleted: the notes may already be in the student's Anki.
        new = report.notes - report.recorded
        return [
            f"First build here: {plural(report.notes, 'note')}, {report.recorded} of them named "
            f"in the identity record{f' and {new} new' if new else ''}. Import {path} into Anki "
            "(double-click it, or File > Import); notes your Anki already has from another "
            "machine are updated in place, never duplicated."
        ]
    if report.first_build:
        return [
            f"First build: {plural(report.notes, 'note')} new. Import {path} into Anki "
            "(double-click it, or File > Import)."
        ]
    if not report.changes:
        return ["No note changed since the last build."]
    counts = _counts({kind: report.count(kind) for kind in KINDS})
    lines = [f"Since the last build: {counts}."]
    for change in report.changes:
        lines.append("  " + _change_line(change))
    if report.count("updated"):
        lines.append(
            f"Re-import {path} into Anki: updated notes change in place and keep their review "
            "history."
        )
    elif report.count("added") or report.count("reworded"):
        lines.append(f"Re-import {path} into Anki to get the new notes.")
    if report.emptied_cards:
        lines.append(
            f"{plural(report.emptied_cards, 'card')} of kept notes no longer exist in your notes "
            "(a term's reverse card, a deletion taken out): after re-importing, remove them in "
            "Anki with Tools > Empty Cards."
        )
    if report.count("removed") or report.count("reworded"):
        lines.append("Paste a search shown above into Anki's Browse window to find an old note.")
    if report.count("reworded"):
        lines.append(
            "A reworded front without an `id:` is a new note to Anki: its review history "
            "restarts and the old note stays until you delete it. Give an item an `id:` to "
            "reword it freely."
        )
    if report.count("removed"):
        lines.append("Removed notes stay in Anki until you delete them there.")
    for was, now in report.moved:
        earlier = " (or under an earlier name)" if len(was) > 1 else ""
        lines.append(
            f'Subdeck renamed to "{now}": Anki keeps the cards it has in "{was[0]}"{earlier}. '
            f"To move them, search {deck_search(*was)} in Browse, select all and use Change "
            "Deck."
        )
    return lines


def _counts(changes: dict[str, int]) -> str:
    return ", ".join(f"{changes[kind]} {kind}" for kind in KINDS if changes.get(kind))


def _change_line(change: Change) -> str:
    head = f"{change.kind:<8} {change.section}: {_short(change.label)}"
    if change.kind == "reworded":
        new, was = _where_they_differ(change.label, change.previous or "")
        head = f"{change.kind:<8} {change.section}: {new}"
        return f"{head}  (was: {was}; old note: {change.search})"
    if change.kind == "removed":
        return f"{head}  find in Anki: {change.search}"
    return head


def _where_they_differ(new: str, old: str, limit: int = 70) -> tuple[str, str]:
    """Both texts, cut to show where they differ rather than their common start."""
    start = 0
    while start < min(len(new), len(old)) and new[start] == old[start]:
        start += 1
    if max(len(new), len(old)) <= limit or start < limit - 20:
        return _short(new, limit), _short(old, limit)
    cut = start - 20
    return _short("…" + new[cut:], limit), _short("…" + old[cut:], limit)


def _short(text: str, limit: int = 70) -> str:
    return shorten(text, limit)
