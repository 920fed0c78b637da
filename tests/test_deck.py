"""`studykit deck`: decks imported with Anki's own library, checked as a student would see them."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from anki_helpers import import_deck, visible_text
from conftest import Run, Runner
from image_files import pixel

DECK = Path("cards/demo.apkg")


@pytest.fixture
def built(notes: Path, run: Runner) -> Path:
    result = run("deck")
    assert result.exit_code == 0, result
    assert DECK.is_file()
    return DECK.resolve()


def _card_texts(col) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    out = []
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        out.append((visible_text(card.question()), visible_text(card.answer())))
    return out


def test_import_counts_decks_and_tags(built: Path, tmp_path: Path) -> None:
    col = import_deck(built, tmp_path / "c.anki2")
    assert col.note_count() == 7
    assert len(col.find_cards("")) == 12
    names = {d.name for d in col.decks.all_names_and_ids()}
    assert {"Demo", "Demo::Reading", "Demo::Reading::01 Basics", "Demo::Reading::02 More"} <= names
    assert len(col.find_cards('"deck:Demo::Reading::01 Basics"')) == 8
    assert len(col.find_cards('"deck:Demo::Reading::02 More"')) == 4
    note = col.get_note(col.find_notes('"Front:Why did output fall?"')[0])
    assert set(note.tags) == {"studykit", "demo::basics", "demo", "basics"}
    col.close()


def test_question_card_shows_answer_annotation_and_source(built: Path, tmp_path: Path) -> None:
    col = import_deck(built, tmp_path / "c.anki2")
    [(question, answer)] = [qa for qa in _card_texts(col) if "Why did output fall?" in qa[0]]
    assert "Incentives were removed." not in question
    assert "Incentives were removed." in answer
    assert "Households kept nothing extra." in answer
    assert "A Demo Reading › Basics" in answer
    col.close()


def test_term_cards_both_ways(built: Path, tmp_path: Path) -> None:
    col = import_deck(built, tmp_path / "c.anki2")
    texts = _card_texts(col)
    forward = [a for q, a in texts if "People's commune" in q and "Term" in q]
    reverse = [a for q, a in texts if "c. 5,000 households" in q and "Which term?" in q]
    assert forward and "c. 5,000 households" in forward[0] and "Created in 1958." in forward[0]
    assert reverse and "People's commune" in reverse[0]
    # "no" and "1.10" stay the text written, not a boolean or a number
    [(_, no_back)] = [(q, a) for q, a in texts if q == "Term no"]
    assert no_back.startswith("Term no 1.10 "), f"the term and definition as written: {no_back}"
    col.close()


def test_cloze_card_per_deletion_with_hint(built: Path, tmp_path: Path) -> None:
    col = import_deck(built, tmp_path / "c.anki2")
    lushan = sorted(
        (col.get_card(cid) for cid in col.find_cards('"note:studykit Cloze" Lushan')),
        key=lambda c: c.ord,
    )
    assert [c.ord for c in lushan] == [0, 1]
    first, second = (visible_text(c.question()) for c in lushan)
    assert "The [...] conference met in 1959." in first
    assert "The Lushan conference met in [year]." in second
    assert "Peng Dehuai was purged there." in visible_text(lushan[0].answer())
    assert len(col.find_cards('"note:studykit Cloze" "Set*"')) == 3
    col.close()


def test_user_text_is_escaped_never_run(built: Path, tmp_path: Path) -> None:
    col = import_deck(built, tmp_path / "c.anki2")
    [card] = [col.get_card(c) for c in col.find_cards('"note:studykit Q&A" "Front:*a&lt;b*"')]
    assert "a&lt;b &amp; c&gt;d" in card.question()
    assert "<script>alert" not in card.answer()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in card.answer()
    col.close()


def test_new_cards_come_in_reading_order(built: Path, tmp_path: Path) -> None:
    col = import_deck(built, tmp_path / "c.anki2")
    cards = sorted((col.get_card(cid) for cid in col.find_cards("is:new")), key=lambda c: c.due)
    fronts = [visible_text(c.question()) for c in cards]
    # Every front, whole, in the order the notes list them: a note's cards together.
    assert fronts == [
        "Fill in The [...] conference met in 1959.",
        "Fill in The Lushan conference met in [year].",
        "Term People's commune",
        "Which term? The large rural unit of 1958, c. 5,000 households.",
        "Term no",
        "Which term? 1.10",
        "Question Why did output fall?",
        "Question What is a<b & c>d?",
        "Fill in Set [a letter] and y and z.",
        "Fill in Set x and [...] and z.",
        "Fill in Set x and y and [...].",
        "Question One more?",
    ], fronts
    col.close()


def test_editing_a_definition_updates_the_note_in_place(
    built: Path, notes: Path, run: Runner, tmp_path: Path
) -> None:
    collection = tmp_path / "c.anki2"
    import_deck(built, collection).close()
    section = notes / "demo" / "01-basics.yaml"
    section.write_text(
        section.read_text().replace("c. 5,000 households.", "about 5,000 households on average.")
    )
    result = run("deck")
    assert result.exit_code == 0, result
    assert "1 updated" in result.stdout
    col = import_deck(DECK.resolve(), collection)
    assert col.note_count() == 7, "re-import must update in place, not duplicate"
    [nid] = col.find_notes('"Term:People\'s commune"')
    assert "about 5,000 households on average." in col.get_note(nid)["Definition"]
    col.close()


def test_report_says_what_changed_since_the_last_build(
    notes: Path, run: Runner, tmp_path: Path
) -> None:
    first = run("deck")
    assert first.exit_code == 0, first
    assert "First build: 7 notes new." in first.stdout
    assert re.search(r"01 Basics\s+5\s+8", first.stdout), first.stdout
    again = run("deck")
    assert "up to date" in again.stdout, again
    col = import_deck(DECK.resolve(), tmp_path / "c.anki2")
    section = notes / "demo" / "01-basics.yaml"
    text = section.read_text()
    text = text.replace("q: Why did output fall?", "q: Why did farm output fall?")
    text = text.replace('  - term: no\n    definition: "1.10"\n', "")
    text = text.replace(
        "tags: [basics]", "  - q: A new question?\n    a: A new answer.\ntags: [basics]"
    )
    section.write_text(text)
    changed = run("deck", "--json")
    assert changed.exit_code == 0, changed
    [deck] = json.loads(changed.stdout)["decks"]
    changes = deck["changes"]
    assert [c["label"] for c in changes["added"]] == ["A new question?"]
    assert [(c["label"], c["previous"]) for c in changes["reworded"]] == [
        ("Why did farm output fall?", "Why did output fall?")
    ]
    assert [c["label"] for c in changes["removed"]] == ["no"]
    search = changes["removed"][0]["search"]
    assert search.startswith("tag:demo::basics ")
    [nid] = col.find_notes(search)  # the search the report prints finds the removed note
    assert col.get_note(nid)["Term"] == "no"
    col.close()
    assert changes["updated"] == []


def test_dry_run_writes_nothing(notes: Path, run: Runner) -> None:
    result = run("deck", "--dry-run")
    assert result.exit_code == 0, result
    assert "would write" in result.stdout
    assert not DECK.exists() and not Path("cards").exists()


def test_broken_note_stops_the_build_and_keeps_the_old_deck(notes: Path, run: Runner) -> None:
    assert run("deck").exit_code == 0
    before = DECK.read_bytes()
    (notes / "demo" / "02-more.yaml").write_text("title: More\npoints:\n  - broken {{cloze\n")
    result: Run = run("deck", "--force")
    assert result.exit_code == 1, result
    assert "notes/demo/02-more.yaml:3:" in result.stderr and "no closing" in result.stderr
    assert DECK.read_bytes() == before
    assert sorted(p.name for p in Path("cards").iterdir()) == [".studykit", "demo.apkg"]
    assert [p.name for p in Path("cards/.studykit").iterdir()] == ["demo.manifest.json"]


def test_no_deck_from_broken_notes(notes: Path, run: Runner) -> None:
    (notes / "demo" / "reading.yaml").write_text("deck: x\n")
    result = run("deck")
    assert result.exit_code == 1, result
    assert "reading.yaml:1:1: error: missing required key 'title'" in result.stderr
    assert not Path("cards").exists()


def test_images_travel_in_the_package(notes: Path, run: Runner, tmp_path: Path) -> None:
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082"
    )
    (notes / "demo" / "figures").mkdir()
    (notes / "demo" / "figures" / "map.png").write_bytes(png)
    (notes / "demo" / "03-images.yaml").write_text(
        "title: Images\nsummary: s\nquestions:\n  - q: Where? ![the map](figures/map.png)\n"
        "    a: Here, $x^2 < y$.\n"
    )
    result = run("deck")
    assert result.exit_code == 0, result
    col = import_deck(DECK.resolve(), tmp_path / "c.anki2")
    [cid] = col.find_cards('"deck:Demo::Reading::03 Images"')
    card = col.get_card(cid)
    src = re.search(r'<img src="([^"]+)"', card.question())
    assert src and src.group(1).startswith("map-") and src.group(1).endswith(".png")
    assert (Path(col.media.dir()) / src.group(1)).read_bytes() == png
    assert r"\(x^2 &lt; y\)" in card.answer()
    col.close()


def test_two_images_with_one_file_name_stay_two(notes: Path, run: Runner, tmp_path: Path) -> None:
    """Two sections' `map.png`, different pictures: each card must show its own."""
    maps = {"a": pixel(255, 0, 0), "b": pixel(0, 0, 255)}
    for number, (folder, image) in enumerate(maps.items(), 3):
        (notes / "demo" / folder).mkdir()
        (notes / "demo" / folder / "map.png").write_bytes(image)
        (notes / "demo" / f"0{number}-map-{folder}.yaml").write_text(
            f"title: Map {folder}\nsummary: s\nquestions:\n"
            f"  - q: Which region is shaded? ![m]({folder}/map.png)\n"
            f"    a: Region {folder}.\n"
        )
    result = run("deck")
    assert result.exit_code == 0, result
    col = import_deck(DECK.resolve(), tmp_path / "c.anki2")
    media = Path(col.media.dir())
    shown: dict[str, list[str]] = {}
    for number, folder in enumerate(maps, 3):
        [cid] = col.find_cards(f'"deck:Demo::Reading::0{number} Map {folder}"')
        shown[folder] = re.findall(r'<img src="([^"]+)"', col.get_card(cid).question())
    col.close()
    for folder, image in maps.items():
        assert len(shown[folder]) == 1, f"map {folder}'s card: {shown[folder]}"
        assert (media / shown[folder][0]).read_bytes() == image, (
            f"map {folder}'s card shows {shown[folder][0]}, another picture: {shown}"
        )
    in_collection = sorted(p.read_bytes() for p in media.iterdir())
    assert in_collection == sorted(maps.values()), "the collection holds both maps, each once"


def test_output_option(notes: Path, run: Runner, tmp_path: Path) -> None:
    to_file = run("deck", "-o", "out/mine.apkg")
    assert to_file.exit_code == 0, to_file
    assert Path("out/mine.apkg").is_file() and Path("out/.studykit/mine.manifest.json").is_file()
    to_folder = run("deck", "-o", "decks/")
    assert to_folder.exit_code == 0, to_folder
    assert Path("decks/demo.apkg").is_file()
    wrong = run("deck", "-o", "deck.zip")
    assert wrong.exit_code == 2 and "ends in .apkg" in wrong.stderr
    empty = run("deck", "-o", "")
    assert empty.exit_code == 2 and "-o needs" in empty.stderr
    other = notes / "other"
    other.mkdir()
    (other / "reading.yaml").write_text("title: Other\n")
    (other / "01-a.yaml").write_text("title: A\nsummary: s\nquestions: [{q: Q?, a: A.}]\n")
    several = run("deck", "-o", "both.apkg")
    assert several.exit_code == 2 and "give a folder" in several.stderr
    assert not Path("both.apkg").exists()
    umask = os.umask(0)
    os.umask(umask)
    for made in (Path("decks/demo.apkg"), Path("decks/.studykit/demo.manifest.json")):
        assert made.stat().st_mode & 0o777 == 0o666 & ~umask, "the mode of any new file"


def test_a_reading_without_cards_makes_no_empty_deck(notes: Path, run: Runner) -> None:
    for section in (notes / "demo").glob("0*.yaml"):
        section.unlink()
    (notes / "demo" / "01-plain.yaml").write_text("title: Plain\nsummary: s\npoints: [just text]\n")
    # check passes (with a warning), so deck succeeds too, and says why it wrote nothing.
    assert run("check").exit_code == 0
    for command in (["deck"], ["deck", "--dry-run"]):
        result = run(*command)
        assert result.exit_code == 0, result
        assert result.stdout.splitlines() == [
            "demo: no deck: its notes make no cards yet (add terms, questions or {{cloze}} points)"
        ], result
    assert not Path("cards").exists()
    assert not (notes / "demo" / "identities.lock").exists()


def test_giving_an_item_an_id_keeps_its_note_and_history(
    notes: Path, run: Runner, tmp_path: Path
) -> None:
    assert run("deck").exit_code == 0
    collection = tmp_path / "c.anki2"
    import_deck(DECK.resolve(), collection).close()
    section = notes / "demo" / "01-basics.yaml"
    text = section.read_text()
    section.write_text(
        text.replace(
            "  - q: Why did output fall?\n", "  - q: Why did output fall?\n    id: output-fall\n"
        )
    )
    with_id = run("deck")
    assert with_id.exit_code == 0, with_id
    assert "added" not in with_id.stdout and "removed" not in with_id.stdout, with_id
    section.write_text(
        section.read_text().replace("q: Why did output fall?", "q: Why did farm output collapse?")
    )
    reworded = run("deck", "--json")
    [deck] = json.loads(reworded.stdout)["decks"]
    assert [c["label"] for c in deck["changes"]["updated"]] == ["Why did farm output collapse?"]
    assert deck["changes"]["added"] == [] and deck["changes"]["reworded"] == []
    col = import_deck(DECK.resolve(), collection)
    assert col.note_count() == 7, "the reworded question is the same note"
    assert col.find_notes('"Front:Why did farm output collapse?"')
    col.close()


def test_cards_a_note_no_longer_makes_are_reported(
    notes: Path, run: Runner, tmp_path: Path
) -> None:
    assert run("deck").exit_code == 0
    collection = tmp_path / "c.anki2"
    import_deck(DECK.resolve(), collection).close()
    reading = notes / "demo" / "reading.yaml"
    reading.write_text(reading.read_text().replace("reverse_terms: true", "reverse_terms: false"))
    result = run("deck")
    assert result.exit_code == 0, result
    assert "2 cards of kept notes no longer exist" in result.stdout
    assert "Tools > Empty Cards" in result.stdout
    col = import_deck(DECK.resolve(), collection)
    report = col.get_empty_cards()
    assert sum(len(n.card_ids) for n in report.notes) == 2, "what Empty Cards will remove"
    col.close()


def test_healthy_readings_build_beside_a_broken_one(notes: Path, run: Runner) -> None:
    shutil.copytree(notes / "demo", notes / "other")
    (notes / "other" / "02-more.yaml").write_text("title: More\npoints:\n  - broken {{x\n")
    result = run("deck", "--json")
    assert result.exit_code == 1, result
    report = json.loads(result.stdout)
    assert [d["reading"] for d in report["decks"]] == ["demo"]
    assert report["not_built"] == ["other"]
    assert DECK.is_file() and not Path("cards/other.apkg").exists()
    assert "notes/other/02-more.yaml:3:" in result.stderr
    assert result.stderr.splitlines()[-1] == (
        "deck: not built: other (fix the errors above); built: demo"
    )
    again = run("deck")
    assert again.stderr.splitlines()[-1] == (
        "deck: not built: other (fix the errors above); up to date: demo"
    )
    shutil.copytree(notes / "demo", notes / "third", ignore=shutil.ignore_patterns("*.lock"))
    dry = run("deck", "--dry-run")
    assert dry.stderr.splitlines()[-1] == (
        "deck: not built: other (fix the errors above); up to date: demo; would be built: third"
    )


MANIFEST = Path("cards/.studykit/demo.manifest.json")
_HEAD = '{"written_by":"studykit","format":4,"reading":"demo","built":1,"digest":"x",'


@pytest.mark.parametrize(
    ("content", "why"),
    [
        # The audit: 100,000 nested lists made `deck` stop with a RecursionError traceback.
        (_HEAD + '"notes":' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deep"),
        ('{"written_by":"studykit", half of it', "not JSON"),
        (_HEAD + '"notes":[1,2]}', "not in the form studykit writes"),
        (_HEAD + '"notes":{"g":["too","short"]}}', "not in the form studykit writes"),
    ],
)
def test_an_unreadable_manifest_costs_only_the_change_report(
    built: Path, run: Runner, content: str, why: str
) -> None:
    """The deck is built whole; one warning names the manifest, and a good one replaces it."""
    MANIFEST.write_text(content, encoding="utf-8")
    result = run("deck", "--force")
    assert result.exit_code == 0, result
    assert result.stderr.splitlines() == [
        f"warning: {MANIFEST}: the build manifest cannot be read ({why}), so this build "
        "reports no changes since the last one"
    ], result
    assert "First build here: 7 notes, 7 of them named in the identity record." in result.stdout
    again = run("deck")
    assert again.exit_code == 0 and again.stderr == "", again
    assert "up to date (cards/demo.apkg, 7 notes, 12 cards)" in again.stdout, again


def test_subdecks_of_a_long_reading_list_in_reading_order_in_anki(
    empty_reading: Path, run: Runner, tmp_path: Path
) -> None:
    # Anki sorts deck names as text: `100 …` would come between `10 …` and `11 …` unpadded.
    for number in range(1, 102):
        (empty_reading / f"{number:03d}-s{number}.yaml").write_text(
            f'title: Part {number}\nsummary: S.\npoints:\n  - "Step {{{{{number}}}}}."\n', "utf-8"
        )
    assert run("deck").exit_code == 0
    col = import_deck(Path("cards/r.apkg"), tmp_path / "c.anki2")
    [reading] = col.sched.deck_due_tree().children
    shown = [child.name for child in reading.children]
    assert shown[:2] == ["001 Part 1", "002 Part 2"]
    assert shown[9:12] == ["010 Part 10", "011 Part 11", "012 Part 12"]
    assert shown[-2:] == ["100 Part 100", "101 Part 101"]
    assert len(shown) == 101
    assert len(col.find_cards('"deck:T::100 Part 100"')) == 1
    col.close()


def test_a_long_readings_rebuild_lists_only_the_sections_that_changed(
    empty_reading: Path, run: Runner
) -> None:
    for number in range(1, 31):
        (empty_reading / f"{number:02d}-s{number}.yaml").write_text(
            f'title: Part {number}\nsummary: S.\npoints:\n  - "Step {{{{{number}}}}}."\n', "utf-8"
        )
    first = run("deck").stdout.splitlines()
    assert "  30 Part 30                 1     1" in first, "a first build lists every section"
    seventh = empty_reading / "07-s7.yaml"
    seventh.write_text(seventh.read_text("utf-8").replace("{{7}}", "{{seven}}"), "utf-8")
    lines = run("deck").stdout.splitlines()
    assert lines[1:5] == [
        "  section                notes cards  changed since the last build",
        "  07 Part 7                  1     1  1 reworded",
        "  (29 sections unchanged)",
        "  total                     30    30",
    ]
    forced = run("deck", "--force").stdout.splitlines()
    assert forced[2:4] == ["  (all 30 sections unchanged)", "  total                     30    30"]


def test_a_renamed_section_says_where_anki_keeps_its_cards(
    built: Path, notes: Path, run: Runner, tmp_path: Path
) -> None:
    collection = tmp_path / "c.anki2"
    import_deck(built, collection).close()
    basics = notes / "demo" / "01-basics.yaml"
    basics.write_text(basics.read_text("utf-8").replace("title: Basics", "title: First_Steps"))
    result = run("deck")
    assert result.exit_code == 0, result
    search = '"deck:Demo::Reading::01 Basics"'
    assert result.stdout.splitlines()[-1] == (
        'Subdeck renamed to "Demo::Reading::01 First_Steps": Anki keeps the cards it has in '
        f'"Demo::Reading::01 Basics". To move them, search {search} in Browse, select all and '
        "use Change Deck."
    )
    # What Anki itself does on the re-import, and what the search finds there.
    col = import_deck(built, collection)
    assert len(col.find_cards(search)) == 8
    assert col.find_cards('"deck:Demo::Reading::01 First\\_Steps"') == []
    col.close()
    assert "Subdeck renamed" not in run("deck").stdout, "said once, by the build that renamed"
    renamed = json.loads(run("deck", "--force", "--json").stdout)["decks"][0]["renamed_decks"]
    assert renamed == [], "nothing renamed since the last build"
    # Renamed again before importing: Anki has the cards under the first name still.
    basics.write_text(basics.read_text("utf-8").replace("title: First_Steps", "title: Start"))
    again = json.loads(run("deck", "--dry-run", "--json").stdout)["decks"][0]["renamed_decks"]
    assert again == [
        {
            "from": ["Demo::Reading::01 First_Steps", "Demo::Reading::01 Basics"],
            "to": "Demo::Reading::01 Start",
        }
    ]
    searched = '("deck:Demo::Reading::01 First\\_Steps" or "deck:Demo::Reading::01 Basics")'
    assert run("deck").stdout.splitlines()[-1] == (
        'Subdeck renamed to "Demo::Reading::01 Start": Anki keeps the cards it has in '
        '"Demo::Reading::01 First_Steps" (or under an earlier name). To move them, search '
        f"{searched} in Browse, select all and use Change Deck."
    )
    col = import_deck(built, collection)
    assert len(col.find_cards(searched)) == 8, "where this student's Anki has them"
    col.close()
