"""What changed between two proofs, page by page: editors re-read only what moved.

Both PDFs are rendered with pdfium at a modest resolution and compared pixel by pixel,
inside each page's BleedBox: what is printed. A proof's slug line and marks lie outside
it, and the slug's build time differs between any two proofs, so comparing them would
list every page.
For every page that changed, a picture of the new page is written, greyed, with the
changed areas tinted red. Changed pixels are shown as whole cells a few millimetres
wide: a changed character or a moved rule is a box that catches the eye, not a speck.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageChops

from typeset.errors import TypesetError

#: Resolution of the comparison: a broadsheet page is about 770 × 1070 px.
DPI = 50
#: Side of a highlighted cell in px (about 3 mm at 50 dpi).
CELL = 6
#: Grey-level difference up to which two pixels count as the same.
THRESHOLD = 32
#: How strongly changed cells are tinted.
TINT = 0.45
PICTURE = re.compile(r"page-\d+\.png")


@dataclass
class Report:
    """Pages that changed, were added (only in the new PDF) or removed (only in the old)."""

    changed: list[int] = field(default_factory=list)
    added: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    pictures: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        if not (self.changed or self.added or self.removed):
            return "no page changed"
        lines = [f"{name} pages: {' '.join(map(str, pages)) or 'none'}"
                 for name, pages in (("changed", self.changed), ("added", self.added),
                                     ("removed", self.removed))]
        return "\n".join(lines + [f"wrote {path}" for path in self.pictures])


def diff(old: Path, new: Path, out_dir: Path) -> Report:
    """Compare two PDFs; write ``out_dir/page-N.png`` for each changed or added page.

    Pictures left in ``out_dir`` by an earlier comparison are removed first, so the
    folder shows this comparison only.
    """
    old_pages, new_pages = _render(old), _render(new)
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.iterdir():
        if PICTURE.fullmatch(stale.name):
            stale.unlink()
    report = Report(removed=list(range(len(new_pages) + 1, len(old_pages) + 1)))
    for number, page in enumerate(new_pages, start=1):
        if number > len(old_pages):
            report.added.append(number)
            cells = Image.new("L", page.size, 255)
        else:
            cells = changed_cells(old_pages[number - 1], page)
            if cells is None:
                continue
            report.changed.append(number)
        picture = out_dir / f"page-{number}.png"
        highlight(page, cells).save(picture, optimize=True)
        report.pictures.append(picture)
    return report


def changed_cells(old: Image.Image, new: Image.Image) -> Image.Image | None:
    """A mask (255 = changed) over ``new`` in whole cells, or None if nothing changed.

    A page whose size changed has changed everywhere.
    """
    if old.size != new.size:
        return Image.new("L", new.size, 255)
    changed = ImageChops.difference(old, new).point(lambda v: 255 if v > THRESHOLD else 0)
    if changed.getbbox() is None:
        return None
    # reduce() averages each cell: any changed pixel leaves it above zero.
    cells = changed.reduce(CELL).point(lambda v: 255 if v else 0)
    return cells.resize((cells.width * CELL, cells.height * CELL),
                        Image.Resampling.NEAREST).crop((0, 0, *new.size))


def highlight(page: Image.Image, cells: Image.Image) -> Image.Image:
    """The page greyed, with the changed cells tinted red."""
    grey = page.point(lambda v: 128 + v // 2).convert("RGB")
    red = Image.blend(grey, Image.new("RGB", grey.size, (255, 0, 0)), TINT)
    return Image.composite(red, grey, cells)


def _render(path: Path) -> list[Image.Image]:
    """Every page of a PDF, cut to its BleedBox, as a grey image at :data:`DPI`."""
    try:
        document = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, FileNotFoundError) as exc:
        raise TypesetError(f"cannot read as PDF: {exc}", file=path) from None
    try:
        return [_bleed_area(page) for page in document]
    finally:
        document.close()


def _bleed_area(page: pdfium.PdfPage) -> Image.Image:
    scale = DPI / 72
    picture = page.render(scale=scale, grayscale=True).to_pil().convert("L")
    left, bottom, _, top = page.get_cropbox()  # what pdfium renders
    b_left, b_bottom, b_right, b_top = page.get_bleedbox()  # the crop box if none
    return picture.crop((round((b_left - left) * scale), round((top - b_top) * scale),
                         round((b_right - left) * scale), round((top - b_bottom) * scale)))
