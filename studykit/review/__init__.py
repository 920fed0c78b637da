"""Spaced-repetition review in the terminal: scheduling (FSRS), the state store, sessions, stats.

The review state of a card is keyed by its note's GUID (from the identity record, the same the
Anki deck uses) and its card number, so edits that keep a note in Anki keep its progress here.
"""
