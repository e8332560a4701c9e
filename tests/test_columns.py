"""Columns set once and cut by arithmetic (typeset.weasy.columns, typeset.layout.balance).

The layout stage knows a module's height at every span from one setting of its body; the
renderer cuts the same flow into the printed columns. These tests hold the two to each
other on the real sample, and the balancing to its rules on flows made up here.
"""

from __future__ import annotations

import io
import itertools
import random
import shutil
from pathlib import Path

import pikepdf
import pytest

from typeset import FONTS_DIR, SAMPLE_ISSUE, STYLES_DIR, cjk, html, pipeline, readers, weasy
from typeset.errors import TypesetError
from typeset.html import HtmlDocument
from typeset.layout.balance import balance
from typeset.weasy import columns
from typeset.style import load_style

from readback import pdf_pages_text, squeeze

LINE = 13.5


def lines(count: int, *, orphans: int = 2, widows: int = 2, start: float = 0.0):
    """A paragraph of ``count`` body lines as atoms."""
    return tuple((start + i * LINE, start + (i + 1) * LINE,
                  i + 1 >= orphans and count - i - 1 >= widows) for i in range(count))


def brute_force(flow, count):
    """Least height over every way to cut ``flow`` into at most ``count`` columns."""
    cuts = [i for i, atom in enumerate(flow[:-1]) if atom[2]]
    best = None
    for k in range(min(count - 1, len(cuts)) + 1):
        for chosen in itertools.combinations(cuts, k):
            starts = [0] + [c + 1 for c in chosen]
            ends = list(chosen) + [len(flow) - 1]
            height = max(flow[e][1] - flow[s][0] for s, e in zip(starts, ends))
            best = height if best is None else min(best, height)
    return best


def test_balanced_height_is_the_least_possible():
    generator = random.Random(7)
    for _ in range(200):
        flow, top = (), 0.0
        for _ in range(generator.randint(1, 5)):
            if generator.random() < 0.2:  # a figure: one atom, unbreakable inside
                height = LINE * generator.randint(3, 9)
                flow += ((top, top + height, True),)
                top += height + LINE / 2
            else:
                paragraph = lines(generator.randint(1, 9), start=top)
                flow += paragraph[:-1] + ((*paragraph[-1][:2], True),)
                top = paragraph[-1][1]
        count = generator.randint(1, 5)
        height, starts = balance(flow, count)
        assert height == pytest.approx(brute_force(flow, count))
        assert len(starts) <= count and starts[0] == 0


def test_orphans_widows_and_keep_with_next_hold():
    # 5 lines in 2 columns would be 3 + 2; with widows 3 the break must leave 3 after.
    height, starts = balance(lines(5, widows=3), 2)
    assert starts == [0, 2] and height == 3 * LINE
    # Nowhere to break: one column.
    assert balance(lines(3), 2) == (3 * LINE, [0])


def flow_heights(issue, root, style, spans):
    """Each module with its body, set on the measuring sheet: the real thing."""
    env = html._environment(style.folder)
    template = env.from_string(
        '{% from "article.html.j2" import module_content %}<html lang="zh-CN"><body class="measuring">'
        '{% for a, span in wanted %}<article class="module measure '
        'kind-{{ a.kind }} span-{{ span }}{{ " boxed" if a.kind in style.boxed_kinds }}" '
        'id="{{ measure_id(a.id, span) }}" style="width: {{ "%.2f" % grid.width_pt(span) }}pt">'
        '{{ module_content(a, span, a.kind in style.boxed_kinds, grid, figure_height, fit=fit) }}'
        '</article>{% endfor %}</body></html>')
    wanted = [(a, s) for a in issue.articles for s in spans]
    document = template.render(
        wanted=wanted, style=style, grid=style.grid, fit=html._fitter(style, strict=False),
        figure_height=lambda f, w: html._figure_height(root, f.image, w, style))
    laid_out = weasy._document(HtmlDocument(
        document, root, html._css(env, style), style.folder, html._roots(root)))
    heights = {}
    for box in weasy._descendants(laid_out.pages[0]._page_box):
        if "measure" in weasy._classes(box) and box.element.get("id") not in heights:
            # Figures beside the body stand out of the flow and may reach lower.
            inside = max(b.position_y + b.margin_height() for b in weasy._descendants(box)
                         if b is not box)
            bottom = max(box.position_y + box.margin_height(), inside + box.padding_bottom
                         + box.border_bottom_width + box.margin_bottom)
            heights[box.element.get("id")] = (bottom - box.position_y) * weasy.PT_PER_PX
    return {(a.id, s): heights[html.measure_id(a.id, s)] for a, s in wanted}


def test_measured_heights_equal_the_set_modules(tmp_path, monkeypatch):
    """Head + balanced flow, for every article of the sample at spans 1–6, is the height
    of the module set whole with its body in columns."""
    monkeypatch.setenv("TYPESET_CACHE_DIR", str(tmp_path))
    style = load_style()
    source = readers.read(Path(SAMPLE_ISSUE))
    issue = cjk.apply(source.issue)
    spans = range(1, 7)
    wanted = [(a, s) for a in issue.articles for s in spans]
    measured = pipeline.measurer(issue, source.root, style)(wanted)
    whole = flow_heights(issue, source.root, style, spans)
    wrong = {k: (measured[k], whole[k]) for k in whole if abs(measured[k] - whole[k]) > 0.01}
    assert not wrong


CSS = (f'@font-face {{ font-family: "S"; src: url({FONTS_DIR.as_uri()}/'
       'NotoSerifCJKsc-Regular.otf); } @page { size: 300pt 300pt; margin: 10pt } '
       'body { font: 9pt/13.5pt "S" } .page { position: relative; height: 280pt } '
       '.module { position: absolute; left: 0; width: 243pt } '
       '.body { column-count: 2; column-gap: 9pt; text-align: justify }')


def test_a_body_taller_than_its_module_is_an_error(tmp_path):
    text = "榆泉县今冬集中供热覆盖城区全部小区。" * 12
    document = (f'<html lang="zh-CN"><body><section class="page"><article class="module" '
                f'id="story" style="height: 54pt"><div class="body"><p>{text}</p></div>'
                '</article></section></body></html>')
    with pytest.raises(TypesetError) as error:
        weasy.render_pdf(HtmlDocument(document, tmp_path, CSS, tmp_path,
                                      [tmp_path, FONTS_DIR, STYLES_DIR]))
    assert error.value.article == "story" and "below its box" in str(error.value)


def test_flows_with_figures_quotes_and_a_box_measure_what_is_set(tmp_path, monkeypatch):
    """An article with everything a flow can hold — a one-column photo in the text, a
    two-column photo beside it, subheads, a quotation, a source line — news and boxed
    commentary, at spans 1–6: the measured height is the height set whole."""
    monkeypatch.setenv("TYPESET_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "issue"
    (folder / "articles").mkdir(parents=True)
    (folder / "images").mkdir()
    for name in ("a.jpg", "b.jpg"):
        shutil.copy(Path(SAMPLE_ISSUE) / "images" / "brief-training.jpg", folder / "images" / name)
    paragraph = "榆泉县今冬集中供热覆盖城区全部小区，热力公司提前完成管网改造，“供暖季”运行平稳。"
    body = (f"{paragraph * 3}\n\n## 支部搭台 议事有了主心骨\n\n{paragraph * 2}\n\n"
            f"> 老百姓夏天忍一忍施工的不便，就是为了冬天不挨冻。\n\n{paragraph * 4}\n")
    for kind in ("news", "commentary"):
        (folder / "articles" / f"{kind}.md").write_text(
            f"---\nheadline: 县城集中供热全覆盖\nkind: {kind}\nfigures:\n"
            "  - {image: images/a.jpg, caption: 换热站内工作人员巡检, columns: 1}\n"
            "  - {image: images/b.jpg, caption: 新建管网, credit: 本报记者摄, columns: 2}\n"
            f"source: 榆泉日报\n---\n\n{body}", encoding="utf-8")
    (folder / "issue.yaml").write_text(
        "paper: 测试日报\npublisher: 测试社\ndate: 2026-01-02\nnumber: 1\nslug: t\n"
        "pages:\n  - number: 1\n    section: 要闻\n    articles:\n"
        "      - {id: news}\n      - {id: commentary}\n", encoding="utf-8")
    style = load_style()
    source = readers.read(folder)
    issue = cjk.apply(source.issue)
    spans = range(1, 7)
    measured = pipeline.measurer(issue, source.root, style)([(a, s) for a in issue.articles
                                                          for s in spans])
    whole = flow_heights(issue, source.root, style, spans)
    assert {k: round(v, 2) for k, v in measured.items()} == \
        {k: round(v, 2) for k, v in whole.items()}


@pytest.mark.parametrize("page_css, settings", [("", 0), (".page { color: #336 }", 1)])
def test_a_page_prints_a_measured_flow_only_under_the_same_inherited_styles(
        tmp_path, monkeypatch, page_css, settings):
    """A flow kept from the measuring sheet is printed as it was set, with the styles it
    inherited there, and the page's HTML is parsed without the body's text; a page that
    gives its bodies another colour is parsed again whole and sets them anew."""
    text = "榆泉县今冬集中供热覆盖城区全部小区。" * 6
    body = f'<div class="body" data-flow="k"%s><!--flow--><p>{text}</p><!--/flow--></div>'
    sheet = ('<html lang="zh-CN"><body><article class="module measure-flow" id="k--flow">'
             + body % ' style="column-count: 1; width: 117pt"' + '</article></body></html>')
    page = ('<html lang="zh-CN"><body><section class="page"><article class="module" id="k" '
            'style="height: 200pt">' + body % "" + '</article></section></body></html>')
    css = CSS + " .measure-flow { position: static } " + page_css
    roots = [tmp_path, FONTS_DIR, STYLES_DIR]
    weasy.measure_heights(HtmlDocument(sheet, tmp_path, css, tmp_path, roots), keep_flows=True)
    calls, parsed = [], []
    original, emptied = columns._set, columns.without_kept
    monkeypatch.setattr(columns, "_set", lambda *args: calls.append(1) or original(*args))
    monkeypatch.setattr(columns, "without_kept", lambda html: parsed.append(emptied(html))
                        or parsed[-1])
    try:
        pdf = weasy.render_pdf(HtmlDocument(page, tmp_path, css, tmp_path, roots))
    finally:
        weasy.forget_flows()
    assert len(calls) == settings
    assert text not in parsed[0]
    (tmp_path / "page.pdf").write_bytes(pdf)
    assert squeeze("".join(pdf_pages_text(tmp_path / "page.pdf"))).count("榆泉县") == 6
    colour = b"0.2 0.2 0.4 rg" in b"".join(
        p.Contents.read_bytes() for p in pikepdf.open(io.BytesIO(pdf)).pages)
    assert colour == bool(page_css)


def render_body(tmp_path, body_css: str, body_html: str):
    """A two-column body on a page; returns its column boxes (WeasyPrint layout)."""
    css = CSS.replace(".body { column-count: 2;", f".body {{ {body_css} column-count: 2;")
    document = (f'<html lang="zh-CN"><body><section class="page"><article class="module" '
                f'id="story"><div class="body">{body_html}</div></article></section>'
                '</body></html>')
    rendered = weasy._document(HtmlDocument(document, tmp_path, css, tmp_path,
                                            [tmp_path, FONTS_DIR, STYLES_DIR]))
    page = rendered.pages[0]._page_box
    bodies = [b for b in weasy._descendants(page)
              if b.element_tag == "div" and getattr(b, "element", None) is not None
              and "body" in (b.element.get("class") or "").split()]
    return bodies[0], [c for c in bodies[0].children if getattr(c, "is_column", False)]


def test_a_column_holds_the_border_and_padding_of_the_block_it_starts_with(tmp_path):
    text = "榆泉县今冬集中供热覆盖城区全部小区。" * 4
    # The quotation's lines may not be parted, so the second column starts with it.
    body, columns = render_body(
        tmp_path, "", f'<p>{text}</p><blockquote style="border: 3pt solid; padding: 6pt">'
                      f'<p style="orphans: 99; widows: 99">{text}</p></blockquote>')
    top = body.content_box_y()
    quote = columns[1].children[0]
    assert quote.element_tag == "blockquote" and quote.border_top_width > 0
    for column in columns:
        for child in column.children:
            assert child.border_box_y() >= top - 0.01  # nothing drawn above the column


def test_a_float_in_a_line_is_left_to_weasyprint(tmp_path):
    text = "榆泉县今冬集中供热覆盖城区全部小区。" * 4
    body, _ = render_body(tmp_path, "", f'<p>{text}<span style="float: left">浮</span>{text}</p>')
    assert not hasattr(body, "typeset_flow")  # stock multi-column code set it


def test_the_column_layout_is_installed_and_refuses_another_weasyprint(monkeypatch):
    from weasyprint.layout import block

    from typeset.weasy import columns
    assert block.columns_layout is columns.columns_layout
    monkeypatch.setattr(columns.weasyprint, "__version__", "71.0")
    with pytest.raises(RuntimeError, match="written for WeasyPrint 70.0"):
        columns.install()
