"""EPUB 3 writer (ebooklib): one XHTML document per article, navigation by print page.

ebooklib re-serialises EpubHtml documents through its own template and drops what it
does not know; our templates already write complete XHTML, so every document (articles,
navigation, cover) goes in as a plain item with the XHTML media type and is stored exactly
as rendered. ebooklib's zip has wall-clock timestamps, so the archive is repacked
deterministically afterwards.

What readers and validators look for, and where it comes from:

- the text as written: the issue from :func:`typeset.cjk.normalise`, without the
  print engine's invisible aids; Chinese line breaking and spacing come from the CSS;
- reading order (:func:`typeset.layout.order.reading_order`), the same as the PDF's;
- navigation (nav.xhtml): contents by page → articles, landmarks (cover, contents, body),
  and a page list whose entries point to ``pagebreak`` markers at the start of each print
  page's first article, so that readers can cite print pages; the page credits after the
  articles;
- accessibility metadata (:data:`ACCESSIBILITY`, :data:`CONFORMANCE`): figures have
  captions and alt text, every document and the package have a language;
- a cover (:mod:`typeset.ebook.cover`), photos scaled for screens
  (:mod:`typeset.ebook.images`) and, with ``--embed-fonts``, font subsets
  (:mod:`typeset.ebook.fonts`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import uuid
import zipfile
from pathlib import Path, PurePosixPath

from ebooklib import epub

from typeset import FONTS_DIR, cjk, html
from typeset.ebook import cover, fonts, images
from typeset.layout import jumps
from typeset.layout.order import reading_order
from typeset.model import Issue
from typeset.writers import Job

SUFFIX = ".epub"

#: EPUB's fixed first entry (OCF: stored, uncompressed).
MIMETYPE = ("mimetype", b"application/epub+zip")
MEDIA_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
XHTML = "application/xhtml+xml"
COVER_IMAGE = "cover.jpg"  # beside cover.xhtml; photos are all below media/
CREDITS = "credits.xhtml"  # the page credits, after the articles
IBOOKS = "http://vocabulary.itunes.apple.com/rdf/ibooks/vocabulary-extensions-1.0/"
#: What the book verifiably meets (see README, "EPUB"): EPUB Accessibility 1.1 at
#: WCAG 2.1 level AA, as checked by DAISY Ace and the reading-engine tests.
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"

#: schema.org accessibility properties (EPUB Accessibility 1.1), as (property, value).
ACCESSIBILITY = [
    ("schema:accessMode", "textual"),
    ("schema:accessMode", "visual"),
    ("schema:accessModeSufficient", "textual"),
    ("schema:accessibilityFeature", "alternativeText"),
    ("schema:accessibilityFeature", "pageBreakMarkers"),
    ("schema:accessibilityFeature", "pageNavigation"),
    ("schema:accessibilityFeature", "readingOrder"),
    ("schema:accessibilityFeature", "structuralNavigation"),
    ("schema:accessibilityFeature", "tableOfContents"),
    ("schema:accessibilityHazard", "none"),
    ("schema:accessibilitySummary",
     "本书为报纸的电子版，每篇稿件一个文档，按印刷版面顺序排列；目录按版面列出各篇标题，"
     "页码列表对应印刷版次。图片均有文字说明和替代文字。"),
]


def write(job: Job) -> bytes:
    """The issue as EPUB bytes."""
    # The text as written (quotes normalised), without the print engine's invisible aids.
    issue, style = cjk.normalise(job.source_issue), job.style
    book = epub.EpubBook()
    _metadata(book, job)

    photos: dict[str, str] = {}  # image in the issue folder → file name in the book
    articles: dict[str, str] = {}  # file name in the book → XHTML
    pages = []
    for page, ids in zip(issue.pages, reading_order(job.layouts, style.grid.line_pt),
                         strict=True):
        placed = []
        for article_id in (i for i in ids if not i.endswith(jumps.CONTINUATION)):
            article = issue.article(article_id)
            for figure in article.figures:
                photos.setdefault(figure.image, f"media/{figure.image}")
            name = f"articles/{article.id}.xhtml"
            articles[name] = html.epub_article(issue, article, page.number, style,
                                               lambda path: f"../{photos[path]}",
                                               page_break=not placed)
            placed.append((article, name))
        pages.append((page, placed))
    credits = CREDITS if any(page.credits for page in issue.pages) else None
    # Reading order: cover, contents, the articles page by page, the page credits.
    documents = {"cover.xhtml": html.epub_cover(issue, style, COVER_IMAGE),
                 "nav.xhtml": html.epub_nav(issue, pages, style, credits), **articles}
    if credits:
        documents[credits] = html.epub_credits(issue, style)

    font_files: dict[str, str] = {}  # font in fonts/ → file name in the book
    stylesheet = html.epub_stylesheet(style, _font_href(font_files) if job.embed_fonts else None)
    book.add_item(_item("style", "styles/epub.css", "text/css", stylesheet.encode()))
    if font_files:
        shown = fonts.characters_by_face(stylesheet, documents.values())
        for (source, target), face in zip(font_files.items(), fonts.faces(stylesheet),
                                          strict=True):
            book.add_item(_item(_uid(target), target, fonts.MEDIA_TYPE,
                                fonts.subset(FONTS_DIR / source, shown[face])))

    book.add_item(_item("cover-img", COVER_IMAGE, "image/jpeg", cover.front_page(job),
                        ["cover-image"]))
    for source, target in sorted(photos.items()):
        book.add_item(_item(_uid(target), target,
                            MEDIA_TYPES[PurePosixPath(target).suffix.lower()],
                            images.for_reading(job.root / source)))
    book.spine = []
    for name, content in documents.items():
        item = _item(_uid(name), name, XHTML, content.encode(),
                     ["nav"] if name == "nav.xhtml" else [])
        book.add_item(item)
        book.spine.append(item)
    book.toc = [(epub.Section(f"第{page.number}版 {page.section}",
                              f"{placed[0][1]}#page-{page.number}"),
                 [epub.Link(f"{name}#{article.id}", " ".join(article.headline_lines),
                            f"toc-{article.id}")
                  for article, name in placed])
                for page, placed in pages]
    if credits:
        book.toc.append(epub.Link(f"{credits}#credits", "版面署名", "toc-credits"))
    book.add_item(epub.EpubNcx())  # for EPUB 2 reading systems

    raw = io.BytesIO()
    epub.write_epub(raw, book, {"mtime": modified(job), "raise_exceptions": True})
    return repack(raw.getvalue(), job.created, issue.language)


def modified(job: Job) -> dt.datetime:
    """``dcterms:modified``: when the book was made, so that a corrected re-issue is
    seen as new by distributors and readers' libraries. ``SOURCE_DATE_EPOCH``, when set,
    is that time (a reproducible build; the build's time, ``job.created``, is then that
    too); otherwise the clock, to the second."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return job.created
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _font_href(font_files: dict[str, str]):
    """The stylesheet's ``font(file)``: a font of fonts/ as a WOFF2 file in the book."""
    def href(name: str) -> str:
        target = f"fonts/{PurePosixPath(name).stem}{fonts.SUFFIX}"
        return f"../{font_files.setdefault(name, target)}"
    return href


def _metadata(book: epub.EpubBook, job: Job) -> None:
    """Identifier, title, language, publisher, date, print edition, accessibility, and
    Apple Books' permission to use the embedded fonts."""
    issue = job.issue
    book.set_identifier(f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'typeset:{issue.slug}')}")
    book.set_title(f"{issue.title} 第{issue.number}期")
    book.set_language(issue.language)
    book.add_metadata("DC", "publisher", issue.publisher)
    book.add_metadata("DC", "date", issue.date.isoformat())
    # The page list's numbers are those of the printed issue.
    book.add_metadata("DC", "source", _print_edition(issue), {"id": "print-edition"})
    book.add_metadata(None, "meta", "pagination",
                      {"property": "source-of", "refines": "#print-edition"})
    for name, value in ACCESSIBILITY:
        book.add_metadata(None, "meta", value, {"property": name})
    # The conformance claim is the publisher's own, made on the checks the build's
    # tests run on every book (EPUBCheck, DAISY Ace, a reading engine).
    book.add_metadata(None, "meta", CONFORMANCE, {"property": "dcterms:conformsTo"})
    book.add_metadata(None, "meta", issue.publisher, {"property": "a11y:certifiedBy"})
    if job.embed_fonts:
        book.add_prefix("ibooks", IBOOKS)
        book.add_metadata(None, "meta", "true", {"property": "ibooks:specified-fonts"})
    book.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-img"})


def repack(data: bytes, when: dt.datetime, language: str | None = None) -> bytes:
    """Rewrite a zip with mimetype first and stored, sorted entries, fixed timestamps;
    with ``language``, the package document gets ``xml:lang`` (ebooklib writes none,
    and reading systems and Ace take the package's language from it)."""
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
            content = source.read(name)
            if language and name.endswith(".opf"):
                content = content.replace(b"<package ", f'<package xml:lang="{language}" '
                                          .encode(), 1)
            target.writestr(entry, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def font_bytes(path: Path) -> int:
    """How many bytes of the EPUB at ``path`` are embedded fonts (compressed, as stored)."""
    with zipfile.ZipFile(path) as archive:
        return sum(info.compress_size for info in archive.infolist()
                   if PurePosixPath(info.filename).suffix.lower() == fonts.SUFFIX)


def _item(uid: str, file_name: str, media_type: str, content: bytes,
          properties: list[str] | None = None) -> epub.EpubItem:
    """A manifest item stored as given; ``properties`` go into the manifest (nav, …)."""
    item = epub.EpubItem(uid=uid, file_name=file_name, media_type=media_type,
                         content=content)
    item.properties = properties or []
    return item


def _uid(name: str) -> str:
    """A manifest id for a file name in the book: articles/a.xhtml → a-a, nav.xhtml → nav.

    Pictures are named by a digest of their path: two folders may hold the same file name,
    and a file name need not be a valid XML id.
    """
    path = PurePosixPath(name)
    if path.parts[0] == "media":
        return "img-" + hashlib.sha256(name.encode()).hexdigest()[:12]
    prefixes = {"articles": "a-", "fonts": "font-"}
    return prefixes.get(path.parts[0], "") + path.stem if len(path.parts) > 1 else path.stem


def _print_edition(issue: Issue) -> str:
    """The printed issue the page numbers refer to, for dc:source."""
    registration = f" {issue.registration}" if issue.registration else ""
    return f"{issue.paper}{registration} {issue.date.isoformat()} 总第{issue.number}期"
