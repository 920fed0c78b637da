"""Every text colour of the cards' CSS against what it stands on: WCAG AA's 4.5:1, day and night."""

from __future__ import annotations

import re

import pytest

from studykit.anki.notetypes import CSS


def _rules() -> dict[str, dict[str, str]]:
    """Each selector of the CSS with its declarations (a selector given twice: merged)."""
    found: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", CSS):
        declared = {
            name.strip(): value.strip()
            for name, value in (d.split(":", 1) for d in body.split(";") if ":" in d)
        }
        for selector in selectors.split(","):
            found.setdefault(" ".join(selector.split()), {}).update(declared)
    return found


def _colour(selector: str, key: str) -> str:
    value = _rules()[selector][key]
    match = re.search(r"#[0-9a-fA-F]{6}", value)
    assert match is not None, (selector, key, value)
    return match.group()


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


DAY, NIGHT = ".card", ".card.nightMode"
# (text selector, colour key, background selector, background key): every text on the card.
PAIRS = {
    "day text": ((DAY, "color"), (DAY, "background-color")),
    "day kind": ((".sk-kind", "color"), (DAY, "background-color")),
    "day sources": ((".sk-source", "color"), (DAY, "background-color")),
    "day note": ((".sk-note", "color"), (".sk-note", "background")),
    "day cloze": ((".cloze", "color"), (DAY, "background-color")),
    "day cloze in a note": ((".cloze", "color"), (".sk-note", "background")),
    "day link": (("a", "color"), (DAY, "background-color")),
    "day code": ((DAY, "color"), ("code", "background")),
    "night text": ((NIGHT, "color"), (NIGHT, "background-color")),
    "night kind": ((".nightMode .sk-kind", "color"), (NIGHT, "background-color")),
    "night sources": ((".nightMode .sk-source", "color"), (NIGHT, "background-color")),
    "night note": ((".nightMode .sk-note", "color"), (".nightMode .sk-note", "background")),
    "night cloze": ((".nightMode .cloze", "color"), (NIGHT, "background-color")),
    "night cloze in a note": (
        (".nightMode .cloze", "color"),
        (".nightMode .sk-note", "background"),
    ),
    "night link": ((".nightMode a", "color"), (NIGHT, "background-color")),
    "night code": ((NIGHT, "color"), (".nightMode code", "background")),
}


@pytest.mark.parametrize("pair", sorted(PAIRS))
def test_every_text_colour_has_aa_contrast(pair: str) -> None:
    (text, text_key), (ground, ground_key) = PAIRS[pair]
    ratio = contrast(_colour(text, text_key), _colour(ground, ground_key))
    assert ratio >= 4.5, f"{pair}: {ratio:.2f}:1"


def test_the_sources_line_is_the_grey_it_says() -> None:
    assert round(contrast(_colour(".sk-source", "color"), "#ffffff"), 1) == 5.4
    assert (
        round(contrast(_colour(".sk-source", "color"), _colour(DAY, "background-color")), 1) == 5.2
    )
    assert round(contrast("#9a9a9a", "#ffffff"), 1) == 2.8  # the grey it replaced: too light
