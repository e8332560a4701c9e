"""Everything that knows about WeasyPrint lives in this package.

- :mod:`.fontconfig` shuts fontconfig off from system fonts (must run before import);
- :mod:`.fetcher` is the url_fetcher that only reads from the allowed folders;
- :mod:`.archive` writes PDF/A-3u with metadata and the source attached;
- :mod:`.cjk_patch` adds Chinese justification and punctuation compression;
- this module renders HTML to PDF bytes and measures module heights from the layout tree.

WeasyPrint is pinned exactly (pyproject.toml) because :func:`measure_heights` reads its
layout boxes (``Document.pages[i]._page_box``) and :mod:`.cjk_patch` replaces three of its
functions; none is public API.
"""

from __future__ import annotations

import logging
import unicodedata
from pathlib import Path

from typeset.errors import TypesetError
from typeset.html import HtmlDocument
from typeset.weasy import fontconfig

fontconfig.isolate()

import weasyprint  # noqa: E402  (fontconfig must be isolated before Pango starts)
from weasyprint.text.fonts import FontConfiguration  # noqa: E402

from typeset.weasy import archive  # noqa: E402
from typeset.weasy import cjk_patch  # noqa: E402
from typeset.weasy.fetcher import RefusedURL, SafeFetcher  # noqa: E402

cjk_patch.install()

#: WeasyPrint's layout boxes are in CSS px (1/96 in); the grid is in pt (1/72 in).
PT_PER_PX = 0.75

# WeasyPrint reports CSS it does not support as warnings; they are noise for users.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


def _document(doc: HtmlDocument):
    fetcher = SafeFetcher(doc.roots)
    # @font-face rules are only honoured when the stylesheet and the render share one
    # FontConfiguration; without it WeasyPrint silently falls back to fontconfig's
    # choice among the fonts it knows.
    fonts = FontConfiguration()
    cjk_patch.STATE.latin_spacing_em = doc.latin_spacing_em
    try:
        stylesheet = weasyprint.CSS(string=doc.css, base_url=doc.css_base.as_uri() + "/",
                                    url_fetcher=fetcher, font_config=fonts)
        return weasyprint.HTML(string=doc.html, base_url=doc.html_base.as_uri() + "/",
                               url_fetcher=fetcher).render(stylesheets=[stylesheet],
                                                           font_config=fonts)
    except RefusedURL as exc:
        raise TypesetError(str(exc)) from None


def render_pdf(doc: HtmlDocument, variant: str | None = None) -> bytes:
    """Render a document to PDF bytes."""
    return _checked(_document(doc)).write_pdf(pdf_variant=variant)


def render_archive(doc: HtmlDocument, info: archive.Archive) -> bytes:
    """Render a document as archival PDF/A-3u (see :mod:`.archive`)."""
    return archive.write(_checked(_document(doc)), info)


def _checked(document):
    """Refuse a document in which a module lost text.

    WeasyPrint cuts what does not fit a page and an absolutely placed module does not
    continue on the next, so a module whose text ran past its page would lose it without
    a word. Every character of a module's source must come out of layout.
    """
    modules: dict = {}
    for page in document.pages:
        _collect(page._page_box, None, modules)
    for element, rendered in modules.items():
        written = sum(1 for c in "".join(element.itertext()) if not (c.isspace() or _invisible(c)))
        shown = sum(1 for c in "".join(rendered) if not (c.isspace() or _invisible(c)))
        if shown < written:
            raise TypesetError(f"{written - shown} characters of the module did not fit its box "
                               "on the page and would be lost", article=element.get("id"))
    return document


def _collect(box, module, modules: dict) -> None:
    element = getattr(box, "element", None)
    if element is not None and "module" in (element.get("class") or "").split():
        module = element
        modules.setdefault(module, [])
    if (box.element_tag or "").endswith(("::before", "::after", "::marker")):
        return  # generated content (□ before a byline) is not the article's text
    if module is not None and type(box).__name__ == "TextBox":
        modules[module].append(box.text)
    for child in getattr(box, "children", ()):
        _collect(child, module, modules)


def _invisible(char: str) -> bool:
    return unicodedata.category(char) in ("Cf", "Cc")


def measure_heights(doc: HtmlDocument) -> dict[str, float]:
    """Height in pt of every element with class ``measure`` (by its id), one per page.

    The measuring document puts each module alone on a very tall page, so its height is
    exactly what it will take on the real page at the same width.
    """
    document = _document(doc)
    heights: dict[str, float] = {}
    for page in document.pages:
        for box in _descendants(page._page_box):
            element = getattr(box, "element", None)
            if element is None or "measure" not in (element.get("class") or "").split():
                continue
            key = element.get("id")
            if key in heights:
                raise TypesetError(f"module '{key}' is too long to measure on one sheet")
            heights[key] = box.margin_height() * PT_PER_PX
    return heights


def _descendants(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _descendants(child)
