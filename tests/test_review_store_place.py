"""`studykit review` where its store's folder cannot be: a file named `.studykit` beside the
notes folder is named as a file, before anything is written (no identity record, no lock)."""

from __future__ import annotations

from pathlib import Path

from conftest import Runner


def test_a_file_where_the_store_folder_goes_is_refused_before_anything_is_written(
    notes: Path, run: Runner
) -> None:
    before = sorted(str(p.relative_to(notes)) for p in notes.rglob("*"))
    Path(".studykit").write_text("my own file\n", encoding="utf-8")
    for args in ((), ("demo",)):
        result = run("review", *args, input="q")
        assert result.exit_code == 1, result
        assert result.exception is None, result.exception
        assert result.stdout == ""
        assert result.stderr == (
            ".studykit: error: cannot create the review store: .studykit is a file, not a "
            "folder; studykit keeps its store in a folder .studykit/ beside the notes folder: "
            "move the file away, or name a store elsewhere with --state\n"
        )
        assert sorted(str(p.relative_to(notes)) for p in notes.rglob("*")) == before
        assert Path(".studykit").read_text(encoding="utf-8") == "my own file\n"
