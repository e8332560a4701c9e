"""PDF writer: the laid-out pages through the print templates and WeasyPrint.

The same pages make three kinds of PDF (``Job.mode``):

- ``print``: the trimmed pages, for the printer;
- ``proof``: for the layout desk: bleed, crop marks and a slug line outside the trim
  naming paper, page, date, proof version and build time; "校样" across each page on
  request;
- ``archive``: PDF/A-3u for the library: tagged, with XMP metadata and the issue as read
  attached as JSON, so that it can be set again later.
"""

from __future__ import annotations

import hashlib

from typeset import html, weasy
from typeset.model import Issue
from typeset.readers.jsonfile import dump_json
from typeset.weasy.archive import Archive
from typeset.writers import Job

SUFFIX = ".pdf"
MODES = ("print", "proof", "archive")


def write(job: Job) -> bytes:
    """The issue's pages as PDF bytes, of the kind ``job.mode`` asks for."""
    proof = html.Proof(proof_version(job.source_issue), job.watermark) \
        if job.mode == "proof" else None
    document = html.print_document(job.issue, job.root, job.layouts, job.style, job.created,
                                   proof=proof, outline=job.outline)
    if job.mode == "archive":
        return weasy.render_archive(document, archive(job))
    return weasy.render_pdf(document)


def proof_version(issue: Issue) -> str:
    """A fingerprint of the issue's copy, printed on proofs.

    Two proofs with the same version show the same copy; any edit changes it. It comes
    from the input alone, so rebuilding a proof does not make it look like a new one.
    """
    return hashlib.sha256(dump_json(issue).encode("utf-8")).hexdigest()[:8]


def archive(job: Job) -> Archive:
    """What the archival PDF records beyond the pages: metadata and the source model."""
    issue = job.source_issue
    return Archive(publisher=issue.publisher, date=issue.date, language=issue.language,
                   created=job.created, source_name=f"{issue.slug}.json",
                   source_json=dump_json(issue))
