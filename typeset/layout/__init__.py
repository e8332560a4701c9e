"""The layout stage: articles → module boxes on each page's column grid.

A newspaper page is a set of rectangular modules (版块) on the column grid that together
fill the type area. This stage decides each module's box; the HTML stage only draws what
it is given. Heights come from a ``measure`` function (the real renderer, see
:mod:`typeset.weasy`, cached on disk by :mod:`.measure`), so this package has no idea how
text is set — it only does arithmetic on the grid.

- a page whose articles are all pinned (column and span in issue.yaml) is stacked as
  listed (:mod:`.pinned`);
- otherwise the planner (:mod:`.place`) chooses spans, positions and copyfit for the
  unpinned articles in the area the pinned ones leave;
- an article with ``jump_to`` may be cut to fit and continue on that page (:mod:`.jumps`).
"""

from __future__ import annotations

import hashlib
import math
import pickle

from typeset import cache
from typeset.errors import TypesetError
from typeset.layout import display, jumps, report  # noqa: F401  (report: typeset.layout.report)
from typeset.layout.boxes import ModuleBox, PageLayout
from typeset.layout.measure import Measure, style_digest
from typeset.layout.pinned import stack_pinned, whole_lines
from typeset.layout.place import (AIR_COST, CUT_COST, FIGURE_COST, Packer, Region, Slot,
                                  Variant)
from typeset.model import Article, Issue, Page, Placement
from typeset.style import Grid, Style

__all__ = ["Measure", "ModuleBox", "PageLayout", "place", "whole_lines"]

#: Spans the planner tries: the lead, briefs, and everything else (narrowed by min_span,
#: max_span and the widest figure's columns).
LEAD_SPANS, BRIEF_SPANS, OTHER_SPANS = range(4, 9), range(1, 6), range(2, 7)


#: Where a jump's continuation goes: (the page number it continues on, the continuation
#: with its placement there).
Jumped = tuple[int, tuple[Article, Placement]]


def place(issue: Issue, style: Style, measure: Measure) -> list[PageLayout]:
    """Lay out every page of ``issue``; raise if an article does not fit its page.

    :mod:`typeset.pipeline` runs :func:`place_page` in the same order, page by page on
    several processes.
    """
    layouts: list = [None] * len(issue.pages)
    sent: dict[int, list[Jumped]] = {}
    for wave in waves(issue):
        for index in wave:
            layouts[index], sent[index] = place_page(issue, index, style, measure,
                                                     arrivals(issue, index, sent))
    return layouts


def waves(issue: Issue) -> list[list[int]]:
    """The page indexes in the order jumps allow: each wave holds the pages whose
    senders (pages with a ``jump_to`` them) are all in earlier waves."""
    senders: dict[int, set[int]] = {}
    for index, page in enumerate(issue.pages):
        for placement in page.articles:
            if placement.jump_to is not None:
                senders.setdefault(placement.jump_to, set()).add(index)
    result: list[list[int]] = []
    waiting = list(range(len(issue.pages)))
    while waiting:
        wave = [i for i in waiting
                if not senders.get(issue.pages[i].number, set()) & set(waiting)]
        result.append(wave)
        waiting = [i for i in waiting if i not in wave]
    return result


def arrivals(issue: Issue, index: int,
             sent: dict[int, list[Jumped]]) -> list[tuple[Article, Placement]]:
    """The continuations jumped to page ``index`` by the pages laid out so far (``sent``:
    page index → what it sent), in the order of their pages and then as sent."""
    number = issue.pages[index].number
    return [arrival for sender in sorted(sent) for target, arrival in sent[sender]
            if target == number]


def place_page(issue: Issue, index: int, style: Style, measure: Measure,
               arrivals: list[tuple[Article, Placement]]) -> tuple[PageLayout, list[Jumped]]:
    """Lay out page ``index`` with the continuations jumped to it (``arrivals``); return
    its layout and the continuations it sends on.

    Every candidate (article, span) of the page is measured in one call; the first parts
    of jumps are measured as they are made.
    """
    grid = style.grid
    page = issue.pages[index]
    where = f"pages[{index}]"
    lead = not pinned_any(page)
    wanted = [(issue.article(p.id), span) for rank, p in enumerate(ranked(page))
              for span in spans(issue.article(p.id), p, lead and rank == 0, style)]
    wanted += [(a, s) for a, p in arrivals for s in spans(a, p, False, style)]
    heights = measure(wanted)
    if all(p.pinned for p in page.articles) and not arrivals:
        return stack_pinned(issue, page, style, heights, where), []
    layout, jumped = remembered_plan(issue, page, style, heights, arrivals, measure, where)
    return layout, [(placement.jump_to, (continuation, Placement(id=continuation.id,
                                                                 priority=-10**6)))
                    for placement, continuation in jumped]


def remembered_plan(issue: Issue, page: Page, style: Style, heights: dict, arrivals: list,
                    measure: Measure, where: str) -> tuple[PageLayout, list]:
    """:func:`plan_page`, kept in the cache (:mod:`typeset.cache`) under everything the
    plan depends on: the page, its articles and arrivals, their heights, the style and
    typeset's code. Planning is a search (0.03–0.1 s a page); a re-proof after an edit
    plans again only the page the edit touched."""
    ids = {p.id for p in page.articles} | {a.id for a, _ in arrivals}
    digest = hashlib.sha256(style_digest(style).encode())
    for part in ([page.model_dump_json()]
                 + [issue.article(p.id).model_dump_json() for p in page.articles]
                 + [a.model_dump_json() + p.model_dump_json() for a, p in arrivals]
                 + [repr(sorted((k, v) for k, v in heights.items() if k[0] in ids))]):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    key = digest.hexdigest()
    stored = cache.read("plans", key, ".pickle")
    if stored is not None:
        return pickle.loads(stored)
    plan = plan_page(issue, page, style, heights, arrivals, measure, where)
    cache.write("plans", key, ".pickle", pickle.dumps(plan))
    return plan


def ranked(page: Page) -> list[Placement]:
    """The page's placements, most important first: by priority, then as listed."""
    order = {p.id: i for i, p in enumerate(page.articles)}
    return sorted(page.articles, key=lambda p: (-(p.priority or 0), order[p.id]))


def pinned_any(page: Page) -> bool:
    return any(p.pinned for p in page.articles)


def spans(article: Article, placement: Placement, lead: bool, style: Style) -> list[int]:
    """The spans worth measuring for ``article``: pinned, or the planner's candidates.

    A photo keeps its column width, so no module is narrower than its widest figure; a
    head that no fitting sets at a span (HEAD-4) rules that span out, unless it rules
    out all of them (the chosen one then stops the build, naming the field).
    """
    grid = style.grid
    if placement.pinned:
        return [placement.span]
    default = LEAD_SPANS if lead else BRIEF_SPANS if article.kind == "brief" else OTHER_SPANS
    low = max([placement.min_span or default.start]
              + [f.columns for f in article.figures if f.columns])
    high = min(placement.max_span or default.stop - 1, grid.columns)
    candidates = list(range(min(low, high), high + 1))
    boxed = article.kind in style.boxed_kinds
    return [s for s in candidates if display.head_fits(style, article, s, boxed)] or candidates


def variant(article: Article, span: int, height: float, grid: Grid,
            elastic: bool = False) -> Variant:
    """How tall ``article`` is at ``span`` and how far copyfit may move that.

    A figure as wide as the module (it has no ``columns`` or at least the span) may be
    opened by three lines per column of width (about 40 % of a 4:3 photo) or cropped by
    one (cropping more left small photos shorter than the planner counted on); below
    the headline stack up to two lines of air may open.
    """
    wide = any(f.columns is None or f.columns >= span for f in article.figures)
    flex = 3 * span if wide else 0
    return Variant(lines=math.ceil(height / grid.line_pt - 0.01), shrink=flex // 3, grow=flex,
                   air=2, elastic=elastic)


def plan_page(issue: Issue, page: Page, style: Style, heights: dict, arrivals: list,
              measure: Measure, where: str) -> tuple[PageLayout, list]:
    """Plan one page automatically; return its layout and the jumps it made."""
    grid = style.grid
    content_top = grid.masthead_lines * grid.line_pt if page.masthead else 0.0
    lines = grid.lines - (grid.masthead_lines if page.masthead else 0)
    pinned = [p for p in page.articles if p.pinned]
    free = [p for p in ranked(page) if not p.pinned]
    articles = {p.id: issue.article(p.id) for p in free} | {a.id: a for a, _ in arrivals}
    free += [p for _, p in arrivals]
    lead = not pinned
    options = [{s: variant(articles[p.id], s, heights[(p.id, s)], grid,
                           elastic=p.jump_to is not None)
                for s in spans(articles[p.id], p, lead and i == 0, style)}
               for i, p in enumerate(free)]
    if lead:
        plan = plan_with_lead(grid, lines, options)
    else:
        fixed = stack_pinned(issue, page.model_copy(update={"articles": pinned}), style,
                             heights, where)
        packer = Packer(grid, lines, options, grid.columns)
        plan = packer.regions(free_regions(fixed, grid, lines), (1 << len(free)) - 1)
    if plan is None:
        raise overflow_error(page, free, options, lines, grid, where)
    boxes = [] if lead else list(fixed.modules)
    issue_ids = {a.id for a in issue.articles}
    jumped = []
    for slot in sorted(plan[1], key=lambda s: (s.top, s.column)):
        if slot.index < 0:
            continue
        placement = free[slot.index]
        article = articles[placement.id]
        natural = heights[(placement.id, slot.span)]
        shown = article
        if slot.cut_lines:
            target = (slot.height - slot.figure_lines - slot.air_lines) * grid.line_pt
            shown, continuation, natural = jumps.split(
                article, slot.span, target, page.number, placement.jump_to, measure)
            jumped.append((placement, continuation))
        boxes.append(ModuleBox(
            article_id=placement.id, column=slot.column, span=slot.span,
            x=grid.x_pt(slot.column), top=content_top + slot.top * grid.line_pt,
            width=grid.width_pt(slot.span), height=slot.height * grid.line_pt,
            boxed=article.kind in style.boxed_kinds, figure_lines=slot.figure_lines,
            air_lines=slot.air_lines,
            **display.report(style, shown, slot.span, article.kind in style.boxed_kinds),
            fill=round(min(1.0, (natural + (slot.figure_lines + slot.air_lines)
                                 * grid.line_pt) / (slot.height * grid.line_pt)), 3),
            article=None if placement.id in issue_ids and not slot.cut_lines else shown))
    return page_layout(page.number, content_top, boxes, grid), jumped


def plan_with_lead(grid: Grid, lines: int, options: list[dict[int, Variant]]):
    """The lead on top at the left, as wide as it can usefully be; the rest in strips.

    Every span of the lead is tried, each with every height copyfit allows it, and the
    strips below and beside it are packed for each.
    """
    lead, rest = options[0], options[1:]
    full = (1 << len(rest)) - 1
    best = None
    for span in sorted(lead, reverse=True):
        packer = Packer(grid, lines, rest, span)
        beside = [Region(span + 1, grid.columns - span, 0, lines)] if span < grid.columns else []
        v = lead[span]
        for height in range(v.low, v.high + 1):
            below = lines - height - grid.module_gap_lines
            if height > lines or (0 < lines - height < grid.module_gap_lines + 1):
                continue
            regions = ([Region(1, span, height + grid.module_gap_lines, below)]
                       if below > 0 else []) + beside
            packed = packer.regions(regions, full)
            if packed is None:
                continue
            cut = max(0, v.lines - height) if v.elastic else 0
            change = height - v.lines + cut
            figure = max(-v.shrink, min(change, v.grow))
            air = change - figure
            if air > v.air:
                continue
            cost = (packed[0] + FIGURE_COST * abs(figure) + AIR_COST * air + CUT_COST * cut
                    + packer.shape_cost(height, span))
            slot = Slot(0, 1, span, 0, height, figure, air, cut)
            slots = [slot] + [Slot(s.index + 1 if s.index >= 0 else -1, s.column, s.span, s.top, s.height,
                                   s.figure_lines, s.air_lines, s.cut_lines, s.gap_lines)
                              for s in packed[1]]
            if best is None or cost < best[0]:
                best = (cost, slots)
    return best


def free_regions(fixed: PageLayout, grid: Grid, lines: int) -> list[Region]:
    """The area below the pinned modules, as rectangles of columns with one free top."""
    tops = [lines - blank for blank in fixed.blank_lines]
    tops = [top + grid.module_gap_lines if top > 0 else 0 for top in tops]
    regions, start = [], 0
    for column in range(1, grid.columns + 1):
        if column == grid.columns or tops[column] != tops[start]:
            if tops[start] < lines:
                regions.append(Region(start + 1, column - start, tops[start],
                                      lines - tops[start]))
            start = column
    return regions


def page_layout(number: int, content_top: float, modules: list[ModuleBox],
                grid: Grid) -> PageLayout:
    """The page with its blank lines at the foot of each column."""
    bottoms = [content_top] * grid.columns
    for m in modules:
        for c in range(m.column - 1, m.column - 1 + m.span):
            bottoms[c] = max(bottoms[c], m.top + m.height)
    blank = [round((grid.type_height_pt - b) / grid.line_pt) for b in bottoms]
    return PageLayout(number=number, content_top=content_top, modules=modules,
                      blank_lines=blank)


def overflow_error(page: Page, free: list[Placement], options: list[dict[int, Variant]],
                   lines: int, grid: Grid, where: str) -> TypesetError:
    """Name the article that cannot fit, and by how many lines; or the page's excess."""
    for placement, option in zip(free, options):
        least = min(v.low for v in option.values())
        if least > lines:
            return TypesetError(
                f"does not fit on page {page.number}: it runs {least - lines} body lines "
                "past the foot of the type area even at its widest; shorten it, or let it "
                "continue on a later page with jump_to", article=placement.id, field=where)
    gap = grid.module_gap_lines
    area = sum(min((v.low + gap) * s for s, v in o.items()) for o in options)
    excess = max(1, math.ceil((area - grid.columns * (lines + gap)) / grid.columns))
    return TypesetError(
        f"page {page.number}: its articles do not fit together; about {excess} body lines "
        "too many; shorten or move one, or let one continue with jump_to",
        article=free[-1].id, field=where)
