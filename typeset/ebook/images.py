"""Reading copies of photos: no longer than :data:`LONGEST` px, in colours every reader shows.

Print wants photos at full resolution; a reader's screen does not, and every megabyte
makes the book slower to load. A photo that is already small enough, in RGB or grey and
upright is kept byte for byte. Others (too large, CMYK as newspapers' photos often are,
or turned by an EXIF orientation tag, or 16-bit grey) are turned upright, scaled down
(Lanczos), made 8-bit (:func:`typeset.images.eight_bit`) and encoded again at fixed
settings, so the same photo always gives the same bytes. Every picture was decoded and
checked before layout (:mod:`typeset.images`).
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageOps

from typeset.images import eight_bit

LONGEST = 1600
JPEG_QUALITY = 85
#: EXIF tag of the orientation; 1 is upright.
ORIENTATION = 0x0112


def for_reading(path: Path) -> bytes:
    """The photo at ``path`` as it goes into the EPUB, in its own format (JPEG or PNG)."""
    with Image.open(path) as image:
        if max(image.size) <= LONGEST and image.mode in ("RGB", "L", "RGBA", "LA", "P") \
                and image.getexif().get(ORIENTATION, 1) == 1:
            return path.read_bytes()
        image_format = image.format
        copy = ImageOps.exif_transpose(image)
    copy.thumbnail((LONGEST, LONGEST), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if image_format == "PNG":
        eight_bit(copy).save(out, "PNG", optimize=True)
    else:
        copy.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()
