"""Formatted citations kept between commands (`citing/kept.py`): used again while the
bibliography, the citations, the style and the code are the same, formatted again as soon as
any of them changes, and never in the way when the cache folder is damaged or unwritable."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import Runner
from test_citations import _cite

from studykit.citing.kept import _stamp_modules

CITED = "Procurement rose [@yang2012, p. 430], as @lin1990 argues."


def _kept(cache: Path) -> list[Path]:
    return sorted((cache / "citations").glob("*.json"))


def _mark(kept: Path) -> None:
    """Change the kept texts, its digest left alone: a command that prints MARK read them."""
    held = json.loads(kept.read_text(encoding="utf-8"))
    held["citations"] = {source: f"MARK {text}" for source, text in held["citations"].items()}
    held["entries"] = {key: f"MARK {entry}" for key, entry in held["entries"].items()}
    kept.write_text(json.dumps(held), encoding="utf-8")


@pytest.fixture
def cache() -> Path:
    return Path(os.environ["STUDYKIT_CACHE"])


@pytest.fixture
def cited(notes: Path, run: Runner, cache: Path) -> Path:
    """The demo reading citing two works, shown once: its citations kept, marked."""
    _cite(notes, CITED)
    first = run("outline", "demo")
    assert first.exit_code == 0, first
    assert "- Procurement rose (Yang 2012, 430), as Lin (1990) argues.\n" in first.stdout
    [kept] = _kept(cache)
    _mark(kept)
    return notes


def test_a_second_command_uses_what_the_first_kept(cited: Path, run: Runner) -> None:
    result = run("outline", "demo")
    assert result.exit_code == 0, result
    assert "- Procurement rose MARK (Yang 2012, 430), as MARK Lin (1990) argues.\n" in (
        result.stdout
    ), result.stdout
    works = result.stdout.split("## Works cited\n\n")[1]
    assert works.startswith("- MARK Lin, Justin Yifu. 1990. “Collectivization"), works
    assert "\n- MARK Yang, Jisheng. 2012. *Tombstone:" in works, works


def _edited_outline(run: Runner, path: Path, old: str, new: str) -> str:
    """The outline once `old` is `new` in the file at `path`: formatted again, nothing kept."""
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    result = run("outline", "demo")
    assert result.exit_code == 0, result
    assert "MARK" not in result.stdout, result.stdout
    return result.stdout


def test_a_changed_bibliography_is_formatted_again(cited: Path, run: Runner, cache: Path) -> None:
    bib = cited / "demo" / "sources.bib"
    outline = _edited_outline(run, bib, "year = {1990}", "year = {1991}")
    assert "as Lin (1991) argues.\n" in outline, outline
    assert len(_kept(cache)) == 1, "one kept file per bibliography and style, replaced"


def test_a_changed_citation_is_formatted_again(cited: Path, run: Runner) -> None:
    outline = _edited_outline(run, cited / "demo" / "01-basics.yaml", "p. 430", "p. 431")
    assert "- Procurement rose (Yang 2012, 431), as Lin (1990) argues.\n" in outline


def test_another_style_is_formatted_and_kept_apart(cited: Path, run: Runner, cache: Path) -> None:
    result = run("outline", "demo", "--style", "apa")
    assert result.exit_code == 0, result
    assert "MARK" not in result.stdout, result.stdout
    assert "- Procurement rose (Yang, 2012, p. 430), as Lin (1990) argues.\n" in result.stdout
    assert len(_kept(cache)) == 2
    again = run("outline", "demo")
    assert "(Yang 2012, 430)" in again.stdout and "MARK" in again.stdout, "the first still kept"


def test_an_edited_module_is_seen(tmp_path: Path) -> None:
    """The code's stamp changes with any module's size or time of change."""
    (tmp_path / "inner").mkdir()
    module = tmp_path / "inner" / "a.py"
    module.write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"compiled")
    before: list[str] = []
    _stamp_modules(str(tmp_path), before)
    assert len(before) == 1 and before[0].startswith(f"{module}\0"), before
    os.utime(module, ns=(1, 1))
    after: list[str] = []
    _stamp_modules(str(tmp_path), after)
    assert after != before


@pytest.mark.parametrize(
    "damage",
    [b"", b"{not json", b"[]", b'{"digest": 1}', None],
    ids=["empty", "not-json", "a-list", "no-texts", "texts-not-text"],
)
def test_a_damaged_kept_file_is_formatted_again_and_replaced(
    cited: Path, run: Runner, cache: Path, damage: bytes | None
) -> None:
    [kept] = _kept(cache)
    if damage is None:
        held = json.loads(kept.read_text(encoding="utf-8"))
        held["entries"] = dict.fromkeys(held["entries"], 7)
        damage = json.dumps(held).encode()
    kept.write_bytes(damage)
    result = run("outline", "demo")
    assert result.exit_code == 0, result
    assert "MARK" not in result.stdout and "(Yang 2012, 430)" in result.stdout, result.stdout
    assert result.stderr == "", result.stderr
    entry = json.loads(kept.read_text(encoding="utf-8"))["entries"]["lin1990"]
    assert entry.startswith("Lin, Justin Yifu. 1990. “Collectivization"), entry


def test_an_unwritable_cache_costs_only_time(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _cite(notes, CITED)
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("STUDYKIT_CACHE", str(blocked))
    for _ in range(2):
        result = run("outline", "demo")
        assert result.exit_code == 0, result
        assert result.stderr == "", result.stderr
        assert "- Procurement rose (Yang 2012, 430), as Lin (1990) argues.\n" in result.stdout
    assert blocked.read_text(encoding="utf-8") == "not a folder"


def test_an_empty_setting_keeps_nothing(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _cite(notes, CITED)
    monkeypatch.setenv("STUDYKIT_CACHE", "")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    result = run("outline", "demo")
    assert result.exit_code == 0, result
    assert "(Yang 2012, 430)" in result.stdout
    assert not (tmp_path / "home").exists()


def test_the_default_folder_is_the_users_cache(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _cite(notes, CITED)
    monkeypatch.delenv("STUDYKIT_CACHE")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert run("outline", "demo").exit_code == 0
    assert len(_kept(tmp_path / "home" / ".cache" / "studykit")) == 1
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert run("outline", "demo").exit_code == 0
    assert len(_kept(tmp_path / "xdg" / "studykit")) == 1


def test_a_section_shown_uses_the_readings_kept_citations(cited: Path, run: Runner) -> None:
    """`show READING SECTION` formats the whole reading's citations, as every other command
    does: what they kept serves it, and what it keeps serves them."""
    more = cited / "demo" / "02-more.yaml"
    text = more.read_text(encoding="utf-8").replace(
        "summary: Second section.", "summary: See @dikotter2010."
    )
    more.write_text(text, encoding="utf-8")
    assert "MARK" not in run("outline", "demo").stdout, "another section's citation: formatted"
    _mark(*_kept(Path(os.environ["STUDYKIT_CACHE"])))
    result = run("show", "demo", "basics", "--no-pager")
    assert result.exit_code == 0, result
    text = " ".join(result.stdout.split())
    assert "Procurement rose MARK (Yang 2012, 430), as MARK Lin (1990) argues." in text, text
    assert "MARK Lin, Justin Yifu. 1990." in text and "MARK Yang, Jisheng. 2012." in text, text
    assert "Dikötter" not in text, "only the works the section cites"
    again = run("outline", "demo")
    assert "MARK (Yang 2012, 430)" in again.stdout, "the kept citations left as they were"
