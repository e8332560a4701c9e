"""``typeset archive``: a back catalogue converted issue by issue, resumably.

The batch, in order::

    catalogue.find  ──▶  plan  ──────────────▶  engines.local | dask  ──▶  manifest.save
    every issue         skip what the           task.convert per issue;     one line per
    under ROOT, its     manifest has from       results as they come        issue, sorted
    source hash         the same sources        (progress, failures logged)

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
    try:
        from typeset.archive import engines, progress
    except ImportError as exc:
        raise TypesetError(f"typeset archive needs the archive extra "
                           f"(pip install -e '.[archive]'): {exc}") from None
    root, out = Path(root).resolve(), Path(out).resolve()
    if not root.is_dir():
        raise TypesetError("not a folder", file=root)
    start = time.perf_counter()
    version = catalogue.typeset_version()
    found = catalogue.find(root, exclude=out)
    kept, clashes, todo = plan(found, manifest.load(out), version, out)
    for record in clashes:
        manifest.append(out, record)
    pages = {issue.source: issue.pages for issue in found}
    built = []
    run = engines.dask(todo, dask) if dask else engines.local(todo, processes)
    with progress.Bar(len(todo), sum(pages[t.source] for t in todo), quiet) as bar:
        for record in run:
            built.append(record)
            manifest.append(out, record)
            bar.done(record)
    records = {r["source"]: r for r in (*kept, *clashes, *built)}
    manifest.save(out, records)
    failures = tuple(sorted((r for r in records.values() if r["status"] != "ok"),
                            key=lambda r: r["source"]))
    return Summary(issues=len(found), built=sum(r["status"] == "ok" for r in built),
                   skipped=len(kept), failed=len(failures),
                   pages=sum(r["pages"] for r in records.values()),
                   seconds=time.perf_counter() - start, failures=failures)


def plan(found: list[catalogue.Found], earlier: dict[str, dict], version: str,
         out: Path) -> tuple[list[dict], list[dict], list[Task]]:
    """Which issues to skip (their earlier records), which cannot be built because an
    earlier one in source order writes to the same ``<year>/<slug>`` folder (failure
    records: one would overwrite the other), and the tasks for the rest."""
    kept, clashes, todo = [], [], []
    first: dict[str, str] = {}
    for issue in found:
        taken = first.setdefault(issue.folder, issue.source) if issue.folder else issue.source
        if taken != issue.source:
            clashes.append(_clash(issue, taken, version))
        elif manifest.unchanged(earlier.get(issue.source), issue.digest, version, out):
            kept.append(earlier[issue.source])
        else:
            todo.append(Task(source=issue.source, path=str(issue.path), digest=issue.digest,
                             out=str(out), version=version))
    return kept, clashes, todo


def _clash(issue: catalogue.Found, taken: str, version: str) -> dict:
    return {"source": issue.source, "source_sha256": issue.digest, "typeset": version,
            "outputs": [], "pages": 0, "seconds": 0.0, "status": "failed",
            "message": f"same output folder {issue.folder} as {taken}: give it another slug"}
