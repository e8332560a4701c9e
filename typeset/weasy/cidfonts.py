"""CID-keyed CFF fonts a RIP can print: their CIDs must be their glyph ids.

WeasyPrint writes a CIDFontType0 font's codes as glyph ids (Identity-H), but a
CID-keyed CFF font's glyphs are found by CID, through the font's charset. pdfium reads
the codes as glyph ids and shows the right characters whatever the charset says;
Ghostscript, like a RIP, follows the charset and prints wrong glyphs or none where a
CID is not its glyph id (a subset that kept the full font's CIDs: glyph 1000 as CID
20000). The bundled Noto faces are built with CID = glyph id (``fonts/build.py``,
``cids_as_glyph_ids``), and HarfBuzz's subsets keep glyph ids, so the PDFs need no
repair; :func:`mismatched` finds a font that would print wrong, for
:mod:`typeset.preflight` (another style's fonts, a PDF made elsewhere).
"""

from __future__ import annotations

import io

import pikepdf
from fontTools.cffLib import CFFFontSet
from fontTools.ttLib import TTFont


def mismatched(pdf: pikepdf.Pdf) -> list[str]:
    """The names of the CID-keyed CFF fonts whose CIDs are not their glyph ids."""
    found = []
    for font, program in _programs(pdf):
        cff = _cid_cff(program.read_bytes())
        if cff is not None and not _identity(cff):
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


def _cid_cff(data: bytes) -> CFFFontSet | None:
    """The CFF font set of a CID-keyed CFF program (OpenType or bare), else None."""
    if data[:4] == b"OTTO":
        font = TTFont(io.BytesIO(data))
        if "CFF " not in font:
            return None
        cff = font["CFF "].cff
    else:
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(data), None)
    return cff if hasattr(cff.topDictIndex[0], "ROS") else None


def _identity(cff: CFFFontSet) -> bool:
    charset = cff.topDictIndex[0].charset
    return all(name == f"cid{gid:05d}" for gid, name in enumerate(charset[1:], 1))
