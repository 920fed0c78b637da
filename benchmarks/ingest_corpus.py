"""`ingest`, then `check` and `deck`, on every Markdown and HTML document of this machine.

Not a test (it reads what happens to be installed, and takes long): a survey, to find the
documents ingest fails on. Each document goes through the three commands as a student runs
them, in a fresh folder; the counts are printed, with each failure's file and first line.

    python benchmarks/ingest_corpus.py [--root /] [--sample-rustdoc 200] [--limit N]
        [--list files.txt] [--report report.txt]

Found: *.md, *.markdown, *.html, *.htm, *.xhtml, the same gzipped (as Debian ships them under
/usr/share/doc), the licences in /usr/share/common-licenses, and the Markdown long descriptions
in installed packages' METADATA. Identical files are taken once. Package indexes (`simple/`
folders of a local package mirror: a list of file links per package) are not documents. The
Rust toolchain's API pages (over 100,000 generated pages of one kind) are sampled, every Nth
in sorted order.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import hashlib
import os
import re
import sys
import tempfile
import time
from pathlib import Path

SUFFIXES = (".md", ".markdown", ".html", ".htm", ".xhtml")
SKIPPED_TREES = ("/proc", "/sys", "/dev", "/run", "/tmp", "/work", "/farm", "/snap")
# A package index's pages (`simple/<name>/index.html`) are lists of files, not documents.
PACKAGE_INDEX = re.compile(r"/simple(?:/|$)")
RUSTDOC = "/.rustup/"
MAX_BYTES = 4_000_000


def documents(root: Path, rustdoc_every: int) -> list[Path]:
    """Every document under `root`, sorted; the Rust API pages sampled."""
    found: list[Path] = []
    rust: list[Path] = []
    for folder, dirs, files in os.walk(root):
        if folder.startswith(SKIPPED_TREES) and folder != "/":
            dirs[:] = []
            continue
        dirs[:] = [d for d in dirs if _wanted_folder(f"{folder.rstrip('/')}/{d}")]
        for name in files:
            path = Path(folder, name)
            lower = name.lower()
            wanted = lower.endswith(SUFFIXES) or lower.removesuffix(".gz").endswith(SUFFIXES)
            wanted = wanted or folder == "/usr/share/common-licenses"
            wanted = wanted or (name == "METADATA" and folder.endswith(".dist-info"))
            if not wanted or path.is_symlink() or not path.is_file():
                continue
            (rust if RUSTDOC in str(path) else found).append(path)
    rust.sort()
    return sorted(found) + rust[::rustdoc_every]


def _wanted_folder(folder: str) -> bool:
    return not folder.startswith(SKIPPED_TREES) and not PACKAGE_INDEX.search(folder)


def as_reading(path: Path, folder: Path) -> Path | None:
    """The file as ingest takes it: unzipped, a METADATA's Markdown description alone."""
    data = path.read_bytes()
    name = path.name
    if name.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError):
            return None
        name = name[:-3]
    if name == "METADATA":
        text = data.decode("utf-8", "replace")
        head, _, body = text.partition("\n\n")
        if "text/markdown" not in head.lower() or not body.strip():
            return None
        data, name = body.encode("utf-8"), "description.md"
    elif path.parent == Path("/usr/share/common-licenses"):
        name = re.sub(r"[^A-Za-z0-9]", "-", name) + ".txt"
    if not data.strip() or len(data) > MAX_BYTES:
        return None
    copy = folder / name
    copy.write_bytes(data)
    return copy


def survey(paths: list[Path], report: Path | None) -> int:
    from typer.testing import CliRunner

    from studykit.cli.app import app

    runner = CliRunner()
    counts: collections.Counter[str] = collections.Counter()
    failures: dict[str, list[str]] = collections.defaultdict(list)
    seen: set[str] = set()
    started = time.perf_counter()
    for number, path in enumerate(paths, start=1):
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            continue
        if digest in seen:
            counts["duplicates"] += 1
            continue
        seen.add(digest)
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            reading = as_reading(path, folder)
            if reading is None:
                counts["not a document (empty, too large, not Markdown)"] += 1
                continue
            counts["documents"] += 1
            notes = str(folder / "notes")
            steps = [
                ("ingested", ["ingest", str(reading), "--notes", notes, "--id", "doc"]),
                ("passed check", ["check", "doc", "--notes", notes]),
                ("built a deck", ["deck", "doc", "--notes", notes, "-o", str(folder / "d.apkg")]),
            ]
            for step, argv in steps:
                result = runner.invoke(app, argv, catch_exceptions=True)
                if result.exit_code == 0:
                    counts[step] += 1
                    continue
                if result.exception is not None and not isinstance(result.exception, SystemExit):
                    why = f"crash: {type(result.exception).__name__}: {result.exception}"
                else:
                    errors = [line for line in result.stderr.splitlines() if "error:" in line]
                    why = (errors or result.stderr.splitlines() or ["(no message)"])[0]
                    why = why.replace(str(folder), "")
                failures[f"{step.split()[0]}: {_kind(why)}"].append(f"{path}: {why}")
                break
        if number % 200 == 0:
            print(
                f"  {number}/{len(paths)} files, {time.perf_counter() - started:.0f} s", flush=True
            )
    lines = [f"{len(paths)} files found, {counts['duplicates']} duplicates of others"]
    for key in ("documents", "ingested", "passed check", "built a deck"):
        lines.append(f"  {key:<14} {counts[key]}")
    skipped = counts["not a document (empty, too large, not Markdown)"]
    lines.append(f"  not read       {skipped} (empty, over 4 MB, or a METADATA not in Markdown)")
    every = list(lines)
    for kind, cases in sorted(failures.items(), key=lambda item: -len(item[1])):
        lines.append(f"failed at {kind}: {len(cases)}")
        lines.extend(f"    {case}" for case in cases[:5])
        every.append(f"failed at {kind}: {len(cases)}")
        every.extend(f"    {case}" for case in cases)
    print("\n".join(lines))
    if report is not None:  # every failure, not the first five of each kind
        report.write_text("\n".join(every) + "\n", encoding="utf-8")
    return 1 if failures else 0


def _kind(message: str) -> str:
    """A failure's message without what differs from file to file (names, numbers, quotes)."""
    text = message.split(" error: ", 1)[-1]
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", text)
    return re.sub(r"\d[\d,.]*", "N", text)[:120]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("/"))
    parser.add_argument("--sample-rustdoc", type=int, default=200, metavar="N")
    parser.add_argument("--limit", type=int, default=0, help="only the first N files")
    parser.add_argument("--list", type=Path, help="read the files from this list instead")
    parser.add_argument("--report", type=Path, help="write the counts and every failure here")
    args = parser.parse_args()
    if args.list:
        paths = [Path(line) for line in args.list.read_text().splitlines() if line.strip()]
    else:
        paths = documents(args.root, args.sample_rustdoc)
    if args.limit:
        paths = paths[: args.limit]
    print(f"{len(paths)} files", flush=True)
    sys.exit(survey(paths, args.report))


if __name__ == "__main__":
    main()
