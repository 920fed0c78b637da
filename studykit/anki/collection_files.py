"""The student's Anki file checked and copied into a scratch folder, never opened in place:
a package checked member by member and unpacked under a bound on what it really unpacks to (a
zstd-compressed collection inflated under the same bound), a closed `collection.anki2` copied,
one Anki has open refused. The scratch folder is removed afterwards, whatever happens."""

from __future__ import annotations

import contextlib
import os
import shutil
import struct
import sys
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from studykit.errors import StudykitError
from studykit.files import clear_abandoned

SQLITE_MAGIC = b"SQLite format 3\x00"
SCRATCH_PREFIX = "studykit-pull-"
ZIP_MAGIC = b"PK\x03\x04"
# Package format versions Anki writes in a package's `meta`: 1 and 2 legacy, 3 current.
LATEST_PACKAGE = 3
COLLECTION_MEMBERS = {1: "collection.anki2", 2: "collection.anki21", 3: "collection.anki21b"}
# The collection is packed again for Anki's restore as a package of version 2 (a plain SQLite
# file, an empty media list in JSON): it was inflated and checked here (`defuse`) first.
REPACKED = COLLECTION_MEMBERS[2]
# A member may unpack to at most this many times the package's size, and never beyond the cap:
# Anki's collection members are stored, not compressed, so a real one stays near 1x.
MAX_RATIO = 100
MAX_MEMBER = 4 << 30
HINT = "close Anki or use File > Create Backup and pull the backup"
NOT_A_COLLECTION = (
    "not an Anki collection: pull a .colpkg backup, an .apkg exported with "
    "scheduling, or a closed collection.anki2"
)


@contextlib.contextmanager
def scratch() -> Iterator[Path]:
    """A scratch folder, removed afterwards, also when SIGTERM or SIGHUP (a closed terminal,
    `kill`, `timeout`) ends the program meanwhile: within, they unwind it as Ctrl-C does."""
    import signal

    def end(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    numbers = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    # Handlers can only be set in the main thread; a caller's thread keeps its own.
    main = threading.current_thread() is threading.main_thread()
    kept = {number: signal.signal(number, end) for number in numbers} if main else {}
    # Held back while the folder is made: one arriving after it exists but before the `with`
    # that removes it would leave it behind. Delivered inside the `with`.
    blocked = main and hasattr(signal, "pthread_sigmask")
    try:
        if blocked:
            signal.pthread_sigmask(signal.SIG_BLOCK, numbers)
        # Named by this process: one a killed pull left is removed by the next.
        clear_abandoned(Path(tempfile.gettempdir()), SCRATCH_PREFIX)
        with tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-") as made:
            if blocked:
                blocked = False
                signal.pthread_sigmask(signal.SIG_UNBLOCK, numbers)
            yield Path(made)
    finally:
        if blocked:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, numbers)
        for number, handler in kept.items():
            signal.signal(number, handler)


def file_head(path: Path) -> bytes:
    try:
        if path.exists() and not path.is_file() and not path.is_dir():
            # A FIFO would block the read for good; a device is no collection either.
            raise StudykitError(
                "not a regular file (a pipe or a device): pull a .colpkg backup, an .apkg or "
                "a closed collection.anki2",
                path,
            )
        with path.open("rb") as file:
            return file.read(16)
    except FileNotFoundError:
        raise StudykitError("no such file", path) from None
    except IsADirectoryError:
        raise StudykitError(
            "a folder: pass the collection.anki2 inside it, or a .colpkg backup", path
        ) from None
    except OSError as exc:
        raise StudykitError(f"cannot read: {exc.strerror}", path) from exc


def checked_collection(path: Path, folder: Path) -> tuple[Path, int]:
    """The package's collection, unpacked (and inflated) into `folder` as a plain SQLite file
    after every member was checked, and the bound it was unpacked under."""
    try:
        size = path.stat().st_size
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise StudykitError(f"{NOT_A_COLLECTION} (a damaged or incomplete zip)", path) from None
    except OSError as exc:
        raise StudykitError(f"cannot read: {exc.strerror}", path) from exc
    limit = unpack_bound(size)
    with archive:
        names = [info.filename for info in archive.infolist()]
        for name in names:
            _check_name(name, path)
        version = _version(archive, path, limit)
        wanted = COLLECTION_MEMBERS[version]
        if wanted not in names:
            raise StudykitError(f"{NOT_A_COLLECTION} (the package has no {wanted})", path)
        target = folder / "collection.member"
        _unpack(archive, wanted, target, limit, path)
    if version == LATEST_PACKAGE:
        # Compressed with zstd, which Anki's restore inflates without a bound: inflated here
        # first, under the zip members' bound, so a small package cannot fill the disk.
        inflated = folder / "collection.inflated"
        _inflate(target, inflated, wanted, limit, path)
        target.unlink()
        target = inflated
    return target, limit


def unpack_bound(size: int) -> int:
    """What a file of `size` bytes may unpack to, and what Anki may write in one file while it
    opens the collection: 100 times its size and 1 MB, 4 GB at most (never less than twice the
    size of a collection.anki2 larger than that, which Anki may rewrite)."""
    return max(min(MAX_RATIO * size + (1 << 20), MAX_MEMBER), 2 * size)


def _check_name(name: str, path: Path) -> None:
    """Refuse a member named to land outside the folder it is unpacked in, or one no Anki
    package has (media files are numbered)."""
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or ".." in parts:
        raise StudykitError(
            f"refused: the package has a member named {name!r}, outside the package "
            "(Anki never writes one); nothing was unpacked",
            path,
        )
    if name not in {"meta", "media", *COLLECTION_MEMBERS.values()} and not name.isdigit():
        raise StudykitError(f"{NOT_A_COLLECTION} (it has a member {name!r})", path)


def _version(archive: zipfile.ZipFile, path: Path, limit: int) -> int:
    """The package's format version: its `meta`, else (older packages) its collection's name."""
    names = set(archive.namelist())
    if "meta" not in names:
        return 2 if COLLECTION_MEMBERS[2] in names else 1
    raw = _read_member(archive, "meta", min(limit, 1 << 16), path)
    from anki.import_export_pb2 import PackageMetadata

    try:
        version = PackageMetadata.FromString(raw).version
    except Exception:  # protobuf's DecodeError, whose module has no type hints
        raise StudykitError(f"{NOT_A_COLLECTION} (its meta cannot be read)", path) from None
    if version not in COLLECTION_MEMBERS:
        raise StudykitError(
            f"unsupported Anki package format version {version} (this studykit reads versions "
            f"1 to {LATEST_PACKAGE}): upgrade studykit's anki package, or export from Anki again "
            "with 'Support older Anki versions' ticked",
            path,
        )
    return int(version)


def _read_member(archive: zipfile.ZipFile, name: str, limit: int, path: Path) -> bytes:
    try:
        with archive.open(name) as source:
            data = source.read(limit + 1)
    except (zipfile.BadZipFile, EOFError, ValueError, zlib.error) as exc:
        raise StudykitError(f"{NOT_A_COLLECTION} (a damaged or incomplete zip)", path) from exc
    except (RuntimeError, NotImplementedError) as exc:
        raise _sealed(name, path) from exc
    if len(data) > limit:
        raise _too_large(name, limit, path)
    return data


def _unpack(archive: zipfile.ZipFile, name: str, target: Path, limit: int, path: Path) -> None:
    """Unpack one member, counting what it really unpacks to (a zip's header may lie)."""
    written = 0
    try:
        with archive.open(name) as source, target.open("wb") as out:
            while chunk := source.read(1 << 20):
                written += len(chunk)
                if written > limit:
                    raise _too_large(name, limit, path)
                out.write(chunk)
    except (zipfile.BadZipFile, EOFError, ValueError, zlib.error) as exc:
        raise StudykitError(f"{NOT_A_COLLECTION} (a damaged or incomplete zip)", path) from exc
    except (RuntimeError, NotImplementedError) as exc:
        raise _sealed(name, path) from exc
    except OSError as exc:
        raise StudykitError(f"cannot unpack: {exc.strerror}", path) from exc


def _sealed(name: str, path: Path) -> StudykitError:
    """An encrypted member, or one compressed in a way Python's zip reader does not know
    (implode, AES): Anki writes neither."""
    return StudykitError(
        f"{NOT_A_COLLECTION} ({name} is encrypted or compressed in a way Anki never writes)", path
    )


def _inflate(member: Path, target: Path, name: str, limit: int, path: Path) -> None:
    """Inflate a zstd-compressed member into `target`, refusing one that inflates to more than
    `limit` bytes: it is read in bounded pieces and counted, every frame of it (Anki reads
    them all)."""
    import zstandard

    inflated = 0
    try:
        with member.open("rb") as source, target.open("wb") as out:
            reader = zstandard.ZstdDecompressor().stream_reader(source, read_across_frames=True)
            while piece := reader.read(1 << 20):
                inflated += len(piece)
                if inflated > limit:
                    raise StudykitError(
                        f"refused: the package's {name!r} unpacks to far more than its size "
                        f"(over {limit >> 20} MB): not a collection studykit can read safely; "
                        "nothing was kept",
                        path,
                    )
                out.write(piece)
    except zstandard.ZstdError as exc:
        raise StudykitError(f"{NOT_A_COLLECTION} (its {name} cannot be inflated)", path) from exc
    except OSError as exc:
        raise StudykitError(f"cannot unpack: {exc.strerror}", path) from exc


def _too_large(name: str, limit: int, path: Path) -> StudykitError:
    return StudykitError(
        f"refused: the package's {name!r} unpacks to more than {limit >> 20} MB, far more than "
        "the package itself; nothing was kept",
        path,
    )


def copy_closed(path: Path, folder: Path) -> Path:
    """Copy a collection that Anki has closed into `folder`; refuse one that is open."""
    wal = path.with_name(path.name + "-wal")
    if _locked(path) or (wal.is_file() and wal.stat().st_size > 0):
        raise StudykitError(f"the collection is open in Anki: {HINT}", path)
    copy = folder / "collection.anki2"
    try:
        shutil.copyfile(path, copy)
    except OSError as exc:
        raise StudykitError(f"cannot copy the collection: {exc.strerror}", path) from exc
    return copy


def _locked(path: Path) -> bool:
    """Whether another process holds SQLite's lock on the file (Anki keeps one while it has the
    collection open). Asked of the system, without opening the database (on Linux; elsewhere
    the write-ahead log alone tells)."""
    if sys.platform != "linux":
        return False
    import fcntl

    # SQLite locks the bytes from its pending byte (1 GiB) on: ask who would block a write lock.
    probe = struct.pack("hhqqi", fcntl.F_WRLCK, os.SEEK_SET, 0x4000_0000, 512, 0)
    try:
        with path.open("rb") as file:
            answer = fcntl.fcntl(file.fileno(), fcntl.F_GETLK, probe)
    except OSError:
        return False
    return bool(struct.unpack("hhqqi", answer)[0] != fcntl.F_UNLCK)
