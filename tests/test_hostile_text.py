"""Hostile text on every path from notes to a deck: Anki shows it as written, never as live HTML.

Anki renders card fields and deck descriptions as HTML with scripts enabled, so a note reading
`<img src=x onerror=alert(1)>` (a quote from a web-security reading, say) must reach the student
as those characters. Each field of the three note types, the source line, both deck descriptions,
an image's alt text and title, and the tags are filled with such text here; the deck is imported
with Anki's own library and what it shows is compared with what was written.
"""

from __future__ import annotations

import base64
from html.parser import HTMLParser
from pathlib import Path

import pytest
from anki_helpers import import_deck, visible_text
from conftest import Runner

from studykit.notes.markup import to_html

# Each payload on its own, then all together: a tag, an event handler, bare `<` and `&`, quotes.
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "a<b & c>d",
    'say "hi"',
    "it's",
    "x<y",
    "AT&T",
    "1 < 2 > 0",
]
ALL = " ".join(PAYLOADS)
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def _quoted(text: str) -> str:
    """A YAML single-quoted scalar: only `'` needs doubling."""
    return "'" + text.replace("'", "''") + "'"


class _Tags(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


def _assert_inert(html: str, where: str) -> None:
    """No script element and no event-handler attribute anywhere in the HTML."""
    for tag, attrs in _elements(html):
        assert tag != "script", f"{where}: a live <script> element in {html!r}"
        handlers = [name for name in attrs if name.startswith("on")]
        assert not handlers, f"{where}: live handler {handlers} on <{tag}> in {html!r}"


def _write_reading(notes: Path, payload: str) -> Path:
    """A reading whose every student-written text carries `payload` after a label."""
    folder = notes / "hostile"
    folder.mkdir()
    (folder / "fig.png").write_bytes(PNG)
    # The reading's own title is kept tame so its deck name stays simple to find.
    (folder / "reading.yaml").write_text(
        f"title: {_quoted('Title ' + payload)}\n"
        "deck: Hostile\n"
        "reverse_terms: true\n"
        f"summary: {_quoted('ReadingSummary ' + payload)}\n",
        encoding="utf-8",
    )
    caption = payload.replace('"', "")  # a Markdown image title cannot hold `"`
    image = f'![Alt {payload}](fig.png "Caption {caption}")'
    (folder / "01-one.yaml").write_text(
        f"title: {_quoted('Section ' + payload)}\n"
        f"summary: {_quoted('SectionSummary ' + payload)}\n"
        "points:\n"
        f"  - text: {_quoted('ClozeText ' + payload + ' {{ClozeAnswer ' + payload + '}}')}\n"
        f"    note: {_quoted('ClozeNote ' + payload)}\n"
        f"  - text: {_quoted('Hinted {{HintAnswer::Hint ' + payload + '}}')}\n"
        "terms:\n"
        f"  - term: {_quoted('Term ' + payload)}\n"
        f"    definition: {_quoted('Definition ' + payload)}\n"
        f"    note: {_quoted('TermNote ' + payload)}\n"
        "questions:\n"
        f"  - q: {_quoted('Question ' + payload + '?')}\n"
        f"    a: {_quoted('Answer ' + payload)}\n"
        f"    note: {_quoted('QuestionNote ' + payload)}\n"
        f"  - q: {_quoted('Pictured?')}\n"
        f"    a: {_quoted(image)}\n",
        encoding="utf-8",
    )
    return folder


def _build(notes: Path, run: Runner, tmp_path: Path, payload: str):  # type: ignore[no-untyped-def]
    _write_reading(notes, payload)
    result = run("deck", "hostile")
    assert result.exit_code == 0, result
    return import_deck(Path("cards/hostile.apkg"), tmp_path / "collection.anki2")


@pytest.mark.parametrize("payload", [*PAYLOADS, ALL], ids=[*PAYLOADS, "all"])
def test_card_sides_show_hostile_text_as_written(
    notes: Path, run: Runner, tmp_path: Path, payload: str
) -> None:
    col = _build(notes, run, tmp_path, payload)
    try:
        sides: list[tuple[str, str]] = []
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            question, answer = card.question(), card.answer()
            _assert_inert(question, f"front of card {card.ord} of {card.note()['Source']!r}")
            _assert_inert(answer, f"back of card {card.ord} of {card.note()['Source']!r}")
            sides.append((visible_text(question), visible_text(answer)))
        assert len(sides) == 6, f"a question, a term both ways, two clozes, a picture: {sides}"
        source = f"Title {payload} › Section {payload}"
        expected = [
            # (the front as the student reads it, what the back must show besides the source)
            (f"Question Question {payload}?", [f"Answer {payload}", f"QuestionNote {payload}"]),
            (f"Term Term {payload}", [f"Definition {payload}", f"TermNote {payload}"]),
            (f"Which term? Definition {payload}", [f"Term {payload}", f"TermNote {payload}"]),
            (
                f"Fill in ClozeText {payload} [...]",
                [f"ClozeText {payload} ClozeAnswer {payload}", f"ClozeNote {payload}"],
            ),
            (f"Fill in Hinted [Hint {payload}]", ["Hinted HintAnswer"]),
        ]
        fronts = [front for front, _ in sides]
        for front, backs in expected:
            assert front in fronts, f"the front {front!r} as written; fronts: {fronts}"
            back = sides[fronts.index(front)][1]
            for text in [*backs, source]:
                assert text in back, f"{front!r}: the back must show {text!r} as written: {back!r}"
    finally:
        col.close()


@pytest.mark.parametrize("payload", [*PAYLOADS, ALL], ids=[*PAYLOADS, "all"])
def test_image_alt_and_title_stay_attribute_text(
    notes: Path, run: Runner, tmp_path: Path, payload: str
) -> None:
    col = _build(notes, run, tmp_path, payload)
    try:
        [nid] = col.find_notes('"Front:Pictured?"')
        [card] = col.get_note(nid).cards()
        answer = card.answer()
        _assert_inert(answer, "the back of the pictured card")
        images = [attrs for tag, attrs in _elements(answer) if tag == "img"]
        assert len(images) == 1, f"one picture, a hostile alt makes no second one: {answer!r}"
        assert images[0]["alt"] == f"Alt {payload}", f"alt text as written: {images[0]}"
        assert str(images[0]["src"]).startswith("fig-"), f"the packaged image: {images[0]}"
        caption = payload.replace('"', "")
        assert f"Caption {caption}" not in visible_text(answer) or (to_html(caption) in answer), (
            f"an image title is never live HTML: {answer!r}"
        )
    finally:
        col.close()


@pytest.mark.parametrize("payload", [*PAYLOADS, ALL], ids=[*PAYLOADS, "all"])
def test_deck_descriptions_show_hostile_text_as_written(
    notes: Path, run: Runner, tmp_path: Path, payload: str
) -> None:
    col = _build(notes, run, tmp_path, payload)
    try:
        descriptions = {
            "Hostile": f"ReadingSummary {payload}",
            f"Hostile::01 Section {payload}": f"SectionSummary {payload}",
        }
        names = sorted(d.name for d in col.decks.all_names_and_ids())
        for name, text in descriptions.items():
            deck = col.decks.by_name(name)
            assert deck is not None, f"no deck {name!r} among {names}"
            _assert_inert(deck["desc"], f"description of {name!r}")
            assert visible_text(deck["desc"]) == text, (
                f"the description of {name!r} must read {text!r}, it holds {deck['desc']!r}"
            )
    finally:
        col.close()


def test_tags_reach_anki_as_written_and_never_on_a_card(
    notes: Path, run: Runner, tmp_path: Path
) -> None:
    folder = _write_reading(notes, "plain")
    hostile = ["<script>alert(1)</script>", "a<b&c>d", "it's"]
    section = folder / "01-one.yaml"
    section.write_text(
        section.read_text(encoding="utf-8") + f"tags: [{', '.join(map(_quoted, hostile))}]\n",
        encoding="utf-8",
    )
    result = run("deck", "hostile")
    assert result.exit_code == 0, result
    col = import_deck(Path("cards/hostile.apkg"), tmp_path / "collection.anki2")
    try:
        for nid in col.find_notes(""):
            note = col.get_note(nid)
            assert set(hostile) <= set(note.tags), f"tags as written: {note.tags}"
            for card in note.cards():
                for side in (card.question(), card.answer()):
                    _assert_inert(side, f"card of note {note['Source']!r}")
                    assert "alert(1)" not in side, f"tags are not shown on cards: {side!r}"
    finally:
        col.close()


def test_a_tag_with_a_space_is_refused_at_its_line(notes: Path, run: Runner) -> None:
    folder = _write_reading(notes, "plain")
    section = folder / "01-one.yaml"
    lines = section.read_text(encoding="utf-8").count("\n")
    section.write_text(
        section.read_text(encoding="utf-8") + "tags: ['<img src=x onerror=alert(1)>']\n",
        encoding="utf-8",
    )
    result = run("deck", "hostile")
    assert result.exit_code == 1, result
    assert f"notes/hostile/01-one.yaml:{lines + 1}:" in result.stderr, result
    assert "a tag is one word without spaces or quotes" in result.stderr, result
    assert not Path("cards/hostile.apkg").exists(), "no deck from notes with an error"
