"""Time that grows with the input, measured as tests may measure it: CPU seconds of the work
with the cycle collector paused (its passes come at allocation counts, not at the work's size),
and the best of a few runs at n against the best at 2n, within a generous ratio."""

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


def assert_doubling(
    seconds: Callable[[int], float], n: int, what: str, read: str, limit: float = LIMIT
) -> None:
    """The best of two runs at n against the best of up to five at 2n, within `limit`: else
    something reads `read` ("this reading", "this bibliography") in more than linear time."""
    small = min(seconds(n) for _ in range(2))
    large = float("inf")
    for _ in range(5):
        large = min(large, seconds(2 * n))
        if max(large, FLOOR) <= limit * max(small, FLOOR):
            break
    assert max(large, FLOOR) <= limit * max(small, FLOOR), (
        f"{what}: {small:.2f} s at {n:,}, {large:.2f} s at {2 * n:,}, over {limit}x: "
        f"something reads {read} in more than linear time"
    )
