"""The archive PDF's structure tree against what is drawn: figure boxes where the photos
are, one Caption per figure, page furniture as Artifacts, the masthead's pinyin read
without inserted spaces, articles in reading order."""

from __future__ import annotations

import ctypes
import subprocess

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest

from typeset import SAMPLE_ISSUE, cjk
from typeset.build import prepare
from typeset.layout.order import reading_order
from typeset.readers import read
from typeset.style import load_style
from typeset.weasy.structure import elements, faults

#: Page furniture of the sample's front page: running head with the folio, masthead,
#: page credits.
FURNITURE = ("第1版", "要闻", "总第6120期", "中共榆泉县委主办", "编辑/周晓岚",
             "审校/马文静")


@pytest.fixture(scope="module")
def pdf(archive_pdf):
    with pikepdf.open(archive_pdf) as document:
        yield document


def test_level_a_is_claimed_because_every_checked_requirement_holds(pdf):
    assert faults(pdf) == []
    assert pdf.open_metadata()["pdfaid:conformance"] == "A"


def test_the_check_finds_painting_outside_tags_and_artifacts(archive_pdf, tmp_path):
    with pikepdf.open(archive_pdf) as document:
        page = document.pages[0]
        page.Contents.write(page.Contents.read_bytes().replace(
            b"/Artifact\nBMC", b"/Rule\nBMC", 1))
        assert faults(document) == ["page 1: f* outside tagged content and Artifacts"]


def test_figure_boxes_are_in_points_where_the_photos_are_drawn(pdf, archive_pdf):
    pages = {page.objgen: n for n, page in enumerate(pdf.pages)}
    figures = {}
    for figure in (e for e in elements(pdf.Root.StructTreeRoot) if e.S == "/Figure"):
        figures.setdefault(pages[figure.Pg.objgen], []).append(
            [float(v) for v in figure.A.BBox])
    drawn = visible_images(archive_pdf)
    assert sum(map(len, figures.values())) == sum(map(len, drawn.values())) == 5
    for number, boxes in figures.items():
        width, height = (float(v) for v in pdf.pages[number].MediaBox[2:])
        for box in boxes:
            assert 0 <= box[0] < box[2] <= width and 0 <= box[1] < box[3] <= height, box
            assert any(all(abs(a - b) <= 1 for a, b in zip(box, image))
                       for image in drawn[number]), (number, box, drawn[number])


def test_one_caption_holds_caption_then_credit(pdf, archive_pdf):
    pages = {page.objgen: n for n, page in enumerate(pdf.pages)}
    texts = {n: {mcid: text for text, _, mcid in text_objects(archive_pdf, n)}
             for n in range(len(pdf.pages))}
    read_back = []
    for caption in (e for e in elements(pdf.Root.StructTreeRoot) if e.S == "/Caption"):
        assert all(k.S == "/Span" for k in caption.K)  # no Caption in the Caption
        read_back.append("".join(texts[pages[caption.Pg.objgen]][mcid]
                                 for mcid in marked_content(caption)))
    figures = [f for a in read(SAMPLE_ISSUE).issue.articles for f in a.figures]
    assert sorted(read_back) == sorted(f.caption + f.credit for f in figures)


def test_page_furniture_is_artifact_and_the_rest_is_in_the_tree(pdf, archive_pdf):
    owned = {e.objgen for e in elements(pdf.Root.StructTreeRoot)}
    parents = pdf.Root.StructTreeRoot.ParentTree.Nums
    parents = {int(parents[i]): parents[i + 1] for i in range(0, len(parents), 2)}
    artifacts, tagged = [], []
    for text, marks, mcid in text_objects(archive_pdf, 0):
        if "Artifact" in marks:
            artifacts.append(text)
            continue
        assert mcid is not None, text  # every text is tagged or an artifact
        assert parents[int(pdf.pages[0].StructParents)][mcid].objgen in owned, text
        tagged.append(text)
    artifacts, tagged = "".join(artifacts), "".join(tagged)
    for furniture in FURNITURE:
        assert furniture in artifacts and furniture not in tagged, furniture
    assert "榆泉日报" in artifacts and "YUQUAN" not in tagged


def test_masthead_pinyin_reads_without_inserted_spaces(archive_pdf):
    poppler = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(archive_pdf), "-"],
                             capture_output=True, text=True, check=True).stdout
    document = pdfium.PdfDocument(archive_pdf)
    try:
        pdfium_text = document[0].get_textpage().get_text_range()
    finally:
        document.close()
    for text in (poppler, pdfium_text):
        assert "YUQUAN RIBAO" in text and "Y U Q" not in text


def test_articles_and_outline_follow_the_reading_order(pdf):
    job = prepare(read(SAMPLE_ISSUE), load_style("broadsheet"))
    order = reading_order(job.layouts, job.style.grid.line_pt)
    headlines = {a.id: cjk.visible(" ".join(a.headline_lines)) for a in job.issue.articles}
    with pdf.open_outline() as outline:
        titled = [[child.title for child in item.children] for item in outline.root]
    assert titled == [[headlines[i] for i in ids if not i.endswith("--cont")] for ids in order]
    sections = [e for e in pdf.Root.StructTreeRoot.K[0].K if e.S == "/Sect"]
    articles = [[e for e in section.K if e.S == "/Art"] for section in sections]
    assert [len(a) for a in articles] == [len(ids) for ids in order]


def marked_content(element) -> list[int]:
    """The MCIDs below a structure element, in the tree's order."""
    kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
    return [m for kid in kids for m in (
        marked_content(kid) if isinstance(kid, pikepdf.Dictionary) else [int(kid)])]


def visible_images(path) -> dict[int, list[list[float]]]:
    """Per page, each image's drawn box in points: its bounds cut to its clip path."""
    document = pdfium.PdfDocument(path)
    boxes = {}
    try:
        for number, page in enumerate(document):
            for image in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]):
                left, bottom, right, top = image.get_bounds()
                clip = clip_bounds(image)
                if clip:
                    left, bottom = max(left, clip[0]), max(bottom, clip[1])
                    right, top = min(right, clip[2]), min(top, clip[3])
                boxes.setdefault(number, []).append([left, bottom, right, top])
    finally:
        document.close()
    return boxes


def clip_bounds(page_object):
    """The bounds of the points of a page object's clip path, in page space."""
    clip = raw.FPDFPageObj_GetClipPath(page_object.raw)
    points = []
    for path in range(raw.FPDFClipPath_CountPaths(clip) if clip else 0):
        for index in range(raw.FPDFClipPath_CountPathSegments(clip, path)):
            segment = raw.FPDFClipPath_GetPathSegment(clip, path, index)
            x, y = ctypes.c_float(), ctypes.c_float()
            raw.FPDFPathSegment_GetPoint(segment, x, y)
            points.append((x.value, y.value))
    if not points:
        return None
    xs, ys = zip(*points)
    return min(xs), min(ys), max(xs), max(ys)


def text_objects(path, number: int) -> list[tuple[str, list[str], int | None]]:
    """Each text object of a page: its text (pdfium), the names of its content marks
    and the MCID among them (None if none has one)."""
    document = pdfium.PdfDocument(path)
    try:
        page = document[number]
        textpage = page.get_textpage()
        found = []
        for item in page.get_objects(filter=[raw.FPDF_PAGEOBJ_TEXT]):
            size = raw.FPDFTextObj_GetText(item.raw, textpage.raw, None, 0)
            buffer = ctypes.create_string_buffer(size)
            raw.FPDFTextObj_GetText(item.raw, textpage.raw, _wide(buffer), size)
            text = buffer.raw.decode("utf-16-le").rstrip("\x00")
            marks, mcid_found = [], None
            for index in range(raw.FPDFPageObj_CountMarks(item.raw)):
                mark = raw.FPDFPageObj_GetMark(item.raw, index)
                length = ctypes.c_ulong()
                name = ctypes.create_string_buffer(256)
                raw.FPDFPageObjMark_GetName(mark, _wide(name), 256, length)
                mcid = ctypes.c_int()
                has = raw.FPDFPageObjMark_GetParamIntValue(mark, b"MCID", mcid)
                marks.append(name.raw[:length.value].decode("utf-16-le").rstrip("\x00"))
                if has:
                    mcid_found = mcid.value
            found.append((text, marks, mcid_found))
    finally:
        document.close()
    return found


def _wide(buffer):
    return ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
