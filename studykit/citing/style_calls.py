"""The macro calls one citation or bibliography entry of a style makes, counted when the style is
loaded and bounded (MAX_MACRO_CALLS): a few kilobytes of macros that each call the one before
twice make a rendering of 2^40 calls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from studykit.citing.style_faults import CSL, macro_position, style_error

MAX_MACRO_CALLS = 10_000
"""Macro calls one citation or bibliography entry may make. The bundled styles make at most
345 (Chicago author-date's bibliography); citeproc-py takes about 0.4 s to make 10,000."""


def refuse_expansion(style: str, path: Path, root: Any, macros: dict[str | None, Any]) -> None:
    """Refuse a style in which one macro, or the <citation> or <bibliography> layout, makes
    more than MAX_MACRO_CALLS macro calls. A macro's count is its own call and its callees'
    counts, each macro counted once (macros call no one in a cycle: refused before this); of
    the branches of a <choose> only the costliest runs. The first macro found over the bound
    is the one to fix: every macro it calls is within it."""
    # Only the elements on the way to a call are walked (most of a style calls no macro):
    # each such element's children that lead to one.
    leads: dict[Any, list[Any]] = {}
    for call in root.iterfind(".//*[@macro]"):
        element, child = call, None
        while element is not None:
            known = element in leads
            children = leads.setdefault(element, [])
            if child is not None:
                children.append(child)
            if known:
                break
            element, child = element.getparent(), element
    counts: dict[str, int] = {}
    for name in callees_first(macros):
        total, worst = _calls(macros[name], counts, leads)
        counts[name] = 1 + total
        if counts[name] > MAX_MACRO_CALLS:
            line, col = macro_position(style, path, macros[name], name)
            subject = f'\'s macro "{name}" expands to {counts[name]:,} macro calls'
            raise style_error(style, path, _over(subject, worst, counts), line, col)
    for part in ("citation", "bibliography"):
        element = root.find(f"{CSL}{part}")
        total, worst = _calls(element, counts, leads)
        if total > MAX_MACRO_CALLS:
            subject = f"'s <{part}> makes {total:,} macro calls for each work"
            raise style_error(style, path, _over(subject, worst, counts), element.sourceline)


def _over(subject: str, worst: tuple[str, int], counts: dict[str, int]) -> str:
    name, times = worst
    said = {1: "once", 2: "twice"}.get(times, f"{times:,} times")
    return (
        f"{subject}, over the {MAX_MACRO_CALLS:,} studykit allows: it calls macro "
        f'"{name}" {said}, which expands to {counts[name]:,}'
    )


def callees_first(macros: dict[str | None, Any]) -> list[str]:
    """The macros' names, each after every macro it calls (the graph has no cycle)."""
    calls = {
        name: [e.get("macro") for e in macro.iterfind(".//*[@macro]")]
        for name, macro in macros.items()
        if name is not None
    }
    order: list[str] = []
    placed: set[str] = set()
    for start in calls:
        if start in placed:
            continue
        # Depth first without recursion: a chain of macros may be long.
        placed.add(start)
        stack = [(start, iter(calls[start]))]
        while stack:
            name, callees = stack[-1]
            callee = next(callees, None)
            if callee is None:
                order.append(name)
                stack.pop()
            elif callee not in placed and callee in calls:
                placed.add(callee)
                stack.append((callee, iter(calls[callee])))
    return order


def _calls(
    element: Any, counts: dict[str, int], leads: dict[Any, list[Any]]
) -> tuple[int, tuple[str, int]]:
    """The macro calls one rendering of `element` makes, given each macro's count, and the
    macro that costs it most, with how many times it is called."""
    times: dict[str, int] = {}
    total = _count(element, counts, leads, times) if element in leads else 0
    worst = max(times, key=lambda name: counts[name] * times[name], default="")
    return total, (worst, times.get(worst, 0))


def _count(
    element: Any, counts: dict[str, int], leads: dict[Any, list[Any]], times: dict[str, int]
) -> int:
    # Recursive over elements: libxml2 nests them at most 256 deep unless told otherwise.
    total = 0
    called = element.get("macro")
    if called is not None and called in counts:
        total += counts[called]
        times[called] = times.get(called, 0) + 1
    children = leads[element]
    if element.tag != f"{CSL}choose":
        return total + sum(_count(child, counts, leads, times) for child in children)
    # One branch of a choice runs: the costliest is what a rendering may make.
    branches = []
    for child in children:
        branch: dict[str, int] = {}
        branches.append((_count(child, counts, leads, branch), branch))
    if not branches:
        return total
    cost, branch = max(branches, key=lambda found: found[0])
    for name, count in branch.items():
        times[name] = times.get(name, 0) + count
    return total + cost
