"""What a user reads when a command fails: one line, and an exit status that says whose
the problem is.

- 2: the input (:class:`typeset.errors.TypesetError`, naming file, article, field, line);
- 3: the environment: a folder that cannot be written (read-only, not permitted), a full
  disk or quota, a missing system library, memory. The line names which of typeset's
  folders it is (output, cache, temporary) and what to do;
- 1: anything else is a bug in typeset, and the line says so.

A traceback is for developers: ``--debug`` prints it (:mod:`typeset.cli`).
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from typeset.errors import TypesetError
from typeset.messages import msg

INPUT_ERROR, ENVIRONMENT_ERROR, BUG = 2, 3, 1

#: What keeps a folder from being written, said with what to do about it, by errno.
REASONS = {errno.ENOSPC: "env.no_space", errno.EDQUOT: "env.quota",
           errno.EROFS: "env.read_only", errno.EACCES: "env.permission",
           errno.EPERM: "env.permission", errno.ENOTDIR: "env.not_folder",
           errno.EEXIST: "env.not_folder"}  # (making a folder where a file is)

#: Where the hint for a folder that may not be written points, by folder.
HINTS = {"env.cache": "env.hint_cache", "env.output": "env.hint_output"}

#: The output folder of the build under way (set by the command line).
output_folder: list[Path] = []


def complaint(exc: Exception) -> tuple[str, int]:
    """The line that tells the user what went wrong, and the exit status."""
    if isinstance(exc, TypesetError):
        return msg("cli.error", message=exc), INPUT_ERROR
    environment = environment_problem(exc)
    if environment:
        return msg("cli.error", message=environment), ENVIRONMENT_ERROR
    return msg("cli.bug", detail=f"{type(exc).__name__}: {exc}"), BUG


def environment_problem(exc: BaseException) -> str | None:
    """What in the environment made ``exc``, said for the user; None when it is not
    the environment."""
    if isinstance(exc, MemoryError):
        return msg("env.memory")
    if not isinstance(exc, OSError):
        return None
    if exc.errno is None and "cannot load library" in str(exc):
        return msg("env.library", detail=exc)
    strerror = os.strerror(exc.errno) if exc.errno else str(exc)
    if exc.filename is None:
        return msg(REASONS[exc.errno]) if exc.errno in REASONS else strerror
    path = os.fsdecode(exc.filename)
    what = _whose(Path(path))
    if what is None:  # (not one of typeset's folders: a file it read, say)
        return msg("env.cannot_open", path=path, reason=strerror)
    reason = msg(REASONS[exc.errno]) if exc.errno in REASONS else strerror
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM) and what in HINTS:
        reason += msg(HINTS[what])
    return msg("env.cannot_write", what=msg(what), path=path, reason=reason)


def _whose(path: Path) -> str | None:
    """Which of typeset's folders ``path`` is in or on the way to (the innermost), as a
    message key."""
    from typeset import cache
    places = [(cache.folder(""), "env.cache"), (Path(tempfile.gettempdir()), "env.temporary")]
    places += [(folder, "env.output") for folder in output_folder]
    absolute = Path(os.path.abspath(path))
    for place, key in sorted(((Path(os.path.abspath(p)), k) for p, k in places),
                             key=lambda pair: -len(pair[0].parts)):
        if absolute.is_relative_to(place) or place.is_relative_to(absolute):
            return key
    return None
