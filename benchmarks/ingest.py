"""`studykit ingest` on generated books of 1 MB and 4 MB: time, and growth with size.

Goals: the 1 MB book in at most 3 s, the 4 MB book in at most 4.5x the 1 MB time (no quadratic
step). Each is a whole `studykit ingest` process, timed side by side (alternating runs). A
breakdown of the 4 MB run by stage follows, the read-back check of the written files included.

    python benchmarks/ingest.py [--runs 3] [--format txt|md|html]
"""

from __future__ import annotations

import argparse
import gc
import itertools
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from timing import as_installed

WORDS = (
    "harvest grain quota cadre village commune county province famine labour steel furnace "
    "report target policy reform market price output yield irrigation canal campaign leader "
    "official peasant household cooperative ration mess hall winter spring autumn export "
    "import railway factory worker engineer survey census estimate death birth record archive"
).split()
NAMES = [
    "Peng Dehuai", "Liu Shaoqi", "Deng Xiaoping", "Zhou Enlai", "Chen Yun", "Lin Biao",
    "Great Leap Forward", "Lushan Conference", "North China Plain", "Yellow River",
    "Ministry of Agriculture", "State Planning Commission",
]  # fmt: skip
CHAPTER_BYTES = 30_000


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 24))]
    if rng.random() < 0.5:
        words.insert(rng.randrange(len(words)), rng.choice(NAMES))
    if rng.random() < 0.4:
        words.insert(rng.randrange(len(words)), f"in {rng.randint(1949, 1989)}")
    if rng.random() < 0.2:
        words.insert(rng.randrange(len(words)), f"{rng.randint(2, 90)} million")
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def book(megabytes: int, fmt: str, seed: int = 1958) -> str:
    """A deterministic book of chapters of hard-wrapped paragraphs, about `megabytes` MB."""
    rng = random.Random(seed)
    parts = [{"txt": "A Generated History\n\n", "md": "# A Generated History\n\n"}.get(fmt, "")]
    if fmt == "html":
        parts.append("<html><head><title>A Generated History</title></head><body>\n")
    size, chapter = 0, 0
    while size < megabytes * 1_000_000:
        chapter += 1
        title = f"Chapter {chapter}: The {rng.choice(WORDS).title()} of {rng.choice(NAMES)}"
        parts.append(
            {"txt": f"{title}\n\n", "md": f"## {title}\n\n", "html": f"<h2>{title}</h2>\n"}[fmt]
        )
        written = 0
        while written < CHAPTER_BYTES:
            paragraph = " ".join(sentence(rng) for _ in range(rng.randint(2, 7)))
            if fmt == "html":
                text = f"<p>{paragraph}</p>\n"
            else:
                text = "\n".join(textwrap.wrap(paragraph, 72)) + "\n\n"
            parts.append(text)
            written += len(text)
        size += written
    if fmt == "html":
        parts.append("</body></html>\n")
    return "".join(parts)


def stages(path: Path, notes: Path) -> None:
    """Time each stage of one ingest in this process."""
    from studykit.ingest.draft_notes import draft_reading
    from studykit.ingest.sections import plan_sections
    from studykit.ingest.sources import parse, read_source
    from studykit.ingest.yaml_writer import section_yaml
    from studykit.notes.drafts import fingerprint
    from studykit.notes.validate import load_reading

    gc.disable()  # as the command does
    marks = [("start", time.process_time())]
    source = read_source(path)
    document = parse(source)
    marks.append(("read and split", time.process_time()))
    sections = plan_sections(document)
    drafts = draft_reading(sections)
    marks.append(("draft", time.process_time()))
    folder = notes / "stages"
    folder.mkdir(parents=True)
    (folder / "reading.yaml").write_text('title: "Stages"\n', encoding="utf-8")
    for section, draft in zip(sections, drafts, strict=True):
        text = section_yaml(section, draft, path.name)
        (folder / section.file_name).write_text(text, encoding="utf-8")
    marks.append(("write YAML", time.process_time()))
    reading = load_reading(folder)
    marks.append(("read back (strict loader)", time.process_time()))
    for section in reading.sections:
        fingerprint(section)
    marks.append(("draft markers", time.process_time()))
    gc.enable()
    print(f"  stages of the {path.stat().st_size / 1e6:.1f} MB book, in this process:")
    for (_, before), (name, after) in itertools.pairwise(marks):
        print(f"    {name:<28} {(after - before) * 1000:8.1f} ms CPU")


def alternate_with_cpu(commands: dict[str, list[str]], runs: int) -> dict[str, tuple[float, float]]:
    """Median wall and CPU seconds of each command, runs interleaved, after one warm-up each.

    CPU time (user + system of the child) is shown beside wall time because other work on a
    shared machine stretches wall time but not the CPU time a run needs.
    """
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs + 1):
        for name, argv in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run(argv, capture_output=True, check=False, env=as_installed())
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if done.returncode != 0:
                raise SystemExit(f"{name} failed:\n{done.stderr.decode()[-2000:]}")
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            times[name].append((wall, cpu))
    return {
        name: (
            statistics.median(w for w, _ in values[1:]),
            statistics.median(c for _, c in values[1:]),
        )
        for name, values in times.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--format", choices=("txt", "md", "html"), default="txt")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        commands = {}
        for megabytes in (1, 4):
            path = folder / f"book-{megabytes}mb.{args.format}"
            path.write_text(book(megabytes, args.format), encoding="utf-8")
            print(f"{path.name}: {path.stat().st_size / 1e6:.2f} MB")
            commands[f"ingest {megabytes} MB"] = [
                sys.executable, "-m", "studykit", "ingest", str(path), "--force",
                "--notes", str(folder / "notes"),
            ]  # fmt: skip
        medians = alternate_with_cpu(commands, args.runs)
        (small, small_cpu), (large, large_cpu) = medians["ingest 1 MB"], medians["ingest 4 MB"]
        sections = len(list((folder / "notes" / "book-4mb").glob("*.yaml"))) - 1
        print(f"ingest ({args.format}), median of {args.runs} alternating runs (wall, CPU):")
        verdict = "meets" if small <= 3 else "MISSES"
        print(f"  1 MB book {small:6.2f} s, {small_cpu:6.2f} s CPU (goal <= 3 s): {verdict}")
        print(f"  4 MB book {large:6.2f} s, {large_cpu:6.2f} s CPU, {sections} sections")
        ratio = large / small
        verdict = "meets" if ratio <= 4.5 else "MISSES"
        print(
            f"  ratio 4 MB / 1 MB {ratio:.2f}x, CPU {large_cpu / small_cpu:.2f}x "
            f"(goal <= 4.5x): {verdict}"
        )
        stages(folder / f"book-4mb.{args.format}", folder / "stages")
    raise SystemExit(0 if small <= 3 and ratio <= 4.5 else 1)


if __name__ == "__main__":
    main()
