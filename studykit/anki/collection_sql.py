"""SQL stored in a collection kept from running as Anki opens the scratch copy (Anki writes to
a collection as it opens it): triggers and views dropped, other SQL that computes as rows are
written refused (`defuse`), and Anki's writes held to a bound per file while it runs."""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from studykit.anki.collection_files import NOT_A_COLLECTION
from studykit.errors import StudykitError

# SQL text outside what a CHECK constraint could hide in: strings, quoted names, comments.
_SQL_QUOTED = re.compile(
    r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|`(?:[^`]|``)*`|\[[^\]]*\]|--[^\n]*|/\*.*?(?:\*/|\Z)", re.S
)
# A column default that is a value, not an expression SQLite would compute on each insert.
_PLAIN_DEFAULT = re.compile(
    r"[-+]?[0-9.]+(?:e[-+]?[0-9]+)?|'(?:[^']|'')*'|x'[0-9a-f]*'|null|true|false|current_\w+", re.I
)
ANKI_PARTIAL = "CREATE INDEX idx_cards_odid ON cards (odid) WHERE odid != 0"


def defuse(collection: Path, path: Path) -> None:
    """Make the scratch copy safe for Anki to open: Anki writes to a collection as it opens
    it (a schema upgrade rewrites the `col` row a dozen times), and SQL stored in the file
    would run then. Triggers and views, which Anki never writes, are dropped (an add-on's
    among them: nothing read here needs them); a table or index computing values of its own
    (a generated column, a default or CHECK that is an expression, an index on an expression
    or with a condition Anki's own has not, a virtual table) is refused in one line."""
    try:
        with contextlib.closing(sqlite3.connect(collection, isolation_level=None)) as db:
            rows = _schema(db, path)
            tables = [name for kind, name, root, _ in rows if kind == "table" and root]
            found = [f"the virtual table {name!r}" for kind, name, root, _ in rows
                     if kind == "table" and not root]  # fmt: skip
            for kind, name, _, sql in rows:
                words = _SQL_QUOTED.sub(" ", sql or "")
                if kind == "table" and re.search(r"\bcheck\b", words, re.I):
                    found.append(f"a CHECK constraint in table {name!r}")
                conditional = kind == "index" and re.search(r"\bwhere\b", words, re.I)
                if conditional and " ".join((sql or "").split()) != ANKI_PARTIAL:
                    found.append(f"the conditional index {name!r}")
            for table in tables:
                for column in db.execute(
                    "SELECT name, dflt_value, hidden FROM pragma_table_xinfo(?)", (table,)
                ):
                    if column[2] in (2, 3):
                        found.append(f"the generated column {column[0]!r} in table {table!r}")
                    elif column[1] is not None and not _PLAIN_DEFAULT.fullmatch(column[1]):
                        found.append(
                            f"a computed default of column {column[0]!r} in table {table!r}"
                        )
                for (index,) in db.execute("SELECT name FROM pragma_index_list(?)", (table,)):
                    if db.execute(
                        "SELECT 1 FROM pragma_index_xinfo(?) WHERE cid = -2", (index,)
                    ).fetchone():
                        found.append(f"the index {index!r} on an expression")
            if found:
                raise StudykitError(
                    f"refused: the collection holds SQL that Anki never writes ({found[0]}), "
                    "which would run as Anki opens it: pull a backup from before it was changed",
                    path,
                )
            if any(kind in ("trigger", "view") for kind, *_ in rows):
                # At once, not one DROP each: SQLite takes time growing with their number for
                # each (40,000 triggers: minutes). They own no pages, so nothing is left over.
                (version,) = db.execute("PRAGMA schema_version").fetchone()
                db.execute("PRAGMA writable_schema = ON")
                db.execute("BEGIN IMMEDIATE")
                db.execute("DELETE FROM sqlite_master WHERE type IN ('trigger', 'view')")
                db.execute(f"PRAGMA schema_version = {int(version) + 1}")
                db.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        raise StudykitError(f"{NOT_A_COLLECTION} ({exc})", path) from exc


# SQLite's steps for reading a schema of some 15,000 entries (Anki's has about 30): beyond, the
# time SQLite takes to load a schema grows with its square (40,000 views: 5 s, 80,000: 20 s).
SCHEMA_STEPS = 200_000


def _schema(db: sqlite3.Connection, path: Path) -> list[Any]:
    """The collection's schema entries, SQLite's work to load and read them counted in steps
    (not time: the same file is refused on any machine)."""
    steps = [0]

    def step() -> bool:
        steps[0] += 1000
        return steps[0] > SCHEMA_STEPS

    db.set_progress_handler(step, 1000)
    try:
        return db.execute("SELECT type, name, rootpage, sql FROM sqlite_master").fetchall()
    except sqlite3.OperationalError:
        if steps[0] <= SCHEMA_STEPS:
            raise
        raise StudykitError(
            "refused: the collection's schema holds far more tables, indexes, triggers and views "
            "than Anki's (about 30): not a collection studykit can read safely",
            path,
        ) from None
    finally:
        db.set_progress_handler(None, 0)


@contextlib.contextmanager
def bounded_writes(limit: int, path: Path) -> Iterator[None]:
    """Hold every file this process writes meanwhile to `limit` bytes (the system's file size
    limit, RLIMIT_FSIZE): whatever the collection makes Anki write, a write past it fails, and
    the pull is refused in one line. Checked as it is written, not before."""
    try:
        import resource
    except ImportError:  # not on Windows
        yield
        return
    import signal

    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    bound = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
    if soft != resource.RLIM_INFINITY and soft <= bound:
        bound = soft
    # SIGXFSZ, which the system sends on such a write, is held back to be seen afterwards
    # (Python ignores it: the write then fails with EFBIG).
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGXFSZ})
    resource.setrlimit(resource.RLIMIT_FSIZE, (bound, hard))
    failed: BaseException | None = None
    try:
        yield
    except Exception as exc:
        failed = exc
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        hit = signal.SIGXFSZ in signal.sigpending()
        if hit:
            signal.sigtimedwait({signal.SIGXFSZ}, 0)
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    if hit:
        raise StudykitError(
            f"refused: opening the collection made Anki write more than {bound >> 20} MB to "
            "one file, far more than the file itself: not a collection studykit can read "
            "safely; nothing was kept",
            path,
        ) from failed
    if failed is not None:
        raise failed
