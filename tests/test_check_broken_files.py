"""`studykit check` on a reading with one broken section file: the sound files' warnings stay.

A student who breaks one file while editing must still see what the other files' cards need;
the warnings of the sound files are those they give with the broken file fixed, in that order.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Runner

from studykit.notes.drafts import fingerprint
from studykit.notes.validate import load_reading

LIST_ANSWER = (
    'answer lists 3 things ("Private plots", "kitchens", "control of their labour"): ask for '
    "one per card, or make a point with one {{deletion}} per item [list-answer]"
)
DRAFT = (
    "this section is still the draft `studykit ingest` wrote: rewrite its points, terms and "
    "questions in your own words, then delete this `draft:` line [draft-unedited]"
)
NO_CARDS = "section makes no cards: add terms, questions or {{cloze}} points [no-cards]"

SOUND = [
    f"notes/r/01-leap.yaml:6:1: warning: {LIST_ANSWER}",
    f"notes/r/02-draft.yaml:1:1: warning: {NO_CARDS}",
    f"notes/r/02-draft.yaml:5:1: warning: {DRAFT}",
    f"notes/r/04-after.yaml:4:1: warning: {LIST_ANSWER}",
]
"""What the sound files give, with or without the broken one beside them."""

FAMINE = """\
title: The Famine
summary: Millions died [@yang2012].
points:
  - The famine killed {{millions}}.
  - Grain was still exported.
"""


@pytest.fixture
def reading(here: Path) -> Path:
    """A reading whose files give a list-answer, a draft-unedited and a no-cards warning;
    03-famine.yaml is sound, and alone cites the bibliography's one work."""
    folder = here / "notes" / "r"
    folder.mkdir(parents=True)
    (folder / "reading.yaml").write_text(
        "title: Collectivization\nbibliography: sources.bib\n", encoding="utf-8"
    )
    (folder / "sources.bib").write_text(
        "@book{yang2012,\n  author = {Yang, Jisheng},\n  title = {Tombstone},\n"
        "  year = {2012},\n}\n",
        encoding="utf-8",
    )
    (folder / "01-leap.yaml").write_text(
        "title: The Leap\nsummary: Targets outran harvests.\npoints:\n"
        "  - Cadres over-reported {{grain}} yields.\nquestions:\n"
        "  - q: What did collectivization take from peasant households?\n"
        "    a: Private plots, kitchens and control of their labour.\n",
        encoding="utf-8",
    )
    drafted = folder / "02-draft.yaml"
    drafted.write_text(
        "title: Ideology\nsummary: Mao's faith in mass mobilisation.\npoints:\n"
        "  - Mass mobilisation was to replace machines.\n",
        encoding="utf-8",
    )
    (folder / "03-famine.yaml").write_text(FAMINE, encoding="utf-8")
    (folder / "04-after.yaml").write_text(
        "title: After\nsummary: The retreat.\nquestions:\n"
        "  - q: What did the communes give back in 1961?\n"
        "    a: Private plots, kitchens and control of their labour.\n",
        encoding="utf-8",
    )
    # As `studykit ingest` leaves it: the draft line holds the fingerprint of the notes.
    section = next(s for s in load_reading(folder).sections if s.path.name == drafted.name)
    with drafted.open("a", encoding="utf-8") as out:
        out.write(f'draft: "{fingerprint(section)}"\n')
    return folder


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line]


def test_the_sound_reading_gives_its_warnings(reading: Path, run: Runner) -> None:
    result = run("check", "r")
    assert result.exit_code == 0, result
    assert _lines(result.stderr) == SOUND, result
    assert result.stdout == "ok: 1 reading, 4 sections, 4 cards; 0 errors, 4 warnings\n"


@pytest.mark.parametrize(
    ("broken", "error"),
    [
        (
            FAMINE.replace("title:", "titel:"),
            "notes/r/03-famine.yaml:1:1: error: unknown key 'titel'; did you mean 'title'?",
        ),
        (
            FAMINE.replace("  - Grain", "   - Grain"),
            "notes/r/03-famine.yaml:5:4: error: this `- ` is indented deeper than the item "
            "above, so YAML reads it as more text of that item: line the dashes up to make it an "
            "item of its own",
        ),
        (
            FAMINE.replace("{{millions}}", "{{millions"),
            "notes/r/03-famine.yaml:4:23: error: cloze: `{{` has no closing `}}`, at '{{millions.'",
        ),
    ],
    ids=["misspelt key", "bad indent", "item error"],
)
def test_one_broken_file_hides_no_warning_of_the_others(
    reading: Path, run: Runner, broken: str, error: str
) -> None:
    (reading / "03-famine.yaml").write_text(broken, encoding="utf-8")
    result = run("check", "r")
    assert result.exit_code == 1, result
    # The error in its file's place among the warnings; no uncited-source for yang2012, which
    # only the file that did not load cites.
    assert _lines(result.stderr)[:-1] == [*SOUND[:3], error, SOUND[3]], result
    assert _lines(result.stderr)[-1] == "check: 1 error, 4 warnings in 1 reading", result
