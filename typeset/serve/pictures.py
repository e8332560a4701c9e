"""The proof's pages as pictures for the browser, and what changed on each since the last.

Every page is rendered small and grey first (as ``typeset diff`` does) and compared with
the page of the last good build; only a page that changed is rendered again at full
size. An unchanged page keeps the files it had, so a browser reloads only the pages an
edit touched, and a changed page gets a picture of its changed cells to flash over it.
The slug line below the trim names the proof version, a fingerprint of the whole copy:
it differs on every page after any edit, so the band below the trim is not compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from typeset import proofdiff

#: Pixels per pt of the sharp picture (about 1760 px across a proof page): a browser
#: shows it on high-density screens and when zoomed in; the plain one is half that.
SHARP = 1.5
#: Width in px of a thumbnail.
THUMB = 160
#: JPEG quality: encoding takes a fiftieth of PNG's time, which an edit's wait feels;
#: chroma kept whole so that red rules and coloured type keep clean edges.
QUALITY = 90


@dataclass(frozen=True)
class Picture:
    """One page as served: file names inside the work folder, size in pt, and the
    page as compared (small, grey, kept in memory for the next build)."""

    number: int
    width_pt: float
    height_pt: float
    pixels: int  # width of the sharp picture
    sharp: str
    plain: str
    thumb: str
    flash: str | None  # the changed cells, tinted, when this build changed the page
    grey: Image.Image


def pictures(pdf: Path, work: Path, folder: str, before: list[Picture],
             trim: tuple[float, float]) -> list[Picture]:
    """Render the pages of ``pdf`` that differ from ``before`` into ``work/folder``;
    pages that did not change keep their pictures. ``trim`` is the paper's size in pt:
    the bleed below it, where the slug line is, is left out of the comparison."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        result = []
        for index, page in enumerate(document):
            number = index + 1
            width, height = page.get_size()
            grey = page.render(scale=proofdiff.DPI / 72, grayscale=True).to_pil().convert("L")
            old = before[index] if index < len(before) else None
            cells = proofdiff.changed_cells(old.grey, grey) if old else None
            if cells is not None:
                band = round(max(0.0, (height - trim[1]) / 2) * proofdiff.DPI / 72)
                cells.paste(0, (0, cells.height - band, cells.width, cells.height))
                if cells.getbbox() is None:
                    cells = None
            if old is not None and cells is None:
                result.append(Picture(number, width, height, old.pixels, old.sharp, old.plain,
                                      old.thumb, None, grey))
                continue
            pixels, *names = _write(page, work / folder, number, cells)
            result.append(Picture(number, width, height, pixels,
                                  *(f"{folder}/{n}" if n else None for n in names), grey))
        return result
    finally:
        document.close()


def _write(page, folder: Path, number: int, cells: Image.Image | None) -> tuple:
    """Write the sharp, plain and thumbnail pictures of a page, and its flash when
    ``cells`` marks what changed; return the sharp one's width and their file names."""
    image = page.render(scale=SHARP).to_pil()
    names = (f"page-{number}@2x.jpg", f"page-{number}.jpg", f"page-{number}-thumb.jpg")
    plain = image.reduce(2)  # a box filter: a tenth of Lanczos' time, as clean at 2:1
    thumb = plain.resize((THUMB, round(plain.height * THUMB / plain.width)),
                         Image.Resampling.BILINEAR, reducing_gap=2.0)
    for picture, name in zip((image, plain, thumb), names):
        picture.save(folder / name, "JPEG", quality=QUALITY, subsampling=0)
    flash = None
    if cells is not None:
        flash = f"page-{number}-changed.png"
        tint = Image.new("RGBA", cells.size, (230, 0, 0, 0))
        tint.putalpha(cells.point(lambda v: round(v * proofdiff.TINT)))
        tint.save(folder / flash, optimize=True)
    return (image.width, *names, flash)
