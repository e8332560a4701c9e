"""Archives at scale: a generated back catalogue converted by ``typeset archive``.

Run: python benchmarks/archive.py [--issues 120] [--pages 4] [--compare 12]

A county daily prints some 300 issues a year; converting its back catalogue is many
independent whole-issue builds (issue 18). This script writes a catalogue of ``--issues``
daily issues of ``--pages`` pages each in a temporary folder (see
:func:`make_catalogue`), then converts it, each run into a new output folder and on a
new build cache (the machine's caches of compiled templates and font digests filled
first, as on a desk's machine after its first build):

- throughput on one process against two: a catalogue of ``--compare`` issues converted
  with ``processes=1`` and with ``processes=2`` (the whole catalogue twice more would
  take as long as the rest of the run together);
- ``local``: the catalogue on the default engine, one process per core (2 here);
- ``dask2``: the same tasks on a ``LocalCluster`` of two one-thread workers.

It prints each result as it comes, checks that both engines wrote the same bytes, and
ends with

    archive: issues=… pages=… local=…s dask2=…s pages_per_min=… rss_worker=…MB

with pages_per_min that of the local engine and rss_worker the largest peak RSS of a
worker process (``VmHWM``, sampled while the local engine runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

from typeset import SAMPLE_ISSUE

#: The first issue of a generated catalogue; the rest follow day by day.
FIRST_DAY = dt.date(2024, 3, 1)


def make_catalogue(root: Path, issues: int, pages: int, articles: int | None = None,
                   json_every: int = 5) -> list[Path]:
    """Write ``issues`` daily issues of ``pages`` pages under ``root``; return their paths.

    Issue i (from 0) is dated ``FIRST_DAY + i days`` and lives in
    ``root/<year>/<month>/<slug>/``; every ``json_every``-th one is written instead as one
    JSON file (``root/<year>/<month>/<slug>.json``, photos beside it), the other form an
    archive finds. Page 1 takes the article set of the sample's front page, with the
    masthead; page n > 1 that of sample page 2 or 3, in turns that shift with i; each
    set cut to its first ``articles`` articles when given (small issues for tests). So
    that no two issues are the same text, each article's digits are shifted by i
    (11月25日 becomes 22月36日 in issue 1: the text only has to differ and keep its
    length) and its paragraphs after the first are rotated by a number drawn from a
    generator seeded with i. The output is the same on every run.
    """
    meta = yaml.safe_load((SAMPLE_ISSUE / "issue.yaml").read_text(encoding="utf-8"))
    sets = meta["pages"]
    made = []
    for index in range(issues):
        day = FIRST_DAY + dt.timedelta(days=index)
        slug = f"yuquan-{day.isoformat()}"
        month = root / str(day.year) / f"{day.month:02d}"
        folder = month / slug
        shutil.copytree(SAMPLE_ISSUE / "images", folder / "images")
        (folder / "articles").mkdir()
        issue_pages = []
        for number in range(1, pages + 1):
            # the front page's set has room for the masthead; the others take turns
            template = sets[0] if number == 1 else sets[1 + (number + index) % (len(sets) - 1)]
            placements = []
            for placement in template["articles"][:articles]:
                new_id = f"p{number}-{placement['id'].removeprefix('p3-')}"
                text = (SAMPLE_ISSUE / "articles" / f"{placement['id']}.md").read_text(
                    encoding="utf-8")
                (folder / "articles" / f"{new_id}.md").write_text(
                    _varied(text, index), encoding="utf-8")
                placements.append({**placement, "id": new_id})
            issue_pages.append({"number": number, "section": template["section"],
                                "masthead": number == 1,
                                "credits": [dict(c) for c in template["credits"]],
                                "articles": placements})
        meta.update(date=day, number=6000 + index, slug=slug, pages=issue_pages)
        meta.pop("lunar_date", None)  # the sample's lunar date belongs to its own day
        (folder / "issue.yaml").write_text(
            yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
        made.append(_as_json(folder) if json_every and index % json_every == json_every - 1
                    else folder)
    return made


def _varied(text: str, index: int) -> str:
    """An article's Markdown with its digits shifted by ``index`` and its paragraphs
    after the first rotated; front matter and first paragraph keep their shape."""
    _, front, body = text.split("---\n", 2)
    paragraphs = body.strip("\n").split("\n\n")
    turn = random.Random(index).randrange(len(paragraphs)) if len(paragraphs) > 2 else 0
    rest = paragraphs[1:]
    paragraphs = paragraphs[:1] + rest[turn % max(len(rest), 1):] + rest[:turn % max(len(rest), 1)]
    body = re.sub(r"[0-9]", lambda m: str((int(m.group()) + index) % 10), "\n\n".join(paragraphs))
    return f"---\n{front}---\n\n{body}\n"


def _as_json(folder: Path) -> Path:
    """The issue folder replaced by one JSON file beside it (photos in ``images/``)."""
    from typeset.readers import read
    from typeset.readers.jsonfile import dump_json
    target = folder.parent / f"{folder.name}.json"
    text = dump_json(read(folder).issue)
    shutil.copytree(folder / "images", folder.parent / "images", dirs_exist_ok=True)
    shutil.rmtree(folder)
    target.write_text(text, encoding="utf-8")
    return target


def fresh_cache(under: Path) -> None:
    """A new, empty build cache for what follows, sharing the machine's caches
    (compiled templates, font digests) kept under ``under/machine``."""
    cache = Path(tempfile.mkdtemp(prefix="cache-", dir=under))
    for kind in ("templates", "digests"):
        (under / "machine" / kind).mkdir(parents=True, exist_ok=True)
        (cache / kind).symlink_to(under / "machine" / kind)
    os.environ["TYPESET_CACHE_DIR"] = str(cache)


class PeakWorkerMemory:
    """The largest VmHWM of this process's descendants, sampled every half second
    while the ``with`` block runs (pool workers end before their RSS could be read)."""

    def __init__(self):
        self.peak_mb = 0.0
        self._stop = threading.Event()

    def __enter__(self):
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _sample(self):
        import psutil
        me = psutil.Process()
        while not self._stop.wait(0.5):
            for child in me.children(recursive=True):
                try:
                    status = Path(f"/proc/{child.pid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        self.peak_mb = max(self.peak_mb, int(line.split()[1]) / 1024)


def convert(root: Path, out: Path, under: Path, **engine) -> tuple[float, object]:
    """One ``typeset archive`` run on a fresh cache: (seconds, its summary)."""
    from typeset.archive import archive
    fresh_cache(under)
    start = time.perf_counter()
    summary = archive(root, out, quiet=True, **engine)
    seconds = time.perf_counter() - start
    if summary.failed:
        raise SystemExit(f"{summary.failed} issues failed: see {out / 'manifest.jsonl'}")
    return seconds, summary


def same_bytes(first: Path, second: Path) -> bool:
    """Whether two output folders hold the same files with the same bytes (manifest
    aside: its timings differ)."""
    def files(folder):
        return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*")
                if p.is_file() and p.name != "manifest.jsonl"}
    return files(first) == files(second)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--issues", type=int, default=120)
    parser.add_argument("--pages", type=int, default=4)
    parser.add_argument("--compare", type=int, default=12,
                        help="issues converted on 1 and on 2 processes for the ratio")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="archive-bench-") as tmp:
        tmp = Path(tmp)
        fresh_cache(tmp)
        from typeset.build import build
        build(SAMPLE_ISSUE, tmp / "first", formats=("pdf",))  # the machine's first build
        # The ratio first: it is what the acceptance asks, and the shortest part.
        compare = tmp / "compare"
        make_catalogue(compare, args.compare, args.pages)
        one, small = convert(compare, tmp / "one", tmp, processes=1)
        two, _ = convert(compare, tmp / "two", tmp, processes=2)
        print(f"throughput: 1 process {small.pages / one * 60:.1f} pages/min, "
              f"2 processes {small.pages / two * 60:.1f} pages/min, ratio {one / two:.2f} "
              f"({args.compare} issues, {small.pages} pages)", flush=True)
        make_catalogue(tmp / "catalogue", args.issues, args.pages)
        with PeakWorkerMemory() as memory:
            local, summary = convert(tmp / "catalogue", tmp / "local", tmp)
        print(f"local: {local:.1f} s, {summary.pages / local * 60:.1f} pages/min, "
              f"worker peak RSS {memory.peak_mb:.0f} MB", flush=True)
        dask2, _ = convert(tmp / "catalogue", tmp / "dask", tmp, dask="local:2")
        print(f"local and dask outputs byte-identical: "
              f"{same_bytes(tmp / 'local', tmp / 'dask')}", flush=True)
        print(f"archive: issues={summary.issues} pages={summary.pages} local={local:.1f}s "
              f"dask2={dask2:.1f}s pages_per_min={summary.pages / local * 60:.1f} "
              f"rss_worker={memory.peak_mb:.0f}MB", flush=True)


if __name__ == "__main__":
    sys.exit(main())
