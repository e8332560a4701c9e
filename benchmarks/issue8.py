"""Cost of a whole issue: a realistic 8-page issue built end to end, stage by stage.

Run: python benchmarks/issue8.py [PAGES ...] (default: 8 32). The bundled sample has three
pages; a daily runs eight, and the question behind this benchmark (issue 7) is what a
full build of such an issue costs, where the time goes, how much of it is WeasyPrint
itself and how much memory a build takes as the page count grows.

For each page count the script generates an issue in a temporary folder from the
sample's own articles and photos (see :func:`make_issue`), prints its Han character
count, and measures, in this one run, each on a fresh cache (heights, plans and pages)
where it says so:

- the machine's first build (the bundled sample): it compiles the style's templates and
  hashes the font files, caches every later build finds, fresh or not
  (:data:`MACHINE_KINDS`), as a desk's machine has them after its first build;

- the PDF build on one job and on two (``--jobs``), in child processes so that peak RSS
  is the build's (``ru_maxrss`` never goes down): of the main process and of the
  largest worker; and the full build (PDF + EPUB) on one job;
- the stages one by one in this process: read, cjk, fonts check, layout on a cold cache
  (measuring + planning) and again on a warm one (planning alone), html, print (pages
  rendered one by one from those layouts), layout + print as the build runs them (page
  by page, each page printing the bodies measured for it) on a cold cache, join, EPUB
  with embedded font subsets (its cover, the front page, comes from the page cache);
- the bare WeasyPrint render: the same print HTML, as one document, rendered by stock
  WeasyPrint (CJK engine off, WeasyPrint's own column balancing) in a new process, as
  the builds are; again in this process, warm; and with typeset's column setting;
- a re-proof: one article of one page edited, the PDF built again in this (warm)
  process as ``typeset build --watch`` does, against rendering that page alone and
  against building that page alone from scratch (a one-page issue, empty caches);
- an EPUB-only build (warm cache).

Numbers are single measurements, not medians: one build of an issue takes long enough
that noise is small next to what is measured. The last line, for the 8-page issue, is

    issue8: full=…s bare=…s ratio=… jobs2=…s ratio2=… epub=…s rss=…MB

with full = the PDF build on one job (all Chinese rules on, cold caches), bare = the
stock render in a new process, ratio = full / bare, jobs2 and ratio2 the same on two jobs, epub = the EPUB writer with embedded fonts
and rss = the largest peak RSS of any process of the one-job build.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
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


#: Cache kinds that belong to the machine, not to an issue: the style's compiled
#: templates and the digests of the font files. A desk's machine has them from its first
#: build; a cold build of a new issue still finds them.
MACHINE_KINDS = ("templates", "digests")


def fresh_cache(under: Path) -> None:
    """Point $TYPESET_CACHE_DIR at a new folder, empty but for the machine's caches
    (:data:`MACHINE_KINDS`, shared by every fresh cache under ``under``): the next
    layout measures all and the next build renders every page."""
    os.environ["TYPESET_CACHE_DIR"] = cache = tempfile.mkdtemp(prefix="heights-", dir=under)
    for kind in MACHINE_KINDS:
        (under / "machine" / kind).mkdir(parents=True, exist_ok=True)
        (Path(cache) / kind).symlink_to(under / "machine" / kind)


def first_build(under: Path) -> float:
    """The machine's first build: the bundled sample, which fills the machine's caches;
    returns its time."""
    fresh_cache(under)
    seconds, _ = full_build(Path(SAMPLE_ISSUE), under / "first-out", formats=("pdf",))
    return seconds


def timed(function):
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB: VmHWM, the high-water mark of its
    own memory map. (``ru_maxrss`` would do but survives exec: a process spawned from
    this 400 MB script would report 400 MB from its first instruction.)"""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_new_process(function, *args):
    """``function(*args)`` in a new (spawned, not forked) process, so that neither this
    script's memory nor its imports count; a failure there stops the benchmark here."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    child = context.Process(target=_child, args=(function, args, results))
    child.start()
    try:
        while True:
            try:
                ok, result = results.get(timeout=1)
                break
            except queue.Empty:
                if not child.is_alive():
                    raise SystemExit(f"child process died ({child.exitcode})") from None
    finally:
        child.join()
    if not ok:
        raise SystemExit(f"child process failed: {result}")
    return result


def _child(function, args, results) -> None:
    try:
        results.put((True, function(*args)))
    except BaseException as exc:
        results.put((False, repr(exc)))
        raise


def full_build_child(folder: str, out: str, formats: tuple[str, ...],
                     jobs: int) -> tuple[float, float]:
    """In a child process: one build; its time and the peak RSS of this process and of
    its largest worker (a forked worker's RSS counts the pages it shares with this
    process)."""
    from typeset.build import build
    seconds, _ = timed(lambda: build(Path(folder), Path(out), formats=formats, jobs=jobs))
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, max(peak_rss_mb(), workers)


def full_build(folder: Path, out: Path, formats=("pdf", "epub"),
               jobs: int = 1) -> tuple[float, float]:
    """Time and peak RSS of a build, run in a new process: the numbers are those of
    ``python -m typeset build`` minus interpreter start-up."""
    return in_new_process(full_build_child, str(folder), str(out), formats, jobs)


def stages(folder: Path, temporary: Path) -> tuple[dict[str, float], object]:
    """Each pipeline stage timed on its own, as :func:`typeset.build.prepare` and the
    writers chain them, on fresh caches; returns the times and the job.

    The build runs layout and printing together, page by page (:mod:`typeset.pipeline`),
    so that a page prints the bodies measured for it: "layout + print" is that, and
    "layout" and "print" are the two apart, where each body is set twice.
    """
    from dataclasses import replace

    from typeset import cjk, fonts, html, pipeline, readers
    from typeset.build import build_time
    from typeset.style import load_style
    from typeset.writers import Job, epub, pages, pdf

    style = load_style()
    times = {}
    times["read"], source = timed(lambda: readers.read(folder))
    times["cjk"], issue = timed(lambda: cjk.apply(source.issue))
    times["fonts"], _ = timed(lambda: fonts.check_coverage(issue, style))
    job = Job(issue=issue, root=source.root, style=style, created=build_time(issue),
              layouts=[], source_issue=source.issue)
    fresh_cache(temporary)
    times["layout"], (layouts, _) = timed(lambda: pipeline.lay_out(issue, source.root, style))
    times["layout again"], _ = timed(lambda: pipeline.lay_out(issue, source.root, style))
    job = replace(job, layouts=layouts)
    times["html"], _ = timed(lambda: html.print_document(
        issue, source.root, layouts, style, job.created))
    times["print"], _ = timed(lambda: pages.render(job, pages.documents(job)))
    fresh_cache(temporary)
    times["layout + print"], _ = timed(lambda: pipeline.lay_out(
        issue, source.root, style, printer=pages.printer(job)))
    times["join"], printed = timed(lambda: pdf.write(job))
    print(f"  print PDF: {page_count(printed)} pages")
    times["epub"], _ = timed(lambda: epub.write(replace(job, embed_fonts=True)))
    return times, job


def reproof(folder: Path, out: Path, page: int) -> tuple[float, float, float]:
    """Edit one article of page ``page`` and build the PDF again in this process, warm
    as ``--watch`` keeps it; returns that time, the time of rendering the edited page
    alone (its one-page print document, in this process) and of building that page
    alone from scratch (a one-page issue of its articles, empty caches)."""
    from typeset import readers
    from typeset.build import build, prepare
    from typeset.style import load_style
    from typeset.weasy import render_pdf
    from typeset.writers import pages

    build(folder, out, formats=("pdf",))  # this process warm, caches full
    article = next((folder / "articles").glob(f"p{page}-*.md"))
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("。", "，今冬如此。", 1), encoding="utf-8")
    seconds, _ = timed(lambda: build(folder, out, formats=("pdf",)))
    job = prepare(readers.read(folder), load_style())
    alone, _ = timed(lambda: render_pdf(pages.document(job, page - 1, job.layouts[page - 1],
                                                       None)))
    single = one_page_issue(folder, folder.parent / f"page-{page}", page)
    cache = os.environ["TYPESET_CACHE_DIR"]
    fresh_cache(folder.parent)
    scratch, _ = timed(lambda: build(single, folder.parent / "single-out", formats=("pdf",)))
    os.environ["TYPESET_CACHE_DIR"] = cache
    return seconds, alone, scratch


def one_page_issue(folder: Path, target: Path, page: int) -> Path:
    """A copy of ``folder`` holding page ``page`` alone (its articles, all photos)."""
    meta = yaml.safe_load((folder / "issue.yaml").read_text(encoding="utf-8"))
    meta["pages"] = [p for p in meta["pages"] if p["number"] == page]
    shutil.copytree(folder / "images", target / "images")
    (target / "articles").mkdir()
    for placement in meta["pages"][0]["articles"]:
        shutil.copyfile(folder / "articles" / f"{placement['id']}.md",
                        target / "articles" / f"{placement['id']}.md")
    (target / "issue.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True,
                                                      sort_keys=False), encoding="utf-8")
    return target


def bare_render(job, stock_columns: bool = True, fresh: bool = True) -> tuple[float, int]:
    """The print HTML of ``job`` rendered by stock WeasyPrint (CJK engine off, and with
    ``stock_columns`` WeasyPrint's own column balancing instead of
    :mod:`typeset.weasy.columns`): what WeasyPrint alone costs for these pages; seconds
    and page count.

    ``fresh`` renders in a new process, as the full builds run (:func:`full_build`):
    loading the fonts counts, and no earlier render in this process has shaped the same
    text already. Without it, the render runs here, warm.

    Stock WeasyPrint sets the copy longer (no punctuation compression), so modules laid
    out for the engine overrun their boxes, and :func:`typeset.weasy.render_pdf` refuses
    a document that loses text. This renders through ``weasy._document`` (fonts, url
    fetcher, layout) and ``write_pdf`` without that check, which is typeset's own cost
    and not WeasyPrint's."""
    from typeset import html
    document = html.print_document(job.issue, job.root, job.layouts, job.style, job.created)
    if not fresh:
        return bare_render_here(document, stock_columns)
    return in_new_process(bare_render_child, document, stock_columns)


def bare_render_here(document, stock_columns: bool) -> tuple[float, int]:
    from typeset import weasy
    from typeset.weasy import cjk_patch, columns
    with cjk_patch.disabled(), (columns.disabled() if stock_columns else nullcontext()):
        seconds, pdf = timed(lambda: weasy._document(document).write_pdf())
    return seconds, page_count(pdf)


def bare_render_child(document, stock_columns: bool) -> tuple[float, int]:
    """In a child process: :func:`bare_render_here`, timed after the imports."""
    import typeset.weasy  # noqa: F401  (imported before the clock starts)
    return bare_render_here(document, stock_columns)


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
        first = first_build(Path(temporary))
        print(f"  the machine's first build (the 3-page sample, compiling the templates, "
              f"hashing the fonts): {first:.1f} s")
        result = {}
        for jobs in (1, 2):
            fresh_cache(Path(temporary))  # every height measured, every page rendered
            result[f"pdf{jobs}"], result[f"rss{jobs}"] = full_build(
                folder, out, formats=("pdf",), jobs=jobs)
            print(f"  PDF build, {jobs} job(s), cold caches: {result[f'pdf{jobs}']:.1f} s, "
                  f"peak RSS of any process {result[f'rss{jobs}']:.0f} MB")
        fresh_cache(Path(temporary))
        full, full_rss = full_build(folder, out)
        print(f"  full build (PDF + EPUB), 1 job, cold caches: {full:.1f} s, "
              f"peak RSS {full_rss:.0f} MB")
        times, job = stages(folder, Path(temporary))
        print("  stages: " + ", ".join(f"{name} {t:.2f} s" for name, t in times.items()))
        print(f"  measuring ≈ {times['layout'] - times['layout again']:.1f} s of the layout; "
              f"layout and print apart {times['layout'] + times['print']:.1f} s, together "
              f"{times['layout + print']:.1f} s")
        if not same_layouts(out, job):
            print("  note: the stage run planned the pages differently from the full build")
        bare, bare_pages = bare_render(job)
        warm_bare, _ = bare_render(job, fresh=False)
        print(f"  bare WeasyPrint render (stock: CJK engine off, WeasyPrint's column "
              f"balancing), new process: {bare:.1f} s, {bare_pages} pages; PDF build / "
              f"bare {result['pdf1'] / bare:.2f}, with 2 jobs {result['pdf2'] / bare:.2f}")
        print(f"  the same in this process, warm: {warm_bare:.1f} s; PDF build / warm bare "
              f"{result['pdf1'] / warm_bare:.2f}, with 2 jobs {result['pdf2'] / warm_bare:.2f}")
        columns_only, _ = bare_render(job, stock_columns=False)
        print(f"  the same with typeset's column setting (CJK engine off): {columns_only:.1f} s")
        edited = min(5, pages)
        again, alone, scratch = reproof(folder, out, edited)
        print(f"  re-proof after editing one article on page {edited} (warm process): "
              f"{again:.2f} s; rendering that page alone {alone:.2f} s (ratio "
              f"{again / alone:.2f}); building that page alone from scratch {scratch:.2f} s "
              f"(ratio {again / scratch:.2f})")
        epub_only, epub_rss = full_build(folder, out, formats=("epub",))
        print(f"  EPUB-only build (warm cache, child process): {epub_only:.1f} s, "
              f"peak RSS {epub_rss:.0f} MB")
        return result | {"bare": bare, "epub": times["epub"]}


def main(page_counts: list[int]) -> None:
    results = {pages: run(pages) for pages in page_counts}
    if 8 in results:
        r = results[8]
        print(f"issue8: full={r['pdf1']:.1f}s bare={r['bare']:.1f}s "
              f"ratio={r['pdf1'] / r['bare']:.2f} jobs2={r['pdf2']:.1f}s "
              f"ratio2={r['pdf2'] / r['bare']:.2f} epub={r['epub']:.1f}s "
              f"rss={max(r['rss1'], r['rss2']):.0f}MB")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [8, 32])
