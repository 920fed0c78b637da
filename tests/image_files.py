"""Real image files for tests, whole or damaged as a student's download or editor leaves them."""

from __future__ import annotations

import base64
import struct
import zlib
from pathlib import Path

import typst

# A 16 x 16 baseline JPEG (CPython's test image).
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsO"
    "CwkJDRENDg8QEBEQCgwSExIQEw8QEBD/2wBDAQMDAwQDBAgEBAgQCwkLEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ"
    "EBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBD/wAARCAAQABADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAA"
    "BwQF/8QAJBAAAQQBBAICAwAAAAAAAAAAAQIDBAYFBwgSExEiABQJMTL/xAAVAQEBAAAAAAAAAAAAAAAAAAAABv/E"
    "ACMRAAECBQMFAAAAAAAAAAAAAAECEQMEBQYhABIxFRZhgeH/2gAMAwEAAhEDEQA/ABSm0mobc8HmExLUlRzzEWPk"
    "JWW+ulrsaUVAseUgslSlH9LKuPryIKuWPZdskzXmm3fX5m2nF4GlVxx/HOpx4ks51+MiU/Iaad7UcUo4tILoS4kq"
    "cWkezS0hO/HvuRp0rO6hWnWO1UisZVuFi4GFeyEpmGepa5S5SWVPuciFKRFLgSrwetnyPIB+Vb4N9mKhQMzo5po9"
    "XLdDs9d6ZVix2VEhiL9kuNPxw2gEKcDQ/rs8AuA8VAe0vdl7VOYn+27flGAUgmITjbhSmCg3BYlyeWDkMolvw4KO"
    "p1KM6iCNvngZHwetf//Z"
)
# A 1 x 1 GIF: a screen with a two-colour table, one frame, the trailer.
GIF = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)
# A 1 x 1 lossless WebP.
WEBP = base64.b64decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")
SVG_ROOT = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(
    width: int = 20,
    height: int = 20,
    depth: int = 8,
    colour: int = 2,
    rows: bytes | None = None,
) -> bytes:
    """A PNG of width x height grey pixels, or holding `rows` as its inflated data."""
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    row = b"\0" + b"\x80" * ((width * channels * depth + 7) // 8)
    packer = zlib.compressobj()
    if rows is not None:
        data = packer.compress(rows)
    else:
        data = b"".join(packer.compress(row) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    idat = data + packer.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def pixel(red: int, green: int, blue: int) -> bytes:
    """A one-pixel PNG of the given colour: two of them are the same size, another picture."""
    return png(1, 1, rows=bytes([0, red, green, blue]))


def svg(body: str, root: str = SVG_ROOT) -> bytes:
    return (root + body + "</svg>").encode()


def data_uri(kind: str, content: bytes) -> str:
    return f"data:{kind};base64,{base64.b64encode(content).decode()}"


def use_bomb(levels: int, width: int = 10) -> bytes:
    """An SVG whose `<use>` elements show `width` ** `levels` squares, in a few hundred bytes."""
    body = '<defs><rect id="a0" width="1" height="1"/>'
    for level in range(1, levels + 1):
        uses = f'<use href="#a{level - 1}"/>' * width
        body += f'<g id="a{level}">{uses}</g>'
    return svg(body + f'</defs><use href="#a{levels}"/>')


def typst_refuses(path: Path) -> str | None:
    """typst's own message when it cannot draw the image file, or None when it draws it."""
    compiler = typst.Compiler(b"#image(sys.inputs.path, width: 2cm)", root=str(path.parent))
    try:
        compiler.compile(format="pdf", sys_inputs={"path": "/" + path.name})
    except typst.TypstError as exc:
        return str(exc.message)
    return None
