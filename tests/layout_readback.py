"""Module boxes and glyphs read back from a built PDF, for the layout engine's tests.

Each module is a named destination at its top left (its article id) and one at its
bottom right (``<id>--end``); pdfium gives every glyph's box.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium


@dataclass(frozen=True)
class Box:
    page: int
    article: str
    left: float
    top: float  # pt from the page top
    right: float
    bottom: float


def module_boxes(path: Path) -> list[Box]:
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: i for i, page in enumerate(pdf.pages)}
        height = float(pdf.pages[0].MediaBox[3])
        names = pdf.Root.Names.Dests.Names
        dests = {str(names[i]): names[i + 1] for i in range(0, len(names), 2)}
        boxes = []
        for name, dest in dests.items():
            end = dests.get(f"{name}--end")
            if end is None:
                continue
            boxes.append(Box(pages[dest[0].objgen], name, float(dest[2]),
                             height - float(dest[3]), float(end[2]), height - float(end[3])))
        return sorted(boxes, key=lambda b: (b.page, b.top, b.left))


def glyphs(path: Path) -> list[tuple[int, float, float, float, float]]:
    """(page, left, top, right, bottom) of every non-space glyph, pt from the page top."""
    document = pdfium.PdfDocument(str(path))
    try:
        found = []
        for index, page in enumerate(document):
            height = page.get_height()
            text = page.get_textpage()
            for i in range(text.count_chars()):
                if not text.get_text_range(i, 1).strip():
                    continue
                left, bottom, right, top = text.get_charbox(i)
                found.append((index, left, height - top, right, height - bottom))
        return found
    finally:
        document.close()
