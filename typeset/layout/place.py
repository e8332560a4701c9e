"""The planner: articles → module rectangles that fill a page's type area.

Everything here is arithmetic in body lines on the column grid; heights come in already
measured. A page is cut guillotine-fashion, the way a layout editor draws it:

- the lead (the highest priority) takes the top left at the widest span that works;
- the rest of the page — the strip below the lead and the columns beside it — is split
  into column strips, and each strip holds a stack of modules as wide as the strip.

Which articles go into which strip, at what width, is a dynamic programme over subsets
of articles (at most a dozen per page, so 2ⁿ is small): ``best(columns left, articles
left)`` takes the leftmost strip, which must hold the most important article still
left (so importance reads from left to right and top to bottom), tries every width and
every set of companions whose stacked heights can close the strip, and adds the best
way to fill the rest. A strip closes when its modules' heights plus the gaps between
them can be brought to exactly the strip's height by copyfit (see :class:`Variant`);
what cannot be closed stays as a gap and costs a lot, so it is chosen only when no
arrangement closes. Pinned modules come first and the free area below them is filled
the same way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from typeset.style import Grid

#: Copyfit cost per line: a figure made taller or shorter, air opened below a headline,
#: a jump's first part cut shorter, and a gap left unfilled.
FIGURE_COST, AIR_COST, CUT_COST, GAP_COST = 1.0, 3.0, 0.5, 40.0
#: A jump's first part keeps at least this many lines (headline and a few lines of text).
MIN_JUMP_LINES = 12


@dataclass(frozen=True)
class Variant:
    """One article at one span: its natural height and how far copyfit may move it.

    ``shrink``/``grow`` are lines the first full-width figure may lose (cropped) or gain;
    ``air`` lines may open below the headline stack; an ``elastic`` module (a jump's
    first part) may be cut down to :data:`MIN_JUMP_LINES`, its text continuing elsewhere.
    """

    lines: int
    shrink: int = 0
    grow: int = 0
    air: int = 1
    elastic: bool = False

    @property
    def low(self) -> int:
        return min(self.lines, MIN_JUMP_LINES) if self.elastic else self.lines - self.shrink

    @property
    def high(self) -> int:
        return self.lines + self.grow + self.air


@dataclass(frozen=True)
class Slot:
    """A planned module, in grid units: columns and body lines from the region's top."""

    index: int  # the article's rank on the page (0 = most important)
    column: int
    span: int
    top: int
    height: int
    figure_lines: int = 0
    air_lines: int = 0
    cut_lines: int = 0  # lines of a jump's first part that continue on the jump page
    gap_lines: int = 0  # blank lines left below this module (the strip did not close)


@dataclass(frozen=True)
class Region:
    """A free rectangle of the page: first column, width in columns, top and height in lines."""

    column: int
    width: int
    top: int
    height: int


class Packer:
    """Best filling of page regions by a ranked set of articles (see the module doc).

    ``variants[i]`` maps each span article ``i`` may take to its :class:`Variant`;
    ``widest`` caps every strip (the lead stays the widest module).
    """

    def __init__(self, grid: Grid, lines: int, variants: list[dict[int, Variant]],
                 widest: int):
        self.grid = grid
        self.lines = lines  # height of the page's content area
        self.gap = grid.module_gap_lines
        self.variants = variants
        self.widest = widest
        self.count = len(variants)
        self.allowed = {w: sum(1 << i for i, v in enumerate(variants) if w in v)
                        for w in range(1, grid.columns + 1)}
        self.least = {w: self._least(w) for w in self.allowed}
        self._fills: dict[Region, object] = {}

    def _least(self, span: int) -> list[int]:
        """The least height of every subset of articles stacked at ``span``, gaps
        between them included, by dynamic programme; a subset holding an article that
        cannot take ``span`` is too tall for any page."""
        sums = [-self.gap] + [0] * ((1 << self.count) - 1)
        for mask in range(1, 1 << self.count):
            variant = self.variants[(mask & -mask).bit_length() - 1].get(span)
            sums[mask] = sums[mask & (mask - 1)] + (variant.low + self.gap if variant
                                                    else 10**6)
        return sums

    def regions(self, regions: list[Region], mask: int) -> tuple[float, list[Slot]] | None:
        """Share the articles of ``mask`` among ``regions`` (each filled by strips)."""
        fills = [self.region(r) for r in regions]
        if not regions:
            return None if mask else (0.0, [])

        def share(r: int, left: int):
            if r == len(regions) - 1:
                return fills[r](left)
            best = None
            subset = left
            while True:
                # The later regions first: their fills are shared by more calls (the
                # strip beside the lead is the same for each of its heights), and when
                # they cannot take the rest, this region's fill is not needed.
                there = share(r + 1, left ^ subset)
                here = fills[r](subset) if there else None
                if here and there and (best is None or here[0] + there[0] < best[0]):
                    best = (here[0] + there[0], here[1] + there[1])
                if subset == 0:
                    return best
                subset = (subset - 1) & left
        result = share(0, mask)
        return (result[0], list(result[1])) if result else None

    def region(self, region: Region):
        """A function mask → best (cost, slots) filling ``region`` with those articles."""
        if region not in self._fills:
            self._fills[region] = self._region(region)
        return self._fills[region]

    def _region(self, region: Region):
        memo: dict[tuple[int, int], tuple[float, tuple[Slot, ...]] | None] = {}
        strips: dict[tuple[int, int, int], tuple[float, tuple[Slot, ...]] | None] = {}

        height = region.height

        def best(width: int, mask: int):
            if (width, mask) in memo:
                return memo[width, mask]
            column = region.column + region.width - width
            if mask == 0:
                gap = Slot(-1, column, width, region.top, 0, gap_lines=height)
                result = (GAP_COST * height * width, (gap,)) if width else (0.0, ())
                memo[width, mask] = result
                return result
            result = None
            if width:
                first = mask & -mask
                for span in range(1, min(width, self.widest) + 1):
                    allowed = self.allowed[span]
                    if not first & allowed:
                        continue
                    least = self.least[span]  # (the loop below runs 10⁵ times a page)
                    companions = (mask ^ first) & allowed
                    subset = companions if span < width else mask ^ first
                    while True:
                        chosen = first | subset
                        if least[chosen] <= height:
                            key = (chosen, span, column)
                            if key not in strips:
                                strips[key] = self.strip(chosen, span, column, region)
                            here = strips[key]
                            rest = best(width - span, mask ^ chosen) if here else None
                            if here and rest and (result is None
                                                  or here[0] + rest[0] < result[0]):
                                result = (here[0] + rest[0], here[1] + rest[1])
                        if subset == 0 or span == width:
                            break
                        subset = (subset - 1) & companions
            memo[width, mask] = result
            return result

        return lambda mask: best(region.width, mask)

    def strip(self, chosen: int, span: int, column: int, region: Region):
        """Cost and slots of the articles of ``chosen`` stacked in one strip, copyfitted."""
        members = [i for i in range(self.count) if chosen >> i & 1]
        variants = [self.variants[i][span] for i in members]
        gaps = (len(members) - 1) * self.gap
        change = region.height - gaps - sum(v.lines for v in variants)
        adjust = copyfit(variants, change)
        if adjust is None:
            return None
        cost, slots, top = 0.0, [], region.top
        for i, variant, (figure, air, cut, gap) in zip(members, variants, adjust):
            height = variant.lines + figure + air - cut
            cost += (FIGURE_COST * abs(figure) + AIR_COST * air + CUT_COST * cut
                     + GAP_COST * gap + self.shape_cost(height, span)
                     + self.order_cost(i, top, column))
            slots.append(Slot(i, column, span, top, height, figure, air, cut, gap))
            top += height + gap + self.gap
        return cost, tuple(slots)

    def shape_cost(self, height: int, span: int) -> float:
        """Modules much taller than wide, or long thin bands, read badly."""
        ratio = height * self.grid.line_pt / self.grid.width_pt(span)
        return 6 * math.log(ratio / 0.9) ** 2

    def order_cost(self, index: int, top: int, column: int) -> float:
        """Important articles belong high and to the left."""
        weight = (self.count - index) / self.count
        return 10 * weight * (top / self.lines + (column - 1) / self.grid.columns)


def copyfit(variants: list[Variant], change: int) -> list[tuple[int, int, int, int]] | None:
    """Share ``change`` lines among a strip's modules: (figure, air, cut, gap) per module.

    More room is taken first by figures, then by air below headlines (one module after
    another, top down); what is left becomes a gap below the last module. Less room is
    made by cutting a jump's first part, then by cropping figures; None when not enough.
    """
    adjust = [[0, 0, 0, 0] for _ in variants]
    if change >= 0:
        for kind, room in ((0, lambda v: v.grow), (1, lambda v: v.air)):
            for slot, variant in zip(adjust, variants):
                take = min(change, room(variant))
                slot[kind] += take
                change -= take
        adjust[-1][3] = change
    else:
        need = -change
        for kind, room in ((2, lambda v: v.lines - v.low if v.elastic else 0),
                           (0, lambda v: v.shrink)):
            for slot, variant in zip(reversed(adjust), reversed(variants)):
                take = min(need, room(variant))
                slot[kind] += take if kind == 2 else -take
                need -= take
        if need:
            return None
    return [tuple(a) for a in adjust]
