"""Pinned identities: the GUIDs, note type ids, field lists and template names of a fixed reading.

The values below were computed once and written in by hand. They must never be recomputed to make
a failing test pass: every student who has imported a deck holds these GUIDs and note type ids in
their Anki collection and in their review history. If a change alters one, the next import gives
that student a duplicate of every card (the old ones keep their history, the new ones start from
zero), or Anki refuses to update the notes because their note type changed its fields.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from anki_helpers import import_deck
from conftest import DATA, Runner

from studykit.anki.notetypes import NOTE_TYPES
from studykit.cards import derive_notes
from studykit.identity import guid_for, resolve
from studykit.notes.validate import load_reading

COST = (
    "changes how notes are identified: every student who re-imports a deck gets a duplicate of "
    "each changed card and loses its review history. Keep the old derivation (add an identity "
    "record entry or a new note type instead); never update the pinned value to match."
)

PINNED = DATA / "pinned" / "notes"

GUIDS = {
    "pinned/first/cloze/text:The Great Leap Forward began in 1958.": "skfec3fc8264afd23a12d9",
    "pinned/first/cloze/id:communes-pooled": "skb23a69e4ed22032783a3",
    "pinned/first/term/text:Commune": "sk769e645fa09721999d3c",
    "pinned/first/term/id:hukou": "skccdffdc2fdde050af3f4",
    "pinned/first/question/text:Why did grain output fall?": "ske67473ab33462264c376",
    "pinned/later/question/text:Who spoke at Lushan?": "sk69364f7ab8cbb1a38ab3",
}

# id, name, fields in order, template names in order
NOTE_TYPE_SHAPES = [
    (1733001101, "studykit Q&A", ["Front", "Back", "Note", "Source"], ["Question"]),
    (
        1733001102,
        "studykit Term",
        ["Term", "Definition", "Note", "Source", "Reverse"],
        ["Term", "Which term?"],
    ),
    (1733001103, "studykit Cloze", ["Text", "Note", "Source"], ["Fill in"]),
]

# What each GUID's note is in Anki: note type, first field, card ordinals.
IN_ANKI = {
    "skfec3fc8264afd23a12d9": ("studykit Cloze", [0, 1]),
    "skb23a69e4ed22032783a3": ("studykit Cloze", [0]),
    "sk769e645fa09721999d3c": ("studykit Term", [0, 1]),
    "skccdffdc2fdde050af3f4": ("studykit Term", [0, 1]),
    "ske67473ab33462264c376": ("studykit Q&A", [0]),
    "sk69364f7ab8cbb1a38ab3": ("studykit Q&A", [0]),
}

DERIVE = """
import json, sys
from pathlib import Path
from studykit.cards import derive_notes
from studykit.identity import resolve
from studykit.notes.validate import load_reading
reading = load_reading(Path(sys.argv[1]))
print(json.dumps(resolve(reading, derive_notes(reading)).guids))
"""


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "notes"
    shutil.copytree(PINNED, target)
    return target


def test_guids_of_the_pinned_reading_never_change(tmp_path: Path) -> None:
    reading = load_reading(_copy(tmp_path) / "pinned")
    guids = resolve(reading, derive_notes(reading)).guids
    assert guids == GUIDS, f"the GUIDs of the pinned reading differ; this {COST}"


def test_guid_of_an_identity_is_pinned() -> None:
    """The derivation itself, apart from loading: one identity, one literal GUID."""
    assert guid_for("pinned/first/term/text:Commune") == "sk769e645fa09721999d3c", (
        f"guid_for {COST}"
    )
    assert guid_for("r/s/question/id:x") == "sk8fbe75d6550169cbf279", f"guid_for {COST}"


def test_note_types_keep_their_ids_fields_and_templates() -> None:
    shapes = [
        (t.id, t.name, list(t.fields), [template.name for template in t.templates])
        for t in NOTE_TYPES
    ]
    assert shapes == NOTE_TYPE_SHAPES, (
        "a note type's id, name, fields or template names changed: Anki matches note types by id "
        "and refuses to update notes whose fields changed, so every student's re-import "
        "duplicates or strands their cards. Add a new note type instead."
    )


def test_deck_and_record_carry_the_pinned_identities(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Runner
) -> None:
    notes = _copy(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)
    result = run("deck", "pinned")
    assert result.exit_code == 0, result
    record = (notes / "pinned" / "identities.lock").read_text(encoding="utf-8")
    lines = [line for line in record.splitlines() if line and not line.startswith("#")]
    expected = sorted(f"{key.split('/', 1)[1]}\t{guid}" for key, guid in GUIDS.items())
    assert lines == expected, f"the identity record's lines differ; this {COST}"

    col = import_deck(tmp_path / "cards" / "pinned.apkg", tmp_path / "collection.anki2")
    try:
        seen = {}
        for nid in col.find_notes(""):
            note = col.get_note(nid)
            model = note.note_type()
            assert model is not None, f"note {note.guid} has a note type"
            seen[note.guid] = (model["name"], sorted(card.ord for card in note.cards()))
            shape = next(s for s in NOTE_TYPE_SHAPES if s[1] == model["name"])
            assert [model["id"], model["name"]] == [shape[0], shape[1]], f"note type id {COST}"
            assert [f["name"] for f in model["flds"]] == shape[2], f"field list {COST}"
            assert [t["name"] for t in model["tmpls"]] == shape[3], f"template names {COST}"
        assert seen == IN_ANKI, f"the notes in Anki differ from the pinned ones; this {COST}"
    finally:
        col.close()


def test_guids_do_not_depend_on_the_machine(tmp_path: Path) -> None:
    """Another hash seed, another working folder, another place for the notes: same GUIDs."""
    for seed, name in (("0", "a"), ("1", "elsewhere"), ("12345", "deep/down/there")):
        notes = tmp_path / name / "notes"
        shutil.copytree(PINNED, notes)
        cwd = tmp_path / f"cwd-{seed}"
        cwd.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed}
        env.pop("STUDYKIT_NOTES", None)
        done = subprocess.run(
            [sys.executable, "-c", DERIVE, str(notes / "pinned")],
            capture_output=True,
            text=True,
            check=False,
            cwd=cwd,
            env=env,
        )
        assert done.returncode == 0, done.stderr
        guids = json.loads(done.stdout)
        assert guids == GUIDS, (
            f"with PYTHONHASHSEED={seed} in {cwd} the GUIDs differ: a GUID that depends on the "
            f"machine {COST}"
        )
