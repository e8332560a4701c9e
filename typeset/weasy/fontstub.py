"""Parts rendered without font programs, for :func:`.merge.merge` to embed once.

:func:`.merge.merge` cuts every face anew from its file, so WeasyPrint's own subsetting
of each part (about 14 ms a face, and the whole 13 MB face when its HarfBuzz fails on
Yuquan Kai) is wasted. Inside :func:`stub_fonts` a part embeds in place of each program
its first four bytes (WeasyPrint tells OpenType from TrueType by them) and the face's
PostScript name. Such parts are only good for merging. A face with missing glyphs keeps
its real subset: merge copies those fonts as they are.

WeasyPrint also copies each face whole out of HarfBuzz for every document it writes
(``pdf/fonts.py`` ``Font.__init__``, 3 ms for a 13 MB face). A page printed in layers
(:mod:`.compose`) is some eight documents, so inside :func:`stub_fonts` a face's copy is
kept and given again while HarfBuzz holds the same bytes at the same place.
"""

from __future__ import annotations

import contextlib

import uharfbuzz as hb
from weasyprint.pdf import fonts as pdf_fonts
from weasyprint.text.ffi import ffi, harfbuzz

#: What a part carries in place of a font program (see :func:`stub_fonts`).
STUB = b"typeset:font-stub:"
#: Bytes compared at each end of a face before its kept copy is given again.
CHECKED = 4096

_copies: dict[tuple[int, int], bytes] = {}  # (address, length) → the face's bytes
_names: dict[bytes, str] = {}  # a face's first and last bytes → its PostScript name


@contextlib.contextmanager
def stub_fonts():
    """Write PDFs whose fonts are stubs (see the module's docstring)."""
    original_clean, original_data = pdf_fonts.Font.clean, pdf_fonts.get_hb_object_data

    def clean(font, to_unicode, hinting):
        if font.missing or font.bitmap:
            return original_clean(font, to_unicode, hinting)
        font.file_content = font.file_content[:4] + STUB + _name(font).encode()

    def face_data(hb_object, ot_color=None, glyph=None):
        if ot_color is not None:
            return original_data(hb_object, ot_color, glyph)
        return _face_bytes(hb_object, original_data)

    pdf_fonts.Font.clean, pdf_fonts.get_hb_object_data = clean, face_data
    try:
        yield
    finally:
        pdf_fonts.Font.clean, pdf_fonts.get_hb_object_data = original_clean, original_data


def _face_bytes(hb_face, read) -> bytes:
    """The bytes of ``hb_face``: the kept copy if HarfBuzz holds the same, else ``read``."""
    blob = harfbuzz.hb_face_reference_blob(hb_face)
    try:
        with ffi.new("unsigned int *") as length:
            data = harfbuzz.hb_blob_get_data(blob, length)
            size = int(length[0])
        if data == ffi.NULL:
            return read(hb_face)
        key = (int(ffi.cast("uintptr_t", data)), size)
        kept = _copies.get(key)
        live = ffi.buffer(data, size)
        if kept is None or kept[:CHECKED] != live[:CHECKED] or kept[-CHECKED:] != live[-CHECKED:]:
            kept = _copies[key] = read(hb_face)
        return kept
    finally:
        harfbuzz.hb_blob_destroy(blob)


def _name(font) -> str:
    """The PostScript name of ``font``'s face, read once per face."""
    data = font.file_content
    key = data[:CHECKED] + data[-CHECKED:] + len(data).to_bytes(8, "big")
    if key not in _names:
        _names[key] = hb.Face(hb.Blob(data), font.index).get_name(
            hb.OTNameIdPredefined.POSTSCRIPT_NAME) or ""
    return _names[key]
