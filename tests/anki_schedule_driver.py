"""Answer cards through Anki's own scheduler at chosen times, and print what it did, as JSON.

Run by `tests/anki_schedule.py` under libfaketime, which sets the clock Anki's engine reads
before each answer. A simulation, event by event: every card is answered when a student would
answer it (any hour of its due day, sometimes late or early, learning steps a few minutes
after they come due), with ratings drawn from a seeded generator, so the same plan gives the
same answers at the same times. What Anki computed is recorded before each answer (the four
buttons' intervals) and after it (the card's phase, due, interval, memory state and counts).

Reads the plan from argv[1] (JSON) and the faked clock's file from $FAKETIME_TIMESTAMP_FILE.
"""

from __future__ import annotations

import heapq
import json
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

DAY = 86_400


def set_clock(epoch: float) -> None:
    """Move the faked clock to `epoch` (libfaketime reads the file on every call)."""
    stamp = datetime.fromtimestamp(epoch, ZoneInfo(os.environ["TZ"]))
    clock = Path(os.environ["FAKETIME_TIMESTAMP_FILE"])
    clock.write_text(stamp.strftime("@%Y-%m-%d %H:%M:%S"), encoding="ascii")
    # The clock is re-read on each call; wait until it shows the new time.
    for _ in range(1000):
        if abs(time.time() - epoch) < 5:
            return
        time.sleep(0.001)
    raise SystemExit(f"the faked clock did not move to {stamp}: {time.time()}")


def near_a_clock_change(epoch: float, zone: ZoneInfo) -> bool:
    """Whether the clocks change between 24 hours before and 30 hours after `epoch`."""
    offsets = {
        datetime.fromtimestamp(epoch + hours * 3600, zone).utcoffset() for hours in (-24, 30)
    }
    return len(offsets) > 1 or datetime.fromtimestamp(epoch, zone).utcoffset() not in offsets


def intervals(states: object) -> dict[str, list[float | None]]:
    """Each button's interval (days for review, seconds for learning) and memory state."""
    out: dict[str, list[float | None]] = {}
    for name in ("again", "hard", "good", "easy"):
        normal = getattr(states, name).normal
        kind = normal.WhichOneof("kind")
        inner = getattr(normal, kind)
        if kind == "relearning":
            learning, review = inner.learning, inner.review
            out[name] = [learning.scheduled_secs, None, review.scheduled_days]
            memory = learning.memory_state
        elif kind == "learning":
            out[name] = [inner.scheduled_secs, None, None]
            memory = inner.memory_state
        else:
            out[name] = [None, inner.scheduled_days, None]
            memory = inner.memory_state
        out[name] += [memory.stability, memory.difficulty]
    return out


def main() -> None:
    plan = json.loads(sys.argv[1])
    zone = ZoneInfo(os.environ["TZ"])
    rng = random.Random(plan["seed"])
    start = datetime.fromisoformat(plan["start"]).timestamp()
    set_clock(start)

    from anki.collection import Collection
    from anki.scheduler.v3 import CardAnswer

    col = Collection(plan["collection"])
    col.set_config("fsrs", True)
    # The load balancer moves intervals within their fuzz range to even out the days ahead:
    # off, so that each interval is the scheduler's own.
    col.load_balancer_enabled = False
    config = col.decks.config_dict_for_deck_id(1)
    config["desiredRetention"] = plan.get("retention", 0.9)
    col.decks.update_config(config)
    model = col.models.by_name("Basic")
    cards = []
    for number in range(plan["cards"]):
        note = col.new_note(model)
        note["Front"], note["Back"] = f"q{number}", f"a{number}"
        col.add_note(note, 1)
        cards.append(note.cards()[0].id)
    created = datetime.fromtimestamp(start, zone)

    def day_start(day: int) -> float:
        """Epoch seconds of 04:00 local on the collection's day number `day`."""
        first = created - timedelta(hours=4)
        date = first.date() + timedelta(days=day)
        return datetime(date.year, date.month, date.day, 4, tzinfo=zone).timestamp()

    goals = [rng.randint(plan["answers"][0], plan["answers"][1]) for _ in cards]
    # New cards are first answered spread over the first days, at any hour.
    queue = [(start + rng.uniform(0, 3 * DAY), index) for index in range(len(cards))]
    script = {}
    if "script" in plan:  # or answered exactly as told: [card, ISO time, rating], ...
        queue = [(datetime.fromisoformat(at).timestamp(), n) for n, at, _ in plan["script"]]
        script = {(n, datetime.fromisoformat(at).timestamp()): g for n, at, g in plan["script"]}
        goals = [0] * len(cards)
    heapq.heapify(queue)
    records = []
    ratings = {1: CardAnswer.AGAIN, 2: CardAnswer.HARD, 3: CardAnswer.GOOD, 4: CardAnswer.EASY}
    while queue:
        moment, index = heapq.heappop(queue)
        if not script and near_a_clock_change(moment, zone):
            # Anki's engine keeps the day it computed until that day ends, in the offset it had
            # then: around a clock change its day ends an hour off (the fault studykit does not
            # copy), so no answer falls from the eve of a change to the morning after.
            heapq.heappush(queue, (moment + DAY, index))
            continue
        if (
            not script
            and "ANKI_TEST_MODE" in os.environ
            and 2 <= datetime.fromtimestamp(moment, zone).hour < 4
        ):
            # In its test mode (no fuzz) Anki's engine sets its clock two hours back between
            # 02:00 and 04:00; answers in that window are moved past it.
            heapq.heappush(queue, (moment + 2 * 3600, index))
            continue
        set_clock(moment)
        card = col.get_card(cards[index])
        card.start_timer()
        states = col._backend.get_scheduling_states(card.id)
        rating = (
            script.get((index, moment))
            or rng.choices([1, 2, 3, 4], weights=plan.get("weights", [15, 10, 65, 10]))[0]
        )
        buttons = intervals(states)
        col.sched.answer_card(
            col.sched.build_answer(card=card, states=states, rating=ratings[rating])
        )
        card = col.get_card(card.id)
        memory = card.memory_state
        records.append(
            {
                "card": index,
                "time": moment,
                "rating": rating,
                "buttons": buttons,
                "type": card.type,
                "queue": card.queue,
                "due": card.due,
                "ivl": card.ivl,
                "left": card.left,
                "reps": card.reps,
                "lapses": card.lapses,
                "stability": memory.stability if memory else None,
                "difficulty": memory.difficulty if memory else None,
            }
        )
        if card.reps >= goals[index]:
            continue
        if card.queue == 1:  # learning: due is a timestamp
            later = card.due + rng.choice([0, 5, 30, 120, 600, 3600, 4 * 3600])
        else:  # review, or learning in days: due is a day number
            day = card.due + rng.choices([-1, 0, 1, 2, 5, 20], weights=[5, 70, 12, 6, 5, 2])[0]
            later = day_start(day) + rng.uniform(0, DAY - 60)
        if later < start + plan.get("horizon_days", 1500) * DAY:
            heapq.heappush(queue, (max(later, moment + 60), index))
    col.close()
    json.dump(records, sys.stdout)


if __name__ == "__main__":
    main()
