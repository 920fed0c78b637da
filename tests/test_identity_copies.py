"""A reading folder copied, identity record and all, to start a new reading from the shipped notes:
`check`, `deck` and `review` say the same thing about it, only the copy is ever refused (in one
line naming its record), and a refused command writes nothing. And the other readings' records
are looked at once per command, so that a library twice as large takes twice the time.

The audit's case: `cp -r notes/mao-collectivization notes/copy`, a new title, every item
rewritten. `check` passed, while `deck` and `review` refused the original (told to delete the
copy's record) and `deck` of the whole library still rewrote the copy's record.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import Runner
from growth import assert_doubling, cpu_seconds

from studykit.cards import derive_notes
from studykit.command import running
from studykit.identity import (
    HEADER,
    RECORD_FILE,
    Identities,
    guid_for,
    read_record,
    record_problems,
    resolve,
)
from studykit.notes.validate import check_reading

ORIGINAL = "mao-collectivization"
# The shipped record's lines 10 to 79 are the eight items with an `id:`: rewritten, they keep
# their ids and so the original's notes. Every other line is an item rewritten since.
KEPT_IDS = (
    "notes/{copy}/identities.lock:10:1: error: this GUID is also notes/mao-collectivization/"
    "identities.lock line 10's (and 7 more of this record's, to line 79): a copied record makes "
    "the two readings one set of Anki notes; delete notes/{copy}/identities.lock (its cards get "
    "new identities) or the lines"
)


def _copy(notes: Path, name: str, *, new_ids: bool) -> Path:
    """The original copied to `name`, retitled, every item's text rewritten (and every `id:`
    changed too, with `new_ids`), as a student starts the next reading."""
    copy = notes / name
    shutil.copytree(notes / ORIGINAL, copy)
    (copy / "reading.yaml").write_text(
        "title: Another reading\nbibliography: sources.bib\n", encoding="utf-8"
    )
    for path in sorted(copy.glob("0*.yaml")):
        section = yaml.safe_load(path.read_text(encoding="utf-8"))
        for kind, front in (("points", "text"), ("terms", "term"), ("questions", "q")):
            items = section.get(kind) or []
            for i, item in enumerate(items):
                if isinstance(item, str):
                    items[i] = "Rewritten: " + item
                    continue
                item[front] = "Rewritten: " + item[front]
                if new_ids and "id" in item:
                    item["id"] = "new-" + item["id"]
        path.write_text(yaml.safe_dump(section, allow_unicode=True, sort_keys=False, width=10**4))
    return copy


def _files(root: Path) -> dict[str, bytes]:
    """Every file under root (the notes and what commands write beside them), by path."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".studykit" not in p.parts
    }


def _errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": error: " in line]


def _guids(record: Path) -> set[str]:
    return {line.split("\t")[1] for line in record.read_text(encoding="utf-8").splitlines()[4:]}


@pytest.mark.parametrize("name", ["copy", "zz-copy"])  # built before the original, and after
def test_a_copy_with_every_item_rewritten_is_refused_by_none(
    shipped: Path, run: Runner, name: str
) -> None:
    copy = _copy(shipped, name, new_ids=True)
    original = (shipped / ORIGINAL / RECORD_FILE).read_bytes()
    before = _files(shipped.parent)
    for command in (("check",), ("check", ORIGINAL), ("check", name)):
        result = run(*command)
        assert result.exit_code == 0, result
        assert result.stderr == ""
    assert _files(shipped.parent) == before, "check writes nothing"
    review = run("review", ORIGINAL, "--limit", "1", input="\n3\nq\n")
    assert review.exit_code == 0, review
    assert review.stderr == ""
    result = run("deck")
    assert result.exit_code == 0, result
    assert result.stderr == ""
    assert (shipped.parent / "cards" / f"{ORIGINAL}.apkg").is_file()
    assert (shipped.parent / "cards" / f"{name}.apkg").is_file()
    # The original's record is as it was; the copy's names its own notes only.
    assert (shipped / ORIGINAL / RECORD_FILE).read_bytes() == original
    assert len(_guids(copy / RECORD_FILE)) == 101
    assert not _guids(copy / RECORD_FILE) & _guids(shipped / ORIGINAL / RECORD_FILE)
    assert run("check").exit_code == 0


def test_a_copy_that_kept_its_ids_is_refused_in_one_line_by_every_command(
    shipped: Path, run: Runner
) -> None:
    _copy(shipped, "copy", new_ids=False)
    expected = [KEPT_IDS.format(copy="copy")]
    before = _files(shipped.parent)
    for command in (("check",), ("check", "copy"), ("deck", "copy"), ("review", "copy")):
        result = run(*command, input="\n3\nq\n")
        assert result.exit_code == 1, (command, result)
        assert _errors(result.stderr) == expected, command
        assert "Traceback" not in result.output
    # Refused, deck and review wrote nothing: no record, no deck, no manifest, no store.
    assert _files(shipped.parent) == before
    assert not (shipped.parent / "cards").exists()
    assert not (shipped.parent / ".studykit").exists()
    # The original is never blamed for its copy.
    for command in (("check", ORIGINAL), ("deck", ORIGINAL), ("review", ORIGINAL, "--limit", "1")):
        result = run(*command, input="\n3\nq\n")
        assert result.exit_code == 0, (command, result)
        assert result.stderr == "", command
    everything = run("deck")
    assert everything.exit_code == 1, everything
    assert _errors(everything.stderr) == expected
    assert everything.stderr.endswith(
        f"deck: not built: copy (fix the errors above); up to date: {ORIGINAL}\n"
    )
    assert not list((shipped.parent / "cards").rglob("copy*"))
    assert (shipped / "copy" / RECORD_FILE).read_bytes() == before[f"notes/copy/{RECORD_FILE}"]
    # The line's advice, followed, is all it takes.
    (shipped / "copy" / RECORD_FILE).unlink()
    assert run("check").exit_code == 0
    assert run("deck").exit_code == 0


def test_an_item_of_the_copy_that_inherits_an_old_line_is_the_copys(
    here: Path, run: Runner
) -> None:
    """A copy's only point reworded and given an `id:` inherits the note of the one line gone
    from its section: that line, the copy's, is the one to delete, not the original's."""
    week1 = here / "notes" / "week1"
    week1.mkdir(parents=True)
    (week1 / "reading.yaml").write_text("title: Week 1\n", encoding="utf-8")
    (week1 / "01-a.yaml").write_text(
        'title: A\nsummary: S.\npoints:\n  - "The {{Great Leap Forward}} began in 1958."\n',
        encoding="utf-8",
    )
    assert run("deck").exit_code == 0
    week2 = here / "notes" / "week2"
    shutil.copytree(week1, week2)
    (week2 / "reading.yaml").write_text("title: Week 2\n", encoding="utf-8")
    (week2 / "01-a.yaml").write_text(
        "title: A\nsummary: S.\npoints:\n  - id: leaf\n"
        '    text: "Photosynthesis happens in the {{chloroplast}}."\n',
        encoding="utf-8",
    )
    expected = [
        f"notes/week2/{RECORD_FILE}:5:1: error: this GUID is also notes/week1/{RECORD_FILE} "
        "line 5's: a copied record makes the two readings one set of Anki notes; delete "
        f"notes/week2/{RECORD_FILE} (its cards get new identities) or the line"
    ]
    for command in (("check",), ("deck", "week2"), ("review", "week2")):
        result = run(*command, input="q\n")
        assert result.exit_code == 1, (command, result)
        assert _errors(result.stderr) == expected, command
    assert run("deck", "week1").exit_code == 0


def test_a_record_the_command_writes_is_seen_by_the_readings_after_it(
    here: Path, run: Runner
) -> None:
    """In a command, the other readings' records are read once; one the command writes itself
    (deck over a library) is read again for the readings compared with it afterwards."""
    for name in ("week1", "week2"):
        folder = here / "notes" / name
        folder.mkdir(parents=True)
        (folder / "reading.yaml").write_text(f"title: {name}\n", encoding="utf-8")
        (folder / "01-a.yaml").write_text(
            'title: A\nsummary: S.\npoints:\n  - "The {{Great Leap Forward}} began in 1958."\n',
            encoding="utf-8",
        )
    week1, problems = check_reading(here / "notes" / "week1")
    week2, _ = check_reading(here / "notes" / "week2")
    assert week1 is not None and week2 is not None and not problems
    key = "a/cloze/text:The Great Leap Forward began in 1958."
    with running():
        assert record_problems(week2) == []
        # week1's record now names week2's note, as a record renamed from week2 would.
        record = read_record(here / "notes" / "week1" / RECORD_FILE)
        text = f"{HEADER}{key}\t{guid_for(f'week2/{key}')}\n"
        Identities(resolve(week1, derive_notes(week1)).guids, record, text).save()
        assert [p.format() for p in record_problems(week2)] == [
            "notes/week2/01-a.yaml:4:1: error: this item's note "
            f"({guid_for(f'week2/{key}')}) is also notes/week1/{RECORD_FILE} line 5's: the two "
            "readings would be one set of Anki notes; give it an `id:` or reword it, or delete "
            "that line"
        ]


def _library(notes: Path, readings: int) -> None:
    """`readings` small readings, each with the identity record deck would write for it."""
    for r in range(readings):
        name = f"reading-{r:04d}"
        folder = notes / name
        folder.mkdir(parents=True)
        (folder / "reading.yaml").write_text(f"title: Reading {r}\n", encoding="utf-8")
        (folder / "01-a.yaml").write_text(
            f"title: A\nsummary: S.\npoints:\n  - The {{{{answer {r}}}}} is here.\n"
            f"terms:\n  - term: word {r}\n    definition: What word {r} means.\n",
            encoding="utf-8",
        )
        keys = [f"a/cloze/text:The answer {r} is here.", f"a/term/text:word {r}"]
        lines = sorted(f"{key}\t{guid_for(f'{name}/{key}')}\n" for key in keys)
        (folder / RECORD_FILE).write_text(HEADER + "".join(lines), encoding="utf-8")


def test_check_of_twice_the_readings_takes_twice_the_time(
    tmp_path: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each reading compared itself with every other reading's record, looking at each file
    again: check of 300 readings took 1.0 s, of 600 5.3 s. One process, so that its CPU time
    is all of the work."""
    monkeypatch.setenv("STUDYKIT_PROCESSES", "1")
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)
    libraries: dict[int, Path] = {}

    def seconds(readings: int) -> float:
        if readings not in libraries:
            libraries[readings] = tmp_path / str(readings)
            _library(libraries[readings] / "notes", readings)
            one, _ = check_reading(libraries[readings] / "notes" / "reading-0001")
            assert one is not None and not resolve(one, derive_notes(one)).changed
            monkeypatch.chdir(libraries[readings])
            assert run("check").exit_code == 0  # read once, as the runs at the other size were
        monkeypatch.chdir(libraries[readings])
        result: list[object] = []
        took = cpu_seconds(lambda: result.append(run("check")))
        assert getattr(result[0], "exit_code", None) == 0, result[0]
        return took

    assert_doubling(seconds, 400, "check", "the other readings' identity records")


@pytest.mark.parametrize("processes", ["1", "2"])
def test_a_refused_review_of_the_library_writes_no_record(
    here: Path, run: Runner, monkeypatch: pytest.MonkeyPatch, processes: str
) -> None:
    """Refused for the copy, a review of every reading wrote the records of the readings keyed
    before it (in either process); now a record is written only once every reading passes."""
    monkeypatch.setenv("STUDYKIT_PROCESSES", processes)
    monkeypatch.delenv("STUDYKIT_STATE", raising=False)
    week1 = here / "notes" / "week1"
    week1.mkdir(parents=True)
    (week1 / "reading.yaml").write_text("title: Week 1\n", encoding="utf-8")
    points = '  - "The {{Great Leap Forward}} began in 1958."\n'
    (week1 / "01-a.yaml").write_text(f"title: A\nsummary: S.\npoints:\n{points}", "utf-8")
    assert run("deck").exit_code == 0
    shutil.copytree(week1, here / "notes" / "week2")
    (here / "notes" / "week2" / "reading.yaml").write_text("title: Week 2\n", encoding="utf-8")
    # week1 gains a point its record does not name yet.
    added = f'{points}  - "The {{{{Lushan}}}} plenum met in 1959."\n'
    (week1 / "01-a.yaml").write_text(f"title: A\nsummary: S.\npoints:\n{added}", "utf-8")
    before = _files(here)
    result = run("review", input="q\n")
    assert result.exit_code == 1, result
    assert _errors(result.stderr) == [
        f"notes/week2/{RECORD_FILE}:5:1: error: this GUID is also notes/week1/{RECORD_FILE} "
        "line 5's: a copied record makes the two readings one set of Anki notes; delete "
        f"notes/week2/{RECORD_FILE} (its cards get new identities) or the line"
    ]
    assert _files(here) == before
    assert not (here / ".studykit").exists()
    (here / "notes" / "week2" / RECORD_FILE).unlink()
    result = run("review", input="q\n")
    assert result.exit_code == 0, result
    assert "Lushan" in (week1 / RECORD_FILE).read_text(encoding="utf-8")
    assert (here / "notes" / "week2" / RECORD_FILE).is_file()
