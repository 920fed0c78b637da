"""A build manifest that is a symbolic link is refused in one line, and nothing is written.

An audit found `deck` writing the manifest through a link at
`cards/.studykit/<reading>.manifest.json`: the file it led to (a copy of a manifest kept in the
notes folder, carrying studykit's mark) was replaced. Each test makes such a link, runs `deck`,
and checks what the student sees: exit code 1, the one line naming the link, and every file as
it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Runner

DECK = Path("cards/demo.apkg")
MANIFEST = Path("cards/.studykit/demo.manifest.json")
RECORD = Path("notes/demo/identities.lock")
SECTION = Path("notes/demo/01-basics.yaml")
LINKED = (
    "cards/.studykit/demo.manifest.json: error: the build manifest is a link; studykit keeps it "
    "as a plain file in the .studykit folder beside the deck and neither reads nor writes it "
    "through a link: remove the link"
)


def _files(*paths: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in paths}


def _built_then_linked(kept: Path) -> dict[Path, bytes]:
    """Build the demo deck, move its manifest to `kept` and link the manifest's place to it,
    then change a definition (so that a build would write a new manifest). Returns the bytes of
    every file a build would write."""
    MANIFEST.rename(kept)
    MANIFEST.symlink_to(kept.resolve())
    text = SECTION.read_text(encoding="utf-8")
    assert "Decomposition into prime factors" not in text
    SECTION.write_text(text.replace("term: ", "term: Decomposition into prime factors, ", 1))
    return _files(kept, DECK, RECORD)


@pytest.mark.parametrize(
    "command", [["deck"], ["deck", "--force"], ["deck", "--dry-run"]], ids=" ".join
)
def test_a_manifest_linked_to_a_file_in_the_notes_folder_is_refused(
    notes: Path, run: Runner, command: list[str]
) -> None:
    assert run("deck").exit_code == 0
    kept = Path("notes/demo/kept.manifest.json")
    before = _built_then_linked(kept)
    assert before[kept].startswith(b'{"written_by":"studykit"'), "the mark, as the audit had it"
    result = run(*command)
    assert result.exit_code == 1, result
    assert result.stderr.splitlines() == [LINKED], result
    assert result.stdout == "", "no deck reported"
    assert _files(kept, DECK, RECORD) == before, "the kept copy, deck and record as they were"
    assert MANIFEST.is_symlink() and MANIFEST.resolve() == kept.resolve(), "the link as it was"
    assert sorted(p.name for p in Path("cards").rglob("*")) == [
        ".studykit",
        "demo.apkg",
        "demo.manifest.json",
    ], "no temporary file"


def test_a_manifest_linked_outside_is_refused_before_the_first_build(
    notes: Path, run: Runner, tmp_path: Path
) -> None:
    # No deck yet: a shared repository could carry the link with the notes.
    outside = tmp_path / "elsewhere.json"
    outside.write_text('{"written_by":"studykit","format":4}', encoding="utf-8")
    MANIFEST.parent.mkdir(parents=True)
    MANIFEST.symlink_to(outside)
    result = run("deck")
    assert result.exit_code == 1, result
    assert result.stderr.splitlines() == [LINKED], result
    assert outside.read_text(encoding="utf-8") == '{"written_by":"studykit","format":4}'
    assert not DECK.exists() and not RECORD.exists(), "nothing written, not even the record"


def test_a_manifest_linked_to_nothing_is_refused(notes: Path, run: Runner) -> None:
    assert run("deck").exit_code == 0
    deck = DECK.read_bytes()
    MANIFEST.unlink()
    MANIFEST.symlink_to("gone.json")
    result = run("deck", "--force")
    assert result.exit_code == 1, result
    assert result.stderr.splitlines() == [LINKED], result
    assert not Path("cards/.studykit/gone.json").exists(), "nothing made where the link leads"
    assert DECK.read_bytes() == deck


def test_a_manifest_of_another_deck_named_by_o_is_refused(notes: Path, run: Runner) -> None:
    # `-o` keeps its manifest in a .studykit beside the deck it names; a link there is refused too.
    assert run("deck", "-o", "mine/demo-deck.apkg").exit_code == 0
    manifest = Path("mine/.studykit/demo-deck.manifest.json")
    other = Path("mine/.studykit/other.manifest.json")
    manifest.rename(other)
    manifest.symlink_to(other.name)
    before = other.read_bytes()
    result = run("deck", "-o", "mine/demo-deck.apkg", "--force")
    assert result.exit_code == 1, result
    assert result.stderr.splitlines() == [
        f"{manifest}: error: the build manifest is a link; studykit keeps it as a plain file in "
        "the .studykit folder beside the deck and neither reads nor writes it through a link: "
        "remove the link"
    ], result
    assert other.read_bytes() == before


def test_with_the_link_removed_the_deck_builds_and_writes_a_plain_manifest(
    notes: Path, run: Runner
) -> None:
    assert run("deck").exit_code == 0
    kept = Path("notes/demo/kept.manifest.json")
    before = _built_then_linked(kept)
    assert run("deck").exit_code == 1
    MANIFEST.unlink()  # what the message asks
    result = run("deck")
    assert result.exit_code == 0, result
    assert result.stdout.startswith("demo: wrote cards/demo.apkg\n"), result
    assert not MANIFEST.is_symlink()
    assert MANIFEST.read_bytes().startswith(b'{"written_by":"studykit"')
    assert b"Decomposition into prime factors" in MANIFEST.read_bytes()
    assert kept.read_bytes() == before[kept], "the kept copy still untouched"
