"""The pixel size an image file declares in its header, read without decoding it.

A renderer allocates memory for every pixel the header declares before it reads the pixels:
a 3 MB PNG of zeros can declare 32,000 x 32,000 and take 3 GB to draw. Reading the header
lets `check` refuse such a file at the line that shows it, before any renderer sees it.
"""

from __future__ import annotations

# A frame header of JPEG: SOF0-SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
# Markers that stand alone, without a length: TEM, RST0-7, SOI.
_JPEG_BARE = frozenset({0x01, *range(0xD0, 0xD9)})


def pixel_size(data: bytes, kind: str) -> tuple[int, int] | None:
    """Width and height that `data`'s header declares (for a GIF, its largest frame or screen),
    or None where it declares none (SVG) or the header ends first (a decoder refuses those)."""
    if kind == "PNG":
        if data[12:16] != b"IHDR" or len(data) < 24:
            return None
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if kind == "JPEG":
        return _jpeg(data)
    if kind == "GIF":
        return _gif(data)
    if kind == "WebP":
        return _webp(data)
    return None


def _jpeg(data: bytes) -> tuple[int, int] | None:
    """The frame header's size, found by walking the segments before the first scan."""
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # a fill byte before a marker
            at += 1
            continue
        if marker in _JPEG_BARE:
            at += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image, or a scan before any frame header
            return None
        if marker in _JPEG_FRAMES:
            if at + 9 > len(data):
                return None
            height = int.from_bytes(data[at + 5 : at + 7], "big")
            return int.from_bytes(data[at + 7 : at + 9], "big"), height
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
    return None


def _gif(data: bytes) -> tuple[int, int] | None:
    """The logical screen, or a frame larger than it: decoders allocate each frame's size."""
    if len(data) < 13:
        return None
    largest = (int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little"))
    at = 13 + colour_table(data[10])
    while 0 <= at < len(data):
        block = data[at]
        if block == 0x2C:  # an image descriptor
            if at + 10 > len(data):
                break
            frame = (
                int.from_bytes(data[at + 5 : at + 7], "little"),
                int.from_bytes(data[at + 7 : at + 9], "little"),
            )
            if frame[0] * frame[1] > largest[0] * largest[1]:
                largest = frame
            at += 10 + colour_table(data[at + 9]) + 1  # + the LZW code size
        elif block == 0x21:  # an extension: its label, then data sub-blocks
            at += 2
        else:  # the trailer, or bytes that are no GIF block
            break
        at = after_sub_blocks(data, at)
    return largest


def colour_table(flags: int) -> int:
    """The bytes of a GIF colour table that these flags announce (none without its flag)."""
    return 3 * (2 << (flags & 7)) if flags & 0x80 else 0


def after_sub_blocks(data: bytes, at: int) -> int:
    """Where a run of GIF data sub-blocks (each its length, then that many bytes) ends, or -1
    if the file ends first."""
    while at < len(data):
        length = data[at]
        at += 1 + length
        if length == 0:
            return at if at <= len(data) else -1
    return -1


def _webp(data: bytes) -> tuple[int, int] | None:
    """The size of a lossy (VP8), lossless (VP8L) or extended (VP8X) WebP's first chunk."""
    chunk, body = data[12:16], data[20:]
    if chunk == b"VP8X" and len(body) >= 10:
        return 1 + int.from_bytes(body[4:7], "little"), 1 + int.from_bytes(body[7:10], "little")
    if chunk == b"VP8L" and len(body) >= 5 and body[0] == 0x2F:
        bits = int.from_bytes(body[1:5], "little")
        return (bits & 0x3FFF) + 1, (bits >> 14 & 0x3FFF) + 1
    if chunk == b"VP8 " and len(body) >= 10 and body[3:6] == b"\x9d\x01\x2a":
        width = int.from_bytes(body[6:8], "little") & 0x3FFF
        return width, int.from_bytes(body[8:10], "little") & 0x3FFF
    return None
