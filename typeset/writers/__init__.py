"""Writers: one module per output format, each with the same small interface.

``SUFFIX`` is the output file's extension and ``write(job) -> bytes`` renders it; the
build writes the bytes atomically, so a failed writer never leaves a partial file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from typeset.layout import PageLayout
from typeset.model import Issue
from typeset.style import Style


@dataclass(frozen=True)
class Job:
    """What every writer gets: the prepared issue, where it came from, and how to set it."""

    issue: Issue
    root: Path  # the issue folder (images)
    style: Style
    created: dt.datetime  # fixed build time: SOURCE_DATE_EPOCH or the issue date
    layouts: list[PageLayout]
    source_issue: Issue  # as read, before the text stage: what an archive embeds
    mode: str = "print"  # the PDF: print | proof (marks, slug) | press (PDF/X-4) | archive
    built: dt.datetime | None = None  # a proof's slug time: SOURCE_DATE_EPOCH or now
    watermark: bool = False  # proofs: "校样" across every page
    embed_fonts: bool = False  # EPUB: subsets of the style's fonts inside the book
    outline: bool = False  # PDF: draw each module's box (to check a layout)
    jobs: int = 1  # processes that measure and render (the output does not depend on it)
    printed: list[str] = field(default_factory=list)  # page cache keys, if printed in layout
