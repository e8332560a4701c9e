"""Cost of a whole issue: a realistic 8-page issue built end to end, stage by stage.

Run: python benchmarks/issue8.py [PAGES ...] (default: 8 32). The bundled sample has three
pages; a daily runs eight, and the question behind this benchmark (issue 7) is what a
full build of such an issue costs, where the time goes, how much of it is WeasyPrint
itself and how much memory a build takes as the page count grows.

For each page count the script generates an issue in a temporary folder from the
sample's own articles and photos (see :func:`make_issue`), prints its Han character
count, and measures, in this one run, each on a fresh height cache where it says so:

- the full build (PDF + EPUB, :func:`typeset.build.build`) in a child process, so that
  its peak RSS is the build's and not this script's (``ru_maxrss`` never goes down);
- the stages one by one in this process: read, cjk, fonts check, layout on a cold cache
  (measuring + planning) and again on a warm one (planning alone), html, PDF render,
  EPUB writer (which renders the front page again for its cover);
- the bare WeasyPrint render: the same print HTML rendered with the CJK engine off;
- an EPUB-only build (the layout still runs, for the cover; warm height cache).

Numbers are single measurements, not medians: one build of an issue takes long enough
that noise is small next to what is measured. The last line, for the 8-page issue, is

    issue8: full=…s bare=…s ratio=… jobs2=…s ratio2=… epub=…s rss=…MB

with ratio = full / bare (what a build costs in bare WeasyPrint renders of its pages),
epub = the EPUB writer stage and rss = the full build's peak RSS. jobs2 and ratio2 are
for a build on two processes, which does not exist yet: n/a.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import resource
import shutil
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

import yaml

from typeset import SAMPLE_ISSUE

#: Han ideographs (CJK Unified Ideographs, Extension A, compatibility ideographs).
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def make_issue(folder: Path, pages: int) -> Path:
    """Write an issue of ``pages`` pages into ``folder``, from the sample's copy.

    Page n takes the article set of sample page ((n - 1) mod 3) + 1 with its section and
    credits, so every page holds a full page of copy, laid out by the layout engine (the
    sample's placements carry no positions). Each article is copied under a new id
    (``p5-lead-heating``): a real issue has no article twice, and the height cache keys
    on the article, so every page is measured as a new one would be. Only page 1 carries
    the masthead. The output is the same on every run.
    """
    sample = Path(SAMPLE_ISSUE)
    meta = yaml.safe_load((sample / "issue.yaml").read_text(encoding="utf-8"))
    shutil.copytree(sample / "images", folder / "images")
    (folder / "articles").mkdir()
    sets = meta["pages"]
    issue_pages = []
    for number in range(1, pages + 1):
        template = sets[(number - 1) % len(sets)]
        placements = []
        for placement in template["articles"]:
            new_id = f"p{number}-{placement['id'].removeprefix('p3-')}"
            shutil.copyfile(sample / "articles" / f"{placement['id']}.md",
                            folder / "articles" / f"{new_id}.md")
            placements.append({**placement, "id": new_id})
        issue_pages.append({"number": number, "section": template["section"],
                            "masthead": number == 1, "credits": [dict(c) for c in template["credits"]],
                            "articles": placements})
    meta.update(slug=f"yuquan-{pages}p", pages=issue_pages)
    (folder / "issue.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True,
                                                      sort_keys=False), encoding="utf-8")
    return folder


def han_count(folder: Path) -> int:
    """Han characters in the issue's article files (front matter and body): the copy
    that gets set, without masthead and page furniture."""
    return sum(len(HAN.findall(path.read_text(encoding="utf-8")))
               for path in (folder / "articles").glob("*.md"))


def fresh_cache(under: Path) -> None:
    """Point $TYPESET_CACHE_DIR at a new empty folder: the next layout measures all."""
    os.environ["TYPESET_CACHE_DIR"] = tempfile.mkdtemp(prefix="heights-", dir=under)


def timed(function):
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def full_build_child(folder: str, out: str, formats: tuple[str, ...], queue) -> None:
    """In a child process: one build; sends back its time and the child's peak RSS."""
    from typeset.build import build
    seconds, _ = timed(lambda: build(Path(folder), Path(out), formats=formats))
    queue.put((seconds, peak_rss_mb()))


def full_build(folder: Path, out: Path, formats=("pdf", "epub")) -> tuple[float, float]:
    """Time and peak RSS of a build, run in a new (spawned, not forked) process so that
    neither this script's memory nor its imports count: the numbers are those of
    ``python -m typeset build`` minus interpreter start-up."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=full_build_child,
                            args=(str(folder), str(out), formats, queue))
    child.start()
    result = queue.get()
    child.join()
    if child.exitcode != 0:
        raise SystemExit(f"build in child process failed ({child.exitcode})")
    return result


def stages(folder: Path, temporary: Path) -> tuple[dict[str, float], object]:
    """Each pipeline stage timed on its own, as :func:`typeset.build.prepare` and the
    writers chain them, on a fresh height cache; returns the times and the job."""
    from typeset import cjk, fonts, html, layout, readers, weasy
    from typeset.build import build_time, measurer
    from typeset.style import load_style
    from typeset.writers import Job, epub

    style = load_style()
    times = {}
    times["read"], source = timed(lambda: readers.read(folder))
    times["cjk"], issue = timed(lambda: cjk.apply(source.issue))
    times["fonts"], _ = timed(lambda: fonts.check_coverage(issue, style))
    fresh_cache(temporary)
    times["layout cold"], layouts = timed(
        lambda: layout.place(issue, style, measurer(issue, source.root, style)))
    times["layout warm"], _ = timed(
        lambda: layout.place(issue, style, measurer(issue, source.root, style)))
    job = Job(issue=issue, root=source.root, style=style, created=build_time(issue),
              layouts=layouts, source_issue=source.issue)
    times["html"], document = timed(lambda: html.print_document(
        issue, source.root, layouts, style, job.created))
    times["pdf render"], printed = timed(lambda: weasy.render_pdf(document))
    print(f"  print PDF: {page_count(printed)} pages")
    times["epub"], _ = timed(lambda: epub.write(job))
    return times, job


def bare_render(job, stock_columns: bool = True) -> tuple[float, int]:
    """The print HTML of ``job`` rendered by stock WeasyPrint (CJK engine off, and with
    ``stock_columns`` WeasyPrint's own column balancing instead of
    :mod:`typeset.weasy.columns`): what WeasyPrint alone costs for these pages; seconds
    and page count.

    Stock WeasyPrint sets the copy longer (no punctuation compression), so modules laid
    out for the engine overrun their boxes, and :func:`typeset.weasy.render_pdf` refuses
    a document that loses text. This renders through ``weasy._document`` (fonts, url
    fetcher, layout) and ``write_pdf`` without that check, which is typeset's own cost
    and not WeasyPrint's."""
    from typeset import html, weasy
    from typeset.weasy import cjk_patch, columns
    document = html.print_document(job.issue, job.root, job.layouts, job.style, job.created)
    with cjk_patch.disabled(), (columns.disabled() if stock_columns else nullcontext()):
        seconds, pdf = timed(lambda: weasy._document(document).write_pdf())
    return seconds, page_count(pdf)


def page_count(pdf: bytes) -> int:
    """Pages in a PDF (pdfium, as the build's previews use)."""
    import pypdfium2 as pdfium
    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def same_layouts(out: Path, job) -> bool:
    """Whether the full build (child process) planned the pages as the stage run did, so
    that the bare render is of the pages the full build printed."""
    from typeset.layout import report
    written = next(out.glob("*.layout.json")).read_text(encoding="utf-8")
    return written == report.layout_json(job.layouts)


def run(pages: int) -> dict[str, float]:
    """Everything for one page count, printed as it goes; returns the headline numbers."""
    with tempfile.TemporaryDirectory() as temporary:
        folder = make_issue(Path(temporary) / "issue", pages)
        out = Path(temporary) / "out"
        print(f"{pages}-page issue: {han_count(folder)} Han characters in "
              f"{len(list((folder / 'articles').glob('*.md')))} articles")
        fresh_cache(Path(temporary))  # before the first build: every height is measured
        full, rss = full_build(folder, out)
        print(f"  full build (PDF + EPUB, cold cache, child process): {full:.1f} s, "
              f"peak RSS {rss:.0f} MB")
        times, job = stages(folder, Path(temporary))
        total = sum(t for name, t in times.items() if name != "layout warm")
        print("  stages: " + ", ".join(f"{name} {t:.2f} s" for name, t in times.items()))
        print(f"  stages summed (cold layout): {total:.1f} s; measuring ≈ "
              f"{times['layout cold'] - times['layout warm']:.1f} s of the cold layout")
        if not same_layouts(out, job):
            print("  note: the stage run planned the pages differently from the full build")
        bare, bare_pages = bare_render(job)
        print(f"  bare WeasyPrint render (CJK engine off): {bare:.1f} s, {bare_pages} pages; "
              f"full / bare {full / bare:.2f}")
        columns_only, _ = bare_render(job, stock_columns=False)
        print(f"  the same with typeset's column setting (CJK engine off): {columns_only:.1f} s; "
              f"render with the engine on / this {times['pdf render'] / columns_only:.2f}")
        epub_only, epub_rss = full_build(folder, out, formats=("epub",))
        print(f"  EPUB-only build (warm cache, child process): {epub_only:.1f} s, "
              f"peak RSS {epub_rss:.0f} MB")
        return {"full": full, "bare": bare, "epub": times["epub"], "rss": rss}


def main(page_counts: list[int]) -> None:
    results = {pages: run(pages) for pages in page_counts}
    if 8 in results:
        r = results[8]
        print(f"issue8: full={r['full']:.1f}s bare={r['bare']:.1f}s "
              f"ratio={r['full'] / r['bare']:.2f} jobs2=n/a ratio2=n/a "
              f"epub={r['epub']:.1f}s rss={r['rss']:.0f}MB")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [8, 32])
