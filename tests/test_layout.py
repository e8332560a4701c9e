"""The layout stage with pinned placements: stacking on the grid, overflow, bad input.

The sample places itself automatically (tests/test_layout_engine.py); here its first
two pages are pinned by hand, as an editor would, to test the explicit path.
"""

from __future__ import annotations

import pytest

from typeset import SAMPLE_ISSUE, layout
from typeset.errors import TypesetError
from typeset.readers import read
from typeset.style import load_style

STYLE = load_style("broadsheet")
LINE = STYLE.grid.line_pt


def fixed(lines: dict[str, float]):
    return lambda wanted: {(a.id, span): lines[a.id] * LINE for a, span in wanted}


PINNED = [
    [("lead-heating", 1, 5), ("winter-wheat", 6, 3), ("clinic-upgrade", 6, 3),
     ("snow-roads", 1, 5), ("library-night", 6, 3)],
    [("feature-courtyard", 1, 5), ("commentary-listen", 6, 3), ("feature-cooperative", 1, 5),
     ("brief-training", 6, 3), ("brief-lecture", 1, 5)],
]


def sample():
    """The sample's first two pages, every module pinned to a column and span."""
    data = read(SAMPLE_ISSUE).issue.model_dump()
    data["pages"] = data["pages"][:2]
    for page, pins in zip(data["pages"], PINNED, strict=True):
        page["articles"] = [{"id": i, "column": c, "span": s} for i, c, s in pins]
    placed = {i for pins in PINNED for i, _, _ in pins}
    data["articles"] = [a for a in data["articles"] if a["id"] in placed]
    return type(read(SAMPLE_ISSUE).issue).model_validate(data)


def test_grid_is_whole_characters():
    grid = STYLE.grid
    assert grid.column_pt / grid.body_pt == 13
    assert grid.width_pt(8) == pytest.approx(999)  # 8 × 13 + 7 gutters = 111 characters
    assert grid.type_height_pt == pytest.approx(103 * 13.5)


def test_modules_stack_below_what_is_in_their_columns():
    issue = sample()
    heights = {a.id: 10.2 for a in issue.articles}
    pages = layout.place(issue, STYLE, fixed(heights))
    front = {m.article_id: m for m in pages[0].modules}
    top = STYLE.grid.masthead_lines * LINE
    assert front["lead-heating"].top == top
    assert front["lead-heating"].height == 11 * LINE  # rounded up to whole lines
    assert front["clinic-upgrade"].top == top + 12 * LINE  # 11 lines + 1 gap line
    assert front["snow-roads"].top == front["lead-heating"].top + 12 * LINE
    assert front["winter-wheat"].x == STYLE.grid.x_pt(6)


def test_overflow_names_article_and_lines():
    issue = sample()
    heights = {a.id: 10 for a in issue.articles} | {"snow-roads": 100}
    with pytest.raises(TypesetError) as error:
        layout.place(issue, STYLE, fixed(heights))
    assert error.value.article == "snow-roads"
    assert "runs 23 body lines past the foot" in str(error.value)


def test_placement_outside_the_grid():
    issue = sample()
    data = issue.model_dump()
    data["pages"][0]["articles"][1]["column"] = 7
    with pytest.raises(TypesetError, match="columns 7–9 do not fit a 8-column page"):
        layout.place(type(issue).model_validate(data), STYLE,
                     fixed({a.id: 5 for a in issue.articles}))


def test_jumps_order_the_pages_and_their_arrivals():
    """Pages wait for the pages jumping to them; a page's continuations come in the order
    of the pages sending them, whichever was laid out first (the page pipeline lays
    out a wave's pages on several processes)."""
    data = sample().model_dump()
    first, second = data["pages"]
    data["pages"] = [first, second,
                     {**second, "number": 3, "articles": []}, {**second, "number": 4,
                                                               "articles": []}]
    first["articles"][0]["jump_to"] = 2
    second["articles"][0]["jump_to"] = 4
    data["pages"][2]["articles"] = [{"id": "snow-roads", "jump_to": 4}]
    data["pages"][3]["articles"] = [{"id": "library-night"}]
    first["articles"] = [a for a in first["articles"]
                         if a["id"] not in ("snow-roads", "library-night")]
    issue = type(sample()).model_validate(data)
    assert layout.waves(issue) == [[0, 2], [1], [3]]
    b, c = (issue.article(i) for i in ("feature-courtyard", "snow-roads"))
    sent = {2: [(4, (c, "from page 3"))], 0: [(2, (b, "from page 1"))],
            1: [(4, (b, "from page 2"))]}
    assert layout.arrivals(issue, 3, sent) == [(b, "from page 2"), (c, "from page 3")]
    assert layout.arrivals(issue, 1, sent) == [(b, "from page 1")]
