"""``OUT/manifest.jsonl``: one JSON line per issue, what was built from what.

A line holds ``source`` (path under the catalogue's root), ``source_sha256``,
``typeset`` (version and code digest), ``status`` (``ok`` or ``failed``), ``message``,
``outputs`` (``path`` under OUT, ``sha256``, ``bytes``), ``pages`` and ``seconds``.
Each result is appended as it comes in, so a run that is stopped keeps what it did;
at the end the file is written again with one line per issue, sorted by source, so
that two runs over the same catalogue give the same file but for the timings.
"""

from __future__ import annotations

import json
from pathlib import Path

from typeset.cache import write_atomic

NAME = "manifest.jsonl"


def load(out: Path) -> dict[str, dict]:
    """The latest record of each source in ``out``'s manifest (none if there is none;
    a line cut short by a stopped run is ignored)."""
    path = out / NAME
    records = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
                records[record["source"]] = record
            except (ValueError, KeyError, TypeError):
                continue
    return records


def unchanged(record: dict | None, digest: str, version: str, out: Path) -> bool:
    """Whether ``record`` says this issue was built, from these sources, by this
    typeset, and its outputs are still there at their size: then it is skipped."""
    return (record is not None and record.get("status") == "ok"
            and record.get("source_sha256") == digest and record.get("typeset") == version
            and all(_present(out / o["path"], o["bytes"]) for o in record["outputs"]))


def append(out: Path, record: dict) -> None:
    """Add one result to the manifest as soon as it is known."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / NAME, "a", encoding="utf-8") as manifest:
        manifest.write(line(record))


def save(out: Path, records: dict[str, dict]) -> None:
    """The manifest written anew: one line per issue, in source order."""
    out.mkdir(parents=True, exist_ok=True)
    write_atomic(out / NAME, "".join(line(records[s]) for s in sorted(records)).encode("utf-8"))


def line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"


def _present(path: Path, size: int) -> bool:
    return path.is_file() and path.stat().st_size == size
