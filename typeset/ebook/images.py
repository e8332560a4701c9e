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

import hashlib
import io
import re
from pathlib import Path, PurePosixPath

from PIL import Image, ImageOps

from typeset.images import eight_bit

LONGEST = 1600
JPEG_QUALITY = 85
#: EXIF tag of the orientation; 1 is upright.
ORIENTATION = 0x0112
#: Picture paths a book may use as they are: its manifest and pages write a file's
#: name as a URL, which may hold Chinese but not spaces, quotes or ``%``.
_PLAIN = re.compile(r"^[\w./-]+$")


def book_name(image: str) -> str:
    """Where the picture at ``image`` (its path in the issue folder) goes in the book:
    ``media/<image>``, or, when that path could not be a URL as it is written (a space
    in it), a name made from the path: the same picture always gets the same name."""
    if _PLAIN.match(image):
        return f"media/{image}"
    digest = hashlib.sha256(image.encode("utf-8")).hexdigest()[:16]
    return f"media/pictures/{digest}{PurePosixPath(image).suffix.lower()}"


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
