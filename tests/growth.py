"""Time that grows with the input, measured as tests may measure it: CPU seconds of the work
with the cycle collector paused (its passes come at allocation counts, not at the work's size),
and runs at n and 2n timed in pairs, within a generous ratio."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

LIMIT = 2.5
FLOOR = 0.2  # seconds of CPU: below it, a run is all start-up and noise


def cpu_seconds(work: Callable[[], object]) -> float:
    """The CPU time `work` takes, with the cycle collector paused."""
    gc.collect()
    gc.disable()
    try:
        start = time.process_time()
        work()
        return time.process_time() - start
    finally:
        gc.enable()


def assert_doubling(seconds: Callable[[int], float], n: int, what: str, read: str) -> None:
    """n and 2n timed back to back, up to five times, within LIMIT in one of them: else
    something reads `read` ("this reading", "this bibliography") in more than linear time.

    Each pair is timed together so that both see the machine alike: on a shared machine its
    speed changes from second to second, and the best of runs minutes apart compared a quick
    moment with a slow one. Work that grows with the square of n takes about 4x in every pair."""
    best = (float("inf"), 0.0, 0.0)
    for _ in range(5):
        small, large = seconds(n), seconds(2 * n)
        ratio = max(large, FLOOR) / max(small, FLOOR)
        best = min(best, (ratio, small, large))
        if ratio <= LIMIT:
            break
    ratio, small, large = best
    assert ratio <= LIMIT, (
        f"{what}: {small:.2f} s at {n:,}, {large:.2f} s at {2 * n:,}, over {LIMIT}x: "
        f"something reads {read} in more than linear time"
    )
