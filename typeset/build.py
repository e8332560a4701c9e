"""The pipeline, wired: readers → cjk → layout → html → writers.

Every output is rendered in memory first and written only when all succeeded, and
then as one set (:mod:`typeset.outputs`): bad input never leaves a partial or stale
file, and a build stopped at any point leaves the previous set of outputs as it was.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import pypdfium2 as pdfium

from typeset import (cache, cjk, collector, fonts, images, layout, outputs, pipeline,
                     preflight, readers)
from typeset.errors import TypesetError
from typeset.messages import msg
from typeset.model import Issue
from typeset.style import Style, load_style
from typeset.writers import Job, epub, pages, pdf

WRITERS = {"pdf": pdf, "epub": epub}

#: Rendered pages kept between builds (the least recently used go first); heights and
#: plans are a few hundred bytes each and are not pruned.
PAGE_CACHE_BYTES = 2 * 1024**3


@dataclass(frozen=True)
class Result:
    """What a build wrote, and the page layouts it used (for the report)."""

    paths: list[Path]
    layouts: list[layout.PageLayout]
    findings: list = field(default_factory=list)  # preflight's, on the PDF written


@collector.batch()
def build(path: Path, out_dir: Path, *, style_name: str = "broadsheet",
          formats: tuple[str, ...] = ("pdf", "epub"), mode: str = "print",
          watermark: bool = False, embed_fonts: bool = False, preview: bool = False,
          outline: bool = False, jobs: int = 1, allow_draft: bool = False) -> Result:
    """Build the issue at ``path`` into ``out_dir``.

    ``mode`` sets the kind of PDF (see :data:`typeset.writers.pdf.MODES`), ``watermark``
    marks proofs "校样", ``embed_fonts`` puts font subsets in the EPUB. With a PDF, the
    layout report goes beside it as ``<slug>.layout.json``; ``preview`` adds a PNG of
    every page (``<slug>-page-N.png``), ``outline`` draws the module boxes on the pages.
    ``jobs`` processes measure and render; the output is the same for any number.
    The PDF is preflighted (:mod:`typeset.preflight`): its findings come back in the
    result, and a press or archive build refuses a draft (placeholders, photos under
    the style's ``error_ppi``) unless ``allow_draft``.
    """
    if mode not in pdf.MODES:
        raise TypesetError(f"unknown mode {mode}; known: {', '.join(pdf.MODES)}")
    source = readers.read(path)
    try:
        job = prepare(source, load_style(style_name), jobs, mode=mode, watermark=watermark,
                      embed_fonts=embed_fonts, outline=outline,
                      print_pages="pdf" in formats and mode != "archive")
        slug = job.issue.slug
        files = {f"{slug}{WRITERS[f].SUFFIX}": WRITERS[f].write(job) for f in formats}
        findings = []
        if "pdf" in formats:
            findings = checked(files[f"{slug}.pdf"], job, allow_draft)
            files[f"{slug}.layout.json"] = layout.report.layout_json(job.layouts).encode("utf-8")
            if preview:
                pngs = pages_png(files[f"{slug}.pdf"])
                files |= {f"{slug}-page-{n}.png": png for n, png in enumerate(pngs, 1)}
    except TypesetError as exc:
        if exc.file is None and exc.field and exc.field.startswith("pages["):
            exc.file = str(source.root / "issue.yaml")
        elif exc.file is None and exc.article:
            exc.file = str(_article_file(source.root, exc.article, path))
        raise
    outputs.commit(out_dir, files)
    cache.prune("pages", PAGE_CACHE_BYTES)
    return Result([out_dir / name for name in files], job.layouts, findings)


def checked(pdf_bytes: bytes, job: Job, allow_draft: bool) -> list:
    """Preflight's findings on the PDF of ``job``; a TypesetError naming the drafts'
    findings when a press or archive build has any and ``allow_draft`` is not given."""
    strict = job.mode in ("press", "archive")
    report = preflight.preflight(pdf_bytes, job.style.press, strict=strict)
    refused = preflight.refusals(report) if strict and not allow_draft else []
    if refused:
        raise TypesetError(msg("preflight.refused", mode=job.mode, count=len(refused),
                               findings="; ".join(map(str, refused[:5]))))
    return report.findings


def prepare(source: readers.Source, style: Style, jobs: int = 1, *, mode: str = "print",
            watermark: bool = False, embed_fonts: bool = False, outline: bool = False,
            print_pages: bool = False) -> Job:
    """Run the text and layout stages: everything a writer needs.

    The layout runs even for an EPUB alone: the EPUB's cover is the printed front page.
    A proof marks each placeholder photo (:func:`typeset.preflight.mark_placeholders`).
    ``print_pages`` prints each page as it is laid out (:mod:`typeset.pipeline`): the
    PDF writer then finds them in the page cache.
    """
    issue = cjk.apply(preflight.mark_placeholders(source.issue, source.root)
                      if mode == "proof" else source.issue)
    fonts.check_coverage(issue, style)
    images.prepare(issue, source.root, style)
    job = Job(issue=issue, root=source.root, style=style, created=build_time(issue),
              built=clock() if mode == "proof" else None, layouts=[],
              source_issue=source.issue, mode=mode, watermark=watermark,
              embed_fonts=embed_fonts, outline=outline, jobs=jobs)
    printer = pages.printer(job) if print_pages else None
    layouts, printed = pipeline.lay_out(issue, source.root, style, jobs, printer)
    return replace(job, layouts=layouts, printed=printed)


def pages_png(pdf_bytes: bytes, scale: float = 0.5) -> list[bytes]:
    """Each page of a PDF as PNG bytes (pdfium), for a quick look at the layout."""
    document = pdfium.PdfDocument(pdf_bytes)
    try:
        pictures = []
        for page in document:
            stream = io.BytesIO()
            page.render(scale=scale).to_pil().save(stream, format="PNG")
            pictures.append(stream.getvalue())
        return pictures
    finally:
        document.close()


def build_time(issue: Issue | None) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else the issue's date, in UTC:
    the time the outputs record (PDF and EPUB dates), so that building the same input
    again gives the same bytes. (A proof's slug says when it was built: :func:`clock`.)"""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
        except ValueError:
            raise TypesetError(f"SOURCE_DATE_EPOCH is not a number: {epoch}") from None
    return dt.datetime.combine(issue.date, dt.time(), dt.timezone.utc)


def clock() -> dt.datetime:
    """The time of this build, to the minute, for a proof's slug line: SOURCE_DATE_EPOCH
    when set (reproducible builds, tests), else now, so that a newer proof says so."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return build_time(None)
    return dt.datetime.now(dt.timezone.utc).replace(second=0, microsecond=0)


def _article_file(root: Path, article_id: str, path: Path) -> Path:
    candidate = root / "articles" / f"{article_id}.md"
    return candidate if candidate.is_file() else path
