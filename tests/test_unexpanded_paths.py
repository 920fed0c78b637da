"""A path with a `~` or `$NAME` no shell expanded is refused, never made as a folder of that name.

`export STUDYKIT_STATE="~/review.db"` (quoted) made a folder `~` in every folder a student ran
review from, each with a store of its own; a later `rm -rf ~` to tidy it would take the home.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Runner


@pytest.mark.parametrize(
    ("args", "env", "said"),
    [
        (["review", "--limit", "1"], {"STUDYKIT_STATE": "~/review.db"}, "$STUDYKIT_STATE"),
        (["stats", "--state", "$HOME/review.db"], {}, "--state '$HOME/review.db' starts with"),
        (["outline", "-o", "~/handout.md"], {}, "'~/handout.md' starts with '~'"),
        (["summary", "-o", "~/one.md"], {}, "'~/one.md' starts with '~'"),
        (["deck", "-o", "~/r.apkg"], {}, "'~/r.apkg' starts with '~'"),
        (["check", "--notes", "~/notes"], {}, "'~/notes' starts with '~'"),
        (["check"], {"STUDYKIT_NOTES": "$HOME/notes"}, "starts with '$HOME'"),
    ],
)
def test_a_path_the_shell_did_not_expand_is_a_usage_error_and_makes_nothing(
    notes: Path,
    run: Runner,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    env: dict[str, str],
    said: str,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    before = sorted(Path().iterdir())
    result = run(*args, input="q\n")
    assert result.exit_code == 2, result
    shown = " ".join(result.output.replace("│", " ").split())  # Typer's box, unwrapped
    assert said in shown, result
    assert sorted(Path().iterdir()) == before, "no folder named ~ or $HOME"
    if "~" in " ".join([*args, *env.values()]):
        assert f"e.g. {Path.home()}" in shown, result


def test_a_link_to_nothing_where_a_folder_goes_is_named_as_written(
    notes: Path, run: Runner, tmp_path: Path
) -> None:
    Path("cards").symlink_to("gone/cards")
    result = run("deck")
    assert result.exit_code == 1, result
    assert (
        "cards: error: cannot write the deck: cards is a link to gone/cards, which does not "
        "exist; make that folder or remove the link"
    ) in result.output, result
    Path("out").symlink_to("nowhere")
    result = run("outline", "-o", "out/h.md")
    assert result.exit_code == 1, result
    assert "out is a link to nowhere, which does not exist" in result.output, result
    (tmp_path / "a.txt").write_text("Title\n\nSome text here.\n", "utf-8")
    Path("fresh").symlink_to("missing")
    result = run("ingest", str(tmp_path / "a.txt"), "--notes", "fresh")
    assert result.exit_code == 1, result
    assert "fresh: error: cannot write here: fresh is a link to missing" in result.output, result
    assert not Path("gone").exists() and not Path("nowhere").exists()


def test_a_notes_folder_named_like_the_stores_folder_gets_no_store_inside(
    tmp_path: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)
    reading = tmp_path / ".studykit" / "r"
    reading.mkdir(parents=True)
    (reading / "reading.yaml").write_text("title: T\n", "utf-8")
    (reading / "01-a.yaml").write_text('title: A\npoints:\n  - "In {{1959}} it met."\n', "utf-8")
    for command in (["review"], ["stats"]):
        result = run(*command, "--notes", ".studykit", input="q\n")
        assert result.exit_code == 2, result
        assert "is named .studykit, the name of the folder studykit keeps its review store" in (
            " ".join(result.output.split())
        ), result
    assert sorted(p.name for p in (tmp_path / ".studykit").iterdir()) == ["r"]
