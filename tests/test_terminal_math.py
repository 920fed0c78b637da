"""LaTeX math in `studykit show` and `studykit review` reads as Unicode: `$h\\nu$` shows hν.

A formula that cannot be converted (an unknown macro, LaTeX that does not parse, a `%` that
LaTeX would read as a comment) is shown exactly as written, delimiters included.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Runner

# (as written in a point, as `show` prints the point)
FORMULAS = [
    (r"$h\nu$", "hν"),
    (r"$\frac{a}{b}$", "a/b"),
    (r"\(\lambda\)", "λ"),
    (r"$x^2$", "x²"),
    (r"$$E = mc^2$$", "E = mc²"),
    (r"\[x_1 + x_2\]", "x₁ + x₂"),
    (r"$\frac{a+b}{c}$", "(a+b)/c"),
    (r"$\dfrac{h\nu}{c}$", "hν/c"),
    (r"$\sum_{i=1}^n i$", "∑ᵢ₌₁ⁿ i"),
    (r"$e^{-x}$", "e⁻ˣ"),
    (r"$x^{10} \times y$", "x¹⁰ × y"),
    (r"$x^{pq}$", "x^(pq)"),
    (r"$x^{\alpha+1}$", "x^(α+1)"),
    (r"$90^\circ$", "90°"),
    (r"$\sqrt{x+1}$", "√(x+1)"),
    (r"$\sqrt[3]{x}$", "³√x"),
    (r"$\mathrm{CO}_2$", "CO₂"),
    (r"$\lambda \approx 500\,\text{nm}$", "λ ≈ 500 nm"),
    (r"$10\% \times 3.5$", "10% × 3.5"),
    (r"$\left( a \right)$", "( a )"),
    # Kept as written: what latex2text would drop or misread.
    (r"$\frob{x}$", r"$\frob{x}$"),
    (r"$\frac{a}{$", r"$\frac{a}{$"),
    (r"$50 % x$", r"$50 % x$"),
    (r"$\binom{n}{k}$", r"$\binom{n}{k}$"),
    (r"$E \cite{planck}$", r"$E \cite{planck}$"),
    (r"$\input{/etc/hostname}$", r"$\input{/etc/hostname}$"),
    (r"$\begin{cases} a \end{cases}$", r"$\begin{cases} a \end{cases}$"),
    (r"$x^{$", r"$x^{$"),
]


def _reading(notes: Path, section: str) -> None:
    folder = notes / "phys"
    folder.mkdir(parents=True)
    (folder / "reading.yaml").write_text("title: Light\n", encoding="utf-8")
    (folder / "01-photons.yaml").write_text(section, encoding="utf-8")


@pytest.fixture
def notes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)
    monkeypatch.setenv("STUDYKIT_NOW", "2026-03-02T09:00:00+01:00")
    monkeypatch.setenv("COLUMNS", "100")
    return tmp_path / "notes"


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@pytest.mark.parametrize(("written", "shown"), FORMULAS)
def test_show_prints_math_as_unicode_or_as_written(
    notes: Path, run: Runner, written: str, shown: str
) -> None:
    _reading(notes, f"title: Photons\npoints:\n  - {_quoted(f'So {written} here.')}\n")
    result = run("show", "--no-pager")
    assert result.exit_code == 0, result
    assert f"  • So {shown} here." in result.stdout.splitlines(), result.stdout


SECTION = r"""title: Photons
summary: 'A photon carries $E = h\nu$; **the ratio $\frac{a}{b}$ matters**.'
points:
  - 'Wavelength \(\lambda\) and frequency: $$c = \lambda\nu$$'
  - 'Area grows as $x^2$, see \[x_1 + x_2\] and `$x^2$` in code.'
  - 'Unknown: $\frob{x}$ stays, and so does $\frac{a}{$.'
  - text: 'The energy is {{$h\nu$}}.'
    note: 'Planck: $E = h\nu$ with $h \approx 6.6 \times 10^{-34}$; $\frob{y}$ as written.'
questions:
  - q: 'What is $\lambda$ in \(E = hc/\lambda\)?'
    a: 'The wavelength, $\frac{c}{\nu}$, or $x^2$ if $\frob{z}$.'
"""


def test_show_section_with_math_reads_line_for_line(notes: Path, run: Runner) -> None:
    _reading(notes, SECTION)
    result = run("show", "--no-pager", "--answers")
    assert result.exit_code == 0, result
    body = result.stdout.splitlines()[result.stdout.splitlines().index("Summary") :]
    assert body == [
        "Summary",
        "  A photon carries E = hν; the ratio a/b matters.",
        "",
        "Points",
        "  • Wavelength λ and frequency: c = λν",
        "  • Area grows as x², see x₁ + x₂ and $x^2$ in code.",
        r"  • Unknown: $\frob{x}$ stays, and so does $\frac{a}{$.",
        "  • The energy is hν.",
        r"    ↳ Planck: E = hν with h ≈ 6.6 × 10⁻³⁴; $\frob{y}$ as written.",
        "",
        "Questions",
        "  Q1. What is λ in E = hc/λ?",
        r"      A: The wavelength, c/ν, or x² if $\frob{z}$.",
    ], result.stdout


def test_review_shows_math_on_both_sides_of_the_card(notes: Path, run: Runner) -> None:
    _reading(notes, SECTION)
    result = run("review", input="\n3\n\n3\nq\n")
    assert result.exit_code == 0, result
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert lines[:8] == [
        "2 new  0 learning  0 review   phys::photons · c1 · new",
        "",
        "Q: The energy is [...].",
        "",
        "A: The energy is hν.",
        r"  ↳ Planck: E = hν with h ≈ 6.6 × 10⁻³⁴; $\frob{y}$ as written.",
        "    Light › Photons",
        "",
    ], result.stdout
    assert "Q: What is λ in E = hc/λ?" in lines, result.stdout
    assert r"A: The wavelength, c/ν, or x² if $\frob{z}$." in lines, result.stdout
