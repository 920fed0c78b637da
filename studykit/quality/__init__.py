"""Card quality: the rules experienced Anki users follow, checked on notes that are already valid.

Each rule has a stable name, printed after its warning and accepted by `allow:` in the notes to
silence it where a card breaks it on purpose. The rules themselves live in `checks.py` (their
entry point) and the modules it calls; their names belong to the notes format
(`studykit.notes.rules`: the loader and the JSON Schema list them without importing the
checks), and are named here too.
"""

from __future__ import annotations

from studykit.notes.rules import ANSWER_WORDS, NOTE_WORDS, RULES

__all__ = ["ANSWER_WORDS", "NOTE_WORDS", "RULES"]
