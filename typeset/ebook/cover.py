"""The EPUB's cover: the printed front page, rendered from its PDF with pdfium.

A newspaper's front page is its cover, so the e-book shows it in the reader's library.
The front page is rendered here on its own, as printed (no marks or slug line,
whatever the build's PDF mode), instead of being taken from the PDF the build writes: the
EPUB is then byte for byte the same with ``--format epub`` or ``--format pdf,epub`` and
in every mode. The page comes from the page cache (:mod:`typeset.writers.pages`): a
build that also writes the print PDF has just rendered it. It is also why an EPUB-only
build still runs the layout.
"""

from __future__ import annotations

import io
from dataclasses import replace

import pypdfium2 as pdfium

from typeset.fonts import postscript_names
from typeset.weasy.merge import merge
from typeset.writers import Job, pages

#: Cover height in px: what reading apps ask for (≥ 1600), and the masthead stays sharp.
HEIGHT = 1600
JPEG_QUALITY = 85


def front_page(job: Job) -> bytes:
    """The issue's first page as a JPEG picture, :data:`HEIGHT` px high."""
    printed = replace(job, mode="print", outline=False)  # the same cover in every mode
    part, = pages.render(job, pages.documents(printed, numbers=[0]))
    pdf = merge([part], postscript_names(job.style))
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        image = page.render(scale=HEIGHT / page.get_height()).to_pil().convert("RGB")
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()
