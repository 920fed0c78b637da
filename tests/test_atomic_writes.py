"""Every file a build writes is replaced whole or not at all, and in an order that stays truthful.

A failure is injected at the last step of each write (the rename of the finished temporary file)
and between the writes of one build, and by killing the process there. Afterwards the old file is
there byte for byte (or the new one, whole), no temporary file is left behind, and the next build
reports what changed since the deck the student last received.
"""

from __future__ import annotations

import errno
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from anki_helpers import import_deck
from conftest import Runner

DECK = Path("cards/demo.apkg")
MANIFEST = Path("cards/.studykit/demo.manifest.json")
EDIT = ("c. 5,000 households.", "about 5,000 households on average.")

KILL = """
import os, signal, sys
real, target = os.replace, sys.argv[1]
def replace(src, dst, *args, **kwargs):
    if str(dst).endswith(target):
        os.kill(os.getpid(), signal.SIGKILL)
    return real(src, dst, *args, **kwargs)
os.replace = replace
sys.argv = ["studykit", "deck"]
from studykit.cli.app import main
main()
"""


def _record(notes: Path) -> Path:
    return notes / "demo" / "identities.lock"


def _snapshot(notes: Path) -> dict[str, bytes]:
    """Every file the build writes, as bytes."""
    files = {"deck": DECK, "manifest": MANIFEST, "record": _record(notes)}
    return {name: path.read_bytes() for name, path in files.items()}


def _edit(notes: Path) -> None:
    section = notes / "demo" / "01-basics.yaml"
    text = section.read_text(encoding="utf-8")
    assert EDIT[0] in text, "the demo notes hold the definition this test edits"
    section.write_text(text.replace(*EDIT), encoding="utf-8")


def _leftovers() -> list[str]:
    """Temporary files a write left beside its target."""
    folders = [Path("cards"), Path("cards/.studykit"), Path("notes/demo")]
    hidden = (p for f in folders for p in f.iterdir() if p.name.startswith("."))
    return sorted(p.name for p in hidden if p != Path("cards/.studykit"))


def _fail_replacing(monkeypatch: pytest.MonkeyPatch, suffix: str) -> list[str]:
    """Make the rename onto any path ending in `suffix` fail as on a full disk, until the
    returned list gets the item "stop"."""
    real: Callable[..., None] = os.replace
    failed: list[str] = []

    def replace(src: object, dst: object, *args: object, **kwargs: object) -> None:
        if str(dst).endswith(suffix) and "stop" not in failed:
            failed.append(str(dst))
            raise OSError(errno.ENOSPC, "No space left on device")
        real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    return failed


@pytest.fixture
def old(notes: Path, run: Runner) -> dict[str, bytes]:
    """A first build, then an edit of one definition: what each write would change."""
    result = run("deck")
    assert result.exit_code == 0, result
    before = _snapshot(notes)
    _edit(notes)
    return before


def test_deck_write_fails_and_nothing_claims_the_new_deck(
    notes: Path, run: Runner, old: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    failed = _fail_replacing(monkeypatch, "demo.apkg")
    result = run("deck")
    assert failed, "the deck is written through a rename"
    assert result.exit_code == 1, result
    assert result.stderr.startswith("cards/demo.apkg: error: cannot write the deck:"), result
    assert "Traceback" not in result.output, result
    after = _snapshot(notes)
    assert after["deck"] == old["deck"], "the old deck is kept whole"
    assert after["manifest"] == old["manifest"], "the manifest still describes the old deck"
    assert _leftovers() == [], "no temporary file is left"

    failed.append("stop")
    again = run("deck")
    assert again.exit_code == 0, again
    assert "1 updated" in again.stdout, f"the change is reported against the old deck: {again}"


def test_record_write_fails_before_any_deck_is_written(
    notes: Path, run: Runner, old: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Giving an item an id changes the record, which is written before the deck.
    section = notes / "demo" / "02-more.yaml"
    section.write_text(
        section.read_text(encoding="utf-8").replace(
            "  - q: One more?\n", "  - id: more\n    q: One more?\n"
        ),
        encoding="utf-8",
    )
    failed = _fail_replacing(monkeypatch, "identities.lock")
    result = run("deck")
    assert failed, "the record is written through a rename"
    assert result.exit_code == 1, result
    assert "cannot write the identity record" in result.stderr, result
    assert result.stderr.startswith("notes/demo/identities.lock: error: cannot write"), result
    assert _snapshot(notes) == old, "record, deck and manifest are all as before"
    assert _leftovers() == [], "no temporary file is left"

    failed.append("stop")
    again = run("deck")
    assert again.exit_code == 0, again
    assert "1 updated" in again.stdout, again
    old_line = next(
        line for line in old["record"].decode().splitlines() if "question/text:One more?" in line
    )
    guid = old_line.split("\t")[1]
    record = _record(notes).read_text(encoding="utf-8")
    assert f"more-things/question/id:more\t{guid}\n" in record, (
        f"the item given an id keeps its note once the record is written: {record}"
    )


def test_manifest_write_fails_after_the_deck_and_the_next_build_repeats_the_report(
    notes: Path, run: Runner, old: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    failed = _fail_replacing(monkeypatch, "demo.manifest.json")
    result = run("deck")
    assert failed, "the manifest is written through a rename"
    assert result.exit_code == 1, result
    assert "cannot write the build manifest" in result.stderr, result
    after = _snapshot(notes)
    assert after["manifest"] == old["manifest"], "the old manifest is kept whole"
    assert after["deck"] != old["deck"], "the deck was written before its manifest"
    assert _leftovers() == [], "no temporary file is left"

    # The manifest still names the old deck, so the edit is reported (and built) again rather
    # than the new deck being taken as up to date with a report the student never saw.
    failed.append("stop")
    again = run("deck")
    assert again.exit_code == 0, again
    assert "1 updated" in again.stdout, again


@pytest.mark.parametrize("target", ["demo.apkg", "demo.manifest.json"])
def test_killed_during_a_build_leaves_whole_files(
    notes: Path, run: Runner, old: dict[str, bytes], tmp_path: Path, target: str
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "STUDYKIT_NOTES"}
    done = subprocess.run(
        [sys.executable, "-c", KILL, target],
        capture_output=True,
        text=True,
        check=False,
        cwd=notes.parent,
        env=env,
    )
    assert done.returncode == -signal.SIGKILL, f"killed at the rename onto {target}: {done}"
    after = _snapshot(notes)
    assert after["manifest"] == old["manifest"], "the manifest is the old one, whole"
    if target == "demo.apkg":
        assert after["deck"] == old["deck"], "the deck is the old one, whole"
    col = import_deck(DECK.resolve(), tmp_path / "collection.anki2")
    try:
        assert col.note_count() == 7, "whichever deck is there imports whole"
    finally:
        col.close()

    again = run("deck")
    assert again.exit_code == 0, again
    assert "1 updated" in again.stdout, f"the next build reports against the old deck: {again}"


def _many_questions(notes: Path) -> None:
    """Sections whose manifest (about 250 kB) outgrows the record (80 kB) and the deck (30 kB),
    so a file size limit between two of them fails exactly one write."""
    words = "the same long words again and again " * 6
    lines = ["title: Many", "summary: Many questions.", "questions:"]
    for i in range(300):
        lines += [f"  - q: Question {i} on {words}?", f"    a: Answer {i}."]
    (notes / "demo" / "03-many.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _build_with_file_size_limit(notes: Path, limit: int) -> subprocess.CompletedProcess[str]:
    """`studykit deck` where no file may grow past `limit` bytes: a disk filling up mid-write,
    whatever way the file is written."""

    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write, do not kill
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {k: v for k, v in os.environ.items() if k != "STUDYKIT_NOTES"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "studykit", "deck"],
        capture_output=True,
        text=True,
        check=False,
        cwd=notes.parent,
        env=env,
        preexec_fn=limit_file_size,
    )


@pytest.mark.parametrize(
    ("limit", "fails", "deck_is_new"),
    [
        (150_000, "cannot write the build manifest", True),
        (20_000, "cannot write the deck", False),
    ],
)
def test_a_full_disk_mid_write_leaves_the_old_file_whole(
    notes: Path, run: Runner, tmp_path: Path, limit: int, fails: str, deck_is_new: bool
) -> None:
    _many_questions(notes)
    first = run("deck")
    assert first.exit_code == 0, first
    old = _snapshot(notes)
    _edit(notes)
    done = _build_with_file_size_limit(notes, limit)
    assert done.returncode == 1, done
    assert fails in done.stderr and "Traceback" not in done.stderr, done.stderr
    after = _snapshot(notes)
    assert after["manifest"] == old["manifest"], "the manifest is the old one, whole"
    assert after["record"] == old["record"], "the record is the old one, whole"
    assert (after["deck"] != old["deck"]) is deck_is_new, "the deck is written before its manifest"
    assert _leftovers() == [], "no temporary file is left"
    col = import_deck(DECK.resolve(), tmp_path / "collection.anki2")
    try:
        assert col.note_count() == 307, "whichever deck is there imports whole"
    finally:
        col.close()
    again = run("deck")
    assert again.exit_code == 0, again
    assert "1 updated" in again.stdout, f"the next build reports against the old deck: {again}"


def test_a_full_disk_while_writing_the_record_changes_nothing(notes: Path, run: Runner) -> None:
    _many_questions(notes)
    first = run("deck")
    assert first.exit_code == 0, first
    old = _snapshot(notes)
    section = notes / "demo" / "03-many.yaml"
    text = section.read_text(encoding="utf-8")
    section.write_text(text.replace("  - q: Question 7 ", "  - id: seven\n    q: Question 7 "))
    done = _build_with_file_size_limit(notes, 50_000)
    assert done.returncode == 1, done
    assert "cannot write the identity record" in done.stderr, done.stderr
    assert _snapshot(notes) == old, "record, deck and manifest are all as before"
    assert _leftovers() == [], "no temporary file is left"


@pytest.mark.parametrize(
    ("command", "name"),
    [
        (["outline", "-f", "html"], "handout.html"),
        (["outline", "-f", "md"], "handout.md"),
        (["summary", "-f", "html"], "summary.html"),
    ],
)
def test_a_handout_write_that_fails_keeps_the_old_handout(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch, command: list[str], name: str
) -> None:
    Path(name).write_text("the handout printed last week\n", encoding="utf-8")
    failed = _fail_replacing(monkeypatch, name)
    result = run(*command, "-o", name)
    assert failed, "the handout is written through a rename"
    assert result.exit_code == 1, result
    assert result.stderr.startswith(f"{name}: error: cannot write"), result
    assert result.stderr.count("\n") == 1, f"one line: {result.stderr!r}"
    assert Path(name).read_text(encoding="utf-8") == "the handout printed last week\n"
    assert sorted(p.name for p in Path().iterdir() if p.name.startswith(".")) == [], (
        "no temporary file is left"
    )
    failed.append("stop")
    again = run(*command, "-o", name)
    assert again.exit_code == 0, again
    assert "A Demo Reading" in Path(name).read_text(encoding="utf-8"), "the new handout, whole"
