"""Pages rendered one at a time, in layers: cached, in parallel, and joined into one PDF.

Each printed page is rendered as WeasyPrint documents of its layers
(:func:`typeset.html.layers`: the page, each module, a proof's watermark), drawn over
each other (:mod:`typeset.weasy.compose`). That costs little (the stylesheet and fonts
are loaded once, :mod:`typeset.weasy.stylesheets`) and buys three things:

- a re-proof renders only the layers whose inputs changed: usually the module of the
  edited article. Every layer, and every page composed of them, is cached under a hash
  of everything it is made of (its HTML and CSS, the pictures it shows, the style
  folder, the fonts, typeset's code and WeasyPrint's version, :mod:`typeset.cache`);
- ``--jobs N`` renders pages in N processes (:mod:`typeset.parallel`), and the output
  is the same bytes whatever N is, since the layers are the same documents;
- memory stays that of one page, however many pages the issue has.

A build prints each page as soon as it is laid out, in the process that measured it
(:func:`printer`, :mod:`typeset.pipeline`); the PDF writer then finds every page in
the cache, and renders here only what it does not find (the EPUB's cover, pages laid
out without printing).

:func:`typeset.weasy.merge.merge` joins the pages with one copy of each font; the pages
themselves carry none (:func:`typeset.weasy.render_part`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html as html_module
import re
from dataclasses import replace

from typeset import cache, html, parallel, weasy
from typeset.html import HtmlDocument
from typeset.layout import PageLayout
from typeset.layout.measure import style_digest
from typeset.pipeline import Printer
from typeset.weasy.compose import compose
from typeset.writers import Job

#: Pictures a page shows: the ``src`` of its images, relative to the issue folder.
SOURCES = re.compile(r'\bsrc="([^"]+)"')


def documents(job: Job, numbers: list[int] | None = None) -> list[list[HtmlDocument]]:
    """The layers of each page of ``job`` (those at ``numbers``, 0-based, if given)."""
    chosen = range(len(job.issue.pages)) if numbers is None else numbers
    marks = proof(job)
    return [layers(job, i, job.layouts[i], marks) for i in chosen]


def layers(job: Job, index: int, page_layout: PageLayout,
           marks: html.Proof | None) -> list[HtmlDocument]:
    """The print documents of the layers of page ``index``, bottom first; a proof's
    slug line gets the version of this page (:func:`page_version`)."""
    if marks is not None:
        marks = replace(marks, version=page_version(job, index, page_layout))
    return [document(job, index, page_layout, marks, layer)
            for layer in html.layers(page_layout, marks)]


def document(job: Job, index: int, page_layout: PageLayout, marks: html.Proof | None,
             layer: str | None = None) -> HtmlDocument:
    """The print document of page ``index`` laid out as ``page_layout``, with the proof
    ``marks`` (:func:`proof`; this page's version put in, if :func:`layers` did not):
    the whole page, or one ``layer`` of it."""
    if marks is not None and not marks.version:
        marks = replace(marks, version=page_version(job, index, page_layout))
    return html.print_document(job.issue.model_copy(update={"pages": [job.issue.pages[index]]}),
                               job.root, [page_layout], job.style, job.created,
                               proof=marks, outline=job.outline, layer=layer,
                               press=job.mode == "press")


def printer(job: Job) -> Printer:
    """Print each page as the pipeline lays it out (:mod:`typeset.pipeline`), into the
    page cache, where :func:`render` then finds it. ``job`` needs no layouts."""
    marks = proof(job)

    def print_page(index: int, page_layout: PageLayout) -> str:
        page = layers(job, index, page_layout, marks)
        return _render(job, [page], jobs=1)[0][0]  # (on a worker already)
    return print_page


def proof(job: Job) -> html.Proof | None:
    """What a page proof adds to each page (``job.mode`` proof), else None; the
    version is each page's own (:func:`layers`)."""
    return html.Proof("", job.watermark, job.built) if job.mode == "proof" else None


def page_version(job: Job, index: int, page_layout: PageLayout) -> str:
    """A fingerprint of what page ``index`` prints, for its proof's slug line.

    It is the page's content hash as printed without proof marks (:func:`key` of each
    layer: HTML, CSS, the pictures' bytes, style and fonts), so two proofs of a page
    with the same version print the same, an edit changes the version of the pages it
    moves and of no other, and rebuilding does not make a page look new. The build's
    recorded time (in the HTML's metadata) is set aside: the version is the print's.
    """
    plain = replace(job, mode="print", created=dt.datetime.combine(
        job.issue.date, dt.time(), dt.timezone.utc))
    style_key = style_digest(job.style)
    return _joined([key(style_key, document(plain, index, page_layout, None, layer))
                    for layer in html.layers(page_layout, None)])[:8]


def parts(job: Job) -> list[bytes]:
    """Every page of ``job`` as a part for :func:`typeset.weasy.merge.merge`: found by
    the keys the layout stage printed them under (``job.printed``), else rendered."""
    found = [cache.read("pages", k, ".pdf") for k in job.printed]
    if job.printed and all(part is not None for part in found):
        return found
    return render(job, documents(job))


def render(job: Job, pages: list[list[HtmlDocument]], jobs: int | None = None) -> list[bytes]:
    """Each page, given as its layers, as a part for :func:`typeset.weasy.merge.merge`
    (a PDF without font programs): from the cache, or composed of its layers, themselves
    from the cache or rendered (on ``jobs`` processes, default ``job.jobs``) and cached."""
    return [part for _, part in _render(job, pages, jobs)]


def _render(job: Job, pages: list[list[HtmlDocument]],
            jobs: int | None) -> list[tuple[str, bytes]]:
    """:func:`render`, each part with its key in the page cache."""
    style_key = style_digest(job.style)
    layer_keys = [[key(style_key, layer) for layer in page] for page in pages]
    keys = [_joined(k) for k in layer_keys]
    found = {k: cache.read("pages", k, ".pdf") for k in set(keys)}
    wanted = {k: layer for page_key, page, ks in zip(keys, pages, layer_keys)
              if found[page_key] is None for k, layer in zip(ks, page)}
    layers_found = {k: cache.read("pages", k, ".pdf") for k in wanted}
    missing = [k for k, pdf in layers_found.items() if pdf is None]  # in page order
    if missing:
        docs = [wanted[k] for k in missing]
        warm = lambda: weasy.warm(html.warm_document(docs[0], job.style))  # noqa: E731
        for k, pdf in zip(missing, parallel.run(weasy.render_part, docs,
                                                job.jobs if jobs is None else jobs, warm)):
            cache.write("pages", k, ".pdf", pdf)
            layers_found[k] = pdf
    for page_key, ks in zip(keys, layer_keys):
        if found[page_key] is None:
            found[page_key] = compose([layers_found[k] for k in ks])
            cache.write("pages", page_key, ".pdf", found[page_key])
    return [(k, found[k]) for k in keys]


def _joined(keys: list[str]) -> str:
    """The key of a page from the keys of its layers."""
    return hashlib.sha256(" ".join(keys).encode()).hexdigest()


def key(style_key: str, page: HtmlDocument) -> str:
    """The content hash of a page or layer in the style of digest ``style_key``
    (:func:`typeset.layout.measure.style_digest`): equal keys render to equal bytes."""
    digest = hashlib.sha256(style_key.encode())
    for part in (page.html, page.css, repr(page.latin_spacing_em)):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    for source in sorted({html_module.unescape(s) for s in SOURCES.findall(page.html)}):
        digest.update(source.encode("utf-8"))
        try:
            digest.update(cache.file_digest(page.html_base / source))
        except OSError:
            digest.update(b"missing")  # the render reports it, naming the article
    return digest.hexdigest()
