"""An output never replaces what studykit cannot show it wrote, nor takes a reading's own name.

First what an audit found: `studykit deck` replaced a classmate's Anki deck kept as
`cards/<reading>.apkg` with a deck of the reading's notes (its notes and scheduling lost for
good), and `outline -f md -o notes/<reading>/identities.lock` wrote a handout as the reading's
identity record, after which check, deck and review refused the reading. Each is now refused in
one line, with nothing written. Then the everyday builds, which must go on as before: a deck
studykit wrote is rebuilt without `--force`, a handout goes where `-o` says.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from conftest import Runner

DECK = Path("cards/demo.apkg")
MANIFEST = Path("cards/.studykit/demo.manifest.json")
RECORD = Path("notes/demo/identities.lock")
EDIT = ("c. 5,000 households.", "about 5,000 households on average.")
NOT_OURS = (
    "error: will not replace this file with the deck: studykit did not write it (no build "
    "manifest records it); move it away, build elsewhere with -o, or replace it with --force"
)
# Where a manifest records the deck the last build wrote, and the file there is another since.
SWAPPED = NOT_OURS.replace(
    "no build manifest records it",
    "it is not the deck the last build wrote here: changed or damaged since",
)


def _classmates_deck(path: Path, count: int = 30) -> bytes:
    """An Anki package exported by Anki itself, with scheduling: someone else's deck."""
    from anki.collection import Collection, DeckIdLimit
    from anki.import_export_pb2 import ExportAnkiPackageOptions

    path.parent.mkdir(parents=True, exist_ok=True)
    collection = Collection(str(Path("classmate.anki2").absolute()))
    try:
        basic = collection.models.by_name("Basic")
        deck = collection.decks.id("Classmate Biology")
        assert basic is not None and deck is not None
        for number in range(count):
            note = collection.new_note(basic)
            note["Front"], note["Back"] = f"Q{number} from my classmate", f"A{number}"
            collection.add_note(note, deck)
        collection.export_anki_package(
            out_path=str(path.absolute()),
            options=ExportAnkiPackageOptions(with_scheduling=True),
            limit=DeckIdLimit(deck),
        )
    finally:
        collection.close()
    return path.read_bytes()


def _fronts(deck: Path) -> list[str]:
    """The first field of every note in a package studykit wrote, sorted."""
    import sqlite3
    import tempfile
    import zipfile

    with zipfile.ZipFile(deck) as package, tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "c.anki2"
        copy.write_bytes(package.read("collection.anki2"))
        with sqlite3.connect(copy) as collection:
            rows = collection.execute("SELECT flds FROM notes").fetchall()
    return sorted(row[0].split("\x1f")[0] for row in rows)


def _edit(notes: Path) -> None:
    section = notes / "demo" / "01-basics.yaml"
    section.write_text(section.read_text(encoding="utf-8").replace(*EDIT), encoding="utf-8")


# --- the audit: a deck studykit did not write -----------------------------------------------


@pytest.mark.parametrize(
    "command",
    [["deck"], ["deck", "--dry-run"], ["deck", "demo"], ["deck", "-o", "cards/"]],
    ids=["deck", "dry-run", "one-reading", "into-a-folder"],
)
def test_a_classmates_deck_at_the_decks_path_is_refused(
    notes: Path, run: Runner, command: list[str]
) -> None:
    theirs = _classmates_deck(DECK)
    DECK.chmod(0o644)  # writable: the bits say nothing about whose it is
    result = run(*command)
    assert result.exit_code == 1, result
    assert result.stderr.splitlines() == [f"cards/demo.apkg: {NOT_OURS}"], result.stderr
    assert DECK.read_bytes() == theirs, "the classmate's deck byte for byte"
    assert not RECORD.exists(), "no identity record written"
    assert not MANIFEST.parent.exists(), "no manifest written"


def test_force_replaces_a_deck_studykit_did_not_write(notes: Path, run: Runner) -> None:
    theirs = _classmates_deck(DECK)
    result = run("deck", "--force")
    assert result.exit_code == 0, result
    assert DECK.read_bytes() != theirs
    fronts = _fronts(DECK)
    assert len(fronts) == 7 and not any("classmate" in front for front in fronts), fronts
    # From now on it is studykit's: the next build needs no --force.
    _edit(notes)
    assert run("deck").exit_code == 0


def test_a_deck_swapped_for_another_since_the_last_build_is_refused(
    notes: Path, run: Runner
) -> None:
    assert run("deck").exit_code == 0
    theirs = _classmates_deck(DECK)
    record = RECORD.read_bytes()
    manifest = MANIFEST.read_bytes()
    _edit(notes)
    for command in (["deck"], ["deck", "--dry-run"]):
        result = run(*command)
        assert result.exit_code == 1, result
        assert result.stderr.splitlines() == [f"cards/demo.apkg: {SWAPPED}"], result.stderr
    assert DECK.read_bytes() == theirs
    assert (RECORD.read_bytes(), MANIFEST.read_bytes()) == (record, manifest)


def test_a_file_that_is_no_anki_package_is_refused_too(notes: Path, run: Runner) -> None:
    DECK.parent.mkdir()
    DECK.write_bytes(b"my exam notes, saved under the wrong name")
    result = run("deck")
    assert result.exit_code == 1, result
    assert result.stderr.splitlines() == [f"cards/demo.apkg: {NOT_OURS}"]
    assert DECK.read_bytes() == b"my exam notes, saved under the wrong name"


def test_an_earlier_deck_with_neither_manifest_nor_record_is_rebuilt(
    notes: Path, run: Runner
) -> None:
    # What a version before the manifest and the identity record left: its notes carry the
    # GUIDs the reading's items are given, so it is this reading's deck.
    assert run("deck").exit_code == 0
    MANIFEST.unlink()
    RECORD.unlink()
    result = run("deck")
    assert result.exit_code == 0, result
    assert len(_fronts(DECK)) == 7


# --- the audit: a handout under a name the reading keeps for itself ----------------------------


@pytest.mark.parametrize(
    ("command", "output", "expected"),
    [
        (
            ["outline", "-f", "md"],
            "notes/demo/identities.lock",
            "a Markdown handout does not go in a .lock file; end the name in .md",
        ),
        (
            ["summary", "-f", "html"],
            "notes/demo/identities.lock",
            "an HTML handout does not go in a .lock file; end the name in .html",
        ),
        (
            ["outline", "-f", "md"],
            "x.docx",
            "a Markdown handout does not go in a .docx file; end the name in .md",
        ),
        (
            ["outline", "-f", "html"],
            "x.lock",
            "an HTML handout does not go in a .lock file; end the name in .html",
        ),
        (
            ["summary", "-f", "text"],
            "notes/demo/03-new.yml",
            "a plain-text handout does not go in a .yml file; end the name in .txt",
        ),
    ],
)
def test_an_output_suffix_must_fit_the_format_given(
    notes: Path, run: Runner, command: list[str], output: str, expected: str
) -> None:
    result = run(*command, "-o", output)
    assert result.exit_code == 2, result
    assert result.stderr.splitlines() == [
        f"error: -o {output}: {expected} (or another text suffix: "
        ".htm, .html, .markdown, .md, .txt)"
    ], result.stderr
    assert not Path(output).exists(), "nothing written"
    assert run("check").exit_code == 0, "the reading as it was"


def test_no_handout_takes_the_name_of_the_readings_source_copy(notes: Path, run: Runner) -> None:
    # reading.yaml names `source: demo.txt`, not there yet: written, it would be the source.
    result = run("summary", "-f", "text", "-o", "notes/demo/demo.txt")
    assert result.exit_code == 1, result
    assert result.stderr.splitlines() == [
        "notes/demo/demo.txt: error: will not write the handout under a name studykit keeps "
        "for a reading's own files in the notes folder; choose another -o"
    ]
    assert not Path("notes/demo/demo.txt").exists()


# --- the everyday builds, unchanged ----------------------------------------------------------


def test_a_deck_studykit_wrote_is_rebuilt_without_force(notes: Path, run: Runner) -> None:
    assert run("deck").exit_code == 0
    first = DECK.read_bytes()
    written = json.loads(MANIFEST.read_text(encoding="utf-8"))["deck"]
    assert written == [len(first), hashlib.sha256(first).hexdigest()], "the manifest says so"
    _edit(notes)
    result = run("deck")
    assert result.exit_code == 0, result
    assert "Since the last build: 1 updated." in result.stdout, result.stdout
    again = run("deck")
    assert again.exit_code == 0 and "up to date" in again.stdout, again


def test_a_deck_whose_manifest_an_earlier_version_wrote_is_rebuilt(
    notes: Path, run: Runner
) -> None:
    # Manifests written before recorded no deck file: one of this reading vouches for it.
    assert run("deck").exit_code == 0
    data = json.loads(MANIFEST.read_text(encoding="utf-8"))
    del data["deck"]
    MANIFEST.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    _edit(notes)
    result = run("deck")
    assert result.exit_code == 0, result
    assert "deck" in json.loads(MANIFEST.read_text(encoding="utf-8")), "recorded from now on"


def test_a_deck_whose_manifest_was_lost_is_rebuilt(notes: Path, run: Runner) -> None:
    # A build stopped between the deck and its manifest: every note of the deck is one the
    # identity record names, so it is this reading's deck.
    assert run("deck").exit_code == 0
    MANIFEST.unlink()
    _edit(notes)
    result = run("deck")
    assert result.exit_code == 0, result


@pytest.mark.parametrize(
    ("command", "output", "start"),
    [
        (["outline", "-f", "md"], "handout.md", "# "),
        (["outline", "-f", "html"], "page.txt", "<!DOCTYPE html>"),
        (["summary", "-f", "md"], "notes/demo/summary.md", "# "),
        (["outline", "-f", "md"], "handout", "# "),
    ],
)
def test_a_handout_goes_where_o_says(
    notes: Path, run: Runner, command: list[str], output: str, start: str
) -> None:
    result = run(*command, "-o", output)
    assert result.exit_code == 0, result
    assert Path(output).read_text(encoding="utf-8").startswith(start)
