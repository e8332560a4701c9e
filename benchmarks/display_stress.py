"""The display-type stress set of issue 14: an issue folder of headlines, decks, kickers
and subheads built from phrase patterns, set at every span, with long Latin runs in
one-column bodies.

Run: python benchmarks/display_stress.py OUT_DIR [--per-span N] [--seed S]; then
``python -m typeset build OUT_DIR -o OUT_DIR/out`` and ``python -m typeset check
OUT_DIR/out/display-stress.pdf --issue OUT_DIR``. Tests import :func:`write_issue`.

A desk writes a headline as phrases (词组) separated by spaces; the phrases here are 3–9
Han characters, some holding a quotation (“…”, 《…》), a number with its unit or a Latin
word, and some headlines open with a place and a colon (``柳沟镇：``), so that every
boundary HEAD-1 forbids (inside a Han run, a quotation, a number with its unit, a Latin
word) lies somewhere a measure could run out. Each span 1–8 gets ``per_span`` articles,
pinned by column and span only, so the layout stage stacks them at their measured
heights; span-1 articles carry subheads and a URL or Latin word of 20–80 characters in
their body (FIT-1), and some wider ones a photo whose caption ends in a short tail and a
credit (HEAD-7). The same seed gives the same folder, byte for byte. All text is
generated here from a small invented vocabulary.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

import yaml

#: Two-character words of a county paper's vocabulary, joined into Han runs.
WORDS = ("乡村 振兴 产业 发展 民生 工程 基层 治理 服务 群众 供热 管网 改造 提升 冬季 农田 "
         "水利 建设 社区 物业 文明 实践 教育 医疗 就业 岗位 培训 技能 交通 道路 养护 安全 "
         "生态 保护 绿色 转型 项目 落地 企业 招商 市场 价格 平稳 增收 致富 特色 种植 养殖 "
         "合作 惠民 政策 兑现 党建 引领 先锋 作用 便民 窗口 改革 深化 能力 全面 持续 加快 "
         "推进 落实 巩固 成果 温暖 过冬 守护 万家 创新 机制 数字 赋能 标准 规范 质量 效益").split()
#: One-character words, so that runs of odd length occur.
SINGLES = "县镇村新好实强美稳暖"
PLACES = ("榆泉县", "柳沟镇", "沙枣河镇", "东泉街道", "北山乡", "红柳村", "金川州", "泉水湾社区")
UNITS = ("公里", "万户", "余个", "万元", "吨", "人次", "家", "亩", "台", "%", "兆瓦", "万平方米")
LATIN = ("5G", "APP", "AI", "WiFi", "GDP", "CT", "PM2.5", "ETC", "LED", "VR")
#: Fragments of long Latin runs: a URL or a compound word of 20–80 characters.
LATIN_PARTS = ("service", "county", "heating", "network", "public", "portal", "winter",
               "farmland", "irrigation", "library", "transport", "monitor", "data",
               "platform", "yuquan", "notice", "digital", "village")


def han(rng: random.Random, length: int) -> str:
    """A run of exactly ``length`` Han characters."""
    text = ""
    while len(text) < length:
        text += rng.choice(WORDS) if length - len(text) >= 2 else rng.choice(SINGLES)
    return text


def phrase(rng: random.Random, kind: str) -> str:
    """One phrase of 3–9 Han characters (``kind``: plain, quote, title, number, latin)."""
    if kind == "quote":
        inner = han(rng, rng.randint(2, 4))
        return han(rng, rng.randint(1, 4)) + f"“{inner}”" + han(rng, rng.randint(0, 2))
    if kind == "title":
        return han(rng, rng.randint(1, 2)) + f"《{han(rng, rng.randint(3, 6))}》"
    if kind == "number":
        number = rng.choice([str(rng.randint(2, 9999)),
                             f"{rng.randint(1, 99)}.{rng.randint(1, 9)}"])
        return han(rng, rng.randint(2, 6)) + number + rng.choice(UNITS)
    if kind == "latin":
        return han(rng, rng.randint(2, 5)) + rng.choice(LATIN) + han(rng, rng.randint(1, 3))
    return han(rng, rng.randint(3, 9))


def display(rng: random.Random, low: int = 2, high: int = 4, colon: bool = True) -> str:
    """A display line: 2–4 phrases separated by spaces, the first maybe ``某县：``."""
    kinds = ["plain", "plain", "quote", "title", "number", "latin"]
    phrases = [phrase(rng, rng.choice(kinds)) for _ in range(rng.randint(low, high))]
    if colon and rng.random() < 0.2:
        phrases[0] = rng.choice(PLACES) + "：" + phrases[0]
    if rng.random() < 0.15:  # a desk also joins phrases with a pause mark
        return "，".join(phrases[:2]) + (" " + " ".join(phrases[2:]) if phrases[2:] else "")
    return " ".join(phrases)


def long_latin(rng: random.Random) -> str:
    """A URL or a Latin word of 20–80 characters, with no break opportunity inside."""
    length = rng.randint(20, 80)
    if rng.random() < 0.5:
        text = "https://www." + rng.choice(LATIN_PARTS) + ".gov.cn/"
        while len(text) < length:
            text += rng.choice(LATIN_PARTS) + rng.choice("/-_.")
        return text[:length].rstrip("/-_.")
    text = ""
    while len(text) < length:
        text += rng.choice(LATIN_PARTS).capitalize()
    return text[:length]


def sentence(rng: random.Random) -> str:
    parts = [han(rng, rng.randint(4, 12)) for _ in range(rng.randint(2, 4))]
    if rng.random() < 0.4:
        parts[-1] += f"{rng.randint(2, 2000)}{rng.choice(UNITS)}"
    return "，".join(parts) + "。"


def paragraph(rng: random.Random, sentences: int) -> str:
    return "".join(sentence(rng) for _ in range(sentences))


def article(rng: random.Random, span: int, index: int, photo: str | None) -> tuple[dict, list]:
    """The front matter and body blocks of one article set at ``span``."""
    front: dict = {"kind": "news", "headline": display(rng)}
    if rng.random() < 0.5:
        front["kicker"] = display(rng, 2, 3, colon=False)
    if rng.random() < 0.7:
        front["deck"] = display(rng, 2, 4, colon=False)
    if rng.random() < 0.1:
        front["column_label"] = han(rng, 4)
    if rng.random() < 0.1:  # the editor's own break (HEAD-5)
        front["headline"] = front["headline"].replace(" ", "\n", 1)
    front["dateline"] = f"本报讯 记者{rng.choice('王李张刘陈杨赵周')}{rng.choice(SINGLES)}报道："
    if photo:  # two columns wide, beside the body: the module stays short
        tail = han(rng, rng.randint(1, 6))
        front["figures"] = [{"image": photo, "columns": 2,
                             "caption": paragraph(rng, 1)[:-1] + "，" + tail + "。",
                             "credit": rng.choice([f"本报记者 {han(rng, 3)} 摄",
                                                   f"图片由{han(rng, 4)}提供"])}]
    blocks = [paragraph(rng, rng.randint(2, 3))]
    if span == 1:  # subheads at one column, and a Latin run longer than the measure
        for _ in range(rng.randint(2, 3)):
            blocks += [f"## {display(rng, 2, 2, colon=False)}", paragraph(rng, rng.randint(1, 3))]
        blocks.insert(rng.randint(1, len(blocks)), paragraph(rng, 1)[:-1] + "，见"
                      + long_latin(rng) + "。")
    elif rng.random() < 0.7:
        blocks += [f"## {display(rng, 2, 2, colon=False)}", paragraph(rng, rng.randint(2, 4))]
    return front, blocks


def markdown(front: dict, blocks: list[str]) -> str:
    return ("---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n\n"
            + "\n\n".join(blocks) + "\n")


#: Headline size (pt) and line height (body lines) per span, as the broadsheet sets them.
HEADLINE = {1: (14, 2), 2: (18, 2), 3: (22, 2), 4: (28, 3), 5: (28, 3), 6: (42, 4),
            7: (42, 4), 8: (42, 4)}


def estimate_lines(front: dict, blocks: list[str], span: int) -> int:
    """A generous height in body lines (display lines a third longer than their text,
    for breaks at phrases), so that the stacks stay on their pages."""
    width = span * 117 + (span - 1) * 9
    size, leading = HEADLINE[span]
    lines = 2
    for key, (pt, per) in (("column_label", (10, 2)), ("kicker", (12, 2)),
                           ("headline", (size, leading)), ("deck", (12, 2))):
        if key in front:
            lines += per * (1 + int(len(front[key]) * 1.35 * pt / width))
    if "figures" in front:
        lines += 16
    body = sum(2 if block.startswith("##") else 1 + (len(block) + 2) // 13 for block in blocks)
    return lines + (body + span - 1) // span + 2


def write_issue(folder: Path, per_span: int = 16, seed: int = 14) -> Path:
    """Write the stress issue into ``folder`` (replaced if present) and return it."""
    rng = random.Random(seed)
    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "articles").mkdir(parents=True)
    (folder / "images").mkdir()
    sample_image = Path(__file__).resolve().parents[1] / "samples/yuquan-daily/images"
    shutil.copy(sample_image / "p3-market.jpg", folder / "images/photo.jpg")
    pages, budget = [], 100  # body lines a page holds, less a little for misestimates
    for span in range(1, 9):
        slots = [1 + s * span for s in range(8 // span)]
        heights = dict.fromkeys(slots, budget)  # full: the first article opens a page
        for index in range(per_span):
            photo = "images/photo.jpg" if span >= 2 and index % 3 == 0 else None
            article_id = f"s{span}-{index:02d}"
            front, blocks = article(rng, span, index, photo)
            (folder / "articles" / f"{article_id}.md").write_text(markdown(front, blocks),
                                                                 encoding="utf-8")
            need = estimate_lines(front, blocks, span)
            column = min(slots, key=heights.get)
            if heights[column] + need > budget:
                pages.append({"number": len(pages) + 1, "section": f"跨{span}栏",
                              "articles": []})
                heights = dict.fromkeys(slots, 0)
                column = slots[0]
            pages[-1]["articles"].append({"id": article_id, "column": column, "span": span})
            heights[column] += need + 1
    issue = {"paper": "榆泉日报", "publisher": "中共榆泉县委", "date": "2026-11-27",
             "number": 6121, "language": "zh-CN", "slug": "display-stress", "pages": pages}
    (folder / "issue.yaml").write_text(
        "# Generated by benchmarks/display_stress.py: the display-type stress set.\n"
        + yaml.safe_dump(issue, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--per-span", type=int, default=16)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    folder = write_issue(args.folder, args.per_span, args.seed)
    texts = [path.read_text(encoding="utf-8") for path in (folder / "articles").glob("*.md")]
    counts = {name: sum(text.count(mark) for text in texts) for name, mark in (
        ("headlines", "\nheadline:"), ("kickers", "\nkicker:"), ("decks", "\ndeck:"),
        ("subheads", "\n## "), ("long Latin runs", "，见"))}
    print(f"wrote {folder}: {len(texts)} articles, "
          + ", ".join(f"{count} {name}" for name, count in counts.items()))


if __name__ == "__main__":
    main()
