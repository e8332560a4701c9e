"""FIT-1 (display-type.md), measured on a finished PDF: every glyph of a module inside
that module's box, and no two modules' glyphs over each other.

A line belongs to the module whose box holds its first glyph (a line overrunning its
module runs out at its end, not its start). A glyph's box is its advance across and
its em from 0.12 below the baseline to 0.88 above; boxes are shrunk by a tenth of the
em before they are tested for overlap, so neighbours that touch do not count.
"""

from __future__ import annotations

from collections import defaultdict

from typeset.check.pdf import Glyph, Line, Module
from typeset.check.report import Report
from typeset.cjk import rules

SLACK = 0.5  # pt a glyph may pass its module's edge (rounding, a boxed module's rule)
CELL = 24.0  # pt: the side of the squares glyphs are sorted into to find overlaps


def check_page(lines: list[Line], boxes: list[Module], report: Report) -> None:
    boxes = [m for m in boxes if lines and m.page == lines[0].page]
    if not boxes:
        return
    report.modules += len(boxes)
    top, foot = max(m.top for m in boxes), min(m.bottom for m in boxes)
    left, right = min(m.left for m in boxes), max(m.right for m in boxes)
    placed: list[tuple[Module, Glyph]] = []
    for line in lines:
        first = line.glyphs[0]
        module = next((m for m in boxes if m.holds_start(line)), None)
        if module is None:
            if left <= first.left <= right and foot < first.baseline < top:
                report.add("FIT-1", line, "outside every module")
            continue
        report.module_glyphs += len(line.glyphs)
        placed += [(module, g) for g in line.glyphs]
        worst = max(_overrun(g, module) for g in line.glyphs)
        if worst > SLACK:
            report.add("FIT-1", line, f"{module.article}: a glyph {worst:.1f} pt outside "
                       "its module")
    _check_overlaps(placed, lines[0].page, report)


def _overrun(glyph: Glyph, module: Module) -> float:
    left, right = _ink(glyph)
    return max(module.left - left, right - module.right,
               module.bottom - (glyph.baseline - 0.12 * glyph.size),
               glyph.baseline + 0.88 * glyph.size - module.top)


def _ink(glyph: Glyph) -> tuple[float, float]:
    """Left and right of the glyph's advance, or of the half of it a mark prints in (a
    mark set half-width at a line's end or start keeps the advance pdfium reports). A
    wide glyph advances at most an em: pdfium's box of some Han outlines is wider."""
    right = min(glyph.right, glyph.left + glyph.size) if rules.is_wide(glyph.char) \
        else glyph.right
    half = (glyph.left + right) / 2
    if glyph.char in rules.RIGHT_BLANK:
        return glyph.left, half
    if glyph.char in rules.OPENING:
        return half, right
    return glyph.left, right


def _box(glyph: Glyph) -> tuple[float, float, float, float]:
    inset = glyph.size / 10
    left, right = _ink(glyph)
    return (left + inset, glyph.baseline - 0.12 * glyph.size + inset,
            right - inset, glyph.baseline + 0.88 * glyph.size - inset)


def _check_overlaps(placed: list[tuple[Module, Glyph]], page: int, report: Report) -> None:
    """Report each pair of modules whose glyphs overlap, once, with one pair of glyphs."""
    cells: dict[tuple[int, int], list[tuple[Module, Glyph]]] = defaultdict(list)
    reported = set()
    for module, glyph in placed:
        x0, y0, x1, y1 = _box(glyph)
        for cx in range(int(x0 // CELL), int(x1 // CELL) + 1):
            for cy in range(int(y0 // CELL), int(y1 // CELL) + 1):
                for other, seen in cells[(cx, cy)]:
                    pair = frozenset((module.article, other.article))
                    if other is module or pair in reported:
                        continue
                    a, b = _box(seen), (x0, y0, x1, y1)
                    if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                        reported.add(pair)
                        report.add("FIT-1", (page, f"{glyph.char} over {seen.char}"),
                                   f"{module.article} prints over {other.article}")
                cells[(cx, cy)].append((module, glyph))
