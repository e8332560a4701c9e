"""One task of an archive run: a whole issue converted on whichever process runs it.

The build time written into the outputs (PDF info and XMP dates, attachment dates,
EPUB modified date) is the issue's date at 00:00 UTC, set here through
``SOURCE_DATE_EPOCH`` for the length of the build: a worker's own environment (a
``SOURCE_DATE_EPOCH`` left set on one machine of a cluster) cannot make its outputs
differ from another's. Each process uses its own machine's build cache
(``$TYPESET_CACHE_DIR``); the cache's writes are atomic, so processes of one machine
share it safely.
"""

from __future__ import annotations

import calendar
import hashlib
import os
import threading
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from typeset.errors import TypesetError

#: What an archive builds of each issue.
FORMATS = ("pdf", "epub")

#: One build at a time in a process: WeasyPrint's caches and the cycle collector's
#: settings are per process, and a Dask worker started with several threads would
#: otherwise run tasks side by side in it.
_ONE_AT_A_TIME = threading.Lock()


@dataclass(frozen=True)
class Task:
    """An issue to convert: its manifest key, where it is, its sources' hash, the
    output root and the typeset version recorded with the result. Plain strings:
    a task travels to other processes and machines."""

    source: str
    path: str
    digest: str
    out: str
    version: str


def convert(task: Task) -> dict:
    """Build ``task``'s issue into ``OUT/<year>/<slug>/``; its manifest record. Never
    raises: a failure is a record with status ``failed`` and the reason."""
    from typeset.build import build
    from typeset.readers import read
    start = time.perf_counter()
    record = {"source": task.source, "source_sha256": task.digest, "typeset": task.version,
              "outputs": [], "pages": 0}
    out = Path(task.out)
    try:
        with _ONE_AT_A_TIME:
            issue = read(task.path).issue
            folder = out / str(issue.date.year) / issue.slug
            with _build_time(issue.date):
                result = build(Path(task.path), folder, formats=FORMATS, mode="archive",
                               jobs=1)
        record["outputs"] = [_output(path, out) for path in sorted(result.paths)]
        record.update(pages=len(result.layouts), status="ok", message="")
    except TypesetError as exc:
        record.update(status="failed", message=str(exc))
    except Exception as exc:  # a bug must not stop the other issues: record it whole
        record.update(status="failed", message=f"{type(exc).__name__}: {exc}\n"
                      f"{traceback.format_exc(limit=-3)}")
    record["seconds"] = round(time.perf_counter() - start, 3)
    return record


@contextmanager
def _build_time(date):
    """``SOURCE_DATE_EPOCH`` = the issue's date at midnight UTC, for one build."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(date.timetuple()))
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def _output(path: Path, out: Path) -> dict:
    data = path.read_bytes()
    return {"path": path.relative_to(out).as_posix(), "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data)}
