"""PDF writer: the laid-out pages through the print templates and WeasyPrint.

The same pages make three kinds of PDF (``Job.mode``):

- ``print``: the trimmed pages, for the printer;
- ``proof``: for the layout desk: bleed, crop marks and a slug line outside the trim
  naming paper, page, date, proof version and build time; "校样" across each page on
  request;
- ``archive``: PDF/A-3a for the library: tagged, with XMP metadata and the issue as read
  attached as JSON, so that it can be set again later.
"""

from __future__ import annotations

from typeset import fonts, html, weasy
from typeset.readers.jsonfile import dump_json
from typeset.weasy.archive import Archive
from typeset.weasy.merge import merge
from typeset.writers import Job, pages

SUFFIX = ".pdf"
MODES = ("print", "proof", "archive")


def write(job: Job) -> bytes:
    """The issue's pages as PDF bytes, of the kind ``job.mode`` asks for.

    Print and proof pages are rendered one by one (cached, in parallel: see
    :mod:`.pages`) and joined; an archive is one tagged PDF/A document, whose
    structure tree and attachment could not be joined from pieces, so it is rendered
    whole, in one process.
    """
    if job.mode == "archive":
        document = html.print_document(job.issue, job.root, job.layouts, job.style,
                                       job.created, outline=job.outline)
        return weasy.render_archive(document, archive(job))
    return merge(pages.parts(job), fonts.postscript_names(job.style))


def archive(job: Job) -> Archive:
    """What the archival PDF records beyond the pages: metadata, the source model and
    the photos it names (paths relative to the issue folder, as in the model)."""
    issue = job.source_issue
    names = sorted({f.image for a in issue.articles for f in a.figures})
    return Archive(publisher=issue.publisher, date=issue.date, language=issue.language,
                   created=job.created, source_name=f"{issue.slug}.json",
                   source_json=dump_json(issue),
                   pictures=tuple((name, (job.root / name).read_bytes()) for name in names))
