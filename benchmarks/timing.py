"""Timing whole processes side by side: runs alternate so that machine noise hits both alike."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Mapping, Sequence


def as_installed(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """`env` (default: this one) with bytecode caching on, as after `pip install`.

    pip writes each module's .pyc at install; a shell with PYTHONDONTWRITEBYTECODE set (some
    containers set it) would instead compile every module changed since its last .pyc on every
    run, timing the compiler rather than the command.
    """
    result = dict(os.environ if env is None else env)
    result.pop("PYTHONDONTWRITEBYTECODE", None)
    return result


def alternate(
    commands: Mapping[str, Sequence[str]], runs: int, env: Mapping[str, str] | None = None
) -> dict[str, float]:
    """Run each command `runs` times, interleaved, after one warm-up each; median seconds."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    env = as_installed(env)
    for _ in range(runs + 1):
        for name, argv in commands.items():
            start = time.perf_counter()
            done = subprocess.run(argv, capture_output=True, env=env, check=False)
            elapsed = time.perf_counter() - start
            if done.returncode != 0:
                raise SystemExit(
                    f"{name} failed ({done.returncode}):\n{done.stderr.decode()[-2000:]}"
                )
            times[name].append(elapsed)
    # The first round warms the file cache and .pyc files; it is not counted.
    return {name: statistics.median(values[1:]) for name, values in times.items()}


def report(
    title: str,
    medians: Mapping[str, float],
    ours: str,
    goals: Mapping[str, float] | str,
    goal: float | None = None,
) -> bool:
    """Print the medians and our ratio to each baseline with its goal; True if all are met.

    `goals` maps each baseline to its goal, or names the one baseline whose goal is `goal`.
    """
    if isinstance(goals, str):
        assert goal is not None, "a goal for the one baseline"
        goals = {goals: goal}
    print(title)
    for name, seconds in medians.items():
        print(f"  {name:<34} {seconds * 1000:9.1f} ms")
    ok = True
    for baseline, most in goals.items():
        ratio = medians[ours] / medians[baseline]
        verdict = "meets" if ratio <= most else "MISSES"
        print(f"  ratio to {baseline}: {ratio:.2f}x (goal <= {most}x): {verdict}")
        ok &= ratio <= most
    return ok
