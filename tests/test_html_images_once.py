"""An HTML handout holds each image file's bytes once, however often the notes show it.

The audit's case: one 5 MB PNG shown by 40 points made a 266 MB page (822 MB to write), 533 MB
as flashcards, which show it on each front and back. A file shown once is still an `<img>` of
its bytes, as before; a file shown more often is one SVG `<image>` that each place `<use>`s.
"""

from __future__ import annotations

import base64
import os
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from conftest import Runner
from handout_helpers import chromium, html_text, print_to_pdf


@pytest.fixture
def reading(empty_reading: Path) -> Path:
    """An empty reading, `notes/r`, in a fresh current folder."""
    return empty_reading


def png(width: int, height: int, colour: bytes = b"\xc8\x1e\x1e", noise: bool = False) -> bytes:
    """A PNG of squares of `colour` on white; with `noise`, random pixels stored uncompressed,
    so the file is as big as its pixels."""
    if noise:
        rows = b"".join(b"\x00" + os.urandom(width * 3) for _ in range(height))
        data = zlib.compress(rows, 0)
    else:
        rows = b"".join(
            b"\x00"
            + b"".join(colour if (x // 20 + y // 20) % 2 else b"\xff\xff\xff" for x in range(width))
            for y in range(height)
        )
        data = zlib.compress(rows)

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def points(reading: Path, images: list[str], name: str = "01-a.yaml") -> None:
    """A section of one cloze point for each image named."""
    lines = "".join(
        f'  - "![map {n}]({image}) In {{{{{1000 + n}}}}} it met."\n'
        for n, image in enumerate(images)
    )
    (reading / name).write_text(f"title: A\nsummary: s.\npoints:\n{lines}", encoding="utf-8")


def encoded(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@pytest.mark.parametrize(("layout", "shown"), [("cornell", 40), ("cards", 80)])
def test_a_picture_shown_by_40_points_is_embedded_once(
    reading: Path, run: Runner, layout: str, shown: int
) -> None:
    picture = png(600, 400, noise=True)  # 720 KB: 960 KB as base64
    (reading / "m.png").write_bytes(picture)
    points(reading, ["m.png"] * 40)
    result = run("outline", "-f", "html", "--layout", layout, "-o", "o.html")
    assert result.exit_code == 0, result
    page = Path("o.html").read_text(encoding="utf-8")
    assert page.count(encoded(picture)) == 1
    assert page.count("data:image/png;base64,") == 1
    assert page.count('<use href="#image-1"/>') == shown  # cards: each front and back
    assert "<img" not in page
    assert len(page) < len(encoded(picture)) + 120_000  # was 40 (80) copies: 38 MB (77 MB)
    assert page.count('<image id="image-1" width="600" height="400" href="data:image/png') == 1
    assert page.count('aria-label="map 39"') == (2 if layout == "cards" else 1)
    assert "map 39 In 1039 it met." in html_text(page)


def test_a_picture_shown_once_is_the_img_it_was(reading: Path, run: Runner) -> None:
    picture = png(40, 20)
    (reading / "m.png").write_bytes(picture)
    (reading / "n.png").write_bytes(png(20, 40))
    points(reading, ["m.png", "n.png"])
    result = run("outline", "-f", "html", "-o", "o.html")
    assert result.exit_code == 0, result
    page = Path("o.html").read_text(encoding="utf-8")
    assert (
        f'<span class="figure"><img src="data:image/png;base64,{encoded(picture)}" '
        'alt="map 0"><span class="caption">map 0</span></span> In <strong class="deletion">'
        "1000</strong> it met." in page
    )
    assert page.count("<img ") == 2
    assert "<svg" not in page and "\x00" not in page


def test_an_svg_is_sized_from_its_root(reading: Path, run: Runner) -> None:
    (reading / "a.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="30mm" viewBox="0 0 12 6">'
        '<rect width="12" height="6" fill="green"/></svg>',
        encoding="utf-8",
    )
    (reading / "b.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0,0,200,50"><rect/></svg>',
        encoding="utf-8",
    )
    (reading / "c.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="100%"><rect/></svg>', encoding="utf-8"
    )
    points(reading, ["a.svg", "a.svg", "b.svg", "b.svg", "c.svg", "c.svg"])
    result = run("outline", "-f", "html", "-o", "o.html")
    assert result.exit_code == 0, result
    page = Path("o.html").read_text(encoding="utf-8")
    # 30 mm is 113.4 CSS pixels; its height follows the viewBox; no size: 300 x 150, as <img>.
    assert page.count('<image id="image-1" width="113" height="57" href="data:image/svg+xml') == 1
    assert page.count('<image id="image-2" width="200" height="50"') == 1
    assert page.count('<image id="image-3" width="300" height="150"') == 1
    assert page.count('viewBox="0 0 113 57"') == 2


def test_a_course_pack_embeds_a_picture_once_and_keeps_one_set_of_ids(
    reading: Path, run: Runner
) -> None:
    picture = png(60, 40)
    (reading / "m.png").write_bytes(picture)
    points(reading, ["m.png", "m.png"])
    other = reading.parent / "s"
    other.mkdir()
    (other / "reading.yaml").write_text("title: S\n", encoding="utf-8")
    (other / "m.png").write_bytes(png(40, 60))
    (other / "n.png").write_bytes(png(30, 30))
    points(other, ["m.png", "m.png", "n.png"])
    result = run("outline", "r", "s", "-f", "html", "-o", "pack.html")
    assert result.exit_code == 0, result
    page = Path("pack.html").read_text(encoding="utf-8")
    assert page.count(encoded(picture)) == 1
    assert page.count("data:image/png;base64,") == 3
    assert page.count('<use href="#image-1"/>') == 2
    assert page.count('<use href="#image-2"/>') == 2
    assert page.count('<image id="image-2" width="40" height="60"') == 1
    assert page.count("<img ") == 1
    assert page.count('<svg class="images"') == 1 and "\x00" not in page


def red_pixels(pdf: bytes, tmp_path: Path) -> int:
    """How many pixels of the PDF's pages, at 40 dpi, are the pictures' red."""
    (tmp_path / "p.pdf").write_bytes(pdf)
    for old in tmp_path.glob("p-*.ppm"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", "40", str(tmp_path / "p.pdf"), str(tmp_path / "p")],
        check=True,
        timeout=60,
    )
    red = 0
    for page in sorted(tmp_path.glob("p-*.ppm")):
        pixels = page.read_bytes().split(maxsplit=4)[4]  # after P6, width, height, 255
        red += sum(
            1
            for i in range(0, len(pixels) - 2, 3)
            if pixels[i] > 150 and pixels[i + 1] < 90 and pixels[i + 2] < 90
        )
    return red


def test_a_shared_picture_prints_as_its_img_did(reading: Path, run: Runner, tmp_path: Path) -> None:
    """Printed in Chromium, two places showing one file print as two places showing two copies
    of it did (each an `<img>`), at the same size: 400 x 200 pixels, and a 100 x 600 one that
    the handout's 70 mm bound scales down."""
    browser = chromium()
    if browser is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    for name in ("m.png", "m2.png"):
        (reading / name).write_bytes(png(400, 200))
    for name in ("t.png", "t2.png"):
        (reading / name).write_bytes(png(100, 600))
    counts = []
    for images in (["m.png", "m2.png", "t.png", "t2.png"], ["m.png", "m.png", "t.png", "t.png"]):
        points(reading, images)
        assert run("outline", "-f", "html", "-o", "o.html", "--force").exit_code == 0
        page = Path("o.html").read_text(encoding="utf-8")
        assert page.count("<img ") == (4 if images[1] == "m2.png" else 0)
        profile = tmp_path / f"profile{len(counts)}"
        printed = print_to_pdf(browser, Path("o.html"), tmp_path / "o.pdf", profile)
        counts.append(red_pixels(printed, tmp_path))
    copies, shared = counts
    assert copies > 12_000, counts  # half of each picture is red: 14,040 pixels at 40 dpi
    assert abs(shared - copies) <= copies // 50, counts
