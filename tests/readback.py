"""Reading outputs back, as an archive or a reader would: PDF text and EPUB documents."""

from __future__ import annotations

import collections
import ctypes
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from typeset import cjk
from typeset.model import Issue

_SPACE = re.compile(r"\s+")
#: Two wide characters (Han, kana, full-width marks) with spaces between them.
_WIDE = "\u2e80-\u9fff\uf900-\uffef"
_WIDE_GAP = re.compile(f"([{_WIDE}]) +(?=([{_WIDE}]))")


def spaced_body_lines(issue: Issue, extracted: str) -> list[str]:
    """Extracted lines of article copy (dateline, body, source) with a space between two
    wide characters where the copy has none. Lines of anything else (running heads,
    bylines set apart by margins) are not judged."""
    copies = ["".join(cjk.visible(text) for field, text in article.texts()
                      if field.startswith(("dateline", "body", "source")))
              for article in issue.articles]
    squeezed = [squeeze(copy) for copy in copies]
    spaced = {match.groups() for copy in copies for match in _WIDE_GAP.finditer(copy)}
    return [line for line in extracted.splitlines()
            if len(squeeze(line)) > 4 and any(squeeze(line) in copy for copy in squeezed)
            and any(match.groups() not in spaced for match in _WIDE_GAP.finditer(line))]


def squeeze(text: str) -> str:
    """Text without white space and word joiners, for comparing extracted text."""
    return _SPACE.sub("", cjk.visible(text))


def pdf_pages_text(path: Path) -> list[str]:
    """Extracted text of every page (pdfium)."""
    document = pdfium.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def baseline_phases(path: Path, font: str, size: float, step: float) -> collections.Counter:
    """How many glyphs of ``font`` at ``size`` pt have their baseline at each height
    modulo ``step`` (rounded to 1/1000 pt): one phase when they all sit on one grid."""
    phases: collections.Counter = collections.Counter()
    name, flags = ctypes.create_string_buffer(256), ctypes.c_int()
    x, y, matrix = ctypes.c_double(), ctypes.c_double(), pdfium_c.FS_MATRIX()
    document = pdfium.PdfDocument(str(path))
    try:
        for page in document:
            textpage = page.get_textpage()
            for index in range(textpage.count_chars()):
                length = pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, name, 256, flags)
                if font.encode() not in name.raw[:length]:
                    continue
                pdfium_c.FPDFText_GetMatrix(textpage.raw, index, matrix)
                glyph_size = pdfium_c.FPDFText_GetFontSize(textpage.raw, index) * abs(matrix.a)
                if abs(glyph_size - size) < 0.01:
                    pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, x, y)
                    phases[round(y.value % step, 3)] += 1
    finally:
        document.close()
    return phases


def pdf_fonts(pdf) -> list:
    """Every font dict a pikepdf ``pdf`` draws with: in its pages' resources and in
    those of the forms they draw (a page printed in layers draws each module as one),
    each once."""
    fonts, seen = [], set()
    todo = [page.obj.get("/Resources") for page in pdf.pages]
    while todo:
        resources = todo.pop()
        if resources is None or resources.objgen in seen and resources.is_indirect:
            continue
        seen.add(resources.objgen)
        for font in resources.get("/Font", {}).values():
            if font.objgen not in seen:
                seen.add(font.objgen)
                fonts.append(font)
        todo += [x.get("/Resources") for x in resources.get("/XObject", {}).values()
                 if x.get("/Subtype") == "/Form"]
    return fonts


def epub_documents(path: Path) -> dict[str, str]:
    """Every XHTML document of an EPUB by its name in the zip."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8")
                for name in archive.namelist() if name.endswith(".xhtml")}


def missing_texts(issue: Issue, haystack: str) -> list[tuple[str, str, str]]:
    """(article, field, text) of every typeset text not found whole in ``haystack``."""
    flat = squeeze(haystack)
    return [(article.id, field, text)
            for article in issue.articles
            for field, text in article.texts()
            if squeeze(text) and squeeze(text) not in flat]


@dataclass
class Glyph:
    char: str
    left: float  # origin, pt from the page's left
    right: float  # end of its box (advance, or ink where that reaches further)
    baseline: float  # pt from the page's foot
    size: float  # the em: font size times the text matrix's scale
    font: str


def drawn(data: bytes) -> bytes:
    """The PDF with its ``/ActualText`` spans made plain marked content (in pages and in
    the forms a page printed in layers draws): pdfium places those characters from
    their glyphs, not at the span's start."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        contents = [page.obj for page in pdf.pages] + [
            obj for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Form"]
        for content in contents:
            operations = pikepdf.parse_content_stream(content)
            for index, (operands, operator) in enumerate(operations):
                if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) \
                        and "/ActualText" in operands[1]:
                    operations[index] = pikepdf.ContentStreamInstruction(
                        [operands[0]], pikepdf.Operator("BMC"))
            data = pikepdf.unparse_content_stream(operations)
            if isinstance(content, pikepdf.Stream):
                content.write(data)
            else:
                content.Contents = pdf.make_stream(data)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def glyph_lines(data: bytes) -> list[list[list[Glyph]]]:
    """Each page's glyphs (spaces left out) in lines, in content order: a line ends
    where pdfium ends one, the baseline changes or the text jumps back left."""
    name, flags = ctypes.create_string_buffer(256), ctypes.c_int()
    x, y, matrix = ctypes.c_double(), ctypes.c_double(), pdfium_c.FS_MATRIX()
    document = pdfium.PdfDocument(data)
    pages = []
    try:
        for page in document:
            textpage, lines = page.get_textpage(), [[]]
            for index in range(textpage.count_chars()):
                char = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index))
                if char in "\r\n" and pdfium_c.FPDFText_IsGenerated(textpage.raw, index):
                    lines.append([])
                if char.isspace() or char in cjk.rules.INVISIBLE:
                    continue
                right = textpage.get_charbox(index, loose=True)[2]
                pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, x, y)
                pdfium_c.FPDFText_GetMatrix(textpage.raw, index, matrix)
                size = pdfium_c.FPDFText_GetFontSize(textpage.raw, index) * abs(matrix.a)
                length = pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, name, 256, flags)
                glyph = Glyph(char, x.value, right, y.value, size,
                              name.raw[:max(0, length - 1)].decode("latin-1"))
                last = lines[-1][-1] if lines[-1] else None
                if last and (abs(last.baseline - glyph.baseline) > 0.5
                             or glyph.left < last.left - 0.5):
                    lines.append([])
                lines[-1].append(glyph)
            pages.append([line for line in lines if line])
    finally:
        document.close()
    return pages
