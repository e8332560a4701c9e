"""``typeset check`` on display type (display-type.md): HEAD-1, HEAD-3, HEAD-6, HEAD-7 and
FIT-1, by ID, with exit 1; and JUS-1 measured on the glyphs.

Synthetic pages, rendered from HTML written here with breaks forced by ``<br/>``, carry
each defect on purpose, so the tests hold whatever the display stage sets: a module
is an absolutely placed box with an id and an ``<id>--end`` mark (named destinations,
as the print template makes them), faces as the broadsheet style sets them. The sample,
the seed page and the stress set are checked for what is right on them today.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from typeset import FONTS_DIR, STYLES_DIR, weasy
from typeset.check import check
from typeset.html import HtmlDocument
from typeset.model import Issue

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "corpus" / "seed-page.txt"
#: Body copy of whole 13-character lines: every line on the grid, flush, nothing to adjust.
BODY = "县里今年改造供热管网共计四十六公里全县居民温暖过冬" * 6 + "。"

FACES = [("TS Song", 400, "NotoSerifCJKsc-Regular.otf"), ("TS Hei", 700, "NotoSansCJKsc-Bold.otf"),
         ("TS Hei", 900, "NotoSansCJKsc-Black.otf"), ("TS Kai", 400, "YuquanKai-Regular.ttf")]
CSS = "".join(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
              f'src: url({FONTS_DIR.as_uri()}/{file}); }}\n'
              for family, weight, file in FACES) + """
@page { size: 1100pt 900pt; margin: 20pt; }
html { font: 9pt/13.5pt "TS Song"; }
p, h1, h2, figure { margin: 0; }
.module { position: absolute; }
.body { width: 117pt; }
.end { position: absolute; right: 0; bottom: 0; }
.headline { font-family: "TS Hei"; font-weight: 900; font-size: 18pt; line-height: 27pt;
            bookmark-level: 2; bookmark-label: attr(data-title); }
.deck { font-weight: 700; font-size: 12pt; line-height: 27pt; }
.subhead { font-family: "TS Hei"; font-weight: 700; font-size: 9pt; line-height: 27pt;
           text-align: center; bookmark-level: none; }
.body p { text-align: justify; text-indent: 2em; }
figure { width: 117pt; }
figcaption { font-family: "TS Kai"; font-size: 8.5pt; text-align: justify; }
.credit { display: block; text-align: right; }
.latin { white-space: nowrap; }
"""


def module(ident: str, left: float, top: float, height: float, content: str,
           width: float = 243) -> str:
    """A module two 13-character columns wide (its body in one of them)."""
    return (f'<div class="module" id="{ident}" style="left: {left}pt; top: {top}pt; '
            f'height: {height}pt; width: {width}pt">{content}'
            f'<span class="end" id="{ident}--end"></span></div>')


def headline(lines: list[str], title: str) -> str:
    return f'<h1 class="headline" data-title="{title}">{"<br/>".join(lines)}</h1>'


def body(*paragraphs: str, subhead: str = "") -> str:
    """One column of body text, with a subhead after its paragraphs."""
    return ('<div class="body">' + "".join(f"<p>{p}</p>" for p in paragraphs)
            + (f'<h2 class="subhead">{subhead}</h2>' if subhead else "") + "</div>")


def render(tmp_path: Path, modules: list[str], name: str = "page.pdf") -> Path:
    html = f'<html lang="zh-CN"><body>{"".join(modules)}</body></html>'
    path = tmp_path / name
    path.write_bytes(weasy.render_pdf(HtmlDocument(html, tmp_path, CSS, tmp_path,
                                                   [tmp_path, FONTS_DIR, STYLES_DIR])))
    return path


def issue(**fields) -> Issue:
    """A one-article issue holding the display texts as written."""
    article = {"id": "a", "headline": "标题", **fields}
    return Issue.model_validate({
        "paper": "榆泉日报", "publisher": "中共榆泉县委", "date": dt.date(2026, 11, 27),
        "number": 1, "slug": "t", "pages": [{"number": 1, "section": "要闻",
                                             "articles": [{"id": "a"}]}],
        "articles": [article]})


def run_check(pdf: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "typeset", "check", str(pdf), *options],
                          capture_output=True, text=True, cwd=ROOT)


def offenders(report, rule: str) -> str:
    return "\n".join(report.violations.get(rule, []))


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    """A page that meets every rule: headlines broken at their spaces and balanced, a
    subhead with its lines, a caption and credit as the desk sets them."""
    tmp = tmp_path_factory.mktemp("clean")
    return render(tmp, [
        module("lead", 0, 0, 600, headline(["全县农村公路养护", "提质增效见实效"],
                                           "全县农村公路养护 提质增效见实效")
               + '<p class="deck">日均服务群众3000人次<br/>线上办理率超过九成</p>'
               + body(BODY, BODY)),
        module("second", 504, 0, 600, headline(["让“小积分”", "撬动“大治理”"],
                                               "让“小积分” 撬动“大治理”")
               + body(BODY, subhead="积分兑换 邻里守望") + body(BODY)),
        module("photo", 756, 0, 600, '<figure><figcaption>'
               '<span class="caption">维修人员在换热站检查设备运行情况良好</span>'
               '<span class="credit">本报记者 陈立新 摄</span></figcaption></figure>'
               + body(BODY, BODY)),
    ])


def test_clean_page_reports_nothing_and_exits_0(clean):
    report = check(clean, issue(deck="日均服务群众3000人次 线上办理率超过九成"))
    assert report.display_blocks == 4 and report.display_breaks == 3
    assert report.subheads == 1 and report.captions == 1 and report.modules == 3
    assert report.violations == {}, report.summary()
    assert report.unjudged_breaks == []
    result = run_check(clean)
    assert result.returncode == 0, result.stdout
    assert "HEAD-1 breaks         0" in result.stdout


def test_head1_breaks_inside_a_han_run_a_quotation_a_number_a_latin_word(tmp_path):
    pdf = render(tmp_path, [
        module("han", 0, 0, 600, headline(["全县农村公路养护提质", "增效见实效"],
                                          "全县农村公路养护 提质增效见实效") + body(BODY)),
        module("quote", 252, 0, 600, headline(["让“小积", "分”撬动“大治理”"],
                                              "让“小积分”撬动“大治理”") + body(BODY)),
        module("number", 504, 0, 600, headline(["招聘会提供岗位1700", "余个"],
                                               "招聘会提供岗位1700余个") + body(BODY)),
        module("latin", 756, 0, 600, headline(["全县推广Wi", "Fi热点"], "全县推广WiFi热点")
               + body(BODY)),
    ])
    report = check(pdf)
    found = offenders(report, "HEAD-1")
    assert "全县农村公路养护提质 / 增效见实效 (breaks a run 质|增" in found
    assert "让“小积 / 分”撬动“大治理” (breaks inside “…”)" in found
    assert "岗位1700 / 余个 (breaks a number from its unit" in found
    assert "全县推广Wi / Fi热点 (breaks the word or number i|F)" in found
    assert report.count("HEAD-1") == 4
    result = run_check(pdf)
    assert result.returncode == 1
    assert "HEAD-1 breaks         4 not at a phrase boundary" in result.stdout
    assert "HEAD-1: p1: 让“小积 / 分”撬动“大治理”" in result.stdout


def test_head1_without_a_source_leaves_han_breaks_unjudged(tmp_path):
    """A deck has no bookmark: without the issue a break between Han characters cannot
    be told from a break at a space, so it is listed, not failed; with the issue it is
    judged, and a break at the source's space passes."""
    pdf = render(tmp_path, [
        module("a", 0, 0, 600, headline(["标题"], "标题")
               + '<p class="deck">日均服务群众3000人次线<br/>上办理率超过九成</p>' + body(BODY)),
        module("b", 252, 0, 600, '<p class="deck">线上办理率<br/>超过九成</p>' + body(BODY))])
    report = check(pdf)
    assert report.count("HEAD-1") == 0
    assert len(report.unjudged_breaks) == 2
    judged = check(pdf, issue(deck="日均服务群众3000人次 线上办理率超过九成"))
    assert "breaks a run 线|上 where the source has no space" in offenders(judged, "HEAD-1")
    assert len(judged.unjudged_breaks) == 1  # the second deck is not in that issue
    result = run_check(pdf)
    assert result.returncode == 0 and "not judged (no source spaces: give --issue)" \
        in result.stdout


def test_head1_reads_the_display_texts_from_the_layout_report(tmp_path):
    """A layout report beside the PDF that records each module's display texts gives
    the check its source, as ``--issue`` does."""
    pdf = render(tmp_path, [module("a", 0, 0, 600, '<p class="deck">日均服务群众3000人次线<br/>'
                                   '上办理率超过九成</p>' + body(BODY))], "t.pdf")
    assert len(check(pdf).unjudged_breaks) == 1
    (tmp_path / "t.layout.json").write_text(json.dumps([{
        "page": 1, "article": "a", "display": [["deck", "日均服务群众3000人次 线上办理率超过九成"]]}]))
    report = check(pdf)
    assert report.unjudged_breaks == [] and report.count("HEAD-1") == 1


def test_head3_a_stub_line_is_reported(tmp_path):
    pdf = render(tmp_path, [module("a", 0, 0, 600, headline(["标题"], "标题")
                                   + '<p class="deck">日均服务群众3000人次线上办理率超过九<br/>成</p>'
                                   + body(BODY))])
    report = check(pdf, issue(deck="日均服务群众3000人次 线上办理率超过九成"))
    assert "超过九 / 成 (shortest line 1 of longest 18)" in offenders(report, "HEAD-3")
    assert run_check(pdf).returncode == 1


def test_head3_counts_within_the_editors_own_lines(tmp_path):
    """HEAD-5: a hand break splits the block; a short line the editor asked for stands."""
    pdf = render(tmp_path, [module("a", 0, 0, 600, headline(["榆泉县", "四万七千农村群众喝上放心水"],
                                                            "榆泉县 四万七千农村群众喝上放心水")
                                   + body(BODY))])
    assert check(pdf).count("HEAD-3") == 1
    assert check(pdf, issue(headline="榆泉县\n四万七千农村群众喝上放心水")).count("HEAD-3") == 0


def test_head6_subhead_at_the_foot_of_a_column(tmp_path):
    """Two columns of one body: the first ends with the subhead, its text opens the
    second; and a subhead with a single line under it before the column ends."""
    pdf = render(tmp_path, [
        module("a", 0, 0, 600, body(BODY, subhead="支部搭台 议事有了主心骨")),
        module("b", 252, 0, 600, body(BODY)),
        module("c", 504, 0, 600, body(BODY[:26] + "。", subhead="清单管理 难题有人接")
               + body("群众难题有人接")),
        module("d", 756, 0, 600, body(BODY)),
    ])
    report = check(pdf)
    found = offenders(report, "HEAD-6")
    assert "支部搭台议事有了主心骨 (at the foot of a column)" in found
    assert "清单管理难题有人接 (one line after it in its column)" in found
    assert report.subheads == 2
    assert run_check(pdf).returncode == 1


def test_head7_one_character_last_line_and_a_split_credit(tmp_path):
    figure = ('<figure><figcaption><span class="caption">{}</span><span class="credit">{}'
              '</span></figcaption></figure>')
    pdf = render(tmp_path, [
        module("a", 0, 0, 600, figure.format("维修人员在换热站检查设备<br/>况。",
                                             "本报记者 陈立新 摄") + body(BODY)),
        module("b", 252, 0, 600, figure.format("维修人员在换热站检查", "本报记者 陈立<br/>新 摄")
               + body(BODY)),
    ])
    found = offenders(check(pdf, issue(figures=[
        {"image": "x.jpg", "caption": "维修人员在换热站检查", "credit": "本报记者 陈立新 摄"}])),
        "HEAD-7")
    assert "检查设备 / 况。 / 本报记者陈立新摄 (caption's last line 况。)" in found
    assert "本报记者陈立 / 新摄 (credit split across lines)" in found
    assert run_check(pdf).returncode == 1


def test_fit1_a_latin_run_out_of_its_module_and_over_the_next(tmp_path):
    url = "https://www.yuquan.gov.cn/heating/notice/2026/winter-service-platform"
    pdf = render(tmp_path, [
        module("a", 0, 0, 600, body(BODY) + f'<p class="latin">见{url}。</p>'),
        module("b", 252, 0, 600, body(BODY, BODY)),
    ])
    report = check(pdf)
    found = offenders(report, "FIT-1")
    assert f"见{url}。 (a: a glyph" in found and "pt outside its module" in found
    assert "(a prints over b)" in found or "(b prints over a)" in found
    result = run_check(pdf)
    assert result.returncode == 1 and "FIT-1: p1:" in result.stdout


def test_jus1_a_stretched_line_whose_last_mark_kept_its_blank_half(tmp_path):
    """The seed page's defect: a line one em short, stretched between its characters
    (here by letter spacing) with its 。 still full-width, so its ink stops half an em
    before the edge; the line after it continues the paragraph."""
    spread = ('<div class="body"><p style="text-indent: 0; letter-spacing: 0.8182pt; '
              'margin-right: -2pt">总监、服务监督员等职位。</p>'
              f'<p style="text-indent: 0">{BODY[:13]}</p></div>')
    pdf = render(tmp_path, [module("a", 0, 0, 600, spread + body(BODY))])
    report = check(pdf)
    assert report.violations.keys() == {"JUS-1"}
    assert offenders(report, "JUS-1") == ("p1: 总监、服务监督员等职位。 (stretched, its 。 set "
                                          "full-width: the ink stops 4.50 pt short)")
    assert report.flush == report.justified - 1


@pytest.fixture(scope="module")
def sample_report(sample_outputs):
    from typeset import SAMPLE_ISSUE
    from typeset.readers import read
    return check(sample_outputs["pdf"], read(SAMPLE_ISSUE).issue)


def test_sample_what_is_already_right(sample_report):
    """Every module's glyphs in its box, captions and credits as the desk sets them,
    subheads with their lines; every display block of the sample found."""
    assert sample_report.modules == 18 and sample_report.module_glyphs > 15_000
    assert sample_report.count("FIT-1") == 0, offenders(sample_report, "FIT-1")
    assert sample_report.captions == 5 and sample_report.count("HEAD-7") == 0
    assert sample_report.subheads == 7 and sample_report.count("HEAD-6") == 0
    assert sample_report.display_blocks >= 35
    assert sample_report.unjudged_breaks == []


def test_a_proofs_watermark_is_no_module_glyph(proof_pdf):
    """校样, turned across each page over the modules, belongs to none of them."""
    report = check(proof_pdf)
    assert report.modules == 18 and report.count("FIT-1") == 0, offenders(report, "FIT-1")


@pytest.mark.skipif(not SEED.is_file(), reason="the shared corpus is not beside the checkout")
def test_seed_page_what_is_already_right(tmp_path):
    from typeset.build import build
    from typeset.readers import read
    from typeset.readers.plaintext import Options, import_page
    folder = tmp_path / "seed"
    import_page(SEED, folder, Options())
    pdf = build(folder, tmp_path / "out", formats=("pdf",)).paths[0]
    report = check(pdf, read(folder).issue)
    assert report.modules >= 4 and report.count("FIT-1") == 0
    assert report.captions == 2 and report.count("HEAD-7") == 0
    assert report.subheads == 6


def test_stress_set_every_display_block_found(tmp_path):
    """The stress generator's issue builds, and the check finds its display type:
    at least 300 headlines, decks and subheads, set at spans 1-8."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from display_stress import write_issue
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    from typeset.build import build
    from typeset.readers import read
    folder = write_issue(tmp_path / "stress", per_span=4)
    spans = {placement.span for page in read(folder).issue.pages
             for placement in page.articles}
    assert spans == set(range(1, 9))
    pdf = build(folder, tmp_path / "out", formats=("pdf",)).paths[0]
    report = check(pdf, read(folder).issue)
    source = read(folder).issue
    fields = sum(bool(a.kicker) + 1 + bool(a.deck) + bool(a.column_label)
                 + sum(b.type == "subhead" for b in a.body) for a in source.articles)
    assert report.display_blocks == fields
    assert report.modules == 32
    assert write_issue(tmp_path / "full").joinpath("issue.yaml").read_text().count("id: ") == 128
