"""Building a reading's Anki deck, stage by stage, and the report of what changed since the last
build.

`build_deck` runs each stage once and hands its result to the next: the reading comes loaded
(`load`: its notes files' digest, then the checked reading); unless the last build was made
from the same inputs and its deck is still there (`anki.inputs`: then it is up to date, and
nothing is derived, rendered or written), its cards are derived (`cards`), their notes' GUIDs
settled (`identity`), their fields rendered (`anki.notes`), the whole compared with the last
build (`anki.changes`), the deck and its manifest written, and the build reported
(`anki.report`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from studykit.anki.changes import Change, Comparison, compare
from studykit.anki.images import card_images, packaged
from studykit.anki.inputs import inputs_digest, notes_digest, record_text, sources_digest
from studykit.anki.manifest import (
    Manifest,
    UnreadableManifest,
    check_deck_owned,
    check_manifest_place,
    manifest_path,
    read_manifest,
    write_manifest,
    written_deck,
)
from studykit.anki.report import DeckReport, SectionReport, deck_report
from studykit.anki.unshown import kept_until_shown
from studykit.cards import derive_notes
from studykit.errors import Problem, StudykitError, display_path
from studykit.files import refuse_kept, writable_target, write_atomically
from studykit.identity import Identities, record_problems, record_written, resolve
from studykit.notes.model import Reading

if TYPE_CHECKING:
    from studykit.anki.apkg import Package
    from studykit.anki.notes import Rendered
    from studykit.anki.progress import DeckProgress
    from studykit.notes.sharing import Split

__all__ = ["Change", "DeckReport", "LastBuild", "Loaded", "SectionReport", "build_deck", "load"]

Progress = Callable[[int, int], None]
KEPT_NAMES = 10
"""Names of a section's subdeck the manifest keeps, the current one among them."""


@dataclass(frozen=True)
class Loaded:
    """A reading folder loaded for its deck: the reading (None when it cannot be loaded), every
    problem found, and the digest of its notes files, taken before they were read."""

    folder: Path
    reading: Reading | None
    problems: list[Problem]
    notes: str

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def load(folder: Path, split: Split | None = None) -> Loaded:
    """The first stage: the reading folder's notes files digested (`anki.inputs`), then checked
    (`split`: cut between two processes, its parts read, the digest taken before)."""
    from studykit.notes.validate import check_reading

    taken = None if split is None else split.before
    notes = taken if isinstance(taken, str) else notes_digest(folder)
    reading, problems = check_reading(folder, read=None if split is None else split.read)
    return Loaded(folder, reading, problems, notes)


def build_deck(
    reading: Reading,
    output: Path,
    *,
    now: datetime,
    dry_run: bool = False,
    force: bool = False,
    progress: Progress | None = None,
    review_store: Path | None = None,
    notes: str | None = None,
    last: LastBuild | None = None,
) -> DeckReport:
    """Write `output` (atomically) unless nothing changed since the last build, and report.

    `notes` is the digest of the reading's notes files taken before it was loaded (`load`):
    with it, the manifest records what the deck was built from, and the next build with the
    same inputs reports the deck up to date without building it. `last`: the last build's
    manifest at `output`, when it was read already.

    With `review_store`, the cards answered in review carry their state and answers
    (`studykit.anki.progress`), for an Anki that does not have them yet.

    The identity record beside the notes is written first: a crash after it leaves a record
    that names the notes the next build makes, never a deck whose notes it does not name.
    `force` rebuilds an unchanged deck and replaces read-only files (`studykit.files`).
    """
    from studykit.anki.notes import render_notes, section_decks

    # Before anything, even the identity record: a refused -o leaves every file as it was.
    refuse_kept(output, "the deck", (reading.folder.parent,), rebuilt=".apkg")
    decks = section_decks(reading)
    found = card_images(reading)
    if last is None or last.output != output:
        last = LastBuild(output)
    sources = None if notes is None else sources_digest(notes, reading, found.values())
    if sources is not None and not force and review_store is None:
        current = _up_to_date(reading, output, decks, last.manifest, sources)
        if current is not None:
            return current
    images, media = packaged(found)
    study = derive_notes(reading, progress)
    if not study:
        # Notes to read, not yet to drill: they check, print and show, and make no deck.
        return deck_report(
            reading, output, "no-cards", decks=decks, records=(), media=0, first_build=True
        )
    owner, notice = last.read()  # any manifest of ours says the deck is studykit's
    identities = resolve(reading, study, previous=owner.guids() if owner else None)
    rendered = render_notes(reading, study, images, decks, identities.guids)
    scheduling = None if review_store is None else _progress(review_store, rendered, now)
    compared = compare(reading, decks, rendered.notes, media, owner, now, scheduling)
    # A build with progress records no inputs: the next plain build must replace its deck.
    inputs = None if sources is None or review_store else inputs_digest(sources, identities.text)
    sections = {section.id: deck for section, deck in zip(reading.sections, decks, strict=True)}
    built = _Built(compared, inputs, tuple(sorted(media)), sections)
    carried = _carried(review_store, scheduling)
    if compared.unchanged and _as_written(output, compared.old) and not force:
        saved = _save(identities, dry_run)
        if not dry_run:
            built.refresh(output)
        # An unreadable manifest is never up to date: no notice.
        report = _report(reading, output, "up-to-date", decks, built, saved, identities)
        return report.with_progress(carried)
    # Checked in a dry run too, so that it fails exactly where a build would, and before
    # anything is written, so that a refused file leaves every file as it was.
    writable_target(output, "the deck", force)
    check_manifest_place(output, force)
    known = {*identities.record.guids.values(), *identities.guids.values()}
    check_deck_owned(output, owner, reading.id, known, force)
    package = _package(reading, output, decks, rendered, compared, media, scheduling)
    if dry_run:
        report = _report(reading, output, "dry-run", decks, built, None, identities, True)
        return report.with_progress(carried).with_notice(notice)
    # The record is written when it changed (`_save`): the report says so before it is.
    saved = identities.record.path if identities.changed else None
    report = _report(reading, output, "built", decks, built, saved, identities, changed=True)
    report = report.with_progress(carried).with_notice(notice)
    with kept_until_shown(report, compared.digest):
        _write(reading, identities, package, output, force, built)
    return report


class LastBuild:
    """The last build's manifest, read when first asked for (the up-to-date stage asks first;
    a forced build only once the notes are derived): what reading it raised is raised where a
    build needs the manifest, after the errors of what it does first."""

    def __init__(self, output: Path):
        self.output = output
        self.read_yet = False
        self.found: Manifest | None = None
        self.notice: str | None = None
        self.error: StudykitError | None = None

    def fetch(self) -> LastBuild:
        """Read the manifest unless it was read already; what reading it raised is kept."""
        if not self.read_yet:
            self.read_yet = True
            try:
                self.found = read_manifest(self.output)
            except UnreadableManifest as exc:
                # The deck itself does not depend on the manifest: build it, say what is lost.
                self.notice = f"{display_path(exc.path or self.output)}: {exc.message}"
            except StudykitError as exc:
                self.error = exc
        return self

    @property
    def manifest(self) -> Manifest | None:
        """The manifest, None when there is none or it cannot be read."""
        return self.fetch().found

    def read(self) -> tuple[Manifest | None, str | None]:
        """The manifest (None when there is none or it cannot be read) and the notice."""
        manifest = self.manifest
        if self.error is not None:
            raise self.error
        return manifest, self.notice


@dataclass(frozen=True)
class _Built:
    """What a build records in the manifest: the comparison, its inputs, its images' names."""

    compared: Comparison
    inputs: str | None
    media: tuple[str, ...]
    decks: dict[str, str]  # section id -> its subdeck's name

    def manifest(self, reading: str, deck: Path) -> Manifest:
        compared = self.compared
        written = written_deck(deck)
        return Manifest(
            reading, compared.built, compared.digest, compared.records, deck=written,
            inputs=self.inputs, media=self.media, decks=self.deck_names(),
        )  # fmt: skip

    def deck_names(self) -> dict[str, tuple[str, ...]]:
        """Each section's subdeck names for the manifest: this build's, then the earlier ones."""
        old = {} if self.compared.old is None else self.compared.old.decks
        return {
            section: (name, *[n for n in old.get(section, ()) if n != name][: KEPT_NAMES - 1])
            for section, name in self.decks.items()
        }

    def moved(self) -> tuple[tuple[tuple[str, ...], str], ...]:
        """The subdecks renamed since the last build that Anki holds cards of: the names the
        cards may be under (the last build's first) and the new one. Anki's import updates a
        note but never moves its cards to another deck."""
        old = self.compared.old
        if old is None:
            return ()
        kept = {record.section for record in old.notes.values()}
        moved = []
        for section, name in self.decks.items():
            names = old.decks.get(section, (name,))
            if section in kept and names[0] != name:
                moved.append((tuple(n for n in names if n != name), name))
        return tuple(moved)

    def refresh(self, output: Path) -> None:
        """An up-to-date deck's manifest given this build's inputs, when they are new (an edit
        that changed nothing the deck shows, a manifest an earlier version wrote), so that the
        next build finds it up to date unbuilt. Best effort: the manifest is disposable."""
        old = self.compared.old
        if (
            old is None
            or self.inputs is None
            or (old.inputs, old.media, old.decks) == (self.inputs, self.media, self.deck_names())
        ):
            return
        if not manifest_path(output).is_file():
            return  # read from where decks built before kept it: never written there
        refreshed = replace(old, inputs=self.inputs, media=self.media, decks=self.deck_names())
        with contextlib.suppress(StudykitError, OSError):
            write_manifest(output, refreshed)


def _up_to_date(
    reading: Reading, output: Path, decks: Sequence[str], last: Manifest | None, sources: str
) -> DeckReport | None:
    """The report of a deck already up to date, as a build would give it, without building:
    None unless the last build recorded these inputs, its deck is still the file it wrote, and
    no identity record refuses the build (which then says why)."""
    if last is None or not last.complete or last.inputs is None:
        return None
    record = record_text(reading)
    if record is None or inputs_digest(sources, record) != last.inputs:
        return None
    if not _as_written(output, last) or record_problems(reading):
        return None
    sections = {section.id for section in reading.sections}
    if any(record.section not in sections for record in last.notes.values()):
        return None  # a manifest edited by hand: the build says what it holds
    return deck_report(
        reading,
        output,
        "up-to-date",
        decks=decks,
        records=last.notes.values(),
        media=len(last.media),
        first_build=False,
        recorded=len(last.notes),  # the record names every note: the last build wrote it
    )


def _report(
    reading: Reading,
    output: Path,
    status: str,
    decks: Sequence[str],
    built: _Built,
    saved: Path | None,
    identities: Identities,
    changed: bool = False,
) -> DeckReport:
    """The report of a build, and with `changed` what changed since the last one."""
    compared = built.compared
    return deck_report(
        reading,
        output,
        status,
        decks=decks,
        records=compared.records.values(),
        media=len(built.media),
        first_build=compared.old is None,
        changes=compared.changes() if changed else (),
        emptied=compared.emptied_cards() if changed else 0,
        moved=built.moved() if changed else (),
        record=saved,
        recorded=identities.recorded,
    )


def _as_written(output: Path, old: Manifest | None) -> bool:
    """Whether `output` is the deck the last build wrote, by its size and SHA-256: a deck
    swapped for another since, or damaged in place at the same size, is not up to date (the
    rebuild then checks it is studykit's, `check_deck_owned`). The digest is read only when the
    size agrees."""
    if old is None:
        return False
    try:
        size = output.stat().st_size
        if not output.is_file():
            return False
        if old.deck is None:
            return True  # an earlier version's manifest, which recorded no size
        return size == old.deck.size and written_deck(output) == old.deck
    except OSError:
        return False


def _progress(store: Path, rendered: Rendered, now: datetime) -> DeckProgress | None:
    """The review progress of the deck's cards, None when none was answered."""
    from studykit.anki.progress import deck_progress, read_store

    cards = {(note.guid, card) for note in rendered.notes for card in note.cards}
    return deck_progress(read_store(store, now), cards, now)


def _carried(store: Path | None, scheduling: DeckProgress | None) -> tuple[int, int] | None:
    """What the report says of progress: None when not asked for, else cards and answers."""
    if store is None:
        return None
    if scheduling is None:
        return (0, 0)
    return (len(scheduling.cards), scheduling.reviews)


def _save(identities: Identities, dry_run: bool, force: bool = False) -> Path | None:
    """Write the identity record if it changed; return its path when it was written."""
    if dry_run or not identities.changed:
        return None
    identities.save(force)
    return identities.record.path


def _package(
    reading: Reading,
    output: Path,
    decks: Sequence[str],
    rendered: Rendered,
    compared: Comparison,
    media: dict[str, Path],
    scheduling: DeckProgress | None,
) -> Package:
    from studykit.anki.apkg import Deck, PackagedNote, deck_id_for, make_package
    from studykit.notes.markup import to_html

    cited, records = rendered.cited, compared.records

    def description(summary: str | None) -> str:
        """A deck's description: the summary, its citations formatted."""
        return to_html(cited.text(summary) if cited and summary else summary or "")

    packaged_decks = [
        Deck(deck_id_for(reading.deck_name), reading.deck_name, description(reading.summary))
    ]
    for name, section in zip(decks, reading.sections, strict=True):
        packaged_decks.append(Deck(deck_id_for(name), name, description(section.summary)))
    ids = {deck.name: deck.id for deck in packaged_decks}
    packaged = [
        PackagedNote(
            guid=note.guid,
            note_type=note.note_type,
            deck_id=ids[note.deck],
            fields=note.fields,
            tags=note.tags,
            cards=note.cards,
            mod=records[note.guid].mod,
        )
        for note in rendered.notes
    ]
    built = compared.built
    try:
        return make_package(packaged, packaged_decks, media, now=built, progress=scheduling)
    except ValueError as exc:
        # The package's last guard; the notes checks should have caught it first.
        raise StudykitError(f"refused to write an inconsistent deck: {exc}", output) from exc


def _write(
    reading: Reading,
    identities: Identities,
    package: Package,
    output: Path,
    force: bool,
    built: _Built,
) -> Path | None:
    """The identity record, then the deck, then its manifest; return the record's path if it
    was written.

    A crash between the two leaves a record that names the notes the next build makes, never a
    deck whose notes it does not name; a deck that fails to write puts the old record back, so
    a failed build leaves every file as it was.
    """
    path = identities.record.path
    try:
        before: bytes | None = path.read_bytes()
    except FileNotFoundError:
        before = None
    except OSError as exc:
        raise StudykitError(
            f"cannot read the identity record: {exc.strerror or exc}", path
        ) from exc
    saved = _save(identities, dry_run=False, force=force)
    try:
        try:
            package.write(output, force=force)
        except OSError as exc:
            raise StudykitError(f"cannot write the deck: {exc.strerror or exc}", output) from exc
    except BaseException:
        if saved is not None:
            if before is None:
                path.unlink(missing_ok=True)
            else:
                # Ours a moment ago, whatever its bits say.
                write_atomically(path, before, "the identity record", force=True)
            record_written(path)
        raise
    write_manifest(output, built.manifest(reading.id, output), force)
    return saved
