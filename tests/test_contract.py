"""`check` is the contract: what it accepts builds, and what cannot be carried into a card it
refuses at the line and column where the student wrote it.

Deletions in code and in math are carried (Anki hides them there too, shown as written);
a deletion in a link's address or an image's path is refused. A build that fails writes
nothing: no deck, no manifest, no identity record.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from anki_helpers import import_deck, visible_text
from conftest import Runner

import studykit.anki.apkg

# A whole one-pixel PNG: images are read to their end.
ONE_PIXEL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082"
)

LINK = (
    "cloze: {{{{{answer}}}}} is inside a link's address or title, which a card cannot hide; "
    "put the `{{{{...}}}}` around the link's text instead, e.g. "
    "[{{{{the guide}}}}](https://example.com)"
)
IMAGE = (
    "cloze: {{{{{answer}}}}} is inside an image, which a card cannot hide; "
    "put the `{{{{...}}}}` in the text beside the image"
)


def _reading(notes: Path, section: str, reading_id: str = "r") -> Path:
    folder = notes / reading_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "reading.yaml").write_text(f"title: {reading_id.upper()}\n", encoding="utf-8")
    (folder / "01-a.yaml").write_text(section, encoding="utf-8")
    return folder


@pytest.fixture
def empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)
    return tmp_path / "notes"


def test_a_deletion_in_a_link_address_is_refused_where_it_was_written(
    empty: Path, run: Runner
) -> None:
    _reading(
        empty,
        "title: A\nsummary: s\npoints:\n"
        '  - "See [the guide](https://example.com/{{guide}}.html) for the {{details}}."\n'
        "  - 'Autolinked <https://example.org/{{page}}> and {{more}}.'\n"
        "  - 'A map ![the provinces]({{map}}.png) and {{China}}.'\n"
        "  - 'A ![{{red}} square](map.png) and [a page](https://e.org \"a {{titled}} link\").'\n",
    )
    (empty / "r" / "map.png").write_bytes(ONE_PIXEL_PNG)
    for command in (["check"], ["deck"], ["deck", "--dry-run"], ["outline"], ["summary"]):
        result = run(*command)
        assert result.exit_code == 1, (command, result)
        assert "Traceback" not in result.output, result
        lines = result.stderr.splitlines()
        assert lines[:5] == [
            "notes/r/01-a.yaml:4:42: error: " + LINK.format(answer="guide"),
            "notes/r/01-a.yaml:5:38: error: " + LINK.format(answer="page"),
            "notes/r/01-a.yaml:6:29: error: " + IMAGE.format(answer="map"),
            "notes/r/01-a.yaml:7:10: error: " + IMAGE.format(answer="red"),
            "notes/r/01-a.yaml:7:65: error: " + LINK.format(answer="titled"),
        ], (command, result)
    made = sorted(p.name for p in (empty / "r").iterdir())
    assert made == ["01-a.yaml", "map.png", "reading.yaml"], "no identity record"
    assert not Path("cards").exists(), "no deck, no manifest"


def test_deletions_in_code_and_math_are_hidden_as_written(
    empty: Path, run: Runner, tmp_path: Path
) -> None:
    _reading(
        empty,
        "title: A\nsummary: s\npoints:\n"
        "  - 'Call `print({{x*y*z}})` to show the product.'\n"
        "  - 'A photon carries $E = h{{\\nu}}$ of energy.'\n"
        "  - 'See [{{the guide}}](https://example.com/guide.html) first.'\n"
        "  - 'Type https://example.com/{{docs}}/ in a browser.'\n",
    )
    assert run("check").exit_code == 0
    built = run("deck")
    assert built.exit_code == 0, built
    col = import_deck(Path("cards/r.apkg"), tmp_path / "collection.anki2")
    try:
        seen = {}
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            seen[visible_text(card.question())] = visible_text(card.answer())
    finally:
        col.close()
    assert seen == {
        "Fill in Call print([...]) to show the product.": (
            "Fill in Call print(x*y*z) to show the product. R › A"
        ),
        "Fill in A photon carries \\(E = h[...]\\) of energy.": (
            "Fill in A photon carries \\(E = h\\nu\\) of energy. R › A"
        ),
        "Fill in See [...] first.": "Fill in See the guide first. R › A",
        "Fill in Type https://example.com/[...]/ in a browser.": (
            "Fill in Type https://example.com/docs/ in a browser. R › A"
        ),
    }


def test_math_that_lost_its_backslash_to_double_quotes_is_named(empty: Path, run: Runner) -> None:
    _reading(
        empty,
        "title: A\n"
        'summary: "The energy $E = h\\nu$ of a photon."\n'
        "points:\n"
        '  - "Kept: $\\\\frac{a}{b}$ is {{a ratio}}."\n'
        '  - text: "Lost: $\\times b$ is {{a product}}."\n'
        '  - "A line break\\nthat was meant is {{fine}}."\n',
    )
    result = run("check")
    assert result.exit_code == 0, result
    why = (
        "as an escape, not as math: write this text in single quotes or as a `|` block, "
        "where a backslash stays a backslash"
    )
    # `\\frac` (a form feed) and `\\beta` (a backspace) are errors: tests/test_terminal_safety.py
    assert result.stderr.splitlines() == [
        f"notes/r/01-a.yaml:2:28: warning: in double quotes YAML reads `\\nu` {why}",
        f"notes/r/01-a.yaml:5:19: warning: in double quotes YAML reads `\\times` {why}",
    ], result
    assert run("check", "--strict").exit_code == 1


def test_a_backslash_yaml_cannot_read_says_to_use_single_quotes(empty: Path, run: Runner) -> None:
    _reading(empty, 'title: A\nsummary: "The wavelength $\\lambda$"\npoints: ["{{x}}"]\n')
    result = run("check")
    assert result.exit_code == 1, result
    assert result.stderr.splitlines()[0] == (
        "notes/r/01-a.yaml:2:27: error: invalid YAML: while parsing a quoted scalar, found "
        "unknown escape character (in double quotes a backslash starts an escape: write math "
        "and other backslashes in single quotes or a `|` block)"
    ), result


def _refuse(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plant a failure after validation: the package's own last guard refuses the notes."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise ValueError("note sk0: cards (0, 1), deletions [2]")

    monkeypatch.setattr(studykit.anki.apkg, "make_package", refuse)


def test_a_dry_run_fails_exactly_where_the_build_would(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _refuse(monkeypatch)
    message = (
        "cards/demo.apkg: error: refused to write an inconsistent deck: "
        "note sk0: cards (0, 1), deletions [2]"
    )
    for command in (["deck", "--dry-run"], ["deck"]):
        result = run(*command)
        assert result.exit_code == 1, (command, result)
        assert result.stderr.splitlines()[0] == message, (command, result)
    assert not (notes / "demo" / "identities.lock").exists(), "a failed build records nothing"
    assert not Path("cards").exists(), "no deck, no manifest"


def test_a_failed_deck_write_puts_the_old_identity_record_back(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("deck").exit_code == 0
    record = notes / "demo" / "identities.lock"
    before = {p: p.read_bytes() for p in [record, *Path("cards").rglob("*")] if p.is_file()}
    # Giving a question an id changes the record, which is written before the deck.
    section = notes / "demo" / "02-more.yaml"
    section.write_text(
        section.read_text(encoding="utf-8").replace(
            "  - q: One more?\n", "  - id: more\n    q: One more?\n"
        ),
        encoding="utf-8",
    )

    def full_disk(self: object, path: Path, **_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(studykit.anki.apkg.Package, "write", full_disk)
    result = run("deck")
    assert result.exit_code == 1, result
    assert result.stderr.splitlines()[0] == (
        "cards/demo.apkg: error: cannot write the deck: No space left on device"
    ), result
    after = {p: p.read_bytes() for p in [record, *Path("cards").rglob("*")] if p.is_file()}
    assert after == before, "record, deck and manifest as they were"


def test_several_readings_make_o_a_folder_as_documented(empty: Path, run: Runner) -> None:
    for name in ("first", "second"):
        _reading(empty, "title: A\nsummary: s\npoints: ['{{x}} is a point']\n", name)
    result = run("deck", "-o", "exam-decks")
    assert result.exit_code == 0, result
    built = sorted(p.name for p in Path("exam-decks").iterdir() if p.suffix == ".apkg")
    assert built == ["first.apkg", "second.apkg"]
    refused = run("deck", "-o", "both.apkg")
    assert refused.exit_code == 2, refused
    assert "-o both.apkg: several readings make several decks; give a folder" in refused.stderr
    one = run("deck", "first", "-o", "one.apkg")
    assert one.exit_code == 0, one
    assert Path("one.apkg").is_file()


def test_a_typesetting_failure_keeps_the_old_handout(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import typst

    from studykit.handouts import pdf, typeset

    Path("handout.pdf").write_bytes(b"%PDF the handout printed last week")

    class Failing:
        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def compile_with_warnings(self, **kwargs: object) -> None:
            error = typst.TypstError("boom")
            error.message = "unexpected end of file"  # type: ignore[attr-defined]
            raise error

    monkeypatch.setattr(typst, "Compiler", Failing)
    # typst runs in a child process, which the patch cannot reach: compile in this one instead.
    monkeypatch.setattr(pdf, "typeset", typeset.compile_pdf)
    result = run("outline", "-f", "pdf", "-o", "handout.pdf")
    assert result.exit_code == 1, result
    assert result.stderr == "notes/demo: error: typesetting failed: unexpected end of file\n"
    assert Path("handout.pdf").read_bytes() == b"%PDF the handout printed last week"
    assert sorted(p.name for p in Path().iterdir()) == ["handout.pdf", "notes"], "nothing else"


def test_handouts_show_deletions_in_code_and_math_as_written(empty: Path, run: Runner) -> None:
    _reading(
        empty,
        "title: A\nsummary: s\npoints:\n"
        "  - 'Call `print({{x*y*z}})` to show the product.'\n"
        "  - 'A photon carries $E = h{{\\nu}}$ of energy.'\n",
    )
    shown = run("outline", "-f", "md")
    assert shown.exit_code == 0, shown
    assert "- Call `print(x*y*z)` to show the product.\n" in shown.stdout, shown.stdout
    assert "- A photon carries `$E = h\\nu$` of energy.\n" in shown.stdout, shown.stdout
    blanks = run("outline", "-f", "md", "--answers", "none")
    assert blanks.exit_code == 0, blanks
    assert "- Call `print([…])` to show the product.\n" in blanks.stdout, blanks.stdout
    assert "- A photon carries `$E = h[…]$` of energy.\n" in blanks.stdout, blanks.stdout


def test_show_and_review_read_deletions_in_code_and_math_whole(empty: Path, run: Runner) -> None:
    from studykit.notes.validate import load_reading
    from studykit.terminal.show import DELETION, point_text

    _reading(
        empty,
        "title: A\nsummary: s\npoints:\n"
        "  - 'Call `print({{x*y*z}})` to show the product.'\n"
        "  - 'A photon carries $E = h{{\\nu}}$ of energy.'\n",
    )
    shown = run("show", "r")
    assert shown.exit_code == 0, shown
    assert "  • Call print(x*y*z) to show the product.\n" in shown.stdout, shown.stdout
    assert "  • A photon carries E = hν of energy.\n" in shown.stdout, shown.stdout
    code, formula = load_reading(empty / "r").sections[0].points
    # An answer inside a formula lights the formula it is part of.
    for point, answer in ((code, "x*y*z"), (formula, "E = hν")):
        text = point_text(point)
        lit = {text.plain[s.start : s.end] for s in text.spans if str(s.style) == DELETION}
        assert lit == {answer}, f"the answer, and only it, is highlighted: {lit}"

    review = run("review", "r", "--state", "review.db", input="\n3\n\n3\nq\n")
    assert review.exit_code == 0, review
    lines = [line for line in review.stdout.splitlines() if line.startswith(("Q:", "A:"))]
    assert lines[:4] == [
        "Q: Call print([...]) to show the product.",
        "A: Call print(x*y*z) to show the product.",
        "Q: A photon carries E = h[...] of energy.",
        "A: A photon carries E = hν of energy.",
    ], review.stdout


def test_a_self_test_sheet_drops_the_address_of_a_link_around_a_blank(
    empty: Path, run: Runner
) -> None:
    _reading(
        empty,
        "title: A\nsummary: s\npoints:\n"
        "  - 'Einstein explained the [{{photoelectric effect}}]"
        "(https://en.wikipedia.org/wiki/Photoelectric_effect) in {{1905}}.'\n"
        "  - 'See [the docs](https://e.org/docs) on {{Planck}}.'\n",
    )
    sheet = run("outline", "-f", "md", "--answers", "none")
    assert sheet.exit_code == 0, sheet
    points = [line for line in sheet.stdout.splitlines() if line.startswith("- ")]
    assert points == [
        "- Einstein explained the \\[…\\] in \\[…\\].",
        "- See [the docs](<https://e.org/docs>) on \\[…\\].",
    ], sheet.stdout
    assert run("outline", "-f", "html", "--answers", "none", "-o", "sheet.html").exit_code == 0
    page = Path("sheet.html").read_text(encoding="utf-8")
    assert "Photoelectric_effect" not in page
    assert 'href="https://e.org/docs"' in page


def test_a_mistake_in_quoted_text_is_placed_as_the_file_has_it(empty: Path, run: Runner) -> None:
    # Escapes and doubled quotes are longer in the file than in the text they make.
    _reading(
        empty,
        "title: A\npoints:\n"
        '  - "esc \\\\ \\\\ \\\\ {{}} here"\n'
        "  - 'single '' '' {{}} here'\n"
        '  - "uni \\u00e9\\u00e9 {{}} here"\n'
        "  - text: |\n"
        "      first line\n"
        "        indented {{}} here\n",
    )
    result = run("check")
    assert result.exit_code == 1, result
    empty_deletion = "cloze: empty deletion: put the hidden text between `{{` and `}}`"
    assert result.stderr.splitlines()[:4] == [
        f"notes/r/01-a.yaml:3:19: error: {empty_deletion}, at '{{{{}}}} here'",
        f"notes/r/01-a.yaml:4:19: error: {empty_deletion}, at '{{{{}}}} here'",
        f"notes/r/01-a.yaml:5:23: error: {empty_deletion}, at '{{{{}}}} here'",
        f"notes/r/01-a.yaml:8:18: error: {empty_deletion}, at '{{{{}}}} here'",
    ], result


def test_the_undo_line_reads_math_as_the_card_does(empty: Path, run: Runner) -> None:
    _reading(
        empty,
        "title: A\nsummary: s\nquestions:\n"
        "  - q: 'The wavelength is $\\lambda = c / \\nu$, so blue light has a shorter one "
        "than red light, does it not?'\n"
        "    a: 'Yes'\n",
    )
    result = run("review", "r", "--state", "review.db", input="\n3\nu\nq\n")
    assert result.exit_code == 0, result
    undone = [line for line in result.stdout.splitlines() if line.startswith("undone:")]
    assert undone == ["undone: The wavelength is λ = c / ν, so blue light has a shorter on…"]


def test_every_escape_that_broke_a_formula_is_named_once(empty: Path, run: Runner) -> None:
    _reading(
        empty,
        'title: A\nsummary: "x $a\\beta\\times b$ and $\\frac{E}{h\\nu}$"\n'
        'points: ["{{a}} b c d"]\n',
    )
    result = run("check")
    assert result.exit_code == 1, result  # `\\beta` and `\\frac` made control characters
    assert result.stderr.splitlines() == [
        "notes/r/01-a.yaml:2:15: error: this text holds the control character U+0008 BACKSPACE "
        "(written `\\b`), which a terminal would act on (move the cursor, clear the screen, "
        "retitle the window) when studykit shows it: if `\\beta` is math, write this text in "
        "single quotes or as a `|` block, where a backslash stays a backslash "
        "(1 more in this text)",
        "notes/r/01-a.yaml:2:15: warning: in double quotes YAML reads `\\beta`, `\\times`, "
        "`\\frac`, `\\nu` as escapes, not as math: write this text in single quotes or as a `|` "
        "block, where a backslash stays a backslash",
        "check: 1 error, 1 warning in 1 reading",
    ], result


def test_show_refuses_a_reading_whose_every_section_is_broken(empty: Path, run: Runner) -> None:
    _reading(empty, "title: A\npoints: ['{{x']\n")
    result = run("show", "r")
    assert result.exit_code == 1, result
    assert result.stderr.splitlines() == [
        "notes/r/01-a.yaml:2:11: error: cloze: `{{` has no closing `}}`, at '{{x'"
    ], result
    assert result.stdout == ""


def test_a_text_summary_reads_formulas_as_show_does(empty: Path, run: Runner) -> None:
    _reading(empty, "title: A\nsummary: 'Photons carry $E = h\\nu$ and $\\frob{x}$.'\n")
    result = run("summary", "r")
    assert result.exit_code == 0, result
    assert "   Photons carry E = hν and $\\frob{x}$.\n" in result.stdout, result.stdout
