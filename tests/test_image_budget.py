"""The pixels typst must hold to print a PDF handout are bounded: each picture, those an SVG
embeds included, and all of a handout's together; a typst that runs out of memory anyway says
so in one line."""

from __future__ import annotations

import resource
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from conftest import Runner
from image_files import chunk, data_uri, svg

SECTION = "notes/r/01-a.yaml"
MORE = "(scale it down, or raise STUDYKIT_MAX_IMAGE_MB: 2.5 megapixels per MB)"


def _black(width: int, height: int, colour: int = 0, depth: int = 1, tag: bytes = b"") -> bytes:
    """A whole PNG of black pixels: one bit each (small to write and to read), or of the colour
    type and depth given; `tag` makes files of one size differ."""
    channels = {0: 1, 6: 4}[colour]
    header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    packer, row = zlib.compressobj(), bytes(1 + (width * channels * depth + 7) // 8)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    text = chunk(b"tEXt", b"Comment\0" + tag) if tag else b""
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + text
        + chunk(b"IDAT", idat)
        + chunk(b"IEND", b"")
    )


def _reading(folder: Path, *names: str) -> None:
    """A reading whose section shows each image on its own line, from line 5 on."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "reading.yaml").write_text(f"title: {folder.name}\n", encoding="utf-8")
    lines = ["title: A", "summary: S.", "points:", '  - "In {{1959}} the maps were drawn."']
    lines += [f'  - "Figure {n}: ![f]({name})"' for n, name in enumerate(names, 1)]
    (folder / "01-a.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)
    monkeypatch.delenv("STUDYKIT_MAX_IMAGE_MB", raising=False)
    return tmp_path


def test_a_picture_inside_an_svg_has_the_pixel_bound(here: Path, run: Runner) -> None:
    """8,000 x 8,000 pixels are refused as a file; inside an SVG they were drawn (2 GB)."""
    folder = here / "notes" / "r"
    big = _black(8_000, 8_000)
    framed = f'<image width="100" height="100" href="{data_uri("image/png", big)}"/>'
    _reading(folder, "map.svg", "nested.svg", "small.svg")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "map.svg").write_bytes(svg(framed))
    inner = data_uri("image/svg+xml", svg(framed))
    (folder / "nested.svg").write_bytes(svg(f'<image width="10" height="10" href="{inner}"/>'))
    small = data_uri("image/png", _black(7_000, 7_000))
    (folder / "small.svg").write_bytes(svg(f'<image width="10" height="10" href="{small}"/>'))
    result = run("check")
    assert result.exit_code == 1, result
    too_many = (
        "embeds a picture that is 8,000 x 8,000 pixels (64.0 megapixels); images are limited "
        f"to 50 megapixels {MORE}"
    )
    assert result.stderr.splitlines()[:2] == [
        f"{SECTION}:5:16: error: image 'map.svg' {too_many}",
        f"{SECTION}:6:16: error: image 'nested.svg' {too_many}",
    ], result
    assert "check: 2 errors" in result.stderr, result
    printed = run("outline", "-f", "pdf", "-o", "out.pdf")
    assert printed.exit_code == 1 and not Path("out.pdf").exists(), printed


def test_a_pdf_handout_has_a_budget_of_pixels(here: Path, run: Runner) -> None:
    """Five 49-megapixel pictures: each within the bound, together past the 200 a PDF sets."""
    folder = here / "notes" / "r"
    names = [f"fig{n}.png" for n in range(1, 6)]
    _reading(folder, *names)
    for n, name in enumerate(names):
        (folder / name).write_bytes(_black(7_000, 7_000, tag=str(n).encode()))
    assert run("check").exit_code == 0
    printed = run("outline", "-f", "pdf", "-o", "out.pdf")
    assert printed.exit_code == 1, printed
    assert printed.stderr.splitlines() == [
        f"{SECTION}:9:1: error: the reading's images hold 245 megapixels, more than the 200 "
        "megapixels a PDF handout sets, and the image 'fig5.png' here passes the limit: scale "
        "images down, split the reading into readings, or print the outline with -f html or -f md"
    ], printed
    assert not Path("out.pdf").exists()
    assert run("outline", "-f", "md", "-o", "out.md").exit_code == 0


def test_a_summary_s_pictures_count_too(here: Path, run: Runner) -> None:
    """Four 49-megapixel pictures fit; a fifth in the section's summary passes the budget."""
    folder = here / "notes" / "r"
    names = [f"fig{n}.png" for n in range(1, 5)]
    _reading(folder, *names)
    for n, name in enumerate([*names, "cover.png"]):
        (folder / name).write_bytes(_black(7_000, 7_000, tag=str(n).encode()))
    assert run("outline", "-f", "pdf", "-o", "out.pdf").exit_code == 0
    section = folder / "01-a.yaml"
    text = section.read_text(encoding="utf-8")
    section.write_text(text.replace("summary: S.", "summary: S. ![c](cover.png)"), "utf-8")
    printed = run("outline", "-f", "pdf", "-o", "again.pdf")
    assert printed.exit_code == 1, printed
    assert printed.stderr.splitlines()[0].startswith(
        f"{SECTION}:8:1: error: the reading's images hold 245 megapixels, more than the 200 "
        "megapixels a PDF handout sets, and the image 'fig4.png' here passes the limit"
    ), printed
    assert not Path("again.pdf").exists()


def test_a_picture_shown_again_counts_once(here: Path, run: Runner) -> None:
    """typst decodes a file once however often the handout shows it."""
    folder = here / "notes" / "r"
    _reading(folder, *["fig.png"] * 5)
    (folder / "fig.png").write_bytes(_black(7_000, 7_000))
    printed = run("outline", "-f", "pdf", "-o", "out.pdf")
    assert printed.exit_code == 0, printed
    text = subprocess.run(["pdftotext", "out.pdf", "-"], capture_output=True, text=True).stdout
    assert "Figure 5:" in text, text


def test_a_course_pack_has_one_budget_for_all_its_readings(here: Path, run: Runner) -> None:
    for reading, offset in (("a", 0), ("b", 3)):
        names = [f"fig{n}.png" for n in range(1, 4)]
        _reading(here / "notes" / reading, *names)
        for n, name in enumerate(names, offset):
            (here / "notes" / reading / name).write_bytes(_black(7_000, 7_000, tag=bytes([n])))
    printed = run("outline", "-f", "pdf", "-o", "pack.pdf")
    assert printed.exit_code == 1, printed
    assert printed.stderr.splitlines() == [
        "notes/b/01-a.yaml:6:1: error: the course pack's images hold 294 megapixels, more than "
        "the 200 megapixels a PDF handout sets, and the image 'fig2.png' here passes the "
        "limit: scale images down, make two packs of fewer readings, or print the outline with "
        "-f html or -f md"
    ], printed
    assert not Path("pack.pdf").exists()


def test_typst_out_of_memory_is_one_plain_line(here: Path) -> None:
    """Under a memory cap a 49-megapixel RGBA picture kills typst (Rust aborts): the student
    reads what happened and what to do, not a note about Rust's backtrace."""
    folder = here / "notes" / "r"
    _reading(folder, "photo.png")
    (folder / "photo.png").write_bytes(_black(7_000, 7_000, colour=6, depth=8))

    def capped() -> None:
        cap = 600 * 1024 * 1024  # the handout without its picture typesets within it
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    command = [sys.executable, "-m", "studykit", "outline", "-f", "pdf", "-o", "out.pdf"]
    result = subprocess.run(command, capture_output=True, text=True, preexec_fn=capped)
    assert result.returncode == 1, result
    assert result.stderr.splitlines() == [
        "notes/r: error: ran out of memory typesetting this PDF handout (typst stopped by "
        "signal 6): make its images fewer or smaller, split it, or print it with -f html"
    ], result
    assert not Path("out.pdf").exists()
    (folder / "01-a.yaml").write_text(
        "title: A\nsummary: S.\npoints:\n  - In {{1959}} the maps were drawn.\n", encoding="utf-8"
    )
    plain = subprocess.run(command, capture_output=True, text=True, preexec_fn=capped)
    assert plain.returncode == 0, plain
