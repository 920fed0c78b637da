"""Small file-system helpers for outputs written through temporary files."""

from __future__ import annotations

import os
from pathlib import Path


def readable_by_others(path: Path) -> None:
    """Give a temporary file the mode of a normally created one (mkstemp makes it private)."""
    umask = os.umask(0)
    os.umask(umask)
    path.chmod(0o666 & ~umask)
