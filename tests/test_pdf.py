"""The sample issue's PDF, read back: pages, text conservation, fonts, determinism."""

from __future__ import annotations

import pikepdf
import pypdfium2 as pdfium
import pytest

from typeset import SAMPLE_ISSUE, cjk
from typeset.build import build
from typeset.fonts import postscript_names
from typeset.readers import read
from typeset.style import load_style

from readback import missing_texts, pdf_fonts, pdf_pages_text, squeeze

MM = 72 / 25.4


def test_three_broadsheet_pages(sample_outputs):
    document = pdfium.PdfDocument(str(sample_outputs["pdf"]))
    assert len(document) == 3
    for page in document:
        width, height = page.get_size()
        assert width == pytest.approx(390 * MM, abs=0.5)
        assert height == pytest.approx(545 * MM, abs=0.5)


def test_every_character_of_every_article_is_in_the_pdf(sample_outputs):
    issue = cjk.apply(read(SAMPLE_ISSUE).issue)
    text = "".join(pdf_pages_text(sample_outputs["pdf"]))
    assert missing_texts(issue, text) == []


def test_each_article_is_on_its_own_page(sample_outputs):
    issue = cjk.apply(read(SAMPLE_ISSUE).issue)
    pages = [squeeze(text) for text in pdf_pages_text(sample_outputs["pdf"])]
    for page, page_text in zip(issue.pages, pages):
        for placement in page.articles:
            assert squeeze(issue.article(placement.id).headline) in page_text


def test_page_furniture(sample_outputs):
    """Masthead on the front page, running heads and credits on every page."""
    pages = [squeeze(text) for text in pdf_pages_text(sample_outputs["pdf"])]
    assert "总第6120期" in pages[0] and "中共榆泉县委主办" in pages[0]
    for number, (text, section) in enumerate(zip(pages, ["要闻", "基层治理", "民生"], strict=True),
                                             start=1):
        assert f"第{number}版" in text and section in text
        assert "□编辑/" in text and "□版式/" in text and "□审校/" in text


def test_only_bundled_fonts_are_embedded(sample_outputs):
    with pikepdf.open(sample_outputs["pdf"]) as pdf:
        names = {str(font.get("/BaseFont")) for font in pdf_fonts(pdf)}
        for font in pdf_fonts(pdf):
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descendant.FontDescriptor
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    # The pages are joined with one subset of each bundled face, named by the face's own
    # PostScript name; anything else would be a system font fontconfig fell back to.
    families = {name.split("+", 1)[1] for name in names}
    assert families == set(postscript_names(load_style()))


def test_each_font_is_embedded_once(sample_outputs):
    """Pages are rendered one by one and joined: the join shares one program per face."""
    with pikepdf.open(sample_outputs["pdf"]) as pdf:
        programs = set()
        for font in pdf_fonts(pdf):
            descriptor = font.DescendantFonts[0].FontDescriptor
            programs.add(descriptor.get("/FontFile3", descriptor.get("/FontFile2")).objgen)
        assert len(pdf.pages) == 3 and len(programs) == 5


def test_pdf_outline_has_pages_and_headlines(sample_outputs):
    with pikepdf.open(sample_outputs["pdf"]) as pdf:
        with pdf.open_outline() as outline:
            top = [item.title for item in outline.root]
            articles = [child.title for item in outline.root for child in item.children]
    assert top == ["第1版 要闻", "第2版 基层治理", "第3版 民生"]
    assert len(articles) == 18
    assert "县图书馆“夜读空间”开门迎客" in articles  # as written: no invisible marks


def test_two_builds_are_byte_identical(sample_outputs, tmp_path):
    for path in build(SAMPLE_ISSUE, tmp_path).paths:
        assert path.read_bytes() == sample_outputs[path.suffix[1:]].read_bytes(), path.name


def test_source_date_epoch_sets_the_dates(small_issue, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    pdf_path, epub_path = build(small_issue, tmp_path).paths[:2]
    with pikepdf.open(pdf_path) as pdf:
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20231114")
    import zipfile
    with zipfile.ZipFile(epub_path) as archive:
        assert "2023-11-14T22:13:20Z" in archive.read("EPUB/content.opf").decode()
