"""Pages without margin boxes skip WeasyPrint 70.0's making of them.

``layout.page.make_margin_boxes`` gives each of a page's sixteen margin boxes a style
and resolves its percentages before finding that none has content. typeset's styles
put nothing in page margins (the running head and slug line are in the page body), so
that was 0.9 ms of the 4.4 ms that any document costs, and a build renders dozens of
documents: every measuring sheet and every layer of every page.

A margin box is generated when its style has content (``make_box``: ``content`` not
``normal``, ``inhibit`` or ``none``; a box without a style of its own has none). Those
styles are looked up first, which computes that one property of each; when none has
content the original is not called, since it would generate nothing.
"""

from __future__ import annotations

import weasyprint
from weasyprint import layout

from typeset.weasy.cjk_patch import WEASYPRINT_VERSION

#: The margin boxes of CSS Paged Media, as WeasyPrint names their styles.
MARGIN_BOXES = tuple(f"@{name}" for name in (
    "top-left-corner", "top-left", "top-center", "top-right", "top-right-corner",
    "right-top", "right-middle", "right-bottom", "bottom-right-corner", "bottom-right",
    "bottom-center", "bottom-left", "bottom-left-corner", "left-bottom", "left-middle",
    "left-top"))

_original = layout.make_margin_boxes


def install() -> None:
    """Make WeasyPrint's page layout call :func:`make_margin_boxes` (on the pinned
    version only: it relies on how that version keys margin box styles)."""
    if weasyprint.__version__ != WEASYPRINT_VERSION:
        raise RuntimeError(f"typeset's margin box patch is written for WeasyPrint "
                           f"{WEASYPRINT_VERSION}, found {weasyprint.__version__}")
    layout.make_margin_boxes = make_margin_boxes


def make_margin_boxes(context, page, state):
    """WeasyPrint's, for pages with a margin box that has content; nothing for others."""
    for name in MARGIN_BOXES:
        style = context.style_for(page.page_type, name)
        if style is not None and style["content"] not in ("normal", "inhibit", "none"):
            return _original(context, page, state)
    return iter(())
