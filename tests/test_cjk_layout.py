"""The Chinese typography engine, measured on PDFs (rule IDs from cjk-rules.md).

Stress paragraphs at narrow measures exercise every rule; the sample issue must meet
them all. Everything is read back from glyph positions with :mod:`typeset.check`.
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import weasyprint

from typeset import FONTS_DIR, SAMPLE_ISSUE, STYLES_DIR, cjk, weasy
from typeset.check import check
from typeset.cjk import rules
from typeset.html import HtmlDocument
from typeset.readers import read
from typeset.style import load_style
from typeset.weasy import cjk_patch

from readback import baseline_phases, missing_texts, pdf_pages_text, spaced_body_lines

#: Every kind of trouble: pairs of marks, names with ·, numbers, Latin words, units.
STRESS = [
    "他说：“今年的收成不错。”大家都笑了（真的），我们也很高兴。",
    "《人民日报》《光明日报》和〈参考消息〉都报道了这件事；“你来了？”她问。",
    "阿依古丽·买买提和努尔兰·哈力克——两位村干部——走访了12户人家……",
    "全县共有Wi-Fi热点360个，5G基站覆盖率达98.6%，比去年提高了4.1个百分点。",
    "“为什么？！”“因为……”话还没说完，他就走了。（完）他说：“好，好！”",
    "每年8月到11月，合作社雇用200多名工人；53岁的村民李桂芝说：“离家近，还能照顾老人孩子。”",
]
MEASURES = [5, 8, 13, 20]


def stress_pdf(tmp_path: Path, measures=MEASURES,
               font: str = "NotoSerifCJKsc-Regular.otf") -> Path:
    paragraphs = [rules.last_line_guard(cjk.prepare_text(text)) for text in STRESS]
    columns = "".join(  # side by side, one column per measure
        f'<div style="width: {m * 9}pt; flex: none">'
        + "".join(f"<p>{p}</p>" for p in paragraphs) + "</div>" for m in measures)
    html = f'<html lang="zh-CN"><body>{columns}</body></html>'
    css = (f'@font-face {{ font-family: "TS Song"; src: url({FONTS_DIR.as_uri()}/'
           f'{font}); }} @page {{ size: 600pt 1600pt; margin: 20pt }} '
           'body { display: flex; gap: 18pt; font: 9pt/13.5pt "TS Song"; '
           'text-align: justify } p { margin: 0; text-indent: 2em }')
    path = tmp_path / "stress.pdf"
    path.write_bytes(weasy.render_pdf(HtmlDocument(html, tmp_path, css, tmp_path,
                                                   [tmp_path, FONTS_DIR, STYLES_DIR])))
    return path


@pytest.fixture(scope="module")
def stress(tmp_path_factory):
    return check(stress_pdf(tmp_path_factory.mktemp("stress")))


def test_patch_is_installed_on_the_pinned_weasyprint():
    assert weasyprint.__version__ == cjk_patch.WEASYPRINT_VERSION
    assert cjk_patch.STATE.installed


def test_jus1_every_non_final_line_is_flush(stress):
    assert stress.justified > 40
    assert stress.violations.get("JUS-1", []) == []
    assert stress.flush == stress.justified


def test_kin1_kin2_unit1_no_forbidden_line_edges(stress):
    for rule in ("KIN-1", "KIN-2", "UNIT-1"):
        assert stress.violations.get(rule, []) == [], rule


def test_pa1_adjacent_marks_are_compressed(stress):
    assert stress.pairs >= 20
    assert stress.pairs_compressed == stress.pairs


def test_kai_text_compresses_its_marks_and_stays_flush(tmp_path):
    """Yuquan Kai (captions, bylines, quotations) has a halt feature and full-width
    quotes of its own (fonts/build.py), so the engine treats it as it treats Song."""
    report = check(stress_pdf(tmp_path, measures=[13, 20], font="YuquanKai-Regular.ttf"))
    assert report.pairs >= 20 and report.pairs_compressed == report.pairs
    assert report.flush == report.justified > 15
    for rule in ("KIN-1", "KIN-2", "UNIT-1", "ORP-1"):
        assert report.violations.get(rule, []) == [], rule


def test_orp1_no_single_character_last_lines(stress):
    assert stress.violations.get("ORP-1", []) == []


def test_without_the_engine_lines_are_ragged_and_pairs_wide(tmp_path):
    with cjk_patch.disabled():
        report = check(stress_pdf(tmp_path, measures=[13]))
    assert report.flush < report.justified
    assert report.pairs_compressed < report.pairs


def test_grid1_sample_lines_with_nothing_to_adjust_stay_on_the_em_grid(sample_outputs):
    report = check(sample_outputs["pdf"])
    assert report.grid_lines > 20
    assert report.grid_exact == report.grid_lines


def test_grid1_check_reports_lines_off_the_line_grid(sample_outputs, tmp_path):
    """``typeset check`` counts body lines on the line grid: all of the sample's, and
    not a line moved down by a hundredth of a point more than the grid's tolerance."""
    report = check(sample_outputs["pdf"])
    assert report.baseline_on_grid == report.baseline_lines > 1000
    with pikepdf.open(sample_outputs["pdf"]) as pdf:  # move one module's text 0.05 pt
        form = next(x for x in pdf.pages[0].Resources.XObject.values()
                    if x.get("/Subtype") == "/Form")
        form.write(b"1 0 0 1 0 -0.05 cm\n" + form.read_bytes())
        pdf.save(tmp_path / "moved.pdf")
    moved = check(tmp_path / "moved.pdf")
    assert 0 < moved.baseline_on_grid < moved.baseline_lines
    assert any("off the line grid" in item for item in moved.violations["GRID-1"])


def test_sample_meets_every_rule(sample_outputs):
    report = check(sample_outputs["pdf"])
    assert report.justified > 500
    assert report.flush == report.justified, report.violations.get("JUS-1")
    assert report.pairs_compressed == report.pairs > 40
    for rule in ("KIN-1", "KIN-2", "UNIT-1", "ORP-1"):
        assert report.violations.get(rule, []) == [], rule


def test_sample_extraction_gaps_stay_rare(sample_outputs):
    """Stretch stays under the ~0.1 em extractors read as a space, except in the few
    lines where a number or the last-line rule leaves a whole em or more to spread.
    A ratchet: the share of affected lines may only go down."""
    report = check(sample_outputs["pdf"])
    affected = {item.split(" (")[0] for item in report.gaps}
    assert 0 < len(affected) <= 0.02 * report.lines, sorted(affected)


def test_body_text_stays_on_the_baseline_grid(sample_outputs):
    """GRID-1: every body character sits on the page's line grid (in boxed modules,
    half a line lower), also in lines that open with a dateline or run-in head in Hei
    or hold Kai or bold runs, whose other ascent and descent once moved those lines and
    all the lines after them by 0.03-0.06 pt, and in paragraphs set in Kai (a source
    line), which sat 0.87 pt off."""
    style = load_style()
    song, kai = (baseline_phases(sample_outputs["pdf"], font, style.grid.body_pt,
                                 style.grid.line_pt / 2)
                 for font in ("NotoSerifCJKsc-Regular", "YuquanKai"))
    assert len(song) == 1 and sum(song.values()) > 10_000, song
    assert set(kai) == set(song) and sum(kai.values()) > 10, kai


def extracted(pdf, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_sample_copy_extracts_without_stray_spaces(sample_outputs):
    """The loose lines above carry their text as ActualText: pdfium and poppler (content
    order and reading order) read the copy back without a space between two Chinese
    characters, on every line of every article."""
    issue = read(SAMPLE_ISSUE).issue
    assert check(sample_outputs["pdf"]).stray_spaces == 0
    for text in ("\n".join(pdf_pages_text(sample_outputs["pdf"])),
                 extracted(sample_outputs["pdf"], "-raw"), extracted(sample_outputs["pdf"])):
        assert spaced_body_lines(issue, text) == []


SEED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seed-page.txt"


@pytest.mark.skipif(not SEED.is_file(), reason="the shared corpus is not beside the checkout")
def test_seed_page_meets_every_rule(tmp_path):
    from typeset.build import build
    from typeset.readers.plaintext import Options, import_page
    folder = tmp_path / "seed"
    import_page(SEED, folder, Options())
    pdf = build(folder, tmp_path / "out", formats=("pdf",)).paths[0]
    report = check(pdf)
    assert report.justified > 300
    assert report.flush == report.justified, report.violations.get("JUS-1")
    assert report.pairs_compressed == report.pairs > 10
    assert report.baseline_on_grid == report.baseline_lines
    for rule in ("KIN-1", "KIN-2", "UNIT-1", "ORP-1"):
        assert report.violations.get(rule, []) == [], rule


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_pdftotext_raw_reads_every_article_back(sample_outputs):
    """Archives and search engines read the PDF with poppler too: every paragraph of
    every article comes back whole (line breaks and spaces aside).

    Only ``-raw`` (content order). Poppler's default reading-order mode (22.12,
    ``TextPage::coalesce``) interleaves columns set 1.5 em apart line to line (GRID-1's
    closest setting) with 1-em gutters, for two reasons, measured:

    - a block grows by lines at most 1.5 × the font size below it, compared in floating
      point: at exactly 1.5 em, columns break into blocks of a few lines at random;
    - a mark set half-width (PA-1/PA-2) keeps its full /W width in poppler's eyes, so a
      line ending in one reaches 0.5–1 em into the gutter, and short blocks take in the
      next column's lines (nearer than 1 em) or the whole neighbour (nearer than 0.3 em).

    On a probe page of plain columns, drawing text 10 ppm taller (which moves poppler's
    font size, not the glyphs) with gutters of 1.22 em or more reads back every
    paragraph whole; on the sample, even 2-em gutters with it leave 16 texts out of
    order (93 with the 1-em gutters), the seed page 9 (24): a block that takes in a
    neighbour's line then joins lines across the gutter at 1.5 em.
    """
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(sample_outputs["pdf"]),
                           "-"], capture_output=True, text=True, check=True).stdout
    issue = cjk.apply(read(SAMPLE_ISSUE).issue)
    assert missing_texts(issue, text) == []


def test_sp1_latin_spacing_is_a_style_setting(tmp_path):
    """SP-1 at 1/4 em: the room sits between Han and Latin or digits, inside lines only
    (measured on a line set flush left, in another size so the checker leaves it out),
    and justified lines still end on the column edge."""
    html = ('<html lang="zh-CN"><body><p class="wide">明年6G网络覆盖率达99.1%</p>'
            '<p>全县共有Wi-Fi热点360个，今年5G基站覆盖率达到了百分之九十八。</p></body></html>')
    css = (f'@font-face {{ font-family: "TS Song"; src: url({FONTS_DIR.as_uri()}/'
           'NotoSerifCJKsc-Regular.otf); } @page { size: 300pt 300pt; margin: 20pt } '
           'body { font: 9pt/13.5pt "TS Song"; margin: 0 } p { margin: 0 0 27pt; width: 117pt;'
           ' text-align: justify } p.wide { width: 250pt; text-align: left; font-size: 10pt }')
    gaps = {}
    for spacing in (0.0, 0.25):
        path = tmp_path / f"sp1-{spacing}.pdf"
        path.write_bytes(weasy.render_pdf(HtmlDocument(
            html, tmp_path, css, tmp_path, [tmp_path, FONTS_DIR, STYLES_DIR], spacing)))
        document = pdfium.PdfDocument(str(path))
        textpage = document[0].get_textpage()
        x, y = ctypes.c_double(), ctypes.c_double()
        origins = []
        for index in range(textpage.count_chars()):
            if not pdfium_c.FPDFText_IsGenerated(textpage.raw, index):
                pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, x, y)
                origins.append((chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index)),
                                x.value))
        gaps[spacing] = {a + b: xb - xa for (a, xa), (b, xb) in zip(origins, origins[1:])}
        if spacing:
            report = check(path)
            assert report.flush == report.justified > 0
    assert gaps[0.25]["年6"] - gaps[0.0]["年6"] == pytest.approx(2.5, abs=0.02)  # 1/4 of 10 pt
    assert gaps[0.25]["G网"] - gaps[0.0]["G网"] == pytest.approx(2.5, abs=0.02)
    assert gaps[0.25]["网络"] == pytest.approx(gaps[0.0]["网络"], abs=0.01)  # Han–Han: none
