"""The layout stage: articles → module boxes on each page's column grid.

A newspaper page is a set of rectangular modules (版块) on the column grid. This stage
decides each module's box; the HTML stage only draws what it is given. Heights come from
a ``measure`` function (the real renderer, see :mod:`typeset.weasy`), so this module has
no idea how text is set — it only does arithmetic on the grid.

Placement here is explicit: issue.yaml lists modules in reading order with their first
column and span, and each module stacks below whatever is already in its columns.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from pydantic import BaseModel, ConfigDict

from typeset.errors import TypesetError
from typeset.model import Article, Issue, Page
from typeset.style import Style

#: Heights of articles set ``span`` columns wide: {(article id, span): height in pt}.
Measure = Callable[[list[tuple[Article, int]]], dict[tuple[str, int], float]]


class ModuleBox(BaseModel):
    """One article's rectangle on a page, in pt from the type area's top left."""

    model_config = ConfigDict(frozen=True)

    article_id: str
    column: int
    span: int
    x: float
    top: float
    width: float
    height: float
    boxed: bool


class PageLayout(BaseModel):
    """The modules of one page and what is left blank at the foot of each column."""

    model_config = ConfigDict(frozen=True)

    number: int
    content_top: float  # below the masthead band on the front page
    modules: list[ModuleBox]
    blank_lines: list[int]  # per column, body lines left empty at the foot


def place(issue: Issue, style: Style, measure: Measure) -> list[PageLayout]:
    """Lay out every page of ``issue``; raise if a module runs off its page."""
    wanted = [(issue.article(p.id), p.span) for page in issue.pages for p in page.articles]
    heights = measure(wanted)
    return [place_page(issue, page, style, heights) for page in issue.pages]


def place_page(issue: Issue, page: Page, style: Style,
               heights: dict[tuple[str, int], float]) -> PageLayout:
    grid = style.grid
    content_top = grid.masthead_lines * grid.line_pt if page.masthead else 0.0
    skyline = [content_top] * grid.columns
    modules = []
    page_index = issue.pages.index(page)
    for index, placement in enumerate(page.articles):
        where = f"pages[{page_index}].articles[{index}]"
        last = placement.column + placement.span - 1
        if last > grid.columns:
            raise TypesetError(
                f"columns {placement.column}–{last} do not fit a {grid.columns}-column page",
                file="issue.yaml", article=placement.id, field=where)
        columns = range(placement.column - 1, last)
        top = max(skyline[c] for c in columns)
        if top > content_top:
            top += grid.module_gap_lines * grid.line_pt
        height = whole_lines(heights[(placement.id, placement.span)], grid.line_pt)
        overflow = top + height - grid.type_height_pt
        if overflow > 0.01:
            raise TypesetError(
                f"does not fit on page {page.number}: it runs "
                f"{math.ceil(overflow / grid.line_pt - 0.01)} body lines past the foot of the "
                "type area; shorten it, widen it or move it", article=placement.id, field=where)
        article = issue.article(placement.id)
        modules.append(ModuleBox(
            article_id=placement.id, column=placement.column, span=placement.span,
            x=grid.x_pt(placement.column), top=top, width=grid.width_pt(placement.span),
            height=height, boxed=article.kind in style.boxed_kinds))
        for c in columns:
            skyline[c] = top + height
    blank = [round((grid.type_height_pt - bottom) / grid.line_pt) for bottom in skyline]
    return PageLayout(number=page.number, content_top=content_top, modules=modules,
                      blank_lines=blank)


def whole_lines(height: float, line: float) -> float:
    """Round a height up to whole body lines, so every module edge sits on the grid."""
    return math.ceil(height / line - 0.01) * line
