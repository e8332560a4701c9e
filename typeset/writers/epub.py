"""EPUB 3 writer (ebooklib): one XHTML document per article, nav grouped by page.

ebooklib re-serialises EpubHtml documents through its own template and drops what it
does not know; our templates already write complete XHTML, so articles go in as plain
items with the XHTML media type and are stored exactly as rendered. ebooklib's zip has
wall-clock timestamps, so the archive is repacked deterministically afterwards.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from pathlib import PurePosixPath

from ebooklib import epub

from typeset import html
from typeset.writers import Job

SUFFIX = ".epub"

#: EPUB's fixed first entry (OCF: stored, uncompressed).
MIMETYPE = ("mimetype", b"application/epub+zip")
MEDIA_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}


def write(job: Job) -> bytes:
    """The issue as EPUB bytes."""
    issue, root, style = job.issue, job.root, job.style
    book = epub.EpubBook()
    book.set_identifier(f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'typeset:{issue.slug}')}")
    book.set_title(f"{issue.title} 第{issue.number}期")
    book.set_language(issue.language)
    book.add_metadata("DC", "publisher", issue.publisher)
    book.add_metadata("DC", "date", issue.date.isoformat())
    book.add_item(epub.EpubItem(uid="style", file_name="styles/epub.css", media_type="text/css",
                                content=html.epub_stylesheet(style).encode()))

    images: dict[str, str] = {}
    toc, spine = [], ["nav"]
    for page in issue.pages:
        links = []
        for placement in page.articles:
            article = issue.article(placement.id)
            for figure in article.figures:
                images.setdefault(figure.image, f"media/{figure.image}")
            document = epub.EpubItem(
                uid=f"a-{article.id}", file_name=f"articles/{article.id}.xhtml",
                media_type="application/xhtml+xml",
                content=html.epub_article(issue, article, page.number, style,
                                          lambda path: f"../{images[path]}").encode())
            book.add_item(document)
            spine.append(document)
            links.append(epub.Link(document.file_name, " ".join(article.headline_lines),
                                   f"toc-{article.id}"))
        toc.append((epub.Section(f"第{page.number}版 {page.section}"), links))
    for source, target in sorted(images.items()):
        book.add_item(epub.EpubItem(uid=f"img-{PurePosixPath(target).stem}", file_name=target,
                                    media_type=MEDIA_TYPES[PurePosixPath(target).suffix.lower()],
                                    content=(root / source).read_bytes()))
    book.toc = toc
    book.spine = spine
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())

    raw = io.BytesIO()
    epub.write_epub(raw, book, {"mtime": job.created, "raise_exceptions": True})
    return repack(raw.getvalue(), job.created)


def repack(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite a zip with mimetype first and stored, sorted entries, fixed timestamps."""
    stamp = max(when, dt.datetime(1980, 1, 1, tzinfo=when.tzinfo)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = sorted(n for n in source.namelist() if n != MIMETYPE[0])
        entry = zipfile.ZipInfo(MIMETYPE[0], stamp)
        target.writestr(entry, MIMETYPE[1], compress_type=zipfile.ZIP_STORED)
        for name in names:
            entry = zipfile.ZipInfo(name, stamp)
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(name), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
