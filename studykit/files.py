"""Small file-system helpers for outputs written through temporary files."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from studykit.errors import StudykitError


def readable_by_others(path: Path) -> None:
    """Give a temporary file the mode of a normally created one (mkstemp makes it private)."""
    umask = os.umask(0)
    os.umask(umask)
    path.chmod(0o666 & ~umask)


def write_atomically(path: Path, content: str | bytes, what: str) -> None:
    """Write through a temporary file and a rename: a crash leaves the old file or the new one,
    never half of one. `what` names the file in the error a failed write raises."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            readable_by_others(Path(tmp))
            Path(tmp).replace(path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise StudykitError(f"cannot write {what}: {exc.strerror or exc}", path) from exc
