"""Everything that knows about WeasyPrint lives in this package.

- :mod:`.fontconfig` shuts fontconfig off from system fonts (must run before import);
- :mod:`.fetcher` is the url_fetcher that only reads from the allowed folders;
- :mod:`.stylesheets` keeps parsed stylesheets and their fonts between documents;
- :mod:`.archive` writes PDF/A-3u with metadata and the source attached;
- :mod:`.press` finishes press PDFs as PDF/X-4 (output intent, black overprint, photos
  separated, trim and bleed boxes), :mod:`.cidfonts` finds CFF fonts a RIP would misprint;
- :mod:`.cjk_patch` adds Chinese justification and punctuation compression, with
  :mod:`.squeeze` (where a line ends) and :mod:`.lookahead` (one line ahead);
- :mod:`.columns` sets multi-column bodies once and cuts them into columns;
- :mod:`.margins` skips making page margin boxes where no rule asks for one;
- :mod:`.names` names pictures after their bytes, not their paths;
- :mod:`.compose` draws a page's layers over each other;
- :mod:`.merge` joins pages rendered apart, with one subset of each font, written
  without their fonts by :mod:`.fontstub`;
- this module renders HTML to PDF bytes and measures module heads and body flows from
  the layout tree.

WeasyPrint is pinned exactly (pyproject.toml) because :func:`measure_heights` reads its
layout boxes (``Document.pages[i]._page_box``), :mod:`.cjk_patch` replaces five of its
functions, :mod:`.columns` its multi-column layout, :mod:`.margins` its margin boxes and
:mod:`.fontstub` its font cleaning while parts are written, :mod:`.names` its picture
names; none is public API.
"""

from __future__ import annotations

import contextlib
import logging
import unicodedata
from dataclasses import dataclass

from typeset.errors import TypesetError
from typeset.html import HtmlDocument
from typeset.layout.balance import Flow
from typeset.weasy import fontconfig

fontconfig.isolate()

import weasyprint  # noqa: E402  (fontconfig must be isolated before Pango starts)

from typeset.weasy import archive, fontstub  # noqa: E402
from typeset.weasy import cjk_patch, columns, lookahead, margins, names, stylesheets  # noqa: E402
from typeset.weasy.fetcher import RefusedURL, fetcher  # noqa: E402

cjk_patch.install()
columns.install()
margins.install()
names.install()

#: WeasyPrint's layout boxes are in CSS px (1/96 in); the grid is in pt (1/72 in).
PT_PER_PX = 0.75

# WeasyPrint reports CSS it does not support as warnings; they are noise for users.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


def _document(doc: HtmlDocument):
    """Lay out ``doc``, leaving out of its HTML the bodies it prints from kept flows
    (:func:`.columns.without_kept`), unless one of them cannot be used after all."""
    try:
        return _laid_out(doc, columns.without_kept(doc.html))
    except columns.Emptied:
        return _laid_out(doc, doc.html)


def _laid_out(doc: HtmlDocument, html: str):
    cjk_patch.STATE.latin_spacing_em = doc.latin_spacing_em
    lookahead.forget()  # its lines are this document's
    try:
        stylesheet, fonts = stylesheets.stylesheet(doc.css, doc.css_base, tuple(doc.roots))
        return weasyprint.HTML(string=html, base_url=doc.html_base.as_uri() + "/",
                               url_fetcher=fetcher(tuple(doc.roots))).render(
            stylesheets=[stylesheet], font_config=fonts)
    except RefusedURL as exc:
        raise TypesetError(str(exc)) from None


def warm(doc: HtmlDocument) -> None:
    """Render ``doc`` (a page setting every face, :func:`typeset.html.warm_document`)
    and forget it: its stylesheet stays parsed and its fonts loaded, and processes
    forked afterwards start with them (:mod:`typeset.parallel`)."""
    _document(doc)


def render_pdf(doc: HtmlDocument, variant: str | None = None) -> bytes:
    """Render a document to PDF bytes."""
    return _checked(_document(doc)).write_pdf(pdf_variant=variant)


def render_part(doc: HtmlDocument) -> bytes:
    """Render a document as a part for :func:`.merge.merge`: fonts not embedded, only
    named (:func:`.fontstub.stub_fonts`), so the pages rendered apart are joined with one
    subset of each face, cut once."""
    document = _checked(_document(doc))
    with fontstub.stub_fonts():
        return document.write_pdf()


def render_archive(doc: HtmlDocument, info: archive.Archive) -> bytes:
    """Render a document as archival PDF/A-3u (see :mod:`.archive`)."""
    return archive.write(_checked(_document(doc)), info)


def _checked(document):
    """Refuse a document in which a module lost text or ran out of its box.

    WeasyPrint cuts what does not fit a page and an absolutely placed module does not
    continue on the next, so a module whose text ran past its page would lose it without
    a word: every character of a module's source must come out of layout. Columns set by
    :mod:`.columns` are never cut, so a body taller than the layout stage measured would
    print over the module below instead: every line must end inside its module's box,
    and no text may run past its right edge over the next module (FIT-1).
    """
    modules: dict = {}
    for page in document.pages:
        _collect(page._page_box, None, modules)
    for element, (rendered, spill, left_out, wide) in modules.items():
        written = sum(1 for c in columns.text_of(element) + "".join(left_out)
                      if not (c.isspace() or _invisible(c)))
        shown = sum(1 for c in "".join(rendered) if not (c.isspace() or _invisible(c)))
        if shown < written:
            raise TypesetError(f"{written - shown} characters of the module did not fit its box "
                               "on the page and would be lost", article=element.get("id"))
        if spill > 0.5:
            raise TypesetError(f"the module's text runs {spill * PT_PER_PX:.1f} pt below its "
                               "box on the page", article=element.get("id"))
        if wide > 0.5:  # FIT-1: a line the line breaker could not bring to the measure
            raise TypesetError(f"the module's text runs {wide * PT_PER_PX:.1f} pt past the "
                               "right edge of its box on the page", article=element.get("id"))
    return document


def _collect(box, module, modules: dict, bottom: float = 0.0,
             right: float | None = 0.0) -> None:
    element = getattr(box, "element", None)
    if element is not None and "module" in (element.get("class") or "").split():
        module = element
        modules.setdefault(module, [[], 0.0, [], 0.0])
        bottom = box.border_box_y() + box.border_height()
        right = box.border_box_x() + box.border_width()
    if (box.element_tag or "").endswith(("::before", "::after", "::marker")):
        return  # generated content (□ before a byline) is not the article's text
    if module is not None:
        kind = type(box).__name__
        if kind == "TextBox":
            modules[module][0].append(box.text)
            if right is not None:
                modules[module][3] = max(modules[module][3], box.position_x + box.width - right)
        elif kind == "LineBox":
            modules[module][1] = max(modules[module][1], box.position_y + box.height - bottom)
        if hasattr(box, "typeset_text"):  # a body whose text the HTML left out
            modules[module][2].append(box.typeset_text)
    if box.style["transform"]:
        right = None  # a condensed display line: laid out wider than it is drawn
    for child in getattr(box, "children", ()):
        _collect(child, module, modules, bottom, right)


def _invisible(char: str) -> bool:
    return unicodedata.category(char) in ("Cf", "Cc")


@dataclass(frozen=True)
class Measured:
    """What the measuring sheet gives, in pt: for each module head (class ``measure``,
    by id) its height and the height of its row of side figures beside the (left out)
    body; for each body (class ``measure-flow``) the flow of its one column."""

    heads: dict[str, tuple[float, float]]
    flows: dict[str, Flow]


def measure_heights(doc: HtmlDocument, keep_flows: bool = False) -> Measured:
    """Measure the heads and flows of a measuring sheet.

    Each is set at the width it will have, in a block of its own on a page too tall to
    break, so its height is exactly what it takes on the real page. A flow is what
    :mod:`.columns` records when it sets a body: its lines' positions. ``keep_flows``
    keeps the flows' boxes for the next page that prints them (:func:`.columns.keeping`,
    until :func:`forget_flows`).
    """
    with columns.keeping() if keep_flows else contextlib.nullcontext():
        document = _document(doc)
    heads: dict[str, tuple[float, float]] = {}
    flows: dict[str, Flow] = {}
    for page in document.pages:
        for box in _descendants(page._page_box):
            element = getattr(box, "element", None)
            classes = (element.get("class") or "").split() if element is not None else ()
            if "module" not in classes or element.get("id") in heads:
                continue
            key = element.get("id")
            if "measure" in classes:
                rows = [b for b in _descendants(box) if "module-row" in _classes(b)]
                heads[key] = (box.margin_height() * PT_PER_PX,
                              rows[0].margin_height() * PT_PER_PX if rows else 0.0)
            elif "measure-flow" in classes and key not in flows:
                body = next(b for b in _descendants(box) if hasattr(b, "typeset_flow"))
                flows[key] = tuple((top * PT_PER_PX, bottom * PT_PER_PX, breakable)
                                   for top, bottom, breakable in body.typeset_flow)
    return Measured(heads, flows)


def forget_flows() -> None:
    """Drop the flows :func:`measure_heights` kept and no page printed."""
    columns.forget()


def _classes(box) -> list[str]:
    element = getattr(box, "element", None)
    tag = getattr(box, "element_tag", "") or ""
    if element is None or "::" in tag:
        return []
    return (element.get("class") or "").split()


def _descendants(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _descendants(child)
