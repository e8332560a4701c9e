"""Display type (display-type.md HEAD-1…HEAD-5, HEAD-7): the phrase breaker on the
design's examples, and the sample's headlines, kickers, decks and subheads read back
from its PDF."""

from __future__ import annotations

import functools
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from display_readback import caption_blocks, find_blocks, module_spans, page_lines, violations
from typeset import FONTS_DIR, SAMPLE_ISSUE, cjk, readers
from typeset.cjk.display import QUOTE_TIER, Limits, caption_guard, fit, is_stub, phrases
from typeset.cjk.rules import WORD_JOINER
from typeset.errors import TypesetError
from typeset.fonts import advance_em
from typeset.layout import spans
from typeset.layout.display import fitted, kind_of
from typeset.model import Article, Placement
from typeset.style import load_style

HEI = functools.partial(advance_em, FONTS_DIR / "NotoSansCJKsc-Black.otf")


def head() -> Limits:
    """A headline at 20 pt that may not step down."""
    return Limits((20.0,), 0.85, 1.0)


def texts(result):
    return ["".join(line) for line in result.lines]


def test_phrases_break_at_spaces_pauses_and_phrase_ending_quotes():
    """HEAD-1 on the design's examples: a space, a pause mark, a closing quote that
    ends a phrase; never inside a quotation, a number with its unit or a Latin word."""
    assert [p.text for p in phrases("全县农村公路养护 提质增效见实效")] == [
        "全县农村公路养护", "提质增效见实效"]
    assert [p.text for p in phrases("让“小积分”撬动“大治理”")] == ["让“小积分”", "撬动“大治理”"]
    assert [p.text for p in phrases("杏林社区：老年食堂飘出“幸福味道”")] == [
        "杏林社区：", "老年食堂飘出“幸福味道”"]
    assert [p.text for p in phrases("冬季专场招聘会提供岗位1700余个")] == [
        "冬季专场招聘会提供岗位1700余个"]
    assert [p.text for p in phrases("开通5G基站 WiFi覆盖全村")] == ["开通5G基站", "WiFi覆盖全村"]
    # A pause or a space inside a quotation stays in it; a mark never starts a line.
    quoted = phrases("“稳就业，保民生 ”再出发")
    assert [p.text for p in quoted] == ["“稳就业，保民生 ”", "再出发"]
    assert quoted[0].tier == QUOTE_TIER  # a lower-priority boundary (HEAD-4)
    assert [p.text for p in phrases("新《条例》，今起施行")] == ["新《条例》，", "今起施行"]
    # Invisible joiners and breaks the cjk stage put in are not part of the phrases.
    assert phrases(cjk.prepare_text("小院“议事” 议出新气象")) == phrases("小院“议事” 议出新气象")


def test_a_headline_too_wide_breaks_at_its_space_not_in_a_han_run():
    text = "全县农村公路养护 提质增效见实效"
    result = fit(text, 12 * 20.0, head(), HEI)
    assert texts(result) == ["全县农村公路养护", "提质增效见实效"]
    assert result.fits and result.scale == 1.0 and result.size == 20.0
    # Wide enough: one line, the space printed as the phrase gap (two runs).
    wide = fit(text, 17 * 20.0, head(), HEI)
    assert wide.lines == (("全县农村公路养护", "提质增效见实效"),)


def test_a_deck_never_leaves_one_character_alone():
    """HEAD-3: the deck of the design breaks at its space; '成' never stands alone."""
    deck = "日均服务群众3000人次 线上办理率超过九成"
    result = fit(deck, 14 * 12.0, Limits((12.0,), 0.85, 0.5), HEI)
    assert texts(result) == ["日均服务群众3000人次", "线上办理率超过九成"]
    assert is_stub(["一二三四五六七八九十", "成"]) and not is_stub(["一二三四", "一二三四五六七八"])
    # Latin letters and digits count half: 'ABCDEF' weighs 3, 'ABCDE' 2.5.
    assert not is_stub(["一二三四五六七八九", "ABCDEF"])
    assert is_stub(["一二三四五六七八九", "ABCDE"])


def test_fitting_scales_then_steps_the_size_then_takes_a_quote_break():
    """HEAD-4's order, and a kicker shrinks by scale before it wraps."""
    text = "县图书馆“夜读空间”开门迎客"  # 14 em; one quote boundary
    scaled = fit(text, 13 * 20.0, Limits((20.0, 19.0, 18.0), 0.85, 1.0), HEI)
    assert len(scaled.lines) == 1 and scaled.size == 20.0 and 0.85 <= scaled.scale < 1
    smaller = fit(text, 11 * 20.0, Limits((20.0, 19.0, 18.0), 0.85, 1.0), HEI)
    assert len(smaller.lines) == 1 and smaller.size < 20.0 and smaller.fits
    broken = fit(text, 9 * 20.0, Limits((20.0, 19.0, 18.0), 0.85, 1.0), HEI)
    assert texts(broken) == ["县图书馆“夜读空间”", "开门迎客"] and broken.fits
    kicker = fit("抓好冬前田间管理 夯实来年夏粮根基", 16 * 12.0,
                 Limits((12.0,), 0.85, 1.0, wrap_last=True), HEI)
    assert len(kicker.lines) == 1 and kicker.scale < 1 and kicker.fits


def test_hand_breaks_are_kept_and_nothing_fitting_is_reported():
    """HEAD-5: the editor's lines stay; HEAD-4: no break inside a Han run, ever."""
    result = fit("城乡供水\n全线贯通", 30 * 20.0, head(), HEI)
    assert texts(result) == ["城乡供水", "全线贯通"]
    unfit = fit("一二三四五六七八九十一二三四五六七八九十", 8 * 20.0, head(), HEI)
    assert not unfit.fits and texts(unfit) == ["一二三四五六七八九十一二三四五六七八九十"]


def test_a_head_that_fits_no_way_stops_the_build_naming_article_and_field():
    style = load_style()
    article = Article(id="tight", headline="冬季专场招聘会提供就业岗位一千七百余个")
    with pytest.raises(TypesetError) as error:
        fitted(style, article, "headline", article.headline, 1, False, strict=True)
    assert error.value.article == "tight" and error.value.field == "headline"
    assert "HEAD-4" in str(error.value)
    assert not fitted(style, article, "headline", article.headline, 1, False).fits
    assert kind_of(article, "body[3]") == "subhead"


def test_a_caption_keeps_four_characters_on_its_last_line():
    """HEAD-7: the caption's last four characters (and its closing mark) are glued."""
    guarded = caption_guard("11月26日，市民在城西农贸市场选购冬储蔬菜。")
    assert guarded.endswith(WORD_JOINER.join("冬储蔬菜。"))
    assert caption_guard("说明") == "说明"


@pytest.fixture(scope="module")
def sample_issue():
    return cjk.apply(readers.read(Path(SAMPLE_ISSUE)).issue)


def test_sample_display_lines_break_only_at_phrases(sample_outputs, sample_issue):
    """HEAD-1/3/4/5 on the sample's PDF: every headline, kicker, deck, column label and
    subhead found, broken only at phrase boundaries, no stub, size and scale within the
    style's limits and no line wider than its measure."""
    style = load_style()
    pdf = sample_outputs["pdf"]
    blocks, missing = find_blocks(page_lines(pdf), sample_issue)
    assert not missing
    spans = module_spans(pdf.with_suffix(".layout.json"), sample_issue, style)
    articles = {a.id: a for a in sample_issue.articles}
    kinds = {(b.article, b.field): kind_of(articles[b.article], b.field) for b in blocks}
    assert violations(blocks, spans, style, kinds) == []


def test_sample_phrase_spaces_print_as_the_style_gap(sample_outputs, sample_issue):
    """HEAD-2: a space that stays inside a line prints as the style's phrase gap (1 em
    in headlines, ½ em in decks, at the line's size and scale); a space a line breaks
    at is not printed (the line starts and ends on a glyph)."""
    style = load_style()
    blocks, _ = find_blocks(page_lines(sample_outputs["pdf"]), sample_issue)
    articles = {a.id: a for a in sample_issue.articles}
    gaps = 0
    for block in blocks:
        gap_em = getattr(style.display, kind_of(articles[block.article], block.field)).gap_em
        for line in block.lines:
            assert line.text == line.text.strip()
            for gap in line.gaps:
                assert gap == pytest.approx(gap_em * line.size * line.scale, abs=0.05)
                gaps += 1
    assert gaps >= 5


def test_sample_captions_end_with_four_characters_and_credits_whole(sample_outputs,
                                                                     sample_issue):
    """HEAD-7: each caption's last printed line holds ≥ 4 characters; each credit is
    one line of its own, set right."""
    found = caption_blocks(page_lines(sample_outputs["pdf"]),
                           [(f.caption, f.credit) for a in sample_issue.articles
                            for f in a.figures if f.caption])
    assert found and all(lines for _, lines, _ in found)
    for caption, lines, credit in found:
        assert len(lines[-1].text) >= 4, caption
        if credit is not None:  # its own line below the caption, set right
            assert credit.y < lines[-1].y - 1
            assert credit.right >= max(line.right for line in lines) - 0.5
            if len(lines) > 1:  # flush with the caption's full lines
                assert abs(credit.right - lines[0].right) < 0.5


def test_the_planner_never_picks_a_span_the_head_cannot_be_set_at():
    """HEAD-4: a brief whose headline (one phrase, 19 em) fits no fitting at one column
    is not offered one column; a head that fits nowhere keeps every span, so that the
    span chosen reports the field."""
    style = load_style()
    brief = Article(id="b", kind="brief", headline="冬季专场招聘会提供就业岗位一千七百余个")
    offered = spans(brief, Placement(id="b"), False, style)
    assert 1 not in offered and offered == list(range(2, 6))
    hopeless = Article(id="h", kind="brief", headline="冬" * 60)
    assert spans(hopeless, Placement(id="h"), False, style) == list(range(1, 6))


def test_a_pinned_head_that_cannot_fit_stops_the_build(small_issue, tmp_path):
    """The build stops naming article and field (exit 2), and writes nothing."""
    issue_yaml = small_issue / "issue.yaml"
    issue_yaml.write_text(issue_yaml.read_text(encoding="utf-8").replace(
        "{id: story, column: 1, span: 3}", "{id: story, column: 1, span: 1}"), encoding="utf-8")
    story = small_issue / "articles" / "story.md"
    story.write_text(story.read_text(encoding="utf-8").replace(
        "headline: 测试标题", "headline: 冬季专场招聘会提供就业岗位一千七百余个"), encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "typeset", "build", str(small_issue),
                             "-o", str(out)], capture_output=True, text=True)
    assert result.returncode == 2
    assert "article 'story': headline:" in result.stderr and "HEAD-4" in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_epub_headings_reflow_at_phrase_spaces(sample_outputs):
    """The EPUB's headings carry no line of the PDF's fitting: the copy's phrase spaces
    stay as break opportunities, only the editor's breaks are forced, and its stylesheet
    balances them where a reader can."""
    with zipfile.ZipFile(sample_outputs["epub"]) as book:
        css = book.read("EPUB/styles/epub.css").decode("utf-8")
        bus = book.read("EPUB/articles/p3-bus.xhtml").decode("utf-8")
        water = book.read("EPUB/articles/p3-lead-water.xhtml").decode("utf-8")
    assert "text-wrap: balance" in css and "word-break: keep-all" in css
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", bus).group(1)
    assert heading == "两条新公交线路开通 直达县人民医院新院区"
    deck = re.search(r'<p class="deck">(.*?)</p>', water).group(1)
    assert deck.count(" ") == 2 and "<br" not in deck and 'class="line"' not in water
    hand = re.search(r"<h1[^>]*>(.*?)</h1>", water).group(1)
    assert hand.count("<br/>") == 1  # the editor's own line break (HEAD-5)
