"""`studykit pull` of collections carrying SQL of their own: the `anki` package writes to a
collection as it opens it (a schema upgrade, a restore), so a trigger planted in the file would
run then, and a value nested without end would overflow Python's reader. Each collection is made
by the `anki` package from the deck `studykit deck` builds, then altered with sqlite3."""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
import zipfile
from pathlib import Path

import pytest
import zstandard
from anki.collection import Collection
from anki_helpers import demo_deck, studied_collection
from conftest import Runner

from studykit.errors import StudykitError

LEARNT = "insert into revlog values ({now}-5000,{cid},-1,3,1,0,2500,1000,0)"  # Good, learning
# Fires on each of the upgrade's updates of the col row: had it run, the pull would fail.
PLANTED = (
    "create trigger planted after update on col begin select raise(abort, 'planted ran'); end;"
    "create view ran as select 1;"
)


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_deck(tmp_path_factory.mktemp("deck"))


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$TMPDIR, empty, where a pull makes its scratch folder."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", None)  # read $TMPDIR again
    return folder


def _altered(collection: Path, sql: str) -> Path:
    with sqlite3.connect(collection) as db:
        db.executescript(sql)
    db.close()
    return collection


def _legacy_backup(deck: Path, out: Path, sql: str) -> Path:
    """A backup as an older Anki makes it (schema 11, which the `anki` package upgrades as it
    restores it), with `sql` run on its collection."""
    anki = studied_collection(deck, out.with_suffix(".anki2"), LEARNT)
    col = Collection(str(anki))
    col.close(downgrade=True)
    _altered(anki, sql)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.write(anki, "collection.anki2")
        package.writestr("media", "{}")
    return out


def _current_backup(deck: Path, out: Path, sql: str) -> Path:
    """A backup as today's Anki makes it (its collection compressed with zstd), with `sql` run
    on its collection."""
    anki = studied_collection(deck, out.with_suffix(".anki2"), LEARNT)
    col = Collection(str(anki))
    try:
        col.export_collection_package(str(out), include_media=False, legacy=False)
    finally:
        col.close()
    with zipfile.ZipFile(out) as package:
        members = {name: package.read(name) for name in package.namelist()}
    plain = out.with_suffix(".plain")
    plain.write_bytes(
        zstandard.ZstdDecompressor().decompressobj().decompress(members["collection.anki21b"])
    )
    _altered(plain, sql)
    members["collection.anki21b"] = zstandard.ZstdCompressor().compress(plain.read_bytes())
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return out


@pytest.mark.parametrize("make", [_legacy_backup, _current_backup], ids=["schema11", "anki21b"])
def test_a_trigger_planted_in_a_backup_never_runs(
    notes: Path, run: Runner, deck: Path, scratch: Path, make: object
) -> None:
    backup = make(deck, Path("backup.colpkg"), PLANTED)  # type: ignore[operator]
    pulled = run("pull", str(backup), "--state", "s.db")
    assert pulled.exit_code == 0, pulled
    assert pulled.stdout.startswith("pulled backup.colpkg: 1 answer merged, 1 card updated\n")
    assert list(scratch.iterdir()) == [], "the scratch folder is removed"


def test_a_trigger_in_a_closed_collection_of_an_older_schema_never_runs(
    notes: Path, run: Runner, deck: Path, scratch: Path
) -> None:
    anki = studied_collection(deck, Path("old.anki2"), LEARNT)
    Collection(str(anki)).close(downgrade=True)
    _altered(anki, PLANTED)
    before = anki.read_bytes()
    pulled = run("pull", str(anki), "--state", "s.db")
    assert pulled.exit_code == 0, pulled
    assert pulled.stdout.startswith("pulled old.anki2: 1 answer merged, 1 card updated\n")
    assert anki.read_bytes() == before, "the student's file is only read"
    assert list(scratch.iterdir()) == []


REFUSED = [
    (
        "check",
        "create table extra(a check (length(a) > 0));",
        "a CHECK constraint in table 'extra'",
    ),
    ("generated", "alter table graves add column g as (usn + 1);", "the generated column 'g'"),
    (
        "default",
        "create table extra(a default (randomblob(1000000)));",
        "a computed default of column 'a' in table 'extra'",
    ),
    (
        "expression",
        "create index big on col(printf('%.*c', (ver - 11) * 100000000, 'x'));",
        "the index 'big' on an expression",
    ),
    ("conditional", "create index few on cards(due) where due > 0;", "the conditional index 'few'"),
]


@pytest.mark.parametrize(("name", "sql", "said"), REFUSED, ids=[r[0] for r in REFUSED])
def test_sql_that_would_compute_as_anki_opens_the_collection_is_refused_in_one_line(
    notes: Path, run: Runner, deck: Path, scratch: Path, name: str, sql: str, said: str
) -> None:
    assert (
        run(
            "pull", str(studied_collection(deck, Path("good.anki2"), LEARNT)), "--state", "s.db"
        ).exit_code
        == 0
    )
    kept = hashlib.sha256(Path("s.db").read_bytes()).hexdigest()
    backup = _legacy_backup(deck, Path(f"{name}.colpkg"), sql)
    pulled = run("pull", str(backup), "--state", "s.db")
    assert pulled.exit_code == 1, pulled
    assert pulled.exception is None, pulled.exception
    [line] = pulled.stderr.splitlines()
    assert line == (
        f"{name}.colpkg: error: refused: the collection holds SQL that Anki never writes ({said}"
        + line.split(said, 1)[1]
    ), line
    assert line.endswith(
        "), which would run as Anki opens it: pull a backup from before it was changed"
    ), line
    assert hashlib.sha256(Path("s.db").read_bytes()).hexdigest() == kept, "the store is untouched"
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize("key", ["schedVer", "rollover"])
def test_a_setting_nested_100000_deep_is_refused_naming_it(
    notes: Path, run: Runner, deck: Path, scratch: Path, key: str
) -> None:
    assert (
        run(
            "pull", str(studied_collection(deck, Path("good.anki2"), LEARNT)), "--state", "s.db"
        ).exit_code
        == 0
    )
    kept = hashlib.sha256(Path("s.db").read_bytes()).hexdigest()
    deep = ("[" * 100_000 + "]" * 100_000).encode()
    anki = studied_collection(deck, Path("deep.anki2"), LEARNT)
    with sqlite3.connect(anki) as db:
        db.execute("insert or replace into config values (?, 0, 0, ?)", (key, deep))
    db.close()
    pulled = run("pull", str(anki), "--state", "s.db")
    assert pulled.exit_code == 1, pulled
    assert pulled.exception is None, pulled.exception
    assert pulled.stderr == (
        f"deep.anki2: error: the collection's setting '{key}' holds JSON nested deeper than "
        "Anki reads, which Anki never writes: pull a backup from before it was changed\n"
    )
    assert hashlib.sha256(Path("s.db").read_bytes()).hexdigest() == kept, "the store is untouched"
    assert list(scratch.iterdir()) == []


def test_what_anki_writes_while_it_opens_a_collection_is_bounded_as_it_is_written(
    tmp_path: Path,
) -> None:
    """The bound holds whatever writes: here a plain write of 2 MB past a bound of 1 MB."""
    from studykit.anki.collection_sql import bounded_writes

    written = tmp_path / "big"
    with (
        pytest.raises(StudykitError) as raised,
        bounded_writes(1 << 20, Path("c.colpkg")),
        written.open("wb") as out,
    ):
        out.write(b"x" * (2 << 20))
    assert str(raised.value).endswith(
        "refused: opening the collection made Anki write more than 1 MB to one file, far more "
        "than the file itself: not a collection studykit can read safely; nothing was kept"
    ), raised.value
    assert written.stat().st_size <= 1 << 20
    with (tmp_path / "after").open("wb") as out:  # the limit is lifted afterwards
        out.write(b"x" * (2 << 20))


def test_a_schema_of_40000_views_is_refused_before_sqlite_loads_it(
    notes: Path, run: Runner, deck: Path, scratch: Path
) -> None:
    """SQLite's time to load a schema grows with the square of its entries: 40,000 views (a
    package of 200 KB) would take seconds in each of the pull's and Anki's openings."""
    # Written into the schema at once: made one by one, they take SQLite minutes too.
    views = (
        "pragma writable_schema = on; insert into sqlite_master "
        "with recursive n(i) as (select 1 union all select i + 1 from n where i < 40000) "
        "select 'view', 'v' || i, 'v' || i, 0, 'CREATE VIEW v' || i || ' AS SELECT 1' from n;"
    )
    backup = _legacy_backup(deck, Path("views.colpkg"), views)
    pulled = run("pull", str(backup), "--state", "s.db")
    assert pulled.exit_code == 1, pulled
    assert pulled.stderr == (
        "views.colpkg: error: refused: the collection's schema holds far more tables, indexes, "
        "triggers and views than Anki's (about 30): not a collection studykit can read safely\n"
    )
    assert not Path("s.db").exists(), "nothing was written"
    assert list(scratch.iterdir()) == []


def test_a_thousand_views_are_dropped_and_the_pull_goes_on(
    notes: Path, run: Runner, deck: Path, scratch: Path
) -> None:
    views = "".join(f"create view v{i} as select 1;" for i in range(1000))
    pulled = run("pull", str(_legacy_backup(deck, Path("views.colpkg"), views)), "--state", "s.db")
    assert pulled.exit_code == 0, pulled
    assert list(scratch.iterdir()) == []
