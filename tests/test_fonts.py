"""Checks of the fonts bundled in fonts/ (made by fonts/build.py)."""

import functools
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
import uharfbuzz as hb
from fontTools.ttLib import TTFont

FONTS = Path(__file__).resolve().parent.parent / "fonts"

# bundled file -> family name the CSS asks for
FAMILIES = {
    "NotoSerifCJKsc-Regular.otf": "Noto Serif CJK SC",
    "NotoSerifCJKsc-Bold.otf": "Noto Serif CJK SC",
    "NotoSansCJKsc-Bold.otf": "Noto Sans CJK SC",
    "NotoSansCJKsc-Black.otf": "Noto Sans CJK SC",
    "YuquanKai-Regular.ttf": "Yuquan Kai",
}
NOTO = [name for name in FAMILIES if name.startswith("Noto")]

# GBK characters the Debian source fonts do not have, so no subset can:
# Noto CJK 2.001/2.004 lacks U+2252 ≒; LXGW WenKai 1.250 lacks the
# vertical wavy low line and the overline/low line forms of GBK A968-A96E.
KNOWN_GAPS = {name: {0x2252} for name in NOTO}
KNOWN_GAPS["YuquanKai-Regular.ttf"] = {0xFE34, *range(0xFE49, 0xFE50)}

SOURCES = [
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Black.ttc"),
    Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"),
]


@functools.cache
def gbk():
    """GBK as the build script defines it (fonts/build.py is a script, loaded by path)."""
    spec = importlib.util.spec_from_file_location("font_build", FONTS / "build.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return frozenset(script.gbk_characters())


@functools.cache
def load(name):
    return TTFont(FONTS / name, lazy=True)


def feature_tags(font, table):
    return {r.FeatureTag for r in font[table].table.FeatureList.FeatureRecord}


@pytest.mark.parametrize("name", [*FAMILIES, "LICENSE-NotoCJK.txt", "LICENSE-LXGW-WenKai.txt"])
def test_file_exists(name):
    assert (FONTS / name).is_file()


@pytest.mark.parametrize("name", FAMILIES)
def test_cmap_covers_gbk(name):
    missing = gbk() - set(load(name).getBestCmap())
    unexpected = sorted(missing - KNOWN_GAPS[name])
    assert not unexpected, " ".join(f"U+{cp:04X}" for cp in unexpected)


@pytest.mark.parametrize("name", FAMILIES)
def test_family_name(name):
    names = load(name)["name"]
    # Black puts "Noto Sans CJK SC Black" in ID 1, the bare family in ID 16.
    family = names.getName(16, 3, 1, 0x409) or names.getName(1, 3, 1, 0x409)
    assert family.toUnicode() == FAMILIES[name]
    assert names.getDebugName(6) == Path(name).stem


def test_yuquan_kai_carries_no_reserved_name():
    names = load("YuquanKai-Regular.ttf")["name"]
    for record in names.names:
        if record.nameID not in (0, 13, 14):
            text = record.toUnicode()
            assert "LXGW" not in text and "霞鹜" not in text, (record.nameID, text)
    # ... while the copyright and licence records survive.
    assert "LXGW" in names.getDebugName(0)
    assert "Open Font License" in names.getDebugName(13)
    assert "OFL" in names.getDebugName(14)


@pytest.mark.parametrize("name", FAMILIES)
def test_embedding_allowed(name):
    fs_type = load(name)["OS/2"].fsType
    assert not fs_type & 0x0002, "restricted licence embedding"
    assert not fs_type & 0x0200, "bitmap embedding only"


@pytest.mark.parametrize("name", FAMILIES)
def test_no_aalt_or_locl(name):
    assert not {"aalt", "locl"} & feature_tags(load(name), "GSUB")


@pytest.mark.parametrize("name", NOTO)
def test_noto_keeps_east_asian_spacing(name):
    assert {"halt", "vhal", "palt", "vpal", "kern"} <= feature_tags(load(name), "GPOS")
    assert "vert" in feature_tags(load(name), "GSUB")


def test_kai_gets_a_halt_feature_of_its_own():
    """WenKai has no GPOS and proportional curly quotes; build.py makes the quotes
    full-width and adds `halt`, so Kai text compresses its marks too: a closing mark
    loses its right half, an opening one its left half."""
    font = load("YuquanKai-Regular.ttf")
    assert "halt" in feature_tags(font, "GPOS")
    assert {"calt", "vert"} <= feature_tags(font, "GSUB")  # the original's kept
    face = hb.Face(hb.Blob.from_file_path(str(FONTS / "YuquanKai-Regular.ttf")))
    shaped = {}
    for features in ({}, {"halt": True}):
        buffer = hb.Buffer()
        buffer.add_str("。（字“”")
        buffer.guess_segment_properties()
        hb.shape(hb.Font(face), buffer, features)
        shaped[bool(features)] = [(p.x_advance, p.x_offset) for p in buffer.glyph_positions]
    assert shaped[False] == [(1000, 0)] * 5  # quotes full-width, as in the Noto SC faces
    assert shaped[True] == [(500, 0), (500, -500), (1000, 0), (500, -500), (500, 0)]


def test_build_is_reproducible(tmp_path):
    missing = [str(p) for p in SOURCES if not p.exists()]
    if missing:
        pytest.skip("Debian source fonts not installed: " + ", ".join(missing))
    text = "中文，。ABC"
    for run in ("a", "b"):
        subprocess.run(
            [sys.executable, str(FONTS / "build.py"),
             "--chars", text, "--out", str(tmp_path / run)],
            check=True, capture_output=True,
        )
    for name in FAMILIES:
        font = TTFont(tmp_path / "a" / name)
        assert {ord(c) for c in text} <= set(font.getBestCmap())
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
