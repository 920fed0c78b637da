"""Writers touch only what they own: `-o` writes a regular file or refuses, in one line.

Each test first reproduces what an audit found (a rename over whatever the path held turned
`/dev/null` into a file, replaced a symlink, a FIFO, a read-only file, reset a 0600 file to 0644,
and wrote the build manifest over a student's file beside the deck), then checks what the student
sees: the exit code, the line on stderr, and the thing at the path as it was (its bytes, mode,
inode; still a link, a FIFO, a device).

No test writes to the real `/dev/null` or `/dev/stdout`: as root a regression would damage the
machine. A device node of its own (`mknod`, root only) and a link to `/proc/self/fd/1` stand in.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Runner

DECK = Path("cards/demo.apkg")
MANIFEST = Path("cards/.studykit/demo.manifest.json")
EDIT = ("c. 5,000 households.", "about 5,000 households on average.")
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
HANDOUTS = [["outline", "-f", "md"], ["summary", "-f", "text"]]


def _state(path: Path) -> tuple[int, int, int, bytes | str]:
    """What is at `path` itself, not following a link: kind and mode, inode, device number,
    and its bytes (a regular file) or where it leads (a link)."""
    status = path.lstat()
    if stat.S_ISLNK(status.st_mode):
        content: bytes | str = str(path.readlink())
    elif stat.S_ISREG(status.st_mode):
        content = path.read_bytes()
    else:
        content = b""
    return status.st_mode, status.st_ino, status.st_rdev, content


def _edit(notes: Path) -> None:
    section = notes / "demo" / "01-basics.yaml"
    section.write_text(section.read_text(encoding="utf-8").replace(*EDIT), encoding="utf-8")


def _one_line(stderr: str, expected: str) -> None:
    assert stderr == expected + "\n", f"one line, saying why: {stderr!r}"


def _deck_refused(stderr: str, expected: str) -> None:
    """A refused deck of one reading: its line alone (no summary line pointing "above")."""
    assert stderr.splitlines() == [expected], stderr


@pytest.fixture
def device() -> Iterator[Path]:
    """A character device like /dev/null (major 1, minor 3) in the test's folder: only root
    may make one."""
    if not ROOT:
        pytest.skip("making a device node needs root")
    path = Path("null")
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    yield path


# --- not a regular file: refused, left as it was ---------------------------------------------


@pytest.mark.parametrize("command", HANDOUTS)
def test_a_device_is_refused_and_stays_a_device(
    notes: Path, run: Runner, device: Path, command: list[str]
) -> None:
    # The audit: as root, `outline -o /dev/null` turned /dev/null into a regular file.
    before = _state(device)
    result = run(*command, "-o", str(device))
    assert result.exit_code == 1, result
    _one_line(
        result.stderr,
        "null: error: will not write the handout over a character device; give the path of a file",
    )
    assert _state(device) == before, "still the same character device"
    assert stat.S_ISCHR(device.lstat().st_mode)


@pytest.mark.parametrize("command", HANDOUTS)
def test_a_fifo_is_refused_and_stays_a_fifo(notes: Path, run: Runner, command: list[str]) -> None:
    os.mkfifo("pipe")
    before = _state(Path("pipe"))
    result = run(*command, "-o", "pipe")
    assert result.exit_code == 1, result
    _one_line(
        result.stderr,
        "pipe: error: will not write the handout over a FIFO (named pipe); give the path of a file",
    )
    assert _state(Path("pipe")) == before and stat.S_ISFIFO(Path("pipe").lstat().st_mode)


def test_a_socket_is_refused(notes: Path, run: Runner) -> None:
    with socket.socket(socket.AF_UNIX) as server:
        server.bind("sock")  # relative: a socket's path must be short
        before = _state(Path("sock"))
        result = run("outline", "-o", "sock")
    assert result.exit_code == 1, result
    _one_line(
        result.stderr,
        "sock: error: will not write the handout over a socket; give the path of a file",
    )
    assert _state(Path("sock")) == before and stat.S_ISSOCK(Path("sock").lstat().st_mode)


def test_a_folder_where_the_handout_goes_is_refused(notes: Path, run: Runner) -> None:
    # `-o out/` puts demo-outline.md inside out/; here that name is a folder of the student's.
    Path("out/demo-outline.md").mkdir(parents=True)
    (Path("out/demo-outline.md") / "kept.txt").write_text("mine\n", encoding="utf-8")
    result = run("outline", "-o", "out/")
    assert result.exit_code == 1, result
    _one_line(
        result.stderr,
        "out/demo-outline.md: error: will not write the handout over a folder; "
        "give the path of a file",
    )
    assert (Path("out/demo-outline.md") / "kept.txt").read_text(encoding="utf-8") == "mine\n"


def test_a_deck_path_that_is_a_fifo_or_a_folder_is_refused_and_nothing_is_written(
    notes: Path, run: Runner
) -> None:
    record = notes / "demo" / "identities.lock"
    os.mkfifo("mine.apkg")
    before = _state(Path("mine.apkg"))
    for command in (["deck", "-o", "mine.apkg"], ["deck", "--dry-run", "-o", "mine.apkg"]):
        result = run(*command)
        assert result.exit_code == 1, (command, result)
        _deck_refused(
            result.stderr,
            "mine.apkg: error: will not write the deck over a FIFO (named pipe); "
            "give the path of a file",
        )
    assert _state(Path("mine.apkg")) == before, "still the FIFO"
    Path("decks/demo.apkg").mkdir(parents=True)
    result = run("deck", "-o", "decks/")
    assert result.exit_code == 1, result
    _deck_refused(
        result.stderr,
        "decks/demo.apkg: error: will not write the deck over a folder; give the path of a file",
    )
    assert not record.exists(), "a refused build records nothing"
    assert not Path(".studykit").exists() and not Path("decks/.studykit").exists(), "no manifest"


def test_a_dash_still_prints(notes: Path, run: Runner) -> None:
    result = run("outline", "-o", "-")
    assert result.exit_code == 0, result
    assert result.stdout.startswith("# A Demo Reading\n"), result
    assert not Path("-").exists()


# --- symbolic links: written through to a regular file, never replaced ------------------------


def test_a_link_to_a_file_is_written_through_and_stays_a_link(notes: Path, run: Runner) -> None:
    Path("handouts").mkdir()
    target = Path("handouts/outline.md")
    target.write_text("last week's outline\n", encoding="utf-8")
    target.chmod(0o640)
    Path("latest.md").symlink_to(target)
    result = run("outline", "-o", "latest.md")
    assert result.exit_code == 0, result
    assert Path("latest.md").is_symlink(), "the link is still a link"
    assert Path("latest.md").readlink() == target, "leading where it did"
    assert target.read_text(encoding="utf-8").startswith("# A Demo Reading\n"), "written through"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640, "the target keeps its mode"
    assert sorted(p.name for p in Path("handouts").iterdir()) == ["outline.md"], "no temp left"


def test_a_link_to_a_fifo_is_refused_and_stays(notes: Path, run: Runner) -> None:
    os.mkfifo("pipe")
    Path("handout.md").symlink_to("pipe")
    link, fifo = _state(Path("handout.md")), _state(Path("pipe"))
    result = run("outline", "-o", "handout.md")
    assert result.exit_code == 1, result
    _one_line(
        result.stderr,
        "handout.md: error: will not write the handout through a symbolic link to "
        "a FIFO (named pipe); give the path of a file",
    )
    assert _state(Path("handout.md")) == link and _state(Path("pipe")) == fifo


def test_a_link_to_a_device_is_refused_and_both_stay(
    notes: Path, run: Runner, device: Path
) -> None:
    Path("handout.md").symlink_to(device.resolve())
    link, node = _state(Path("handout.md")), _state(device)
    result = run("summary", "-o", "handout.md")
    assert result.exit_code == 1, result
    _one_line(
        result.stderr,
        "handout.md: error: will not write the handout through a symbolic link to "
        "a character device; give the path of a file",
    )
    assert _state(Path("handout.md")) == link and _state(device) == node


@pytest.mark.skipif(not Path("/proc/self/fd/1").exists(), reason="needs /proc")
def test_a_link_to_standard_output_is_refused_not_replaced(notes: Path) -> None:
    # The audit: `-o /dev/stdout` replaced that symlink. This one is the test's own.
    Path("stdout").symlink_to("/proc/self/fd/1")
    env = {k: v for k, v in os.environ.items() if k != "STUDYKIT_NOTES"}
    done = subprocess.run(
        [sys.executable, "-m", "studykit", "outline", "-o", "stdout"],
        capture_output=True,  # standard output is a pipe
        text=True,
        check=False,
        env=env,
    )
    assert done.returncode == 1, done
    assert done.stdout == "", done
    assert done.stderr == (
        "stdout: error: will not write the handout through a symbolic link to "
        "a FIFO (named pipe); give the path of a file\n"
    ), done
    assert Path("stdout").is_symlink() and Path("stdout").readlink() == Path("/proc/self/fd/1")


def test_a_link_to_nowhere_or_in_a_loop_is_refused(notes: Path, run: Runner) -> None:
    Path("dangling.md").symlink_to("missing/outline.md")
    result = run("outline", "-o", "dangling.md")
    assert result.exit_code == 1, result
    _one_line(
        result.stderr,
        "dangling.md: error: will not write the handout through a symbolic link to a missing "
        "file; give the path of a file",
    )
    assert Path("dangling.md").is_symlink() and not Path("missing").exists()
    Path("a.md").symlink_to("b.md")
    Path("b.md").symlink_to("a.md")
    looped = run("outline", "-o", "a.md")
    assert looped.exit_code == 1, looped
    _one_line(
        looped.stderr, "a.md: error: cannot write the handout: Too many levels of symbolic links"
    )
    assert Path("a.md").readlink() == Path("b.md") and Path("b.md").readlink() == Path("a.md")


def test_a_deck_through_a_link_keeps_the_link(notes: Path, run: Runner) -> None:
    Path("shared").mkdir()
    assert run("deck", "-o", "shared/demo.apkg").exit_code == 0  # an older deck of this reading
    Path("mine.apkg").symlink_to("shared/demo.apkg")
    result = run("deck", "-o", "mine.apkg")
    assert result.exit_code == 0, result
    assert Path("mine.apkg").readlink() == Path("shared/demo.apkg"), "still the link"
    assert Path("shared/demo.apkg").read_bytes()[:2] == b"PK", "the deck, written through"
    assert Path(".studykit/mine.manifest.json").is_file(), "the manifest beside the -o path"


# --- existing files: mode and owner kept; read-only refused unless --force --------------------


@pytest.mark.parametrize("command", HANDOUTS)
def test_an_existing_file_keeps_its_mode(notes: Path, run: Runner, command: list[str]) -> None:
    # The audit: a 0600 file came back 0644.
    Path("private.txt").write_text("before\n", encoding="utf-8")
    Path("private.txt").chmod(0o600)
    result = run(*command, "-o", "private.txt")
    assert result.exit_code == 0, result
    assert Path("private.txt").read_text(encoding="utf-8") != "before\n", "written"
    assert stat.S_IMODE(Path("private.txt").stat().st_mode) == 0o600, "still private"


@pytest.mark.skipif(not ROOT, reason="giving a file to another user needs root")
def test_an_existing_file_keeps_its_owner_and_group(notes: Path, run: Runner) -> None:
    Path("theirs.md").write_text("before\n", encoding="utf-8")
    os.chown("theirs.md", 4321, 4322)
    Path("theirs.md").chmod(0o664)
    result = run("outline", "-o", "theirs.md")
    assert result.exit_code == 0, result
    status = Path("theirs.md").stat()
    assert (status.st_uid, status.st_gid) == (4321, 4322), "the student's file stays theirs"
    assert stat.S_IMODE(status.st_mode) == 0o664


def test_a_set_user_id_bit_is_not_carried_to_new_content(notes: Path, run: Runner) -> None:
    Path("odd.md").write_text("before\n", encoding="utf-8")
    Path("odd.md").chmod(0o4755)
    assert run("outline", "-o", "odd.md").exit_code == 0
    assert stat.S_IMODE(Path("odd.md").stat().st_mode) == 0o755


@pytest.mark.parametrize("command", HANDOUTS)
def test_a_read_only_file_is_refused_unless_forced(
    notes: Path, run: Runner, command: list[str]
) -> None:
    # The audit: a 0444 file was replaced.
    Path("kept.md").write_text("keep me\n", encoding="utf-8")
    Path("kept.md").chmod(0o444)
    before = _state(Path("kept.md"))
    result = run(*command, "-o", "kept.md")
    assert result.exit_code == 1, result
    _one_line(
        result.stderr,
        "kept.md: error: will not replace a read-only file with the handout; --force replaces it",
    )
    assert _state(Path("kept.md")) == before, "bytes, mode and inode as they were"
    forced = run(*command, "-o", "kept.md", "--force")
    assert forced.exit_code == 0, forced
    assert Path("kept.md").read_text(encoding="utf-8") != "keep me\n", "replaced"
    assert stat.S_IMODE(Path("kept.md").stat().st_mode) == 0o444, "and still read-only"


def test_a_read_only_deck_is_refused_unless_forced(notes: Path, run: Runner) -> None:
    assert run("deck").exit_code == 0
    _edit(notes)
    DECK.chmod(0o444)
    before = _state(DECK), _state(MANIFEST)
    result = run("deck")
    assert result.exit_code == 1, result
    _deck_refused(
        result.stderr,
        "cards/demo.apkg: error: will not replace a read-only file with the deck; "
        "--force replaces it",
    )
    assert (_state(DECK), _state(MANIFEST)) == before, "deck and manifest as they were"
    forced = run("deck", "--force")
    assert forced.exit_code == 0, forced
    assert "1 updated" in forced.stdout, forced
    assert stat.S_IMODE(DECK.stat().st_mode) == 0o444 and _state(DECK) != before[0]


def test_a_deck_keeps_its_mode_when_rebuilt(notes: Path, run: Runner) -> None:
    assert run("deck").exit_code == 0
    DECK.chmod(0o600)
    _edit(notes)
    assert run("deck").exit_code == 0
    assert stat.S_IMODE(DECK.stat().st_mode) == 0o600


def test_a_read_only_identity_record_is_refused_unless_forced(notes: Path, run: Runner) -> None:
    assert run("deck").exit_code == 0
    record = notes / "demo" / "identities.lock"
    record.chmod(0o444)
    section = notes / "demo" / "02-more.yaml"
    section.write_text(
        section.read_text(encoding="utf-8").replace(
            "  - q: One more?\n", "  - id: more\n    q: One more?\n"
        ),
        encoding="utf-8",
    )
    before = _state(record), _state(DECK)
    result = run("deck")
    assert result.exit_code == 1, result
    _deck_refused(
        result.stderr,
        "notes/demo/identities.lock: error: will not replace a read-only file with the identity "
        "record; --force replaces it",
    )
    assert (_state(record), _state(DECK)) == before, "record and deck as they were"
    forced = run("deck", "--force")
    assert forced.exit_code == 0, forced
    assert "question/id:more\t" in record.read_text(encoding="utf-8")
    assert stat.S_IMODE(record.stat().st_mode) == 0o444


@pytest.mark.parametrize("command", [["deck"], ["outline"], ["summary"]])
def test_force_is_documented(run: Runner, command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0, result
    assert "read-only" in result.stdout, f"--force says it replaces read-only files: {result}"


# --- the build manifest: in studykit's own folder, never over a file it did not write ---------


def test_the_manifest_leaves_a_file_beside_the_deck_alone(notes: Path, run: Runner) -> None:
    # The audit: `deck -o report.apkg` overwrote the student's report.manifest.json.
    mine = Path("report.manifest.json")
    mine.write_text('{"my": "own notes"}\n', encoding="utf-8")
    mine.chmod(0o600)
    before = _state(mine)
    for _ in range(2):
        result = run("deck", "-o", "report.apkg", "--force")
        assert result.exit_code == 0, result
        assert _state(mine) == before, "the student's file is untouched"
    manifest = json.loads(Path(".studykit/report.manifest.json").read_text(encoding="utf-8"))
    assert manifest["written_by"] == "studykit" and manifest["reading"] == "demo"


def test_a_file_studykit_did_not_write_is_never_taken_for_the_manifest(
    notes: Path, run: Runner
) -> None:
    assert run("deck").exit_code == 0
    _edit(notes)
    MANIFEST.write_text('{"format": 4, "mine": true}\n', encoding="utf-8")
    record = notes / "demo" / "identities.lock"
    before = _state(MANIFEST), _state(DECK), _state(record)
    for command in (["deck"], ["deck", "--force"], ["deck", "--dry-run"]):
        result = run(*command)
        assert result.exit_code == 1, (command, result)
        _deck_refused(
            result.stderr,
            "cards/.studykit/demo.manifest.json: error: will not replace this file with the "
            "build manifest: studykit did not write it; move it away",
        )
        assert (_state(MANIFEST), _state(DECK), _state(record)) == before, "nothing written"
    MANIFEST.unlink()
    again = run("deck")
    assert again.exit_code == 0, again
    assert json.loads(MANIFEST.read_text(encoding="utf-8"))["written_by"] == "studykit"


def test_a_link_in_the_manifest_place_to_a_students_file_is_refused(
    notes: Path, run: Runner
) -> None:
    Path("diary.json").write_text('{"dear": "diary"}\n', encoding="utf-8")
    MANIFEST.parent.mkdir(parents=True)
    MANIFEST.symlink_to(Path("diary.json").resolve())
    result = run("deck")
    assert result.exit_code == 1, result
    assert result.stderr == (
        "cards/.studykit/demo.manifest.json: error: the build manifest is a link; studykit keeps "
        "it as a plain file in the .studykit folder beside the deck and neither reads nor writes "
        "it through a link: remove the link\n"
    ), result
    assert Path("diary.json").read_text(encoding="utf-8") == '{"dear": "diary"}\n'
    assert MANIFEST.is_symlink()


def test_a_manifest_from_before_is_read_for_the_report_and_never_written(
    notes: Path, run: Runner
) -> None:
    assert run("deck").exit_code == 0
    # What an earlier version left: the manifest beside the deck, without the mark.
    data = json.loads(MANIFEST.read_text(encoding="utf-8"))
    del data["written_by"]
    earlier = Path("cards/demo.manifest.json")
    earlier.write_text(json.dumps(data), encoding="utf-8")
    MANIFEST.unlink()
    before = _state(earlier)
    _edit(notes)
    result = run("deck")
    assert result.exit_code == 0, result
    assert "Since the last build: 1 updated." in result.stdout, "reported against the old one"
    assert _state(earlier) == before, "the old place is read, never written"
    assert json.loads(MANIFEST.read_text(encoding="utf-8"))["written_by"] == "studykit"
    again = run("deck")
    assert "up to date" in again.stdout, again
