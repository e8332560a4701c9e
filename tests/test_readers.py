"""Readers: Markdown bodies, front matter, and the JSON round trip."""

from __future__ import annotations

import pytest

from typeset import SAMPLE_ISSUE
from typeset.errors import TypesetError
from typeset.model import Paragraph, Subhead
from typeset.readers import read
from typeset.readers.jsonfile import dump_json
from typeset.readers.markdown import parse_body


def test_body_blocks():
    blocks, figures = parse_body(
        "第一段第一行\n第一段第二行。\n\n## 党旗领航 服务暖心\n\n**系统谋划抓推动。**正文**加粗**和*强调*。\n\n"
        "> 引文一句。\n\n![图片说明](images/a.jpg \"张三摄\")\n")
    assert blocks[0] == {"type": "paragraph", "spans": [
        {"text": "第一段第一行第一段第二行。", "strong": False, "emphasis": False}]}
    assert blocks[1] == {"type": "subhead", "text": "党旗领航 服务暖心"}
    assert blocks[2]["run_in"] == "系统谋划抓推动。"
    assert [(s["text"], s["strong"], s["emphasis"]) for s in blocks[2]["spans"]] == [
        ("正文", False, False), ("加粗", True, False), ("和", False, False),
        ("强调", False, True), ("。", False, False)]
    assert blocks[3]["type"] == "quote"
    assert figures == [{"image": "images/a.jpg", "caption": "图片说明", "credit": "张三摄"}]


def test_subheads_and_run_in_heads_keep_all_their_text():
    blocks, _ = parse_body("## 一、`AI` 与未来\n\n**小标\\*题。**正文\n")
    assert blocks[0]["text"] == "一、AI 与未来"
    assert blocks[1]["run_in"] == "小标*题。"


@pytest.mark.parametrize("markdown, what", [
    ("- 列表项\n", "a list"), ("# 大标题\n", "heading #"), ("<div>x</div>\n", "raw HTML"),
    ("正文![图](a.jpg)正文\n", "image inside text")])
def test_unsupported_markdown_is_refused(markdown, what):
    with pytest.raises(TypesetError, match=what):
        parse_body(markdown)


def test_sample_model():
    issue = read(SAMPLE_ISSUE).issue
    assert [len(page.articles) for page in issue.pages] == [5, 5, 8]
    assert [c.role for c in issue.pages[1].credits] == ["编辑", "版式", "审校"]
    by_id = {a.id: a for a in issue.articles}
    feature = by_id["feature-courtyard"]
    assert sum(isinstance(b, Subhead) for b in feature.body) == 3
    assert all(" " in b.text for b in feature.body if isinstance(b, Subhead))
    for brief in ("brief-training", "brief-lecture"):
        article = by_id[brief]
        assert article.kicker and len(article.headline_lines) == 2
        assert article.dateline.startswith("本报讯") and len(article.figures) == 1
    assert by_id["brief-training"].figures[0].credit.endswith("摄")
    assert by_id["brief-lecture"].figures[0].credit.startswith("图片由")
    assert "·" in by_id["brief-lecture"].dateline
    commentary = by_id["commentary-listen"]
    assert commentary.kind == "commentary" and commentary.column_label and commentary.source
    cooperative = by_id["feature-cooperative"]
    assert sum(isinstance(b, Paragraph) and bool(b.run_in) for b in cooperative.body) >= 3


def test_json_round_trip(issue_copy):
    source = read(issue_copy)
    target = issue_copy / "issue.json"  # images resolve against the JSON file's folder
    target.write_text(dump_json(source.issue), encoding="utf-8")
    again = read(target)
    assert again.issue == source.issue
    assert dump_json(again.issue) == dump_json(source.issue)


def test_bold_beside_chinese_quotes_is_bold_not_asterisks():
    """CommonMark's flanking rule wants a space before ** followed by punctuation;
    Chinese has none (typeset.readers.emphasis)."""
    blocks, _ = parse_body("要坚持**“三个不变”**原则，提出“**六个一**”工作法。\n\n"
                           "中间*“强调”*的字，a*b*c 与 foo__bar__ 照旧。\n")
    spans = [(s["text"], s["strong"], s["emphasis"]) for b in blocks for s in b["spans"]]
    assert spans == [("要坚持", False, False), ("“三个不变”", True, False),
                     ("原则，提出“", False, False), ("六个一", True, False),
                     ("”工作法。", False, False), ("中间", False, False),
                     ("“强调”", False, True), ("的字，a", False, False), ("b", False, True),
                     ("c 与 foo__bar__ 照旧。", False, False)]
    assert "*" not in "".join(text for text, _, _ in spans[:5])
