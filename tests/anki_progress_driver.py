"""Import decks into a fresh Anki collection with their scheduling, and print what Anki holds.

Run by `tests/test_deck_progress.py` under libfaketime (the clock Anki's engine reads is set in
$FAKETIME_TIMESTAMP_FILE before it starts). argv: the collection's path, the deck to study
(its name), then the packages to import in turn. Prints JSON: Anki's day, the FSRS switch
before and after, every card's columns and memory state, the review log, and the cards Anki's
scheduler would show now, each card named by its note's GUID and its ordinal. With $FSRS set,
FSRS is then switched on and each answered card's four buttons are printed too (intervals and
memory states, as `anki_schedule_driver.intervals` gives them).
"""

from __future__ import annotations

import json
import os
import sys


def main() -> None:
    from anki.collection import Collection, ImportAnkiPackageRequest
    from anki.import_export_pb2 import ImportAnkiPackageOptions

    path, deck, *packages = sys.argv[1:]
    col = Collection(path)
    fsrs_before = col.get_config("fsrs", False)
    for package in packages:
        col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=package, options=ImportAnkiPackageOptions(with_scheduling=True)
            )
        )
    col.close()
    col = Collection(path)  # reopened: the importer's caches go
    names = {}
    cards = []
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        key = [card.note().guid, card.ord]
        names[cid] = key
        memory = card.memory_state
        cards.append(
            {
                "key": key,
                "type": card.type,
                "queue": card.queue,
                "due": card.due,
                "ivl": card.ivl,
                "left": card.left,
                "reps": card.reps,
                "lapses": card.lapses,
                "factor": card.factor,
                "stability": memory.stability if memory else None,
                "difficulty": memory.difficulty if memory else None,
            }
        )
    revlog = [
        {"key": names[cid], "id": rid, "ease": ease, "ivl": ivl, "lastIvl": last, "type": kind}
        for rid, cid, ease, ivl, last, kind in col.db.all(
            "SELECT id, cid, ease, ivl, lastIvl, type FROM revlog ORDER BY id"
        )
    ]
    fsrs_after = col.get_config("fsrs", False)
    buttons = {}
    if os.environ.get("FSRS"):
        from anki_schedule_driver import intervals

        col.set_config("fsrs", True)
        for cid, key in names.items():
            if col.get_card(cid).type != 0:
                states = col._backend.get_scheduling_states(cid)
                buttons["/".join(map(str, key))] = intervals(states)
    col.decks.select(col.decks.id_for_name(deck))
    queued = col.sched.get_queued_cards(fetch_limit=1000)
    shown = [names[entry.card.id] for entry in queued.cards]
    json.dump(
        {
            "today": col.sched.today,
            "fsrs": [fsrs_before, fsrs_after],
            "cards": cards,
            "revlog": revlog,
            "shown": shown,
            "buttons": buttons,
        },
        sys.stdout,
    )
    col.close()


if __name__ == "__main__":
    main()
