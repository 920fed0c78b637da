"""A BibTeX key holding a character keys cannot hold is named as such, at that character,
where it was once "this entry has no key"; an entry that does lack a key still says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Runner
from test_citations import _cite

REST = " author = {Yang, Jisheng}, title = {Tombstone}, year = {2012}}\n"
FIX = ", which BibTeX keys cannot: rename it, here and where the notes cite it"


@pytest.mark.parametrize(
    ("key", "shown"),
    [
        ("a#b", "the key 'a#b' holds '#'"),
        ("a%b", "the key 'a%b' holds '%'"),
        ("a~b", "the key 'a~b' holds '~'"),
        ('a"b', "the key 'a\"b' holds '\"'"),
        ("a'b", 'the key "a\'b" holds "\'"'),
        ("a=b", "the key 'a=b' holds '='"),
        ("a{b}", "the key 'a{b}' holds '{'"),
        ("a}b", "the key 'a}b' holds '}'"),
        ("yang 2012", "the key 'yang 2012' holds a space"),
    ],
)
def test_a_key_with_a_character_keys_cannot_hold_names_it(
    notes: Path, run: Runner, key: str, shown: str
) -> None:
    _cite(notes, "Procurement rose [@a].", "refs.bib")
    (notes / "demo" / "refs.bib").write_text(f"@book{{{key},{REST}", encoding="utf-8")
    column = 7 + next(at for at, char in enumerate(key) if char in "#%~\"'={} ")
    for command in ("check", "deck"):
        result = run(command, "demo")
        assert result.exit_code == 1, result
        assert result.stderr.splitlines()[0] == (
            f"notes/demo/refs.bib:1:{column}: error: {shown}{FIX}"
        ), result.stderr
    assert not Path("cards").exists(), "no deck is written"


def test_a_key_on_the_line_after_the_brace_is_named_at_its_line(notes: Path, run: Runner) -> None:
    _cite(notes, "Procurement rose [@a].", "refs.bib")
    text = "@book{ok, title = {T}}\n\n@article{\n   lin#1990 ,\n  title = {Collectivization}\n}\n"
    (notes / "demo" / "refs.bib").write_text(text, encoding="utf-8")
    result = run("check")
    assert result.exit_code == 1, result
    assert result.stderr.splitlines()[0] == (
        f"notes/demo/refs.bib:4:7: error: the key 'lin#1990' holds '#'{FIX}"
    ), result.stderr


@pytest.mark.parametrize(
    "written",
    ["@book{,", "@book{\n  title = {T},", "@book{year=2001,", "@book{month = jan,"],
    ids=["empty", "a field first", "a number field unspaced", "a macro field spaced"],
)
def test_an_entry_without_a_key_still_says_it_has_none(
    notes: Path, run: Runner, written: str
) -> None:
    _cite(notes, "Procurement rose [@a].", "refs.bib")
    (notes / "demo" / "refs.bib").write_text(f"{written}{REST}", encoding="utf-8")
    result = run("check")
    assert result.exit_code == 1, result
    assert result.stderr.splitlines()[0] == (
        "notes/demo/refs.bib:1:1: error: this @book entry has no key: write @book{key, ..."
    ), result.stderr
