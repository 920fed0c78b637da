"""Where `check` and `deck` spend their time on 2,000 section files, phase by phase.

CPU seconds of each phase in this process (imports, parsing, validation, card-quality rules,
then per deck: card derivation, HTML fields, identities, manifest, SQLite, zip), measured by
timing the functions each phase is made of. The wide shape (100 readings x 20 sections) runs
in one process; the deep one (1 reading x 2,000 sections) is cut in two as the commands cut it
(`notes.sharing`): its section files are read in two parts, one in a second process, and the
rest happens in this one, whose wall-clock figures these are. For whole commands,
`python -X importtime -m studykit ...` and `python -m cProfile -s tottime -m studykit ...`
tell the rest.

    python benchmarks/phases.py [--shape deep]
"""

from __future__ import annotations

import argparse
import functools
import gc
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from library import write_library

spent: dict[str, float] = {}
clock = time.process_time  # wall time for the deep shape, whose second process is waited for


def timed(module: Any, name: str, phase: str) -> None:
    """Count the CPU time of `module.name` towards `phase` (outermost calls only)."""
    original: Callable[..., Any] = getattr(module, name)
    depth = [0]

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        depth[0] += 1
        start = clock()
        try:
            return original(*args, **kwargs)
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                spent[phase] = spent.get(phase, 0.0) + clock() - start

    setattr(module, name, wrapper)


def main() -> None:
    global clock
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", choices=("wide", "deep"), default="wide")
    deep = parser.parse_args().shape == "deep"
    if deep:
        clock = time.perf_counter
    gc.disable()  # as the commands do while loading and building
    start = clock()
    import studykit.anki.apkg as apkg
    import studykit.anki.deck as deck
    import studykit.anki.notes as anki_notes
    import studykit.notes.validate as notes
    import studykit.notes.validate.keys as notes_files
    import studykit.quality.checks as checks
    from studykit.cli.clock import now
    from studykit.notes.library import checked

    print(f"{'wall' if deep else 'CPU'} seconds in this process")
    print(f"imports (check and deck modules)  {clock() - start:6.2f} s")
    timed(notes_files, "read_yaml", "parse (libyaml nodes)")  # where validation reads a file
    timed(checks, "card_warnings", "card-quality rules")
    for name, phase in [
        ("derive_notes", "derive cards"),
        ("resolve", "identities"),
        ("compare", "manifest records and digest"),
        ("read_manifest", "manifest JSON"),
        ("write_manifest", "manifest JSON"),
    ]:
        timed(deck, name, phase)
    timed(anki_notes, "render_notes", "HTML fields")
    timed(apkg, "_collection", "SQLite collection")
    timed(apkg.Package, "write", "zip, rename")
    with tempfile.TemporaryDirectory() as tmp:
        write_library(Path(tmp) / "notes", *((1, 2000) if deep else (100, 20)))
        folders = sorted((Path(tmp) / "notes").iterdir())
        start = clock()
        if deep:  # cut in two
            readings = [reading for reading, _ in checked(folders)]
        else:
            readings = [notes.check_reading(folder)[0] for folder in folders]
        loading = clock() - start
        parse = spent["parse (libyaml nodes)"]
        if deep:
            print(f"parse and validation, shared      {loading:6.2f} s")
        else:
            print(f"parse (libyaml nodes)             {parse:6.2f} s")
            print(f"validation                        {loading - parse:6.2f} s")
        for reading in readings:
            assert reading is not None
            checks.card_warnings(reading)
        print(f"card-quality rules                {spent['card-quality rules']:6.2f} s")
        moment, out = now(), Path(tmp) / "cards"
        out.mkdir()
        start = clock()
        for reading in readings:
            assert reading is not None
            deck.build_deck(reading, out / f"{reading.id}.apkg", now=moment, force=True)
        building = clock() - start
    label = f"deck build, {len(readings)} deck{'s' if len(readings) > 1 else ''}"
    print(f"{label:<34}{building:6.2f} s, of which:")

    parts = [p for p in spent if p not in ("parse (libyaml nodes)", "card-quality rules")]
    for phase in parts:
        print(f"  {phase:<32} {spent[phase]:6.2f} s")
    other = building - sum(spent[p] for p in parts)
    print(f"  {'other (media, report, records)':<32} {other:6.2f} s")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
