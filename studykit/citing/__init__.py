"""Citations in a style: CSL styles read and applied to a reading's sources."""
