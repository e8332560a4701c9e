#!/usr/bin/env python3
"""Rebuild the fonts bundled in fonts/ from Debian's font packages.

The source fonts hold 29,000-65,535 glyphs and are 16-27 MB each (109 MB
for the five), too much to ship with the typesetter, so we cut them down
to the characters a mainland newspaper prints: the GBK character set plus
all the non-ideographic characters of the original font (Latin, Greek,
Cyrillic, punctuation, symbols, full-width forms, kana, bopomofo).  That
comes to about 40 MB.  See fonts/README.md.

Needs: apt-get install fonts-noto-cjk fonts-noto-cjk-extra fonts-lxgw-wenkai
Usage: python fonts/build.py [--out DIR] [--chars TEXT]
"""

import argparse
import copy
import os
import sys
import time
from pathlib import Path

from fontTools import subset
from fontTools.feaLib.builder import addOpenTypeFeaturesFromString
from fontTools.misc.timeTools import epoch_diff
from fontTools.ttLib import TTCollection, TTFont

NOTO = Path("/usr/share/fonts/opentype/noto")
WENKAI = Path("/usr/share/fonts/truetype/lxgw-wenkai")

# (output file, source file, family name of the face to take from it,
#  licence file it falls under)
FACES = [
    ("NotoSerifCJKsc-Regular.otf", NOTO / "NotoSerifCJK-Regular.ttc",
     "Noto Serif CJK SC", "LICENSE-NotoCJK.txt"),
    ("NotoSerifCJKsc-Bold.otf", NOTO / "NotoSerifCJK-Bold.ttc",
     "Noto Serif CJK SC", "LICENSE-NotoCJK.txt"),
    ("NotoSansCJKsc-Bold.otf", NOTO / "NotoSansCJK-Bold.ttc",
     "Noto Sans CJK SC", "LICENSE-NotoCJK.txt"),
    ("NotoSansCJKsc-Black.otf", NOTO / "NotoSansCJK-Black.ttc",
     "Noto Sans CJK SC", "LICENSE-NotoCJK.txt"),
    ("YuquanKai-Regular.ttf", WENKAI / "LXGWWenKai-Regular.ttf",
     "LXGW WenKai", "LICENSE-LXGW-WenKai.txt"),
]

# The packages ship no separate LICENSE file; the OFL text is in their
# Debian copyright files.
LICENCE_SOURCES = {
    "LICENSE-NotoCJK.txt": Path("/usr/share/doc/fonts-noto-cjk/copyright"),
    "LICENSE-LXGW-WenKai.txt": Path("/usr/share/doc/fonts-lxgw-wenkai/copyright"),
}

# Blocks of ideographs and Hangul syllables.  The original fonts cover tens
# of thousands of these; we keep only those in GBK.  Everything else in the
# original cmap is small and is kept whole.
IDEOGRAPH_BLOCKS = [
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xAC00, 0xD7AF),  # Hangul Syllables
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0x20000, 0x3FFFF),  # Extensions B-H and Compatibility Supplement
]

# 'aalt' lists every alternate of every glyph and 'locl' switches to the
# Japanese/Korean/Traditional forms; either one pulls in glyphs for other
# locales and nearly doubles the subset.  We typeset Simplified Chinese
# only, so both go.
DROPPED_FEATURES = {"aalt", "locl"}

# LXGW WenKai's names are Reserved Font Names under the OFL, which a
# Modified Version (a subset is one) must not use as its primary name.
WENKAI_NEW_NAMES = {
    1: "Yuquan Kai",
    2: "Regular",
    3: "Version 1.250;YuquanKai-Regular;typeset subset",
    4: "Yuquan Kai",
    5: "Version 1.250; modified subset (GBK + non-ideographs)",
    6: "YuquanKai-Regular",
    10: (
        "Yuquan Kai is a Modified Version, under the SIL Open Font License 1.1, "
        "of the font named in the copyright notice: a subset to the GBK "
        "character set plus all non-ideographic characters, renamed because "
        "the original's Reserved Font Names may not be used by Modified "
        "Versions. Built by fonts/build.py of the typeset project."
    ),
}
RESERVED_NAMES = ("LXGW", "霞鹜")
# Copyright, licence description and licence URL must stay as they are.
LICENCE_NAME_IDS = {0, 13, 14}


def gbk_characters():
    """Return the code points of GBK: printable ASCII and every 2-byte code.

    Python's codec is the reference: we walk the whole 2-byte code space
    (lead 0x81-0xFE, trail 0x40-0xFE) and keep what decodes.  The
    user-defined areas do not decode, so no private-use code points creep
    in.  ASCII control characters are left out; nothing draws them.
    """
    chars = set(range(0x20, 0x7F))
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            try:
                chars.add(ord(bytes([lead, trail]).decode("gbk")))
            except UnicodeDecodeError:
                pass
    return chars


def is_ideograph(code_point):
    """True if the code point is in a CJK ideograph or Hangul syllable block."""
    return any(lo <= code_point <= hi for lo, hi in IDEOGRAPH_BLOCKS)


def wanted_characters(font):
    """GBK plus every non-ideographic character the original font maps."""
    extras = {cp for cp in font.getBestCmap() if not is_ideograph(cp)}
    return gbk_characters() | extras


def find_face(path, family):
    """Return the index of the face whose family name is `family`.

    The Noto TTCs hold JP, KR, SC, TC, HK (and Mono) faces; their order is
    an upstream detail, so we look the face up by name instead.  Weights
    other than Regular/Bold keep the bare family in the typographic family
    name (ID 16) and put "Noto Sans CJK SC Black" in ID 1, so ID 16 wins.
    """
    if path.suffix.lower() != ".ttc":
        return -1
    collection = TTCollection(path, lazy=True)
    for index, face in enumerate(collection.fonts):
        name = face["name"]
        record = name.getName(16, 3, 1, 0x409) or name.getName(1, 3, 1, 0x409)
        if record.toUnicode() == family:
            return index
    raise SystemExit(f"{path}: no face with family name {family!r}")


def subset_options(font):
    """Subsetter options: keep all layout features except DROPPED_FEATURES.

    The typesetter relies on halt/vhal/palt/vpal/kern/vert etc., so rather
    than fontTools' default feature list we keep every feature the font
    has.  Hinting is dropped: it helps only small text on low-resolution
    screens, and the CFF hints cost a sixth of the file size (9.4 vs
    7.9 MB for Serif Regular).  All name records are kept, so the
    copyright and licence (IDs 0, 13, 14) survive.
    """
    tags = set()
    for table in ("GSUB", "GPOS"):
        if table in font:
            tags |= {r.FeatureTag for r in font[table].table.FeatureList.FeatureRecord}
    return subset.Options(
        layout_features=sorted(tags - DROPPED_FEATURES),
        name_IDs=["*"],
        name_languages=["*"],
        notdef_outline=True,
        hinting=False,
        glyph_names=False,
    )


def source_date(font):
    """Timestamps for head.created/modified: SOURCE_DATE_EPOCH or the source's.

    fontTools stamps the current time into head.modified by default, which
    would make every rebuild differ.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        stamp = int(epoch) - epoch_diff  # head counts seconds from 1904
        return stamp, stamp
    return font["head"].created, font["head"].modified


def rename_wenkai(font):
    """Give the WenKai subset the Yuquan Kai names (see WENKAI_NEW_NAMES).

    Every name record that names the font, in any language, is replaced by
    the English one; the localised 霞鹜文楷 records are dropped.
    """
    name = font["name"]
    name.names = [r for r in name.names if r.nameID not in WENKAI_NEW_NAMES]
    for name_id, text in WENKAI_NEW_NAMES.items():
        name.setName(text, name_id, 3, 1, 0x409)
    for record in name.names:
        if record.nameID not in LICENCE_NAME_IDS:
            text = record.toUnicode()
            if any(word in text for word in RESERVED_NAMES):
                raise SystemExit(f"reserved name left in name ID {record.nameID}: {text}")


# Full-width marks whose blank half the CJK engine may take (PA-1, PA-2, PA-3):
# closing marks and pauses have it on the right, opening marks on the left.
HALT_RIGHT = "，。、；：！？）】》」』〕〗〉］｝”’"
HALT_LEFT = "（【《「『〔〖〈［｛“‘"

# Quotation marks, set full-width in Chinese text with their ink where the Noto SC
# faces put it: an opening mark in the right half of the em, a closing one in the left,
# QUOTE_EDGE units from the edge.
QUOTE_SIDES = {"“": "right", "‘": "right", "”": "left", "’": "left"}
QUOTE_EDGE = 80


def full_width_quotes(font):
    """Map “”‘’ to full-width copies of the face's own quotation marks.

    LXGW WenKai's curly quotes are proportional (350 units, shared with Latin text),
    so in Kai a Chinese quotation took a third of the room it takes in Song and Hei,
    and a pair like "。”" could not be set to 1.5 em (PA-1). Simplified Chinese fonts
    map these code points to full-width forms; so does Yuquan Kai now.
    """
    glyf, hmtx = font["glyf"], font["hmtx"]
    upem = font["head"].unitsPerEm
    order = list(font.getGlyphOrder())
    cmap = font.getBestCmap()
    added = {}
    for mark, side in QUOTE_SIDES.items():
        source = cmap.get(ord(mark))
        if source is None or hmtx[source][0] == upem or glyf[source].isComposite():
            continue
        glyph = copy.deepcopy(glyf[source])
        glyph.recalcBounds(glyf)
        width = glyph.xMax - glyph.xMin
        left = upem - QUOTE_EDGE - width if side == "right" else QUOTE_EDGE
        glyph.coordinates.translate((left - glyph.xMin, 0))
        glyph.recalcBounds(glyf)
        name = f"{source}.full"
        order.append(name)
        glyf.glyphs[name] = glyph
        hmtx[name] = (upem, glyph.xMin)
        if "vmtx" in font:
            font["vmtx"][name] = font["vmtx"][source]
        added[ord(mark)] = name
    font.setGlyphOrder(order)
    glyf.glyphOrder = order
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap.update({code: name for code, name in added.items()
                               if code in table.cmap})


def add_halt(font):
    """Give a face without GPOS the OpenType `halt` feature (half-width marks).

    LXGW WenKai has none, so Kai text (captions, bylines, quotations) could not
    compress its punctuation.  Its full-width marks sit in one half of the em, like
    the Noto faces', so `halt` takes 500 units off the blank half: the advance of a
    closing mark, the advance and placement of an opening one.  Only marks that are
    a full em wide are touched.
    """
    if "GPOS" in font:
        raise SystemExit("add_halt: the face already has a GPOS table")
    cmap, metrics = font.getBestCmap(), font["hmtx"]
    upem = font["head"].unitsPerEm

    def glyphs(marks):
        names = [cmap[ord(m)] for m in marks if ord(m) in cmap]
        return " ".join(n for n in names if metrics[n][0] == upem)

    half = upem // 2
    rules = [f"pos [{names}] {value};" for names, value in (
        (glyphs(HALT_RIGHT), f"<0 0 -{half} 0>"),
        (glyphs(HALT_LEFT), f"<-{half} 0 -{half} 0>")) if names]
    if not rules:
        return  # a subset without full-width marks (fonts/build.py --chars)
    addOpenTypeFeaturesFromString(font, tables=["GPOS"], features=(
        "languagesystem DFLT dflt;\nlanguagesystem hani dflt;\n"
        "feature halt {\n" + "\n".join(rules) + "\n} halt;\n"))


def build_face(out_path, source, family, chars=None):
    """Subset one face of `source` to `chars` (default: GBK + non-ideographs).

    Returns the subset font and the code points of GBK the source does
    not map (these cannot be in the output either).
    """
    index = find_face(source, family)
    font = TTFont(source, fontNumber=index, lazy=True, recalcTimestamp=False)
    created, modified = source_date(font)
    if chars is None:
        unicodes = wanted_characters(font)
        missing = sorted(gbk_characters() - set(font.getBestCmap()))
    else:
        unicodes = {ord(c) for c in chars}
        missing = []

    subsetter = subset.Subsetter(subset_options(font))
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)

    if family == "LXGW WenKai":
        rename_wenkai(font)
        full_width_quotes(font)
        add_halt(font)
    if "CFF " in font:
        # The TTC's faces share one CFF whose FontName is the JP face's;
        # a standalone OTF should carry its own PostScript name (ID 6).
        font["CFF "].cff.fontNames = [font["name"].getDebugName(6)]
    font["head"].created, font["head"].modified = created, modified
    cids_as_glyph_ids(font)
    font.save(out_path)
    return font, missing


def cids_as_glyph_ids(font):
    """Renumber a CID-keyed CFF's charset so that each glyph's CID is its glyph id.

    The subsetter keeps the full font's CIDs (glyph 1000 may be CID 20000). WeasyPrint
    writes a CIDFontType0 font's codes as glyph ids, which pdfium follows, but a RIP
    (and Ghostscript) finds glyphs by CID through the charset and prints wrong glyphs or
    none. Only the CFF table changes: every other table names glyphs by glyph id, and
    the outlines are untouched.
    """
    if "CFF " not in font:
        return
    top = font["CFF "].cff.topDictIndex[0]
    if not hasattr(top, "ROS"):
        return
    renamed = [".notdef"] + [f"cid{gid:05d}" for gid in range(1, len(top.charset))]
    names = dict(zip(top.charset, renamed))
    strings = top.CharStrings
    strings.charStrings = {names[name]: value for name, value in strings.charStrings.items()}
    top.charset = renamed
    font.setGlyphOrder(renamed)
    font.recalcBBoxes = False  # the outlines are untouched


def read_debian_copyright(path):
    """Parse a machine-readable Debian copyright file into stanzas.

    Each stanza is a dict of field -> value; continuation lines lose their
    leading space and a lone "." stands for an empty line.
    """
    stanzas = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields, key = {}, None
        for line in block.splitlines():
            if line.startswith((" ", "\t")) and key:
                fields[key] += "\n" + ("" if line.strip() == "." else line[1:])
            elif ":" in line:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        stanzas.append(fields)
    return stanzas


def write_licence(out_path, copyright_file, faces, notices):
    """Write the OFL text with the fonts' own copyright notices on top.

    The OFL requires that each copy carries the copyright notice and the
    licence.  The notices come from name ID 0 of the fonts we built; the
    Reserved Font Name remark (WenKai) from the package's copyright file.
    """
    stanzas = read_debian_copyright(copyright_file)
    files = next(s for s in stanzas if s.get("Files") == "*")
    licence = next(s["License"] for s in stanzas
                   if "Files" not in s and s.get("License", "").split("\n")[0] == files["License"])
    lines = [f"Fonts: {', '.join(faces)}", "", *notices, ""]
    if "Comment" in files:
        lines += [files["Comment"].strip(), ""]
    lines += [f"(Licence text from {copyright_file}.)", "", licence.partition("\n")[2].strip(), ""]
    out_path.write_text("\n".join(lines), encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                        help="output directory (default: the fonts/ directory)")
    parser.add_argument("--chars", help="subset to just these characters (for tests)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    total = 0
    licences = {}  # licence file -> ([face files], [copyright notices])
    for filename, source, family, licence in FACES:
        start = time.monotonic()
        out_path = args.out / filename
        font, missing = build_face(out_path, source, family, args.chars)
        notice = font["name"].getDebugName(0).replace("\r\n", "\n")
        faces, notices = licences.setdefault(licence, ([], []))
        faces.append(filename)
        if notice not in notices:
            notices.append(notice)
        size = out_path.stat().st_size
        total += size
        print(f"{filename}: {size / 1e6:.2f} MB, {len(font.getGlyphOrder())} glyphs, "
              f"{time.monotonic() - start:.0f} s", flush=True)
        if missing:
            print(f"  GBK code points missing from {source.name}: "
                  + " ".join(f"U+{cp:04X}" for cp in missing), flush=True)
    print(f"total: {total / 1e6:.2f} MB")
    for licence, (faces, notices) in licences.items():
        write_licence(args.out / licence, LICENCE_SOURCES[licence], faces, notices)


if __name__ == "__main__":
    sys.exit(main())
