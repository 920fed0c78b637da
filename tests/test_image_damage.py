"""A damaged image is refused by `check` at the notes line that shows it, as typst would refuse
the PDF handout; an image typst draws passes, however odd."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import Runner
from image_files import GIF, JPEG, SVG_ROOT, WEBP, data_uri, png, svg, typst_refuses, use_bomb

SECTION = "notes/r/01-a.yaml"
FIX = "save it again from the program that made it"


@pytest.fixture
def reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A reading folder, notes/r, under a fresh current folder."""
    folder = tmp_path / "notes" / "r"
    folder.mkdir(parents=True)
    (folder / "reading.yaml").write_text("title: R\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYKIT_NOTES", raising=False)
    return folder


def _show(reading: Path, *names: str) -> None:
    """A section whose fifth line on shows each image, the image at column 16."""
    lines = ["title: A", "summary: S.", "points:", '  - "In {{1959}} the maps were drawn."']
    lines += [f'  - "Figure {n}: ![f]({name})"' for n, name in enumerate(names, 1)]
    (reading / "01-a.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


GOOD = png()
# A GIF whose blocks are whole but whose compressed pixels hold a code LZW has not made yet.
_FRAME = GIF.index(b"\x2c") + 10  # the LZW code size, then the first sub-block
_LZW = GIF[: _FRAME + 2] + b"\xff\xff" + GIF[_FRAME + 4 :]
DAMAGED = [
    ("cut.png", GOOD[: len(GOOD) // 2],
     "the file ends before its last chunk (it may be cut short)"),
    ("depth.png", png(depth=7, colour=0), "its header declares a bit depth of 7, which PNG does "
     "not allow here"),
    ("crc.png", GOOD[:-20] + bytes([GOOD[-20] ^ 1]) + GOOD[-19:],
     "its 'IDAT' chunk fails its checksum"),
    ("filter.png", png(rows=b"".join(b"\x09" + b"\x80" * 60 for _ in range(20))),
     "a row of its pixels has filter 9, which PNG does not have"),
    ("short.png", png(rows=b"\0" + b"\x80" * 60),
     "its pixel data ends before the last row (it may be cut short)"),
    ("cut.jpg", JPEG[: len(JPEG) // 2], "the file ends inside a segment (it may be cut short)"),
    ("body.jpg", JPEG[:200] + bytes(len(JPEG) - 200), "its segments are broken (a marker is "
     "missing)"),
    ("cut.gif", GIF[:-4], "the file ends inside a block (it may be cut short)"),
    ("body.gif", GIF[:13] + bytes(len(GIF) - 13), "at byte 19 it holds a block of no kind GIF has"),
    ("lzw.gif", _LZW, "its pixels cannot be decoded (Format error decoding Gif: invalid code "
     "in LZW stream)"),
    ("bits.webp", WEBP[:25] + b"\xff" * (len(WEBP) - 25), "its pixels cannot be decoded "
     "(Format error decoding WebP: Invalid color cache bits: 15)"),
    ("cut.webp", WEBP[:-6], "the file is shorter than its container says (it may be cut short)"),
    ("body.webp", WEBP[:12] + bytes(len(WEBP) - 12),
     "at byte 12 it holds a chunk of no kind WebP has"),
    ("open.svg", svg('<rect width="10" height="10"/>')[: -len("</svg>")],
     "it is not well-formed XML (no element found at line 1, column 94)"),
    ("zero.svg", svg("<rect/>", SVG_ROOT.replace('width="10"', 'width="0"')),
     "its width is '0', not a size above 0"),
    ("negative.svg", svg("<rect/>", SVG_ROOT.replace('height="10"', 'height="-3"')),
     "its height is '-3', not a size above 0"),
    ("entity.svg", svg("<text>caf&eacute;</text>"),
     "it is not well-formed XML (undefined entity at line 1, column 73)"),
    ("trailing.svg", svg("<rect/>") + b"<p>more</p>",
     "it is not well-formed XML (junk after document element at line 1, column 77)"),
    ("deep.svg", svg("<g>" * 5_000 + "</g>" * 5_000), "its elements nest more than 1,024 deep"),
    ("bomb.svg", use_bomb(6), "it holds more than 1,000,000 elements once each <use> is "
     "spelled out"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "content", "problem"), DAMAGED, ids=[d[0] for d in DAMAGED])
def test_a_damaged_image_is_refused_at_its_line(
    reading: Path, run: Runner, name: str, content: bytes, problem: str
) -> None:
    (reading / name).write_bytes(content)
    assert typst_refuses(reading / name) is not None, "typst draws it: check must accept it"
    _show(reading, name)
    expected = f"{SECTION}:5:16: error: image {name!r} is damaged: {problem}; {FIX}"
    checked = run("check")
    assert checked.exit_code == 1, checked
    assert checked.stderr.splitlines()[0] == expected, checked
    printed = run("outline", "-f", "pdf", "-o", "out.pdf")
    assert printed.exit_code == 1, printed
    assert printed.stderr.splitlines()[0] == expected, printed
    assert "Traceback" not in printed.output
    assert not Path("out.pdf").exists()


def _nested(depth: int) -> bytes:
    return svg("<g>" * depth + '<rect width="1" height="1"/>' + "</g>" * depth)


ACCEPTED = [
    ("plain.png", GOOD),
    ("wide.png", png(depth=16, colour=6)),
    ("bits.png", png(depth=1, colour=0)),
    ("tail.png", GOOD + b"bytes after the end"),  # decoders stop at IEND
    ("more.png", png(rows=b"".join(b"\0" + b"\x80" * 60 for _ in range(25)))),  # extra rows
    ("photo.jpg", JPEG),
    ("cut-late.jpg", JPEG[: len(JPEG) * 2 // 3]),  # drawn, grey where the pixels stop
    ("icon.gif", GIF),
    ("icon.webp", WEBP),
    ("square.svg", svg('<rect width="10" height="10"/>')),
    ("comment.svg", svg("<rect/>") + b"\n<!-- saved by an editor -->\n"),
    ("nested.svg", _nested(1_023)),  # 1,024 deep with the root: the most typst reads
    ("uses.svg", use_bomb(5)),  # 100,000 squares
    ("huge.svg", svg("<rect/>", SVG_ROOT.replace('"10"', '"1e30"'))),  # scaled to fit
    ("unread.svg", svg("<rect/>", SVG_ROOT.replace('"10"', '"abc"', 1))),  # drawn at its own
    ("boxless.svg", svg("<rect/>", SVG_ROOT.replace(">", ' viewBox="0 0 0 10">', 1))),
    ("framed.svg", svg(f'<image width="10" height="10" href="{data_uri("image/png", GOOD)}"/>')),
]


def test_every_image_typst_draws_passes_check_and_prints(reading: Path, run: Runner) -> None:
    for name, content in ACCEPTED:
        (reading / name).write_bytes(content)
        assert typst_refuses(reading / name) is None, name
    _show(reading, *(name for name, _ in ACCEPTED))
    checked = run("check")
    assert checked.exit_code == 0, checked
    assert "ok: 1 reading, 1 section, 1 card; 0 errors, 0 warnings" in checked.stdout, checked
    printed = run("outline", "-f", "pdf", "-o", "out.pdf")
    assert printed.exit_code == 0, printed
    text = subprocess.run(["pdftotext", "out.pdf", "-"], capture_output=True, text=True).stdout
    assert "Figure 1:" in text and f"Figure {len(ACCEPTED)}:" in text, text


def test_a_damaged_image_stops_every_command_at_its_line(reading: Path, run: Runner) -> None:
    """What check refuses, no command makes: not a deck, nor a handout in any format."""
    (reading / "map.png").write_bytes(GOOD[:-30])
    _show(reading, "map.png")
    expected = (
        f"{SECTION}:5:16: error: image 'map.png' is damaged: the file ends inside a chunk "
        f"(it may be cut short); {FIX}"
    )
    for command in (["deck"], ["outline", "-f", "html"], ["outline", "-f", "pdf"]):
        result = run(*command)
        assert result.exit_code == 1, (command, result)
        assert expected in result.stderr.splitlines(), (command, result)
    assert sorted(p.name for p in Path().iterdir()) == ["notes"]


def test_an_image_damaged_after_check_is_named_at_its_notes_line(
    reading: Path, run: Runner
) -> None:
    """A file that changes between loading the notes and typesetting them (or damage no check
    foresaw): typst's refusal names the line that shows the image, not only the image file."""
    from studykit.errors import StudykitError
    from studykit.handouts.formats import lay_out, render_outline
    from studykit.notes.library import load

    (reading / "plain.png").write_bytes(GOOD)
    (reading / "map.gif").write_bytes(GIF)
    _show(reading, "plain.png", "map.gif")
    loaded = load(None, Path("notes"))
    data = lay_out(loaded, "inline", "cornell")
    (reading / "map.gif").write_bytes(_LZW)
    with pytest.raises(StudykitError) as refused:
        render_outline(data, "pdf", loaded.folder, None)
    assert str(refused.value) == (
        f"{SECTION}:6:16: error: image 'map.gif' cannot be shown in a PDF: failed to decode "
        "image (Format error decoding Gif: invalid code in LZW stream)"
    )
