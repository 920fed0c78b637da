"""The command line, the only part of studykit that imports Typer. `app` is the Typer app and
`main`; each command family has its module, named after the core package it calls: `notes`
(check, list, show, schema), `anki` (deck, pull), `ingest`, `review` (review, unsuspend,
stats, optimize) and `handouts` (outline, summary); `common` holds what they share, `values`
the option values, `listing` the table `list` prints, `entry` the console entry point,
`clock` the moment (STUDYKIT_NOW).
Each command parses, calls the core and prints; the core raises StudykitError."""
