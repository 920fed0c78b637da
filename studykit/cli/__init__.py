"""The command line: Typer's commands, their option values, and the console entry point.
Each command parses, calls the core and prints; the core raises StudykitError."""
