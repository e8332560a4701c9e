"""The layout report: per page, each module's place, size and fill, and what is left.

Printed by ``typeset layout`` and ``typeset build``, and written next to the PDF as
``<slug>.layout.json`` so that the layout desk (and tests) can read the boxes back.
"""

from __future__ import annotations

import json

from typeset.layout.boxes import PageLayout
from typeset.style import PT_PER_MM, Grid


def table(layouts: list[PageLayout], grid: Grid) -> str:
    """A plain-text table per page: column, span, top and height in lines, fill, gaps."""
    rows = []
    for page in layouts:
        rows.append(f"page {page.number}:")
        for m in page.modules:
            rows.append(
                f"  {m.article_id:<28} column {m.column} span {m.span}  "
                f"top {round(m.top / grid.line_pt):>3}  height {round(m.height / grid.line_pt):>3}"
                f" lines  fill {m.fill:.0%}  overflow {m.overflow_lines}")
            if m.fitting:
                rows.append(f"    {m.fitting}")
        rows.append(f"  blank lines at the foot of columns 1–{len(page.blank_lines)}: "
                    + " ".join(map(str, page.blank_lines)))
    return "\n".join(rows)


def layout_json(layouts: list[PageLayout]) -> str:
    """The modules of every page, in mm from the type area's top left (deterministic)."""
    modules = [{"page": page.number, "article": m.article_id,
                "column": m.column, "span": m.span,
                "top_mm": round(m.top / PT_PER_MM, 2), "height_mm": round(m.height / PT_PER_MM, 2),
                "overflow_lines": m.overflow_lines, "fitting": m.fitting,
                "display": [list(pair) for pair in m.display]}
               for page in layouts for m in page.modules]
    modules.sort(key=lambda m: (m["page"], m["top_mm"], m["column"]))
    return json.dumps(modules, ensure_ascii=False, indent=2) + "\n"
