"""BibTeX values as a student reads them: LaTeX accents, a work's language, page ranges."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Runner
from test_citations import _add, _cite

from studykit.notes.bibtex import read_bibtex
from studykit.notes.bibtex_csl import csl_item
from studykit.notes.bibtex_latex import latex_text

# Every accent command of LaTeX, on `o` (and `e` for the grave accent the tutor met).
ACCENTS = [
    ("`", "ò"),
    ("'", "ó"),
    ("^", "ô"),
    ('"', "ö"),
    ("~", "õ"),
    ("=", "ō"),
    (".", "ȯ"),
    ("u", "ŏ"),
    ("v", "ǒ"),
    ("H", "ő"),
    ("c", "o\u0327"),  # no precomposed o with cedilla: a letter and its mark
    ("d", "ọ"),
    ("b", "o\u0331"),
    ("r", "o\u030a"),
    ("k", "ǫ"),
]


@pytest.mark.parametrize(("command", "letter"), ACCENTS)
def test_every_accent_command_is_its_letter_in_both_forms(command: str, letter: str) -> None:
    space = " " if command.isalpha() else ""
    assert latex_text(f"x\\{command}{{o}}x") == f"x{letter}x"
    assert latex_text(f"x{{\\{command}{space}o}}x") == f"x{letter}x"


@pytest.mark.parametrize(
    "written", ["Biblioth{\\`e}que", "Biblioth\\`{e}que", "Biblioth\\`eque", "Biblioth{\\` e}que"]
)
def test_the_grave_accent_is_kept(written: str) -> None:
    assert latex_text(written) == "Bibliothèque"


@pytest.mark.parametrize(
    ("command", "letter"),
    [
        ("o", "ø"),
        ("O", "Ø"),
        ("l", "ł"),
        ("L", "Ł"),
        ("ss", "ß"),
        ("ae", "æ"),
        ("AE", "Æ"),
        ("aa", "å"),
        ("AA", "Å"),
        ("i", "ı"),
        ("j", "ȷ"),
    ],
)
def test_every_letter_command_is_its_letter(command: str, letter: str) -> None:
    assert latex_text(f"x{{\\{command}}}x") == f"x{letter}x"
    assert latex_text(f"x\\{command}{{}} y") == f"x{letter} y"


def test_tex_quotes_are_curly_beside_a_grave_accent() -> None:
    assert latex_text("``Ma\\`{\\i}tre'' and O'Brien") == "“Maìtre” and O'Brien"
    assert latex_text("Cr\\`eme ``br\\^ul\\'ee''") == "Crème “brûlée”"


def _entry(text: str) -> dict[str, object]:
    (entry,) = read_bibtex(Path("refs.bib"), text)
    return csl_item(entry)


@pytest.mark.parametrize(
    ("written", "code"),
    [("french", "fr"), ("ngerman", "de"), ("British", "en-GB"), ("fr-CA", "fr-CA")],
)
def test_langid_and_language_are_the_csl_language(written: str, code: str) -> None:
    assert _entry(f"@book{{a, title={{T}}, langid={{{written}}}}}")["language"] == code
    assert _entry(f"@book{{a, title={{T}}, language={{{written}}}}}")["language"] == code


FRENCH = """@book{furet1978,
  title = {Penser la {{R{\\'e}volution}} fran{\\c c}aise},
  author = {Furet, Fran{\\c c}ois},
  year = {1978},
  series = {Biblioth{\\`e}que des histoires},
  publisher = {Gallimard},
  address = {Paris},
  langid = {french}
}
@incollection{baker1989,
  title = {Sovereignty},
  booktitle = {A {{Critical Dictionary}} of the {{French Revolution}}},
  author = {Baker, Keith Michael},
  editor = {Furet, Fran{\\c c}ois and Ozouf, Mona},
  translator = {Goldhammer, Arthur},
  year = {1989},
  pages = {844--859},
  publisher = {Belknap Press},
  address = {Cambridge, MA}
}
"""


def _french(notes: Path, point: str) -> None:
    _cite(notes, point, "refs.bib")
    (notes / "demo" / "refs.bib").write_text(FRENCH, encoding="utf-8")
    _add(notes, "allow: [uncited-source]\n")


def test_a_french_title_keeps_its_case_and_its_series_its_accent(notes: Path, run: Runner) -> None:
    _french(notes, "Revisionism [@furet1978].")
    result = run("outline", "demo")
    assert result.exit_code == 0, result
    assert result.stdout.endswith(
        "- Furet, François. 1978. *Penser la Révolution française*. Bibliothèque des histoires. "
        "Gallimard.\n"
    ), result.stdout


def test_a_locator_written_with_two_hyphens_is_one_range_dash(notes: Path, run: Runner) -> None:
    _french(notes, "Revisionism [see @furet1978, pp. 45--48].")
    result = run("outline", "demo")
    assert result.exit_code == 0, result
    assert "- Revisionism (see Furet 1978, 45–48).\n" in result.stdout, result.stdout


def test_a_chapter_keeps_its_page_range_where_the_style_prints_one(
    notes: Path, run: Runner
) -> None:
    # Chicago 18th ed. leaves a chapter's pages out of the works cited (CMOS 14.8, as its
    # .csl file says); APA and MLA print them, from BibTeX as from CSL-JSON.
    _french(notes, "Sovereignty [@baker1989].")
    apa = run("outline", "demo", "--style", "apa")
    assert apa.exit_code == 0, apa
    assert "(pp. 844–859). Belknap Press.\n" in apa.stdout, apa.stdout
    mla = run("outline", "demo", "--style", "modern-language-association")
    assert mla.exit_code == 0, mla
    assert "Belknap Press, 1989, pp. 844–59.\n" in mla.stdout, mla.stdout
