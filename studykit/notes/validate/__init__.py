"""Validating a reading's notes: YAML files in, a frozen Reading (or every problem) out.

A reading is a folder: `reading.yaml` plus one `NN-<section-id>.yaml` per section. Validation
collects every problem of every file in one pass, so a student fixes them all at once. Each
file has its own `FileCheck` (`file`), which every check of a value in it is given; the
modules split the work by what they validate:

- `reading`: the reading folder, its reading.yaml (deck name, bibliography); the entry points
- `section`: the section files' names, each file's section, the section ids
- `keys`: a file's YAML document, its mappings' keys (unknown, duplicate, missing)
- `values`: text, slugs, true or false, tags, rule names, lists of texts
- `escapes`: control characters and math broken by double-quoted escapes
- `items`: the lists of items, terms and questions
- `points`: points, their cloze deletions, invisible characters
- `identities`: two items with one identity
- `placement`: links out of the notes folder, a reading under two names (the files' and
  ids' names are `notes.naming`'s)
"""

from studykit.notes.naming import READING_FILE, SECTION_FILE, SLUG, is_slug
from studykit.notes.validate.placement import notes_root, outside_notes, same_folder
from studykit.notes.validate.reading import check_reading, load_reading
from studykit.notes.validate.section import section_files

__all__ = [
    "READING_FILE",
    "SECTION_FILE",
    "SLUG",
    "check_reading",
    "is_slug",
    "load_reading",
    "notes_root",
    "outside_notes",
    "same_folder",
    "section_files",
]
