"""Images referenced from notes: found as the cards render them, where they may live, what they
must be, and the name they get inside a deck.

Every image a field shows is found by the parser that renders the field
(`markup.markdown_parser`), so each form Markdown allows (a title in quotes or parentheses,
brackets in the caption, `<a path with spaces>`, `\\ ` escapes, `%20`) reaches the one resolver,
`resolve_image`, as the path the card will load. A regular expression missed some of them, and
a card then showed a path nobody had checked.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from studykit.errors import StudykitError
from studykit.files import file_kind

if TYPE_CHECKING:
    from studykit.notes.cloze import Cloze

# Markdown image syntax, for `ingest` to defuse images in a source's plain text. Notes are read
# with `image_refs`, never with this.
IMAGE = re.compile(r"!\[[^\]]*\]\(\s*(?:<([^>]*)>|([^)\s]*))(?:\s+\"[^\"]*\")?\s*\)")
_URL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
# Stands for math and cloze deletions while the rest is parsed: plain text to Markdown, as the
# placeholders the card renderer puts there are, and one per character, so offsets stay true.
_BLANK = "\ufffd"

MAX_IMAGE_VARIABLE = "STUDYKIT_MAX_IMAGE_MB"
DEFAULT_MAX_IMAGE_MB = 20
# Pixels an image may declare: 50 million (a phone camera's photo is 12-48) take 200 MB to draw
# as RGBA. Whoever raises the size limit for larger photos gets 2.5 pixels per byte allowed
# (50 million at 20 MB); a lower size limit keeps 50 million.
MIN_MAX_PIXELS = 50_000_000
PIXELS_PER_BYTE = 2.5
# The image types a deck and a handout can show, by suffix.
KINDS = {
    ".png": "PNG",
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".gif": "GIF",
    ".webp": "WebP",
    ".svg": "SVG",
}
# An SVG's start may hold a BOM, an XML declaration, comments and a DOCTYPE before `<svg`;
# this much of the file is looked at for it.
_SVG_HEAD = 64 * 1024


@dataclass(frozen=True)
class ImageRef:
    offset: int  # where `![` starts in the text
    target: str  # the path the card loads: `<>`, escapes and %-encoding undone


def image_refs(text: str, cloze: Cloze | None = None) -> list[ImageRef]:
    """Every image the card shows for this text, in order; `cloze` is the text's parsed cloze.

    A cloze point is rendered as its text around the deletions, and each answer and hint on its
    own: images are found in each of these, as they are rendered. An image whose path holds part
    of a deletion is left out: `check` refuses it as a deletion no card can hide.
    """
    if "![" not in text:
        return []  # Markdown has no other way to write an image
    if cloze is None or not cloze.deletions:
        return list(_parsed_refs(text, 0))
    outside = list(text)
    pieces: list[tuple[str, int]] = []
    for deletion in cloze.deletions:
        end = deletion.end or len(text)
        outside[deletion.start : end] = _BLANK * (end - deletion.start)
        body = text[deletion.start + 2 : end - 2]
        split = body.replace("\\::", "\0\0\0").find("::")
        answer = body if split < 0 else body[:split]
        pieces.append((answer, deletion.start + 2))
        if split >= 0:
            pieces.append((body[split + 2 :], deletion.start + 2 + split + 2))
    found = [r for r in _parsed_refs("".join(outside), 0) if _BLANK not in r.target]
    for piece, start in pieces:
        found.extend(_parsed_refs(piece, start))
    return sorted(found, key=lambda r: r.offset)


def _parsed_refs(text: str, start: int) -> Iterator[ImageRef]:
    """The images in one rendered piece of text, which begins at `start` in the field."""
    from urllib.parse import unquote

    from studykit.notes.markup import MATH, markdown_parser

    if "![" not in text:
        return
    # The card lifts math out before Markdown reads the rest: `$![a](b)$` is a formula.
    text = MATH.sub(lambda m: _BLANK * len(m.group()), text)
    for block in markdown_parser().parseInline(text, {"images": {}}):
        for token in block.children or []:
            if token.type == "image":
                src = unquote(str(token.attrGet("src") or ""))
                yield ImageRef(start + int(token.meta.get("offset", 0)), src)


def where_shown(image: Path, root: Path) -> tuple[Path, int, int] | None:
    """The first notes line below `root` that shows the image file: (notes file, line, column).

    For an image typst refuses although `check` passed it: the message then names the line
    to change, not only the file. Linked notes files are passed over, as the notes folder's
    confinement wants.
    """
    target = image.resolve()
    for notes in sorted(root.rglob("*.yaml")):
        if notes.is_symlink():
            continue
        try:
            text = notes.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            for ref in image_refs(line) if "![" in line else []:
                try:
                    shown = (notes.parent / ref.target).resolve()
                except (OSError, RuntimeError, ValueError):
                    continue
                if shown == target:
                    return notes, number, ref.offset + 1
    return None


def max_image_bytes(environ: Mapping[str, str] = os.environ) -> int:
    """The largest image a reading may show: 20 MB, or STUDYKIT_MAX_IMAGE_MB megabytes.

    A deck carries each image and an HTML handout embeds it, so one photo straight from a
    camera would make every copy of them that large.
    """
    setting = environ.get(MAX_IMAGE_VARIABLE, "").strip()
    if not setting:
        return DEFAULT_MAX_IMAGE_MB * 1_000_000
    try:
        megabytes = float(setting)
    except ValueError:
        megabytes = math.nan
    if math.isnan(megabytes):
        problem = "is not a number of megabytes"
    elif megabytes * 1_000_000 < 1:
        problem = "allows no image at all: give a number of megabytes above 0"
    elif megabytes > _MAX_MB:
        problem = f"is more than any image could be: give at most {_MAX_MB:,.0f} megabytes"
    else:
        return int(megabytes * 1_000_000)
    raise StudykitError(f"{MAX_IMAGE_VARIABLE}={setting!r} {problem}, e.g. 50")


_MAX_MB = 1e9  # a petabyte: past what any file system here holds, and an int without loss


def resolve_image(target: str, base: Path, root: Path, max_bytes: int | None = None) -> Path:
    """The file an image path names, relative to the folder `base`; ValueError if not allowed.

    Images must be files inside the reading's folder `root`, so that building and sharing a deck
    can never carry a file from elsewhere on the machine (no absolute paths, `..`, links out);
    of a type a card shows, as its content says; at most `max_bytes` (default:
    `max_image_bytes()`) large, and of at most `max_image_pixels` pixels; and for an SVG,
    loading no other file (`studykit.notes.svg_links`).
    """
    if not target:
        raise ValueError("image without a path")
    if _URL.match(target) or target.startswith(("/", "\\")):
        raise ValueError(
            f"image {target!r}: use a path relative to this file, inside the reading's folder"
        )
    try:
        resolved = (base / target).resolve()
        inside = resolved.is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a link loop, or a name the system refuses
        raise ValueError(f"image {target!r} not found") from None
    if not inside:
        raise ValueError(f"image {target!r} lies outside the reading's folder")
    if not resolved.is_file():
        if resolved.exists():
            kind = "a folder" if resolved.is_dir() else file_kind(resolved.stat().st_mode)
            raise ValueError(f"image {target!r} is {kind}, not an image file")
        raise ValueError(f"image {target!r} not found")
    _check_image(resolved, target, max_image_bytes() if max_bytes is None else max_bytes)
    return resolved


def max_image_pixels(max_bytes: int) -> int:
    """The most pixels an image may declare, given the size limit in bytes."""
    return max(MIN_MAX_PIXELS, int(max_bytes * PIXELS_PER_BYTE))


# What reading each image file to its end found, by its path, size and time of change: a
# 50-megapixel PNG takes 0.9 s to inflate, and a handout resolves a file at every place it
# shows it.
_WHOLE: dict[tuple[str, int, int], str | None] = {}


def _check_image(path: Path, target: str, max_bytes: int) -> None:
    """Refuse a file that is not the image its name says, too large, declaring too many pixels,
    or an SVG that loads other files; never quote its bytes."""
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        shown = ", ".join(sorted(set(KINDS)))
        raise ValueError(f"image {target!r}: a card shows only these kinds of image: {shown}")
    try:
        stat = path.stat()
        size = stat.st_size
        if size > max_bytes:
            raise ValueError(
                f"image {target!r} is {size / 1e6:.1f} MB; images are limited to "
                f"{max_bytes / 1e6:g} MB (make it smaller, or set {MAX_IMAGE_VARIABLE})"
            )
        with path.open("rb") as file:
            # Read whole (within the size limit): a file is checked to its end, as typst reads it.
            data = file.read()
    except OSError as exc:
        raise ValueError(f"image {target!r} cannot be read ({exc.strerror or exc})") from None
    found = image_kind(data[:_SVG_HEAD])
    if found == kind:
        _check_content(data, kind, target, max_bytes)
        key = (str(path), size, stat.st_mtime_ns)
        if key not in _WHOLE:
            _WHOLE[key] = _damage(data, kind, path)
        problem = _WHOLE[key]
        if problem is not None:
            raise ValueError(
                f"image {target!r} is damaged: {problem}; save it again from the program "
                "that made it"
            )
        return
    if found is not None:
        suffix = next(s for s, k in KINDS.items() if k == found)
        raise ValueError(f"image {target!r} is a {found} image, not {kind}: name it {suffix}")
    raise ValueError(f"image {target!r} is not a {kind} image: its content is something else")


def _check_content(data: bytes, kind: str, target: str, max_bytes: int) -> None:
    """Refuse an image that declares too many pixels, or an SVG that loads other files."""
    from studykit.notes.image_pixels import pixel_size

    size = pixel_size(data, kind)
    limit = max_image_pixels(max_bytes)
    if size is not None and size[0] * size[1] > limit:
        raise ValueError(f"image {target!r} is {_too_many(size, limit)}")
    if kind == "SVG":
        from studykit.notes.svg_links import loaded_file

        loaded = loaded_file(data.decode("utf-8", errors="replace"))
        if loaded is not None and loaded.entity:
            raise ValueError(
                f"image {target!r}: this SVG declares an XML entity studykit cannot read "
                f"through ({loaded.name}); save it without entities, or use a PNG"
            )
        if loaded is not None:
            raise ValueError(
                f"image {target!r}: this SVG loads other files ({loaded.name}); studykit "
                "packs only the image itself: embed it or use a PNG"
            )
        # typst draws the pictures an SVG embeds at their own pixel size, as it draws a file.
        for size in _embedded_sizes(data):
            if size[0] * size[1] > limit:
                too_many = _too_many(size, limit)
                raise ValueError(f"image {target!r} embeds a picture that is {too_many}")


def _too_many(size: tuple[int, int], limit: int) -> str:
    """Words for a picture past the pixel limit: its size, the limit, what to do."""
    width, height = size
    pixels = width * height / 1e6
    shown = f"{pixels:,.1f}" if pixels < 100 else f"{pixels:,.0f}"
    return (
        f"{width:,} x {height:,} pixels ({shown} megapixels); images are limited to "
        f"{limit / 1e6:,.0f} megapixels (scale it down, or raise {MAX_IMAGE_VARIABLE}: "
        f"{PIXELS_PER_BYTE:g} megapixels per MB)"
    )


# An SVG may embed an SVG that embeds pictures in turn; typst follows them all. Past this
# depth a picture is refused outright: no drawing needs it.
_NESTED_SVG = 8


def _embedded_sizes(data: bytes, depth: int = 0) -> list[tuple[int, int]]:
    """The pixel sizes of the raster pictures an SVG embeds as `data:` URIs, nested SVGs'
    included; one of more than any limit for an SVG nested too deep."""
    from studykit.notes.image_pixels import pixel_size
    from studykit.notes.image_structure import read_svg

    sizes = []
    for kind, picture in read_svg(data).pictures:
        if kind == "SVG":
            if depth >= _NESTED_SVG:
                return [(1 << 31, 1 << 31)]
            sizes.extend(_embedded_sizes(picture, depth + 1))
        elif (size := pixel_size(picture, kind)) is not None:
            sizes.append(size)
    return sizes


def image_pixels(path: Path) -> int:
    """The pixels typst decodes to draw an image file that `resolve_image` accepted: a
    raster's own, an SVG's embedded pictures'."""
    from studykit.notes.image_pixels import pixel_size

    kind = KINDS.get(path.suffix.lower(), "")
    data = path.read_bytes()
    if kind == "SVG":
        return sum(w * h for w, h in _embedded_sizes(data))
    size = pixel_size(data, kind)
    return size[0] * size[1] if size is not None else 0


def _damage(data: bytes, kind: str, path: Path) -> str | None:
    """What keeps typst from decoding the image (`studykit.notes.image_structure`), or None."""
    from studykit.notes import image_structure as structure

    if kind == "SVG":
        return structure.read_svg(data).problem
    check = {
        "PNG": structure.png_damage,
        "JPEG": structure.jpeg_damage,
        "GIF": structure.gif_damage,
        "WebP": structure.webp_damage,
    }[kind]
    problem = check(data)
    if problem is None and kind in ("GIF", "WebP"):
        problem = _undecodable(path)
    return problem


_DECODE_FAILED = "failed to decode image ("


def _undecodable(path: Path) -> str | None:
    """typst's word on an image its decoder refuses, or None when it decodes it.

    A GIF's LZW codes and a WebP's bitstream can be broken inside whole blocks and chunks; only
    decoding them finds that, and typst's own decoders are the ones a PDF handout meets. GIFs
    and WebPs are small as a rule (within the pixel bound: 200 MB at most to decode); a PNG's
    pixels are inflated above, and a JPEG's are drawn however damaged.
    """
    import typst

    compiler = typst.Compiler(b"#image(sys.inputs.path)", root=str(path.parent))
    try:
        compiler.compile(format="pdf", sys_inputs={"path": "/" + path.name})
    except typst.TypstError as exc:
        said = " ".join(str(exc.message).split())
        if said.startswith(_DECODE_FAILED) and said.endswith(")"):
            said = said[len(_DECODE_FAILED) : -1]
        return f"its pixels cannot be decoded ({said})"
    return None


def image_kind(head: bytes) -> str | None:
    """The image type a file's first bytes announce (its magic number), or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "WebP"
    return "SVG" if _starts_svg(head) else None


# What may come before an SVG's root element, each up to where it ends.
_PROLOG = (("<?", "?>"), ("<!--", "-->"), ("<!DOCTYPE", ">"))


def _starts_svg(head: bytes) -> bool:
    """Whether the text opens an `<svg` element after at most a BOM, whitespace, an XML
    declaration (or other processing instruction), comments and a DOCTYPE.

    A scan, not a regular expression: comments in a row make a pattern with nested repeats
    backtrack exponentially. Only the start is read: a script inside the SVG never runs where
    studykit puts images (an `<img>` on a card or in an HTML handout, or typst).
    """
    text = head.decode("utf-8", errors="replace").removeprefix("\ufeff")
    at = 0
    while True:
        while at < len(text) and text[at] in " \t\r\n":
            at += 1
        if text.startswith("<svg", at):
            return text[at + 4 : at + 5] in (" ", "\t", "\r", "\n", ">", "/")
        opened = next((p for p in _PROLOG if text.startswith(p[0], at)), None)
        if opened is None:
            return False
        opener, closer = opened
        start = at + len(opener)
        if opener == "<!DOCTYPE":
            subset = text.find("[", start)
            if subset != -1 and subset < text.find(">", start):
                start = text.find("]", subset)  # the declarations inside hold `>` too
                if start == -1:
                    return False
        end = text.find(closer, start)
        if end == -1:
            return False
        at = end + len(closer)


def packaged_name(path: Path) -> str:
    """A collection-wide unique media name: the file's name plus a hash of its content.

    Anki keeps every deck's media in one folder, so two `map.png` from two readings (or two
    folders) must not collide; identical files share one name.
    """
    import hashlib  # here: OpenSSL's start-up is wasted on commands that package no images

    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return f"{path.stem}-{digest}{path.suffix.lower()}"
