"""studykit: annotated study notes in YAML, turned into Anki decks, handouts and review."""

__version__ = "0.1.0"
