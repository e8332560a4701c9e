"""Pinned placement: modules where issue.yaml puts them.

Modules are stacked in the order listed: each starts below the lowest module already in
any of its columns (one gap line between), unless its ``top`` is given; its height is
the measured one rounded up to whole lines, unless its ``height`` is given.
"""

from __future__ import annotations

import math

from typeset.errors import TypesetError
from typeset.layout import display
from typeset.layout.boxes import ModuleBox, PageLayout
from typeset.model import Issue, Page
from typeset.style import Style


def stack_pinned(issue: Issue, page: Page, style: Style,
                 heights: dict[tuple[str, int], float], where: str) -> PageLayout:
    """The page's pinned modules; raise if one runs off the page or the grid."""
    grid = style.grid
    content_top = grid.masthead_lines * grid.line_pt if page.masthead else 0.0
    skyline = [content_top] * grid.columns
    modules = []
    for index, placement in enumerate(page.articles):
        field = f"{where}.articles[{index}]"
        last = placement.column + placement.span - 1
        if last > grid.columns:
            raise TypesetError(
                f"columns {placement.column}–{last} do not fit a {grid.columns}-column page",
                file="issue.yaml", article=placement.id, field=field)
        columns = range(placement.column - 1, last)
        if placement.top is not None:
            top = content_top + placement.top * grid.line_pt
        else:
            top = max(skyline[c] for c in columns)
            if top > content_top:
                top += grid.module_gap_lines * grid.line_pt
        article = issue.article(placement.id)
        boxed = article.kind in style.boxed_kinds
        shown = display.report(style, article, placement.span, boxed)  # HEAD-4 first
        natural = heights[(placement.id, placement.span)]
        height = (placement.height * grid.line_pt if placement.height
                  else whole_lines(natural, grid.line_pt))
        overflow = max(top + height - grid.type_height_pt, natural - height)
        if overflow > 0.01:
            raise TypesetError(
                f"does not fit on page {page.number}: it runs "
                f"{math.ceil(overflow / grid.line_pt - 0.01)} body lines past the foot of the "
                "type area; shorten it, widen it or move it", article=placement.id,
                field=field)
        modules.append(ModuleBox(
            article_id=placement.id, column=placement.column, span=placement.span,
            x=grid.x_pt(placement.column), top=top, width=grid.width_pt(placement.span),
            height=height, boxed=boxed, fill=round(min(1.0, natural / height), 3), **shown))
        for c in columns:
            skyline[c] = max(skyline[c], top + height)
    blank = [round((grid.type_height_pt - bottom) / grid.line_pt) for bottom in skyline]
    return PageLayout(number=page.number, content_top=content_top, modules=modules,
                      blank_lines=blank)


def whole_lines(height: float, line: float) -> float:
    """Round a height up to whole body lines, so every module edge sits on the grid."""
    return math.ceil(height / line - 0.01) * line
