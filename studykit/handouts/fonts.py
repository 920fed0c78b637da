"""Which characters of a handout no font on this machine can show.

typst falls back to any installed font for a character its body font lacks, but where no font
has it the PDF shows an empty gap, silently. Chinese characters in notes on Chinese history are
the common case. The fonts built into typst cover Latin (pinyin tone marks included), Greek,
Cyrillic, punctuation and mathematical symbols; any other character is looked up in the
character maps of the system fonts typst finds.
"""

from __future__ import annotations

import bisect
import re
import struct
from functools import cache
from pathlib import Path

# Blocks the fonts built into typst (Libertinus Serif, New Computer Modern) cover.
_BUILT_IN = ((0x0000, 0x052F), (0x1D00, 0x1FFF), (0x2000, 0x2BFF), (0xFB00, 0xFB06))
_UNUSUAL = re.compile(
    "[^\\s" + "".join(f"{chr(start)}-{chr(end)}" for start, end in _BUILT_IN) + "]"
)
_CJK = ((0x2E80, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF), (0x20000, 0x3FFFF))
SUGGESTED_CJK_FONT = "WenQuanYi Micro Hei (Debian/Ubuntu: apt-get install fonts-wqy-microhei)"

Ranges = tuple[tuple[int, int], ...]


def missing_characters(text: str) -> list[str]:
    """Characters of `text` that neither typst's own fonts nor any system font can show."""
    unusual = sorted(set(_UNUSUAL.findall(text)))
    if not unusual:
        return []
    starts, ends = _system_coverage()
    missing = []
    for ch in unusual:
        at = bisect.bisect_right(starts, ord(ch)) - 1
        if at < 0 or ord(ch) > ends[at]:
            missing.append(ch)
    return missing


def warnings(missing: list[str]) -> list[str]:
    """One warning naming the characters and a font that has them, or none."""
    if not missing:
        return []
    shown = "".join(missing[:12]) + ("…" if len(missing) > 12 else "")
    if any(_within(ord(ch), _CJK) for ch in missing):
        hint = f"install a CJK font such as {SUGGESTED_CJK_FONT}"
    else:
        hint = "install a font that has them"
    message = f"no installed font has {len(missing)} character(s) of these notes ({shown})"
    return [f"{message}; the PDF leaves them blank: {hint}"]


def _within(code: int, ranges: Ranges) -> bool:
    return any(start <= code <= end for start, end in ranges)


@cache
def _system_coverage() -> tuple[list[int], list[int]]:
    """Merged code point ranges of every font file typst can use, as sorted starts and ends."""
    import typst

    ranges: list[tuple[int, int]] = []
    seen: set[tuple[str, int]] = set()
    for font in typst.Fonts(include_embedded_fonts=False).fonts():
        if font.path is None or (font.path, font.index) in seen:
            continue
        seen.add((font.path, font.index))
        try:
            ranges.extend(cmap_ranges(Path(font.path).read_bytes(), font.index))
        except (OSError, struct.error, ValueError):
            continue  # an unreadable font cannot show anything either
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [m[0] for m in merged], [m[1] for m in merged]


def cmap_ranges(data: bytes, index: int = 0) -> list[tuple[int, int]]:
    """Code point ranges a TrueType/OpenType font (or one face of a collection) maps."""
    offset = 0
    if data[:4] == b"ttcf":
        offset = struct.unpack_from(">I", data, 12 + 4 * index)[0]
    (tables,) = struct.unpack_from(">H", data, offset + 4)
    cmap = next(
        (
            struct.unpack_from(">I", data, offset + 12 + 16 * i + 8)[0]
            for i in range(tables)
            if data[offset + 12 + 16 * i : offset + 16 + 16 * i] == b"cmap"
        ),
        None,
    )
    if cmap is None:
        return []
    (count,) = struct.unpack_from(">H", data, cmap + 2)
    subtables = [struct.unpack_from(">HHI", data, cmap + 4 + 8 * i) for i in range(count)]
    formats = {struct.unpack_from(">H", data, cmap + sub)[0]: cmap + sub for _, _, sub in subtables}
    if 12 in formats:
        at = formats[12]
        (groups,) = struct.unpack_from(">I", data, at + 12)
        return [struct.unpack_from(">II", data, at + 16 + 12 * g) for g in range(groups)]
    if 4 in formats:
        at = formats[4]
        (double,) = struct.unpack_from(">H", data, at + 6)
        segments = double // 2
        ends = struct.unpack_from(f">{segments}H", data, at + 14)
        starts = struct.unpack_from(f">{segments}H", data, at + 16 + double)
        return [(s, e) for s, e in zip(starts, ends, strict=True) if s != 0xFFFF]
    return []
