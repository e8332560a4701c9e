"""Names in the PDF that come from content, never from where the files are.

WeasyPrint names each picture's XObject after the MD5 of its URL, an absolute
``file://`` path: the same issue built from two folders (a desk's machine, CI, the
archive's worker) gave PDFs that differ in those names alone. A picture is named here
after its bytes instead, so builds are byte-identical wherever the issue lies, and
two files with the same picture still share one XObject.
"""

from __future__ import annotations

import hashlib

from weasyprint import images


def install() -> None:
    """Name every raster picture after a digest of its data (once per process)."""
    if getattr(images.RasterImage.__init__, "_typeset", False):
        return
    original = images.RasterImage.__init__

    def named(self, pillow_image, image_id, image_data, *args, **kwargs):
        if image_data is not None:
            image_id = hashlib.sha256(image_data).hexdigest()[:32]
        original(self, pillow_image, image_id, image_data, *args, **kwargs)

    named._typeset = True
    images.RasterImage.__init__ = named
