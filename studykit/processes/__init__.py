"""Processes: work shared with a second process, children that end with their parent, and
SIGTERM/SIGHUP unwinding as Ctrl-C does."""
