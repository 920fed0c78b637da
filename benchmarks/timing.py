"""Timing whole processes side by side: runs alternate so that machine noise hits both alike."""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path


def as_installed(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """`env` (default: this one) running studykit as a student's `pip install` has it: from an
    installed copy of this tree (`installed_copy`), its bytecode written at install.

    An editable install imports each module through its finder and from the working tree; and
    a shell with PYTHONDONTWRITEBYTECODE set (some containers set it) would compile every
    module changed since its last .pyc on every run, timing the compiler rather than the
    command.
    """
    result = dict(os.environ if env is None else env)
    result.pop("PYTHONDONTWRITEBYTECODE", None)
    paths = [str(installed_copy()), result.get("PYTHONPATH", "")]
    result["PYTHONPATH"] = os.pathsep.join(path for path in paths if path)
    return result


@functools.cache
def installed_copy() -> Path:
    """This tree installed (`pip install --no-deps --target`) in a scratch folder removed when
    the benchmark ends: first on PYTHONPATH, it is the studykit every command imports."""
    folder = Path(tempfile.mkdtemp(prefix="studykit-installed-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    tree = Path(__file__).resolve().parent.parent
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(folder),
         str(tree)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return folder


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
