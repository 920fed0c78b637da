"""`studykit pull` of a collection whose columns hold what Anki never writes, in columns read
past the card and log checks: a card's data that is not text, a creation time that is text or
beyond the calendar, a preset that is no protobuf message. Each is refused in one line naming
the collection, with the store left untouched; a card's data nested too deep to read is read as
Anki reads it, as no memory state (the card's state is replayed from its log)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from anki_helpers import demo_deck, studied_collection
from conftest import Runner

DEEP = '{"s": ' + "[" * 100_000 + "1" + "]" * 100_000 + ', "d": 5}'
BACKUP = "pull a backup from before it was changed"


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_deck(tmp_path_factory.mktemp("deck"))


def _collection(deck: Path, out: Path, sql: str, value: object) -> tuple[Path, int]:
    """The deck imported into a new collection, its first card reviewed once five days ago
    (Good), then `sql` run with `value`; the collection and that card's id."""
    studied_collection(
        deck,
        out,
        "insert into revlog values ({now}-432000000,{cid},-1,3,5,0,2500,1000,1)",
        "update cards set type=2,queue=2,due=10,ivl=5 where id={cid}",
    )
    with sqlite3.connect(out) as db:
        (cid,) = db.execute("select min(id) from cards").fetchone()
        db.execute(sql.replace("{cid}", str(cid)), (value,))
    return out, cid


REFUSED = [
    (
        "datablob",
        "update cards set data=? where id={cid}",
        b"\x00\xff",
        "Anki card {cid} has data that is not text (bytes), which Anki never writes: " + BACKUP,
    ),
    (
        "crttext",
        "update col set crt=?",
        "x",
        "the collection holds a value Anki never writes (Anki cannot read it: DbError { info: "
        '"InvalidColumnType(0, \\"crt\\", Text)", kind: Other }): ' + BACKUP,
    ),
    (
        "crthuge",
        "update col set crt=?",
        10**18,
        "the collection holds a value Anki never writes (Anki cannot read it: invalid "
        "timestamp): " + BACKUP,
    ),
    (
        "presetblob",
        "update deck_config set config=?",
        b"\xff" * 100,
        "the collection holds a value Anki never writes (Anki cannot read it: ProtoError { info: "
        '"failed to decode Protobuf message: invalid varint" }): ' + BACKUP,
    ),
]


@pytest.mark.parametrize(("name", "sql", "value", "said"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_column_anki_never_writes_is_refused_in_one_line(
    notes: Path, run: Runner, deck: Path, name: str, sql: str, value: object, said: str
) -> None:
    anki, cid = _collection(deck, Path(f"{name}.anki2"), sql, value)
    pulled = run("pull", str(anki), "--state", "s.db")
    assert pulled.exit_code == 1, pulled
    assert pulled.exception is None, pulled.exception
    assert pulled.stdout == ""
    assert pulled.stderr == f"{name}.anki2: error: {said.replace('{cid}', str(cid))}\n"
    assert not Path("s.db").exists(), "the store is left untouched"


def test_a_card_data_nested_too_deep_to_read_is_replayed_from_the_log(
    notes: Path, run: Runner, deck: Path
) -> None:
    anki, _ = _collection(deck, Path("deep.anki2"), "update cards set data=? where id={cid}", DEEP)
    pulled = run("pull", str(anki), "--state", "s.db")
    assert pulled.exit_code == 0, pulled
    assert "Traceback" not in pulled.output
    with sqlite3.connect("s.db") as db:
        [(raw,)] = db.execute("SELECT state FROM cards").fetchall()
    card = json.loads(raw)
    # One Good, replayed from new with FSRS's defaults; Anki's phase and interval are kept.
    assert (card["stability"], card["difficulty"]) == (2.3065, 2.118)
    assert (card["phase"], card["interval"]) == (2, 5)
