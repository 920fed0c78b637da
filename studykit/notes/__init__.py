"""The notes format: reading a reading's YAML files strictly, the model they make, their
validation, the JSON Schema, cloze and inline markup, media, sources and citations, and
finding the readings of a notes folder. Nothing here imports a capability."""
