"""Reading outputs back, as an archive or a reader would: PDF text and EPUB documents."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pypdfium2 as pdfium

from typeset import cjk
from typeset.model import Issue

_SPACE = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """Text without white space and word joiners, for comparing extracted text."""
    return _SPACE.sub("", cjk.visible(text))


def pdf_pages_text(path: Path) -> list[str]:
    """Extracted text of every page (pdfium)."""
    document = pdfium.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def epub_documents(path: Path) -> dict[str, str]:
    """Every XHTML document of an EPUB by its name in the zip."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8")
                for name in archive.namelist() if name.endswith(".xhtml")}


def missing_texts(issue: Issue, haystack: str) -> list[tuple[str, str, str]]:
    """(article, field, text) of every typeset text not found whole in ``haystack``."""
    flat = squeeze(haystack)
    return [(article.id, field, text)
            for article in issue.articles
            for field, text in article.texts()
            if squeeze(text) and squeeze(text) not in flat]
