"""CSL-JSON's rich text in a field (<i>, <b>, <sup>, <sub>, small caps, nocase spans), as the
CSL processors read it: italics nest by turning over, every emphasis a handout or card shows is
closed, and what is no tag pair stays text, escaped."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Runner

POINT = "  - A plain point that says no.\n"

WORKS = [
    {
        "id": "smith2001",
        "type": "article-journal",
        "title": 'Fire and the rise of <i><span class="nocase">Homo erectus</span></i> in '
        "H<sub>2</sub>O over 10<sup>6</sup> years: <b>bold</b> and <sc>small</sc> claims",
        "author": [{"family": "Smith", "given": "Jane"}],
        "container-title": "<i>Nature</i> Reviews",
        "issued": {"date-parts": [[2001]]},
    },
    {
        "id": "lee1999",
        "type": "book",
        "title": "A <i>stray tag and <b>1 < 2</b> and a closing</i> one </b> too",
        "author": [{"family": "Lee", "given": "Ann"}],
        "issued": {"date-parts": [[1999]]},
    },
]


def _cite(notes: Path, point: str) -> None:
    folder = notes / "demo"
    (folder / "refs.json").write_text(json.dumps(WORKS), "utf-8")
    reading = folder / "reading.yaml"
    reading.write_text(reading.read_text("utf-8") + "bibliography: refs.json\n", "utf-8")
    section = folder / "01-basics.yaml"
    text = section.read_text("utf-8")
    assert POINT in text
    section.write_text(text.replace(POINT, f"  - {point}\n"), "utf-8")


SMITH_MD = (
    "- Smith, Jane. 2001. “Fire and the Rise of *Homo erectus* in H₂O over 10⁶ Years: bold and "
    "Small Claims.” Nature *Reviews*."
)
LEE_MD = "- Lee, Ann. 1999. *A* stray Tag and 1 < 2 and a Closing *One \\</b> Too*."


def test_italics_in_an_italic_title_turn_upright_and_scripts_keep_their_digits(
    notes: Path, run: Runner
) -> None:
    _cite(notes, "Fire mattered [@smith2001], says [@lee1999].")
    result = run("outline", "demo")
    assert result.exit_code == 0, result
    works = result.stdout.split("## Works cited\n\n", 1)[1]
    # A title of a book is italic: its own <i> turns upright; a stray </b> stays text.
    assert works.replace("\n  ", " ") == f"{LEE_MD}\n{SMITH_MD}\n", works


def test_the_html_handout_has_balanced_emphasis_and_escaped_text(notes: Path, run: Runner) -> None:
    _cite(notes, "Fire mattered [@smith2001], says [@lee1999].")
    result = run("outline", "demo", "-f", "html", "-o", "o.html")
    assert result.exit_code == 0, result
    html = Path("o.html").read_text("utf-8")
    works = html.split("<h2>Works cited</h2>", 1)[1].split("</ul>", 1)[0]
    assert works == (
        "<ul><li>Lee, Ann. 1999. <em>A</em> stray Tag and 1 &lt; 2 and a Closing <em>One "
        "&lt;/b&gt; Too</em>.</li><li>Smith, Jane. 2001. “Fire and the Rise of <em>Homo "
        "erectus</em> in H₂O over 10⁶ Years: bold and Small Claims.” Nature <em>Reviews</em>."
        "</li>"
    ), works
    assert works.count("<em>") == works.count("</em>") == 4


def test_a_card_back_lists_the_work_with_its_italics(
    notes: Path, run: Runner, tmp_path: Path
) -> None:
    from anki.collection import Collection
    from anki.import_export_pb2 import ImportAnkiPackageRequest

    section = notes / "demo" / "01-basics.yaml"
    _cite(notes, "A plain point that says no.")
    text = section.read_text("utf-8")
    section.write_text(text.replace("{{", "[@smith2001] {{", 1), "utf-8")
    result = run("deck", "demo", "-o", "d.apkg")
    assert result.exit_code == 0, result
    collection = Collection(str(tmp_path / "c.anki2"))
    try:
        package = str(Path("d.apkg").resolve())
        collection.import_anki_package(ImportAnkiPackageRequest(package_path=package))
        backs = [
            field
            for note_id in collection.find_notes("")
            for field in collection.get_note(note_id).fields
            if "Sources:" in field
        ]
    finally:
        collection.close()
    assert backs, "a card citing the work lists it"
    assert backs[0].endswith(
        '<div class="sources">Sources:<br>Smith, Jane. 2001. “Fire and the Rise of <em>Homo '
        "erectus</em> in H₂O over 10⁶ Years: bold and Small Claims.” Nature <em>Reviews</em>."
        "</div>"
    ), backs[0]
