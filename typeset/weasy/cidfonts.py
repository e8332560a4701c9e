"""CID-keyed CFF fonts made printable by a RIP: CIDs renumbered to glyph ids.

WeasyPrint writes a CIDFontType0 font's codes as glyph ids (Identity-H), but a
CID-keyed CFF font's glyphs are found by CID, through the font's charset, and the
bundled Noto subsets keep the CIDs of the full fonts (glyph 1000 may be CID 20000).
pdfium reads the codes as glyph ids and shows the right characters; Ghostscript,
like a RIP, follows the charset and prints wrong glyphs or none. So each such
program is embedded as its bare CFF (``/CIDFontType0C``) with the charset renumbered
to CID = glyph id; outlines, widths (``/W``, by code) and text are unchanged.

:func:`fixed` does it to PDF bytes (print and archive PDFs), :func:`renumber` to an
open PDF (:mod:`.press` finishes press and proof PDFs with it). :func:`mismatched` lists the
fonts that would print wrong, for :mod:`typeset.preflight`.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import fontTools
import pikepdf
from fontTools.cffLib import CFFFontSet
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import C_F_F_  # noqa: F401  (loaded now, not as a build ends)

from typeset import cache


def fixed(data: bytes) -> bytes:
    """The PDF ``data`` with its CID-keyed CFF fonts renumbered (:func:`renumber`)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if not renumber(pdf):
            return data
        buffer = io.BytesIO()
        pdf.save(buffer, deterministic_id=True)
        return buffer.getvalue()


def renumber(pdf: pikepdf.Pdf) -> bool:
    """Each CID-keyed CFF font of ``pdf`` embedded with CIDs equal to its glyph ids (see
    the module's notes)."""
    changed = False
    for _, program in _programs(pdf):
        bare = _renumbered_program(program.read_bytes())
        if bare:
            program.write(bare)
            program.Subtype = pikepdf.Name.CIDFontType0C
            changed = True
    return changed


def _renumbered_program(data: bytes) -> bytes:
    """The renumbered bare CFF of a font program, or b"" when it needs none; cached
    (a second or so for the four faces of an issue, and a re-proof mostly has the same
    subsets)."""
    key = hashlib.sha256(data + _MAKER).hexdigest()
    found = cache.read("cidfonts", key, ".cff")
    if found is not None:
        return found
    cff = _cid_cff(data)
    bare = _renumbered(*cff) if cff is not None and not _identity(cff[0]) else b""
    cache.write("cidfonts", key, ".cff", bare)
    return bare


def mismatched(pdf: pikepdf.Pdf) -> list[str]:
    """The names of the CID-keyed CFF fonts whose CIDs are not their glyph ids."""
    found = []
    for font, program in _programs(pdf):
        cff = _cid_cff(program.read_bytes())
        if cff is not None and not _identity(cff[0]):
            found.append(str(font.get("/BaseFont", "?")))
    return found


def _programs(pdf: pikepdf.Pdf):
    """Each Type0 font with a CFF program (CIDFontType0), once per program."""
    done: set = set()
    for font in pdf.objects:
        if not isinstance(font, pikepdf.Dictionary) or font.get("/Subtype") != "/Type0":
            continue
        descendant = font.DescendantFonts[0]
        program = descendant.get("/FontDescriptor", {}).get("/FontFile3")
        if descendant.get("/Subtype") != "/CIDFontType0" or program is None \
                or program.objgen in done:
            continue
        done.add(program.objgen)
        yield font, program


#: What else the renumbered program depends on: this code and fontTools' version.
_MAKER = hashlib.sha256(Path(__file__).read_bytes() + fontTools.version.encode()).digest()


def _cid_cff(data: bytes):
    """(CFF font set, OpenType font or None) of a CID-keyed CFF program, else None."""
    if data[:4] == b"OTTO":
        font = TTFont(io.BytesIO(data))
        if "CFF " not in font:
            return None
        cff = font["CFF "].cff
    else:
        cff, font = CFFFontSet(), None
        cff.decompile(io.BytesIO(data), None)
    return (cff, font) if hasattr(cff.topDictIndex[0], "ROS") else None


def _identity(cff: CFFFontSet) -> bool:
    charset = cff.topDictIndex[0].charset
    return all(name == f"cid{gid:05d}" for gid, name in enumerate(charset[1:], 1))


def _renumbered(cff: CFFFontSet, font: TTFont | None) -> bytes:
    """The bare CFF with its charset CID = glyph id (outlines, FDSelect by glyph)."""
    top = cff.topDictIndex[0]
    renamed = [".notdef"] + [f"cid{gid:05d}" for gid in range(1, len(top.charset))]
    names = dict(zip(top.charset, renamed))
    strings = top.CharStrings
    strings.charStrings = {names[name]: value for name, value in strings.charStrings.items()}
    top.charset = renamed
    if font is not None:
        font.setGlyphOrder(renamed)
        font.recalcBBoxes = False  # the outlines are untouched: no need to draw 24,000
    out = io.BytesIO()
    cff.compile(out, font)
    return out.getvalue()
