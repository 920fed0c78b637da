"""Export to Anki: note types, the package writer, and the deck build with its report."""
