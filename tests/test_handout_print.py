"""Handouts that survive a photocopier: every text colour at WCAG AA contrast on its background,
annotations at 9 pt or more, in the typst templates and the HTML stylesheets alike.

The colours are read from the shipped templates themselves, so a colour added or changed there
is checked without touching this test.
"""

from __future__ import annotations

import io
import re
import shutil
from importlib.resources import files
from pathlib import Path

import pytest
from conftest import Runner
from handout_helpers import chromium, print_to_pdf
from layout_helpers import LAYOUT_NOTES

TEMPLATES = files("studykit.handouts").joinpath("templates")
WHITE = "#ffffff"
AA = 4.5  # WCAG 2 level AA, body text


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a #rrggbb (or #rgb) colour."""
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(c * 2 for c in hex_digits)
    channels = [int(hex_digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(text: str, background: str) -> float:
    """WCAG 2 contrast ratio, 1 to 21."""
    light, dark = sorted((luminance(text), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_formula_gives_wcag_s_own_figures() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # just under AA
    assert contrast("#767676", "#fff") == pytest.approx(4.54, abs=0.01)  # the lightest AA grey


# -- typst -------------------------------------------------------------------------------------


def typst_colours() -> tuple[dict[str, str], dict[str, str]]:
    """Text colours and backgrounds of the templates: every `fill:` of a named colour; names
    ending in -fill are backgrounds (with the white page), the rest fill text."""
    source = "\n".join(
        TEMPLATES.joinpath(name).read_text(encoding="utf-8")
        for name in ("common.typ", "outline.typ", "fold.typ", "cards.typ")
    )
    defined = dict(re.findall(r'#let ([\w-]+) = rgb\("(#[0-9a-fA-F]{3,6})"\)', source))
    used = set(re.findall(r"fill: \(?([\w-]+)", source)) & defined.keys()
    texts = {name: defined[name] for name in used if not name.endswith("-fill")}
    backgrounds = {name: defined[name] for name in used if name.endswith("-fill")}
    return texts, backgrounds | {"page": WHITE}


def test_typst_text_colours_are_all_read() -> None:
    texts, backgrounds = typst_colours()
    assert sorted(texts) == ["accent", "ink", "muted"]
    assert sorted(backgrounds) == ["cue-fill", "page", "summary-fill"]


def test_every_typst_text_colour_reaches_aa_on_every_background() -> None:
    texts, backgrounds = typst_colours()
    ratios = {
        (text, ground): round(contrast(texts[text], backgrounds[ground]), 2)
        for text in texts
        for ground in backgrounds
    }
    assert min(ratios.values()) >= AA, ratios
    # The grey of annotations, on the cue column's cream: what the photocopy keeps.
    assert ratios[("muted", "cue-fill")] == 7.34


# -- CSS ---------------------------------------------------------------------------------------


def css_colours() -> tuple[set[str], set[str]]:
    """Every text colour (`color:`) and background (`background:`) the stylesheets set, with
    custom properties resolved, and the white page."""
    source = "\n".join(
        TEMPLATES.joinpath(name).read_text(encoding="utf-8")
        for name in ("handout.css", "digest.css", "fold.css", "cards.css")
    )
    variables = dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{3,6})", source))

    def values(prop: str) -> set[str]:
        found = re.findall(rf"(?<![\w-]){prop}:\s*(var\(--[\w-]+\)|#[0-9a-fA-F]{{3,6}})", source)
        return {variables[v[4:-1]] if v.startswith("var(") else v for v in found}

    return values("color"), values("background") | values("background-color") | {WHITE}


def test_css_text_colours_are_all_read() -> None:
    texts, backgrounds = css_colours()
    assert texts == {"#1f2328", "#484f58", "#8c2f1c"}
    assert backgrounds == {"#fff", "#ffffff", "#f4f1ea", "#fbfaf7", "#f2f2f2"}


def test_every_css_text_colour_reaches_aa_on_every_background() -> None:
    texts, backgrounds = css_colours()
    ratios = {(t, b): round(contrast(t, b), 2) for t in texts for b in backgrounds}
    assert min(ratios.values()) >= AA, ratios


# -- sizes as printed --------------------------------------------------------------------------


def font_sizes(pdf: bytes) -> dict[str, float]:
    """The size each run of text is set at on the first page, in points."""
    from pypdf import PdfReader

    sizes: dict[str, float] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            sizes[text.strip()] = round(abs(size * tm[3] * cm[3]), 2)

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return sizes


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "notes"
    shutil.copytree(LAYOUT_NOTES, target)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)
    return target


def test_pdf_annotations_are_set_at_9_5_points(demo: Path, run: Runner) -> None:
    assert run("outline", "-f", "pdf", "-o", "out.pdf").exit_code == 0
    sizes = font_sizes(Path("out.pdf").read_bytes())
    assert sizes["Mao launched it at the Eighth Party Congress."] == 9.5, sizes
    assert sizes["It also served as local government."] == 9.5, sizes


def test_printed_html_annotations_are_9_points_or_more(
    demo: Path, run: Runner, tmp_path: Path
) -> None:
    browser = chromium()
    if browser is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    assert run("outline", "-f", "html", "-o", "out.html").exit_code == 0
    printed = print_to_pdf(browser, Path("out.html"), tmp_path / "p.pdf", tmp_path / "profile")
    sizes = font_sizes(printed)
    annotation = next(size for text, size in sizes.items() if "Work points" in text)
    assert annotation == 9.0, sizes
