"""PDF writer: the laid-out pages through the print templates and WeasyPrint."""

from __future__ import annotations

from typeset import html, weasy
from typeset.writers import Job

SUFFIX = ".pdf"


def write(job: Job) -> bytes:
    """The issue's pages as PDF bytes."""
    document = html.print_document(job.issue, job.root, job.layouts, job.style, job.created)
    return weasy.render_pdf(document)
