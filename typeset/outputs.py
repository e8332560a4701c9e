"""A build's outputs put in place as one set: all of them, or none.

The PDF, the EPUB and the layout JSON of a build belong together: a desk that finds
this build's PDF beside the previous build's EPUB sends the wrong pair on. Writing
them one at a time, a build killed between two (SIGKILL, a full disk) left just that.

So the files are written into a new folder beside the output folder
(``.<name>.typeset-<pid>-<start>``), which also gets a hard link to everything else
the output folder holds (other issues' files, ``diff/``: nothing is copied), and the
two folders are swapped in one step (``renameat2(RENAME_EXCHANGE)``, Linux 3.15 and
later). Whatever stops the build, readers see either the whole previous folder or the
whole new one. The swapped-out folder is removed; one left by a build killed outright
is reclaimed by the next build into the same place (:func:`typeset.scratch.alive`
tells a dead build's folder from a running one's). Builds into one folder take turns
for the swap (a lock on the folder holding it), so two builds of different issues into
one folder both keep their files.

Where the swap cannot be made (another system, a file system without it, an output
folder that is a mount point or the current folder), the files are written into a
hidden folder inside the output folder and renamed into place one by one: each file is
still whole, the set no longer is.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import stat
from pathlib import Path

from typeset import scratch


def commit(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    """Put ``files`` (name → content) in ``out_dir`` as one set; return their paths."""
    out_dir = Path(os.path.abspath(out_dir))
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    swap = _can_swap(out_dir)
    if not swap:
        out_dir.mkdir(exist_ok=True)  # (the files are written inside: one file system)
    place = out_dir.parent if swap else out_dir
    staging = place / f".{out_dir.name}.typeset-{scratch.tag(os.getpid())}"
    try:
        os.mkdir(staging)
        for name, data in files.items():
            _write(staging / name, data)
        with _turn(place):
            _reclaim(out_dir)
            if not (swap and _swapped(staging, out_dir, set(files))):
                for name in files:
                    os.replace(staging / name, out_dir / name)
    except OSError as exc:  # (name the output folder, not the hidden one beside it)
        if exc.filename is None or str(staging) in os.fsdecode(exc.filename):
            raise OSError(exc.errno, exc.strerror, str(out_dir)) from exc
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out_dir / name for name in files]


def _can_swap(out_dir: Path) -> bool:
    """Whether ``out_dir`` can be swapped for a folder beside it (see the module)."""
    if _exchange is None or Path.cwd().is_relative_to(out_dir):
        return False
    return not out_dir.exists() or (out_dir.is_dir() and not out_dir.is_symlink()
                                    and not os.path.ismount(out_dir))


def _swapped(staging: Path, out_dir: Path, names: set[str]) -> bool:
    """Make ``staging`` the output folder in one step; False where that cannot be."""
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return True
    for entry in out_dir.iterdir():
        if entry.name not in names:
            _link(entry, staging / entry.name)
    os.chmod(staging, stat.S_IMODE(out_dir.stat().st_mode))
    if _exchange(os.fsencode(staging), os.fsencode(out_dir)) != 0:
        number = ctypes.get_errno()
        if number in (errno.EINVAL, errno.ENOSYS, errno.EXDEV, errno.EBUSY, errno.ENOTSUP):
            return False
        raise OSError(number, os.strerror(number), str(out_dir))
    return True  # (``staging`` now holds the previous set, removed by the caller)


def _link(source: Path, target: Path) -> None:
    """``source`` at ``target`` too: hard links, folders made anew, copies where a
    link cannot be made (another file system mounted inside)."""
    if source.is_symlink():
        os.symlink(os.readlink(source), target)
    elif source.is_dir():
        shutil.copytree(source, target, symlinks=True, copy_function=_link_file)
    else:
        _link_file(source, target)


def _link_file(source, target) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _write(path: Path, data: bytes) -> None:
    with open(path, "wb") as stream:
        stream.write(data)
    os.chmod(path, 0o644)  # outputs are for sharing


@contextlib.contextmanager
def _turn(folder: Path):
    """Hold the lock of ``folder`` (the output folder's parent): one build at a time
    puts its set there."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _reclaim(out_dir: Path) -> None:
    """Remove what builds into ``out_dir`` that were killed outright left beside it
    (or in it, where it could not be swapped)."""
    prefix = f".{out_dir.name}.typeset-"
    for path in [*out_dir.parent.glob(f"{prefix}*"), *out_dir.glob(f"{prefix}*")]:
        if not scratch.alive(path.name[len(prefix):]):
            shutil.rmtree(path, ignore_errors=True)


def _exchanger():
    """``renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE)`` from the C library, or
    None where it has none."""
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    at_cwd, exchange = -100, 2
    return lambda a, b: function(at_cwd, a, at_cwd, b, exchange)


_exchange = _exchanger()
