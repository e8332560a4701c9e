"""The build cache and atomic file writes.

Measured heights (:mod:`typeset.layout.measure`), page plans (:mod:`typeset.layout`),
rendered pages (:mod:`typeset.writers.pages`), compiled templates
(:mod:`typeset.html`) and file digests are kept between builds under
``$TYPESET_CACHE_DIR`` (default ``~/.cache/typeset``), one file per key: a key changes
whenever anything that could change the entry does, so entries are never invalidated,
only left behind. Every file, in the cache or in the build's output, is written to a
temporary file beside it and renamed into place: a reader never sees half a file and a
failed build never leaves one.

The cache is untrusted data: a disk, a copy or another program may have changed any
byte of it. Entries are JSON or raw bytes (never pickles), each behind a header holding
the SHA-256 of its kind, key and content; an entry whose header does not match is
removed and read as missing, so the build makes it again and prints what it would have
printed from a clean cache (:data:`counts` tells how many, ``typeset build -v`` shows
them). An entry owned by another user is read as missing too: whoever could plant it
could plant anything (compiled templates are code).
"""

from __future__ import annotations

import collections
import contextlib
import functools
import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

Value = TypeVar("Value")

#: What each entry starts with: this, the hex SHA-256 of :func:`_digest`, a newline.
HEADER = b"typeset-cache 1 "

#: Entries read (``hit``), missing (``miss``), written and discarded as damaged, by this
#: process and the workers it ran (:mod:`typeset.parallel` adds theirs).
counts: collections.Counter = collections.Counter()


def folder(kind: str) -> Path:
    """The cache folder for one kind of entry (``heights``, ``pages``)."""
    root = os.environ.get("TYPESET_CACHE_DIR")
    return (Path(root) if root else Path.home() / ".cache" / "typeset") / kind


def read(kind: str, key: str, suffix: str) -> bytes | None:
    """The entry ``key`` of ``kind``, or None. Reading an entry marks it as used (its
    modification time), which is what :func:`prune` keeps."""
    path = folder(kind) / key[:2] / f"{key}{suffix}"
    try:
        with open(path, "rb") as stream:
            owner = os.fstat(stream.fileno()).st_uid
            data = stream.read()
    except OSError:
        counts["miss"] += 1
        return None
    if owner != os.getuid():
        counts["miss"] += 1
        return None
    payload = _checked(kind, f"{key}{suffix}", data)
    if payload is None:
        counts["discarded"] += 1
        with contextlib.suppress(OSError):  # (a read-only cache: still a miss)
            path.unlink(missing_ok=True)
        return None
    with contextlib.suppress(OSError):  # (marked as used or not, the entry is good)
        os.utime(path)
    counts["hit"] += 1
    return payload


def _checked(kind: str, name: str, data: bytes) -> bytes | None:
    """The content of the entry ``data`` if its header matches it, else None."""
    end = len(HEADER) + 64
    if not data.startswith(HEADER) or data[end:end + 1] != b"\n":
        return None
    payload = data[end + 1:]
    return payload if data[len(HEADER):end] == _digest(kind, name, payload) else None


def _digest(kind: str, name: str, payload: bytes) -> bytes:
    """The hex SHA-256 of an entry: its kind and name too, so that an entry copied
    under another key does not pass either."""
    digest = hashlib.sha256(f"{kind}/{name}\0".encode())
    digest.update(payload)
    return digest.hexdigest().encode()


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
    header = HEADER + _digest(kind, target.name, data) + b"\n"
    write_atomic(target, header + data)
    counts["written"] += 1


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` next to ``target`` and rename it into place (mode 0644)."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; outputs are for sharing
        os.replace(temporary, target)
    except BaseException as exc:
        os.unlink(temporary)
        if isinstance(exc, OSError) and exc.filename is None:  # (a full disk names none)
            raise OSError(exc.errno, exc.strerror, str(target)) from exc
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
