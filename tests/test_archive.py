"""The archival PDF read back with pikepdf and pdfium: PDF/A-3 structure, no veraPDF."""

from __future__ import annotations

import pikepdf
import pytest

from typeset import SAMPLE_ISSUE, cjk
from typeset.build import build
from typeset.model import Issue
from typeset.readers import read
from typeset.readers.jsonfile import dump_json

from readback import missing_texts, pdf_pages_text

ICC_RGB_COMPONENTS = 3


@pytest.fixture(scope="module")
def pdf(archive_pdf):
    with pikepdf.open(archive_pdf) as document:
        yield document


def test_xmp_declares_pdfa_3a_and_the_issue(pdf):
    meta = pdf.open_metadata()
    assert meta["pdfaid:part"] == "3"
    assert meta["pdfaid:conformance"] == "A"  # the tagging checks hold: test_archive_structure
    assert meta["dc:title"] == "榆泉日报 2026年11月27日"
    assert meta["dc:publisher"] == {"中共榆泉县委"}
    assert meta["dc:date"] == ["2026-11-27"]
    assert meta["dc:language"] == {"zh-CN"}
    assert meta["xmp:CreateDate"].startswith("2026-11-27T00:00:00")
    assert pdf.pdf_version == "1.7"
    assert pdf.Root.Lang == "zh-CN"


def test_output_intent_is_an_rgb_profile(pdf):
    (intent,) = pdf.Root.OutputIntents
    assert intent.S == "/GTS_PDFA1"
    assert intent.DestOutputProfile.N == ICC_RGB_COMPONENTS
    assert intent.DestOutputProfile.read_bytes()[36:40] == b"acsp"  # ICC signature


def test_every_font_is_embedded_with_unicode_mapping(pdf):
    fonts = [font for page in pdf.pages for font in page.Resources.Font.values()]
    assert fonts
    for font in fonts:
        descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
        assert any(key in descendant.FontDescriptor
                   for key in ("/FontFile", "/FontFile2", "/FontFile3")), font.BaseFont
        assert "/ToUnicode" in font, font.BaseFont


def test_not_encrypted(pdf):
    assert not pdf.is_encrypted
    assert "/Encrypt" not in pdf.trailer
    assert "/ID" in pdf.trailer


def test_source_model_and_photos_are_attached_as_associated_files(pdf):
    specs = {str(spec.UF): spec for spec in pdf.Root.AF}
    assert all(spec.AFRelationship == "/Source" for spec in specs.values())
    spec = specs["yuquan-2026-11-27.json"]
    assert spec.EF.F.Subtype == "/application/json"
    photos = sorted({f.image for a in read(SAMPLE_ISSUE).issue.articles for f in a.figures})
    assert sorted(pdf.attachments) == sorted(["yuquan-2026-11-27.json", *photos])
    for name in photos:  # the photos as supplied, byte for byte
        assert specs[name].EF.F.read_bytes() == (SAMPLE_ISSUE / name).read_bytes()
    text = spec.EF.F.read_bytes().decode("utf-8")
    source = read(SAMPLE_ISSUE).issue
    assert text == dump_json(source)
    assert Issue.model_validate_json(text) == source


def test_structure_tree_tags_articles_headlines_and_figures(pdf):
    assert pdf.Root.MarkInfo.Marked
    tree = pdf.Root.StructTreeRoot
    assert "/ParentTree" in tree
    elements = list(_elements(tree.K))
    kinds = [str(e.S) for e in elements]
    assert kinds[0] == "/Document"
    issue = read(SAMPLE_ISSUE).issue
    assert kinds.count("/Art") == len(issue.articles)
    assert kinds.count("/H1") == len(issue.articles)
    figures = [e for e in elements if e.S == "/Figure"]
    assert len(figures) == sum(len(a.figures) for a in issue.articles)
    assert all(str(f.Alt) for f in figures)


def test_outline_has_pages_and_headlines(pdf):
    with pdf.open_outline() as outline:
        top = [item.title for item in outline.root]
        articles = [child.title for item in outline.root for child in item.children]
    assert top == ["第1版 要闻", "第2版 基层治理", "第3版 民生"]
    assert len(articles) == 18


def test_text_is_extractable_and_equal_to_the_source(archive_pdf):
    issue = cjk.apply(read(SAMPLE_ISSUE).issue)
    assert missing_texts(issue, "".join(pdf_pages_text(archive_pdf))) == []


def test_two_archive_builds_are_byte_identical(small_issue, tmp_path):
    """The attachment's dates come from the build time, not the clock."""
    first = build(small_issue, tmp_path / "a", formats=("pdf",), mode="archive").paths[0]
    second = build(small_issue, tmp_path / "b", formats=("pdf",), mode="archive").paths[0]
    assert first.read_bytes() == second.read_bytes()


def _elements(node):
    """Every structure element below ``node``, depth first."""
    if isinstance(node, pikepdf.Array):
        for child in node:
            yield from _elements(child)
    elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
        yield node
        if "/K" in node:
            yield from _elements(node.K)
