"""The cards the notes make, as text: what review, handouts and the deck all start from.

Every card of the demo reading is listed whole (front, back, annotation, source, direction), so a
change to how cards are derived shows up as the card a student would now see.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from studykit.cards import derive_cards, derive_notes, reading_card_count, section_card_count
from studykit.notes.cloze import ANSWER_CLOSE, ANSWER_OPEN, parse_cloze
from studykit.notes.markup import cloze_html, to_html
from studykit.notes.validate import load_reading

BASICS, MORE = "A Demo Reading › Basics", "A Demo Reading › More"
LUSHAN = "demo/basics/cloze/text:The Lushan conference met in 1959."
COMMUNE = "demo/basics/term/text:People's commune"
SET = "demo/more-things/cloze/text:Set x and y and z."
PURGED = "Peng Dehuai was *purged* there."
# Where a cloze back shows its answer, marked for the terminal to highlight.
A, Z = ANSWER_OPEN, ANSWER_CLOSE
UNIT = "The large rural unit of 1958, c. 5,000 households."

# (identity, number, direction, front, back, annotation, source)
CARDS = [
    (
        LUSHAN,
        0,
        "c1",
        "The [...] conference met in 1959.",
        f"The {A}Lushan{Z} conference met in 1959.",
        PURGED,
        BASICS,
    ),
    (
        LUSHAN,
        1,
        "c2",
        "The Lushan conference met in [year].",
        f"The Lushan conference met in {A}1959{Z}.",
        PURGED,
        BASICS,
    ),
    (COMMUNE, 0, "term", "People's commune", UNIT, "Created in 1958.", BASICS),
    (COMMUNE, 1, "reverse", UNIT, "People's commune", "Created in 1958.", BASICS),
    ("demo/basics/term/text:no", 0, "term", "no", "1.10", None, BASICS),
    ("demo/basics/term/text:no", 1, "reverse", "1.10", "no", None, BASICS),
    (
        "demo/basics/question/text:Why did output fall?",
        0,
        "q",
        "Why did output fall?",
        "Incentives were removed.",
        "Households kept nothing extra.",
        BASICS,
    ),
    (
        "demo/basics/question/text:What is a<b & c>d?",
        0,
        "q",
        "What is a<b & c>d?",
        "<script>alert(1)</script>",
        None,
        BASICS,
    ),
    (SET, 0, "c1", "Set [a letter] and y and z.", f"Set {A}x{Z} and y and z.", None, MORE),
    (SET, 1, "c2", "Set x and [...] and z.", f"Set x and {A}y{Z} and z.", None, MORE),
    (SET, 2, "c3", "Set x and y and [...].", f"Set x and y and {A}z{Z}.", None, MORE),
    ("demo/more-things/question/text:One more?", 0, "q", "One more?", "Yes.", None, MORE),
]


def _demo(notes: Path, reverse: bool = True) -> Path:
    if not reverse:
        reading = notes / "demo" / "reading.yaml"
        text = reading.read_text(encoding="utf-8")
        reading.write_text(text.replace("reverse_terms: true\n", ""), encoding="utf-8")
    return notes / "demo"


def test_every_card_of_the_demo_whole(notes: Path) -> None:
    cards = derive_cards(load_reading(_demo(notes)))
    got = [
        (c.note.identity, c.number, c.direction, c.prompt, c.answer, c.annotation, c.source)
        for c in cards
    ]
    assert got == CARDS, "the cards a student sees, in reading order"
    deletions = [
        (c.deletion.number, c.deletion.answer, c.deletion.hint) for c in cards if c.deletion
    ]
    assert deletions == [
        (1, "Lushan", None),
        (2, "1959", "year"),
        (1, "x", "a letter"),
        (2, "y", None),
        (3, "z", None),
    ]


def test_without_reverse_terms_a_term_makes_one_card(notes: Path) -> None:
    reading = load_reading(_demo(notes, reverse=False))
    cards = derive_cards(reading)
    assert [c.direction for c in cards if c.note.kind == "term"] == ["term", "term"], cards
    assert [n.cards for n in derive_notes(reading)] == [
        (0, 1),
        (0,),
        (0,),
        (0,),
        (0,),
        (0, 1, 2),
        (0,),
    ]
    assert [section_card_count(s, False) for s in reading.sections] == [6, 4]
    assert [section_card_count(s, True) for s in reading.sections] == [8, 4]
    assert reading_card_count(reading) == 10 == len(cards), "counts agree with the cards made"


def test_progress_is_reported_after_each_section(notes: Path) -> None:
    calls: list[tuple[int, int]] = []
    derive_notes(load_reading(_demo(notes)), lambda done, total: calls.append((done, total)))
    assert calls == [(1, 2), (2, 2)], calls


def test_labels_and_identities_ignore_spacing(notes: Path) -> None:
    section = notes / "demo" / "02-more.yaml"
    text = section.read_text(encoding="utf-8").replace("q: One more?", 'q: "One   more?"')
    section.write_text(text, encoding="utf-8")
    [*_, last] = derive_notes(load_reading(notes / "demo"))
    assert (last.label, last.identity) == ("One more?", "demo/more-things/question/text:One more?")
    assert last.text_identity == last.identity and not last.has_id


# -- markup the card fields are made of -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "html"),
    [
        # Quotes stay as written (the field's HTML is what Anki's search and checksum see).
        ('say "hi"\nit\'s', 'say "hi"<br>\nit\'s'),
        ("$f'(x)$ and $$a'$$", "\\(f'(x)\\) and \\[a'\\]"),
        ('$a<"b"$', '\\(a&lt;"b"\\)'),
        # The characters marking math and deletions inside the renderer cannot be smuggled in.
        ("a\ue000b *c*", "a\ufffdb <em>c</em>"),
        ("**a**\nb", "<strong>a</strong><br>\nb"),
        ("![a](b.png)", '<img src="b.png" alt="a">'),
        ("![*a* b](x.png)", '<img src="x.png" alt="a b">'),
    ],
)
def test_field_html(text: str, html: str) -> None:
    assert to_html(text) == html


def test_images_inside_and_beside_a_deletion_get_their_packaged_names() -> None:
    cloze = parse_cloze("see {{![m](m.png)}} and ![n](m.png) *here*")
    assert cloze_html(cloze, {"m.png": "m-1.png"}) == (
        'see {{c1::<img src="m-1.png" alt="m">}} and <img src="m-1.png" alt="n"> <em>here</em>'
    )


def test_marker_characters_in_a_cloze_point_are_replaced() -> None:
    assert cloze_html(parse_cloze("{{x}} \ue001 y")) == "{{c1::x}} \ufffd y"
