"""PDF writer: the laid-out pages through the print templates and WeasyPrint.

The same pages make four kinds of PDF (``Job.mode``):

- ``print``: the trimmed pages, for the printer;
- ``proof``: for the layout desk: bleed, crop marks and a slug line outside the bleed
  naming paper, page, date, the page's proof version and the build's time; "校样"
  across each page on request;
- ``press``: PDF/X-4 for the plate-maker: black ink alone for type and rules, black
  overprinting, photos separated for the paper, its OutputIntent, trim and bleed
  boxes (:mod:`typeset.weasy.press`);
- ``archive``: PDF/A-3a for the library (3u where a tagging check fails): tagged, with XMP metadata and the issue as read
  attached as JSON, so that it can be set again later.
"""

from __future__ import annotations

from typeset import fonts, html, weasy
from typeset.readers.jsonfile import dump_json
from typeset.readers.plaintext.write import placeholder_jpeg
from typeset.style import Style
from typeset.weasy import press
from typeset.weasy.archive import Archive
from typeset.weasy.merge import merge
from typeset.writers import Job, pages

SUFFIX = ".pdf"
MODES = ("print", "proof", "press", "archive")


def write(job: Job) -> bytes:
    """The issue's pages as PDF bytes, of the kind ``job.mode`` asks for.

    Print and proof pages are rendered one by one (cached, in parallel: see
    :mod:`.pages`) and joined; an archive is one tagged PDF/A document, whose
    structure tree and attachment could not be joined from pieces, so it is rendered
    whole, in one process. The bundled CFF fonts carry CID = glyph id (fonts/build.py),
    so a RIP prints the glyphs a screen shows; preflight checks it
    (:mod:`typeset.weasy.cidfonts`).
    """
    if job.mode == "archive":
        document = html.print_document(job.issue, job.root, job.layouts, job.style,
                                       job.created, outline=job.outline)
        return weasy.render_archive(document, archive(job))
    joined = merge(pages.parts(job), fonts.postscript_names(job.style))
    if job.mode == "press":
        return press.finish(joined, intent(job.style), job.issue.title, job.created)
    if job.mode == "proof":
        return press.finish_proof(joined, job.style.press.bleed_mm)
    return joined


def intent(style: Style) -> press.Intent:
    """The printing condition the style's ``press`` section names."""
    settings = style.press
    return press.Intent(profile=style.folder / settings.profile, condition=settings.condition,
                        info=settings.condition_info or settings.condition,
                        tac_percent=settings.tac_percent, bleed_mm=settings.bleed_mm,
                        placeholder=placeholder_jpeg())


def archive(job: Job) -> Archive:
    """What the archival PDF records beyond the pages: metadata, the source model and
    the photos it names (paths relative to the issue folder, as in the model)."""
    issue = job.source_issue
    names = sorted({f.image for a in issue.articles for f in a.figures})
    return Archive(publisher=issue.publisher, date=issue.date, language=issue.language,
                   created=job.created, source_name=f"{issue.slug}.json",
                   source_json=dump_json(issue),
                   pictures=tuple((name, (job.root / name).read_bytes()) for name in names))
