"""``typeset check`` findings placed on the page: the rule ID, and the line it is about.

The check reports each offender as its page and the line's text (``p3: 一行字 (note)``);
the room finds that text on the page again with pdfium's text search to draw a box
around it. A finding whose text cannot be found (a line the extractor reads
differently) is still listed, without a box.

Preflight's findings (:mod:`typeset.preflight`, run by every build) come as they are:
a photo's finding carries its placed rectangle, the rest are listed without a box.
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium

#: "p3: text (note)" as :class:`typeset.check.Report` words an offender.
OFFENDER = re.compile(r"p(?P<page>\d+): (?P<text>.*?)(?: \((?P<note>[^()]*)\))?")
#: Characters searched for: enough to be unique on a page, short enough to stay on
#: one line of the PDF's text.
PROBE = 12


def findings(pdf: Path) -> list[dict]:
    """Every offender of every rule on the PDF, with its box where it is found (as
    fractions of the page: left, top, width, height). The layout report lies beside the
    PDF, where the check reads the display texts as written."""
    from typeset.check import check
    report = check(pdf)
    found = []
    for rule, offenders in sorted(report.violations.items()):
        for offender in offenders:
            match = OFFENDER.fullmatch(offender)
            if match:
                found.append({"rule": rule, "page": int(match["page"]),
                              "text": match["text"], "note": match["note"] or ""})
    document = pdfium.PdfDocument(str(pdf))
    try:
        for finding in found:
            if 1 <= finding["page"] <= len(document):
                finding["box"] = locate(document[finding["page"] - 1], finding["text"])
    finally:
        document.close()
    return found


def preflighted(pdf: Path, found: list) -> list[dict]:
    """Preflight's ``found`` findings on ``pdf`` as the room lists them: the rule ID
    ``preflight:KIND``, the box of a photo's rectangle (fractions of the page)."""
    listed = [{"rule": f"preflight:{f.kind}", "page": f.page, "text": f.message,
               "note": f.level} for f in found]
    document = pdfium.PdfDocument(str(pdf))
    try:
        for finding, f in zip(listed, found):
            if f.box and 1 <= f.page <= len(document):
                finding["box"] = _fraction(document[f.page - 1], f.box)
    finally:
        document.close()
    return listed


def _fraction(page, box) -> list[float]:
    """``box`` (x0, y0, x1, y1 in the page's user space) as fractions of the page
    picture: left, top, width, height."""
    x0, y0, x1, y1 = page.get_bbox()
    width, height = x1 - x0, y1 - y0
    return [(box[0] - x0) / width, 1 - (box[3] - y0) / height,
            (box[2] - box[0]) / width, (box[3] - box[1]) / height]


def locate(page, text: str) -> list[float] | None:
    """The box of ``text``'s first characters on ``page`` (fractions), or None."""
    probe = text.strip()[:PROBE]
    if not probe:
        return None
    textpage = page.get_textpage()
    searcher = textpage.search(probe, match_case=True)
    occurrence = searcher.get_next()
    if occurrence is None:
        return None
    start, count = occurrence
    boxes = [textpage.get_charbox(i) for i in range(start, start + count)]
    # Character boxes are in the PDF's user space, whose origin a proof puts at the
    # trim's corner: measure from the page's own corner, what the picture shows.
    x0, y0, x1, y1 = page.get_bbox()
    left = min(b[0] for b in boxes) - x0
    right = max(b[2] for b in boxes) - x0
    bottom = min(b[1] for b in boxes) - y0
    top = max(b[3] for b in boxes) - y0
    width, height = x1 - x0, y1 - y0
    return [left / width, 1 - top / height, (right - left) / width, (top - bottom) / height]

