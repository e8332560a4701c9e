"""A generated stress set for display type (HEAD-1, HEAD-3, HEAD-4 on the PDF): a few
hundred headlines, kickers, decks and subheads made of phrase patterns — 2–4 phrases of
3–9 Han characters, with quotations, numbers with units, Latin words and a colon head —
set at every span 1–8 and as subheads in one column, built once and read back."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from display_readback import display_texts, find_blocks, module_spans, page_lines, violations
from typeset import cjk, readers
from typeset.build import build
from typeset.layout.display import fitted, kind_of
from typeset.model import Article
from typeset.style import load_style

WORDS = ("乡村 振兴 供水 管网 学校 食堂 服务 群众 冬季 道路 清雪 公交 线路 医院 社区 老人 "
         "助餐 市场 蔬菜 价格 图书 夜读 治理 议事 合作 产业 增收 温暖 安全 工程 全面 推进 提升 "
         "质量 基层 党建 引领 民生 实事 保障 小麦 越冬 供热 改造 农机 田间 文化 广场 健身 步道").split()
CHARS = "县乡村镇新好快实稳强"
UNITS = ("个", "吨", "公里", "万户", "人次", "亩", "所", "家")
LATIN = ("5G", "AI", "APP", "ETC", "WiFi", "Logo", "GDP", "PM2.5")
PLACES = ("榆泉县", "白桦岭乡", "沙枣河镇", "杏林社区", "东湖村")
#: Each page: rows of spans across the 8 columns, stacked (every span 1–8 appears).
PAGES = ([[8], [4, 4], [2, 2, 2, 2]], [[7, 1], [6, 2], [5, 3]], [[3, 3, 2], [1] * 8],
         [[8], [5, 3], [1] * 8], [[7, 1], [4, 4], [6, 2]], [[2, 2, 2, 2], [3, 3, 2]],
         [[1] * 8, [4, 4]])


def han(rng: random.Random, count: int) -> str:
    out = ""
    while len(out) < count:
        out += rng.choice(WORDS) if count - len(out) >= 2 else rng.choice(CHARS)
    return out[:count]


def phrase(rng: random.Random, longest: int) -> str:
    """One phrase: plain, with a quotation, a number with its unit or a Latin word."""
    size = rng.randint(3, longest)
    pattern = rng.choice(("plain", "plain", "quote", "number", "latin"))
    if pattern == "quote" and size >= 4:
        inner = rng.randint(2, min(4, size - 1))
        return han(rng, size - inner) + "“" + han(rng, inner) + "”"
    if pattern == "number":
        number = rng.choice(("1700", "3.2万", "98.6%", "46", "12"))
        return han(rng, max(2, size - 2)) + number + rng.choice(UNITS)
    if pattern == "latin":
        return han(rng, max(2, size - 2)) + rng.choice(LATIN) + han(rng, 1)
    return han(rng, size)


def display_text(rng: random.Random, phrases: tuple[int, int], longest: int,
                 colon: bool = False) -> str:
    parts = [phrase(rng, longest) for _ in range(rng.randint(*phrases))]
    text = rng.choice(" " * 4 + "，").join(parts) if len(parts) > 1 else parts[0]
    text = text.replace("，", rng.choice(("，", " ")))
    return (rng.choice(PLACES) + "：" + text) if colon else text


def article(rng: random.Random, name: str, span: int) -> str:
    longest = 5 if span == 1 else 7 if span == 2 else 9
    head = display_text(rng, (2, 4), longest, colon=rng.random() < 0.25)
    kicker = display_text(rng, (2, 2), min(longest, 6))
    deck = display_text(rng, (2, 3), longest)
    subheads = [display_text(rng, (2, 2), 6) for _ in range(3)]
    body = "\n\n".join(f"## {s}\n\n本报讯{han(rng, 20)}，{han(rng, 30)}。" for s in subheads)
    return (f"---\nkicker: {kicker}\nheadline: {head}\ndeck: {deck}\n---\n\n"
            f"{han(rng, 40)}。\n\n{body}\n")


def stress_issue(folder: Path, seed: int) -> Path:
    """An issue folder of the stress set: PAGES, modules pinned and stacked."""
    rng = random.Random(seed)
    (folder / "articles").mkdir(parents=True)
    pages = []
    for number, rows in enumerate(PAGES, 1):
        entries = []
        for row, spans in enumerate(rows):
            column = 1
            for index, span in enumerate(spans):
                name = f"p{number}-r{row}-{index}-s{span}"
                (folder / "articles" / f"{name}.md").write_text(
                    article(rng, name, span), encoding="utf-8")
                entries.append(f"      - {{id: {name}, column: {column}, span: {span}}}")
                column += span
        pages.append(f"  - number: {number}\n    section: 测试\n    articles:\n"
                     + "\n".join(entries))
    (folder / "issue.yaml").write_text(
        "paper: 压力日报\npublisher: 测试社\ndate: 2026-01-02\nnumber: 1\nslug: stress\n"
        "pages:\n" + "\n".join(pages) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def stress(tmp_path_factory):
    """The stress issue built once: (issue as set, PDF path)."""
    folder = stress_issue(tmp_path_factory.mktemp("stress") / "issue", seed=14)
    issue = cjk.apply(readers.read(folder).issue)
    out = tmp_path_factory.mktemp("stress-out")
    pdf = next(p for p in build(folder, out, formats=("pdf",)).paths if p.suffix == ".pdf")
    return issue, pdf


def test_the_stress_set_is_big_enough_at_every_span(stress):
    issue, _ = stress
    texts = display_texts(issue)
    assert len(texts) >= 300
    spans = {span for a in issue.articles for span in [int(a.id.rsplit("-s", 1)[1])]}
    assert spans == set(range(1, 9))


def test_stress_display_lines_break_only_at_phrases_without_stubs(stress):
    """HEAD-1 and HEAD-3 (with HEAD-4's limits and no line past its measure) on every
    display text of the stress set, read back from its PDF."""
    issue, pdf = stress
    style = load_style()
    blocks, missing = find_blocks(page_lines(pdf), issue)
    assert not missing
    articles = {a.id: a for a in issue.articles}
    kinds = {(b.article, b.field): kind_of(articles[b.article], b.field) for b in blocks}
    spans = module_spans(pdf.with_suffix(".layout.json"), issue, style)
    assert violations(blocks, spans, style, kinds) == []
    # The set exercises the fitting, not only the natural setting.
    assert any(len(b.lines) > 1 for b in blocks)
    assert any(line.scale < 1 for b in blocks for line in b.lines)


def test_stress_fittings_match_the_printed_lines(stress):
    """What the layout stage fitted (the lines the planner's heights count) is what the
    PDF prints: the same lines, at the same size."""
    issue, pdf = stress
    style = load_style()
    blocks, _ = find_blocks(page_lines(pdf), issue)
    articles = {a.id: a for a in issue.articles}
    spans = module_spans(pdf.with_suffix(".layout.json"), issue, style)
    for block in blocks:
        article: Article = articles[block.article]
        span, boxed = spans[block.article]
        planned = fitted(style, article, block.field, block.source, span, boxed)
        assert ["".join(line) for line in planned.lines] == [l.text for l in block.lines]
        assert all(abs(l.size - planned.size) < 0.01 for l in block.lines)
