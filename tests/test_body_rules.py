"""Body rules of issue 14, read back from built PDFs (pypdfium2 glyph boxes).

HEAD-6 (a subhead stands with two lines of its text in its column), FIT-1 in bodies (a
Latin run longer than the measure breaks inside itself; every glyph inside its module),
JUS-1 on lines before a number, PA-1 at the dateline seam. Rule IDs from
display-type.md and cjk-rules.md.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import pytest

from typeset import FONTS_DIR, STYLES_DIR, cjk, weasy
from typeset.build import build
from typeset.check import check
from typeset.cjk import rules
from typeset.errors import TypesetError
from typeset.html import HtmlDocument
from typeset.readers import read
from typeset.style import load_style

from layout_readback import glyphs, module_boxes
from readback import Glyph, drawn, pdf_pages_text, squeeze
from readback import glyph_lines as read_lines

SEED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seed-page.txt"
STYLE = load_style()
EM, LINE = STYLE.grid.body_pt, STYLE.grid.line_pt


def glyph_lines(pdf: Path) -> list[list[list[Glyph]]]:
    """Each page's lines of glyphs in content order, placed as drawn (the ActualText of
    loose lines left out, which would make pdfium place characters from the text)."""
    return read_lines(drawn(pdf.read_bytes()))


def text_of(line: list[Glyph]) -> str:
    return "".join(g.char for g in line)


def issue_folder(folder: Path, articles: dict[str, str], placements: list[list[str]]) -> Path:
    """An issue folder: ``articles`` {id: Markdown file}, ``placements`` the article
    lines of each page's ``articles:`` list."""
    (folder / "articles").mkdir(parents=True)
    pages = "".join(f"  - number: {n}\n    section: 要闻\n    articles:\n"
                    + "".join(f"      - {line}\n" for line in lines)
                    for n, lines in enumerate(placements, start=1))
    (folder / "issue.yaml").write_text(
        "paper: 测试日报\npublisher: 测试社\ndate: 2026-01-02\nnumber: 1\nslug: t\n"
        f"pages:\n{pages}", encoding="utf-8")
    for key, text in articles.items():
        (folder / "articles" / f"{key}.md").write_text(text, encoding="utf-8")
    return folder


# HEAD-6 ---------------------------------------------------------------------------------

def head6_violations(pdf: Path, subheads: list[str]) -> tuple[int, list[str]]:
    """(subheads found, offences): each subhead's lines one under the other in one
    column, and the two lines after it in content order under it in the same column."""
    wanted = [squeeze(text) for text in subheads]
    found, offences = 0, []
    for number, lines in enumerate(glyph_lines(pdf), start=1):
        heads = [i for i, line in enumerate(lines)
                 if all("Sans" in g.font and "Bold" in g.font for g in line)
                 and abs(line[0].size - EM) < 0.05
                 and any(squeeze(text_of(line)) in text for text in wanted)]
        groups: list[list[int]] = []
        for index in heads:
            if groups and groups[-1][-1] == index - 1 \
                    and squeeze(text_of(lines[groups[-1][0]])) not in wanted:
                groups[-1].append(index)
            else:
                groups.append([index])
        for group in groups:
            found += 1
            head = [lines[i] for i in group]
            name = f"p{number}: {''.join(text_of(line) for line in head)}"
            centre = (head[-1][0].left + head[-1][-1].right) / 2
            if squeeze(name.split(": ", 1)[1]) not in wanted:
                offences.append(f"{name} is split")
            for above, below in zip(head, head[1:]):
                if not 0 < above[0].baseline - below[0].baseline < 3 * LINE:
                    offences.append(f"{name}: its lines part")
            following = lines[group[-1] + 1:group[-1] + 3]
            base = head[-1][0].baseline
            for line in following:
                inside = line[0].left - 0.5 <= centre <= line[-1].right + 0.5
                if not (inside and 0 < base - line[0].baseline < 4 * LINE):
                    offences.append(f"{name}: text not under it ({text_of(line)})")
                base = line[0].baseline
            if len(following) < 2:
                offences.append(f"{name}: fewer than two lines follow")
    return found, offences


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    if not SEED.is_file():
        pytest.skip(f"the shared corpus is not beside the checkout: {SEED}")
    from typeset.readers.plaintext import Options, import_page
    folder = tmp_path_factory.mktemp("seed") / "issue"
    import_page(SEED, folder, Options())
    pdf = build(folder, folder.parent / "out", formats=("pdf",)).paths[0]
    return read(folder).issue, pdf


def subheads_of(issue) -> list[str]:
    return [cjk.visible(block.text) for article in issue.articles for block in article.body
            if block.type == "subhead"]


def test_head6_seed_page_subheads_stand_with_their_text(seed):
    """The seed page once had two subheads at the foot of a column, their text in the
    next one."""
    issue, pdf = seed
    subheads = subheads_of(issue)
    found, offences = head6_violations(pdf, subheads)
    assert found == len(subheads) >= 6
    assert offences == []


SENTENCES = ["榆泉县今冬集中供热覆盖城区全部小区，热力公司提前完成管网改造。",
             "合作社把分散的土地流转起来，统一种植、统一销售，“抱团”闯市场。",
             "社区组织志愿者挨家挨户走访，登记老人的需求，建立服务台账。",
             "截至11月底，全县已建成村级服务站126个，覆盖率达到98.6%。",
             "下一步，我们将继续完善长效机制，让群众的获得感成色更足。"]
HEADS = ["支部搭台 议事有了主心骨", "聚焦要素保障 释放发展持久动能",
         "党旗领航 让物业“红”起来", "小积分撬动大治理", "多方联动 让民心“暖”起来"]


def generated_article(generator: random.Random, key: str) -> str:
    """Subheads every one to four sentences: column cuts fall next to them often."""
    blocks = []
    for _ in range(generator.randint(5, 8)):
        blocks.append("".join(generator.choice(SENTENCES)
                              for _ in range(generator.randint(1, 4))))
        blocks.append(f"## {generator.choice(HEADS)}")
    blocks.append("".join(generator.choice(SENTENCES) for _ in range(3)))
    return f"---\nheadline: 小标题测试{key}\n---\n\n" + "\n\n".join(blocks) + "\n"


def test_head6_generated_bodies_at_spans_1_to_4(tmp_path):
    """Nine bodies with subheads every few sentences, cut into 1 to 4 columns: at every
    cut, the subhead stands with its text (before the rule, ten of its 59 subheads
    stood at a column's foot or over one line); the layout stage measured what was
    printed (the build checks every module's text ends inside its box)."""
    generator = random.Random(2)
    articles = {f"a{i}": generated_article(generator, str(i)) for i in range(9)}
    spans = [[(1, 2), (3, 3), (6, 3)], [(1, 4), (5, 2), (7, 2)], [(1, 3), (4, 4), (8, 1)]]
    placements, number = [], 0
    for page in spans:
        placements.append([])
        for column, span in page:
            placements[-1].append(f"{{id: a{number}, column: {column}, span: {span}}}")
            number += 1
    folder = issue_folder(tmp_path / "issue", articles, placements)
    pdf = build(folder, tmp_path / "out", formats=("pdf",)).paths[0]
    subheads = subheads_of(read(folder).issue)
    found, offences = head6_violations(pdf, subheads)
    assert found == len(subheads) > 50
    assert offences == []


# FIT-1 in bodies ----------------------------------------------------------------------------

def latin_runs(generator: random.Random) -> list[str]:
    """URLs, e-mail addresses, long words and digit strings of 20–80 characters."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    runs = []
    for length in range(20, 81, 6):
        word = "".join(generator.choice(letters) for _ in range(length))
        runs.append(word)
        url = "https://www." + "/".join(word[i:i + 7] for i in range(0, len(word), 7))
        runs.append(url[:length])
        runs.append((word[:length // 2] + "@" + word[length // 2:] + ".gov.cn")[:length])
        runs.append("".join(generator.choice("0123456789ABCDEFGHIJ") for _ in range(length)))
    return runs


@pytest.fixture(scope="module")
def latin_bodies(tmp_path_factory):
    generator = random.Random(1)
    runs = latin_runs(generator)
    articles, placements = {}, []
    for column in range(1, 9):
        chosen = runs[(column - 1) * 6:(column - 1) * 6 + 6] or runs[:6]
        paragraphs = [f"详情请访问{run}了解办理流程，" + generator.choice(SENTENCES)
                      if i % 2 else f"他们使用{run}系统管理台账。{generator.choice(SENTENCES)}"
                      for i, run in enumerate(chosen)]
        articles[f"c{column}"] = (f"---\nheadline: 长串{column}\n---\n\n"
                                  + "\n\n".join(paragraphs) + "\n")
        placements.append(f"{{id: c{column}, column: {column}, span: 1}}")
    tmp = tmp_path_factory.mktemp("latin")
    folder = issue_folder(tmp / "issue", articles, [placements])
    pdf = build(folder, tmp / "out", formats=("pdf",)).paths[0]
    return read(folder).issue, pdf, runs


#: pt: how far a glyph's ink may miss its module's box (a side bearing at the edge;
#: the hook of a serif f, 0.6 pt past its advance, is kept inside by justifying a
#: line that ends with it to its ink).
INK = 0.25


def test_fit1_every_glyph_inside_its_module(latin_bodies, tmp_path):
    """Eight one-column bodies side by side, each full of runs wider than the column:
    no glyph's ink stands in a gutter or reaches into the next module (the boxes are
    the modules' named destinations, which the layout JSON lists too)."""
    _, pdf, _ = latin_bodies
    boxes = module_boxes(pdf)
    layout = json.loads(pdf.with_name(pdf.stem + ".layout.json").read_text())
    assert len(boxes) == len(layout) == 8
    assert {b.article for b in boxes} == {entry["article"] for entry in layout}
    placed = tmp_path / "drawn.pdf"  # glyphs where they are drawn, not the ActualText's
    placed.write_bytes(drawn(pdf.read_bytes()))
    top, bottom = min(b.top for b in boxes), max(b.bottom for b in boxes)
    outside, inside = [], 0
    for page, left, glyph_top, right, glyph_bottom in glyphs(placed):
        if not top <= (glyph_top + glyph_bottom) / 2 <= bottom:
            continue  # page furniture: running head, credits
        holders = [b for b in boxes if b.page == page and b.left - INK <= left
                   and right <= b.right + INK and b.top - INK <= glyph_top
                   and glyph_bottom <= b.bottom + INK]
        if len(holders) == 1:
            inside += 1
        else:
            outside.append((page, round(left, 1), round(right, 1), round(glyph_top, 1)))
    assert inside > 3000
    assert outside == [], outside


def test_fit1_runs_break_inside_themselves_and_the_text_is_conserved(latin_bodies):
    """Every run comes back whole (no hyphen or other character added), every
    paragraph too, and the lines that hold the runs' pieces are flush (JUS-1)."""
    issue, pdf, runs = latin_bodies
    text = squeeze("".join(pdf_pages_text(pdf)))
    for article in issue.articles:
        for field, copy in article.texts():
            assert squeeze(copy) in text, (article.id, field)
    pieces = [text_of(line) for lines in glyph_lines(pdf) for line in lines]
    cut = [run for run in runs if not any(run in piece for piece in pieces)]
    assert len(cut) > len(runs) / 2  # most runs are wider than a column: they were broken
    report = check(pdf)
    assert report.justified > 100
    assert report.flush == report.justified, report.violations.get("JUS-1")
    assert report.stray_spaces == 0


def test_fit1_text_past_the_right_edge_stops_the_build(tmp_path):
    """What the line breaker cannot bring to the measure (here text kept on one line)
    stops the build with a message naming the article, as text below the box does."""
    css = (f'@font-face {{ font-family: "S"; src: url({FONTS_DIR.as_uri()}/'
           'NotoSerifCJKsc-Regular.otf); } @page { size: 300pt 300pt; margin: 10pt } '
           'body { font: 9pt/13.5pt "S" } .page { position: relative; height: 280pt } '
           '.module { position: absolute; left: 0; width: 117pt }')
    document = ('<html lang="zh-CN"><body><section class="page"><article class="module" '
                'id="story"><p style="white-space: nowrap">访问https://www.example.org/'
                'services/community/index.html了解</p></article></section></body></html>')
    with pytest.raises(TypesetError) as error:
        weasy.render_pdf(HtmlDocument(document, tmp_path, css, tmp_path,
                                      [tmp_path, FONTS_DIR, STYLES_DIR]))
    assert error.value.article == "story" and "right edge" in str(error.value)


# JUS-1 before a number ---------------------------------------------------------------------

def ends_on_the_edge(line: list[Glyph], edge: float) -> bool:
    """JUS-1 on the glyphs: a tight line's last advance ends on the column edge (a mark
    there may be set whole or half-width, PA-2); a stretched line's last mark is set
    half-width, so that its ink, not a blank half, reaches the edge."""
    last = line[-1]
    stretched = any(b.left - a.left > EM + 0.01 for a, b in zip(line, line[1:])
                    if rules.is_han(a.char) and rules.is_han(b.char))
    ends = [last.left + EM / 2] if last.char in rules.RIGHT_BLANK else []
    if not (stretched and ends):
        ends.append(last.left + EM)
    return min(abs(end - edge) for end in ends) <= 0.05


def test_jus1_seed_lines_before_a_number_end_on_the_column_edge(seed):
    """Every line followed in its paragraph by one opening with a number ends on the
    column edge, measured on the glyphs as drawn. Once `总监、服务监督员等职位。` before
    `72家…` and `人管”向“共治理”转变，` before `260个…` were spread with their last mark
    whole, ending half an em short to the eye; now the first pair of lines is
    rearranged by the look-ahead and the second spreads with its comma half-width.
    Extraction reads them without a space."""
    _, pdf = seed
    lines = [line for page in glyph_lines(pdf) for line in page]
    named = {"72家": "职位。", "260个": "转变，"}
    checked = set()
    for index, line in enumerate(lines[:-1]):
        following = lines[index + 1]
        continues = abs(following[0].left - line[0].left) < 0.5  # no indent
        if not (text_of(following)[:1].isdigit() and continues
                and abs(line[0].size - EM) < 0.05):
            continue
        column = [other for other in lines if abs(other[0].left - line[0].left) < 0.5
                  and all(abs(g.size - EM) < 0.05 for g in other)]
        edge = Counter(round(other[-1].left + EM, 2) for other in column
                       if rules.is_han(other[-1].char)).most_common(1)[0][0]
        assert ends_on_the_edge(line, edge), text_of(line)
        checked |= {start for start, end in named.items()
                    if text_of(following).startswith(start) and text_of(line).endswith(end)}
    assert checked == set(named)
    copy = squeeze("".join(pdf_pages_text(pdf)))
    assert "总监、服务监督员等职位。72家" in copy and "人管”向“共治理”转变，260个" in copy
    assert check(pdf).stray_spaces == 0


# PA-1 at the seam -------------------------------------------------------------------------

def uncompressed_pairs(pdf: Path) -> list[str]:
    """Adjacent marks on one line, in any font, whose advance is not half an em."""
    found = []
    for lines in glyph_lines(pdf):
        for line in lines:
            for index, (a, b) in enumerate(zip(line, line[1:])):
                if not rules.halt_pairs(a.char + b.char):
                    continue
                after = line[index + 2].left if index + 2 < len(line) else None
                if abs(b.left - a.left - a.size / 2) > 0.05 * a.size and not (
                        after is not None and abs(after - a.left - 1.5 * a.size) <= 0.05 * a.size):
                    found.append(f"{text_of(line)} ({a.char}{b.char})")
    return found


def seam_pairs(pdf: Path, head: str) -> list[tuple[Glyph, Glyph]]:
    """The colon ending the dateline ``head``… and the body's opening quote, where the
    two share a line."""
    found = []
    for line in (line for page in glyph_lines(pdf) for line in page):
        at = text_of(line).find(head + "：“")
        if at >= 0:
            found.append((line[at + len(head)], line[at + len(head) + 1]))
    return found


def test_pa1_dateline_seam_on_the_sample(sample_outputs):
    """`记者罗静怡报道：` meets `“大白菜…`: the line breaks between the two marks (the
    dateline stays whole, its colon half-width on the column edge, PA-2), as a line may
    break before a quotation mark in any text; every pair that shares a line on the
    sample takes 1.5 em."""
    lines = [line for page in glyph_lines(sample_outputs["pdf"]) for line in page]
    (index,) = [i for i, line in enumerate(lines) if "记者罗静怡报道" in text_of(line)]
    line, following = lines[index], lines[index + 1]
    if text_of(line).endswith("："):
        assert text_of(following).startswith("“大白菜")
        assert abs(line[-1].left + EM / 2 - (following[0].left + 13 * EM)) <= 0.05
    else:
        ((a, b),) = seam_pairs(sample_outputs["pdf"], "记者罗静怡报道")
        assert abs(b.left - a.left - a.size / 2) <= 0.05 * a.size
    assert uncompressed_pairs(sample_outputs["pdf"]) == []


def test_pa1_seams_across_a_change_of_font(tmp_path):
    """A dateline before a plain quote, a run-in head or a bold span that opens with a
    quote, and a plain span ending in a mark before an emphasised one opening with a
    mark: each pair is compressed although its marks come from different elements."""
    articles = {
        "plain": "---\nheadline: 接缝零\ndateline: 本报讯：\n---\n\n"
                 "“小积分”撬动大治理，榆泉县今冬集中供热覆盖城区全部小区。\n",
        "runin": "---\nheadline: 接缝一\ndateline: 本报讯：\n---\n\n"
                 "**“小积分”撬动大治理。**榆泉县今冬集中供热覆盖城区全部小区。\n",
        "bold": "---\nheadline: 接缝二\ndateline: 本报讯：\n---\n\n"
                "**“供暖季”**运行平稳，热力公司提前完成管网改造。\n",
        "kai": "---\nheadline: 接缝三\n---\n\n热力公司提前完成管网改造。*“供暖季”*运行平稳，"
               "榆泉县今冬集中供热覆盖城区全部小区。\n"}
    placements = [[f"{{id: {key}, column: {n * 2 + 1}, span: 2}}"
                   for n, key in enumerate(articles)]]
    folder = issue_folder(tmp_path / "issue", articles, placements)
    pdf = build(folder, tmp_path / "out", formats=("pdf",)).paths[0]
    text = squeeze("".join(pdf_pages_text(pdf)))
    assert "本报讯：“小积分”撬动大治理，" in text and "本报讯：“小积分”撬动大治理。" in text
    assert "本报讯：“供暖季”" in text and "改造。“供暖季”" in text
    seams = seam_pairs(pdf, "本报讯")
    assert len(seams) == 3  # the three datelines share their line with the quote
    for a, b in seams:
        assert abs(b.left - a.left - a.size / 2) <= 0.05 * a.size
    assert any("。“" in item for item in [text_of(line) for page in glyph_lines(pdf)
                                          for line in page])
    assert uncompressed_pairs(pdf) == []
