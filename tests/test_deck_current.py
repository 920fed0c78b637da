"""An up-to-date deck: reported without being built, the same report as a build gives, and
anything a deck is built from, changed, makes the next `deck` build it again."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from anki_helpers import import_deck
from conftest import Runner
from image_files import pixel

DECK = Path("cards/demo.apkg")
MANIFEST = Path("cards/.studykit/demo.manifest.json")
UP_TO_DATE = (
    "demo: up to date (cards/demo.apkg, 7 notes, 12 cards); nothing changed since the last "
    "build (--force rebuilds)\n"
)


def _deck(run: Runner, *args: str) -> str:
    result = run("deck", *args)
    assert result.exit_code == 0, result
    return result.stdout


def _as_an_earlier_version_wrote_it() -> None:
    """The manifest without what the deck was built from: the build must derive and render
    every note to find the deck unchanged."""
    data = json.loads(MANIFEST.read_text(encoding="utf-8"))
    del data["inputs"], data["media"]
    MANIFEST.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")


def test_an_unchanged_deck_is_up_to_date_and_left_alone(notes: Path, run: Runner) -> None:
    assert "First build: 7 notes new." in _deck(run)
    deck, mtime = DECK.read_bytes(), DECK.stat().st_mtime_ns
    manifest = MANIFEST.read_bytes()
    record = (notes / "demo" / "identities.lock").read_bytes()
    quick = {args: _deck(run, *args) for args in [(), ("--json",), ("--dry-run",)]}
    assert quick[()] == quick[("--dry-run",)] == UP_TO_DATE
    assert (DECK.read_bytes(), DECK.stat().st_mtime_ns) == (deck, mtime)
    assert MANIFEST.read_bytes() == manifest
    assert (notes / "demo" / "identities.lock").read_bytes() == record
    # Word for word what a build that renders every note says of the same deck.
    for args, said in quick.items():
        _as_an_earlier_version_wrote_it()
        assert _deck(run, *args) == said, args
    [report] = json.loads(quick[("--json",)])["decks"]
    assert (report["status"], report["notes"], report["cards"]) == ("up-to-date", 7, 12)
    assert [(s["deck"], s["notes"], s["cards"]) for s in report["sections"]] == [
        ("Demo::Reading::01 Basics", 5, 8),
        ("Demo::Reading::02 More", 2, 4),
    ]
    assert (DECK.read_bytes(), DECK.stat().st_mtime_ns) == (deck, mtime)


def test_an_edit_the_deck_does_not_show_keeps_it_up_to_date(notes: Path, run: Runner) -> None:
    _deck(run)
    deck = DECK.read_bytes()
    section = notes / "demo" / "02-more.yaml"
    section.write_text(section.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    assert _deck(run) == UP_TO_DATE
    assert _deck(run) == UP_TO_DATE
    assert DECK.read_bytes() == deck


def test_a_broken_note_fails_though_the_deck_was_up_to_date(notes: Path, run: Runner) -> None:
    _deck(run)
    deck = DECK.read_bytes()
    (notes / "demo" / "02-more.yaml").write_text("title: More\npoints:\n  - broken {{cloze\n")
    result = run("deck")
    assert result.exit_code == 1, result
    assert "notes/demo/02-more.yaml:3:" in result.stderr and "no closing" in result.stderr
    assert result.stdout == ""
    assert DECK.read_bytes() == deck


def test_a_changed_image_is_built_into_the_deck(notes: Path, run: Runner, tmp_path: Path) -> None:
    figures = notes / "demo" / "figures"
    figures.mkdir()
    (figures / "map.png").write_bytes(pixel(255, 0, 0))
    (notes / "demo" / "03-images.yaml").write_text(
        "title: Images\nsummary: s\nquestions:\n  - q: Where? ![the map](figures/map.png)\n"
        "    a: Here.\n"
    )
    _deck(run)
    assert "up to date" in _deck(run)
    (figures / "map.png").write_bytes(pixel(0, 0, 255))  # the same size, another picture
    stdout = _deck(run)
    assert "Since the last build: 1 updated." in stdout, stdout
    assert "  with 1 image" in stdout, stdout
    col = import_deck(DECK.resolve(), tmp_path / "c.anki2")
    [cid] = col.find_cards('"deck:Demo::Reading::03 Images"')
    src = re.search(r'<img src="([^"]+)"', col.get_card(cid).question())
    assert src, col.get_card(cid).question()
    assert (Path(col.media.dir()) / src.group(1)).read_bytes() == pixel(0, 0, 255)
    col.close()


def test_a_changed_bibliography_is_built_into_the_deck(
    notes: Path, run: Runner, tmp_path: Path
) -> None:
    folder = notes / "demo"
    bib = folder / "sources.bib"
    bib.write_text("@book{yang2012,\n  author = {Yang, Jisheng},\n  title = {Tombstone},\n"
                   "  year = {2012}\n}\n", encoding="utf-8")  # fmt: skip
    reading = folder / "reading.yaml"
    reading.write_text(reading.read_text() + "bibliography: sources.bib\n")
    section = folder / "02-more.yaml"
    section.write_text(section.read_text() + "  - q: Who counted?\n    a: Yang [@yang2012].\n")
    _deck(run)
    assert "up to date" in _deck(run)
    bib.write_text(bib.read_text().replace("{Tombstone}", "{Tombstone, Revised}"))
    stdout = _deck(run)
    assert "Since the last build: 1 updated." in stdout, stdout
    col = import_deck(DECK.resolve(), tmp_path / "c.anki2")
    [nid] = col.find_notes('"Front:Who counted?"')
    assert "Tombstone, Revised" in col.get_note(nid)["Source"]
    col.close()


def test_a_renamed_reading_folder_is_built_into_the_deck(
    notes: Path, run: Runner, tmp_path: Path
) -> None:
    deck = Path("decks/mine.apkg")
    _deck(run, "-o", str(deck))
    assert "up to date" in _deck(run, "-o", str(deck))
    shutil.move(notes / "demo", notes / "leap")
    stdout = _deck(run, "-o", str(deck))
    assert "Since the last build: 7 updated." in stdout, stdout
    col = import_deck(deck.resolve(), tmp_path / "c.anki2")
    [nid] = col.find_notes('"Front:Why did output fall?"')
    assert "leap::basics" in col.get_note(nid).tags
    col.close()


def test_a_deleted_identity_record_is_written_again(notes: Path, run: Runner) -> None:
    _deck(run)
    record = notes / "demo" / "identities.lock"
    kept = record.read_bytes()
    record.unlink()
    assert _deck(run) == UP_TO_DATE + (
        "Updated notes/demo/identities.lock: commit it with your notes.\n"
    )
    assert record.read_bytes() == kept
    assert _deck(run) == UP_TO_DATE


def test_an_edited_identity_record_is_built_into_the_deck(
    notes: Path, run: Runner, tmp_path: Path
) -> None:
    _deck(run)
    record = notes / "demo" / "identities.lock"
    text = record.read_text(encoding="utf-8")
    [line] = [x for x in text.splitlines() if x.startswith("more-things/question/")]
    new = "sk" + "0" * 20
    record.write_text(text.replace(line, line.split("\t")[0] + "\t" + new), encoding="utf-8")
    stdout = _deck(run)
    assert "up to date" not in stdout and "Since the last build:" in stdout, stdout
    col = import_deck(DECK.resolve(), tmp_path / "c.anki2")
    [nid] = col.find_notes('"Front:One more?"')
    assert col.get_note(nid).guid == new
    col.close()
