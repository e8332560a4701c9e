"""Pictures, decoded and checked before layout, and prepared once for print.

A picture that only *opens* may still be unprintable: WeasyPrint reads a JPEG's header
and embeds its bytes as they are, so a truncated or damaged file prints blank or
garbled, and a 16-bit grey PNG (Pillow's ``I;16``) goes into the PDF as 8-bit samples,
which print as noise. So every figure is decoded in full here (Pillow's ``load()``),
before layout, and a picture that does not decode (empty, not a picture, cut short,
its compressed data broken) is an input error naming the file, article and field. (A
flipped bit in a JPEG's compressed data decodes to a slightly wrong block, as in any
viewer, and is not found.)

What the PDF embeds then comes from :func:`for_print` (the url fetcher serves it in
place of the file):

- a picture WeasyPrint embeds correctly (JPEG in grey, RGB or CMYK; PNG in the modes
  it converts itself) and small enough is the file's own bytes, so a build's bytes do
  not change with this module;
- any other mode is converted to 8-bit grey or RGB (alpha laid on white: newsprint has
  no transparency), an EXIF-turned photo is turned upright (as WeasyPrint would), and
- a picture larger than the style's ``max_ppi`` needs is scaled down (Lanczos).

The placed size is known only after layout, but pictures are prepared before it, once
per build and before worker processes fork, so that the layers rendered apart and the
measuring sheets all read the same bytes. The size prepared for is therefore the largest
the grid may give the figure: as wide as any span up to the whole type area, as tall as
copyfit may open it (:func:`typeset.layout.variant`), cropped to that box
(``object-fit: cover``). It depends on the picture, the style and the article's figures
alone, not on where the planner puts the article: a rendered page is cached under its
HTML and its pictures' files, and the bytes it holds must not depend on the placement
of an earlier build. At 300 ppi that is about 6000 px for a 4:3 photo on a broadsheet,
so a 12000 × 9000 camera file is halved and a 1200 px one is untouched; a photo set
three columns wide then prints at about 1100 ppi, which costs file size, not quality.
Encoding at fixed settings makes the same picture give the same bytes on every build.
The archive's attachment keeps the file as supplied (:func:`typeset.writers.pdf.archive`).
"""

from __future__ import annotations

import functools
import io
import math
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageFile, ImageOps

from typeset import cache
from typeset.errors import TypesetError
from typeset.messages import msg
from typeset.model import Article, Issue
from typeset.readers import field_path
from typeset.style import Style

#: The largest picture accepted, in pixels (a 20000 × 12500 scan). Pillow warns of a
#: "decompression bomb" from 89 million pixels on: the size is checked here, before
#: anything decodes a picture, so its warning would only be noise to an editor.
LIMIT_PIXELS = 250_000_000
Image.MAX_IMAGE_PIXELS = LIMIT_PIXELS

#: Modes WeasyPrint 70 embeds correctly, by format (it converts 1 and P to RGB itself
#: and keeps alpha as a soft mask; an Adobe CMYK JPEG gets its inverted Decode array).
EMBEDDED_AS_IS = {"JPEG": {"L", "RGB", "CMYK"}, "PNG": {"1", "L", "LA", "P", "RGB", "RGBA"}}
#: Pillow's name for JPEG files with extra pictures (cameras' MPO): the first is shown.
FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG"}
JPEG_QUALITY = 92
#: EXIF tag of the orientation; 1 is upright.
ORIENTATION = 0x0112

#: Pixel size to prepare each picture for (resolved path → (width, height)), set by
#: :func:`prepare` before layout: the url fetcher, which knows only a path, reads it.
_targets: dict[Path, tuple[int, int]] = {}


@dataclass(frozen=True)
class Picture:
    """What decoding a picture found: its size in pixels, format and mode."""

    size: tuple[int, int]
    format: str
    mode: str
    turned: bool  # an EXIF orientation other than upright


def prepare(issue: Issue, root: Path, style: Style) -> None:
    """Decode every figure of ``issue`` (an input error if one does not) and prepare it
    for print at the largest size the layout may place it (see the module's notes)."""
    _targets.clear()
    for article in issue.articles:
        for index, figure in enumerate(article.figures):
            path = root / figure.image
            try:
                picture = decode(path, figure.image)
            except TypesetError as exc:
                raise TypesetError(exc.message, article=article.id,
                                   field=field_path(("figures", index, "image"))) from None
            target = largest_placement(picture.size, article, style)
            resolved = path.resolve()
            _targets[resolved] = _largest(_targets.get(resolved), target)
    for path, target in _targets.items():
        _prepared(path, cache.stamp(path), target)  # now, before workers fork


def decode(path: Path, name: str | None = None) -> Picture:
    """Open and fully decode the picture at ``path``; a TypesetError naming it (as
    ``name``, its path in the issue folder) if it is not a whole JPEG or PNG."""
    name = name or str(path)
    try:
        stamp = cache.stamp(path)
    except OSError:
        raise TypesetError(msg("model.image_missing", value=name)) from None
    found = _decoded(path, stamp)
    if isinstance(found, Picture):
        return found
    key, values = found
    raise TypesetError(msg(key, value=name, **values))


@functools.lru_cache(maxsize=256)
def _decoded(path: Path, _stamp) -> Picture | tuple[str, dict]:
    """:func:`decode` for one version of a file (decoding a camera's photo takes a
    quarter of a second; ``--watch`` asks on every save): the picture, or the message
    key and values of what is wrong with it."""
    with _opened(path) as image:
        if isinstance(image, tuple):
            return image
        if image.format not in FORMATS:
            return "image.format", {"actual": image.format}
        width, height = image.size
        if image.format in ("JPEG", "MPO"):
            # Decoding at 1/8 scale still reads every byte of the compressed data (a cut
            # file fails the same), in a 64th of the memory of a camera's photo.
            image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
        # WeasyPrint lets Pillow fill a cut-short file with grey (it sets
        # LOAD_TRUNCATED_IMAGES when imported): here a cut file must fail.
        lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
        try:
            image.load()
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
            return "image.damaged", {"detail": _detail(exc)}
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = lenient
        if image.format in ("JPEG", "MPO") and (broken := jpeg_damage(path.read_bytes())):
            return "image.damaged", {"detail": broken}
        turned = image.getexif().get(ORIENTATION, 1) not in (1, None)
        return Picture((width, height), FORMATS[image.format], image.mode, turned)


class _opened:
    """``Image.open`` as a context: the open picture, or the message key and values
    saying why it does not open (Pillow's decompression-bomb warning silenced: the size
    is checked against :data:`LIMIT_PIXELS` here)."""

    def __init__(self, path: Path):
        self.path, self.image = path, None

    def __enter__(self) -> Image.Image | tuple[str, dict]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            try:
                self.image = Image.open(self.path)
            except Image.DecompressionBombError:
                return "image.too_large", {"width": "?", "height": "?",
                                           "limit": LIMIT_PIXELS // 1_000_000}
            except (OSError, SyntaxError, ValueError):
                return "image.unreadable", {}
        width, height = self.image.size
        if width * height > LIMIT_PIXELS:
            return "image.too_large", {"width": width, "height": height,
                                       "limit": LIMIT_PIXELS // 1_000_000}
        return self.image

    def __exit__(self, *exc) -> None:
        if self.image is not None:
            self.image.close()


#: Markers that may follow a scan's data in a JPEG (more tables and scans, restart
#: markers, the end); any other marker inside the compressed data is damage.
_AFTER_SCAN = {0xC4, 0xD9, 0xDA, 0xDB, 0xDD, 0xFE, *range(0xD0, 0xD8), *range(0xE0, 0xF0)}


def jpeg_damage(data: bytes) -> str | None:
    """What is wrong with the structure of a JPEG's compressed data, or None.

    libjpeg decodes a damaged stretch of a JPEG as grey or smeared blocks with only a
    warning, which Pillow does not pass on; a damaged stretch mostly shows as a marker
    (0xFF and a code) that cannot stand in the compressed data, or as restart markers
    out of their order. A flipped bit that breaks neither is not found.
    """
    position, in_scan, restart = 2, False, 0
    while position < len(data) - 1:
        if not in_scan:
            if data[position] != 0xFF:
                return f"no marker at byte {position}"
            code = data[position + 1]
            if code == 0xFF:
                position += 1
                continue
            if code == 0xD9:
                return None
            length = int.from_bytes(data[position + 2:position + 4], "big")
            if length < 2 or position + 2 + length > len(data):
                return f"a segment runs past the end at byte {position}"
            position += 2 + length
            in_scan, restart = code == 0xDA, 0
            continue
        found = data.find(b"\xff", position)
        if found < 0 or found + 1 >= len(data):
            return None  # cut short: Pillow's own check says so
        code = data[found + 1]
        if code in (0x00, 0xFF):
            position = found + (2 if code == 0x00 else 1)
        elif 0xD0 <= code <= 0xD7:
            if code - 0xD0 != restart:
                return f"restart marker {code - 0xD0} where {restart} was due"
            restart, position = (restart + 1) % 8, found + 2
        elif code in _AFTER_SCAN:
            in_scan, position = False, found
        else:
            return f"marker 0xFF{code:02X} inside the compressed data at byte {found}"
    return None


def _detail(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 60 else text[:59] + "…"


def largest_placement(size: tuple[int, int], article: Article, style: Style) -> tuple[int, int]:
    """Pixels a picture of ``size`` needs at the style's ``max_ppi`` in the largest box
    the grid may give it: any span up to the whole type area, opened as far as copyfit
    may open it, cropped to cover. Its own size when the style sets no ``max_ppi`` or
    the picture is no larger than that."""
    from typeset.layout import variant
    if style.max_ppi is None:
        return size
    width, height = size
    grid = style.grid
    needed_pt = 0.0
    for span in range(1, grid.columns + 1):
        box_width = grid.width_pt(span)
        lines = max(1, round(box_width * height / width / grid.line_pt))
        lines += variant(article, span, 0.0, grid).grow
        needed_pt = max(needed_pt, box_width, lines * grid.line_pt * width / height)
    needed = math.ceil(needed_pt / 72 * style.max_ppi)
    if needed >= width:
        return size
    return needed, max(1, round(height * needed / width))


def _largest(a: tuple[int, int] | None, b: tuple[int, int]) -> tuple[int, int]:
    return b if a is None or b[0] > a[0] else a


def for_print(path: Path) -> bytes | None:
    """The bytes the PDF embeds for the picture at ``path`` (see the module's notes),
    prepared for the size :func:`prepare` found for it (else its own size); None when
    the file itself is embedded as it is."""
    path = path.resolve()
    target = _targets.get(path)
    if target is None:
        target = decode(path).size
    return _prepared(path, cache.stamp(path), target)


@functools.lru_cache(maxsize=64)
def _prepared(path: Path, _stamp, target: tuple[int, int]) -> bytes | None:
    picture = decode(path)
    if (picture.mode in EMBEDDED_AS_IS[picture.format] and not picture.turned
            and target[0] >= picture.size[0]):
        return None
    with _opened(path) as image:
        if picture.format == "JPEG" and target[0] < picture.size[0]:
            image.draft(image.mode, target)  # decode no larger than needed
        image = eight_bit(ImageOps.exif_transpose(image))
        if picture.turned and (image.width > image.height) != (target[0] > target[1]):
            target = target[::-1]  # turned a quarter: the target was the file's way up
        if target[0] < image.width:
            image = image.resize(target, Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if picture.format == "JPEG":
            image.save(out, "JPEG", quality=JPEG_QUALITY)
        else:
            image.save(out, "PNG", compress_level=9)
        return out.getvalue()


def eight_bit(image: Image.Image) -> Image.Image:
    """``image`` in a mode a PDF and an e-reader show as it looks: 8-bit grey or RGB,
    CMYK kept (the press's own colours, which WeasyPrint embeds as such), alpha laid
    on white."""
    if image.mode in ("L", "RGB", "CMYK"):
        return image
    if image.mode.startswith("I"):
        # 16-bit grey (I;16, I;16B, or I from older Pillows): 0–65535 scaled into
        # 0–255, not clipped (a clipped 16-bit photo is almost all white).
        return image.convert("I").point(lambda value: value / 257).convert("L")
    if image.mode == "1":
        return image.convert("L")
    if "A" in image.mode or "a" in image.mode or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flat = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        flat.alpha_composite(rgba)
        return flat.convert("L" if image.mode in ("LA", "La") else "RGB")
    return image.convert("RGB")
