"""Study a studykit deck in Anki's own engine, at chosen times, and save the collection as a
student would: a `.colpkg` backup, an `.apkg` exported with scheduling, the closed
`collection.anki2`. Prints every card as Anki then holds it, as JSON.

Run by `tests/test_pull.py` under libfaketime (as `anki_schedule_driver.py` is). The plan (JSON,
argv[1]) names the deck, the folder to work in, a seed and the answers per card. Every card is
answered when it comes due (a learning step minutes after, a review any hour of its due day);
with `midway` (days) a backup `older.colpkg` (and a copy of the closed collection,
`older.anki2`) is made that far into the plan; then, at the end, one card is reset ("Forget"),
one given a due date by hand, one suspended, one crammed in a filtered deck that does not
reschedule and one reviewed early in a filtered deck that does.
"""

from __future__ import annotations

import heapq
import json
import os
import random
import shutil
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from anki_schedule_driver import set_clock

DAY = 86_400


def main() -> None:
    plan = json.loads(sys.argv[1])
    zone = ZoneInfo(os.environ["TZ"])
    rng = random.Random(plan["seed"])
    start = datetime.fromisoformat(plan["start"]).timestamp()
    set_clock(start)
    folder = Path(plan["folder"])

    from anki.collection import Collection, ExportAnkiPackageOptions, ImportAnkiPackageRequest
    from anki.import_export_pb2 import ImportAnkiPackageOptions
    from anki.scheduler.v3 import CardAnswer

    path = str(folder / "collection.anki2")
    col = Collection(path)
    col.import_anki_package(
        ImportAnkiPackageRequest(package_path=plan["apkg"], options=ImportAnkiPackageOptions())
    )
    col.set_config("fsrs", True)
    col.load_balancer_enabled = False  # each interval the scheduler's own
    if plan.get("foreign"):  # a note studykit did not make
        note = col.new_note(col.models.by_name("Basic"))
        note["Front"], note["Back"] = "mine", "not studykit's"
        col.add_note(note, 1)
    cards = sorted(col.find_cards("tag:studykit"))
    for did in {col.get_card(cid).did for cid in cards}:
        config = col.decks.config_dict_for_deck_id(did)
        config["desiredRetention"] = plan["retention"]
        if plan.get("parameters"):
            config["fsrsParams6"] = plan["parameters"]
        col.decks.update_config(config)
    created = datetime.fromtimestamp(start, zone)

    def day_start(day: int) -> float:
        first = (created - timedelta(hours=4)).date() + timedelta(days=day)
        return datetime(first.year, first.month, first.day, 4, tzinfo=zone).timestamp()

    ratings = {1: CardAnswer.AGAIN, 2: CardAnswer.HARD, 3: CardAnswer.GOOD, 4: CardAnswer.EASY}

    def answer(cid: int, rating: int) -> None:
        card = col.get_card(cid)
        card.start_timer()
        states = col._backend.get_scheduling_states(card.id)
        col.sched.answer_card(
            col.sched.build_answer(card=card, states=states, rating=ratings[rating])
        )

    goals = {cid: rng.randint(*plan["answers"]) for cid in cards}
    queue = [(start + rng.uniform(0, DAY), cid) for cid in cards]
    heapq.heapify(queue)
    end = start + plan["days"] * DAY
    midway = start + plan["midway"] * DAY if plan.get("midway") else None
    while queue:
        moment, cid = heapq.heappop(queue)
        if midway is not None and moment >= midway:  # a backup of the time: closes it
            set_clock(midway)
            col.export_collection_package(
                str(folder / "older.colpkg"), include_media=False, legacy=False
            )
            shutil.copyfile(path, folder / "older.anki2")
            col = Collection(path)
            midway = None
        set_clock(moment)
        answer(cid, rng.choices([1, 2, 3, 4], weights=[15, 10, 65, 10])[0])
        card = col.get_card(cid)
        if card.reps >= goals[cid]:
            continue
        if card.queue == 1:
            later = card.due + rng.choice([0, 30, 600])
        else:
            later = day_start(card.due) + rng.uniform(3600, DAY - 3600)
        if later < end:
            heapq.heappush(queue, (max(later, moment + 60), cid))

    set_clock(end)
    reset, dated, suspended, crammed, early = cards[:5]
    col.sched.schedule_cards_as_new([reset], restore_position=True, reset_counts=False)
    col.sched.set_due_date([dated], "3")
    col.sched.suspend_cards([suspended])
    for cid, reschedule in ((crammed, False), (early, True)):
        deck = col.sched.get_or_create_filtered_deck(deck_id=0)
        deck.name = f"Filtered {cid}"
        deck.config.search_terms[0].search = f"cid:{cid}"
        deck.config.reschedule = reschedule
        did = col.sched.add_or_update_filtered_deck(deck).id
        set_clock(end + 600)
        answer(cid, 3)
        col.sched.empty_filtered_deck(did)
    set_clock(end + 1200)

    def held() -> list[dict[str, object]]:
        found = []
        for cid in cards:
            card = col.get_card(cid)
            memory = card.memory_state
            due = card.odue if card.odid and card.odue else card.due
            found.append(
                {
                    "guid": card.note().guid,
                    "ord": card.ord,
                    "type": card.type,
                    "queue": card.queue,
                    "due": due,
                    "due_at": due if due > 1_000_000_000 else day_start(due),
                    "ivl": card.ivl,
                    "left": card.left,
                    "reps": card.reps,
                    "lapses": card.lapses,
                    "stability": memory.stability if memory else None,
                    "difficulty": memory.difficulty if memory else None,
                }
            )
        return found

    result = {
        "cards": held(),
        "answers": col.db.scalar(
            "SELECT count() FROM revlog WHERE ease BETWEEN 1 AND 4 AND type < 4 "
            "AND NOT (type = 3 AND factor = 0)"
        ),
        "kinds": sorted({kind for (kind,) in col.db.all("SELECT DISTINCT type FROM revlog")}),
        "special": {
            name: cards.index(cid)
            for name, cid in zip(
                ("reset", "dated", "suspended", "crammed", "early"), cards[:5], strict=True
            )
        },
    }
    col.export_collection_package(str(folder / "backup.colpkg"), include_media=False, legacy=False)
    col = Collection(path)
    col.export_anki_package(
        out_path=str(folder / "reviews.apkg"),
        options=ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=True, with_media=False
        ),
        limit=None,
    )
    col.close()
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
