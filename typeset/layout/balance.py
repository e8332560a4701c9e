"""Column balancing (分栏平衡) as arithmetic on a laid-out flow.

A module's body is set in its grid columns, all of one width, so the lines of the body do
not depend on how many columns the module spans: only where the columns break does. The
renderer sets the body once as one tall column (a *flow*), and this module decides the
breaks: the shortest column height at which the flow, filled column by column, fits in
``count`` columns. The layout stage uses it to know a module's height at every span from
one setting of its body, and the renderer (:mod:`typeset.weasy.columns`) uses the same
function to cut the flow into the printed columns, so what is measured is what is printed.

A flow is a tuple of *atoms*, in order: a line of a paragraph, or a block that must not
break (a figure). Each is ``(top, bottom, breakable)``: its edges from the flow's top, and
whether a column may end after it (orphans, widows and "keep with next" decide that; the
renderer reads them from the styles). Lengths are in whatever unit the flow was given in.
"""

from __future__ import annotations

from bisect import bisect_left

Atom = tuple[float, float, bool]
Flow = tuple[Atom, ...]

#: Lengths closer than this are equal: the flow's positions are sums of floats.
EPSILON = 1e-6


def balance(flow: Flow, count: int) -> tuple[float, list[int]]:
    """The balanced column height of ``flow`` in ``count`` columns and the index of the
    first atom of each column (fewer columns than ``count`` when the flow is short).

    Filling is greedy: each column takes as much as fits. The search starts below any
    possible answer and raises the height each time to the least that lets some column
    take more; until then no column changes, so the first height that fits is the least.
    An atom taller than the height goes alone in its column (it cannot break).
    """
    if not flow:
        return 0.0, []
    ends = [i for i, (_, _, breakable) in enumerate(flow) if breakable or i == len(flow) - 1]
    gaps = sum(max(0.0, flow[i + 1][0] - flow[i][1]) for i in range(len(flow) - 1))
    limit = (_height(flow, 0, len(flow) - 1) - gaps) / max(count, 1) - EPSILON
    while True:
        columns, tallest, grow = _fill(flow, ends, limit)
        if len(columns) <= max(count, 1):
            return tallest, columns
        limit = grow


def _fill(flow: Flow, ends: list[int], limit: float) -> tuple[list[int], float, float]:
    """Greedy filling at column height ``limit``: the column starts, the tallest column,
    and the least height at which some column would take more."""
    columns, tallest, grow, start = [], 0.0, float("inf"), 0
    while start < len(flow):
        index = bisect_left(ends, start)
        end = ends[index]
        for following in ends[index + 1:]:
            height = _height(flow, start, following)
            if height > limit + EPSILON:
                grow = min(grow, height)
                break
            end = following
        columns.append(start)
        tallest = max(tallest, _height(flow, start, end))
        start = end + 1
    return columns, tallest, grow


def _height(flow: Flow, start: int, end: int) -> float:
    """Height of a column holding atoms ``start`` to ``end``: the space above the first
    atom and below the last (margins at a column break) is not part of it."""
    return flow[end][1] - flow[start][0]
