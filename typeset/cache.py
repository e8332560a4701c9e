"""The build cache and atomic file writes.

Measured heights (:mod:`typeset.layout.measure`) and rendered pages
(:mod:`typeset.writers.pages`) are kept between builds under ``$TYPESET_CACHE_DIR``
(default ``~/.cache/typeset``), one file per content hash: a key changes whenever
anything that could change the entry does, so entries are never invalidated, only
left behind. Every file, in the cache or in the build's output, is written to a
temporary file beside it and renamed into place: a reader never sees half a file and a
failed build never leaves one.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

Value = TypeVar("Value")


def folder(kind: str) -> Path:
    """The cache folder for one kind of entry (``heights``, ``pages``)."""
    root = os.environ.get("TYPESET_CACHE_DIR")
    return (Path(root) if root else Path.home() / ".cache" / "typeset") / kind


def read(kind: str, key: str, suffix: str) -> bytes | None:
    """The entry ``key`` of ``kind``, or None. Reading an entry marks it as used (its
    modification time), which is what :func:`prune` keeps."""
    path = folder(kind) / key[:2] / f"{key}{suffix}"
    try:
        data = path.read_bytes()
        os.utime(path)
    except OSError:
        return None
    return data


def prune(kind: str, budget: int) -> None:
    """Remove the least recently used entries of ``kind`` beyond ``budget`` bytes.

    Every edit under ``typeset build --watch`` adds a rendered page; a night of
    re-proofs would fill the disk without this.
    """
    entries = []
    for path in folder(kind).glob("*/*"):
        try:
            status = path.stat()
        except OSError:
            continue  # removed by another build meanwhile
        entries.append((status.st_mtime_ns, status.st_size, path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= budget:
            break
        path.unlink(missing_ok=True)
        total -= size


def write(kind: str, key: str, suffix: str, data: bytes) -> None:
    """Store ``data`` as the entry ``key`` of ``kind``."""
    target = folder(kind) / key[:2] / f"{key}{suffix}"
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, data)


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` next to ``target`` and rename it into place (mode 0644)."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; outputs are for sharing
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def per_file(function: Callable[[Path], Value]) -> Callable[[Path], Value]:
    """``function(path)`` remembered for as long as the file keeps its size and time.

    ``typeset build --watch`` runs for hours: a picture or font replaced under the same
    name must be read again.
    """
    remembered = functools.lru_cache(maxsize=1024)(lambda path, _stamp: function(path))

    @functools.wraps(function)
    def wrapper(path: Path) -> Value:
        try:
            return remembered(path, stamp(path))
        except OSError:
            return remembered(path, None)
    return wrapper


def stamp(path: Path) -> tuple[int, int]:
    """A file's modification time (ns) and size: what tells a changed file apart."""
    status = path.stat()
    return status.st_mtime_ns, status.st_size


@per_file
def file_digest(path: Path) -> bytes:
    """The file's SHA-256, also kept in the cache under its path, time and size: hashing
    the fonts (39 MB) took each new process 0.06 s."""
    key = hashlib.sha256(f"{path.resolve()}|{stamp(path)}".encode()).hexdigest()
    digest = read("digests", key, ".sha256")
    if digest is None:
        digest = hashlib.sha256(path.read_bytes()).digest()
        write("digests", key, ".sha256", digest)
    return digest
