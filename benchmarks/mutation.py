"""Mutation testing of the core modules: how many small planted bugs the tests catch.

mutmut (configured under `[tool.mutmut]` in pyproject.toml) changes one operator, constant or
call at a time in notes loading, cloze, markup, cards, identity and strict YAML, and runs the
tests that reach the changed function. A mutant the tests fail on is killed; one they pass on
survived. It runs in a scratch copy of the committed tree, so the work tree stays untouched.
Not part of CI: a whole run takes about an hour on 2 cores.

    pip install -e '.[test,mutation]'
    python benchmarks/mutation.py                       # every module
    python benchmarks/mutation.py 'studykit.notes.cloze*'     # one module (mutmut name globs)
    python benchmarks/mutation.py --survivors           # also print each surviving change
    python benchmarks/mutation.py --keep DIR --again    # after new tests: rerun what was not
                                                        # killed, on the code as it is now
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KILLED = ("killed", "timeout")  # a mutant that hangs the tests is caught too
KILLED_CODES = (1, 3)  # mutmut's exit codes for a kill (3: pytest's internal error)


def scratch_copy(folder: Path) -> Path:
    """A detached worktree of HEAD: committed code and tests, no one's unsaved edits."""
    target = folder / "studykit"
    subprocess.run(
        ["git", "-C", str(REPO), "worktree", "add", "--detach", "--quiet", str(target), "HEAD"],
        check=True,
    )
    return target


def run_again(copy: Path) -> None:
    """Bring a kept scratch copy to HEAD and mark every mutant not killed as unchecked.

    mutmut itself reruns the mutants of functions that changed and collects which new tests
    reach which function; a kill stays a kill while tests are only added.
    """
    head = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    subprocess.run(["git", "-C", str(copy), "checkout", "--quiet", "--detach", head], check=True)
    for meta in (copy / "mutants").rglob("*.meta"):
        data = json.loads(meta.read_text())
        codes = data["exit_code_by_key"]
        data["exit_code_by_key"] = {k: c if c in KILLED_CODES else None for k, c in codes.items()}
        meta.write_text(json.dumps(data))


def results(copy: Path) -> dict[str, str]:
    """mutant name -> status (killed, survived, no tests, timeout, not checked, ...)."""
    done = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        cwd=copy,
        capture_output=True,
        text=True,
        check=True,
    )
    statuses = {}
    for line in done.stdout.splitlines():
        name, _, status = line.strip().partition(": ")
        if status:
            statuses[name] = status
    return statuses


def table(statuses: dict[str, str]) -> str:
    """Per module: mutants tried, killed, survived, untested, and the kill rate."""
    counts: dict[str, Counter[str]] = {}
    for name, status in statuses.items():
        module = name.split(".x")[0]
        counts.setdefault(module, Counter())[status] += 1
    rows = [
        "| module | mutants | killed | survived | no test | kill rate |",
        "|---|---|---|---|---|---|",
    ]
    total: Counter[str] = Counter()
    for module, count in sorted(counts.items()):
        total.update(count)
        rows.append(_row(module, count))
    rows.append(_row("**all**", total))
    return "\n".join(rows)


def _row(label: str, count: Counter[str]) -> str:
    killed = sum(count[s] for s in KILLED)
    tried = killed + count["survived"] + count["no tests"]
    rate = f"{100 * killed / tried:.1f}%" if tried else "-"
    return f"| {label} | {tried} | {killed} | {count['survived']} | {count['no tests']} | {rate} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="mutmut mutant name globs (default: all)")
    parser.add_argument("--jobs", type=int, default=2, help="mutants run at once (default 2)")
    parser.add_argument("--survivors", action="store_true", help="print each surviving change")
    parser.add_argument("--keep", type=Path, help="run in this folder and keep it")
    parser.add_argument(
        "--again", action="store_true", help="with --keep: rerun all not killed, at HEAD"
    )
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="studykit-mutation-"))
    copy = folder / "studykit" if (folder / "studykit").is_dir() else scratch_copy(folder)
    if args.again:
        run_again(copy)
    started = datetime.now(UTC)
    subprocess.run(
        [sys.executable, "-m", "mutmut", "run", "--max-children", str(args.jobs), *args.names],
        cwd=copy,
        check=False,
    )
    statuses = results(copy)
    minutes = (datetime.now(UTC) - started).total_seconds() / 60
    print(f"\nmutation run of {started:%Y-%m-%d}, {minutes:.0f} min, in {copy}\n")
    print(table({n: s for n, s in statuses.items() if s != "not checked"}))
    if args.survivors:
        for name, status in statuses.items():
            if status == "survived":
                shown = subprocess.run(
                    [sys.executable, "-m", "mutmut", "show", name],
                    cwd=copy,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                changed = [x for x in shown.stdout.splitlines() if x[:2] in ("- ", "+ ")]
                print(f"\n{name}\n" + "\n".join(changed))


if __name__ == "__main__":
    main()
