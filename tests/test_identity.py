"""The identity record: every machine, folder and clone gives each item the same Anki note."""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from anki_helpers import import_deck
from conftest import Runner

from studykit.identity import RECORD_FILE

DECK = Path("cards/demo.apkg")
QUESTION = "  - q: Why did output fall?\n"


def _give_id_and_reword(section: Path) -> None:
    text = section.read_text(encoding="utf-8")
    text = text.replace(QUESTION, QUESTION + "    id: output-fall\n")
    section.write_text(text.replace("Why did output fall?", "Why did farm output collapse?"))


def _mark_reviewed(col, search: str) -> int:  # type: ignore[no-untyped-def]
    """Give a note's card review history in Anki: an interval of 12 days."""
    [cid] = col.find_cards(search)
    card = col.get_card(cid)
    card.type = card.queue = 2
    card.ivl, card.due = 12, col.sched.today + 12
    col.update_card(card)
    return int(cid)


def test_record_lists_every_item_sorted_beside_the_notes(notes: Path, run: Runner) -> None:
    assert run("deck", "--dry-run").exit_code == 0
    assert not (notes / "demo" / RECORD_FILE).exists(), "a dry run writes no record"
    result = run("deck")
    assert result.exit_code == 0, result
    assert f"Updated notes/demo/{RECORD_FILE}: commit it with your notes" in result.stdout
    lines = [
        line
        for line in (notes / "demo" / RECORD_FILE).read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    ]
    assert lines == sorted(lines)
    assert len(lines) == 7, "one line per note"
    assert "basics/question/text:Why did output fall?\tsk" in "\n".join(lines)
    again = run("deck", "--force")
    assert "Updated" not in again.stdout, "an unchanged record is not rewritten"


def test_reworded_item_keeps_its_note_on_a_fresh_clone_from_another_folder(
    notes: Path, run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    collection = tmp_path / "c.anki2"
    assert run("deck").exit_code == 0
    col = import_deck(DECK.resolve(), collection)
    cid = _mark_reviewed(col, '"Front:Why did output fall?"')
    col.close()
    _give_id_and_reword(notes / "demo" / "01-basics.yaml")
    assert run("deck").exit_code == 0
    # The clone: the notes (with their record) and nothing of cards/, built from elsewhere.
    clone = tmp_path / "clone"
    shutil.copytree(notes, clone / "notes")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("STUDYKIT_NOTES", str(clone / "notes"))
    monkeypatch.setenv("STUDYKIT_NOW", (datetime.now(UTC) + timedelta(hours=1)).isoformat())
    built = run("deck")
    assert built.exit_code == 0, built
    assert "First build here: 7 notes, 7 of them named in the identity record." in built.stdout
    assert "updated in place, never duplicated" in built.stdout, built
    deck = clone / "cards" / "demo.apkg"
    assert deck.is_file(), "decks go to cards/ beside the notes folder"
    assert not (elsewhere / "cards").exists()
    col = import_deck(deck, collection)
    assert col.note_count() == 7, "no duplicate note in Anki"
    [nid] = col.find_notes('"Front:Why did farm output collapse?"')
    card = col.get_card(cid)
    assert card.nid == nid and card.ivl == 12, "the card keeps its review history"
    col.close()


def test_a_manifest_from_before_the_record_is_taken_over(notes: Path, run: Runner) -> None:
    assert run("deck").exit_code == 0
    _give_id_and_reword(notes / "demo" / "01-basics.yaml")
    assert run("deck").exit_code == 0
    record = notes / "demo" / RECORD_FILE
    kept = record.read_text(encoding="utf-8")
    # What an earlier version left: no record, and identities only in the manifest, which it
    # kept beside the deck.
    record.unlink()
    manifest = Path("cards/.studykit/demo.manifest.json")
    data = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.unlink()
    data["format"] = 3
    Path("cards/demo.manifest.json").write_text(json.dumps(data), encoding="utf-8")
    result = run("deck", "--force")
    assert result.exit_code == 0, result
    assert record.read_text(encoding="utf-8") == kept


def test_a_conflict_in_the_record_stops_the_build_where_it_matters(
    notes: Path, run: Runner
) -> None:
    assert run("deck").exit_code == 0
    _give_id_and_reword(notes / "demo" / "01-basics.yaml")
    assert run("deck").exit_code == 0
    before = DECK.read_bytes()
    record = notes / "demo" / RECORD_FILE
    text = record.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if "id:output-fall" in x)
    record.write_text(
        text.replace(line, f"<<<<<<< HEAD\n{line}\n=======\n{line}x\n>>>>>>> branch"),
        encoding="utf-8",
    )
    (notes / "demo" / "01-basics.yaml").write_text(
        (notes / "demo" / "01-basics.yaml").read_text().replace("Incentives", "Rewards")
    )
    result = run("deck")
    assert result.exit_code == 1, result
    number = record.read_text().splitlines().index("<<<<<<< HEAD") + 1
    assert f"notes/demo/{RECORD_FILE}:{number}:1: error: identity record: an unresolved merge" in (
        result.stderr
    )
    assert "question 'Why did farm output collapse?' (01-basics.yaml:" in result.stderr
    assert "Traceback" not in result.output
    assert DECK.read_bytes() == before, "the deck is left as it was"


def test_damage_that_names_no_current_item_is_repaired(notes: Path, run: Runner) -> None:
    assert run("deck").exit_code == 0
    record = notes / "demo" / RECORD_FILE
    clean = record.read_text(encoding="utf-8")
    record.write_text(clean + "stray line without a tab\n", encoding="utf-8")
    result = run("deck")
    assert result.exit_code == 0, result
    assert record.read_text(encoding="utf-8") == clean


def test_two_items_with_one_note_are_refused(notes: Path, run: Runner) -> None:
    assert run("deck").exit_code == 0
    record = notes / "demo" / RECORD_FILE
    lines = record.read_text(encoding="utf-8").splitlines()
    guid = lines[-1].split("\t")[1]
    record.write_text(
        "\n".join(
            re.sub(r"\t.*", "\t" + guid, x) if i == len(lines) - 2 else x
            for i, x in enumerate(lines)
        )
        + "\n",
        encoding="utf-8",
    )
    result = run("deck")
    assert result.exit_code == 1, result
    located = f"notes/demo/{RECORD_FILE}:{len(lines)}:1: error: "
    assert result.stderr.startswith(located), result.stderr
    assert f"in the identity record, on lines {len(lines) - 1} and {len(lines)};" in result.stderr
    checked = run("check")
    assert checked.exit_code == 1, checked
    assert result.stderr.strip() in checked.stderr.splitlines(), "check refuses it as deck does"


HOSTILE = """\
title: Hostile
summary: s
points:
  - The {{Lushan}} conference of {{1959::year}} silenced *critics* & <b>others</b>.
  - Math $x^2 < y$ then {{汉字 pīnyīn}} "quoted" [link](http://x) a\\\\b.
terms:
  - term: '*Em* term <x> & "q" (a|b) [c] {d} ^$.+?'
    definition: d
  - term: 毛泽东 (Máo Zédōng)
    definition: chairman
questions:
  - q: 'What is $x^2$ when a<b & c>d? "quoted" **bold** `code` 50%_ * : end'
    a: yes
  - q: Reworded later?
    a: the same answer
"""


def test_every_printed_search_finds_exactly_its_note(
    notes: Path, run: Runner, tmp_path: Path
) -> None:
    section = notes / "demo" / "03-hostile.yaml"
    section.write_text(HOSTILE, encoding="utf-8")
    assert run("deck").exit_code == 0
    col = import_deck(DECK.resolve(), tmp_path / "c.anki2")
    guids = {col.get_note(nid).guid: nid for nid in col.find_notes("")}
    record = (notes / "demo" / RECORD_FILE).read_text(encoding="utf-8")
    expected = {
        key.split("/", 2)[2]: guids[guid]
        for key, guid in (x.split("\t") for x in record.splitlines() if x.startswith("hostile/"))
    }
    section.write_text(
        "title: Hostile\nsummary: s\nquestions:\n  - q: Reworded at last?\n"
        "    a: the same answer\n",
        encoding="utf-8",
    )
    as_json = run("deck", "--dry-run", "--json")
    [deck] = json.loads(as_json.stdout)["decks"]
    removed = {c["label"]: c["search"] for c in deck["changes"]["removed"]}
    [reworded] = deck["changes"]["reworded"]
    assert len(removed) == 5, removed
    for label, search in removed.items():
        found = col.find_notes(search)
        assert found == [expected["text:" + label]], f"{search!r} must find {label!r}: {found}"
    assert col.find_notes(reworded["search"]) == [expected["text:Reworded later?"]]
    text = run("deck")
    printed = re.findall(r"(?:find in Anki|old note): (tag:.*?)\)?$", text.stdout, re.MULTILINE)
    assert len(printed) == 6, text.stdout
    assert sorted(n for s in printed for n in col.find_notes(s)) == sorted(expected.values())
    col.close()
