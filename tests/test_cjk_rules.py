"""Per-line rules on plain strings (rule IDs from cjk-rules.md)."""

from __future__ import annotations

from typeset.cjk import rules


def test_pa1_which_mark_of_a_pair_is_halved():
    assert rules.halt_pairs("好），是") == (1,)  # closing + pause: the closing mark
    assert rules.halt_pairs("好。”是") == (1,)  # stop + closing quote: the stop
    assert rules.halt_pairs("《“好") == (1,)  # two opening marks: the second
    assert rules.halt_pairs("什么？！") == (2, 3)  # W-1: ?! both
    assert rules.halt_pairs("好，是") == ()
    assert rules.halt_pairs("说：\u200b“好") == (1,)  # invisible marks are looked through


def test_jus1_weights():
    weights = rules.justification_weights("中文iPhone16，《好》——……")
    text = "中文iPhone16，《好》——……"
    by_boundary = {text[i] + text[i + 1]: w for i, w in enumerate(weights[:-1])}
    assert by_boundary["中文"] == 1.0
    assert by_boundary["文i"] == 0.5  # Han–Latin: half
    assert by_boundary["Ph"] == 0.0  # inside a Latin word
    assert by_boundary["6，"] == 0.5  # before a closing mark: half
    assert by_boundary["，《"] == 0.0  # between marks: none
    assert by_boundary["——"] == 0.0 and by_boundary["……"] == 0.0  # UNIT-1
    assert weights[-1] == 0.0  # nothing after the last character


def test_quote_breaks_allow_breaks_beside_curly_quotes():
    assert rules.quote_breaks("将“温暖”列入") == "将\u200b“温暖”\u200b列入"
    assert rules.quote_breaks("说：“好”。") == "说：\u200b“好”。"


def test_orp1_last_two_han_characters_are_joined():
    assert rules.last_line_guard("大家都来了。") == "大家都来\u2060了。"
    assert rules.last_line_guard("他说：好，好！”") == "他说：好，\u2060好！”"
    assert rules.last_line_guard("就是\u200b“好”。") == "就是\u2060“好”。"
    assert rules.last_line_guard("好。") == "好。"


def test_pa1_pairs_across_a_dateline_share_one_run():
    assert rules.split_before_mark("本报讯 记者甲报道：", "“大白菜") == \
        ("本报讯 记者甲报道", "：\u200b")  # a line may break before the quote (KIN)
    assert rules.split_before_mark("报道：", "（记者") == ("报道", "：")
    assert rules.split_before_mark("本报讯 记者甲报道：", "今年") == ("本报讯 记者甲报道：", "")


def test_a_jump_never_cuts_where_the_continuation_could_not_start():
    from typeset.layout.jumps import _safe_cut
    text = "他说：“好”，阿依古丽\u2060·买买提——走了。"
    assert text[_safe_cut(text, text.index("，"))] == "“"  # not before ，” nor after “
    assert _safe_cut(text, text.index("好")) == text.index("“")  # not after “
    assert text[_safe_cut(text, text.index("·"))] == "丽"  # not inside the glue
    dash = text.index("——")
    assert _safe_cut(text, dash + 1) == dash - 1  # not inside ——, nor just before it


def test_push_in_never_leaves_a_non_starter_to_open_the_next_line():
    from typeset.weasy.squeeze import _next_unit
    assert _next_unit("好，还有") == "好，"
    assert _next_unit("好)还有") == ""
    assert _next_unit("好5%") == "好"
