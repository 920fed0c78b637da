"""The baseline a student might write: load each notes file with PyYAML, genanki the same cards.

One genanki deck per section, the same three note types and the same 25 cards per section
as studykit makes from benchmarks/library.py. `--loader c` parses with libyaml's CSafeLoader
(the fastest PyYAML offers) instead of the pure-Python `yaml.safe_load`.

    python benchmarks/genanki_baseline.py NOTES_DIR OUT_DIR [--loader c]
"""

import re
import sys
from pathlib import Path

import genanki
import yaml

CSS = ".card { font-family: sans-serif; }"
BACK = "{{FrontSide}}<hr>{{Back}}{{Note}}{{Source}}"


def fields(*names):
    return [{"name": n} for n in names]


qa = genanki.Model(
    1,
    "QA",
    fields=fields("Front", "Back", "Note", "Source"),
    templates=[{"name": "Q", "qfmt": "{{Front}}", "afmt": BACK}],
    css=CSS,
)
term = genanki.Model(
    2,
    "Term",
    fields=fields("Term", "Definition", "Note", "Source", "Reverse"),
    templates=[
        {"name": "T", "qfmt": "{{Term}}", "afmt": "{{FrontSide}}<hr>{{Definition}}{{Note}}"},
        {
            "name": "R",
            "qfmt": "{{#Reverse}}{{Definition}}{{/Reverse}}",
            "afmt": "{{FrontSide}}<hr>{{Term}}",
        },
    ],
    css=CSS,
)
cloze = genanki.Model(
    3,
    "Cloze",
    fields=fields("Text", "Note", "Source"),
    templates=[{"name": "C", "qfmt": "{{cloze:Text}}", "afmt": "{{cloze:Text}}{{Note}}"}],
    css=CSS,
    model_type=genanki.Model.CLOZE,
)


def numbered(text):
    count = iter(range(1, 1000))
    return re.sub(r"\{\{(.+?)\}\}", lambda m: f"{{{{c{next(count)}::{m.group(1)}}}}}", text)


def main():
    notes_dir, out_dir = Path(sys.argv[1]), Path(sys.argv[2])
    if sys.argv[3:] == ["--loader", "c"]:
        load = lambda text: yaml.load(text, Loader=yaml.CSafeLoader)  # noqa: E731
    else:
        load = yaml.safe_load
    deck_id = 1
    for reading in sorted(p for p in notes_dir.iterdir() if p.is_dir()):
        meta = load((reading / "reading.yaml").read_text())
        decks = []
        for path in sorted(reading.glob("[0-9]*.yaml")):
            section = load(path.read_text())
            deck_id += 1
            deck = genanki.Deck(deck_id, meta["title"] + "::" + section["title"])
            source = meta["title"] + " > " + section["title"]
            for point in section.get("points", []):
                if isinstance(point, dict) and "{{" in point["text"]:
                    text = numbered(point["text"])
                    deck.add_note(genanki.Note(cloze, [text, point.get("note", ""), source]))
            for t in section.get("terms", []):
                values = [t["term"], t["definition"], t.get("note", ""), source, "y"]
                deck.add_note(genanki.Note(term, values))
            for q in section.get("questions", []):
                deck.add_note(genanki.Note(qa, [q["q"], q["a"], q.get("note", ""), source]))
            decks.append(deck)
        genanki.Package(decks).write_to_file(out_dir / (reading.name + ".apkg"))


if __name__ == "__main__":
    main()
