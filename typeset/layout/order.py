"""Reading order: the order in which a reader's eye takes a laid-out issue's modules.

One order serves every output, so that the EPUB's spine and contents and the archive
PDF's structure tree and outline agree: page by page; within a page, modules by their
top edge, then by their left edge. Tops less than a body line apart count as equal:
modules that start on the same line of the grid are read left to right even when one
sits a fraction of a line lower (a rule, an air line), which is what the eye does.

This follows the page's geometry, not ``issue.yaml``'s list of articles, which is an
editor's order of placement and may differ from what the planner made of it.
"""

from __future__ import annotations

from typeset.layout.boxes import ModuleBox, PageLayout


def reading_order(layouts: list[PageLayout], line_pt: float) -> list[list[str]]:
    """For each page, its modules' article ids in reading order.

    ``line_pt`` is the body line (the style's ``grid.line_pt``): tops closer than that
    are one row. Continuations of jumped articles (``<id>--cont``) keep their place on
    the page they are printed on; an output that keeps articles whole skips them.
    """
    return [[box.article_id for box in ordered_modules(layout, line_pt)]
            for layout in layouts]


def ordered_modules(layout: PageLayout, line_pt: float) -> list[ModuleBox]:
    """The page's module boxes in reading order (see the module docstring).

    Rows are formed top down: a module joins the current row when its top is less than
    a line below the row's first (highest) module, so the grouping does not drift down
    a staircase of modules each slightly lower than the last.
    """
    rows: list[list[ModuleBox]] = []
    for box in sorted(layout.modules, key=lambda b: (b.top, b.x)):
        if rows and box.top - rows[-1][0].top < line_pt:
            rows[-1].append(box)
        else:
            rows.append([box])
    return [box for row in rows for box in sorted(row, key=lambda b: b.x)]
