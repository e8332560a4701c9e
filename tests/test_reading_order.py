"""The one reading order (typeset/layout/order.py): page geometry, top edge then left."""

from typeset.layout.boxes import ModuleBox, PageLayout
from typeset.layout.order import ordered_modules, reading_order

LINE = 15.0


def _box(name: str, x: float, top: float) -> ModuleBox:
    return ModuleBox(article_id=name, column=1, span=1, x=x, top=top, width=100,
                     height=100, boxed=False)


def _page(number: int, *boxes: ModuleBox) -> PageLayout:
    return PageLayout(number=number, content_top=0, modules=list(boxes), blank_lines=[0])


def test_top_edge_first_then_left_edge():
    page = _page(1, _box("low-left", 0, 300), _box("top-right", 200, 0),
                 _box("top-left", 0, 0), _box("middle", 100, 150))
    assert reading_order([page], LINE) == [["top-left", "top-right", "middle", "low-left"]]


def test_tops_within_a_line_are_one_row_read_left_to_right():
    page = _page(1, _box("right", 200, 100.0), _box("left", 0, 100.0 + LINE - 0.5),
                 _box("below", 100, 100.0 + LINE))
    assert [b.article_id for b in ordered_modules(page, LINE)] == ["left", "right", "below"]


def test_a_staircase_does_not_drift_into_one_row():
    page = _page(1, _box("a", 300, 0), _box("b", 200, 10), _box("c", 100, 20),
                 _box("d", 0, 30))
    assert reading_order([page], LINE) == [["b", "a", "d", "c"]]


def test_pages_keep_their_order():
    pages = [_page(1, _box("one", 0, 0)), _page(2, _box("two", 0, 0))]
    assert reading_order(pages, LINE) == [["one"], ["two"]]
