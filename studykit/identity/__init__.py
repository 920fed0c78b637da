"""The identity record: which note each item of a reading makes, kept beside the notes.

An item's note is named by a GUID. By default the GUID is a hash of the item's identity
(reading/section/kind/key), so the same notes give the same GUIDs on every machine. The record,
`identities.lock` in the reading's folder, keeps what cannot be derived again: the GUID an item
inherited from its text when it was given an `id:`, and the GUIDs of a reading whose folder was
renamed. It is committed with the notes like a lock file: one sorted line per item, so merging
two branches rarely conflicts and a conflict is easy to read. Anki decks and review state both
key on these GUIDs, so a record that is damaged where it matters stops the build rather than
silently starting a note (and its history) afresh.

A key longer than MAX_KEY_CHARS (a long point's whole text) is written as its digest and first
words (`text#` and 32 hex digits): a line then has a bounded length, and the record of any notes
that pass `check` is one studykit reads back. A line of the older form, with the whole text, is
read as the same item's and rewritten in the short one.

The record as a file is `record` (its lines read and written, its keys, its sizes); settling
each note's GUID is `settle`; a reading folder copied with its record is `copies`; the records
of every reading of a notes folder, as one command sees them, are `library`.
"""

from studykit.identity.copies import copied_guids
from studykit.identity.library import record_written
from studykit.identity.record import (
    HEADER,
    MAX_KEY_CHARS,
    MAX_RECORD_BYTES,
    RECORD_FILE,
    Record,
    guid_for,
    read_record,
    record_key,
    record_path,
    refuse_link,
    save_record,
)
from studykit.identity.settle import Identities, record_problems, resolve

__all__ = [
    "HEADER",
    "MAX_KEY_CHARS",
    "MAX_RECORD_BYTES",
    "RECORD_FILE",
    "Identities",
    "Record",
    "copied_guids",
    "guid_for",
    "read_record",
    "record_key",
    "record_path",
    "record_problems",
    "record_written",
    "refuse_link",
    "resolve",
    "save_record",
]
