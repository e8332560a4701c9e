"""Helpers for the hardening tests (issue 15): builds in a child process, with their own
cache and temp dir, so that the tests can break, kill and compare them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def environment(cache: Path, temp: Path, **extra: str) -> dict[str, str]:
    """The environment of a build with its own cache and temp dir."""
    temp.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "TYPESET_CACHE_DIR": str(cache), "TMPDIR": str(temp),
            "LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": "", **extra}


def command(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "typeset", *map(str, args)]


def run(*args: str | Path, cache: Path, temp: Path, **extra: str) -> subprocess.CompletedProcess:
    """``typeset ARGS`` in a child process; its output as text."""
    return subprocess.run(command(*args), env=environment(cache, temp, **extra),
                          capture_output=True, text=True, timeout=300)


def files(folder: Path) -> dict[str, bytes]:
    """Every file of ``folder`` (not hidden), by name."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.startswith(".")}


def leftovers(temp: Path) -> list[str]:
    """What builds left in the temp dir ``temp``: run folders, WeasyPrint's folders
    (the fontconfig configuration is kept on purpose: it is a cache)."""
    found = [p.name for p in temp.glob("weasyprint-*")]
    for runs in temp.glob("typeset-[0-9]*"):
        found += [f"{runs.name}/{p.name}" for p in runs.iterdir()]
    return found
