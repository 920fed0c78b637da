"""Whether an image file is whole: readable to its end by a decoder as strict as typst's.

A card and an HTML page show what a browser can of a damaged image, but typst refuses the whole
PDF handout at the first one it cannot decode, and its message names the image file, not the
notes line that shows it. So `check` reads each image as far as typst does, within bounds:

- a PNG: every chunk whole, the critical ones with a right CRC, a header typst accepts (bit
  depth and colour type), the compressed pixels inflated (in pieces, never held whole) to at
  least the rows the header declares, each row with a known filter, and an end chunk;
- a JPEG: every segment up to the first scan whole and well marked;
- a GIF: every block to the trailer whole, of a known kind, with at least one frame;
- a WebP: the RIFF container no longer than the file, its chunks whole, the picture's chunk
  with its signature;
- an SVG: well-formed XML with no entity XML does not define itself (typst defines no HTML
  entities such as `&eacute;`), a root of a size above 0 (or none), at most 1,024 elements
  deep below the root and 1,000,000 elements once each `<use>` is spelled out: the limits
  typst's SVG reader sets.
  The pictures it embeds as `data:` URIs are returned, for the pixel bound.

Each function returns what is wrong, in words for a student, or None.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from dataclasses import dataclass, field

from studykit.notes.image_pixels import after_sub_blocks, colour_table

# typst's SVG reader refuses a document deeper than this, counting the root, or of more
# elements than `SVG_ELEMENTS` once each `<use>` is replaced by what it shows (measured: 1,024
# nested `<g>` inside the root pass, 1,025 do not; a root holding 999,999 elements passes,
# 1,000,000 do not). Text inside elements counts there too and not here: the count here is
# the smaller one, so an SVG typst refuses for that alone passes `check`.
SVG_DEPTH = 1_025
SVG_ELEMENTS = 1_000_000

_PNG_DEPTHS = {0: (1, 2, 4, 8, 16), 2: (8, 16), 3: (1, 2, 4, 8), 4: (8, 16), 6: (8, 16)}
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
# Adam7's passes: the first column and row of each, and the steps between them.
_ADAM7 = (
    (0, 0, 8, 8),
    (4, 0, 8, 8),
    (0, 4, 4, 8),
    (2, 0, 4, 4),
    (0, 2, 2, 4),
    (1, 0, 2, 2),
    (0, 1, 1, 2),
)
_INFLATE_PIECE = 1 << 20  # bytes inflated at a time: a 50-megapixel PNG inflates to 200 MB


def png_damage(data: bytes) -> str | None:
    """What keeps typst from decoding this PNG, or None."""
    at, header, palette, rows, inflater = 8, None, False, None, zlib.decompressobj()
    idat_done = False
    while True:
        if at + 8 > len(data):
            return "the file ends before its last chunk (it may be cut short)"
        length = int.from_bytes(data[at : at + 4], "big")
        kind = data[at + 4 : at + 8]
        body = data[at + 8 : at + 8 + length]
        if length > 0x7FFFFFFF or at + 12 + length > len(data):
            return "the file ends inside a chunk (it may be cut short)"
        crc = int.from_bytes(data[at + 8 + length : at + 12 + length], "big")
        critical = kind[:1].isupper()
        if critical and zlib.crc32(kind + body) != crc:
            return f"its {kind.decode('latin-1')!r} chunk fails its checksum"
        at += 12 + length
        if header is None or rows is None:
            if kind != b"IHDR" or length != 13:
                return "its first chunk is not the header (IHDR)"
            header = body
            problem = _png_header(header)
            if problem:
                return problem
            rows = _png_rows(header)
        elif kind == b"PLTE":
            palette = True
        elif kind == b"IDAT":
            if idat_done:
                return "its pixel data is split by other chunks"
            if header[9] == 3 and not palette:
                return "it has colours from a palette but no palette"
            problem = _inflate(inflater, body, rows)
            if problem:
                return problem
        elif kind == b"IEND":
            break
        elif rows is not None and rows.seen:
            idat_done = True
    if rows is None or not rows.seen:
        return "it has no pixel data"
    if not inflater.eof or rows.left > 0:
        return "its pixel data ends before the last row (it may be cut short)"
    return None


def _png_header(header: bytes) -> str | None:
    width, height = int.from_bytes(header[:4], "big"), int.from_bytes(header[4:8], "big")
    depth, colour, compression, filtering, interlace = header[8:13]
    if not (0 < width < 1 << 31 and 0 < height < 1 << 31):
        return f"its header declares {width} x {height} pixels"
    if colour not in _PNG_DEPTHS:
        return f"its header declares colour type {colour}, which PNG does not have"
    if depth not in _PNG_DEPTHS[colour]:
        return f"its header declares a bit depth of {depth}, which PNG does not allow here"
    if compression or filtering or interlace > 1:
        return "its header declares a compression, filter or interlace PNG does not have"
    return None


@dataclass
class _Rows:
    """The rows a PNG's inflated data must hold: each a filter byte, then `bytes` of pixels."""

    sizes: list[tuple[int, int]]  # (rows, bytes per row) of each pass
    passed: int = 0  # passes done
    row: int = 0  # rows done in this pass
    into: int = 0  # bytes of the current row read, its filter byte included
    seen: bool = field(default=False)

    @property
    def left(self) -> int:
        return sum(r for r, _ in self.sizes[self.passed :]) - self.row


def _png_rows(header: bytes) -> _Rows:
    width, height = int.from_bytes(header[:4], "big"), int.from_bytes(header[4:8], "big")
    bits = header[8] * _PNG_CHANNELS[header[9]]
    if header[12] == 0:
        sizes = [(height, (width * bits + 7) // 8)]
    else:
        sizes = []
        for x0, y0, dx, dy in _ADAM7:
            columns = max(0, (width - x0 + dx - 1) // dx)
            lines = max(0, (height - y0 + dy - 1) // dy)
            if columns and lines:
                sizes.append((lines, (columns * bits + 7) // 8))
    return _Rows(sizes)


def _inflate(inflater: zlib._Decompress, body: bytes, rows: _Rows) -> str | None:
    """Inflate one IDAT chunk, checking each row's filter byte as it goes by."""
    rows.seen = True
    pending = body
    while pending or inflater.unconsumed_tail:
        if inflater.eof:
            return None  # bytes after the stream's end: decoders ignore them
        try:
            out = inflater.decompress(inflater.unconsumed_tail or pending, _INFLATE_PIECE)
        except zlib.error:
            return "its pixel data is not valid compressed data"
        pending = b""
        problem = _rows_in(out, rows)
        if problem:
            return problem
    return None


def _rows_in(out: bytes, rows: _Rows) -> str | None:
    at = 0
    while at < len(out) and rows.passed < len(rows.sizes):
        count, size = rows.sizes[rows.passed]
        if rows.into == 0 and out[at] > 4:
            return f"a row of its pixels has filter {out[at]}, which PNG does not have"
        step = min(size + 1 - rows.into, len(out) - at)
        at += step
        rows.into += step
        if rows.into == size + 1:
            rows.into = 0
            rows.row += 1
            if rows.row == count:
                rows.passed, rows.row = rows.passed + 1, 0
    return None


_JPEG_BARE = frozenset({0x01, *range(0xD0, 0xD8)})


def jpeg_damage(data: bytes) -> str | None:
    """What keeps typst from decoding this JPEG's header, or None: its segments, whole, to the
    first scan. The compressed pixels after it are not decoded (a JPEG cut short inside them
    is drawn, grey at the end)."""
    at, frame = 2, False
    while True:
        if at + 2 > len(data):
            return "the file ends before its pixels begin (it may be cut short)"
        if data[at] != 0xFF:
            return "its segments are broken (a marker is missing)"
        marker = data[at + 1]
        if marker == 0xFF:
            at += 1
            continue
        if marker in _JPEG_BARE:
            at += 2
            continue
        if marker == 0xD9 or marker == 0xD8:
            return "it ends before its pixels begin"
        if at + 4 > len(data):
            return "the file ends inside a segment (it may be cut short)"
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        if length < 2 or at + 2 + length > len(data):
            return "the file ends inside a segment (it may be cut short)"
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            frame = True
        if marker == 0xDA:
            if not frame:
                return "its pixels begin before its frame header"
            if at + 2 + length >= len(data):
                return "the file ends where its pixels begin (it may be cut short)"
            return None
        at += 2 + length


def gif_damage(data: bytes) -> str | None:
    """What keeps typst from decoding this GIF, or None: each block whole, to the trailer."""
    if len(data) < 13:
        return "the file ends inside its header"
    at = 13 + colour_table(data[10])
    frames = 0
    while True:
        if at >= len(data):
            return "the file ends before its last block (it may be cut short)"
        block = data[at]
        if block == 0x3B:
            return None if frames else "it holds no picture"
        if block == 0x2C:
            if at + 10 > len(data):
                return "the file ends inside a frame (it may be cut short)"
            at += 10 + colour_table(data[at + 9])
            if at >= len(data) or not 2 <= data[at] <= 11:
                return "a frame's compressed pixels are broken"
            at += 1
            frames += 1
        elif block == 0x21:
            at += 2
        else:
            return f"at byte {at:,} it holds a block of no kind GIF has"
        at = after_sub_blocks(data, at)
        if at < 0:
            return "the file ends inside a block (it may be cut short)"


_WEBP_PICTURES = (b"VP8 ", b"VP8L", b"ANMF")


def webp_damage(data: bytes) -> str | None:
    """What keeps typst from decoding this WebP, or None: its container and chunks whole."""
    size = int.from_bytes(data[4:8], "little") + 8
    if len(data) < 20 or size > len(data):
        return "the file is shorter than its container says (it may be cut short)"
    at, first, picture = 12, None, False
    while at + 8 <= size:
        kind = data[at : at + 4]
        length = int.from_bytes(data[at + 4 : at + 8], "little")
        if not all(32 <= b < 127 for b in kind):
            return f"at byte {at:,} it holds a chunk of no kind WebP has"
        if at + 8 + length > size:
            return "the file ends inside a chunk (it may be cut short)"
        body = data[at + 8 : at + 8 + length]
        first = first or kind
        if kind == b"VP8 " and (length < 10 or body[3:6] != b"\x9d\x01\x2a"):
            return "its picture's header is broken"
        if kind == b"VP8L" and (length < 5 or body[0] != 0x2F):
            return "its picture's header is broken"
        picture = picture or kind in _WEBP_PICTURES
        at += 8 + length + (length & 1)
    if first not in (b"VP8 ", b"VP8L", b"VP8X") or not picture:
        return "it holds no picture"
    return None


@dataclass
class SvgReading:
    """What reading an SVG found: what is wrong with it (or None), and the pictures it embeds
    as `data:` URIs (kind, bytes)."""

    problem: str | None
    pictures: list[tuple[str, bytes]]


_MEDIA = {"image/png": "PNG", "image/jpeg": "JPEG", "image/jpg": "JPEG", "image/gif": "GIF"}
_MEDIA |= {"image/webp": "WebP", "image/svg+xml": "SVG"}
_LENGTH = re.compile(r"\s*([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\s*([a-z%]*)\s*$")


def read_svg(text: bytes) -> SvgReading:
    """Parse an SVG as typst's reader would, within its limits; a bounded, non-expanding parse."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    # Entities are refused before this (`svg_links`) unless plain text; none loads a file.
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    reading = SvgReading(None, [])
    parents: list[int] = []
    children: list[list[int]] = []
    uses: dict[int, str] = {}
    ids: dict[str, int] = {}
    problems: list[str] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        index = len(children)
        children.append([])
        if parents:
            children[parents[-1]].append(index)
        elif (problem := _root_size(attributes)) is not None:
            problems.append(problem)
        parents.append(index)
        if len(parents) > SVG_DEPTH and not problems:
            problems.append(f"its elements nest more than {SVG_DEPTH - 1:,} deep")
        ident = attributes.get("id")
        if ident is not None:
            ids.setdefault(ident, index)
        local = name.rpartition(":")[2]
        href = attributes.get("href", attributes.get("xlink:href", ""))
        if local == "use" and href.startswith("#"):
            uses[index] = href[1:]
        if local == "image" and href.strip()[:5].lower() == "data:":
            picture = _data_picture(href.strip())
            if picture is not None:
                reading.pictures.append(picture)

    def end(name: str) -> None:
        parents.pop()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(text, True)
    except expat.ExpatError as exc:
        return SvgReading(f"it is not well-formed XML ({_expat_message(exc)})", [])
    if problems:
        return SvgReading(problems[0], [])
    if _expanded_size(children, uses, ids) > SVG_ELEMENTS:
        return SvgReading(
            f"it holds more than {SVG_ELEMENTS:,} elements once each <use> is spelled out", []
        )
    return reading


def _expat_message(exc: Exception) -> str:
    from xml.parsers import expat

    code = getattr(exc, "code", None)
    words = expat.errors.messages.get(code, str(exc)) if code else str(exc)
    line, column = getattr(exc, "lineno", 0), getattr(exc, "offset", 0)
    return f"{words} at line {line}, column {column + 1}"


def _root_size(attributes: dict[str, str]) -> str | None:
    """Why the root's width or height would make typst refuse it, or None. typst draws a
    root whose size it cannot read (`width="abc"`, a viewBox of no area) at a size of its own,
    but refuses a size of 0 or below."""
    for name in ("width", "height"):
        value = attributes.get(name)
        match = _LENGTH.match(value) if value is not None else None
        if value is not None and match is not None and float(match[1]) <= 0:
            return f"its {name} is {value.strip()[:40]!r}, not a size above 0"
    return None


def _expanded_size(children: list[list[int]], uses: dict[int, str], ids: dict[str, int]) -> int:
    """How many elements the document holds with each `<use>` replaced by a copy of what it
    shows (a `<use>` that would show itself shows nothing), counted up to just past the limit.
    Each element's count is made once, after those it holds and shows: a `<use>` bomb of ten
    levels costs ten counts, not ten billion."""
    if not children:
        return 0
    size: dict[int, int] = {}
    visiting: set[int] = set()
    stack = [0]
    while stack:
        node = stack[-1]
        if node in size:
            stack.pop()
            continue
        shown = ids.get(uses.get(node, ""))
        needed = [*children[node], *([shown] if shown is not None else [])]
        if node not in visiting:
            visiting.add(node)
            stack.extend(n for n in needed if n not in size and n not in visiting)
            continue
        stack.pop()
        visiting.discard(node)
        # One still being counted is this element's own ancestor (or itself): a cycle.
        size[node] = min(SVG_ELEMENTS + 1, 1 + sum(size.get(n, 0) for n in needed))
    return size[0]


def _data_picture(uri: str) -> tuple[str, bytes] | None:
    """The kind and bytes of a base64 `data:` URI's picture, or None if it holds none."""
    head, _, payload = uri.partition(",")
    media = head[5:].split(";")[0].strip().lower()
    kind = _MEDIA.get(media)
    if kind is None:
        return None
    if ";base64" in head.lower():
        try:
            return kind, base64.b64decode("".join(payload.split()), validate=False)
        except (binascii.Error, ValueError):
            return None
    from urllib.parse import unquote_to_bytes

    return kind, unquote_to_bytes(payload)
