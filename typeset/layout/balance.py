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

What may not be parted is decided here too, where a rule of the desk says more than the
styles can: a subhead keeps with its text (:func:`keep_heads`, HEAD-6).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

Atom = tuple[float, float, bool]
Flow = tuple[Atom, ...]

#: Lengths closer than this are equal: the flow's positions are sums of floats.
EPSILON = 1e-6

#: HEAD-6: the lines of its text a subhead stands with in its column, at least.
HEAD_LINES = 2


def keep_heads(flow: Flow, heads: Iterable[tuple[int, int, int]],
               lines: int = HEAD_LINES) -> Flow:
    """HEAD-6: ``flow`` with no column break inside a subhead, after it, or among the
    first ``lines`` lines of the text it heads (all of them when the text is shorter).

    ``heads`` holds, for each subhead, its first and last atom and the last atom of the
    text it heads (up to the next subhead: a one-line paragraph is followed by the
    next one's first line). A subhead thus never ends a column, and never opens one with less
    than ``lines`` lines of its text under it. CSS says part of this (``break-after:
    avoid``, ``orphans``), but only as a preference WeasyPrint may drop and a setting a
    style may change; the desk's rule does not bend, and the renderer and the layout
    stage both read it from the one flow this returns.
    """
    atoms = list(flow)
    for first, last, text_last in heads:
        for index in range(first, min(last + lines, text_last)):
            top, bottom, _ = atoms[index]
            atoms[index] = (top, bottom, False)
    return tuple(atoms)


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
