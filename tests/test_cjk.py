"""The CJK text stage (cjk-rules.md IDs in test names)."""

from __future__ import annotations

from typeset import SAMPLE_ISSUE, cjk
from typeset.readers import read


def test_q1_straight_quotes_become_mainland_quotes():
    assert cjk.normalise_quotes('他说"好"。') == "他说“好”。"
    assert cjk.normalise_quotes("\"外'内'外\"") == "“外‘内’外”"
    assert cjk.normalise_quotes("don't") == "don't"


def test_kin1_word_joiner_keeps_marks_off_line_start():
    prepared = cjk.prepare_text("阿依古丽·买买提说——好～")
    assert prepared == "阿依古丽\u2060·买买提说\u2060——好\u2060～"
    assert cjk.visible(prepared) == "阿依古丽·买买提说——好～"


def test_equivalent_marks_are_normalised():
    assert cjk.prepare_text("等等⋯⋯") == "等等……"


def test_apply_leaves_ids_and_paths_alone():
    issue = read(SAMPLE_ISSUE).issue
    prepared = cjk.apply(issue)
    assert [a.id for a in prepared.articles] == [a.id for a in issue.articles]
    assert [f.image for a in prepared.articles for f in a.figures] == \
        [f.image for a in issue.articles for f in a.figures]
    assert prepared.pages == issue.pages


def test_q1_quotes_pair_across_bold_spans():
    from typeset.model import Issue
    issue = read(SAMPLE_ISSUE).issue
    data = issue.model_dump()
    data["articles"][0]["body"][0]["spans"] = [
        {"text": '他说"', "strong": False, "emphasis": False},
        {"text": "好", "strong": True, "emphasis": False},
        {"text": '"。the 1990\'s', "strong": False, "emphasis": False}]
    spans = cjk.apply(Issue.model_validate(data)).articles[0].body[0].spans
    assert [s.text for s in spans] == ["他说\u200b“", "好", "”。the 1990's"]
