"""Page proofs read back: bleed and crop marks, the slug line outside the bleed, each
page's proof version, watermark; `typeset diff` lists only the pages an edit changed."""

from __future__ import annotations

import re

import pikepdf
import pypdfium2 as pdfium
import pytest

from typeset import SAMPLE_ISSUE
from typeset.build import build
from typeset.cli import main

MM = 72 / 25.4
BLEED = 12 * MM  # the marks area (CSS bleed): twice the real bleed and the slug's 3 mm
REAL_BLEED = 3 * MM  # style.yaml press.bleed_mm: the BleedBox
VERSION = re.compile(r"版本 ([0-9a-f]{8})")


def below_trim(page) -> str:
    """Text set between the trim and the edge of the sheet, below the page."""
    left, bottom, right, _ = page.get_mediabox()
    return page.get_textpage().get_text_bounded(left, bottom, right, 0)


def inside_trim(page) -> str:
    return page.get_textpage().get_text_bounded(*page.get_trimbox())


def test_pages_have_bleed_around_the_trim(proof_pdf):
    with pikepdf.open(proof_pdf) as pdf:
        assert len(pdf.pages) == 3
        for page in pdf.pages:
            trim = [float(v) for v in page.TrimBox]
            media = [float(v) for v in page.MediaBox]
            assert trim[2] - trim[0] == pytest.approx(390 * MM, abs=0.5)
            assert trim[3] - trim[1] == pytest.approx(545 * MM, abs=0.5)
            assert [t - m for t, m in zip(trim[:2], media[:2], strict=True)] == \
                pytest.approx([BLEED, BLEED], abs=0.1)
            assert [m - t for t, m in zip(trim[2:], media[2:], strict=True)] == \
                pytest.approx([BLEED, BLEED], abs=0.1)
            bleed = [float(v) for v in page.BleedBox]
            assert [t - b for t, b in zip(trim, bleed, strict=True)] == \
                pytest.approx([REAL_BLEED, REAL_BLEED, -REAL_BLEED, -REAL_BLEED], abs=0.01)


def test_crop_marks_are_drawn_whole_in_every_corner(proof_pdf):
    """At 72 dpi one px is one pt: each corner has its two marks on the trim lines, from
    the sheet's edge over half the bleed (WeasyPrint cuts them short in a narrow bleed)."""
    document = pdfium.PdfDocument(str(proof_pdf))
    image = document[0].render(scale=1, grayscale=True).to_pil().convert("L")
    document.close()
    width, height = image.size
    bleed, half = round(BLEED), round(BLEED / 2)

    def dark(x, y):
        return min(image.getpixel((x + dx, y + dy))
                   for dx in (-1, 0, 1) for dy in (-1, 0, 1)) < 128

    for right in (False, True):
        for bottom in (False, True):
            trim_x = width - 1 - bleed if right else bleed
            trim_y = height - 1 - bleed if bottom else bleed
            from_edge_x = range(width - half + 1, width - 1) if right else range(1, half - 1)
            from_edge_y = range(height - half + 1, height - 1) if bottom \
                else range(1, half - 1)
            assert all(dark(x, trim_y) for x in from_edge_x), (right, bottom)
            assert all(dark(trim_x, y) for y in from_edge_y), (right, bottom)
            assert not dark(trim_x, trim_y), "marks stay outside the trim"


def test_slug_line_outside_the_bleed_names_paper_page_date_version_time(proof_pdf):
    """The suite builds at SOURCE_DATE_EPOCH = the sample's date (conftest.py)."""
    document = pdfium.PdfDocument(str(proof_pdf))
    sections = ["要闻", "基层治理", "民生"]
    versions = []
    for number, (page, section) in enumerate(zip(document, sections, strict=True), start=1):
        slug = below_trim(page)
        for part in ("榆泉日报", f"第{number}版 {section}", "2026年11月27日",
                     "生成 2026-11-27 00:00 UTC"):
            assert part in slug, (part, slug)
        versions += VERSION.findall(slug)
        left, bottom, right, _ = page.get_bleedbox()
        assert "版本" not in page.get_textpage().get_text_bounded(left, bottom, right, 0)
        assert "版本" not in inside_trim(page)
    document.close()
    assert len(set(versions)) == 3, "each page has its own version"


def test_watermark_on_request(proof_pdf):
    document = pdfium.PdfDocument(str(proof_pdf))
    assert all("校样" in inside_trim(page) for page in document)
    document.close()


def slug_versions(pdf) -> list[str]:
    document = pdfium.PdfDocument(str(pdf))
    try:
        return [VERSION.search(below_trim(page)).group(1) for page in document]
    finally:
        document.close()


def test_an_edit_on_page_3_changes_page_3_alone(issue_copy, proof_pdf, tmp_path, capsys,
                                                 monkeypatch):
    """A caption edited on page 3, proofed a day later: only page 3's version changes,
    and `typeset diff` lists page 3 alone (the slugs' times differ on every page, but
    lie outside the bleed, which is what diff compares)."""
    article = issue_copy / "articles" / "p3-market.md"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "市民在城西农贸市场", "市民在县城西农贸市场"), encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1795737600 + 86400))
    edited = build(issue_copy, tmp_path / "out", formats=("pdf",), mode="proof",
                   watermark=True).paths[0]
    old, new = slug_versions(proof_pdf), slug_versions(edited)
    assert old[:2] == new[:2] and old[2] != new[2]
    assert main(["diff", str(proof_pdf), str(edited), "-o", str(tmp_path / "diff")]) == 0
    out = capsys.readouterr().out
    assert "changed pages: 3\n" in out, out
    assert [p.name for p in (tmp_path / "diff").iterdir()] == ["page-3.png"]


def test_proof_without_watermark_is_reproducible_and_dated_by_source_date_epoch(
        small_issue, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = build(small_issue, tmp_path / "a", formats=("pdf",), mode="proof").paths[0]
    second = build(small_issue, tmp_path / "b", formats=("pdf",), mode="proof").paths[0]
    assert first.read_bytes() == second.read_bytes()
    document = pdfium.PdfDocument(str(first))
    page = document[0]
    assert "生成 2023-11-14 22:13 UTC" in below_trim(page)
    assert "校样" not in inside_trim(page)
    document.close()
