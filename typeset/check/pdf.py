"""Reading a finished PDF back: glyphs grouped into lines, and the modules' boxes.

pdfium gives every character's origin, advance box, size and font. Content order (the
order pdfium returns characters) is reading order in our PDFs, so a line's glyphs
follow each other and a new line starts where the baseline changes or the text jumps
back left. Each module is a named destination at its top left (its article id) and one
at its bottom right (``<id>--end``): the boxes come from the PDF itself.
"""

from __future__ import annotations

import ctypes
import io
import statistics
from dataclasses import dataclass

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from typeset.cjk import rules


@dataclass
class Glyph:
    char: str
    left: float
    right: float
    baseline: float
    size: float  # the em: font size times the text matrix's scale, in pt
    font: str = ""
    space_before: bool = False  # pdfium reads a space before it (a gap it judged wide)


@dataclass
class Line:
    page: int
    glyphs: list[Glyph]
    column_left: float = 0.0
    column_right: float = 0.0
    first_in_paragraph: bool = False
    last_in_paragraph: bool = False

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)

    @property
    def em(self) -> float:
        return statistics.median(g.size for g in self.glyphs)

    @property
    def face(self) -> tuple[float, str]:
        """(size, font) of most of its glyphs."""
        return statistics.mode((round(g.size, 1), g.font) for g in self.glyphs)


@dataclass(frozen=True)
class Module:
    """A module's box in PDF space (points, y up)."""

    page: int
    article: str
    left: float
    top: float
    right: float
    bottom: float

    def holds(self, x: float, y: float, slack: float = 0.5) -> bool:
        return (self.left - slack <= x <= self.right + slack
                and self.bottom - slack <= y <= self.top + slack)

    def holds_start(self, line: Line) -> bool:
        """Whether the line starts in this box: its first glyph's ink, a little above
        the baseline (an opening mark set half-width starts half an em left of it)."""
        first = line.glyphs[0]
        x = first.left + (first.size / 2 if first.char in rules.OPENING else 0)
        return line.page == self.page and self.holds(x + 0.1, first.baseline + first.size * 0.3)


def pages(data: bytes) -> list[list[list[Glyph]]]:
    """Every page's glyphs grouped into lines, in content order."""
    document = pdfium.PdfDocument(data)
    try:
        return [_page_glyphs(document[i]) for i in range(len(document))]
    finally:
        document.close()


def modules(data: bytes) -> list[Module]:
    """The modules' boxes, from their named destinations (none in a PDF without them)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        numbers = {page.objgen: i for i, page in enumerate(pdf.pages, start=1)}
        try:
            names = pdf.Root.Names.Dests.Names
        except AttributeError:
            return []
        dests = {str(names[i]): names[i + 1] for i in range(0, len(names), 2)}
        found = []
        for name, dest in dests.items():
            end = dests.get(f"{name}--end")
            if end is not None and dest[0].objgen in numbers:
                found.append(Module(numbers[dest[0].objgen], name, float(dest[2]),
                                    float(dest[3]), float(end[2]), float(end[3])))
        return sorted(found, key=lambda m: (m.page, -m.top, m.left))


def outline_titles(data: bytes) -> list[str]:
    """The bookmarks' titles: each headline with its source spaces (the print template
    labels a headline's bookmark with its text as written)."""
    titles = []
    with pikepdf.open(io.BytesIO(data)) as pdf, pdf.open_outline() as outline:
        todo = list(outline.root)
        while todo:
            item = todo.pop()
            titles.append(str(item.title))
            todo += list(item.children)
    return titles


def attached_issue(data: bytes):
    """The issue an archival PDF carries as its source attachment, or None."""
    from typeset.model import Issue
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for name, spec in pdf.attachments.items():
            if name.endswith(".json"):
                try:
                    return Issue.model_validate_json(spec.get_file().read_bytes())
                except ValueError:
                    continue
    return None


def without_actual_text(data: bytes) -> bytes:
    """The PDF with every marked-content span's ``/ActualText`` dropped, in the pages'
    content and in the forms they draw (a page printed in layers draws its modules as
    forms): pdfium then reads those characters from their glyphs."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            operations = _spans_dropped(page)
            if operations is not None:
                page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(operations))
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Form":
                operations = _spans_dropped(obj)
                if operations is not None:
                    obj.write(pikepdf.unparse_content_stream(operations))
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def _spans_dropped(content) -> list | None:
    """The operations of ``content`` (a page or form) with its ``/ActualText`` spans
    made plain marked content, or None when it has none."""
    operations = pikepdf.parse_content_stream(content)
    changed = False
    for index, (operands, operator) in enumerate(operations):
        if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) \
                and "/ActualText" in operands[1]:
            operations[index] = pikepdf.ContentStreamInstruction(
                [operands[0]], pikepdf.Operator("BMC"))
            changed = True
    return operations if changed else None


def _page_glyphs(page) -> list[list[Glyph]]:
    """The page's glyphs grouped into lines, in content order."""
    textpage = page.get_textpage()
    lines: list[list[Glyph]] = []
    x, y = ctypes.c_double(), ctypes.c_double()
    matrix = pdfium_c.FS_MATRIX()
    name, flags = ctypes.create_string_buffer(256), ctypes.c_int()
    gap = False
    for index in range(textpage.count_chars()):
        char = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index))
        if pdfium_c.FPDFText_IsGenerated(textpage.raw, index):
            if char in "\r\n":
                lines.append([])  # pdfium ends each line with generated characters
            gap = char == " "
            continue
        if char.isspace() or char in rules.INVISIBLE:
            continue
        _, _, right, _ = textpage.get_charbox(index, loose=True)
        pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, x, y)
        pdfium_c.FPDFText_GetMatrix(textpage.raw, index, matrix)
        if abs(matrix.b) > 1e-3 or abs(matrix.c) > 1e-3:
            continue  # turned: a proof's watermark across the page, not set on a line
        size = pdfium_c.FPDFText_GetFontSize(textpage.raw, index) * abs(matrix.a)
        length = pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, name, len(name), flags)
        glyph = Glyph(char, x.value, right, y.value, size, name.raw[:max(0, length - 1)].decode(
            "latin-1"), gap)
        gap = False
        if lines and lines[-1] and (abs(lines[-1][-1].baseline - glyph.baseline) > 0.5
                                    or glyph.left < lines[-1][-1].left - 0.5):
            lines.append([])
        if not lines:
            lines.append([])
        lines[-1].append(glyph)
    return [line for line in lines if line]
