"""Temporary folders: one per run of typeset, gone when the run ends, however it ends.

WeasyPrint copies the @font-face fonts of every font configuration into a temporary
folder (39 MB for the broadsheet's faces, :mod:`typeset.weasy.stylesheets`). A build
stopped by SIGTERM or Ctrl-C used to leave that folder behind, and so did every build
killed outright. Now everything a run puts in the temp dir goes under one folder of its
own, ``typeset-<uid>/<pid>-<start>`` in the system's temp dir:

- the folder is removed when the process exits: normally, by an error, or by SIGTERM,
  SIGHUP or SIGINT, which :func:`stop_on_signals` turns into an ordinary exit;
- a process killed outright (SIGKILL, a crash, power) cannot clean up after itself, so
  each run first removes the folders of processes that are gone (:func:`reclaim`). The
  process's start time is in the name: a pid the system has given to another process
  since does not keep a dead run's folder, and a build running beside this one keeps
  its own.

Forked workers (:mod:`typeset.parallel`) use their parent's folder, which outlives them.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

_mine: list[Path] = []  # this process's folder, once made


def root() -> Path:
    """The folder holding every run's folder, private to this user."""
    path = Path(tempfile.gettempdir()) / f"typeset-{os.getuid()}"
    path.mkdir(mode=0o700, exist_ok=True)
    if path.stat().st_uid != os.getuid():  # someone else's folder: not ours to use
        raise PermissionError(13, "belongs to another user", str(path))
    return path


def folder() -> Path:
    """This run's folder (made on first use, removed when the process exits)."""
    if not _mine:
        path = root() / tag(os.getpid())
        path.mkdir(mode=0o700, exist_ok=True)
        _mine.append(path)
        atexit.register(_remove, path, os.getpid())
    return _mine[0]


def make(prefix: str) -> Path:
    """A new empty folder inside this run's folder."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir=folder()))


def tag(pid: int) -> str:
    """``<pid>-<start time>``: a name that no later process can have."""
    return f"{pid}-{_started(pid)}"


def alive(name: str) -> bool:
    """Whether the process named by ``name`` (a :func:`tag`) is still running."""
    pid, _, started = name.partition("-")
    if not pid.isdigit():
        return True  # not ours to judge
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process of that pid: check its start time
    return _started(int(pid)) == started


def reclaim() -> None:
    """Remove the folders of runs that are no longer running."""
    try:
        folders = list(root().iterdir())
    except OSError:
        return  # (no temp dir to clean: nothing was left there either)
    for path in folders:
        if not alive(path.name):
            shutil.rmtree(path, ignore_errors=True)


def stop_on_signals() -> None:
    """Make SIGTERM, SIGHUP and SIGINT end the process as an exception does, so that
    ``finally`` blocks and :mod:`atexit` clean up (exit status 128 + the signal)."""
    for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(number, _stop)


def _stop(number: int, _frame) -> None:
    if number == signal.SIGINT:
        raise KeyboardInterrupt
    sys.exit(128 + number)


def _started(pid: int) -> str:
    """The process's start time in clock ticks since boot (Linux), else ``0``."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stream:
            fields = stream.read().rpartition(b")")[2].split()
    except OSError:
        return "0"
    return fields[19].decode()  # field 22 of stat(5): the 20th after the name


def _remove(path: Path, owner: int) -> None:
    if os.getpid() == owner:  # (a forked worker exiting leaves its parent's folder)
        shutil.rmtree(path, ignore_errors=True)
