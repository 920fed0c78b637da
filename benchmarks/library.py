"""A synthetic notes library shaped like real notes, for the benchmarks."""

from __future__ import annotations

from pathlib import Path

WORDS = (
    "collective incentive procurement commune cadre quota harvest famine steel furnace "
    "policy ideology peasant grain output report plan campaign province county brigade"
).split()


def _sentence(seed: int, length: int) -> str:
    return " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(length)).capitalize()


def section_yaml(reading: int, section: int) -> str:
    """One section file making 25 cards: 8 points (5 cloze, 2 deletions each), 5 terms (with
    reverse cards), 5 questions; with an excerpt, a summary and some Markdown, like real notes."""
    seed = reading * 1000 + section
    lines = [
        f"title: Section {section} of reading {reading}",
        "excerpt: |",
        *(f"  {_sentence(seed + i, 14)}." for i in range(8)),
        f"summary: {_sentence(seed, 30)}.",
        "points:",
    ]
    for i in range(8):
        if i < 5:
            # Every deletion hides something of its own, as in notes that pass check cleanly.
            number, word = seed * 5 + i, f"{WORDS[i]}{seed}x{i}"
            cloze = f"In {{{{{number}::number}}}} the {{{{{word}}}}}"
            lines.append(f"  - text: {cloze} {_sentence(seed + i, 8)}.")
            lines.append(f"    note: {_sentence(seed + i + 1, 16)}.")
        else:
            lines.append(f"  - {_sentence(seed + i, 12)}.")
    lines.append("terms:")
    for i in range(5):
        lines.append(f"  - term: {WORDS[i]} {seed} {i}")
        emphasis = f" **{WORDS[i]}**" if i == 0 else ""
        lines.append(f"    definition: {_sentence(seed + i, 15)}{emphasis}.")
    lines.append("questions:")
    for i in range(5):
        lines.append(f"  - q: Why {_sentence(seed + i, 8).lower()} {i}?")
        lines.append(f"    a: {_sentence(seed + i + 2, 12)}.")
        lines.append(f"    note: {_sentence(seed + i + 3, 10)}.")
    return "\n".join(lines) + "\n"


def write_library(root: Path, readings: int, sections: int) -> list[Path]:
    """Write `readings` x `sections` section files under root; return the section files."""
    files: list[Path] = []
    for r in range(readings):
        folder = root / f"reading-{r:03d}"
        folder.mkdir(parents=True)
        (folder / "reading.yaml").write_text(f"title: Reading {r}\nreverse_terms: true\n")
        for s in range(sections):
            path = folder / f"{s + 1:04d}-section-{s + 1}.yaml"
            path.write_text(section_yaml(r, s))
            files.append(path)
    return files
