"""``typeset check FILE.pdf``: the layout rules, measured on a finished PDF.

Reads glyph positions back with pdfium (:mod:`~typeset.check.pdf`) and reports per rule
ID: the body rules of cjk-rules.md (:mod:`~typeset.check.body`), the display rules of
display-type.md (:mod:`~typeset.check.display`) and FIT-1, every module's glyphs inside
its box (:mod:`~typeset.check.fit`). Works from the glyphs' geometry and the modules'
named destinations, so it checks any page we produce.

Two readings of the same pages: the rules are measured on the glyphs as drawn, with
the ``/ActualText`` the renderer puts on its loose lines taken out (pdfium would place
those characters from the text, not the glyphs); the gaps wide enough to read as a
space are listed from the same glyphs (``gaps``: where the line breaker left a loose
line). Stray spaces are counted on the PDF as it is, as archives and search read it.

HEAD-1 judges a break between Han characters against the source's spaces: pass the
issue (``issue``, as ``typeset.readers.read`` returns it; an archival PDF carries its
own), or let the layout report beside the PDF hold them, or rely on the headlines the
PDF's bookmarks spell out.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from typeset.check import body, display, fit, pdf
from typeset.check.pdf import Line
from typeset.check.report import Report

__all__ = ["Report", "check"]


def check(path: Path, issue=None) -> Report:
    """Measure every rule on every page of the PDF at ``path``; ``issue`` (a model
    Issue) gives the display texts as written."""
    data = Path(path).read_bytes()
    pages = [[Line(number, glyphs) for glyphs in page]
             for number, page in enumerate(pdf.pages(pdf.without_actual_text(data)), start=1)]
    faces = Counter((round(g.size, 1), g.font) for page in pages for line in page
                    for g in line.glyphs)
    face = faces.most_common(1)[0][0] if faces else (0, "")
    boxes = pdf.modules(data)
    sources = display.outline_sources(pdf.outline_titles(data))
    sources.update(display.layout_sources(Path(path)))
    issue = issue if issue is not None else pdf.attached_issue(data)
    if issue is not None:
        sources.update(display.issue_sources(issue))
    report = Report()
    body_lines = []
    for lines in pages:
        body_lines += body.check_page(lines, face, report)
        display.check_page(lines, face, boxes, sources, report)
        fit.check_page(lines, boxes, report)
    body.check_baselines(body_lines, report)
    for number, page in enumerate(pdf.pages(data), start=1):
        for line in body.body_lines([Line(number, glyphs) for glyphs in page], face):
            for b in body.spaced(line) if line else ():
                report.stray_spaces += 1
                report.add("spaces", line, f"before {b.char}")
    return report
