"""The display-type stress set of issue 14: an issue folder of headlines, kickers, decks
and subheads built from phrase patterns, set at every span 1–8, with long Latin runs in
one-column bodies and captions with credits.

Run: python benchmarks/display_stress.py OUT_DIR [--seed S]; then ``python -m typeset
build OUT_DIR -o OUT_DIR/out`` and ``python -m typeset check OUT_DIR/out/stress.pdf``
(the layout report beside the PDF gives the check the texts as written). Tests import
:func:`write_issue`.

A desk writes a headline as phrases (词组) separated by spaces; the phrases here are 3–9
Han characters, some holding a quotation (“…”, 《…》), a number with its unit or a Latin
word, some headlines open with a place and a colon (``柳沟镇：``) and some phrases are
joined by a pause mark, so that every boundary HEAD-1 forbids (inside a Han run, a
quotation, a number with its unit, a Latin word) lies somewhere a measure could run
out. As a desk does, the phrases are shorter the narrower the span, and a one-column
head has three at most (a one-column head of four nine-character phrases fits no way,
and the build rightly stops on it: HEAD-4).
Every article is pinned by column and span in rows (:data:`PAGES`), so the layout stage
stacks them at their measured heights. Every article has subheads (set a column wide);
one-column ones carry a URL or Latin word of 20–80 characters in their body (FIT-1),
a wider one in each page's second row a photo whose caption ends in a short tail and a credit (HEAD-7); the
bodies hold quotations, so punctuation pairs and the dateline seam ``：“`` occur (PA-1).
The same seed gives the same folder, byte for byte. All text is generated here from a
small invented vocabulary.
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
         "推进 落实 巩固 成果 温暖 过冬 守护 万家 创新 机制 数字 赋能 标准 规范 质量 效益 "
         "学校 食堂 清雪 公交 线路 医院 老人 助餐 蔬菜 图书 夜读 议事 小麦 越冬 农机 田间 "
         "文化 广场 健身 步道").split()
#: One-character words, so that runs of odd length occur.
SINGLES = "县镇村乡新好快实稳强美暖"
PLACES = ("榆泉县", "柳沟镇", "沙枣河镇", "东泉街道", "北山乡", "白桦岭乡", "杏林社区", "东湖村")
UNITS = ("公里", "万户", "余个", "万元", "吨", "人次", "家", "亩", "所", "%", "兆瓦", "万平方米")
LATIN = ("5G", "APP", "AI", "WiFi", "GDP", "CT", "PM2.5", "ETC", "LED", "VR", "Logo")
#: Fragments of long Latin runs: a URL or a compound word of 20–80 characters.
LATIN_PARTS = ("service", "county", "heating", "network", "public", "portal", "winter",
               "farmland", "irrigation", "library", "transport", "monitor", "data",
               "platform", "yuquan", "notice", "digital", "village")
REPORTERS = "王李张刘陈杨赵周吴郑"

#: Each page: rows of spans across the 8 columns, stacked (every span 1–8 appears).
PAGES = ([[8], [4, 4], [2, 2, 2, 2]], [[7, 1], [6, 2], [5, 3]], [[3, 3, 2], [1] * 8],
         [[8], [1] * 8], [[7, 1], [6, 2]], [[2, 2, 2, 2], [3, 3, 2]], [[1] * 8, [4, 4]],
         [[4, 4], [5, 3]])


def han(rng: random.Random, length: int) -> str:
    """A run of exactly ``length`` Han characters."""
    text = ""
    while len(text) < length:
        text += rng.choice(WORDS) if length - len(text) >= 2 else rng.choice(SINGLES)
    return text


def number(rng: random.Random) -> str:
    return rng.choice([str(rng.randint(2, 9999)), f"{rng.randint(1, 99)}.{rng.randint(1, 9)}",
                       f"{rng.randint(2, 9)}.{rng.randint(1, 9)}万"])


def phrase(rng: random.Random, longest: int) -> str:
    """One phrase of 3 to ``longest`` characters (a number, a Latin word and the marks
    of a quotation count as one): plain, with a quotation (“…” or 《…》), a number with
    its unit or a Latin word."""
    size = rng.randint(3, longest)
    kind = rng.choice(("plain", "plain", "quote", "title", "number", "latin"))
    if kind == "quote" and size >= 4:
        inner = rng.randint(2, min(4, size - 1))
        return han(rng, size - inner) + f"“{han(rng, inner)}”"
    if kind == "title" and size >= 5:
        inner = rng.randint(3, size - 1)
        return han(rng, size - inner) + f"《{han(rng, inner)}》"
    if kind == "number":
        return han(rng, max(2, size - 2)) + number(rng) + rng.choice(UNITS)
    if kind == "latin":
        return han(rng, max(2, size - 2)) + rng.choice(LATIN) + han(rng, 1)
    return han(rng, size)


def display(rng: random.Random, phrases: tuple[int, int], longest: int,
            colon: bool = False) -> str:
    """A display text: phrases separated by spaces, or now and then by a pause mark
    (a desk joins phrases with ，too), after a place and a colon when ``colon``."""
    parts = [phrase(rng, longest) for _ in range(rng.randint(*phrases))]
    text = parts[0]
    for part in parts[1:]:
        text += rng.choice(("，", " ", " ", " ", " ")) + part
    return rng.choice(PLACES) + "：" + text if colon else text


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
    """A sentence of clauses; some end in a number with its unit, some quote someone
    (the marks meet: ：“ …。” and ”，)."""
    parts = [han(rng, rng.randint(4, 12)) for _ in range(rng.randint(2, 4))]
    if rng.random() < 0.4:
        parts[-1] += number(rng) + rng.choice(UNITS)
    if rng.random() < 0.3:
        return han(rng, rng.randint(2, 4)) + "说：“" + "，".join(parts) + "。”"
    if rng.random() < 0.4:
        parts[0] = f"“{parts[0]}”"
    return "，".join(parts) + "。"


def paragraph(rng: random.Random, sentences: int) -> str:
    return "".join(sentence(rng) for _ in range(sentences))


def article(rng: random.Random, span: int, photo: str | None) -> str:
    """The Markdown of one article set at ``span``."""
    longest = 5 if span == 1 else 7 if span == 2 else 9
    front: dict = {"kind": "news"}
    if rng.random() < 0.1:
        front["column_label"] = han(rng, 4)
    front["kicker"] = display(rng, (2, 2), min(longest, 6))
    front["headline"] = display(rng, (2, 3) if span == 1 else (2, 4), longest,
                                colon=rng.random() < 0.25)
    if rng.random() < 0.1 and " " in front["headline"]:  # the editor's own break (HEAD-5)
        front["headline"] = front["headline"].replace(" ", "\n", 1)
    front["deck"] = display(rng, (2, 3), longest)
    front["dateline"] = f"本报讯 记者{rng.choice(REPORTERS)}{rng.choice(SINGLES)}报道："
    if photo:  # two columns wide, beside the body: the module stays short
        tail = han(rng, rng.randint(1, 6))
        front["figures"] = [{"image": photo, "columns": 2,
                             "caption": paragraph(rng, 1)[:-1] + "，" + tail + "。",
                             "credit": rng.choice([f"本报记者 {han(rng, 3)} 摄",
                                                   f"图片由{han(rng, 4)}提供"])}]
    opening = paragraph(rng, 1 if span == 1 else 2)
    blocks = ["“" + opening[:-1] + "。”" if rng.random() < 0.3 else opening]
    for _ in range(4 if span == 1 else 3):  # subheads a column wide, each over a section
        # of two lines at least, as a desk writes one (HEAD-6 keeps them together)
        blocks += [f"## {display(rng, (2, 2), 6)}", paragraph(rng, 2 if span == 1 else 3)]
    if span == 1:  # a Latin run longer than the measure
        blocks.insert(rng.randint(1, len(blocks)), paragraph(rng, 1)[:-1] + "，见"
                      + long_latin(rng) + "。")
    return ("---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n\n"
            + "\n\n".join(blocks) + "\n")


def write_issue(folder: Path, seed: int = 14) -> Path:
    """Write the stress issue into ``folder`` (replaced if present) and return it."""
    rng = random.Random(seed)
    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "articles").mkdir(parents=True)
    (folder / "images").mkdir()
    sample_image = Path(__file__).resolve().parents[1] / "samples/yuquan-daily/images"
    shutil.copy(sample_image / "p3-market.jpg", folder / "images/photo.jpg")
    pages = []
    for number_, rows in enumerate(PAGES, 1):
        entries = []
        for row, spans in enumerate(rows):
            column = 1
            for index, span in enumerate(spans):
                name = f"p{number_}-r{row}-{index}-s{span}"
                photo = "images/photo.jpg" if span >= 3 and index == 0 and row == 1 else None
                (folder / "articles" / f"{name}.md").write_text(
                    article(rng, span, photo), encoding="utf-8")
                entries.append({"id": name, "column": column, "span": span})
                column += span
        pages.append({"number": number_, "section": "测试", "articles": entries})
    issue = {"paper": "榆泉日报", "publisher": "中共榆泉县委", "date": "2026-11-27",
             "number": 6121, "language": "zh-CN", "slug": "stress", "pages": pages}
    (folder / "issue.yaml").write_text(
        "# Generated by benchmarks/display_stress.py: the display-type stress set.\n"
        + yaml.safe_dump(issue, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    folder = write_issue(args.folder, args.seed)
    texts = [path.read_text(encoding="utf-8") for path in (folder / "articles").glob("*.md")]
    counts = {name: sum(text.count(mark) for text in texts) for name, mark in (
        ("headlines", "\nheadline:"), ("kickers", "\nkicker:"), ("decks", "\ndeck:"),
        ("subheads", "\n## "), ("captions", "caption:"), ("long Latin runs", "，见"))}
    print(f"wrote {folder}: {len(texts)} articles, "
          + ", ".join(f"{count} {name}" for name, count in counts.items()))


if __name__ == "__main__":
    main()
