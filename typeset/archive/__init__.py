"""``typeset archive``: a back catalogue converted issue by issue, resumably.

The batch, in order::

    catalogue.find   ──▶  manifest.load   ──▶  engines.local / engines.dask  ──▶  manifest.save
    every issue under     what an earlier      task.convert per issue, as the     one line per
    ROOT, its source      run built: skip      results come in (progress bar,     issue, sorted
    hash                  what is unchanged    failures logged, batch goes on)

A task is one whole issue (archive PDF/A-3 + EPUB + layout report into
``OUT/<year>/<slug>/``): issues are independent, so they spread over processes or a
Dask cluster with nothing to share but the output folder; pages of one issue are not
split (an archive PDF is rendered as one tagged document). Whichever engine runs a task,
it writes the same bytes (:mod:`typeset.archive.task` fixes the build time).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from typeset.archive import catalogue, manifest
from typeset.archive.task import Task
from typeset.errors import TypesetError


@dataclass(frozen=True)
class Summary:
    """What one run did: issues found, built, skipped (unchanged), failed; pages in the
    catalogue; the failures' records."""

    issues: int
    built: int
    skipped: int
    failed: int
    pages: int
    seconds: float
    failures: tuple[dict, ...] = ()

    def text(self) -> str:
        lines = [f"archive: {self.issues} issues, {self.pages} pages: {self.built} built, "
                 f"{self.skipped} unchanged, {self.failed} failed in {self.seconds:.1f} s"]
        lines += [f"  failed: {r['source']}: {r['message']}" for r in self.failures]
        return "\n".join(lines)


def archive(root: Path, out: Path, *, processes: int | None = None, dask: str | None = None,
            quiet: bool = False) -> Summary:
    """Convert every issue under ``root`` into ``out``; see the module docstring.

    ``dask`` is a scheduler address (``tcp://host:8786``) or ``local:N`` for a
    ``LocalCluster`` of N workers; without it, ``processes`` local processes run the
    tasks (default: one per core). ``quiet`` logs failures and the summary only.
    """
    from typeset.archive import engines, progress
    root, out = Path(root).resolve(), Path(out).resolve()
    if not root.is_dir():
        raise TypesetError("not a folder", file=root)
    start = time.perf_counter()
    version = catalogue.typeset_version()
    found = catalogue.find(root, exclude=out)
    earlier = manifest.load(out)
    records = {}
    todo = []
    for issue in found:
        old = earlier.get(issue.source)
        if manifest.unchanged(old, issue.digest, version, out):
            records[issue.source] = old
        else:
            todo.append(Task(source=issue.source, path=str(issue.path), digest=issue.digest,
                             out=str(out), version=version))
    pages = {issue.source: issue.pages for issue in found}
    run = engines.dask(todo, dask) if dask else engines.local(todo, processes)
    with progress.Bar(len(todo), sum(pages[t.source] for t in todo), quiet) as bar:
        for record in run:
            records[record["source"]] = record
            manifest.append(out, record)
            bar.done(record)
    manifest.save(out, records)
    failures = tuple(r for r in sorted(records.values(), key=lambda r: r["source"])
                     if r["status"] != "ok")
    return Summary(issues=len(found), built=len(todo) - len(failures),
                   skipped=len(found) - len(todo), failed=len(failures),
                   pages=sum(r["pages"] for r in records.values()),
                   seconds=time.perf_counter() - start, failures=failures)
