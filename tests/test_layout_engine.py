"""The layout engine: automatic placement, copyfit, the height cache and jumps.

Every check reads the built PDF back (module boxes from named destinations, glyph boxes
from pdfium), never the planner's own numbers.
"""

from __future__ import annotations

import collections
import shutil
from pathlib import Path

import pytest
import yaml

from layout_readback import glyphs, module_boxes
from readback import pdf_pages_text, squeeze
from typeset import SAMPLE_ISSUE, weasy
from typeset.build import build
from typeset.errors import TypesetError
from typeset.style import PT_PER_MM, load_style

GRID = load_style().grid
LINE = GRID.line_pt
TOLERANCE = 0.5  # pt: rounding in the PDF's coordinates


def automatic_copy(target: Path) -> Path:
    """A copy of the sample, which leaves every position to the planner (three pages,
    the third with eight articles, two photos and a commentary)."""
    shutil.copytree(SAMPLE_ISSUE, target)
    data = yaml.safe_load((target / "issue.yaml").read_text(encoding="utf-8"))
    assert all(set(p) == {"id"} for page in data["pages"] for p in page["articles"])
    return target


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    """A fresh height cache for this module's builds."""
    folder = tmp_path_factory.mktemp("height-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TYPESET_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="module")
def renders():
    """Counts the measuring renders (each call of weasy.measure_heights)."""
    counted = collections.Counter()
    original = weasy.measure_heights

    def counting(doc, keep_flows=False):
        counted["renders"] += 1
        return original(doc, keep_flows)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(weasy, "measure_heights", counting)
        yield counted


@pytest.fixture(scope="module")
def automatic(tmp_path_factory, cache, renders):
    folder = automatic_copy(tmp_path_factory.mktemp("auto") / "issue")
    out = folder.parent / "out"
    renders.clear()
    result = build(folder, out, formats=("pdf",))
    return {"folder": folder, "pdf": result.paths[0], "first": renders["renders"]}


def test_automatic_pages_fill_the_type_area(automatic):
    pdf = automatic["pdf"]
    boxes = module_boxes(pdf)
    margin_x, margin_y = load_style().margins_pt
    foot = margin_y + GRID.type_height_pt
    assert {b.page for b in boxes} == {0, 1, 2}
    for page in (0, 1, 2):
        mine = [b for b in boxes if b.page == page]
        for i, a in enumerate(mine):  # no two modules overlap
            for b in mine[i + 1:]:
                assert (a.right <= b.left + TOLERANCE or b.right <= a.left + TOLERANCE
                        or a.bottom <= b.top + TOLERANCE or b.bottom <= a.top + TOLERANCE), (a, b)
        content_top = min(b.top for b in mine)
        for column in range(1, GRID.columns + 1):  # no gap over one line, top to foot
            middle = margin_x + GRID.x_pt(column) + GRID.column_pt / 2
            stack = sorted((b for b in mine if b.left < middle < b.right), key=lambda b: b.top)
            assert stack[0].top == pytest.approx(content_top, abs=TOLERANCE)
            for upper, lower in zip(stack, stack[1:]):
                gap = lower.top - upper.bottom - GRID.module_gap_lines * LINE
                assert -TOLERANCE <= gap <= LINE + TOLERANCE, (column, upper, lower)
            assert foot - stack[-1].bottom <= LINE + TOLERANCE, (page, column)
        lead = mine[0]  # the first listed is the lead: on top, at the left, widest
        assert lead.top == pytest.approx(content_top, abs=TOLERANCE)
        assert lead.right - lead.left >= max(b.right - b.left for b in mine) - TOLERANCE
    for page, left, top, right, bottom in glyphs(pdf):  # every glyph inside a module
        if top < min(b.top for b in boxes if b.page == page) - TOLERANCE or bottom > foot:
            continue  # running head, masthead, page credits
        x, y = (left + right) / 2, (top + bottom) / 2
        assert any(b.page == page and b.left - 1 <= x <= b.right + 1
                   and b.top - 1 <= y <= b.bottom + 1 for b in boxes), (page, x, y)


def test_module_text_reaches_the_foot_of_its_box(automatic):
    """Copyfit closes each module: its lowest glyph is near its box's foot.

    Within two lines: the box is the measured height rounded up to whole lines (up to a
    line), and a glyph sits about a quarter line above the foot of its line box.
    """
    boxes = module_boxes(automatic["pdf"])
    lowest = collections.defaultdict(float)
    for page, left, top, right, bottom in glyphs(automatic["pdf"]):
        for b in boxes:
            if b.page == page and b.left <= left and right <= b.right + 1 \
                    and b.top <= top and bottom <= b.bottom + 1:
                lowest[b] = max(lowest[b], bottom)
    for b in boxes:
        assert b.bottom - lowest[b] <= 2 * LINE + 1, b  # 1 pt: a frame's padding


def test_layout_json_beside_the_pdf(automatic):
    report = automatic["pdf"].with_name(automatic["pdf"].stem + ".layout.json")
    modules = yaml.safe_load(report.read_text(encoding="utf-8"))
    boxes = {(b.page + 1, b.article): b for b in module_boxes(automatic["pdf"])}
    assert {(m["page"], m["article"]) for m in modules} == set(boxes)
    for m in modules:
        box = boxes[(m["page"], m["article"])]
        assert m["overflow_lines"] == 0
        assert m["height_mm"] * PT_PER_MM == pytest.approx(box.bottom - box.top, abs=1)  # frame


def test_second_build_measures_nothing(automatic, renders):
    assert automatic["first"] >= 1
    renders.clear()
    again = build(automatic["folder"], automatic["folder"].parent / "again", formats=("pdf",))
    assert renders["renders"] == 0
    assert again.paths[0].read_bytes() == automatic["pdf"].read_bytes()


def long_issue(small_issue: Path, jump: bool) -> Path:
    """The small issue with a second page and an article far too long for page 1."""
    paragraph = "榆泉县今冬集中供热覆盖城区全部小区，供热管网改造完成后室温普遍达标。" * 6
    (small_issue / "articles" / "long.md").write_text(
        "---\nheadline: 一篇很长的稿件\n---\n\n"
        + "\n\n".join(f"第{i}段。{paragraph}" for i in range(1, 56)) + "\n",
        encoding="utf-8")
    jump_to = ", jump_to: 2" if jump else ""
    (small_issue / "issue.yaml").write_text(
        "paper: 测试日报\npublisher: 测试社\ndate: 2026-01-02\nnumber: 1\nslug: small\n"
        "pages:\n  - number: 1\n    section: 要闻\n    articles:\n"
        f"      - {{id: long{jump_to}}}\n      - {{id: story}}\n"
        "  - number: 2\n    section: 综合\n    articles:\n      - {id: other, column: 1, span: 8}\n"
        "  - number: 3\n    section: 综合\n    articles:\n      - {id: third, column: 1, span: 8}\n",
        encoding="utf-8")
    for name, number in (("other", "二"), ("third", "三")):
        (small_issue / "articles" / f"{name}.md").write_text(
            f"---\nheadline: 第{number}版稿件\n---\n\n第{number}版的正文。\n", encoding="utf-8")
    return small_issue


def test_too_long_without_jump_names_article_and_lines(small_issue, tmp_path, cache):
    with pytest.raises(TypesetError) as error:
        build(long_issue(small_issue, jump=False), tmp_path / "out", formats=("pdf",))
    assert error.value.article == "long"
    assert "body lines past the foot" in str(error.value)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("jobs", [1, 2])
def test_jump_continues_on_the_named_page(small_issue, tmp_path, cache, jobs):
    """On two jobs, pages 1 and 3 are set in two processes, and page 2 waits for page 1,
    which sends it the continuation."""
    folder = long_issue(small_issue, jump=True)
    pdf = build(folder, tmp_path / "out", formats=("pdf",), jobs=jobs).paths[0]
    first, second, _ = (squeeze(t) for t in pdf_pages_text(pdf))
    assert "（下转第2版）" in first and "（上接第1版）" in second
    assert "一篇很长的稿件" in second  # the headline repeated over the continuation
    body = (folder / "articles" / "long.md").read_text(encoding="utf-8").split("---")[2]
    wanted = collections.Counter(squeeze(body))
    found = collections.Counter(first + second)
    assert not wanted - found  # every character of the article is printed
