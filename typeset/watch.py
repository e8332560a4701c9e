"""``typeset build --watch``: build again whenever a file of the issue changes.

A layout desk keeps the proof open while editing copy; on every save the issue is built
again, and the caches (heights, pages: :mod:`typeset.cache`) make that a re-proof of the
pages the edit touched. The folder is polled twice a second: no extra dependency, and
it works the same on network shares, where change notifications often do not arrive.
A build that fails prints its error and the watch goes on; the last good output stays.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from typeset import cache, failures

#: Seconds between two looks at the files.
INTERVAL = 0.5


def snapshot(path: Path) -> dict[Path, tuple[int, int]]:
    """Size and modification time of every file of the issue (hidden files aside)."""
    root = path if path.is_dir() else path.parent
    files = [path] if path.is_file() else []
    files += [p for p in root.rglob("*") if p.is_file()
              and not any(part.startswith(".") for part in p.relative_to(root).parts)]
    state = {}
    for file in files:
        try:
            state[file] = cache.stamp(file)
        except OSError:
            continue  # removed while looking
    return state


def watch(path: Path, build: Callable[[], None], *, ignore: Path | None = None,
          rounds: int | None = None, interval: float = INTERVAL) -> None:
    """Run ``build`` now and after every change under ``path`` (files under ``ignore``,
    the output folder, do not count). ``rounds`` limits the builds (for tests); without
    it the watch runs until interrupted."""
    def seen() -> dict:
        state = snapshot(path)
        if ignore is not None:
            state = {p: s for p, s in state.items() if not p.is_relative_to(ignore)}
        return state

    path = path.resolve()  # the ignored folder is absolute: compare like with like
    ignore = ignore.resolve() if ignore is not None else None
    builds = 0
    while rounds is None or builds < rounds:
        state = seen()
        try:
            build()
        except Exception as exc:  # noqa: BLE001  (a half-copied photo must not end it)
            print(failures.complaint(exc)[0], file=sys.stderr, flush=True)
        builds += 1
        if rounds is not None and builds >= rounds:
            return
        print("watching for changes (Ctrl-C to stop)", flush=True)
        while seen() == state:
            time.sleep(interval)
