"""Page proofs read back: bleed and crop marks, the slug line outside the trim, watermark."""

from __future__ import annotations

import pikepdf
import pypdfium2 as pdfium
import pytest

from typeset import SAMPLE_ISSUE
from typeset.build import build
from typeset.readers import read
from typeset.writers.pages import proof_version

MM = 72 / 25.4
BLEED = 12 * MM


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


def test_slug_line_outside_the_trim_names_paper_page_date_version_time(proof_pdf):
    version = proof_version(read(SAMPLE_ISSUE).issue)
    document = pdfium.PdfDocument(str(proof_pdf))
    sections = ["要闻", "基层治理", "民生"]
    for number, (page, section) in enumerate(zip(document, sections, strict=True), start=1):
        slug = below_trim(page)
        for part in ("榆泉日报", f"第{number}版 {section}", "2026年11月27日",
                     f"版本 {version}", "2026-11-27 00:00 UTC"):
            assert part in slug, (part, slug)
        assert f"版本 {version}" not in inside_trim(page)
    document.close()


def test_watermark_on_request(proof_pdf):
    document = pdfium.PdfDocument(str(proof_pdf))
    assert all("校样" in inside_trim(page) for page in document)
    document.close()


def test_proof_version_follows_the_copy():
    issue = read(SAMPLE_ISSUE).issue
    edited = issue.model_copy(update={"number": issue.number + 1})
    assert proof_version(issue) == proof_version(read(SAMPLE_ISSUE).issue)
    assert proof_version(edited) != proof_version(issue)


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
