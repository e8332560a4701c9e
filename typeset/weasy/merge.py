"""Join PDFs that WeasyPrint wrote for parts of one issue, each font face embedded once.

Parts rendered as separate documents (in parallel workers, say) each carry their own
subset of every face they use. WeasyPrint 70 writes each face as a Type0 font with
``/Encoding /Identity-H`` and CID == glyph id, subset by HarfBuzz with RETAIN_GIDS, so a
glyph has the same id in every part: one subset of the original font to the union of
the parts' glyphs serves them all, with the union of their ``/W`` and ToUnicode maps.
Every face is cut anew, even one used by a single part: the system HarfBuzz that
WeasyPrint calls (6.0 on Debian 12) fails to cut Yuquan Kai to more than some 900
glyphs with RETAIN_GIDS, and WeasyPrint then embeds the whole 13 MB face.

A face is known by the PostScript name in its embedded program: WeasyPrint's
``/BaseFont`` and ``/FontName`` are ``TAG+<CSS family-style>``; merged fonts are named
``TAG+<PostScript name>``, the tag made from the glyph set. Font dicts that disagree
on a shared glyph's width or text (two characters drawn with one glyph) keep a dict
each, on the same program: merging them would move glyphs or change the extracted
text. Faces not in ``font_files`` and fonts with a custom ``/Encoding`` (WeasyPrint's
stand-in for missing glyphs) are copied as they are. Tagged PDF, PDF/A and forms are
refused (a TypesetError): their structure tree, attachments and form fonts would need
merging too.
"""

from __future__ import annotations

import functools
import hashlib
import io
import itertools
import re
import zlib
from decimal import Decimal
from pathlib import Path

import pikepdf
import uharfbuzz as hb

from typeset import cache
from typeset.errors import TypesetError
from typeset.weasy.fontstub import STUB

UNSUPPORTED = {"/StructTreeRoot": "tagged", "/OutputIntents": "PDF/A", "/AF": "PDF/A-3",
               "/AcroForm": "form"}
# What weasyprint/pdf/fonts.py Font._harfbuzz_subset drops and sets, pass by pass; the
# second pass keeps glyphs 0..last, trimming the empty ones after the last used glyph.
# NO_HINTING is write_pdf's default (hinting=False), which the project never changes.
DROPPED_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF",
                  b"LTSH", b"PCLT", b"SVG ")
FIRST_PASS = (hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED
              | hb.SubsetFlags.DESUBROUTINIZE)
SECOND_PASS = (hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE
               | hb.SubsetFlags.NO_HINTING)
CMAP_HEAD = (b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
             b"/CIDSystemInfo\n<< /Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n"
             b"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
             b"1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n")
CMAP_TAIL = b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"


def merge(parts: list[bytes], font_files: dict[str, Path]) -> bytes:
    """One PDF with the pages of ``parts`` in order, sharing one subset per font face.

    ``font_files`` maps a PostScript name to the font file the parts were rendered with.
    The first part gives the document info and the catalog (/Lang, /Metadata, …); the
    outlines and named destinations of all parts are joined. Same input, same bytes.
    """
    sources = [pikepdf.open(io.BytesIO(part)) for part in parts]
    try:  # the sources stay open until saved: qpdf copies stream data lazily
        for number, source in enumerate(sources, 1):
            found = [kind for key, kind in UNSUPPORTED.items() if key in source.Root]
            if found or "/EmbeddedFiles" in source.Root.get("/Names", {}):
                raise TypesetError(f"part {number} is a {(found or ['PDF/A-3'])[0]} PDF, which "
                                 "cannot be merged; render the issue in one piece")
        taken = _take_fonts(sources)
        out = pikepdf.new()
        for source in sources:
            out.pages.extend(source.pages)  # copies each page and everything it uses
        _copy_catalog(out, sources)
        _share_fonts(out, font_files, taken)
        _share_images(out)
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True, min_version=max(s.pdf_version for s in sources),
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return buffer.getvalue()
    finally:
        for source in sources:
            source.close()


def _share_images(out: pikepdf.Pdf) -> None:
    """Point every use of one picture at one copy of it.

    Each part embeds the pictures it shows; a photo on two pages (a front-page teaser
    and its story, a columnist's portrait) would be in the joined file twice, where
    WeasyPrint, rendering the issue whole, writes it once. Pictures are the same when
    their data and dictionary are (a soft mask compared the same way).
    """
    first: dict[bytes, object] = {}
    for res in _resources(out.pages):
        xobjects = res.get("/XObject", {})
        for name, image in list(xobjects.items()):
            if image.get("/Subtype") == "/Image":
                kept = first.setdefault(_image_key(image), image)
                if kept.objgen != image.objgen:
                    xobjects[name] = kept


def _image_key(image) -> bytes:
    digest = hashlib.sha256(image.read_raw_bytes())
    for key in sorted(set(image.keys()) - {"/Length", "/SMask"}):
        digest.update(key.encode() + pikepdf.Array([image[key]]).unparse())
    if "/SMask" in image:
        digest.update(_image_key(image.SMask))
    return digest.digest()


def _copy(out: pikepdf.Pdf, source: pikepdf.Pdf, obj):
    """``obj`` of ``source`` in ``out``; references to copied pages point at the copies."""
    if isinstance(obj, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)):
        return out.copy_foreign(obj if obj.is_indirect else source.make_indirect(obj))
    return obj


def _copy_catalog(out: pikepdf.Pdf, sources: list[pikepdf.Pdf]) -> None:
    """The first part's info and catalog; all parts' outlines and named destinations."""
    first = sources[0]
    if "/Info" in first.trailer:
        out.trailer.Info = _copy(out, first, first.trailer.Info)
    for key, value in first.Root.items():
        if key not in ("/Type", "/Pages", "/Outlines", "/Names"):
            out.Root[key] = _copy(out, first, value)
    items, count, dests = [], 0, {}
    for source in sources:
        outlines = source.Root.get("/Outlines")
        if outlines is not None and "/First" in outlines:
            count += int(outlines.get("/Count", 0))
            item = _copy(out, source, outlines.First)  # with its siblings and children
            while item is not None:
                items.append(item)
                item = item.get("/Next")
        tree = source.Root.get("/Names", {}).get("/Dests")
        for name, dest in pikepdf.NameTree(tree).items() if tree is not None else ():
            dest = _copy(out, source, dest)  # names are ids: the first one wins, as in HTML
            dests.setdefault(name, pikepdf.Array(dest) if isinstance(dest, pikepdf.Array)
                             else dest)
    if items:  # the parts' top-level items as one chain under a new root
        out.Root.Outlines = out.make_indirect(pikepdf.Dictionary(Count=count))
        link_children(out.Root.Outlines, items)
    if dests:
        set_dests(out, dests)


def set_dests(pdf: pikepdf.Pdf, dests: dict) -> None:
    """``dests`` as the named destinations of ``pdf``: one flat, sorted name tree, as
    WeasyPrint writes it (tests read it so)."""
    if "/Names" not in pdf.Root:
        pdf.Root.Names = pikepdf.Dictionary()
    pdf.Root.Names.Dests = pikepdf.Dictionary(Names=pikepdf.Array(
        [value for name in sorted(dests) for value in (pikepdf.String(name), dests[name])]))


def link_children(parent, children: list) -> None:
    """Make ``children`` (outline entries) the chain of ``parent``'s children."""
    parent.First, parent.Last = children[0], children[-1]
    for before, child, after in zip([None, *children], children, [*children[1:], None]):
        child.Parent = parent
        for key, other in (("/Prev", before), ("/Next", after)):
            if other is not None:
                child[key] = other
            elif key in child:
                del child[key]


#: The key under which :func:`_take_fonts` leaves, in a font dict, where its data went.
TAKEN = pikepdf.Name("/TypesetTaken")


def _take_fonts(sources: list[pikepdf.Pdf]) -> list[tuple[str, dict, dict]]:
    """Read the face, widths and text of the parts' mergeable font dicts, and take the
    widths and text out of them, leaving the index of what was read (:data:`TAKEN`).

    Copied into the joined PDF, the ``/W`` arrays (a thousand numbers a face a page)
    became some 80,000 objects at 32 pages, and a quarter of the join's memory, only
    to be replaced by one array per face.
    """
    taken = []
    for source in sources:
        for res in _resources(source.pages):
            for font in res.get("/Font", {}).values():
                if TAKEN in font:
                    continue  # (a dict that several resources share)
                face, widths, text = _read_font(font)
                if face is not None:
                    font[TAKEN] = len(taken)
                    taken.append((face, widths, text))
                    font.DescendantFonts[0].W = pikepdf.Array()
                    del font["/ToUnicode"]
    return taken


def _share_fonts(out: pikepdf.Pdf, font_files: dict[str, Path],
                 taken: list[tuple[str, dict, dict]]) -> None:
    """Point all pages at one font program per face, cut to the union of glyphs used.

    The font dicts of a face are grouped so that those agreeing on every shared glyph's
    width and text become one (:func:`share_dicts`); the first of a group is rewritten,
    the others dropped. ``taken`` holds what :func:`_take_fonts` took out of them.
    """
    def read(font):
        return taken[int(font[TAKEN])] if TAKEN in font else _read_font(font)
    faces = share_dicts(out, read)
    for font, _, _ in (kept for groups in faces.values() for kept in groups):
        if TAKEN in font:
            del font[TAKEN]
    unknown = sorted(f for f in faces.keys() - font_files.keys() if f is not None and any(
        _stubbed(font) for font, _, _ in faces[f]))
    if unknown:
        raise TypesetError(f"parts carry no program for {', '.join(unknown)}, and no font file "
                         "was given for it")
    for face in sorted(faces.keys() & font_files.keys()):
        # no glyph at all: a run of zero-width characters, for which WeasyPrint embeds
        # the whole face; .notdef alone will do
        glyphs = sorted({g for _, widths, text in faces[face] for g in {*widths, *text}}) or [0]
        digest = hashlib.sha256(f"{face}:{glyphs}".encode()).digest()
        name = pikepdf.Name(f"/{''.join(chr(65 + b % 26) for b in digest[:6])}+{face}")
        data = _subset(font_files[face], cache.stamp(font_files[face]), tuple(glyphs))
        # compressed here, once per glyph set, not by qpdf at every save (a re-proof
        # mostly sets the same glyphs again)
        program = pikepdf.Stream(out, _deflated(data), Filter=pikepdf.Name.FlateDecode)
        for font, widths, _ in faces[face]:
            descendant = font.DescendantFonts[0]
            descriptor = descendant.FontDescriptor
            key = "/FontFile3" if "/FontFile3" in descriptor else "/FontFile2"
            if key == "/FontFile2":
                program.Length1 = len(data)
            elif "/Subtype" in descriptor[key]:
                program.Subtype = descriptor[key].Subtype  # /OpenType
            font.BaseFont = descendant.BaseFont = descriptor.FontName = name
            descriptor[key] = program
            bbox = descriptor.FontBBox  # (0, descent, widest glyph, ascent) as WeasyPrint
            widest = max(map(_number, widths.values()), default=0)
            descriptor.FontBBox = pikepdf.Array([0, bbox[1], widest, bbox[3]])
            fixed = len(widths) > 1 and len(set(widths.values())) == 1
            descriptor.Flags = (int(descriptor.Flags) & ~1) | fixed
            if "/CIDSet" in descriptor:  # written for PDF 1.4: one bit per CID, MSB first
                bits = bytearray((max(widths, default=0) + 8) // 8)
                for glyph in widths:
                    bits[glyph // 8] |= 0x80 >> glyph % 8
                descriptor.CIDSet = pikepdf.Stream(out, bytes(bits))


def share_dicts(pdf: pikepdf.Pdf,
                read=None) -> dict[str | None, list[tuple[object, dict, dict]]]:
    """Join the font dicts that ``pdf``'s pages use that can be one.

    The Type0 dicts of a face that agree on every shared glyph's width and text are
    grouped; the first of each group gets the group's ``/W`` and ToUnicode map, and the
    resources point at it instead of the others. Returns, by PostScript name (None for
    fonts that cannot be merged, left alone), the kept dicts with their {glyph: width}
    and {glyph: text}.

    ``read`` gives a dict's face, widths and text when they were taken out of it
    (:func:`_take_fonts`); every kept dict then gets them written back.
    """
    resources = list(_resources(pdf.pages))
    fonts = {font.objgen: font for res in resources for font in res.get("/Font", {}).values()}
    faces: dict[str | None, list] = {}  # PostScript name → groups, in page order
    kept = {}
    for font in fonts.values():
        face, widths, text = (read or _read_font)(font)
        groups = faces.setdefault(face, [])
        for members, all_widths, all_text in groups if face is not None else ():
            if _agree(widths, all_widths) and _agree(text, all_text):
                break
        else:
            members, all_widths, all_text = [], {}, {}
            groups.append((members, all_widths, all_text))
        members.append(font)
        all_widths.update(widths)
        all_text.update(text)
        kept[font.objgen] = members[0]
    for face, groups in faces.items():
        for members, widths, text in groups if face is not None else ():
            if len(members) > 1 or read is not None:
                members[0].DescendantFonts[0].W = _w_array(widths)
                members[0].ToUnicode = pikepdf.Stream(pdf, _cmap(text))
    for res in resources:
        for key, font in res.get("/Font", {}).items():
            if kept[font.objgen].objgen != font.objgen:
                res.Font[key] = kept[font.objgen]
    return {face: [(members[0], widths, text) for members, widths, text in groups]
            for face, groups in faces.items()}


def _read_font(font) -> tuple[str | None, dict[int, bytes], dict[int, bytes]]:
    """A font dict's face (:func:`_face`), {glyph: width} and {glyph: text}."""
    return _face(font), _widths(font.DescendantFonts[0].get("/W")), _to_unicode(font)


def _resources(pages):
    """The resource dicts of the pages and of the forms and patterns they draw, once each."""
    todo, seen = [page.obj.get("/Resources") for page in pages], set()
    while todo:
        res = todo.pop(0)
        if res is None or (res.is_indirect and res.objgen in seen):
            continue
        seen.add(res.objgen)
        yield res
        for child in [*res.get("/XObject", {}).values(), *res.get("/Pattern", {}).values()]:
            if child.get("/Subtype") != "/Image" and "/Resources" in child:
                todo.append(child.Resources)


def _face(font) -> str | None:
    """The PostScript name of a Type0 font that can be merged, else None."""
    if font.get("/Subtype") != "/Type0" or font.get("/Encoding") != "/Identity-H":
        return None
    descendant = font.DescendantFonts[0]
    descriptor = descendant.FontDescriptor
    program = descriptor.get("/FontFile3", descriptor.get("/FontFile2"))
    if (program is None or descendant.get("/CIDToGIDMap", "/Identity") != "/Identity"
            or b"bfrange" in font.ToUnicode.read_bytes()):  # WeasyPrint writes bfchar only
        return None
    data = program.read_bytes()
    if data[4:4 + len(STUB)] == STUB:
        return data[4 + len(STUB):].decode()
    return hb.Face(hb.Blob(data)).get_name(hb.OTNameIdPredefined.POSTSCRIPT_NAME)


def _stubbed(font) -> bool:
    descriptor = font.DescendantFonts[0].FontDescriptor
    program = descriptor.get("/FontFile3", descriptor.get("/FontFile2"))
    return program is not None and program.read_bytes()[4:4 + len(STUB)] == STUB


@functools.lru_cache(maxsize=16)  # a re-proof mostly sets the same glyphs again
def _subset(path: Path, _stamp: tuple[int, int], glyphs: tuple[int, ...]) -> bytes:
    """The font at ``path`` (as stamped: ``_stamp``) cut to ``glyphs`` with their
    ids kept, as WeasyPrint cuts it.

    With RETAIN_GIDS HarfBuzz fails on Yuquan Kai's GDEF beyond some 6,000 glyphs (an
    offset overflows); GDEF serves shaping, not drawing, so the cut is retried without
    it. Should that fail too, the whole font goes in, as WeasyPrint does.
    """
    original = hb.Face(hb.Blob.from_file_path(str(path)))
    for dropped in (DROPPED_TABLES, DROPPED_TABLES + (b"GDEF",)):
        request = hb.SubsetInput()
        request.glyph_set.update(glyphs)
        request.drop_table_tag_set.update(int.from_bytes(tag, "big") for tag in dropped)
        request.flags = FIRST_PASS
        try:
            face = hb.subset(original, request)
            request.glyph_set.add_range(0, max(glyphs))
            request.flags = SECOND_PASS
            return hb.subset(face, request).blob.data
        except RuntimeError:
            continue
    return path.read_bytes()


@functools.lru_cache(maxsize=16)
def _deflated(data: bytes) -> bytes:
    return zlib.compress(data)


def _agree(one: dict, other: dict) -> bool:
    return all(one[key] == other[key] for key in one.keys() & other.keys())


#: One run of a ``/W`` array as WeasyPrint writes it: ``first [w1 w2 …]``.
W_RUN = re.compile(rb"(\d+)\s*\[([^\]]*)\]")


def _widths(w) -> dict[int, bytes]:
    """``/W`` as {glyph: width as written}; WeasyPrint writes only ``c [w1 w2 …]``
    entries. Read from the array's text, which is several times faster than walking
    the array object by object."""
    widths: dict[int, bytes] = {}
    for first, run in W_RUN.findall(w.unparse()) if w is not None else ():
        widths.update(zip(itertools.count(int(first)), run.split()))
    return widths


def _number(text: bytes) -> int | Decimal:
    return Decimal(text.decode()) if b"." in text else int(text)


def _w_array(widths: dict[int, bytes]) -> pikepdf.Object:
    """{glyph: width} as ``/W`` runs of consecutive glyphs, as WeasyPrint writes it
    (parsed from its text: twice as fast as building the array object by object)."""
    runs: list[list[bytes]] = []
    for glyph in sorted(widths):
        if glyph - 1 not in widths:
            runs.append([b"%d [" % glyph])
        runs[-1].append(widths[glyph])
    return pikepdf.Object.parse(b"[ " + b" ] ".join(b" ".join(run) for run in runs)
                                + (b" ] ]" if runs else b"]"))


def _to_unicode(font) -> dict[int, bytes]:
    """The ToUnicode CMap's bfchar entries: {glyph: UTF-16BE hex digits}."""
    data = font.ToUnicode.read_bytes()
    return {int(glyph, 16): text.lower()
            for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.DOTALL)
            for glyph, text in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block)}


def _cmap(to_unicode: dict[int, bytes]) -> bytes:
    """A ToUnicode CMap like WeasyPrint's, sorted by glyph, 100 entries per block."""
    glyphs, lines = sorted(to_unicode), [CMAP_HEAD]
    for start in range(0, len(glyphs), 100):
        batch = glyphs[start:start + 100]
        lines.append(b"%d beginbfchar\n" % len(batch))
        lines += [b"<%04x> <%s>\n" % (glyph, to_unicode[glyph]) for glyph in batch]
        lines.append(b"endbfchar\n")
    return b"".join(lines + [CMAP_TAIL])
