"""Merging separately rendered WeasyPrint parts: pages, text, pixels, one font per face."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pikepdf
import pypdfium2 as pdfium
import pytest
import uharfbuzz as hb
from PIL import ImageChops

from typeset import FONTS_DIR, weasy
from typeset.errors import TypesetError
from typeset.html import HtmlDocument
from typeset.style import load_style
from typeset.weasy.merge import _subset, merge

from layout_readback import module_boxes

STYLE = load_style("broadsheet")
CSS = "".join(
    f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
    f"src: url(../../fonts/{file}); }}\n"
    for (family, weight), file in zip([("TS Song", 400), ("TS Song", 700), ("TS Hei", 700),
                                       ("TS Hei", 900), ("TS Kai", 400)], STYLE.fonts)) + """
@page { size: 220pt 260pt; margin: 12pt; }
body { font-family: "TS Song"; font-size: 10pt; line-height: 1.5; }
h1 { font-family: "TS Hei"; font-weight: 900; font-size: 16pt; bookmark-level: 1; }
h2 { font-family: "TS Hei"; font-weight: 700; font-size: 12pt; bookmark-level: 2; }
.kai { font-family: "TS Kai"; }
.next { break-before: page; }
"""

# Three parts of one issue: shared and own characters, Latin, four faces, the second
# part two pages long; every module has a start and an end destination, as in print.
PARTS = [
    """<h1 id="a">要闻：经济持续回升</h1>
    <div id="story" class="module"><p>今年前三季度，国内生产总值同比增长5.2%，经济运行总体平稳，
    就业形势保持稳定，居民收入持续增加。</p><p class="kai">记者　张三</p><span id="story--end"></span></div>""",
    """<h1 id="b">城市：新区建设加快</h1><h2 id="b2">交通先行</h2>
    <div id="city" class="module"><p>新区地铁三号线今日开通，全长二十八公里，设站十九座，
    城市交通运行更加顺畅。</p><span id="city--end"></span></div>
    <h1 id="c" class="next">天气：今日晴转多云</h1>
    <div id="weather" class="module"><p>今天白天晴转多云，气温十二至二十一摄氏度，
    Air quality: good.</p><span id="weather--end"></span></div>""",
    """<h1 id="d">文化：古籍修复</h1>
    <div id="books" class="module"><p class="kai">图书馆修复古籍三千余册，经济与文化共同发展。</p>
    <p>修复工作持续进行，今年将完成全部善本的数字化。</p><span id="books--end"></span></div>""",
]


def _render(body: str, **options) -> bytes:
    """A part as the project renders it; ``options`` go to WeasyPrint's write_pdf."""
    doc = HtmlDocument(f'<html lang="zh-CN"><body>{body}</body></html>', STYLE.folder, CSS,
                       STYLE.folder, [STYLE.folder, FONTS_DIR])
    if options:
        return weasy._document(doc).write_pdf(**options)
    return weasy.render_pdf(doc)


def _postscript_name(path) -> str:
    return hb.Face(hb.Blob.from_file_path(str(path))).get_name(
        hb.OTNameIdPredefined.POSTSCRIPT_NAME)


FONT_FILES = {_postscript_name(path): path for path in STYLE.font_paths}


@pytest.fixture(scope="module")
def parts() -> list[bytes]:
    return [_render(body) for body in PARTS]


@pytest.fixture(scope="module")
def merged(parts) -> bytes:
    return merge(parts, FONT_FILES)


def _texts(data: bytes) -> list[str]:
    document = pdfium.PdfDocument(data)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def _images(data: bytes) -> list:
    document = pdfium.PdfDocument(data)
    try:
        return [page.render(scale=3).to_pil() for page in document]
    finally:
        document.close()


def _page_fonts(data: bytes) -> list[dict[str, tuple]]:
    """Per page: {PostScript name: (font dict's objgen, program's objgen, program size)}."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = []
        for page in pdf.pages:
            fonts = {}
            for font in page.Resources.Font.values():
                descriptor = font.DescendantFonts[0].FontDescriptor
                program = descriptor.get("/FontFile3", descriptor.get("/FontFile2"))
                name = hb.Face(hb.Blob(program.read_bytes())).get_name(
                    hb.OTNameIdPredefined.POSTSCRIPT_NAME)
                assert name not in fonts, "a page with one face in two fonts"
                fonts[name] = (font.objgen, program.objgen, len(program.read_bytes()))
            pages.append(fonts)
        return pages


def _offsets(parts) -> list[int]:
    """Index in the merged file of each part's first page."""
    counts = [len(pdfium.PdfDocument(part)) for part in parts]
    return [sum(counts[:i]) for i in range(len(counts))]


def test_pages_are_the_parts_pages_in_order_with_their_text(parts, merged):
    expected = [text for part in parts for text in _texts(part)]
    assert len(expected) == 4
    assert _texts(merged) == expected
    assert "经济持续回升" in expected[0] and "Air quality" in expected[2]


def test_pages_render_exactly_as_the_parts_did(parts, merged):
    expected = [image for part in parts for image in _images(part)]
    for number, (got, want) in enumerate(zip(_images(merged), expected, strict=True)):
        assert ImageChops.difference(got, want).getbbox() is None, f"page {number + 1}"


def test_each_face_is_embedded_once_and_shared_by_all_pages(parts, merged):
    faces = {name for part in parts for page in _page_fonts(part) for name in page}
    assert len(faces) == 4  # Song, Hei Bold, Hei Black, Kai (Song Bold is not used)
    by_face: dict[str, set] = {}
    for page in _page_fonts(merged):
        for name, (font, program, _) in page.items():
            by_face.setdefault(name, set()).add((font, program))
    assert {name: len(objects) for name, objects in by_face.items()} == dict.fromkeys(faces, 1)
    with pikepdf.open(io.BytesIO(merged)) as pdf:  # nothing else left in the file
        descriptors = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary)
                       and obj.get("/Type") == "/FontDescriptor"]
        programs = {descriptor.get("/FontFile3", descriptor.get("/FontFile2")).objgen
                    for descriptor in descriptors}
        assert len(descriptors) == len(programs) == len(faces)


def test_the_shared_font_is_smaller_than_the_parts_copies(parts, merged):
    copies: dict[str, list[int]] = {}  # the program's size in each part using the face
    for part in parts:
        used = {name: size for page in _page_fonts(part) for name, (_, _, size) in page.items()}
        for name, size in used.items():
            copies.setdefault(name, []).append(size)
    shared = {name: size for page in _page_fonts(merged) for name, (_, _, size) in page.items()}
    assert sorted(len(sizes) for sizes in copies.values()) == [1, 2, 3, 3]
    for name, size in shared.items():
        if len(copies[name]) > 1:
            assert max(copies[name]) <= size < sum(copies[name]), name
    assert len(merged) < sum(map(len, parts)) / 2


def test_a_face_weasyprint_could_not_subset_is_cut():
    # The system HarfBuzz WeasyPrint calls (6.0, Debian 12) fails to cut Yuquan Kai to
    # more than ~900 glyphs, and WeasyPrint then embeds the whole 13 MB face.
    text = "".join(chr(code) for code in range(0x4E00, 0x4E00 + 6000, 4))
    body = f'<p class="kai" style="font-size: 4pt">{text}</p>'
    merged = merge([_render(body)], FONT_FILES)
    (page,) = _page_fonts(merged)
    assert page["YuquanKai-Regular"][2] < FONT_FILES["YuquanKai-Regular"].stat().st_size / 4


def _font_maps(data: bytes) -> dict[str, tuple[dict, dict]]:
    """{PostScript name: ({glyph: width}, {glyph: text})} over all fonts of a PDF."""
    found: dict[str, tuple[dict, dict]] = {}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                descendant = font.DescendantFonts[0]
                program = descendant.FontDescriptor.get(
                    "/FontFile3", descendant.FontDescriptor.get("/FontFile2"))
                name = hb.Face(hb.Blob(program.read_bytes())).get_name(
                    hb.OTNameIdPredefined.POSTSCRIPT_NAME)
                widths, text = found.setdefault(name, ({}, {}))
                w = descendant.W
                for i in range(0, len(w), 2):
                    widths.update((int(w[i]) + k, int(x)) for k, x in enumerate(w[i + 1]))
                cmap = font.ToUnicode.read_bytes().decode()
                text.update((int(glyph, 16), bytes.fromhex(code).decode("utf-16-be"))
                            for glyph, code in re.findall(r"<(\w{4})> <(\w+)>", cmap)
                            if glyph != "0000")  # <0000> <ffff> is the code space
    return found


def test_merged_fonts_hold_the_union_of_widths_and_text(parts, merged):
    expected: dict[str, tuple[dict, dict]] = {}
    for part in parts:
        for name, (widths, text) in _font_maps(part).items():
            expected.setdefault(name, ({}, {}))[0].update(widths)
            expected[name][1].update(text)
    assert _font_maps(merged) == expected
    with pikepdf.open(io.BytesIO(merged)) as pdf:
        for font in pdf.pages[0].Resources.Font.values():  # all three shared
            tag, name = str(font.BaseFont)[1:].split("+")
            assert len(tag) == 6 and tag.isalpha() and tag.isupper() and name in FONT_FILES
            assert font.DescendantFonts[0].FontDescriptor.FontName == font.BaseFont


def test_named_destinations_point_at_the_merged_pages(parts, merged):
    def dests(data):
        with pikepdf.open(io.BytesIO(data)) as pdf:
            pages = {page.objgen: i for i, page in enumerate(pdf.pages)}
            names = pdf.Root.Names.Dests.Names
            return {str(names[i]): (pages[names[i + 1][0].objgen],
                                    [float(x) for x in names[i + 1][2:]])
                    for i in range(0, len(names), 2)}
    expected = {name: (offset + page, position)
                for part, offset in zip(parts, _offsets(parts))
                for name, (page, position) in dests(part).items()}
    assert len(expected) == 13
    assert dests(merged) == expected


def test_module_boxes_read_back_from_the_merged_file(parts, merged, tmp_path):
    expected = []
    for number, (part, offset) in enumerate(zip(parts, _offsets(parts))):
        (tmp_path / f"{number}.pdf").write_bytes(part)
        expected += [replace(box, page=box.page + offset)
                     for box in module_boxes(tmp_path / f"{number}.pdf")]
    (tmp_path / "merged.pdf").write_bytes(merged)
    got = module_boxes(tmp_path / "merged.pdf")
    assert [box.article for box in got] == ["story", "city", "weather", "books"]
    assert got == expected


def test_outlines_of_all_parts_in_page_order(parts, merged):
    def outline(data):
        with pikepdf.open(io.BytesIO(data)) as pdf:
            pages = {page.objgen: i for i, page in enumerate(pdf.pages)}
            found = []

            def walk(item, depth):
                while item is not None:
                    found.append((depth, str(item.Title), pages[item.Dest[0].objgen]))
                    walk(item.get("/First"), depth + 1)
                    assert item.get("/Next") is None or item.Next.Prev.objgen == item.objgen
                    item = item.get("/Next")
            walk(pdf.Root.Outlines.First, 0)
            return found, int(pdf.Root.Outlines.Count)
    expected, count = [], 0
    for part, offset in zip(parts, _offsets(parts)):
        items, part_count = outline(part)
        expected += [(depth, title, page + offset) for depth, title, page in items]
        count += part_count
    assert outline(merged) == (expected, count)
    assert [title for _, title, _ in expected] == [
        "要闻：经济持续回升", "城市：新区建设加快", "交通先行", "天气：今日晴转多云", "文化：古籍修复"]


def test_info_and_catalog_come_from_the_first_part(parts, merged):
    with pikepdf.open(io.BytesIO(merged)) as pdf, pikepdf.open(io.BytesIO(parts[0])) as first:
        assert str(pdf.Root.Lang) == "zh-CN"
        assert dict(pdf.docinfo) == dict(first.docinfo)
        assert pdf.pdf_version == first.pdf_version


def test_same_parts_same_bytes(parts, merged):
    assert merge(parts, FONT_FILES) == merged
    assert merge(list(reversed(parts)), FONT_FILES) != merged


def test_one_glyph_read_as_two_characters_keeps_both_readings():
    # U+2013 EN DASH and U+2012 FIGURE DASH are one glyph in Noto Serif CJK: one font
    # dict per reading, both on one font program, so each page still reads as written.
    parts = [_render("<p>二〇二五–二〇二六年度</p>"), _render("<p>电话：010‒6666‒8888</p>")]
    merged = merge(parts, FONT_FILES)
    assert _texts(merged) == [text for part in parts for text in _texts(part)]
    (first, second) = (page["NotoSerifCJKsc-Regular"] for page in _page_fonts(merged))
    assert first[0] != second[0] and first[1] == second[1]
    for got, want in zip(_images(merged), [_images(part)[0] for part in parts]):
        assert ImageChops.difference(got, want).getbbox() is None


def test_cid_sets_are_merged():
    # WeasyPrint writes a /CIDSet for PDF 1.4 (and PDF/A-1, which is refused)
    parts = [_render(f"<p>{text}</p>", pdf_version="1.4") for text in ("今日新闻", "新闻联播")]
    merged = merge(parts, FONT_FILES)
    with pikepdf.open(io.BytesIO(merged)) as pdf:
        descendant = next(iter(pdf.pages[0].Resources.Font.values())).DescendantFonts[0]
        bits = descendant.FontDescriptor.CIDSet.read_bytes()
        cids = {i for i in range(len(bits) * 8) if bits[i // 8] & 0x80 >> i % 8}
        w = descendant.W
        assert cids == {int(w[i]) + k for i in range(0, len(w), 2) for k in range(len(w[i + 1]))}
    assert _texts(merged) == [text for part in parts for text in _texts(part)]


@pytest.mark.parametrize("variant, kind", [("pdf/ua-1", "tagged"), ("pdf/a-2b", "PDF/A"),
                                           ("pdf/a-3u", "tagged|PDF/A")])
def test_tagged_and_archival_parts_are_refused(variant, kind):
    with pytest.raises(TypesetError, match=kind):
        merge([_render(PARTS[0]), _render("<p>标签</p>", pdf_variant=variant)], FONT_FILES)


def test_a_face_that_draws_nothing_is_cut_to_notdef():
    # Zero-width characters alone in a face: WeasyPrint adds the font, no glyph, and
    # embeds the face whole
    parts = [_render('<p>中国<span class="kai">\u200b</span>人</p>') for _ in range(2)]
    assert _page_fonts(parts[0])[0]["YuquanKai-Regular"][2] > 10_000_000
    merged = merge(parts, FONT_FILES)
    assert _page_fonts(merged)[0]["YuquanKai-Regular"][2] < 10_000
    assert _texts(merged) == [text for part in parts for text in _texts(part)]


def test_a_cut_harfbuzz_fails_is_retried_without_gdef():
    # With RETAIN_GIDS, HarfBuzz cannot keep Yuquan Kai's GDEF for ~8,000 glyphs spread
    # over the face: the cut is made without it (PDF viewers never read GDEF).
    path = FONT_FILES["YuquanKai-Regular"]
    glyphs = list(range(1, 24000, 3))
    cut = hb.Face(hb.Blob(_subset(path, 0, tuple(glyphs))))
    original = hb.Face(hb.Blob.from_file_path(str(path)))
    assert "GDEF" in original.table_tags and "GDEF" not in cut.table_tags
    assert len(cut.blob.data) < path.stat().st_size / 2
    drawn = [hb.Font(cut).get_glyph_extents(glyph) for glyph in glyphs[1::500]]
    assert drawn == [hb.Font(original).get_glyph_extents(glyph) for glyph in glyphs[1::500]]
    assert all(extents.width for extents in drawn)
    assert not hb.Font(cut).get_glyph_extents(glyphs[1] + 1).width  # not asked for: empty


def test_a_picture_on_several_pages_is_embedded_once(tmp_path):
    """A photo shown by two parts (and a different one by a third) is one image in the
    joined file, drawn where each part drew it."""
    from PIL import Image
    for name, colour, mode in (("a.png", (200, 30, 30, 128), "RGBA"),
                               ("b.png", (30, 30, 200), "RGB")):
        Image.new(mode, (40, 30), colour[:len(mode)]).save(tmp_path / name)

    def part(picture: str) -> bytes:
        doc = HtmlDocument(f'<html lang="zh-CN"><body><p>图片</p><img src="{picture}" '
                           'style="width: 80pt"/></body></html>', tmp_path, CSS,
                           STYLE.folder, [tmp_path, STYLE.folder, FONTS_DIR])
        return weasy.render_pdf(doc)
    parts = [part("a.png"), part("a.png"), part("b.png")]
    joined = merge(parts, FONT_FILES)
    with pikepdf.open(io.BytesIO(joined)) as pdf:
        shown = [next(x for x in page.Resources.XObject.values()
                      if x.get("/Subtype") == "/Image").objgen for page in pdf.pages]
        images = [o for o in pdf.objects if isinstance(o, pikepdf.Stream)
                  and o.get("/Subtype") == "/Image" and "/SMask" in o]
    assert shown[0] == shown[1] != shown[2]
    assert len(images) == 1  # one copy of the picture with a soft mask
    expected = [image for p in parts for image in _images(p)]
    for got, want in zip(_images(joined), expected, strict=True):
        assert ImageChops.difference(got, want).getbbox() is None
