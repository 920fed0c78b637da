"""A closed collection read with SQLite alone (`studykit/anki/tables.py`) gives what the `anki`
package gives, field for field: every card (its due date from Anki's own day count), every log
entry, every preset with its parameters and desired retention as Anki's JSON has them. The
collections are made by the `anki` package from the deck `studykit deck` builds, with presets,
timing settings and answers set through it (and a few values set with SQL). The text and review
days of the log rows a pull writes, composed from parts made once, are what `datetime` gives."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from anki_helpers import demo_deck

from studykit.anki import tables
from studykit.anki.collection_cards import Collected
from studykit.review.scheduler import PARAMETERS

DAY_MS = 86_400_000
# Parameters an optimiser could give: none of them a short decimal as a 32-bit float.
OWN = [round(w * 1.0731 + 0.0123, 6) for w in PARAMETERS]


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_deck(tmp_path_factory.mktemp("deck"))


ZONE = "Australia/Sydney"  # east of UTC, with summer time


def _studied(deck: Path, out: Path, rollover: int | None, offset: int | None) -> Path:
    """The deck imported, its cards spread over two presets (one with parameters of its own),
    one card in a filtered deck, answers logged over a year, and the timing settings given."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    col = Collection(str(out))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(deck), options=ImportAnkiPackageOptions(with_scheduling=True)
            )
        )
        note = col.new_note(col.models.by_name("Basic"))
        note["Front"], note["Back"] = "mine", "not studykit's"
        col.add_note(note, 1)
        own = col.decks.add_config_returning_id("Own")
        config = col.decks.get_config(own)
        assert config is not None
        config["fsrsParams6"], config["desiredRetention"] = OWN, 0.87
        col.decks.update_config(config)
        other = col.decks.id("Elsewhere")
        assert other is not None
        moved = col.decks.get(other)
        assert moved is not None
        moved["conf"] = own
        col.decks.save(moved)
        cards = sorted(col.find_cards("tag:studykit"))
        col.set_deck(cards[::3], other)
        now = int(time.time() * 1000)
        for number, cid in enumerate(cards):
            moment = now - 400 * DAY_MS + number * 1000
            col.db.execute(
                "insert into revlog values (?, ?, -1, 3, -600, 0, 0, 4000, 0)", moment, cid
            )
            for step in range(1, 6):
                col.db.execute(
                    "insert into revlog values (?, ?, -1, ?, ?, ?, 2500, 5000, 1)",
                    moment + step * 30 * DAY_MS,
                    cid,
                    1 + step % 4,
                    step * 10,
                    (step - 1) * 10,
                )
            data = '{"s":%s,"d":4.2,"dr":0.9}' % (3.5 + number)
            col.db.execute(
                "update cards set type=2, queue=2, due=?, ivl=30, reps=6, data=? where id=?",
                number * 7 % 90,
                data,
                cid,
            )
        filtered = col.sched.get_or_create_filtered_deck(deck_id=0)
        filtered.config.search_terms[0].search = f"cid:{cards[1]}"
        col.sched.add_or_update_filtered_deck(filtered)
        if rollover is None:  # as in a collection restored from an .apkg
            col.remove_config("rollover")
        else:
            col.set_config("rollover", rollover)
        if offset is None:
            col.remove_config("creationOffset")
        else:
            col.set_config("creationOffset", offset)
    finally:
        col.close()
    return out


BOTH = """
import pickle, sqlite3, sys
from pathlib import Path
from zoneinfo import ZoneInfo
import pytest
from studykit.anki import collection, tables

anki, zone = Path(sys.argv[1]), ZoneInfo(sys.argv[2])
with sqlite3.connect(anki) as db:
    guids = {row[0] for row in db.execute("select guid from notes where tags like '%studykit%'")}
db.close()
read = collection.read_tables
found = []
collection.read_tables = lambda db, wanted, now: found.append(read(db, wanted, now)) or found[-1]
direct = collection.read_collection(anki, guids, zone)
tables.CURRENT_SCHEMA = -1  # no schema is read with SQLite alone
packaged = collection.read_collection(anki, guids, zone)
sys.stdout.buffer.write(pickle.dumps((found[0] is not None, direct, packaged)))
"""


def _both(anki: Path, zone: str) -> tuple[bool, Collected, Collected]:
    """The collection read with SQLite where it can be (and whether it was), and by the `anki`
    package, in a process of its own: Anki's engine reads the zone (TZ) once per process."""
    done = subprocess.run(
        [sys.executable, "-c", BOTH, str(anki), zone],
        env={**os.environ, "TZ": zone},
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    found: tuple[bool, Collected, Collected] = pickle.loads(done.stdout)
    return found


@pytest.mark.parametrize(
    ("rollover", "offset"), [(4, -600), (0, 300), (23, 0), (13, -330), (None, 0), (None, -600)]
)
def test_sqlite_reads_what_the_anki_package_reads(
    deck: Path, tmp_path: Path, rollover: int | None, offset: int
) -> None:
    anki = _studied(deck, tmp_path / "c.anki2", rollover, offset)
    direct_read, direct, packaged = _both(anki, ZONE)
    assert direct_read, "read with SQLite alone"
    assert direct == packaged
    assert len(direct.log) == 6 * len(direct.cards) == 6 * 12
    assert direct.foreign_notes == 1
    assert sorted(direct.presets) == ["Default", "Own"]
    assert direct.presets["Own"].retention == 0.87
    assert direct.presets["Own"].parameters == tuple(OWN)
    assert {card.due.hour for card in direct.cards.values() if card.due} == {4}


def test_timing_of_another_shape_is_left_to_the_anki_package(deck: Path, tmp_path: Path) -> None:
    anki = _studied(deck, tmp_path / "legacy.anki2", 4, None)
    direct_read, direct, packaged = _both(anki, ZONE)
    assert not direct_read
    assert direct == packaged


def test_a_preset_float_is_its_shortest_decimal() -> None:
    import struct

    assert tables._float(struct.pack("<f", 0.85)) == 0.85
    assert tables._float(struct.pack("<f", 0.2172)) == 0.2172
    assert tables._float(struct.pack("<f", float("inf"))) is None
    assert tables._float(struct.pack("<f", float("nan"))) is None


@pytest.mark.parametrize(
    "name", ["Europe/Berlin", "Australia/Lord_Howe", "Asia/Kathmandu", "America/Havana", None]
)
def test_a_log_rows_review_day_is_its_zones_across_every_change_of_offset(
    name: str | None,
) -> None:
    """The review day of each answer's moment, read with the zone's offset once per hour, is
    the day `review_date` gives, minute by minute across two years of changes of offset
    (Lord Howe's half hour, Havana's midnight change), beyond the year 2242 and without a
    zone."""
    from zoneinfo import ZoneInfo

    from studykit.anki.pull_rows import EXACT_MS, _ReviewDays
    from studykit.review.scheduler import review_date

    zone = None if name is None else ZoneInfo(name)
    days = _ReviewDays(zone)
    moments = [*range(1_700_000_000_000, 1_763_000_000_000, 60_000 * 7), EXACT_MS + 1]
    wrong = [
        ms
        for ms in moments
        if days.ordinal(ms) != review_date(datetime.fromtimestamp(ms / 1000, zone)).toordinal()
    ]
    assert wrong == []
    # Lord Howe's summer time starts at half past an hour (UTC), in October 2024 and 2025: those
    # two hours are read answer by answer (and every hour without a zone).
    changing = [hour for hour, offset in days.offsets.items() if offset is None]
    assert len(changing) == {"Australia/Lord_Howe": 2, None: len(days.offsets)}.get(name, 0)
    # 2023-11-14 22:13:20 UTC: 09:13 the next morning on Lord Howe, 03:58 in Kathmandu (still
    # the day before's review day), 23:13 in Berlin, 17:13 in Havana.
    expected = {"Australia/Lord_Howe": date(2023, 11, 15)}.get(name or "", date(2023, 11, 14))
    if name is not None:
        assert days.ordinal(1_700_000_000_000) == expected.toordinal()


def test_a_pulled_answers_time_is_the_logs_text_of_its_moment() -> None:
    """A pulled answer's moment is written from its revlog id as the log writes a moment
    (`timestamp`), so the two logs sort and compare as one."""
    from studykit.review.store import pulled_time, timestamp

    moments = (0, 999, 86_399_999, 1_740_000_000_000, 1_740_000_000_123, 253_402_214_399_123)
    for ms in moments:
        exact = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)
        assert pulled_time(ms) == timestamp(exact), ms
    assert pulled_time(1740000000123) == "2025-02-19T21:20:00.123000+00:00"


@pytest.mark.parametrize(
    "state",
    [
        {"phase": 1, "step": 0, "stability": None, "difficulty": None, "last_review": None},
        {
            "phase": 2,
            "step": None,
            "stability": 40.5,
            "difficulty": 4.2,
            "reps": 10,
            "lapses": 2,
            "interval": 31,
        },
        {
            "phase": 3,
            "step": 1,
            "stability": 1e-3,
            "difficulty": 10.0,
            "lapses": 8,
            "interval": 36_500,
        },
        {"phase": 2, "step": None, "stability": 0.1 + 0.2, "difficulty": 1.0000000000000002},
    ],
)
def test_a_states_text_is_what_json_writes(state: dict[str, object]) -> None:
    """A pull writes each card's state as `json.dumps` of it would, by a faster route: the
    store compares and reads the same text."""
    import json

    from studykit.anki.pull_rows import state_text
    from studykit.review.scheduler import CardState, Phase

    moment = datetime(2025, 3, 3, 20, 0, 0, 123456, tzinfo=UTC)
    made = CardState(
        **{  # type: ignore[arg-type]
            "due": moment + timedelta(days=3),
            "last_review": moment,
            **state,
            "phase": Phase(state["phase"]),
        }
    )
    assert state_text(made) == json.dumps(made.to_json())


def test_the_last_counted_answer_is_the_last_of_those_counted() -> None:
    """A card answered in Anki alone keeps Anki's state, dated by the last answer Anki's FSRS
    counts: read from the end of its log, that is the last of `_counted`'s answers, for logs of
    every kind of entry (learning, review, relearning, filtered, cramming, a reset, a date set
    by hand, rescheduling; buttons 0 to 4)."""
    import random

    from studykit.anki.collection_cards import Entry
    from studykit.anki.pull_replay import _counted, _last_counted

    chooser = random.Random(18)
    for _ in range(3000):
        entries = [
            Entry(
                1_740_000_000_000 + number * 1000,
                ("sk" + "0" * 20, 0),
                chooser.choice((0, 1, 2, 3, 4)),
                1,
                0,
                chooser.choice((0, 2500)),
                1000,
                chooser.choice((0, 1, 2, 3, 4, 5)),
            )
            for number in range(chooser.randrange(0, 8))
        ]
        counted = _counted(entries)
        expected = None if not counted else counted[-1].id
        assert _last_counted(entries) == expected, entries


def test_rows_made_before_the_store_is_read_lose_only_the_answers_it_has() -> None:
    """A pull makes each card's rows before the store is read, as if it knew none of their
    answers; the answers it turns out to have (`known`) are then taken out of them, and what
    is left is what making the rows with them known gives (a known answer still moves its
    card's state on)."""
    import random
    from zoneinfo import ZoneInfo

    from studykit.anki.collection_cards import Entry
    from studykit.anki.pull_merge import _without
    from studykit.anki.pull_rows import log_rows

    chooser = random.Random(5)
    cards: dict[tuple[str, int], list[Entry]] = {}
    moment = 1_740_000_000_000
    for number in range(300):
        key = (f"sk{number:020x}", number % 3)
        for _ in range(chooser.randrange(0, 9)):
            moment += chooser.randrange(1, 3 * 86_400_000)
            interval = chooser.choice((-600, -60, 0, 1, 3, 12, 40))
            kind = chooser.choice((0, 1, 1, 1, 2, 3, 4, 5))
            button = chooser.choice((0, 1, 2, 3, 3, 4))
            factor = chooser.choice((0, 2500, 2500))  # 0: a reset (manual), cramming (filtered)
            entry = Entry(moment, key, button, interval, 1, factor, 9, kind)
            cards.setdefault(key, []).append(entry)
    ids = [entry.id for entries in cards.values() for entry in entries]
    zone = ZoneInfo("Europe/Berlin")
    made = log_rows(cards, set(), zone)
    for share in (0.0, 0.1, 0.5, 1.0):
        known = {rid for rid in ids if chooser.random() < share}
        assert _without(made, known) == log_rows(cards, known, zone), share
